"""Pipeline.poll against a real feed server on 127.0.0.1: what a poll records on the feed.

Covers the feed-health side of polling: conditional GET and identical bodies, a page that is
not a feed, a malformed feed whose entries are still used, an empty body, permanent redirects,
410 Gone, backoff and its reset, the failing/recovered admin notices, and the next-poll hints.
"""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.feed_server import FeedServer, json_feed, rss
from watcher import feed_read, timing
from watcher.delivery.admin_notices import Notices as AdminNotices
from watcher.feed_policy import notice_key
from watcher.fetch import Fetcher
from watcher.model import Feed, FeedState, ParsedFeed
from watcher.pipeline import Pipeline
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.stories import StoryIndex

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class Notices:
    """Records what the pipeline raised and resolved."""

    def __init__(self) -> None:
        self.raised: list[tuple[str, str]] = []
        self.resolved: list[str] = []

    def raise_(self, key: str, text: str) -> None:
        self.raised.append((key, text))

    def resolve(self, key: str, text: str | None = None) -> None:
        self.resolved.append(key)


def items(*ids: int) -> bytes:
    return rss(
        [{"title": f"Story {i}", "link": f"https://news.example/{i}", "guid": f"g{i}"} for i in ids]
    )


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def notices() -> Notices:
    return Notices()


@pytest.fixture
async def pipeline(tmp_path: Path, clock: Clock, notices: Notices) -> AsyncIterator[Pipeline]:
    store = Store(tmp_path / "w.db")
    fetcher = Fetcher(user_agent="watcher-test", timeout=3.0, max_bytes=256 * 1024)
    rules = RuleSet([Rule("stories", "story", ("desk",))], load_entities([]))
    built = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=rules,
        clock=clock,
        rng=random.Random(7),
        notices=notices,
        failing_notice_after=timedelta(hours=1),
    )
    yield built
    await fetcher.aclose()
    store.close()


def feed_at(server: FeedServer, path: str, interval: timedelta = FIVE) -> Feed:
    return Feed(url=server.url(path), name=path.strip("/"), interval=interval)


def state_of(pipeline: Pipeline, feed: Feed) -> FeedState:
    return pipeline.store.feed_state(feed.url, feed.name)


async def test_backlog_then_new_then_304_then_identical_body(
    server: FeedServer, pipeline: Pipeline, clock: Clock
) -> None:
    feed = feed_at(server, "/rss")
    server.set("/rss", items(1, 2))
    first = await pipeline.poll(feed)
    assert (first.outcome, first.ingest.new_items, first.ingest.new_alerts) == ("backlog", 2, 0)

    server.set("/rss", items(1, 2, 3))
    clock.advance(FIVE)
    second = await pipeline.poll(feed)
    assert (second.outcome, second.ingest.new_items, second.ingest.new_alerts) == ("new", 1, 1)

    clock.advance(FIVE)
    assert (await pipeline.poll(feed)).outcome == "not-modified"
    # A server that ignores conditional GET: same bytes, no validators -> not parsed again.
    server.set("/rss", items(1, 2, 3), etag=False)
    server.set("/rss", items(1, 2, 3), etag=False, last_modified=T0 + timedelta(days=400))
    clock.advance(FIVE)
    assert (await pipeline.poll(feed)).outcome == "unchanged"
    state = state_of(pipeline, feed)
    assert state.error_count == 0 and state.last_success == clock.now
    assert [r.status for r in server.requests] == [200, 200, 304, 200]


async def test_html_page_is_recorded_as_not_a_feed(server: FeedServer, pipeline: Pipeline) -> None:
    feed = feed_at(server, "/page")
    page = b"<!doctype html><html><head><title>Subscribe now</title></head><body>hi</body></html>"
    server.set("/page", page, content_type="text/html")
    report = await pipeline.poll(feed)
    state = state_of(pipeline, feed)
    assert report.outcome == "error"
    assert state.last_error == "not a feed: got an HTML page (title: Subscribe now)"
    assert state.error_count == 1 and state.last_success is None and not state.backlog_done


async def test_empty_body_is_a_recorded_failure(server: FeedServer, pipeline: Pipeline) -> None:
    feed = feed_at(server, "/empty")
    server.set("/empty", b"")
    report = await pipeline.poll(feed)
    assert report.outcome == "error" and report.error == "not a feed: empty body"
    assert state_of(pipeline, feed).error_count == 1


async def test_bozo_feed_with_usable_entries_is_used(
    server: FeedServer, pipeline: Pipeline, clock: Clock
) -> None:
    feed = feed_at(server, "/bozo")
    server.set("/bozo", items(1))
    await pipeline.poll(feed)
    broken = items(1, 2).replace(b"Story 2", b"Story 2 & more").replace(b"</channel></rss>", b"")
    server.set("/bozo", broken)
    clock.advance(FIVE)
    report = await pipeline.poll(feed)
    assert report.outcome == "new" and report.ingest.new_items == 1
    assert pipeline.store.recent_stories()[0].title.startswith("Story 2")
    assert state_of(pipeline, feed).error_count == 0


async def test_permanent_redirect_moves_polls_but_not_the_identity(
    server: FeedServer, pipeline: Pipeline, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    feed = feed_at(server, "/old")
    server.set("/new", items(1))
    server.redirect("/old", "/new", status=301)
    with caplog.at_level("WARNING", logger="watcher.pipeline"):
        await pipeline.poll(feed)
    assert "feed moved permanently" in caplog.text and server.url("/new") in caplog.text
    state = state_of(pipeline, feed)
    assert state.url == feed.url and state.moved_to == server.url("/new")
    stored = pipeline.store.recent_stories()[0].items[0]
    assert stored.feed_name == "old"

    server.clear_requests()
    clock.advance(FIVE)
    assert (await pipeline.poll(feed)).outcome == "not-modified"
    assert server.paths_requested() == ["/new"]  # straight to the new address, conditionally

    # Moved again, further on: the stored address follows.
    server.set("/newer", items(1, 2))
    server.redirect("/new", "/newer", status=308)
    clock.advance(FIVE)
    assert (await pipeline.poll(feed)).ingest.new_items == 1
    assert state_of(pipeline, feed).moved_to == server.url("/newer")


async def test_temporary_redirect_does_not_move_the_feed(
    server: FeedServer, pipeline: Pipeline
) -> None:
    feed = feed_at(server, "/tmp")
    server.set("/elsewhere", items(1))
    server.redirect("/tmp", "/elsewhere", status=302)
    await pipeline.poll(feed)
    assert state_of(pipeline, feed).moved_to is None


async def test_410_disables_the_feed_with_a_notice_until_enabled(
    server: FeedServer, pipeline: Pipeline, clock: Clock, notices: Notices
) -> None:
    feed = feed_at(server, "/gone")
    server.set("/gone", b"gone", status=410, content_type="text/plain")
    report = await pipeline.poll(feed)
    state = state_of(pipeline, feed)
    assert report.outcome == "error" and state.disabled_at == clock.now
    assert state.disabled_reason and "410" in state.disabled_reason
    assert [key for key, _ in notices.raised] == [notice_key(feed) + ":gone"]
    assert "is gone" in notices.raised[0][1] and "watcher feeds enable" in notices.raised[0][1]

    server.clear_requests()
    clock.advance(timedelta(days=2))
    assert (await pipeline.poll(feed)).outcome == "disabled"
    assert server.requests == []  # a disabled feed is not fetched
    assert state_of(pipeline, feed).next_poll == clock.now + timedelta(days=1)

    server.set("/gone", items(1))
    assert pipeline.store.enable_feed(feed.url)
    assert state_of(pipeline, feed).next_poll is None  # due at once
    assert (await pipeline.poll(feed)).outcome == "backlog"
    assert notices.resolved == [notice_key(feed), notice_key(feed) + ":gone"]
    assert state_of(pipeline, feed).disabled_at is None


async def test_errors_back_off_exponentially_and_reset_on_success(
    server: FeedServer, pipeline: Pipeline, clock: Clock
) -> None:
    feed = feed_at(server, "/flaky")
    server.set("/flaky", b"oops", status=500, content_type="text/plain")
    waits = []
    for _ in range(8):
        await pipeline.poll(feed)
        state = state_of(pipeline, feed)
        assert state.next_poll is not None
        waits.append(state.next_poll - clock.now)
        clock.now = state.next_poll
    assert state_of(pipeline, feed).error_count == 8
    for n, wait in enumerate(waits, start=1):
        expected = min(FIVE * 2 ** (n - 1), timing.FEED_BACKOFF_CAP)
        assert expected * 0.8 <= wait <= expected * 1.2, (n, wait)
    assert waits[-1] <= timing.FEED_BACKOFF_CAP

    server.set("/flaky", items(1))
    await pipeline.poll(feed)
    state = state_of(pipeline, feed)
    assert state.error_count == 0 and state.last_error is None and state.failing_since is None
    assert state.next_poll is not None and state.next_poll - clock.now <= FIVE * 1.1


async def test_failing_notice_after_the_configured_time_and_recovery(
    server: FeedServer, pipeline: Pipeline, clock: Clock, notices: Notices
) -> None:
    feed = feed_at(server, "/down")
    server.set("/down", b"", status=503, content_type="text/plain")
    for minutes in (0, 20, 40):
        clock.now = T0 + timedelta(minutes=minutes)
        await pipeline.poll(feed)
    assert notices.raised == []  # failing for 40 minutes: not yet
    assert state_of(pipeline, feed).failing_since == T0
    for minutes in (61, 120, 240):
        clock.now = T0 + timedelta(minutes=minutes)
        await pipeline.poll(feed)
    assert len(notices.raised) == 1  # once, when the hour was crossed
    key, text = notices.raised[0]
    assert key == notice_key(feed) and "has failed since 2026-03-02T09:00:00+00:00" in text
    assert "(4 polls)" in text and "503" in text

    server.set("/down", items(1))
    clock.advance(timedelta(hours=1))
    await pipeline.poll(feed)
    assert notices.resolved[0] == key
    count = len(notices.resolved)
    clock.advance(FIVE)
    await pipeline.poll(feed)
    assert len(notices.resolved) == count  # recovery announced once


async def test_short_failure_never_notices(
    server: FeedServer, pipeline: Pipeline, clock: Clock, notices: Notices
) -> None:
    feed = feed_at(server, "/blip")
    server.set("/blip", b"", status=502, content_type="text/plain")
    await pipeline.poll(feed)
    server.set("/blip", items(1))
    clock.advance(timedelta(minutes=10))
    await pipeline.poll(feed)
    assert notices.raised == [] and notices.resolved == []


@pytest.mark.parametrize(
    ("headers", "ttl", "expected"),
    [
        ({"Cache-Control": "public, max-age=900"}, None, timedelta(minutes=15)),
        ({"Cache-Control": "max-age=86400"}, None, FIVE * timing.MAX_HINT_FACTOR),  # bounded
        # Expires counts from the server's Date (the loopback server sends the real time).
        (
            {"Expires": "in 12 minutes"},  # made a date when the test runs
            None,
            timedelta(minutes=12),
        ),
        ({}, 10, timedelta(minutes=10)),  # the feed's <ttl> in minutes
        ({"Cache-Control": "max-age=60"}, None, FIVE),  # shorter than the interval: ignored
    ],
)
async def test_next_poll_honours_hints_within_the_bound(
    server: FeedServer,
    pipeline: Pipeline,
    clock: Clock,
    headers: dict[str, str],
    ttl: int | None,
    expected: timedelta,
) -> None:
    feed = feed_at(server, "/hinted")
    if "Expires" in headers:
        later = datetime.now(UTC) + timedelta(minutes=12)
        headers = {"Expires": format_datetime(later, usegmt=True)}
    body = rss([{"title": "Story 1", "guid": "g1"}], ttl=ttl)
    server.set("/hinted", body, headers=headers)
    for _ in range(20):  # jitter: every draw must respect the bounds
        await pipeline.poll(feed)
        state = state_of(pipeline, feed)
        assert state.next_poll is not None
        wait = state.next_poll - clock.now
        if expected > FIVE:
            slack = timedelta(seconds=2)  # Expires has one-second resolution
            assert expected - slack <= wait <= min(expected * 1.1, FIVE * timing.MAX_HINT_FACTOR)
        else:
            assert FIVE * 0.9 <= wait <= FIVE * 1.1
        clock.advance(FIVE)


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_never_undercut(
    server: FeedServer, pipeline: Pipeline, clock: Clock, status: int
) -> None:
    feed = feed_at(server, "/busy")
    server.set("/busy", b"", status=status, headers={"Retry-After": "3600"}, content_type="x/y")
    await pipeline.poll(feed)
    state = state_of(pipeline, feed)
    assert state.next_poll is not None
    assert timedelta(hours=1) <= state.next_poll - clock.now <= timedelta(hours=1.1)


def json_items(*ids: int) -> bytes:
    return json_feed([{"id": f"g{i}", "url": f"https://news.example/{i}"} for i in ids])


async def test_entries_repeated_from_the_last_body_are_not_looked_up_again(
    server: FeedServer, pipeline: Pipeline, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A JSON Feed: its items are never cut out before parsing (unchanged.py is for XML), so
    # here the entry fingerprints alone keep repeated entries from the store.
    feed = feed_at(server, "/repeat")
    server.set("/repeat", json_items(1, 2, 3))
    await pipeline.poll(feed)
    looked_up: list[str] = []
    real = pipeline.store.item_hash
    monkeypatch.setattr(
        pipeline.store,
        "item_hash",
        lambda key, feed_url=None: looked_up.append(key) or real(key, feed_url),
    )
    server.set("/repeat", json_items(1, 2, 3, 4))
    clock.advance(FIVE)
    report = await pipeline.poll(feed)
    assert report.ingest.new_items == 1 and report.entries == 4
    assert len(looked_up) == 1 and looked_up[0].endswith("g4")  # plain guids are feed-scoped


async def test_a_changed_body_parses_only_its_new_items(
    server: FeedServer, pipeline: Pipeline, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = feed_at(server, "/grow")
    server.set("/grow", items(1, 2, 3))
    await pipeline.poll(feed)
    parsed: list[ParsedFeed] = []
    real = feed_read.parse_feed

    def spy(*args: Any, **kwargs: Any) -> ParsedFeed:
        parsed.append(real(*args, **kwargs))
        return parsed[-1]

    monkeypatch.setattr(feed_read, "parse_feed", spy)
    server.set("/grow", items(4, 1, 2, 3))
    clock.advance(FIVE)
    report = await pipeline.poll(feed)
    assert report.ingest.new_items == 1 and report.entries == 4
    assert len(parsed[0].entries) == 1 and parsed[0].unchanged == 3


async def test_with_the_real_notices_the_incident_opens_once_and_closes(
    server: FeedServer, pipeline: Pipeline, clock: Clock
) -> None:
    pipeline.notices = AdminNotices(pipeline.store, clock)
    feed = feed_at(server, "/real")
    key = notice_key(feed)
    server.set("/real", b"", status=500, content_type="text/plain")
    for minutes in (0, 30, 70, 100):
        clock.now = T0 + timedelta(minutes=minutes)
        await pipeline.poll(feed)
    assert pipeline.store.incident_is_open(key)
    server.set("/real", items(1))
    clock.advance(timedelta(hours=1))
    await pipeline.poll(feed)
    assert not pipeline.store.incident_is_open(key)


async def test_a_304_poll_leaves_a_debug_line(
    server: FeedServer, pipeline: Pipeline, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    feed = feed_at(server, "/rss")
    server.set("/rss", items(1))
    await pipeline.poll(feed)
    caplog.set_level(logging.DEBUG, logger="watcher.pipeline")
    caplog.clear()
    clock.advance(FIVE)
    assert (await pipeline.poll(feed)).outcome == "not-modified"
    lines = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert [r.getMessage() for r in lines] == ["polled feed=rss outcome=not-modified status=304"]
