"""validate_planner_form: checks each of the six planner answers and keeps the plan state.

Step 4 runs the SMART check; after MAX_GOAL_TRIES imperfect goals the goal is accepted with a
note in the plan, so nobody gets stuck.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import catalogue, entity_values, lexicon, send
from knowledge.answers import Reply, comparison, explanation, partners
from knowledge.planning import MAX_GOAL_TRIES, PlanState, check_smart, recognise, smart_feedback
from knowledge.privacy import find_personal_data, personal_data_warning

MIN_WORDS = 2
_QUESTION_START = re.compile(
    r"^\s*(wat|hoe|welke|welk|wie|waarom|waar|kun|kan|vertel|leg|uitleg|verschil|vergelijk)\b",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.match(text))


def answer_about(method_ids: list[str], intent: str | None) -> Reply:
    """Answer a question about methods asked while the planner waits for a choice."""
    cat = catalogue()
    if intent == "compare_methods" and len(method_ids) >= 2:
        return comparison(cat, method_ids[0], method_ids[1])
    if method_ids and intent in ("ask_partners", "ask_role"):
        return partners(cat, cat.get(method_ids[0]))
    if method_ids:
        return explanation(cat, cat.get(method_ids[0]))
    return Reply("Welke methode bedoel je? Noem de naam, bijvoorbeeld KVO of Streetwise.")


def _state(tracker: Tracker) -> PlanState:
    return PlanState.from_dict(tracker.get_slot("plan_state"))


def _labels(group: str, keys: list[str]) -> str:
    terms = getattr(catalogue().vocabulary, group)
    return ", ".join(terms[k].label.lower() for k in keys)


def _answer(tracker: Tracker, value: Any) -> str:
    """The slot value as text; for a button payload ('/inform{...}') its method names.

    Rasa also asks to validate slots that an action just cleared (value None): those give "".
    """
    if value is None:
        return ""
    text = str(value).strip()
    if not text.startswith("/"):
        return text
    methods = catalogue().methods
    return ", ".join(methods[v].name for v in entity_values(tracker, "method") if v in methods)


class ValidatePlannerForm(FormValidationAction):
    def name(self) -> str:
        return "validate_planner_form"

    def _personal(self, text: str, dispatcher: CollectingDispatcher) -> bool:
        """Answers become the plan that partners see: no personal data about citizens in it."""
        findings = find_personal_data(text)
        if findings:
            dispatcher.utter_message(text=personal_data_warning(findings))
        return bool(findings)

    def _too_short(self, text: str, dispatcher: CollectingDispatcher) -> bool:
        if len(text.split()) < MIN_WORDS:
            dispatcher.utter_message(
                text="Kun je dat iets uitgebreider zeggen? Een paar woorden is genoeg."
            )
            return True
        return False

    async def validate_plan_problem(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = _answer(tracker, value)
        if text and self._personal(text, dispatcher):
            return {"plan_problem": None}
        if not text or self._too_short(text, dispatcher):
            return {"plan_problem": None}
        state = _state(tracker)
        found = recognise(text, lexicon())
        state.problems = found.get("problems", [])
        state.settings = found.get("settings", [])
        state.target_groups = found.get("target_groups", [])
        bits = []
        if state.problems:
            bits.append(f"probleem: {_labels('problems', state.problems)}")
        if state.settings:
            bits.append(f"plek: {_labels('settings', state.settings)}")
        if state.target_groups:
            bits.append(f"groep: {_labels('target_groups', state.target_groups)}")
        if bits:
            dispatcher.utter_message(text="Ik noteer: " + "; ".join(bits) + ".")
        else:
            dispatcher.utter_message(
                text="Genoteerd. Ik herken er geen vast probleemtype in, dat is niet erg."
            )
        return {"plan_problem": text, "plan_state": state.to_dict()}

    async def validate_plan_priorities(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = _answer(tracker, value)
        if text and self._personal(text, dispatcher):
            return {"plan_priorities": None}
        if not text:
            return {"plan_priorities": None}
        state = _state(tracker)
        named = recognise(text, lexicon()).get("problems", [])
        if named:
            state.problems = named + [p for p in state.problems if p not in named]
        if len(named) > 2:
            dispatcher.utter_message(
                text="Dat zijn veel prioriteiten. Beperk en versterk: kies er liefst één of twee. "
                "Ik zet de eerste twee bovenaan."
            )
            state.notes.append("Meer dan twee prioriteiten genoemd; de eerste twee staan voorop.")
        return {"plan_priorities": text, "plan_state": state.to_dict()}

    async def validate_plan_current(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = _answer(tracker, value)
        if text and self._personal(text, dispatcher):
            return {"plan_current": None}
        if not text:
            return {"plan_current": None}
        state = _state(tracker)
        found = recognise(text, lexicon())
        state.current_methods = found.get("methods", [])
        state.current_parties = found.get("parties", [])
        if state.current_methods:
            names = ", ".join(catalogue().get(m).name for m in state.current_methods)
            dispatcher.utter_message(text=f"Goed om te weten: je werkt al met {names}.")
        return {"plan_current": text, "plan_state": state.to_dict()}

    async def validate_plan_goal(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = _answer(tracker, value)
        if text and self._personal(text, dispatcher):
            return {"plan_goal": None}
        if not text:
            return {"plan_goal": None}
        state = _state(tracker)
        check = check_smart(text, lexicon(), state.problems)
        state.goal_tries += 1
        problem = (
            catalogue().vocabulary.problems[state.problems[0]].label if state.problems else None
        )
        if not check.ok and state.goal_tries < MAX_GOAL_TRIES:
            dispatcher.utter_message(text=smart_feedback(check, catalogue(), problem))
            return {"plan_goal": None, "plan_state": state.to_dict()}
        state.goal_verdict = check.verdict()
        if check.ok:
            dispatcher.utter_message(text="Sterk doel: specifiek, meetbaar en tijdgebonden.")
        else:
            state.notes.append(f"Doel nog aanscherpen: {check.verdict()}.")
            dispatcher.utter_message(
                text="Ik neem dit doel over en zet in het plan wat nog beter kan. Je kunt het later aanscherpen."
            )
        return {"plan_goal": text, "plan_state": state.to_dict()}

    async def validate_plan_methods(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = _answer(tracker, value)
        if not text:
            return {"plan_methods": None}
        state = _state(tracker)
        chosen = [v for v in entity_values(tracker, "method") if v in catalogue().methods]
        chosen += recognise(text, lexicon()).get("methods", [])
        chosen = list(dict.fromkeys(chosen))
        if is_question(text):  # "wat is KVO?" here is a question, not a choice
            send(dispatcher, answer_about(chosen, tracker.get_intent_of_latest_message()))
            return {"plan_methods": None}
        state.methods = list(dict.fromkeys(state.methods + chosen))
        if state.methods:
            names = ", ".join(catalogue().get(m).name for m in state.methods)
            dispatcher.utter_message(
                text=f"Gekozen: {names}. Ik neem de stappen, partners en rol van de gemeente op in je plan."
            )
        return {"plan_methods": text, "plan_state": state.to_dict()}

    async def validate_plan_monitoring(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = _answer(tracker, value)
        if text and self._personal(text, dispatcher):
            return {"plan_monitoring": None}
        if not text or self._too_short(text, dispatcher):
            return {"plan_monitoring": None}
        return {"plan_monitoring": text}
