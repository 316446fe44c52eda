"""One feed's huge poll: how long the event loop is held at most, and what reaches the desk.

A loopback feed server serves one RSS body of N new items that all match the desk's rule (after
an empty backlog poll). The real Pipeline polls it (fetch, parse and normalize in a worker thread,
ingest in steps) while a ticker on the loop sleeps 10 ms at a time and records the longest gap
between its wake-ups (the loop's worst stall); then the Deliverer drains the outbox to a console
channel. Prints the poll's wall time, the worst and the median stall, and how many messages the
channel got.

    .venv/bin/python bench/bench_burst.py --items 20000 100000
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.feed_server import FeedServer, rss
from watcher.channels.console import ConsoleChannel
from watcher.delivery.deliverer import Deliverer, drain
from watcher.fetch import Fetcher
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.stories import StoryIndex


def body(count: int) -> bytes:
    """Items of distinct stories: each a few made-up words of its own (no two join)."""
    rnd = random.Random(count)
    letters = "bcdfghjklmnprstvz"
    vocab = ["".join(rnd.choices(letters, k=3)) + vowel for vowel in "aeiou" for _ in range(9000)]
    now = datetime.now(UTC)
    return rss(
        {
            "title": f"Harbour {' '.join(rnd.sample(vocab, 5)).title()} notice {n}",
            "link": f"https://flood.example/{n}",
            "guid": f"flood-{n}",
            "description": f"Notice {n}: " + " ".join(rnd.sample(vocab, 12)),
            "pubDate": now - timedelta(seconds=count - n),
        }
        for n in range(count)
    )


async def run(count: int, folder: Path) -> None:
    rules = folder / "rules.toml"
    rules.write_text('[[rule]]\nname = "h"\nquery = "harbour"\nchannels = ["desk"]\n')
    store = Store(folder / f"w{count}.db")
    fetcher = Fetcher(user_agent="bench", timeout=120.0, max_bytes=512 * 1024 * 1024)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    pipeline = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=load_rules([rules], channel_names=["desk"]),
        clock=clock,
        rng=random.Random(1),
    )
    out = io.StringIO()
    deliverer = Deliverer(
        store=store,
        channels={"desk": ConsoleChannel("desk", stream=out)},
        clock=clock,
        rng=random.Random(2),
    )
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.monotonic()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last - 0.01)
            last = now

    with FeedServer() as server:
        server.set("/flood.xml", rss([]))
        feed = Feed(server.url("/flood.xml"), "Flood", timedelta(minutes=5))
        await pipeline.poll(feed)
        server.set("/flood.xml", body(count))
        tick = asyncio.create_task(ticker())
        started = time.monotonic()
        report = await pipeline.poll(feed)
        polled = time.monotonic() - started
        sent = await drain(deliverer)
        total = time.monotonic() - started
        done.set()
        await tick
    await fetcher.aclose()
    store.close()
    print(
        f"items={count} outcome={report.outcome} new_items={report.ingest.new_items} "
        f"new_alerts={report.ingest.new_alerts} folded={report.ingest.folded} "
        f"poll={polled:.1f}s poll+deliver={total:.1f}s messages={sent.sent} "
        f"(rows marked sent) console_messages={out.getvalue().count('=== [desk]')} "
        f"loop_stall_max={max(gaps):.3f}s median={statistics.median(gaps):.4f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, nargs="+", default=[20000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for count in args.items:
            asyncio.run(run(count, Path(folder)))


if __name__ == "__main__":
    main()
