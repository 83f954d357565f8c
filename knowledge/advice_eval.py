"""Reading advice answers back: which methods an answer names, its reasons, and the grades.

Used by `make bench-advice` (over REST or in-process) and by the tests, so both judge an answer
the same way: by the text and buttons a user sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.catalogue import Catalogue

SPECIFIC_HEADER = "Past bij jouw probleem"
GENERAL_HEADER = "Algemene werkwijze"
CLARIFY_PREFIX = "Nog een vraag:"
_NUMBERED = re.compile(r"^\s*(\d+)\.\s+(.*)$")
# A share of methods above which a facet value says nothing about one method (gemeente: 23/26).
NEAR_UNIVERSAL_SHARE = 0.5


@dataclass
class ReadAnswer:
    """What a user sees in one advice answer."""

    methods: list[str] = field(default_factory=list)  # the specific block, in order
    reasons: list[str] = field(default_factory=list)
    clarifying: bool = False
    clarify_buttons: list[dict[str, str]] = field(default_factory=list)


def _names(catalogue: Catalogue) -> list[tuple[str, str]]:
    names = []
    for method in catalogue:
        names.append((method.name.lower(), method.id))
        if method.abbreviation:
            names.append((method.abbreviation.lower(), method.id))
    return names


def _method_in(line: str, catalogue: Catalogue) -> str | None:
    low = line.lower()
    found = []
    for name, method_id in _names(catalogue):
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", low)
        if match:
            found.append((match.start(), -len(name), method_id))
    return min(found)[2] if found else None


def read_answer(catalogue: Catalogue, text: str, buttons: list[dict[str, str]]) -> ReadAnswer:
    """Methods of the specific block (before 'Algemene werkwijze'), reasons, a question asked."""
    answer = ReadAnswer()
    block = text.split(GENERAL_HEADER)[0]
    for line in block.splitlines():
        numbered = _NUMBERED.match(line)
        if not numbered:
            continue
        body = numbered.group(2)
        method_id = _method_in(body, catalogue)
        if method_id is None:
            continue
        answer.methods.append(method_id)
        if "Waarom:" in body:
            answer.reasons.append(body.split("Waarom:", 1)[1].strip())
        elif ": " in body:
            answer.reasons.append(body.split(": ", 1)[1].strip())
        else:
            answer.reasons.append("")
    answer.clarifying = CLARIFY_PREFIX in text
    answer.clarify_buttons = [b for b in buttons if not b.get("payload", "").startswith("/")]
    return answer


def near_universal_labels(catalogue: Catalogue) -> set[str]:
    """Labels of facet values ticked for more than half of the methods (e.g. Gemeente)."""
    labels = set()
    for facet in ("parties", "roles", "problems", "field", "object", "cooperation"):
        for key, term in getattr(catalogue.vocabulary, facet).items():
            share = len(catalogue.by_facet(facet, key)) / len(catalogue)
            if share > NEAR_UNIVERSAL_SHARE:
                labels.add(term.label.lower())
    return labels


def sentence_problem(catalogue: Catalogue, reason: str) -> str | None:
    """Why ``reason`` is not a plain Dutch sentence tied to a telling fact, or None if it is."""
    if not reason:
        return "geen reden"
    if not reason[0].isupper() or not reason.endswith("."):
        return "geen zin (hoofdletter aan het begin, punt aan het eind)"
    if len(reason.split()) < 6:
        return "te kort voor een zin"
    if re.match(r"^[\w ]{1,25}:", reason) or ";" in reason or "(tabel" in reason.lower():
        return "een opsomming of scorenotitie, geen zin"
    cited = re.search(r"je noemt ([^,.]+)", reason, re.IGNORECASE)
    if cited and cited.group(1).strip().lower() in near_universal_labels(catalogue):
        return f"noemt een kenmerk dat bijna elke methode heeft: {cited.group(1)}"
    return None


def matching_button(buttons: list[dict[str, str]], answer_text: str) -> dict[str, str] | None:
    """The clarifying button whose title shares the most words with a typed answer."""

    def words(s: str) -> set[str]:
        return {w[:5] for w in re.findall(r"\w+", s.lower()) if len(w) > 2}

    said = words(answer_text)
    scored = [(len(words(b["title"]) & said), i) for i, b in enumerate(buttons)]
    best = max(scored, default=(0, -1))
    return buttons[best[1]] if best[0] > 0 else None
