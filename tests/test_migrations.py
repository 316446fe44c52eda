"""Upgrades never lose data: a database made by the first released schema, filled, then opened.

The old database is written with plain SQL against MIGRATIONS[0] only (not through Store,
whose writes follow the current schema), as a watcher of that release would have left it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from watcher.model import DeliveryStatus, Tier
from watcher.store import Store
from watcher.store.schema import MIGRATIONS, SCHEMA_VERSION
from watcher.store.state import read_state, write_state

T0 = "2026-01-20T08:00:00+00:00"
T1 = "2026-01-20T09:30:00+00:00"

FIRST_RELEASE_ROWS: dict[str, list[tuple[object, ...]]] = {
    "feeds": [
        (
            "https://a.example/rss",
            "Outlet A",
            '"etag-1"',
            "Tue, 20 Jan 2026 08:00:00 GMT",
            "b" * 32,
            T1,
            T1,
            None,
            0,
            T1,
            1,
        ),
        ("https://b.example/rss", "Outlet B", None, None, None, T1, T0, "HTTP 503", 2, T1, 1),
    ],
    "stories": [(1, "Ferry strike called off", T0, T1), (2, "Harbour closed", T0, T0)],
    "items": [
        (
            "guid:a-1",
            "https://a.example/rss",
            "Outlet A",
            "https://a.example/ferry",
            "Ferry strike called off",
            "Unions and the operator agreed.",
            T0,
            T0,
            "h1",
            "a-1",
            1,
            "new",
            0.0,
        ),
        (
            "url:https://b.example/ferry",
            "https://b.example/rss",
            "Outlet B",
            "https://b.example/ferry",
            "Ferry strike ends",
            "The strike is over.",
            T1,
            T1,
            "h2",
            None,
            1,
            "event",
            0.71,
        ),
        (
            "hash:abc",
            "https://b.example/rss",
            "Outlet B",
            "",
            "Harbour closed",
            "Storm.",
            T0,
            T0,
            "h3",
            None,
            2,
            "new",
            0.0,
        ),
    ],
    "seen_keys": [("guid:old-1", T0), ("url:https://a.example/old", T0)],
    "story_matches": [(1, "ferries", '["ferry"]', T0)],
    "deliveries": [
        (1, 1, "desk", '["ferries"]', '["ferry"]', 0, "sent", 2, 2, "17", 0, None, None, T0, T1),
        (2, 2, "log", '["harbour"]', "[]", 1, "pending", 1, 0, None, 3, T1, "HTTP 502", T0, T1),
    ],
}


def first_release_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    for table, rows in FIRST_RELEASE_ROWS.items():
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def dump(path: Path, tables: list[str]) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    out = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        first_columns = columns[: len(FIRST_RELEASE_ROWS[table][0])]
        out[table] = conn.execute(
            f"SELECT {', '.join(first_columns)} FROM {table} ORDER BY rowid"
        ).fetchall()
    conn.close()
    return out


def test_first_release_database_upgrades_without_losing_a_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_release_db(path)
    store = Store(path)
    try:
        assert store.schema_version == SCHEMA_VERSION > 1
    finally:
        store.close()
    # Every row and every column the first release wrote is still there, unchanged (a
    # migration may add rows after them: pruned links remembered under their link_key).
    kept = dump(path, list(FIRST_RELEASE_ROWS))
    assert {t: rows[: len(FIRST_RELEASE_ROWS[t])] for t, rows in kept.items()} == FIRST_RELEASE_ROWS


def test_upgraded_database_reads_back_through_the_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_release_db(path)
    store = Store(path)
    try:
        feed = store.feed_state("https://b.example/rss", "Outlet B")
        assert (feed.error_count, feed.last_error, feed.backlog_done) == (2, "HTTP 503", True)
        assert store.feed_state("https://a.example/rss", "A").etag == '"etag-1"'
        story = store.story(1)
        assert story is not None
        assert [i.link for i in story.items] == [
            "https://a.example/ferry",
            "https://b.example/ferry",
        ]
        assert story.items[1].tier is Tier.EVENT
        assert store.story_rules(1) == {"ferries": ("ferry",)}
        # Known items and remembered (pruned) keys still stop a second alert.
        assert store.item_hash("guid:a-1") == "h1"
        assert store.item_hash("guid:old-1") == ""
        assert store.link_seen("https://a.example/old")
        pending = store.pending_deliveries()
        assert [(d.channel, d.status, d.attempts) for d in pending] == [
            ("log", DeliveryStatus.PENDING, 3)
        ]
        # The new table works on the upgraded file.
        now = datetime(2026, 1, 21, tzinfo=UTC)
        write_state(store.db, now, started_at=now, rules_count=4)
        assert read_state(store.db).rules_count == 4
    finally:
        store.close()


def test_each_migration_is_applied_once_and_in_order(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_release_db(path)
    Store(path).close()
    Store(path).close()  # a second open finds nothing to do
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert {"service_state", *FIRST_RELEASE_ROWS} <= tables
