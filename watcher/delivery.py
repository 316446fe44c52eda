"""Delivery: sending what the outbox holds, in order per channel, paced, and recording the result.

One pass (`deliver_due`) works every channel with something pending, channels in parallel:

- The admin channel first sends queued admin notices (notices.py).
- A channel's rows go in the order they were queued. A row waiting out a retry blocks the rows
  behind it (head of line), so a chat never sees alerts out of order; a 429's retry_after is
  that row's `next_attempt`, in the database, so a restart honours it however long it is.
- Each channel's DeskPolicy (digest.py) may skip an alert (min_priority) or hold it for a
  digest (digest period, quiet hours, max_per_hour); held alerts go out together when due.
- Sends are paced under the chat API's limits (pacing.py): short waits are slept, longer ones
  end the channel's turn until the next pass (`DeliveryReport.wake` says when).

Outcomes, decided by the type of the channel's error (errors.py): success marks the row sent.
Flood control and transient errors (timeouts, 5xx) retry with the wait asked for or exponential
backoff with jitter. ChatBlockedError (the bot was removed from the chat or blocked) marks the
channel failing: its alerts stay queued, retried every `failing_backoff`, and an admin notice is
raised. Any other permanent refusal marks the row failed, kept in `watcher outbox` until
requeued, with an admin notice. ChatMovedError (a group became a supergroup) is followed at
once: the channel moves, the database remembers the new chat across restarts, the call is made
again. Nothing here throws through the loop: an unexpected exception is logged with its
traceback and the row is retried.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from watcher import timing
from watcher.channels.base import Channel
from watcher.delivery_turn import Attempt, ChannelTurn, DeliveryReport, Failure, earliest
from watcher.digest import DeskPolicy
from watcher.errors import (
    ChannelError,
    ChatBlockedError,
    ChatMovedError,
    PermanentChannelError,
    RetryAfterError,
    StorageError,
)
from watcher.notices import Notices
from watcher.pacing import Limit, Pacer
from watcher.render_digest import notice_alert
from watcher.store import Store, storage_errors
from watcher.store.desk import Notice
from watcher.store.outbox import ceil_second

__all__ = [
    "FAILING_BACKOFF",
    "Attempt",
    "Deliverer",
    "DeliveryReport",
    "Failure",
    "drain",
]

log = logging.getLogger("watcher.delivery")

Sleep = Callable[[float], Awaitable[None]]
FAILING_BACKOFF = timedelta(minutes=10)  # a channel the bot was removed from is retried this often
NOTICE_AFTER_ATTEMPTS = 5  # transient failures in a row before the admin hears of it
ONE_HOUR = timedelta(hours=1)


class Deliverer:
    def __init__(
        self,
        *,
        store: Store,
        channels: Mapping[str, Channel],
        clock: Callable[[], datetime],
        rng: random.Random,
        policies: Mapping[str, DeskPolicy] | None = None,
        admin_channel: str | None = None,
        notices: Notices | None = None,
        sleep: Sleep = asyncio.sleep,
        limits: Mapping[str, Sequence[Limit]] | None = None,
        max_inline_wait: timedelta = timedelta(seconds=1.5),
        pass_budget: timedelta = timedelta(seconds=5),
        failing_backoff: timedelta = FAILING_BACKOFF,
    ) -> None:
        self.store = store
        self.channels = channels
        self.clock = clock
        self.rng = rng
        self.policies = dict(policies or {})
        self.admin_channel = admin_channel
        self.notices = notices if notices is not None else Notices(store, clock)
        self.sleep = sleep
        self.max_inline_wait = max_inline_wait
        self.pass_budget = pass_budget
        self.failing_backoff = failing_backoff
        self.pacer = Pacer()
        self.limits = {
            name: tuple((limits or {}).get(name, channel.limits()))
            for name, channel in channels.items()
        }
        self._configured_chat: dict[str, str] = {}
        # A write the database refused mid-pass; the service sets this to pause its passes.
        self.on_storage_error: Callable[[StorageError], None] = _log_storage_error
        self._restore_chats()
        self._seed_pacer()

    # -- start-up ----------------------------------------------------------------------------

    def _restore_chats(self) -> None:
        """A chat that moved (Telegram group -> supergroup) before a restart stays moved."""
        for name, channel in self.channels.items():
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

    # -- a pass ------------------------------------------------------------------------------

    async def deliver_due(self) -> DeliveryReport:
        """Send, edit or hold every pending row and admin notice; channels in parallel."""
        names = set(self.store.channels_with_pending())
        if self.store.notices():
            if self.admin_channel is None:
                self._log_only_notices()
            else:
                names.add(self.admin_channel)
        reports = await asyncio.gather(*(self._channel_pass(name) for name in sorted(names)))
        total = DeliveryReport()
        for report in reports:
            total += report
        return replace(total, wake=earliest(total.wake, self._notice_wake()))

    def _notice_wake(self) -> datetime | None:
        """Notices queued during the pass (a channel failing or back) are due at once, unless
        the admin channel itself is on hold (the failing one): then when its hold ends."""
        if self.admin_channel is None:
            return None
        now = self.clock()
        times = [n.next_attempt or now for n in self.store.notices()]
        if not times:
            return None
        hold = self.store.channel_state(self.admin_channel).hold_until
        return max(min(times), hold) if hold is not None and hold > now else min(times)

    def _log_only_notices(self) -> None:
        # Logged when raised; with no admin channel there is nowhere else for them to go.
        for notice in self.store.notices():
            self.store.mark_notice(notice.id, "logged", self.clock())

    async def _channel_pass(self, name: str) -> DeliveryReport:
        channel = self.channels.get(name)
        if channel is None:
            return self._fail_unknown_channel(name)
        state = self.store.channel_state(name)
        now = self.clock()
        if state.hold_until is not None and state.hold_until > now:
            held = len(self.store.queued(name))
            return DeliveryReport(retrying=held, wake=state.hold_until)
        turn = ChannelTurn(self, name, channel, self.policies.get(name, DeskPolicy()))
        try:
            with storage_errors():
                if name == self.admin_channel:
                    await self._send_notices(turn)
                if not turn.blocked:
                    await turn.run(deadline=now + self.pass_budget)
        except StorageError as exc:  # a full disk: the row stays pending (sent again at worst)
            self.on_storage_error(exc)
            turn.block(self.clock() + timing.DELIVERY_BACKOFF_BASE)
        except Exception:  # a bug: log it; every row is still in the outbox
            log.exception("delivery pass crashed channel=%s", name)
            turn.block(self.clock() + timing.DELIVERY_BACKOFF_BASE)
        return turn.report()

    def _fail_unknown_channel(self, name: str) -> DeliveryReport:
        rows = self.store.queued(name)
        for row in rows:
            self.store.mark_failed(
                row.delivery, f"no channel named {name!r} in the config", self.clock()
            )
        return DeliveryReport(failed=len(rows))

    async def _send_notices(self, turn: ChannelTurn) -> None:
        for notice in self.store.notices():
            if notice.next_attempt is not None and notice.next_attempt > self.clock():
                turn.block(notice.next_attempt)
                return
            alert = notice_alert(_notice_text(notice), notice.created_at)
            attempt = await self.attempt(
                turn.name, turn.channel, "notice", functools.partial(turn.channel.send, alert)
            )
            self._settle_notice(notice, attempt, turn)
            if turn.blocked:
                return

    def _settle_notice(self, notice: Notice, attempt: Attempt, turn: ChannelTurn) -> None:
        now = self.clock()
        if attempt.ok:
            self.store.mark_notice(notice.id, "sent", now, ref=attempt.ref)
            turn.count("notices")
        elif attempt.failure is Failure.PERMANENT:
            self.store.mark_notice(notice.id, "failed", now, error=attempt.error)
        elif attempt.failure is Failure.PACED:
            turn.block(attempt.wake or now)
        else:
            when = self.retry_time(attempt, notice.attempts, now)
            self.store.mark_notice(
                notice.id, "pending", now, error=attempt.error, next_attempt=when
            )
            turn.block(when)

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


def _log_storage_error(exc: StorageError) -> None:
    log.error("delivery pass stopped: %s", exc)


def _notice_text(notice: Notice) -> str:
    mark = "\u2705" if notice.kind == "resolved" else "\u26a0\ufe0f"
    return f"{mark} watcher: {notice.text}"


def _minutes(period: timedelta) -> str:
    minutes = period.total_seconds() / 60
    return f"{minutes:g} minutes" if minutes >= 1 else f"{period.total_seconds():g} seconds"


async def drain(
    deliverer: Deliverer,
    *,
    sleep: Sleep = asyncio.sleep,
    max_wait: timedelta = timedelta(seconds=15),
) -> DeliveryReport:
    """Deliver until nothing can progress within `max_wait` (retry-afters, pacing, digests)."""
    total = DeliveryReport()
    while True:
        report = await deliverer.deliver_due()
        # Counts add up; what is still retrying and when to wake are the last pass's say.
        total = replace(total + report, retrying=report.retrying, wake=report.wake)
        if report.wake is None:
            return total
        wait = (report.wake - deliverer.clock()).total_seconds()
        if wait > max_wait.total_seconds():
            log.warning(
                "outbox still holds deliveries; next attempt at %s",
                report.wake.isoformat(timespec="seconds"),
            )
            return total
        await sleep(max(wait, 0.05))
