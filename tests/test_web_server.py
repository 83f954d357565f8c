"""The web server (channels/web/server.py) on a real port, with a fake Rasa REST channel.

The server runs as `python -m channels.web.server` in a subprocess, exactly as `make run`
starts it; the fake Rasa is a small HTTP server in a thread of the test process, so the tests
see what the web server forwarded. No Rasa model is needed here.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from web_process import free_port, start_web_server, stop_web_server

from channels.web.identity import COOKIE_NAME, EMBED_COOKIE_NAME, TOKEN_HEADER
from channels.web.server import (
    MAX_MESSAGE_CHARS,
    STATIC_DIR,
    UNREACHABLE,
    default_rasa_url,
    validate_chat,
)

ROOT = Path(__file__).resolve().parents[1]
PLAN_ID = "AbCdEfGhIjKlMnOpQrStUv"  # matches knowledge.plan's pattern (22 url-safe chars)
PNG_BYTES = b"\x89PNG\r\n\x1a\n not really a plot either"
DOCX_BYTES = b"PK\x03\x04 not really a docx, but the server only streams the file"


class FakeRasa(BaseHTTPRequestHandler):
    """Answers like Rasa's REST channel; a few magic messages trigger failures."""

    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.received.append(body)
        message = body["message"]
        if message == "rasa-500":
            self._reply(500, b"internal error")
        elif message == "rasa-geen-lijst":
            self._reply(200, b'{"oops": true}')
        else:
            answer = [
                {"recipient_id": body["sender"], "text": f"Je zei: {message}"},
                {
                    "recipient_id": body["sender"],
                    "text": "Kies:",
                    "buttons": [
                        {"title": "Uitleg KVO", "payload": '/explain_method{"method": "kvo"}'}
                    ],
                },
                {"recipient_id": body["sender"], "custom": {"type": "plan", "plan_id": PLAN_ID}},
            ]
            self._reply(200, json.dumps(answer).encode())

    def _reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/webhooks/rest/webhook"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def plans_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plans = tmp_path_factory.mktemp("plans")
    (plans / f"{PLAN_ID}.docx").write_bytes(DOCX_BYTES)
    (plans / f"{PLAN_ID}.png").write_bytes(PNG_BYTES)
    return plans


@pytest.fixture(scope="module")
def web(fake_rasa: str, plans_dir: Path) -> Iterator[str]:
    process, base = start_web_server(fake_rasa, plans_dir)
    yield base
    stop_web_server(process)


@pytest.fixture(scope="module")
def web_without_rasa(plans_dir: Path) -> Iterator[str]:
    """A web server whose Rasa URL points at a port where nothing listens."""
    process, base = start_web_server(
        f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook", plans_dir
    )
    yield base
    stop_web_server(process)


def raw_get(base: str, path: str) -> int:
    """Status of a GET whose path is sent byte for byte (httpx would normalise '..')."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


# --- pure functions ---------------------------------------------------------------------------


def test_validate_chat_accepts_a_normal_message_and_ignores_the_sender() -> None:
    assert validate_chat({"sender": "web-ab12_CD", "message": "hallo"}) == (True, "hallo")
    long = "x" * MAX_MESSAGE_CHARS
    assert validate_chat({"message": long}) == (True, long)


def test_validate_chat_cleans_control_characters() -> None:
    assert validate_chat({"message": "vrijdag\x01\x02 avond\r\nregel"}) == (
        True,
        "vrijdag avond\nregel",
    )
    assert validate_chat({"message": "\x00\x07\u202e"})[0] is False


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "hallo",
        {"sender": "web-1"},
        {"sender": "web-1", "message": ""},
        {"sender": "web-1", "message": "  \n "},
        {"sender": "web-1", "message": 5},
        {"sender": "web-1", "message": "x" * (MAX_MESSAGE_CHARS + 1)},
    ],
)
def test_validate_chat_rejects_bad_input(body: object) -> None:
    ok, error = validate_chat(body)
    assert ok is False and "bericht" in error


def test_default_rasa_url_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_REST_URL", raising=False)
    monkeypatch.delenv("RASA_PORT", raising=False)
    assert default_rasa_url() == "http://127.0.0.1:5005/webhooks/rest/webhook"
    monkeypatch.setenv("RASA_PORT", "6006")
    assert default_rasa_url() == "http://127.0.0.1:6006/webhooks/rest/webhook"
    monkeypatch.setenv("RASA_REST_URL", "http://rasa.intern:5005/webhooks/rest/webhook")
    assert default_rasa_url() == "http://rasa.intern:5005/webhooks/rest/webhook"


def test_static_files_make_no_external_requests() -> None:
    """No CDN, web font or inline script: everything comes from this server."""
    for path in STATIC_DIR.iterdir():
        content = path.read_text(encoding="utf-8")
        content = content.replace("http://www.w3.org/2000/svg", "")  # SVG namespace, no request
        assert "http://" not in content and "https://" not in content, path.name
        assert "@import" not in content and "url(" not in content, path.name
    for page in ("index.html", "embed.html"):
        html = (STATIC_DIR / page).read_text(encoding="utf-8")
        assert html.count("<script") == html.count('<script src="static/') == 1
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html
    for name in ("chat.js", "widget.js"):
        script = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert "innerHTML" not in script.replace("never as HTML", "")
        assert "eval(" not in script and "insertAdjacentHTML" not in script


# --- the running server -----------------------------------------------------------------------


def test_health(web: str) -> None:
    response = httpx.get(f"{web}/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_index_page_with_security_headers(web: str) -> None:
    response = httpx.get(f"{web}/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Methodewijzer Lokale Veiligheid</title>" in response.text
    assert 'lang="nl"' in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    ("path", "content_type", "snippet"),
    [
        ("/static/chat.js", "javascript", "api/chat"),
        ("/static/chat.css", "text/css", ".quick-reply"),
        ("/static/favicon.svg", "image/svg+xml", "<svg"),
        ("/static/index.html", "text/html", "Nieuw gesprek"),
        ("/favicon.ico", "image/svg+xml", "<svg"),
    ],
)
def test_static_files(web: str, path: str, content_type: str, snippet: str) -> None:
    response = httpx.get(f"{web}{path}")
    assert response.status_code == 200
    assert content_type in response.headers["content-type"]
    assert snippet in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/static/..%2Fserver.py",
        "/static/../../../pyproject.toml",
        "/static/nope.js",
        "/static/",
    ],
)
def test_static_files_stay_inside_the_static_folder(web: str, path: str) -> None:
    assert raw_get(web, path) == 404


def test_chat_is_forwarded_to_rasa(web: str) -> None:
    FakeRasa.received.clear()
    response = httpx.post(f"{web}/api/chat", json={"message": "welke methode?"})
    assert response.status_code == 200
    [forwarded] = FakeRasa.received
    sender = forwarded["sender"]
    assert forwarded == {"sender": sender, "message": "welke methode?"}
    assert sender.startswith("web-") and len(sender) == 44
    answer = response.json()
    assert answer[0] == {"recipient_id": sender, "text": "Je zei: welke methode?"}
    assert answer[1]["buttons"][0]["payload"] == '/explain_method{"method": "kvo"}'
    assert answer[2]["custom"] == {"type": "plan", "plan_id": PLAN_ID}
    assert response.headers["cache-control"] == "no-store"


def test_the_server_issues_the_identity_and_ignores_the_body_sender(web: str) -> None:
    FakeRasa.received.clear()
    first = httpx.post(f"{web}/api/chat", json={"sender": "web-victim", "message": "hallo"})
    cookie = first.cookies[COOKIE_NAME]
    assert len(cookie) >= 32 and cookie not in FakeRasa.received[0]["sender"]
    with httpx.Client(base_url=web, cookies={COOKIE_NAME: cookie}) as client:
        client.post("/api/chat", json={"sender": "telegram-1001", "message": "nog een"})
        again = client.post("/api/chat", json={"message": "en nog een"})
    assert COOKIE_NAME not in again.cookies  # a known browser gets no new cookie
    other = httpx.post(f"{web}/api/chat", json={"sender": "web-victim", "message": "hallo"})
    senders = [body["sender"] for body in FakeRasa.received]
    assert senders[0] == senders[1] == senders[2] != senders[3]
    assert "victim" not in "".join(senders) and "telegram" not in "".join(senders)
    assert other.cookies[COOKIE_NAME] != cookie
    # a forged cookie value that is not a token gets a fresh identity, not an error
    forged = httpx.post(
        f"{web}/api/chat", json={"message": "hallo"}, cookies={COOKIE_NAME: "../x y"}
    )
    assert forged.status_code == 200 and forged.cookies[COOKIE_NAME] != "../x y"


def test_identity_cookie_attributes(web: str) -> None:
    for response in (httpx.get(f"{web}/"), httpx.post(f"{web}/api/chat", json={"message": "x"})):
        set_cookie = response.headers["set-cookie"]
        assert set_cookie.startswith(f"{COOKIE_NAME}=")
        attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}
        assert {"httponly", "samesite", "path", "max-age"} <= attributes
        assert "SameSite=Strict" in set_cookie
        assert "secure" not in attributes  # plain http on loopback
    # without a trusted proxy, a client cannot claim https
    spoofed = httpx.get(f"{web}/", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in spoofed.headers["set-cookie"]


def test_the_page_knows_its_conversation_key_but_not_the_token(web: str) -> None:
    response = httpx.get(f"{web}/")
    token = response.cookies[COOKIE_NAME]
    assert "__CONVERSATION__" not in response.text and token not in response.text
    assert 'name="methodewijzer-conversation" content="' in response.text
    again = httpx.get(f"{web}/", cookies={COOKIE_NAME: token})
    key = response.text.split('name="methodewijzer-conversation" content="')[1][:16]
    assert key in again.text and "set-cookie" not in again.headers


def test_the_embed_view_keeps_a_token_instead_of_a_cookie(web: str) -> None:
    FakeRasa.received.clear()
    embed = {"X-Methodewijzer-Embed": "1"}
    first = httpx.post(f"{web}/api/chat", json={"message": "hallo"}, headers=embed)
    token = first.headers[TOKEN_HEADER]
    # a partitioned cookie (CHIPS) for browsers that restrict third-party cookies
    partitioned = first.headers["set-cookie"]
    assert partitioned.startswith(f"{EMBED_COOKIE_NAME}={token};")
    for attribute in ("HttpOnly", "Secure", "SameSite=None", "Partitioned"):
        assert f"; {attribute}" in partitioned
    by_cookie = httpx.post(
        f"{web}/api/chat", json={"message": "x"}, headers=embed, cookies={EMBED_COOKIE_NAME: token}
    )
    assert "set-cookie" not in by_cookie.headers
    FakeRasa.received.pop()
    again = httpx.post(
        f"{web}/api/chat", json={"message": "weer"}, headers={**embed, TOKEN_HEADER: token}
    )
    assert TOKEN_HEADER.lower() not in again.headers
    assert FakeRasa.received[0]["sender"] == FakeRasa.received[1]["sender"]
    # the page's requests never take an identity from the token header
    page = httpx.post(f"{web}/api/chat", json={"message": "x"}, headers={TOKEN_HEADER: token})
    assert FakeRasa.received[2]["sender"] != FakeRasa.received[0]["sender"]
    assert TOKEN_HEADER.lower() not in page.headers


def test_control_characters_are_cleaned_at_the_door(web: str) -> None:
    FakeRasa.received.clear()
    response = httpx.post(
        f"{web}/api/chat", json={"message": "wij surveilleren al op vrijdag\x01\x02 avond"}
    )
    assert response.status_code == 200
    assert FakeRasa.received[0]["message"] == "wij surveilleren al op vrijdag avond"
    empty = httpx.post(f"{web}/api/chat", json={"message": "\x01\x1b\u200b"})
    assert empty.status_code == 400 and "leeg" in empty.json()["error"]
    assert len(FakeRasa.received) == 1


def test_chat_has_no_cors_headers(web: str) -> None:
    """Only the page's own origin may use /api/chat: browsers block other origins by default."""
    headers = {"Origin": "https://evil.example"}
    post = httpx.post(
        f"{web}/api/chat", json={"sender": "web-1", "message": "hallo"}, headers=headers
    )
    preflight = httpx.options(
        f"{web}/api/chat", headers={**headers, "Access-Control-Request-Method": "POST"}
    )
    for response in (post, preflight):
        assert not any(h.lower().startswith("access-control-") for h in response.headers)


@pytest.mark.parametrize(
    "content",
    [
        b"dit is geen json",
        b"[]",
        b'{"sender": "web-1", "message": ""}',
        b'{"sender": "web-1", "message": "   "}',
        json.dumps({"sender": "web-1", "message": "x" * (MAX_MESSAGE_CHARS + 1)}).encode(),
    ],
)
def test_chat_rejects_bad_requests_in_dutch(web: str, content: bytes) -> None:
    FakeRasa.received.clear()
    response = httpx.post(
        f"{web}/api/chat", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "bericht" in error, error
    assert FakeRasa.received == []


def test_chat_only_accepts_post(web: str) -> None:
    assert httpx.get(f"{web}/api/chat").status_code == 405


def test_chat_rejects_huge_bodies(web: str) -> None:
    body = json.dumps({"sender": "web-1", "message": "x" * 200_000}).encode()
    assert httpx.post(f"{web}/api/chat", content=body).status_code == 413


def test_rasa_error_gives_503(web: str) -> None:
    response = httpx.post(f"{web}/api/chat", json={"sender": "web-1", "message": "rasa-500"})
    assert response.status_code == 503 and response.json() == {"error": UNREACHABLE}


def test_rasa_answer_that_is_not_a_list_gives_502(web: str) -> None:
    response = httpx.post(f"{web}/api/chat", json={"sender": "web-1", "message": "rasa-geen-lijst"})
    assert response.status_code == 502 and "error" in response.json()


def test_rasa_down_gives_503_in_dutch(web_without_rasa: str) -> None:
    response = httpx.post(
        f"{web_without_rasa}/api/chat", json={"sender": "web-1", "message": "hallo"}
    )
    assert response.status_code == 503
    assert response.json() == {"error": UNREACHABLE}
    assert "niet bereikbaar" in UNREACHABLE
    assert httpx.get(f"{web_without_rasa}/health").status_code == 200


def test_plan_download(web: str) -> None:
    response = httpx.get(f"{web}/plans/{PLAN_ID}.docx")
    assert response.status_code == 200
    assert response.content == DOCX_BYTES
    assert "wordprocessingml" in response.headers["content-type"]
    assert "attachment" in response.headers["content-disposition"]


def test_progress_plot_download(web: str) -> None:
    response = httpx.get(f"{web}/plans/{PLAN_ID}.png?t=123")
    assert response.status_code == 200 and response.content == PNG_BYTES
    assert response.headers["content-type"] == "image/png"
    assert httpx.get(f"{web}/plans/{PLAN_ID[:-1]}X.png").status_code == 404
    assert raw_get(web, "/plans/..%2F..%2Fetc%2Fpasswd.png") == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/plans/{PLAN_ID}",  # no .docx
        f"/plans/{PLAN_ID}.json",
        "/plans/kort.docx",  # too short to be a plan id
        f"/plans/{PLAN_ID[:-1]}X.docx",  # well-formed but unknown
        "/plans/..%2F..%2Fpyproject.toml",
        "/plans/..%2F..%2Fetc%2Fpasswd.docx",
        "/plans/../pyproject.toml",
        f"/plans/%2e%2e%2f{PLAN_ID}.docx",
        "/plans/",
    ],
)
def test_plan_download_rejects_bad_ids_and_traversal(web: str, path: str) -> None:
    assert raw_get(web, path) == 404
