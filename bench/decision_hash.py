"""A hash of every decision the story index makes over bench_stories' items (run by hand).

    .venv/bin/python bench/decision_hash.py [--items 40000] [--fill-hours 36] [--idf-learning X]

For speed work that must not move a decision: run it on two trees (PYTHONPATH=tree) and compare
the printed digests. The stream is bench/bench_stories.py's (real titles and leads, re-paired
past the pool), spaced so that the first `--fill` items span `--fill-hours`; every item is
decided then added as ingest does (merges folded in, the window pruned every `--batch` items),
so the index fills, slides past its window and its word memo fills and is bounded on the way.
Hashed: every item's text features (similarity.features through the index), every decision
(story, tier, score, merges) and, for every `--every`-th item, the contenders' signal tuples
and probabilities (`StoryIndex.contenders`). Prints the digest, then counts.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_stories import make_items, pool

from watcher.stories import StoryIndex


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40_000)
    parser.add_argument("--fill", type=int, default=30_000)
    parser.add_argument("--fill-hours", type=float, default=36.0)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--every", type=int, default=13)
    parser.add_argument("--idf-learning", type=float, default=None)
    args = parser.parse_args(argv)
    span = timedelta(hours=args.fill_hours) * args.items / args.fill
    items = make_items(pool(), args.items, span)
    index = StoryIndex(window=timedelta(hours=36), idf_learning=args.idf_learning)
    digest = hashlib.sha256()
    story, joins, merges = 0, 0, 0
    for n, item in enumerate(items):
        decision = index.decide(item)
        feats = index._features(item)[0]  # the cached features decide() used
        digest.update(repr((sorted(feats.weights.items()), sorted(feats.names))).encode())
        digest.update(repr(feats).encode())
        digest.update(repr((decision.story_id, decision.tier, decision.score)).encode())
        digest.update(repr(decision.merge).encode())
        if n % args.every == 0:
            digest.update(repr(index.contenders(item)).encode())
        if decision.story_id is None:
            story += 1
        else:
            joins += 1
        target = decision.story_id if decision.story_id is not None else story
        for old in decision.merge:
            index.merge(old, target)
            merges += 1
        index.add(item, target)
        if n % args.batch == args.batch - 1:
            index.prune(item.published - index.window)
    print(digest.hexdigest())
    print(f"{len(items):,} items: {joins:,} joins, {merges:,} merges, {len(index):,} in the window")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
