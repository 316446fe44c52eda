"""One channel's turn in a delivery pass: its queue walked in order, held alerts flushed.

The Deliverer (deliverer.py) gives each channel with pending rows a `ChannelTurn`. The turn asks
the channel's DeskPolicy (desk_policy.py) what to do with each row: skip it (min_priority, or a
desk's mute of the story or its rules: watcher/mutes.py), hold it (digest, quiet hours,
max_per_hour) or send it now. Rows sent now keep their order: a row
waiting out a retry ends the turn (head of line). Held rows go out as one digest (several when
there are more than a digest holds) once `desk_policy.flush_at` says so; a digest of one is
sent as that alert's ordinary message. A burst's row (store/bursts.py) carries one message for
the many stories one feed brought in one poll.

A row may also hold follow-ups (developments of its story, store/followups.py): after the row's
edit they go out as replies to its message, and until then the row notifies like a new alert
(held by quiet hours, digests and max_per_hour; never folded into a digest itself). A fresh
message of the row (or a channel that cannot reply) tells them anyway: they are folded.

Each call to the channel is an attempt (attempt.py), whose outcome the turn records on the rows
it was for (`settle`): sent, failed, or retried at `Attempts.retry_time`; what the turn did
is a DeliveryReport (report.py).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from watcher.channels.base import Channel
from watcher.delivery.attempt import Attempt, Attempts, Failure
from watcher.delivery.desk_policy import DeskPolicy, Route, flush_at, route
from watcher.delivery.render_digest import DIGEST_SIZE, burst_alert, digest_alert
from watcher.delivery.render_followup import followup_alert
from watcher.delivery.report import DeliveryReport
from watcher.model import Alert, Delivery, FollowUp, Story
from watcher.mutes import muting
from watcher.store import Store
from watcher.store.bursts import BURST_SHOWN, Burst
from watcher.store.followups import PendingFollowUp
from watcher.store.outbox import DIGEST_REF, Queued

log = logging.getLogger("watcher.delivery")

ONE_HOUR = timedelta(hours=1)


class ChannelTurn:
    def __init__(
        self,
        name: str,
        channel: Channel,
        policy: DeskPolicy,
        *,
        store: Store,
        clock: Callable[[], datetime],
        attempts: Attempts,
        shown: Callable[[Story], Story] | None = None,
    ) -> None:
        self.store = store
        self.shown = shown
        self.clock = clock
        self.attempts = attempts
        self.name = name
        self.channel = channel
        self.policy = policy
        self.counts: Counter[str] = Counter()
        self.wake: datetime | None = None
        self.blocked = False

    # -- bookkeeping ---------------------------------------------------------------------------

    def block(self, when: datetime) -> None:
        """Nothing more goes to this channel in this pass; it may go on at `when`."""
        self.blocked = True
        self.wake_at(when)

    def wake_at(self, when: datetime) -> None:
        self.wake = when if self.wake is None else min(self.wake, when)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def report(self) -> DeliveryReport:
        keys = ("sent", "edited", "retrying", "failed", "held", "skipped", "notices", "replied")
        return DeliveryReport(**{k: self.counts[k] for k in keys}, wake=self.wake)

    # -- the queue -----------------------------------------------------------------------------

    async def run(self, *, deadline: datetime) -> None:
        now = self.clock()
        sent_last_hour = len(self.store.sends_since(self.name, now - ONE_HOUR, edits=False))
        held: list[tuple[Queued, Route]] = []
        mutes = self.store.live_mutes(now, self.name)
        for queued in self.store.queued(self.name):
            now = self.clock()
            mute = muting(mutes, queued.delivery.story_id, queued.delivery.rules)
            if mute is not None and mute.until > now and not self._carries_burst(queued):
                self._skip(queued.delivery, f"not sent: muted ({mute.describe()})")
                continue
            is_edit = self._is_edit(queued)
            decision = route(
                self.policy,
                now=now,
                queued_at=queued.queued_at,
                priority=queued.delivery.priority,
                is_edit=is_edit,
                sent_last_hour=sent_last_hour,
            )
            if decision is Route.SKIP:
                self._skip(queued.delivery)
            elif decision is not Route.SEND:
                held.append((queued, decision))
            elif not self._may_send(queued.delivery, now, deadline):
                break
            elif await self.deliver_row(queued) and not is_edit:
                sent_last_hour += 1
            if self.blocked:
                break
        if held and not self.blocked:
            await self._flush(held)
        elif held:
            self.count("held", len(held))

    def _carries_burst(self, queued: Queued) -> bool:
        """The row's message stands for a burst's other stories too: settled without the rows
        muted then (store/bursts.py), it goes out even if its own story was muted since."""
        return queued.edit_ref is None and self.store.burst(queued.delivery.id) is not None

    def _is_edit(self, queued: Queued) -> bool:
        """A silent edit. A channel that cannot edit (Slack webhook) posts an update, and a row
        with a follow-up to send replies: both notify like a new message."""
        if queued.edit_ref is None or not self.channel.can_edit:
            return False
        return not self._replies(queued)

    def _replies(self, queued: Queued) -> bool:
        """The row's message gets a follow-up reply (rather than a digest or a fold)."""
        return (
            queued.edit_ref is not None
            and self.channel.can_reply
            and self.store.has_pending_followups(queued.delivery.id)
        )

    def _may_send(self, delivery: Delivery, now: datetime, deadline: datetime) -> bool:
        if delivery.next_attempt is not None and delivery.next_attempt > now:
            self.block(delivery.next_attempt)  # head of line: later rows wait behind it
            return False
        if now >= deadline:
            self.block(now)  # this pass has had its share; the next one goes on
            return False
        return True

    def _skip(self, delivery: Delivery, reason: str = "") -> None:
        reason = reason or (
            f"not sent: priority {delivery.priority} is below the channel's min_priority "
            f"{self.policy.min_priority}"
        )
        self.store.fold_followups(delivery.id, self.clock())
        self.store.mark_skipped(delivery, reason, self.clock())
        self.count("skipped")
        log.info("delivery skipped channel=%s story=%d %s", self.name, delivery.story_id, reason)

    # -- sending -------------------------------------------------------------------------------

    async def deliver_row(self, queued: Queued) -> bool:
        """Send or edit one story's message, then its follow-ups. True when delivered."""
        delivery = queued.delivery
        story = self._story(delivery)
        if story is None:
            return False
        ref = queued.edit_ref
        if delivery.sent_version < delivery.version:
            # An edit marks the sources stored since the row last became due (queued_at:
            # when the first of them arrived after the last send).
            new_since = queued.queued_at if ref is not None else None
            shown = await self._show(delivery, story, ref, new_since)
            if shown is None:
                return False
            if ref is None:  # a first message: follow-ups exist only for a message shown
                self.attempts.refusals_cleared(self.name)
                return True
            # Sent anew (or a webhook's update post): the message tells the developments.
            if shown != ref and self.store.fold_followups(delivery.id, self.clock()):
                self.store.mark_sent(delivery, None, self.clock())  # nothing left to reply
            ref = shown
        if not await self._follow_up(delivery, story, ref):
            return False
        self.attempts.refusals_cleared(self.name)
        return True

    async def _show(
        self, delivery: Delivery, story: Story, ref: str | None, new_since: datetime | None
    ) -> str | None:
        """Send the story's message, or edit it; the ref it is now under, None on failure."""
        alert = Alert(story=story, rules=delivery.rules, terms=delivery.terms, new_since=new_since)
        burst = self.store.burst(delivery.id) if ref is None else None
        if burst is not None:  # the first story carries its burst's one message
            alert = self._burst_alert(burst, story, delivery)
        call: Callable[[], Awaitable[str]]
        if ref is None:
            kind, call = "message", lambda: self.channel.send(alert)
        else:
            kind = "edit" if self.channel.can_edit else "message"
            call = lambda: self.channel.edit(ref, alert)  # noqa: E731
        attempt = await self.attempts.attempt(self.name, self.channel, kind, call)
        if not attempt.ok:
            self.settle([delivery], attempt)
            return None
        if burst is not None:
            # Shown as a digest: a later source of the story alerts afresh, as for any digest.
            self.store.mark_sent(delivery, f"{DIGEST_REF}{attempt.ref}", self.clock())
            self.store.drop_burst(delivery.id)
            log.info(
                "delivered channel=%s burst feed=%s stories=%d", self.name, burst.feed, burst.count
            )
            self.count("sent")
            return attempt.ref
        self.store.mark_sent(delivery, attempt.ref, self.clock())
        self.count("edited" if ref is not None else "sent")
        log.info(
            "delivered channel=%s story=%d action=%s sources=%d",
            self.name,
            delivery.story_id,
            "edited" if ref is not None else "sent",
            len(story.items),
        )
        return attempt.ref

    async def _follow_up(self, delivery: Delivery, story: Story, ref: str | None) -> bool:
        """Reply to the story's message with each pending follow-up, in order. A channel that
        cannot reply folds them: its update post (or the fresh alert) told them already."""
        pending = self.store.pending_followups(delivery.id)
        if not pending and delivery.sent_version < delivery.version:
            return True  # an edit alone: _show recorded it
        if ref is None or not self.channel.can_reply:
            self.store.fold_followups(delivery.id, self.clock())
        elif not await self._replies_to(ref, delivery, story, pending):
            return False
        # The row is done (unless bumped meanwhile): its edit was recorded before the replies.
        self.store.mark_sent(delivery, None, self.clock())
        return True

    async def _replies_to(
        self, ref: str, delivery: Delivery, story: Story, pending: Sequence[PendingFollowUp]
    ) -> bool:
        items = {item.item_key: item for item in story.items}
        for followup in pending:
            item = items.get(followup.item_key)
            if item is None:  # the report is no longer in the story: nothing to show
                self.store.mark_followup(followup.id, "folded", self.clock())
                continue
            alert = followup_alert(FollowUp(story, item, followup.rules, followup.news))
            call = functools.partial(self.channel.reply, ref, alert)
            attempt = await self.attempts.attempt(self.name, self.channel, "reply", call)
            if not attempt.ok:
                self.settle([delivery], attempt)
                return False
            self.store.mark_followup(followup.id, "sent", self.clock(), attempt.ref)
            self.count("replied")
            log.info(
                "delivered channel=%s story=%d action=replied to=%s item=%s",
                self.name,
                delivery.story_id,
                ref,
                followup.item_key,
            )
        return True

    def _burst_alert(self, burst: Burst, first: Story, delivery: Delivery) -> Alert:
        # The first story's row carries the message; a merge since may have emptied it (its
        # reports are then told by the story that holds them, listed in the burst).
        stories = [first] if first.items else []
        stories += [
            s for i in burst.story_ids if i != first.id and (s := self._load(i)) is not None
        ]
        stories = stories or [first]
        entries = [(s, delivery.rules) for s in stories[:BURST_SHOWN]]
        return burst_alert(burst.feed, burst.count, entries, now=self.clock())

    def _story(self, delivery: Delivery) -> Story | None:
        story = self._load(delivery.story_id)
        if story is None:
            self.store.mark_failed(delivery, "story no longer stored", self.clock())
            self.count("failed")
        return story

    def _load(self, story_id: int) -> Story | None:
        """The stored story as its message shows it (`shown`: its items' texts without
        their feeds' boilerplate)."""
        story = self.store.story(story_id)
        return story if story is None or self.shown is None else self.shown(story)

    def settle(self, rows: Sequence[Delivery], attempt: Attempt) -> None:
        """Record a failed attempt on the rows it was for."""
        now = self.clock()
        if attempt.failure is Failure.PACED:
            self.block(attempt.wake or now)
            return
        if attempt.failure is Failure.PERMANENT:
            for row in rows:
                self.store.mark_failed(row, attempt.error, now)
            self.count("failed", len(rows))
            return
        attempts = max(row.attempts for row in rows)
        when = self.attempts.retry_time(attempt, attempts, now)
        for row in rows:
            self.store.mark_retry(row, attempt.error, when, now)
        self.count("retrying", len(rows))
        self.block(when)
        log.warning(
            "delivery postponed channel=%s stories=%s attempt=%d retry_at=%s error=%s",
            self.name,
            ",".join(str(row.story_id) for row in rows),
            attempts + 1,
            when.isoformat(timespec="seconds"),
            attempt.error,
        )
        if attempt.failure is Failure.TRANSIENT:
            self.attempts.transient_trouble(self.name, attempt.error, attempts + 1)

    # -- digests -------------------------------------------------------------------------------

    async def _flush(self, held: list[tuple[Queued, Route]]) -> None:
        now = self.clock()
        routes = {decision for _, decision in held}
        when = flush_at(
            self.policy,
            now=now,
            routes=routes,
            oldest=min(queued.queued_at for queued, _ in held),
            last_digest=self.store.channel_state(self.name).last_digest_at,
        )
        retries = [q.delivery.next_attempt for q, _ in held if q.delivery.next_attempt]
        when = max([when, *retries])
        if when > now:
            self.count("held", len(held))
            self.wake_at(when)
            return
        # A row with follow-ups keeps its own message: it is edited and replied to, not digested;
        # a burst's row carries a message of its own too.
        replies = [q for q, _ in held if self._replies(q) or self.store.burst(q.delivery.id)]
        for queued in replies:
            await self.deliver_row(queued)
            if self.blocked:
                return
        entries = [
            (q, s)
            for q, _ in held
            if q not in replies and (s := self._story(q.delivery)) is not None
        ]
        delivered = False
        for start in range(0, len(entries), DIGEST_SIZE):
            chunk = entries[start : start + DIGEST_SIZE]
            if len(chunk) == 1:
                delivered |= await self.deliver_row(chunk[0][0])
            else:
                delivered |= await self._send_digest(chunk, _label(routes, self.policy))
            if self.blocked:
                break
        if delivered:
            self.store.set_last_digest(self.name, self.clock())

    async def _send_digest(self, chunk: list[tuple[Queued, Story]], label: str) -> bool:
        alert = digest_alert(
            [(story, q.delivery.rules) for q, story in chunk], label=label, now=self.clock()
        )
        attempt = await self.attempts.attempt(
            self.name, self.channel, "digest", lambda: self.channel.send(alert)
        )
        rows = [q.delivery for q, _ in chunk]
        if not attempt.ok:
            self.settle(rows, attempt)
            return False
        for row in rows:
            self.store.mark_sent(row, f"{DIGEST_REF}{attempt.ref}", self.clock())
        self.count("sent", len(rows))
        log.info(
            "delivered channel=%s digest stories=%s",
            self.name,
            ",".join(str(row.story_id) for row in rows),
        )
        self.attempts.refusals_cleared(self.name)
        return True


def _label(routes: set[Route], policy: DeskPolicy) -> str:
    if Route.QUIET in routes:
        return "While quiet hours were on"
    if Route.FOLD in routes and Route.DIGEST not in routes:
        return f"Past {policy.max_per_hour} alerts an hour"
    return "Digest"
