"""Ingest: a poll's new items into the database — each stored in its story, matched, and what
must be shown written into the outbox — in transactions, with the story index kept in step.

This module owns the order and the terms: items go in the order they were published; several
feeds' polls are ingested together (`ingest_batches`, `watcher poll-once`), their items oldest
first across the feeds, each item under its own feed's terms (backlog or not, max_age,
boilerplate, burst tally), in transactions of INGEST_STEP items. Each item itself is written by
item_write.py (read what the store knows, ask item_policy.py, write the decision).
A transaction that fails (a full disk) is rolled back whole, and the in-memory story index
forgets what it learnt since the transaction began (`StoryIndex.mark` / `forget_since`), so it
never offers a story that was not stored. More than `burst_limit` new alerts of one poll for a
channel fold into one message (store/bursts.py). The desk's "not the same story" is handed to
item_write.py too (`split`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from watcher.boilerplate import Boilerplate
from watcher.item_write import ItemResult, ItemWriter, SplitReport
from watcher.model import Feed, Item
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.store.bursts import Fold
from watcher.stories import StoryIndex

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
class Batch:
    """One feed's new items of a poll, to be ingested with other feeds' (`ingest_batches`);
    `alert` is False for the feed's first body (its backlog: stored and grouped, not matched)."""

    feed: Feed
    items: Sequence[Item]
    alert: bool


@dataclass(frozen=True, slots=True)
class _Terms:
    """How one batch's items are taken: matched or not, and the feed's max_age cut-off."""

    alert: bool
    oldest: datetime | None  # published before this: too old to alert


class Ingest:
    """Writes new items, their stories and their alerts; `rules` is replaced whole on reload."""

    def __init__(
        self,
        *,
        store: Store,
        index: StoryIndex,
        rules: RuleSet,
        boilerplate: Boilerplate,
        burst_limit: int = BURST_LIMIT,
    ) -> None:
        self.store = store
        self.index = index
        # Each feed's recurring text (footers, "Read more" lines), left out of what stories
        # and rules see; rebuilt from stored items at start-up like the index (app.py).
        self.boilerplate = boilerplate
        self.burst_limit = burst_limit  # new alerts of one poll for a channel before they fold
        self.writer = ItemWriter(store=store, index=index, rules=rules, boilerplate=boilerplate)
        # Feeds known to hold no open outbox row (store/bursts.py): settled by this process,
        # folds done, and no alert queued since. Their polls need no settling (the look for
        # open rows scans the pending outbox). A feed not yet settled here, or whose poll
        # failed part-way, is settled at its next poll's end, as every feed used to be.
        self._settled: set[str] = set()

    @property
    def rules(self) -> RuleSet:
        """The rules in force (the writer's); replaced whole on reload, never mutated."""
        return self.writer.rules

    @rules.setter
    def rules(self, rules: RuleSet) -> None:
        self.writer.rules = rules

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
                ordered = sorted(items, key=_published)
                cleaned = self.boilerplate.take(ordered)
                step = [(item, clean, 0) for item, clean in zip(ordered, cleaned, strict=True)]
                terms = [_Terms(alert, _oldest(now, max_age))]
                self._ingest_step(step, now, terms, [tally], settle=True, held=True)
                for fold in tally.folds:
                    while moved := self.store.fold_some(fold, now):
                        tally.folded += moved
                    self.store.release(fold)
        except BaseException:
            self.index.forget_since(mark)  # as in _ingest_step: the index follows the rollback
            raise
        self._settled.update(tally.feeds)
        return tally.report()

    async def ingest_in_steps(
        self, feed: Feed, items: Sequence[Item], now: datetime, *, alert: bool
    ) -> IngestReport:
        """`ingest_batches` of one feed's poll."""
        (report,) = await self.ingest_batches([Batch(feed, items, alert)], now)
        return report

    async def ingest_batches(self, batches: Sequence[Batch], now: datetime) -> list[IngestReport]:
        """`ingest` of several feeds' polls at once, in transactions of INGEST_STEP items with
        the loop free between them (a body of 100,000 items never stalls polls, deliveries or
        the watchdog for long); a report per batch.

        All batches' items go in the order they were published (ties: batch order, then the
        order given), so a backlog read from many feeds joins later reports to the earliest
        one whichever feed answered first. Each item is taken on its own feed's terms: its
        batch's `alert`, its feed's max_age, its feed's boilerplate (learned from all of the
        feed's items before any is grouped) and its feed's burst: a feed's new alerts stay
        open until the last step settles them, so a burst is told as one message, never in
        pieces (a crash between steps is settled at start-up).
        """
        merged = sorted(
            ((item, k) for k, batch in enumerate(batches) for item in batch.items),
            key=lambda entry: entry[0].published,
        )
        terms = [_Terms(b.alert, _oldest(now, b.feed.max_age)) for b in batches]
        tallies = [_Tally({b.feed.url: b.feed.name}) for b in batches]
        # Boilerplate is learned from each feed's whole poll before any of it is grouped (of a
        # big body, only its last items are looked at); each step's items are cleaned with it.
        one_step = len(merged) <= INGEST_STEP
        if not one_step:
            self.boilerplate.learn([item for item, _ in merged])
        for start in range(0, len(merged), INGEST_STEP):
            chunk = merged[start : start + INGEST_STEP]
            cleaned = self.boilerplate.take([item for item, _ in chunk], learn=one_step)
            step = [(item, clean, k) for (item, k), clean in zip(chunk, cleaned, strict=True)]
            last = start + INGEST_STEP >= len(merged)
            self._ingest_step(step, now, terms, tallies, settle=last)
            if not last:
                await asyncio.sleep(0)
        for tally in tallies:
            for fold in tally.folds:
                await self._fold(fold, now, tally)
            self._settled.update(tally.feeds)
        return [tally.report() for tally in tallies]

    async def _fold(self, fold: Fold, now: datetime, tally: _Tally) -> None:
        """Mark a burst's rows shown by its message, a batch a transaction, then release it."""
        while True:
            with self.store.transaction():
                moved = self.store.fold_some(fold, now)
                if not moved:
                    self.store.release(fold)
            tally.folded += moved
            if not moved:
                break
            await asyncio.sleep(0)

    def _ingest_step(
        self,
        step: Sequence[tuple[Item, Item, int]],
        now: datetime,
        terms: Sequence[_Terms],
        tallies: Sequence[_Tally],
        *,
        settle: bool,
        held: bool = False,
    ) -> None:
        """Store each item of `step` (item, cleaned item, its batch: the index of its terms
        and tally) in one transaction; `held`: in the caller's (`ingest` holds one for its
        whole batch, which a failure rolls back whole, so the step needs no savepoint of its
        own). `settle`: the poll's last step, which decides each feed's open alerts."""
        mark = self.index.mark()
        try:
            with nullcontext() if held else self.store.transaction():
                for item, clean, k in step:
                    how, tally = terms[k], tallies[k]
                    too_old = how.oldest is not None and item.published < how.oldest
                    tally.feeds.setdefault(item.feed_url, item.feed_name)
                    result = self.writer.write(item, clean, now, how.alert, too_old)
                    if result.alerts:  # open rows (held until the poll settles)
                        self._settled.discard(item.feed_url)
                    tally.add(result)
                    for url in result.unalerted:  # a merge folded a new alert of this poll
                        _untell(tallies, url)
                if settle:
                    for tally in tallies:
                        for url, name in tally.feeds.items():
                            if url not in self._settled:
                                found = self.store.settle_poll(url, name, self.burst_limit, now)
                                tally.folds += found
        except BaseException:
            # Rolled back (a full disk, say): the index forgets what it learnt meanwhile, or
            # it would join the next items to stories that were never stored.
            self.index.forget_since(mark)
            raise

    def split(
        self, story_id: int, now: datetime, *, also: Callable[[], object] | None = None
    ) -> SplitReport | None:
        """ItemWriter.split: the desk's "not the same story"."""
        return self.writer.split(story_id, now, also=also)


@dataclass
class _Tally:
    """What an ingest did so far (over all its steps): counts, matched rules, its feeds."""

    feeds: dict[str, str] = field(default_factory=dict)  # url -> name
    rules: list[str] = field(default_factory=list)
    folds: list[Fold] = field(default_factory=list)  # bursts decided, their rows to fold
    new: int = 0
    edited: int = 0
    stories: int = 0
    too_old: int = 0
    updated: int = 0
    alerts: int = 0
    followups: int = 0
    folded: int = 0

    def add(self, result: ItemResult) -> None:
        self.new += result.new
        self.edited += result.edited
        self.stories += result.new_story
        self.too_old += result.too_old
        self.updated += result.updated
        self.alerts += result.alerts
        self.followups += result.followups
        self.rules.extend(result.rules)

    def report(self) -> IngestReport:
        return IngestReport(
            new_items=self.new,
            edited_items=self.edited,
            new_stories=self.stories,
            matches=len(self.rules),
            new_alerts=self.alerts,
            updated_alerts=self.updated,
            too_old=self.too_old,
            rules=tuple(self.rules),
            followups=self.followups,
            folded=self.folded,
        )


def _untell(tallies: Sequence[_Tally], feed_url: str) -> None:
    """A new alert this poll counted for `feed_url` was folded by a merge before it went out
    (store/stories.merge_stories): it is no new alert of the feed's poll."""
    for tally in tallies:
        if feed_url in tally.feeds and tally.alerts:
            tally.alerts -= 1
            return


def _published(item: Item) -> datetime:
    return item.published


def _oldest(now: datetime, max_age: timedelta | None) -> datetime | None:
    return None if max_age is None else now - max_age
