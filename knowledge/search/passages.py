"""Passages per method for retrieval: what the method is called, does and is for."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.catalogue import Catalogue
from knowledge.schema import Method


@dataclass(frozen=True)
class Passage:
    method_id: str
    kind: str  # name, summary, goal, approach, steps, examples, keywords, facets
    text: str


def _facet_text(catalogue: Catalogue, method: Method) -> str:
    """Labels and synonyms of the method's problems, settings and target groups."""
    vocab = catalogue.vocabulary
    parts: list[str] = []
    for key in method.problems:
        term = vocab.problems[key]
        parts.append(term.label)
        parts.extend(term.synonyms)
    for key in method.settings:
        parts.append(vocab.settings[key].label)
    for key in method.target_groups:
        parts.append(vocab.target_groups[key].label)
    return ". ".join(parts)


def method_passages(catalogue: Catalogue, method: Method) -> list[Passage]:
    names = [method.name, *([method.abbreviation] if method.abbreviation else []), *method.aliases]
    texts = {
        "name": ". ".join(names),
        "summary": method.summary,
        "goal": method.goal,
        "approach": method.approach,
        "steps": ". ".join(method.steps),
        "examples": ". ".join(f"{e.name}. {e.description}" for e in method.examples),
        "keywords": ". ".join(method.keywords),
        "facets": _facet_text(catalogue, method),
    }
    return [Passage(method.id, kind, text) for kind, text in texts.items() if text.strip()]


def all_passages(catalogue: Catalogue) -> list[Passage]:
    return [p for method in catalogue for p in method_passages(catalogue, method)]
