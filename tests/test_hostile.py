"""Hostile feed servers through Pipeline.poll, polled together with good feeds.

An endless body, a body dripped one byte at a time, a redirect loop, a "billion laughs"
document and a gzip bomb: each is cut off within its bound (the body cap, the total deadline,
the redirect limit, the entity check), memory stays bounded, the feed is recorded as failing,
and the good feeds polled at the same time still ingest their items on time.
"""

from __future__ import annotations

import asyncio
import gzip
import random
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher.fetch import Fetcher
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CAP = 256 * 1024
# The fetch deadline. Generous, because the good feeds must be in within it while the bomb and
# the laughs are decompressed and parsed on the same busy two cores (at 1 s a good feed timed
# out once under load); the drip still needs minutes, far beyond it.
DEADLINE = 5.0


def billion_laughs() -> bytes:
    levels = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(levels) + "]>"
        '<rss version="2.0"><channel><title>t</title><item><title>&a9;</title>'
        "<link>https://evil.example/1</link></item></channel></rss>"
    ).encode()


def good_feed(n: int) -> bytes:
    return rss(
        [{"title": f"Good {n} item {i}", "link": f"https://good{n}.example/{i}"} for i in range(5)]
    )


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.set("/good1", good_feed(1))
        running.set("/good2", good_feed(2))
        running.endless("/endless")
        running.slow("/drip", good_feed(3), delay=0.3)
        running.redirect("/loop", "/loop", status=302)
        running.set("/laughs", billion_laughs())
        bomb = gzip.compress(b"<rss>" + b" " * (64 * CAP))  # 16 MB of spaces in 16 kB
        running.set("/bomb", bomb, headers={"Content-Encoding": "gzip"})
        yield running


@pytest.fixture
async def pipeline(tmp_path: Path) -> AsyncIterator[Pipeline]:
    store = Store(tmp_path / "w.db")
    # per_host is raised: every path is on one loopback host, as different outlets would not be.
    fetcher = Fetcher(user_agent="watcher-test", timeout=DEADLINE, max_bytes=CAP, per_host=16)
    built = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: NOW,
        rng=random.Random(3),
    )
    yield built
    await fetcher.aclose()
    store.close()


PATHS = ["/endless", "/drip", "/loop", "/laughs", "/bomb", "/good1", "/good2"]
EXPECTED_ERRORS = {
    "endless": "body larger than",
    "drip": "timed out",
    "loop": "too many redirects",
    "laughs": "billion laughs",
    "bomb": "body larger than",
}


async def test_hostile_feeds_fail_within_bounds_and_good_feeds_ingest(
    server: FeedServer, pipeline: Pipeline
) -> None:
    feeds = [Feed(server.url(p), p.strip("/"), timedelta(minutes=5)) for p in PATHS]
    started = time.monotonic()
    finished: dict[str, float] = {}

    async def poll(feed: Feed) -> None:
        await pipeline.poll(feed)
        finished[feed.name] = time.monotonic() - started

    tracemalloc.start()
    try:
        await asyncio.gather(*(poll(f) for f in feeds))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # The drip feed would take minutes to finish (0.3 s a byte): being done well within that
    # shows the deadline cut it, with room for a busy machine.
    drip_seconds = 0.3 * len(good_feed(3))
    assert drip_seconds > 60
    assert time.monotonic() - started < DEADLINE + 20 < drip_seconds
    # Not held up by the others: both good feeds are in before the drip has even timed out
    # (an ordering, not a speed bound, so a busy machine does not fail it).
    assert max(finished["good1"], finished["good2"]) < finished["drip"]
    # The body cap bounds memory: a few copies of the capped body at most, never the 16 MB.
    assert peak < 8 * CAP + 4 * 1024 * 1024, peak
    states = {s.name: s for s in pipeline.store.feed_states()}
    for name, error in EXPECTED_ERRORS.items():
        state = states[name]
        assert state.error_count == 1 and state.last_error and error in state.last_error, name
        assert state.next_poll is not None and state.next_poll > NOW
    for name in ("good1", "good2"):
        assert states[name].error_count == 0 and states[name].backlog_done
    stored = {i.title for s in pipeline.store.recent_stories(100) for i in s.items}
    assert stored == {f"Good {n} item {i}" for n in (1, 2) for i in range(5)}


async def test_a_hostile_feed_keeps_failing_and_backs_off(
    server: FeedServer, pipeline: Pipeline
) -> None:
    feed = Feed(server.url("/laughs"), "laughs", timedelta(minutes=5))
    first = await pipeline.poll(feed)
    second = await pipeline.poll(feed)
    assert first.outcome == second.outcome == "error"
    state = pipeline.store.feed_state(feed.url, feed.name)
    assert state.error_count == 2 and state.failing_since == NOW
    assert state.next_poll is not None and state.next_poll - NOW >= timedelta(minutes=8)
