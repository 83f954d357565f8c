"""End to end over REST: step 5 as measures, and "wie doet wat", with the real servers.

1. An owner drafts a plan with two methods (KVO, Streetwise), then adds three measures from
   the methods' steps and one own measure, changing responsible parties and periods; the Word
   file (read back with python-docx) has the 'Wie doet wat' table with those parties and dates.
2. In a shared plan a partner takes a measure on; the partner cannot confirm it (not even with a
   typed payload); the owner confirms with the button, and the table says who does it now.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from docx import Document

from knowledge.plan.measures import TABLE_HEADER
from tests.test_e2e_sharing import GOAL, Chat, custom, join, share

pytestmark = pytest.mark.e2e


def buttons(replies: list[dict]) -> dict[str, str]:
    return {b["title"]: b["payload"] for m in replies for b in m.get("buttons") or []}


def texts(replies: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in replies)


def draft_two_method_plan(owner: Chat) -> list[dict]:
    assert "Vraag 1 van 6" in owner.text("ik wil een plan van aanpak maken")
    owner.text("veel winkeldiefstal en hangjongeren in het winkelcentrum in het centrum")
    owner.text("winkeldiefstal en overlast door jongeren")
    owner.text("de politie surveilleert af en toe")
    assert "Vraag 5 van 6" in owner.text(GOAL)
    answer = owner.text("we kiezen voor KVO en Streetwise")
    assert "Keurmerk Veilig Ondernemen" in answer and "Vraag 6 van 6" in answer, answer
    return owner.say("aangiftes bij de politie, evaluatie elk kwartaal")


def word_table(url: str, tmp_path) -> list[list[str]]:
    content = httpx.get(url.replace("http://localhost", "http://127.0.0.1"), timeout=10).content
    path = tmp_path / f"{uuid.uuid4().hex}.docx"
    path.write_bytes(content)
    table = next(
        t for t in Document(str(path)).tables if t.rows[0].cells[1].text == TABLE_HEADER[1]
    )
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_three_method_measures_and_an_own_one_in_the_word_table(stack, tmp_path):
    owner = Chat(stack["url"], "measures-owner")
    summary = draft_two_method_plan(owner)
    assert buttons(summary)["Maatregelen kiezen"] == "/add_measure"

    menu = owner.say("/add_measure")
    assert "KVO:" in texts(menu) and "Streetwise:" in texts(menu), texts(menu)
    choices = buttons(menu)
    assert "Klaar" in choices

    # 1: KVO's first step, the proposed party kept
    added = owner.say(choices[next(t for t in choices if t.startswith("1."))])
    assert "Maatregel 1: samenwerking organiseren" in texts(added), texts(added)
    assert "Gemeente" in texts(added) and "Klopt" in buttons(added)
    owner.say(buttons(added)["Klopt"])
    # 2: KVO's second step, given to the police with a period in months
    added = owner.text("2")
    assert "Maatregel 2: veiligheid analyseren" in added, added
    changed = owner.text("politie, maart 2027 tot juni 2027")
    assert "Politie" in changed and "maart 2027 - juni 2027" in changed, changed
    # 3: a step of Streetwise, by its number in the menu, in a quarter
    kvo_steps = 8
    added = owner.text(str(kvo_steps + 1))
    assert "Maatregel 3:" in added, added
    owner.text("welzijnswerk, tweede kwartaal 2027")
    # 4: an own measure in free text with party, period and budget
    own = owner.text("winkelpersoneel trainen, ondernemers, Q3 2027, budget: 2000 euro")
    assert "Maatregel 4: winkelpersoneel trainen" in own and "Ondernemers" in own, own
    owner.text("klopt")
    done = owner.say("klaar")
    overview = texts(done)
    assert "Wie doet wat:" in overview and "4. winkelpersoneel trainen" in overview, overview
    assert "maatregel 1, 2, 3, 4" in overview  # the goal of step 4 lists its measures

    rows = word_table(custom(done, "plan")["url"], tmp_path)
    assert [r[0] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0][2].startswith("Gemeente")
    assert rows[1][2:4] == ["Politie", "maart 2027 - juni 2027"]
    assert "Streetwise" in rows[2][1] and rows[2][3] == "Q2 2027"
    assert "eigen maatregel" in rows[3][1] and rows[3][2:4] == ["Ondernemers", "Q3 2027"]
    assert all(r[5] == "bevestigd" for r in rows)
    assert any("winkeldiefstal" in r[4] for r in rows)


def test_partner_takes_on_a_measure_and_only_the_owner_confirms(stack, tmp_path):
    owner, partner = Chat(stack["url"], "m-owner"), Chat(stack["url"], "m-partner")
    draft_two_method_plan(owner)
    owner.say("/add_measure")
    owner.text("1")
    owner.text("klopt")
    owner.text("2")
    owner.say("klaar")
    code = share(owner)
    joined = join(partner, code, "Bram", "Politie Midden-Nederland")
    assert "Je doet nu mee" in joined

    offer = partner.text("wij nemen maatregel 2 op ons")
    assert "maatregel 2" in offer and "eigenaar" in offer, offer
    # the partner cannot decide, not with a typed button payload either
    refused = partner.text('/confirm_measure{"measure_number": "2"}')
    assert "eigenaar" in refused, refused
    partner_view = partner.text("wie doet wat")
    assert "wil dit oppakken" in partner_view, partner_view

    board = owner.say("wie doet wat")
    assert "Politie Midden-Nederland" in texts(board), texts(board)
    confirm = buttons(board)["Bevestig 2"]
    confirmed = owner.text(confirm)
    assert "Bevestigd: maatregel 2" in confirmed and "Politie Midden-Nederland" in confirmed

    done = partner.say("wie doet wat")
    assert "2. veiligheid analyseren - Politie Midden-Nederland" in texts(done), texts(done)
    rows = word_table(custom(done, "plan")["url"], tmp_path)
    assert rows[1][2].startswith("Politie Midden-Nederland") and rows[1][5] == "bevestigd"
