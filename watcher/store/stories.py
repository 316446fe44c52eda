"""The ``stories`` and ``story_matches`` tables: a story's rows, its items read back as a Story,
and the rules that matched it.

Which story an item joins is stories.py's decision (in memory); this module only keeps the
result. `split_latest` is the desk's "not the same story" (issue 15) in rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlite_utils import Database

from watcher.model import Item, Story, StoryItem, Tier
from watcher.store.items import item_of
from watcher.store.timestamps import dt_required as _dt
from watcher.store.timestamps import ts

_SEARCH_WORD = (
    "(s.title LIKE ?{n} ESCAPE '\\' OR EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id "
    "AND (i.title LIKE ?{n} ESCAPE '\\' OR i.summary LIKE ?{n} ESCAPE '\\')))"
)


def new_story(db: Database, title: str, first_seen: datetime) -> int:
    cursor = db.execute(
        "INSERT INTO stories (title, first_seen, last_seen) VALUES (?, ?, ?)",
        [title, ts(first_seen), ts(first_seen)],
    )
    return int(cursor.lastrowid or 0)


def story(db: Database, story_id: int) -> Story | None:
    rows = list(db.query("SELECT * FROM stories WHERE id = ?", [story_id]))
    if not rows:
        return None
    row = rows[0]
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
            feed_url=r["feed_url"],
        )
        for r in db.query(
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


def split_latest(db: Database, story_id: int) -> tuple[Item, str, int] | None:
    """Move the story's most recently joined item (not its first) into a story of its
    own: (that item, the story's first item's key, the new story's id); None when the
    story has a single item. The desk said "not the same story" (issue 15)."""
    rows = list(
        db.query(
            "SELECT rowid AS rid, * FROM items WHERE story_id = ? ORDER BY published, rowid",
            [story_id],
        )
    )
    if len(rows) < 2:
        return None
    seed = rows[0]
    latest = max(rows[1:], key=lambda r: (r["fetched_at"], r["rid"]))
    item = item_of(latest)
    new_id = new_story(db, item.title, item.published)
    db.execute(
        "UPDATE items SET story_id = ?, tier = 'new', score = 0 WHERE key = ?",
        [new_id, item.key],
    )
    db.execute(
        "UPDATE stories SET last_seen = (SELECT max(published) FROM items WHERE story_id = ?) "
        "WHERE id = ?",
        [story_id, story_id],
    )
    return item, str(seed["key"]), new_id


def story_sources(db: Database, story_id: int) -> int:
    """How many distinct feeds have reported the story (at least 1 once it has an item)."""
    row = db.execute(
        "SELECT COUNT(DISTINCT feed_url) FROM items WHERE story_id = ?", [story_id]
    ).fetchone()
    return max(1, int(row[0]))


def story_feeds(db: Database, story_id: int) -> frozenset[str]:
    """The feeds (by URL) that have reported the story."""
    rows = db.conn.execute("SELECT DISTINCT feed_url FROM items WHERE story_id = ?", [story_id])
    return frozenset(str(row[0]) for row in rows.fetchall())


def recent_stories(db: Database, limit: int = 50) -> list[Story]:
    ids = [
        int(r["id"])
        for r in db.query(
            "SELECT id FROM stories ORDER BY last_seen DESC, id DESC LIMIT ?", [limit]
        )
    ]
    return [s for s in (story(db, i) for i in ids) if s is not None]


def search_stories(db: Database, words: Sequence[str], limit: int = 50) -> list[Story]:
    """Recent stories whose title, or an item's title or summary, holds every word
    (case-insensitive substrings), newest first."""
    where = " AND ".join(_SEARCH_WORD.format(n=n) for n in range(1, len(words) + 1))
    ids = [
        int(r["id"])
        for r in db.query(
            f"SELECT s.id FROM stories s WHERE {where or '1'} "
            "ORDER BY s.last_seen DESC, s.id DESC LIMIT ?",
            [*(f"%{_like(w)}%" for w in words), limit],
        )
    ]
    return [s for s in (story(db, i) for i in ids) if s is not None]


def story_rules(db: Database, story_id: int) -> dict[str, tuple[str, ...]]:
    return {
        r["rule"]: tuple(json.loads(r["terms"]))
        for r in db.query("SELECT * FROM story_matches WHERE story_id = ?", [story_id])
    }


def add_match(db: Database, story_id: int, rule: str, terms: Iterable[str], now: datetime) -> bool:
    """Record that a rule matched the story; True when this rule is new for the story."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO story_matches (story_id, rule, terms, matched_at) "
        "VALUES (?, ?, ?, ?)",
        [story_id, rule, json.dumps(sorted(set(terms))), ts(now)],
    )
    return cursor.rowcount > 0


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
