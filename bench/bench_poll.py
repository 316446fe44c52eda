"""Polling N feeds served by nginx on 127.0.0.1: feeds/s when all answer 304, and with 10% new.

The benchmark writes N small RSS files and its own nginx.conf into a temp folder, starts nginx
(Debian's, `apt-get install nginx`) as a child process pinned to one core, and drives
Pipeline.poll with the real Fetcher and a real SQLite store, pinned to the other core (one
core for watcher). nginx gives every file an ETag, so a repeat poll is a conditional GET
answered 304. nginx listens on several ports of 127.0.0.1 and the feeds are spread over them:
each port is a separate "host" to the Fetcher, as outlets are in real life (its per-host limit
and its pool per host see many hosts).

Rounds: a first poll of every feed (backlog: 200, parse, store), then --rounds rounds where
all answer 304, then --rounds rounds where 10% of the files have one new item (200, parse,
ingest) and the rest 304. Reported: feeds/s (wall) and client CPU seconds, median of rounds.

    .venv/bin/python bench/bench_poll.py --feeds 1000 10000 [--rounds 3] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watcher.fetch import Fetcher
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

SEED = 6
_VOCABULARY = (
    "harbour council minister election storm ferry market court police strike budget school "
    "hospital river bridge festival drought tariff vaccine airport union railway senate border "
    "coalition protest wildfire flood earthquake summit treaty satellite reactor pipeline"
)
WORDS = _VOCABULARY.split()


def nginx_conf(root: Path, ports: list[int]) -> str:
    listen = "\n".join(f"    listen 127.0.0.1:{p} backlog=4096;" for p in ports)
    user = "user root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"  {kind}_temp_path {root}/tmp-{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  sendfile on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
{temp}
  types {{ application/rss+xml xml; }}
  default_type application/octet-stream;
  server {{
{listen}
    root {root}/feeds;
    etag on;
  }}
}}
"""


def feed_xml(n: int, items: int, rng: random.Random) -> bytes:
    entries = []
    for k in range(items):
        title = " ".join(rng.sample(WORDS, 6)).capitalize()
        link = f"https://outlet{n}.example/{k}"
        entries.append(
            f"<item><title>{title} ({n}-{k})</title><link>{link}</link><guid>{link}</guid>"
            f"<description>{' '.join(rng.sample(WORDS, 20))}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Outlet {n}</title><link>https://outlet{n}.example/</link>"
        f"<description>bench</description>{''.join(entries)}</channel></rss>"
    ).encode()


def free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class Nginx:
    """nginx as a child process serving `root`/feeds; stopped (and waited for) on exit."""

    def __init__(self, root: Path, ports: list[int], core: int | None) -> None:
        self.root, self.ports, self.core = root, ports, core
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        conf = self.root / "nginx.conf"
        conf.write_text(nginx_conf(self.root, self.ports))
        core = self.core

        def pin() -> None:
            if core is not None:
                os.sched_setaffinity(0, {core})

        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-p", str(self.root), "-c", str(conf)], preexec_fn=pin)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.ports[-1]), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError((self.root / "error.log").read_text())

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish requests, then exit
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


async def poll_round(pipeline: Pipeline, feeds: list[Feed], concurrency: int) -> dict[str, float]:
    slots = asyncio.Semaphore(concurrency)
    outcomes: dict[str, int] = {}

    async def one(feed: Feed) -> None:
        async with slots:
            report = await pipeline.poll(feed)
        outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(one(f) for f in feeds))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"wall": wall, "cpu": cpu, "rate": len(feeds) / wall, **outcomes}


async def bench(n: int, args: argparse.Namespace, root: Path) -> None:
    rng = random.Random(SEED)
    folder = root / "feeds"
    folder.mkdir(parents=True)
    items = {i: args.items for i in range(n)}
    for i in range(n):
        (folder / f"f{i:05d}.xml").write_bytes(feed_xml(i, args.items, rng))
    root.chmod(0o755)
    ports = free_ports(args.ports)
    store = Store(root / "bench.db")
    fetcher = Fetcher(user_agent="watcher-bench", per_host=args.per_host)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    pipeline = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: now,
        rng=random.Random(SEED),
    )
    feeds = [
        Feed(
            f"http://127.0.0.1:{ports[i % len(ports)]}/f{i:05d}.xml",
            f"outlet{i}",
            timedelta(minutes=5),
        )
        for i in range(n)
    ]
    with Nginx(root, ports, core=1 if args.pin else None):
        first = await poll_round(pipeline, feeds, args.concurrency)
        print(
            f"N={n}: first poll (backlog) {first['rate']:,.0f} feeds/s, outcomes "
            f"{ {k: v for k, v in first.items() if k not in ('wall', 'cpu', 'rate')} }"
        )
        report(
            "all 304",
            n,
            [await poll_round(pipeline, feeds, args.concurrency) for _ in range(args.rounds)],
        )
        changed_rounds = []
        for _ in range(args.rounds):
            for i in rng.sample(range(n), n // 10):
                items[i] += 1
                (folder / f"f{i:05d}.xml").write_bytes(feed_xml(i, items[i], rng))
            changed_rounds.append(await poll_round(pipeline, feeds, args.concurrency))
        report("10% new", n, changed_rounds)
    await fetcher.aclose()
    store.close()


def report(label: str, n: int, rounds: list[dict[str, float]]) -> None:
    rate = statistics.median(r["rate"] for r in rounds)
    cpu = statistics.median(r["cpu"] for r in rounds)
    outcomes = {k: v for k, v in rounds[-1].items() if k not in ("wall", "cpu", "rate")}
    print(
        f"N={n}: {label}: {rate:,.0f} feeds/s (median of {len(rounds)}), client CPU "
        f"{cpu:.2f} s ({cpu / n * 1e6:.0f} µs/feed); last round {outcomes}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--items", type=int, default=5, help="items per feed file")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--ports", type=int, default=64, help="'hosts': nginx ports")
    parser.add_argument(
        "--no-pin",
        dest="pin",
        action="store_false",
        help="do not pin watcher and nginx to one core each",
    )
    args = parser.parse_args()
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        print("nginx not found: apt-get install -y nginx", file=sys.stderr)
        return 1
    if args.pin:
        os.sched_setaffinity(0, {0})
    print(
        f"concurrency {args.concurrency}, per_host {args.per_host} (a pool of that many "
        f"connections per host), {args.ports} ports, {args.items} items/feed"
    )
    for n in args.feeds:
        with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
            asyncio.run(bench(n, args, Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
