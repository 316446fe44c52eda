"""Bursts: many new matching stories from one feed in one poll, told as one message.

A poll's new outbox rows are written *open* (``message_ref`` = ``open:<feed url>``): delivery
does not see them yet. A big body is ingested in several transactions (ingest.py), so this is
what keeps a half-read burst from going out alert by alert. When the poll ends, `settle_poll`
decides per channel: up to `limit` rows are released as ordinary alerts; more fold into one
*burst* (table ``bursts``): the first story's row carries the message (the count and the first
few stories), the others are marked shown by it (``digest:burst``; in batches, `fold_some`, a
hundred thousand rows taking a second), so a later source of one of them alerts afresh; then the
carrier is released. A crash between a poll's transactions leaves open rows; `settle_open` (run
at start-up) settles them the same way, so nothing is lost.

A row the desk has muted on its channel (its story, or every rule it matched: mutes.py) is no
part of a burst: it is released alone, for delivery to skip as muted, before the rest are
counted. Otherwise a muted first story would carry, and so silence, everyone else's message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from watcher.mutes import muting
from watcher.store.outbox import OPEN_REF
from watcher.store.stories import survivor
from watcher.store.talk import live_mutes
from watcher.store.timestamps import ts

BURST_SHOWN = 5  # stories a burst's message lists by name
FOLD_BATCH = 2000  # rows folded per statement (~20 ms)
FOLDED_REF = "digest:burst"  # starts like a digest's ref: a later edit sends a fresh message


def open_ref(feed_url: str) -> str:
    return OPEN_REF + feed_url


@dataclass(frozen=True, slots=True)
class Burst:
    """What a burst's message says: which feed, how many stories, the first few by id."""

    feed: str
    count: int
    story_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Fold:
    """A burst decided, its rows still to fold: those open under `ref` on `channel`, all but
    the `carrier`, which stays open until they are folded (then `release` it)."""

    channel: str
    ref: str
    carrier: int


def settle_poll(
    db: Database, feed_url: str, feed_name: str, limit: int, now: datetime
) -> list[Fold]:
    """Decide the poll's open rows per channel: up to `limit` are released now; more are a
    burst (recorded here), whose rows the caller folds with `fold_some` and then `release`s
    the carrier (in steps of their own: 100,000 rows take a second)."""
    ref = open_ref(feed_url)
    folds = []
    for (channel,) in db.execute(
        "SELECT DISTINCT channel FROM deliveries WHERE status = 'pending' AND message_ref = ?",
        [ref],
    ).fetchall():
        fold = _decide(db, str(channel), ref, feed_name, limit, now)
        if fold is not None:
            folds.append(fold)
    return folds


def settle_open(db: Database, limit: int, now: datetime) -> int:
    """Settle the open rows a crash left, all at once (run before delivery starts); the
    number of rows folded."""
    folded = 0
    for channel, ref in db.execute(
        "SELECT DISTINCT channel, message_ref FROM deliveries "
        "WHERE status = 'pending' AND message_ref LIKE 'open:%'"
    ).fetchall():
        url = str(ref)[len(OPEN_REF) :]
        row = db.execute("SELECT name FROM feeds WHERE url = ?", [url]).fetchone()
        name = str(row[0]) if row else url
        fold = _decide(db, str(channel), str(ref), name, limit, now)
        if fold is not None:
            while moved := fold_some(db, fold, now):
                folded += moved
            release(db, fold)
    return folded


def _decide(
    db: Database, channel: str, ref: str, feed_name: str, limit: int, now: datetime
) -> Fold | None:
    where = "channel = ? AND status = 'pending' AND message_ref = ?"
    first = _first(db, channel, ref)
    if first and burst(db, int(first[0][0])) is not None:
        return Fold(channel, ref, int(first[0][0]))  # decided before a crash cut it short
    if _release_muted(db, channel, ref, now):
        first = _first(db, channel, ref)
    if not first:  # every row was muted
        return None
    carrier = int(first[0][0])
    count = int(
        db.execute(f"SELECT count(*) FROM deliveries WHERE {where}", [channel, ref]).fetchone()[0]
    )
    if count <= limit:
        db.execute(f"UPDATE deliveries SET message_ref = NULL WHERE {where}", [channel, ref])
        return None
    db.execute(
        "INSERT INTO bursts (delivery_id, feed, count, stories, created_at) VALUES (?, ?, ?, ?, ?)",
        [carrier, feed_name, count, json.dumps([int(r[1]) for r in first]), ts(now)],
    )
    return Fold(channel, ref, carrier)


def _first(db: Database, channel: str, ref: str) -> list[tuple[int, int]]:
    """(delivery id, story id) of the first BURST_SHOWN open rows, oldest story first."""
    return db.execute(
        "SELECT d.id, d.story_id FROM deliveries d JOIN stories s ON s.id = d.story_id "
        "WHERE d.channel = ? AND d.status = 'pending' AND d.message_ref = ? "
        "ORDER BY s.first_seen, d.id LIMIT ?",
        [channel, ref, BURST_SHOWN],
    ).fetchall()


def _release_muted(db: Database, channel: str, ref: str, now: datetime) -> int:
    """Release the open rows the desk muted here (delivery skips them); how many."""
    mutes = live_mutes(db, now, channel)
    if not mutes:
        return 0
    rows = db.execute(
        "SELECT id, story_id, rules FROM deliveries "
        "WHERE channel = ? AND status = 'pending' AND message_ref = ?",
        [channel, ref],
    ).fetchall()
    muted = [(r[0],) for r in rows if muting(mutes, int(r[1]), json.loads(r[2])) is not None]
    db.conn.executemany("UPDATE deliveries SET message_ref = NULL WHERE id = ?", muted)
    return len(muted)


def fold_some(db: Database, fold: Fold, now: datetime, batch: int = FOLD_BATCH) -> int:
    """Mark up to `batch` more rows of the burst shown by its message; how many."""
    return db.execute(
        "UPDATE deliveries SET status = 'sent', sent_version = version, message_ref = ?, "
        "updated_at = ? WHERE id IN (SELECT id FROM deliveries WHERE channel = ? "
        "AND status = 'pending' AND message_ref = ? AND id != ? LIMIT ?)",
        [FOLDED_REF, ts(now), fold.channel, fold.ref, fold.carrier, batch],
    ).rowcount


def release(db: Database, fold: Fold) -> None:
    """Every row folded: the carrier may go out, with the burst's message."""
    db.execute("UPDATE deliveries SET message_ref = NULL WHERE id = ?", [fold.carrier])


def burst(db: Database, delivery_id: int) -> Burst | None:
    """The burst the row carries; its stories as they are now: a story merged into another
    since the flood is listed as the story that holds its reports, once."""
    row = db.execute(
        "SELECT feed, count, stories FROM bursts WHERE delivery_id = ?", [delivery_id]
    ).fetchone()
    if row is None:
        return None
    stories = dict.fromkeys(survivor(db, int(s)) for s in json.loads(row[2]))
    return Burst(str(row[0]), int(row[1]), tuple(stories))


def drop_burst(db: Database, delivery_id: int) -> None:
    """The burst's message is shown: later news of its first story alerts as usual."""
    db.execute("DELETE FROM bursts WHERE delivery_id = ?", [delivery_id])
