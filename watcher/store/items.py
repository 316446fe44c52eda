"""The ``items`` table: every report stored, in its story, and the keys and links it is known by.

An item's key is feed-scoped (normalize.py); ``link_key`` is its article's link folded so that
the same article under another feed or guid is recognised. Pruned items are remembered in
``seen_keys`` (store/maintenance.py), so `item_hash` and `link_seen` still know them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from watcher.model import Item, Tier
from watcher.normalize import link_key
from watcher.store.timestamps import dt_required as _dt
from watcher.store.timestamps import ts, ts_exact

# The items branch comes first: a compound SELECT yields its branches in order. An item stored
# from another feed answers "" (known, never edited): see item_hash.
_ITEM_HASH = (
    "SELECT CASE WHEN ?2 IS NULL OR feed_url = ?2 THEN content_hash ELSE '' END "
    "FROM items WHERE key = ?1 "
    "UNION ALL SELECT '' FROM seen_keys WHERE key = ?1 LIMIT 1"
)
# "link_key != ''" lets SQLite use the partial index items_link_key; without it, a full scan.
# Pruned items' links are remembered in seen_keys as "link:" + their link_key.
_LINK_SEEN = (
    "SELECT 1 FROM items WHERE link_key = ?1 AND link_key != '' "
    "UNION ALL SELECT 1 FROM seen_keys WHERE key = 'link:' || ?1 LIMIT 1"
)


def item_hash(db: Database, key: str, feed_url: str | None = None) -> str | None:
    """The content hash of a stored item, "" for a pruned but remembered key, else None.

    Given `feed_url`, an item stored from another feed also answers "": a link or URL guid
    names the article wherever it appears, so an aggregator's entry for it (its own headline,
    the article's AMP cache link) has the stored item's key, yet it is not that item's entry
    come back edited — taken as one, it would put the aggregator's headline under the
    outlet's name."""
    # One statement, not two: this runs for every entry a poll brings that is not known.
    row = db.conn.execute(_ITEM_HASH, [key, feed_url]).fetchone()
    return None if row is None else str(row[0])


def link_seen(db: Database, link: str) -> bool:
    """Whether an item with this article's link is stored or remembered, under any variant
    of the link (normalize.link_key: scheme, www., trailing slash, ref=rss, AMP)."""
    return link_key_seen(db, link_key(link))


def link_key_seen(db: Database, key: str) -> bool:
    """`link_seen` for a link already folded into its `normalize.link_key`."""
    if not key:
        return False
    return db.conn.execute(_LINK_SEEN, [key]).fetchone() is not None


def add_item(
    db: Database,
    item: Item,
    story_id: int,
    tier: Tier,
    score: float,
    now: datetime,
    *,
    fresh_story: bool = False,
    folded: str | None = None,
) -> None:
    """Store a new item in its story. `fresh_story`: the story was just made from this item
    (new_story with its title and time), so the story's last_seen needs no update. `folded`:
    its link's link_key, when the caller has it already (link_key_seen's)."""
    # Plain SQL: sqlite-utils' insert() inspects the table on every call (~40 µs an item).
    db.execute(
        "INSERT INTO items (key, feed_url, feed_name, link, title, summary, published, "
        "fetched_at, content_hash, guid, story_id, tier, score, link_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [item.key, item.feed_url, item.feed_name, item.link, item.title, item.summary,
         ts(item.published), ts_exact(now), item.content_hash, item.guid, story_id, tier.value,
         round(score, 4), link_key(item.link) if folded is None else folded],
    )  # fmt: skip
    if fresh_story:
        return
    db.execute(
        "UPDATE stories SET last_seen = max(last_seen, ?) WHERE id = ?",
        [ts(item.published), story_id],
    )


def update_item_text(db: Database, item: Item) -> int | None:
    """An edited entry under a known key keeps its story; its text is refreshed. (The
    story's title stays the headline the desk was first shown: an edit that brings news
    is a development, told as a follow-up.)"""
    db.execute(
        "UPDATE items SET title = ?, summary = ?, content_hash = ? WHERE key = ?",
        [item.title, item.summary, item.content_hash, item.key],
    )
    row = db.execute("SELECT story_id FROM items WHERE key = ?", [item.key]).fetchone()
    return None if row is None else int(row[0])


def items_since(db: Database, since: datetime) -> Iterator[tuple[Item, int]]:
    """Stored items published at or after `since`, oldest first, with their story id."""
    for row in db.query(
        "SELECT * FROM items WHERE published >= ? ORDER BY published, rowid", [ts(since)]
    ):
        yield item_of(row), int(row["story_id"])


def latest_published(db: Database) -> datetime | None:
    """The publication time of the newest stored item (None when there is none)."""
    row = db.execute("SELECT max(published) FROM items").fetchone()
    return None if row is None or row[0] is None else _dt(row[0])


def recent_items(db: Database, per_feed: int) -> Iterator[Item]:
    """Each feed's last `per_feed` stored items (in the order stored), oldest first: what
    the boilerplate learner is rebuilt from."""
    for row in db.query(
        "SELECT * FROM (SELECT *, row_number() OVER "
        "(PARTITION BY feed_url ORDER BY rowid DESC) AS recent FROM items) "
        "WHERE recent <= ? ORDER BY rowid",
        [per_feed],
    ):
        yield item_of(row)


def items_by_key(db: Database, keys: Sequence[str]) -> dict[str, Item]:
    """The stored items among `keys` (a pruned one is missing)."""
    found: dict[str, Item] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in db.query(f"SELECT * FROM items WHERE key IN ({marks})", chunk):
            found[row["key"]] = item_of(row)
    return found


def items_per_feed(db: Database, since: datetime, until: datetime) -> dict[str, int]:
    """How many stored items each feed (by URL) published between since and until."""
    rows = db.execute(
        "SELECT feed_url, count(*) FROM items WHERE published >= ? AND published <= ? "
        "GROUP BY feed_url",
        [ts(since), ts(until)],
    )
    return {str(url): int(count) for url, count in rows.fetchall()}


def item_of(row: dict[str, Any]) -> Item:
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
