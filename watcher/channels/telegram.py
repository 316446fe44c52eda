"""Telegram delivery through python-telegram-bot: sendMessage / editMessageText in HTML mode.

A follow-up is a sendMessage replying to the alert (reply_parameters, sent even if the alert
was deleted meanwhile: allow_sending_without_reply).

The only module that imports `telegram` and `telegram.error`. Errors are translated here:

    RetryAfter                          -> RetryAfterError(retry_after seconds)
    Forbidden (bot kicked / blocked / not a member) -> ChatBlockedError
    InvalidToken (401/404), BadRequest (chat not found, can't parse entities, ...)
                                        -> PermanentChannelError
    ChatMigrated (group -> supergroup)  -> ChatMovedError(the new chat id); delivery follows it
                                           (`move_to`), remembers it and makes the call again
    TimedOut, NetworkError (5xx, transport), Conflict, others -> ChannelError (retried later)
    BadRequest "message is not modified" -> success (the chat already shows this text)
    BadRequest "message to edit not found" on edit -> a new message is sent; its ref returned

Pacing: `limits` are Telegram's documented ones for this chat (pacing.telegram_limits).

The bot token is part of every API URL, so it is scrubbed from exception chains and from the
records of the loggers python-telegram-bot and httpx write to.

With `commands` (issue 15) the channel is also `Listening` (channels/talk.py): its bot's updates
are read by long polling (getUpdates) and answered (sendMessage, answerCallbackQuery), and its
alerts carry an inline keyboard: "Mute story" and, on a story of two or more sources, "Not the
same story", whose callback data name the action and the story id (`mute:12`, `split:12`).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from watcher.channels.base import SecretRedactor, scrub, scrub_chain
from watcher.channels.talk import (
    MUTE_BUTTON,
    SPLIT_BUTTON,
    ButtonPress,
    ChatEvent,
    ChatMessage,
    alert_buttons,
)
from watcher.delivery.pacing import Limit, telegram_limits
from watcher.errors import (
    ChannelError,
    ChatBlockedError,
    ChatMovedError,
    PermanentChannelError,
    RetryAfterError,
)
from watcher.model import Alert
from watcher.render import render_telegram

__all__ = ["MUTE_BUTTON", "SPLIT_BUTTON", "TelegramChannel", "bot_key"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Loggers that write request URLs (which contain the token): httpx at INFO, PTB's Bot at DEBUG.
_URL_LOGGERS = (
    "httpx",
    "telegram.Bot",
    "telegram.request.BaseRequest",
    "telegram.request.HTTPXRequest",
)
_NOT_MODIFIED = "message is not modified"
_EDIT_TARGET_GONE = ("message to edit not found", "message can't be edited")


class TelegramChannel:
    can_edit = True
    can_reply = True

    def __init__(
        self,
        name: str,
        *,
        token: str,
        chat_id: str,
        api_url: str = "https://api.telegram.org",
        thread_id: int | None = None,
        link_preview: bool = False,
        timeout: float = 20.0,
        commands: bool = False,
        command_users: Iterable[str | int] = (),
    ) -> None:
        # PTB 22 warns on RetryAfter.retry_after (even while constructing one) unless the
        # process opted in to timedelta periods; opting in is harmless for everything else.
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        self.name = name
        self.chat_id = chat_id
        self.commands = commands  # its chat is read: alerts carry buttons (see Listening)
        self.command_users = frozenset(str(u) for u in command_users)
        self.bot_key = bot_key(token)
        self._timeout = timeout
        self._thread_id = thread_id
        self._preview = LinkPreviewOptions(is_disabled=not link_preview)
        self._secrets = (token,)
        self._redactor = SecretRedactor(self._secrets)
        self._redactor.attach(*_URL_LOGGERS)  # before Bot(), which logs its URL
        self._requests = [_request(timeout), _request(timeout)]
        self._bot = Bot(
            token,
            base_url=f"{api_url.rstrip('/')}/bot",
            request=self._requests[0],
            get_updates_request=self._requests[1],
        )

    def __repr__(self) -> str:
        return f"TelegramChannel({self.name!r}, chat_id={self.chat_id!r})"

    @property
    def chat(self) -> str:
        return self.chat_id

    def move_to(self, chat: str) -> None:
        self.chat_id = chat

    def limits(self) -> tuple[Limit, ...]:
        return telegram_limits(self.name, self.chat_id)

    async def send(self, alert: Alert) -> str:
        text, keys = render_telegram(alert), self._keyboard(alert)
        return await self._call("sendMessage", lambda: self._send_once(text, keyboard=keys))

    async def edit(self, ref: str, alert: Alert) -> str:
        text, keys = render_telegram(alert), self._keyboard(alert)
        kept = await self._call("editMessageText", lambda: self._edit_once(ref, text, keys))
        if kept is not None:
            return kept
        log.info("telegram channel=%s message=%s cannot be edited; sending anew", self.name, ref)
        return await self.send(alert)

    async def reply(self, ref: str, alert: Alert) -> str:
        text = render_telegram(alert)
        return await self._call("sendMessage", lambda: self._send_once(text, reply_to=ref))

    async def aclose(self) -> None:
        # Bot.shutdown() skips requests it never initialized; close the ones we made ourselves.
        for request in self._requests:
            await request.shutdown()
        self._redactor.detach()

    # -- Listening (channels/talk.py) --------------------------------------------------------

    async def updates(self, offset: int, timeout: float) -> tuple[list[ChatEvent], int]:
        """What happened in any chat of this bot from `offset` on, waiting up to `timeout` s,
        and the offset that confirms all of it (updates watcher does not read included)."""
        found = await self._call(
            "getUpdates",
            lambda: self._bot.get_updates(
                offset=offset or None,
                timeout=int(timeout),
                allowed_updates=["message", "callback_query"],
                read_timeout=self._timeout + timeout,
            ),
        )
        following = max((u.update_id + 1 for u in found), default=offset)
        return [event for update in found for event in _events(update)], following

    async def say(self, chat_id: str, text: str, reply_to: str | None = None) -> str:
        return await self._call(
            "sendMessage", lambda: self._send_once(text, reply_to=reply_to, chat_id=chat_id)
        )

    async def answer_press(self, press_id: str, text: str) -> None:
        await self._call(
            "answerCallbackQuery",
            lambda: self._bot.answer_callback_query(press_id, text=text[:200]),
        )

    def _keyboard(self, alert: Alert) -> InlineKeyboardMarkup | None:
        shown = alert_buttons(alert) if self.commands else []
        if not shown:  # a digest, burst or notice: no one story
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data)] for label, data in shown]
        )

    async def _send_once(
        self,
        text: str,
        reply_to: str | None = None,
        *,
        chat_id: str | None = None,
        keyboard: InlineKeyboardMarkup | None = None,
    ) -> str:
        replying = None
        if reply_to is not None and reply_to.isdigit():  # else not a message id of ours
            replying = ReplyParameters(int(reply_to), allow_sending_without_reply=True)
        message = await self._bot.send_message(
            chat_id=chat_id or self.chat_id,
            text=text,
            parse_mode=ParseMode.HTML,
            link_preview_options=self._preview,
            message_thread_id=self._thread_id if chat_id is None else None,
            reply_parameters=replying,
            reply_markup=keyboard,
        )
        return str(message.message_id)

    async def _edit_once(
        self, ref: str, text: str, keyboard: InlineKeyboardMarkup | None = None
    ) -> str | None:
        """The ref to keep; None when the message is gone and a new one must be sent."""
        if not ref.isdigit():  # not a message id of ours (e.g. written by another channel type)
            return None
        try:
            await self._bot.edit_message_text(
                text=text,
                chat_id=self.chat_id,
                message_id=int(ref),
                parse_mode=ParseMode.HTML,
                link_preview_options=self._preview,
                reply_markup=keyboard,
            )
        except BadRequest as exc:
            reason = exc.message.lower()
            if _NOT_MODIFIED in reason:
                return ref
            if any(gone in reason for gone in _EDIT_TARGET_GONE):
                return None
            raise
        return ref

    async def _call(self, method: str, action: Callable[[], Awaitable[T]]) -> T:
        try:
            return await action()
        except TelegramError as exc:
            scrub_chain(exc, self._secrets)
            raise self._translate(method, exc) from exc

    def _translate(self, method: str, exc: TelegramError) -> ChannelError:
        detail = scrub(f"telegram {method} to {self.name}: {exc.message}", self._secrets)
        if isinstance(exc, RetryAfter):
            return RetryAfterError(detail, _seconds(exc.retry_after))
        if isinstance(exc, ChatMigrated):
            return ChatMovedError(detail, str(exc.new_chat_id))
        if isinstance(exc, Forbidden):
            return ChatBlockedError(detail)
        if isinstance(exc, InvalidToken | BadRequest):
            return PermanentChannelError(detail)
        return ChannelError(detail)  # TimedOut, NetworkError (5xx, transport), Conflict, ...


def bot_key(token: str) -> str:
    """Names a bot without its token (offsets are kept under it; it may be logged)."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def _events(update: Update) -> list[ChatEvent]:
    """A Bot API update as the values watcher reads; anything else (edits, joins) is none."""
    message, query = update.message, update.callback_query
    if message is not None and message.text and message.from_user is not None:
        reply = message.reply_to_message
        return [
            ChatMessage(
                update_id=update.update_id,
                chat_id=str(message.chat.id),
                private=message.chat.type == "private",
                user_id=str(message.from_user.id),
                text=message.text,
                message_id=str(message.message_id),
                reply_to=None if reply is None else str(reply.message_id),
            )
        ]
    if query is not None and query.data is not None and isinstance(query.message, Message):
        return [
            ButtonPress(
                update_id=update.update_id,
                press_id=query.id,
                chat_id=str(query.message.chat.id),
                private=query.message.chat.type == "private",
                user_id=str(query.from_user.id),
                message_id=str(query.message.message_id),
                data=query.data,
            )
        ]
    return []


def _request(timeout: float) -> HTTPXRequest:
    return HTTPXRequest(
        connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, pool_timeout=timeout
    )


def _seconds(period: int | timedelta) -> float:
    return period.total_seconds() if isinstance(period, timedelta) else float(period)
