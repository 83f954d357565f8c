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
  in rasa_ext/signal_words.py); new_join_code: a code and a word of renewing it
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
from rasa_ext.signal_words import (
    ASKING,
    CODE_WORD,
    CORROBORATED,
    CORROBORATED_MIN,
    EXISTS,
    MAKING,
    MEASUREMENT_WORDS,
    NEW_CODE,
    PERIOD,
    PLAN_COMPOUND,
    PROGRESS_FROM,
    PROGRESS_QUESTION,
    RENAME_WORDS,
    SEARCH_TOPICS,
    SIGNALS,
    SWITCH_FROM,
    WRITE_APPROACH,
    YES_NO_WITHIN,
)

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
        switching = SIGNALS["switch_plan"].search(text) and not RENAME_WORDS.search(text)
        if intent in SWITCH_FROM and named and switching:
            return "switch_plan"
        progress = intent in PROGRESS_FROM and PROGRESS_QUESTION.search(text)
        if progress and not self.vocabulary.names_a_topic(text, entities):
            return "show_progress"
        better = mq.redirect(intent, text, entities, self.vocabulary)
        return better or social_signals.social_intent(intent, text, entities, self.vocabulary)

    def corroborated(
        self, ranking: List[Dict[str, Any]], text: str, entities: List[Dict[str, Any]]
    ) -> Optional[str]:
        """The plan command (CORROBORATED) the classifier was close to and the text's words ask
        for, when it was not sure; a problem in the text leaves it to the search engine."""
        if not text or text.startswith("/") or self.vocabulary.names_a_topic(text, entities):
            return None
        for item in ranking:
            name, confidence = item.get("name"), item.get("confidence") or 0.0
            close = name in CORROBORATED and confidence >= CORROBORATED_MIN
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
            number = bool(_NUMBER.search(text) and PERIOD.search(text))
            return number or bool(MEASUREMENT_WORDS.search(text))
        if intent in mq.METHOD_QUESTIONS:
            return mq.about_a_method(intent, text, entities, self.vocabulary)
        if intent in ("affirm", "deny"):
            head = " ".join(text.split()[:YES_NO_WITHIN])
            return bool(SIGNALS[intent].search(head)) and not mq.QUESTION_START.match(text)
        if intent == "search_method":
            return any(self.vocabulary.names(group, text, entities) for group in SEARCH_TOPICS)
        if intent == "new_join_code":
            return bool(CODE_WORD.search(text) and NEW_CODE.search(text))
        if intent == "start_plan" and EXISTS.search(text) and not MAKING.search(text):
            return False
        if intent == "start_plan" and not SIGNALS[intent].search(text):
            asked = PLAN_COMPOUND.search(text) or WRITE_APPROACH.search(text)
            return bool(asked and ASKING.search(text))
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
