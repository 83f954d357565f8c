"""The widget on another site, in Debian's Chromium, against the real Rasa and action servers.

A host page is served from a second origin on loopback (http://localhost:<port>, another site
than the assistant at http://127.0.0.1:<port>) with a strict Content-Security-Policy and hostile
CSS. Our web server runs with METHODEWIJZER_WIDGET_ORIGINS naming that host (set in this test's
own environment, not in .env); a second host page on another port is not allowed. Chromium runs
with third-party cookies phased out, as current Chromium does for many users.
"""

from __future__ import annotations

import json
import re
import secrets
import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Frame, FrameLocator, Page, Route, expect, sync_playwright
from test_web_widget import CHROMIUM, CHROMIUM_ARGS, RESULTS, Watched, assert_services_up
from web_process import free_port, start_web_server, stop_web_server

from channels.web.identity import COOKIE_NAME, EMBED_COOKIE_NAME

pytestmark = pytest.mark.e2e

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LAUNCHER = re.compile(r"^Methodewijzer")
HOSTILE_CSS = b"""
button, iframe, div { display: inline !important; font-size: 40px !important;
  color: transparent !important; position: static !important; }
* { transition: all 5s !important; }
"""

expect.set_options(timeout=60_000)


def host_page(web: str, attributes: str) -> bytes:
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Intranet veiligheidsteam</title>
<link rel="stylesheet" href="/host.css"></head>
<body><header><a href="#inhoud">Naar de inhoud</a></header>
<main id="inhoud"><h1>Intranet van het veiligheidsteam</h1>
<p>Nieuws en documenten voor het team.</p></main>
<script src="{web}/widget.js" defer {attributes}></script>
</body></html>""".encode()


class Host:
    """A host site on its own port: the page with the widget tag and its CSS, strict CSP."""

    def __init__(self, web: str, port: int, attributes: str = "") -> None:
        page = host_page(web, attributes)
        policy = (
            f"default-src 'self'; script-src 'self' {web}; frame-src {web}; "
            f"connect-src 'self' {web}; style-src 'self'; img-src 'self'"
        )

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body, kind = (HOSTILE_CSS, "text/css") if self.path == "/host.css" else (page, "")
                self.send_response(200)
                self.send_header("Content-Type", kind or "text/html; charset=utf-8")
                self.send_header("Content-Security-Policy", policy)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.origin = f"http://localhost:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site(stack: dict) -> Iterator[dict]:
    """Our web server with one allowed host origin, plus an allowed and a not-allowed host."""
    allowed_port = free_port()
    allowed_origin = f"http://localhost:{allowed_port}"
    plans = Path(stack["data"]) / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    process, web = start_web_server(
        stack["url"], plans, {"METHODEWIJZER_WIDGET_ORIGINS": allowed_origin}
    )
    attributes = (
        'data-title="Methodewijzer Veiligheid" data-accent="#0b5d1e" '
        'data-question="Waar wil je een aanpak voor vinden?"'
    )
    allowed = Host(web, allowed_port, attributes)
    other = Host(web, free_port())
    try:
        yield {"web": web, "host": allowed.origin, "other": other.origin, "plans": plans}
    finally:
        allowed.close()
        other.close()
        stop_web_server(process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (make setup)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"],
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    watched = Watched(browser)
    yield watched
    watched.context.close()


def launcher(page: Page):
    return page.get_by_role("button", name=LAUNCHER)


def chat(page: Page) -> FrameLocator:
    return page.frame_locator("iframe[title^='Methodewijzer']")


def embed_frame(page: Page) -> Frame:
    return next(frame for frame in page.frames if "/embed?" in frame.url)


def wait_idle(frame: FrameLocator) -> None:
    expect(frame.locator("#bericht")).to_be_enabled()
    expect(frame.locator("#typen")).to_be_hidden()


def open_widget(page: Page, host: str) -> FrameLocator:
    page.goto(f"{host}/")
    expect(page.locator("[data-methodewijzer]")).to_have_attribute("data-state", "allowed")
    launcher(page).click()
    frame = chat(page)
    wait_idle(frame)
    return frame


def axe_violations(target: Page | Frame) -> list[dict]:
    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    if isinstance(target, Page):
        options["iframes"] = False  # the chat frame is checked on its own
    results = Axe().run(target, options=options)
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results.response["violations"]
    ]


def tiny_png() -> bytes:
    """A valid 2x2 PNG, so the image really decodes in the browser."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x12\x40\x6f" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_widget_conversation_survives_a_reload_and_passes_axe(
    stack: dict, site: dict, watched: Watched
) -> None:
    assert_services_up(stack)
    page = watched.page
    page.goto(f"{site['host']}/")
    expect(page.locator("[data-methodewijzer]")).to_have_attribute("data-state", "allowed")
    button = launcher(page)
    expect(button).to_have_accessible_name("Methodewijzer Veiligheid")
    expect(button).to_be_visible()  # the host's hostile CSS does not reach into the widget

    # opening the panel: the embed view, its CSS and JS, and the greeting - nothing else
    watched.urls.clear()
    button.click()
    frame = chat(page)
    wait_idle(frame)
    expect(frame.locator(".msg-bot").first).to_contain_text("Methodewijzer")
    opened = list(watched.urls)
    print(f"requests on opening the panel: {len(opened)}: {opened}")
    assert len(opened) <= 5, opened
    expect(frame.locator("#titel")).to_have_text("Methodewijzer Veiligheid")
    expect(frame.locator("#opening")).to_have_text("Waar wil je een aanpak voor vinden?")

    box = frame.get_by_label("Je bericht")
    box.fill("welke methode voor winkeldiefstal?")
    box.press("Enter")
    wait_idle(frame)
    expect(frame.locator(".msg-bot").last).to_contain_text("Keurmerk Veilig Ondernemen")
    page.screenshot(path=str(RESULTS / "widget-open.png"))
    assert axe_violations(page) == []
    assert axe_violations(embed_frame(page)) == []

    # third-party cookies are phased out: the identity is a partitioned (CHIPS) cookie, kept
    # for this host site only, and the frame's own storage is blocked
    cookies = {c["name"]: c for c in watched.context.cookies()}
    assert COOKIE_NAME not in cookies
    embed_cookie = cookies[EMBED_COOKIE_NAME]
    assert embed_cookie["httpOnly"] and embed_cookie["secure"]
    assert embed_cookie["sameSite"] == "None"
    assert embed_cookie.get("partitionKey", "").startswith("http://localhost")

    page.reload()
    expect(page.locator("[data-methodewijzer]")).to_have_attribute("data-state", "allowed")
    launcher(page).click()
    frame = chat(page)
    wait_idle(frame)
    expect(frame.get_by_role("log")).to_contain_text("welke methode voor winkeldiefstal?")
    expect(frame.locator(".msg-bot").last).to_contain_text("Keurmerk Veilig Ondernemen")
    # and Rasa still knows the conversation: a follow-up needs the earlier answer's buttons
    frame.locator(".msg-bot").last.locator(".quick-reply", has_text="Uitleg KVO").click()
    wait_idle(frame)
    expect(frame.locator(".msg-bot").last).to_contain_text("hercertificering")

    assert not watched.errors, watched.errors
    third_party = [u for u in watched.urls if not u.startswith((site["host"], site["web"]))]
    assert third_party == []


def test_standalone_page_passes_axe_after_a_conversation(stack: dict, watched: Watched) -> None:
    assert_services_up(stack)
    page, web = watched.page, stack["web"]
    page.goto(f"{web}/")
    expect(page.locator("#bericht")).to_be_enabled()
    page.get_by_label("Je bericht").fill("welke methode voor winkeldiefstal?")
    page.get_by_label("Je bericht").press("Enter")
    expect(page.locator(".msg-bot").last).to_contain_text("Keurmerk Veilig Ondernemen")
    expect(page.locator("#typen")).to_be_hidden()
    assert axe_violations(page) == []


def test_widget_keyboard_unread_marker_small_screen_and_motion(
    stack: dict, site: dict, watched: Watched
) -> None:
    page = watched.page
    page.goto(f"{site['host']}/")
    expect(page.locator("[data-methodewijzer]")).to_have_attribute("data-state", "allowed")
    button = launcher(page)
    page.keyboard.press("Tab")  # the host's own link
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    frame = chat(page)
    wait_idle(frame)
    expect(frame.locator("#bericht")).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    panel = page.locator("[data-methodewijzer] .panel")
    expect(panel).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")

    # an answer that arrives while the panel is closed marks the launcher
    held: list[Route] = []
    page.route("**/api/chat", lambda route: held.append(route))
    page.keyboard.press("Enter")
    expect(frame.locator("#bericht")).to_be_focused()
    page.keyboard.type("welke methode voor winkeldiefstal?")
    page.keyboard.press("Enter")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the widget did not call /api/chat"
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(button).to_be_focused()
    held[0].continue_()
    page.unroute("**/api/chat")
    expect(button).to_have_accessible_name(re.compile(r"^Methodewijzer.*nieuw antwoord"))
    assert button.locator(".dot").is_visible()
    page.screenshot(path=str(RESULTS / "widget-unread.png"))
    page.keyboard.press("Enter")
    wait_idle(frame)
    expect(button).to_have_accessible_name("Methodewijzer Veiligheid")
    expect(frame.locator(".msg-bot").last).to_contain_text("Keurmerk Veilig Ondernemen")

    # motion: an opening animation, unless the visitor asked for less motion
    assert panel.evaluate("el => getComputedStyle(el).animationName") == "in"
    page.emulate_media(reduced_motion="reduce")
    assert panel.evaluate("el => getComputedStyle(el).animationName") == "none"

    # narrow phone: the panel takes the whole screen
    page.set_viewport_size({"width": 375, "height": 700})
    box = panel.bounding_box()
    assert box is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 700)
    page.screenshot(path=str(RESULTS / "widget-phone.png"))
    assert not watched.errors, watched.errors


def test_plan_download_and_progress_image_work_inside_the_widget(
    site: dict, watched: Watched
) -> None:
    plan_id = secrets.token_urlsafe(16)
    (site["plans"] / f"{plan_id}.docx").write_bytes(b"PK\x03\x04 widget plan")
    (site["plans"] / f"{plan_id}.png").write_bytes(tiny_png())
    answer = [
        {"text": "Hier is je plan."},
        {"custom": {"type": "plan", "plan_id": plan_id}},
        {"custom": {"type": "chart", "plan_id": plan_id}},
    ]
    page = watched.page
    page.route(
        "**/api/chat",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(answer)
        ),
    )
    frame = open_widget(page, site["host"])
    link = frame.get_by_role("link", name="Download je plan van aanpak (Word)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"plan-van-aanpak-{plan_id[:8]}.docx"
    assert Path(download.path()).read_bytes() == b"PK\x03\x04 widget plan"
    image = frame.locator("img.plan-chart")
    expect(image).to_have_count(1)
    embed_frame(page).wait_for_function(
        "() => document.querySelector('img.plan-chart').naturalWidth === 2"
    )
    assert not watched.errors, watched.errors


def test_a_site_that_is_not_allowed_gets_no_chat(site: dict, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{site['other']}/")
    host = page.locator("[data-methodewijzer]")
    expect(host).to_have_attribute("data-state", "blocked")
    button = launcher(page)
    expect(button).to_have_accessible_name(re.compile(r"^Methodewijzer.*niet beschikbaar"))
    button.click()
    expect(host.locator(".note")).to_have_text("De Methodewijzer is op deze site niet beschikbaar.")
    expect(page.locator("iframe")).to_have_count(0)
    assert not any("/embed" in u or "/api/chat" in u for u in watched.urls), watched.urls
    page.screenshot(path=str(RESULTS / "widget-not-allowed.png"))
