"""Client for Rasa's REST channel: one POST per user turn, the bot's replies as a list.

Every failure (connection refused, timeout, 5xx, malformed JSON) becomes RasaUnavailable, so
the handlers need one except clause and the bridge keeps running whatever Rasa does.
"""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa could not answer this turn; the message names the cause, never the user's text."""


class RasaClient:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    async def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Send one user message and return Rasa's replies in order."""
        if self._client is None:
            # Created lazily so it binds to the event loop that actually runs the bridge.
            self._client = httpx.AsyncClient(timeout=self.timeout)
        try:
            response = await self._client.post(
                self.url, json={"sender": sender, "message": message}
            )
            response.raise_for_status()
            replies = response.json()
        except httpx.TimeoutException as exc:
            raise RasaUnavailable(f"timeout after {self.timeout:.0f} s") from exc
        except httpx.HTTPStatusError as exc:
            raise RasaUnavailable(f"HTTP {exc.response.status_code}") from exc
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
