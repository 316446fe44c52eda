"""Polling: the one place the stages meet: fetch -> parse -> normalize -> ingest.

`Pipeline.poll` has one feed read (feed_read.py: fetch, parse and normalize, and what is
remembered of the feed's last body), hands the entries that are not exactly as its last body
held them to ingest.py (the take), which joins each new item to its story, matches the rules
and writes what must be shown into the outbox, and then records the poll on the feed (here).
`Pipeline.poll_many` reads many feeds at once and takes all their new items together, oldest
first across the feeds (`watcher poll-once`): a backlog spread over many feeds is grouped in
the order it was published, not in the order the feeds answered. Sending what the outbox holds
is delivery/'s job. A feed's failure is recorded on the feed and never thrown through the loop:
what a poll's result means for the feed (its next state, backoff, admin notices) is decided by
feed_policy.py, and written here.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from watcher import feed_policy
from watcher.boilerplate import Boilerplate
from watcher.errors import FeedError
from watcher.feed_policy import DISABLED_RECHECK, iso
from watcher.feed_read import FeedFetcher, FeedRead, FeedReader, entries
from watcher.ingest import BURST_LIMIT, Batch, Ingest, IngestReport
from watcher.item_write import SplitReport
from watcher.model import Feed, FeedState, FetchResult, Item, ParsedFeed
from watcher.rulebook import RuleSet
from watcher.store import Store, storage_errors
from watcher.stories import StoryIndex

log = logging.getLogger("watcher.pipeline")

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class PollReport:
    feed: str
    outcome: str  # "new", "not-modified", "unchanged", "backlog", "error", "disabled"
    ingest: IngestReport = field(default_factory=IngestReport)
    error: str | None = None
    entries: int = 0  # items the body held (after normalizing), when one was read
    fetch_seconds: float | None = None  # the HTTP fetch's duration, when the server answered


class FeedNotices(Protocol):
    """Where admin notices about feeds go (delivery/admin_notices.py's Notices in the service):
    one open incident per key, told once when raised and once when resolved."""

    def raise_(self, key: str, text: str, /) -> object: ...

    def resolve(self, key: str, text: str | None = None, /) -> object: ...


class LoggedNotices:
    """Admin notices as log lines only, for a Pipeline built without Notices."""

    def raise_(self, key: str, text: str, /) -> None:
        log.warning("admin notice key=%s %s", key, text)

    def resolve(self, key: str, text: str | None = None, /) -> None:
        log.info("admin notice resolved key=%s %s", key, text or "")


class Pipeline:
    def __init__(
        self,
        *,
        store: Store,
        fetcher: FeedFetcher,
        index: StoryIndex,
        rules: RuleSet,
        clock: Clock,
        rng: random.Random,
        notices: FeedNotices | None = None,
        failing_notice_after: timedelta = timedelta(hours=1),
        burst_limit: int = BURST_LIMIT,
        boilerplate: Boilerplate | None = None,
    ) -> None:
        self.store = store
        self.reader = FeedReader(fetcher)
        self.index = index
        self.boilerplate = boilerplate if boilerplate is not None else Boilerplate()
        self.intake = Ingest(
            store=store,
            index=index,
            rules=rules,
            boilerplate=self.boilerplate,
            burst_limit=burst_limit,
        )
        self.clock = clock
        self.rng = rng
        self.notices: FeedNotices = notices if notices is not None else LoggedNotices()
        self.failing_notice_after = failing_notice_after

    def forget_feeds(self, urls: Collection[str]) -> None:
        """Drop what is remembered of feeds no longer followed (their last bodies' prints)."""
        self.reader.forget(urls)

    # -- polling -----------------------------------------------------------------------------

    async def poll(self, feed: Feed) -> PollReport:
        """Fetch one feed and take what it says; failures are recorded on the feed, not raised.

        Polls go to where a permanent redirect moved the feed; its configured URL stays its
        identity. A feed disabled by 410 Gone is not fetched until `watcher feeds enable`.
        A write the database refuses (a full disk) is no fault of the feed: StorageError goes
        up, with nothing of the poll kept (the next one reads the body again).
        """
        (report,) = await self.poll_many([feed])
        return report

    async def poll_many(
        self, feeds: Sequence[Feed], slots: asyncio.Semaphore | None = None
    ) -> list[PollReport]:
        """`poll` each feed (a report each, in order): every feed is read first (`slots`
        bounds how many are fetched and parsed at once), then all their new items are taken
        in one ingest, oldest first across the feeds, each on its own feed's terms (backlog
        or not, max_age, boilerplate, bursts); then each feed's poll is recorded as `poll`
        records it. A StorageError keeps nothing of the feeds whose items were not stored."""
        with storage_errors():
            done = await self._read_all(feeds, slots)
            reads = [read for read in done if isinstance(read, FeedRead)]
            if reads:
                # The poll's time for its items: when the last of the reads started (one
                # feed: when its poll started, as always).
                now = max(read.started for read in reads)
                batches = [Batch(r.feed, r.items, r.state.backlog_done) for r in reads]
                taken = iter(await self.intake.ingest_batches(batches, now))
                done = [self._took(d, next(taken)) if isinstance(d, FeedRead) else d for d in done]
            return [report for report in done if isinstance(report, PollReport)]

    async def _read_all(
        self, feeds: Sequence[Feed], slots: asyncio.Semaphore | None
    ) -> list[PollReport | FeedRead]:
        """Each feed read, concurrently; an exception (StorageError, a bug) cancels the
        other reads and goes up as it is."""
        if len(feeds) == 1:
            return [await self._read_in(feeds[0], slots)]
        tasks = [asyncio.ensure_future(self._read_in(feed, slots)) for feed in feeds]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def _read_in(
        self, feed: Feed, slots: asyncio.Semaphore | None
    ) -> PollReport | FeedRead:
        if slots is None:
            return await self._read(feed)
        async with slots:
            return await self._read(feed)

    async def _read(self, feed: Feed) -> PollReport | FeedRead:
        """The feed's body fetched, parsed and normalized (feed_read.py): a `FeedRead` when it
        holds new entries to take, else the poll's report (304, the same body, a failure:
        recorded here)."""
        state = self.store.feed_state(feed.url, feed.name)
        started = self.clock()
        if state.disabled_at is not None:
            self.store.save_feed_state(replace(state, next_poll=started + DISABLED_RECHECK))
            return PollReport(feed.name, "disabled", error=state.disabled_reason)
        try:
            read = await self.reader.read(feed, state, started, self.parse)
        except FeedError as exc:
            return self._feed_failed(feed, state, exc, started)
        if isinstance(read, FeedRead):
            return read
        self._feed_ok(feed, read.state, read.result, started, read.body_hash, new_items=0)
        if read.outcome == "not-modified":
            log.debug(
                "polled feed=%s outcome=not-modified status=%d", feed.name, read.result.status
            )
        else:
            log.debug("polled feed=%s outcome=unchanged", feed.name)
        fetched = read.result.elapsed.total_seconds()
        return PollReport(feed.name, read.outcome, fetch_seconds=fetched)

    def _took(self, read: FeedRead, ingest: IngestReport) -> PollReport:
        """Record a read feed's poll once its new items are stored."""
        feed, state = read.feed, replace(read.state, ttl=read.ttl)
        self.reader.remember(feed, read.body_prints, read.prints)
        self._feed_ok(
            feed, state, read.result, read.started, read.body_hash, new_items=ingest.new_items
        )
        outcome = "new" if state.backlog_done else "backlog"
        log.info(
            "polled feed=%s outcome=%s entries=%d new_items=%d new_alerts=%d updated_alerts=%d",
            feed.name,
            outcome,
            read.entries,
            ingest.new_items,
            ingest.new_alerts,
            ingest.updated_alerts,
        )
        fetched = read.result.elapsed.total_seconds()
        return PollReport(feed.name, outcome, ingest, entries=read.entries, fetch_seconds=fetched)

    def replay_parsed(
        self, feed: Feed, parsed: ParsedFeed, now: datetime, *, alert: bool | None = None
    ) -> PollReport:
        """Ingest a saved copy of `feed`, already parsed, as if it had just been polled.

        Alerts follow the live rule (the feed's first body is its backlog) unless `alert` says
        otherwise. Only the backlog mark of the feed's state changes: its HTTP validators,
        schedule and health belong to live polls.
        """
        state = self.store.feed_state(feed.url, feed.name)
        alerting = state.backlog_done if alert is None else alert
        ingest = self._ingest_parsed(feed, parsed, now, alerting)
        if not state.backlog_done:
            self.store.save_feed_state(replace(state, backlog_done=True))
        outcome = "new" if alerting else "backlog"
        return PollReport(feed.name, outcome, ingest, entries=entries(parsed))

    def parse(
        self, feed: Feed, body: bytes, url: str | None = None, content_type: str | None = None
    ) -> ParsedFeed:
        """FeedReader.parse: the feed's body parsed, what its last body left not again. Polls
        (in a worker thread) and replays parse through here."""
        return self.reader.parse(feed, body, url, content_type)

    def _ingest_parsed(
        self, feed: Feed, parsed: ParsedFeed, now: datetime, alert: bool
    ) -> IngestReport:
        """normalize -> ingest, on the caller's thread (replay)."""
        items, prints = self.reader.fresh_items(feed, parsed, now)
        ingest = self.ingest(items, now, alert=alert, max_age=feed.max_age)
        self.reader.remember(feed, parsed.prints, prints)
        return ingest

    # -- recording the poll on its feed (feed_policy.py decides what it means) -----------------

    def _feed_ok(
        self,
        feed: Feed,
        state: FeedState,
        result: FetchResult,
        now: datetime,
        body_hash: str | None,
        *,
        new_items: int,
    ) -> None:
        """Record a poll the server answered (feed_policy.py decides what it means)."""
        decision = feed_policy.after_answer(
            feed, state, result, now=now, rng=self.rng, body_hash=body_hash, new_items=new_items
        )
        if new_items and state.stale_since is not None:
            log.info("feed has new items again feed=%s", feed.name)
        elif decision.state.stale_since is not None and state.stale_since is None:
            log.warning("feed stale feed=%s last_new=%s", feed.name, iso(state.last_new_at))
        if state.noticed_at is not None:
            log.info(
                "feed recovered feed=%s failing_since=%s", feed.name, iso(state.failing_since)
            )
        self._write(decision)

    def _feed_failed(
        self, feed: Feed, state: FeedState, exc: FeedError, now: datetime
    ) -> PollReport:
        """Record a failed poll (feed_policy.py decides the backoff and the notice)."""
        decision = feed_policy.after_failure(
            feed, state, exc, now=now, rng=self.rng, failing_notice_after=self.failing_notice_after
        )
        self._write(decision)
        failed = decision.state
        log.warning(
            "feed failed feed=%s errors=%d next_poll=%s error=%s",
            feed.name,
            failed.error_count,
            "disabled" if failed.disabled_at is not None else iso(failed.next_poll),
            exc,
        )
        return PollReport(feed.name, "error", error=str(exc))

    def _write(self, decision: feed_policy.FeedDecision) -> None:
        """Tell the decision's notices, in order, then save the feed's state."""
        for tell in decision.notices:
            if tell.resolve:
                self.notices.resolve(tell.key, tell.text)
            else:
                self.notices.raise_(tell.key, tell.text)
        self.store.save_feed_state(decision.state)

    # -- ingest (ingest.py) --------------------------------------------------------------------

    @property
    def rules(self) -> RuleSet:
        """The rules in force; replaced whole on reload, never mutated."""
        return self.intake.rules

    @rules.setter
    def rules(self, rules: RuleSet) -> None:
        self.intake.rules = rules

    def ingest(
        self,
        items: Sequence[Item],
        now: datetime,
        *,
        alert: bool,
        max_age: timedelta | None = None,
    ) -> IngestReport:
        """Ingest.ingest: items stored, grouped, matched, in one transaction."""
        return self.intake.ingest(items, now, alert=alert, max_age=max_age)

    def split(
        self, story_id: int, now: datetime, *, also: Callable[[], object] | None = None
    ) -> SplitReport | None:
        """ItemWriter.split (item_write.py): the desk's "not the same story"."""
        return self.intake.split(story_id, now, also=also)
