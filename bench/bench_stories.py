"""Speed and memory of the story index with 100,000 items in the window (run by hand).

    .venv/bin/python bench/bench_stories.py [--items 100000] [--runs 5] [--batch 4000]

Items are synthetic but made of real text: the titles and descriptions of every distinct entry in
../shared/data/rss-headlines-gesab001 (16 news feeds) plus the allsides-neus titles and leads.
Past the real pool, item i pairs title i (plus the last words of another title) with halves of
two other entries' leads, so no item is a copy and the vocabulary is a real news vocabulary.
Publication times are spread evenly over the window.

Prints: add() rate while filling (the start-up rebuild), decide()+add() items/s on a full window
(median of --runs batches, each batch also pruning what slid out of the window), and the index's
memory measured with tracemalloc (a separate fill, since tracing slows everything down).

    .venv/bin/python bench/bench_stories.py --told-twice 0.25 [--agree-slots 4000] [--no-hold]

measures only the memory of a service whose stories two outlets tell (stories.AGREE_HOLD): that
share of items are another outlet's report (no copy) of an earlier item's event, 1-12 h after it;
the index is filled (add only, traced) over AGREE_HOLD + 6 h at --items per 36 h window, pruned
every --batch items, and its memory printed with the slots it keeps past the window (at most
--agree-slots, stories.AGREE_SLOTS; --no-hold: agree_hold at the window, none kept).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_stories import make_item

from watcher.model import Item
from watcher.stories import AGREE_HOLD, AGREE_SLOTS, StoryIndex

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RSS = DATA / "rss-headlines-gesab001" / "snapshots"
ALLSIDES = DATA / "allsides-neus"
START = datetime(2026, 1, 1, tzinfo=UTC)
_ENTRY = re.compile(r"<(?:item|entry)\b.*?</(?:item|entry)>", re.S)
_FIELD = {
    "title": re.compile(r"<title[^>]*>(.*?)</title>", re.S),
    "lead": re.compile(r"<(?:description|summary|media:description)[^>]*>(.*?)</", re.S),
}
_TAG = re.compile(r"<[^>]+>")


def _text(raw: str) -> str:
    raw = raw.replace("<![CDATA[", "").replace("]]>", "")
    return " ".join(_TAG.sub(" ", html.unescape(_TAG.sub(" ", raw))).split())


def rss_pool() -> Iterator[tuple[str, str]]:
    for path in sorted(RSS.glob("*/*.xml.gz")):
        with gzip.open(path) as raw:
            body = raw.read().decode("utf-8", "replace")
        for entry in _ENTRY.findall(body):
            title = _FIELD["title"].search(entry)
            lead = _FIELD["lead"].search(entry)
            if title:
                yield _text(title.group(1)), _text(lead.group(1)) if lead else ""


def allsides_pool() -> Iterator[tuple[str, str]]:
    raw = ALLSIDES / "raw_crawled" / "headline_11_2021-10-19_crawled_all.jsonl"
    for line in raw.read_text(encoding="utf-8").splitlines():
        for article in json.loads(line)["news"].values():
            yield article["newsTitle"], " ".join(article.get("newBody") or [])
    probe = ALLSIDES / "naacl2022_lrc_roundup_random_order_probe"
    for split in ("train", "val", "test"):
        for line in (probe / f"{split}.source").read_text(encoding="utf-8").splitlines():
            for segment in line.split(" [SEP] "):
                title, _, lead = segment.removeprefix("TITLE=> ").partition(". ARTICLE=> ")
                yield title, lead


def pool() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for title, lead in [*rss_pool(), *allsides_pool()]:
        if title and title not in seen:
            seen[title] = lead
    return list(seen.items())


def make_items(texts: list[tuple[str, str]], count: int, window: timedelta) -> list[Item]:
    step = window / count
    items = []
    for i in range(count):
        title, lead = texts[i % len(texts)]
        if i >= len(texts):  # a new pairing: real words, but not a copy of any earlier item
            other_title, lead = texts[(i * 7919 + i // len(texts)) % len(texts)]
            title = f"{title}: {' '.join(other_title.split()[-4:])}"
            half = lead.split()
            tail = texts[(i * 104729 + 3) % len(texts)][1].split()
            lead = " ".join(half[: len(half) // 2] + tail[len(tail) // 2 :])

        items.append(make_item(i, title, lead, START + i * step))
    return items


def fill(index: StoryIndex, items: list[Item]) -> float:
    started = time.perf_counter()
    for n, item in enumerate(items):
        index.add(item, n)
    return time.perf_counter() - started


def decide_and_add(index: StoryIndex, items: list[Item], first_story: int) -> tuple[float, float]:
    """Wall and CPU seconds for deciding and adding a batch, then pruning what slid out."""
    wall, cpu = time.perf_counter(), time.process_time()
    story = first_story
    for item in items:
        decision = index.decide(item)
        if decision.story_id is None:
            story += 1
        for old in decision.merge:  # as ingest does: the younger stories fold in
            index.merge(old, decision.story_id if decision.story_id is not None else story)
        index.add(item, decision.story_id if decision.story_id is not None else story)
    index.prune(items[-1].published - index.window)
    return time.perf_counter() - wall, time.process_time() - cpu


def told_twice(texts: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """The index's memory when `args.told_twice` of items are a second outlet's report of an
    earlier item's event (see the docstring)."""
    window = timedelta(hours=36)
    span = AGREE_HOLD + timedelta(hours=6)
    count = int(args.items * (span / window))
    items = make_items(texts, count, span)
    step = span / count
    rng = random.Random(0)
    stories: list[int] = []
    for i in range(count):
        if i and rng.random() < args.told_twice:  # its event's earlier report, 1-12 h before
            stories.append(stories[max(0, i - int(timedelta(hours=rng.uniform(1, 12)) / step))])
        else:
            stories.append(i)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = StoryIndex(
        window=window,
        agree_hold=window if args.no_hold else AGREE_HOLD,
        agree_slots=args.agree_slots,
    )
    for n, item in enumerate(items):
        index.add(item, stories[n])
        if n % args.batch == args.batch - 1:
            index.prune(item.published - window)
    index.prune(items[-1].published - window)
    index._cache = None
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    start = items[-1].published - window
    inside = sum(1 for item in items if item.published >= start)
    hold = "off" if args.no_hold else f"{AGREE_HOLD.total_seconds() / 3600:.0f} h"
    print(
        f"{count:,} items over {span.total_seconds() / 3600:.0f} h, {args.told_twice:.0%} a "
        f"second outlet's; hold {hold}, budget {args.agree_slots:,} slots"
    )
    print(
        f"index memory (tracemalloc): {(after - before) / 1e6:.1f} MB, {len(index):,} slots "
        f"({inside:,} in the window, {len(index) - inside:,} kept past it)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=4000)
    parser.add_argument("--told-twice", type=float, default=0.0)
    parser.add_argument("--agree-slots", type=int, default=AGREE_SLOTS)
    parser.add_argument("--no-hold", action="store_true")
    args = parser.parse_args(argv)
    texts = pool()
    if args.told_twice:
        told_twice(texts, args)
        return 0
    window = timedelta(hours=36)
    total = args.items + args.runs * args.batch
    items = make_items(texts, total, window * total / args.items)
    base, extra = items[: args.items], items[args.items :]
    print(f"text pool: {len(texts)} distinct real titles; {args.items} items in a 36 h window")

    index = StoryIndex(window=window)
    seconds = fill(index, base)
    print(f"fill (add only): {args.items / seconds:,.0f} items/s")
    walls, cpus = [], []
    for run in range(args.runs):
        batch = extra[run * args.batch : (run + 1) * args.batch]
        wall, cpu = decide_and_add(index, batch, 10_000_000 + run * args.batch)
        walls.append(len(batch) / wall)
        cpus.append(len(batch) / cpu)
    print(f"decide+add with {len(index):,} items in the window (median of {args.runs} batches):")
    print(
        f"  wall clock: {statistics.median(walls):,.0f} items/s "
        f"(runs: {', '.join(f'{r:,.0f}' for r in walls)})"
    )
    print(
        f"  CPU time:   {statistics.median(cpus):,.0f} items/s "
        f"(runs: {', '.join(f'{r:,.0f}' for r in cpus)})"
    )

    del index
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = StoryIndex(window=window)
    fill(index, base)
    index._cache = None  # the one Item kept for decide-then-add is the caller's, not the index's
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    size = (after - before) / 1e6
    print(
        f"index memory (tracemalloc) with {len(index):,} items: {size:.1f} MB "
        f"({(after - before) / len(index):.0f} bytes/item)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
