"""Shared fixtures: one searcher per test session (the model loads once)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def searcher():
    from knowledge.search import get_searcher

    return get_searcher()
