"""SQLite state through sqlite-utils: feeds, items, stories, rule matches and the outbox.

The database runs in WAL mode so `watcher stories` and `watcher status` can read while the service
writes. The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a database
from version n to n+1 and an upgrade never drops data.

Layout. `Store` (here) owns feeds, items, stories and matches, and takes the rest from mixins:

    outbox.py       the deliveries table: one row per story and channel        (OutboxMixin)
    desk.py         channel state, recent sends, incidents and admin notices   (DeskMixin)
    followups.py    developments sent as replies to their alert                (FollowUpMixin)
    bursts.py       many new stories from one feed in one poll, told as one    (BurstMixin)
    talk.py         mutes, chat bot offsets, labelled story pairs (issue 15)   (TalkMixin)

Functions over a connection, for what runs without a Store (status, db commands, the lock):

    state.py        the service's record of itself, and the outbox per channel
    maintenance.py  backup, integrity check, the retention prune
    damage.py       a corrupt or lost database told apart, with what to do
    lock.py         one process at a time polls and delivers from a database
    feeds.py        a feeds row <-> FeedState (shared by Store and state.py)
    schema.py       the migrations;  timestamps.py  how datetimes are stored
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from watcher.errors import StorageError, StoreError
from watcher.model import (
    FeedState,
    Item,
    Story,
    StoryItem,
    Tier,
)
from watcher.normalize import link_key
from watcher.store.bursts import BurstMixin
from watcher.store.damage import check_not_lost, damaged, is_damaged, marker_path, write_marker
from watcher.store.feeds import feed_row, state_of
from watcher.store.followups import FollowUpMixin
from watcher.store.outbox import OutboxMixin
from watcher.store.schema import BACKFILLS, MIGRATIONS, SCHEMA_VERSION
from watcher.store.talk import TalkMixin
from watcher.store.timestamps import dt_required as _dt
from watcher.store.timestamps import ts


@contextmanager
def storage_errors() -> Iterator[None]:
    """Translate what SQLite says when it cannot write ("database or disk is full", "disk I/O
    error", "database is locked") into StorageError, for the service to pause and retry."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise StorageError(f"SQLite: {exc}") from exc


PROBE_KEY = "storage_probe"  # a service_state row that only the write probe uses


class Store(OutboxMixin, FollowUpMixin, BurstMixin, TalkMixin):
    """All reads and writes of watcher's database. One instance per thread."""

    def __init__(self, path: Path | str, *, new_database: bool = False) -> None:
        """Open (or create) the database. An empty or missing one that held history is refused
        unless `new_database` (store/damage.py); a corrupt one is DatabaseDamagedError."""
        self.path = Path(path)
        check_not_lost(self.path, new_database=new_database)
        try:
            self.db = sqlite_utils.Database(str(self.path))
            self.db.execute("PRAGMA busy_timeout = 5000")
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            if is_damaged(exc):
                raise damaged(exc, self.path) from exc
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        self._marked = marker_path(self.path).exists()  # see save_feed_state

    def close(self) -> None:
        self.db.close()

    def checkpoint(self) -> None:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- schema ------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this watcher "
                f"({SCHEMA_VERSION}): upgrade watcher or restore a backup"
            )
        for version in range(current, SCHEMA_VERSION):
            with self.db.atomic():
                for statement in _statements(MIGRATIONS[version]):
                    self.db.execute(statement)
                backfill = BACKFILLS.get(version)
                if backfill is not None:
                    backfill(self.db)
                self.db.execute(f"PRAGMA user_version = {version + 1}")

    def probe_write(self, size: int) -> None:
        """Write `size` bytes and take them away again, each committed: StorageError while the
        disk (or `max_page_count`) leaves no room for that much."""
        with storage_errors():
            self.db.execute(
                "INSERT INTO service_state (key, value, updated_at) VALUES (?, ?, '') "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [PROBE_KEY, "x" * size],
            )
            self.db.execute("DELETE FROM service_state WHERE key = ?", [PROBE_KEY])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    # -- feeds -------------------------------------------------------------------------------

    def feed_state(self, url: str, name: str) -> FeedState:
        row = self._one("SELECT * FROM feeds WHERE url = ?", [url])
        if row is None:
            self.db.execute("INSERT OR IGNORE INTO feeds (url, name) VALUES (?, ?)", [url, name])
            return FeedState(url=url, name=name)
        return state_of(row)

    def save_feed_state(self, state: FeedState) -> None:
        # Plain SQL rather than table().upsert(): this runs once per poll, thousands a minute.
        row = feed_row(state)
        self.db.execute(_SAVE_FEED, [row[c] for c in _FEED_COLUMNS])
        if not self._marked:  # a feed has been polled: the database holds history from now on
            write_marker(self.path)
            self._marked = True  # a folder that takes no file is not asked again

    def feed_states(self) -> list[FeedState]:
        return [state_of(r) for r in self._all("SELECT * FROM feeds ORDER BY name")]

    def enable_feed(self, url: str) -> bool:
        """Clear a feed's disabled mark so it is polled at once; False if the feed is unknown.

        Its move is forgotten too (the configured URL is tried again), but not its failing
        record: the next successful poll resolves the admin notice.
        """
        cursor = self.db.execute(
            "UPDATE feeds SET disabled_at = NULL, disabled_reason = NULL, next_poll = NULL, "
            "moved_to = NULL, error_count = 0 WHERE url = ?",
            [url],
        )
        return cursor.rowcount > 0

    def items_per_feed(self, since: datetime, until: datetime) -> dict[str, int]:
        """How many stored items each feed (by URL) published between since and until."""
        rows = self.db.execute(
            "SELECT feed_url, count(*) FROM items WHERE published >= ? AND published <= ? "
            "GROUP BY feed_url",
            [ts(since), ts(until)],
        )
        return {str(url): int(count) for url, count in rows.fetchall()}

    # -- items -------------------------------------------------------------------------------

    def item_hash(self, key: str) -> str | None:
        """The content hash of a stored item, "" for a pruned but remembered key, else None."""
        # One statement, not two: this runs for every entry a poll brings that is not known.
        row = self.db.conn.execute(_ITEM_HASH, [key]).fetchone()
        return None if row is None else str(row[0])

    def link_seen(self, link: str) -> bool:
        """Whether an item with this article's link is stored or remembered, under any variant
        of the link (normalize.link_key: scheme, www., trailing slash, ref=rss, AMP)."""
        key = link_key(link)
        if not key:
            return False
        return self.db.conn.execute(_LINK_SEEN, [key]).fetchone() is not None

    def add_item(
        self,
        item: Item,
        story_id: int,
        tier: Tier,
        score: float,
        now: datetime,
        *,
        fresh_story: bool = False,
    ) -> None:
        """Store a new item in its story. `fresh_story`: the story was just made from this item
        (new_story with its title and time), so the story's last_seen needs no update."""
        # Plain SQL: sqlite-utils' insert() inspects the table on every call (~40 µs an item).
        self.db.execute(
            "INSERT INTO items (key, feed_url, feed_name, link, title, summary, published, "
            "fetched_at, content_hash, guid, story_id, tier, score, link_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item.key, item.feed_url, item.feed_name, item.link, item.title, item.summary,
             ts(item.published), ts(now), item.content_hash, item.guid, story_id, tier.value,
             round(score, 4), link_key(item.link)],
        )  # fmt: skip
        if fresh_story:
            return
        self.db.execute(
            "UPDATE stories SET last_seen = max(last_seen, ?) WHERE id = ?",
            [ts(item.published), story_id],
        )

    def update_item_text(self, item: Item) -> int | None:
        """An edited entry under a known key keeps its story; its text is refreshed. (The
        story's title stays the headline the desk was first shown: an edit that brings news
        is a development, told as a follow-up.)"""
        self.db.execute(
            "UPDATE items SET title = ?, summary = ?, content_hash = ? WHERE key = ?",
            [item.title, item.summary, item.content_hash, item.key],
        )
        row = self.db.execute("SELECT story_id FROM items WHERE key = ?", [item.key]).fetchone()
        return None if row is None else int(row[0])

    def items_since(self, since: datetime) -> Iterator[tuple[Item, int]]:
        """Stored items published at or after `since`, oldest first, with their story id."""
        for row in self.db.query(
            "SELECT * FROM items WHERE published >= ? ORDER BY published, rowid", [ts(since)]
        ):
            yield _item(row), int(row["story_id"])

    def recent_items(self, per_feed: int) -> Iterator[Item]:
        """Each feed's last `per_feed` stored items (in the order stored), oldest first: what
        the boilerplate learner is rebuilt from."""
        for row in self.db.query(
            "SELECT * FROM (SELECT *, row_number() OVER "
            "(PARTITION BY feed_url ORDER BY rowid DESC) AS recent FROM items) "
            "WHERE recent <= ? ORDER BY rowid",
            [per_feed],
        ):
            yield _item(row)

    # -- stories -----------------------------------------------------------------------------

    def new_story(self, title: str, first_seen: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO stories (title, first_seen, last_seen) VALUES (?, ?, ?)",
            [title, ts(first_seen), ts(first_seen)],
        )
        return int(cursor.lastrowid or 0)

    def story(self, story_id: int) -> Story | None:
        row = self._one("SELECT * FROM stories WHERE id = ?", [story_id])
        if row is None:
            return None
        items = tuple(
            StoryItem(
                item_key=r["key"],
                link=r["link"],
                title=r["title"],
                feed_name=r["feed_name"],
                published=_dt(r["published"]),
                tier=Tier(r["tier"]),
                score=float(r["score"]),
                summary=r["summary"],
                fetched=_dt(r["fetched_at"]),
            )
            for r in self.db.query(
                "SELECT * FROM items WHERE story_id = ? ORDER BY published, rowid", [story_id]
            )
        )
        return Story(
            id=int(row["id"]),
            title=row["title"],
            first_seen=_dt(row["first_seen"]),
            last_seen=_dt(row["last_seen"]),
            items=items,
        )

    def items_by_key(self, keys: Sequence[str]) -> dict[str, Item]:
        """The stored items among `keys` (a pruned one is missing)."""
        found: dict[str, Item] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(f"SELECT * FROM items WHERE key IN ({marks})", chunk):
                found[row["key"]] = _item(row)
        return found

    def split_latest(self, story_id: int) -> tuple[Item, str, int] | None:
        """Move the story's most recently joined item (not its first) into a story of its
        own: (that item, the story's first item's key, the new story's id); None when the
        story has a single item. The desk said "not the same story" (issue 15)."""
        rows = list(
            self.db.query(
                "SELECT rowid AS rid, * FROM items WHERE story_id = ? ORDER BY published, rowid",
                [story_id],
            )
        )
        if len(rows) < 2:
            return None
        seed = rows[0]
        latest = max(rows[1:], key=lambda r: (r["fetched_at"], r["rid"]))
        item = _item(latest)
        new_id = self.new_story(item.title, item.published)
        self.db.execute(
            "UPDATE items SET story_id = ?, tier = 'new', score = 0 WHERE key = ?",
            [new_id, item.key],
        )
        self.db.execute(
            "UPDATE stories SET last_seen = (SELECT max(published) FROM items WHERE story_id = ?) "
            "WHERE id = ?",
            [story_id, story_id],
        )
        return item, str(seed["key"]), new_id

    def story_sources(self, story_id: int) -> int:
        """How many distinct feeds have reported the story (at least 1 once it has an item)."""
        row = self.db.execute(
            "SELECT COUNT(DISTINCT feed_url) FROM items WHERE story_id = ?", [story_id]
        ).fetchone()
        return max(1, int(row[0]))

    def recent_stories(self, limit: int = 50) -> list[Story]:
        ids = [
            int(r["id"])
            for r in self.db.query(
                "SELECT id FROM stories ORDER BY last_seen DESC, id DESC LIMIT ?", [limit]
            )
        ]
        return [s for s in (self.story(i) for i in ids) if s is not None]

    def search_stories(self, words: Sequence[str], limit: int = 50) -> list[Story]:
        """Recent stories whose title, or an item's title or summary, holds every word
        (case-insensitive substrings), newest first."""
        where = " AND ".join(_SEARCH_WORD.format(n=n) for n in range(1, len(words) + 1))
        ids = [
            int(r["id"])
            for r in self.db.query(
                f"SELECT s.id FROM stories s WHERE {where or '1'} "
                "ORDER BY s.last_seen DESC, s.id DESC LIMIT ?",
                [*(f"%{_like(w)}%" for w in words), limit],
            )
        ]
        return [s for s in (self.story(i) for i in ids) if s is not None]

    def story_rules(self, story_id: int) -> dict[str, tuple[str, ...]]:
        return {
            r["rule"]: tuple(json.loads(r["terms"]))
            for r in self.db.query("SELECT * FROM story_matches WHERE story_id = ?", [story_id])
        }

    def add_match(self, story_id: int, rule: str, terms: Iterable[str], now: datetime) -> bool:
        """Record that a rule matched the story; True when this rule is new for the story."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO story_matches (story_id, rule, terms, matched_at) "
            "VALUES (?, ?, ?, ?)",
            [story_id, rule, json.dumps(sorted(set(terms))), ts(now)],
        )
        return cursor.rowcount > 0

    # -- helpers -----------------------------------------------------------------------------

    def _all(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params or []))


# The items branch comes first: a compound SELECT yields its branches in order.
_ITEM_HASH = (
    "SELECT content_hash FROM items WHERE key = ?1 "
    "UNION ALL SELECT '' FROM seen_keys WHERE key = ?1 LIMIT 1"
)
# "link_key != ''" lets SQLite use the partial index items_link_key; without it, a full scan.
# Pruned items' links are remembered in seen_keys as "link:" + their link_key.
_LINK_SEEN = (
    "SELECT 1 FROM items WHERE link_key = ?1 AND link_key != '' "
    "UNION ALL SELECT 1 FROM seen_keys WHERE key = 'link:' || ?1 LIMIT 1"
)


_SEARCH_WORD = (
    "(s.title LIKE ?{n} ESCAPE '\\' OR EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id "
    "AND (i.title LIKE ?{n} ESCAPE '\\' OR i.summary LIKE ?{n} ESCAPE '\\')))"
)


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


_FEED_COLUMNS = (
    "url", "name", "etag", "last_modified", "body_hash", "last_poll", "last_success",
    "last_error", "error_count", "next_poll", "backlog_done", "moved_to", "disabled_at",
    "disabled_reason", "failing_since", "noticed_at", "ttl_seconds", "last_new_at", "new_gaps",
    "stale_since",
)  # fmt: skip
_SAVE_FEED = (
    f"INSERT INTO feeds ({', '.join(_FEED_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _FEED_COLUMNS)}) ON CONFLICT(url) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _FEED_COLUMNS[1:])
)


def _item(row: dict[str, Any]) -> Item:
    return Item(
        key=row["key"],
        feed_url=row["feed_url"],
        feed_name=row["feed_name"],
        link=row["link"],
        title=row["title"],
        summary=row["summary"],
        published=_dt(row["published"]),
        content_hash=row["content_hash"],
        guid=row["guid"],
    )
