"""What one new or edited item means: its story, the rules it matches, the alerts, edits and
follow-ups it asks for. Pure: decides, writes nothing.

Like feed_policy.py for a feed (and lemon24/reader's update "decider"), this turns what is
known before anything of the item is written into a `NewItem` or `EditedItem` decision;
item_write.py reads those facts, asks here, and writes what comes back, in that order:

- The story: the join stories.py's index proposes (a copy, the same event, or a story of its
  own). A new source for a known story asks every channel showing it for an edit (`bump`); so
  does an edited text.
- Matching: not for a feed's first body (its backlog), nor for an item already older than the
  feed's max_age when first seen (`too_old`). Rules see the item without its feed's
  boilerplate, as one report of a story of `sources` feeds (`sources>=N`). Every match asks
  each of its channels for the story (the outbox merges what a channel already has).
- Follow-ups: for each alert the desk has already seen of the story, developments.py says
  whether this report is a development worth a reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from watcher import developments
from watcher.developments import Development
from watcher.model import Item, Match, ShownAlert, StoryDecision, Tier
from watcher.query import Document
from watcher.rulebook import RuleSet


def document(item: Item, sources: int = 1) -> Document:
    """What a rule sees of one item; `sources`: distinct feeds of its story (`sources>=N`)."""
    return Document(
        title=item.title,
        summary=item.summary,
        source=item.feed_name,
        url=item.link,
        sources=sources,
    )


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """What the store says of the story an item joins, read before the item is written."""

    shown: tuple[ShownAlert, ...] = ()  # its alerts the desk has seen, with what they told
    feeds: frozenset[str] = frozenset()  # the feeds that reported it (read when rules count them)


NO_FACTS = StoryFacts()  # a story of its own, or an item that is not matched


@dataclass(frozen=True, slots=True)
class Reply:
    """A follow-up to queue: the item is a development of `alert`, told as a reply to it."""

    alert: ShownAlert
    development: Development


@dataclass(frozen=True, slots=True)
class Matching:
    """What matching an item decided: its rules' matches (each asks its channels for the
    story) and the follow-ups to queue."""

    matches: tuple[Match, ...] = ()
    followups: tuple[Reply, ...] = ()


@dataclass(frozen=True, slots=True)
class NewItem:
    """What to write for a new item."""

    join: StoryDecision  # the story it joins (story_id None: a story of its own, made from it)
    bump: bool  # a new source for a story: every channel already showing it gets an edit
    too_old: bool = False  # older than the feed's max_age: stored and grouped, not matched
    matching: Matching = Matching()


@dataclass(frozen=True, slots=True)
class EditedItem:
    """What to write for a stored item whose title or text changed (the text is refreshed)."""

    bump: bool = True  # every channel already showing its story gets an edit
    matching: Matching = Matching()


def is_edit(item: Item, known_hash: str | None) -> bool:
    """Whether a stored item's entry came back with another title or text. "" is a pruned
    item's remembered key: known, never edited."""
    return bool(known_hash) and known_hash != item.content_hash


def new_item(
    item: Item,
    join: StoryDecision,
    facts: StoryFacts,
    rules: RuleSet,
    now: datetime,
    *,
    alert: bool,
    too_old: bool,
) -> NewItem:
    """A new item (`item` without its boilerplate) joining `join`'s story."""
    bump = join.tier is not Tier.NEW
    if not alert:
        return NewItem(join, bump)
    if too_old:
        return NewItem(join, bump, too_old=True)
    return NewItem(join, bump, matching=matching(item, facts, rules, now))


def edited_item(
    item: Item, facts: StoryFacts, rules: RuleSet, now: datetime, *, alerting: bool
) -> EditedItem:
    """A stored item's new title or text: its story's messages are edited; never a second
    alert, but the new text is matched (a rule it now meets, a development)."""
    return EditedItem(matching=matching(item, facts, rules, now) if alerting else Matching())


def matching(item: Item, facts: StoryFacts, rules: RuleSet, now: datetime) -> Matching:
    """The rules `item` matches as a report of its story, and the follow-ups it makes."""
    sources = len(facts.feeds | {item.feed_url}) if rules.counts_sources else 1
    matches = rules.match(document(item, sources))
    replies = (_follow_up(item, alert, matches, now) for alert in facts.shown)
    return Matching(matches, tuple(reply for reply in replies if reply is not None))


def _follow_up(
    item: Item, alert: ShownAlert, matches: Sequence[Match], now: datetime
) -> Reply | None:
    development = developments.decide(
        title=item.title,
        text=item.summary,
        new_rules=[m.rule for m in matches
                   if alert.channel in m.channels and m.rule not in alert.rules],
        known=alert.known,
        alerted_at=alert.alerted_at,
        now=now,
    )  # fmt: skip
    return None if development is None else Reply(alert, development)
