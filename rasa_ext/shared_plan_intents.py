"""NLU component: two explicit phrasings of shared plans that a classifier cannot learn.

- A message with a join code ("doe mee: K7QM-4MXZ", or just the code) is a request to join.
  Codes are random, so DIET sees nothing to learn in them; here the code itself decides.
- A message that starts with "stap 1:" ... "stap 6:" followed by text is a contribution to that
  step of the shared plan (the syntax the assistant itself suggests). The step numbers come
  from knowledge/data/planner.yml, the one definition of the planner steps.

Runs after the classifier and the FallbackClassifier in config.yml and overrides their intent
only in these two cases. The code pattern is the one of knowledge/sharing/codes.py, loaded from
that file (this module runs in the Rasa environment, which cannot import the knowledge package).
"""

import importlib.util
import re
from pathlib import Path

# Rasa validates component signatures with these typing names.
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_CODES_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "sharing" / "codes.py"
_PLANNER_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "planner.yml"


def _step_prefix() -> "re.Pattern[str]":
    """'stap N:' plus text, for the step numbers of the planner's data file (knowledge/steps.py)."""
    with _PLANNER_FILE.open(encoding="utf-8") as handle:
        numbers = [str(step["number"]) for step in yaml.safe_load(handle)["steps"]]
    number = "(?:" + "|".join(sorted(numbers, key=len, reverse=True)) + ")"
    return re.compile(
        rf"^\s*(toevoegen aan |aanvulling bij |bij )?stap\s*{number}\s*[:\-–]\s*\S+\s+\S+"
    )


_STEP_PREFIX = _step_prefix()


def _load_find_code():
    spec = importlib.util.spec_from_file_location("methodewijzer_codes", _CODES_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_code


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SharedPlanIntents(GraphComponent):
    """Sets join_plan / add_contribution for join codes and 'stap N:' messages."""

    def __init__(self) -> None:
        self.find_code = _load_find_code()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SharedPlanIntents":
        return cls()

    def intent_for(self, text: str) -> Optional[str]:
        if not text or text.startswith("/"):
            return None
        if self.find_code(text):
            return "join_plan"
        if _STEP_PREFIX.match(text.lower()):
            return "add_contribution"
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self.intent_for(message.get(TEXT) or "")
            if intent is None:
                continue
            message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
            message.set(
                INTENT_RANKING_KEY,
                [{"name": intent, "confidence": 1.0}, *ranking],
                add_to_output=True,
            )
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
