"""Train the story index's join model (run by hand; writes watcher/data/story_model.json).

    .venv/bin/python bench/train_story_model.py            # train, choose threshold, write
    .venv/bin/python bench/train_story_model.py --dry-run  # print only

Labelled pairs come from the allsides-neus probe **train** split only (val, test and the raw file
stay for bench/eval_stories.py). The split is replayed as a live stream (eval_stories.schedule:
clusters spread over simulated days, each cluster's articles within ``spread`` hours) into a
StoryIndex that is fed the gold story of every item ("teacher forcing"). For each item, the
stories the index itself puts forward (StoryIndex.contenders: the open stories sharing its most
informative terms, best few) give one pair each, labelled 1 when it is the item's gold story.
So the negatives are exactly what a live window would offer: same hours, shared words and names.

A live window also holds far more items that belong to no labelled story: DISTRACTORS unlabelled
RSS items (rss-headlines-gesab001, past the first 5,000 that eval_stories.py warms with) are
spread over each stream's days, each its own story; an allsides item's contenders then include
them, and their own contenders among the labelled stories are negatives too.

The stream is replayed under several CONDITIONS so the model does not learn one index state or
one rhythm: cold and warmed (5,000 more unlabelled RSS items, also not eval_stories.py's),
one story's articles spread over 12, 24 or 36 h (a day-late report must still look joinable),
24 or 48 stories a day, and some items with their lead removed (headline-only feeds).

Model: L2-regularised logistic regression over story_model.FEATURES, fitted by Newton's method
in pure Python. Threshold and margin: the lowest threshold whose B-cubed precision on the train
stream (decided by the model, not teacher-forced) reaches TARGET_P both cold and warm.
No words are written: the output holds one weight per feature.

An installation's own corrections: ``--feedback FILE...`` adds the pairs `watcher feedback
export` wrote (a desk's splits, label 0; joins it left alone for a day, label 1), each counted
``--feedback-weight`` times (see feedback_pairs; bench/eval_feedback.py shows the effect).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_stories import (
    EPOCH,
    Labelled,
    bcubed,
    group,
    make_item,
    probe_clusters,
    schedule,
)

from watcher.model import Item
from watcher.stories import StoryIndex
from watcher.story_model import FEATURES, JoinModel

OUT = Path(__file__).resolve().parents[1] / "watcher" / "data" / "story_model.json"
TARGET_P = 0.985  # train B-cubed precision the threshold must reach, cold and warm: a live
# window holds far more unrelated items than these labelled streams
L2 = 1.0
MARGINS = (0.0, 0.05)
UNTRAINED = JoinModel((0.0,) * len(FEATURES), 0.0, 0.5, 0.0)
# (stories a day, hours over which one story's articles appear, share of headline-only items)
CONDITIONS = ((24, 12.0, 0.0), (24, 36.0, 0.0), (48, 12.0, 0.3), (24, 24.0, 0.3))
DISTRACTORS = 10_000  # unlabelled RSS items spread over each training stream (about 100 a day)
THRESHOLDS = tuple(round(0.5 + 0.05 * n, 2) for n in range(10))  # 0.50 .. 0.95


def rss_items(skip: int, count: int) -> list[tuple[str, str]]:
    """Distinct (title, lead) RSS entries past the first `skip` (those warm the evaluation)."""
    from bench_stories import rss_pool

    seen: dict[str, str] = {}
    for title, lead in rss_pool():
        seen.setdefault(title, lead)
        if len(seen) >= skip + count:
            break
    return list(seen.items())[skip:]


def background_items(rows: Sequence[tuple[str, str]], start: datetime, end: datetime) -> list[Item]:
    """`rows` as items spread evenly from start to end (keys from -1 down: never labelled)."""
    step = (end - start) / max(1, len(rows))
    return [make_item(-n - 1, t, s, start + n * step) for n, (t, s) in enumerate(rows)]


def headlines_only(data: Sequence[Labelled], share: float, rng: random.Random) -> list[Labelled]:
    """About `share` of the items lose their lead: feeds that give a headline and nothing else."""
    out = []
    for row in data:
        if rng.random() < share:
            it = row.item
            row = Labelled(row.gold, make_item(int(it.key[5:]), it.title, "", it.published))
        out.append(row)
    return out


def collect(
    data: Sequence[Labelled], warm: Sequence[Item], distractors: Sequence[Item]
) -> list[tuple[tuple[float, ...], int]]:
    """(signals, label) for every story the index puts forward, fed gold stories.

    `distractors` (unlabelled items, each its own story) are interleaved by time, as a live
    window holds them; their own contenders count as negatives only against labelled stories.
    """
    index = StoryIndex(model=UNTRAINED)  # the signals do not depend on the model
    for n, old in enumerate(warm):
        index.add(old, -n - 1)
    index.prune(EPOCH - timedelta(days=30))
    ids: dict[str, int] = {}
    pairs = []
    stream = sorted(
        [(row.item.published, n, row) for n, row in enumerate(data)]
        + [(it.published, len(data) + n, it) for n, it in enumerate(distractors)],
        key=lambda entry: (entry[0], entry[1]),
    )
    for _, n, entry in stream:
        if isinstance(entry, Labelled):
            gold = ids.setdefault(entry.gold, len(ids) + 1)
            for story, signals, _ in index.contenders(entry.item):
                pairs.append((signals, int(story == gold)))
            index.add(entry.item, gold)
        else:
            for story, signals, _ in index.contenders(entry):
                if story > 0:  # a labelled story: surely another event
                    pairs.append((signals, 0))
            index.add(entry, -(10**9) - n)
    return pairs


def feedback_pairs(paths: Sequence[Path]) -> list[tuple[tuple[float, ...], int]]:
    """(signals, label) of the pairs in `watcher feedback export` files (JSON lines).

    A pair's signals are what StoryIndex computes for its later item against an index holding
    only the earlier one. A pair the index would not even put forward (no informative term
    shared) cannot change a decision and is left out."""
    out = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = int(row["label"])
                first, later = sorted((_exported(row["a"]), _exported(row["b"])), key=_when)
            except (ValueError, KeyError, TypeError) as exc:
                raise SystemExit(f"{path}:{number}: not a feedback pair ({exc!r})") from None
            index = StoryIndex(model=UNTRAINED)
            index.add(first, 1)
            out += [(signals, label) for story, signals, _ in index.contenders(later) if story == 1]
    return out


def _exported(row: dict[str, str]) -> Item:
    """An item as `watcher feedback export` writes it (only the text and time matter here)."""
    return Item(
        key=row["key"],
        feed_url=row["feed"],
        feed_name=row["feed"],
        link=row["link"],
        title=row["title"],
        summary=row["summary"],
        published=datetime.fromisoformat(row["published"]),
        content_hash=row["key"],
    )


def _when(item: Item) -> datetime:
    return item.published


def fit(pairs: Sequence[tuple[tuple[float, ...], int]], l2: float = L2) -> list[float]:
    """Logistic regression by Newton's method; returns [bias, *weights]."""
    dims = len(FEATURES) + 1
    rows = [(1.0, *x) for x, _ in pairs]
    labels = [y for _, y in pairs]
    beta = [0.0] * dims
    for _ in range(12):
        grad = [0.0] * dims
        hess = [[0.0] * dims for _ in range(dims)]
        for x, y in zip(rows, labels, strict=True):
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            r = p - y
            s = p * (1.0 - p)
            for i in range(dims):
                grad[i] += r * x[i]
                if x[i]:
                    si = s * x[i]
                    row_h = hess[i]
                    for j in range(i, dims):
                        row_h[j] += si * x[j]
        for i in range(dims):
            for j in range(i):
                hess[i][j] = hess[j][i]
            if i:  # no penalty on the bias
                grad[i] += l2 * beta[i]
                hess[i][i] += l2
        step = _solve(hess, grad)
        beta = [b - d for b, d in zip(beta, step, strict=True)]
        if max(abs(d) for d in step) < 1e-6:
            break
    return beta


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a small dense system)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (m[r][n] - sum(m[r][c] * out[c] for c in range(r + 1, n))) / m[r][r]
    return out


def choose(
    model: JoinModel, stream: Sequence[Labelled], warm: Sequence[Item]
) -> tuple[float, float, dict[str, list[float]]]:
    """Lowest threshold (best recall) reaching TARGET_P cold and warm, per margin; the best."""
    gold = [row.gold for row in stream]
    best: tuple[float, float, float, dict[str, list[float]]] | None = None
    for margin in MARGINS:
        for threshold in THRESHOLDS:
            figures: dict[str, list[float]] = {}
            for state, items in (("cold", ()), ("warm", warm)):

                def make(t: float = threshold, m: float = margin) -> StoryIndex:
                    return StoryIndex(model=model, threshold=t, margin=m)

                figures[state] = list(bcubed(gold, group(stream, make, items)))
            worst_p = min(f[0] for f in figures.values())
            worst_f1 = min(f[2] for f in figures.values())
            print(f"margin {margin} threshold {threshold}: {json.dumps(figures)}", flush=True)
            if worst_p >= TARGET_P:
                if best is None or worst_f1 > best[0]:
                    best = (worst_f1, threshold, margin, figures)
                break  # higher thresholds only lose recall
    if best is None:
        raise SystemExit(f"no threshold reaches train precision {TARGET_P}")
    return best[1], best[2], best[3]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default {OUT})")
    parser.add_argument(
        "--feedback",
        type=Path,
        nargs="*",
        default=[],
        metavar="FILE",
        help="also train on pairs from `watcher feedback export` (JSON lines)",
    )
    parser.add_argument(
        "--feedback-weight", type=int, default=5, help="times each feedback pair counts (5)"
    )
    args = parser.parse_args(argv)
    feedback = feedback_pairs(args.feedback)
    clusters = probe_clusters("train")
    pool = rss_items(5000, 5000 + DISTRACTORS)
    when = EPOCH - timedelta(days=365)
    warm = [make_item(-n - 1, t, s, when) for n, (t, s) in enumerate(pool[:5000])]
    pairs: list[tuple[tuple[float, ...], int]] = []
    for n, (per_day, spread, short) in enumerate(CONDITIONS):
        rng = random.Random(args.seed + n)
        stream = headlines_only(schedule("train", clusters, per_day, rng, spread), short, rng)
        end = stream[-1].item.published
        distractors = background_items(pool[5000:], EPOCH, end)
        for state in ((), warm):
            pairs += collect(stream, state, distractors)
    if feedback:
        print(f"{len(feedback)} feedback pairs x {args.feedback_weight}", flush=True)
    pairs += feedback * args.feedback_weight
    positives = sum(y for _, y in pairs)
    print(f"{len(pairs)} pairs, {positives} same-story", flush=True)
    beta = fit(pairs)
    weights = dict(zip(FEATURES, (round(b, 4) for b in beta[1:]), strict=True))
    print("bias", round(beta[0], 4), json.dumps(weights))
    model = JoinModel(tuple(weights.values()), round(beta[0], 4), 0.5, 0.0)
    stream = schedule("train", clusters, 24, random.Random(args.seed + 100), 12.0)
    threshold, margin, figures = choose(model, stream, warm)
    print(f"chosen threshold {threshold} margin {margin}: {json.dumps(figures)}")
    out = {
        "about": "Story join model: logistic regression over watcher.story_model.FEATURES. "
        "Written by bench/train_story_model.py; review a change like code.",
        "trained_on": "allsides-neus probe train split replayed cold and warm under "
        f"{[list(c) for c in CONDITIONS]} (stories/day, spread h, headline-only share) with "
        f"{DISTRACTORS} unlabelled RSS distractors"
        + (f", {len(feedback)} desk feedback pairs x {args.feedback_weight}" if feedback else "")
        + f": {len(pairs)} pairs, {positives} same-story",
        "weights": weights,
        "bias": round(beta[0], 4),
        "threshold": threshold,
        "margin": margin,
        "train_bcubed": {k: [round(v, 4) for v in f] for k, f in figures.items()},
    }
    if not args.dry_run:
        args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
