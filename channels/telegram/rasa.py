"""Client for Rasa's REST channel: one POST per user turn, the bot's replies as a list.

Every failure (connection refused, timeout, 5xx, malformed JSON) becomes RasaUnavailable, so
the handlers need one except clause and the bridge keeps running whatever Rasa does. When Rasa
is not running at all (``RasaUnavailable.down``), :meth:`RasaClient.wait_until_up` waits for
its REST channel (GET /webhooks/rest/, open without ``--enable-api``) to answer again.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa could not answer this turn; the message names the cause, never the user's text."""

    def __init__(self, cause: str, down: bool = False) -> None:
        super().__init__(cause)
        self.down = down  # nothing listens: Rasa is (re)starting, not slow or broken


class RasaClient:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout
        # The REST channel's own health route: '.../webhooks/rest/webhook' -> '.../webhooks/rest/'
        self.health_url = url.removesuffix("webhook") if url.endswith("/webhook") else url
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # Created lazily so it binds to the event loop that actually runs the bridge.
            self._client = httpx.AsyncClient(timeout=self.timeout)
        return self._client

    async def is_up(self) -> bool:
        """True when Rasa's server answers HTTP (it listens only once the model is loaded)."""
        try:
            response = await self._http().get(self.health_url, timeout=5.0)
        except httpx.HTTPError:
            return False
        return response.status_code < 500

    async def wait_until_up(self, timeout: float | None = None, interval: float = 1.0) -> bool:
        """Wait until Rasa answers; False when ``timeout`` seconds passed first (None: forever)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not await self.is_up():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            await asyncio.sleep(interval)
        return True

    async def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Send one user message and return Rasa's replies in order."""
        try:
            response = await self._http().post(
                self.url, json={"sender": sender, "message": message}
            )
            response.raise_for_status()
            replies = response.json()
        except httpx.TimeoutException as exc:
            raise RasaUnavailable(f"timeout after {self.timeout:.0f} s") from exc
        except httpx.HTTPStatusError as exc:
            raise RasaUnavailable(f"HTTP {exc.response.status_code}") from exc
        except httpx.ConnectError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}", down=True) from exc
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:
            raise RasaUnavailable("response is not JSON") from exc
        if not isinstance(replies, list):
            raise RasaUnavailable("response is not a JSON list")
        return [reply for reply in replies if isinstance(reply, dict)]

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
