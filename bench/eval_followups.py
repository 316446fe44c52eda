"""How many follow-ups a real day sends, and to what (run by hand; prints figures).

    .venv/bin/python bench/eval_followups.py [--day 2021-09-20] [--show 40]

Every snapshot of ../shared/data/rss-headlines-gesab001 captured on --day goes through
watcher's replay machinery at its capture time (one feed per outlet; each feed's first file is
its backlog), with six desk rules of our own (below) routed to one channel; after each file
a delivery pass runs at that time, so alerts are "sent" as the day goes and later reports
find them shown. The channel takes every message at once (no network, no pacing). Printed:
alerts sent, silent edits, follow-ups (and why: a new rule, new names or figures), and each
follow-up's story headline and development headline with what was new, with the labelled
events of bench/labels (same event as the alert's first report, or a wrong join) to judge by.
Nothing read from the data is written anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_delivery import Instant
from bench_replay import DATA, captured, snapshot_replayer

from watcher.delivery.deliverer import Deliverer, DeliveryReport
from watcher.normalize import link_key
from watcher.rulebook import load_rules
from watcher.store import Store

LABELS = Path(__file__).resolve().parent / "labels"
# Six desk rules of our own, on the kinds of story issue 11 names for that day.
RULES = """
[[rule]]
name = "volcano"
query = "volcano OR lava OR eruption"
channels = ["desk"]
[[rule]]
name = "nz-covid"
query = '(Auckland OR "New Zealand") AND (covid OR lockdown OR "alert level" OR cases)'
channels = ["desk"]
[[rule]]
name = "climate"
query = 'climate OR emissions OR "net zero"'
channels = ["desk"]
[[rule]]
name = "petito"
query = "Petito OR Laundrie"
channels = ["desk"]
[[rule]]
name = "russia-election"
query = "Russia AND (election OR vote OR Duma)"
channels = ["desk"]
[[rule]]
name = "un-assembly"
query = '"General Assembly" OR UNGA'
channels = ["desk"]
"""


def day_rows(day: date) -> list[dict[str, str]]:
    with (DATA / "index.csv").open(newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["captured_at_utc"][:10] == day.isoformat()]


def labels(day: date) -> dict[str, str]:
    path = LABELS / f"rss-{day.isoformat()}.csv"
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {link_key(r["link"]): r["event_id"] for r in csv.DictReader(handle)}


async def run(rows: Sequence[dict[str, str]], store: Store) -> DeliveryReport:
    rules = load_rules([_rules_file(store.path.parent)], channel_names=["desk"])
    replayer = snapshot_replayer(store, rules, rows)
    feeds = {feed.name: feed for feed in replayer.feeds}
    now = [captured(rows[0])]
    deliverer = Deliverer(
        store=store, channels={"desk": Instant()}, clock=lambda: now[0], rng=random.Random(1)
    )
    total = DeliveryReport()
    for row in rows:
        now[0] = captured(row)
        replayer.feed = feeds[row["feed"]]
        replayer.replay_file(DATA / row["file"], at=now[0])
        total += await deliverer.deliver_due()
    return total


def _rules_file(folder: Path) -> Path:
    path = folder / "desk.toml"
    path.write_text(RULES, encoding="utf-8")
    return path


def show(store: Store, events: dict[str, str], limit: int) -> None:
    rows = store.db.execute(
        "SELECT f.rules, f.news, f.created_at, d.created_at, s.title, i.title, i.link, "
        "(SELECT link FROM items WHERE story_id = s.id ORDER BY published, rowid LIMIT 1) "
        "FROM followups f JOIN deliveries d ON d.id = f.delivery_id "
        "JOIN stories s ON s.id = d.story_id JOIN items i ON i.key = f.item_key ORDER BY f.id"
    ).fetchall()
    why = Counter("rule" if json.loads(r[0]) else "names/figures" for r in rows)
    same = Counter(
        "unlabelled"
        if not (events.get(link_key(r[6])) and events.get(link_key(r[7])))
        else "same event" if events[link_key(r[6])] == events[link_key(r[7])] else "wrong join"
        for r in rows
    )  # fmt: skip
    print(f"follow-ups: {len(rows)} ({dict(why)}); against the labels: {dict(same)}")
    for r in rows[:limit]:
        hours = (datetime.fromisoformat(r[2]) - datetime.fromisoformat(r[3])).total_seconds() / 3600
        new = ", ".join(json.loads(r[0]) + json.loads(r[1]))
        print(f"  +{hours:4.1f} h  {r[4][:60]!r}\n          -> {r[5][:70]!r}  [{new}]")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=date.fromisoformat, default=date(2021, 9, 20))
    parser.add_argument("--show", type=int, default=40, help="follow-ups listed")
    args = parser.parse_args(argv)
    if not (DATA / "index.csv").exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.ERROR)
    rows = day_rows(args.day)
    with tempfile.TemporaryDirectory(prefix="eval-followups-") as tmp:
        store = Store(Path(tmp) / "day.db")
        report = asyncio.run(run(rows, store))
        print(f"{args.day}: {len(rows)} files; alerts sent {report.sent}, silent edits "
              f"{report.edited}, follow-ups sent {report.replied}")  # fmt: skip
        show(store, labels(args.day), args.show)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
