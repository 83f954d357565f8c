"""End to end over REST: one shared plan, an owner and a partner, real Rasa and action servers.

The owner drafts a plan and shares it; a second sender joins with the code; both add at the same
moment; both download the same DOCX, which lists both; a measurement shows progress to the goal.
"""

from __future__ import annotations

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from docx import Document

pytestmark = pytest.mark.e2e

GOAL = "Het aantal winkeldiefstallen in het centrum daalt van 60 naar 40 voor eind 2027."
CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b")


class Chat:
    def __init__(self, url: str, who: str):
        self.url = url
        self.sender = f"{who}-{uuid.uuid4().hex[:10]}"

    def say(self, text: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message))


def custom(replies: list[dict], kind: str) -> dict:
    return next(m["custom"] for m in replies if (m.get("custom") or {}).get("type") == kind)


def docx_text(content: bytes, tmp_path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.docx"
    path.write_bytes(content)
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def draft_plan(owner: Chat) -> None:
    assert "Vraag 1 van 6" in owner.text("ik wil een plan van aanpak maken")
    owner.text("veel winkeldiefstal in het winkelcentrum in het centrum")
    owner.text("winkeldiefstal is het belangrijkste")
    owner.text("de politie surveilleert af en toe")
    assert "Vraag 5 van 6" in owner.text(GOAL)
    owner.say('/inform{"method": "kvo"}')
    replies = owner.say("aangiftes bij de politie, evaluatie elk kwartaal")
    assert custom(replies, "plan")["url"].endswith(".docx")


def share(owner: Chat) -> str:
    assert "naam" in owner.text("ik wil mijn plan delen met partners")
    assert "organisatie" in owner.text("Anna")
    answer = owner.text("Gemeente Utrecht")  # the party (gemeente) follows from the name
    code = CODE.search(answer)
    assert code, answer
    return code.group(1)


def join(partner: Chat, code: str, name: str, organisation: str) -> str:
    assert "naam" in partner.text(f"ik wil meedoen met plan {code}")
    assert "organisatie" in partner.text(name)
    return partner.text(organisation)


def test_owner_and_partner_share_one_plan(stack, tmp_path):
    owner, partner, stranger = (Chat(stack["url"], w) for w in ("owner", "partner", "stranger"))
    draft_plan(owner)
    code = share(owner)

    # a wrong code and a forged slot do not give access
    assert "ken ik niet" in stranger.text("ik wil meedoen met plan ZZZZ-9999")
    assert "meedoen" in stranger.text('/join_plan{"join_code": "' + code + '"}').lower()
    assert "nog niet mee" in stranger.text("/add_contribution")

    joined = join(partner, code, "Bram", "Politie Midden-Nederland")
    assert "Je doet nu mee" in joined and "Politie" in joined

    # both write at the same moment, several times; nothing is lost
    rounds = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")
    owner_lines = [f"toevoegen aan stap 3: de gemeente zet op {d} boa's in" for d in rounds]
    partner_lines = [f"stap 1: wij zien op {d} veel diefstal bij de supermarkt" for d in rounds]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda job: [job[0].text(line) for line in job[1]],
                [(owner, owner_lines), (partner, partner_lines)],
            )
        )
    elapsed = time.perf_counter() - start
    assert all("Opgeslagen" in a for batch in answers for a in batch), answers
    print(f"\n10 contributions from 2 senders at once: {elapsed:.2f} s")

    # personal data about citizens is refused and not stored
    warning = partner.text("stap 1: de dader is Kevin de Jong, bel 06-12345678")
    assert "sla ik niet op" in warning and "Wat wil je toevoegen" in warning
    assert "niets" in partner.text("nee")  # not rewritten: nothing is added

    news = owner.text("wat hebben anderen toegevoegd?")
    assert "Bram" in news and "supermarkt" in news

    # a measurement shows progress against the SMART goal (60 -> 40, now 50: halfway)
    measured = partner.say("winkeldiefstallen Q1 2027: 50")
    text = "\n".join(m.get("text", "") for m in measured)
    assert "50" in text and "50%" in text, text
    chart = custom(measured, "chart")
    image = httpx.get(f"{stack['web']}/plans/{chart['plan_id']}.png", timeout=10)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    # both see the same plan and download the same DOCX listing both contributions
    seen_by_owner = owner.say("laat het plan zien")
    seen_by_partner = partner.say("laat het plan zien")
    doc_owner, doc_partner = custom(seen_by_owner, "plan"), custom(seen_by_partner, "plan")
    assert doc_owner["plan_id"] == doc_partner["plan_id"]
    summary = "\n".join(m.get("text", "") for m in seen_by_partner)
    assert "Nog niet betrokken" in summary and "Bram" in summary
    files = [
        httpx.get(d["url"].replace("http://localhost", "http://127.0.0.1"), timeout=10)
        for d in (doc_owner, doc_partner)
    ]
    assert files[0].status_code == 200 and files[0].content == files[1].content
    content = docx_text(files[0].content, tmp_path)
    for expected in (
        *(line.split(": ", 1)[1] for line in owner_lines + partner_lines),
        "Anna",
        "Bram",
        "Politie Midden-Nederland",
        GOAL,
    ):
        assert expected in content, expected
    assert "Kevin" not in content and "06-12345678" not in content
    assert "Q1 2027" in content and "Nog niet betrokken" in content

    # only the owner decides: a partner cannot close the plan or remove people
    assert "eigenaar" in partner.text("sluit het plan")
    assert "eigenaar" in partner.text("verwijder een deelnemer")

    # the owner removes the partner; the partner can no longer add, the old link is dead
    buttons = [b for m in owner.say("verwijder een deelnemer") for b in m.get("buttons", [])]
    removal = next(b for b in buttons if "Bram" in b["title"])
    confirm = [b for m in owner.say(removal["payload"]) for b in m.get("buttons", [])]
    assert "doet niet meer mee" in owner.text(confirm[0]["payload"])
    assert "nog niet mee" in partner.text("stap 1: nog meer overlast bij de markt")
    old = httpx.get(doc_owner["url"].replace("http://localhost", "http://127.0.0.1"), timeout=10)
    assert old.status_code == 404


def test_a_restart_of_all_services_loses_nothing(stack, tmp_path):
    owner, partner = Chat(stack["url"], "owner"), Chat(stack["url"], "partner")
    draft_plan(owner)
    code = share(owner)
    join(partner, code, "Fatima", "jongerenwerk Welzijn Noord")
    assert "Opgeslagen" in partner.text(
        "stap 3: wij lopen al drie avonden per week door het centrum"
    )
    assert "Opgeslagen" in partner.text("winkeldiefstallen Q1 2027: 55")

    serve, services = stack["serve"], stack["services"]
    serve.stop(services)
    for service in services:
        serve.start(service, stack["env"])
    serve.wait_healthy(services, timeout=240)

    news = owner.text("wat hebben anderen toegevoegd?")
    assert "Fatima" in news and "drie avonden" in news and "55" in news
    shown = partner.say("laat het plan zien")
    content = docx_text(httpx.get(custom(shown, "plan")["url"], timeout=10).content, tmp_path)
    assert "drie avonden" in content and "Fatima" in content and "Q1 2027" in content
