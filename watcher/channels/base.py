"""The Channel protocol every delivery target implements, and secret hygiene shared by them.

A channel sends one message per story and edits it when the story grows; a development of the
story (developments.py) goes out as a reply to that message where the channel can reply (a
Telegram reply, a Slack thread). What delivery needs to know of it is declared in the Protocol,
never probed: whether it can edit and reply, the pace its API allows (`limits`), the chat it
posts to (`chat`) and how to follow that chat when it moves (`move_to`). A channel whose chat
is read for the desk's commands also declares `Listening` (channels/talk.py).

It translates its library's errors into watcher.errors at the boundary, cause chained:
RetryAfterError (flood control), ChatMovedError (the chat lives on under a new id: nothing was
sent), ChatBlockedError (the bot was removed from or blocked in the chat), PermanentChannelError
(this message cannot go through) or ChannelError (transient). Delivery decides by their type.

Secrets (bot tokens, webhook URLs) must never reach a log record or an exception message.
Libraries put them there on their own (python-telegram-bot logs its API URL, which holds the
token, at DEBUG; httpx logs request URLs at INFO), so channels scrub exception chains with
`scrub_chain` and attach a `SecretRedactor` to those libraries' loggers while they live.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from watcher.delivery.pacing import Limit
from watcher.model import Alert
from watcher.redact import redact

__all__ = ["REDACTED", "Channel", "SecretRedactor", "WrappedChannel", "scrub", "scrub_chain"]

REDACTED = "[redacted]"


@runtime_checkable
class Channel(Protocol):
    """A place alerts go. `send` returns the message ref to keep; `edit` updates that message;
    `reply` sends a follow-up as a reply to it and returns the reply's ref."""

    name: str
    can_edit: bool  # False when edit() can only post a follow-up (Slack incoming webhooks)
    can_reply: bool  # False when a message cannot be answered (Slack incoming webhooks)

    @property
    def chat(self) -> str | None:
        """The id of the chat it posts to now (None: it has none, e.g. the console)."""
        ...

    def move_to(self, chat: str) -> None:
        """Post to `chat` from now on: where a ChatMovedError said the chat went, or where the
        database remembers it went before a restart."""
        ...

    def limits(self) -> tuple[Limit, ...]:
        """How fast it may send: its chat API's documented limits (delivery/pacing.py), or ()."""
        ...

    async def send(self, alert: Alert) -> str: ...

    async def edit(self, ref: str, alert: Alert) -> str: ...

    async def reply(self, ref: str, alert: Alert) -> str: ...

    async def aclose(self) -> None: ...


class WrappedChannel:
    """A channel around another (`inner`): what it is and can do is the inner channel's, and
    every call goes through to it; a subclass adds to what passes (metrics.MeteredChannel
    counts it)."""

    def __init__(self, inner: Channel) -> None:
        self.inner = inner
        self.name = inner.name
        self.can_edit = inner.can_edit
        self.can_reply = inner.can_reply

    @property
    def chat(self) -> str | None:
        return self.inner.chat

    def move_to(self, chat: str) -> None:
        self.inner.move_to(chat)

    def limits(self) -> tuple[Limit, ...]:
        return self.inner.limits()

    async def send(self, alert: Alert) -> str:
        return await self.inner.send(alert)

    async def edit(self, ref: str, alert: Alert) -> str:
        return await self.inner.edit(ref, alert)

    async def reply(self, ref: str, alert: Alert) -> str:
        return await self.inner.reply(ref, alert)

    async def aclose(self) -> None:
        await self.inner.aclose()


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced by a marker."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def scrub_chain(exc: BaseException, secrets: Iterable[str]) -> BaseException:
    """Remove secrets from the messages of `exc` and every exception it was caused by.

    Rewrites in place (the exception objects are ours to chain; their type and traceback stay,
    which is what a reader of the log needs). Returns `exc`.
    """
    keys = tuple(s for s in secrets if s)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(scrub(a, keys) if isinstance(a, str) else a for a in current.args)
        message = getattr(current, "message", None)
        if isinstance(message, str):  # telegram.error.TelegramError.__str__ returns .message
            with contextlib.suppress(AttributeError):  # a read-only property elsewhere
                current.message = scrub(message, keys)  # type: ignore[attr-defined]
        current = current.__cause__ or current.__context__
    return exc


class SecretRedactor(logging.Filter):
    """A logging filter that rewrites any record mentioning one of its secrets, or a URL that
    redact.py hides (a Slack response_url: httpx logs it at INFO).

    Logger filters only see records logged on that very logger (not its children), so attach
    it to the exact loggers a library uses (`attach`), and `detach` it when the channel closes.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)
        self._loggers: list[logging.Logger] = []

    def __repr__(self) -> str:
        return f"<SecretRedactor secrets={len(self._secrets)}>"

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem, not ours
            return True
        cleaned = redact(scrub(message, self._secrets))  # a response_url's path too
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            scrub_chain(record.exc_info[1], self._secrets)
            record.exc_text = None
        return True

    def attach(self, *logger_names: str) -> None:
        for logger_name in logger_names:
            logger = logging.getLogger(logger_name)
            logger.addFilter(self)
            self._loggers.append(logger)

    def detach(self) -> None:
        for logger in self._loggers:
            logger.removeFilter(self)
        self._loggers.clear()
