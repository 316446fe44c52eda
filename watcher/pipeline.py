"""The one place the stages meet: poll -> parse -> normalize -> story -> match -> outbox -> send.

`Pipeline.poll` takes one feed through fetch, parse and normalize, then `ingest` joins each new
item to its story, matches the rules and writes what must be shown into the outbox, in one
transaction. `Pipeline.deliver_due` sends or edits what the outbox says is due. Failures are
recorded on the feed or the delivery and never thrown through the loop; anything else is a bug
and is logged with its traceback.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from watcher import timing
from watcher.channels.base import Channel
from watcher.errors import (
    ChannelError,
    FeedError,
    PermanentChannelError,
    RetryAfterError,
)
from watcher.fetch import Fetcher
from watcher.model import Alert, Delivery, Feed, FeedState, FetchResult, Item, Tier
from watcher.normalize import normalize_feed
from watcher.parse import parse_feed
from watcher.query import Document
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

log = logging.getLogger("watcher.pipeline")

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class IngestReport:
    new_items: int = 0
    edited_items: int = 0
    new_stories: int = 0
    matches: int = 0
    new_alerts: int = 0
    updated_alerts: int = 0


@dataclass(frozen=True, slots=True)
class PollReport:
    feed: str
    outcome: str  # "new", "not-modified", "unchanged", "backlog", "error"
    ingest: IngestReport = field(default_factory=IngestReport)
    error: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    edited: int = 0
    retrying: int = 0
    failed: int = 0


def document(item: Item) -> Document:
    """The text a rule sees for one item."""
    return Document(title=item.title, summary=item.summary, source=item.feed_name, url=item.link)


class Pipeline:
    def __init__(
        self,
        *,
        store: Store,
        fetcher: Fetcher,
        index: StoryIndex,
        rules: RuleSet,
        channels: Mapping[str, Channel],
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.index = index
        self.rules = rules  # replaced whole on reload; never mutated
        self.channels = channels
        self.clock = clock
        self.rng = rng

    # -- polling -----------------------------------------------------------------------------

    async def poll(self, feed: Feed) -> PollReport:
        state = self.store.feed_state(feed.url, feed.name)
        started = self.clock()
        try:
            result = await self.fetcher.fetch(
                feed.url, etag=state.etag, last_modified=state.last_modified
            )
            report = self._take(feed, state, result, started)
        except FeedError as exc:
            return self._feed_failed(feed, state, exc, started)
        return report

    def _take(self, feed: Feed, state: FeedState, result: FetchResult, now: datetime) -> PollReport:
        if result.permanent_redirect:
            log.warning(
                "feed moved permanently feed=%s from=%s to=%s (update config.toml)",
                feed.name,
                feed.url,
                result.permanent_redirect,
            )
        if result.not_modified or result.body is None:
            self._feed_ok(feed, state, result, now, state.body_hash, hint=result.max_age)
            return PollReport(feed.name, "not-modified")
        body_hash = hashlib.blake2b(result.body, digest_size=16).hexdigest()
        if body_hash == state.body_hash:
            # Many servers ignore conditional GET; an identical body is not parsed again.
            self._feed_ok(feed, state, result, now, body_hash, hint=result.max_age)
            return PollReport(feed.name, "unchanged")
        parsed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        items = normalize_feed(parsed, feed=feed, fetched_at=now)
        ingest = self.ingest(items, now, alert=state.backlog_done)
        hint = max((h for h in (result.max_age, parsed.ttl) if h is not None), default=None)
        self._feed_ok(feed, state, result, now, body_hash, hint=hint)
        if parsed.bozo:
            log.info("feed malformed but usable feed=%s error=%s", feed.name, parsed.bozo_message)
        outcome = "new" if state.backlog_done else "backlog"
        log.info(
            "polled feed=%s outcome=%s entries=%d new_items=%d new_alerts=%d updated_alerts=%d",
            feed.name,
            outcome,
            len(items),
            ingest.new_items,
            ingest.new_alerts,
            ingest.updated_alerts,
        )
        return PollReport(feed.name, outcome, ingest)

    def _feed_ok(
        self,
        feed: Feed,
        state: FeedState,
        result: FetchResult,
        now: datetime,
        body_hash: str | None,
        *,
        hint: timedelta | None,
    ) -> None:
        self.store.save_feed_state(
            replace(
                state,
                name=feed.name,
                etag=result.etag or (state.etag if result.not_modified else None),
                last_modified=result.last_modified
                or (state.last_modified if result.not_modified else None),
                body_hash=body_hash,
                last_poll=now,
                last_success=now,
                last_error=None,
                error_count=0,
                next_poll=timing.next_poll(now, feed.interval, self.rng, hint=hint),
                backlog_done=True,
            )
        )

    def _feed_failed(
        self, feed: Feed, state: FeedState, exc: FeedError, now: datetime
    ) -> PollReport:
        count = state.error_count + 1
        retry_after = getattr(exc, "retry_after", None)
        next_poll = timing.next_poll_after_error(
            now,
            feed.interval,
            count,
            self.rng,
            retry_after=None if retry_after is None else timedelta(seconds=retry_after),
        )
        self.store.save_feed_state(
            replace(
                state,
                name=feed.name,
                last_poll=now,
                last_error=str(exc),
                error_count=count,
                next_poll=next_poll,
            )
        )
        log.warning(
            "feed failed feed=%s errors=%d next_poll=%s error=%s",
            feed.name,
            count,
            next_poll.isoformat(timespec="seconds"),
            exc,
        )
        return PollReport(feed.name, "error", error=str(exc))

    # -- ingest: stories, rules, outbox --------------------------------------------------------

    def ingest(self, items: Sequence[Item], now: datetime, *, alert: bool) -> IngestReport:
        """Store new items, join them to stories and fill the outbox; all in one transaction.

        With alert=False (a feed's first poll) items are stored and grouped but not matched:
        a desk does not want yesterday's backlog.
        """
        counts = {"new": 0, "edited": 0, "stories": 0, "matches": 0, "alerts": 0, "updated": 0}
        with self.store.transaction():
            for item in items:
                self._ingest_one(item, now, alert, counts)
        return IngestReport(
            counts["new"],
            counts["edited"],
            counts["stories"],
            counts["matches"],
            counts["alerts"],
            counts["updated"],
        )

    def _ingest_one(self, item: Item, now: datetime, alert: bool, counts: dict[str, int]) -> None:
        known_hash = self.store.item_hash(item.key)
        if known_hash is not None:
            if known_hash and known_hash != item.content_hash:
                # The same guid with an edited title or text: refresh it, never a second alert.
                story_id = self.store.update_item_text(item)
                counts["edited"] += 1
                if story_id is not None and alert:
                    self._match(item, story_id, now, counts)
            return
        if self.store.link_seen(item.link):
            return  # the same article under another feed or guid
        decision = self.index.decide(item)
        story_id = decision.story_id
        if story_id is None:
            story_id = self.store.new_story(item.title, item.published)
            counts["stories"] += 1
        self.store.add_item(item, story_id, decision.tier, decision.score, now)
        self.index.add(item, story_id)
        counts["new"] += 1
        if decision.tier is not Tier.NEW:
            # A new source for a story: every channel already showing it gets an edit.
            counts["updated"] += self.store.bump_story(story_id, now)
        if alert:
            self._match(item, story_id, now, counts)

    def _match(self, item: Item, story_id: int, now: datetime, counts: dict[str, int]) -> None:
        for match in self.rules.match(document(item)):
            counts["matches"] += 1
            self.store.add_match(story_id, match.rule, match.terms, now)
            for channel in match.channels:
                if self.store.want_delivery(
                    story_id, channel, (match.rule,), match.terms, match.priority, now
                ):
                    counts["alerts"] += 1

    # -- delivery ----------------------------------------------------------------------------

    async def deliver_due(self) -> DeliveryReport:
        """Send or edit every due outbox row; channels in parallel, each channel in order."""
        by_channel: dict[str, list[Delivery]] = {}
        for delivery in self.store.due_deliveries(self.clock()):
            by_channel.setdefault(delivery.channel, []).append(delivery)
        reports = await asyncio.gather(
            *(self._deliver_channel(name, rows) for name, rows in by_channel.items())
        )
        return DeliveryReport(
            sum(r.sent for r in reports),
            sum(r.edited for r in reports),
            sum(r.retrying for r in reports),
            sum(r.failed for r in reports),
        )

    async def _deliver_channel(self, name: str, rows: list[Delivery]) -> DeliveryReport:
        sent = edited = retrying = failed = 0
        channel = self.channels.get(name)
        for delivery in rows:
            if channel is None:
                self.store.mark_failed(
                    delivery, f"no channel named {name!r} in the config", self.clock()
                )
                failed += 1
                continue
            outcome = await self._deliver_one(channel, delivery)
            if outcome == "sent":
                sent += 1
            elif outcome == "edited":
                edited += 1
            elif outcome == "failed":
                failed += 1
            else:
                # Stop this channel's batch so its messages keep their order.
                retrying += 1
                break
        return DeliveryReport(sent, edited, retrying, failed)

    async def _deliver_one(self, channel: Channel, delivery: Delivery) -> str:
        story = self.store.story(delivery.story_id)
        if story is None:
            self.store.mark_failed(delivery, "story no longer stored", self.clock())
            return "failed"
        alert = Alert(story=story, rules=delivery.rules, terms=delivery.terms)
        try:
            if delivery.message_ref is None:
                ref = await channel.send(alert)
                outcome = "sent"
            else:
                ref = await channel.edit(delivery.message_ref, alert)
                outcome = "edited"
        except RetryAfterError as exc:
            return self._retry(delivery, exc, exc.retry_after)
        except PermanentChannelError as exc:
            self.store.mark_failed(delivery, str(exc), self.clock())
            log.error(
                "delivery refused channel=%s story=%d error=%s",
                channel.name,
                delivery.story_id,
                exc,
            )
            return "failed"
        except ChannelError as exc:
            return self._retry(delivery, exc, None)
        except Exception as exc:  # a bug: keep the alert, log the traceback
            log.exception("delivery crashed channel=%s story=%d", channel.name, delivery.story_id)
            return self._retry(delivery, exc, None)
        self.store.mark_sent(delivery, ref, self.clock())
        log.info(
            "delivered channel=%s story=%d action=%s sources=%d",
            channel.name,
            delivery.story_id,
            outcome,
            len(story.items),
        )
        return outcome

    def _retry(self, delivery: Delivery, exc: Exception, retry_after: float | None) -> str:
        now = self.clock()
        when = timing.next_delivery_attempt(
            now, delivery.attempts, self.rng, retry_after=retry_after
        )
        self.store.mark_retry(delivery, str(exc) or type(exc).__name__, when, now)
        log.warning(
            "delivery postponed channel=%s story=%d attempt=%d retry_at=%s error=%s",
            delivery.channel,
            delivery.story_id,
            delivery.attempts + 1,
            when.isoformat(timespec="seconds"),
            exc,
        )
        return "retrying"
