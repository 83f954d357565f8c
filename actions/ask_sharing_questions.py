"""action_ask_*: the questions of the profile form and the contribution form.

Party and step come with buttons: the report's parties (table 3.6) and the planner steps a
partner can add to (everyone adds to 1, 3 and 6; on goals and approach partners comment).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue
from knowledge.sharing.view import OTHER_PARTY
from knowledge.steps import partner_choices

STEP_CHOICES = tuple(partner_choices())  # (title, payload), from knowledge/steps.py


class _Ask(Action, ABC):
    """Asks for one slot; abstract, so rasa-sdk registers only the concrete questions."""

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    @abstractmethod
    def question(self) -> tuple[str, list[dict[str, str]]]: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text, buttons = self.question()
        dispatcher.utter_message(text=text, buttons=buttons or None)
        return []


class AskProfileName(_Ask):
    slot = "profile_name"

    def question(self) -> tuple[str, list[dict[str, str]]]:
        return "Wat is je naam? Alleen je voornaam is ook goed.", []


class AskProfileOrganisation(_Ask):
    slot = "profile_organisation"

    def question(self) -> tuple[str, list[dict[str, str]]]:
        return (
            "Voor welke organisatie doe je mee? Bijvoorbeeld 'Politie Midden-Nederland' of "
            "'winkeliersvereniging Centrum'.",
            [],
        )


class AskProfileParty(_Ask):
    slot = "profile_party"

    def question(self) -> tuple[str, list[dict[str, str]]]:
        parties = catalogue().vocabulary.parties.values()
        buttons = [{"title": t.label, "payload": t.label} for t in parties]
        buttons.append({"title": "Anders / weet ik niet", "payload": OTHER_PARTY})
        return "Welke soort partij is je organisatie?", buttons


class AskContributionStep(_Ask):
    slot = "contribution_step"

    def question(self) -> tuple[str, list[dict[str, str]]]:
        buttons = [{"title": title, "payload": payload} for title, payload in STEP_CHOICES]
        return "Bij welke stap van het plan hoort je aanvulling?", buttons


class AskContributionText(_Ask):
    slot = "contribution_text"

    def question(self) -> tuple[str, list[dict[str, str]]]:
        return (
            "Wat wil je toevoegen? Schrijf het in een paar zinnen. Noem geen namen of nummers "
            "van inwoners.",
            [],
        )
