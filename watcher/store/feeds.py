"""The feeds table's rows and FeedState, each way: one mapping for Store and for state.py,
which reads feeds without a Store (that would migrate the database)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from watcher.model import FeedState
from watcher.store.timestamps import dt, ts

__all__ = ["feed_row", "state_of"]


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
