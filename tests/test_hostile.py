"""The project's own hostile corpus through the web server and the Telegram bridge, against the
real Rasa and action servers (the `stack` fixture), inside a shared plan.

An owner drafts and shares a plan; a partner on the web page and a field worker in Telegram join
it and send every input of the corpus (empty, 50k characters, every control character, emoji,
bidi marks, markup, SQL-like text, '/intent{...}' with every slot of the domain, join-code
guessing). Expected: no 5xx (no 'niet bereikbaar' in Telegram), no control character in the
plan store, and the plan still renders for everyone. The numbers are printed for the report.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
import string
import time
from pathlib import Path

import httpx
import pytest
import yaml
from conftest import ROOT
from telegram import Update
from telegram.ext import TypeHandler
from telegram_fakes import TOKEN, FakeTelegram, running
from test_e2e_sharing import CODE, draft_plan

from channels.telegram import Settings, build_application
from channels.telegram import bridge as tg
from knowledge.sanitize import has_control_characters

pytestmark = pytest.mark.e2e

CONTROL = [chr(c) for c in (*range(32), 127, *range(0x80, 0xA0)) if chr(c) not in "\n\t"]
HOSTILE_VALUES = [
    "vrijdag\x01\x02 avond",
    "x" * 3000,
    ["lijst", "\x00"],
    {"plan_id": "../../etc/passwd"},
    12345,
    None,
    "'; DROP TABLE contributions; --",
]
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TELEGRAM_USER = 4242
TELEGRAM_MAX = 4096  # Telegram delivers no longer text messages
DOCX_LINK = re.compile(r"/plans/([A-Za-z0-9_-]+)\.docx")


def domain_names() -> tuple[list[str], list[str]]:
    """Every intent and every slot of the domain (bot/domain/*.yml)."""
    intents, slots = [], []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for intent in data.get("intents") or []:
            intents.append(intent if isinstance(intent, str) else next(iter(intent)))
        slots.extend((data.get("slots") or {}).keys())
    return intents, slots


def corpus() -> list[str]:
    rng = random.Random(12)
    inputs = ["", " ", "\n\n\t", "a" * 50_000, "ik wil een plan maken " * 2_500, "?" * 1999]
    inputs += [f"toevoegen aan stap 3: wij surveilleren al op vrijdag{c} avond" for c in CONTROL]
    inputs += ["\x00\x01\x02\x03", "\u200b\u200c\u200d\ufeff", "\ufffe\uffff"]
    inputs += [
        "👮‍♀️🚓🚨 overlast bij de 🏪 elke 🌙",
        "stap 1: 🏳️‍🌈🧑🏽‍🤝‍🧑🏻 jongeren hangen rond 🔥🔥🔥",
        "Z̷̢̛a̵͖͐l̸̰̈́g̵̣͑o̶͕͝ overlast",
        "😀" * 500,
        "ﷺ ﷽ 𒐫 𒈙",
    ]
    inputs += [
        "\u202estap 2: gnillievrus\u202c",
        "\u200fالشرطة تراقب\u200e overlast",
        "stap 3: \u2066geheim\u2069 \u2067tekst\u2069",
        "\u061c\u2068x\u2069 wat is KVO?",
        "שלום overlast in de wijk",
    ]
    inputs += [
        "<script>alert(1)</script>",
        "stap 3: <img src=x onerror=alert(1)> wij surveilleren",
        "**vet** _schuin_ [klik](javascript:alert(1))",
        "{{7*7}} ${7*7} <%= 7*7 %>",
        "${jndi:ldap://127.0.0.1/a}",
        "<w:p><w:r><w:t>docx</w:t></w:r></w:p>",
        "&lt;b&gt; &#0; &#x1;",
        "```\nrm -rf /\n```",
    ]
    inputs += [
        "'; DROP TABLE events; --",
        "1' OR '1'='1",
        "stap 3: '); DELETE FROM contributions; --",
        '" UNION SELECT * FROM plans --',
        "Robert'); DROP TABLE participants;--",
        "%' AND 1=1 AND '%'='",
    ]
    intents, slots = domain_names()
    inputs += [f"/{intent}" for intent in intents]
    for i, slot in enumerate(slots):
        for j in range(4):
            value = HOSTILE_VALUES[(i + j) % len(HOSTILE_VALUES)]
            intent = intents[(i * 2 + j) % len(intents)]
            inputs.append(f"/{intent}{json.dumps({slot: value})}")
    inputs += ["/", "/{}", "/inform{", '/inform{"a":', "/inform[1]", "/EXTERNAL_reminder"]
    inputs += ['/inform{"plan_state": "kapot"}', "/nlu_fallback", "/" + "x" * 300]
    for _ in range(25):
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        inputs.append(f"ik wil meedoen met plan {code[:4]}-{code[4:]}")
    inputs += ["doe mee: ZZZZ-9999", "meedoen AAAA-AAAA", "code: 1234-5678", "/join_plan"]
    inputs += ["".join(rng.choice(string.printable) for _ in range(80)) for _ in range(10)]
    return inputs


class WebChat:
    """The web page's calls; the server issues the identity cookie, the client keeps it."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=120)
        self.statuses: list[int] = []

    def post(self, message: str) -> httpx.Response:
        response = self.client.post("/api/chat", json={"message": message})
        self.statuses.append(response.status_code)
        return response

    def say(self, message: str) -> list[dict]:
        response = self.post(message)
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(m.get("text") or "" for m in self.say(message))


@pytest.fixture(scope="module")
def web(stack):
    """A web server beside the stack's, with the rate limit out of the way of the corpus."""
    serve = stack["serve"]
    port = serve.free_port()
    service = serve.Service(
        "webserver",
        [str(serve.PYTHON), "-m", "channels.web.server"],
        port,
        f"http://127.0.0.1:{port}/health",
    )
    env = {
        **stack["env"],
        "WEB_PORT": str(port),
        "METHODEWIJZER_RATE_LIMIT": "100000",
        "METHODEWIJZER_RATE_LIMIT_PER_ADDRESS": "100000",
    }
    serve.start(service, env)
    try:
        serve.wait_healthy([service], timeout=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        serve.stop([service])


def draft_and_share(owner: WebChat) -> str:
    draft_plan(owner)  # the six planner answers of the shared-plan e2e test
    assert "naam" in owner.text("ik wil mijn plan delen met partners")
    owner.text("Anna")
    code = CODE.search(owner.text("Gemeente Utrecht"))
    assert code
    return code.group(1)


def join_text(code: str) -> list[str]:
    return [f"ik wil meedoen met plan {code}", "Bram", "Politie Midden-Nederland"]


async def telegram_run(stack, texts: list[str], tmp_path: Path) -> FakeTelegram:
    """Every text from one Telegram user through the real bridge; waits for the last answer."""
    telegram = FakeTelegram()
    telegram.start()
    settings = Settings(
        token=TOKEN,
        allowed_users=frozenset({TELEGRAM_USER}),
        rasa_url=stack["url"],
        rasa_timeout=120,
        api_base_url=telegram.base_url,
        plans_dir=stack["data"] / "plans",
    )
    application = build_application(settings)
    handled: list[int] = []

    async def count(update: Update, _context: object) -> None:
        handled.append(update.update_id)  # group 1 runs after the bridge's handler finished

    application.add_handler(TypeHandler(Update, count), group=1)
    try:
        async with running(application):
            for text in texts:
                telegram.send_text(text, user_id=TELEGRAM_USER)
            await telegram.wait_for(lambda: len(handled) == len(texts), timeout=900)
    finally:
        telegram.stop()
    return telegram


def plan_store_texts(data: Path) -> list[str]:
    """Every text value in every table of the plan store (SQLite under the data dir)."""
    [path] = [p for p in data.rglob("*.sqlite")]
    connection = sqlite3.connect(path)
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    values = []
    for table in tables:
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            values.extend(v for v in row if isinstance(v, str))
    return values


def test_hostile_corpus_through_web_and_telegram(stack, web, tmp_path) -> None:
    inputs = corpus()
    assert len(inputs) >= 200
    owner, partner = WebChat(web), WebChat(web)
    code = draft_and_share(owner)
    for line in join_text(code):
        partner.text(line)

    start = time.perf_counter()
    for text in inputs:
        partner.post(text)
    web_seconds = time.perf_counter() - start
    web_5xx = [s for s in partner.statuses if s >= 500]
    refused = sum(1 for s in partner.statuses if s == 400)

    start = time.perf_counter()
    telegram_inputs = [t[:TELEGRAM_MAX] for t in inputs if t.strip()]
    telegram = asyncio.run(telegram_run(stack, join_text(code) + telegram_inputs, tmp_path))
    telegram_seconds = time.perf_counter() - start
    unavailable = [t for t in telegram.sent_texts() if t == tg.UNAVAILABLE]

    stored = plan_store_texts(stack["data"])
    dirty = [v for v in stored if has_control_characters(v)]
    print(
        f"\nhostile corpus: {len(inputs)} inputs via web ({web_seconds:.0f} s, "
        f"{refused} refused with 400, {len(web_5xx)} 5xx), {len(telegram_inputs)} via Telegram "
        f"({telegram_seconds:.0f} s, {len(unavailable)} 'niet bereikbaar'); plan store: "
        f"{len(stored)} texts, {len(dirty)} with control characters"
    )
    assert web_5xx == [] and unavailable == []
    assert dirty == []

    # the plan still renders for the owner, the partner and the field worker; a partner whom
    # the corpus left inside a form leaves it the documented way first ('nee')
    partner.text("nee")
    for chat in (owner, partner):
        replies = chat.say("laat het plan zien")
        shown = json.dumps(replies, ensure_ascii=False)
        assert "ging bij mij iets mis" not in shown and "Probleem" in shown, shown
        [plan_id] = set(DOCX_LINK.findall(shown))
        download = chat.client.get(f"/plans/{plan_id}.docx")
        assert download.status_code == 200 and download.content.startswith(b"PK")
    seen = asyncio.run(telegram_run(stack, ["nee", "laat het plan zien"], tmp_path))
    texts = "\n".join(seen.sent_texts())
    assert "ging bij mij iets mis" not in texts and "Probleem" in texts, texts
    assert seen.calls_of("sendDocument") or DOCX_LINK.search(texts), texts
