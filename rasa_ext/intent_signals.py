"""NLU component: intents that need a signal in the text get it, or give the text up.

Runs after DIET, the EntitySynonymMapper and the FallbackClassifier (config.yml).

Promotes, because a classifier cannot learn them:
- a join code ("doe mee: K7QM-4MXZ", or just the code) -> join_plan. Codes are random, so
  DIET sees nothing to learn in them; the code pattern is the one of knowledge/sharing/codes.py.
- "stap 1:" ... "stap 6:" followed by text -> add_contribution (the syntax the assistant offers;
  the step numbers come from knowledge/data/planner.yml, the one definition of the steps).

Redirects a question about methods by the words it is made of (``redirect``), when the
classifier chose a neighbouring intent or was not sure:
- two catalogue methods and a comparison word ("wanneer kies je X en wanneer Y") -> compare_methods
- a catalogue method and a partner word ("welke organisaties zitten in X") -> ask_partners
- a list word ("lijstje", "overzicht", "wat hebben jullie voor") without a problem -> list_methods
- stop_plan with a farewell ("ik ga stoppen voor vandaag, tot later") -> goodbye
- a short greeting, thanks or farewell that names no method or problem ("hoi, ik ben
  beleidsmedewerker") -> greet, thank, goodbye (rasa_ext/social_signals.py)
- not sure, but close (>= 0.25) to a plan command whose words the text has ("wie mag er
  meelezen in mijn plan") -> that command
- a question about progress without a problem ("liggen we op koers?") -> show_progress
- going on with or showing a plan named by its name ("ga verder met Kanaleneiland") -> switch_plan

Demotes to nlu_fallback, so that the message goes to understanding (action_understand, which
asks the search engine): an intent that acts on a shared plan, on methods or on the
conversation, when the text carries nothing of what that intent acts on. A problem description
such as "ondernemers klagen over inbraken" is then not answered with "je doet nog niet mee aan
een gezamenlijk plan". A demoted intent also leaves the ranking: it is no candidate any more.
- compare_methods: two catalogue methods (entities or the method lookup table)
- record_measurement: a number with a period or a separator ("Q1 2027: 42"), or a word like
  meting or cijfers
- explain_method, ask_partners, ask_role: a catalogue method or a reference to the one talked
  about, and no problem without a method; explain_method also a question or explanation word,
  or nothing but the method's name ("vios?")
- join_plan, add_contribution, leave_plan, remove_participant, close_plan, show_progress,
  start_plan, list_methods, start_over, share_plan, show_plan, go_back, switch_plan,
  export_plan, ask_contributions, continue_plan: the words these requests are made of (SIGNALS
  below); new_join_code: a code and a word of renewing it
- search_method: something of the catalogue to search for (SEARCH_TOPICS)
- affirm, deny: a yes or no word among the first words, and no question ("wat kun je niet")
Every training example of these intents has its signal, which tests/test_rasa_ext.py and
tests/test_intent_signals.py check.

This module runs in the Rasa environment, which cannot import the knowledge package: codes.py
is loaded from its file, the catalogue's names from nlu/generated (made from the catalogue).
"""

import importlib.util
import re
from pathlib import Path

# Rasa validates component signatures with these typing names.
from typing import Any, Dict, List, Optional, Set, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_ext import method_questions as mq
from rasa_ext import social_signals

ROOT = Path(__file__).resolve().parents[1]
_CODES_FILE = ROOT / "knowledge" / "sharing" / "codes.py"
_GENERATED = ROOT / "nlu" / "generated"
_PLANNER_FILE = ROOT / "knowledge" / "data" / "planner.yml"
FALLBACK = mq.FALLBACK


def _step_prefix() -> "re.Pattern[str]":
    """'stap N:' plus text, for the step numbers of the planner's data file (knowledge/steps.py)."""
    with _PLANNER_FILE.open(encoding="utf-8") as handle:
        numbers = [str(step["number"]) for step in yaml.safe_load(handle)["steps"]]
    number = "(?:" + "|".join(sorted(numbers, key=len, reverse=True)) + ")"
    # "onze input bij stap 6: ...", "reactie op stap 4: ...": a word for a contribution first.
    said = (
        r"(?:(?:mijn|onze|ons|een|de)\s+)?(?:aanvulling|toevoeging|opmerking|reactie|input|"
        r"bijdrage|notitie|commentaar|feedback|idee|inbreng)\w*\s+(?:bij|voor|op|aan)\s+"
    )
    return re.compile(rf"^\s*(toevoegen aan |bij |{said})?stap\s*{number}\s*[:\-–]\s*\S+\s+\S+")


_STEP_PREFIX = _step_prefix()
_NUMBER = re.compile(r"\d")

# The words each plan command is made of (Dutch stems, matched at a word start).
SIGNALS: Dict[str, "re.Pattern[str]"] = {
    name: re.compile(r"\b(" + "|".join(words) + r")", re.IGNORECASE)
    for name, words in {
        "join_plan": [
            "mee ?doen",
            "meeschrijv",
            "deeln",
            "deelname",
            "aansluit",
            "aanhak",
            "code",
            "deelcode",
            "uitnodig",
            "uitgenodigd",
            "join",
            "toegang",
            "koppel",
            "inlog",
            "erbij in",
        ],
        "add_contribution": [
            "stap",
            "toevoeg",
            "voeg",
            "aanvul",
            "bijdrage",
            "voorstel",
            "opmerking",
            "reactie",
            "reageren",
            "feedback",
            "input",
            "inbreng",
            "notitie",
            "commentaar",
            "idee",
            "erbij",
            "neem .*op",
            "opnemen",
            "in het plan",
            "plan aanvull",
            "in staat",
            "hoort bij",
            "monitoring",
            "resultaat",
            "punt",
            "kwijt",
            "zet (bij|in) ",
        ],
        "leave_plan": [
            "mee ?doen",
            "uit (het|dit|mijn|ons)? ?(gedeelde )?plan",
            "uitschrijv",
            "schrijf me uit",
            "verlaat",
            "verlaten",
            "afmeld",
            "meld (me|mij) af",
            "trek",
            "stap(pen)? uit",
            "uitstap",
            "haak",
            "eruit",
            "deelname",
            "deelnemer",
            "leave",
            "weg uit",
            "afhalen",
            "opzeggen",
            "betrokken",
            "in dit plan",
            "niet meer mee",
        ],
        "remove_participant": [
            "verwijder",
            "haal",
            "eruit",
            "uit (het|dit|mijn|ons) plan",
            "intrek",
            "trek",
            "schrap",
            "kick",
            "blokkeer",
            "ontkoppel",
            "remove",
            "beëindig",
            "weghal",
            "mag niet meer",
            "hoeft niet",
            "hoeven niet",
            "gooi",
            "deelnemer",
            "partner",
            "zet .*uit",
        ],
        "close_plan": [
            "sluit",
            "afsluit",
            "sluiten",
            "slot",
            "dicht",
            "archiveer",
            "archiveren",
            "vergrendel",
            "close",
            "beëindig",
            "alleen-lezen",
            "gesloten",
            "einde plan",
        ],
    }.items()
}
# Yes and no: one of their words among the first words, and no question. "..." or a typo is no
# answer to anything, "melders van jeugdoverlast voelen zich niet gehoord" or "wat kun je niet"
# is no yes or no.
SIGNALS["affirm"] = SIGNALS["deny"] = re.compile(
    r"\b(ja|jazeker|jep|jup|yes|klopt|prima|doe maar|goed|graag|ok|oké|okee|akkoord|precies|"
    r"zeker|uiteraard|correct|juist|eens|wel|nee|neen|neuh|nope|nah|niet|liever|hoeft|geen|"
    r"incorrect|fout|verkeerd|nooit)\b",
    re.IGNORECASE,
)
_YES_NO_WITHIN = 4  # words
# Starting the planner: the word plan ("plan van aanpak", "planner"), its steps or paper; a
# compound ("veiligheidsplan") only when the user asks for it ("kun je me helpen een
# veiligheidsplan op te stellen"), not when it tells of someone else's ("de schoolleiding wil
# een schoolveiligheidsplan").
SIGNALS["start_plan"] = re.compile(r"(\bplan(nen)?\b|planner|stappen|op papier)", re.IGNORECASE)
# Only a plan of local safety work: "veiligheidsplan", "actieplan", "wijkplan"; a "rampenplan",
# "bestemmingsplan" or "reisplan" is someone else's subject (the report leaves physical and
# external safety out, section 3.1).
_PLAN_COMPOUND = re.compile(
    r"\w*(veiligheids|actie|aanpak|uitvoerings|werk|wijk|buurt|project|jaar)plan(nen)?\b",
    re.IGNORECASE,
)
# Writing down an approach is starting one: "help me een aanpak uitschrijven voor ...".
_WRITE_APPROACH = re.compile(
    r"\baanpak\b.*\b((uit|op)? ?(te )?schrij[fv]|opstel|op te stel|uit( te )?werk|formuler|"
    r"op papier)",
    re.IGNORECASE,
)
# "is er een plan voor onveilige fietstunnels?" asks what exists (advice), not to make one: a
# question of existence starts the planner only with a word of making or starting.
_EXISTS = re.compile(
    r"^\W*(is er|zijn er|bestaat|bestaan|heb je|hebben jullie|ken je|kent u|welk|welke|"
    r"wat voor)\b",
    re.IGNORECASE,
)
_MAKING = re.compile(
    r"\b(maak|maken|opstel|op te stel|stel|schrij[fv]|begin|beginnen|start|invul|in te vul|vul|"
    r"doorlo|nieuw|help|samen|op papier|wil|willen)",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"\b(ik|we|wij|me|mij|ons|onze|je|jij|jou|jullie|u|samen|help|laten)\b", re.IGNORECASE
)
# A list of methods, and starting the conversation over (which forgets it: never by accident).
SIGNALS["list_methods"] = mq.LIST_WORDS
SIGNALS["start_over"] = re.compile(
    r"(opnieuw|overnieuw|reset|restart|clear|herstart|\bbegin|voren|\bwis|vergeet|"
    r"nieuw gesprek|nieuwe start|op nul|schoon|\bstart)",
    re.IGNORECASE,
)
# Sharing, showing the plan and going back in the planner: the words these requests are made of.
SIGNALS["share_plan"] = re.compile(
    r"(deel|delen|gedeeld|share|uitnodig|nodig\w*\b.*\buit\b|invite|code|toegang|meeschrijv|meekijk|meele|"
    r"meewerk|samenwerk|samen|openstel|openzet|aansluit|mee ?doen|mee in|input|"
    r"in (mijn|ons|dit|het) plan)",
    re.IGNORECASE,
)
SIGNALS["show_plan"] = re.compile(
    r"(plan|pva|concept|samenvatting|antwoord|resultaat|ingevuld|tot nu toe)", re.IGNORECASE
)
SIGNALS["go_back"] = re.compile(
    r"(terug|vorige|undo|aanpas|wijzig|corrig|vergis|verkeerd|fout|verander|anders|verbeter|"
    r"aanvul|opnieuw|eerder)",
    re.IGNORECASE,
)
# Exporting the plan: the plan or the document's words ("hoe deel ik een bestand in teams" is
# no export of ours).
SIGNALS["export_plan"] = re.compile(
    r"(plan|pva|export|download|docx|\bword\b|word-|wordbestand|pdf|document|afdruk|print)",
    re.IGNORECASE,
)
# A new join code: the code and a word of renewing it, or of the plan's code ("welke code heeft
# de bibliotheek voor de wifi" asks for none).
_CODE_WORD = re.compile(r"code", re.IGNORECASE)
_NEW_CODE = re.compile(
    r"(nieuw|ander|vernieuw|verander|wijzig|vervang|reset|opnieuw|verlopen|uitgelekt|ongeldig|"
    r"vers\b|verse|oude|huidige|deelcode|uitnodigingscode|plan)",
    re.IGNORECASE,
)
# The partners' contributions: the words of adding, reacting or news ("wie heeft jou gemaakt"
# asks about the assistant).
SIGNALS["ask_contributions"] = re.compile(
    r"(bijdrag|bijgedragen|toegevoeg|toevoeg|aangevuld|aanvull|ingebracht|ingevuld|reactie|"
    r"gereageerd|nieuw|update|opmerking|veranderd|gewijzigd|wijzig|input|feedback|voorstel|"
    r"geschreven|zeggen|gezegd|anderen|partners|deelnemers)",
    re.IGNORECASE,
)
# Going on with the plan: the words of going on, of where we were, or the plan and its steps
# ("hangjeugd" alone is a problem, not "ga verder").
SIGNALS["continue_plan"] = re.compile(
    r"(verder|verdr|door|hervat|volgende|draad|afmak|afmaken|afrond|terug|waren we|gebleven|"
    r"plan|vraag|vragen|stap|er weer|weer tijd|op naar)",
    re.IGNORECASE,
)
# Advice needs something of the catalogue to search for: a method, problem, setting, target group
# or field ("wat verdient een burgemeester" names only a party). Without one the text goes to
# action_understand, which asks the same search engine: advice when it finds methods, else the
# honest out-of-scope answer instead of "no method found".
SEARCH_TOPICS = ("method", "problem", "setting", "target_group", "field")
# Not sure, but close to a plan command whose words the text has: that command. The classifier's
# threshold (0.45, config.yml) is for a guess without support; the words support this one.
_CORROBORATED = (
    "join_plan",
    "share_plan",
    "leave_plan",
    "close_plan",
    "show_plan",
    "start_plan",
    "add_contribution",
)
_CORROBORATED_MIN = 0.25
# Progress towards the plan's goals; without a topic ("hoe staan we ervoor") never advice.
SIGNALS["show_progress"] = re.compile(
    r"\b(voortgang|koers|doel|schema|staan we|staat het|gaat het|ontwikkel|trend|grafiek|meting|"
    r"dashboard|progress|verbeter|gedaald|gestegen|stijg|daal|bereikt|gehaald|effect|status|"
    r"bijna|resultat|lijn|ten opzichte|werkt|op weg|vooruit)",
    re.IGNORECASE,
)
_PROGRESS_QUESTION = re.compile(
    r"\b(staan we|staat het|voortgang|op koers|op schema|liggen we|zijn we er|op weg)",
    re.IGNORECASE,
)
_PROGRESS_FROM = frozenset({FALLBACK, "search_method"})
# "ga verder met Stationsgebied Oost", "open Kanaleneiland": a plan's name makes going on with or
# opening a plan a switch to that plan (the name is an entity, the plan itself the action's), also
# when the classifier was unsure; naming words ask for a new name instead.
_SWITCH_FROM = frozenset({"continue_plan", "show_plan", FALLBACK})
_RENAME_WORDS = re.compile(r"(naam|noem|heet|heten|titel)", re.IGNORECASE)
# Switching plans: the words of going to, opening or picking a plan. A plan name alone is no
# switch: "uitgaansgeweld" is a problem to advise on, not a plan to open.
SIGNALS["switch_plan"] = re.compile(
    r"\b(verder|verdr|door|open|wissel|switch|schakel|naar|pak|kies|selecteer|ander|terug|"
    r"werk|actief|huidig|plan|project|oppak|doen|hervat|ga|gaan)",
    re.IGNORECASE,
)
# A measurement: a number with a period or a separator ("Q1 2027: 42", "week 12: 5"), or the
# words for one. A number alone is not: "een 30 km zone invoeren", "xx zzz 123".
_MEASUREMENT_WORDS = re.compile(r"(meting|meetresultaat|cijfer|indicator)", re.IGNORECASE)
_PERIOD = re.compile(
    r"\b(q[1-4]|kwartaal|week|wk|maand|jaar|halfjaar|jan|januari|feb|februari|mrt|maart|apr|"
    r"april|mei|jun|juni|jul|juli|aug|augustus|sep|sept|september|okt|oktober|nov|november|"
    r"dec|december|(19|20)\d\d)\b|[:=]\s*\d|\d\s*%",
    re.IGNORECASE,
)


def _load_find_code():
    spec = importlib.util.spec_from_file_location("methodewijzer_codes", _CODES_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_code


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentSignals(GraphComponent):
    """Sets join_plan / add_contribution by their syntax, redirects method questions by their
    words (rasa_ext/method_questions.py) and demotes intents without a signal."""

    def __init__(self) -> None:
        self.find_code = _load_find_code()
        self.vocabulary = mq.Vocabulary(_GENERATED)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentSignals":
        return cls()

    def intent_for(self, text: str) -> Optional[str]:
        """The intent the text's own syntax decides (a join code, 'stap N: ...'), if any."""
        if not text or text.startswith("/"):
            return None
        if self.find_code(text):
            return "join_plan"
        if _STEP_PREFIX.match(text.lower()):
            return "add_contribution"
        return None

    def methods_in(self, text: str, entities: List[Dict[str, Any]]) -> Set[str]:
        return self.vocabulary.methods_in(text, entities)

    def redirect(self, intent: str, text: str, entities: List[Dict[str, Any]]) -> Optional[str]:
        """A neighbouring intent that the text's words ask for (compare, partners, list ...)."""
        if not text or text.startswith("/"):
            return None
        named = any(e.get("entity") == "plan_name" for e in entities)
        switching = SIGNALS["switch_plan"].search(text) and not _RENAME_WORDS.search(text)
        if intent in _SWITCH_FROM and named and switching:
            return "switch_plan"
        progress = intent in _PROGRESS_FROM and _PROGRESS_QUESTION.search(text)
        if progress and not self.vocabulary.names_a_topic(text, entities):
            return "show_progress"
        better = mq.redirect(intent, text, entities, self.vocabulary)
        return better or social_signals.social_intent(intent, text, entities, self.vocabulary)

    def corroborated(
        self, ranking: List[Dict[str, Any]], text: str, entities: List[Dict[str, Any]]
    ) -> Optional[str]:
        """The plan command (_CORROBORATED) the classifier was close to and the text's words ask
        for, when it was not sure; a problem in the text leaves it to the search engine."""
        if not text or text.startswith("/") or self.vocabulary.names_a_topic(text, entities):
            return None
        for item in ranking:
            name, confidence = item.get("name"), item.get("confidence") or 0.0
            close = name in _CORROBORATED and confidence >= _CORROBORATED_MIN
            if close and SIGNALS[name].search(text) and self.has_signal(name, text, entities):
                return name
        return None

    def has_signal(self, intent: str, text: str, entities: List[Dict[str, Any]]) -> bool:
        """Does ``text`` carry what ``intent`` acts on? Intents without a rule always do."""
        if not text or text.startswith("/"):
            return True  # buttons and typed payloads say exactly what they mean
        if self.intent_for(text) == intent:
            return True  # a join code, "stap 3: ..."
        if intent == "compare_methods":
            return len(self.vocabulary.methods_in(text, entities, strict=False)) >= mq.COMPARE_NEEDS
        if intent == "record_measurement":
            number = bool(_NUMBER.search(text) and _PERIOD.search(text))
            return number or bool(_MEASUREMENT_WORDS.search(text))
        if intent in mq.METHOD_QUESTIONS:
            return mq.about_a_method(intent, text, entities, self.vocabulary)
        if intent in ("affirm", "deny"):
            head = " ".join(text.split()[:_YES_NO_WITHIN])
            return bool(SIGNALS[intent].search(head)) and not mq.QUESTION_START.match(text)
        if intent == "search_method":
            return any(self.vocabulary.names(group, text, entities) for group in SEARCH_TOPICS)
        if intent == "new_join_code":
            return bool(_CODE_WORD.search(text) and _NEW_CODE.search(text))
        if intent == "start_plan" and _EXISTS.search(text) and not _MAKING.search(text):
            return False
        if intent == "start_plan" and not SIGNALS[intent].search(text):
            asked = _PLAN_COMPOUND.search(text) or _WRITE_APPROACH.search(text)
            return bool(asked and _ASKING.search(text))
        signal = SIGNALS.get(intent)
        return signal is None or bool(signal.search(text))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = self.intent_for(text)
            if intent is not None:
                self._set(message, intent, 1.0)
                continue
            current = message.get(INTENT) or {}
            name = current.get("name")
            confidence = current.get("confidence") or 0.0
            entities = message.get(ENTITIES) or []
            if name and not self.has_signal(name, text, entities):
                demoted, name = name, FALLBACK  # no candidate any more
                self._set(message, FALLBACK, confidence, drop=demoted)
            if name == FALLBACK:
                ranking = message.get(INTENT_RANKING_KEY) or []
                supported = self.corroborated(ranking, text, entities)
                if supported is not None:
                    name = supported
                    self._set(message, supported, confidence)
            better = self.redirect(name, text, entities) if name else None
            if better is not None:
                self._set(message, better, confidence)
        return messages

    @staticmethod
    def _set(message: Message, intent: str, confidence: float, drop: str = "") -> None:
        """Make ``intent`` the message's intent; ``drop`` (a demoted intent) leaves the ranking."""
        message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
        ranking = [
            r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (intent, drop)
        ]
        message.set(
            INTENT_RANKING_KEY,
            [{"name": intent, "confidence": confidence}, *ranking],
            add_to_output=True,
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
