"""validate_planner_form: one validate loop for every planner step (knowledge/steps.py).

Each answer is read as text and refused when it holds personal data (the plan is shared);
then the step's own check runs, if it has one: step 1 and 2 recognise problems, step 3 the
methods already in use, step 4 runs the SMART check (after MAX_GOAL_TRIES imperfect goals the
goal is accepted with a note in the plan, so nobody gets stuck), step 5 takes the method choice.

Inside the planner an answer is an answer: every step's slot takes the text of every intent
except commands (bot/domain/planner.yml). Only a clear question interrupts ("wat is KVO?",
"help", knowledge.understanding.planner_interruption): it is answered and the step is asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import catalogue, entity_values, lexicon, refuse_text, send
from knowledge.answers import Reply, comparison, explanation, method_list, partners
from knowledge.planning import MAX_GOAL_TRIES, PlanState, check_smart, recognise, smart_feedback
from knowledge.privacy import find_personal_data, personal_data_warning
from knowledge.steps import SLOTS
from knowledge.understanding import planner_interruption

# Clear questions inside the planner that a domain response answers.
_RESPONSES = {
    "help": "utter_help",
    "out_of_scope": "utter_out_of_scope",
    "bot_challenge": "utter_about",
}
_LIST_GROUPS = ("field", "object", "cooperation", "problems", "roles", "parties")
_SAFETY_GROUPS = ("methods", "problems", "settings", "target_groups", "parties", "field")


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


def _methods_named(text: str, tracker: Tracker) -> list[str]:
    chosen = [v for v in entity_values(tracker, "method") if v in catalogue().methods]
    chosen += recognise(text, lexicon()).get("methods", [])
    return list(dict.fromkeys(chosen))


def answer_question(text: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Answer a clear question asked inside the planner; False when the text is an answer."""
    # The classifier's intent; when it was not sure (nlu_fallback), its best guess.
    intent = tracker.get_intent_of_latest_message() or (
        tracker.latest_message.get("intent") or {}
    ).get("name")
    methods = _methods_named(text, tracker)
    safety_words = any(recognise(text, lexicon()).get(g) for g in _SAFETY_GROUPS)
    asked = planner_interruption(text, intent, methods, safety_words)
    if asked is None:
        return False
    if asked in _RESPONSES:
        dispatcher.utter_message(response=_RESPONSES[asked])
    elif asked == "list_methods":
        found = recognise(text, lexicon())
        facet = next((g for g in _LIST_GROUPS if found.get(g)), None)
        if facet is None:
            dispatcher.utter_message(response="utter_help")
        else:
            send(dispatcher, method_list(catalogue(), facet, found[facet][0]))
    else:
        send(dispatcher, answer_about(methods, asked))
    return True


# A step's check gets the answer text and the plan state (which it may change); it says whether
# the answer is accepted. A refused answer is asked again; a changed state is kept either way.
Check = Callable[[str, PlanState, CollectingDispatcher, Tracker], bool]


def check_problem(
    text: str, state: PlanState, dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
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
    return True


def check_priorities(
    text: str, state: PlanState, dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
    named = recognise(text, lexicon()).get("problems", [])
    if named:
        state.problems = named + [p for p in state.problems if p not in named]
    if len(named) > 2:
        dispatcher.utter_message(
            text="Dat zijn veel prioriteiten. Beperk en versterk: kies er liefst één of twee. "
            "Ik zet de eerste twee bovenaan."
        )
        state.notes.append("Meer dan twee prioriteiten genoemd; de eerste twee staan voorop.")
    return True


def check_current(
    text: str, state: PlanState, dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
    found = recognise(text, lexicon())
    state.current_methods = found.get("methods", [])
    state.current_parties = found.get("parties", [])
    if state.current_methods:
        names = ", ".join(catalogue().get(m).name for m in state.current_methods)
        dispatcher.utter_message(text=f"Goed om te weten: je werkt al met {names}.")
    return True


def check_goal(
    text: str, state: PlanState, dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
    check = check_smart(text, lexicon(), state.problems)
    state.goal_tries += 1
    problem = catalogue().vocabulary.problems[state.problems[0]].label if state.problems else None
    if not check.ok and state.goal_tries < MAX_GOAL_TRIES:
        dispatcher.utter_message(text=smart_feedback(check, catalogue(), problem))
        return False
    state.goal_verdict = check.verdict()
    if check.ok:
        dispatcher.utter_message(text="Sterk doel: specifiek, meetbaar en tijdgebonden.")
    else:
        state.notes.append(f"Doel nog aanscherpen: {check.verdict()}.")
        dispatcher.utter_message(
            text="Ik neem dit doel over en zet in het plan wat nog beter kan. Je kunt het later aanscherpen."
        )
    return True


def check_methods(
    text: str, state: PlanState, dispatcher: CollectingDispatcher, tracker: Tracker
) -> bool:
    chosen = _methods_named(text, tracker)
    state.methods = list(dict.fromkeys(state.methods + chosen))
    if state.methods:
        names = ", ".join(catalogue().get(m).name for m in state.methods)
        dispatcher.utter_message(
            text=f"Gekozen: {names}. Ik neem de stappen, partners en rol van de gemeente op in je "
            "plan. Na de laatste vraag kies je uit die stappen je maatregelen: wie doet wat."
        )
    return True


#: the step-specific checks, by slot; a step without one accepts any answer of its own
CHECKS: dict[str, Check] = {
    "plan_problem": check_problem,
    "plan_priorities": check_priorities,
    "plan_current": check_current,
    "plan_goal": check_goal,
    "plan_methods": check_methods,
}


def validate_step(
    slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any]:
    """The one validate loop: text, personal data, the step's check, and the plan state."""
    text = _answer(tracker, value)
    if not text:
        return {slot: None}
    if answer_question(str(value).strip(), dispatcher, tracker):
        return {slot: None}
    findings = find_personal_data(text)
    if findings:  # answers become the plan that partners see: no personal data about citizens
        refuse_text(dispatcher, text, personal_data_warning(findings))
        return {slot: None}
    state = _state(tracker)
    before = state.to_dict()
    check = CHECKS.get(slot)
    accepted = check(text, state, dispatcher, tracker) if check else True
    events: dict[str, Any] = {slot: text if accepted else None}
    if state.to_dict() != before:
        events["plan_state"] = state.to_dict()
    return events


class ValidatePlannerForm(FormValidationAction):
    """rasa-sdk calls ``validate_<slot>``; for every step's slot that is ``validate_step``."""

    def name(self) -> str:
        return "validate_planner_form"

    def __getattr__(self, name: str) -> Callable[..., Coroutine[Any, Any, dict[str, Any]]]:
        slot = name.removeprefix("validate_")
        if name.startswith("validate_") and slot in SLOTS:
            return partial(self._validate, slot)
        raise AttributeError(name)

    async def _validate(
        self,
        slot: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return validate_step(slot, value, dispatcher, tracker)
