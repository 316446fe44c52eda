"""Feeds over weeks: `max_age` (an item first seen already old is stored, never alerted), live
and in replay, where the age is measured at the snapshot's capture time."""

from __future__ import annotations

import gzip
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher import config
from watcher.fetch import Fetcher
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.replay import Replayer
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.stories import StoryIndex

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = RuleSet([Rule("port", "port", ("desk",))], load_entities([]))


def entry(n: int, published: datetime, title: str = "") -> dict[str, object]:
    return {
        "title": title or f"Port story number {n}",
        "link": f"https://harbour.example/{n}",
        "guid": f"h{n}",
        "pubDate": published,
    }


@pytest.fixture
async def pipeline(tmp_path: Path) -> AsyncIterator[Pipeline]:
    store = Store(tmp_path / "w.db")
    fetcher = Fetcher(user_agent="watcher-test", timeout=3.0)
    built = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RULES,
        clock=lambda: T0,
        rng=random.Random(3),
    )
    yield built
    await fetcher.aclose()
    store.close()


async def test_an_item_first_seen_too_old_is_stored_not_alerted(pipeline: Pipeline) -> None:
    with FeedServer() as server:
        feed = Feed(server.url("/rss"), "Harbour", timedelta(minutes=5))
        server.set("/rss", rss([entry(1, T0 - timedelta(hours=1))]))
        assert (await pipeline.poll(feed)).outcome == "backlog"
        eleven_months = T0 - timedelta(days=330)
        server.set(
            "/rss",
            rss(
                [
                    entry(1, T0 - timedelta(hours=1)),
                    entry(2, eleven_months, "Port archive: the old quay reopens"),
                    entry(3, T0 - timedelta(hours=3), "Port strike called off"),
                ]
            ),
        )
        report = await pipeline.poll(feed)
    assert (report.ingest.new_items, report.ingest.too_old, report.ingest.new_alerts) == (2, 1, 1)
    stored = {i.title: s.id for s in pipeline.store.recent_stories() for i in s.items}
    assert "Port archive: the old quay reopens" in stored  # stored and grouped
    alerted = {d.story_id for d in pipeline.store.pending_deliveries()}
    assert alerted == {stored["Port strike called off"]}


async def test_max_age_is_per_feed(pipeline: Pipeline) -> None:
    """An item 30 hours old: too old for a feed with max_age 1d, not for the default 2d."""
    with FeedServer() as server:
        strict = Feed(server.url("/a"), "A", timedelta(minutes=5), max_age=timedelta(days=1))
        default = Feed(server.url("/b"), "B", timedelta(minutes=5))
        for feed, n in ((strict, 10), (default, 20)):
            path = "/" + feed.name.lower()
            server.set(path, rss([entry(n, T0)]))
            await pipeline.poll(feed)  # the backlog
            server.set(path, rss([entry(n, T0), entry(n + 1, T0 - timedelta(hours=30))]))
        reports = [await pipeline.poll(feed) for feed in (strict, default)]
    assert [(r.ingest.too_old, r.ingest.new_alerts) for r in reports] == [(1, 0), (0, 1)]


def test_max_age_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[defaults]\nmax_age = "3d"\n'
        '[[feed]]\nurl = "https://a.example/rss"\n'
        '[[feed]]\nurl = "https://b.example/rss"\nmax_age = "6h"\n',
        encoding="utf-8",
    )
    feeds = config.load(path).feeds()
    assert [f.max_age for f in feeds] == [timedelta(days=3), timedelta(hours=6)]
    path.write_text('[[feed]]\nurl = "https://a.example/rss"\n', encoding="utf-8")
    assert config.load(path).feeds()[0].max_age == timedelta(days=2)


async def test_replay_measures_age_at_the_capture_time(tmp_path: Path, pipeline: Pipeline) -> None:
    """A 2020 snapshot's items were fresh when it was taken: they alert in a replay now."""
    captured = datetime(2020, 4, 21, 0, 43, 1, tzinfo=UTC)
    body = rss(
        [
            entry(1, captured - timedelta(hours=2)),
            entry(2, captured - timedelta(days=40), "Port archive: the old quay reopens"),
        ],
        link="https://harbour.example/",
    )
    path = tmp_path / "20200421T004301Z_abcd1234.xml.gz"
    path.write_bytes(gzip.compress(body, mtime=0))
    report = Replayer(pipeline, [], alert_backlog=True).run([path])
    assert (report.ingest.new_alerts, report.ingest.too_old) == (1, 1)
