"""A delivery pass: what the outbox holds, sent in order per channel, paced, the result recorded.

One pass (`deliver_due`) works every channel with something pending, channels in parallel:

- The admin channel first sends queued admin notices (admin_notices.py).
- A channel's rows go in the order they were queued. A row waiting out a retry blocks the rows
  behind it (head of line), so a chat never sees alerts out of order; a 429's retry_after is
  that row's `next_attempt`, in the database, so a restart honours it however long it is.
- Each channel's DeskPolicy (desk_policy.py) may skip an alert (min_priority) or hold it for a
  digest (digest period, quiet hours, max_per_hour); held alerts go out together when due.
- Sends are paced under the chat API's limits (pacing.py): short waits are slept, longer ones
  end the channel's turn until the next pass (`DeliveryReport.wake` says when).

Each API call is an attempt (attempt.py): paced, its outcome decided by the type of the
channel's error, its channel-wide effects (failing, refused, moved chat) recorded there; what it
means for the rows it was for is the channel's turn's business (turn.py). `drain` runs passes
until nothing more can go out soon (`watcher poll-once`).
Nothing here throws through the loop: an unexpected exception is logged with its traceback and
the row is retried.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from watcher import timing
from watcher.channels.base import Channel
from watcher.delivery.admin_notices import Notices
from watcher.delivery.attempt import FAILING_BACKOFF, Attempt, Attempts, Failure, Sleep
from watcher.delivery.desk_policy import DeskPolicy
from watcher.delivery.pacing import Limit
from watcher.delivery.render_digest import notice_alert
from watcher.delivery.report import DeliveryReport, earliest
from watcher.delivery.turn import ChannelTurn
from watcher.errors import StorageError
from watcher.model import Story
from watcher.store import Store, storage_errors
from watcher.store.desk import Notice

__all__ = [
    "FAILING_BACKOFF",
    "Attempt",
    "Deliverer",
    "DeliveryReport",
    "Failure",
    "drain",
]

log = logging.getLogger("watcher.delivery")


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
        shown: Callable[[Story], Story] | None = None,
    ) -> None:
        self.store = store
        self.shown = shown  # a story as its message shows it (Boilerplate.shown: no footers)
        self.channels = channels
        self.clock = clock
        self.policies = dict(policies or {})
        self.admin_channel = admin_channel
        self.notices = notices if notices is not None else Notices(store, clock)
        self.pass_budget = pass_budget
        self.attempts = Attempts(
            store=store,
            channels=channels,
            clock=clock,
            rng=rng,
            notices=self.notices,
            sleep=sleep,
            limits=limits,
            max_inline_wait=max_inline_wait,
            failing_backoff=failing_backoff,
        )
        # A write the database refused mid-pass; the service sets this to pause its passes.
        self.on_storage_error: Callable[[StorageError], None] = _log_storage_error

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
        policy = self.policies.get(name, DeskPolicy())
        turn = ChannelTurn(
            name,
            channel,
            policy,
            store=self.store,
            clock=self.clock,
            attempts=self.attempts,
            shown=self.shown,
        )
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
            attempt = await self.attempts.attempt(
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
            when = self.attempts.retry_time(attempt, notice.attempts, now)
            self.store.mark_notice(
                notice.id, "pending", now, error=attempt.error, next_attempt=when
            )
            turn.block(when)


def _log_storage_error(exc: StorageError) -> None:
    log.error("delivery pass stopped: %s", exc)


def _notice_text(notice: Notice) -> str:
    mark = "\u2705" if notice.kind == "resolved" else "\u26a0\ufe0f"
    return f"{mark} watcher: {notice.text}"




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
