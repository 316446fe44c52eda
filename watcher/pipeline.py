"""The one place the stages meet: poll -> parse -> normalize -> story -> match -> outbox.

`Pipeline.poll` takes one feed through fetch, parse and normalize, then `ingest` joins each new
item to its story, matches the rules and writes what must be shown into the outbox, in one
transaction. Sending what the outbox holds is delivery/'s job. A feed's failure is recorded on
the feed and never thrown through the loop: what a poll's result means for the feed (its next
state, backoff, admin notices) is decided by feed_policy.py, and written here.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from watcher import developments, feed_policy
from watcher.boilerplate import Boilerplate
from watcher.errors import FeedError
from watcher.feed_policy import DISABLED_RECHECK, iso
from watcher.fetch import without_credentials
from watcher.model import BodyPrints, Feed, FeedState, FetchResult, Item, Match, ParsedFeed, Tier
from watcher.normalize import normalize_feed
from watcher.parse import parse_feed
from watcher.query import Document
from watcher.redact import redact
from watcher.rulebook import RuleSet
from watcher.store import Store, storage_errors
from watcher.store.bursts import Fold, open_ref
from watcher.store.followups import ShownAlert
from watcher.stories import StoryIndex

log = logging.getLogger("watcher.pipeline")

Clock = Callable[[], datetime]
BURST_LIMIT = 5  # [defaults] burst_limit
INGEST_STEP = 50  # items per transaction of a poll's ingest (~0.1 s of the loop each)


@dataclass(frozen=True, slots=True)
class IngestReport:
    new_items: int = 0
    edited_items: int = 0
    new_stories: int = 0
    matches: int = 0
    new_alerts: int = 0
    updated_alerts: int = 0
    too_old: int = 0  # new items older than the feed's max_age: stored, grouped, not alerted
    rules: tuple[str, ...] = ()  # the rule of each match, for per-rule counts (metrics)
    followups: int = 0  # developments of alerted stories queued as replies (developments.py)
    folded: int = 0  # new alerts told in a burst's one message instead (store/bursts.py)


@dataclass(frozen=True, slots=True)
class SplitReport:
    """What a desk's "not the same story" did (Pipeline.split)."""

    new_story: int
    moved: str  # the item split out
    kept: str  # the story's first item, the other half of the negative pair
    edits: int  # alerts of the old story to be edited back
    alerts: int  # new alerts of the split item's own story


@dataclass(frozen=True, slots=True)
class PollReport:
    feed: str
    outcome: str  # "new", "not-modified", "unchanged", "backlog", "error", "disabled"
    ingest: IngestReport = field(default_factory=IngestReport)
    error: str | None = None
    entries: int = 0  # items the body held (after normalizing), when one was read
    fetch_seconds: float | None = None  # the HTTP fetch's duration, when the server answered


def document(item: Item, sources: int = 1) -> Document:
    """What a rule sees of one item; `sources`: distinct feeds of its story (`sources>=N`)."""
    return Document(
        title=item.title,
        summary=item.summary,
        source=item.feed_name,
        url=item.link,
        sources=sources,
    )


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


class FeedFetcher(Protocol):
    """What polling asks of fetch.Fetcher (assembly.NoFetcher for a pipeline that only ingests)."""

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = ...,
        last_modified: str | None = ...,
        credentials_of: str | None = ...,
    ) -> FetchResult: ...


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
        self.fetcher = fetcher
        self.index = index
        # Each feed's recurring text (footers, "Read more" lines), left out of what stories
        # and rules see; rebuilt from stored items at start-up like the index (app.py).
        self.boilerplate = boilerplate if boilerplate is not None else Boilerplate()
        self.rules = rules  # replaced whole on reload; never mutated
        self.clock = clock
        self.rng = rng
        self.notices: FeedNotices = notices if notices is not None else LoggedNotices()
        self.failing_notice_after = failing_notice_after
        self.burst_limit = burst_limit  # new alerts of one poll for a channel before they fold
        self._last_entries: dict[str, array[int]] = {}  # fingerprints of each feed's last body
        self._last_bodies: dict[str, BodyPrints] = {}  # its item elements' hashes (unchanged.py)

    def forget_feeds(self, urls: Collection[str]) -> None:
        """Drop what is remembered of feeds no longer followed (their last bodies' prints)."""
        for url in urls:
            self._last_entries.pop(url, None)
            self._last_bodies.pop(url, None)

    # -- polling -----------------------------------------------------------------------------

    async def poll(self, feed: Feed) -> PollReport:
        """Fetch one feed and take what it says; failures are recorded on the feed, not raised.

        Polls go to where a permanent redirect moved the feed; its configured URL stays its
        identity. A feed disabled by 410 Gone is not fetched until `watcher feeds enable`.
        A write the database refuses (a full disk) is no fault of the feed: StorageError goes
        up, with nothing of the poll kept (the next one reads the body again).
        """
        with storage_errors():
            return await self._poll(feed)

    async def _poll(self, feed: Feed) -> PollReport:
        state = self.store.feed_state(feed.url, feed.name)
        started = self.clock()
        if state.disabled_at is not None:
            self.store.save_feed_state(replace(state, next_poll=started + DISABLED_RECHECK))
            return PollReport(feed.name, "disabled", error=state.disabled_reason)
        try:
            result = await self.fetcher.fetch(
                state.moved_to or feed.url,
                etag=state.etag,
                last_modified=state.last_modified,
                credentials_of=feed.url,  # Basic auth to its origin, wherever it moved
            )
            report = await self._take(feed, state, result, started)
        except FeedError as exc:
            return self._feed_failed(feed, state, exc, started)
        return replace(report, fetch_seconds=result.elapsed.total_seconds())

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
        return PollReport(feed.name, outcome, ingest, entries=_entries(parsed))

    def parse(
        self, feed: Feed, body: bytes, url: str | None = None, content_type: str | None = None
    ) -> ParsedFeed:
        """parse_feed with what the feed's last ingested body left: its unchanged items are
        not parsed again. Relative links resolve against `url` (default: the feed's URL).
        NotAFeedError goes up."""
        last = self._last_bodies.get(feed.url)
        base = feed.url if url is None else url
        return parse_feed(body, url=base, content_type=content_type, last=last)

    async def _take(
        self, feed: Feed, state: FeedState, result: FetchResult, now: datetime
    ) -> PollReport:
        moved_to = self._moved_to(feed, state, result)
        state = replace(state, moved_to=moved_to)
        if result.not_modified or result.body is None:
            self._feed_ok(feed, state, result, now, state.body_hash, new_items=0)
            log.debug("polled feed=%s outcome=not-modified status=%d", feed.name, result.status)
            return PollReport(feed.name, "not-modified")
        body_hash = hashlib.blake2b(result.body, digest_size=16).hexdigest()
        if body_hash == state.body_hash:
            # Many servers ignore conditional GET; an identical body is not parsed again.
            self._feed_ok(feed, state, result, now, body_hash, new_items=0)
            log.debug("polled feed=%s outcome=unchanged", feed.name)
            return PollReport(feed.name, "unchanged")
        parsed, ingest = await self._read(
            feed, result.body, result.url, result.content_type, now, state.backlog_done
        )
        state = replace(state, ttl=parsed.ttl)
        self._feed_ok(feed, state, result, now, body_hash, new_items=ingest.new_items)
        outcome = "new" if state.backlog_done else "backlog"
        log.info(
            "polled feed=%s outcome=%s entries=%d new_items=%d new_alerts=%d updated_alerts=%d",
            feed.name,
            outcome,
            _entries(parsed),
            ingest.new_items,
            ingest.new_alerts,
            ingest.updated_alerts,
        )
        return PollReport(feed.name, outcome, ingest, entries=_entries(parsed))

    async def _read(
        self,
        feed: Feed,
        body: bytes,
        url: str,
        content_type: str | None,
        now: datetime,
        alert: bool,
    ) -> tuple[ParsedFeed, IngestReport]:
        """parse -> normalize -> ingest; NotAFeedError (an HTML page, an empty body) goes up.

        Parsing and normalizing are pure and can take seconds on a big body (feedparser reads
        ~1 MB/s): they run in a worker thread, so the loop keeps polling, delivering and
        pinging the watchdog meanwhile. Their cost is bounded by the body cap ([fetch]
        max_bytes) and by parse.py refusing entity declarations, whose expansion is not.
        """
        parsed = await asyncio.to_thread(self.parse, feed, body, url, content_type)
        if parsed.bozo:
            # Malformed, but feedparser recovered entries: they are used (a real feed's
            # stray "&" must not hide its news).
            log.info("feed malformed but usable feed=%s error=%s", feed.name, parsed.bozo_message)
        items, prints = await asyncio.to_thread(self._fresh_items, feed, parsed, now)
        ingest = await self.ingest_in_steps(feed, items, now, alert=alert)
        self._remember(feed, parsed, prints)
        return parsed, ingest

    def _ingest_parsed(
        self, feed: Feed, parsed: ParsedFeed, now: datetime, alert: bool
    ) -> IngestReport:
        """normalize -> ingest, on the caller's thread (replay)."""
        items, prints = self._fresh_items(feed, parsed, now)
        ingest = self.ingest(items, now, alert=alert, max_age=feed.max_age)
        self._remember(feed, parsed, prints)
        return ingest

    def _fresh_items(
        self, feed: Feed, parsed: ParsedFeed, now: datetime
    ) -> tuple[list[Item], array[int]]:
        """The entries not exactly as the feed's last body held them, normalized; and the
        fingerprints of all, to remember once they are ingested. Pure: runs in a thread.

        A changed body mostly repeats the last one's entries; those were ingested then, so
        they are not normalized and looked up again (~30 µs each). The memory is a sorted
        array of 8-byte fingerprints per feed, lost on restart (then every entry is looked at).
        (Most repeated items never get here: `parse` leaves out the item elements the last
        body held byte for byte. What is remembered for that is kept only once the body's
        items are in the store.)
        """
        prints = [hash(entry) for entry in parsed.entries]
        before = self._last_entries.get(feed.url)
        if before is not None:
            fresh = tuple(e for e, h in zip(parsed.entries, prints, strict=True)
                          if not _holds(before, h))  # fmt: skip
            parsed = replace(parsed, entries=fresh)
        return normalize_feed(parsed, feed=feed, fetched_at=now), array("q", sorted(set(prints)))

    def _remember(self, feed: Feed, parsed: ParsedFeed, prints: array[int]) -> None:
        """What the next body of the feed need not parse or look up again (it is stored)."""
        self._last_entries[feed.url] = prints
        if parsed.prints is None:
            self._last_bodies.pop(feed.url, None)
        else:
            self._last_bodies[feed.url] = parsed.prints

    def _moved_to(self, feed: Feed, state: FeedState, result: FetchResult) -> str | None:
        target = result.permanent_redirect
        if target is None or target == state.moved_to:
            return state.moved_to
        log.warning(
            "feed moved permanently feed=%s url=%s from=%s to=%s (polls follow it; "
            "update config.toml to make it the feed's address)",
            feed.name,
            redact(feed.url),
            redact(state.moved_to or feed.url),
            target,
        )
        return None if target == without_credentials(feed.url) else target

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

    # -- ingest: stories, rules, outbox --------------------------------------------------------

    def ingest(
        self,
        items: Sequence[Item],
        now: datetime,
        *,
        alert: bool,
        max_age: timedelta | None = None,
    ) -> IngestReport:
        """Store new items, join them to stories and fill the outbox; all in one transaction.

        With alert=False (a feed's first poll) items are stored and grouped but not matched:
        a desk does not want yesterday's backlog. Nor does it want an item that is new to the
        feed but was published longer than `max_age` before `now` (an archive page resurfacing,
        an old post re-dated by nobody): it is stored and grouped, never matched. Items go in
        the order they were published (a feed lists its newest first): after downtime, the
        alerts that piled up are queued oldest first, and a story starts from its earliest
        report. More than `burst_limit` new alerts from one feed for a channel fold into one
        message (store/bursts.py). Items are stored as the feed gave them; stories and rules
        see them without their feed's boilerplate, learned first from the whole batch (so a
        new feed's backlog teaches it before its items are grouped).
        """
        tally = _Tally()
        mark = self.index.mark()
        try:
            with self.store.transaction():
                self._ingest_step(self._cleaned(items), now, alert, max_age, tally, settle=True)
                for fold in tally.folds:
                    while moved := self.store.fold_some(fold, now):
                        tally.counts["folded"] += moved
                    self.store.release(fold)
        except BaseException:
            self.index.forget_since(mark)  # as in _ingest_step: the index follows the rollback
            raise
        return tally.report()

    async def ingest_in_steps(
        self, feed: Feed, items: Sequence[Item], now: datetime, *, alert: bool
    ) -> IngestReport:
        """`ingest`, in transactions of INGEST_STEP items with the loop free between them: a
        body of 100,000 items never stalls polls, deliveries or the watchdog for long. The
        poll's new alerts stay open until the last step settles them, so a burst is told as
        one message, never in pieces (a crash between steps is settled at start-up)."""
        ordered = sorted(items, key=_published)
        # Boilerplate is learned from the whole body before any of it is grouped (of a big
        # body, only its last items are looked at); each step's items are cleaned with it.
        one_step = len(ordered) <= INGEST_STEP
        if not one_step:
            self.boilerplate.learn(ordered)
        tally = _Tally({feed.url: feed.name})
        for start in range(0, len(ordered), INGEST_STEP):
            chunk = ordered[start : start + INGEST_STEP]
            step = list(zip(chunk, self.boilerplate.take(chunk, learn=one_step), strict=True))
            last = start + INGEST_STEP >= len(ordered)
            self._ingest_step(step, now, alert, feed.max_age, tally, settle=last)
            if not last:
                await asyncio.sleep(0)
        for fold in tally.folds:  # a burst's rows marked shown by its message, a batch a time
            while True:
                with self.store.transaction():
                    moved = self.store.fold_some(fold, now)
                    if not moved:
                        self.store.release(fold)
                tally.counts["folded"] += moved
                if not moved:
                    break
                await asyncio.sleep(0)
        return tally.report()

    def _cleaned(self, items: Sequence[Item]) -> list[tuple[Item, Item]]:
        """Items in the order they were published, each with its copy without the feed's
        boilerplate, learned first from the whole batch. (What the learner takes in stays on
        a rollback: it counts texts by item key, so a retried poll's are not counted twice.)"""
        ordered = sorted(items, key=_published)
        return list(zip(ordered, self.boilerplate.take(ordered), strict=True))

    def _ingest_step(
        self,
        pairs: Sequence[tuple[Item, Item]],
        now: datetime,
        alert: bool,
        max_age: timedelta | None,
        tally: _Tally,
        *,
        settle: bool,
    ) -> None:
        """Store each item of `pairs` (item, cleaned item) in one transaction."""
        oldest = None if max_age is None else now - max_age
        mark = self.index.mark()
        try:
            with self.store.transaction():
                for item, clean in pairs:
                    too_old = oldest is not None and item.published < oldest
                    tally.feeds.setdefault(item.feed_url, item.feed_name)
                    tally.add(self._ingest_one(item, clean, now, alert, too_old))
                if settle:
                    for url, name in tally.feeds.items():
                        tally.folds += self.store.settle_poll(url, name, self.burst_limit, now)
        except BaseException:
            # Rolled back (a full disk, say): the index forgets what it learnt meanwhile, or
            # it would join the next items to stories that were never stored.
            self.index.forget_since(mark)
            raise

    def _ingest_one(
        self, item: Item, clean: Item, now: datetime, alert: bool, too_old: bool
    ) -> ItemResult:
        """Store `item`; group and match `clean` (the same item without its boilerplate)."""
        known_hash = self.store.item_hash(item.key)
        if known_hash is not None:
            return self._edited(item, clean, known_hash, now, alert and not too_old)
        if self.store.link_seen(item.link):
            return ItemResult()  # the same article under another feed or guid
        decision = self.index.decide(clean)
        story_id = decision.story_id
        fresh = story_id is None
        # What the desk was shown of the story before this report, to tell a development.
        alerting = alert and not too_old
        shown = self.store.shown_alerts(story_id) if alerting and story_id is not None else []
        if story_id is None:
            story_id = self.store.new_story(item.title, item.published)
        self.store.add_item(item, story_id, decision.tier, decision.score, now, fresh_story=fresh)
        self.index.add(clean, story_id)
        # A new source for a story: every channel already showing it gets an edit.
        updated = self.store.bump_story(story_id, now) if decision.tier is not Tier.NEW else 0
        result = ItemResult(new=True, new_story=fresh, updated=updated)
        if alert and too_old:
            return replace(result, too_old=True)
        return self._matched(result, clean, story_id, shown, now) if alert else result

    def _edited(
        self, item: Item, clean: Item, known_hash: str, now: datetime, alerting: bool
    ) -> ItemResult:
        """An item already stored. The same guid with an edited title or text: refresh it and
        edit any message already showing its story; never a second alert."""
        if not known_hash or known_hash == item.content_hash:
            return ItemResult()
        story_id = self.store.update_item_text(item)
        if story_id is None:
            return ItemResult(edited=True)
        shown = self.store.shown_alerts(story_id) if alerting else []
        result = ItemResult(edited=True, updated=self.store.bump_story(story_id, now))
        return self._matched(result, clean, story_id, shown, now) if alerting else result

    def _matched(
        self,
        result: ItemResult,
        item: Item,
        story_id: int,
        shown: Sequence[ShownAlert],
        now: datetime,
    ) -> ItemResult:
        """`result` with what matching the item brought: its rules, alerts and follow-ups."""
        matches, alerts = self._match(item, story_id, now)
        followups = self._follow_up(item, shown, matches, now)
        rules = tuple(match.rule for match in matches)
        return replace(result, rules=rules, alerts=alerts, followups=followups)

    def _match(
        self, item: Item, story_id: int, now: datetime, in_poll: bool = True
    ) -> tuple[tuple[Match, ...], int]:
        """The item's matches, recorded, and how many outbox rows they queued."""
        sources = self.store.story_sources(story_id) if self.rules.counts_sources else 1
        matches = self.rules.match(document(item, sources))
        alerts = 0
        for match in matches:
            self.store.add_match(story_id, match.rule, match.terms, now)
            for channel in match.channels:
                if self.store.want_delivery(
                    story_id,
                    channel,
                    (match.rule,),
                    match.terms,
                    match.priority,
                    now,
                    hold=open_ref(item.feed_url) if in_poll else None,
                ):
                    alerts += 1
        return matches, alerts

    # -- the desk's corrections (issue 15) ------------------------------------------------------

    def split(
        self, story_id: int, now: datetime, *, also: Callable[[], object] | None = None
    ) -> SplitReport | None:
        """"Not the same story": the story's most recently joined item becomes a story of its
        own. Every alert of the old story is edited back, the item is matched again on its own
        (and alerts if a rule wants it), and the pair is kept as a negative example. `also`
        runs in the same transaction (the chat poller confirms the press there). None when
        the story has a single item."""
        with self.store.transaction():
            found = self.store.split_latest(story_id)
            if found is None:
                if also is not None:
                    also()
                return None
            item, kept, new_id = found
            edits = self.store.bump_story(story_id, now)
            self.store.add_split_pair(kept, item.key, now)
            _, alerts = self._match(self.boilerplate.clean(item), new_id, now, in_poll=False)
            if also is not None:
                also()
        self.index.move(item, story_id, new_id)  # after the commit: the index follows the rows
        log.info(
            "story split story=%d item=%s new_story=%d edits=%d alerts=%d",
            story_id, item.key, new_id, edits, alerts,
        )  # fmt: skip
        return SplitReport(new_id, item.key, kept, edits, alerts)

    def _follow_up(
        self,
        item: Item,
        shown: Sequence[ShownAlert],
        matches: Sequence[Match],
        now: datetime,
    ) -> int:
        """Queue a reply to each alert of the story for which this report is a development;
        how many were queued."""
        queued = 0
        for alert in shown:
            development = developments.decide(
                title=item.title,
                text=item.summary,
                new_rules=[m.rule for m in matches
                           if alert.channel in m.channels and m.rule not in alert.rules],
                known=alert.known,
                alerted_at=alert.alerted_at,
                now=now,
            )  # fmt: skip
            if development is None:
                continue
            self.store.add_followup(alert.delivery_id, item.key, development, now)
            queued += 1
            log.info(
                "development channel=%s item=%s rules=%s news=%s",
                alert.channel,
                item.key,
                ",".join(development.rules) or "-",
                ",".join(development.news) or "-",
            )
        return queued


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What ingesting one item did, for the poll's report."""

    new: bool = False  # stored as a new item
    edited: bool = False  # a stored item whose title or text changed
    new_story: bool = False  # it started a story
    too_old: bool = False  # older than the feed's max_age: stored, grouped, not matched
    updated: int = 0  # messages already showing its story, now due for an edit
    rules: tuple[str, ...] = ()  # the rule of each of its matches
    alerts: int = 0  # outbox rows its matches queued
    followups: int = 0  # replies queued for alerts it is a development of


_COUNTS = ("new", "edited", "stories", "matches", "alerts", "updated", "too_old", "followups",
           "folded")  # fmt: skip


@dataclass
class _Tally:
    """What an ingest did so far (over all its steps): counts, matched rules, its feeds."""

    feeds: dict[str, str] = field(default_factory=dict)  # url -> name
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0))
    rules: list[str] = field(default_factory=list)
    folds: list[Fold] = field(default_factory=list)  # bursts decided, their rows to fold

    def add(self, result: ItemResult) -> None:
        c = self.counts
        c["new"] += result.new
        c["edited"] += result.edited
        c["stories"] += result.new_story
        c["too_old"] += result.too_old
        c["updated"] += result.updated
        c["matches"] += len(result.rules)
        c["alerts"] += result.alerts
        c["followups"] += result.followups
        self.rules.extend(result.rules)

    def report(self) -> IngestReport:
        c = self.counts
        return IngestReport(
            c["new"],
            c["edited"],
            c["stories"],
            c["matches"],
            c["alerts"],
            c["updated"],
            c["too_old"],
            tuple(self.rules),
            c["followups"],
            c["folded"],
        )


def _published(item: Item) -> datetime:
    return item.published


def _entries(parsed: ParsedFeed) -> int:
    """How many entries the body held: those parsed and those left unparsed as unchanged."""
    return len(parsed.entries) + parsed.unchanged


def _holds(fingerprints: array[int], value: int) -> bool:
    at = bisect_left(fingerprints, value)
    return at < len(fingerprints) and fingerprints[at] == value
