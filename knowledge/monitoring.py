"""Monitoring a plan: read measurements, read the SMART goal, and say how far along it is.

Officials type measurements the way they write them in a report ("winkeldiefstallen Q1 2027:
42", "in 2026 waren er 130 meldingen jeugdoverlast"). This module turns such a line into an
indicator, a period and a value; splits the goal text of a plan into measurable goals ("daalt van
60 naar 40", "20% minder", "halveren"); links a measurement to the goal it belongs to; and
describes the progress in one Dutch B1 sentence. No Rasa here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.nl.dates import MONTH_NAMES, MONTH_NUMBERS
from knowledge.nl.lexicon import Lexicon
from knowledge.nl.text import STOPWORDS, fold, stem, words

# --- periods -------------------------------------------------------------------------------


_MONTH = "(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"((?:19|20)\d\d|'\d\d)"
_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}
_ORD = r"(?:([1-4])\s*(?:e|ste|de)|(eerste|tweede|derde|vierde|laatste))"
_OF_YEAR = rf"(?:\s*(?:van\s+|[-/,]\s*)?{_YEAR}\b)?"

# (kind, pattern); every pattern's groups are read by _period_from_match.
_PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(rf"\b(\d{{1,2}})[-/.](\d{{1,2}})[-/.]{_YEAR}\b")),
    ("date_text", re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s*{_YEAR}")),
    (
        "month_range",
        re.compile(rf"\b{_MONTH}\s*(?:t/?m|tot\s+en\s+met|tot|-)\s*{_MONTH}{_OF_YEAR}"),
    ),
    ("quarter", re.compile(rf"\bq\s?([1-4])\b{_OF_YEAR}")),
    ("quarter_year_first", re.compile(rf"\b{_YEAR}\s*[-/ ]?\s*q([1-4])\b")),
    ("quarter_words", re.compile(rf"\b{_ORD}\s+kwartaal{_OF_YEAR}")),
    ("quarter_number", re.compile(rf"\bkwartaal\s+([1-4])\b{_OF_YEAR}")),
    ("half", re.compile(rf"\b{_ORD}\s+(?:helft|halfjaar|half\s+jaar){_OF_YEAR}")),
    ("half_number", re.compile(rf"\b(?:halfjaar|half\s+jaar|helft)\s+([12])\b{_OF_YEAR}")),
    ("half_h", re.compile(rf"\bh([12])\b{_OF_YEAR}")),
    ("week", re.compile(rf"\b(?:week|wk)\.?\s*(\d{{1,2}})\b{_OF_YEAR}")),
    ("week_iso", re.compile(r"\b((?:19|20)\d\d)-?w(\d{1,2})\b")),
    ("month", re.compile(rf"\b{_MONTH}{_OF_YEAR}")),
    ("month_number", re.compile(r"\b(0?[1-9]|1[0-2])[-/]((?:19|20)\d\d)\b(?![-/]\d)")),
    ("month_iso", re.compile(r"\b((?:19|20)\d\d)[-/](0[1-9]|1[0-2])\b(?![-/]\d)")),
    (
        "relative",
        re.compile(r"\b(dit|deze|vorig|vorige|afgelopen|verleden)\s+(jaar|kwartaal|maand|week)\b"),
    ),
    ("year", re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")),
]


@dataclass(frozen=True)
class _Period:
    label: str
    key: str  # ISO date of the period's start
    start: int
    end: int
    has_year: bool
    kind: str


@dataclass
class MeasurementInput:
    indicator: str  # readable, lower case: "winkeldiefstallen", "meldingen jeugdoverlast"
    period: str  # "Q1 2027", "maart 2027", "2026", "week 12 2027"
    period_key: str  # ISO date of the period start: sorts the periods
    value: float


def _year(text: str | None, default: int) -> tuple[int, bool]:
    if not text:
        return default, False
    if text.startswith("'"):
        return 2000 + int(text[1:]), True
    return int(text), True


def _quarter(year: int, q: int) -> tuple[str, str]:
    return f"Q{q} {year}", date(year, 3 * q - 2, 1).isoformat()


def _half(year: int, h: int) -> tuple[str, str]:
    return f"{h}e helft {year}", date(year, 6 * h - 5, 1).isoformat()


def _month(year: int, m: int) -> tuple[str, str]:
    return f"{MONTH_NAMES[m - 1]} {year}", date(year, m, 1).isoformat()


def _period_from_match(kind: str, m: re.Match[str], today: date) -> _Period | None:
    g = m.groups()
    default = today.year
    try:
        if kind == "date":
            year, has = _year(g[2], default)
            day = date(year, int(g[1]), int(g[0]))
            label, key = f"{day.day} {MONTH_NAMES[day.month - 1]} {year}", day.isoformat()
        elif kind == "date_text":
            year, has = _year(g[2], default)
            day = date(year, MONTH_NUMBERS[g[1]], int(g[0]))
            label, key = f"{day.day} {MONTH_NAMES[day.month - 1]} {year}", day.isoformat()
        elif kind == "month_range":
            year, has = _year(g[2], default)
            first, last = MONTH_NUMBERS[g[0]], MONTH_NUMBERS[g[1]]
            if last < first:
                return None
            if first == 1 and last == 12:
                label, key = str(year), date(year, 1, 1).isoformat()
            elif last - first == 2 and first % 3 == 1:
                label, key = _quarter(year, (first + 2) // 3)
            elif last - first == 5 and first in (1, 7):
                label, key = _half(year, 1 if first == 1 else 2)
            else:
                label = f"{MONTH_NAMES[first - 1]} t/m {MONTH_NAMES[last - 1]} {year}"
                key = date(year, first, 1).isoformat()
        elif kind in ("quarter", "quarter_number"):
            year, has = _year(g[1], default)
            label, key = _quarter(year, int(g[0]))
        elif kind == "quarter_year_first":
            year, has = _year(g[0], default)
            label, key = _quarter(year, int(g[1]))
        elif kind in ("quarter_words", "half"):
            number = int(g[0]) if g[0] else _ORDINALS[g[1]]
            year, has = _year(g[2], default)
            if kind == "half":
                if number > 2:
                    return None
                label, key = _half(year, number)
            else:
                label, key = _quarter(year, number)
        elif kind in ("half_h", "half_number"):
            year, has = _year(g[1], default)
            label, key = _half(year, int(g[0]))
        elif kind == "week":
            year, has = _year(g[1], default)
            week = int(g[0])
            label, key = f"week {week} {year}", date.fromisocalendar(year, week, 1).isoformat()
        elif kind == "week_iso":
            year, week, has = int(g[0]), int(g[1]), True
            label, key = f"week {week} {year}", date.fromisocalendar(year, week, 1).isoformat()
        elif kind == "month":
            year, has = _year(g[1], default)
            label, key = _month(year, MONTH_NUMBERS[g[0]])
        elif kind == "month_number":
            year, has = int(g[1]), True
            label, key = _month(year, int(g[0]))
        elif kind == "month_iso":
            year, has = int(g[0]), True
            label, key = _month(year, int(g[1]))
        elif kind == "relative":
            label, key = _relative_period(g[0], g[1], today)
            has = True
        else:  # year
            year, has = int(g[0]), True
            label, key = str(year), date(year, 1, 1).isoformat()
    except ValueError:  # 31-02, week 54
        return None
    return _Period(label, key, m.start(), m.end(), has, kind)


def _relative_period(which: str, unit: str, today: date) -> tuple[str, str]:
    back = 0 if which in ("dit", "deze") else 1
    if unit == "jaar":
        year = today.year - back
        return str(year), date(year, 1, 1).isoformat()
    if unit == "kwartaal":
        index = today.year * 4 + (today.month - 1) // 3 - back
        return _quarter(index // 4, index % 4 + 1)
    if unit == "maand":
        index = today.year * 12 + today.month - 1 - back
        return _month(index // 12, index % 12 + 1)
    monday = today - timedelta(days=today.weekday(), weeks=back)
    year, week, _ = monday.isocalendar()
    return f"week {week} {year}", monday.isoformat()


def _periods(text: str, today: date) -> list[_Period]:
    """All periods in folded ``text``, without overlaps (the longest match wins)."""
    found: list[_Period] = []
    for kind, pattern in _PERIOD_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < p.end and p.start < m.end() for p in found):
                continue
            period = _period_from_match(kind, m, today)
            if period:
                found.append(period)
    return sorted(found, key=lambda p: p.start)


def _main_period(periods: list[_Period], today: date) -> _Period | None:
    """The first period; a year elsewhere in the text completes a period without one."""
    if not periods:
        return None
    years = [p for p in periods if p.kind == "year"]
    others = [p for p in periods if p.kind != "year"]
    if not others:
        return years[0]
    main = others[0]
    if main.has_year or not years or main.kind == "relative":
        return main
    year = years[0].label
    relabelled = _periods(_relabel(main.label, year), today)
    for period in relabelled:
        if period.kind != "year":
            return _Period(period.label, period.key, main.start, main.end, True, main.kind)
    return main


def _relabel(label: str, year: str) -> str:
    return re.sub(r"(?:19|20)\d\d$", year, label)


def period_sort_key(label: str, today: date | None = None) -> str | None:
    """The period_key of a period label such as "Q1 2027" or "maart 2027" (None if unknown)."""
    today = today or date.today()
    period = _main_period(_periods(_normalise(label), today), today)
    return period.key if period else None


# --- numbers -------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?![\w]|[.,]\d)")
_WORD_NUMBERS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "vijftien": 15,
    "twintig": 20,
    "vijfentwintig": 25,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
    "honderd": 100,
}
_WORD_PERCENT = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\s+(procent|%)")


def _to_float(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", text))


def _normalise(text: str) -> str:
    text = fold(text[:1000])
    text = re.sub(r"[\u2012-\u2015\u2212]", " - ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return _WORD_PERCENT.sub(lambda m: f"{_WORD_NUMBERS[m.group(1)]} {m.group(2)}", text)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


# --- measurements --------------------------------------------------------------------------

# Words that name the measuring, not what was measured.
_FILLER = set(
    str.split(
        """
    aantal aantallen het de een meting metingen nieuwe gemeten er waren was is zijn werden werd
    in op over tijdens gedurende van per totaal totale score scores cijfer rapportcijfer stand
    percentage procent pct gemiddeld gemiddelde jaar kwartaal maand week periode tm t m tot en
    met stuks keer x we wij ik hebben heb hadden had telden geteld geregistreerd registreerden
    gemeld gehad bedraagt bedroeg bedroegen kwam kwamen uit komt dit vorig vorige afgelopen
    deze laatste nu momenteel ongeveer circa ca bijna ruim zo'n zon dat waarde uitkomst
    resultaat resultaten bij totaalaantal voor registreerde registreert telde telt noteerde
    noteerden kreeg kregen ontving ontvingen zagen zag nulmeting startmeting uitgangssituatie
    nog heel cijfers zitten zit zaten halfjaar helft stand
    """
    )
)
_NOT_A_MEASUREMENT = re.compile(
    r"\b(doel|doelen|doelstelling|streefwaarde|streefcijfer|streven|streeft|willen|wil)\b"
)
_SIDE_NOTE = re.compile(
    r"[,;(]\s*(?:doel|streefwaarde|vorig\w*|vs\.?|t\.?o\.?v\.?|tegen|vergeleken|ten opzichte"
    r"|terwijl|bron)\b"
)
_SEPARATOR = re.compile(r"[,;:=]|\s-\s|\ben\b")
_SCALE = re.compile(
    r"\b(?:op\s+een\s+)?schaal\s+(?:van\s+)?\d+\s*(?:-|tot)\s*\d+|\(\s*\d+\s*-\s*\d+\s*\)"
    r"|/\s*10\b|\b(?:op|uit)\s+10\b(?!\s*\w)"
)


def parse_measurement(text: str, today: date | None = None) -> MeasurementInput | None:
    """Indicator, period and value from a typed measurement, or None if one of them is missing."""
    today = today or date.today()
    full = _normalise(text)
    head = full[: m.start()] if (m := _SIDE_NOTE.search(full)) else full
    for part in (head, full) if head != full else (full,):
        result = _parse_measurement_part(part, today)
        if result:
            return result
    return None


def _parse_measurement_part(t: str, today: date) -> MeasurementInput | None:
    periods = _periods(t, today)
    period = _main_period(periods, today)
    if period is None:
        return None
    masked = _mask(t, [(p.start, p.end) for p in periods])
    masked = _SCALE.sub(lambda m: " " * len(m.group()), masked)
    numbers = [m for m in _NUMBER.finditer(masked) if not _is_year(m.group(1))]
    numbers = [m for m in numbers if not re.match(r"-[a-z]", masked[m.end() : m.end() + 2])]
    if not numbers:
        return None
    goal_word = _NOT_A_MEASUREMENT.search(masked)
    if goal_word and goal_word.start() < numbers[0].start():
        return None
    colon = re.search(r"[:=]", masked)
    after = [m for m in numbers if colon and m.start() > colon.start()]
    chosen = (after or numbers)[0]
    value = _to_float(chosen.group(1))
    unit = re.match(r"\s*(%|procent\b|pct\b)", masked[chosen.end() :])
    end = chosen.end() + (unit.end() if unit else 0)
    rest = _mask(masked, [(chosen.start(), end)])
    # "woninginbraken 22, winkeldiefstallen 40": the words next to the value name it.
    left = max((m.end() for m in _SEPARATOR.finditer(rest, 0, chosen.start())), default=0)
    right = next((m.start() for m in _SEPARATOR.finditer(rest, end)), len(rest))
    indicator = _indicator_text(rest[left:right]) or _indicator_text(rest)
    if not indicator:
        return None
    return MeasurementInput(indicator, period.label, period.key, value)


def _indicator_text(text: str) -> str:
    without_notes = re.sub(r"\([^)]*\)?", " ", text)
    if without_notes != text and (words := _indicator_words(without_notes)):
        return words
    return _indicator_words(text)


def _indicator_words(text: str) -> str:
    tokens = re.findall(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]|\d+-[a-z][a-z-]*", text)
    kept = [w for w in tokens if w not in _FILLER and not w.isdigit()]
    return " ".join(kept).strip(" -'")


# --- goals ---------------------------------------------------------------------------------


@dataclass
class Goal:
    text: str
    indicator_words: list[str]  # stems of what is measured, plus lexicon problem keys
    direction: str  # "down" | "up"
    baseline: float | None = None
    target: float | None = None
    relative: float | None = None  # 0.2 for "20% minder"
    deadline: str | None = None  # "eind 2027"
    change: float | None = None  # absolute change: -10 for "10 inbraken minder"


_NUM = r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
_QUAL_DOWN = r"maximaal|hooguit|ten\s+hoogste|niet\s+meer\s+dan|minder\s+dan|onder\s+de|lager\s+dan"
_QUAL_UP = r"minimaal|ten\s+minste|tenminste|minstens|meer\s+dan|boven\s+de|hoger\s+dan"
_QUAL = rf"(?:{_QUAL_DOWN}|{_QUAL_UP}|gemiddeld|ongeveer|circa|rond\s+de|een)"
_PCT = r"\s*(%|procent\b|pct\b)"
_PCT_NC = r"\s*(?:%|procent\b|pct\b)"
_FROM_TO = re.compile(
    rf"\bvan\s+(?:{_QUAL}\s+)?{_NUM}(?:{_PCT})?[^\d;]{{0,40}}?\b(?:naar|tot)\s+"
    rf"(?:{_QUAL}\s+)?(?:{_QUAL}\s+)?{_NUM}(?:{_PCT})?"
)
_TO = re.compile(rf"\b(?:naar|tot)\s+(?:{_QUAL}\s+)?(?:{_QUAL}\s+)?{_NUM}(?:{_PCT})?")
_QUALIFIED = re.compile(rf"\b(?:{_QUAL_DOWN}|{_QUAL_UP})\s+(?:een\s+)?{_NUM}(?:{_PCT})?")
_PERCENT = re.compile(rf"(?<![\w.,])([-+])?\s?{_NUM}{_PCT}")
_CHANGE = re.compile(
    rf"(?:\b(?:daal\w*|dalen|stijg\w*|verminder\w*|verlag\w*|verhog\w*|neemt\s+(?:af|toe)|"
    rf"nemen\s+(?:af|toe))\s+met\s+{_NUM}(?!{_PCT_NC}|[.,]?\d))|(?:\bmet\s+)?\b{_NUM}"
    rf"(?!{_PCT_NC})\s+(?:[a-z]+\s+){{0,2}}?(minder|meer)\b"
)
_BASELINE = re.compile(
    rf"\b(?:nulmeting|startwaarde|beginwaarde|uitgangswaarde|basiswaarde|baseline|"
    rf"uitgangssituatie|startmeting|huidige(?:\s+(?:aantal|stand|niveau|score|waarde))?|nu|"
    rf"momenteel|op\s+dit\s+moment|vorig\s+jaar|in\s+(?:19|20)\d\d)\s*"
    rf"(?:(?:van\s+|in\s+|uit\s+)?(?:19|20)\d\d\s*)?"
    rf"(?:is|was|waren|zijn|ligt|lag|bedraagt|bedroeg|staat|stond)?\s*(?:er\s+)?(?:nog\s+)?"
    rf"(?:op\s+)?[:=]?\s*(?:ongeveer\s+|circa\s+|gemiddeld\s+|ruim\s+|bijna\s+)?{_NUM}"
    rf"(?!{_PCT_NC}\s*(?:minder|meer|daling|stijging|lager|hoger))"
)
_RELATIVE_WORDS = [
    (re.compile(r"\b(halver\w*|gehalveerd|halvering|met\s+de\s+helft|helft\s+minder)\b"), 0.5),
    (re.compile(r"\b(met\s+)?een\s+derde\s+(minder|omlaag|lager)|\bmet\s+een\s+derde\b"), 1 / 3),
    (re.compile(r"\b(met\s+)?een\s+kwart\s+(minder|omlaag|lager)|\bmet\s+een\s+kwart\b"), 0.25),
    (re.compile(r"\b(verdubbel\w*|verdubbeling|twee\s+keer\s+zo\s+(veel|hoog))\b"), 1.0),
]
_REFERENCE_YEAR = re.compile(
    r"\b(?:ten\s+opzichte\s+van|t\.?\s?o\.?\s?v\.?|vergeleken\s+met|in\s+vergelijking\s+met|"
    r"vanaf|sinds|tegenover)\s+(?:het\s+)?(?:(?:niveau|peil|aantal|cijfer)\s+(?:van|in)\s+)?"
    r"(?:(?:heel|het\s+jaar|jaar)\s+)?(?:(?:19|20)\d\d\b|(?:vorig|afgelopen)\s+jaar\b)"
)
_DEADLINE_WORD = re.compile(
    r"\b(eind|einde|ultimo|uiterlijk|voor|tegen|per|in|op|na|vanaf)\s+(?:het\s+)?(?:jaar\s+)?$"
)
_DEADLINE_RELATIVE = re.compile(
    rf"\b(?:(?:eind|einde|uiterlijk|voor)\s+)?(?:{_MONTH}\s+)?(?:(?:binnen|over|na)\s+(?:de\s+)?"
    r"(?:\w+\s+)?(?:jaar|jaren|maanden|maand|weken|week)|"
    r"(?:volgend|dit|komend|het\s+komende|deze)\s+(?:jaar|kwartaal|zomer|winter|najaar|voorjaar)"
    r"|de\s+komende\s+\w+\s+(?:jaar|jaren|maanden))\b"
)
_DOWN_STRONG = re.compile(
    r"\b(daal\w*|daling\w*|gedaald|dalen|afname|afnemen|afneemt|afgenomen|neemt\s+af|"
    r"nemen\s+af|terug\w*|"
    r"halver\w*|gehalveerd|verminder\w*|reduc\w*|verlag\w*|beperk\w*|inperk\w*|omlaag|"
    r"voorkom\w*)\b"
)
_UP_STRONG = re.compile(
    r"\b(stijg\w*|stijging\w*|gestegen|toename|toenemen|toeneemt|toegenomen|neemt\s+toe|"
    r"nemen\s+toe|"
    r"verbeter\w*|verhog\w*|groei\w*|verdubbel\w*|vergrot\w*|versterk\w*|omhoog)\b"
)
_DOWN_WEAK = re.compile(rf"\b(minder|lager|{_QUAL_DOWN})\b|(?<![\w+])-\s?\d")
_UP_WEAK = re.compile(rf"\b(meer|hoger|beter|positiever|veiliger|{_QUAL_UP})\b|\+\s?\d")
# Content words that never name an indicator.
_GOAL_NOISE = set(
    str.split(
        """
    aantal aantallen procent pct daalt dalen daling stijgt stijgen stijging minder meer lager
    hoger afname toename afnemen toenemen halveren gehalveerd halvering verdubbelen maximaal
    minimaal hooguit ten hoogste minste minstens tenminste eind einde uiterlijk jaar jaren
    kwartaal maand maanden week weken opzichte vergeleken vergelijking niveau peil terug
    terugbrengen teruggebracht omlaag omhoog verminderen vermindering verbeteren verbetert
    verbetering verhogen verhoging groeit groeien binnen komend komende volgend doel doelen
    willen streven streefwaarde zorgen zorgt ervoor dalen gedaald gestegen gemiddeld helft
    derde kwart keer zo hoog ongeveer circa rond beneden boven hoogste lagere hogere t o v
    per ultimo nulmeting startwaarde huidige momenteel daarna sinds vanaf tegenover
    verlagen verlaagd reduceren reductie beperken toeneemt afneemt neemt nemen af toe
    blijft blijven stabiel gelijk behouden houden uiterst ruim bijna tenminste ligt lag
    gaat gaan mag mogen moet wordt worden komt komen zal zullen krijgen krijgt bereiken
    realiseren halen staan staat liggen brengen gebracht uitkomen komt nog maar slechts
    ernaar afgenomen toegenomen scoren scoort scoorde nee ja
        """
    )
)
_AREA_WORDS = set(
    str.split(
        """
    wijk wijken buurt buurten centrum binnenstad dorp dorpen kern kernen stad gemeente straat
    straten plein pleinen park parken gebied gebieden noord zuid oost west complex flat flats
    omgeving rondom buitengebied dorpskern stadsdeel
    """
    )
)
_ABBREVIATIONS = {
    "bijv",
    "bv",
    "ca",
    "nr",
    "mr",
    "dhr",
    "mw",
    "evt",
    "incl",
    "excl",
    "max",
    "min",
    "gem",
    "resp",
    "jl",
    "vs",
    "etc",
    "enz",
    "o.a",
    "t.o.v",
    "d.w.z",
    "i.p.v",
    "m.b.v",
    "a.s",
    "z.s.m",
}
_GENERIC = {
    stem(w)
    for w in str.split(
        "meldingen melding aangiften aangifte incidenten incident registraties registratie "
        "score cijfer percentage aandeel delicten delict feiten misdrijven zaken gevallen "
        "overlast klachten klacht"
    )
}


def parse_goals(goal_text: str, lexicon: Lexicon) -> list[Goal]:
    """The measurable goals in a plan's goal text, one per sentence or part."""
    goals: list[Goal] = []
    previous_words: list[str] = []
    carried_baseline: float | None = None
    all_deadline = _deadline(_normalise(goal_text or ""))
    for part in _split_parts(goal_text or ""):
        chunks = _split_chunks(part, lexicon)
        for chunk in chunks:
            goal = _parse_goal(chunk, lexicon)
            if goal.indicator_words:
                if goal.indicator_words != previous_words:
                    carried_baseline = None
                previous_words = goal.indicator_words
            elif previous_words:
                goal.indicator_words = list(previous_words)
            if goal.target is None and goal.relative is None and goal.change is None:
                if goal.baseline is not None:
                    carried_baseline = goal.baseline
                continue
            if goal.baseline is None and carried_baseline is not None:
                goal.baseline = carried_baseline
            if goal.deadline is None:
                goal.deadline = _deadline(_normalise(part)) or all_deadline
            _settle_direction(goal)
            goals.append(goal)
    return goals


def _split_parts(text: str) -> list[str]:
    parts: list[str] = []
    for line in re.split(r"[;\n\r•]+", text):
        start = 0
        for m in re.finditer(r"[.!?]\s+", line):
            word = re.search(r"(\S*)$", line[start : m.start()]).group(1).lower()
            if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word):
                continue
            parts.append(line[start : m.start()])
            start = m.end()
        parts.append(line[start:])
    cleaned = [re.sub(r"^\s*(?:[-*–]+|\d{1,2}[.)])\s*", "", p).strip(" .") for p in parts]
    return [p for p in cleaned if p]


def _split_chunks(part: str, lexicon: Lexicon) -> list[str]:
    """'inbraken -20% en het veiligheidsgevoel naar 7': two goals in one sentence."""
    chunks = [
        c for c in re.split(r",?\s+(?:en|terwijl|daarnaast)\s+|,\s+(?=het\s|de\s)", part) if c
    ]
    if len(chunks) < 2:
        return [part]
    parsed = [_parse_goal(c, lexicon) for c in chunks]
    own = all(
        g.indicator_words and (g.target is not None or g.relative is not None) for g in parsed
    )
    return chunks if own else [part]


def _parse_goal(text: str, lexicon: Lexicon) -> Goal:
    t = _normalise(text)
    t = _REFERENCE_YEAR.sub(lambda m: " " * len(m.group()), t)
    deadline = _deadline(t)
    periods = _periods(t, date.today())
    masked = _mask(t, [(p.start, p.end) for p in periods])
    baseline = target = relative = change = None
    taken: list[tuple[int, int]] = []

    if m := _FROM_TO.search(masked):
        baseline, target = _to_float(m.group(1)), _to_float(m.group(3))
        taken.append(m.span())
    free = _mask(masked, taken)
    for pattern, share in _RELATIVE_WORDS:
        if pattern.search(free):
            relative = share
            break
    for m in _PERCENT.finditer(free):
        before = free[max(0, m.start() - 25) : m.start()]
        relative_cue = re.search(rf"\bmet\s+(?:(?:{_QUAL})\s+)?$", before)
        if not relative_cue and re.search(
            rf"\b(?:naar|tot|{_QUAL_DOWN}|{_QUAL_UP})\s+(?:een\s+)?$", before
        ):
            if target is None:
                target = _to_float(m.group(2))
        elif relative is None:
            relative = _to_float(m.group(2)) / 100
        taken.append(m.span())
    free = _mask(masked, taken)
    if target is None and (m := _TO.search(free) or _QUALIFIED.search(free)):
        target = _to_float(m.group(1))
        taken.append(m.span())
    free = _mask(masked, taken)
    if target is None and relative is None and (m := _CHANGE.search(free)):
        amount = _to_float(m.group(1) or m.group(2))
        down = bool(_DOWN_STRONG.search(m.group())) or m.group(3) == "minder"
        change = -amount if down else amount
        taken.append(m.span())
    if baseline is None:
        baseline = _baseline(t, taken, target is not None or relative is not None or change)
    goal = Goal(
        text=text.strip(),
        indicator_words=_goal_words(text, lexicon),
        direction=_direction_from_words(t),
        baseline=baseline,
        target=target,
        relative=relative,
        deadline=deadline,
        change=change,
    )
    return goal


def _baseline(t: str, taken: list[tuple[int, int]], has_goal: bool) -> float | None:
    """'nu 60', 'nulmeting 2025: 120', 'in 2025 waren er 60' (not the deadline year)."""
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", t)]
    for m in _BASELINE.finditer(t):
        if _is_year(m.group(1)) or any(s <= m.start(1) < e for s, e in taken):
            continue
        year = re.match(r"in\s+((?:19|20)\d\d)", m.group())
        if year and has_goal and int(year.group(1)) >= max(years):
            continue  # "in 2027 maximaal 40": the goal year, not a starting point
        return _to_float(m.group(1))
    return None


def _deadline(t: str) -> str | None:
    t = _REFERENCE_YEAR.sub(lambda m: " " * len(m.group()), t)
    candidates = [p for p in _periods(t, date.today()) if p.has_year]
    if candidates:
        last = max(candidates, key=lambda p: p.key)
        word = _DEADLINE_WORD.search(t[: last.start])
        prefix = word.group(1) if word else ""
        prefix = {"einde": "eind", "ultimo": "eind", "in": "", "op": ""}.get(prefix, prefix)
        return f"{prefix} {last.label}".strip()
    if m := _DEADLINE_RELATIVE.search(t):
        return re.sub(r"\s+", " ", m.group()).strip()
    return None


def _direction_from_words(t: str) -> str:
    t = re.sub(r"\bniet\s+meer\s+dan\b", "maximaal", t)
    for down_pattern, up_pattern in ((_DOWN_STRONG, _UP_STRONG), (_DOWN_WEAK, _UP_WEAK)):
        down, up = down_pattern.search(t), up_pattern.search(t)
        if down and up:
            return "down" if down.start() < up.start() else "up"
        if down or up:
            return "down" if down else "up"
    return "down"


def _settle_direction(goal: Goal) -> None:
    if goal.baseline is not None and goal.target is not None and goal.baseline != goal.target:
        goal.direction = "down" if goal.target < goal.baseline else "up"
    elif goal.change:
        goal.direction = "down" if goal.change < 0 else "up"


def _goal_words(text: str, lexicon: Lexicon) -> list[str]:
    t = _normalise(text)
    t = _REFERENCE_YEAR.sub(" ", t)
    matches = [m for m in lexicon.find(text) if not m.fuzzy]
    area = {w for m in matches if m.group == "settings" for w in words(m.phrase)}
    proper = {
        fold(w)
        for i, w in enumerate(re.findall(r"[\w'-]+", text))
        if i > 0 and w[:1].isupper() and not w.isupper()
    }
    stems: list[str] = []
    for word in re.findall(r"[a-z][a-z-]*[a-z]", t):
        if (
            word in STOPWORDS
            or word in _GOAL_NOISE
            or word in _AREA_WORDS
            or word in area
            or word in proper
            or word in MONTH_NUMBERS
            or word in _WORD_NUMBERS
            or len(word) < 3
        ):
            continue
        if _DOWN_STRONG.fullmatch(word) or _UP_STRONG.fullmatch(word):
            continue
        stems.append(stem(word.replace("-", "")))
    keys = [m.key for m in matches if m.group == "problems"]
    return list(dict.fromkeys([*stems, *keys]))


# --- matching ------------------------------------------------------------------------------


_PROBLEM_KEYS: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _problem_keys(lexicon: Lexicon) -> frozenset[str]:
    cached = _PROBLEM_KEYS.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        keys = frozenset(
            key
            for entries in lexicon.phrases.values()
            for group, key, _ in entries
            if group == "problems"
        )
        cached = _PROBLEM_KEYS[id(lexicon)] = (lexicon, keys)
    return cached[1]


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < 5:
        return False
    if long.endswith(short):  # compound head: inbraak / woninginbraak
        return True
    return long.startswith(short) and len(short) >= 0.65 * len(long)


def _measurement_words(indicator: str) -> list[str]:
    out = []
    for word in re.findall(r"[a-z][a-z-]*[a-z]", fold(indicator)):
        if word in STOPWORDS or word in _FILLER or word in _AREA_WORDS or len(word) < 3:
            continue
        out.append(stem(word.replace("-", "")))
    return out


def match_goal(goals: list[Goal], indicator: str, lexicon: Lexicon) -> Goal | None:
    """The goal a measurement belongs to, or None when none (or more than one) fits."""
    known = _problem_keys(lexicon)
    m_words = _measurement_words(indicator)
    m_keys = {m.key for m in lexicon.find(indicator) if m.group == "problems" and not m.fuzzy}
    scored: list[tuple[float, int]] = []
    for index, goal in enumerate(goals):
        g_keys = {w for w in goal.indicator_words if w in known}
        g_words = [w for w in goal.indicator_words if "_" not in w]
        if m_keys and g_keys and not (m_keys & g_keys):
            continue  # two different problems
        score = 0.0
        for word in m_words:
            if any(_similar(word, g) for g in g_words):
                score += 0.5 if word in _GENERIC else 2.0
        if m_keys & g_keys:
            score += 2.0
        if score >= 2.0:
            scored.append((score, index))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # ambiguous: do not guess
    return goals[scored[0][1]]


# --- progress ------------------------------------------------------------------------------


@dataclass
class Progress:
    goal: Goal
    baseline: float | None
    latest: float | None
    latest_period: str | None
    target: float | None  # absolute
    share: float | None  # part of the way from baseline to target; negative = wrong way
    reached: bool
    text: str


def number_text(value: float) -> str:
    """Dutch notation: 42, 6,8, 1250."""
    value = round(value, 2)
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def progress(goal: Goal, values: list[tuple[str, float]], indicator: str | None = None) -> Progress:
    """How far the latest measurement is on the way from the baseline to the goal."""
    label = _label(indicator or _goal_label(goal))
    baseline = goal.baseline if goal.baseline is not None else (values[0][1] if values else None)
    target = goal.target
    if target is None and baseline is not None:
        if goal.relative is not None:
            sign = -1 if goal.direction == "down" else 1
            target = round(baseline * (1 + sign * goal.relative), 2)
        elif goal.change is not None:
            target = round(baseline + goal.change, 2)
    direction = goal.direction
    if goal.baseline is not None and goal.target is not None and goal.baseline != goal.target:
        direction = "down" if goal.target < goal.baseline else "up"
    if not values:
        text = f"{label}: nog geen metingen."
        if target is not None:
            text += f" Doel: {number_text(target)}."
        return Progress(goal, baseline, None, None, target, None, False, text)

    period, latest = values[-1]
    share = None
    if baseline is not None and target is not None and target != baseline:
        share = (latest - baseline) / (target - baseline)
    reached = target is not None and (latest <= target if direction == "down" else latest >= target)
    head = f"{label}: {number_text(latest)} in {period}."
    if target is None:
        text = f"{head} Je doel heeft geen getal, dus ik kan de voortgang niet berekenen."
    else:
        start = f"Start {number_text(baseline)}, doel {number_text(target)}"
        first = goal.baseline is None and len(values) == 1
        if reached:
            text = f"{head} {start}: doel bereikt!"
        elif first:
            text = f"{head} Dit is je startmeting. Doel: {number_text(target)}."
        elif share is None or abs(share) < 0.005:
            text = f"{head} {start}: nog geen verandering sinds de start."
        elif share > 0:
            text = f"{head} {start}: je bent {round(share * 100)}% op weg."
        else:
            text = f"{head} {start}: {round(-share * 100)}% verder van het doel dan bij de start."
    return Progress(goal, baseline, latest, period, target, share, reached, text)


def series_text(indicator: str, values: list[tuple[str, float]]) -> str:
    """For an indicator without a goal: only the measurements."""
    text = f"Nog geen doel voor '{indicator}': ik laat alleen de metingen zien."
    if values:
        period, latest = values[-1]
        text += f" Laatste meting: {number_text(latest)} in {period}."
    return text


def _label(indicator: str) -> str:
    indicator = indicator.strip()
    return indicator[:1].upper() + indicator[1:] if indicator else "Meting"


def _goal_label(goal: Goal) -> str:
    """A readable name for the goal's indicator: the first written word behind its stems."""
    specific = [w for w in goal.indicator_words if w not in _GENERIC and "_" not in w]
    for word in re.findall(r"[\w-]+", fold(goal.text)):
        if stem(word.replace("-", "")) in specific:
            return word
    keys = [w.replace("_", " ") for w in goal.indicator_words if w not in _GENERIC]
    return (specific or keys or ["meting"])[0]
