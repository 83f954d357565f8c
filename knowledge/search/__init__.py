"""Method search over the catalogue (see hybrid.py for the design)."""

from __future__ import annotations

from functools import cache

from knowledge.catalogue import load_catalogue
from knowledge.search.dense import ModelNotFoundError
from knowledge.search.hybrid import Hit, Searcher, SearchError, SearchResult, Weights

__all__ = [
    "Hit",
    "ModelNotFoundError",
    "SearchError",
    "SearchResult",
    "Searcher",
    "Weights",
    "get_searcher",
]


@cache
def get_searcher(progress: bool = False) -> Searcher:
    """One searcher per process (model and index load once)."""
    return Searcher(load_catalogue(), progress=progress)
