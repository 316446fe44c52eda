"""Pipeline.ingest in-process: stories, rules and the outbox meeting on a real SQLite file."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.model import DeliveryStatus, Item
from watcher.pipeline import Pipeline
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

RULES = """
[[rule]]
name = "quake"
query = "earthquake AND Chile"
channels = ["desk"]
"""


def item(key: str, title: str, summary: str, minutes: int = 0, feed: str = "A") -> Item:
    return Item(
        key=key,
        feed_url=f"https://{feed}.example/rss",
        feed_name=feed,
        link=f"https://{feed}.example/{key}",
        title=title,
        summary=summary,
        published=NOW + timedelta(minutes=minutes),
        content_hash=f"{title}|{summary}",
    )


QUAKE = (
    "A magnitude 7.1 earthquake struck off the coast of northern Chile near Antofagasta on "
    "Monday, the national seismology office said. Buildings swayed in Santiago and a tsunami "
    "warning was issued for the Antofagasta coast before being lifted."
)


@pytest.fixture
def pipeline(tmp_path: Path) -> Iterator[Pipeline]:
    (tmp_path / "r.toml").write_text(RULES)
    store = Store(tmp_path / "w.db")
    yield Pipeline(
        store=store,
        fetcher=None,
        index=StoryIndex(),  # type: ignore[arg-type]
        rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
        clock=lambda: NOW,
        rng=random.Random(0),
    )
    store.close()


def make_pipeline(tmp_path: Path, rules: str, clock: Callable[[], datetime]) -> Pipeline:
    """A Pipeline on a new database in `tmp_path` with `rules` (a rule file's text) for "desk";
    the caller closes its store."""
    (tmp_path / "r.toml").write_text(rules)
    return Pipeline(
        store=Store(tmp_path / "w.db"),
        fetcher=None,  # type: ignore[arg-type]
        index=StoryIndex(),
        rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
        clock=clock,
        rng=random.Random(0),
    )


def deliveries(p: Pipeline) -> list[tuple[int, int, int]]:
    return [(d.story_id, d.version, d.sent_version) for d in p.store.due_deliveries(NOW)]


def test_backlog_is_stored_but_not_alerted(pipeline: Pipeline) -> None:
    report = pipeline.ingest([item("k1", "Chile earthquake", QUAKE)], NOW, alert=False)
    assert report.new_items == 1 and report.new_alerts == 0
    assert deliveries(pipeline) == []


def test_edited_guid_updates_the_item_and_never_alerts_twice(pipeline: Pipeline) -> None:
    first = item("guid:1", "Earthquake hits Chile", QUAKE)
    pipeline.ingest([first], NOW, alert=True)
    (row,) = pipeline.store.due_deliveries(NOW)
    pipeline.store.mark_sent(row, "m1", NOW)
    edited = replace(
        first, title="Magnitude 7.1 earthquake hits northern Chile", content_hash="edited"
    )
    report = pipeline.ingest([edited], NOW, alert=True)
    assert report.new_items == 0 and report.edited_items == 1 and report.new_alerts == 0
    story = pipeline.store.story(row.story_id)
    assert story is not None and [i.title for i in story.items] == [edited.title]
    (edit,) = pipeline.store.due_deliveries(NOW)  # the message is edited, not sent again
    assert edit.message_ref == "m1" and edit.version == 2
    assert len(pipeline.store.recent_stories()) == 1
    # The same entry again, unchanged: nothing at all.
    pipeline.store.mark_sent(edit, "m1", NOW)
    assert pipeline.ingest([edited], NOW, alert=True).edited_items == 0
    assert pipeline.store.due_deliveries(NOW) == []


def test_same_link_in_another_feed_is_not_new(pipeline: Pipeline) -> None:
    a = item("guid:a", "Earthquake hits Chile", QUAKE)
    b = replace(item("guid:b", "Quake in Chile", QUAKE, feed="B"), link=a.link)
    pipeline.ingest([a], NOW, alert=True)
    assert pipeline.ingest([b], NOW, alert=True).new_items == 0


def test_new_source_edits_the_alerted_message(pipeline: Pipeline) -> None:
    pipeline.ingest([item("a1", "Earthquake hits Chile", QUAKE)], NOW, alert=True)
    (row,) = pipeline.store.due_deliveries(NOW)
    pipeline.store.mark_sent(row, "m1", NOW)
    copy = item("b1", "Earthquake hits Chile", QUAKE, minutes=20, feed="B")
    report = pipeline.ingest([copy], NOW, alert=True)
    assert report.new_alerts == 0 and report.updated_alerts == 1
    (edit,) = pipeline.store.due_deliveries(NOW)
    assert (edit.story_id, edit.message_ref, edit.version) == (row.story_id, "m1", 2)
    story = pipeline.store.story(row.story_id)
    assert story is not None and len(story.items) == 2


def test_a_later_item_can_make_an_unalerted_story_alert(pipeline: Pipeline) -> None:
    # The first report names no country, so the rule does not match it yet.
    vague = item(
        "a1",
        "Strong earthquake shakes Antofagasta",
        QUAKE.replace("northern Chile", "the north").replace("Chile", ""),
    )
    pipeline.ingest([vague], NOW, alert=True)
    assert deliveries(pipeline) == []
    detailed = item(
        "b1",
        "Magnitude 7.1 earthquake strikes northern Chile near Antofagasta",
        QUAKE,
        minutes=15,
        feed="B",
    )
    report = pipeline.ingest([detailed], NOW, alert=True)
    assert report.new_alerts == 1
    (row,) = pipeline.store.due_deliveries(NOW)
    story = pipeline.store.story(row.story_id)
    assert story is not None and {i.feed_name for i in story.items} == {"A", "B"}
    assert row.status is DeliveryStatus.PENDING


def test_sources_rule_fires_when_the_story_reaches_that_many_feeds(tmp_path: Path) -> None:
    rules = '[[rule]]\nname = "spreading"\nquery = "earthquake AND Chile AND sources>=3"\n'
    p = make_pipeline(tmp_path, rules + 'channels = ["desk"]\n', lambda: NOW)
    store = p.store
    try:
        p.ingest([item("a1", "Earthquake hits Chile", QUAKE)], NOW, alert=True)
        # A second feed's copy and the first feed's own second report: still two feeds.
        p.ingest([item("b1", "Earthquake hits Chile", QUAKE, 5, feed="B")], NOW, alert=True)
        p.ingest([item("a2", "Chile earthquake: the latest", QUAKE, 9)], NOW, alert=True)
        assert deliveries(p) == []
        third = p.ingest(
            [item("c1", "Earthquake hits Chile", QUAKE, 12, feed="C")], NOW, alert=True
        )
        assert third.new_alerts == 1 and third.rules == ("spreading",)
        (row,) = p.store.due_deliveries(NOW)
        assert p.store.story_sources(row.story_id) == 3
    finally:
        store.close()
