"""Quick version of `make bench-dialogue` against the real servers (the `stack` fixture).

A fixed sample of the DEV set (tests/data/dialogue_eval.yml, never the holdout): the first
utterances of every kind, each in a fresh conversation over REST, judged like the benchmark
(scripts/dialogue_check.py). Asserts the issue's targets for fallbacks (in-scope problem
descriptions that get no advice <= 0.02, out-of-scope questions that get advice <= 0.10) and a
floor for all kinds together. The issue's 0.95 for all kinds is not reached yet (dev 0.929,
holdout 0.903 with `make bench-dialogue` on 2026-12-02 12:47, 13 of 24 misses being advice that
names a method outside the graded ones first): FLOOR guards what is reached (this sample: 54/55)
and is to be raised to TARGET, never lowered.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
PER_KIND = 3
ADVICE = 14
TARGET = 0.95  # the target for all kinds (make bench-dialogue reports it)
FLOOR = 0.94  # the sample reached 54/55 on 2026-12-02 (3 misses allowed); raise towards TARGET
MAX_FALLBACK = 0.02
MAX_OUT_OF_SCOPE_ADVICE = 0.10


def _check_module():
    spec = importlib.util.spec_from_file_location(
        "dialogue_check", ROOT / "scripts" / "dialogue_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["dialogue_check"] = module
    spec.loader.exec_module(module)
    return module


check = _check_module()


def sample() -> list[dict]:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for item in check.load_set(check.SETS["dev"]):
        by_kind[item["kind"]].append(item)
    chosen = []
    for kind, items in sorted(by_kind.items()):
        chosen += items[: ADVICE if kind == "advice" else PER_KIND]
    return chosen


def test_the_sample_covers_every_kind_with_at_least_40_utterances():
    items = sample()
    assert len(items) >= 40
    assert {i["kind"] for i in items} >= {
        "advice",
        "explain",
        "compare",
        "partners",
        "role",
        "list",
        "planner_start",
        "sharing",
        "thanks",
        "greet",
        "goodbye",
        "help",
        "about",
        "out_of_scope",
        "gibberish",
    }


def test_utterances_of_every_kind_get_the_expected_first_reply(stack):
    items = sample()
    wrong = []
    fallback = out_of_scope_advice = 0
    with httpx.Client(timeout=60) as client:
        post = check.rest_poster(client, stack["url"])
        for item in items:
            seen = check.first_reply(post, item["text"])
            if not check.acceptable(item, seen):
                wrong.append(check.dumps(item, seen))
            fallback += item["kind"] == "advice" and check.is_fallback(seen)
            out_of_scope_advice += item["kind"] == "out_of_scope" and seen.kind == "advice"
    kinds = [i["kind"] for i in items]
    assert fallback / kinds.count("advice") <= MAX_FALLBACK, "\n".join(wrong)
    assert out_of_scope_advice / kinds.count("out_of_scope") <= MAX_OUT_OF_SCOPE_ADVICE
    assert 1 - len(wrong) / len(items) >= FLOOR, "\n".join(wrong)


def test_planner_answers_are_taken_in_their_step(stack):
    answers = check.load_planner_answers()
    by_step: dict[int, list[dict]] = defaultdict(list)
    for answer in answers:
        by_step[int(answer["step"])].append(answer)
    chosen = [a for step in sorted(by_step) for a in by_step[step][:2]]
    with httpx.Client(timeout=60) as client:
        post = check.rest_poster(client, stack["url"])
        results = [check.taken_in_step(post, int(a["step"]), a["text"]) for a in chosen]
    missed = [
        f"{a['step']}: {a['text']!r} -> {reply!r}"
        for a, (ok, reply) in zip(chosen, results, strict=True)
        if not ok
    ]
    assert len(missed) <= len(chosen) * (1 - TARGET), "\n".join(missed)
