"""The ``feeds`` table: one row per configured feed, its FeedState (validators, schedule, health).

`feed_row` and `state_of` map a row and a FeedState each way. `feed_states` works on any
connection, the read-only one of `watcher status` included.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from watcher.model import FeedState
from watcher.store.timestamps import dt, ts


def feed_row(state: FeedState) -> dict[str, Any]:
    return {
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
        "moved_to": state.moved_to,
        "disabled_at": ts(state.disabled_at),
        "disabled_reason": state.disabled_reason,
        "failing_since": ts(state.failing_since),
        "noticed_at": ts(state.noticed_at),
        "ttl_seconds": None if state.ttl is None else int(state.ttl.total_seconds()),
        "last_new_at": ts(state.last_new_at),
        "new_gaps": json.dumps(list(state.new_gaps)) if state.new_gaps else None,
        "stale_since": ts(state.stale_since),
    }


def state_of(row: dict[str, Any]) -> FeedState:
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
        moved_to=row["moved_to"],
        disabled_at=dt(row["disabled_at"]),
        disabled_reason=row["disabled_reason"],
        failing_since=dt(row["failing_since"]),
        noticed_at=dt(row["noticed_at"]),
        ttl=None if row["ttl_seconds"] is None else timedelta(seconds=row["ttl_seconds"]),
        last_new_at=dt(row["last_new_at"]),
        new_gaps=tuple(json.loads(row["new_gaps"])) if row["new_gaps"] else (),
        stale_since=dt(row["stale_since"]),
    )


def feed_state(db: Database, url: str, name: str) -> FeedState:
    """The feed's stored state; a feed seen for the first time gets its row (and a new state)."""
    # A plain statement, not query(): this runs once per poll, and query() wraps each read in
    # a savepoint of its own (two more statements).
    cursor = db.execute("SELECT * FROM feeds WHERE url = ?", [url])
    rows = cursor.fetchall()
    if not rows:
        db.execute("INSERT OR IGNORE INTO feeds (url, name) VALUES (?, ?)", [url, name])
        return FeedState(url=url, name=name)
    return state_of(dict(zip([column[0] for column in cursor.description], rows[0], strict=True)))


def save_feed_state(db: Database, state: FeedState) -> None:
    # Plain SQL rather than table().upsert(): this runs once per poll, thousands a minute.
    row = feed_row(state)
    db.execute(_SAVE_FEED, [row[c] for c in _FEED_COLUMNS])


def feed_states(db: Database) -> list[FeedState]:
    """Every feed row, by name."""
    return [state_of(r) for r in db.query("SELECT * FROM feeds ORDER BY name")]


def enable_feed(db: Database, url: str) -> bool:
    """Clear a feed's disabled mark so it is polled at once; False if the feed is unknown.

    Its move is forgotten too (the configured URL is tried again), but not its failing
    record: the next successful poll resolves the admin notice.
    """
    cursor = db.execute(
        "UPDATE feeds SET disabled_at = NULL, disabled_reason = NULL, next_poll = NULL, "
        "moved_to = NULL, error_count = 0 WHERE url = ?",
        [url],
    )
    return cursor.rowcount > 0


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
