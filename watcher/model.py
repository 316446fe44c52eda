"""Typed values every pipeline stage shares.

Everything here is a frozen, slotted dataclass holding plain values: aware UTC datetimes,
tuples rather than lists. Nothing in this module does I/O. The stages:

    Feed --fetch--> FetchResult --parse--> ParsedFeed --normalize--> Item
    Item --stories--> StoryDecision --rules--> Match --outbox--> Delivery
    Delivery --delivery--> Alert --render (in the channel)--> the chat's text
    (a development of an alerted story: --developments--> FollowUp --render--> a reply)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

DEFAULT_MAX_AGE = timedelta(days=2)  # [defaults] max_age


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed the desk follows, as configured."""

    url: str
    name: str
    interval: timedelta
    # An item first seen already older than this (by its own date) is stored, never alerted.
    max_age: timedelta = DEFAULT_MAX_AGE


@dataclass(frozen=True, slots=True)
class FeedState:
    """What watcher remembers about a feed between polls (one row of the feeds table)."""

    url: str
    name: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_poll: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    next_poll: datetime | None = None
    backlog_done: bool = False  # the first successful poll stores items without alerting
    moved_to: str | None = None  # where a permanent redirect sent it; polls go there
    disabled_at: datetime | None = None  # 410 Gone: not polled until re-enabled
    disabled_reason: str | None = None
    failing_since: datetime | None = None  # the first of the current run of failed polls
    noticed_at: datetime | None = None  # an admin notice about it is out (failing or gone)
    ttl: timedelta | None = None  # the feed's own <ttl>, still a hint when it answers 304
    last_new_at: datetime | None = None  # the last poll that brought a new item
    new_gaps: tuple[int, ...] = ()  # seconds between the last polls that brought new items
    stale_since: datetime | None = None  # answering, but no new item for far too long


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One HTTP answer for one feed, already interpreted (no exceptions for 304)."""

    url: str  # the URL finally answered, after redirects
    status: int
    body: bytes | None  # None when not modified
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    permanent_redirect: str | None = None  # new URL when a 301/308 was followed
    max_age: timedelta | None = None  # from Cache-Control max-age / Expires
    elapsed: timedelta = timedelta(0)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One entry as feedparser saw it: raw strings, nothing cleaned yet."""

    guid: str | None
    link: str | None
    title: str | None  # may contain HTML or entities
    summary: str | None  # HTML
    content: str | None  # HTML of the fullest content block, if any
    published: datetime | None  # aware UTC, if the feed gave one we could read
    updated: datetime | None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class BodyPrints:
    """What is remembered of a feed body to skip its unchanged items next time (unchanged.py):
    a hash of the markup around the items, and a hash of each item element's bytes."""

    context: int
    items: frozenset[int]


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    entries: tuple[ParsedEntry, ...]
    bozo: bool = False  # the document was malformed (entries may still be usable)
    bozo_message: str | None = None
    ttl: timedelta | None = None  # RSS <ttl>
    prints: BodyPrints | None = None  # of this body's items, when it could be split into them
    unchanged: int = 0  # items left unparsed: byte for byte in the feed's last body


@dataclass(frozen=True, slots=True)
class Item:
    """A normalized feed entry: plain text, canonical link, aware UTC time, stable key."""

    key: str  # guid, else canonical link, else a content hash; prefixed "guid:", "url:", "hash:"
    feed_url: str
    feed_name: str
    link: str  # canonical URL ("" when the entry had none)
    title: str  # plain text
    summary: str  # plain text body (summary or content, whichever is fuller)
    published: datetime  # aware UTC; the fetch time when the feed gave none
    content_hash: str  # hash of title + summary, to notice an edited entry under the same guid
    guid: str | None = None


class Tier(StrEnum):
    """Why an item joined a story."""

    NEW = "new"  # started the story
    SAME = "same"  # the same item again (key, URL or guid)
    COPY = "copy"  # near-identical text under another URL
    EVENT = "event"  # same event, different words


@dataclass(frozen=True, slots=True)
class StoryDecision:
    """Where a new item goes: an existing story (with tier and score) or a new one."""

    story_id: int | None  # None: start a new story
    tier: Tier
    score: float = 0.0
    # Younger open stories the item shows to be story_id's event (it fits each well, and
    # they fit each other): folded into story_id, the oldest (stories.py, MERGE_BAR).
    merge: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryItem:
    item_key: str
    link: str
    title: str
    feed_name: str
    published: datetime
    tier: Tier
    score: float
    summary: str = ""
    fetched: datetime | None = None  # when watcher stored it (an alert marks the newly added)
    feed_url: str = ""  # its feed, whose boilerplate the alert leaves out of its snippet


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    items: tuple[StoryItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """One rule matching one item."""

    rule: str
    channels: tuple[str, ...]
    terms: tuple[str, ...] = ()  # the words in the text that made it match, for "why did this fire"
    priority: int = 0


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent or edited
    SENT = "sent"  # the channel shows the latest version
    FAILED = "failed"  # permanently refused; kept until an operator retries it


@dataclass(frozen=True, slots=True)
class Delivery:
    """One story on one channel: the outbox row. One message per story per channel.

    `version` counts what the channel should show (bumped when the story gains a source or a
    rule); `sent_version` what it shows. A row with sent_version < version is due.
    """

    id: int
    story_id: int
    channel: str
    rules: tuple[str, ...]
    terms: tuple[str, ...]
    status: DeliveryStatus
    version: int
    sent_version: int
    message_ref: str | None  # Telegram message_id / Slack ts once sent
    attempts: int = 0
    next_attempt: datetime | None = None
    last_error: str | None = None
    priority: int = 0


@dataclass(frozen=True, slots=True)
class ShownAlert:
    """An alert the desk has seen: an outbox row whose story the channel shows in a message of
    its own, and what it told (store/followups.py reads it; item_policy.py decides follow-ups)."""

    delivery_id: int
    channel: str
    rules: tuple[str, ...]
    alerted_at: datetime  # when the alert was raised (the row's creation)
    known: tuple[str, ...]  # what the desk was told: headline, snippet, follow-ups' headlines


@dataclass(frozen=True, slots=True)
class Alert:
    """What a channel renders: a story, why it matched, and where it came from."""

    story: Story
    rules: tuple[str, ...]
    terms: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    # An edit of a message already shown: sources stored at or after this are marked new.
    new_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A development of an alerted story (developments.py), rendered as a reply to its alert:
    the report that is the development, and what it brings."""

    story: Story
    item: StoryItem
    rules: tuple[str, ...] = ()  # rules of the alert's channel the story matches since this report
    news: tuple[str, ...] = ()  # names and figures its headline brings
