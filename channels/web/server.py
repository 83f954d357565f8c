"""Web server: the chat page for officials, the widget for other sites, its chat API and downloads.

Routes:
- ``GET /``: the chat page (``static/index.html``); ``GET /static/...``: its CSS, JS and icon.
- ``GET /embed``: the compact chat view that the widget shows in an iframe on allowed sites;
  ``GET /widget.js``: the one script a host page includes; ``GET /widget/status``: CORS check
  for the launcher (see ``widget.py``).
- ``POST /api/chat``: forwards ``{"message"}`` to the Rasa REST channel under the sender id the
  server derives from its own identity (``identity.py``; any ``sender`` in the body is ignored)
  and returns Rasa's JSON list. Messages per client per minute are limited (``limits.py``) and
  control characters are removed at the door (``knowledge.sanitize.clean_text``).
- ``GET /plans/<id>.docx``: a saved plan van aanpak; ``GET /plans/<id>.png``: its progress plot.
  Plan ids are unguessable and checked against a strict pattern before any file access.
- ``GET /health``: for ``scripts/serve.py``.

Run: python -m channels.web.server (make run starts it). Settings: WEB_PORT,
METHODEWIJZER_HOST, RASA_REST_URL (default: the REST channel on RASA_PORT at 127.0.0.1),
METHODEWIJZER_RATE_LIMIT, METHODEWIJZER_RATE_LIMIT_PER_ADDRESS, METHODEWIJZER_TRUSTED_PROXY,
METHODEWIJZER_IDENTITY_HEADER, METHODEWIJZER_WIDGET_ORIGINS (see .env.example), REDIS_URL
(rate limits shared by several web server processes, ``limits.py``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import httpx
from sanic import Request, Sanic
from sanic.exceptions import BadRequest
from sanic.response import HTTPResponse, file, html, json, text

from channels.web.identity import (
    COOKIE_NAME,
    EMBED_COOKIE_NAME,
    EMBED_HEADER,
    TOKEN_HEADER,
    Identity,
    cookie_header,
    embed_cookie_header,
    identity_for,
)
from channels.web.limits import (
    DEFAULT_PER_ADDRESS,
    DEFAULT_PER_CLIENT,
    RATE_LIMITED,
    RateLimiter,
    rate_limiter,
    setting,
)
from channels.web.widget import content_security_policy, parse_origins
from knowledge.plan.files import PlanFiles
from knowledge.sanitize import clean_text

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATIC_DIR = Path(__file__).resolve().parent / "static"
RASA_TIMEOUT = 30.0  # seconds; Rasa itself gives up on the action server after 20 s
MAX_MESSAGE_CHARS = 2000
CONVERSATION_MARK = "__CONVERSATION__"  # in index.html: replaced by the identity's history key

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
EMPTY = "Je bericht is leeg. Typ eerst een vraag."

CONTENT_SECURITY_POLICY = content_security_policy()  # frame-ancestors 'none'
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


def validate_chat(body: Any) -> tuple[bool, str]:
    """(True, cleaned message) when the body is acceptable, else (False, a Dutch error).

    A ``sender`` in the body is ignored: the server decides who is talking.
    """
    if not isinstance(body, dict):
        return False, "Stuur een JSON-object met je bericht in 'message'."
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        return False, EMPTY
    if len(message) > MAX_MESSAGE_CHARS:
        return False, f"Je bericht is te lang. Gebruik maximaal {MAX_MESSAGE_CHARS} tekens."
    message = clean_text(message)
    if not message.strip():
        return False, EMPTY
    return True, message


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "ja", "on"}


def create_app(
    store: PlanFiles | None = None,
    rasa_url: str | None = None,
    static_dir: Path = STATIC_DIR,
    limiter: RateLimiter | None = None,
    address_limiter: RateLimiter | None = None,
) -> Sanic:
    app = Sanic("methodewijzer_web")
    app.config.ACCESS_LOG = False
    app.config.REQUEST_MAX_SIZE = 64 * 1024  # a chat message is at most a few kB of JSON
    # Behind one reverse proxy: scheme and client address come from its X-Forwarded-* headers.
    trusted_proxy = env_flag("METHODEWIJZER_TRUSTED_PROXY")
    identity_header = os.environ.get("METHODEWIJZER_IDENTITY_HEADER", "").strip()
    widget_origins = parse_origins(os.environ.get("METHODEWIJZER_WIDGET_ORIGINS", ""))
    embed_policy = content_security_policy(widget_origins)
    per_client = limiter or rate_limiter(
        setting("METHODEWIJZER_RATE_LIMIT", DEFAULT_PER_CLIENT), "client"
    )
    per_address = address_limiter or rate_limiter(
        setting("METHODEWIJZER_RATE_LIMIT_PER_ADDRESS", DEFAULT_PER_ADDRESS), "address"
    )
    plans = store or PlanFiles()
    rasa = rasa_url or default_rasa_url()
    app.ctx.http = None
    # The static files are fixed at start-up: a name is looked up, never joined into a path.
    static_files = {
        path.name: path
        for path in static_dir.iterdir()
        if path.is_file() and path.suffix in STATIC_TYPES
    }
    index_page = (static_dir / "index.html").read_text(encoding="utf-8")

    def http_client() -> httpx.AsyncClient:
        """One pooled client per server, created inside the server's event loop."""
        if app.ctx.http is None:
            app.ctx.http = httpx.AsyncClient(timeout=RASA_TIMEOUT)
        return app.ctx.http

    def identify(request: Request) -> Identity:
        login = request.headers.get(identity_header) if identity_header else None
        return identity_for(
            cookie=request.cookies.get(COOKIE_NAME),
            header_token=request.headers.get(TOKEN_HEADER),
            embed=request.headers.get(EMBED_HEADER) == "1",
            login=clean_text(login).strip() if login else None,
            embed_cookie=request.cookies.get(EMBED_COOKIE_NAME),
        )

    def remember(request: Request, identity: Identity, response: HTTPResponse) -> HTTPResponse:
        """Hand a newly issued token to the browser: cookie for the page, header for the embed."""
        if identity.token is None:
            return response
        if request.headers.get(EMBED_HEADER) == "1":
            response.headers[TOKEN_HEADER] = identity.token
            response.headers.add("Set-Cookie", embed_cookie_header(identity.token))
        else:
            response.headers.add(
                "Set-Cookie", cookie_header(identity.token, secure_request(request))
            )
        return response

    def secure_request(request: Request) -> bool:
        """HTTPS directly, or (only with a trusted proxy) as the proxy reports it."""
        if trusted_proxy:
            proto = request.headers.get("X-Forwarded-Proto", "").split(",")[-1]
            return proto.strip().lower() == "https"
        return bool(request.conn_info is not None and request.conn_info.ssl)

    def client_address(request: Request) -> str:
        """The connecting address; behind a trusted proxy the one that proxy appended."""
        forwarded = request.headers.get("X-Forwarded-For", "") if trusted_proxy else ""
        return forwarded.split(",")[-1].strip() or request.ip or "?"

    @app.after_server_stop
    async def close_client(_app: Sanic) -> None:
        if app.ctx.http is not None:
            await app.ctx.http.aclose()

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            if name == "X-Frame-Options" and request.path == "/embed":
                continue  # only the embed view may be framed, by the allowed sites
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return json({"status": "ok"})

    @app.get("/")
    async def index(request: Request) -> HTTPResponse:
        identity = identify(request)
        page = index_page.replace(CONVERSATION_MARK, identity.conversation)
        response = html(page, headers={"Cache-Control": "private, no-store"})
        return remember(request, identity, response)

    @app.get("/embed")
    async def embed(_request: Request) -> HTTPResponse:
        # frame-ancestors names the allowed sites; the hook below adds no X-Frame-Options here.
        headers = {"Cache-Control": "no-cache", "Content-Security-Policy": embed_policy}
        return await file(
            static_dir / "embed.html", mime_type="text/html; charset=utf-8", headers=headers
        )

    @app.get("/widget.js")
    async def widget_script(_request: Request) -> HTTPResponse:
        return await file(
            static_dir / "widget.js",
            mime_type=STATIC_TYPES[".js"],
            headers={
                "Cache-Control": "public, max-age=300",
                "Cross-Origin-Resource-Policy": "cross-origin",  # host pages load it
            },
        )

    @app.get("/widget/status")
    async def widget_status(request: Request) -> HTTPResponse:
        origin = (request.headers.get("Origin") or "").lower()
        if origin in widget_origins:
            return json(
                {"available": True},
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Vary": "Origin",
                    "Cache-Control": "no-store",
                },
            )
        return json({"available": False}, status=403, headers={"Vary": "Origin"})

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
        identity = identify(request)
        allowed = per_address.allow(client_address(request))
        if not (per_client.allow(identity.sender) and allowed):
            response = json({"error": RATE_LIMITED}, status=429, headers={"Retry-After": "60"})
            return remember(request, identity, response)
        try:
            body = request.json
        except BadRequest:
            body = None
        ok, checked = validate_chat(body)
        if not ok:
            return remember(request, identity, json({"error": checked}, status=400))
        response = await forward(identity.sender, checked)
        return remember(request, identity, response)

    async def forward(sender: str, message: str) -> HTTPResponse:
        try:
            answer = await http_client().post(rasa, json={"sender": sender, "message": message})
        except httpx.HTTPError as exc:  # connection refused, timeout, reset ...
            logger.warning("Rasa REST channel %s not reachable: %r", rasa, type(exc).__name__)
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
            filename=PlanFiles.download_name(plan_id),
            headers={"Cache-Control": "no-store"},  # a shared plan changes; links can be revoked
        )

    return app


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8080"))
    host = os.environ.get("METHODEWIJZER_HOST", "127.0.0.1")
    create_app().run(host=host, port=port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
