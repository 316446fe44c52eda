"""Story grouping measured end to end: labelled sets served as feeds, `watcher poll-once`,
`watcher stories --json` (run by hand; prints figures). Also `bench/eval_stories.py --e2e`.

    .venv/bin/python bench/eval_e2e.py                   # allsides val+test, 24/day, cold and warm
    .venv/bin/python bench/eval_e2e.py --data raw --warmup 0

The labelled set is built exactly as bench/eval_stories.py builds it (same loaders, seed and
schedule), then written as one RSS 2.0 feed per outlet — the article's title, its lead as the
description, its own pubDate and a link of its own — and served by the loopback feed server of
tests/fakes on 127.0.0.1. A config lists one [[feed]] per outlet (`[fetch] concurrency = 1`, so
the feeds are fetched one after the other in config order); a real `python -m watcher poll-once`
process polls them once (each feed's first poll is its backlog: stored and grouped, not
alerted; all feeds' new items are taken together, oldest first: Pipeline.poll_many), then
`watcher stories --json --limit N` lists every story, and its links are scored against the gold
clusters (B-cubed and pairwise, eval_stories' helpers).

Outlets: the probe splits name none, so a cluster's article in position k of its line (the
files' order is random) belongs to outlet k (three feeds); the raw file names each article's
outlet (145 feeds).

Warm: a feed of --warmup unlabelled RSS items (eval_stories.background: titles and
descriptions of rss-headlines-gesab001, dated a year before the labelled set) is listed first,
so the same process has ingested it before the labelled feeds, as a running service would have
learned from earlier traffic.

Four figures per setting, so that a difference can be traced:

1. in-process: eval_stories' own run (StoryIndex.decide/add over the items in time order; warm
   items added, then pruned);
2. in-process, poll order: the same items in the order one poll-once ingests them (every
   feed's new items together, oldest first; ties in config order, then each feed's document
   order, as Ingest.ingest_batches sorts them), each item in its outlet's feed, warm items added
   and not pruned, as the pipeline leaves them; each feed's boilerplate left out as the
   pipeline does (a Boilerplate learner takes in the feed's whole poll, then each item is
   grouped without its feed's recurring text);
3. stored items, poll order: (2) with the Item values watcher stored (title, summary, published
   as normalized from the feeds), read back from the database;
4. end to end: the stories watcher itself made.

(3) = (4) says the pipeline decides exactly as StoryIndex does; (2) = (3) says parsing and
normalizing keep what grouping uses; (1) vs (2) is what remains between eval_stories and a
poll: its feeds (eval_stories makes each probe item a feed of its own; here an outlet's items
share one, so the own-feed rule of stories.py applies) and the boilerplate learner. Two more
lines show other orders: feed after feed, each feed's items oldest first (what poll-once did
before it took all feeds' items together), and each feed's items in document order (newest
first, before the pipeline sorted them).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_stories import (
    PROBE,
    RAW,
    Labelled,
    background,
    folded,
    group,
    load_raw,
    metrics,
    probe_clusters,
    resolved,
    schedule,
    table_row,
)

from tests.fakes.feed_server import FeedServer, rss
from watcher.boilerplate import Boilerplate
from watcher.model import Item
from watcher.stories import StoryIndex

ROOT = Path(__file__).resolve().parents[1]
Feeds = list[tuple[str, list[Labelled]]]  # (outlet, its items newest first), in config order


def heldout(per_day: float, seed: int, spread: float) -> tuple[list[Labelled], Feeds]:
    clusters = probe_clusters("val") + probe_clusters("test")
    data = schedule("heldout", clusters, per_day, random.Random(seed), spread)
    position = {
        (f"heldout:{n}", title, lead): k
        for n, articles in enumerate(clusters)
        for k, (title, lead) in enumerate(articles)
    }
    outlet = {
        row.item.key: f"outlet-{position[row.gold, row.item.title, row.item.summary]}"
        for row in data
    }
    return data, by_outlet(data, outlet)


def raw(seed: int, spread: float) -> tuple[list[Labelled], Feeds]:
    data = load_raw(random.Random(seed), spread=spread)
    source: dict[tuple[str, str], str] = {}
    for line in RAW.read_text(encoding="utf-8").splitlines():
        roundup = json.loads(line)
        for article in roundup["news"].values():
            source[f"raw:{roundup['id']}", article["newsTitle"]] = article["newsSource"]
    outlet = {row.item.key: source[row.gold, row.item.title] for row in data}
    return data, by_outlet(data, outlet)


def by_outlet(data: Sequence[Labelled], outlet: dict[str, str]) -> Feeds:
    feeds: dict[str, list[Labelled]] = defaultdict(list)
    for row in data:
        feeds[outlet[row.item.key]].append(row)
    return [
        (name, sorted(rows, key=lambda r: r.item.published, reverse=True))
        for name, rows in sorted(feeds.items())
    ]


def feed_body(n: int, name: str, items: Sequence[Item]) -> bytes:
    return rss(
        [
            {
                "title": item.title,
                "link": item.link,
                "guid": item.link,
                "description": item.summary,
                "pubDate": item.published,
            }
            for item in items
        ],
        title=name,
        link=f"https://outlets.example/{n}/",
    )


# -- end to end ---------------------------------------------------------------------------------


def watcher(config: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"watcher {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def end_to_end(feeds: Feeds, warm: Sequence[Item], folder: Path) -> tuple[dict[str, int], Path]:
    """Serve, poll once, list the stories: story id per link; and the database."""
    served = ([("warm-up", list(warm))] if warm else []) + [
        (name, [row.item for row in rows]) for name, rows in feeds
    ]
    db = folder / "e2e.db"
    with FeedServer() as server:
        lines = [
            f"[storage]\npath = {json.dumps(str(db))}\n",
            "[rules]\npaths = []\n",
            "[fetch]\nconcurrency = 1\n",  # feeds polled one after the other, in this order
        ]
        for n, (name, items) in enumerate(served):
            server.set(f"/feed/{n}.xml", feed_body(n, name, items))
            url = server.url(f"/feed/{n}.xml")
            lines.append(f"[[feed]]\nurl = {json.dumps(url)}\nname = {json.dumps(name)}\n")
        config = folder / "config.toml"
        config.write_text("\n".join(lines), encoding="utf-8")
        start = time.perf_counter()
        watcher(config, "poll-once")
        print(f"  poll-once: {len(served)} feeds in {time.perf_counter() - start:.1f} s", end="")
    stories = json.loads(watcher(config, "stories", "--json", "--limit", "1000000"))
    print(f", {len(stories)} stories listed")
    return {i["link"]: s["id"] for s in stories for i in s["items"]}, db


def stored_items(db: Path) -> dict[str, Item]:
    """The labelled items as watcher stored them, by link."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT key, feed_url, feed_name, link, title, summary, published, content_hash FROM items"
    ).fetchall()
    con.close()
    return {
        link: Item(key, url, name, link, title, summary, datetime.fromisoformat(when), digest)
        for key, url, name, link, title, summary, when, digest in rows
    }


# -- in process ---------------------------------------------------------------------------------


def published(item: Item) -> datetime:
    return item.published


def grouped(
    feeds: Sequence[Sequence[Item]],
    warm: Sequence[Item],
    make: Callable[[], StoryIndex],
    *,
    merged: bool = True,
) -> dict[str, int]:
    """Story per link: the feeds' items decided and added after `warm` (not pruned); each seen
    without its feed's boilerplate, as the pipeline does (the learner takes in a feed's whole
    poll before any of its items is grouped: Ingest.ingest_batches). `merged`: all feeds'
    items oldest first (a stable sort of the feeds' items in the order given), as one
    poll-once takes them; else feed after feed, each in the order given."""
    index = make()
    for n, old in enumerate(cleaned(oldest_first(warm))):
        index.add(old, -n - 1)
    story: dict[str, int] = {}
    folds: dict[int, int] = {}  # story -> the story it was merged into
    batches = [clean for batch in feeds for clean in cleaned(batch)]
    items = oldest_first(batches) if merged else batches
    for n, item in enumerate(items):
        decision = index.decide(item)
        story[item.link] = decision.story_id if decision.story_id is not None else n + 1_000_000
        folded(index, decision.merge, story[item.link], folds)
        index.add(item, story[item.link])
    return {link: resolved(folds, s) for link, s in story.items()}


def cleaned(batch: Sequence[Item]) -> list[Item]:
    """One feed's poll as stories see it: learned from as a whole, then each item cleaned.
    Each feed is polled once here, so its batch is all its learner ever sees (a learner of
    its own: the in-process items do not carry their feed's URL)."""
    learner = Boilerplate()
    learner.learn(batch)
    return learner.take(batch, learn=False)


def oldest_first(items: Iterable[Item]) -> list[Item]:
    """A poll's items in the order Pipeline.ingest takes them (a stable sort by date)."""
    return sorted(items, key=published)


def figures(data: Sequence[Labelled], story: dict[str, int]) -> dict[str, float]:
    gold = [row.gold for row in data]
    missing = sum(row.item.link not in story for row in data)
    # An item watcher did not list counts as a story of its own (it cannot be right).
    pred = [story.get(row.item.link, -n - 1) for n, row in enumerate(data)]
    return {"items": len(data), "missing": missing, **metrics(gold, pred)}


def line(name: str, s: dict[str, float]) -> str:
    return table_row(name, s, ("items", "missing"))


def differences(data: Sequence[Labelled], a: dict[str, int], b: dict[str, int]) -> int:
    """Items whose story (as a set of items) differs between two groupings."""

    def members(story: dict[str, int]) -> dict[str, frozenset[str]]:
        sets: dict[int, set[str]] = defaultdict(set)
        for row in data:
            sets[story.get(row.item.link, -1)].add(row.item.link)
        return {link: frozenset(sets[story.get(link, -1)]) for link in story}

    ma, mb = members(a), members(b)
    return sum(ma.get(row.item.link) != mb.get(row.item.link) for row in data)


def run(
    name: str, data: Sequence[Labelled], feeds: Feeds, warm: Sequence[Item], folder: Path
) -> None:
    kind = f"warm {len(warm)}" if warm else "cold"
    print(f"\n{name}, {kind}: {len(data)} items, {len(feeds)} feeds")
    # poll-once takes all feeds' new items oldest first (a stable sort of the feeds' items in
    # config order, each feed's in document order). Each item in its outlet's feed, as
    # served: the story index tells its own feed's stories.
    fed = [[replace(r.item, feed_url=f"outlet:{name}") for r in rows] for name, rows in feeds]
    make = StoryIndex
    own = group(data, make, warm)  # eval_stories' own run
    results = {
        "in-process": {row.item.link: story for row, story in zip(data, own, strict=True)},
        "in-process, poll order": grouped(fed, warm, make),
    }
    e2e, db = end_to_end(feeds, warm, folder / kind.replace(" ", "-"))
    stored = stored_items(db)
    as_stored = [[stored[r.item.link] for r in rows if r.item.link in stored] for _, rows in feeds]
    warm_stored = [stored[w.link] for w in warm if w.link in stored]
    results["stored items, poll order"] = grouped(as_stored, warm_stored, make)
    results["end to end (poll-once, stories --json)"] = e2e
    by_feed = [oldest_first(items) for items in fed]
    results["in-process, feed after feed (poll-once before)"] = grouped(
        by_feed, warm, make, merged=False
    )
    results["in-process, feed after feed, document order"] = grouped(fed, warm, make, merged=False)
    print(
        "| run | items | not listed | stories | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, story in results.items():
        print(line(f"{name}, {kind}: {label}", figures(data, story)))
    names = list(results)[:4]
    for a, b in itertools.pairwise(names):
        print(
            f"  items whose story differs, {a} vs {b}: {differences(data, results[a], results[b])}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=("heldout", "raw"), default="heldout")
    parser.add_argument("--per-day", type=float, default=24.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spread", type=float, default=12.0)
    parser.add_argument(
        "--warmup", type=int, nargs="*", default=[0, 5000], help="warm-up sizes (0: cold)"
    )
    args = parser.parse_args(argv)
    if not PROBE.exists():
        print(f"no data at {PROBE.parent}", file=sys.stderr)
        return 1
    if args.data == "heldout":
        name = f"allsides val+test, {args.per_day:g}/day"
        data, feeds = heldout(args.per_day, args.seed, args.spread)
    else:
        name = "allsides raw (dated)"
        data, feeds = raw(args.seed, args.spread)
    print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory(prefix="eval-e2e-") as tmp:
        for size in args.warmup:
            folder = Path(tmp)
            (folder / (f"warm-{size}" if size else "cold")).mkdir()
            warm = [
                replace(w, link=f"https://warm.example/{n}") for n, w in enumerate(background(size))
            ]
            run(name, data, feeds, warm, folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
