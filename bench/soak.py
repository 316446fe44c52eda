"""Soak: a real `watcher run` fed a steady stream of new, unrelated items for minutes; does its
memory or its database keep growing once the window and the retention have passed?

A loopback feed server publishes --rate new items a second in total, spread over --feeds feeds
(each feed's body holds its last few seconds of items, so a 1 s poll misses none). Every item
is unrelated to every other: its title and text are drawn from an invented vocabulary (no
corpus), so each starts a story of its own, the worst case for the story index and the
database. The service runs with a short `[stories] window`, `retention` and `[service]
prune_every` (default 10 s / 20 s / 5 s) and one rule in force that matches nothing (nothing to
deliver). Every --every seconds the process's RSS (VmRSS from /proc) and the size of the
database file and its WAL are sampled and printed.

Target: once the window, the retention and the time pruned links are remembered (4 x the
retention) have passed, nothing grows: from mid-run to the end, RSS grows < 5% and the database
(with its WAL) < 10%.

    .venv/bin/python bench/soak.py [--minutes 6] [--rate 300] [--feeds 10]
                                   [--window 10] [--retention 20] [--prune-every 5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import deque
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]


def invented_words(count: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class StreamServer:
    """Feeds that gain `rate / feeds` new items a second each, from the moment it starts."""

    def __init__(self, feeds: int, rate: float, keep_seconds: float = 4.0) -> None:
        self.feeds = feeds
        self.per_feed = rate / feeds
        self.keep = max(int(self.per_feed * keep_seconds), 10)
        self.words = invented_words(20_000, random.Random(12))
        self.rendered: list[deque[bytes]] = [deque(maxlen=self.keep) for _ in range(feeds)]
        self.made = [0] * feeds
        self.lock = threading.Lock()
        self.started = time.time()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, feed: int) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{feed}.xml"

    @property
    def published(self) -> int:
        return sum(self.made)

    def body(self, feed: int) -> bytes:
        due = int((time.time() - self.started) * self.per_feed)
        with self.lock:
            while self.made[feed] < due:
                self.rendered[feed].append(self._item(feed, self.made[feed]))
                self.made[feed] += 1
            items = b"".join(reversed(self.rendered[feed]))  # newest first, as feeds are
        head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Stream {feed}</title>'
        return head.encode() + items + b"</channel></rss>"

    def _item(self, feed: int, n: int) -> bytes:
        rng = random.Random(feed * 1_000_003 + n)
        title = " ".join(rng.choice(self.words) for _ in range(8)).capitalize()
        text = " ".join(rng.choice(self.words) for _ in range(40))
        when = formatdate(self.started + n / self.per_feed, usegmt=True)
        return (
            f"<item><title>{title}</title><link>https://stream{feed}.example/{n}</link>"
            f"<guid>s{feed}-{n}</guid><pubDate>{when}</pubDate>"
            f"<description>{text}.</description></item>"
        ).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                body = server.body(int(self.path.strip("/").removesuffix(".xml")))
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ingested(port: int) -> float:
    """watcher_items_total from the service's /metrics: items it has taken in so far."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            text = answer.read().decode()
    except OSError:
        return -1.0
    found = re.search(r"^watcher_items_total (\S+)$", text, re.M)
    return float(found.group(1)) if found else -1.0


def write_setup(folder: Path, server: StreamServer, args: argparse.Namespace, port: int) -> Path:
    (folder / "rules").mkdir()
    (folder / "rules" / "desk.toml").write_text(
        '[[rule]]\nname = "never"\nquery = "qqqxqqq"\nchannels = ["log"]\n', encoding="utf-8"
    )
    feeds = "".join(
        f'[[feed]]\nurl = "{server.url(k)}"\nname = "stream {k}"\ninterval = "1s"\n'
        for k in range(server.feeds)
    )
    config = folder / "config.toml"
    config.write_text(
        '[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        f'[stories]\nwindow = "{args.window}s"\nretention = "{args.retention}s"\n'
        f'[service]\nlog_level = "WARNING"\nprune_every = "{args.prune_every}s"\n'
        f'http = "127.0.0.1:{port}"\n'
        '[channel.log]\ntype = "console"\n' + feeds,
        encoding="utf-8",
    )
    return config


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else 0.0


def size_mib(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


def stored_items(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def soak(args: argparse.Namespace) -> list[dict[str, float]]:
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = StreamServer(args.feeds, args.rate)
        port = free_port()
        config = write_setup(folder, server, args, port)
        db = folder / "w.db"
        wal = folder / "w.db-wal"
        err = (folder / "err.txt").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "watcher", "--config", str(config), "run"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=folder,  # `-m` looks in the working folder first: PYTHONPATH must decide
        )
        began = time.monotonic()
        print(f"{'t (s)':>6} {'RSS MiB':>8} {'DB MiB':>7} {'WAL MiB':>8} {'DB+WAL':>7} "
              f"{'items kept':>10} {'published':>10} {'taken in':>9} {'CPU s':>6}")  # fmt: skip
        try:
            while (elapsed := time.monotonic() - began) < args.minutes * 60:
                time.sleep(args.every - (elapsed % args.every))
                if proc.poll() is not None:
                    break
                row = {
                    "t": time.monotonic() - began,
                    "rss": rss_mib(proc.pid),
                    "db": size_mib(db),
                    "wal": size_mib(wal),
                    "items": stored_items(db),
                    "published": server.published,
                    "ingested": ingested(port),
                    "cpu": cpu_seconds(proc.pid),
                }
                row["total"] = row["db"] + row["wal"]
                samples.append(row)
                print(f"{row['t']:6.0f} {row['rss']:8.1f} {row['db']:7.1f} {row['wal']:8.1f} "
                      f"{row['total']:7.1f} {row['items']:10.0f} {row['published']:10.0f} "
                      f"{row['ingested']:9.0f} {row['cpu']:6.0f}", flush=True)  # fmt: skip
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            server.httpd.shutdown()
            err.close()
        errors = [x for x in (folder / "err.txt").read_text().splitlines() if "ERROR" in x]
    print(f"service exit code {code}; {len(errors)} error lines logged")
    for line in errors[:5]:
        print(f"  {line[:200]}")
    return samples


def growth(samples: list[dict[str, float]], key: str) -> tuple[float, float, float]:
    """The value at mid-run, at the end, and the growth between them in percent."""
    mid = min(samples, key=lambda s: abs(s["t"] - samples[-1]["t"] / 2))[key]
    end = samples[-1][key]
    return mid, end, (end - mid) / mid * 100 if mid else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--rate", type=float, default=300.0, help="new items a second, in all")
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--window", type=float, default=10.0, help="[stories] window, seconds")
    parser.add_argument("--retention", type=float, default=20.0, help="[stories] retention, s")
    parser.add_argument("--prune-every", type=float, default=5.0, help="[service] prune_every")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between samples")
    args = parser.parse_args()
    print(
        f"soak: {args.rate:g} items/s over {args.feeds} feeds for {args.minutes:g} min; window "
        f"{args.window:g} s, retention {args.retention:g} s, prune_every {args.prune_every:g} s"
    )
    samples = soak(args)
    if len(samples) < 4:
        print("too few samples")
        return 1
    ok = True
    for key, label, limit in (("rss", "RSS", 5.0), ("total", "DB+WAL", 10.0)):
        mid, end, pct = growth(samples, key)
        ok &= pct < limit
        verdict = "ok" if pct < limit else "OVER"
        print(f"{label}: {mid:.1f} MiB at mid-run -> {end:.1f} MiB at the end: "
              f"{pct:+.1f}% (target < {limit:g}%) {verdict}")  # fmt: skip
    rate = (samples[-1]["published"] - samples[0]["published"]) / (
        samples[-1]["t"] - samples[0]["t"]
    )
    taken = (samples[-1]["ingested"] - samples[0]["ingested"]) / (
        samples[-1]["t"] - samples[0]["t"]
    )
    print(f"published {rate:.0f} items/s, the service took in {taken:.0f} items/s while sampled")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
