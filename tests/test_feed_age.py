"""Feeds over weeks: `max_age` (an item first seen already old is stored, never alerted), live
and in replay, where the age is measured at the snapshot's capture time; stale feeds (answering,
but nothing new for far longer than usual): one admin notice, and shown in feeds and status."""

from __future__ import annotations

import gzip
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.test_poll import Clock, Notices
from watcher import config, timing
from watcher.cli.feeds import feed_rows
from watcher.fetch import Fetcher
from watcher.health import assess
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.replay import Replayer
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.store.state import ServiceRecord
from watcher.stories import StoryIndex

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = RuleSet([Rule("port", "port", ("desk",))], load_entities([]))
HOUR = timedelta(hours=1)


def entry(n: int, published: datetime | str, title: str = "") -> dict[str, object]:
    return {
        "title": title or f"Port story number {n}",
        "link": f"https://harbour.example/{n}",
        "guid": f"h{n}",
        "pubDate": published,
    }


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def notices() -> Notices:
    return Notices()


@pytest.fixture
async def pipeline(tmp_path: Path, clock: Clock, notices: Notices) -> AsyncIterator[Pipeline]:
    store = Store(tmp_path / "w.db")
    fetcher = Fetcher(user_agent="watcher-test", timeout=3.0)
    built = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RULES,
        clock=clock,
        rng=random.Random(3),
        notices=notices,
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


async def test_a_placeholder_date_is_no_date_and_named_zones_are_read(pipeline: Pipeline) -> None:
    """Found by the outside re-check. Hugo writes "Mon, 01 Jan 0001 00:00:00 +0000" for a page
    without a date, and a number where a date belongs parsed as the year 1796: both made the
    item centuries old, so it was never alerted, whatever max_age. A date before 1990 is taken
    as no date (when watcher first saw it). And zone names feedparser does not know ("CEST",
    "JST") were read as UTC, putting a Tokyo outlet's report nine hours late."""
    with FeedServer() as server:
        feed = Feed(server.url("/rss"), "Harbour", timedelta(minutes=5))
        server.set("/rss", rss([entry(1, T0 - HOUR)]))
        await pipeline.poll(feed)  # the backlog
        tokyo = T0 - 2 * HOUR + timedelta(hours=9)  # 09:00 UTC - 2 h, as Tokyo's clock says
        berlin = T0 - 3 * HOUR + timedelta(hours=1)  # winter time: CET
        dated = [
            entry(2, "Mon, 01 Jan 0001 00:00:00 +0000", "Port pilots' page"),
            entry(3, "1772452800", "Port number date"),
            entry(4, tokyo.strftime("%a, %d %b %Y %H:%M:%S JST"), "Port of Kobe"),
            entry(5, berlin.strftime("%a, %d %b %Y %H:%M:%S CET"), "Port of Hamburg"),
        ]
        server.set("/rss", rss([entry(1, T0 - HOUR), *dated]))
        report = await pipeline.poll(feed)
    assert (report.ingest.new_items, report.ingest.too_old, report.ingest.new_alerts) == (4, 0, 4)
    published = {i.title: i.published for s in pipeline.store.recent_stories() for i in s.items}
    assert published["Port pilots' page"] == T0 and published["Port number date"] == T0
    assert published["Port of Kobe"] == T0 - 2 * HOUR
    assert published["Port of Hamburg"] == T0 - 3 * HOUR


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


# -- stale feeds -----------------------------------------------------------------------------


def test_stale_policy() -> None:
    assert timing.stale_after([3600, 3600]) is None  # too few gaps to know the feed's rhythm
    assert timing.stale_after([600, 3600, 1200]) == timedelta(hours=24)  # 10 × 20m < 24 h
    assert timing.stale_after([6 * 3600] * 5) == timedelta(hours=60)  # 10 × its median
    assert len(timing.remember_gap(range(30), HOUR)) == timing.GAPS_KEPT
    assert not timing.is_stale([3600] * 3, T0, T0 + timedelta(hours=24))
    assert timing.is_stale([3600] * 3, T0, T0 + timedelta(hours=25))


async def test_a_feed_answering_with_nothing_new_goes_stale_once_and_recovers(
    pipeline: Pipeline, clock: Clock, notices: Notices
) -> None:
    with FeedServer() as server:
        feed = Feed(server.url("/rss"), "Harbour", HOUR)
        key = f"feed:{feed.url}:stale"
        for n in range(1, 5):  # the backlog, then a new item every hour: usual gap 1 h
            server.set("/rss", rss([entry(i, clock.now) for i in range(1, n + 1)]))
            await pipeline.poll(feed)
            clock.now += HOUR
        clock.now += timedelta(hours=23)  # 24 h since the last new item: not yet
        assert (await pipeline.poll(feed)).outcome == "not-modified"
        assert notices.raised == []
        for _ in range(3):  # past 24 h (10 × 1 h is less): stale, told once however often polled
            clock.now += HOUR
            assert (await pipeline.poll(feed)).outcome == "not-modified"
        assert [k for k, _ in notices.raised] == [key] and notices.resolved == []
        state = pipeline.store.feed_state(feed.url, feed.name)
        assert state.stale_since == T0 + timedelta(hours=28)
        rows = feed_rows([feed], pipeline.store, clock.now)
        assert rows[0].status() == "stale"
        assert rows[0].as_json()["stale_since"] == state.stale_since.isoformat()
        health = assess(
            feeds=[feed],
            states=pipeline.store.feed_states(),
            service=ServiceRecord(),
            channels=[],
            now=clock.now,
            self_check=True,
        )
        assert [f["name"] for f in health.as_json()["feeds"]["stale"]] == ["Harbour"]
        assert "stale Harbour: no new item since" in health.text()

        server.set("/rss", rss([entry(i, clock.now) for i in range(1, 6)]))
        clock.now += HOUR
        assert (await pipeline.poll(feed)).ingest.new_items == 1
    assert [k for k, _ in notices.raised] == [key] and notices.resolved == [key]
    state = pipeline.store.feed_state(feed.url, feed.name)
    assert state.stale_since is None and state.last_new_at == clock.now
    assert feed_rows([feed], pipeline.store, clock.now)[0].status() == "ok"
