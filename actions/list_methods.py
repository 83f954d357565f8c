"""action_list_methods: methods by safety field, party, role or problem (tables 3.2-3.7)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, keys_in_message, send
from knowledge.answers import Reply, method_list

# entity, vocabulary group = facet, in order of preference
_FACETS = (
    ("field", "field"),
    ("object", "object"),
    ("cooperation", "cooperation"),
    ("problem", "problems"),
    ("role", "roles"),
    ("party", "parties"),
)


class ActionListMethods(Action):
    def name(self) -> str:
        return "action_list_methods"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        for entity, facet in _FACETS:
            keys = keys_in_message(tracker, entity, facet)
            if keys:
                send(dispatcher, method_list(catalogue(), facet, keys[0]))
                return []
        reply = Reply(
            "Het rapport deelt de 26 methoden in naar veiligheidsveld. Welk veld wil je zien?"
        )
        for key, term in catalogue().vocabulary.field.items():
            reply.add_button(term.label, "list_methods", field=key)
        send(dispatcher, reply)
        return []
