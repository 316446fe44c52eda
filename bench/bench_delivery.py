"""What a delivery costs watcher itself: the outbox bookkeeping per alert, without the chat API.

Queues N one-item stories for a channel that answers at once (no network) and drains the outbox
with pacing off, so the time measured is the Deliverer's and SQLite's: reading the queue, the
policy, loading each story, marking it sent, recording the send. Prints the median of R runs.

    .venv/bin/python bench/bench_delivery.py [N] [R]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from watcher.delivery.deliverer import Deliverer, drain
from watcher.delivery.pacing import Limit
from watcher.model import Alert, Item, Tier
from watcher.store import Store

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)


class Instant:
    """A channel that takes every message at once."""

    name = "desk"
    can_edit = True
    can_reply = True

    def __init__(self) -> None:
        self.count = 0

    async def send(self, alert: Alert) -> str:
        self.count += 1
        return str(self.count)

    async def edit(self, ref: str, alert: Alert) -> str:
        return ref

    async def reply(self, ref: str, alert: Alert) -> str:
        self.count += 1
        return str(self.count)

    chat = None

    def move_to(self, chat: str) -> None:
        return None

    def limits(self) -> tuple[Limit, ...]:
        return ()

    async def aclose(self) -> None:
        return None


def fill(store: Store, n: int) -> None:
    with store.transaction():
        for i in range(n):
            sid = store.new_story(f"Report {i}", T0)
            item = Item(
                key=f"url:https://x.example/{i}",
                feed_url="http://127.0.0.1/f",
                feed_name="Outlet",
                link=f"https://x.example/{i}",
                title=f"Report {i}",
                summary="Some text " * 20,
                published=T0,
                content_hash=f"h{i}",
            )
            store.add_item(item, sid, Tier.NEW, 0.0, T0)
            store.want_delivery(sid, "desk", ["rule"], ["term"], 0, T0)


async def one_run(n: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        fill(store, n)
        channel = Instant()
        deliverer = Deliverer(
            store=store,
            channels={"desk": channel},
            clock=lambda: T0,
            rng=random.Random(1),
            limits={"desk": ()},
        )
        started = time.perf_counter()
        await drain(deliverer)
        elapsed = time.perf_counter() - started
        assert channel.count == n and store.outbox_depth() == 0
        store.close()
        return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    times = [asyncio.run(one_run(n)) for _ in range(runs)]
    median = statistics.median(times)
    print(f"alerts={n} runs={runs} median={median:.3f}s per_alert={median / n * 1000:.2f}ms")


if __name__ == "__main__":
    main()
