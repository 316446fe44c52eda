"""One delivery attempt and its outcome: a paced API call to a channel, decided by error type.

`Attempts.attempt` is the only place a channel is called. It waits for the channel's pace
(pacing.py: short waits are slept, a longer one is returned as `Failure.PACED` with when to
come back), makes the call and turns what happened into an `Attempt`:

    a ref                          -> ok; the channel delivers (a failing one is back)
    RetryAfterError (HTTP 429)     -> RETRY_AFTER: the row waits exactly what was asked
    ChatMovedError                 -> followed at once: the channel moves, the database
                                      remembers the new chat, the call is made again
    ChatBlockedError               -> BLOCKED: the channel is failing, held `failing_backoff`
    PermanentChannelError          -> PERMANENT: the row is failed, the admin told
    ChannelError, or a bug         -> TRANSIENT: backoff with jitter; the admin told after 5

Channel-wide effects (failing, refused, moved, delivering again, and their admin notices) are
recorded here; what an outcome means for the outbox rows it was for is the caller's
(turn.py). `retry_time` says when a row tries again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from watcher import timing
from watcher.channels.base import Channel
from watcher.delivery.admin_notices import Notices
from watcher.delivery.pacing import Limit, Pacer
from watcher.errors import (
    ChannelError,
    ChatBlockedError,
    ChatMovedError,
    PermanentChannelError,
    RetryAfterError,
)
from watcher.store import Store
from watcher.store.outbox import ceil_second

__all__ = ["FAILING_BACKOFF", "Attempt", "Attempts", "Failure"]

log = logging.getLogger("watcher.delivery")

Sleep = Callable[[float], Awaitable[None]]
FAILING_BACKOFF = timedelta(minutes=10)  # a channel the bot was removed from is retried this often
NOTICE_AFTER_ATTEMPTS = 5  # transient failures in a row before the admin hears of it


class Failure(StrEnum):
    NONE = "none"
    PACED = "paced"  # not tried: the channel's send pace says wait
    RETRY_AFTER = "retry-after"  # flood control
    TRANSIENT = "transient"  # timeouts, 5xx, network, bugs
    BLOCKED = "blocked"  # the bot was removed from the chat or blocked: the channel fails
    PERMANENT = "permanent"  # this message is refused for good


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one API call came to: a message ref, or why not."""

    ref: str | None = None
    failure: Failure = Failure.NONE
    error: str = ""
    retry_after: float | None = None
    wake: datetime | None = None  # for PACED: when the pace allows the next send

    @property
    def ok(self) -> bool:
        return self.failure is Failure.NONE


class Attempts:
    """Calls to the channels, paced, and their channel-wide outcomes recorded."""

    def __init__(
        self,
        *,
        store: Store,
        channels: Mapping[str, Channel],
        clock: Callable[[], datetime],
        rng: random.Random,
        notices: Notices,
        sleep: Sleep = asyncio.sleep,
        limits: Mapping[str, Sequence[Limit]] | None = None,
        max_inline_wait: timedelta = timedelta(seconds=1.5),
        failing_backoff: timedelta = FAILING_BACKOFF,
    ) -> None:
        self.store = store
        self.clock = clock
        self.rng = rng
        self.notices = notices
        self.sleep = sleep
        self.max_inline_wait = max_inline_wait
        self.failing_backoff = failing_backoff
        self.pacer = Pacer()
        self.limits = {
            name: tuple((limits or {}).get(name, channel.limits()))
            for name, channel in channels.items()
        }
        self._configured_chat: dict[str, str] = {}
        self._restore_chats(channels)
        self._seed_pacer()

    # -- start-up ----------------------------------------------------------------------------

    def _restore_chats(self, channels: Mapping[str, Channel]) -> None:
        """A chat that moved (Telegram group -> supergroup) before a restart stays moved."""
        for name, channel in channels.items():
            chat = channel.chat
            if chat is None:
                continue
            self._configured_chat[name] = chat
            state = self.store.channel_state(name)
            if state.chat_id and state.configured_chat == chat and state.chat_id != chat:
                channel.move_to(state.chat_id)
                log.warning(
                    "channel=%s sends to chat %s, where chat %s moved (update chat_id in the "
                    "config)",
                    name,
                    state.chat_id,
                    chat,
                )

    def _seed_pacer(self) -> None:
        since = self.clock() - timedelta(minutes=2)
        for name, limits in self.limits.items():
            if limits:
                self.pacer.seed(limits, self.store.sends_since(name, since))

    # -- one API call --------------------------------------------------------------------------

    async def attempt(
        self, name: str, channel: Channel, kind: str, call: Callable[[], Awaitable[str]]
    ) -> Attempt:
        """Pace, call, and translate the outcome; channel-wide effects (failing, moved chat,
        admin notices) are recorded here, row-level ones by the caller."""
        wake = await self._pace(name)
        if wake is not None:
            return Attempt(failure=Failure.PACED, wake=wake)
        try:
            ref = await self._following_moves(name, channel, call)
        except RetryAfterError as exc:
            return Attempt(failure=Failure.RETRY_AFTER, error=str(exc), retry_after=exc.retry_after)
        except ChatBlockedError as exc:
            self._channel_blocked(name, str(exc))
            return Attempt(failure=Failure.BLOCKED, error=str(exc))
        except PermanentChannelError as exc:
            self._refused(name, str(exc))
            return Attempt(failure=Failure.PERMANENT, error=str(exc))
        except ChannelError as exc:
            return Attempt(failure=Failure.TRANSIENT, error=str(exc))
        except Exception as exc:  # a bug: keep the alert, log the traceback
            log.exception("delivery crashed channel=%s kind=%s", name, kind)
            return Attempt(failure=Failure.TRANSIENT, error=f"{type(exc).__name__}: {exc}")
        self._delivered(name, kind)
        return Attempt(ref=ref)

    async def _following_moves(
        self, name: str, channel: Channel, call: Callable[[], Awaitable[str]]
    ) -> str:
        """The call's ref. A chat that moved is followed and the call made once more there;
        moving twice in one call is the API misbehaving, a refusal."""
        try:
            return await call()
        except ChatMovedError as moved:
            self._chat_moved(name, channel, moved.chat)
        try:
            return await call()
        except ChatMovedError as again:
            raise PermanentChannelError(str(again)) from again

    async def _pace(self, name: str) -> datetime | None:
        """Wait for the pace to allow a send (if briefly); else when it will. None: go."""
        limits = self.limits.get(name, ())
        while True:
            now = self.clock()
            wait = self.pacer.wait(limits, now)
            if wait <= timedelta(0):
                self.pacer.record(limits, now)  # no await since wait(): the slot is ours
                return None
            if wait > self.max_inline_wait:
                return now + wait
            await self.sleep(wait.total_seconds())

    def retry_time(self, attempt: Attempt, attempts: int, now: datetime) -> datetime:
        """When to try again; whole seconds, as the database keeps it."""
        if attempt.failure is Failure.BLOCKED:
            return ceil_second(now + self.failing_backoff)
        return ceil_second(
            timing.next_delivery_attempt(now, attempts, self.rng, retry_after=attempt.retry_after)
        )

    # -- channel-wide outcomes -----------------------------------------------------------------

    def _delivered(self, name: str, kind: str) -> None:
        now = self.clock()
        self.store.record_send(name, kind, now)
        if self.store.clear_channel_failing(name, now):
            log.info("channel=%s delivers again", name)
        self.notices.resolve(f"channel:{name}:failing", f"{name}: delivering again.")

    def _channel_blocked(self, name: str, error: str) -> None:
        now = self.clock()
        self.store.mark_channel_failing(name, error, now + self.failing_backoff, now)
        log.error("channel=%s failing; alerts stay queued error=%s", name, error)
        self.notices.raise_(
            f"channel:{name}:failing",
            f"{name} is failing: {error}. Its alerts stay queued and are retried every "
            f"{_minutes(self.failing_backoff)}.",
        )

    def _refused(self, name: str, error: str) -> None:
        log.error("delivery refused channel=%s error=%s", name, error)
        self.notices.raise_(
            f"channel:{name}:refused",
            f"{name} refused alerts: {error}. They are kept as failed; see `watcher outbox`, "
            "then `watcher outbox retry --all` once fixed.",
        )

    def transient_trouble(self, name: str, error: str, attempts: int) -> None:
        if attempts >= NOTICE_AFTER_ATTEMPTS:
            self.notices.raise_(
                f"channel:{name}:failing",
                f"{name} has failed {attempts} times in a row: {error}. Retrying with backoff.",
            )

    def refusals_cleared(self, name: str) -> None:
        if self.store.failed_count(name) == 0:
            self.notices.resolve(f"channel:{name}:refused", f"{name}: no refused alerts left.")

    def _chat_moved(self, name: str, channel: Channel, moved: str) -> None:
        """Send to the chat's new id from now on, and remember it across restarts."""
        channel.move_to(moved)
        configured = self._configured_chat.get(name)
        if configured is None or moved == configured:
            return
        if self.store.channel_state(name).chat_id == moved:
            return
        self.store.record_chat_move(name, configured, moved, self.clock())
        log.warning(
            "channel=%s chat %s moved to %s; recorded, sending there from now on (update "
            "chat_id in the config)",
            name,
            configured,
            moved,
        )


def _minutes(period: timedelta) -> str:
    minutes = period.total_seconds() / 60
    return f"{minutes:g} minutes" if minutes >= 1 else f"{period.total_seconds():g} seconds"
