"""The ``stories`` and ``story_matches`` tables: a story's rows, its items read back as a Story,
and the rules that matched it.

Which story an item joins is stories.py's decision (in memory); this module only keeps the
result. `split_latest` is the desk's "not the same story" (issue 15) in rows; `merge_stories`
folds a younger story into an older one when a report shows them one event (issue 11), and
`unmerge_latest` undoes that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlite_utils import Database

from watcher.model import Item, Story, StoryItem, Tier
from watcher.store.items import item_of, items_by_key
from watcher.store.outbox import DIGEST_REF, OPEN_REF, bump_story, want_delivery
from watcher.store.timestamps import dt_required as _dt
from watcher.store.timestamps import ts, ts_exact

_SEARCH_WORD = (
    "(s.title LIKE ?{n} ESCAPE '\\' OR EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id "
    "AND (i.title LIKE ?{n} ESCAPE '\\' OR i.summary LIKE ?{n} ESCAPE '\\')))"
)


# A story folded into another (merge_stories) is no story of its own any more.
_NOT_MERGED = "id NOT IN (SELECT absorbed FROM story_merges)"
MERGED_REF = f"{DIGEST_REF}merged"  # an unsent row of an absorbed story: its survivor's shows it


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


def merge_stories(
    db: Database, survivor: int, absorbed: Sequence[int], now: datetime
) -> tuple[str, ...]:
    """Fold each of `absorbed` into `survivor` (the older story; stories.py found them one
    event): their items move into it, and so does each outbox row of theirs on a channel the
    survivor has none on, so the message already shown there is the one later sources edit;
    a row on a channel the survivor already shows stays with its story, as sent history, or,
    when still due, is the survivor's to tell (`_fold_due`).
    Each merge is kept (story_merges) so that `unmerge_latest` can undo it. The feed of each
    of this poll's new alerts (an open row) that the merge marked shown: it will never go out,
    so its poll does not count it as a new alert."""
    unalerted: list[str] = []
    for story_id in absorbed:
        unalerted += _fold_due(db, story_id, survivor, now)
        keys = [r[0] for r in db.execute(
            "SELECT key FROM items WHERE story_id = ? ORDER BY published, rowid", [story_id]
        ).fetchall()]  # fmt: skip
        rows = [r[0] for r in db.execute(
            "SELECT id FROM deliveries WHERE story_id = ? AND channel NOT IN "
            "(SELECT channel FROM deliveries WHERE story_id = ?) ORDER BY id",
            [story_id, survivor],
        ).fetchall()]  # fmt: skip
        db.execute("UPDATE items SET story_id = ? WHERE story_id = ?", [survivor, story_id])
        db.conn.executemany(
            "UPDATE deliveries SET story_id = ? WHERE id = ?", [(survivor, r) for r in rows]
        )
        db.execute(
            "INSERT INTO story_merges (absorbed, survivor, items, deliveries, merged_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [story_id, survivor, json.dumps(keys), json.dumps(rows), ts_exact(now)],
        )
    _refresh_times(db, survivor)
    return tuple(unalerted)


def _fold_due(db: Database, story_id: int, survivor: int, now: datetime) -> list[str]:
    """The absorbed story's rows still due, on channels the survivor has a row on, are the
    survivor's to tell: its row takes their rules and terms (one message for the merged story,
    naming what either matched; edited if already shown). A row never sent is marked shown by
    it (MERGED_REF, a digest's kind of ref: after an undone merge the younger story alerts
    afresh), so it is never sent as the alert of an emptied story nor counted in its poll's
    burst. A shown row's due edit is dropped (its message stays as sent) and its pending
    follow-ups become replies to the survivor's message. A row carrying a burst stays: its
    message stands for other stories too. The feed of each open row (its poll's new alert,
    never sent) marked shown."""
    unalerted: list[str] = []
    rows = db.execute(
        "SELECT d.id, d.channel, d.rules, d.terms, d.priority, d.sent_version, d.message_ref "
        "FROM deliveries d "
        "WHERE d.story_id = ? AND d.status = 'pending' "
        "AND d.channel IN (SELECT channel FROM deliveries WHERE story_id = ?) "
        "AND d.id NOT IN (SELECT delivery_id FROM bursts) ORDER BY d.id",
        [story_id, survivor],
    ).fetchall()
    for row_id, channel, rules, terms, priority, shown, ref in rows:
        if not shown and str(ref or "").startswith(OPEN_REF):
            unalerted.append(str(ref)[len(OPEN_REF) :])
        want_delivery(
            db, survivor, channel, json.loads(rules), json.loads(terms), int(priority), now
        )
        if shown:
            (target,) = db.execute(
                "SELECT id FROM deliveries WHERE story_id = ? AND channel = ?", [survivor, channel]
            ).fetchone()
            moved = db.execute(
                "UPDATE followups SET delivery_id = ? WHERE delivery_id = ? AND status = 'pending'",
                [target, row_id],
            ).rowcount
            if moved:
                bump_story(db, survivor, now, only=int(target))
        db.execute(
            "UPDATE deliveries SET status = 'sent', sent_version = version, "
            "message_ref = CASE WHEN sent_version = 0 THEN ? ELSE message_ref END, "
            "updated_at = ? WHERE id = ?",
            [MERGED_REF, ts(now), row_id],
        )
    return unalerted


def unmerge_latest(db: Database, survivor: int) -> tuple[list[Item], str, int] | None:
    """Undo the story's latest merge when nothing joined it since (the desk's "not the same
    story" after a merge): the absorbed story's items and outbox rows go back to it. (Its
    items, the survivor's first item's key, the absorbed story's id); None when there is no
    such merge."""
    row = db.execute(
        "SELECT absorbed, items, deliveries, merged_at FROM story_merges WHERE survivor = ? "
        "ORDER BY merged_at DESC, rowid DESC LIMIT 1",
        [survivor],
    ).fetchone()
    if row is None:
        return None
    absorbed, keys, rows, merged_at = int(row[0]), json.loads(row[1]), json.loads(row[2]), row[3]
    later = db.execute(
        "SELECT 1 FROM items WHERE story_id = ? AND fetched_at > ? LIMIT 1", [survivor, merged_at]
    ).fetchone()
    if later is not None:
        return None  # a report joined since: the desk's press is about that one
    marks = ",".join("?" * len(keys))
    db.execute(
        f"UPDATE items SET story_id = ? WHERE story_id = ? AND key IN ({marks})",
        [absorbed, survivor, *keys],
    )
    db.conn.executemany(
        "UPDATE deliveries SET story_id = ? WHERE id = ? AND story_id = ?",
        [(absorbed, r, survivor) for r in rows],
    )
    _followups_back(db, keys, survivor, absorbed)
    db.execute("DELETE FROM story_merges WHERE absorbed = ?", [absorbed])
    _refresh_times(db, survivor)
    _refresh_times(db, absorbed)
    found = items_by_key(db, keys)
    first = db.execute(
        "SELECT key FROM items WHERE story_id = ? ORDER BY published, rowid LIMIT 1", [survivor]
    ).fetchone()
    return [found[k] for k in keys if k in found], str(first[0]), absorbed


def _followups_back(db: Database, keys: Sequence[str], survivor: int, absorbed: int) -> None:
    """Pending follow-ups of the absorbed story's reports that the merge made replies to the
    survivor's message (`_fold_due`) reply to the absorbed story's own message again, on each
    channel where it has one: its development is not the survivor's news."""
    marks = ",".join("?" * len(keys))
    db.execute(
        "UPDATE followups SET delivery_id = (SELECT a.id FROM deliveries a JOIN deliveries s "
        "ON a.channel = s.channel WHERE s.id = followups.delivery_id AND a.story_id = ? "
        "ORDER BY a.id LIMIT 1) "
        f"WHERE status = 'pending' AND item_key IN ({marks}) "
        "AND delivery_id IN (SELECT id FROM deliveries WHERE story_id = ?) "
        "AND EXISTS (SELECT 1 FROM deliveries a JOIN deliveries s ON a.channel = s.channel "
        "WHERE s.id = followups.delivery_id AND a.story_id = ?)",
        [absorbed, *keys, survivor, absorbed],
    )


def survivor(db: Database, story_id: int) -> int:
    """The story that holds `story_id`'s reports now: itself, or the story it was merged
    into (and that one's, if merged again)."""
    seen = {story_id}
    while row := db.execute(
        "SELECT survivor FROM story_merges WHERE absorbed = ?", [story_id]
    ).fetchone():
        story_id = int(row[0])
        if story_id in seen:  # never written so; a loop must not hang delivery
            break
        seen.add(story_id)
    return story_id


def _refresh_times(db: Database, story_id: int) -> None:
    """The story's first and last report times, from the items it holds now."""
    db.execute(
        "UPDATE stories SET first_seen = coalesce((SELECT min(published) FROM items "
        "WHERE story_id = ?1), first_seen), last_seen = coalesce((SELECT max(published) "
        "FROM items WHERE story_id = ?1), last_seen) WHERE id = ?1",
        [story_id],
    )


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
            f"SELECT id FROM stories WHERE {_NOT_MERGED} ORDER BY last_seen DESC, id DESC "
            "LIMIT ?",
            [limit],
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
            f"SELECT s.id FROM stories s WHERE {where or '1'} AND {_NOT_MERGED} "
            "ORDER BY s.last_seen DESC, s.id DESC LIMIT ?",
            [*(f"%{_like(w)}%" for w in words), limit],
        )
    ]
    return [s for s in (story(db, i) for i in ids) if s is not None]


def story_rules(db: Database, story_id: int) -> dict[str, tuple[str, ...]]:
    """The rules that matched the story, each with its matched terms; a merged story's
    include those of the stories merged into it (their rows stay theirs, for an undo)."""
    found: dict[str, set[str]] = {}
    for rule, terms in db.execute(
        "WITH RECURSIVE held(id) AS (SELECT ? UNION "
        "SELECT m.absorbed FROM story_merges m JOIN held ON m.survivor = held.id) "
        "SELECT rule, terms FROM story_matches WHERE story_id IN (SELECT id FROM held) "
        "ORDER BY story_id, matched_at",
        [story_id],
    ).fetchall():
        found.setdefault(str(rule), set()).update(json.loads(terms))
    return {rule: tuple(sorted(terms)) for rule, terms in found.items()}


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
