"""Local stand-ins for the Telegram Bot API and for Rasa's REST channel, for the bridge tests.

Both are small threaded HTTP servers on 127.0.0.1, so the real bridge (PTB's own HTTP client,
rate limiter and updater) talks real HTTP to them. Every request is recorded for assertions.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from telegram.ext import Application

from channels.telegram import ALLOWED_UPDATES

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Methodewijzer", "username": "mw_test_bot"}
JSON_FIELDS = {
    "allowed_updates",
    "caption_entities",
    "commands",
    "entities",
    "link_preview_options",
    "reply_markup",
}
TOO_MANY_REQUESTS = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 1",
    "parameters": {"retry_after": 1},
}


@dataclass
class Call:
    """One request the bridge made to the stand-in."""

    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when the request arrived
    status: int = 200
    files: dict[str, tuple[str | None, bytes]] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | None:
        return int(self.params["chat_id"]) if "chat_id" in self.params else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class _QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else header and body writes cost ~40 ms (delayed ACK)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send_json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client may have given up (long poll, stop)
            self.wfile.write(data)


class _Background:
    """Runs a threaded HTTP server; stop() and start() again keep the same port."""

    handler: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.port = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        handler = type("Handler", (self.handler,), {"owner": self})
        self._server = _Server(("127.0.0.1", self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _TelegramHandler(_QuietHandler):
    owner: FakeTelegram

    def do_POST(self) -> None:
        prefix = f"/bot{TOKEN}/"
        if not self.path.startswith(prefix):
            self._send_json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = self.path.removeprefix(prefix)
        params, files = _parse_body(self.headers.get("Content-Type", ""), self._body())
        status, body = self.owner.handle(method, params, files)
        self._send_json(status, body)


class FakeTelegram(_Background):
    """Bot API stand-in: serves injected updates through getUpdates and records the rest."""

    handler = _TelegramHandler

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.delivered_at: dict[int, float] = {}  # update_id -> first getUpdates delivery
        self._updates: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._fail: dict[str, int] = {}
        self._closing = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        super().stop()

    # --- injecting updates -------------------------------------------------------------

    def send_text(
        self, text: str, user_id: int = 1001, chat_id: int | None = None, chat_type: str = "private"
    ) -> int:
        """A user types `text`; returns the update_id."""
        message = self._user_message(user_id, chat_id, chat_type)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": message})

    def send_photo(self, user_id: int = 1001) -> int:
        message = self._user_message(user_id, None, "private")
        message["photo"] = [{"file_id": "p1", "file_unique_id": "p1u", "width": 9, "height": 9}]
        return self._push({"message": message})

    def press(self, bot_message: dict[str, Any], title: str, user_id: int = 1001) -> int:
        """The user taps the inline button `title` under a message the bot sent."""
        rows = bot_message["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in rows for b in row if b["text"] == title)
        return self.press_data(bot_message, data, user_id)

    def press_data(self, bot_message: dict[str, Any], data: str, user_id: int = 1001) -> int:
        query = {
            "id": f"cq{next(self._query_ids)}",
            "from": _user(user_id),
            "chat_instance": "ci-1",
            "message": bot_message,
            "data": data,
        }
        return self._push({"callback_query": query})

    def fail_with_429(self, method: str = "sendMessage", times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 Too Many Requests."""
        with self._cond:
            self._fail[method] = self._fail.get(method, 0) + times

    # --- looking at what the bridge did ------------------------------------------------

    def calls_of(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._cond:
            return [
                c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)
            ]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [
            c.params["text"]
            for c in self.calls_of("sendMessage")
            if chat_id is None or c.chat_id == chat_id
        ]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Poll `condition` without blocking the event loop the bridge runs on."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                methods = [c.method for c in self.calls if c.method != "getUpdates"]
                raise AssertionError(f"condition not met within {timeout} s; calls: {methods}")
            await asyncio.sleep(0.005)

    async def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[Call]:
        await self.wait_for(lambda: len(self.calls_of("sendMessage")) >= count, timeout)
        return self.calls_of("sendMessage")

    # --- the Bot API -------------------------------------------------------------------

    def handle(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str | None, bytes]]
    ) -> tuple[int, Any]:
        call = Call(method, params, time.perf_counter(), files=files)
        with self._cond:
            self.calls.append(call)
            if self._fail.get(method):
                self._fail[method] -= 1
                call.status = 429
                return 429, TOO_MANY_REQUESTS
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method in {"deleteWebhook", "setMyCommands", "sendChatAction", "answerCallbackQuery"}:
            return 200, {"ok": True, "result": True}
        if method == "sendMessage":
            message = self._bot_message(params)
            message["text"] = params["text"]
            for key in ("entities", "reply_markup"):
                if key in params:
                    message[key] = params[key]
            return 200, {"ok": True, "result": message}
        if method == "sendDocument":
            message = self._bot_message(params)
            filename, data = files["document"]
            message["document"] = {
                "file_id": "doc1",
                "file_unique_id": "doc1u",
                "file_name": filename,
                "file_size": len(data),
            }
            if "caption" in params:
                message["caption"] = params["caption"]
            return 200, {"ok": True, "result": message}
        if method == "sendPhoto":
            message = self._bot_message(params)
            _filename, data = files["photo"]
            message["photo"] = [
                {
                    "file_id": "photo1",
                    "file_unique_id": "photo1u",
                    "width": 800,
                    "height": 450,
                    "file_size": len(data),
                }
            ]
            if "caption" in params:
                message["caption"] = params["caption"]
            return 200, {"ok": True, "result": message}
        call.status = 404
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), 2.0)
        deadline = time.monotonic() + wait
        with self._cond:
            # An offset confirms every update before it, as in the real API.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            batch = self._updates[:limit]
            now = time.perf_counter()
            for update in batch:
                self.delivered_at.setdefault(update["update_id"], now)
            return batch

    def _push(self, update: dict[str, Any]) -> int:
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **update})
            self._cond.notify_all()
        return update_id

    def _user_message(self, user_id: int, chat_id: int | None, chat_type: str) -> dict[str, Any]:
        chat: dict[str, Any] = {
            "id": chat_id if chat_id is not None else user_id,
            "type": chat_type,
        }
        if chat_type == "private":
            chat["first_name"] = "Test"
        else:
            chat["title"] = "Wijkteam"
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": _user(user_id),
        }

    def _bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Test"},
            "from": BOT_USER,
        }


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "nl"}


def _parse_body(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], dict[str, tuple[str | None, bytes]]]:
    """PTB sends form fields (non-strings JSON-encoded), or multipart/form-data with files."""
    params: dict[str, Any] = {}
    files: dict[str, tuple[str | None, bytes]] = {}
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = (part.get_filename(), data)
            else:
                params[name] = data.decode()
    elif body:
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        params[key] = json.loads(params[key])
    return params, files


class _RasaHandler(_QuietHandler):
    owner: FakeRasa

    def setup(self) -> None:
        super().setup()
        with self.owner._lock:
            self.owner.connections.add(self.connection)

    def do_GET(self) -> None:
        """The REST channel's health route, as Rasa serves it without --enable-api."""
        found = self.path == "/webhooks/rest/"
        self._send_json(200 if found else 404, {"status": "ok"} if found else {})

    def do_POST(self) -> None:
        if self.path != "/webhooks/rest/webhook":
            self._send_json(404, {"error": "not found"})
            return
        turn = json.loads(self._body())
        status, body = self.owner.handle(turn["sender"], turn["message"])
        self._send_json(status, body)


class FakeRasa(_Background):
    """Rasa REST channel stand-in: canned replies per message, plus failure switches."""

    handler = _RasaHandler

    def __init__(self, replies: dict[str, list[dict[str, Any]]] | None = None) -> None:
        super().__init__()
        self.replies = dict(replies or {})
        self.received: list[tuple[str, str]] = []  # (sender, message)
        self.delays: dict[str, float] = {}  # message -> seconds before answering
        self.status = 200  # e.g. 500 to simulate a broken Rasa
        self.connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    def stop(self) -> None:
        """Stop as a killed Rasa does: open keep-alive connections are closed too."""
        super().stop()
        with self._lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.connections.clear()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"

    def handle(self, sender: str, message: str) -> tuple[int, Any]:
        with self._lock:
            self.received.append((sender, message))
        time.sleep(self.delays.get(message, 0.0))
        if self.status != 200:
            return self.status, {"error": "internal"}
        replies = self.replies.get(message, [{"text": f"Je zei: {message}"}])
        return 200, [{"recipient_id": sender, **reply} for reply in replies]


@contextlib.asynccontextmanager
async def running(application: Application) -> AsyncIterator[Application]:
    """The lifecycle of Application.run_polling (same order, same hooks), minus signals."""
    async with application:  # initialize() ... shutdown()
        if application.post_init:
            await application.post_init(application)
        await application.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES
        )
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    if application.post_shutdown:
        await application.post_shutdown(application)
