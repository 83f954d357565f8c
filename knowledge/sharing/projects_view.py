"""What the user reads about their plans: the list, switching, names (Dutch, B1, with buttons).

Buttons are plain dicts ({"title", "payload"}) with the payloads of knowledge/payloads.py; the
channels show them as buttons (web) or an inline keyboard (Telegram).
"""

from __future__ import annotations

from knowledge.answers import Reply
from knowledge.payloads import (
    CONTINUE_PLAN,
    LIST_PLANS,
    RENAME_PLAN,
    SHOW_PLAN,
    START_PLAN,
    switch_plan_payload,
)
from knowledge.sharing.drafts import Draft
from knowledge.sharing.naming import tidy_name
from knowledge.sharing.projects import PlanItem
from knowledge.sharing.records import Membership, PlanInfo

Button = dict[str, str]

NO_PLANS = (
    "Je hebt nog geen plannen. Maak een plan met 'ik wil een plan maken', of doe mee met een "
    "plan van een ander met de deelcode die je kreeg."
)
ASK_NAME = (
    "Hoe moet het plan heten? Typ bijvoorbeeld: 'noem dit plan Winkelcentrum Zuid'. "
    "Een korte naam is het handigst (hooguit 40 tekens)."
)
ASK_WHICH = "Met welk plan wil je verder? Kies een plan of zeg bijvoorbeeld 'ga verder met {name}'."


def plan_buttons(items: list[PlanItem]) -> list[Button]:
    return [{"title": i.title, "payload": switch_plan_payload(i.plan_id)} for i in items]


def name_buttons() -> list[Button]:
    return [
        {"title": "Naam wijzigen", "payload": RENAME_PLAN},
        {"title": "Mijn plannen", "payload": LIST_PLANS},
    ]


def named_text(name: str) -> str:
    """Said when a new plan is saved for the first time."""
    return (
        f"Ik heb je plan de naam '{name}' gegeven. Zo vind je het terug bij 'mijn plannen'. "
        "Wil je een andere naam? Kies 'Naam wijzigen'."
    )


def plans_reply(items: list[PlanItem], draft: Draft | None = None) -> Reply:
    """'mijn plannen': every plan with status and last change, as buttons; a plan still being
    drafted (not saved yet) as a concept that is 'nog bezig'. A paused concept gets a button to
    go on with it; inside the planner the open question follows the list anyway."""
    if not items and draft is None:
        return Reply(NO_PLANS, [{"title": "Plan maken", "payload": START_PLAN}])
    count = "1 plan" if len(items) == 1 else f"{len(items)} plannen"
    lines = [f"{n}. {item.line}" for n, item in enumerate(items, start=1)]
    buttons = plan_buttons(items)
    if draft is not None:
        lines.append(f"{len(items) + 1}. {draft.line}")
        if not draft.active:
            buttons.append({"title": draft.title, "payload": CONTINUE_PLAN})
        count += " en 1 concept" if items else ""
    head = f"Je hebt {count}:" if items else "Je hebt nog geen plan dat af is. Je bent bezig met:"
    text = head + "\n" + "\n".join(lines) + "\nKies een plan om ermee verder te gaan."
    return Reply(text, [*buttons, {"title": "Nieuw plan", "payload": START_PLAN}])


def switched_reply(membership: Membership) -> Reply:
    plan = membership.plan
    role = "" if membership.is_owner else " Je doet mee als partner."
    if plan.status == "closed":
        state = " Dit plan is gesloten: je kunt het bekijken en downloaden, maar niet aanvullen."
    else:
        state = ""
    return Reply(
        f"Je werkt nu aan het plan '{plan.name}'.{role}{state}",
        [
            {"title": "Laat het plan zien", "payload": SHOW_PLAN},
            {"title": "Mijn plannen", "payload": LIST_PLANS},
        ],
    )


def unknown_reply(items: list[PlanItem], typed: str) -> Reply:
    """No plan with that name: say so, and offer the plans there are."""
    if not items:
        return Reply(NO_PLANS, [{"title": "Plan maken", "payload": START_PLAN}])
    named = f"met de naam '{typed}' " if typed else ""
    return Reply(
        f"Ik vind geen plan {named}bij jouw plannen. Kies een van je plannen:",
        plan_buttons(items),
    )


def ambiguous_reply(candidates: list[PlanItem]) -> Reply:
    return Reply(
        "Er zijn meer plannen met een naam die daarop lijkt. Welk plan bedoel je?",
        plan_buttons(candidates),
    )


def which_reply(items: list[PlanItem]) -> Reply:
    """'ga verder met een ander plan' without a name."""
    if not items:
        return Reply(NO_PLANS, [{"title": "Plan maken", "payload": START_PLAN}])
    return Reply(ASK_WHICH.format(name=items[0].name), plan_buttons(items))


def renamed_reply(plan: PlanInfo, wanted: str) -> Reply:
    taken = "" if plan.name == tidy_name(wanted) else " (die naam had je al, daarom met een nummer)"
    return Reply(
        f"Het plan heet nu '{plan.name}'{taken}.",
        [{"title": "Mijn plannen", "payload": LIST_PLANS}],
    )
