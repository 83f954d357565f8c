"""A field worker joins a shared plan through the Telegram bridge (real Rasa and action server,
local stand-in for the Telegram Bot API), records a measurement and gets the plot and the plan."""

from __future__ import annotations

import io

import pytest
from docx import Document
from telegram_fakes import TOKEN, FakeTelegram, running
from test_e2e_sharing import Chat, draft_plan, share

from channels.telegram import Settings, build_application

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]
USER = 2002


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_field_worker_joins_and_measures_in_telegram(stack, monkeypatch) -> None:
    owner = Chat(stack["url"], "owner")
    draft_plan(owner)
    code = share(owner)

    telegram = FakeTelegram()
    telegram.start()
    settings = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_ALLOWED_USERS": str(USER),
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "RASA_REST_URL": stack["url"],
        "METHODEWIJZER_PLANS_DIR": str(stack["data"] / "plans"),
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    try:
        async with running(build_application(Settings.from_env())):

            async def say(text: str, expect: str, timeout: float = 60) -> str:
                before = len(telegram.sent_texts(USER))
                telegram.send_text(text, user_id=USER)
                await telegram.wait_for(
                    lambda: any(expect in t for t in telegram.sent_texts(USER)[before:]), timeout
                )
                return "\n".join(telegram.sent_texts(USER)[before:])

            await say(f"ik wil meedoen met plan {code}", "naam")
            await say("Youssef", "organisatie")
            joined = await say("jongerenwerk Welzijn Noord", "Je doet nu mee")
            assert "Welzijnswerk" in joined
            await say("winkeldiefstallen Q1 2027: 50", "50% op weg")
            await telegram.wait_for(lambda: telegram.calls_of("sendPhoto"), 30)
            [photo] = telegram.calls_of("sendPhoto")
            assert photo.files["photo"][1].startswith(b"\x89PNG")

            await say("laat het plan zien", "Gezamenlijk plan")
            await telegram.wait_for(lambda: telegram.calls_of("sendDocument"), 30)
            document = telegram.calls_of("sendDocument")[-1]
            doc = Document(io.BytesIO(document.files["document"][1]))
            cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
            assert "Youssef" in cells and "Welzijnswerk" in cells
    finally:
        telegram.stop()
    assert "Youssef" in owner.text("laat het plan zien")  # the owner sees the new partner
