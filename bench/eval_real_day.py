"""Score story grouping on a real day against hand-made labels (run by hand; prints figures).

    .venv/bin/python bench/eval_real_day.py                  # cold: a fresh database
    .venv/bin/python bench/eval_real_day.py --warm-days 3    # the 3 days before replayed first

Every snapshot of ../shared/data/rss-headlines-gesab001 captured on --day (UTC; index.csv
order) goes through watcher's replay machinery (Replayer -> parse -> normalize -> stories ->
rules -> SQLite), each file ingested as polled at its capture time, one feed per outlet, into a
fresh database; the first file of each feed is its backlog (stored and grouped, not alerted),
as in live polling. The stored items' stories are then scored against
bench/labels/rss-<day>.csv (link -> event id, see bench/labels/README.md): B-cubed and pairwise
precision/recall/F1 over every labelled item, the named cases of issue 11 (Al Jazeera's
boilerplate, the NZ Covid chain, Petito, Auckland's level 3) right or wrong, and the worst
merges and splits. Links on both sides go through the current link_key (what the store
recognises an article by), so a later URL fold still finds its label.

--warm-days N replays the N days before --day first, unscored: the index then holds the
previous days' stories as a running service's would.

--set key=value overrides a StoryIndex keyword (as eval_stories.py --set); --joins N lists
N of the day's wrong joins and N of its missed joins, each missed one with why (not a
candidate, vetoed, a guard, below threshold, unsure): bench/day_decisions.py. In-process only.

--costs N lists the N mixed stories that cost the most B-cubed precision (each with its
reports: time, feed, label, headline) and the N split events that cost the most recall.

--cli does it as a new user would instead: one `python -m watcher replay FILE...` process over
the same files (watcher replay takes each file's capture time from its name; feeds told apart
by their channel), then `watcher stories --json`.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_replay import DATA, replay_rows, snapshot_replayer
from day_decisions import LoggedIndex, explain
from eval_stories import metrics, setting, table_row

from watcher.normalize import link_key
from watcher.rulebook import RuleSet, load_rules
from watcher.store import Store

LABELS = Path(__file__).resolve().parent / "labels"
RULES = Path(__file__).resolve().parents[1] / "rules"

# The cases issue 11 names, as sets of labelled events. A case is right when each of its events
# came out as exactly one story holding nothing else.
CASES: dict[str, tuple[str, ...]] = {
    "NZ Covid chain (Cabinet's level 3 vs the mayor, 22 cases, Waikato, KFC)": (
        "auckland-level3",
        "auckland-mayor-level3",
        "nz-22-cases",
        "waikato-prisoner-cases",
        "waikato-bespoke-level4",
        "mangatangi-school-loi",
        "prisoner-infection-source",
        "auckland-border-kfc",
        "miq-booking",
    ),
    "Petito (remains found; Laundrie's home searched)": (
        "petito-remains",
        "petito-laundrie-search",
    ),
    "Auckland to level 3": ("auckland-level3",),
    "Stories Al Jazeera's footer glued together": (
        "la-palma-volcano",
        "pacquiao-president",
        "russia-election",
        "emmys-2021",
        "haitian-deportations",
    ),
}


@dataclass(frozen=True, slots=True)
class Stored:
    link: str
    feed: str
    title: str
    published: str
    story: int


def snapshots(days: Iterable[date]) -> list[dict[str, str]]:
    wanted = {d.isoformat() for d in days}
    with (DATA / "index.csv").open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["captured_at_utc"][:10] in wanted]


def load_labels(day: date) -> dict[str, str]:
    with (LABELS / f"rss-{day.isoformat()}.csv").open(newline="", encoding="utf-8") as handle:
        return {link_key(row["link"]): row["event_id"] for row in csv.DictReader(handle)}


def replay(
    rows: Sequence[dict[str, str]], folder: Path, rules: RuleSet, index: LoggedIndex
) -> list[Stored]:
    """Every file through the replay machinery at its capture time; the stored items."""
    store = Store(folder / "day.db")
    replay_rows(snapshot_replayer(store, rules, rows, index=index), rows)
    query = "SELECT link, feed_name, title, published, story_id FROM items ORDER BY published"
    stored = [Stored(*row) for row in store.db.execute(query).fetchall()]
    alerts = store.db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
    store.close()
    print(f"replayed {len(rows)} files: {len(stored)} items stored, {alerts} alerts queued")
    return stored


def replay_cli(rows: Sequence[Mapping[str, str]], folder: Path) -> list[Stored]:
    """`watcher replay` over the files, then `watcher stories --json`: the stored items."""
    config = folder / "config.toml"
    paths = json.dumps([str(RULES)])
    db = json.dumps(str(folder / "day.db"))
    console = '[channel.console]\ntype = "console"\n'  # the example rules' channel
    config.write_text(f"[storage]\npath = {db}\n[rules]\npaths = {paths}\n{console}", "utf-8")
    files = [str(DATA / row["file"]) for row in rows]
    cli("--config", str(config), "replay", *files)
    stories = json.loads(cli("--config", str(config), "stories", "--json", "--limit", "1000000"))
    stored = [
        Stored(i["link"], i["feed"], i["title"], i["published"], s["id"])
        for s in stories
        for i in s["items"]
    ]
    print(f"watcher replay: {len(files)} files, {len(stored)} items listed by watcher stories")
    return stored


def cli(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "watcher", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"watcher {args[2]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def scored(stored: Sequence[Stored], labels: Mapping[str, str]) -> list[tuple[Stored, str]]:
    """(item, event) for every stored item that has a label; says what did not match."""
    pairs = [(s, labels.get(link_key(s.link), "")) for s in stored]
    unlabelled = [s for s, event in pairs if not event]
    found = {link_key(s.link) for s in stored}
    missing = [link for link in labels if link not in found]
    print(f"labelled items stored: {len(pairs) - len(unlabelled)} of {len(labels)}", end="")
    print(f" ({len(missing)} labels not stored, {len(unlabelled)} stored items unlabelled)")
    for s in unlabelled[:5]:
        print(f"  unlabelled: {s.feed[:20]} | {s.title[:70]} | {s.link}")
    for link in missing[:5]:
        print(f"  not stored: {link}")
    return [(s, event) for s, event in pairs if event]


def figures(pairs: Sequence[tuple[Stored, str]]) -> dict[str, float]:
    gold = [event for _, event in pairs]
    pred = [s.story for s, _ in pairs]
    return {"items": len(pairs), "events": len(set(gold)), **metrics(gold, pred)}


class Outcome:
    """Which stories each event went to and what else those stories hold."""

    def __init__(self, pairs: Sequence[tuple[Stored, str]]) -> None:
        self.pairs = pairs
        self.by_event: dict[str, list[Stored]] = defaultdict(list)
        self.by_story: dict[int, list[tuple[Stored, str]]] = defaultdict(list)
        self.names: dict[str, str] = {}
        for s, event in pairs:
            self.by_event[event].append(s)
            self.by_story[s.story].append((s, event))
            # A singleton is shown by its headline (printed only, never stored).
            self.names[event] = f"'{s.title[:40]}'" if event.startswith("solo-") else event

    def counted(self, events: Counter[str], most: int | None = None) -> str:
        return ", ".join(f"{self.names[e]} x{n}" for e, n in events.most_common(most))

    def stories_of(self, event: str) -> Counter[int]:
        return Counter(s.story for s in self.by_event[event])

    def foreign(self, event: str) -> list[tuple[Stored, str]]:
        return [
            (s, other)
            for story in self.stories_of(event)
            for s, other in self.by_story[story]
            if other != event
        ]

    def right(self, event: str) -> bool:
        return len(self.stories_of(event)) == 1 and not self.foreign(event)

    def describe(self, event: str) -> str:
        spread = self.stories_of(event)
        others = Counter(other for _, other in self.foreign(event))
        text = f"{len(self.by_event[event])} items -> {len(spread)} stories"
        if len(spread) > 1:
            text += f" (largest {spread.most_common(1)[0][1]})"
        if others:
            text += f"; joined by {sum(others.values())} items of {len(others)} other events"
            text += " (" + self.counted(others, 4) + ")"
        return text


def show_cases(outcome: Outcome) -> None:
    print("\nNamed cases (right = each event one story, holding nothing else):")
    # "aljazeeraenglish" (index.csv) or "Al Jazeera English" (its channel title, --cli)
    aj = [(s, e) for s, e in outcome.pairs if "jazeera" in s.feed.lower()]
    glued = [(s, e) for s, e in aj if any(o != e for _, o in outcome.by_story[s.story])]
    verdict = "right" if not glued else "WRONG"
    print(f"- Al Jazeera boilerplate: {verdict}: {len(aj) - len(glued)} of {len(aj)} videos")
    print("  in stories holding only their own event")
    for s, event in glued:
        others = Counter(o for _, o in outcome.by_story[s.story] if o != event)
        print(f"    {event} video joined {outcome.counted(others)}")
    for name, events in CASES.items():
        wrong = [e for e in events if not outcome.right(e)]
        print(f"- {name}: {'right' if not wrong else 'WRONG'}")
        for event in events:
            mark = "ok   " if outcome.right(event) else "wrong"
            print(f"    {mark} {event}: {outcome.describe(event)}")


def show_worst(outcome: Outcome, count: int) -> None:
    mixed = [
        (story, Counter(e for _, e in members))
        for story, members in outcome.by_story.items()
        if len({e for _, e in members}) > 1
    ]
    mixed.sort(key=lambda m: -sum(m[1].values()))
    print(f"\nStories that mix events: {len(mixed)}; the largest {min(count, len(mixed))}:")
    for story, events in mixed[:count]:
        print(f"  story {story}: " + outcome.counted(events))
    split = [e for e in outcome.by_event if len(outcome.stories_of(e)) > 1]
    split.sort(key=lambda e: -len(outcome.by_event[e]))
    print(f"Events split over several stories: {len(split)}; the largest {min(count, len(split))}:")
    for event in split[:count]:
        print(f"  {event}: {outcome.describe(event)}")


def show_costs(outcome: Outcome, count: int) -> None:
    """The mixed stories by their B-cubed precision cost and the split events by their recall
    cost (each item's share of what it loses, over all items), largest first, with headlines
    (printed only): where the day's errors are."""
    total = len(outcome.pairs)
    lost = []
    for members in outcome.by_story.values():
        events = Counter(e for _, e in members)
        if len(events) > 1:
            cost = sum(1 - events[e] / len(members) for _, e in members) / total
            lost.append((cost, sorted(members, key=lambda m: m[0].published)))
    lost.sort(key=lambda m: -m[0])
    print(f"\nPrecision lost: {sum(c for c, _ in lost):.4f}; by story, the largest {count}:")
    for cost, members in lost[:count]:
        print(f"  {cost:.4f}")
        for s, event in members:
            print(f"      {s.published[:16]} {s.feed[:12]:12} {event[:24]:24} {s.title[:80]}")
    split = []
    for event, items in outcome.by_event.items():
        stories = Counter(s.story for s in items)
        if len(stories) > 1:
            cost = sum(1 - stories[s.story] / len(items) for s in items) / total
            split.append((cost, event, len(items), len(stories)))
    split.sort(key=lambda m: -m[0])
    print(f"Recall lost: {sum(c for c, *_ in split):.4f}; by event, the largest {count}:")
    for cost, event, items, stories in split[:count]:
        print(f"  {cost:.4f} {outcome.names[event]}: {items} items in {stories} stories")


def show_figures(name: str, s: Mapping[str, float]) -> None:
    print("\n| run | items | events | stories | B3 P | B3 R | B3 F1 | pair P | pair R | pair F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(table_row(name, s, ("items", "events")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=date.fromisoformat, default=date(2021, 9, 20))
    parser.add_argument("--warm-days", type=int, default=0, help="days replayed first, unscored")
    parser.add_argument("--worst", type=int, default=12, help="merges and splits listed")
    parser.add_argument("--cli", action="store_true", help="`watcher replay` + `watcher stories`")
    parser.add_argument("--set", nargs="*", default=[], help="StoryIndex keyword=value overrides")
    parser.add_argument("--joins", type=int, default=0, help="wrong and missed joins listed")
    parser.add_argument(
        "--costs", type=int, default=0, help="mixed stories and split events by B-cubed cost"
    )
    args = parser.parse_args(argv)
    params = {k: setting(v) for k, v in (p.split("=", 1) for p in args.set)}
    index = LoggedIndex(**params)
    if not (DATA / "index.csv").exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.ERROR)  # not the 70 "not a feed" warnings of latimes
    labels = load_labels(args.day)
    days = [args.day - timedelta(days=n) for n in range(args.warm_days, -1, -1)]
    rows = snapshots(days)
    rules = load_rules([RULES])
    with tempfile.TemporaryDirectory(prefix="eval-real-day-") as tmp:
        stored = replay_cli(rows, Path(tmp)) if args.cli else replay(rows, Path(tmp), rules, index)
    outcome = Outcome(scored(stored, labels))
    run = f"{args.day} " + (f"after {args.warm_days} warm days" if args.warm_days else "cold")
    run += ", watcher replay + stories --json" if args.cli else ", in-process replay"
    run += "".join(f", {pair}" for pair in args.set)
    show_figures(run, figures(outcome.pairs))
    show_cases(outcome)
    show_worst(outcome, args.worst)
    if args.costs:
        show_costs(outcome, args.costs)
    if args.joins and not args.cli:
        explain(index, labels, args.joins)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
