"""`make bench-search`: search quality and speed on tests/data/search_eval.yml.

Quality is counted as users see it: the answer of `knowledge.advice.advise` (the one entry point
the actions call), where a "no match" answer is a miss. Beside it, labelled "rank-anyway", the
figures when the ranking is read even for questions the assistant answers with "no match"
(the search's own ranking quality). Also the "no match" rates, query latency (nearest-rank
percentiles after warm-up) and index build time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml

from knowledge.advice import advise
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.metrics import describe
from knowledge.search import Searcher

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_eval.yml"
# Written later by someone who saw neither code nor data, and never used for tuning.
HOLDOUT_SET = EVAL_SET.with_name("search_eval_holdout.yml")
MODES = ("bm25", "dense", "hybrid")


def load_eval(path: Path = EVAL_SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def rank_of(ids: list[str] | tuple[str, ...], expected: list[str]) -> int | None:
    return next((i for i, m in enumerate(ids, 1) if m in expected), None)


def score(ranks: list[int | None]) -> dict[str, float]:
    """top-1, top-3 and MRR over in-scope questions; None (no answer, or not found) is a miss."""
    n = max(1, len(ranks))
    return {
        "top1": sum(r == 1 for r in ranks) / n,
        "top3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def evaluate(searcher: Searcher, questions: list[dict], mode: str) -> dict[str, float]:
    """Ranking metrics as users see them (a "no match" is a miss) and rank-anyway."""
    seen: list[int | None] = []
    anyway: list[int | None] = []
    flagged = {True: 0, False: 0}  # in scope -> flagged count
    for q in questions:
        result = searcher.search(q["q"], top=len(searcher.method_ids), mode=mode, rank_anyway=True)
        in_scope = bool(q["expected"])
        flagged[in_scope] += result.no_match
        if in_scope:
            rank = rank_of([h.id for h in result.hits], q["expected"])
            anyway.append(rank)
            seen.append(None if result.no_match else rank)
    n_in = len(seen)
    n_out = len(questions) - n_in
    return {
        **score(seen),
        **{f"{k}_anyway": v for k, v in score(anyway).items()},
        "oos_flagged": flagged[False] / max(1, n_out),
        "in_scope_flagged": flagged[True] / max(1, n_in),
    }


def advised(catalogue: Catalogue, searcher: Searcher, questions: list[dict]) -> dict[str, float]:
    """What users get from the assistant: the methods named in `advise`'s answer, best first."""
    ranks = []
    oos_answered = 0
    for q in questions:
        advice = advise(catalogue, searcher, q["q"])
        if q["expected"]:
            ranks.append(rank_of(advice.method_ids, q["expected"]))
        else:
            oos_answered += bool(advice.method_ids)
    return {**score(ranks), "oos_answered": oos_answered / max(1, len(questions) - len(ranks))}


def failures(catalogue: Catalogue, searcher: Searcher, questions: list[dict]) -> list[str]:
    lines = []
    for q in questions:
        ids = list(advise(catalogue, searcher, q["q"]).method_ids)
        if q["expected"] and (not ids or ids[0] not in q["expected"]):
            lines.append(
                f"  top1 miss: {q['q']!r} -> {ids or 'geen match'} (verwacht {q['expected']})"
            )
        if not q["expected"] and ids:
            lines.append(f"  oos miss:  {q['q']!r} -> {ids}")
    return lines


def print_table(
    catalogue: Catalogue, searcher: Searcher, questions: list[dict], title: str
) -> None:
    n_in = sum(1 for q in questions if q["expected"])
    print(
        f"{title}: {len(questions)} vragen ({n_in} binnen scope, {len(questions) - n_in} erbuiten)"
    )
    user = advised(catalogue, searcher, questions)
    print(
        f"  zoals de gebruiker het krijgt (advies, 'geen match' telt als mis): "
        f"top-1 {user['top1']:.3f}, top-3 {user['top3']:.3f}, MRR {user['mrr']:.3f}; "
        f"buiten scope toch methoden genoemd {user['oos_answered']:.3f}"
    )
    print(
        f"  {'modus':8} {'top-1':>6} {'top-3':>6} {'MRR':>6} | {'rank-anyway: top-1':>18}"
        f" {'top-3':>6} {'MRR':>6} | {'geen match buiten scope':>23} {'ten onrechte geen match':>23}"
    )
    for mode in MODES:
        r = evaluate(searcher, questions, mode)
        print(
            f"  {mode:8} {r['top1']:6.3f} {r['top3']:6.3f} {r['mrr']:6.3f} |"
            f" {r['top1_anyway']:18.3f} {r['top3_anyway']:6.3f} {r['mrr_anyway']:6.3f} |"
            f" {r['oos_flagged']:23.3f} {r['in_scope_flagged']:23.3f}"
        )
    print(
        "  (links: 'geen match' telt als mis; rank-anyway: de rangorde ook gelezen als de "
        "assistent 'geen match' zou antwoorden)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--failures", action="store_true", help="list the questions missed")
    args = parser.parse_args()
    catalogue = load_catalogue()
    questions = load_eval()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        Searcher(catalogue, index_dir=Path(tmp))
        build = time.perf_counter() - start
    searcher = Searcher(catalogue)
    print_table(catalogue, searcher, questions, "Evaluatieset")
    if HOLDOUT_SET.exists():
        holdout = load_eval(HOLDOUT_SET)
        print_table(catalogue, searcher, holdout, "Tweede set, niet gebruikt bij afstemmen")
    for q in questions[:10]:  # warm-up
        searcher.search(q["q"])
    timings = []
    for _ in range(3):
        for q in questions:
            start = time.perf_counter()
            searcher.search(q["q"])
            timings.append((time.perf_counter() - start) * 1000)
    print(f"latentie hybride zoeken: {describe(timings, digits=1)}")
    print(
        f"index bouwen (26 methoden, {len(searcher.passages)} passages, model laden inbegrepen): {build:.1f} s"
    )
    if args.failures:
        print("\n".join(failures(catalogue, searcher, questions)))


if __name__ == "__main__":
    main()
