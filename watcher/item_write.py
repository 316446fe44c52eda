"""One item written: a new or edited item stored in its story, its matches queued into the
outbox, its follow-ups queued as replies; and the desk's "not the same story", which writes one
item out of its story again (or undoes a merge).

Decide, then write (STYLE.md 12): for each item `ItemWriter.write` reads what the store knows
(is the key or link known; the story's shown alerts and feeds), asks item_policy.py what that
means (pure), and writes the decision it returns, teaching the story index what it stored.
It runs inside a transaction ingest.py holds: ingest.py orders a poll's items, takes each on
its feed's terms and keeps the index in step with a rollback. `split` holds its own
transaction and moves the index after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from watcher import item_policy
from watcher.boilerplate import Boilerplate
from watcher.item_policy import NO_FACTS, Matching, NewItem, Reply, StoryFacts
from watcher.model import Item
from watcher.normalize import link_key
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.store.bursts import open_ref
from watcher.stories import StoryIndex

log = logging.getLogger("watcher.pipeline")


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
    unalerted: tuple[str, ...] = ()  # feeds whose new alert of this poll its merge folded


@dataclass(frozen=True, slots=True)
class SplitReport:
    """What a desk's "not the same story" did (ItemWriter.split)."""

    new_story: int
    moved: str  # the item split out
    kept: str  # the story's first item, the other half of the negative pair
    edits: int  # alerts of the old story to be edited back
    alerts: int  # new alerts of the split item's own story
    merge_undone: bool = False  # a merge was undone: new_story is the younger story again


class ItemWriter:
    """Writes one item at a time, and the desk's split; `rules` is replaced whole on reload."""

    def __init__(
        self, *, store: Store, index: StoryIndex, rules: RuleSet, boilerplate: Boilerplate
    ) -> None:
        self.store = store
        self.index = index
        self.rules = rules
        self.boilerplate = boilerplate  # each feed's recurring text, left out of what is grouped

    # -- one item: read, decide (item_policy.py), write ---------------------------------------

    def write(
        self, item: Item, clean: Item, now: datetime, alert: bool, too_old: bool
    ) -> ItemResult:
        """Store `item`; group and match `clean` (the same item without its boilerplate)."""
        known_hash = self.store.item_hash(item.key, item.feed_url)
        if known_hash is not None:
            return self._edited(item, clean, known_hash, now, alert and not too_old)
        folded = link_key(item.link)  # once: link_key_seen, then add_item
        if self.store.link_key_seen(folded):
            return ItemResult()  # the same article under another feed or guid
        join = self.index.decide(clean)
        # What the desk was shown of the story before this report, to tell a development.
        alerting = alert and not too_old
        facts = self._facts(join.story_id) if alerting else NO_FACTS
        decision = item_policy.new_item(
            clean, join, facts, self.rules, now, alert=alert, too_old=too_old
        )
        return self._write_new(item, clean, decision, now, folded)

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

    def _write_new(
        self, item: Item, clean: Item, decision: NewItem, now: datetime, folded: str
    ) -> ItemResult:
        """Store the new item in its story (made here when it is a story of its own), teach
        the index, and write what matching it decided. `folded`: its link's link_key."""
        join = decision.join
        fresh = join.story_id is None
        story_id = join.story_id
        if story_id is None:
            story_id = self.store.new_story(item.title, item.published)
        merge = self._mergeable(story_id, join.merge, now) if join.merge else ()
        unalerted: tuple[str, ...] = ()
        if merge:  # the item shows younger stories to be this one: they fold into it
            unalerted = self.store.merge_stories(story_id, merge, now)
            for other in merge:  # undone by forget_since if the transaction fails
                self.index.merge(other, story_id)
            log.info(
                "stories merged story=%d merged=%s item=%s",
                story_id, ",".join(map(str, merge)), item.key,
            )  # fmt: skip
        self.store.add_item(
            item, story_id, join.tier, join.score, now, fresh_story=fresh, folded=folded
        )
        self.index.add(clean, story_id)
        # A new source for a story: every channel already showing it gets an edit.
        updated = self.store.bump_story(story_id, now) if decision.bump else 0
        result = ItemResult(
            new=True, new_story=fresh, too_old=decision.too_old, updated=updated,
            unalerted=unalerted,
        )  # fmt: skip
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
