"""Advice for a described problem: the one entry point that turns a question into an answer.

``advise`` runs the search and builds the answer. The Rasa actions (the recommend action and the
understanding fallback) call only this function, so the rules for what a good answer is live here.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.answers import Reply, recommendation
from knowledge.catalogue import Catalogue
from knowledge.search import Searcher


@dataclass(frozen=True)
class Advice:
    """The answer to show, the methods it names (best first) and what kind of answer it is."""

    reply: Reply
    method_ids: tuple[str, ...]
    in_scope: bool
    clarifying: bool = False


def advise(catalogue: Catalogue, searcher: Searcher, query: str) -> Advice:
    """Advice for ``query`` (the user's own words); raises SearchError for an empty query."""
    result = searcher.search(query, top=3)
    in_scope = bool(result.hits) and not result.no_match
    ids = tuple(h.id for h in result.hits) if in_scope else ()
    return Advice(recommendation(catalogue, result), ids, in_scope)
