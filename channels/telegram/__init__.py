"""Telegram bridge for field workers: Telegram <-> Rasa REST channel, long polling.

Run: ``python -m channels.telegram``. Settings (environment or .env):

- ``TELEGRAM_BOT_TOKEN`` (required): the token from @BotFather.
- ``TELEGRAM_ALLOWED_USERS``: comma-separated numeric Telegram user ids. Fail-closed: when
  empty, *everyone* is refused (and a warning at start-up tells the admin to set it). A
  refused user gets a Dutch message with their own id, which they pass to the admin; nothing
  they send reaches Rasa. The bridge only answers in private chats, so plans are never shown
  to a whole group.
- ``TELEGRAM_API_BASE_URL`` (optional): e.g. ``http://127.0.0.1:8081/bot`` for a self-hosted
  Bot API server or a test stand-in.
- ``RASA_REST_URL`` (default ``http://127.0.0.1:5005/webhooks/rest/webhook``) and
  ``TELEGRAM_RASA_TIMEOUT`` (seconds, default 30).
- ``TELEGRAM_RASA_WAIT`` (seconds, default 60): how long a message that finds Rasa restarting
  waits for it before the user is told it is unreachable. At start the bridge polls Telegram
  only once Rasa answers, so messages sent meanwhile stay with Telegram and get a real answer.
- ``METHODEWIJZER_PLANS_DIR``: where the plan DOCX files are (as for the action server).

Each chat is one Rasa conversation (sender ``telegram-<chat_id>``). Message texts are never
logged at INFO level or above.
"""

from channels.telegram.bridge import ALLOWED_UPDATES, build_application
from channels.telegram.settings import ConfigError, Settings

__all__ = ["ALLOWED_UPDATES", "ConfigError", "Settings", "build_application"]
