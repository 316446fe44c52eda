"""What delivery remembers besides the outbox rows: channel state, recent sends, admin notices.

- ``channel_state``: per channel, where its chat lives now (a Telegram group upgraded to a
  supergroup), whether it is failing (and until when it is held), and its last digest.
- ``sends``: one row per message or edit sent, kept for an hour or two: pacing after a restart
  and the ``max_per_hour`` cap read it.
- ``incidents`` and ``notices``: an incident is open from `raise` to `resolve` (one notice each
  way, however often it is raised meanwhile); ``notices`` is the admin channel's own outbox.

Times in ``sends`` keep microseconds (pacing is sub-second); elsewhere whole seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from watcher.store.timestamps import dt, ts
from watcher.store.timestamps import dt_required as _dt

SEND_MEMORY = timedelta(hours=2)  # sends older than this are forgotten


@dataclass(frozen=True, slots=True)
class ChannelState:
    channel: str
    configured_chat: str | None = None  # the chat id the config named when the chat moved
    chat_id: str | None = None  # where it lives now
    failing_since: datetime | None = None
    failing_reason: str | None = None
    hold_until: datetime | None = None  # nothing is sent to the channel before this
    last_digest_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """One admin message: an incident raised or resolved."""

    id: int
    incident_key: str
    kind: str  # "raised" | "resolved"
    text: str
    status: str  # "pending" | "sent" | "failed" | "logged" (no admin channel configured)
    attempts: int
    next_attempt: datetime | None
    last_error: str | None
    created_at: datetime


def _micro(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


# -- channel state -----------------------------------------------------------------------


def channel_state(db: Database, channel: str) -> ChannelState:
    rows = list(db.query("SELECT * FROM channel_state WHERE channel = ?", [channel]))
    return _channel_state(rows[0]) if rows else ChannelState(channel)


def channel_states(db: Database) -> list[ChannelState]:
    return [_channel_state(r) for r in db.query("SELECT * FROM channel_state ORDER BY channel")]


def _set_channel(db: Database, channel: str, now: datetime, **fields: Any) -> None:
    db.execute(
        "INSERT OR IGNORE INTO channel_state (channel, updated_at) VALUES (?, ?)",
        [channel, ts(now)],
    )
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(
        f"UPDATE channel_state SET {assignments}, updated_at = ? WHERE channel = ?",
        [*fields.values(), ts(now), channel],
    )


def record_chat_move(
    db: Database, channel: str, configured: str, chat_id: str, now: datetime
) -> None:
    _set_channel(db, channel, now, configured_chat=configured, chat_id=chat_id)


def mark_channel_failing(
    db: Database, channel: str, reason: str, hold_until: datetime, now: datetime
) -> bool:
    """Hold the channel until `hold_until`. True when it was not failing before."""
    before = channel_state(db, channel)
    _set_channel(
        db,
        channel,
        now,
        failing_since=ts(before.failing_since or now),
        failing_reason=reason,
        hold_until=ts(hold_until),
    )
    return before.failing_since is None


def clear_channel_failing(db: Database, channel: str, now: datetime) -> bool:
    """The channel delivers again. True when it had been failing."""
    if channel_state(db, channel).failing_since is None:
        return False
    _set_channel(db, channel, now, failing_since=None, failing_reason=None, hold_until=None)
    return True


def release_channel_holds(db: Database, channels: list[str] | None, now: datetime) -> int:
    """Let held channels be tried at once (an operator's `watcher outbox retry`)."""
    sql = "UPDATE channel_state SET hold_until = NULL, updated_at = ? WHERE hold_until IS NOT NULL"
    params: list[Any] = [ts(now)]
    if channels is not None:
        sql += f" AND channel IN ({', '.join('?' for _ in channels)})"
        params.extend(channels)
    return db.execute(sql, params).rowcount


def set_last_digest(db: Database, channel: str, now: datetime) -> None:
    _set_channel(db, channel, now, last_digest_at=ts(now))


# -- sends -------------------------------------------------------------------------------


def record_send(db: Database, channel: str, kind: str, now: datetime) -> None:
    """A message ("message", "digest", "notice") or an "edit" went to the channel."""
    db.execute(
        "INSERT INTO sends (channel, kind, sent_at) VALUES (?, ?, ?)",
        [channel, kind, _micro(now)],
    )
    db.execute("DELETE FROM sends WHERE sent_at < ?", [_micro(now - SEND_MEMORY)])


def sends_since(
    db: Database, channel: str, since: datetime, *, edits: bool = True
) -> list[datetime]:
    sql = "SELECT sent_at FROM sends WHERE channel = ? AND sent_at >= ?"
    if not edits:
        sql += " AND kind != 'edit'"
    rows = db.execute(sql + " ORDER BY sent_at", [channel, _micro(since)]).fetchall()
    return [_dt(r[0]) for r in rows]


# -- incidents and notices ---------------------------------------------------------------


def open_incident(db: Database, key: str, text: str, now: datetime) -> bool:
    """Open (or reopen) an incident. False when it is already open: nothing new to say."""
    rows = list(db.query("SELECT * FROM incidents WHERE key = ?", [key]))
    if rows and rows[0]["resolved_at"] is None:
        db.execute(
            "UPDATE incidents SET last_seen = ?, occurrences = occurrences + 1 WHERE key = ?",
            [ts(now), key],
        )
        return False
    db.execute(
        "INSERT OR REPLACE INTO incidents (key, text, opened_at, last_seen, occurrences, "
        "resolved_at) VALUES (?, ?, ?, ?, 1, NULL)",
        [key, text, ts(now), ts(now)],
    )
    return True


def close_incident(db: Database, key: str, now: datetime) -> str | None:
    """Resolve an open incident; its text, or None when it was not open."""
    row = db.execute(
        "SELECT text FROM incidents WHERE key = ? AND resolved_at IS NULL", [key]
    ).fetchone()
    if row is None:
        return None
    db.execute("UPDATE incidents SET resolved_at = ? WHERE key = ?", [ts(now), key])
    return str(row[0])


def incident_is_open(db: Database, key: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM incidents WHERE key = ? AND resolved_at IS NULL", [key]
    ).fetchone()
    return row is not None


def open_incidents(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM incidents WHERE resolved_at IS NULL ORDER BY key"))


def queue_notice(db: Database, key: str, kind: str, text: str, now: datetime) -> int:
    cursor = db.execute(
        "INSERT INTO notices (incident_key, kind, text, status, created_at, updated_at) "
        "VALUES (?, ?, ?, 'pending', ?, ?)",
        [key, kind, text, ts(now), ts(now)],
    )
    return int(cursor.lastrowid or 0)


def notices(db: Database, statuses: tuple[str, ...] = ("pending",)) -> list[Notice]:
    marks = ", ".join("?" for _ in statuses)
    return [
        _notice(r)
        for r in db.query(
            f"SELECT * FROM notices WHERE status IN ({marks}) ORDER BY id", list(statuses)
        )
    ]


def mark_notice(
    db: Database,
    notice_id: int,
    status: str,
    now: datetime,
    *,
    error: str | None = None,
    next_attempt: datetime | None = None,
    ref: str | None = None,
) -> None:
    tried = status != "logged"
    db.execute(
        "UPDATE notices SET status = ?, attempts = attempts + ?, last_error = ?, "
        "next_attempt = ?, message_ref = coalesce(?, message_ref), updated_at = ? "
        "WHERE id = ?",
        [status, int(tried), error, ts(next_attempt), ref, ts(now), notice_id],
    )


def requeue_notices(db: Database, now: datetime) -> int:
    return db.execute(
        "UPDATE notices SET status = 'pending', attempts = 0, next_attempt = NULL, "
        "updated_at = ? WHERE status = 'failed' OR (status = 'pending' AND next_attempt "
        "IS NOT NULL)",
        [ts(now)],
    ).rowcount


def _channel_state(row: dict[str, Any]) -> ChannelState:
    return ChannelState(
        channel=row["channel"],
        configured_chat=row["configured_chat"],
        chat_id=row["chat_id"],
        failing_since=dt(row["failing_since"]),
        failing_reason=row["failing_reason"],
        hold_until=dt(row["hold_until"]),
        last_digest_at=dt(row["last_digest_at"]),
    )


def _notice(row: dict[str, Any]) -> Notice:
    return Notice(
        id=int(row["id"]),
        incident_key=row["incident_key"],
        kind=row["kind"],
        text=row["text"],
        status=row["status"],
        attempts=int(row["attempts"]),
        next_attempt=dt(row["next_attempt"]),
        last_error=row["last_error"],
        created_at=_dt(row["created_at"]),
    )
