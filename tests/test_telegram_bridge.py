"""The Telegram bridge against a local Bot API stand-in and a fake Rasa (channel test).

The application is the real one, built by the same factory as `python -m channels.telegram`,
with PTB's own HTTP client, rate limiter and long-polling updater talking HTTP to 127.0.0.1.
The dialogue itself is tested against the real Rasa in test_e2e_rest.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from telegram import MessageEntity
from telegram.ext import Application
from telegram_fakes import TOKEN, FakeRasa, FakeTelegram, running

from channels.telegram import ConfigError, Settings, build_application
from channels.telegram import bridge as tg
from channels.telegram.formatting import render, utf16_len
from knowledge.plan.files import is_plan_id, new_plan_id

ROOT = Path(__file__).resolve().parents[1]
USER = 1001
OTHER_USER = 1002
LONG_PAYLOAD = (
    '/compare_methods{"method": ["persoonsgerichte_aanpak", "polarisatie_radicalisering"]}'
)
BUTTON_REPLY = {
    "text": "Deze methoden passen het best bij je vraag:",
    "buttons": [
        {"title": "Uitleg KVO", "payload": '/explain_method{"method": "kvo"}'},
        {"title": "Vergelijk 1 en 2", "payload": LONG_PAYLOAD},
    ],
}
LONG_TEXT = "\n".join(
    f"{i}. Een regel over de aanpak van overlast in de wijk, met partners en doelen." * 3
    for i in range(40)  # 9249 characters: three messages
)
CANNED = {
    "hallo": [{"text": "Hoi! Ik ben de Methodewijzer."}],
    "help": [{"text": "Dit kan ik voor je doen: methoden zoeken en een plan maken."}],
    "twee": [{"text": "Eerste antwoord."}, {"text": "Tweede antwoord."}],
    "methode": [BUTTON_REPLY],
    LONG_PAYLOAD: [{"text": "Vergelijking van PGA en polarisatie."}],
    '/explain_method{"method": "kvo"}': [{"text": "Keurmerk Veilig Ondernemen (KVO) ..."}],
    "lang": [{"text": LONG_TEXT, "buttons": [{"title": "Verder", "payload": "/verder"}]}],
    "vet": [{"text": "**Plan van aanpak (concept)**\n1. Probleem: *overlast* <b>x</b>"}],
}

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def telegram() -> FakeTelegram:
    server = FakeTelegram()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def rasa() -> FakeRasa:
    server = FakeRasa(CANNED)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def plans_dir(tmp_path: Path) -> Path:
    path = tmp_path / "plans"
    path.mkdir()
    return path


@pytest.fixture
def env(
    telegram: FakeTelegram, rasa: FakeRasa, plans_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_ALLOWED_USERS": f"{USER}, {OTHER_USER}",
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "RASA_REST_URL": rasa.url,
        "TELEGRAM_RASA_TIMEOUT": "1",
        "TELEGRAM_RASA_WAIT": "1",
        "METHODEWIJZER_PLANS_DIR": str(plans_dir),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture
def start_bridge(env: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    """Start the bridge from the environment, as __main__ does; overrides change env first."""

    @contextlib.asynccontextmanager
    async def start(**overrides: str) -> AsyncIterator[Application]:
        for key, value in overrides.items():
            monkeypatch.setenv(key, value)
        async with running(build_application(Settings.from_env())) as application:
            yield application

    return start


@pytest.fixture
async def bridge(start_bridge) -> AsyncIterator[Application]:
    async with start_bridge() as application:
        yield application


def _methods(telegram: FakeTelegram) -> list[str]:
    return [c.method for c in telegram.calls if c.method != "getUpdates"]


# --- round trips ---------------------------------------------------------------------------


async def test_text_round_trip(telegram: FakeTelegram, rasa: FakeRasa, bridge) -> None:
    telegram.send_text("hallo")
    [reply] = await telegram.wait_for_messages(1)
    assert rasa.received == [(f"telegram-{USER}", "hallo")]
    assert reply.chat_id == USER
    assert reply.params["text"] == "Hoi! Ik ben de Methodewijzer."
    assert "parse_mode" not in reply.params  # plain text: nothing is interpreted as markup
    typing = telegram.calls_of("sendChatAction")
    assert typing and typing[0].params["action"] == "typing" and typing[0].chat_id == USER
    assert typing[0].at <= reply.at
    assert [c.method for c in telegram.calls[:3]] == ["getMe", "setMyCommands", "deleteWebhook"]


async def test_replies_keep_rasa_order(telegram: FakeTelegram, bridge) -> None:
    telegram.send_text("twee")
    await telegram.wait_for_messages(2)
    assert telegram.sent_texts(USER) == ["Eerste antwoord.", "Tweede antwoord."]


async def test_start_and_help_commands_are_forwarded(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    telegram.send_text("/start")
    await telegram.wait_for_messages(1)
    telegram.send_text("/help")
    await telegram.wait_for_messages(2)
    assert [m for _, m in rasa.received] == ["hallo", "help"]
    assert telegram.sent_texts()[1].startswith("Dit kan ik voor je doen")


async def test_unknown_command_and_photo_get_a_hint(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    telegram.send_text("/onbekend")
    await telegram.wait_for_messages(1)
    telegram.send_photo()
    await telegram.wait_for_messages(2)
    assert telegram.sent_texts() == [tg.UNKNOWN_COMMAND, tg.TEXT_ONLY]
    assert rasa.received == []


async def test_bold_is_sent_as_entity_without_markup(telegram: FakeTelegram, bridge) -> None:
    telegram.send_text("vet")
    [reply] = await telegram.wait_for_messages(1)
    text = reply.params["text"]
    assert text == "Plan van aanpak (concept)\n1. Probleem: *overlast* <b>x</b>"
    assert reply.params["entities"] == [{"type": "bold", "offset": 0, "length": 25}]


# --- buttons -------------------------------------------------------------------------------


async def test_buttons_become_inline_keyboard_and_callbacks_reach_rasa(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    assert len(LONG_PAYLOAD.encode()) > 64
    telegram.send_text("methode")
    [menu] = await telegram.wait_for_messages(1)
    rows = menu.params["reply_markup"]["inline_keyboard"]
    assert [[b["text"] for b in row] for row in rows] == [["Uitleg KVO"], ["Vergelijk 1 en 2"]]
    assert all(len(b["callback_data"].encode()) <= 64 for row in rows for b in row)
    bot_message = {**_message_of(menu), "reply_markup": menu.params["reply_markup"]}

    telegram.press(bot_message, "Vergelijk 1 en 2")
    await telegram.wait_for_messages(2)
    telegram.press(bot_message, "Uitleg KVO")
    await telegram.wait_for_messages(3)

    sender = f"telegram-{USER}"
    assert rasa.received == [
        (sender, "methode"),
        (sender, LONG_PAYLOAD),  # the full payload, not the short key
        (sender, '/explain_method{"method": "kvo"}'),
    ]
    assert [c.params["callback_query_id"] for c in telegram.calls_of("answerCallbackQuery")] == [
        "cq1",
        "cq2",
    ]
    assert telegram.sent_texts()[1:] == [
        "Vergelijking van PGA en polarisatie.",
        "Keurmerk Veilig Ondernemen (KVO) ...",
    ]


async def test_unknown_button_key_gets_polite_message(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    telegram.send_text("hallo")
    [first] = await telegram.wait_for_messages(1)
    telegram.press_data(_message_of(first), "b:verlopen")
    await telegram.wait_for_messages(2)
    assert telegram.sent_texts()[1] == tg.EXPIRED
    assert len(telegram.calls_of("answerCallbackQuery")) == 1
    assert [m for _, m in rasa.received] == ["hallo"]


async def test_button_keys_are_per_chat(telegram: FakeTelegram, rasa: FakeRasa, bridge) -> None:
    """A key seen in one chat cannot make another chat send that payload."""
    telegram.send_text("methode")
    [menu] = await telegram.wait_for_messages(1)
    key = menu.params["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    other = {**_message_of(menu), "chat": {"id": OTHER_USER, "type": "private"}}
    telegram.press_data(other, key, user_id=OTHER_USER)
    await telegram.wait_for_messages(2)
    assert telegram.sent_texts(OTHER_USER) == [tg.EXPIRED]
    assert [m for _, m in rasa.received] == ["methode"]


# --- plan document -------------------------------------------------------------------------


async def test_plan_is_sent_as_docx(
    telegram: FakeTelegram, rasa: FakeRasa, plans_dir: Path, bridge
) -> None:
    plan_id = new_plan_id()
    assert is_plan_id(plan_id)
    docx = b"PK\x03\x04 fake docx bytes \x00\xff"
    (plans_dir / f"{plan_id}.docx").write_bytes(docx)
    url = f"http://localhost:8080/plans/{plan_id}.docx"
    rasa.replies["toon plan"] = [
        {"text": f"Download het volledige plan (Word): {url}"},
        {"custom": {"type": "plan", "plan_id": plan_id, "url": url}},
    ]
    telegram.send_text("toon plan")
    await telegram.wait_for(lambda: telegram.calls_of("sendDocument"))
    [document] = telegram.calls_of("sendDocument")
    assert document.chat_id == USER
    assert document.files["document"] == ("plan-van-aanpak.docx", docx)
    assert document.params["caption"] == tg.PLAN_CAPTION
    assert telegram.sent_texts() == [f"Download het volledige plan (Word): {url}"]
    assert telegram.calls_of("sendMessage")[0].at < document.at  # Rasa's order


async def test_missing_plan_file_falls_back_to_link(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    url = "http://localhost:8080/plans/x.docx"
    rasa.replies["toon plan"] = [{"custom": {"type": "plan", "plan_id": new_plan_id(), "url": url}}]
    rasa.replies["rare id"] = [{"custom": {"type": "plan", "plan_id": "../../etc/passwd"}}]
    telegram.send_text("toon plan")
    await telegram.wait_for_messages(1)
    telegram.send_text("rare id")
    await telegram.wait_for_messages(2)
    assert telegram.sent_texts() == [tg.PLAN_LINK.format(url=url), tg.PLAN_MISSING]
    assert telegram.calls_of("sendDocument") == []


async def test_progress_plot_is_sent_as_photo(
    telegram: FakeTelegram, rasa: FakeRasa, plans_dir: Path, bridge
) -> None:
    plan_id = new_plan_id()
    png = b"\x89PNG\r\n\x1a\n fake plot"
    (plans_dir / f"{plan_id}.png").write_bytes(png)
    rasa.replies["meting"] = [
        {"text": "Opgeslagen: winkeldiefstallen, Q1 2027: 50."},
        {"custom": {"type": "chart", "plan_id": plan_id, "url": "http://x/plans/p.png"}},
    ]
    rasa.replies["rare grafiek"] = [{"custom": {"type": "chart", "plan_id": "../../etc/passwd"}}]
    telegram.send_text("meting")
    await telegram.wait_for(lambda: telegram.calls_of("sendPhoto"))
    [photo] = telegram.calls_of("sendPhoto")
    assert photo.chat_id == USER and photo.files["photo"][1] == png
    assert photo.params["caption"] == tg.CHART_CAPTION
    telegram.send_text("rare grafiek")
    await telegram.wait_for(lambda: len(telegram.calls_of("sendChatAction", ok_only=False)) >= 2)
    await asyncio.sleep(0.3)
    assert len(telegram.calls_of("sendPhoto")) == 1


# --- access --------------------------------------------------------------------------------


async def test_unknown_user_is_refused_and_nothing_reaches_rasa(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    telegram.send_text("hallo", user_id=999)
    [refusal] = await telegram.wait_for_messages(1)
    assert refusal.chat_id == 999
    assert refusal.params["text"] == (
        "Je hebt (nog) geen toegang tot de Methodewijzer. Vraag je beheerder om je "
        "Telegram-id (999) toe te voegen."
    )
    telegram.press_data(_message_of(refusal), "b:whatever", user_id=999)
    await telegram.wait_for_messages(2)
    assert len(telegram.calls_of("answerCallbackQuery")) == 1
    assert rasa.received == []
    assert telegram.calls_of("sendChatAction") == []


async def test_empty_allowlist_refuses_everyone(
    telegram: FakeTelegram, rasa: FakeRasa, start_bridge
) -> None:
    async with start_bridge(TELEGRAM_ALLOWED_USERS=""):
        telegram.send_text("hallo")
        [refusal] = await telegram.wait_for_messages(1)
    assert f"Telegram-id ({USER})" in refusal.params["text"]
    assert rasa.received == []


async def test_group_chats_are_refused(telegram: FakeTelegram, rasa: FakeRasa, bridge) -> None:
    telegram.send_text("hallo", chat_id=-100123, chat_type="group")
    [reply] = await telegram.wait_for_messages(1)
    assert reply.chat_id == -100123 and reply.params["text"] == tg.PRIVATE_ONLY
    assert rasa.received == []


# --- failures ------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB-internal
async def test_flood_limit_is_waited_out(telegram: FakeTelegram, bridge) -> None:
    telegram.fail_with_429("sendMessage")
    telegram.send_text("hallo")
    await telegram.wait_for_messages(1, timeout=10)
    refused, delivered = telegram.calls_of("sendMessage", ok_only=False)
    assert refused.status == 429 and delivered.status == 200
    assert delivered.params["text"] == refused.params["text"] == "Hoi! Ik ben de Methodewijzer."
    assert delivered.at - refused.at >= 1.0


@pytest.mark.parametrize("failure", ["stopped", "http_500", "timeout"])
async def test_rasa_down_gives_dutch_message_and_bridge_recovers(
    telegram: FakeTelegram, rasa: FakeRasa, bridge, failure: str
) -> None:
    if failure == "stopped":
        rasa.stop()
    elif failure == "http_500":
        rasa.status = 500
    else:
        rasa.delays["hallo"] = 2.0  # the bridge waits TELEGRAM_RASA_TIMEOUT=1 s
    telegram.send_text("hallo")
    [apology] = await telegram.wait_for_messages(1)
    assert apology.params["text"] == (
        "De assistent is even niet bereikbaar. Probeer het over een paar minuten opnieuw."
    )

    if failure == "stopped":
        rasa.start()  # same port
    rasa.status = 200
    rasa.delays.clear()
    telegram.send_text("twee")
    await telegram.wait_for_messages(3)
    assert telegram.sent_texts()[1:] == ["Eerste antwoord.", "Tweede antwoord."]


async def test_bridge_polls_only_once_rasa_answers(
    telegram: FakeTelegram, rasa: FakeRasa, start_bridge
) -> None:
    """A message sent while the assistant (re)starts waits in Telegram and gets a real answer."""
    rasa.stop()
    telegram.send_text("hallo")
    async with contextlib.AsyncExitStack() as stack:
        starting = asyncio.create_task(stack.enter_async_context(start_bridge()))
        await asyncio.sleep(2.5)
        assert not telegram.calls_of("getUpdates") and not starting.done()
        rasa.start()  # same port
        await asyncio.wait_for(starting, 30)
        await telegram.wait_for_messages(1, timeout=15)
    assert telegram.sent_texts() == ["Hoi! Ik ben de Methodewijzer."]
    assert rasa.received == [(f"telegram-{USER}", "hallo")]


async def test_message_during_a_rasa_restart_is_answered_when_rasa_is_back(
    telegram: FakeTelegram, rasa: FakeRasa, start_bridge
) -> None:
    async with start_bridge(TELEGRAM_RASA_WAIT="30"):
        rasa.stop()
        telegram.send_text("hallo")
        await telegram.wait_for(lambda: telegram.calls_of("sendChatAction"), timeout=10)
        await asyncio.sleep(1.5)
        rasa.start()
        await telegram.wait_for_messages(1, timeout=15)
    assert telegram.sent_texts() == ["Hoi! Ik ben de Methodewijzer."]  # no 'niet bereikbaar'


async def test_control_characters_are_cleaned_before_rasa(
    telegram: FakeTelegram, rasa: FakeRasa, bridge
) -> None:
    telegram.send_text("wij surveilleren al op vrijdag\x01\x02 avond\u202e\u200b")
    await telegram.wait_for_messages(1)
    telegram.send_text("\x00\x07\x1b\u200b")
    await telegram.wait_for_messages(2)
    assert [m for _, m in rasa.received] == ["wij surveilleren al op vrijdag avond"]
    assert telegram.sent_texts()[1] == tg.NO_TEXT


# --- long texts and concurrency ------------------------------------------------------------


async def test_long_text_is_split_at_line_ends(telegram: FakeTelegram, bridge) -> None:
    telegram.send_text("lang")
    await telegram.wait_for(lambda: "Verder" in str(telegram.calls[-1].params))
    parts = telegram.calls_of("sendMessage")
    assert len(parts) == 3
    assert all(len(p.params["text"]) <= 4096 for p in parts)
    assert "\n".join(p.params["text"] for p in parts) == LONG_TEXT
    assert [("reply_markup" in p.params) for p in parts] == [False, False, True]


async def test_chats_run_in_parallel_but_each_chat_in_order(
    telegram: FakeTelegram, rasa: FakeRasa, start_bridge
) -> None:
    # The other chat's turn takes milliseconds; a 4 s slow turn (under a 30 s Rasa timeout)
    # leaves room for a loaded 2-core machine.
    rasa.delays["langzaam"] = 4.0
    async with start_bridge(TELEGRAM_RASA_TIMEOUT="30"):
        telegram.send_text("langzaam", user_id=USER)
        telegram.send_text("snel", user_id=USER)
        telegram.send_text("hallo", user_id=OTHER_USER)
        await telegram.wait_for_messages(3, timeout=30)
    assert telegram.sent_texts(USER) == ["Je zei: langzaam", "Je zei: snel"]
    first_other = telegram.calls_of("sendMessage")[0]
    assert first_other.chat_id == OTHER_USER  # not held up by the slow turn of USER
    mine = [m for s, m in rasa.received if s == f"telegram-{USER}"]
    assert mine == ["langzaam", "snel"]


async def test_latency_added_by_the_bridge(telegram: FakeTelegram, bridge) -> None:
    """From getUpdates handing out the update to sendMessage arriving (Rasa answers at once).

    Run with -s to see the numbers. A turn is three local HTTP calls (Rasa, sendChatAction,
    sendMessage); the first turn also opens the HTTP client to Rasa.
    """
    latencies = []
    for turn in range(21):
        update_id = telegram.send_text("hallo")
        await telegram.wait_for_messages(turn + 1)
        latencies.append(telegram.calls_of("sendMessage")[-1].at - telegram.delivered_at[update_id])
    first, steady = latencies[0], latencies[1:]
    median = statistics.median(steady)
    p95 = statistics.quantiles(steady, n=20)[-1]
    print(
        f"\n[telegram] latency added by the bridge: first turn {first * 1000:.1f} ms; next "
        f"{len(steady)} turns median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {max(steady) * 1000:.1f} ms"
    )
    # A guard against a hang or a sleep per turn, not a speed target (typically ~10 ms here;
    # the figure is printed above): wide enough not to fail on a loaded 2-core machine.
    assert median < 3.0


# --- the command line ----------------------------------------------------------------------


def test_main_runs_long_polling_and_stops_on_sigint(
    telegram: FakeTelegram, rasa: FakeRasa, env: dict[str, str]
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "channels.telegram"],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait(lambda: telegram.calls_of("deleteWebhook"), process, timeout=30)
        telegram.send_text("geheime tekst over een bewoner")
        _wait(lambda: telegram.calls_of("sendMessage"), process, timeout=10)
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert telegram.sent_texts() == ["Je zei: geheime tekst over een bewoner"]
    assert "Telegram-bridge gestart als @mw_test_bot" in output
    assert "geheime tekst" not in output  # message texts never reach the log
    assert TOKEN not in output  # nor does the bot token (httpx logs URLs at INFO)


def test_main_without_token_explains_what_to_do() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "channels.telegram"],
        cwd=ROOT,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": "", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN ontbreekt" in result.stderr
    assert "@BotFather" in result.stderr


# --- pure parts ----------------------------------------------------------------------------


def test_settings_from_env() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "t",
            "TELEGRAM_ALLOWED_USERS": " 12, 34 ,,",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
        }
    )
    assert settings.allowed_users == {12, 34}
    assert settings.rasa_url == "http://127.0.0.1:5005/webhooks/rest/webhook"
    assert settings.api_base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.plans_dir is None
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": "t"}).allowed_users == frozenset()
    with pytest.raises(ConfigError, match="TELEGRAM_ALLOWED_USERS"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "t", "TELEGRAM_ALLOWED_USERS": "@piet"})
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        Settings.from_env({})


def test_render_counts_emoji_twice_and_keeps_bold_across_a_split() -> None:
    text = "**" + "🚓" * 3000 + "**"  # 6000 UTF-16 units, no place to break
    parts = render(text)
    assert [utf16_len(p.text) for p in parts] == [4096, 1904]
    assert "".join(p.text for p in parts) == "🚓" * 3000
    assert [p.entities for p in parts] == [
        (MessageEntity(MessageEntity.BOLD, 0, 4096),),
        (MessageEntity(MessageEntity.BOLD, 0, 1904),),
    ]


def test_render_breaks_at_spaces_and_drops_empty_text() -> None:
    words = " ".join(["woord"] * 1000)  # 5999 characters, no line ends
    parts = render(words)
    assert all(len(p.text) <= 4096 and not p.text.startswith(" ") for p in parts)
    assert " ".join(p.text for p in parts) == words
    assert render("  \n ") == []
    assert render("a **b** c **niet dicht") == render("a **b** c **niet dicht", limit=100)
    assert render("a **b** c")[0].entities == (MessageEntity(MessageEntity.BOLD, 2, 1),)


def _message_of(call) -> dict:
    """The message object the stand-in returned for a sendMessage call."""
    return {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": call.chat_id, "type": "private"},
        "text": call.params["text"],
    }


def _wait(condition: Callable[[], object], process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"bridge exited early: {process.communicate()[0]}")
        if time.monotonic() > deadline:
            raise AssertionError("bridge did not do it in time")
        time.sleep(0.02)
