"""Plans as projects: a sender's plans by name, switching between them, and renaming.

A sender owns any number of plans and takes part in any number of shared plans; the one used
last is the current plan. Which plans a sender may see or switch to is decided here from the
sender id and the store, never from a button payload or a slot (a payload naming a plan the
sender does not take part in is refused).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rapidfuzz import fuzz

from knowledge.catalogue import Catalogue
from knowledge.nl.text import fold
from knowledge.sharing.access import current, member, writable
from knowledge.sharing.drafts import Draft, draft_of
from knowledge.sharing.naming import plan_day, propose_name, same_name
from knowledge.sharing.projects_store import PlanEntry
from knowledge.sharing.records import Membership, NotOwner, NotParticipant, PlanInfo
from knowledge.sharing.store import SharedPlanStore
from knowledge.steps import SLOTS

NOT_YOURS = (
    "Dat plan ken ik niet, of je doet er niet (meer) aan mee. Zeg 'mijn plannen' om te zien "
    "aan welke plannen je meedoet."
)
ONLY_OWNER_RENAMES = "Alleen de eigenaar kan het plan een andere naam geven."
STATUS_LABELS = {"open": "open", "closed": "gesloten"}
MATCH_SCORE = 80  # rapidfuzz score (0-100) for a name typed with a typo or in part
AMBIGUOUS_MARGIN = 5  # two names this close to the best score: ask which one
_QUOTES = " '\"‘’“”.!?:"
# The words before a plan name in "ga verder met het plan Stationsgebied Oost", "open Zuid".
_SWITCH = re.compile(
    r"^(?:(?:ik wil|ik ga|laten we|kunnen we|kan ik|graag|nu|even|weer|terug)\s+)*"
    r"(?:(?:ga|gaan|verder|door|doorgaan|werken|wissel|wisselen|switch|schakel|open|openen|pak|"
    r"toon|kies|naar|over|terug)\s+)*(?:(?:met|naar|aan|op|in)\s+)?"
    r"(?:(?:het|mijn|ons|de|een)\s+)?(?:(?:plan|project)\s+)?",
    re.IGNORECASE,
)
# "noem dit plan X", "hernoem het plan naar X", "de naam wordt X", "geef het plan de naam X".
_RENAME = re.compile(
    r"(?:\b(?:noem|hernoem|doop)\s+(?:(?:dit|het|mijn|ons)\s+)?(?:plan|project)?\s*"
    r"(?:om\s+)?(?:(?:tot|naar|in)\s+)?"
    r"|\bnaam\s+(?:van\s+(?:dit|het|mijn)\s+plan\s+)?(?:wordt|is|wijzigen\s+in|"
    r"veranderen\s+in|aanpassen\s+naar|in|naar|:)\s*"
    r"|\bgeef\s+(?:(?:dit|het|mijn)\s+)?(?:plan\s+)?de\s+naam\s+"
    r")(?P<name>\S.*)$",
    re.IGNORECASE,
)
# What is no name: "mijn plan", "een ander plan", "plannen".
_NO_NAME = {"", "plan", "plannen", "ander", "andere", "ander plan", "een ander", "vorige", "mijn"}


@dataclass(frozen=True)
class PlanItem:
    """One plan as a sender's list shows it."""

    plan_id: str
    name: str
    is_owner: bool
    status: str
    last_change: datetime
    current: bool

    @property
    def title(self) -> str:
        """The button text: 'Stationsgebied Oost' or 'Winkelcentrum Zuid (partner)'."""
        return self.name if self.is_owner else f"{self.name} (partner)"

    @property
    def line(self) -> str:
        """'Winkelcentrum Zuid (partner): gesloten, laatst gewijzigd op 2 december 2026'."""
        status = STATUS_LABELS.get(self.status, self.status)
        mark = " (nu gekozen)" if self.current else ""
        return f"{self.title}: {status}, laatst gewijzigd op {plan_day(self.last_change)}{mark}"


@dataclass(frozen=True)
class Found:
    """The plans a typed name points at: one (found), several (ambiguous) or none."""

    item: PlanItem | None
    candidates: list[PlanItem]


def plan_line(plan: PlanInfo) -> str:
    """The one line that says which plan a command acts on."""
    return f"Plan: {plan.name}" if plan.name else ""


def switch_target(text: str) -> str:
    """The plan name in 'ga verder met het plan Stationsgebied Oost' ('' when none is named)."""
    name = _SWITCH.sub("", (text or "").strip(_QUOTES), count=1).strip(_QUOTES)
    return "" if fold(name) in _NO_NAME else name


def rename_target(text: str) -> str:
    """The new name in 'noem dit plan Winkelcentrum Zuid' ('' when no new name is given)."""
    found = _RENAME.search(text or "")
    name = found.group("name").strip(_QUOTES) if found else ""
    return "" if fold(name) in _NO_NAME else name


def wanted_name(named: list[str], text: str) -> str:
    """The new name of 'noem dit plan Lombok Samen': the plan_name entity, or the name the
    sentence gives when that holds the entity (the classifier cut 'Lombok' of 'Lombok Samen')."""
    target = rename_target(text)
    if named and not (target and fold(named[0]) in fold(target)):
        return named[0]
    return target


class Projects:
    """A sender's plans: list, find by name, switch, rename, and the proposed name."""

    def __init__(self, store: SharedPlanStore, catalogue: Callable[[], Catalogue]) -> None:
        self.store = store
        self._catalogue = catalogue

    def proposed_name(self, answers: dict[str, Any], created: datetime) -> str:
        """The name a new plan gets from step 1's answer (the problem)."""
        return propose_name(str(answers.get("plan_problem") or ""), self._catalogue(), created)

    def plans(self, sender: str) -> list[PlanItem]:
        """Every plan the sender owns or takes part in, last changed first."""
        now = current(self.store, sender)
        chosen = now.plan.id if now else None
        return [_item(entry, chosen) for entry in self.store.plan_entries(sender)]

    def draft(
        self, answers: dict[str, Any], state: dict[str, Any] | None, planning: bool
    ) -> Draft | None:
        """The plan the sender is still drafting (not in the store yet), under its future name."""
        return draft_of(answers, state, planning, self.proposed_name, datetime.now(UTC))

    def find(self, sender: str, text: str, said: str = "") -> Found:
        """The sender's plan whose name the text names (exact, else fuzzy); several when unclear.

        ``said``: the whole message, tried when ``text`` (the plan_name entity, which the
        classifier may cut short or stretch: "Stationsplein" of "Stationsplein Noord") points at
        no plan.
        """
        found = self._find(sender, text)
        if found.item is None and not found.candidates and said and said != text:
            return self._find(sender, said)
        return found

    def _find(self, sender: str, text: str) -> Found:
        wanted = fold(switch_target(text))
        items = self.plans(sender)
        if not wanted or not items:
            return Found(None, [])
        exact = [i for i in items if same_name(i.name, wanted)]
        if len(exact) == 1:
            return Found(exact[0], exact)
        inside = _named_inside(fold(text), items)
        if inside is not None:
            return Found(inside, [inside])
        scored = sorted(
            (
                (max(fuzz.ratio(wanted, fold(i.name)), _partial(wanted, fold(i.name))), i)
                for i in items
            ),
            key=lambda pair: pair[0],
            reverse=True,
        )
        best = scored[0][0]
        close = [
            i for score, i in scored if score >= MATCH_SCORE and best - score <= AMBIGUOUS_MARGIN
        ]
        if len(close) == 1:
            return Found(close[0], close)
        return Found(None, close)

    def switch(self, sender: str, plan_id: str) -> Membership:
        """Make the plan current, when the sender takes part in it (owner or active partner)."""
        found = self.store.participant(plan_id, sender) if plan_id else None
        if found is None or not found.active:
            raise NotParticipant(NOT_YOURS)
        self.store.touch(plan_id, sender)
        return member(self.store, sender)

    def rename_check(self, sender: str) -> Membership:
        """The sender's current plan when they may rename it: the owner, and still open."""
        me = member(self.store, sender)
        if not me.is_owner:
            raise NotOwner(ONLY_OWNER_RENAMES)
        return writable(me)

    def rename(self, sender: str, name: str) -> PlanInfo:
        """The owner renames their current plan (an open one)."""
        me = self.rename_check(sender)
        return self.store.rename_plan(me.plan.id, sender, name)

    @staticmethod
    def planner_slots(membership: Membership) -> dict[str, Any]:
        """The planner's slots for the owner's plan, so that the planner goes on with this plan.

        For a partner's plan the planner starts empty: its answers are the owner's.
        """
        if not membership.is_owner:
            return {slot: None for slot in SLOTS} | {"plan_state": None}
        answers = membership.plan.answers
        state = {**membership.plan.state, "plan_id": membership.plan.id}
        return {slot: answers.get(slot) for slot in SLOTS} | {"plan_state": state}


def _named_inside(text: str, items: list[PlanItem]) -> PlanItem | None:
    """The plan whose whole name the text contains ("open Stationsplein Noord even"); of two
    ("Stationsplein", "Stationsplein Noord") the longest, when only one is that long."""
    inside = [i for i in items if re.search(rf"(?<!\w){re.escape(fold(i.name))}(?!\w)", text)]
    longest = max((len(i.name) for i in inside), default=0)
    best = [i for i in inside if len(i.name) == longest]
    return best[0] if len(best) == 1 else None


def _partial(wanted: str, name: str) -> float:
    """A typed part of a name ("oost" for "Stationsgebied Oost") counts when it is a word or more."""
    if len(wanted) < 4:
        return 0.0
    return fuzz.partial_ratio(wanted, name) if len(wanted) <= len(name) else 0.0


def _item(entry: PlanEntry, chosen: str | None) -> PlanItem:
    plan = entry.membership.plan
    return PlanItem(
        plan_id=plan.id,
        name=plan.name,
        is_owner=entry.membership.is_owner,
        status=plan.status,
        last_change=entry.last_change,
        current=plan.id == chosen,
    )
