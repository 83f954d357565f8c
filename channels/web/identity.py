"""Who is talking: the web server issues the identity, the browser never chooses it.

- The stand-alone page gets a random token in a cookie (``HttpOnly; SameSite=Strict``, and
  ``Secure`` when the request came over HTTPS). Scripts cannot read it and other sites cannot
  send it along.
- The widget's embed view runs inside another site's page, where browsers restrict cookies of
  third parties. It gets its token once in a response header and keeps it in its own storage
  (which Chromium partitions per host site), then sends it in the ``X-Methodewijzer-Token``
  header. Other sites cannot read that storage, and a custom header forces a CORS preflight
  that this server never grants.
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


def identity_for(
    cookie: str | None,
    header_token: str | None,
    embed: bool,
    login: str | None = None,
) -> Identity:
    """The identity of a request; a fresh token when it carries no valid one."""
    if login:
        sender = "web-" + _digest("login", login[:MAX_LOGIN_CHARS])[:40]
        return Identity(sender, None, _digest("conversation", sender)[:16])
    presented = header_token if embed else cookie
    token = presented if presented and TOKEN_PATTERN.fullmatch(presented) else None
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
