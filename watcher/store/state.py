"""What the running service records about itself, and the outbox seen per channel.

The ``service_state`` table (schema 2) holds key/value rows the service writes as it goes (when
it started and stopped, its last poll cycle, which rules it loaded and when, a refused reload)
so that `watcher status`, another process, can tell how it is. Values are text; `ServiceRecord`
is their typed view. `channel_backlogs` summarises the deliveries table per channel.

Every function takes the sqlite-utils Database, so the service (through its Store) and the
status command (through a connection that never migrates) share them. A database from before
schema 2 simply has no record.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime

import sqlite_utils

from watcher.store.timestamps import dt, ts


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    """The service's own account of itself; every field None until it has been written."""

    started_at: datetime | None = None
    stopped_at: datetime | None = None
    pid: int | None = None
    version: str | None = None
    last_cycle: datetime | None = None  # the last poll tick (written every few seconds)
    rules_loaded_at: datetime | None = None
    rules_reason: str | None = None  # "start", "SIGHUP", "rule files changed"
    rules_count: int | None = None
    rules_in_force: int | None = None  # enabled rules; 0: the desk gets no alerts
    rules_files: tuple[str, ...] = ()
    rules_refused_at: datetime | None = None  # the last reload refused (None once one succeeds)
    rules_refused_error: str | None = None
    feeds_loaded_at: datetime | None = None
    feeds_count: int | None = None
    config_refused_at: datetime | None = (
        None  # the last config reload refused (None once one works)
    )
    config_refused_error: str | None = None
    storage_failing_since: datetime | None = None  # the database refuses writes (disk full)
    storage_error: str | None = None

    @property
    def running(self) -> bool:
        """Started and not stopped since (whether it is still alive is the last cycle's say)."""
        if self.started_at is None:
            return False
        return self.stopped_at is None or self.stopped_at < self.started_at


_TIMES = {
    "started_at",
    "stopped_at",
    "last_cycle",
    "rules_loaded_at",
    "rules_refused_at",
    "feeds_loaded_at",
    "config_refused_at",
    "storage_failing_since",
}
_INTS = {"pid", "rules_count", "rules_in_force", "feeds_count"}


def to_values(**values: object) -> dict[str, str]:
    """Typed ServiceRecord fields -> the text stored for them ("" stands for None)."""
    known = {f.name for f in fields(ServiceRecord)}
    out: dict[str, str] = {}
    for key, value in values.items():
        if key not in known:
            raise KeyError(f"not a ServiceRecord field: {key}")
        if value is None:
            out[key] = ""
        elif isinstance(value, datetime):
            out[key] = ts(value) or ""
        elif isinstance(value, tuple | list):
            out[key] = json.dumps(list(value))
        else:
            out[key] = str(value)
    return out


def from_values(values: Mapping[str, str]) -> ServiceRecord:
    """Stored text -> ServiceRecord; unknown keys (from a newer watcher) are ignored."""
    typed: dict[str, object] = {}
    for f in fields(ServiceRecord):
        raw = values.get(f.name, "")
        if raw == "":
            continue
        if f.name in _TIMES:
            typed[f.name] = dt(raw)
        elif f.name in _INTS:
            typed[f.name] = int(raw)
        elif f.name == "rules_files":
            typed[f.name] = tuple(json.loads(raw))
        else:
            typed[f.name] = raw
    return ServiceRecord(**typed)  # type: ignore[arg-type]


def write_state(db: sqlite_utils.Database, now: datetime, **values: object) -> None:
    """Record some ServiceRecord fields (None clears one)."""
    rows = [(key, text, ts(now)) for key, text in to_values(**values).items()]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO service_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            rows,
        )


PROBE_KEY = "storage_probe"  # a service_state row that only the write probe uses


def probe_write(db: sqlite_utils.Database, size: int) -> None:
    """Write `size` bytes and take them away again, each committed (storage_watch.py asks
    whether the disk has room again)."""
    db.execute(
        "INSERT INTO service_state (key, value, updated_at) VALUES (?, ?, '') "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [PROBE_KEY, "x" * size],
    )
    db.execute("DELETE FROM service_state WHERE key = ?", [PROBE_KEY])


def read_state(db: sqlite_utils.Database) -> ServiceRecord:
    try:
        rows = db.execute("SELECT key, value FROM service_state").fetchall()
    except sqlite3.OperationalError:  # a database from before schema 2
        return ServiceRecord()
    return from_values({str(k): str(v) for k, v in rows})


@dataclass(frozen=True, slots=True)
class ChannelBacklog:
    """One channel's outbox rows that are not (yet) shown as they should be, and its state.

    Rows held on purpose (a digest period, quiet hours) are waiting, not late: only rows that
    were tried and failed say something about the channel's health.
    """

    channel: str
    waiting: int = 0  # pending: to be sent or edited (held ones included)
    retrying: int = 0  # pending rows that already failed at least once
    failed: int = 0  # refused for good; kept until an operator requeues them
    oldest_retrying: datetime | None = None  # since when the oldest retried row has been due
    last_error: str | None = None
    failing_since: datetime | None = None  # the delivery side marked the channel failing
    failing_reason: str | None = None


def channel_backlogs(db: sqlite_utils.Database) -> list[ChannelBacklog]:
    """Per channel: waiting, retrying and failed rows, the oldest retry, the latest error."""
    rows = db.execute(
        "SELECT channel, "
        "sum(status = 'pending'), sum(status = 'pending' AND attempts > 0), "
        "sum(status = 'failed'), "
        "min(CASE WHEN status = 'pending' AND attempts > 0 "
        "    THEN coalesce(queued_at, created_at) END), "
        "(SELECT last_error FROM deliveries AS d WHERE d.channel = deliveries.channel "
        " AND d.last_error IS NOT NULL ORDER BY d.updated_at DESC LIMIT 1) "
        "FROM deliveries WHERE status != 'sent' GROUP BY channel"
    ).fetchall()
    found = {
        str(name): ChannelBacklog(str(name), int(wait or 0), int(retry or 0), int(fail or 0),
                                  dt(old), err)
        for name, wait, retry, fail, old, err in rows
    }  # fmt: skip
    for name, since, reason in _failing_channels(db):
        base = found.get(name, ChannelBacklog(name))
        found[name] = replace(base, failing_since=dt(since), failing_reason=reason)
    return [found[name] for name in sorted(found)]


def _failing_channels(db: sqlite_utils.Database) -> list[tuple[str, str, str | None]]:
    try:
        return [
            (str(name), str(since), reason)
            for name, since, reason in db.execute(
                "SELECT channel, failing_since, failing_reason FROM channel_state "
                "WHERE failing_since IS NOT NULL"
            ).fetchall()
        ]
    except sqlite3.OperationalError:  # a database from before the channel_state table
        return []
