"""The planner steps are defined once (knowledge/data/planner.yml); everything else follows them."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy import CheckConstraint

from actions.ask_planner_steps import ASK_ACTIONS
from actions.validate_planner_form import CHECKS, ValidatePlannerForm
from knowledge.catalogue import Catalogue
from knowledge.docx_export import _AFTER_CONTRIBUTIONS, _STEP_BODY
from knowledge.plan.build import build_plan
from knowledge.plan.text import step_answers, to_markdown
from knowledge.planning import PlanState
from knowledge.sharing.contribute import STEP_LABELS, step_from_choice, stored_kind
from knowledge.steps import COUNT, OPEN_STEPS, SLOTS, STEPS, load_steps, partner_choices

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "bot" / "domain" / "planner.yml").read_text(encoding="utf-8"))


def test_the_domain_form_asks_exactly_the_steps_slots_in_order():
    assert DOMAIN["forms"]["planner_form"]["required_slots"] == list(SLOTS)
    for slot in SLOTS:
        assert DOMAIN["slots"][slot]["type"] == "text"
        assert f"action_ask_{slot}" in DOMAIN["actions"]


def test_every_step_has_its_ask_action_and_validation():
    assert [action().name() for action in ASK_ACTIONS] == [f"action_ask_{s}" for s in SLOTS]
    for action in ASK_ACTIONS:  # the action server's worker gets its actions by pickling
        assert pickle.loads(pickle.dumps(action())).name() == action().name()
    form = ValidatePlannerForm()
    for slot in SLOTS:
        assert callable(getattr(form, f"validate_{slot}"))
    assert getattr(form, "validate_method", None) is None
    assert set(CHECKS) <= set(SLOTS)


def test_renderers_cover_every_step():
    plan = build_plan(Catalogue.load(), {}, PlanState())
    assert list(step_answers(plan)) == list(SLOTS)
    assert set(_STEP_BODY) == set(SLOTS)
    assert set(_AFTER_CONTRIBUTIONS) <= set(SLOTS)
    lines = to_markdown(plan).splitlines()[1 : COUNT + 1]
    assert [line.split(":")[0] for line in lines] == [f"{s.number}. {s.label}" for s in STEPS]


def test_partners_add_to_direct_steps_and_propose_on_the_others():
    assert OPEN_STEPS == (1, 3, 6)
    assert {s.number: s.label for s in STEPS} == STEP_LABELS
    assert stored_kind(3, None, is_owner=False) == "bijdrage"
    assert stored_kind(4, None, is_owner=False) == "voorstel"
    assert stored_kind(4, None, is_owner=True) == "besluit"
    payloads = [payload for _title, payload in partner_choices()]
    assert payloads == ["stap 1", "stap 3", "stap 6", "stap 4", "stap 5"]
    for number in range(1, COUNT + 1):
        assert step_from_choice(f"stap {number}") == number
        assert step_from_choice(str(number)) == number
    assert step_from_choice(str(COUNT + 1)) is None


def test_a_broken_steps_file_fails_loudly(tmp_path):
    data = yaml.safe_load((ROOT / "knowledge" / "data" / "planner.yml").read_text("utf-8"))
    data["steps"][1]["number"] = 7
    path = tmp_path / "planner.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="op volgorde"):
        load_steps(path)


def test_the_rasa_component_takes_its_step_numbers_from_the_data_file():
    probe = (
        "import json, sys\n"
        "from rasa_ext.intent_signals import _STEP_PREFIX\n"
        "print(json.dumps([bool(_STEP_PREFIX.match(t)) for t in json.load(sys.stdin)]))\n"
    )
    texts = [f"stap {n}: wij zien het ook" for n in range(1, COUNT + 2)]
    result = subprocess.run(
        [str(ROOT / ".venv-rasa" / "bin" / "python"), "-c", probe],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert json.loads(result.stdout) == [True] * COUNT + [False]


def test_the_shared_plan_table_accepts_exactly_the_steps():
    """A new step needs a migration of this check constraint too (knowledge/sharing/migrations)."""
    from knowledge.sharing.models import Contribution

    checks = {
        c.name: str(c.sqltext)
        for c in Contribution.__table__.constraints
        if isinstance(c, CheckConstraint)
    }
    assert checks["ck_contributions_step"] == f"step BETWEEN 1 AND {COUNT}"
