"""The one place the stages meet: poll -> parse -> normalize -> story -> match -> outbox.

`Pipeline.poll` takes one feed through fetch, parse and normalize, then `ingest` joins each new
item to its story, matches the rules and writes what must be shown into the outbox, in one
transaction. Sending what the outbox holds is delivery.py's job. A feed's failure is recorded on
the feed and never thrown through the loop.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from watcher import timing
from watcher.errors import (
    FeedError,
)
from watcher.fetch import Fetcher
from watcher.model import Feed, FeedState, FetchResult, Item, Tier
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
    rules: tuple[str, ...] = ()  # the rule of each match, for per-rule counts (metrics)


@dataclass(frozen=True, slots=True)
class PollReport:
    feed: str
    outcome: str  # "new", "not-modified", "unchanged", "backlog", "error"
    ingest: IngestReport = field(default_factory=IngestReport)
    error: str | None = None
    fetch_seconds: float | None = None  # the HTTP fetch's duration, when the server answered


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
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self.index = index
        self.rules = rules  # replaced whole on reload; never mutated
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
        return replace(report, fetch_seconds=result.elapsed.total_seconds())

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
        rules: list[str] = []
        with self.store.transaction():
            for item in items:
                self._ingest_one(item, now, alert, counts, rules)
        return IngestReport(
            counts["new"],
            counts["edited"],
            counts["stories"],
            counts["matches"],
            counts["alerts"],
            counts["updated"],
            tuple(rules),
        )

    def _ingest_one(
        self, item: Item, now: datetime, alert: bool, counts: dict[str, int], rules: list[str]
    ) -> None:
        known_hash = self.store.item_hash(item.key)
        if known_hash is not None:
            if known_hash and known_hash != item.content_hash:
                # The same guid with an edited title or text: refresh it, never a second alert.
                story_id = self.store.update_item_text(item)
                counts["edited"] += 1
                if story_id is not None and alert:
                    self._match(item, story_id, now, counts, rules)
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
            self._match(item, story_id, now, counts, rules)

    def _match(
        self, item: Item, story_id: int, now: datetime, counts: dict[str, int], rules: list[str]
    ) -> None:
        for match in self.rules.match(document(item)):
            counts["matches"] += 1
            rules.append(match.rule)
            self.store.add_match(story_id, match.rule, match.terms, now)
            for channel in match.channels:
                if self.store.want_delivery(
                    story_id, channel, (match.rule,), match.terms, match.priority, now
                ):
                    counts["alerts"] += 1
