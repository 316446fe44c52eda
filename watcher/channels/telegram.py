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
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, LinkPreviewOptions, ReplyParameters
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

__all__ = ["TelegramChannel"]

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
    ) -> None:
        # PTB 22 warns on RetryAfter.retry_after (even while constructing one) unless the
        # process opted in to timedelta periods; opting in is harmless for everything else.
        os.environ.setdefault("PTB_TIMEDELTA", "1")
        self.name = name
        self.chat_id = chat_id
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
        text = render_telegram(alert)
        return await self._call("sendMessage", lambda: self._send_once(text))

    async def edit(self, ref: str, alert: Alert) -> str:
        text = render_telegram(alert)
        kept = await self._call("editMessageText", lambda: self._edit_once(ref, text))
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

    async def _send_once(self, text: str, reply_to: str | None = None) -> str:
        replying = None
        if reply_to is not None and reply_to.isdigit():  # else not a message id of ours
            replying = ReplyParameters(int(reply_to), allow_sending_without_reply=True)
        message = await self._bot.send_message(
            chat_id=self.chat_id,
            text=text,
            parse_mode=ParseMode.HTML,
            link_preview_options=self._preview,
            message_thread_id=self._thread_id,
            reply_parameters=replying,
        )
        return str(message.message_id)

    async def _edit_once(self, ref: str, text: str) -> str | None:
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


def _request(timeout: float) -> HTTPXRequest:
    return HTTPXRequest(
        connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, pool_timeout=timeout
    )


def _seconds(period: int | timedelta) -> float:
    return period.total_seconds() if isinstance(period, timedelta) else float(period)
