"""Ingest: a poll's new items into the database — each stored in its story, matched, and what
must be shown written into the outbox — in transactions, with the story index kept in step.

Per item it reads what the store knows (is the key or link known; the story's shown alerts and
feeds), asks item_policy.py what that means (pure), and writes the decision it returns.
A transaction that fails (a full disk) is rolled back whole, and the in-memory story index
forgets what it learnt since the transaction began (`StoryIndex.mark` / `forget_since`), so it
never offers a story that was not stored. More than `burst_limit` new alerts of one poll for a
channel fold into one message (store/bursts.py). Several feeds' polls are ingested together
(`ingest_batches`, `watcher poll-once`): their items oldest first across the feeds, each item
under its own feed's terms (backlog or not, max_age, burst tally). The desk's "not the same
story" is written here too (`split`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from watcher import item_policy
from watcher.boilerplate import Boilerplate
from watcher.item_policy import NO_FACTS, Matching, NewItem, Reply, StoryFacts
from watcher.model import Feed, Item
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.store.bursts import Fold, open_ref
from watcher.stories import StoryIndex

log = logging.getLogger("watcher.pipeline")

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


@dataclass(frozen=True, slots=True)
class SplitReport:
    """What a desk's "not the same story" did (Ingest.split)."""

    new_story: int
    moved: str  # the item split out
    kept: str  # the story's first item, the other half of the negative pair
    edits: int  # alerts of the old story to be edited back
    alerts: int  # new alerts of the split item's own story
    merge_undone: bool = False  # a merge was undone: new_story is the younger story again


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
        self.rules = rules
        # Each feed's recurring text (footers, "Read more" lines), left out of what stories
        # and rules see; rebuilt from stored items at start-up like the index (app.py).
        self.boilerplate = boilerplate
        self.burst_limit = burst_limit  # new alerts of one poll for a channel before they fold

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
                    tally.add(self._ingest_one(item, clean, now, how.alert, too_old))
                if settle:
                    for tally in tallies:
                        for url, name in tally.feeds.items():
                            tally.folds += self.store.settle_poll(url, name, self.burst_limit, now)
        except BaseException:
            # Rolled back (a full disk, say): the index forgets what it learnt meanwhile, or
            # it would join the next items to stories that were never stored.
            self.index.forget_since(mark)
            raise

    # -- one item: read, decide (item_policy.py), write ---------------------------------------

    def _ingest_one(
        self, item: Item, clean: Item, now: datetime, alert: bool, too_old: bool
    ) -> ItemResult:
        """Store `item`; group and match `clean` (the same item without its boilerplate)."""
        known_hash = self.store.item_hash(item.key, item.feed_url)
        if known_hash is not None:
            return self._edited(item, clean, known_hash, now, alert and not too_old)
        if self.store.link_seen(item.link):
            return ItemResult()  # the same article under another feed or guid
        join = self.index.decide(clean)
        # What the desk was shown of the story before this report, to tell a development.
        alerting = alert and not too_old
        facts = self._facts(join.story_id) if alerting else NO_FACTS
        decision = item_policy.new_item(
            clean, join, facts, self.rules, now, alert=alert, too_old=too_old
        )
        return self._write_new(item, clean, decision, now)

    def _edited(
        self, item: Item, clean: Item, known_hash: str, now: datetime, alerting: bool
    ) -> ItemResult:
        """An item already stored. The same guid with an edited title or text: refresh it and
        edit any message already showing its story; never a second alert. (The text is
        refreshed first: what the desk is told of the story from now on is the new text.)"""
        if not item_policy.is_edit(item, known_hash):
            return ItemResult()
        story_id = self.store.update_item_text(item)
        if story_id is None:
            return ItemResult(edited=True)
        facts = self._facts(story_id) if alerting else NO_FACTS
        decision = item_policy.edited_item(clean, facts, self.rules, now, alerting=alerting)
        updated = self.store.bump_story(story_id, now) if decision.bump else 0
        result = ItemResult(edited=True, updated=updated)
        return self._write_matching(result, item, story_id, decision.matching, now)

    def _facts(self, story_id: int | None) -> StoryFacts:
        """What item_policy needs to know of the story before the item is written."""
        if story_id is None:
            return NO_FACTS
        shown = tuple(self.store.shown_alerts(story_id, self.boilerplate.text_without))
        feeds = self.store.story_feeds(story_id) if self.rules.counts_sources else frozenset()
        return StoryFacts(shown, feeds)

    def _write_new(self, item: Item, clean: Item, decision: NewItem, now: datetime) -> ItemResult:
        """Store the new item in its story (made here when it is a story of its own), teach
        the index, and write what matching it decided."""
        join = decision.join
        fresh = join.story_id is None
        story_id = join.story_id
        if story_id is None:
            story_id = self.store.new_story(item.title, item.published)
        merge = self._mergeable(story_id, join.merge, now) if join.merge else ()
        if merge:  # the item shows younger stories to be this one: they fold into it
            self.store.merge_stories(story_id, merge, now)
            for other in merge:  # undone by forget_since if the transaction fails
                self.index.merge(other, story_id)
            log.info(
                "stories merged story=%d merged=%s item=%s",
                story_id, ",".join(map(str, merge)), item.key,
            )  # fmt: skip
        self.store.add_item(item, story_id, join.tier, join.score, now, fresh_story=fresh)
        self.index.add(clean, story_id)
        # A new source for a story: every channel already showing it gets an edit.
        updated = self.store.bump_story(story_id, now) if decision.bump else 0
        result = ItemResult(new=True, new_story=fresh, too_old=decision.too_old, updated=updated)
        return self._write_matching(result, item, story_id, decision.matching, now)

    def _mergeable(self, story_id: int, others: Sequence[int], now: datetime) -> tuple[int, ...]:
        """The stories of `others` that may fold into `story_id`: none while the desk has
        either muted on a channel. A merge would carry a story's silence onto reports the
        desk did not mute, or lift it from the ones it did; the item joins `story_id` alone."""
        muted = {m.target for m in self.store.live_mutes(now) if m.kind == "story"}
        if str(story_id) in muted:
            return ()
        return tuple(other for other in others if str(other) not in muted)

    def _write_matching(
        self, result: ItemResult, item: Item, story_id: int, found: Matching, now: datetime
    ) -> ItemResult:
        """`result` with what matching the item brought: its rules, alerts and follow-ups."""
        if not found.matches and not found.followups:
            return result
        alerts = self._queue(story_id, found, now, hold=open_ref(item.feed_url))
        followups = self._reply(item, found.followups, now)
        rules = tuple(match.rule for match in found.matches)
        return replace(result, rules=rules, alerts=alerts, followups=followups)

    def _queue(self, story_id: int, found: Matching, now: datetime, hold: str | None) -> int:
        """Record the matches and ask each match's channels for the story; how many outbox
        rows that made. `hold`: new rows stay open until the poll settles (store/bursts.py)."""
        alerts = 0
        for match in found.matches:
            self.store.add_match(story_id, match.rule, match.terms, now)
            for channel in match.channels:
                if self.store.want_delivery(
                    story_id, channel, (match.rule,), match.terms, match.priority, now, hold=hold
                ):
                    alerts += 1
        return alerts

    def _reply(self, item: Item, followups: Sequence[Reply], now: datetime) -> int:
        """Queue a reply to each alert the item is a development of; how many."""
        for followup in followups:
            alert, development = followup.alert, followup.development
            self.store.add_followup(alert.delivery_id, item.key, development, now)
            log.info(
                "development channel=%s item=%s rules=%s news=%s",
                alert.channel,
                item.key,
                ",".join(development.rules) or "-",
                ",".join(development.news) or "-",
            )
        return len(followups)

    # -- the desk's corrections (issue 15) ------------------------------------------------------

    def split(
        self, story_id: int, now: datetime, *, also: Callable[[], object] | None = None
    ) -> SplitReport | None:
        """ "Not the same story": the story's most recently joined item becomes a story of its
        own. Every alert of the old story is edited back, the item is matched again on its own
        (and alerts if a rule wants it), and the pair is kept as a negative example. When the
        story's latest change was a merge (nothing joined it since), the merge is undone
        instead: the younger story's items and alerts go back to it (`_unmerge`). `also` runs
        in the same transaction (the chat poller confirms the press there). None when the
        story has a single item."""
        done: tuple[SplitReport, list[Item]] | None
        with self.store.transaction():
            undone = self.store.unmerge_latest(story_id)
            if undone is not None:
                done = self._unmerge(story_id, undone, now)
            else:
                done = self._split_latest(story_id, now)
            if also is not None:
                also()
        if done is None:
            return None
        report, moved = done
        for item in moved:  # after the commit: the index follows the rows
            self.index.move(self.boilerplate.clean(item), story_id, report.new_story)
        log.info(
            "story split story=%d item=%s new_story=%d edits=%d alerts=%d merge_undone=%s",
            story_id, report.moved, report.new_story, report.edits, report.alerts,
            report.merge_undone,
        )  # fmt: skip
        return report

    def _split_latest(
        self, story_id: int, now: datetime
    ) -> tuple[SplitReport, list[Item]] | None:
        """The story's most recently joined item made a story of its own (see split)."""
        found = self.store.split_latest(story_id)
        if found is None:
            return None
        item, kept, new_id = found
        edits = self.store.bump_story(story_id, now)
        self.store.add_split_pair(kept, item.key, now)
        clean = self.boilerplate.clean(item)
        matched = item_policy.matching(clean, NO_FACTS, self.rules, now)
        alerts = self._queue(new_id, matched, now, hold=None)
        return SplitReport(new_id, item.key, kept, edits, alerts), [item]

    def _unmerge(
        self, story_id: int, undone: tuple[list[Item], str, int], now: datetime
    ) -> tuple[SplitReport, list[Item]]:
        """The merge undone (store.unmerge_latest) and kept as a negative pair: the two
        stories' first items. Both stories' alerts are edited."""
        items, kept, old_id = undone
        edits = self.store.bump_story(story_id, now) + self.store.bump_story(old_id, now)
        moved = items[0].key if items else ""
        if moved:
            self.store.add_split_pair(kept, moved, now)
        return SplitReport(old_id, moved, kept, edits, 0, merge_undone=True), items


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


def _published(item: Item) -> datetime:
    return item.published


def _oldest(now: datetime, max_age: timedelta | None) -> datetime | None:
    return None if max_age is None else now - max_age
