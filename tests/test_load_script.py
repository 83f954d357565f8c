"""The cluster benchmark's simulated users (scripts/load/conversation.py) check what they claim.

If a failure text were renamed or a set moved, the load would silently stop counting errors or
send nothing realistic; these tests fail instead.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "load"))
import conversation as talk  # noqa: E402  scripts/load/conversation.py


def test_every_failure_text_is_found_where_it_is_defined():
    for path, name in talk.FAILURE_CONSTANTS:
        value = talk.constant(ROOT / path, name)
        assert value and len(value) > 20, (path, name)
    assert len(talk.failure_texts()) >= 2  # web and Telegram may share one wording
    assert talk.not_understood_texts()


def test_material_comes_from_the_dev_sets_and_never_from_a_holdout():
    material = talk.load_material()
    assert len(material.advice) >= 50 and len(material.explain) >= 5
    assert all(len(material.steps[n]) >= 5 for n in range(1, talk.STEPS + 1))
    held_out: set[str] = set()
    for name in ("advice_holdout.yml", "dialogue_holdout.yml", "search_eval_holdout.yml"):
        data = yaml.safe_load((talk.DATA / name).read_text(encoding="utf-8")) or {}
        for items in data.values():
            held_out |= {str(i.get("text") or i.get("q") or "") for i in items or []}
    assert len(held_out) > 100
    sent = [
        *material.advice,
        *material.explain,
        *(a for step in material.steps.values() for a in step),
    ]
    assert not set(sent) & held_out


def test_a_failure_or_an_empty_reply_is_an_error_a_real_answer_is_not():
    judge = talk.Judge()
    apology = talk.constant(ROOT / "rasa_ext/action_failure_apology.py", "APOLOGY")
    assert judge.failure([{"text": apology}]) is not None
    assert judge.failure([]) is not None
    assert judge.failure([{"text": "  "}]) is not None
    assert judge.failure([{"text": "KVO is het Keurmerk Veilig Ondernemen."}]) is None


def test_the_planner_must_ask_the_next_question_or_the_same_one_again():
    judge = talk.Judge()

    def asks(n: int) -> list[dict]:
        return [{"text": "Genoteerd."}, {"text": f"Vraag {n} van {talk.STEPS} - ..."}]

    assert judge.planner(2, asks(3)) == ("next", None)
    assert judge.planner(4, asks(4)) == ("again", None)
    assert judge.planner(2, asks(4))[1]  # a step skipped
    assert judge.planner(3, asks(3 - 1))[1]  # a step back
    assert judge.planner(3, [{"text": "Wat leuk!"}])[1]  # no question at all
    done = [{"text": "Je plan is klaar.", "custom": {"type": "plan", "url": "/plans/x.docx"}}]
    assert judge.planner(talk.STEPS, done) == ("done", None)
    assert judge.planner(talk.STEPS, [{"text": "Dank je."}])[1]


def test_a_script_has_an_opening_and_an_answer_for_every_step():
    material = talk.load_material()
    script = talk.new_script(material, random.Random(7))
    kinds = [kind for kind, _ in script.opening]
    assert "uitleg" in kinds and "advies" in kinds
    assert sorted(script.answers) == list(range(1, talk.STEPS + 1))
    assert all(script.answers[n] for n in script.answers)


def test_conversations_sharing_decks_repeat_no_advice_question_before_the_set_is_used_up():
    material = talk.load_material()
    rng = random.Random(3)
    decks = talk.Decks.of(material, rng)
    asked: list[str] = []
    problems: list[str] = []
    while decks.advice.drawn + 2 <= len(material.advice):
        script = talk.new_script(material, rng, decks)
        asked += [text for kind, text in script.opening if kind == "advies"]
        problems.append(script.answers[1][0])
        assert len(set(script.answers[1])) == len(script.answers[1])  # tries differ
    assert len(asked) == len(set(asked)) and len(asked) >= len(material.advice) - 1
    pool = len(material.steps[1])
    assert all(
        len(set(problems[i : i + pool])) == pool for i in range(0, len(problems) - pool, pool)
    )
    talk.new_script(material, rng, decks)  # a used-up deck is shuffled again
