"""`make bench-search`: search quality and speed on tests/data/search_eval.yml.

Prints top-1, top-3 and MRR for BM25 only, dense only and the hybrid, the honest "no match"
rate on out-of-scope questions, query latency (p50/p95 after warm-up) and index build time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from knowledge.catalogue import load_catalogue
from knowledge.search import Searcher

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_eval.yml"
# Written later by someone who saw neither code nor data, and never used for tuning.
HOLDOUT_SET = EVAL_SET.with_name("search_eval_holdout.yml")
MODES = ("bm25", "dense", "hybrid")


def load_eval(path: Path = EVAL_SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def rank_of(ids: list[str], expected: list[str]) -> int | None:
    return next((i for i, m in enumerate(ids, 1) if m in expected), None)


def evaluate(searcher: Searcher, questions: list[dict], mode: str) -> dict[str, float]:
    """Ranking metrics on in-scope questions, and how often "no match" is (wrongly) flagged."""
    top1 = top3 = rr = 0.0
    flagged = {True: 0, False: 0}  # in scope -> flagged count
    for q in questions:
        result = searcher.search(q["q"], top=len(searcher.method_ids), mode=mode, rank_anyway=True)
        in_scope = bool(q["expected"])
        flagged[in_scope] += result.no_match
        if in_scope:
            rank = rank_of([h.id for h in result.hits], q["expected"])
            top1 += rank == 1
            top3 += rank is not None and rank <= 3
            rr += 1 / rank if rank else 0
    n = sum(1 for q in questions if q["expected"])
    n_out = len(questions) - n
    return {
        "top1": top1 / n,
        "top3": top3 / n,
        "mrr": rr / n,
        "oos_flagged": flagged[False] / max(1, n_out),
        "in_scope_flagged": flagged[True] / n,
    }


def failures(searcher: Searcher, questions: list[dict]) -> list[str]:
    lines = []
    for q in questions:
        result = searcher.search(q["q"], top=3)
        ids = [h.id for h in result.hits]
        if q["expected"] and (not ids or ids[0] not in q["expected"]):
            lines.append(f"  top1 miss: {q['q']!r} -> {ids} (verwacht {q['expected']})")
        if not q["expected"] and not result.no_match:
            lines.append(f"  oos miss:  {q['q']!r} -> {ids}")
    return lines


def print_table(searcher: Searcher, questions: list[dict], title: str) -> None:
    n_in = sum(1 for q in questions if q["expected"])
    print(
        f"{title}: {len(questions)} vragen ({n_in} binnen scope, {len(questions) - n_in} erbuiten)"
    )
    print(
        f"{'modus':8} {'top-1':>6} {'top-3':>6} {'MRR':>6}"
        f" {'geen-match buiten scope':>24} {'ten onrechte geen match':>24}"
    )
    for mode in MODES:
        r = evaluate(searcher, questions, mode)
        print(
            f"{mode:8} {r['top1']:6.3f} {r['top3']:6.3f} {r['mrr']:6.3f}"
            f" {r['oos_flagged']:24.3f} {r['in_scope_flagged']:24.3f}"
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
    print_table(searcher, questions, "Evaluatieset")
    if HOLDOUT_SET.exists():
        print_table(searcher, load_eval(HOLDOUT_SET), "Tweede set, niet gebruikt bij afstemmen")
    for q in questions[:10]:  # warm-up
        searcher.search(q["q"])
    timings = []
    for _ in range(3):
        for q in questions:
            start = time.perf_counter()
            searcher.search(q["q"])
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(
        f"latentie hybride: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms ({len(timings)} zoekvragen)"
    )
    print(
        f"index bouwen (26 methoden, {len(searcher.passages)} passages, model laden inbegrepen): {build:.1f} s"
    )
    if args.failures:
        print("\n".join(failures(searcher, questions)))


if __name__ == "__main__":
    main()
