"""Spot personal data of residents in free text before it goes into a plan.

Officials sometimes paste a case into the chat: "verdachte Kevin de J. (17), Kerkstraat 12,
06-12345678". The plan is shared, so such details must not be saved. This module only
recognises them; the caller decides what to do (warn, and not store the message).

Numbers are checked with maintained libraries: python-stdnum (BSN eleven-test, IBAN, Dutch
postcode) and phonenumbers (Dutch phone numbers, region NL). This module finds the candidates in
free text and decides what counts; the libraries decide what is a valid number.

Checked: BSN, phone numbers, e-mail addresses, IBAN, addresses (postcode + house number or
street + house number) and names of persons after a cue word ("verdachte", "mevrouw",
"genaamd"), with an age in brackets ("Kevin (17)") or with an initial ("Mohammed B.").
Names of organisations, methods and places without such a cue are not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberType
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from knowledge.nl.dates import DAY_NAMES, MONTH_NAMES

LABELS = {
    "bsn": "een BSN",
    "telefoon": "een telefoonnummer",
    "email": "een e-mailadres",
    "iban": "een IBAN",
    "postcode_huisnummer": "een adres",
    "naam": "een naam van een persoon",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # one of LABELS
    label: str  # Dutch, e.g. "een telefoonnummer"


# --- numbers -------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# NL IBAN is recognised by its shape (a mistyped one is still someone's account); other
# countries need a valid IBAN (python-stdnum checks country format and mod-97).
_IBAN_NL = re.compile(r"\bNL\s?\d{2}\s?[A-Z]{4}\s?(?:\d\s?){9}\d\b", re.IGNORECASE)
_IBAN_ANY = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b")
# Phone numbers of people: service numbers (0800, 0900, 14 0xx, 088 company lines) are public.
_PERSONAL_PHONE_TYPES = {
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
}
_BSN_PLAIN = re.compile(r"(?<![\d.,-])(\d{3})[. ]?(\d{3})[. ]?(\d{3})(?![\d]|[.,-]\d)")
_BSN_CUE = re.compile(
    r"\b(?:bsn|burgerservicenummer|burger\s?service\s?nummer|sofi-?nummer)\b"
    r"[^\d\n]{0,25}?(\d(?:[. ]?\d){6,8})(?!\d)",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(r"\s*(?:euro|eur\b|,-|mln|miljoen)", re.IGNORECASE)

# --- addresses -----------------------------------------------------------------------------

_HOUSE_NUMBER = (
    r"(?!(?:19|20)\d\d\b)\d{1,5}"
    r"(?:[a-zA-Z]{1,2}\b|\s?[-/]\s?(?:[A-Za-z0-9]{1,3}|[IVX]{1,3})\b|\s(?:hs|bis|[A-Z])\b)?"
)
_POSTCODE_HOUSE = re.compile(
    rf"\b(?P<pc>[1-9]\d{{3}}(?:\s?[A-Z]{{2}}|[a-z]{{2}}))\b\s*,?\s*(?:nr\.?\s*)?{_HOUSE_NUMBER}"
    rf"|\b{_HOUSE_NUMBER}\s*,\s*(?P<pc2>[1-9]\d{{3}}\s?[A-Z]{{2}})\b"
)
_STREET_SUFFIX = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|hof|pad|markt|ring|"
    r"park|plantsoen|erf|wal|burgwal|haven|baan|veld|singel|allee|boulevard|hage|akker|"
    r"berg|dam|donk|wetering|vaart|zoom|oord|kwartier|promenade|passage|poort"
)
_STREET_HOUSE = re.compile(
    rf"\b[A-ZÀ-Þ][a-zà-ÿ'-]*(?:{_STREET_SUFFIX})\s+{_HOUSE_NUMBER}(?!\s*[%,.]?\d)"
    r"(?P<after>\s+[a-zà-ÿ]+)?"
)
# After "Kerkstraat 12" a lowercase word usually means a count ("12 inbraken"), except these.
_ADDRESS_FOLLOWERS = {
    "en",
    "of",
    "te",
    "in",
    "is",
    "was",
    "woont",
    "wonen",
    "woonde",
    "heeft",
    "hebben",
    "die",
    "dat",
    "waar",
    "met",
    "bij",
    "naast",
    "tegenover",
    "boven",
    "beneden",
    "hoog",
    "huis",
    "zwart",
    "rood",
}

# --- names ---------------------------------------------------------------------------------

_CAP = r"[A-ZÀ-Þ][a-zà-ÿ]+(?:[-'][A-ZÀ-Þa-zà-ÿ][a-zà-ÿ]+)*"
_TV = (
    r"(?:[Vv]an\s+der|[Vv]an\s+den|[Vv]an\s+de|[Vv]an\s+'t|[Vv]an\s+het|[Ii]n\s+'t|"
    r"[Ii]n\s+de|[Oo]p\s+de|[Uu]it\s+de|[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Tt]e|'t|"
    r"[Ee]l|[Aa]l|[Ll]e|[Ll]a|[Dd]a|[Dd]i|[Dd]os|[Dd]u|[Bb]en|[Bb]in|[Oo]p\s+'t)"
)
_INITIALS = r"(?:[A-Z]\.\s?){1,4}"
_SURNAME = rf"(?:{_TV}\s+)?{_CAP}"
_NAME_AT = re.compile(
    rf"(?P<initials>{_INITIALS}\s*)?(?P<first>{_CAP})"
    rf"(?P<more>(?:\s+{_CAP})?(?:\s+{_SURNAME}|\s+(?:{_TV}\s+)?[A-Z]\.(?![A-Za-z])))?"
    rf"|(?P<only_initials>{_INITIALS})\s*(?P<surname>{_SURNAME})"
)
_AGE = re.compile(
    r"\s*\(\s*(?:[mvMVjJ]\w{0,5}\s*[,/]\s*)?(?:[1-9]\d?)(?:\s*(?:jr\.?|jaar))?"
    r"(?:\s*[,/]\s*[mvMV]\w{0,5})?\s*\)"
)
_AGE_NAME = re.compile(
    rf"(?<![\w.])(?P<name>{_CAP}(?:\s+{_CAP})?(?:\s+{_SURNAME})?)(?={_AGE.pattern})"
)
_LIST_GLUE = re.compile(r"\s*(?:[,;/&]|\ben\b|\bof\b)\s*", re.IGNORECASE)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|uit|op|bij|rond|rondom|nabij|naar|te|richting|per|wijk|buurt|dorp|kern|"
    r"wijken|buurten|kernen|gebied|locatie|locaties)\s+$",
    re.IGNORECASE,
)
_INITIAL_NAME = re.compile(
    rf"(?<![\w.])(?P<first>{_CAP})\s+(?:{_TV}\s+)?[A-Z]\.(?![A-Za-z])(?!\s?[A-Z]\.)"
)
# Cue words; a title is followed by a surname alone, a role needs no full name either.
_TITLE_CUES = (
    r"meneer|mijnheer|mevrouw|mevr\.?|mw\.?|dhr\.?|de\s+heer|juffrouw|juf|"
    r"meester|mr\.|dr\.|ir\.|drs\.|ing\."
)
_ROLE_CUES = (
    r"verdachte|verdachten|dader|daders|pleger|plegers|medepleger|overlastgever|veelpleger|"
    r"jongere|bewoner|bewoonster|huurder|buurman|buurvrouw|melder|aangever|aangeefster|"
    r"slachtoffer|getuige|cli[eë]nt|inwoner|inwoonster|jongen|meisje|leerling|minderjarige|"
    r"zoon|dochter|vader|moeder|broer|zus|zusje|broertje|neef|nicht|oom|tante|"
    r"eigenaar|eigenaresse|uitbater|betrokkene|"
    r"kopstuk|groepsleider|dealer|drugsdealer|crimineel|overvaller|inbreker|"
    r"winkeldief|zakkenroller|hangjongere"
)
_NAMING_CUES = (
    r"naam\s+(?:van\s+)?[^.,;:\n]{0,40}?\s(?:is|was|luidt)|genaamd|geheten|heet|bijnaam|"
    r"roepnaam|alias|naam"
)
_CUE = re.compile(
    rf"(?<![\w-])(?i:(?P<title>{_TITLE_CUES})|(?P<role>{_ROLE_CUES})|(?P<naming>{_NAMING_CUES}))"
    r"(?![\w-])(?:\s*[:,]\s*|\s+(?:(?i:is|was|heet|genaamd|namelijk))\s+|\s*)"
)
# Words before "heet" / "naam" that show a thing is named, not a person.
_THING = re.compile(
    r"\b(project|methode|aanpak|plan|programma|werkgroep|overleg|app|appgroep|groep|team|"
    r"organisatie|stichting|vereniging|wijk|buurt|straat|school|campagne|training|cursus|"
    r"website|site|platform|pilot|netwerk|buurtpreventie|whatsapp\w*|bijeenkomst|avond|"
    r"evenement|actie|regeling|maatregel|convenant|keurmerk|product|tool|pand|winkel|zaak|"
    r"bedrijf|club|locatie|plek|park|plein|centrum|gebouw|les|lespakket|module|spel|"
    r"document|bestand|rapport|monitor|onderzoek|hond|kat|collega|wethouder|burgemeester|"
    r"wijkagent|agent|jongerenwerker|boa|co[oö]rdinator|contactpersoon|projectleider|adviseur|"
    r"medewerker|ambtenaar|teamleider|manager|directeur|voorzitter|trainer|docent)\w*"
    r"(?:\W+\w+){0,4}\W*$",
    re.IGNORECASE,
)
_SELF = re.compile(r"\b(?:ik|mijn)\s+(?:\w+\s+)?$", re.IGNORECASE)

# Capitalised words that are not names of persons (folded to lower case).
_NOT_NAMES = {
    # function words that may start a sentence
    "de", "het", "een", "die", "dat", "deze", "dit", "er", "hij", "zij", "ze", "wij", "we",
    "ik", "u", "jij", "je", "zijn", "is", "was", "en", "of", "maar", "want", "ook", "nog",
    "niet", "geen", "in", "op", "bij", "met", "voor", "naar", "van", "uit", "om", "aan",
    "als", "dan", "toen", "daarna", "dus", "wel", "hier", "daar", "waar", "wie", "wat",
    "onbekend", "onbekende", "niemand", "iedereen", "allebei", "beide", "samen", "nu",
    "zie", "bijlage", "let", "graag", "dank", "groet", "groeten", "hallo", "hoi",
    "ja", "nee", "oke", "ok", "welke", "hoe", "wanneer", "waarom", "per", "totaal",
    # months and days (the names come from knowledge/nl/dates.py)
    *MONTH_NAMES, *DAY_NAMES, "kerst", "pasen", "oudjaar", "nieuwjaar",
    # organisations, roles and methods
    "politie", "gemeente", "stichting", "woonstichting", "woningcorporatie", "corporatie",
    "halt", "ggd", "boa", "boas", "wijkagent", "jongerenwerk", "jongerenwerker",
    "buurtteam", "wijkteam", "veiligheidshuis", "zorg", "thuis", "openbaar", "ministerie",
    "reclassering", "raad", "kinderbescherming", "keurmerk", "veilig", "ondernemen",
    "communities", "care", "buurtpreventie", "whatsapp", "burgemeester", "wethouder",
    "college", "team", "project", "programma", "plan", "fase", "groep", "blok", "type",
    "optie", "variant", "scenario", "stap", "niveau", "categorie", "klas", "zone", "vak",
    "route", "model", "versie", "artikel", "hoofdstuk", "paragraaf", "locatie", "gebouw",
    "kamer", "hal", "bijlagen", "punt", "vraag", "antwoord", "doel", "meting", "kwartaal",
    "jaar", "week", "maand", "wijk", "buurt", "centrum", "binnenstad", "noord", "zuid",
    "oost", "west", "station", "school", "winkel", "supermarkt", "markt", "park", "plein",
    "nederland", "nederlands", "nederlandse", "utrecht", "amsterdam", "rotterdam",
    "den", "haag", "politieteam", "basisteam", "meldkamer", "overlast", "inbraak",
    "inbraken", "diefstal", "winkeldiefstal", "jeugd", "jongeren", "bewoners", "mensen",
    "drugs", "vuurwerk", "vandalisme", "graffiti", "toren", "ingang", "uitgang", "trap",
    "portiek", "galerij", "vleugel", "afdeling", "deel", "sectie", "kavel", "bord", "kolom",
    "rij", "tabel", "figuur", "grafiek", "bron", "noot", "subtotaal", "score",
}  # fmt: skip
# Demonyms and place-like endings: "jongere Marokkaanse ...", "bewoner Kanaleneiland".
_NOT_NAME_SUFFIX = re.compile(
    r"(aanse|aans|iaans|iaanse|ische|isch|landse|lands|ese|ees|ers|straat|laan|weg|plein|wijk|"
    r"buurt|dorp|stad|park|kwartier|eiland|veld|dijk|kade|gracht|singel|haven|centrum|"
    r"heid|ing|ingen|tie|ties|sie|sies|stal|stallen|braak|aken|last|schap|teit|isme|isten|loos|"
    r"roof|geweld|werk|dealers|fiti|tuig|kraak)$"
)
_DEMONYM = re.compile(
    r"^(marokka|turk|antilli|surinam|syri|pool|poolse|roeme|bulga|afgha|eritre|somali|"
    r"iraki|irani|koerd|kaapverdi|ghane|nigeri|arub|europe|oost|west|noord|zuid|"
    r"amsterdam|rotterdam|utrecht|hage|brabant|limbur|fries|gronin)"
)

_Span = tuple[int, int, str]


def find_personal_data(text: str) -> list[Finding]:
    """Kinds of personal data in ``text``, each once, in order of first appearance."""
    if not text:
        return []
    text = text[:10_000]
    spans: list[_Span] = []
    masked = text

    def take(start: int, end: int, kind: str) -> None:
        nonlocal masked
        spans.append((start, end, kind))
        masked = masked[:start] + "#" * (end - start) + masked[end:]

    for m in _EMAIL.finditer(masked):
        take(m.start(), m.end(), "email")
    for m in list(_IBAN_NL.finditer(masked)) + list(_IBAN_ANY.finditer(masked)):
        if "#" not in m.group() and (m.re is _IBAN_NL or stdnum_iban.is_valid(m.group())):
            take(m.start(), m.end(), "iban")
    for m in _BSN_CUE.finditer(masked):
        if 8 <= len(_digits(m.group(1))) <= 9:
            take(m.start(1), m.end(1), "bsn")
    for start, end in _phones(masked):
        take(start, end, "telefoon")
    for m in _BSN_PLAIN.finditer(masked):
        if _is_bsn(_digits(m.group())) and not _MONEY_AFTER.match(masked, m.end()):
            before = masked[max(0, m.start() - 2) : m.start()]
            if "€" not in before:
                take(m.start(), m.end(), "bsn")
    for m in _POSTCODE_HOUSE.finditer(masked):
        if stdnum_postcode.is_valid(m.group("pc") or m.group("pc2")):
            take(m.start(), m.end(), "postcode_huisnummer")
    for m in _STREET_HOUSE.finditer(masked):
        after = (m.group("after") or "").strip()
        if not after or after in _ADDRESS_FOLLOWERS:
            take(m.start(), m.end(), "postcode_huisnummer")
    for start, end in _names(masked):
        take(start, end, "naam")

    kinds: list[str] = []
    for _, _, kind in sorted(spans):
        if kind not in kinds:
            kinds.append(kind)
    return [Finding(kind, LABELS[kind]) for kind in kinds]


def personal_data_warning(findings: list[Finding]) -> str:
    """One short Dutch message: what was seen, that it is not saved, how to rephrase."""
    labels = list(dict.fromkeys(f.label for f in findings))
    if not labels:
        return ""
    seen = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]
    return (
        f"Je bericht lijkt {seen} te bevatten. Dat sla ik niet op in het plan. "
        "Schrijf het zonder namen, nummers of adressen van inwoners, "
        "bijvoorbeeld 'een jongere uit de wijk'."
    )


# --- helpers -------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _is_bsn(number: str) -> bool:
    """Nine digits that pass the BSN eleven-test (python-stdnum); all zeros is no BSN."""
    return len(number) == 9 and bool(number.strip("0")) and stdnum_bsn.is_valid(number)


def _phones(text: str) -> list[tuple[int, int]]:
    """Spans of phone numbers of people (phonenumbers, region NL, valid numbers only)."""
    return [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, "NL")
        if phonenumbers.number_type(m.number) in _PERSONAL_PHONE_TYPES
    ]


def _name_word_ok(word: str) -> bool:
    folded = word.lower().strip("'-")
    if folded in _NOT_NAMES or len(folded) < 2:
        return False
    return not (_NOT_NAME_SUFFIX.search(folded) or _DEMONYM.match(folded))


def _all_words_ok(name: str) -> bool:
    caps = re.findall(_CAP, name)
    if not caps:
        return False
    tvs = {"van", "der", "den", "de", "ter", "ten", "te", "het", "in", "op", "uit"}
    return all(_name_word_ok(w) for w in caps if w.lower() not in tvs)


def _aged_names(text: str) -> list[tuple[int, int]]:
    """'Kevin (17)', but not a list of counts per place: 'in Overvecht (12), Zuilen (8)'."""
    runs: list[list[tuple[int, int, str]]] = []
    last_end = -1
    for m in _AGE_NAME.finditer(text):
        age = _AGE.match(text, m.end())
        end = age.end() if age else m.end()
        between = text[last_end : m.start()] if last_end >= 0 else None
        if between is not None and _LIST_GLUE.fullmatch(between):
            runs[-1].append((m.start(), end, m.group("name")))
        else:
            runs.append([(m.start(), end, m.group("name"))])
        last_end = end
    spans: list[tuple[int, int]] = []
    for run in runs:
        if not all(_all_words_ok(name) for _, _, name in run):
            continue
        before = text[max(0, run[0][0] - 20) : run[0][0]]
        if _PLACE_BEFORE.search(before):
            continue
        single_words = all(" " not in name for _, _, name in run)
        if single_words and re.search(r"[:,;]\s*$", before):
            continue
        spans += [(start, end) for start, end, _ in run]
    return spans


def _names(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for cue in _CUE.finditer(text):
        name = _NAME_AT.match(text, cue.end())
        if not name or not _all_words_ok(name.group()):
            continue
        before = text[max(0, cue.start() - 60) : cue.start()]
        naming = cue.group("naming")
        if naming and (_THING.search(before + naming) or _SELF.search(before)):
            continue
        found.append((name.start(), name.end()))
    found += _aged_names(text)
    for m in _INITIAL_NAME.finditer(text):
        if _name_word_ok(m.group("first")):
            found.append((m.start(), m.end()))
    return found
