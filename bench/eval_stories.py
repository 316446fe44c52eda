"""Score story grouping against labelled clusters (run by hand; prints figures).

    .venv/bin/python bench/eval_stories.py                # cold and warm, StoryIndex defaults
    .venv/bin/python bench/eval_stories.py --mode warm    # one state; --set threshold=0.8 ...
    .venv/bin/python bench/eval_stories.py --model FILE   # a model from train_story_model.py
    .venv/bin/python bench/eval_stories.py --e2e          # end to end: bench/eval_e2e.py
    .venv/bin/python bench/eval_stories.py --ceiling      # where recall is lost (candidates?),
                                                          # right/wrong joins at each threshold
    .venv/bin/python bench/eval_stories.py --headlines    # also the allsides sets' headlines
                                                          # alone (every lead dropped)

Data (../shared/data, not in the repo):

* allsides-neus raw_crawled: 506 AllSides roundups (gold cluster = roundup id) of up to 3 articles,
  title + lead. Publication order: the roundups sorted by their date; each article gets a time
  drawn uniformly from the 12 hours (``--spread``) before its roundup (outlets publish before
  AllSides rounds them up), so the articles of neighbouring roundups interleave.
* allsides-neus probe splits (train/val/test): one cluster of 3 articles per line, no dates.
  Clusters are taken in file order, ``--per-day`` of them per simulated day (a new cluster every
  24/per-day hours), each article published at a uniform offset within 12 hours of its cluster's
  start; all articles are then fed in time order. With the 36 h window, about 1.5 x per-day
  stories are open at once. Thresholds are chosen on train and reported on val+test and on the
  raw file.
* mstream-googlenews News and News-T: 11,109 stemmed Google News titles in 152 clusters, in file
  order, one minute apart (all inside one window, so only the text decides).

With ``--headlines`` the allsides sets are also run as headlines alone (every report's lead
dropped): opposite-leaning outlets' headlines of one event, as an aggregator or a headline-only
feed gives them.

Each set is run twice: **cold** (a fresh index) and **warm** (the index has first seen
``--warmup`` unlabelled RSS items from rss-headlines-gesab001, since pruned, as a running
service has seen earlier traffic).

Metrics: B-cubed precision/recall/F1 (per item, averaged) and pairwise precision/recall/F1.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from watcher.model import Item
from watcher.stories import StoryIndex
from watcher.story_model import parse_model

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ALLSIDES = DATA / "allsides-neus"
PROBE = ALLSIDES / "naacl2022_lrc_roundup_random_order_probe"
RAW = ALLSIDES / "raw_crawled" / "headline_11_2021-10-19_crawled_all.jsonl"
MSTREAM = DATA / "mstream-googlenews"
EPOCH = datetime(2021, 1, 1, tzinfo=UTC)
LEVELS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)  # thresholds --ceiling counts joins at
_SEGMENT = re.compile(r"TITLE=>\s*(.*?)\s*ARTICLE=>\s*(.*)", re.S)


@dataclass(frozen=True, slots=True)
class Labelled:
    gold: str
    item: Item


def setting(value: str) -> object:
    """A --set value: a duration when it ends in "h" ("36h"), else a number."""
    if value.endswith("h"):
        return timedelta(hours=float(value[:-1]))
    return float(value) if "." in value else int(value)


def alone(data: Sequence[Labelled]) -> list[Labelled]:
    """`data` with every report's lead dropped: headlines alone."""
    return [Labelled(row.gold, replace(row.item, summary="")) for row in data]


def make_item(n: int, title: str, lead: str, published: datetime, outlet: str = "") -> Item:
    """An Item for evaluation: only the title, lead, time and outlet matter to the story index.
    Without an outlet (the probe splits and mstream name none) each item is its own feed."""
    feed = f"eval:{outlet}" if outlet else f"eval:{n}"
    return Item(
        key=f"eval:{n}",
        feed_url=feed,
        feed_name=feed,
        link=f"https://eval.example/{n}",
        title=title,
        summary=lead,
        published=published,
        content_hash=str(n),
    )


def _in_time_order(rows: Iterable[tuple[str, str, str, datetime, str]]) -> list[Labelled]:
    ordered = sorted(rows, key=lambda r: r[3])
    return [Labelled(g, make_item(n, t, s, p, o)) for n, (g, t, s, p, o) in enumerate(ordered)]


def load_raw(
    rng: random.Random, exclude_titles: frozenset[str] = frozenset(), spread: float = 12.0
) -> list[Labelled]:
    rows = []
    for line in RAW.read_text(encoding="utf-8").splitlines():
        roundup = json.loads(line)
        when = datetime.fromisoformat(roundup["date"]).astimezone(UTC)
        articles = list(roundup["news"].values())
        if any(a["newsTitle"].strip() in exclude_titles for a in articles):
            continue
        for article in articles:
            lead = "\n".join(article.get("newBody") or [])
            offset = timedelta(hours=rng.uniform(0, spread))
            outlet = article.get("newsSource") or ""  # one feed per outlet, as served end to end
            rows.append((f"raw:{roundup['id']}", article["newsTitle"], lead, when - offset, outlet))
    return _in_time_order(rows)


def probe_clusters(split: str) -> list[list[tuple[str, str]]]:
    clusters = []
    for line in (PROBE / f"{split}.source").read_text(encoding="utf-8").splitlines():
        articles = []
        for segment in line.split(" [SEP] "):
            found = _SEGMENT.match(segment.strip())
            title, lead = (found.group(1), found.group(2)) if found else (segment, "")
            articles.append((title.removesuffix("."), lead))
        clusters.append(articles)
    return clusters


def schedule(
    name: str,
    clusters: Sequence[list[tuple[str, str]]],
    per_day: float,
    rng: random.Random,
    spread: float = 12.0,
) -> list[Labelled]:
    gap = timedelta(hours=24 / per_day)
    rows = []
    for number, articles in enumerate(clusters):
        start = EPOCH + number * gap
        for title, lead in articles:
            when = start + timedelta(hours=rng.uniform(0, spread))
            rows.append((f"{name}:{number}", title, lead, when, ""))
    return _in_time_order(rows)


def load_mstream(name: str) -> list[Labelled]:
    out = []
    for n, line in enumerate((MSTREAM / name).read_text(encoding="utf-8").splitlines()):
        doc = json.loads(line)
        when = EPOCH + timedelta(minutes=n % 1000)  # every doc inside one 36 h window
        out.append(Labelled(str(doc["clusterNo"]), make_item(n, doc["textCleaned"], "", when)))
    return out


def background(count: int) -> list[Item]:
    """Unlabelled news (RSS titles + descriptions), a year before EPOCH: never joinable."""
    if count <= 0:
        return []
    from bench_stories import rss_pool

    seen: dict[str, str] = {}
    for title, lead in rss_pool():
        seen.setdefault(title, lead)
        if len(seen) >= count:
            break
    when = EPOCH - timedelta(days=365)
    return [make_item(-n - 1, t, s, when) for n, (t, s) in enumerate(seen.items())]


def group(
    data: Sequence[Labelled], make: Callable[[], StoryIndex], warm: Sequence[Item] = ()
) -> list[int]:
    """Story per item. ``warm`` items are added first and pruned at once: a live index has
    learned its IDF from earlier traffic, and these labelled sets are too small to teach it."""
    index = make()
    for n, old in enumerate(warm):
        index.add(old, -n - 1)
    index.prune(EPOCH - timedelta(days=30))
    stories: list[int] = []
    merged: dict[int, int] = {}
    for row in data:
        decision = index.decide(row.item)
        story = decision.story_id if decision.story_id is not None else len(stories) + 1_000_000
        folded(index, decision.merge, story, merged)
        index.add(row.item, story)
        stories.append(story)
    return [resolved(merged, story) for story in stories]


def folded(index: StoryIndex, stories: Sequence[int], into: int, merged: dict[int, int]) -> None:
    """Fold `stories` into `into` as ingest does (decide() said they are one event), noting
    each in `merged` (story -> the story it went into)."""
    for story in stories:
        index.merge(story, into)
        merged[story] = into


def resolved(merged: Mapping[int, int], story: int) -> int:
    """The story `story`'s items are in now, after the merges in `merged`."""
    while story in merged:
        story = merged[story]
    return story


def bcubed(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    both = Counter(zip(gold, pred, strict=True))
    g_size, p_size = Counter(gold), Counter(pred)
    precision = sum(both[g, p] ** 2 / p_size[p] for g, p in both) / len(gold)
    recall = sum(both[g, p] ** 2 / g_size[g] for g, p in both) / len(gold)
    return precision, recall, _f1(precision, recall)


def pairwise(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    true_pos = pairs(Counter(zip(gold, pred, strict=True)).values())
    predicted, actual = pairs(Counter(pred).values()), pairs(Counter(gold).values())
    precision = true_pos / predicted if predicted else 1.0
    recall = true_pos / actual if actual else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    data: Sequence[Labelled], make: Callable[[], StoryIndex], warm: Sequence[Item] = ()
) -> dict[str, float]:
    pred = group(data, make, warm)
    gold = [row.gold for row in data]
    return {"items": len(data), "clusters": len(set(gold)), **metrics(gold, pred)}


def metrics(gold: Sequence[str], pred: Sequence[int]) -> dict[str, float]:
    """Stories, B-cubed and pairwise P/R/F1 of a grouping (also eval_e2e, eval_real_day)."""
    bp, br, bf = bcubed(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    return {"stories": len(set(pred)), "b3_p": bp, "b3_r": br, "b3_f1": bf,
            "pw_p": pp, "pw_r": pr, "pw_f1": pf}  # fmt: skip


def table_row(
    name: str, s: Mapping[str, float], counts: Sequence[str] = ("items", "clusters")
) -> str:
    """A markdown row: the name, the `counts` columns, stories, then the six figures."""
    numbers = " | ".join(f"{s[key]:.0f}" for key in (*counts, "stories"))
    return (
        f"| {name} | {numbers} | {s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} "
        f"| {s['pw_p']:.3f} | {s['pw_r']:.3f} | {s['pw_f1']:.3f} |"
    )


def report(
    params: dict[str, object],
    per_days: Sequence[float],
    seed: int,
    warmups: dict[str, Sequence[Item]],
    spread: float,
    headlines: bool = False,
) -> None:
    def make() -> StoryIndex:
        return StoryIndex(**params)  # type: ignore[arg-type]

    shown = {k: v for k, v in params.items() if k != "model"}
    print("model:", "given" if "model" in params else "shipped", "params:", json.dumps(shown))
    print(
        "| data | index | items | gold clusters | stories | B3 P | B3 R | B3 F1 "
        "| pair P | pair R | pair F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    train = schedule("train", probe_clusters("train"), 24, random.Random(seed), spread)
    sets: list[tuple[str, list[Labelled]]] = [("allsides train (model's split), 24/day", train)]
    heldout = probe_clusters("val") + probe_clusters("test")
    for per_day in per_days:
        data = schedule("heldout", heldout, per_day, random.Random(seed), spread)
        sets.append((f"allsides val+test, {per_day:g} clusters/day", data))
    train_titles = frozenset(t.strip() for c in probe_clusters("train") for t, _ in c)
    raw_all = load_raw(random.Random(seed), spread=spread)
    sets.append(("allsides raw (dated), all 505 roundups", raw_all))
    raw_unseen = load_raw(random.Random(seed), exclude_titles=train_titles, spread=spread)
    sets.append(("allsides raw, roundups not in train", raw_unseen))
    if headlines:
        sets += [(f"{name}, headlines alone", alone(data)) for name, data in list(sets)]
    for name in ("News", "News-T"):
        sets.append((f"mstream {name} (stemmed titles)", load_mstream(name)))
    for name, data in sets:
        for state, warm in warmups.items():
            print(table_row(f"{name} | {state}", score(data, make, warm)), flush=True)


def ceiling(
    data: Sequence[Labelled], make: Callable[[], StoryIndex], levels: Sequence[float] = ()
) -> dict[str, float]:
    """Where recall is lost: the index is fed the gold stories; for each item whose story already
    has a report, is that story among the contenders the model weighs, ranked first, and does its
    probability reach the threshold?

    For each of `levels` (thresholds), also how many items' top contender reaches it (and beats
    the runner-up by the margin, as decide() asks) and is their story ("right at t") or not,
    the item's story open or not ("wrong at t"): how well the model's probability separates
    the two, whatever threshold is chosen. Two models compare by their right joins at an equal
    count of wrong ones."""
    index = make()
    ids: dict[str, int] = {}
    seen: set[int] = set()
    need = listed = first = joins = 0
    tops: list[tuple[float, bool]] = []  # (top probability, is it the item's story)
    for row in data:
        gold = ids.setdefault(row.gold, len(ids) + 1)
        ranked = index.contenders(row.item)
        if gold in seen:
            need += 1
            listed += any(story == gold for story, _, _ in ranked)
            if ranked and ranked[0][0] == gold:
                first += 1
                joins += ranked[0][2] >= index.threshold
        if ranked and (len(ranked) < 2 or ranked[0][2] - ranked[1][2] >= index.margin):
            tops.append((ranked[0][2], ranked[0][0] == gold))
        index.add(row.item, gold)
        seen.add(gold)
    out = {"listed": listed / need, "first": first / need, "joins": joins / need}
    for level in levels:
        out[f"right@{level:g}"] = sum(p >= level and ok for p, ok in tops)
        out[f"wrong@{level:g}"] = sum(p >= level and not ok for p, ok in tops)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if "--e2e" in args_in:  # the other options are eval_e2e's
        from eval_e2e import main as end_to_end

        return end_to_end([a for a in args_in if a != "--e2e"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--e2e", action="store_true", help="served as feeds, poll-once: see bench/eval_e2e.py"
    )
    parser.add_argument("--per-day", type=float, nargs="*", default=[3.0, 24.0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--spread",
        type=float,
        default=12.0,
        help="hours over which one story's articles are published",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=5000,
        help="unlabelled RSS items a warm index has seen first",
    )
    parser.add_argument(
        "--mode",
        nargs="*",
        choices=("cold", "warm"),
        default=["cold", "warm"],
        help="cold: a fresh index; warm: one that has seen --warmup items first",
    )
    parser.add_argument(
        "--headlines", action="store_true", help="also the allsides sets with every lead dropped"
    )
    parser.add_argument(
        "--set", nargs="*", default=[], help="StoryIndex keyword=value overrides (36h: hours)"
    )
    parser.add_argument("--model", type=Path, help="a story model JSON instead of the shipped one")
    parser.add_argument(
        "--ceiling", action="store_true", help="where recall is lost (val+test 24/day and raw)"
    )
    args = parser.parse_args(args_in)
    if not PROBE.exists():
        print(f"no data at {ALLSIDES}", file=sys.stderr)
        return 1
    params: dict[str, object] = {}
    for pair in args.set:
        key, value = pair.split("=", 1)
        params[key] = setting(value)
    if args.model is not None:
        params["model"] = parse_model(args.model.read_text(encoding="utf-8"))
    if args.ceiling:
        heldout = probe_clusters("val") + probe_clusters("test")
        for name, data in (
            ("val+test 24/day", schedule("heldout", heldout, 24, random.Random(args.seed))),
            ("raw", load_raw(random.Random(args.seed))),
        ):
            shares = ceiling(data, lambda: StoryIndex(**params), LEVELS)  # type: ignore[arg-type]
            print(name, " ".join(f"{k} {v:.3f}" for k, v in shares.items() if "@" not in k))
            print("  top contender right / wrong at threshold:", "  ".join(
                f"{t:g}: {shares[f'right@{t:g}']:.0f} / {shares[f'wrong@{t:g}']:.0f}"
                for t in LEVELS))  # fmt: skip
        return 0
    warm = background(args.warmup) if "warm" in args.mode else []
    warmups = {mode: (warm if mode == "warm" else []) for mode in args.mode}
    print(f"warm index: {len(warm)} unlabelled RSS items added and pruned before each run")
    report(params, args.per_day, args.seed, warmups, args.spread, args.headlines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
