"""SQLite state through sqlite-utils: feeds, items, stories, rule matches and the outbox.

The database runs in WAL mode so `watcher stories` and `watcher status` can read while the service
writes. The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a database
from version n to n+1 and an upgrade never drops data.

The outbox is the ``deliveries`` table: one row per (story, channel). ``version`` counts what the
channel should show and ``sent_version`` what it shows; a row with sent_version < version is due.
A row is written before any send and updated after it, so a crash between the two costs at most
one duplicate message, never a lost alert.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from watcher.errors import StoreError
from watcher.model import (
    Delivery,
    DeliveryStatus,
    FeedState,
    Item,
    Story,
    StoryItem,
    Tier,
)

MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        last_poll TEXT,
        last_success TEXT,
        last_error TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        next_poll TEXT,
        backlog_done INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE items (
        key TEXT PRIMARY KEY,
        feed_url TEXT NOT NULL,
        feed_name TEXT NOT NULL,
        link TEXT NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        published TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        guid TEXT,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        tier TEXT NOT NULL,
        score REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX items_link ON items(link) WHERE link != '';
    CREATE INDEX items_story ON items(story_id);
    CREATE INDEX items_published ON items(published);
    CREATE TABLE seen_keys (
        key TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL
    );
    CREATE TABLE story_matches (
        story_id INTEGER NOT NULL REFERENCES stories(id),
        rule TEXT NOT NULL,
        terms TEXT NOT NULL,
        matched_at TEXT NOT NULL,
        PRIMARY KEY (story_id, rule)
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        channel TEXT NOT NULL,
        rules TEXT NOT NULL,
        terms TEXT NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        sent_version INTEGER NOT NULL DEFAULT 0,
        message_ref TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (story_id, channel)
    );
    CREATE INDEX deliveries_due ON deliveries(status, next_attempt);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def ts(value: datetime | None) -> str | None:
    """Aware datetime -> sortable ISO text in UTC."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")


def dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Store:
    """All reads and writes of watcher's database. One instance per thread."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite_utils.Database(str(self.path))
            self.db.execute("PRAGMA busy_timeout = 5000")
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc

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
                self.db.execute(f"PRAGMA user_version = {version + 1}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    # -- feeds -------------------------------------------------------------------------------

    def feed_state(self, url: str, name: str) -> FeedState:
        row = self._one("SELECT * FROM feeds WHERE url = ?", [url])
        if row is None:
            self.db.table("feeds").insert({"url": url, "name": name}, ignore=True)
            return FeedState(url=url, name=name)
        return _feed_state(row)

    def save_feed_state(self, state: FeedState) -> None:
        self.db.table("feeds").upsert(
            {
                "url": state.url,
                "name": state.name,
                "etag": state.etag,
                "last_modified": state.last_modified,
                "body_hash": state.body_hash,
                "last_poll": ts(state.last_poll),
                "last_success": ts(state.last_success),
                "last_error": state.last_error,
                "error_count": state.error_count,
                "next_poll": ts(state.next_poll),
                "backlog_done": int(state.backlog_done),
            },
            pk="url",
        )

    def feed_states(self) -> list[FeedState]:
        return [_feed_state(r) for r in self._all("SELECT * FROM feeds ORDER BY name")]

    # -- items -------------------------------------------------------------------------------

    def item_hash(self, key: str) -> str | None:
        """The content hash of a stored item, "" for a pruned but remembered key, else None."""
        row = self.db.execute("SELECT content_hash FROM items WHERE key = ?", [key]).fetchone()
        if row is not None:
            return str(row[0])
        seen = self.db.execute("SELECT 1 FROM seen_keys WHERE key = ?", [key]).fetchone()
        return "" if seen is not None else None

    def link_seen(self, link: str) -> bool:
        if not link:
            return False
        if self.db.execute("SELECT 1 FROM items WHERE link = ? LIMIT 1", [link]).fetchone():
            return True
        return (
            self.db.execute("SELECT 1 FROM seen_keys WHERE key = ?", ["url:" + link]).fetchone()
            is not None
        )

    def add_item(self, item: Item, story_id: int, tier: Tier, score: float, now: datetime) -> None:
        self.db.table("items").insert(
            {
                "key": item.key,
                "feed_url": item.feed_url,
                "feed_name": item.feed_name,
                "link": item.link,
                "title": item.title,
                "summary": item.summary,
                "published": ts(item.published),
                "fetched_at": ts(now),
                "content_hash": item.content_hash,
                "guid": item.guid,
                "story_id": story_id,
                "tier": tier.value,
                "score": round(score, 4),
            }
        )
        self.db.execute(
            "UPDATE stories SET last_seen = max(last_seen, ?) WHERE id = ?",
            [ts(item.published), story_id],
        )

    def update_item_text(self, item: Item) -> int | None:
        """An edited entry under a known key keeps its story; its text is refreshed."""
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

    def items_matching_since(self, since: datetime) -> list[Item]:
        return [item for item, _ in self.items_since(since)]

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

    def recent_stories(self, limit: int = 50) -> list[Story]:
        ids = [
            int(r["id"])
            for r in self.db.query(
                "SELECT id FROM stories ORDER BY last_seen DESC, id DESC LIMIT ?", [limit]
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

    # -- outbox ------------------------------------------------------------------------------

    def want_delivery(
        self,
        story_id: int,
        channel: str,
        rules: Iterable[str],
        terms: Iterable[str],
        priority: int,
        now: datetime,
    ) -> bool:
        """Ask for the story to be shown on the channel. True when a new message is needed."""
        row = self._one(
            "SELECT * FROM deliveries WHERE story_id = ? AND channel = ?", [story_id, channel]
        )
        if row is None:
            self.db.table("deliveries").insert(
                {
                    "story_id": story_id,
                    "channel": channel,
                    "rules": json.dumps(sorted(set(rules))),
                    "terms": json.dumps(sorted(set(terms))),
                    "priority": priority,
                    "status": DeliveryStatus.PENDING.value,
                    "version": 1,
                    "sent_version": 0,
                    "created_at": ts(now),
                    "updated_at": ts(now),
                }
            )
            return True
        merged_rules = sorted(set(json.loads(row["rules"])) | set(rules))
        merged_terms = sorted(set(json.loads(row["terms"])) | set(terms))
        if merged_rules != json.loads(row["rules"]) or merged_terms != json.loads(row["terms"]):
            self.db.execute(
                "UPDATE deliveries SET rules = ?, terms = ?, priority = max(priority, ?) "
                "WHERE id = ?",
                [json.dumps(merged_rules), json.dumps(merged_terms), priority, row["id"]],
            )
            self.bump_story(story_id, now, only=row["id"])
        return False

    def bump_story(self, story_id: int, now: datetime, only: int | None = None) -> int:
        """The story changed (a new source): every channel showing it must be updated."""
        sql = (
            "UPDATE deliveries SET version = version + 1, updated_at = ?, "
            "status = CASE WHEN status = 'sent' THEN 'pending' ELSE status END "
            "WHERE story_id = ?"
        )
        params: list[Any] = [ts(now), story_id]
        if only is not None:
            sql += " AND id = ?"
            params.append(only)
        return self.db.execute(sql, params).rowcount

    def due_deliveries(self, now: datetime) -> list[Delivery]:
        """Pending rows whose next attempt has come, in the order they were created."""
        return [
            _delivery(r)
            for r in self.db.query(
                "SELECT * FROM deliveries WHERE status = 'pending' "
                "AND (next_attempt IS NULL OR next_attempt <= ?) ORDER BY id",
                [ts(now)],
            )
        ]

    def pending_deliveries(self) -> list[Delivery]:
        return [
            _delivery(r)
            for r in self.db.query("SELECT * FROM deliveries WHERE status != 'sent' ORDER BY id")
        ]

    def mark_sent(self, delivery: Delivery, ref: str, now: datetime) -> None:
        self.db.execute(
            "UPDATE deliveries SET message_ref = ?, sent_version = ?, attempts = 0, "
            "last_error = NULL, next_attempt = NULL, updated_at = ?, "
            "status = CASE WHEN version <= ? THEN 'sent' ELSE 'pending' END WHERE id = ?",
            [ref, delivery.version, ts(now), delivery.version, delivery.id],
        )

    def mark_retry(
        self, delivery: Delivery, error: str, next_attempt: datetime, now: datetime
    ) -> None:
        self.db.execute(
            "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt = ?, "
            "updated_at = ? WHERE id = ?",
            [error, ts(next_attempt), ts(now), delivery.id],
        )

    def mark_failed(self, delivery: Delivery, error: str, now: datetime) -> None:
        self.db.execute(
            "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?, "
            "next_attempt = NULL, updated_at = ? WHERE id = ?",
            [error, ts(now), delivery.id],
        )

    def requeue(self, delivery_id: int | None, now: datetime) -> int:
        sql = (
            "UPDATE deliveries SET status = 'pending', next_attempt = NULL, updated_at = ? "
            "WHERE status = 'failed'"
        )
        params: list[Any] = [ts(now)]
        if delivery_id is not None:
            sql += " AND id = ?"
            params.append(delivery_id)
        return self.db.execute(sql, params).rowcount

    def next_attempt_time(self) -> datetime | None:
        row = self.db.execute(
            "SELECT min(next_attempt) FROM deliveries WHERE status = 'pending'"
        ).fetchone()
        return dt(row[0]) if row and row[0] else None

    def outbox_depth(self) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM deliveries WHERE status != 'sent'").fetchone()[0]
        )

    # -- helpers -----------------------------------------------------------------------------

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None

    def _all(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params or []))


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _feed_state(row: dict[str, Any]) -> FeedState:
    return FeedState(
        url=row["url"],
        name=row["name"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        body_hash=row["body_hash"],
        last_poll=dt(row["last_poll"]),
        last_success=dt(row["last_success"]),
        last_error=row["last_error"],
        error_count=int(row["error_count"]),
        next_poll=dt(row["next_poll"]),
        backlog_done=bool(row["backlog_done"]),
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


def _delivery(row: dict[str, Any]) -> Delivery:
    return Delivery(
        id=int(row["id"]),
        story_id=int(row["story_id"]),
        channel=row["channel"],
        rules=tuple(json.loads(row["rules"])),
        terms=tuple(json.loads(row["terms"])),
        status=DeliveryStatus(row["status"]),
        version=int(row["version"]),
        sent_version=int(row["sent_version"]),
        message_ref=row["message_ref"],
        attempts=int(row["attempts"]),
        next_attempt=dt(row["next_attempt"]),
        last_error=row["last_error"],
        priority=int(row["priority"]),
    )
