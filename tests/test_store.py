"""The SQLite store on real files: schema, items, stories, the outbox's version counting."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.errors import StoreError
from watcher.model import DeliveryStatus, FeedState, Item, Tier
from watcher.store import SCHEMA_VERSION, Store

NOW = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)


def item(key: str, link: str = "", title: str = "A title", when: datetime = NOW) -> Item:
    return Item(
        key=key,
        feed_url="http://127.0.0.1/f",
        feed_name="F",
        link=link,
        title=title,
        summary="text",
        published=when,
        content_hash="h-" + title,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "w.db")
    yield s  # type: ignore[misc]
    s.close()


def test_new_database_is_at_current_schema_in_wal(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    mode = store.db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this watcher"):
        Store(path)


def test_feed_state_round_trip(store: Store) -> None:
    state = store.feed_state("http://127.0.0.1/f", "F")
    assert state == FeedState(url="http://127.0.0.1/f", name="F")
    changed = FeedState(
        url=state.url,
        name="F",
        etag='"e1"',
        last_success=NOW,
        error_count=0,
        next_poll=NOW + timedelta(minutes=5),
        backlog_done=True,
    )
    store.save_feed_state(changed)
    assert store.feed_state(state.url, "F") == changed


def test_items_known_by_key_and_link(store: Store) -> None:
    sid = store.new_story("A title", NOW)
    store.add_item(item("guid:1", "https://a.example/x"), sid, Tier.NEW, 0.0, NOW)
    assert store.item_hash("guid:1") == "h-A title"
    assert store.item_hash("guid:2") is None
    assert store.link_seen("https://a.example/x")
    assert not store.link_seen("https://a.example/y")
    assert not store.link_seen("")


def test_edited_item_keeps_story(store: Store) -> None:
    sid = store.new_story("A title", NOW)
    store.add_item(item("guid:1"), sid, Tier.NEW, 0.0, NOW)
    assert store.update_item_text(item("guid:1", title="Edited")) == sid
    story = store.story(sid)
    assert story is not None and story.items[0].title == "Edited"


def test_story_items_in_time_order(store: Store) -> None:
    sid = store.new_story("first", NOW)
    store.add_item(item("k2", when=NOW + timedelta(hours=1)), sid, Tier.EVENT, 0.7, NOW)
    store.add_item(item("k1"), sid, Tier.NEW, 0.0, NOW)
    story = store.story(sid)
    assert story is not None
    assert [i.item_key for i in story.items] == ["k1", "k2"]
    assert story.last_seen == NOW + timedelta(hours=1)
    assert [s.id for s in store.recent_stories()] == [sid]


def test_outbox_one_row_per_story_and_channel(store: Store) -> None:
    sid = store.new_story("t", NOW)
    assert store.want_delivery(sid, "desk", ["r1"], ["Iran"], 0, NOW)
    assert not store.want_delivery(sid, "desk", ["r1"], ["Iran"], 0, NOW)
    (due,) = store.due_deliveries(NOW)
    assert (due.version, due.sent_version, due.status) == (1, 0, DeliveryStatus.PENDING)
    store.mark_sent(due, "m1", NOW)
    assert store.due_deliveries(NOW) == []
    # A second rule on the same story: no new message, but the existing one is edited.
    assert not store.want_delivery(sid, "desk", ["r2"], ["UNHRC"], 0, NOW)
    (edit,) = store.due_deliveries(NOW)
    assert edit.message_ref == "m1" and edit.version == 2 and set(edit.rules) == {"r1", "r2"}


def test_bump_during_send_keeps_row_due(store: Store) -> None:
    sid = store.new_story("t", NOW)
    store.want_delivery(sid, "desk", ["r"], [], 0, NOW)
    (taken,) = store.due_deliveries(NOW)
    store.bump_story(sid, NOW)  # a new source arrives while the send is in flight
    store.mark_sent(taken, "m1", NOW)
    (again,) = store.due_deliveries(NOW)
    assert again.message_ref == "m1" and again.version == 2 and again.sent_version == 1


def test_retry_and_failure_states(store: Store) -> None:
    sid = store.new_story("t", NOW)
    store.want_delivery(sid, "desk", ["r"], [], 0, NOW)
    (row,) = store.due_deliveries(NOW)
    store.mark_retry(row, "429", NOW + timedelta(seconds=30), NOW)
    assert store.due_deliveries(NOW) == []
    assert store.next_attempt_time() == NOW + timedelta(seconds=30)
    (later,) = store.due_deliveries(NOW + timedelta(seconds=31))
    assert later.attempts == 1 and later.last_error == "429"
    store.mark_failed(later, "chat not found", NOW)
    assert store.due_deliveries(NOW + timedelta(days=1)) == []
    assert store.outbox_depth() == 1
    assert store.requeue(None, NOW) == 1
    assert len(store.due_deliveries(NOW)) == 1


def test_state_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    first = Store(path)
    sid = first.new_story("kept", NOW)
    first.want_delivery(sid, "desk", ["r"], [], 0, NOW)
    first.close()
    second = Store(path)
    assert [d.story_id for d in second.due_deliveries(NOW)] == [sid]
    second.close()
