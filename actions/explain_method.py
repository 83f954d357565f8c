"""action_explain_method: goal, approach, steps, partners and role of one method."""

from __future__ import annotations

from actions.common import MethodAnswerAction, catalogue
from knowledge.answers import Reply, explanation
from knowledge.schema import Method


class ActionExplainMethod(MethodAnswerAction):
    def name(self) -> str:
        return "action_explain_method"

    def answer(self, method: Method) -> Reply:
        return explanation(catalogue(), method)
