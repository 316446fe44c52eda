"""Replay of the whole real snapshot corpus through `watcher replay`'s machinery, 1,000 rules.

Every snapshot of ../shared/data/rss-headlines-gesab001 (4,374 files of 16 feeds, index.csv
order, each at its capture time) goes through Replayer -> parse -> normalize -> stories ->
rules -> outbox into a fresh SQLite database, with 1,000 rules generated from the corpus's own
vocabulary (bench_rules.make_queries, fixed seed) and loaded with load_rules from a TOML file.
Measured, each phase in its own child process (so peak RSS is the phase's own):

- replay: CPU seconds of the whole replay (gunzip, parse, normalize, stories, rules, SQLite),
  entries and new items per second, peak RSS, distinct items stored, alerts queued; items a
  feed's previous file held byte for byte are not parsed again (watcher/unchanged.py), as in
  live polling;
- replay, whole bodies: the same with every item of every file parsed (the pipeline's own cost
  beside parsing: what the replay would cost without that skipping);
- parse: CPU seconds of feedparser.parse alone on the same bytes, and the distinct entries it
  sees (id, else link, else title, per feed: the definition SOURCE.md's 45,753 uses).

Every table the replay writes is hashed row by row in rowid order, every column (`tables:`
line, and one digest of them all): a change meant for speed alone must leave it identical,
which two trees' runs of this script show side by side.

    .venv/bin/python bench/bench_replay.py [--repeat 3] [--rules 1000] [--limit N]

Figures are medians over --repeat runs of each phase; CPU time is time.process_time (one core).

Whole process against whole process (start-up and imports included), as a user meets it:

    .venv/bin/python bench/bench_replay.py --whole-process --files 600 --rules 1000 --repeat 3

spawns `python -m watcher --config X replay FILE...` on the first --files snapshots (a fresh
database each time, the generated rules in force) and a `python -c 'import feedparser; ...'`
process that gunzips and parses the same files, alternately (which goes first alternates too);
each child's user + system CPU comes from os.wait4, and the medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_rules import SEED, load_items, make_queries

from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.replay import Replayer
from watcher.rulebook import RuleSet, load_rules
from watcher.store import Store
from watcher.stories import StoryIndex

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "rss-headlines-gesab001"
INDEX_DISTINCT = 45_753  # SOURCE.md's total of distinct entries


def snapshots(limit: int | None) -> list[dict[str, str]]:
    with (DATA / "index.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows[:limit] if limit else rows


def captured(row: dict[str, str]) -> datetime:
    return datetime.fromisoformat(row["captured_at_utc"].replace("Z", "+00:00"))


def rules_file(folder: Path, count: int) -> Path:
    queries = make_queries(count, load_items(4000), random.Random(SEED))
    text = "".join(
        f'[[rule]]\nname = "r{k}"\nquery = {json.dumps(q, ensure_ascii=False)}\n'
        'channels = ["console"]\n\n'
        for k, q in enumerate(queries)
    )
    path = folder / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot_replayer(
    store: Store,
    rules: RuleSet,
    rows: Sequence[dict[str, str]],
    *,
    whole: bool = False,
    index: StoryIndex | None = None,
) -> Replayer:
    """A Replayer into `store` with one feed per outlet of `rows` (also eval_real_day.py, which
    may pass its own `index`)."""
    pipeline = Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # replay never fetches
        index=StoryIndex() if index is None else index,
        rules=rules,
        clock=lambda: captured(rows[0]),
        rng=random.Random(SEED),
    )
    feeds = [
        Feed(f"https://{n}.snapshots.example/rss", n, timedelta(minutes=10))
        for n in sorted({r["feed"] for r in rows})
    ]
    return Replayer(pipeline, feeds, whole_bodies=whole)


def replay_rows(replayer: Replayer, rows: Sequence[dict[str, str]]) -> None:
    """Each snapshot of `rows`, in order, as its outlet's feed polled at its capture time."""
    feeds = {feed.name: feed for feed in replayer.feeds}
    for row in rows:
        replayer.feed = feeds[row["feed"]]
        replayer.replay_file(DATA / row["file"], at=captured(row))


def phase_replay(limit: int | None, rule_count: int, whole: bool) -> dict[str, Any]:
    rows = snapshots(limit)
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        folder = Path(tmp)
        rules = load_rules([rules_file(folder, rule_count)], channel_names=["console"])
        store = Store(folder / "replay.db")
        replayer = snapshot_replayer(store, rules, rows, whole=whole)
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        replay_rows(replayer, rows)
        cpu, wall = time.process_time() - start_cpu, time.perf_counter() - start_wall
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before hashing
        report = replayer.report
        stored = store.db.execute("SELECT count(*) FROM items").fetchone()[0]
        queued = store.db.execute("SELECT count(*) FROM deliveries").fetchone()[0]
        tables = table_digests(store)
        store.close()
    return {
        "tables": tables,
        "files": report.files,
        "not_feeds": len(report.not_feeds),
        "entries": report.entries,
        "new_items": report.ingest.new_items,
        "stored": stored,
        "stories": report.ingest.new_stories,
        "matches": report.ingest.matches,
        "alerts": queued,
        "cpu": cpu,
        "wall": wall,
        "rss_mb": rss_mb,
    }


def table_digests(store: Store) -> dict[str, list[Any]]:
    """Each table holding rows: [row count, SHA-1 of its rows in rowid order, every column]."""
    digests: dict[str, list[Any]] = {}
    names = store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (name,) in names:
        digest, count = hashlib.sha1(), 0
        for row in store.db.execute(f'SELECT * FROM "{name}" ORDER BY rowid'):  # row by row
            digest.update(repr(row).encode())
            count += 1
        if count:
            digests[name] = [count, digest.hexdigest()[:12]]
    return digests


def phase_parse(limit: int | None) -> dict[str, float]:
    rows = snapshots(limit)
    keys: set[tuple[str, str]] = set()
    cpu = 0.0
    size = 0
    for row in rows:  # one body in memory at a time, as in the replay
        body = gzip.decompress((DATA / row["file"]).read_bytes())
        size += len(body)
        start = time.process_time()
        doc = feedparser.parse(io.BytesIO(body))
        cpu += time.process_time() - start
        for entry in doc.entries:
            key = entry.get("id") or entry.get("link") or entry.get("title")
            if key:
                keys.add((row["feed"], key))
    return {
        "files": len(rows),
        "bytes": size,
        "distinct": len(keys),
        "cpu": cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# -- whole process against whole process ---------------------------------------------------------

PARSE_ONLY = """
import gzip, sys
import feedparser
for name in sys.argv[1:]:
    with open(name, "rb") as handle:
        feedparser.parse(gzip.decompress(handle.read()))
"""


def child_cpu(command: list[str], *, cwd: Path) -> float:
    """User + system CPU seconds of one child process, start-up included (os.wait4)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{command[:4]}... failed ({proc.returncode}): {errors.decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime


def whole_process(args: argparse.Namespace) -> None:
    rows = snapshots(args.files)
    files = [str(DATA / row["file"]) for row in rows]
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        folder = Path(tmp)
        rules = rules_file(folder, args.rules)
        config = folder / "config.toml"
        config.write_text(
            f'[storage]\npath = "replay.db"\n\n[rules]\npaths = ["{rules.name}"]\n\n'
            '[service]\nlog_level = "WARNING"\n\n[channel.console]\ntype = "console"\n',
            encoding="utf-8",
        )
        replay = [sys.executable, "-m", "watcher", "--config", str(config), "replay", *files]
        parse = [sys.executable, "-c", PARSE_ONLY, *files]
        replays: list[float] = []
        parses: list[float] = []
        for run in range(args.repeat):
            for old in folder.glob("replay.db*"):  # the database, its WAL and its marker
                old.unlink()
            # Alternated, and which goes first alternates: a noisy neighbour weighs on both.
            order = [("replay", replay), ("parse", parse)]
            for name, command in order if run % 2 == 0 else order[::-1]:
                cpu = child_cpu(command, cwd=folder)
                (replays if name == "replay" else parses).append(cpu)
                print(f"run {run + 1}: {name} {cpu:.2f} s CPU", file=sys.stderr)
    replay_cpu, parse_cpu = statistics.median(replays), statistics.median(parses)
    print(
        f"snapshots: the first {len(files)} of index.csv; rules: {args.rules}; runs: {args.repeat}"
    )
    print(f"watcher replay, whole process: {replay_cpu:.2f} s CPU (user + sys, median)")
    print(f"feedparser.parse alone, whole process: {parse_cpu:.2f} s CPU (user + sys, median)")
    print(f"ratio: {replay_cpu / parse_cpu:.2f}x (target <= 1.20x)")


def child(phase: str, args: argparse.Namespace, script: str = __file__) -> dict[str, Any]:
    """One phase in a child process of its own, run by `script` (another tree's copy too)."""
    command = [sys.executable, script, "--phase", phase, "--rules", str(args.rules)]
    if args.whole:
        command.append("--whole")
    if args.limit:
        command += ["--limit", str(args.limit)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=None, help="only the first N snapshots")
    parser.add_argument(
        "--whole-process",
        action="store_true",
        help="`watcher replay` and a feedparser-only process, each a whole process",
    )
    parser.add_argument(
        "--files", type=int, default=600, help="with --whole-process: the first N snapshots"
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="TREE",
        help="another checkout (a git worktree of an older commit, with ../shared beside it): "
        "its own replay alternates with this tree's, --repeat times; CPU medians and ratio",
    )
    parser.add_argument("--phase", choices=["replay", "parse"], help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not (DATA / "index.csv").is_file():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    if args.whole_process:
        whole_process(args)
        return 0
    if args.phase == "replay":
        print(json.dumps(phase_replay(args.limit, args.rules, args.whole)))
        return 0
    if args.phase == "parse":
        print(json.dumps(phase_parse(args.limit)))
        return 0
    if args.against:
        return against(args.against, args)
    # Interleaved, so that a noisy neighbour weighs on all three alike.
    replays, wholes, parses = [], [], []
    for _ in range(args.repeat):
        replays.append(child("replay", args))
        wholes.append(child("replay", argparse.Namespace(**{**vars(args), "whole": True})))
        parses.append(child("parse", args))
    report(replays, wholes, parses, args)
    return 0


def against(tree: Path, args: argparse.Namespace) -> int:
    """This tree's replay and `tree`'s (each run by its own copy of this script), alternated
    and which goes first alternating: CPU medians, the median of the paired ratios, and
    whether the two wrote the same tables (when both hash them)."""
    other = str(tree.resolve() / "bench" / "bench_replay.py")
    runs: dict[str, list[dict[str, Any]]] = {"this": [], "other": []}
    for run in range(args.repeat):
        order = [("this", __file__), ("other", other)]
        for name, script in order if run % 2 == 0 else order[::-1]:
            runs[name].append(child("replay", args, script))
        print(
            f"run {run + 1}: this {runs['this'][-1]['cpu']:.2f} s, "
            f"other {runs['other'][-1]['cpu']:.2f} s CPU",
            file=sys.stderr,
        )
    mine, theirs = ([r["cpu"] for r in runs[k]] for k in ("this", "other"))
    ratio = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
    print(f"snapshots: {args.limit or 'all'}; rules: {args.rules}; runs: {args.repeat}")
    print(f"replay CPU, this tree: {statistics.median(mine):.2f} s (median)")
    print(f"replay CPU, {tree}: {statistics.median(theirs):.2f} s (median)")
    print(f"this / other, median of the paired runs: {ratio:.3f}")
    tables = [r.get("tables") for r in runs["this"] + runs["other"]]
    if all(tables):
        print(f"the same tables: {all(t == tables[0] for t in tables)}")
    return 0


def report(
    replays: list[dict[str, Any]],
    wholes: list[dict[str, Any]],
    parses: list[dict[str, Any]],
    args: argparse.Namespace,
) -> None:
    def med(runs: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(r[key] for r in runs))

    first, parsed = replays[0], parses[0]
    cpu, parse_cpu = med(replays, "cpu"), med(parses, "cpu")
    print(
        f"snapshots: {first['files']:.0f} files ({parsed['bytes'] / 1e6:.0f} MB), "
        f"{first['not_feeds']:.0f} not feeds; rules: {args.rules}; runs: {args.repeat}"
    )
    print(
        f"replay: {cpu:.1f} s CPU, {med(replays, 'wall'):.1f} s wall; "
        f"{first['entries'] / cpu:,.0f} entries/s, {first['new_items'] / cpu:,.0f} new items/s "
        f"(one core)"
    )
    whole_cpu = med(wholes, "cpu")
    print(
        f"replay parsing every body whole (items unchanged since the feed's last file "
        f"included): {whole_cpu:.1f} s CPU"
    )
    print(f"feedparser.parse alone on the same bytes: {parse_cpu:.1f} s CPU")
    print(f"ratio replay / parse: {cpu / parse_cpu:.2f}x (target <= 1.25x)")
    print(f"ratio replay parsing whole bodies / parse: {whole_cpu / parse_cpu:.2f}x")
    same = all(w[k] == first[k] for w in wholes for k in ("stored", "stories", "matches", "alerts"))
    print(f"whole-body replays stored the same items, stories, matches and alerts: {same}")
    print(
        f"peak RSS: replay {med(replays, 'rss_mb'):.0f} MB (target <= 150 MB), "
        f"parse alone {med(parses, 'rss_mb'):.0f} MB"
    )
    print(
        f"distinct items stored: {first['stored']:,.0f}; feedparser's distinct entries: "
        f"{parsed['distinct']:,.0f}; index.csv/SOURCE.md: {INDEX_DISTINCT:,}"
    )
    print(
        f"stories: {first['stories']:,.0f}, rule matches: {first['matches']:,.0f}, "
        f"alerts queued: {first['alerts']:,.0f}"
    )
    tables: dict[str, list[Any]] = first["tables"]
    everything = hashlib.sha1(repr(sorted(tables.items())).encode()).hexdigest()[:12]
    print(
        "tables (rows, SHA-1 in rowid order): "
        + ", ".join(f"{name} {rows:,} {digest}" for name, (rows, digest) in tables.items())
    )
    alike = all(r["tables"] == tables for r in replays)
    whole_alike = all(w["tables"] == tables for w in wholes)
    print(
        f"all tables: {everything} (every replay run the same: {alike}; "
        f"the whole-body replays the same: {whole_alike})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
