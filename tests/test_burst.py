"""One feed cannot bury the desk (issue 13, item 3).

A poll bringing more than `[defaults] burst_limit` new matching stories from one feed goes to
each channel as one message naming the count and the first few; the rest of the outbox is not
held up behind it; a big body is ingested in steps with the loop free between them (and the
poll's alerts held until it is done, so a burst is never told in pieces); a crash between steps
is settled at start-up; a channel's queue takes turns between feeds.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import FakeClock
from tests.test_storage_full import desk_config, until
from tests.test_upkeep import service_for
from watcher.boilerplate import Boilerplate
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import Deliverer, drain
from watcher.errors import StorageError
from watcher.fetch import Fetcher
from watcher.ingest import INGEST_STEP, Batch, Ingest
from watcher.model import Feed, Item, Tier
from watcher.mutes import Mute
from watcher.pipeline import Pipeline
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.store.bursts import Burst, Fold, open_ref
from watcher.stories import StoryIndex

TOKEN = "4242:BURST-test-token"
CHAT = "-1001000000777"  # a group: 20 messages a minute
PLACES = ["north", "south", "east", "west", "inner", "outer", "old", "new", "upper", "lower"]
THINGS = ["crane", "ferry", "quay", "berth", "pier", "dock", "lock", "tug", "buoy", "barge"]


def flood(count: int, site: str = "flood.example") -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {
            "title": f"Harbour {PLACES[n % 10]} {THINGS[n // 10 % 10]} notice {n}",
            "link": f"https://{site}/{n}",
            "guid": f"{site}-{n}",
            "pubDate": now - timedelta(seconds=count - n),
        }
        for n in range(count)
    ]


def write_config(tmp_path: Path, feeds: FeedServer, tg: FakeTelegram) -> Path:
    return desk_config(
        tmp_path,
        '[service]\ndelivery_check = "0.2s"\n'
        f'[channel.desk]\ntype = "telegram"\nchat_id = "{CHAT}"\ntoken_env = "BURST_TG_TOKEN"\n'
        f'api_url = "{tg.api_url}"\n'
        f'[[feed]]\nurl = "{feeds.url("/flood.xml")}"\nname = "Flood"\ninterval = "1s"\n'
        f'[[feed]]\nurl = "{feeds.url("/wire.xml")}"\nname = "Wire"\ninterval = "1s"\n',
    )


async def test_a_flood_from_one_feed_is_one_message_and_other_news_is_not_held_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BURST_TG_TOKEN", TOKEN)
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        feeds.set("/flood.xml", rss([]))
        feeds.set("/wire.xml", rss([]))
        service, app = service_for(write_config(tmp_path, feeds, tg))
        running = asyncio.ensure_future(service.run())

        def texts() -> list[str]:
            with tg.lock:
                return list(tg.messages.get(CHAT, {}).values())

        try:
            states = lambda: [s.backlog_done for s in app.store.feed_states()]  # noqa: E731
            await until(lambda: states() == [True, True], "both backlogs read")
            feeds.set("/flood.xml", rss(flood(600)))
            await until(lambda: app.store.outbox_depth() > 0 or bool(texts()), "the flood read")
            wire = {"title": "Harbour master resigns", "link": "https://wire.example/1",
                    "guid": "wire-1", "pubDate": datetime.now(UTC)}  # fmt: skip
            feeds.set("/wire.xml", rss([wire]))
            await until(lambda: any("wire.example/1" in t for t in texts()), "the wire story")
        finally:
            service.stop()
            assert await running == 0
            await app.aclose()
    sent = texts()
    assert len(sent) == 2, sent  # the flood as one message, and the wire story
    burst = next(t for t in sent if "new matching stories" in t)
    found = re.search(r"Flood: ([\d,]+) new matching stories in one poll", burst)
    assert found and int(found.group(1).replace(",", "")) > 5, burst
    assert "flood.example/0" in burst  # the first of them listed


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    built = Fetcher(user_agent="watcher-test", timeout=10.0, max_bytes=64 * 1024 * 1024)
    yield built
    await built.aclose()


async def test_a_big_body_is_ingested_in_steps_and_its_alerts_held_until_the_end(
    tmp_path: Path, fetcher: Fetcher
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "h"\nquery = "harbour"\nchannels = ["desk"]\n')
    store = Store(tmp_path / "w.db")
    pipeline = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=load_rules([rules], channel_names=["desk"]),
        clock=lambda: datetime.now(UTC),
        rng=random.Random(1),
    )
    total = 3 * INGEST_STEP + 17
    seen_between: list[tuple[int, int]] = []  # (items stored, rows deliverable) mid-poll
    try:
        with FeedServer() as server:
            server.set("/big.xml", rss([]))
            feed = Feed(server.url("/big.xml"), "Big", timedelta(minutes=5))
            await pipeline.poll(feed)  # the backlog
            server.set("/big.xml", rss(flood(total)))
            poll = asyncio.create_task(pipeline.poll(feed))
            while not poll.done():
                await asyncio.sleep(0)
                stored = store.db.execute("SELECT count(*) FROM items").fetchone()[0]
                if 0 < stored < total:
                    seen_between.append((stored, len(store.queued("desk"))))
            report = await poll
        # The loop ran between the steps, and saw no alert of the poll before its end.
        assert seen_between and all(rows == 0 for _, rows in seen_between), seen_between
        assert report.ingest.new_items == total
        queued = store.queued("desk")
        assert len(queued) == 1  # one burst message carries them all
        burst = store.burst(queued[0].delivery.id)
        assert burst is not None and burst.feed == "Big"
        assert burst.count == report.ingest.new_alerts > 5
    finally:
        store.close()


def story_row(
    store: Store,
    n: int,
    feed: str,
    now: datetime,
    hold: str | None = None,
    rules: tuple[str, ...] = ("r",),
) -> None:
    item = Item(
        key=f"guid:{feed}:{n}", feed_url=f"https://{feed}/", feed_name=feed,
        link=f"https://{feed}/{n}", title=f"Story {n} of {feed}", summary="",
        published=now + timedelta(seconds=n), content_hash=f"h{n}", guid=str(n),
    )  # fmt: skip
    story = store.new_story(item.title, item.published)
    store.add_item(item, story, Tier.NEW, 0.0, now)
    store.want_delivery(story, "desk", rules, (), 0, now, hold=hold)


def test_a_poll_cut_short_is_settled_at_start_up(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    store.feed_state("https://many/", "Many")
    for n in range(7):  # a crash left a poll's seven alerts open
        story_row(store, n, "many", now, hold=open_ref("https://many/"))
    for n in range(3):  # and another feed's three
        story_row(store, n, "few", now, hold=open_ref("https://few/"))
    assert store.queued("desk") == []
    assert store.settle_open(5, now) == 6
    queued = store.queued("desk")
    assert len(queued) == 4  # the three released, and the burst of seven
    bursts = [b for q in queued if (b := store.burst(q.delivery.id)) is not None]
    assert [(b.feed, b.count, len(b.story_ids)) for b in bursts] == [("Many", 7, 5)]
    store.close()


def test_a_channels_queue_takes_turns_between_feeds(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for n in range(12):
        story_row(store, n, "busy", now)
    story_row(store, 100, "quiet", now)  # the newest story of all
    order = [q.delivery.story_id for q in store.queued("desk")]
    assert order.index(13) <= 5  # after the busy feed's first share, not behind all twelve
    assert [s for s in order if s != 13] == list(range(1, 13))  # each feed in its own order
    store.close()


async def test_a_muted_story_or_rule_is_no_part_of_a_flood_and_silences_no_one_else(
    tmp_path: Path,
) -> None:
    """Muting a story that would have carried a flood's message (or a rule some of its stories
    matched) leaves those out of the count and the list; the others are still told, once."""
    store = Store(tmp_path / "w.db")
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    now = clock.now
    ref = open_ref("https://many/")
    store.feed_state("https://many/", "Many")
    for n in range(10):  # stories 1..10; the last two matched rule "m" only
        story_row(store, n, "many", now, hold=ref, rules=("m",) if n >= 8 else ("r",))
    store.add_mute(Mute("desk", "story", "1", now + timedelta(hours=4), now, "telegram:42"))
    store.add_mute(Mute("desk", "rule", "m", now + timedelta(hours=4), now, "telegram:42"))
    (fold,) = store.settle_poll("https://many/", "Many", 5, now)
    while store.fold_some(fold, now):
        pass
    store.release(fold)
    assert store.burst(fold.carrier) == Burst("Many", 7, (2, 3, 4, 5, 6))
    # Story 2 is muted after the flood was settled: its message still tells the six others.
    store.add_mute(Mute("desk", "story", "2", now + timedelta(hours=4), now, "telegram:42"))
    with FakeTelegram(token=TOKEN) as tg:
        channel = TelegramChannel(
            "desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url, timeout=10, commands=True
        )
        deliverer = Deliverer(
            store=store,
            channels={"desk": channel},
            clock=clock,
            rng=random.Random(1),
            sleep=clock.sleep,
            limits={"desk": []},
        )
        try:
            await drain(deliverer, sleep=clock.sleep)
        finally:
            await channel.aclose()
        ((message_id, html),) = tg.messages[CHAT].items()
        assert "Many: 7 new matching stories in one poll" in html
        assert "Story 0 of many" not in html and "Story 1 of many" in html  # story 2's item
        assert not tg.markups.get(CHAT, {}).get(message_id)  # a flood offers no story buttons
    skipped = store.db.execute(
        "SELECT story_id FROM deliveries WHERE last_error LIKE 'not sent: muted%' ORDER BY 1"
    ).fetchall()
    assert skipped == [(1,), (9,), (10,)]  # each skipped on its own, as muted
    store.close()


async def test_a_poll_failing_in_its_last_step_is_settled_by_the_feeds_next_poll(
    tmp_path: Path,
) -> None:
    """A poll's earlier steps are committed with their alerts open; when its last step fails,
    nothing settles them then. The feed's next poll does, though it queues nothing itself
    (a feed's settling is skipped only while this process knows it holds no open row)."""
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "h"\nquery = "harbour"\nchannels = ["desk"]\n')
    store = Store(tmp_path / "w.db")
    intake = Ingest(
        store=store,
        index=StoryIndex(),
        rules=load_rules([rules], channel_names=["desk"]),
        boilerplate=Boilerplate(),
    )
    feed = Feed("https://flood.example/rss", "Flood", timedelta(minutes=5))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def items(count: int, start: int, title: str) -> list[Item]:
        return [
            Item(key=f"guid:{n}", feed_url=feed.url, feed_name=feed.name,
                 link=f"https://flood.example/{n}", title=f"{title} {n}", summary="",
                 published=now - timedelta(minutes=count - n), content_hash=f"h{n}", guid=str(n))
            for n in range(start, start + count)
        ]  # fmt: skip

    settle = store.settle_poll

    def failing(*args: object) -> list[Fold]:
        raise StorageError("SQLite: database or disk is full")

    store.settle_poll = failing  # type: ignore[method-assign]
    with pytest.raises(StorageError):
        await intake.ingest_batches([Batch(feed, items(INGEST_STEP + 3, 0, "Harbour"), True)], now)
    store.settle_poll = settle  # type: ignore[method-assign]
    assert store.queued("desk") == []  # the first step's alerts, open
    assert store.db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == INGEST_STEP
    (report,) = await intake.ingest_batches([Batch(feed, items(1, 500, "Quiet"), True)], now)
    assert report.new_alerts == 0
    queued = store.queued("desk")
    assert len(queued) == 1 and store.burst(queued[0].delivery.id) is not None
    store.close()
