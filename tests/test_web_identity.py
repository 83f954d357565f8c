"""Identity, limits at the door and the widget's headers, each on a web server with its own settings.

Servers run as `python -m channels.web.server` subprocesses (as `make run` starts them) against
the fake Rasa REST channel of test_web_server.py.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
import pytest
from test_web_server import FakeRasa, fake_rasa  # noqa: F401  (fixture)
from web_process import start_web_server, stop_web_server

from channels.web.identity import cookie_header, identity_for
from channels.web.limits import RATE_LIMITED, MemoryRateLimiter
from channels.web.widget import content_security_policy, parse_origins

ALLOWED = "http://intranet.gemeente.example"


@pytest.fixture
def server(fake_rasa: str, tmp_path: Path):  # noqa: F811
    """A factory: start a web server with extra settings; all are stopped after the test."""
    started = []

    def start(**settings: str) -> str:
        process, base = start_web_server(fake_rasa, tmp_path, settings)
        started.append(process)
        return base

    yield start
    for process in started:
        stop_web_server(process)


# --- pure parts -------------------------------------------------------------------------------


def test_memory_limiter_counts_per_key_in_a_sliding_window() -> None:
    now = [1000.0]
    limiter = MemoryRateLimiter(3, window=60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another client has its own budget
    now[0] += 59
    assert not limiter.allow("a")
    now[0] += 2  # the first hits left the window
    assert limiter.allow("a")
    assert all(MemoryRateLimiter(0).allow("x") for _ in range(1000))  # 0 = no limit


def test_memory_limiter_stays_bounded_under_a_flood_of_keys() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(5, clock=lambda: now[0], max_keys=100)
    for i in range(1000):
        limiter.allow(f"key-{i}")
    assert len(limiter._hits) <= 100


def test_identity_is_derived_one_way_and_prefixed() -> None:
    fresh = identity_for(cookie=None, header_token=None, embed=False)
    assert fresh.token and fresh.sender.startswith("web-") and fresh.token not in fresh.sender
    known = identity_for(cookie=fresh.token, header_token=None, embed=False)
    assert known.token is None and known.sender == fresh.sender
    assert identity_for(None, fresh.token, embed=False).sender != fresh.sender  # header: embed only
    assert identity_for(None, fresh.token, embed=True).sender == fresh.sender
    by_cookie = identity_for(None, "x", embed=True, embed_cookie=fresh.token)
    assert by_cookie.sender == fresh.sender and by_cookie.token is None
    alice = identity_for(cookie=fresh.token, header_token=None, embed=False, login="alice")
    assert alice.sender == identity_for(None, None, embed=True, login="alice").sender
    assert alice.sender != fresh.sender and alice.token is None


def test_cookie_header_marks_secure_only_over_https() -> None:
    assert "; Secure" not in cookie_header("t" * 43, secure=False)
    assert cookie_header("t" * 43, secure=True).endswith("; Secure")


def test_parse_origins() -> None:
    raw = f" {ALLOWED}/ , https://Partner.example:8443,,javascript:alert(1), *, https://a.b/pad"
    assert parse_origins(raw) == (ALLOWED, "https://partner.example:8443")
    assert parse_origins("") == ()
    assert content_security_policy().endswith("frame-ancestors 'none'")
    assert content_security_policy((ALLOWED,)).endswith(f"frame-ancestors {ALLOWED}")


# --- running servers --------------------------------------------------------------------------


def test_too_many_messages_get_429_in_dutch(server) -> None:
    base = server(METHODEWIJZER_RATE_LIMIT="3")
    with httpx.Client(base_url=base) as client:  # keeps the identity cookie
        codes = [client.post("/api/chat", json={"message": "hallo"}).status_code for _ in range(4)]
        refused = client.post("/api/chat", json={"message": "hallo"})
    assert codes == [200, 200, 200, 429]
    assert refused.status_code == 429 and refused.json() == {"error": RATE_LIMITED}
    assert refused.headers["retry-after"] == "60"
    assert RATE_LIMITED.startswith("Je stuurt veel berichten achter elkaar.")
    # another browser is not punished for this one
    assert httpx.post(f"{base}/api/chat", json={"message": "hallo"}).status_code == 200


def test_a_new_identity_per_request_does_not_bypass_the_limit(server) -> None:
    base = server(METHODEWIJZER_RATE_LIMIT_PER_ADDRESS="5")
    FakeRasa.received.clear()
    codes = [httpx.post(f"{base}/api/chat", json={"message": "x"}).status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2 and len(FakeRasa.received) == 5


def test_trusted_proxy_decides_secure_and_client_address(server) -> None:
    base = server(METHODEWIJZER_TRUSTED_PROXY="1", METHODEWIJZER_RATE_LIMIT_PER_ADDRESS="2")
    response = httpx.get(f"{base}/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["set-cookie"].endswith("; Secure")

    def post(address: str) -> int:
        headers = {"X-Forwarded-For": address}
        return httpx.post(f"{base}/api/chat", json={"message": "x"}, headers=headers).status_code

    assert [post("10.0.0.1") for _ in range(3)] == [200, 200, 429]
    assert post("10.0.0.2") == 200  # counted per client behind the proxy


def test_login_header_from_a_reverse_proxy_is_the_identity_when_configured(server) -> None:
    plain = server()
    with_login = server(METHODEWIJZER_IDENTITY_HEADER="X-Remote-User")
    FakeRasa.received.clear()
    for base in (plain, plain, with_login, with_login):
        httpx.post(f"{base}/api/chat", json={"message": "x"}, headers={"X-Remote-User": "alice"})
    senders = [body["sender"] for body in FakeRasa.received]
    assert senders[0] != senders[1]  # not configured: the header means nothing
    assert senders[2] == senders[3] and senders[2].startswith("web-")


def test_widget_routes_and_frame_headers(server) -> None:
    closed = server()
    open_ = server(METHODEWIJZER_WIDGET_ORIGINS=f"{ALLOWED}, https://partner.example")

    page = httpx.get(f"{open_}/")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"

    embed = httpx.get(f"{open_}/embed")
    assert embed.status_code == 200 and 'data-mode="embed"' in embed.text
    csp = embed.headers["content-security-policy"]
    assert f"frame-ancestors {ALLOWED} https://partner.example" in csp
    assert "script-src 'self'" in csp and "unsafe" not in csp
    assert "x-frame-options" not in embed.headers
    assert (
        "frame-ancestors 'none'" in httpx.get(f"{closed}/embed").headers["content-security-policy"]
    )

    script = httpx.get(f"{open_}/widget.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
    size = len(gzip.compress(script.content, compresslevel=9))
    print(f"widget.js: {len(script.content)} bytes, {size} bytes gzipped")
    assert size < 15_000

    allowed = httpx.get(f"{open_}/widget/status", headers={"Origin": ALLOWED})
    assert allowed.json() == {"available": True}
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    for base, origin in ((open_, "https://evil.example"), (closed, ALLOWED)):
        refused = httpx.get(f"{base}/widget/status", headers={"Origin": origin})
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers
