"""What a desk's corrections teach the story model (issue 15; run by hand, prints figures).

    .venv/bin/python bench/eval_feedback.py                       # trains twice: slow
    .venv/bin/python bench/eval_feedback.py --before FILE          # a model trained without
    .venv/bin/python bench/eval_feedback.py --catch 0.5 --weight 5 # a desk that splits half
    .venv/bin/python bench/eval_feedback.py --desk-threshold 0.6   # an installation that
                                                                   # joins more loosely

1. **The desk's installation.** The allsides-neus probe **val** split is replayed as a live
   stream (eval_stories.schedule: 24 clusters a day, each cluster's articles within 12 h)
   through the real Pipeline on a throw-away database, with the shipped model (its threshold
   lowered by ``--desk-threshold``, for a desk with more to correct), its alerts
   delivered (a console channel; a rule matching nearly every report). After each report, a
   desk whose alert shows it joined to a story whose first report is another event presses
   **Not the same story** (Pipeline.split, as the chat button does), with probability
   ``--catch``. Joins it leaves alone are kept; a missed join cannot be told through a button.
2. **Its feedback.** `watcher feedback export` (the command itself, on that database) writes the
   pairs: every split labelled 0, every join left alone for a day labelled 1.
3. **Retraining.** bench/train_story_model.py with ``--feedback`` that file (each pair counted
   ``--weight`` times), against the same trainer without it (``--before``, or trained here).
   The trainer picks its threshold on a coarse grid (the lowest reaching its train precision
   target), so the model with feedback is also scored at the threshold and margin of the one
   without: the operating point an installation already runs.
4. **The effect**, B-cubed and pairwise, on the held-out **test** split (never seen by the
   trainer or the desk) and on val (the desk's own traffic, which the feedback came from),
   scheduled the same way, cold index; the shipped model alongside.

Needs ../shared/data (not in the repo). Train and test never meet: the trainer reads the train
split only.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_stories import PROBE, Labelled, probe_clusters, schedule, score, table_row

from watcher.channels.console import ConsoleChannel
from watcher.cli import main as watcher
from watcher.delivery.deliverer import Deliverer, drain
from watcher.model import Tier
from watcher.pipeline import Pipeline
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.stories import StoryIndex
from watcher.story_model import JoinModel, default_model, parse_model

HERE = Path(__file__).resolve().parent
PER_DAY, SPREAD = 24.0, 12.0
# A desk that follows nearly everything, so nearly every join is shown to it.
RULES = """[[rule]]
name = "most"
query = "the OR a OR to OR of OR in OR on OR for OR with OR says OR after"
channels = ["desk"]
"""


@dataclass(frozen=True, slots=True)
class Desk:
    joins: int  # reports the model joined to a story
    wrong: int  # ... whose story's first report is another event
    shown: int  # wrong joins the desk saw (the story's alert showed them)
    splits: int  # ... that the desk split


class SimClock:
    """The replay's time: each report's publication; a delivery's wait moves it on."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def run_desk(
    stream: Sequence[Labelled], folder: Path, catch: float, seed: int, index: StoryIndex
) -> Desk:
    return asyncio.run(_run_desk(stream, folder, catch, seed, index))


async def _run_desk(
    stream: Sequence[Labelled], folder: Path, catch: float, seed: int, index: StoryIndex
) -> Desk:
    """Replay `stream` through a Pipeline on folder/w.db, alerts delivered to a console
    channel "desk"; the desk splits the wrong joins its alerts show it."""
    (folder / "rules.toml").write_text(RULES, encoding="utf-8")
    store = Store(folder / "w.db")
    gold = {row.item.key: row.gold for row in stream}
    clock = SimClock(stream[0].item.published)
    pipeline = Pipeline(
        store=store,
        fetcher=None,  # nothing is fetched: items are handed in
        index=index,
        rules=load_rules([folder / "rules.toml"], channel_names={"desk"}),
        clock=clock,
        rng=random.Random(seed),
    )
    deliverer = Deliverer(
        store=store,
        channels={"desk": ConsoleChannel("desk", stream=io.StringIO())},
        clock=clock,
        rng=random.Random(seed),
        sleep=clock.sleep,
    )
    rng = random.Random(seed)
    joins = wrong = shown = splits = 0
    try:
        for row in stream:
            clock.now = max(clock.now, row.item.published)
            pipeline.ingest([row.item], clock.now, alert=True)
            await drain(deliverer, sleep=clock.sleep)
            story_id, tier = store.db.execute(
                "SELECT story_id, tier FROM items WHERE key = ?", [row.item.key]
            ).fetchone()
            if tier not in (Tier.COPY, Tier.EVENT):
                continue
            joins += 1
            story = store.story(int(story_id))
            assert story is not None
            if gold[story.items[0].item_key] == row.gold:
                continue
            wrong += 1
            if store.alert_ref("desk", int(story_id)) is None:
                continue  # never alerted here: the desk cannot see it
            shown += 1
            if rng.random() < catch:  # the desk presses "Not the same story" on the alert
                splits += pipeline.split(int(story_id), clock.now) is not None
                await drain(deliverer, sleep=clock.sleep)  # the alert edited back
    finally:
        store.close()
    return Desk(joins, wrong, shown, splits)


def export(folder: Path) -> Path:
    """`watcher feedback export` on the desk's database."""
    config = folder / "config.toml"
    config.write_text(f'[storage]\npath = "{folder / "w.db"}"\n', encoding="utf-8")
    out = folder / "feedback.jsonl"
    code = watcher(["--config", str(config), "feedback", "export", "-o", str(out)])
    if code != 0:
        raise SystemExit(f"watcher feedback export failed: exit {code}")
    return out


def train(out: Path, *extra: str) -> JoinModel:
    """bench/train_story_model.py writing to `out`, its output shown as it goes."""
    command = [sys.executable, str(HERE / "train_story_model.py"), "--out", str(out), *extra]
    print("$", " ".join(command[1:]), flush=True)
    subprocess.run(command, check=True)
    return parse_model(out.read_text(encoding="utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catch", type=float, default=1.0, help="share of wrong joins split")
    parser.add_argument("--weight", type=int, default=5, help="times a feedback pair counts")
    parser.add_argument("--before", type=Path, help="a model trained without feedback")
    parser.add_argument("--after", type=Path, help="a model already trained with this feedback")
    parser.add_argument(
        "--desk-threshold",
        type=float,
        help="the installation's join threshold (default the shipped model's): lower, more "
        "wrong joins for the desk to split",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the database, export and models here")
    args = parser.parse_args(argv)
    if not PROBE.exists():
        print(f"no data at {PROBE}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        val = schedule("val", probe_clusters("val"), PER_DAY, random.Random(args.seed), SPREAD)
        test = schedule("test", probe_clusters("test"), PER_DAY, random.Random(args.seed), SPREAD)
        desk = run_desk(
            val, folder, args.catch, args.seed, StoryIndex(threshold=args.desk_threshold)
        )
        pairs = export(folder)
        labels = [json.loads(line)["label"] for line in pairs.read_text().splitlines()]
        print(
            f"desk: {len(val)} reports, {desk.joins} joined, {desk.wrong} to another event's "
            f"story, {desk.shown} of those shown in an alert, {desk.splits} split; "
            f"exported {labels.count(0)} split and "
            f"{labels.count(1)} kept pairs",
            flush=True,
        )
        before = (
            parse_model(args.before.read_text(encoding="utf-8"))
            if args.before
            else train(folder / "before.json")
        )
        after = (
            parse_model(args.after.read_text(encoding="utf-8"))
            if args.after
            else train(
                folder / "after.json",
                "--feedback",
                str(pairs),
                "--feedback-weight",
                str(args.weight),
            )
        )
        models = {
            "shipped": default_model(),
            "retrained": before,
            f"retrained + feedback (its threshold {after.threshold}, margin {after.margin})": after,
            "retrained + feedback at retrained's threshold and margin": replace(
                after, threshold=before.threshold, margin=before.margin
            ),
        }
        print(
            "| data | model | items | gold clusters | stories | B3 P | B3 R | B3 F1 "
            "| pair P | pair R | pair F1 |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, data in (("test (held out)", test), ("val (the desk's)", val)):
            for label, model in models.items():
                figures = score(data, lambda m=model: StoryIndex(model=m))
                print(table_row(f"{name} | {label}", figures), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
