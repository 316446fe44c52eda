"""The outbox: one row per (story, channel) in the ``deliveries`` table.

``version`` counts what the channel should show and ``sent_version`` what it shows; a row with
sent_version < version is due. A row is written before any send and updated after it, so a crash
between the two costs at most one duplicate message, never a lost alert.

Statuses: ``pending`` (to send or edit; ``next_attempt`` holds a retry time, a 429's included,
so a restart honours it), ``sent``, ``failed`` (refused for good; kept until `requeue`). A row
shown in a digest has message_ref ``digest:<ref>``; one below the channel's min_priority is
``sent`` without a message_ref, its last_error saying why. ``queued_at`` is when the row last
became due (held alerts are judged by it). Channel state, sends and notices: store/desk.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from watcher.model import Delivery, DeliveryStatus
from watcher.store.timestamps import dt, ts, ts_exact
from watcher.store.timestamps import dt_required as _dt

DIGEST_REF = "digest:"
# A poll's new row, held until the poll settles (store/bursts.py): ``open:<feed url>``.
OPEN_REF = "open:"
FEED_SHARE = 5  # rows of one feed per round in a channel's queue
_QUEUED = """
SELECT * FROM (
    SELECT d.*, s.first_seen AS story_first_seen, row_number() OVER (
        PARTITION BY (SELECT i.feed_url FROM items i WHERE i.story_id = d.story_id
                      ORDER BY i.rowid LIMIT 1)
        ORDER BY s.first_seen, d.id) AS nth
    FROM deliveries d LEFT JOIN stories s ON s.id = d.story_id
    WHERE d.status = 'pending' AND d.channel = ?1
      AND (d.message_ref IS NULL OR d.message_ref NOT LIKE 'open:%')
) ORDER BY (nth - 1) / ?2, story_first_seen, id
"""


@dataclass(frozen=True, slots=True)
class Queued:
    """A pending outbox row and when it last became due."""

    delivery: Delivery
    queued_at: datetime

    @property
    def edit_ref(self) -> str | None:
        """The message to edit; None when the story has no message of its own on the channel."""
        ref = self.delivery.message_ref
        return None if ref is None or ref.startswith(DIGEST_REF) else ref


def _one(db: Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def want_delivery(
    db: Database,
    story_id: int,
    channel: str,
    rules: Iterable[str],
    terms: Iterable[str],
    priority: int,
    now: datetime,
    hold: str | None = None,
) -> bool:
    """Ask for the story to be shown on the channel. True when a new message is needed.

    `hold` writes a new row open (store/bursts.py): not delivered until its poll settles."""
    # Plain statements: sqlite-utils' query() and table().insert() cost a savepoint and a
    # look at the table's schema each, several times the statement itself.
    row = db.execute(
        "SELECT id, rules, terms FROM deliveries WHERE story_id = ? AND channel = ?",
        [story_id, channel],
    ).fetchone()
    if row is None:
        rules_json, terms_json = json.dumps(sorted(set(rules))), json.dumps(sorted(set(terms)))
        status, times = DeliveryStatus.PENDING.value, (ts(now), ts(now), ts_exact(now))
        db.execute(
            "INSERT INTO deliveries (story_id, channel, rules, terms, priority, status, "
            "version, sent_version, created_at, updated_at, queued_at, message_ref) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?)",
            (story_id, channel, rules_json, terms_json, priority, status, *times, hold),
        )
        return True
    delivery_id, old_rules, old_terms = row[0], json.loads(row[1]), json.loads(row[2])
    merged_rules = sorted(set(old_rules) | set(rules))
    merged_terms = sorted(set(old_terms) | set(terms))
    if merged_rules != old_rules or merged_terms != old_terms:
        db.execute(
            "UPDATE deliveries SET rules = ?, terms = ?, priority = max(priority, ?) WHERE id = ?",
            [json.dumps(merged_rules), json.dumps(merged_terms), priority, delivery_id],
        )
        bump_story(db, story_id, now, only=delivery_id)
    return False


def bump_story(db: Database, story_id: int, now: datetime, only: int | None = None) -> int:
    """The story changed (a new source): every channel showing it must be updated."""
    sql = (
        "UPDATE deliveries SET version = version + 1, updated_at = ?, "
        "queued_at = CASE WHEN status = 'sent' THEN ? ELSE queued_at END, "
        "status = CASE WHEN status = 'sent' THEN 'pending' ELSE status END "
        "WHERE story_id = ?"
    )
    params: list[Any] = [ts(now), ts_exact(now), story_id]
    if only is not None:
        sql += " AND id = ?"
        params.append(only)
    return db.execute(sql, params).rowcount


def due_deliveries(db: Database, now: datetime) -> list[Delivery]:
    """Pending rows whose next attempt has come, in the order they were created."""
    return [
        _delivery(r)
        for r in db.query(
            "SELECT * FROM deliveries WHERE status = 'pending' "
            "AND (next_attempt IS NULL OR next_attempt <= ?) ORDER BY id",
            [ts(now)],
        )
    ]


def pending_deliveries(db: Database) -> list[Delivery]:
    return [
        _delivery(r)
        for r in db.query("SELECT * FROM deliveries WHERE status != 'sent' ORDER BY id")
    ]


def queued(db: Database, channel: str, share: int = FEED_SHARE) -> list[Queued]:
    """Every pending row of one channel, due or not, oldest story first (by the time of
    its first report; then in the order the rows were created): alerts that piled up
    while watcher or the channel was down go out in the order the news broke.

    Fair across feeds: each feed (the one that brought the story's first report) has
    `share` rows in each round, so one busy feed never holds another's news back for long.
    Open rows (a poll still being ingested, store/bursts.py) are not listed yet."""
    return [
        Queued(_delivery(r), _dt(r["queued_at"] or r["created_at"]))
        for r in db.query(_QUEUED, [channel, share])
    ]


def channels_with_pending(db: Database) -> list[str]:
    return [
        str(r[0])
        for r in db.execute(
            "SELECT DISTINCT channel FROM deliveries WHERE status = 'pending' "
            "AND (message_ref IS NULL OR message_ref NOT LIKE 'open:%') ORDER BY channel"
        ).fetchall()
    ]


def delivery(db: Database, delivery_id: int) -> Delivery | None:
    row = _one(db, "SELECT * FROM deliveries WHERE id = ?", [delivery_id])
    return None if row is None else _delivery(row)


def mark_sent(db: Database, delivery: Delivery, ref: str | None, now: datetime) -> None:
    """The channel shows `delivery.version` (under `ref`; None keeps the row's ref). The
    row stays pending while it is behind or has a follow-up to send (store/followups.py)."""
    db.execute(
        "UPDATE deliveries SET message_ref = coalesce(?, message_ref), sent_version = ?, "
        "attempts = 0, last_error = NULL, next_attempt = NULL, updated_at = ?, "
        "status = CASE WHEN version <= ? AND NOT EXISTS (SELECT 1 FROM followups f "
        "WHERE f.delivery_id = deliveries.id AND f.status = 'pending') "
        "THEN 'sent' ELSE 'pending' END WHERE id = ?",
        [ref, delivery.version, ts(now), delivery.version, delivery.id],
    )


def mark_skipped(db: Database, delivery: Delivery, reason: str, now: datetime) -> None:
    """Deliberately not shown (below the channel's min_priority); the reason is kept."""
    mark_sent(db, delivery, None, now)
    db.execute("UPDATE deliveries SET last_error = ? WHERE id = ?", [reason, delivery.id])


def mark_retry(
    db: Database, delivery: Delivery, error: str, next_attempt: datetime, now: datetime
) -> None:
    db.execute(
        "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt = ?, "
        "updated_at = ? WHERE id = ?",
        [error, ts(ceil_second(next_attempt)), ts(now), delivery.id],
    )


def mark_failed(db: Database, delivery: Delivery, error: str, now: datetime) -> None:
    db.execute(
        "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, last_error = ?, "
        "next_attempt = NULL, updated_at = ? WHERE id = ?",
        [error, ts(now), delivery.id],
    )


def requeue(db: Database, delivery_id: int | None, now: datetime) -> int:
    """Failed rows (and pending ones waiting out a backoff) become due now, attempts reset."""
    sql = (
        "UPDATE deliveries SET status = 'pending', next_attempt = NULL, attempts = 0, "
        "updated_at = ? WHERE (status = 'failed' OR (status = 'pending' AND "
        "next_attempt IS NOT NULL))"
    )
    params: list[Any] = [ts(now)]
    if delivery_id is not None:
        sql += " AND id = ?"
        params.append(delivery_id)
    return db.execute(sql, params).rowcount


def next_attempt_time(db: Database) -> datetime | None:
    row = db.execute("SELECT min(next_attempt) FROM deliveries WHERE status = 'pending'").fetchone()
    return dt(row[0]) if row and row[0] else None


def last_message_number(db: Database, channel: str, *, admin: bool = False) -> int:
    """The highest numeric message ref the database holds for the channel (its alerts,
    digests and follow-ups; with `admin`, the admin notices too): where the console
    channel's numbering goes on after a restart. 0 when there is none."""
    # A digest's ref is "digest:N"; the number is what follows the colon.
    queries = [
        "SELECT max(CAST(substr(message_ref, instr(message_ref, ':') + 1) AS INTEGER)) "
        "FROM deliveries WHERE channel = ?1 AND message_ref IS NOT NULL",
        "SELECT max(CAST(f.message_ref AS INTEGER)) FROM followups f "
        "JOIN deliveries d ON d.id = f.delivery_id WHERE d.channel = ?1 "
        "AND f.message_ref IS NOT NULL",
    ]
    if admin:
        queries.append(
            "SELECT max(CAST(message_ref AS INTEGER)) FROM notices "
            "WHERE message_ref IS NOT NULL AND ?1 IS NOT NULL"
        )
    found = (db.execute(sql, [channel]).fetchone()[0] for sql in queries)
    return max((int(n) for n in found if n is not None), default=0)


def outbox_depth(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM deliveries WHERE status != 'sent'").fetchone()[0])


def failed_count(db: Database, channel: str) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM deliveries WHERE channel = ? AND status = 'failed'", [channel]
        ).fetchone()[0]
    )


def outbox_rows(db: Database) -> list[tuple[Delivery, str]]:
    """Pending and failed rows with their story's title, for `watcher outbox`."""
    return [
        (_delivery(r), r["story_title"] or "")
        for r in db.query(
            "SELECT d.*, s.title AS story_title FROM deliveries d "
            "LEFT JOIN stories s ON s.id = d.story_id WHERE d.status != 'sent' ORDER BY d.id"
        )
    ]


def story_deliveries(db: Database, story_id: int) -> list[Delivery]:
    """Where a story was (or is to be) alerted: one row per channel (the desk page)."""
    return [
        _delivery(r)
        for r in db.query(
            "SELECT * FROM deliveries WHERE story_id = ? ORDER BY channel", [story_id]
        )
    ]


def ceil_second(moment: datetime) -> datetime:
    """Up to the next whole second: times are stored in seconds, and a retry-after must not be
    cut short."""
    if moment.microsecond == 0:
        return moment
    return moment.replace(microsecond=0) + timedelta(seconds=1)


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
