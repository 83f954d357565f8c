"""Who is talking: the web server issues the identity, the browser never chooses it.

- The stand-alone page gets a random token in a cookie (``HttpOnly; SameSite=Strict``, and
  ``Secure`` when the request came over HTTPS). Scripts cannot read it and other sites cannot
  send it along.
- The widget's embed view runs inside another site's page, where browsers restrict cookies of
  third parties. It gets its token in a partitioned cookie (CHIPS: ``Partitioned; Secure;
  SameSite=None; HttpOnly``, kept per site that embeds us, allowed where third-party cookies
  are blocked) and, for browsers without CHIPS, once in a response header that the embed view
  keeps in its own storage and sends back in ``X-Methodewijzer-Token``. A custom header forces
  a CORS preflight that this server never grants.
- Optionally a reverse proxy that handles the organisation's login names the user in a header
  (``METHODEWIJZER_IDENTITY_HEADER``, off by default). Only set it when the web server can be
  reached through that proxy alone.

The Rasa sender id is derived with a one-way hash, so a sender id seen in a log or database
cannot be turned back into a token that speaks for that person. The ``web-`` prefix keeps web
senders apart from Telegram chats.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

COOKIE_NAME = "methodewijzer_id"
EMBED_COOKIE_NAME = "methodewijzer_embed"  # partitioned (CHIPS): one per site that embeds us
TOKEN_HEADER = "X-Methodewijzer-Token"
EMBED_HEADER = "X-Methodewijzer-Embed"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
COOKIE_MAX_AGE = 180 * 24 * 3600  # seconds; longer than the conversation retention
MAX_LOGIN_CHARS = 256


@dataclass(frozen=True)
class Identity:
    sender: str  # the Rasa sender id
    token: str | None  # set when the server issued a new token with this request
    conversation: str  # a short, non-secret key for the page's saved history


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _valid(token: str | None) -> str | None:
    return token if token and TOKEN_PATTERN.fullmatch(token) else None


def identity_for(
    cookie: str | None,
    header_token: str | None,
    embed: bool,
    login: str | None = None,
    embed_cookie: str | None = None,
) -> Identity:
    """The identity of a request; a fresh token when it carries no valid one.

    The page uses ``cookie``; the embed view its partitioned ``embed_cookie``, else the token
    it kept itself (``header_token``).
    """
    if login:
        sender = "web-" + _digest("login", login[:MAX_LOGIN_CHARS])[:40]
        return Identity(sender, None, _digest("conversation", sender)[:16])
    token = (_valid(embed_cookie) or _valid(header_token)) if embed else _valid(cookie)
    issued = None
    if token is None:
        token = issued = new_token()
    sender = "web-" + _digest("token", token)[:40]
    return Identity(sender, issued, _digest("conversation", sender)[:16])


def cookie_header(token: str, secure: bool) -> str:
    """The Set-Cookie value for the stand-alone page."""
    parts = [
        f"{COOKIE_NAME}={token}",
        "Path=/",
        f"Max-Age={COOKIE_MAX_AGE}",
        "HttpOnly",
        "SameSite=Strict",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def embed_cookie_header(token: str) -> str:
    """The Set-Cookie value for the embed view: a partitioned cookie (CHIPS).

    Browsers that restrict third-party cookies still keep a ``Partitioned`` one, stored per
    top-level site. It must be ``Secure`` and ``SameSite=None``; browsers accept ``Secure``
    cookies from http://localhost and 127.0.0.1 as well, so this also works in the tests.
    """
    return (
        f"{EMBED_COOKIE_NAME}={token}; Path=/; Max-Age={COOKIE_MAX_AGE}; HttpOnly; Secure; "
        "SameSite=None; Partitioned"
    )
