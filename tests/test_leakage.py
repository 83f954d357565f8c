"""Guard: no example of a held-out or evaluation set also occurs in the training data.

Evaluation sets are found by glob, so a new set is covered as soon as it is added:
- `nlu/test/*.yml` (Rasa NLU examples),
- `tests/data/*eval*.yml`, `tests/data/*holdout*.yml`, `tests/data/planner_answers.yml`
  (texts under the keys in TEXT_KEYS, at any depth).
Training data: every NLU example in `nlu/train/**/*.yml` and every user text in `bot/stories`
and `bot/rules`. Texts are compared after `normalise` (entity annotations, case, punctuation,
symbols, diacritics and whitespace removed). A holdout must also share no example with any
dev set (an evaluation set in tests/data that is no holdout: we look at those while tuning).
Near-duplicates (rapidfuzz ratio >= NEAR) are reported for review, not failed:
`.venv/bin/python tests/test_leakage.py` prints them all.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parents[1]
NLU_EVAL_GLOBS = ("nlu/test/*.yml",)
DATA_EVAL_GLOBS = (
    "tests/data/*eval*.yml",
    "tests/data/*holdout*.yml",
    "tests/data/planner_answers.yml",
)
NLU_TRAIN_GLOBS = ("nlu/train/**/*.yml",)
STORY_TRAIN_GLOBS = ("bot/stories/**/*.yml", "bot/rules/**/*.yml")
TEXT_KEYS = frozenset({"q", "text", "user", "message", "utterance", "question"})
NEAR = 95.0

# [shown text](entity), [shown text](entity:value) or [shown text]{"entity": ...}
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def strip_annotations(text: str) -> str:
    return ANNOTATION.sub(r"\1", text)


def _without_marks(text: str) -> Iterator[str]:
    """Drop diacritics (oké -> oke, Australië -> Australie): they are spelling, not meaning."""
    return (ch for ch in text if unicodedata.category(ch) != "Mn")


def normalise(text: str) -> str:
    """Lower case, no entity annotations, diacritics, punctuation or symbols, single spaces.

    A text of only punctuation and symbols ("???", "🙂👍") keeps them, so that two such texts
    are not taken for the same (empty) example.
    """
    text = unicodedata.normalize("NFKD", strip_annotations(text).casefold())
    text = " ".join(unicodedata.normalize("NFKC", "".join(_without_marks(text))).split())
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return " ".join(kept.split()) or text


def _files(globs: tuple[str, ...]) -> list[Path]:
    return sorted({p for pattern in globs for p in ROOT.glob(pattern) if p.is_file()})


def nlu_examples(path: Path) -> list[str]:
    """The `- text` lines of every `intent:` block of a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = []
    for item in data.get("nlu") or []:
        if isinstance(item, dict) and "intent" in item:
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(strip_annotations(line[2:].strip()))
    return texts


def _walk_texts(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                yield value.strip()
            elif (
                key in TEXT_KEYS
                and isinstance(value, list)
                and all(isinstance(v, str) for v in value)
            ):
                yield from (v.strip() for v in value)
            else:
                yield from _walk_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_texts(value)


def data_examples(path: Path) -> list[str]:
    return [t for t in _walk_texts(yaml.safe_load(path.read_text(encoding="utf-8"))) if t]


@functools.cache
def eval_sets() -> dict[str, list[str]]:
    sets = {str(p.relative_to(ROOT)): nlu_examples(p) for p in _files(NLU_EVAL_GLOBS)}
    sets |= {str(p.relative_to(ROOT)): data_examples(p) for p in _files(DATA_EVAL_GLOBS)}
    return sets


@functools.cache
def training_examples() -> dict[str, str]:
    """Normalised training text -> where it comes from."""
    found: dict[str, str] = {}
    for path in _files(NLU_TRAIN_GLOBS):
        for text in nlu_examples(path):
            found.setdefault(normalise(text), f"{path.relative_to(ROOT)}: {text!r}")
    for path in _files(STORY_TRAIN_GLOBS):
        for text in data_examples(path):
            if not text.startswith("/"):  # "/intent{...}" shortcuts are not language
                found.setdefault(normalise(text), f"{path.relative_to(ROOT)}: {text!r}")
    return found


def is_holdout(name: str) -> bool:
    return "holdout" in Path(name).name


def dev_sets(sets: dict[str, list[str]]) -> list[str]:
    """The sets we look at while tuning: every evaluation set in tests/data that is no holdout."""
    return [n for n in sets if n.startswith("tests/data/") and not is_holdout(n)]


def near_duplicates(
    queries: list[str], choices: list[str], threshold: float = NEAR
) -> list[tuple[str, str, float]]:
    """(query, choice, ratio) for every pair at or above the threshold but not identical."""
    if not queries or not choices:
        return []
    scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=threshold)
    pairs = []
    for i, j in zip(*scores.nonzero(), strict=True):
        if queries[i] != choices[j]:
            pairs.append((queries[i], choices[j], float(scores[i, j])))
    return pairs


# --- the normaliser -----------------------------------------------------------------------


def test_normalise_removes_case_punctuation_whitespace_and_annotations():
    assert normalise("  Welke methode voor [Winkeldiefstal](problem)?! ") == (
        "welke methode voor winkeldiefstal"
    )
    assert normalise("hallo,\tdaar…") == normalise("Hallo daar")
    assert normalise('[KVO]{"entity": "method"} uitleggen') == "kvo uitleggen"
    assert normalise("goeiemorgen 🙂") == "goeiemorgen"
    assert normalise("’s nachts") == normalise("'s Nachts") == "s nachts"
    assert normalise("🙂👍") != normalise("???")
    assert normalise("Oké, Australië") == "oke australie"


def test_normalise_keeps_words_and_numbers_apart():
    assert normalise("20% minder in 2027") == "20 minder in 2027"
    assert normalise("winkeldiefstal") != normalise("winkel diefstal")
    assert normalise("hoi") != normalise("hoi hoi")


def test_near_duplicates_finds_small_edits_only():
    pairs = near_duplicates(
        ["welke methode voor winkeldiefstallen"], ["welke methode voor winkeldiefstal", "hallo"]
    )
    assert [(a, b) for a, b, _ in pairs] == [
        ("welke methode voor winkeldiefstallen", "welke methode voor winkeldiefstal")
    ]
    assert near_duplicates(["hallo"], ["hallo"]) == []  # identical is leakage, not "near"


def test_holdouts_and_dev_sets_are_told_apart():
    sets = eval_sets()
    assert is_holdout("tests/data/search_eval_holdout.yml") and not is_holdout("x/search_eval.yml")
    assert "tests/data/search_eval.yml" in dev_sets(sets)
    assert not [n for n in dev_sets(sets) if is_holdout(n) or n.startswith("nlu/")]


# --- the guard ------------------------------------------------------------------------------


def test_every_evaluation_set_is_found_and_read():
    sets = eval_sets()
    assert "nlu/test/nlu_test.yml" in sets and "tests/data/search_eval_holdout.yml" in sets
    empty = [name for name, texts in sets.items() if not texts]
    assert not empty, f"no examples read from {empty}: is the format known to this guard?"


@pytest.mark.parametrize("name", sorted(eval_sets()))
def test_evaluation_set_shares_no_example_with_training(name):
    train = training_examples()
    leaked = sorted(
        {
            f"{text!r} == {train[normalise(text)]}"
            for text in eval_sets()[name]
            if normalise(text) in train
        }
    )
    assert not leaked, f"{len(leaked)} examples of {name} occur in training data:\n" + "\n".join(
        leaked
    )
    near = near_duplicates([normalise(t) for t in eval_sets()[name]], sorted(train))
    if near:
        warnings.warn(
            f"{name}: {len(near)} near-duplicates of training data (ratio >= {NEAR:.0f}) to "
            f"review, e.g. {near[0][0]!r} ~ {near[0][1]!r}; list: python tests/test_leakage.py",
            stacklevel=1,
        )


@pytest.mark.parametrize("name", sorted(n for n in eval_sets() if is_holdout(n)))
def test_holdout_shares_no_example_with_a_dev_set(name):
    sets = eval_sets()
    holdout = {normalise(t): t for t in sets[name]}
    shared = sorted(
        f"{holdout[normalise(t)]!r} (in {dev})"
        for dev in dev_sets(sets)
        for t in sets[dev]
        if normalise(t) in holdout
    )
    assert not shared, f"{name} shares {len(shared)} examples with dev sets: {shared}"


def report() -> None:
    """Print every exact and near duplicate (for review after writing a new set)."""
    train = training_examples()
    keys = sorted(train)
    sets = eval_sets()
    for name, texts in sets.items():
        exact = [t for t in texts if normalise(t) in train]
        near = near_duplicates([normalise(t) for t in texts], keys)
        print(
            f"{name}: {len(texts)} voorbeelden, {len(exact)} gelijk aan training, {len(near)} bijna"
        )
        for text in exact:
            print(f"  GELIJK {text!r} == {train[normalise(text)]}")
        for query, choice, score in near:
            print(f"  BIJNA  {query!r} ~ {train[choice]} ({score:.0f})")
        if is_holdout(name):
            for dev in dev_sets(sets):
                dev_texts = {normalise(t): t for t in sets[dev]}
                for text in texts:
                    if normalise(text) in dev_texts:
                        print(f"  OOK IN ONTWIKKELSET {dev}: {text!r}")


if __name__ == "__main__":
    report()
