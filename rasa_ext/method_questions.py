"""Which request about methods a text makes, by the words it is made of (for IntentSignals).

DIET learns intents from whole sentences; near neighbours (explain, partners, compare, list,
advice) share most of their words, and a short or unusual phrasing lands on the wrong one.
What sets them apart is small and stable: two method names and a comparison word make a
comparison, a method and a partner word a question about partners, a list word without a
problem a list. ``redirect`` applies these, only to intents that are close neighbours.

The catalogue's names come from nlu/generated (made from the catalogue by
``python -m knowledge nlu-data``): this module runs in the Rasa environment, which cannot
import the knowledge package.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from re import Pattern
from typing import Any

import yaml

GENERATED = Path(__file__).resolve().parents[1] / "nlu" / "generated"
FALLBACK = "nlu_fallback"
COMPARE_NEEDS = 2

# Words that make a request what it is (Dutch stems, matched at a word start).
COMPARE_WORDS = re.compile(
    r"\b(verschil|vergelijk|versus|vs\b|tegenover|naast elkaar|of\b|kiezen|kies\b|keuze|beter|"
    r"overeenkom|overlap|lijkt|lijken|hetzelfde|zelfde|onderscheid|verhoud|anders dan|"
    r"wanneer\b.*\bwanneer)",
    re.IGNORECASE,
)
PARTNER_WORDS = re.compile(
    r"\b(partner|partij|organisatie|instantie|samenwerk|betrek|betrokken|aan tafel|aanschuiv|"
    r"meedoe|mee doe|mee te doen|deelnem|met wie|wie\b.*\b(nodig|moet|zit|doe|doet|betrek|"
    r"benader|uitnodig|trekt)|rol\b|rollen|taak|taken|opdrachtgever|facilitator|co[öo]rdinator|"
    r"initiator|regie|eigenaar|verantwoordelijk)",
    re.IGNORECASE,
)
# A question or a request to explain ("vios?", "leg de groepsaanpak eens uit").
EXPLAIN_WORDS = re.compile(
    r"\?|\b(wat|hoe|welke|welk|wie|waarom|waar|wanneer|kun|kan|kunt|zou|vertel|leg|uitleg|"
    r"toelicht|betekent|betekenis|info|informatie|weten|benieuwd|werkwijze|werkt|stappen|"
    r"stap voor stap|fasen|onderdelen|doel|opzet|achtergrond|in het kort|inhoud|houdt|kost|"
    r"duurt|eigenlijk|precies)",
    re.IGNORECASE,
)
# Words around a bare method name that ask nothing by themselves.
FILLER = frozenset(
    {"de", "het", "een", "aub", "graag", "methode", "aanpak", "methodiek", "pls", "svp"}
)
# A request for a list: a plural of "methode" or a word for a list or a count.
LIST_WORDS = re.compile(
    r"\b(methoden|methodes|methodieken|aanpakken|instrumenten|werkwijzen|lijst|overzicht|"
    r"opsom|noem|alle|alles|wat voor|wat hebben jullie|wat heb je)",
    re.IGNORECASE,
)
# ... and one that asks for nothing else: a list is wanted even without a field or party.
LIST_REQUEST = re.compile(
    r"\b(lijst|overzicht|opsom|alle (methode|aanpak|methodiek)|wat hebben jullie|"
    r"wat heb je (voor|allemaal))",
    re.IGNORECASE,
)
# A reference to the method talked about before.
REFERENCE = re.compile(
    r"\b(deze|die|dit|dat|het|hij|ze|zij|methode|aanpak|methodiek|werkwijze|daar\w*|hier\w*|"
    r"ervan|erbij|eraan)\b",
    re.IGNORECASE,
)
REF_WORDS = 5
# Abbreviations of catalogue methods that are everyday Dutch words in lower case.
EVERYDAY_WORDS = frozenset({"ver"})
METHOD_QUESTIONS = frozenset({"explain_method", "ask_partners", "ask_role"})
# The plural of a method word: with a field, party or role it asks for a list ("welke methoden
# voor ondernemers"); a bare "alle" or "wat voor" in a description does not.
METHOD_PLURALS = re.compile(
    r"\b(methoden|methodes|methodieken|aanpakken|instrumenten|werkwijzen)\b", re.IGNORECASE
)
PLAN_WORDS = re.compile(r"(plan|project)", re.IGNORECASE)
FAREWELL = re.compile(
    r"\b(tot (ziens|later|straks|morgen|snel|zo|de volgende)|doei|dag\b|daag|ciao|bye|"
    r"groetjes|fijne (dag|avond|middag|ochtend|weekend)|de mazzel)",
    re.IGNORECASE,
)
# A question: a question mark or a question word anywhere ("met politie en OM aan tafel" is none).
# The question words, one definition for the patterns below and in social_signals.py.
QUESTION_WORDS = r"(wat|hoe|welke|welk|wie|waarom|waar|wanneer)"
ASKS = re.compile(r"\?|\b" + QUESTION_WORDS + r"\b", re.IGNORECASE)
# A list request is short; a longer text with "overzicht" tells of a problem ("er is geen overzicht
# wie er met een cliënt bezig is").
LIST_MAX_WORDS = 12
QUESTION_START = re.compile(r"^\s*" + QUESTION_WORDS + r"\b", re.IGNORECASE)

# The intents each request may be taken from: the classifier's near misses, never a command
# (an intent without its signal is taken as nlu_fallback) and never a planner answer (inform).
COMPARE_FROM = frozenset({FALLBACK, "search_method", "explain_method", "start_plan"})
PARTNERS_FROM = frozenset({FALLBACK, "search_method", "explain_method"})
LIST_FROM = frozenset({FALLBACK, "search_method", "help"})
EXPLAIN_FROM = frozenset({FALLBACK, "search_method"})
# Facets a list of methods can be made by (action_list_methods); a problem asks for advice.
LIST_FACETS = ("field", "party", "role")
ADVICE_TOPICS = ("problem", "target_group")


def _lookups(generated: Path) -> dict[str, list[str]]:
    data = yaml.safe_load((generated / "lookups.yml").read_text(encoding="utf-8"))
    return {
        item["lookup"]: [line[2:].strip() for line in item["examples"].splitlines() if line.strip()]
        for item in data.get("nlu") or []
        if item.get("lookup")
    }


def _pattern(names: Iterable[str]) -> Pattern[str]:
    ordered = sorted({n.lower() for n in names if n}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.I)


class Vocabulary:
    """The catalogue's names from nlu/generated: methods (with ids), problems, parties ..."""

    def __init__(self, generated: Path = GENERATED) -> None:
        lookups = _lookups(generated)
        self.patterns = {group: _pattern(names) for group, names in lookups.items() if names}
        self.method_id: dict[str, str] = {}
        synonyms = yaml.safe_load((generated / "synonyms.yml").read_text(encoding="utf-8"))
        for item in synonyms.get("nlu") or []:
            for line in (item.get("examples") or "").splitlines():
                if line.strip():
                    self.method_id[line[2:].strip().lower()] = item["synonym"]
        # The catalogue's method names and ids: an extracted entity is a method only when it is
        # one of these ("harde", "veiligheidsaanpak" or "SMART" tagged by DIET are not).
        self.known_methods = {
            *self.method_id,
            *self.method_id.values(),
            *(name.lower() for name in lookups.get("method", [])),
        }

    def methods_in(
        self, text: str, entities: list[dict[str, Any]], strict: bool = True
    ) -> set[str]:
        """The methods a text names. ``strict``: an extracted entity only when it is a catalogue
        name; else any extracted method (a comparison has its own words: "beke of streetwise")."""
        found = {
            str(e.get("value")).lower()
            for e in entities
            if e.get("entity") == "method"
            and (not strict or str(e.get("value")).lower() in self.known_methods)
            and not everyday_word(text[e.get("start", 0) : e.get("end", 0)])
        }
        pattern = self.patterns.get("method")
        for hit in pattern.finditer(text) if pattern else ():
            if everyday_word(hit.group(0)):
                continue
            name = hit.group(0).lower()
            found.add(self.method_id.get(name, name))
        return {self.method_id.get(v, v) for v in found}

    def names(self, group: str, text: str, entities: list[dict[str, Any]]) -> bool:
        """Does the text name something of ``group`` (an entity or a lookup-table name)?"""
        if any(e.get("entity") == group for e in entities):
            return True
        pattern = self.patterns.get(group)
        return bool(pattern and pattern.search(text))

    def names_a_topic(self, text: str, entities: list[dict[str, Any]]) -> bool:
        """A problem or target group that is not also a facet of the lists: a safety field
        ("jeugd", "integriteit") or a party ("ondernemers", "bewoners")."""
        facets = [self.patterns[g] for g in ("field", "party") if g in self.patterns]

        def is_facet(value: str) -> bool:
            return any(p.fullmatch(value) for p in facets)

        named = [
            str(e.get("value") or "")
            for e in entities
            if e.get("entity") in ADVICE_TOPICS and not is_facet(str(e.get("value") or ""))
        ]
        rest = text
        for pattern in facets:
            rest = pattern.sub(" ", rest)
        return bool(named) or any(self.names(group, rest, []) for group in ADVICE_TOPICS)

    def without_methods(self, text: str) -> str:
        pattern = self.patterns.get("method")
        return pattern.sub(" ", text) if pattern else text


def everyday_word(name: str) -> bool:
    """A method's abbreviation that is also an everyday Dutch word, written in lower case: "hoe
    ver zijn we" names no Veiligheidseffectrapportage (VER)."""
    return name in EVERYDAY_WORDS


def refers(text: str) -> bool:
    """Refers to the method talked about: "hoe werkt die?", "leg het eens uit". "het" is such a
    reference only in a short question; in a longer text it is the article ("wat is het recept
    voor erwtensoep", "wat kan ik het beste doen")."""
    words = [hit.group(0).lower() for hit in REFERENCE.finditer(text)]
    return any(w != "het" for w in words) or ("het" in words and len(text.split()) <= REF_WORDS)


def only_a_method(text: str, vocabulary: Vocabulary) -> bool:
    """Nothing but a method's name ("KVO", "de groepsaanpak", "vios?")."""
    rest = re.findall(r"[^\W\d_]+", vocabulary.without_methods(text).lower())
    return all(word in FILLER for word in rest)


def explains(text: str, vocabulary: Vocabulary) -> bool:
    """Asks about a method: a question or explanation word, or only the method's name."""
    return bool(EXPLAIN_WORDS.search(text)) or only_a_method(text, vocabulary)


def about_a_method(
    intent: str, text: str, entities: list[dict[str, Any]], vocabulary: Vocabulary
) -> bool:
    """Is a question about a method (explain, partners, role) about one? It names a catalogue
    method, or refers to the one talked about ("wat kost die?", "welke partners heb ik nodig?").
    Without a method, a problem or group ("wie moet ik betrekken bij woninginbraak?") is for the
    search engine, and so is an explanation of something else ("wat is een omgevingsvergunning").
    """
    if vocabulary.methods_in(text, entities):
        return intent != "explain_method" or explains(text, vocabulary)
    if vocabulary.names_a_topic(text, entities):
        return False
    return intent != "explain_method" or refers(text)


def redirect(
    intent: str, text: str, entities: list[dict[str, Any]], vocabulary: Vocabulary
) -> str | None:
    """The request the text's words make, when the classifier chose a neighbour of it."""
    if intent == "stop_plan" and FAREWELL.search(text):
        return "goodbye"  # "ik ga stoppen voor vandaag, tot later"
    methods = vocabulary.methods_in(text, entities)
    if intent in COMPARE_FROM and len(methods) >= COMPARE_NEEDS and COMPARE_WORDS.search(text):
        return "compare_methods"
    one_method = len(methods) == 1
    # Partner words outside the method's own name ("veilig op school" names no partner).
    rest = vocabulary.without_methods(text)
    # A party's name alone asks about partners only in a question ("en de politie, bij KVO?").
    party_question = vocabulary.names("party", rest, []) and EXPLAIN_WORDS.search(text)
    partner = PARTNER_WORDS.search(rest) or party_question
    # A problem told with a method and its partners ("casusoverleg voor verslaafde
    # overlastgevers, met politie en OM aan tafel") asks for advice unless it is a question.
    asks = ASKS.search(text) or not vocabulary.names_a_topic(text, entities)
    if intent in PARTNERS_FROM and one_method and partner and asks:
        return "ask_partners"
    # One method and a question or request about it, no problem: explain it ("uitleg X").
    explain = one_method and explains(text, vocabulary)
    if intent in EXPLAIN_FROM and explain and not vocabulary.names_a_topic(text, entities):
        return "explain_method"
    # "wat is de lokale veiligheidsplanner?": the word plan is only in the method's name.
    plan_outside = PLAN_WORDS.search(vocabulary.without_methods(text))
    if intent == "start_plan" and explain and not plan_outside:
        return "explain_method"
    short = len(text.split()) <= LIST_MAX_WORDS
    if intent in LIST_FROM and short and not methods and not PLAN_WORDS.search(text):
        if vocabulary.names_a_topic(text, entities):
            return None  # a problem or a group: advice (search) answers it
        facet = any(vocabulary.names(group, text, entities) for group in LIST_FACETS)
        plural = METHOD_PLURALS.search(text)  # for help: "welke aanpakken ken je"
        if LIST_REQUEST.search(text) or (plural and (facet or intent == "help")):
            return "list_methods"
    return None
