"""A damaged or lost database is said so: never a traceback, never a silent new one.

- Damaged: SQLite finds garbage in the file ("database disk image is malformed", "file is not
  a database"). `is_damaged` tells such an error from the others (a locked or full database is
  StorageError's business); `DatabaseDamagedError` says what to do: `watcher db check`, then the
  latest backup.
- Lost: a database that held watcher's history and is now empty (truncated to zero bytes) or
  gone would otherwise be taken for a new one, and every alert waiting in its outbox would
  vanish without a word. Once a database holds history (a feed has been polled), a marker file
  beside it (`<database>.marker`) says so; while the marker is there and the database is empty
  or missing, opening it is refused until `--new-database` (run, poll-once) says to start anew.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from watcher.errors import DatabaseDamagedError, DatabaseLostError

log = logging.getLogger("watcher.store")

_CORRUPT, _NOT_A_DB = 11, 26  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
_MARKER_TEXT = (
    "This file says that the watcher database beside it ({name}) has held history: feeds,\n"
    "stories, alerts waiting to be sent. If that database is ever empty or missing, watcher\n"
    "refuses to start a new one until `watcher run --new-database` (or poll-once) is given:\n"
    "restore the database from a backup instead, if there is one. Do not delete this file.\n"
)


def is_damaged(exc: BaseException) -> bool:
    """Whether a SQLite error says the file itself is corrupt (not busy, full or read-only)."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = exc.sqlite_errorcode  # extended result code; the primary one is its low byte
    return code is not None and code & 0xFF in (_CORRUPT, _NOT_A_DB)


def damaged(exc: sqlite3.DatabaseError, path: Path | None = None) -> DatabaseDamagedError:
    where = f"the database {path}" if path is not None else "the database"
    return DatabaseDamagedError(
        f"{where} is damaged ({exc}). Run `watcher db check` to see what is wrong, then stop "
        "the service and restore the latest backup (`watcher backup` makes them; README, "
        "Backups, says how to restore)"
    )


def marker_path(database: Path) -> Path:
    return database.with_name(database.name + ".marker")


def check_not_lost(database: Path, *, new_database: bool = False) -> None:
    """Refuse an empty or missing database that the marker says held history, unless
    `new_database`; then the marker goes (it is written again once the new one has history)."""
    marker = marker_path(database)
    if not marker.exists():
        return
    if database.exists() and database.stat().st_size > 0:
        return
    if new_database:
        marker.unlink()
        log.warning(
            "starting a new database at %s (--new-database): the old history is gone", database
        )
        return
    state = "empty" if database.exists() else "missing"
    raise DatabaseLostError(
        f"the database {database} is {state}, but it held watcher's history (feeds, stories, "
        f"alerts waiting to be sent; {marker.name} beside it says so): it may have been "
        "truncated or deleted. Restore it from a backup (README, Backups), or, to start "
        "anew with an empty database, run `watcher run --new-database` (or poll-once)"
    )


def write_marker(database: Path) -> bool:
    """Write the marker; False when the folder takes no file (the database is then unguarded)."""
    try:
        marker_path(database).write_text(_MARKER_TEXT.format(name=database.name), "utf-8")
    except OSError:
        return False
    return True
