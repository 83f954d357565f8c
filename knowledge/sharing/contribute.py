"""Reading a partner's contribution: which planner step it belongs to and what it says.

Partners add to steps 1, 3 and 6 (what they see, what they already do, what they measured) and
comment on or propose for steps 2, 4 and 5; the owner decides those. One message can carry both
the step and the text ("stap 3: wij surveilleren al op vrijdag").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.nl.text import fold
from knowledge.privacy import find_personal_data, personal_data_warning
from knowledge.steps import LABELS, NUMBER_PATTERN, OPEN_STEPS, is_step_number

#: step -> short Dutch label, and the steps everyone adds to directly (knowledge/steps.py)
STEP_LABELS = LABELS
KIND_LABELS = {
    "bijdrage": "aanvulling",
    "opmerking": "opmerking",
    "voorstel": "voorstel",
    "besluit": "besluit van de eigenaar",
}
MIN_WORDS = 3
CANCELLED = "geannuleerd"  # both form slots: the user stopped, nothing is stored
MAX_CHARS = 1500

_STEP_NUMBER = re.compile(rf"\b(?:stap|vraag)\s*({NUMBER_PATTERN})\b")
_STEP_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (4, re.compile(r"\b(doel|doelen|doelstelling\w*|smart|streefcijfer\w*|target)\b")),
    (5, re.compile(r"\b(aanpak|maatregel\w*|methode\w*|wat gaan we doen|inzet)\b")),
    (2, re.compile(r"\b(prioriteit\w*|belangrijkste probleem|belangrijkste problemen)\b")),
    (6, re.compile(r"\b(resultaat|resultaten|bereikt|monitoring|cijfers|evaluatie|effect)\b")),
    (
        3,
        re.compile(
            r"\b(wat (we|wij) al doen|doen (we|wij) al|al bezig|\w+en al\b|(zijn|is) al\b|al\s+\w+en\b|al jaren|sinds"
            r"|al (\d+|twee|drie|vier|een paar|enkele) (jaar|maanden|weken)"
            r"|lopende|bestaande aanpak)"
        ),
    ),
    (
        1,
        re.compile(
            r"(\bprobleem|\bproblemen|overlast|diefstal|inbra\w*|vernieling|\bzie ik\b|\bik zie\b"
            r"|\b(we|wij) (zien|merken)\b|\bzien (we|wij)\b|\bsignaal|\bsignalen|\bklachten)"
        ),
    ),
)
_PROPOSAL = re.compile(r"^\s*(voorstel|ik stel voor|wij stellen voor|we stellen voor|idee)\b")
_COMMENT = re.compile(r"^\s*(opmerking|reactie|commentaar|vraag)\b")
_KIND_ANYWHERE = (
    ("voorstel", re.compile(r"\b(voorstel|stel(len)? (ik |we |wij )?voor)\b")),
    ("opmerking", re.compile(r"\b(opmerking|reactie|commentaar)\b")),
)
# The request part of a message ("ik wil iets toevoegen aan stap 3:"), stripped from the text.
_REQUEST = re.compile(
    r"^\s*(ik wil |wij willen |we willen |graag )?(iets )?(toevoegen|aanvullen|aanvulling|bijdrage"
    r"|voorstel|opmerking|reactie|commentaar)?\s*(aan|bij|voor|op)?\s*(het |de )?"
    rf"((stap|vraag)\s*{NUMBER_PATTERN}|plan|doel|aanpak|probleem|resultaten?|prioriteiten?)?\s*[:\-–]\s*",
)
_ONLY_REQUEST = re.compile(
    r"^(ik wil |wij willen |we willen |kan ik |mag ik |graag )?(ook )?(iets |wat |een )?"
    r"(toevoegen|aanvullen|aanvulling|bijdrage|bijdragen|opmerking|reactie|voorstel|inbreng)"
    r"( (doen|geven|plaatsen|maken|toevoegen))?( (aan|bij|op|voor) (het |de |ons |mijn )?"
    r"(plan|doel|aanpak|probleem|stap \d))?( (doen|geven|plaatsen|maken|toevoegen))?[.!?]*$"
)

_HAVE_SOMETHING = re.compile(
    r"^(ik heb|wij hebben|we hebben|hier is)( nog)? (een|iets|wat)( kleine| korte)?"
    r" (aanvulling|opmerking|voorstel|idee|bijdrage|reactie|toevoeging)( voor het plan)?[.!?]*$"
)


@dataclass(frozen=True)
class ContributionDraft:
    step: int | None
    kind: str | None  # "voorstel" / "opmerking" when the message says so
    text: str | None


def step_from_choice(text: str) -> int | None:
    """The step a user chose: a button ('stap 3'), a digit or words ('wat we al doen')."""
    folded = fold(text or "").strip()
    if is_step_number(folded):
        return int(folded)
    number = _STEP_NUMBER.search(folded)
    if number:
        return int(number.group(1))
    for step, label in STEP_LABELS.items():
        if fold(label) in folded:
            return step
    for step, pattern in _STEP_WORDS:
        if pattern.search(folded):
            return step
    return None


def kind_of(text: str) -> str | None:
    folded = fold(text or "")
    if _PROPOSAL.search(folded):
        return "voorstel"
    if _COMMENT.search(folded):
        return "opmerking"
    return None


def parse_contribution(message: str) -> ContributionDraft:
    """Step, kind and text of a message that asks to add something; None where not said."""
    text = " ".join((message or "").split())
    if not text or text.startswith("/"):
        return ContributionDraft(None, None, None)
    folded = fold(text)
    kind = kind_of(text)
    head, sep, tail = text.partition(":")
    if sep and len(tail.split()) >= 2:
        step = step_from_choice(head) or step_from_choice(tail)
        if step is None and kind == "voorstel":
            step = 5
        return ContributionDraft(step, kind, tail.strip())
    if _ONLY_REQUEST.match(folded.rstrip(" .!?")) or _HAVE_SOMETHING.match(folded):
        stated = kind or next((k for k, rx in _KIND_ANYWHERE if rx.search(folded)), None)
        return ContributionDraft(step_from_choice(text), stated, None)
    body = _REQUEST.sub("", text, count=1).strip()
    body = re.sub(r"\s*[-–]?\s*(zet|voeg|neem) (dat|dit|het) (er ?bij|toe|op)\W*$", "", body)
    if len(body.split()) < MIN_WORDS:
        return ContributionDraft(step_from_choice(text), kind, None)
    step = step_from_choice(text)
    if step is None and kind == "voorstel":
        step = 5
    return ContributionDraft(step, kind, body)


def stored_kind(step: int, stated: str | None, is_owner: bool) -> str:
    """Owner's words on steps 2, 4 and 5 are decisions; a partner's are proposals or comments."""
    if step in OPEN_STEPS:
        return "bijdrage" if stated is None else stated
    if is_owner:
        return "besluit"
    return stated or "voorstel"


def contribution_problem(text: str) -> str | None:
    """Why a text cannot go into the shared plan (Dutch, for the user), or None when it can.

    Every path that stores a contribution calls this: the form, a one-line 'stap 3: ...' and
    free text offered as a contribution.
    """
    text = " ".join((text or "").split())
    findings = find_personal_data(text)
    if findings:
        return personal_data_warning(findings)
    if len(text.split()) < MIN_WORDS:
        return "Kun je het iets uitgebreider zeggen? Een korte zin is genoeg."
    if len(text) > MAX_CHARS:
        return f"Dat is te lang. Houd het onder {MAX_CHARS} tekens."
    return None


_CANCEL = re.compile(
    r"^(nee|neen|nope|nee dank je|nee bedankt|laat maar|liever niet|niet toevoegen|annuleer"
    r"|annuleren|toch niet|nee hoor|niks|niets)\W*$"
)


def is_cancel(text: str) -> bool:
    """'nee', 'laat maar': the user does not want to add anything after all."""
    return bool(_CANCEL.match(fold(text or "").strip()))
