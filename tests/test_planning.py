"""SMART check, recognition of problems and the plan van aanpak with its DOCX."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from knowledge.catalogue import load_catalogue
from knowledge.docx_export import write_docx
from knowledge.nl.lexicon import lexicon_for
from knowledge.plan.build import build_plan
from knowledge.plan.files import PlanFiles, is_plan_id, new_plan_id
from knowledge.plan.text import to_markdown
from knowledge.planning import PlanState, check_smart, recognise, smart_feedback


@pytest.fixture(scope="module")
def lexicon():
    return lexicon_for(load_catalogue())


@pytest.mark.parametrize(
    "goal",
    [
        "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.",
        "Binnen twee jaar 25% minder woninginbraken in de wijk Noord",
        "Eind 2026 is de jeugdoverlast bij het station gehalveerd",
        "uiterlijk december volgend jaar maximaal 10 meldingen van drugsoverlast per maand in de binnenstad",
    ],
)
def test_smart_goals_pass(goal, lexicon):
    check = check_smart(goal, lexicon)
    assert check.ok, (goal, check)


def test_vague_goal_lacks_measurable_and_time(lexicon):
    check = check_smart("minder overlast in de wijk", lexicon)
    assert not check.ok
    assert not check.measurable and not check.time_bound


def test_goal_without_area_is_not_specific(lexicon):
    check = check_smart("In 2027 20% minder winkeldiefstal", lexicon)
    assert not check.specific and check.measurable and check.time_bound


def test_a_measure_is_not_a_goal(lexicon):
    check = check_smart("we plaatsen camera's in de winkelstraat", lexicon)
    assert check.looks_like_measure and not check.ok
    text = smart_feedback(check, load_catalogue(), "Winkeldiefstal")
    assert "maatregel" in text and "Voorbeeld" in text


def test_feedback_names_what_is_missing(lexicon):
    check = check_smart("minder inbraken", lexicon)
    text = smart_feedback(check, load_catalogue(), "Woninginbraak")
    assert "meetbaar" in text and "tijdgebonden" in text and "woninginbraak" in text


def test_recognise_problem_setting_and_group(lexicon):
    found = recognise("hangjongeren en drugsdealers bij het station", lexicon)
    assert "drugsoverlast" in found["problems"]
    assert "station" in found["settings"]


def test_plan_ids_are_unguessable_and_checked():
    ids = {new_plan_id() for _ in range(100)}
    assert len(ids) == 100 and all(is_plan_id(i) for i in ids)
    assert not is_plan_id("../etc/passwd") and not is_plan_id("abc")


def test_plan_files_never_leave_the_plans_directory(tmp_path):
    files = PlanFiles(tmp_path)
    assert files.docx_path("../etc/passwd") is None and files.chart_path("..") is None
    with pytest.raises(ValueError):
        files.docx_target("../../x")
    plan_id = new_plan_id()
    assert files.docx_target(plan_id).parent == tmp_path
    assert PlanFiles.download_path(plan_id, ".png") == f"/plans/{plan_id}.png"


def test_plan_docx_contains_the_answers(tmp_path):
    catalogue = load_catalogue()
    state = PlanState(
        problems=["winkeldiefstal"],
        settings=["winkelgebied"],
        methods=["kvo"],
        goal_verdict="SMART: specifiek, meetbaar en tijdgebonden",
    )
    answers = {
        "plan_problem": "Veel winkeldiefstal in het centrum",
        "plan_priorities": "winkeldiefstal",
        "plan_current": "camera's bij twee winkels",
        "plan_goal": "In 2027 20% minder winkeldiefstallen in het centrum",
        "plan_methods": "KVO",
        "plan_monitoring": "aangiftecijfers politie, evaluatie elk half jaar",
    }
    plan = build_plan(catalogue, answers, state, today=date(2027, 5, 10))
    path = write_docx(plan, PlanFiles(tmp_path).docx_target(plan.id))
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    tables = "\n".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)
    assert "In 2027 20% minder winkeldiefstallen in het centrum" in text
    assert "hercertificering" in text  # KVO's last step
    assert "Ondernemers" in tables and "KVO" in tables
    assert "Aantal aangiften van winkeldiefstal" in tables  # step 6 indicator for the priority
    assert "Nulmeting bij de start" in text
    assert "Opgesteld met de Methodewijzer op 2027-05-10" in text
    assert "Keurmerk Veilig Ondernemen" in to_markdown(plan)
    assert PlanFiles(tmp_path).docx_path(plan.id) == path
