"""The shared-plan service: access, personal data on every write, cleaning, limits, join codes
(rotation, expiry, failures counted in the store), deletion and rendering.

Every test runs on SQLite and on a real PostgreSQL server (tests/db_fixtures.py).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import update

from knowledge.plan.files import PlanFiles
from knowledge.planning import PlanState
from knowledge.sharing import (
    CodeExpired,
    JoiningPaused,
    LimitReached,
    Limits,
    NoPlan,
    NotOwner,
    NotYours,
    PersonalDataRefused,
    PlanClosed,
    SharedPlanStore,
    TextRefused,
    TooManyAttempts,
    UnknownCode,
)
from knowledge.sharing.codes import ALPHABET
from knowledge.sharing.models import Contribution, Plan, utcnow
from knowledge.sharing.service import SharingService
from knowledge.sharing.view import PAUSED_NOTE

pytest_plugins = ["tests.db_fixtures"]

ANSWERS = {
    "plan_problem": "veel winkeldiefstal in het centrum",
    "plan_goal": "Het aantal winkeldiefstallen in het centrum daalt van 60 naar 40 in 2027.",
}
PHONE = "wij zien het vaak, bel 06-12345678 voor details"


def make_service(url: str, tmp_path: Path, **limits: int) -> SharingService:
    store = SharedPlanStore(url, Limits(**limits))
    store.migrate()
    return SharingService(store, PlanFiles(tmp_path / "plans"))


@pytest.fixture
def service(db_url: str, tmp_path: Path):
    service = make_service(db_url, tmp_path)
    yield service
    service.store.close()


def shared(service: SharingService, owner: str = "owner", partner: str = "partner"):
    plan = service.save_owned(owner, dict(ANSWERS), PlanState())
    service.set_owner_profile(owner, "Olga", "Gemeente Utrecht", "gemeente")
    service.join(partner, plan.code, "Piet", "Politie Midden-Nederland", "politie")
    return plan


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def wrong_code(code: str, keep: str = "first") -> str:
    """A code with one half of ``code`` and another valid second (or first) half."""
    first, second = code.split("-")
    other = "".join(ALPHABET[(ALPHABET.index(c) + 1) % len(ALPHABET)] for c in second)
    other = other if any(c.isdigit() for c in other) else "2" + other[1:]
    return f"{first}-{other}" if keep == "first" else f"{other}-{second}"


# --- access -------------------------------------------------------------------------------------


def test_access_is_decided_from_the_sender_and_the_store(service: SharingService) -> None:
    shared(service)
    with pytest.raises(NoPlan):
        service.view("stranger")
    for call, args in [
        (service.share, ("partner",)),
        (service.new_code, ("partner",)),
        (service.partners, ("partner",)),
        (service.close, ("partner",)),
    ]:
        with pytest.raises(NotOwner) as refused:
            call(*args)
        assert "eigenaar" in refused.value.text
    service.close("owner")
    for call, args in [
        (service.contribute, ("partner", 1, None, "wij zien veel diefstal op zaterdag")),
        (service.measure, ("partner", "winkeldiefstallen Q1 2027: 50")),
        (service.deletable, ("partner",)),
    ]:
        with pytest.raises(PlanClosed):
            call(*args)


# --- personal data and cleaning on every write ----------------------------------------------------


def test_personal_data_is_refused_on_every_write_path(service: SharingService) -> None:
    plan = shared(service)
    store = service.store
    for call, args in [
        (service.contribute, ("partner", 1, None, PHONE)),
        (service.measure, ("partner", "meldingen van Kevin (17) mei 2025: 3")),
        (store.add_contribution, (plan.id, "partner", 1, "bijdrage", PHONE)),
        (store.add_measurement, (plan.id, "partner", "bel 0612345678", "mei", "2025-05", 1)),
        (store.create_plan, ("someone", {"plan_problem": PHONE}, {})),
        (store.update_plan, (plan.id, "owner", {"plan_goal": PHONE}, {})),
        (store.set_profile, (plan.id, "partner", "Piet", "mail piet@example.nl", "politie")),
        (store.join, (plan.code, "new", "Anna", "bsn 123456782", "politie")),
        (service.save_owned, ("owner", {"plan_current": PHONE}, PlanState(plan_id=plan.id))),
    ]:
        with pytest.raises(PersonalDataRefused) as refused:
            call(*args)
        assert "sla ik niet op" in refused.value.text
    assert store.contributions(plan.id) == [] and store.measurements(plan.id) == []
    assert store.get_plan(plan.id).answers == ANSWERS
    assert store.current_participation("someone") is None
    assert store.participant(plan.id, "new") is None


def test_text_is_cleaned_on_every_write(service: SharingService) -> None:
    plan = service.save_owned(
        "owner", {"plan_problem": "overlast\x00 in\u202e de wijk"}, PlanState()
    )
    assert service.store.get_plan(plan.id).answers == {"plan_problem": "overlast in de wijk"}
    service.join("partner", plan.code, "Pi\x07et", "Politie\x1b Oost", "politie")
    saved = service.contribute("partner", 3, None, "wij surveilleren al op vrijdag\x01\x02 avond")
    assert saved.text == "wij surveilleren al op vrijdag avond" and saved.author == "Piet"
    measured = service.measure("partner", "winkel\x08diefstallen Q1 2027: 50")
    assert measured.measurement.indicator == "winkeldiefstallen"
    with pytest.raises(TextRefused):
        service.contribute("partner", 1, None, "\x01\x02 kort")
    with pytest.raises(TextRefused) as unclear:
        service.measure("partner", "cijfers komen later")
    assert "Bijvoorbeeld" in unclear.value.text


# --- rendering ----------------------------------------------------------------------------------


def test_a_plan_that_already_holds_control_characters_renders(service: SharingService) -> None:
    plan = shared(service)
    saved = service.contribute("partner", 3, None, "wij surveilleren al op vrijdag avond")
    service.measure("partner", "winkeldiefstallen Q1 2027: 50")
    with service.store.engine.begin() as connection:  # stored before cleaning existed
        connection.execute(
            update(Contribution)
            .where(Contribution.id == saved.id)
            .values(text="wij surveilleren al op vrijdag\x01\x02 avond")
        )
        connection.execute(
            update(Plan).where(Plan.id == plan.id).values(answers={"plan_problem": "a\x0bb\x1fc"})
        )
    view = service.view("partner")
    text = docx_text(view.rendered.docx)
    assert "wij surveilleren al op vrijdag avond" in text and "abc" in text
    assert view.chart is not None and view.chart.is_file()


def test_the_join_code_is_the_owners(service: SharingService) -> None:
    plan = shared(service)
    owner_view, partner_view = service.view("owner"), service.view("partner")
    assert plan.code in owner_view.summary
    assert plan.code not in partner_view.summary
    assert owner_view.doc_token == partner_view.doc_token
    assert plan.code not in docx_text(partner_view.rendered.docx)


# --- limits -------------------------------------------------------------------------------------


def test_limits_per_sender_participant_and_plan(db_url: str, tmp_path: Path) -> None:
    service = make_service(
        db_url,
        tmp_path,
        plans_per_sender=1,
        contributions_per_participant=2,
        contributions_per_plan=3,
        measurements_per_participant=1,
        measurements_per_plan=2,
    )
    try:
        plan = shared(service)
        with pytest.raises(LimitReached) as refused:
            service.store.create_plan("owner", {}, {})
        assert "1 plannen" in refused.value.text
        service.save_owned("owner", dict(ANSWERS), PlanState(plan_id=plan.id))  # an update is fine
        for n in range(2):
            service.contribute("partner", 1, None, f"wij zien veel overlast, melding {n}")
        with pytest.raises(LimitReached) as refused:
            service.contribute("partner", 1, None, "wij zien nog meer overlast")
        assert "200" not in refused.value.text and "2 bijdragen" in refused.value.text
        service.contribute("owner", 1, None, "de gemeente ziet het ook")
        with pytest.raises(LimitReached) as refused:
            service.contribute("owner", 1, None, "de gemeente ziet het nog steeds")
        assert "3 bijdragen" in refused.value.text
        service.measure("partner", "winkeldiefstallen Q1 2027: 50")
        with pytest.raises(LimitReached):
            service.measure("partner", "winkeldiefstallen Q2 2027: 45")
        service.measure("owner", "winkeldiefstallen Q2 2027: 45")
        with pytest.raises(LimitReached):
            service.measure("owner", "winkeldiefstallen Q3 2027: 40")
        assert len(service.store.contributions(plan.id)) == 3
        assert len(service.store.measurements(plan.id)) == 2
    finally:
        service.store.close()


def test_limits_come_from_the_environment() -> None:
    assert Limits.from_env({}) == Limits()
    assert Limits().join_code_days == 30 and Limits().plans_per_sender == 20
    limits = Limits.from_env(
        {"METHODEWIJZER_JOIN_CODE_DAYS": "7", "METHODEWIJZER_CONTRIBUTIONS_PER_PLAN": "50"}
    )
    assert limits.join_code_days == 7 and limits.contributions_per_plan == 50
    with pytest.raises(ValueError):
        Limits.from_env({"METHODEWIJZER_PLANS_PER_SENDER": "0"})


# --- join codes ---------------------------------------------------------------------------------


def test_the_code_changes_on_removal_and_on_request(service: SharingService) -> None:
    plan = shared(service)
    piet = service.partners("owner")[0]
    service.remove("owner", piet.id)
    after = service.store.get_plan(plan.id)
    assert after.code != plan.code
    with pytest.raises(UnknownCode):
        service.store.join(plan.code, "partner-again", "P", "Politie", "politie")
    renewed = service.new_code("owner")
    assert renewed.code not in (plan.code, after.code) and not renewed.paused
    assert service.check_join("newcomer", f"meedoen met {renewed.code}") == renewed.code
    with pytest.raises(UnknownCode):  # the code of before the request stopped working
        service.check_join("newcomer", f"meedoen met {after.code}")


def test_codes_expire(service: SharingService) -> None:
    plan = service.save_owned("owner", dict(ANSWERS), PlanState())
    old = utcnow() - timedelta(days=31)
    with service.store.engine.begin() as connection:
        connection.execute(update(Plan).where(Plan.id == plan.id).values(code_created_at=old))
    with pytest.raises(CodeExpired):
        service.check_join("partner", plan.code)
    with pytest.raises(CodeExpired):
        service.join("partner", plan.code, "Piet", "Politie", "politie")
    service.set_owner_profile("owner", "Olga", "Gemeente", "gemeente")
    fresh = service.new_code("owner")
    assert service.join("partner", fresh.code, "Piet", "Politie", "politie").participant.active


def test_failed_joins_are_counted_per_client_in_the_store(db_url: str, tmp_path: Path) -> None:
    service = make_service(db_url, tmp_path, join_failures_per_sender=3)
    try:
        plan = service.save_owned("owner", dict(ANSWERS), PlanState())
        for guess in ("ABCD-2345", "ABCD-2346", "ABCD-2347"):
            with pytest.raises(UnknownCode):
                service.check_join("guesser", guess)
        with pytest.raises(TooManyAttempts):
            service.check_join("guesser", plan.code)
    finally:
        service.store.close()
    again = make_service(db_url, tmp_path, join_failures_per_sender=3)  # a restart
    try:
        with pytest.raises(TooManyAttempts):
            again.join("guesser", plan.code, "G", "Org", "politie")
        assert again.join("honest", plan.code, "H", "Org", "politie").participant.active
    finally:
        again.store.close()


def test_guessing_one_plan_pauses_joining_it_and_tells_the_owner(
    db_url: str, tmp_path: Path
) -> None:
    service = make_service(db_url, tmp_path, join_failures_per_plan=3, join_failures_per_sender=5)
    try:
        plan = service.save_owned("owner", dict(ANSWERS), PlanState())
        service.set_owner_profile("owner", "Olga", "Gemeente", "gemeente")
        other = service.save_owned("other-owner", dict(ANSWERS), PlanState())
        guesses = [wrong_code(plan.code), wrong_code(plan.code, "second"), wrong_code(plan.code)]
        for n, guess in enumerate(guesses):  # a new sender id per try
            with pytest.raises(UnknownCode):
                service.check_join(f"bot-{n}", guess)
        with pytest.raises(JoiningPaused):
            service.check_join("honest", plan.code)
        assert service.share("owner").paused
        assert PAUSED_NOTE in service.view("owner").summary
        assert PAUSED_NOTE not in service.view("owner").summary.split(PAUSED_NOTE)[1]
        assert service.join(
            "someone", other.code, "S", "Org", "politie"
        ).participant.active  # others fine
        renewed = service.new_code("owner")  # a new code ends the pause
        assert not renewed.paused
        assert service.join("honest", renewed.code, "H", "Org", "politie").participant.active
    finally:
        service.store.close()


# --- deleting contributions ---------------------------------------------------------------------


def test_owner_deletes_any_contribution_a_partner_only_their_own(service: SharingService) -> None:
    plan = shared(service)
    service.join("third", plan.code, "Truus", "Woonstichting", "woningcorporaties")
    mine = service.contribute("partner", 3, None, "wij surveilleren al op vrijdag avond")
    theirs = service.contribute("third", 1, None, "wij zien overlast bij de flats")
    assert [c.id for c in service.deletable("partner")] == [mine.id]
    assert [c.id for c in service.deletable("owner")] == [theirs.id, mine.id]
    with pytest.raises(NotYours):
        service.delete_contribution("partner", theirs.id)
    service.delete_contribution("partner", mine.id)
    service.delete_contribution("owner", theirs.id)
    assert service.store.contributions(plan.id) == []
    text = docx_text(service.view("partner").rendered.docx)
    assert "surveilleren" not in text and "flats" not in text
