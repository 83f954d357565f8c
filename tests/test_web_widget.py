"""The chat page in a real browser (Debian's Chromium driven by Playwright) against real servers.

The `stack` fixture (tests/conftest.py) starts Rasa, the action server and our web server.
Screenshots go to test-results/web/. Chromium must be installed as /usr/bin/chromium (Debian
package `chromium`; `make setup` installs it) or be named in CHROMIUM; Playwright's own
browser download (`playwright install`) is not used.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright
from web_process import free_port, start_web_server, stop_web_server

from channels.web.identity import COOKIE_NAME
from channels.web.server import UNREACHABLE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "test-results" / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'

expect.set_options(timeout=60_000)  # the first answers load the search models


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (make setup)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Watched:
    """A fresh browser context (empty localStorage) that records errors and request URLs."""

    def __init__(self, browser: Browser):
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 860}, locale="nl-NL", accept_downloads=True
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.urls: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.urls.append(request.url))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    watched.context.close()


def wait_idle(page: Page) -> None:
    """The page has its answer: the input is enabled again and the typing indicator gone."""
    expect(page.locator("#bericht")).to_be_enabled()
    expect(page.locator("#typen")).to_be_hidden()


def storage(page: Page, key: str) -> str | None:
    return page.evaluate("key => localStorage.getItem(key)", key)


def assert_services_up(stack: dict) -> None:
    """A clear message when an earlier test left a shared service stopped."""
    for service in stack["services"]:
        try:
            status = httpx.get(service.health_url, timeout=5).status_code
        except httpx.HTTPError as exc:
            status = repr(exc)
        assert status == 200, f"{service.name} is not healthy ({status}); was it restarted?"


def test_chat_in_the_browser(stack: dict, watched: Watched) -> None:
    assert_services_up(stack)
    page, web = watched.page, stack["web"]
    page.goto(f"{web}/")
    box = page.get_by_label("Je bericht")
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")

    # first visit: the greeting arrives without a user message
    wait_idle(page)
    expect(log.locator(".msg-bot").first).to_contain_text("Methodewijzer")
    expect(log.locator(".msg-user")).to_have_count(0)
    expect(log.locator(".quick-reply", has_text="Plan van aanpak maken")).to_be_enabled()
    [cookie] = [c for c in watched.context.cookies() if c["name"] == COOKIE_NAME]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # scripts cannot read the identity
    conversation = storage(page, "methodewijzer.conversation")
    assert conversation and conversation != cookie["value"]

    # a question, held back at the network so the waiting state can be checked
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)  # answered below with route.continue_()

    page.route("**/api/chat", hold)
    box.fill("welke methode voor winkeldiefstal?")
    box.press("Enter")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page did not call /api/chat"
    assert held[0].request.post_data_json == {"message": "welke methode voor winkeldiefstal?"}
    expect(box).to_be_disabled()
    expect(page.locator("#verstuur")).to_be_disabled()
    expect(page.locator("#typen")).to_be_visible()
    expect(log.locator(".msg-user .bubble").last).to_have_text("welke methode voor winkeldiefstal?")
    held[0].continue_()
    page.unroute("**/api/chat")
    wait_idle(page)
    bots = log.locator(".msg-bot")
    expect(bots.last).to_contain_text("Keurmerk Veilig Ondernemen")
    reply = bots.nth(bots.count() - 1)  # fixed: .last would follow newer answers
    expect(box).to_be_focused()
    expect(box).to_have_value("")

    # a quick reply shows its title, sends its payload and retires its row
    reply.locator(".quick-reply", has_text="Uitleg KVO").click()
    expect(log.locator(".msg-user .bubble").last).to_have_text("Uitleg KVO")
    wait_idle(page)
    explanation = log.locator(".msg-bot").last
    expect(explanation).to_contain_text("Keurmerk Veilig Ondernemen (KVO)")
    expect(explanation).to_contain_text("hercertificering")
    assert explanation.locator("ol li").count() >= 5  # the steps are a real list
    expect(explanation.locator("strong", has_text="Doel:")).to_have_count(1)
    assert "/explain_method" not in log.inner_text()
    for button in reply.locator(".quick-reply").all():
        expect(button).to_be_disabled()
    expect(reply.locator(".quick-reply.is-chosen")).to_have_text("Uitleg KVO")
    expect(explanation.locator(".quick-reply").first).to_be_enabled()
    expect(box).to_be_focused()
    page.screenshot(path=str(RESULTS / "chat.png"))

    # a reload shows the same conversation and continues it with the same identity
    messages = page.locator("#berichten > li")
    count = messages.count()
    page.reload()
    expect(messages).to_have_count(count)
    expect(log).to_contain_text("welke methode voor winkeldiefstal?")
    expect(log.locator(".msg-bot").last).to_contain_text("hercertificering")
    expect(log.locator(".quick-reply.is-chosen")).to_have_text("Uitleg KVO")
    assert storage(page, "methodewijzer.conversation") == conversation
    page.screenshot(path=str(RESULTS / "after-reload.png"))

    # user text is shown literally and never executed
    box.fill(XSS)
    box.press("Enter")
    wait_idle(page)
    expect(log.locator(".msg-user .bubble").last).to_have_text(XSS)
    expect(messages.last).to_have_class("msg msg-bot")  # answered
    assert page.evaluate("window.__xss") is None
    assert page.locator("#berichten script, #berichten img").count() == 0

    # "Nieuw gesprek" forgets the conversation and greets again, under the same identity
    page.get_by_role("button", name="Nieuw gesprek").click()
    wait_idle(page)
    expect(messages).to_have_count(1)
    expect(log.locator(".msg-bot")).to_contain_text("Methodewijzer")
    assert storage(page, "methodewijzer.conversation") == conversation
    assert [c["value"] for c in watched.context.cookies() if c["name"] == COOKIE_NAME] == [
        cookie["value"]
    ]
    assert len(json.loads(storage(page, "methodewijzer.history") or "[]")) == 1

    assert not watched.errors, watched.errors  # includes Content-Security-Policy violations
    assert all(url.startswith(f"{web}/") for url in watched.urls), watched.urls


def test_formatting_plan_link_and_keyboard(stack: dict, watched: Watched) -> None:
    """Canned Rasa answers (through page.route) cover what a short conversation does not."""
    page, web = watched.page, stack["web"]
    plan_id = secrets.token_urlsafe(16)
    plans = Path(stack["data"]) / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    (plans / f"{plan_id}.docx").write_bytes(b"PK\x03\x04 test plan")
    answer = [
        {
            "text": "**Plan van aanpak (concept)**\n1. Probleem: winkeldiefstal\n"
            "2. Prioriteit: <b>hoog</b>\n- los punt\n\nTweede alinea\nmet een nieuwe regel"
        },
        {"text": f"Download het volledige plan (Word): http://localhost:8080/plans/{plan_id}.docx"},
        {"custom": {"type": "plan", "plan_id": plan_id, "url": "http://elders.example/x"}},
        {"custom": {"type": "plan", "plan_id": "../../etc/passwd"}},
        {"text": "Klaar?", "buttons": [{"title": "<i>Ja</i>", "payload": "/affirm"}]},
    ]
    sent: list[dict] = []

    def fake_rasa(route: Route) -> None:
        sent.append(route.request.post_data_json)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    page.route("**/api/chat", fake_rasa)
    page.goto(f"{web}/")
    wait_idle(page)
    assert sent[0]["message"] == "hallo"
    log = page.get_by_role("log")
    bubble = log.locator(".msg-bot .bubble").first
    expect(bubble.locator("strong").first).to_have_text("Plan van aanpak (concept)")
    expect(bubble.locator("ol > li")).to_have_count(2)
    expect(bubble.locator("ul > li")).to_have_text(["los punt"])
    expect(bubble).to_contain_text("Prioriteit: <b>hoog</b>")
    expect(bubble.locator("b")).to_have_count(0)
    expect(bubble.locator("br")).to_have_count(1)
    expect(log).not_to_contain_text("Download het volledige plan")  # replaced by the link

    link = log.get_by_role("link", name="Download je plan van aanpak (Word)")
    expect(link).to_have_count(1)  # the malformed plan id is ignored
    assert link.evaluate("a => a.href") == f"{web}/plans/{plan_id}.docx"
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"plan-van-aanpak-{plan_id[:8]}.docx"
    assert Path(download.path()).read_bytes() == b"PK\x03\x04 test plan"

    button = log.locator(".quick-reply").first
    expect(button).to_have_text("<i>Ja</i>")
    page.screenshot(path=str(RESULTS / "plan.png"))
    button.click()
    wait_idle(page)
    assert sent[-1]["message"] == "/affirm"
    expect(log.locator(".msg-user .bubble").last).to_have_text("<i>Ja</i>")

    # Shift+Enter is a new line, Enter sends
    box = page.get_by_label("Je bericht")
    box.click()
    page.keyboard.type("eerste regel")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("tweede regel")
    assert sent[-1]["message"] == "/affirm"
    page.keyboard.press("Enter")
    wait_idle(page)
    assert sent[-1]["message"] == "eerste regel\ntweede regel"
    assert not watched.errors, watched.errors


@pytest.fixture
def web_without_rasa(tmp_path: Path) -> Iterator[str]:
    """Our web server (as `make run` starts it) with RASA_REST_URL at a port nobody listens on."""
    process, base = start_web_server(
        f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook", tmp_path
    )
    try:
        yield base
    finally:
        stop_web_server(process)


def test_unreachable_assistant_keeps_the_typed_text(
    web_without_rasa: str, watched: Watched
) -> None:
    page = watched.page
    page.goto(f"{web_without_rasa}/")
    wait_idle(page)
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(UNREACHABLE)  # the greeting could not be fetched
    assert UNREACHABLE == "De assistent is even niet bereikbaar. Probeer het zo opnieuw."

    box = page.get_by_label("Je bericht")
    box.fill("welke methode voor winkeldiefstal?")
    box.press("Enter")
    wait_idle(page)
    expect(alert).to_have_text(UNREACHABLE)
    expect(box).to_have_value("welke methode voor winkeldiefstal?")
    expect(box).to_be_focused()
    expect(page.locator("#berichten .msg-user")).to_have_count(0)
    assert storage(page, "methodewijzer.history") in (None, "[]")
    page.screenshot(path=str(RESULTS / "unreachable.png"))


def test_a_partner_joins_in_the_browser_and_sees_the_progress_plot(
    stack: dict, watched: Watched
) -> None:
    """Owner over REST, partner in the page: join with the code, measure, see the plot image."""
    from test_e2e_sharing import Chat, draft_plan, share

    assert_services_up(stack)
    owner = Chat(stack["url"], "owner")
    draft_plan(owner)
    code = share(owner)

    page, web = watched.page, stack["web"]
    page.goto(f"{web}/")
    wait_idle(page)
    box, log = page.get_by_label("Je bericht"), page.get_by_role("log")

    def say(text: str) -> None:
        box.fill(text)
        box.press("Enter")
        wait_idle(page)

    say(f"ik doe mee met {code}")
    expect(log.locator(".msg-bot").last).to_contain_text("naam")
    say("Fatima")
    say("Politie Midden-Nederland")
    expect(log.locator(".msg-bot", has_text="Je doet nu mee")).to_have_count(1)
    say("winkeldiefstallen Q1 2027: 50")
    expect(log.locator(".msg-bot", has_text="50% op weg")).to_have_count(1)
    chart = log.locator("img.plan-chart")
    expect(chart).to_have_count(1)
    page.wait_for_function("() => document.querySelector('img.plan-chart').naturalWidth > 0")
    assert chart.evaluate("img => img.naturalWidth") >= 400
    page.screenshot(path=str(RESULTS / "shared-plan.png"), full_page=True)
    assert not watched.errors, watched.errors
