"""The Telegram bridge: small PTB handlers that pass each turn to Rasa's REST channel.

One Telegram chat is one Rasa conversation (sender 'telegram-<chat_id>'). The bridge keeps no
conversation state of its own except the button keys of buttons.py, and it logs no message
texts (only ids, counts and errors), so no personal data ends up in the logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Chat, LinkPreviewOptions, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from channels.telegram import buttons, formatting
from channels.telegram.ordering import PerChatUpdateProcessor
from channels.telegram.rasa import RasaClient, RasaUnavailable
from channels.telegram.settings import Settings
from knowledge import payloads
from knowledge.plan.files import PlanFiles
from knowledge.sanitize import clean_text

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
TYPING_REFRESH = 4.0  # Telegram shows "typing..." for 5 s per chat action
PLAN_FILENAME = "plan-van-aanpak.docx"

REFUSED = (
    "Je hebt (nog) geen toegang tot de Methodewijzer. Vraag je beheerder om je Telegram-id "
    "({user_id}) toe te voegen."
)
PRIVATE_ONLY = "Ik werk alleen in een privégesprek. Stuur me een persoonlijk bericht."
UNAVAILABLE = "De assistent is even niet bereikbaar. Probeer het over een paar minuten opnieuw."
EXPIRED = "Deze knop werkt niet meer. Typ je vraag gewoon opnieuw."
TEXT_ONLY = "Ik kan alleen tekst lezen. Typ je vraag in een bericht."
NO_TEXT = "Ik zie geen tekst in je bericht. Typ je vraag in gewone woorden."
UNKNOWN_COMMAND = "Dat commando ken ik niet. Typ je vraag gewoon, of stuur /help."
BUTTONS_ONLY = "Kies een van deze mogelijkheden:"
PLAN_CAPTION = "Je plan van aanpak als Word-bestand."
CHART_CAPTION = "Voortgang van het plan: de metingen en het doel."
PLAN_LINK = "Het Word-bestand kan ik hier niet meesturen. Je kunt het downloaden via {url}"
PLAN_MISSING = "Het Word-bestand kan ik nu niet vinden. Vraag me later nog eens om je plan."
COMMANDS = [
    BotCommand("start", "Begin met de Methodewijzer"),
    BotCommand("help", "Wat kan de Methodewijzer voor je doen?"),
]


@dataclass
class Services:
    """What the handlers share; kept in bot_data so handlers stay plain functions."""

    settings: Settings
    rasa: RasaClient
    plans: PlanFiles


def build_application(settings: Settings) -> Application:
    """The bridge as a PTB Application; used by __main__ and by the tests alike."""
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        # Waits out a 429 RetryAfter (up to 3 times) so the message is still delivered.
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor())
        # Telegram's servers should not fetch plan links for a preview.
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url).base_file_url(
            settings.api_base_file_url or settings.api_base_url
        )
    application = builder.build()
    application.bot_data["services"] = Services(
        settings=settings,
        rasa=RasaClient(settings.rasa_url, timeout=settings.rasa_timeout),
        plans=PlanFiles(settings.plans_dir),
    )
    message = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(CommandHandler("start", start, filters=message))
    application.add_handler(CommandHandler("help", help_command, filters=message))
    application.add_handler(MessageHandler(message & filters.TEXT & ~filters.COMMAND, on_text))
    application.add_handler(MessageHandler(message & filters.COMMAND, unknown_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(
        MessageHandler(message & ~filters.TEXT & ~filters.StatusUpdate.ALL, not_text)
    )
    application.add_error_handler(on_error)
    return application


async def _post_init(application: Application) -> None:
    """Runs before polling starts: wait for Rasa, so no message waiting in Telegram is
    fetched (and answered 'niet bereikbaar') while the assistant is still starting."""
    services = _services_of(application)
    if not await services.rasa.is_up():
        logger.info(
            "Wacht tot Rasa antwoordt (%s) voordat ik berichten ophaal", services.rasa.health_url
        )
        await services.rasa.wait_until_up()
        logger.info("Rasa antwoordt; ik haal nu berichten op")
    me = application.bot.username
    logger.info(
        "Telegram-bridge gestart als @%s; %d toegestane gebruiker(s); Rasa: %s",
        me,
        len(services.settings.allowed_users),
        services.settings.rasa_url,
    )
    if not services.settings.allowed_users:
        logger.warning(
            "TELEGRAM_ALLOWED_USERS is leeg: iedereen wordt geweigerd. Zet de Telegram-ids "
            "van je gebruikers in TELEGRAM_ALLOWED_USERS (de weigering noemt hun id)."
        )
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as exc:  # only the command menu is missing; the bot works
        logger.warning("Kon de commando's niet instellen: %s", exc)


async def _post_shutdown(application: Application) -> None:
    await _services_of(application).rasa.aclose()


def _services_of(application: Application) -> Services:
    return application.bot_data["services"]


def _services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: only allowed users, only in private chats, reach Rasa."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise ApplicationHandlerStop  # e.g. channel posts: nobody to answer
    refusal = None
    if user.id not in _services(context).settings.allowed_users:
        logger.warning("Geweigerd: Telegram-id %s staat niet in TELEGRAM_ALLOWED_USERS", user.id)
        refusal = REFUSED.format(user_id=user.id)
    elif chat.type != ChatType.PRIVATE:
        refusal = PRIVATE_ONLY  # plans and answers must not be shown to a whole group
    if refusal is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    await chat.send_message(refusal)
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: let Rasa greet, so the greeting lives in one place (the domain)."""
    await converse(update, context, "hallo")


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await converse(update, context, "help")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await converse(update, context, update.effective_message.text)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed button counts as the user typing its payload (Rasa parses '/intent{...}')."""
    query = update.callback_query
    await query.answer()  # stops the spinner on the button
    payload = buttons.lookup(context.chat_data, query.data)
    if payload is None:
        await update.effective_chat.send_message(EXPIRED)
        return
    await converse(update, context, payload)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(UNKNOWN_COMMAND)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(TEXT_ONLY)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log and carry on: one failed update must not stop the bridge."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Fout bij update %s", update_id, exc_info=context.error)


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, message: str) -> None:
    """One turn: message to Rasa (with a typing indicator), replies back in order."""
    chat = update.effective_chat
    services = _services(context)
    message = clean_text(message).strip()  # control characters never reach Rasa
    if not message:
        await chat.send_message(NO_TEXT)
        return
    try:
        async with typing(chat):
            replies = await _send_waiting(services, f"telegram-{chat.id}", message)
    except RasaUnavailable as exc:
        logger.error("Rasa niet bereikbaar (%s) op %s", exc, services.settings.rasa_url)
        await chat.send_message(UNAVAILABLE)
        return
    logger.debug("Chat %s: %d antwoord(en) van Rasa", chat.id, len(replies))
    for reply in replies:
        await send_reply(chat, context, reply)


async def _send_waiting(services: Services, sender: str, message: str) -> list[dict[str, Any]]:
    """Send one turn; when Rasa is restarting, wait for it (TELEGRAM_RASA_WAIT) and retry once."""
    try:
        return await services.rasa.send(sender, message)
    except RasaUnavailable as exc:
        if not exc.down:
            raise
        logger.warning("Rasa herstart; het bericht wacht tot Rasa weer antwoordt")
        if not await services.rasa.wait_until_up(services.settings.rasa_wait):
            raise
        return await services.rasa.send(sender, message)


async def send_reply(chat: Chat, context: ContextTypes.DEFAULT_TYPE, reply: dict[str, Any]) -> None:
    """One Rasa message: text (with buttons on its last part) and/or a plan document."""
    text = reply.get("text") or ""
    markup = buttons.keyboard(context.chat_data, reply.get("buttons") or [])
    parts = formatting.render(str(text))
    if not parts and markup is not None:
        parts = [formatting.Part(BUTTONS_ONLY)]
    for i, part in enumerate(parts):
        await chat.send_message(
            part.text,
            entities=part.entities or None,
            reply_markup=markup if i == len(parts) - 1 else None,
        )
    custom = reply.get("custom")
    payload = payloads.parse(custom)
    if payload is not None and payload.kind == payloads.PLAN:
        await send_plan(chat, _services(context).plans, payload)
    elif payload is not None and payload.kind == payloads.CHART:
        await send_chart(chat, _services(context).plans, payload)
    elif custom is not None or "image" in reply or "attachment" in reply:
        logger.debug("Antwoordtype zonder Telegram-weergave overgeslagen")


async def send_plan(chat: Chat, plans: PlanFiles, payload: payloads.FilePayload) -> None:
    """The plan's DOCX as a document; the download link if the file cannot be sent."""
    plan_id, url = payload.plan_id, payload.url
    path = plans.docx_path(plan_id) if plan_id else None  # checks the id
    if path is not None:
        try:
            data = await asyncio.to_thread(path.read_bytes)
            await chat.send_document(data, filename=PLAN_FILENAME, caption=PLAN_CAPTION)
            return
        except (OSError, TelegramError) as exc:
            logger.warning("Plan-document niet verstuurd: %s", exc)
    else:
        logger.warning("Plan-document niet gevonden in %s", plans.root)
    await chat.send_message(PLAN_LINK.format(url=url) if url else PLAN_MISSING)


async def send_chart(chat: Chat, plans: PlanFiles, payload: payloads.FilePayload) -> None:
    """The progress plot of a shared plan as a photo; nothing more when it cannot be found."""
    plan_id = payload.plan_id
    path = plans.existing_chart(plan_id) if plan_id else None  # checks the id
    if path is None:
        logger.warning("Grafiek niet gevonden in %s", plans.root)
        return
    try:
        data = await asyncio.to_thread(path.read_bytes)
        await chat.send_photo(data, caption=CHART_CAPTION)
    except (OSError, TelegramError) as exc:
        logger.warning("Grafiek niet verstuurd: %s", exc)


@contextlib.asynccontextmanager
async def typing(chat: Chat) -> AsyncIterator[None]:
    """Show "typing..." until the block ends, renewed every few seconds for slow turns."""
    stop = asyncio.Event()

    async def keep_typing() -> None:
        while not stop.is_set():
            try:
                await chat.send_chat_action(ChatAction.TYPING)
            except TelegramError as exc:
                logger.debug("Typindicator mislukt: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), TYPING_REFRESH)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        stop.set()
        # Let a chat action in flight finish, so it cannot arrive after (and linger over)
        # the answer; but never hold the answer up for long.
        done, _ = await asyncio.wait({task}, timeout=1.0)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
