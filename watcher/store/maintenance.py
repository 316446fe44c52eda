"""Upkeep of the database file: online backup, integrity check, and the retention prune.

- `backup` copies the database with SQLite's online backup API in one step: the copy is one
  consistent snapshot even while the service writes (WAL readers do not block the writer), it
  is written beside the target and renamed into place, then checked.
- `check` runs ``PRAGMA integrity_check`` and ``foreign_key_check`` and compares the schema
  version with this watcher's.
- `prune` drops stories (with their items, matches and deliveries) that have been quiet for
  longer than the retention, and remembers their item keys and links in ``seen_keys`` so an old
  item that re-appears in a feed is still known and never alerts again. Those memories are kept
  longer (`remember`) and then forgotten too. Admin notices settled (sent, logged, failed) and
  incidents resolved longer ago than the retention go as well.

None of these migrate the database: they open it with plain sqlite3 (backup, check) or are
handed the service's own connection (prune).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlite_utils

from watcher.errors import StoreError
from watcher.store.schema import SCHEMA_VERSION
from watcher.store.timestamps import ts


def connect_existing(path: Path, *, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection to an existing database; never creates one (a typo must not make a file)."""
    if not path.is_file():
        raise StoreError(f"no database at {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout)
    except sqlite3.OperationalError:
        # A user who may only read the file (a monitor) still gets status and check.
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from exc
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return conn


# -- backup ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupReport:
    target: Path
    bytes: int
    schema_version: int
    problems: tuple[str, ...]  # integrity check of the copy; empty when it is sound


def backup(source: Path, target: Path) -> BackupReport:
    """Copy `source` to `target` as one consistent snapshot, safe while the service writes."""
    if target.resolve() == source.resolve():
        raise StoreError("the backup file must not be the database itself")
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    # Created 0600 before SQLite opens it: a backup holds everything the database holds.
    os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src = connect_existing(source)
    try:
        dest = sqlite3.connect(part)
        try:
            # pages=-1: the whole database in one step, under one read snapshot. A stepwise
            # copy would restart every time the service writes in between.
            src.backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = _problems(dest)
            version = int(dest.execute("PRAGMA user_version").fetchone()[0])
        finally:
            dest.close()
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise StoreError(f"backup of {source} failed: {exc}") from exc
    finally:
        src.close()
    os.replace(part, target)
    return BackupReport(target, target.stat().st_size, version, tuple(problems))


# -- check -----------------------------------------------------------------------------------


def check(path: Path) -> list[str]:
    """Every problem found in the database at `path`; an empty list when it is sound."""
    conn = connect_existing(path)
    try:
        problems = _problems(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return [f"not a readable watcher database: {exc}"]
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        problems.append(f"schema version {version} is newer than this watcher's ({SCHEMA_VERSION})")
    return problems


def _problems(conn: sqlite3.Connection) -> list[str]:
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    problems = [] if rows == ["ok"] else rows
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table} row {rowid} refers to a missing {parent} row")
    return problems


# -- retention -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PruneReport:
    stories: int = 0
    items: int = 0
    remembered: int = 0  # keys and links added to seen_keys
    forgotten: int = 0  # seen_keys older than `remember` dropped
    notices: int = 0  # admin notices settled before the cutoff
    incidents: int = 0  # incidents resolved before the cutoff


def prune(
    db: sqlite_utils.Database, now: datetime, retention: timedelta, remember: timedelta
) -> PruneReport:
    """Drop stories quiet for longer than `retention`; remember their items' keys and links.

    A story is kept while any of its items was fetched within the retention (a backlog of old
    items fetched today is not dropped at once) or while it still has an alert waiting.
    """
    cutoff, stamp = ts(now - retention), ts(now)
    with db.atomic():
        db.execute("DROP TABLE IF EXISTS temp.prune_ids")
        db.execute(
            "CREATE TEMP TABLE prune_ids AS SELECT id FROM stories s WHERE last_seen < ? "
            "AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = s.id AND fetched_at >= ?) "
            "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.story_id = s.id "
            "AND d.status = 'pending')",
            [cutoff, cutoff],
        )
        remembered = _execute(
            db,
            "INSERT OR IGNORE INTO seen_keys (key, seen_at) "
            "SELECT key, ? FROM items WHERE story_id IN (SELECT id FROM prune_ids) "
            "UNION SELECT 'link:' || link_key, ? FROM items "
            "WHERE story_id IN (SELECT id FROM prune_ids) AND link_key != ''",
            [stamp, stamp],
        )
        _execute(
            db,
            "DELETE FROM followups WHERE delivery_id IN (SELECT id FROM deliveries "
            "WHERE story_id IN (SELECT id FROM prune_ids))",
        )
        for table in ("deliveries", "story_matches"):
            _execute(db, f"DELETE FROM {table} WHERE story_id IN (SELECT id FROM prune_ids)")
        _execute(
            db,
            "DELETE FROM story_merges WHERE absorbed IN (SELECT id FROM prune_ids) "
            "OR survivor IN (SELECT id FROM prune_ids)",
        )
        items = _execute(db, "DELETE FROM items WHERE story_id IN (SELECT id FROM prune_ids)")
        stories = _execute(db, "DELETE FROM stories WHERE id IN (SELECT id FROM prune_ids)")
        forgotten = _execute(db, "DELETE FROM seen_keys WHERE seen_at < ?", [ts(now - remember)])
        db.execute("DROP TABLE temp.prune_ids")
        notices = _execute(
            db, "DELETE FROM notices WHERE status != 'pending' AND updated_at < ?", [cutoff]
        )
        incidents = _execute(db, "DELETE FROM incidents WHERE resolved_at < ?", [cutoff])
    return PruneReport(stories, items, remembered, forgotten, notices, incidents)


def _execute(db: sqlite_utils.Database, sql: str, params: list[object] | None = None) -> int:
    return int(db.execute(sql, params or []).rowcount)
