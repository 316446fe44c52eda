"""Backup while the service writes, integrity check, and the retention prune, on real files."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.errors import StoreError
from watcher.model import Item, Tier
from watcher.pipeline import Pipeline
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.store.maintenance import backup, check, prune
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def item(key: str, link: str, title: str, when: datetime) -> Item:
    return Item(
        key=key,
        feed_url="http://127.0.0.1/f",
        feed_name="F",
        link=link,
        title=title,
        summary=title + " in detail",
        published=when,
        content_hash="h-" + key,
    )


def add_story(store: Store, n: int, when: datetime, items: int = 3) -> int:
    """One story of `items` items in one transaction, the way the pipeline writes."""
    with store.transaction():
        story = store.new_story(f"story {n}", when)
        for k in range(items):
            it = item(f"guid:{n}-{k}", f"https://x.example/{n}/{k}", f"Item {n} {k}", when)
            store.add_item(it, story, Tier.NEW if k == 0 else Tier.COPY, 0.9, when)
    return story


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    yield s
    s.close()


# -- backup ----------------------------------------------------------------------------------


def test_backup_while_another_connection_writes_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    Store(db).close()
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        s = Store(db)  # its own connection, as the service has
        n = 0
        while not stop.is_set():
            add_story(s, n, NOW)
            written.append(n)
            n += 1
        s.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        for k in range(5):
            while len(written) < 50 * (k + 1):
                stop.wait(0.01)
            before = len(written)
            report = backup(db, tmp_path / f"copy{k}.db")
            copies.append((report, before, len(written)))
    finally:
        stop.set()
        thread.join()
    for report, before, after in copies:
        assert report.problems == ()
        conn = sqlite3.connect(report.target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        stories = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
        # One snapshot: every story has its three items, none half-written.
        sizes = {r[0] for r in conn.execute("SELECT count(*) FROM items GROUP BY story_id")}
        conn.close()
        assert sizes == {3}
        assert before <= stories <= after + 1
    assert not list(tmp_path.glob("*.part"))


def test_backup_replaces_an_old_copy_and_is_private(tmp_path: Path, store: Store) -> None:
    add_story(store, 1, NOW)
    target = tmp_path / "b.db"
    target.write_text("an older backup")
    report = backup(store.path, target)
    assert report.schema_version == store.schema_version
    assert target.stat().st_mode & 0o077 == 0
    assert Store(target).story(1) is not None


def test_backup_refuses_a_missing_database_and_itself(tmp_path: Path, store: Store) -> None:
    with pytest.raises(StoreError, match="no database"):
        backup(tmp_path / "typo.db", tmp_path / "b.db")
    assert not (tmp_path / "typo.db").exists()
    with pytest.raises(StoreError, match="must not be the database"):
        backup(store.path, store.path)


# -- check -----------------------------------------------------------------------------------


def test_check_passes_a_sound_database(store: Store) -> None:
    add_story(store, 1, NOW)
    assert check(store.path) == []


def test_check_reports_a_damaged_database(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    s = Store(path)
    for n in range(300):
        add_story(s, n, NOW)
    s.checkpoint()
    s.close()
    page = 4096
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for offset in range(5 * page, len(data) - page, 7 * page):  # scribble over some pages
        data[offset + 100 : offset + 400] = rng.randbytes(300)
    path.write_bytes(bytes(data))
    assert check(path) != []


def test_check_reports_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    path.write_bytes(b"definitely not sqlite" * 300)
    problems = check(path)
    assert problems and "not a readable watcher database" in problems[0]


# -- retention -------------------------------------------------------------------------------


def test_prune_drops_quiet_stories_and_remembers_their_items(store: Store) -> None:
    old = add_story(store, 1, NOW - 40 * DAY)
    recent = add_story(store, 2, NOW - 2 * DAY)
    waiting = add_story(store, 3, NOW - 40 * DAY)
    store.want_delivery(waiting, "desk", ("r",), (), 0, NOW - 40 * DAY)
    store.add_match(old, "r", ("x",), NOW - 40 * DAY)
    report = prune(store.db, NOW, retention=30 * DAY, remember=120 * DAY)
    assert (report.stories, report.items, report.remembered) == (1, 3, 6)
    assert store.story(old) is None
    assert store.story(recent) is not None
    assert store.story(waiting) is not None  # an alert still waits for it
    assert store.story_rules(old) == {}
    # Pruned, but known: the same key or link is never new again.
    assert store.item_hash("guid:1-0") == ""
    assert store.link_seen("https://x.example/1/2")
    assert store.item_hash("guid:2-0") not in ("", None)


def test_prune_keeps_a_backlog_fetched_recently(store: Store) -> None:
    with store.transaction():
        story = store.new_story("old news", NOW - 90 * DAY)
        it = item("guid:b", "https://x.example/b", "Old news", NOW - 90 * DAY)
        store.add_item(it, story, Tier.NEW, 0.0, NOW - DAY)  # published long ago, fetched now
    assert prune(store.db, NOW, 30 * DAY, 120 * DAY).stories == 0
    assert store.story(story) is not None


def test_prune_forgets_remembered_keys_after_a_while(store: Store) -> None:
    add_story(store, 1, NOW - 40 * DAY)
    prune(store.db, NOW - 10 * DAY, 20 * DAY, 60 * DAY)
    assert store.item_hash("guid:1-0") == ""
    assert prune(store.db, NOW + 30 * DAY, 20 * DAY, 60 * DAY).forgotten == 0
    assert prune(store.db, NOW + 51 * DAY, 20 * DAY, 60 * DAY).forgotten == 6
    assert store.item_hash("guid:1-0") is None


def test_an_old_item_reappearing_after_the_prune_alerts_nothing(store: Store) -> None:
    rules = RuleSet([Rule("all", "item", ("desk",))], load_entities([]))
    pipeline = Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # ingest never fetches
        index=StoryIndex(),
        rules=rules,
        clock=lambda: NOW,
        rng=random.Random(1),
    )
    first = item("guid:9", "https://x.example/9", "Item nine", NOW - 40 * DAY)
    assert pipeline.ingest([first], NOW - 40 * DAY, alert=True).new_alerts == 1
    store.mark_sent(store.pending_deliveries()[0], "m1", NOW - 40 * DAY)
    assert prune(store.db, NOW, 30 * DAY, 120 * DAY).stories == 1
    again = pipeline.ingest([first], NOW, alert=True)
    moved = item("guid:other", "https://x.example/9", "Item nine", NOW)  # same link, new guid
    moved_report = pipeline.ingest([moved], NOW, alert=True)
    assert (again.new_items, again.new_alerts) == (0, 0)
    assert (moved_report.new_items, moved_report.new_alerts) == (0, 0)
