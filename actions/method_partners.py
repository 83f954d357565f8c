"""action_method_partners: parties (table 3.6) and municipal role (table 3.5) of a method."""

from __future__ import annotations

from actions.common import MethodAnswerAction, catalogue
from knowledge.answers import Reply, partners
from knowledge.schema import Method


class ActionMethodPartners(MethodAnswerAction):
    def name(self) -> str:
        return "action_method_partners"

    def answer(self, method: Method) -> Reply:
        return partners(catalogue(), method)
