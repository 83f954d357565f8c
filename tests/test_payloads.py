"""The custom payloads: what actions send is what channels read back (knowledge/payloads.py)."""

from __future__ import annotations

import pytest

from knowledge import payloads
from knowledge.plan.files import new_plan_id


@pytest.mark.parametrize(("kind", "suffix"), [(payloads.PLAN, ".docx"), (payloads.CHART, ".png")])
def test_a_sent_payload_reads_back_the_same(kind, suffix):
    plan_id = new_plan_id()
    sent = payloads.file_payload(kind, plan_id, "https://methodewijzer.example/")
    custom = sent.to_custom()
    assert custom == {"type": kind, "plan_id": plan_id, "url": sent.url}
    assert sent.url == f"https://methodewijzer.example/plans/{plan_id}{suffix}"
    assert payloads.parse(custom) == sent


def test_a_crafted_id_is_not_taken_as_a_plan_id():
    parsed = payloads.parse({"type": "plan", "plan_id": "../../etc/passwd", "url": 3})
    assert parsed is not None and parsed.plan_id is None and parsed.url == ""


@pytest.mark.parametrize("custom", [None, "plan", {"type": "video"}, {"plan_id": new_plan_id()}])
def test_other_custom_messages_are_not_payloads(custom):
    assert payloads.parse(custom) is None


def test_only_known_kinds_are_made():
    with pytest.raises(ValueError):
        payloads.file_payload("video", new_plan_id(), "http://x")
