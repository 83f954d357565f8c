"""Run the Telegram bridge with long polling: ``python -m channels.telegram``.

Settings and the allowlist policy (empty TELEGRAM_ALLOWED_USERS refuses everyone) are
described in channels/telegram/__init__.py. Stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from dotenv import load_dotenv

from channels.telegram import ALLOWED_UPDATES, ConfigError, Settings, build_application

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    load_dotenv(ROOT / ".env", override=False)
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        level=logging.INFO,
    )
    # httpx logs every request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"[telegram] {exc}", file=sys.stderr)
        return 2
    build_application(settings).run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
