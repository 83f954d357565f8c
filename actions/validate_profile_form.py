"""validate_profile_form: name, organisation and party type of someone who joins or shares.

Only name and organisation are kept about a participant; the party type is one of the report's
parties (table 3.6), so the plan can compare who takes part with who the methods need.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import catalogue, lexicon, refuse_text
from knowledge.nl.text import fold
from knowledge.privacy import find_personal_data
from knowledge.sharing.view import OTHER_PARTY

_NOT_A_NAME = re.compile(r"[\d@/\\<>{}?!:;]")


def party_key(text: str) -> str | None:
    """The report's party meant by a button title or typed words ('wijkagent' -> politie)."""
    parties = catalogue().vocabulary.parties
    folded = fold(text or "").strip()
    for key, term in parties.items():
        if folded in (fold(key), fold(term.label)):
            return key
    found = list(dict.fromkeys(m.key for m in lexicon().find(text or "") if m.group == "parties"))
    return found[0] if len(found) == 1 else None


class ValidateProfileForm(FormValidationAction):
    def name(self) -> str:
        return "validate_profile_form"

    async def validate_profile_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = " ".join(str(value or "").split())
        name = re.sub(r"^(ik ben|ik heet|mijn naam is|naam:)\s+", "", name, flags=re.IGNORECASE)
        if not name or name.startswith("/"):
            return {"profile_name": None}
        if len(name) > 60 or _NOT_A_NAME.search(name) or len(name.split()) > 5:
            dispatcher.utter_message(
                text="Dat lijkt geen naam. Typ alleen je naam, bijvoorbeeld 'Sanne'."
            )
            return {"profile_name": None}
        return {"profile_name": name}

    async def validate_profile_organisation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        organisation = " ".join(str(value or "").split())
        if not organisation or organisation.startswith("/"):
            return {"profile_organisation": None}
        if len(organisation) > 100 or find_personal_data(organisation):
            refuse_text(
                dispatcher,
                organisation,
                "Typ alleen de naam van je organisatie, kort en zonder nummers of e-mailadres.",
            )
            return {"profile_organisation": None}
        result: dict[str, Any] = {"profile_organisation": organisation}
        guessed = party_key(organisation)
        if guessed and not tracker.get_slot("profile_party"):
            result["profile_party"] = guessed
        return result

    async def validate_profile_party(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if fold(str(value or "")).strip() in (
            OTHER_PARTY,
            "anders / weet ik niet",
            "weet ik niet",
            "geen",
        ):
            return {"profile_party": OTHER_PARTY}
        key = party_key(str(value or ""))
        if key is None:
            if value:
                dispatcher.utter_message(
                    text="Die soort partij ken ik niet. Kies een van de knoppen."
                )
            return {"profile_party": None}
        return {"profile_party": key}
