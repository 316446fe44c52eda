"""Pipeline.poll_many against a real feed server on 127.0.0.1 and a real SQLite file: many
feeds read at once, their new items taken together, oldest first across the feeds, whichever
feed answered first; each feed's poll still recorded on its own terms (backlog or not,
max_age, bursts, failures). The service's first round polls its due feeds the same way."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.test_boilerplate import FOOTER, VIDEOS
from tests.test_burst import PLACES
from tests.test_poll import Clock, Notices
from tests.test_storage_full import desk_config
from tests.test_upkeep import service_for
from watcher.errors import StorageError
from watcher.fetch import Fetcher
from watcher.model import Feed, Item
from watcher.pipeline import Pipeline
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.stories import StoryIndex

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = RuleSet([Rule("harbour", "harbour", ("desk",))], load_entities([]))
PORT = "The harbour crane at the north quay collapsed overnight; dock workers were unhurt and "
PORT += "the port authority closed berths four to six while engineers inspect the jib."


def entry(
    key: str, published: datetime, title: str, text: str = "", site: str = "news"
) -> dict[str, object]:
    return {
        "title": title,
        "link": f"https://{site}.example/{key}",
        "guid": f"{site}-{key}",
        "description": text or title,
        "pubDate": published,
    }


def copy(key: str, published: datetime, site: str) -> dict[str, object]:
    """One syndicated report, as each outlet carries it (only its link differs)."""
    return entry(key, published, "Harbour crane collapses at north quay", PORT, site)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
async def pipeline(tmp_path: Path, clock: Clock) -> AsyncIterator[Pipeline]:
    store = Store(tmp_path / "w.db")
    fetcher = Fetcher(user_agent="watcher-test", timeout=10.0, per_host=4)
    built = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RULES,
        clock=clock,
        rng=random.Random(5),
        notices=Notices(),
    )
    yield built
    await fetcher.aclose()
    store.close()


def feed(server: FeedServer, name: str, max_age: timedelta = timedelta(days=2)) -> Feed:
    return Feed(server.url(f"/{name}.xml"), name, timedelta(minutes=5), max_age)


async def until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout  # a bound that holds on a busy machine
    while time.monotonic() < deadline:
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never: {what}")


async def answered_first(server: FeedServer, held: str, others: list[str]) -> None:
    """Wait until every feed of `others` has been answered while `held`'s request waits."""

    def done() -> bool:
        asked = server.paths_requested()
        return server.in_flight_at(held) == 1 and all(
            path in asked and server.in_flight_at(path) == 0 for path in others
        )

    await until(done, f"{others} answered before {held}")


def stored(store: Store) -> list[tuple[str, str, int]]:
    """(feed, title, story) of every item, in the order they were stored."""
    rows = store.db.execute("SELECT feed_name, title, story_id FROM items ORDER BY rowid")
    return [(str(f), str(t), int(s)) for f, t, s in rows.fetchall()]


async def test_items_are_taken_oldest_first_across_feeds_whichever_answers_first(
    pipeline: Pipeline,
) -> None:
    with FeedServer() as server:
        late, early, fresh = feed(server, "late"), feed(server, "early"), feed(server, "fresh")
        for name in ("late", "early"):
            server.set(f"/{name}.xml", rss([]))
        await pipeline.poll_many([late, early])  # their backlogs: nothing
        gate = server.hold(
            "/late.xml",
            rss([
                entry("ferry", T0 - timedelta(minutes=10), "Harbour ferry strike ends"),
                copy("crane", T0 - timedelta(minutes=50), "late"),
            ]),
        )  # fmt: skip
        server.set(
            "/early.xml",
            rss([
                entry("tug", T0 - timedelta(minutes=20), "Harbour tug fleet renewed"),
                copy("crane", T0 - timedelta(minutes=30), "early"),
            ]),
        )  # fmt: skip
        server.set("/fresh.xml", rss([entry("lock", T0 - timedelta(minutes=40), "Harbour lock")]))
        polling = asyncio.create_task(pipeline.poll_many([late, early, fresh]))
        await answered_first(server, "/late.xml", ["/early.xml", "/fresh.xml"])
        gate.set()
        reports = await polling
    store = pipeline.store
    # Stored (and so grouped) in the order they were published, not as the feeds answered:
    # the late feed's crane report is the first of its story, and names it.
    assert [(f, t) for f, t, _ in stored(store)] == [
        ("late", "Harbour crane collapses at north quay"),
        ("fresh", "Harbour lock"),
        ("early", "Harbour crane collapses at north quay"),
        ("early", "Harbour tug fleet renewed"),
        ("late", "Harbour ferry strike ends"),
    ]
    crane, lock, crane_again, tug, ferry = (story for _, _, story in stored(store))
    assert crane == crane_again and crane < lock < tug < ferry  # stories made in time order
    (opened,) = store.db.execute("SELECT first_seen FROM stories WHERE id = ?", [crane])
    assert datetime.fromisoformat(opened[0]) == T0 - timedelta(minutes=50)
    # Each feed's poll is its own: a report each, in the order asked, with its own counts;
    # the fresh feed's first body is its backlog (stored and grouped, never alerted).
    assert [(r.feed, r.outcome, r.ingest.new_items, r.entries) for r in reports] == [
        ("late", "new", 2, 2),
        ("early", "new", 2, 2),
        ("fresh", "backlog", 1, 1),
    ]
    assert [r.ingest.new_stories for r in reports] == [2, 1, 1]
    alerted = {d.story_id for d in store.pending_deliveries()}
    assert alerted == {crane, tug, ferry}  # not the fresh feed's story
    for name in ("late", "early", "fresh"):
        state = store.feed_state(server.url(f"/{name}.xml"), name)
        assert state.backlog_done and state.body_hash and state.error_count == 0


async def test_the_order_decides_the_grouping(pipeline: Pipeline) -> None:
    """A story takes reports for [stories] window (36 h) after its first. Three copies of one
    report, 20 h and 37 h after the first: in time order the first two are one story and the
    third (37 h after the first) starts another. Taken as the feeds answered (the latest two
    first), all three would be one story: the 37 h gap never counts."""
    first, second, third = (T0 - timedelta(hours=h) for h in (40, 20, 3))
    answered = StoryIndex()  # what taking them in the order the feeds answered would give
    for n, when in enumerate((second, third, first)):
        item = Item(f"k{n}", f"u{n}", f"f{n}", f"https://x.example/{n}",
                    "Harbour crane collapses at north quay", PORT, when, str(n))  # fmt: skip
        decision = answered.decide(item)
        assert (decision.story_id is None) == (n == 0)  # all joined the first taken
        answered.add(item, decision.story_id or 1)
    with FeedServer() as server:
        gate = server.hold("/b.xml", rss([copy("crane", first, "b")]))
        server.set("/a.xml", rss([copy("crane", second, "a")]))
        server.set("/c.xml", rss([copy("crane", third, "c")]))
        feeds = [feed(server, "b"), feed(server, "a"), feed(server, "c")]
        polling = asyncio.create_task(pipeline.poll_many(feeds))
        await answered_first(server, "/b.xml", ["/a.xml", "/c.xml"])
        gate.set()
        await polling
    rows = stored(pipeline.store)
    assert [f for f, _, _ in rows] == ["b", "a", "c"]
    assert rows[0][2] == rows[1][2] != rows[2][2]


async def test_a_failing_feed_among_good_ones_is_recorded_and_the_others_taken(
    pipeline: Pipeline,
) -> None:
    with FeedServer() as server:
        server.set("/good.xml", rss([copy("crane", T0 - timedelta(hours=1), "good")]))
        server.set("/down.xml", b"", status=503)
        server.set("/page.xml", b"<html><body>Oops</body></html>", content_type="text/html")
        server.set("/other.xml", rss([entry("tug", T0 - timedelta(hours=2), "Harbour tug")]))
        names = ["good", "down", "page", "other"]
        reports = await pipeline.poll_many([feed(server, name) for name in names])
        assert [(r.feed, r.outcome) for r in reports] == [
            ("good", "backlog"),
            ("down", "error"),
            ("page", "error"),
            ("other", "backlog"),
        ]
        states = {s.name: s for s in pipeline.store.feed_states()}
        assert states["down"].error_count == 1 and "503" in (states["down"].last_error or "")
        assert states["page"].error_count == 1 and "not a feed" in (states["page"].last_error or "")
        assert states["down"].next_poll is not None and states["down"].next_poll > T0
        assert states["good"].last_success == T0 and states["other"].last_success == T0
        assert [f for f, _, _ in stored(pipeline.store)] == ["other", "good"]
        # Polled again: the one that failed backs off further, the others are unchanged.
        again = await pipeline.poll_many([feed(server, name) for name in names])
        assert [r.outcome for r in again] == ["not-modified", "error", "error", "not-modified"]
        assert pipeline.store.feed_state(server.url("/down.xml"), "down").error_count == 2


async def test_each_feed_keeps_its_max_age_and_its_own_burst(pipeline: Pipeline) -> None:
    places = ["Arden", "Bexley", "Corran", "Dunmore", "Elgin", "Fallow", "Garvock"]
    things = ["crane", "ferry", "quay", "berth", "pier", "dock", "lock"]
    flood = [
        entry(f"{n}", T0 - timedelta(minutes=60 - n),
              f"{places[n]} harbour {things[n]} notice {n}: {n * 7} closed", site="flood")
        for n in range(7)
    ]  # fmt: skip
    few = [
        entry("museum", T0 - timedelta(minutes=45),
              "Maritime museum by the harbour reopens after roof repairs", site="few"),
        entry("master", T0 - timedelta(minutes=15),
              "Harbour master Okafor retires after thirty years", site="few"),
    ]  # fmt: skip
    old = entry("old", T0 - timedelta(hours=1), "Lamp posts on the harbour wall repainted")
    with FeedServer() as server:
        strict = feed(server, "strict", max_age=timedelta(minutes=30))
        feeds = [strict, feed(server, "flood"), feed(server, "few")]
        for name in ("strict", "flood", "few"):
            server.set(f"/{name}.xml", rss([]))
        await pipeline.poll_many(feeds)  # the backlogs
        server.set("/strict.xml", rss([old]))
        server.set("/flood.xml", rss(flood))
        server.set("/few.xml", rss(few))
        reports = await pipeline.poll_many(feeds)
    # The strict feed's hour-old item is too old for it; the others' are not for theirs.
    assert [(r.ingest.new_items, r.ingest.too_old) for r in reports] == [(1, 1), (7, 0), (2, 0)]
    assert [r.ingest.new_alerts for r in reports] == [0, 7, 2]
    # Seven new alerts from one feed (burst_limit 5) are one message; the other feed's two,
    # taken in the same ingest, are two messages of their own.
    queued = pipeline.store.queued("desk")
    bursts = [b for q in queued if (b := pipeline.store.burst(q.delivery.id)) is not None]
    assert [(b.feed, b.count) for b in bursts] == [("flood", 7)]
    assert len(queued) == 3
    assert reports[1].ingest.folded == 6 and reports[2].ingest.folded == 0


async def test_a_full_disk_keeps_nothing_of_the_feeds_whose_items_were_not_stored(
    pipeline: Pipeline,
) -> None:
    bulky = [
        entry(f"{n}", T0 - timedelta(minutes=n), f"Harbour report {n}",
              f"Harbour report {n}. " + f"quay{n} berth{n} pier{n} " * 100, site=site)
        for n, site in enumerate(["a", "b"] * 15)
    ]  # fmt: skip
    with FeedServer() as server:
        feeds = [feed(server, "a"), feed(server, "b")]
        for name in ("a", "b"):
            server.set(f"/{name}.xml", rss([e for e in bulky if name in str(e["guid"])[:1]]))
        db = pipeline.store.db
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StorageError):
            await pipeline.poll_many(feeds)
        for one in feeds:  # the next poll reads the bodies again
            state = pipeline.store.feed_state(one.url, one.name)
            assert state.body_hash is None and not state.backlog_done
        db.execute("PRAGMA max_page_count = 1073741823")
        reports = await pipeline.poll_many(feeds)
    assert [r.outcome for r in reports] == ["backlog", "backlog"]
    assert len(stored(pipeline.store)) == 30


async def test_the_services_first_round_takes_every_due_feed_together(tmp_path: Path) -> None:
    """`watcher run` starting on feeds with a backlog groups it as poll-once does: the feed
    holding the first report answers last, yet the reports are taken in time order (the
    case of test_the_order_decides_the_grouping). Later rounds poll each feed when due."""
    now = datetime.now(UTC).replace(microsecond=0)
    first, second, third = (now - timedelta(hours=h) for h in (50, 20, 5))
    with FeedServer() as server:
        gate = server.hold("/b.xml", rss([copy("crane", first, "b")]))
        server.set("/a.xml", rss([copy("crane", second, "a")]))
        server.set("/c.xml", rss([copy("crane", third, "c")]))
        tables = "".join(
            f'[[feed]]\nurl = "{server.url(f"/{name}.xml")}"\nname = "{name}"\ninterval = "1s"\n'
            for name in ("b", "a", "c")
        )
        path = desk_config(tmp_path, '[channel.desk]\ntype = "console"\n' + tables)
        service, app = service_for(path)
        running = asyncio.ensure_future(service.run())
        try:
            await answered_first(server, "/b.xml", ["/a.xml", "/c.xml"])
            gate.set()
            await until(lambda: len(stored(app.store)) == 3, "the three reports stored")
            server.set("/a.xml", rss([copy("crane", second, "a"), copy("later", now, "a")]))
            await until(lambda: len(stored(app.store)) == 4, "a later poll of one feed")
        finally:
            service.stop()
            assert await running == 0
            rows = stored(app.store)
            await app.aclose()
    assert [f for f, _, _ in rows] == ["b", "a", "c", "a"]
    assert rows[0][2] == rows[1][2] != rows[2][2]


async def test_each_feeds_boilerplate_is_learned_from_its_own_items_first(
    pipeline: Pipeline,
) -> None:
    """A video channel's footer (tests/test_boilerplate.py) is learned from its own poll
    before any of it is grouped or matched, though its items are taken in steps, interleaved
    in time with another feed's sixty."""
    pipeline.rules = RuleSet([Rule("social", "Facebook", ("desk",))], load_entities([]))
    start = T0 - timedelta(hours=3)
    videos = [
        entry(f"{n}", start + timedelta(minutes=40 * n + 7), title, f"{body}{FOOTER} {tags}", "tv")
        for n, (title, body, tags) in enumerate(VIDEOS)
    ]
    wire = [
        entry(f"{n}", start + timedelta(minutes=3 * n), f"Wire bulletin {n}: {PLACES[n % 10]}",
              f"Bulletin {n} from the {PLACES[n % 10]} desk, item {n * 13}.", "wire")
        for n in range(60)
    ]  # fmt: skip
    with FeedServer() as server:
        tv, wire_feed = feed(server, "tv"), feed(server, "wire")
        server.set("/tv.xml", rss([]))
        server.set("/wire.xml", rss([]))
        await pipeline.poll_many([tv, wire_feed])  # the backlogs: nothing
        server.set("/tv.xml", rss(videos[::-1]))
        server.set("/wire.xml", rss(wire[::-1]))
        reports = await pipeline.poll_many([tv, wire_feed])
    assert [r.ingest.new_items for r in reports] == [5, 60]
    assert reports[0].ingest.new_stories == len(VIDEOS)  # the footer glued nothing together
    assert reports[0].ingest.matches == 0  # nor did it match the rule
    tv_stories = [s for f, _, s in stored(pipeline.store) if f == "tv"]
    assert len(set(tv_stories)) == len(VIDEOS)
