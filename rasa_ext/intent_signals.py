"""NLU component: intents that need a signal in the text get it, or give the text up.

Runs after DIET, the EntitySynonymMapper and the FallbackClassifier (config.yml).

Promotes, because a classifier cannot learn them:
- a join code ("doe mee: K7QM-4MXZ", or just the code) -> join_plan. Codes are random, so
  DIET sees nothing to learn in them; the code pattern is the one of knowledge/sharing/codes.py.
- "stap 1:" ... "stap 6:" followed by text -> add_contribution (the syntax the assistant offers;
  the step numbers come from knowledge/data/planner.yml, the one definition of the steps).

Demotes to nlu_fallback, so that the message goes to understanding (action_understand, which
asks the search engine): an intent that acts on a shared plan or on two methods, when the text
carries nothing of what that intent acts on. A problem description such as "ondernemers
klagen over inbraken" is then not answered with "je doet nog niet mee aan een gezamenlijk plan".
- compare_methods: two catalogue methods (entities or the method lookup table)
- record_measurement: a number, or a word like meting or cijfers
- join_plan, add_contribution, leave_plan, remove_participant, close_plan, start_plan, affirm,
  deny: the words these commands are made of (SIGNALS below); every training example of the intent has
  one, which tests/test_rasa_ext.py checks.

This module runs in the Rasa environment, which cannot import the knowledge package: codes.py
is loaded from its file, the method names from nlu/generated (made from the catalogue).
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

ROOT = Path(__file__).resolve().parents[1]
_CODES_FILE = ROOT / "knowledge" / "sharing" / "codes.py"
_GENERATED = ROOT / "nlu" / "generated"
_PLANNER_FILE = ROOT / "knowledge" / "data" / "planner.yml"
FALLBACK = "nlu_fallback"


def _step_prefix() -> "re.Pattern[str]":
    """'stap N:' plus text, for the step numbers of the planner's data file (knowledge/steps.py)."""
    with _PLANNER_FILE.open(encoding="utf-8") as handle:
        numbers = [str(step["number"]) for step in yaml.safe_load(handle)["steps"]]
    number = "(?:" + "|".join(sorted(numbers, key=len, reverse=True)) + ")"
    return re.compile(
        rf"^\s*(toevoegen aan |aanvulling bij |bij )?stap\s*{number}\s*[:\-–]\s*\S+\s+\S+"
    )


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
# Yes and no: one of their words ("..." or a typo is no answer to anything).
SIGNALS["affirm"] = SIGNALS["deny"] = re.compile(
    r"\b(ja|jazeker|jep|jup|yes|klopt|prima|doe maar|goed|graag|ok|oké|okee|akkoord|precies|"
    r"zeker|uiteraard|correct|juist|eens|wel|nee|neen|neuh|nope|nah|niet|liever|hoeft|geen|"
    r"incorrect|fout|verkeerd|nooit)\b",
    re.IGNORECASE,
)
# Starting the planner: "plan" anywhere ("veiligheidsplan", "planner"), its steps or paper.
SIGNALS["start_plan"] = re.compile(r"(plan|stappen|op papier)", re.IGNORECASE)
_MEASUREMENT_WORDS = re.compile(r"(meting|meetresultaat|cijfer)", re.IGNORECASE)
_COMPARE_NEEDS = 2


def _load_find_code():
    spec = importlib.util.spec_from_file_location("methodewijzer_codes", _CODES_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_code


def _method_names(generated: Path = _GENERATED):
    """A pattern over all method names of the lookup table, and name -> method id."""
    names: List[str] = []
    lookups = yaml.safe_load((generated / "lookups.yml").read_text(encoding="utf-8"))
    for item in lookups.get("nlu") or []:
        if item.get("lookup") == "method":
            names = [line[2:].strip() for line in item["examples"].splitlines() if line.strip()]
    to_id: Dict[str, str] = {}
    synonyms = yaml.safe_load((generated / "synonyms.yml").read_text(encoding="utf-8"))
    for item in synonyms.get("nlu") or []:
        for line in (item.get("examples") or "").splitlines():
            if line.strip():
                to_id[line[2:].strip().lower()] = item["synonym"]
    ordered = sorted({n.lower() for n in names if n}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.I)
    return pattern, to_id


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentSignals(GraphComponent):
    """Sets join_plan / add_contribution by their syntax; demotes intents without a signal."""

    def __init__(self) -> None:
        self.find_code = _load_find_code()
        self.method_pattern, self.method_id = _method_names()

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
        found = {str(e.get("value")).lower() for e in entities if e.get("entity") == "method"}
        for hit in self.method_pattern.finditer(text):
            name = hit.group(0).lower()
            found.add(self.method_id.get(name, name))
        return {self.method_id.get(v, v) for v in found}

    def has_signal(self, intent: str, text: str, entities: List[Dict[str, Any]]) -> bool:
        """Does ``text`` carry what ``intent`` acts on? Intents without a rule always do."""
        if not text or text.startswith("/"):
            return True  # buttons and typed payloads say exactly what they mean
        if self.intent_for(text) == intent:
            return True  # a join code, "stap 3: ..."
        if intent == "compare_methods":
            return len(self.methods_in(text, entities)) >= _COMPARE_NEEDS
        if intent == "record_measurement":
            return bool(_NUMBER.search(text) or _MEASUREMENT_WORDS.search(text))
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
            if name and not self.has_signal(name, text, message.get(ENTITIES) or []):
                self._set(message, FALLBACK, current.get("confidence") or 0.0)
        return messages

    @staticmethod
    def _set(message: Message, intent: str, confidence: float) -> None:
        message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        message.set(
            INTENT_RANKING_KEY,
            [{"name": intent, "confidence": confidence}, *ranking],
            add_to_output=True,
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
