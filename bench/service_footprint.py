"""The service's memory: peak RSS of a real `watcher run` after a day of real feeds, 1,000 rules.

One day of ../shared/data/rss-headlines-gesab001 (default 2021-09-20, its busiest: 727
snapshots of 16 feeds) is served from a loopback HTTP server. Snapshots are released in
index.csv order, one every --pace seconds; each feed URL answers with that feed's next
released snapshot (304 when there is none), so every snapshot is polled once, in order. The
service polls each feed every second (the snapshots' <ttl> is stripped so it does not stretch
that), matches 1,000 rules generated from the corpus vocabulary with a fixed seed
(bench_rules.make_queries) and prints alerts to a console channel. When every snapshot has
been served and the service has processed it, its peak RSS (VmHWM) is read from /proc, it is
stopped with SIGTERM, and ru_maxrss of the child is reported too.

    .venv/bin/python bench/service_footprint.py [--day 2021-09-20] [--rules 1000] [--pace 0.1]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rules import SEED, load_items, make_queries

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "rss-headlines-gesab001"
_TTL = re.compile(rb"<ttl>\s*\d+\s*</ttl>", re.I)


class DayServer:
    """Each feed's snapshots of the day, released in index order at a steady pace."""

    def __init__(self, rows: list[dict[str, str]], pace: float) -> None:
        self.rows = rows
        self.pace = pace
        self.queues: dict[str, list[tuple[int, bytes]]] = defaultdict(list)
        self.skipped = 0
        for position, row in enumerate(rows):
            body = _TTL.sub(b"", gzip.decompress((DATA / row["file"]).read_bytes()))
            queue = self.queues[row["feed"]]
            if queue and not _is_feed(body) and not _is_feed(queue[-1][1]):
                # A run of broken captures (latimes' CloudFront 403 page): the first is served
                # and backs the feed off; the rest would only stretch the backoff.
                self.skipped += 1
                continue
            queue.append((position, body))
        self.served = 0
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, feed: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{feed}.xml"

    def next_body(self, feed: str) -> bytes | None:
        released = (time.monotonic() - self.started) / self.pace
        with self.lock:
            queue = self.queues.get(feed, [])
            if not queue or queue[0][0] > released:
                return None
            self.served += 1
            return queue.pop(0)[1]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = server.next_body(self.path.strip("/").removesuffix(".xml"))
                if body is None:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _is_feed(body: bytes) -> bool:
    head = body[:4096].lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf"))


def day_rows(day: str) -> list[dict[str, str]]:
    with (DATA / "index.csv").open(newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["captured_at_utc"].startswith(day)]


def write_setup(folder: Path, server: DayServer, rule_count: int) -> Path:
    queries = make_queries(rule_count, load_items(4000), random.Random(SEED))
    (folder / "rules").mkdir()
    (folder / "rules" / "bench.toml").write_text(
        "".join(
            f'[[rule]]\nname = "r{k}"\nquery = {json.dumps(q)}\nchannels = ["log"]\n\n'
            for k, q in enumerate(queries)
        ),
        encoding="utf-8",
    )
    feeds = "".join(
        f'[[feed]]\nurl = "{server.url(name)}"\nname = "{name}"\ninterval = "1s"\n'
        for name in sorted(server.queues)
    )
    config = folder / "config.toml"
    config.write_text(
        '[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        '[service]\nlog_level = "WARNING"\n[channel.log]\ntype = "console"\n' + feeds,
        encoding="utf-8",
    )
    return config


def vm_hwm_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) if found else 0


def run_once(rows: list[dict[str, str]], rule_count: int, pace: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = DayServer(rows, pace)
        config = write_setup(folder, server, rule_count)
        server.started = began = time.monotonic()
        with (folder / "out.txt").open("w") as out, (folder / "err.txt").open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "watcher", "--config", str(config), "run"],
                stdout=out,
                stderr=err,
            )
            while server.served < len(rows) - server.skipped and proc.poll() is None:
                time.sleep(0.5)
            time.sleep(5)  # the last polls are processed and their alerts printed
            hwm = vm_hwm_kib(proc.pid)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
        conn = sqlite3.connect(folder / "w.db")
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("items", "stories", "deliveries")
        }
        conn.close()
        server.httpd.shutdown()
        errors = [x for x in (folder / "err.txt").read_text().splitlines() if x.startswith("ERROR")]
    return {
        "feeds": len(server.queues),
        "served": server.served,
        "skipped": server.skipped,
        "wall": time.monotonic() - began,
        "code": code,
        "errors": errors,
        "hwm_mib": hwm / 1024,
        **counts,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="2021-09-20")
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--pace", type=float, default=0.1, help="seconds between snapshots")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    rows = day_rows(args.day)
    runs = [run_once(rows, args.rules, args.pace) for _ in range(args.repeat)]
    last = runs[-1]
    print(f"day {args.day}: {len(rows)} snapshots of {last['feeds']} feeds, {args.rules} rules")
    print(
        f"served {last['served']} (skipped {last['skipped']} repeated broken captures); "
        f"{last['items']} items in {last['stories']} stories, {last['deliveries']} alerts"
    )
    for line in last["errors"]:
        print(f"  logged: {line[:160]}")
    print(f"wall time {last['wall']:.0f} s, exit codes {[r['code'] for r in runs]}")
    peaks = [r["hwm_mib"] for r in runs]
    print(f"peak RSS (VmHWM) per run: {', '.join(f'{p:.1f}' for p in peaks)} MiB")
    print(f"median peak RSS {statistics.median(peaks):.1f} MiB over {len(runs)} run(s)")
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest ru_maxrss of any child {child:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
