"""Settings of the Telegram bridge, read once from the environment.

Kept apart from the handlers so a wrong setting fails at start-up with a clear message instead
of at the first user message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_RASA_REST_URL = "http://127.0.0.1:5005/webhooks/rest/webhook"
DEFAULT_RASA_TIMEOUT = 30.0
DEFAULT_RASA_WAIT = 60.0  # a turn that finds Rasa restarting waits this long for it


class ConfigError(Exception):
    """A setting is missing or invalid; the message says which one and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)  # never in logs or tracebacks
    allowed_users: frozenset[int]
    rasa_url: str = DEFAULT_RASA_REST_URL
    rasa_timeout: float = DEFAULT_RASA_TIMEOUT
    rasa_wait: float = DEFAULT_RASA_WAIT
    api_base_url: str | None = None
    plans_dir: Path | None = None  # None: knowledge.plan.files.PlanFiles's own default

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN ontbreekt. Zet de token die je van @BotFather kreeg in de "
                "omgeving of in .env. / TELEGRAM_BOT_TOKEN is not set: put the token you got "
                "from @BotFather in the environment or in .env."
            )
        plans_dir = env.get("METHODEWIJZER_PLANS_DIR", "").strip()
        return cls(
            token=token,
            allowed_users=parse_user_ids(env.get("TELEGRAM_ALLOWED_USERS", "")),
            rasa_url=env.get("RASA_REST_URL", "").strip() or DEFAULT_RASA_REST_URL,
            rasa_timeout=_positive_float(env, "TELEGRAM_RASA_TIMEOUT", DEFAULT_RASA_TIMEOUT),
            rasa_wait=_positive_float(env, "TELEGRAM_RASA_WAIT", DEFAULT_RASA_WAIT),
            api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip() or None,
            plans_dir=Path(plans_dir) if plans_dir else None,
        )

    @property
    def api_base_file_url(self) -> str | None:
        """File URL of a self-hosted Bot API server: '.../bot' becomes '.../file/bot'."""
        if not self.api_base_url:
            return None
        base = self.api_base_url.rstrip("/")
        return base[: -len("bot")] + "file/bot" if base.endswith("/bot") else base


def parse_user_ids(raw: str) -> frozenset[int]:
    """'123, 456' -> {123, 456}. A typo must not silently lock people out or let them in."""
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ConfigError(
                f"TELEGRAM_ALLOWED_USERS bevat '{part}'. Gebruik alleen numerieke Telegram-ids, "
                "gescheiden door komma's. / TELEGRAM_ALLOWED_USERS must be comma-separated "
                "numeric Telegram user ids."
            )
        ids.add(int(part))
    return frozenset(ids)


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise ConfigError(f"{name} moet een positief getal (seconden) zijn, niet '{raw}'.")
    return value
