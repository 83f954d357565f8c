"""Web server: the chat page for officials, its chat API and the plan downloads.

Routes:
- ``GET /``: the chat page (``static/index.html``); ``GET /static/...``: its CSS, JS and icon.
- ``POST /api/chat``: forwards ``{"sender", "message"}`` to the Rasa REST channel and returns
  Rasa's JSON list. The page only talks to its own origin, so Rasa needs no CORS and the page
  can have a strict Content-Security-Policy.
- ``GET /plans/<id>.docx``: a saved plan van aanpak; ``GET /plans/<id>.png``: its progress plot.
  Plan ids are unguessable and checked against a strict pattern before any file access.
- ``GET /health``: for ``scripts/serve.py``.

Run: python -m channels.web.server (make run starts it). Settings: WEB_PORT,
METHODEWIJZER_HOST, RASA_REST_URL (default: the REST channel on RASA_PORT at 127.0.0.1).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import httpx
from sanic import Request, Sanic
from sanic.exceptions import BadRequest
from sanic.response import HTTPResponse, file, json, text

from knowledge.plan import PlanStore

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATIC_DIR = Path(__file__).resolve().parent / "static"
RASA_TIMEOUT = 30.0  # seconds; Rasa itself gives up on the action server after 20 s
MAX_MESSAGE_CHARS = 2000
SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# Only files with these suffixes are served from static/, each with an explicit type.
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

UNREACHABLE = "De assistent is even niet bereikbaar. Probeer het zo opnieuw."
BAD_ANSWER = "De assistent gaf een onverwacht antwoord. Probeer het zo opnieuw."

# Same-origin only: no inline scripts or styles, no external requests, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def default_rasa_url() -> str:
    """RASA_REST_URL, else the REST channel of the local Rasa server started by serve.py."""
    explicit = os.environ.get("RASA_REST_URL")
    if explicit:
        return explicit
    port = os.environ.get("RASA_PORT", "5005")
    return f"http://127.0.0.1:{port}/webhooks/rest/webhook"


def validate_chat(body: Any) -> tuple[str, str] | str:
    """(sender, message) when the request body is acceptable, else a Dutch error message."""
    if not isinstance(body, dict):
        return "Stuur een JSON-object met 'sender' en 'message'."
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not SENDER_PATTERN.fullmatch(sender):
        return "Ongeldige afzender: gebruik 1 tot 64 letters, cijfers, '-' of '_'."
    if not isinstance(message, str) or not message.strip():
        return "Je bericht is leeg. Typ eerst een vraag."
    if len(message) > MAX_MESSAGE_CHARS:
        return f"Je bericht is te lang. Gebruik maximaal {MAX_MESSAGE_CHARS} tekens."
    return sender, message


def create_app(
    store: PlanStore | None = None,
    rasa_url: str | None = None,
    static_dir: Path = STATIC_DIR,
) -> Sanic:
    app = Sanic("methodewijzer_web")
    app.config.ACCESS_LOG = False
    app.config.REQUEST_MAX_SIZE = 64 * 1024  # a chat message is at most a few kB of JSON
    plans = store or PlanStore()
    rasa = rasa_url or default_rasa_url()
    app.ctx.http = None
    # The static files are fixed at start-up: a name is looked up, never joined into a path.
    static_files = {
        path.name: path
        for path in static_dir.iterdir()
        if path.is_file() and path.suffix in STATIC_TYPES
    }

    def http_client() -> httpx.AsyncClient:
        """One pooled client per server, created inside the server's event loop."""
        if app.ctx.http is None:
            app.ctx.http = httpx.AsyncClient(timeout=RASA_TIMEOUT)
        return app.ctx.http

    @app.after_server_stop
    async def close_client(_app: Sanic) -> None:
        if app.ctx.http is not None:
            await app.ctx.http.aclose()

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/")
    async def index(_request: Request) -> HTTPResponse:
        return await file(
            static_dir / "index.html",
            mime_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    @app.get("/static/<name:str>")
    async def static(_request: Request, name: str) -> HTTPResponse:
        path = static_files.get(name)
        if path is None:
            return text("Niet gevonden.", status=404)
        return await file(
            path, mime_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "no-cache"}
        )

    @app.get("/favicon.ico")
    async def favicon(_request: Request) -> HTTPResponse:
        return await file(static_dir / "favicon.svg", mime_type="image/svg+xml")

    @app.post("/api/chat")
    async def chat(request: Request) -> HTTPResponse:
        try:
            body = request.json
        except BadRequest:
            body = None
        checked = validate_chat(body)
        if isinstance(checked, str):
            return json({"error": checked}, status=400)
        sender, message = checked
        # Namespaced, so a web page can never speak as a Telegram chat ('telegram-<id>').
        sender = sender if sender.startswith("web-") else f"web-{sender}"
        try:
            answer = await http_client().post(rasa, json={"sender": sender, "message": message})
        except httpx.HTTPError as exc:  # connection refused, timeout, reset ...
            logger.warning("Rasa REST channel %s not reachable: %r", rasa, exc)
            return json({"error": UNREACHABLE}, status=503)
        if answer.status_code != 200:
            logger.warning("Rasa REST channel answered HTTP %s", answer.status_code)
            return json({"error": UNREACHABLE}, status=503)
        try:
            messages = answer.json()
        except ValueError:
            messages = None
        if not isinstance(messages, list):
            logger.warning("Rasa REST channel did not return a JSON list")
            return json({"error": BAD_ANSWER}, status=502)
        return json([m for m in messages if isinstance(m, dict)])

    @app.get("/plans/<name:str>")
    async def plan_download(_request: Request, name: str) -> HTTPResponse:
        if name.endswith(".png"):
            chart = plans.existing_chart(name.removesuffix(".png"))
            if chart is None:
                return text("Deze grafiek bestaat niet (meer).", status=404)
            return await file(chart, mime_type="image/png", headers={"Cache-Control": "no-store"})
        plan_id = name.removesuffix(".docx")
        path = plans.docx_path(plan_id) if name.endswith(".docx") else None
        if path is None:
            return text(
                "Dit plan bestaat niet (meer). Vraag de assistent om 'laat mijn plan zien'.",
                status=404,
            )
        return await file(
            path,
            mime_type=DOCX_TYPE,
            filename=f"plan-van-aanpak-{plan_id[:8]}.docx",
            headers={"Cache-Control": "no-store"},  # a shared plan changes; links can be revoked
        )

    return app


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8080"))
    host = os.environ.get("METHODEWIJZER_HOST", "127.0.0.1")
    create_app().run(host=host, port=port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
