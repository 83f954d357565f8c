"""The one goal reader: the measurable goals in a plan's goal text.

"daalt van 60 naar 40", "20% minder", "halveren", "10 inbraken minder", with a deadline. The
SMART check of the planner (knowledge/planning.py) and the monitoring of a shared plan both read
goals here, so a goal that passes "meetbaar" also has a number to measure progress against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.goals.numbers import WORD_NUMBERS, is_year, mask, normalise, to_float
from knowledge.goals.periods import MONTH_RE, find_periods
from knowledge.nl.dates import MONTH_NUMBERS
from knowledge.nl.lexicon import Lexicon
from knowledge.nl.text import STOPWORDS, fold, stem, words


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
# "geen enkele overval meer", "nul inbraken": a target of zero, so the number goes down.
_ZERO = re.compile(r"\b(?:geen\s+(?:enkele|een\s+enkele)|nul)\b")
# "minimaal een derde van de huishoudens": a share as target, in percent.
_SHARES = {"een derde": 100 / 3, "tweederde": 200 / 3, "twee derde": 200 / 3, "de helft": 50.0}
_SHARES |= {"een kwart": 25.0, "driekwart": 75.0, "drie kwart": 75.0}
_SHARE_TARGET = re.compile(
    rf"\b(?:{_QUAL_DOWN}|{_QUAL_UP})\s+("
    + "|".join(s.replace(" ", r"\s+") for s in _SHARES)
    + r")\b"
)
_REFERENCE_YEAR = re.compile(
    r"\b(?:ten\s+opzichte\s+van|t\.?\s?o\.?\s?v\.?|vergeleken\s+met|in\s+vergelijking\s+met|"
    r"vanaf|sinds|tegenover)\s+(?:het\s+)?(?:(?:niveau|peil|aantal|cijfer)\s+(?:van|in)\s+)?"
    r"(?:(?:heel|het\s+jaar|jaar)\s+)?(?:(?:19|20)\d\d\b|(?:vorig|afgelopen)\s+jaar\b)"
)
_DEADLINE_WORD = re.compile(
    r"\b(eind|einde|ultimo|uiterlijk|voor|tegen|per|in|op|na|vanaf)\s+(?:het\s+)?(?:jaar\s+)?$"
)
_DEADLINE_RELATIVE = re.compile(
    rf"\b(?:(?:eind|einde|uiterlijk|voor)\s+)?(?:{MONTH_RE}\s+)?(?:(?:binnen|over|na)\s+(?:de\s+)?"
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
AREA_WORDS = set(
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
GENERIC = {
    stem(w)
    for w in str.split(
        "meldingen melding aangiften aangifte incidenten incident registraties registratie "
        "score cijfer percentage aandeel delicten delict feiten misdrijven zaken gevallen "
        "overlast klachten klacht"
    )
}


@dataclass(frozen=True)
class GoalReading:
    """What the goal reader found in a goal text: the goals and the deadline of the whole."""

    goals: tuple[Goal, ...]
    deadline: str | None

    @property
    def measurable(self) -> bool:
        """A goal with a number that progress can be measured against (SMART's M)."""
        return bool(self.goals)


def read_goal(goal_text: str, lexicon: Lexicon, today: date | None = None) -> GoalReading:
    """The one reading of a goal text, for the SMART check and for monitoring alike."""
    today = today or date.today()
    goals = parse_goals(goal_text, lexicon, today)
    return GoalReading(tuple(goals), _deadline(normalise(goal_text or ""), today))


def parse_goals(goal_text: str, lexicon: Lexicon, today: date | None = None) -> list[Goal]:
    """The measurable goals in a plan's goal text, one per sentence or part.

    ``today`` gives a period without a year its year (default: the real today).
    """
    today = today or date.today()
    goals: list[Goal] = []
    previous_words: list[str] = []
    carried_baseline: float | None = None
    all_deadline = _deadline(normalise(goal_text or ""), today)
    for part in _split_parts(goal_text or ""):
        chunks = _split_chunks(part, lexicon, today)
        for chunk in chunks:
            goal = _parse_goal(chunk, lexicon, today)
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
                goal.deadline = _deadline(normalise(part), today) or all_deadline
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


def _split_chunks(part: str, lexicon: Lexicon, today: date) -> list[str]:
    """'inbraken -20% en het veiligheidsgevoel naar 7': two goals in one sentence."""
    chunks = [
        c for c in re.split(r",?\s+(?:en|terwijl|daarnaast)\s+|,\s+(?=het\s|de\s)", part) if c
    ]
    if len(chunks) < 2:
        return [part]
    parsed = [_parse_goal(c, lexicon, today) for c in chunks]
    own = all(
        g.indicator_words and (g.target is not None or g.relative is not None) for g in parsed
    )
    return chunks if own else [part]


def _parse_goal(text: str, lexicon: Lexicon, today: date) -> Goal:
    t = normalise(text)
    t = _REFERENCE_YEAR.sub(lambda m: " " * len(m.group()), t)
    deadline = _deadline(t, today)
    periods = find_periods(t, today)
    masked = mask(t, [(p.start, p.end) for p in periods])
    baseline = target = relative = change = None
    taken: list[tuple[int, int]] = []

    if m := _FROM_TO.search(masked):
        baseline, target = to_float(m.group(1)), to_float(m.group(3))
        taken.append(m.span())
    free = mask(masked, taken)
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
                target = to_float(m.group(2))
        elif relative is None:
            relative = to_float(m.group(2)) / 100
        taken.append(m.span())
    free = mask(masked, taken)
    if target is None and (m := _TO.search(free) or _QUALIFIED.search(free)):
        target = to_float(m.group(1))
        taken.append(m.span())
    if target is None and relative is None and (m := _SHARE_TARGET.search(free)):
        target = round(_SHARES[re.sub(r"\s+", " ", m.group(1))], 2)
        taken.append(m.span())
    zero = target is None and relative is None and _ZERO.search(free) is not None
    if zero:
        target = 0.0
    free = mask(masked, taken)
    if target is None and relative is None and (m := _CHANGE.search(free)):
        amount = to_float(m.group(1) or m.group(2))
        down = bool(_DOWN_STRONG.search(m.group())) or m.group(3) == "minder"
        change = -amount if down else amount
        taken.append(m.span())
    if baseline is None:
        baseline = _baseline(t, taken, target is not None or relative is not None or change)
    goal = Goal(
        text=text.strip(),
        indicator_words=_goal_words(text, lexicon),
        direction="down" if zero else _direction_from_words(t),
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
        if is_year(m.group(1)) or any(s <= m.start(1) < e for s, e in taken):
            continue
        year = re.match(r"in\s+((?:19|20)\d\d)", m.group())
        if year and has_goal and int(year.group(1)) >= max(years):
            continue  # "in 2027 maximaal 40": the goal year, not a starting point
        return to_float(m.group(1))
    return None


def _deadline(t: str, today: date) -> str | None:
    t = _REFERENCE_YEAR.sub(lambda m: " " * len(m.group()), t)
    candidates = [p for p in find_periods(t, today) if p.has_year]
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
    t = normalise(text)
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
            or word in AREA_WORDS
            or word in area
            or word in proper
            or word in MONTH_NUMBERS
            or word in WORD_NUMBERS
            or len(word) < 3
        ):
            continue
        if _DOWN_STRONG.fullmatch(word) or _UP_STRONG.fullmatch(word):
            continue
        stems.append(stem(word.replace("-", "")))
    keys = [m.key for m in matches if m.group == "problems"]
    return list(dict.fromkeys([*stems, *keys]))
