"""What the chat says about measures: the loop 'Maatregel toevoegen / Klaar', the detail
question after a measure is added, and the 'Wie doet wat' overview (B1, short, with buttons).

Buttons are (title, payload) pairs; the actions turn them into Rasa buttons. Plain Python.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from knowledge.nl.text import fold
from knowledge.payloads import CONFIRM_MEASURE, MEASURE_NUMBER, REJECT_MEASURE, measure_decision
from knowledge.plan.measures import PROPOSED, REJECTED, Measure, Proposal, measure_number

Button = tuple[str, str]
DONE = "klaar"
#: the entity of the loop's own buttons ("Klaar", "Klopt"): /inform{"confirm": ...}
CONFIRM_ENTITY = "confirm"
_DONE_WORDS = {"klaar", "dat was het", "niets meer", "geen", "nee", "stop", "verder", "klaar!"}
_OK_WORDS = {"ja", "klopt", "goed", "prima", "ok", "oke", "akkoord", "is goed", "laat maar zo"}
MAX_BUTTONS = 6


def inform(entity: str, value: str) -> str:
    return "/inform" + json.dumps({entity: value})


def is_done(text: str, confirm: Sequence[str] = ()) -> bool:
    return DONE in confirm or fold(text).strip(" .!") in _DONE_WORDS


def is_ok(text: str, confirm: Sequence[str] = ()) -> bool:
    return "ja" in confirm or fold(text).strip(" .!") in _OK_WORDS


def number_from(values: Sequence[object], text: str, ordinals: bool = False) -> int | None:
    """The measure number of an entity (button or NLU), else of the text ('maatregel 2');
    ``ordinals``: a command about a measure, where 'de derde' is measure 3."""
    for value in values:
        found = measure_number(str(value), ordinals)
        if found:
            return found
    return measure_number(text, ordinals)


def menu(choices: Sequence[tuple[Proposal, bool]], count: int) -> tuple[str, list[Button]]:
    """The loop's question: the chosen methods' steps, numbered, and 'Klaar'."""
    lines = [f"Maatregelen in je plan: {count}. Kies een stap van je methode als maatregel, "
             "of typ je eigen maatregel."]  # fmt: skip
    buttons: list[Button] = []
    method = None
    for i, (p, taken) in enumerate(choices, start=1):
        if p.method != method:
            method = p.method
            lines.append(f"{method}:")
        lines.append(f"{i}. {p.text}" + (" (gekozen)" if taken else ""))
        if not taken and len(buttons) < MAX_BUTTONS:
            buttons.append((f"{i}. {p.text}"[:40], inform(MEASURE_NUMBER, str(i))))
    if not choices:
        lines.append("Typ een maatregel, bijvoorbeeld 'extra surveillance op vrijdagavond'.")
    buttons.append(("Klaar", inform(CONFIRM_ENTITY, DONE)))
    return "\n".join(lines), buttons


def added(m: Measure, by_owner: bool) -> str:
    text = f"Maatregel {m.number}: {m.text}. Verantwoordelijk: {m.responsible}, {m.period}"
    if m.priority:
        text += f"; dient: {m.priority}"
    text += "."
    if not by_owner:
        text += " Dit is een voorstel: de eigenaar van het plan beslist."
    return text


def details_question(m: Measure, options: Sequence[tuple[str, str]]) -> tuple[str, list[Button]]:
    """After adding: keep the proposal, or change who and when in one line."""
    text = (
        f"Klopt dit voor maatregel {m.number}? Kies een andere partij, of typ wie en wanneer, "
        "bijvoorbeeld 'politie, maart tot juni 2027' of 'budget: 5000 euro'."
    )
    buttons: list[Button] = [("Klopt", inform(CONFIRM_ENTITY, "ja"))]
    for key, label in options:
        if key != m.party and len(buttons) <= 4:
            buttons.append((label, inform("party", key)))
    return text, buttons


def overview(
    lines: Sequence[str],
    checks: Sequence[str],
    goal_link: str,
    pending: Sequence[Measure],
    is_owner: bool,
) -> tuple[str, list[Button]]:
    """'Wie doet wat': one line per measure, the gaps, and for the owner what to decide."""
    if not lines:
        return (
            "Er staan nog geen maatregelen in het plan.",
            [("Maatregel toevoegen", "/add_measure")],
        )
    text = ["Wie doet wat:", *lines]
    if goal_link:
        text.append(goal_link)
    text += list(checks)
    buttons: list[Button] = []
    if is_owner and pending:
        for m in pending[:2]:
            text.append(f"{offer(m)}.")
            buttons += [
                (f"Bevestig {m.number}", measure_decision(CONFIRM_MEASURE, m.number)),
                (f"Wijs {m.number} af", measure_decision(REJECT_MEASURE, m.number)),
            ]
    elif any(m.status == PROPOSED or m.pending_responsible for m in pending):
        text.append("De eigenaar beslist over de voorstellen.")
    buttons.append(("Maatregel toevoegen", "/add_measure"))
    return "\n".join(text), buttons


def offer(m: Measure) -> str:
    """'Politie wil maatregel 2 doen' or 'Jongerenwerk stelt maatregel 4 voor'."""
    who = m.pending_responsible or m.proposed_by or "een partner"
    if m.pending_responsible:
        return f"{who} wil maatregel {m.number} doen"
    return f"{who} stelt maatregel {m.number} voor"


def pending_note(pending: Sequence[Measure], shown: int = 3) -> str:
    """For the owner's news: the offers and proposals that wait for their decision."""
    if not pending:
        return ""
    more = f" (en nog {len(pending) - shown})" if len(pending) > shown else ""
    offers = "; ".join(offer(m) for m in pending[:shown])
    return (
        f"Wacht op jouw besluit: {offers}{more}. "
        "Zeg 'wie doet wat' om te bevestigen of af te wijzen."
    )


def taken_on(m: Measure, by_owner: bool) -> str:
    if by_owner:
        return (
            f"Genoteerd: {m.responsible} is verantwoordelijk voor maatregel {m.number} ({m.text})."
        )
    return (
        f"Je biedt aan maatregel {m.number} te doen: {m.text}. De eigenaar bevestigt of wijst af; "
        "tot dan blijft de verantwoordelijke zoals het was."
    )


def decided(m: Measure, accept: bool) -> str:
    if accept:
        return f"Bevestigd: maatregel {m.number} ({m.text}) - verantwoordelijk: {m.responsible}."
    if m.status == REJECTED:
        return f"Afgewezen: maatregel {m.number} ({m.text}). Dit staat zo in het plan."
    return f"Het aanbod voor maatregel {m.number} is afgewezen; verantwoordelijk blijft {m.responsible}."
