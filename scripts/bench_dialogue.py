"""`make bench-dialogue`: is each Dutch utterance answered as expected over REST?

Starts the services like `make run` (free ports, temporary data directory), sends every
utterance of tests/data/dialogue_eval.yml (dev), tests/data/dialogue_eval_2.yml (dev2, a
second development set in other voices) and tests/data/dialogue_holdout.yml (holdout, never
used for tuning) in a fresh conversation and judges the first reply with
scripts/dialogue_check.py. Prints per kind and overall accuracy, the share of in-scope problem
descriptions that get a fallback, and the share of out-of-scope questions that get advice.
Then drives a fresh planner conversation for each answer of tests/data/planner_answers.yml to
its step and checks that the answer was taken in that step.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

import dialogue_check as check  # scripts/dialogue_check.py, next to this file
import httpx
import serve  # scripts/serve.py, next to this file
from bench_stack import temporary_stack


def run_set(name: str, items: list[dict], post: check.Post, verbose: bool) -> dict[str, float]:
    per_kind: dict[str, list[bool]] = defaultdict(list)
    fallback = advice_oos = 0
    advice_total = oos_total = 0
    confusions: Counter[tuple[str, str]] = Counter()
    for item in items:
        seen = check.first_reply(post, item["text"])
        ok = check.acceptable(item, seen)
        per_kind[item["kind"]].append(ok)
        if item["kind"] == "advice":
            advice_total += 1
            fallback += check.is_fallback(seen)
        if item["kind"] == "out_of_scope":
            oos_total += 1
            advice_oos += seen.kind == "advice"
        if not ok:
            confusions[(item["kind"], seen.kind)] += 1
            if verbose:
                print("  FOUT", check.dumps(item, seen))
    total = sum(len(v) for v in per_kind.values())
    right = sum(sum(v) for v in per_kind.values())
    print(f"\n== {name}: {total} uitingen ==")
    print(f"{'soort':<15}{'n':>5}{'goed':>7}")
    for kind in sorted(per_kind):
        oks = per_kind[kind]
        print(f"{kind:<15}{len(oks):>5}{sum(oks) / len(oks):>7.2f}")
    accuracy = right / total if total else 0.0
    fb = fallback / advice_total if advice_total else 0.0
    oa = advice_oos / oos_total if oos_total else 0.0
    print(f"totaal goed: {accuracy:.3f} (doel >= 0.95)")
    print(
        f"probleembeschrijvingen met fallback: {fb:.3f} ({fallback}/{advice_total}, doel <= 0.02)"
    )
    print(f"buiten het domein met advies: {oa:.3f} ({advice_oos}/{oos_total}, doel <= 0.10)")
    if confusions:
        print("verwisselingen (verwacht -> kreeg):")
        for (want, got), n in confusions.most_common(12):
            print(f"  {want} -> {got}: {n}")
    return {"accuracy": accuracy, "fallback": fb, "oos_advice": oa}


def run_planner(answers: list[dict], post: check.Post, verbose: bool) -> float:
    per_step: dict[int, list[bool]] = defaultdict(list)
    for answer in answers:
        step = int(answer["step"])
        ok, reply = check.taken_in_step(post, step, answer["text"])
        per_step[step].append(ok)
        if not ok and verbose:
            print(f"  FOUT stap {step}: {answer['text']!r} -> {reply!r}")
    total = sum(len(v) for v in per_step.values())
    right = sum(sum(v) for v in per_step.values())
    print(f"\n== planner: {total} antwoorden ==")
    for step in sorted(per_step):
        oks = per_step[step]
        print(f"stap {step}: {sum(oks)}/{len(oks)}")
    share = right / total if total else 0.0
    print(f"in de goede stap opgenomen: {share:.3f} (doel >= 0.95)")
    return share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", default="dev,holdout,planner", help="dev, dev2, holdout, planner")
    parser.add_argument("--model", type=Path, default=serve.MODEL, help="Rasa model to serve")
    parser.add_argument("--verbose", action="store_true", help="print wrong replies (not holdout)")
    args = parser.parse_args()
    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    with temporary_stack(web=False, model=args.model) as stack:
        url = stack.rest_url
        start = time.perf_counter()
        with httpx.Client(timeout=60) as client:
            post = check.rest_poster(client, url)
            for name in wanted:
                if name == "planner":
                    run_planner(check.load_planner_answers(), post, args.verbose)
                else:
                    # Holdout texts are never printed: nobody tunes on them.
                    verbose = args.verbose and name != "holdout"
                    run_set(name, check.load_set(check.SETS[name]), post, verbose)
        print(f"\nduur: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
