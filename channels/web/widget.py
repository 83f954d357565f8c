"""Which sites may embed the widget, and the headers that enforce it.

``METHODEWIJZER_WIDGET_ORIGINS`` is a comma-separated list of origins such as
``https://intranet.gemeente.nl``; empty (the default) means no site may embed the assistant.
The browser enforces the list through ``frame-ancestors`` on the embed view (``/embed``), and
``/widget/status`` answers the launcher's question "may I show the chat here?" with CORS for
listed origins only. The stand-alone page keeps ``frame-ancestors 'none'``.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

ORIGIN_PATTERN = re.compile(r"^https?://(\[[0-9a-f:]+\]|[a-z0-9.-]+)(:\d{1,5})?$")

# Same-origin only: no inline scripts or styles, no external requests.
BASE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def parse_origins(raw: str) -> tuple[str, ...]:
    """The valid origins in ``raw``, normalised (lower case, no trailing slash)."""
    origins: list[str] = []
    for part in raw.split(","):
        origin = part.strip().rstrip("/").lower()
        if not origin:
            continue
        if ORIGIN_PATTERN.fullmatch(origin):
            origins.append(origin)
        else:
            logger.warning("METHODEWIJZER_WIDGET_ORIGINS: %r is not an origin; ignored", part)
    return tuple(dict.fromkeys(origins))


def content_security_policy(frame_ancestors: tuple[str, ...] = ()) -> str:
    """The page policy; only the embed view names the sites that may frame it."""
    ancestors = " ".join(frame_ancestors) if frame_ancestors else "'none'"
    return f"{BASE_POLICY}; frame-ancestors {ancestors}"
