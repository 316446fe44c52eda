"""A real `watcher run` run as a server owner would: SIGHUP, SIGTERM mid-send, status, metrics.

Feeds come from a loopback feed server, Telegram from its loopback stand-in; watcher runs as a
subprocess with a real config, rule files and SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from tests.test_maintenance import add_story
from tests.test_service import wait_for
from watcher import config
from watcher.app import open_app, utc_now
from watcher.notify import Notifier
from watcher.rulebook import load_rules
from watcher.service import Service

FERRIES = '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\n'
HARBOUR = '[[rule]]\nname = "harbour"\nquery = "harbour"\nchannels = ["log"]\n'


class Watcher:
    """`watcher run` in a folder of its own; stdout and stderr go to files the test reads."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.config = folder / "config.toml"
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[str] | None = None

    def write(self, feeds: list[tuple[str, str]], service: str = "", channels: str = "") -> None:
        text = (
            f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\nreload_check = "1h"\n'
            f'[service]\ndelivery_check = "0.2s"\n{service}'
            '[channel.log]\ntype = "console"\n' + channels
        )
        for url, name in feeds:
            text += f'[[feed]]\nurl = "{url}"\nname = "{name}"\ninterval = "1s"\n'
        self.config.write_text(text, encoding="utf-8")

    def rules(self, **files: str) -> None:
        folder = self.folder / "rules"
        folder.mkdir(exist_ok=True)
        for name, text in files.items():
            (folder / f"{name}.toml").write_text(text, encoding="utf-8")

    def start(self) -> None:
        with (self.folder / "out.txt").open("w") as out, (self.folder / "err.txt").open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "watcher", "--config", str(self.config), "run"],
                stdout=out,
                stderr=err,
                text=True,
                env=self.env,
            )

    def out(self) -> str:
        return (self.folder / "out.txt").read_text()

    def err(self) -> str:
        return (self.folder / "err.txt").read_text()

    def wait_log(self, text: str, count: int = 1, timeout: float = 60.0) -> None:
        try:
            wait_for(lambda: self.err().count(text) >= count, timeout)
        except AssertionError:
            raise AssertionError(f"{text!r} not logged; stderr:\n{self.err()}") from None

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 30) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def status(self) -> tuple[int, dict[str, Any]]:
        done = subprocess.run(
            [sys.executable, "-m", "watcher", "--config", str(self.config), "status", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=self.env,
            check=False,
        )
        return done.returncode, json.loads(done.stdout)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[Watcher]:
    w = Watcher(tmp_path)
    yield w
    w.kill()


def item(n: int, title: str) -> dict[str, object]:
    return {
        "title": title,
        "link": f"https://x.example/{n}",
        "guid": str(n),
        "pubDate": datetime.now(UTC),
    }


def test_sighup_reloads_rules_and_the_feed_list(watcher: Watcher) -> None:
    with FeedServer() as feeds:
        a, b = feeds.url("/a.xml"), feeds.url("/b.xml")
        feeds.set("/a.xml", rss([]))
        feeds.set("/b.xml", rss([]))
        watcher.rules(desk=FERRIES)
        watcher.write([(a, "A")])
        watcher.start()
        wait_for(lambda: "/a.xml" in feeds.paths_requested())
        # A feed and a rule added; rule files are not watched here (reload_check = 1h).
        watcher.write([(a, "A"), (b, "B")])
        watcher.rules(port=HARBOUR)
        watcher.signal(signal.SIGHUP)
        watcher.wait_log("feeds reloaded (SIGHUP) feeds=2 added=1 removed=0")
        watcher.wait_log("rules reloaded (SIGHUP) rules=2 files=2")
        wait_for(lambda: "/b.xml" in feeds.paths_requested())
        wait_for(lambda: "feed=B outcome=backlog" in watcher.err())
        feeds.set("/b.xml", rss([item(1, "Harbour closed by storm")]))
        wait_for(lambda: "Harbour closed by storm" in watcher.out())
        # A removed from the config: no longer polled.
        watcher.write([(b, "B")])
        watcher.signal(signal.SIGHUP)
        watcher.wait_log("feeds reloaded (SIGHUP) feeds=1 added=0 removed=1")
        feeds.clear_requests()
        time.sleep(2.5)
        assert "/a.xml" not in feeds.paths_requested()
        assert "/b.xml" in feeds.paths_requested()
        # A broken config is refused as a whole; the feeds stay as they were.
        watcher.config.write_text("[[feed]\nurl = ", encoding="utf-8")
        watcher.signal(signal.SIGHUP)
        watcher.wait_log("feeds reload refused (SIGHUP)")
        feeds.clear_requests()
        wait_for(lambda: "/b.xml" in feeds.paths_requested())
        assert watcher.stop() == 0


def test_sigterm_finishes_the_send_in_flight(watcher: Watcher) -> None:
    token = "777:in-flight-token"
    with FeedServer() as feeds, FakeTelegram(token=token) as tg:
        feeds.set("/a.xml", rss([]))
        watcher.env["DESK_TOKEN"] = token
        watcher.rules(desk=FERRIES.replace('["log"]', '["desk"]'))
        watcher.write(
            [(feeds.url("/a.xml"), "A")],
            channels=f'[channel.desk]\ntype = "telegram"\nchat_id = "-100"\n'
            f'token_env = "DESK_TOKEN"\napi_url = "{tg.api_url}"\n',
        )
        watcher.start()
        wait_for(lambda: "feed=A outcome=backlog" in watcher.err())
        tg.stall_next("sendMessage", 3.0)
        feeds.set("/a.xml", rss([item(1, "Ferry strike called off")]))
        wait_for(lambda: any(method == "sendMessage" for method, _ in tg.calls))
        started = time.monotonic()
        assert watcher.stop() == 0
        assert time.monotonic() - started >= 2.0  # it waited for the answer, not cut it off
        assert len(tg.messages.get("-100", {})) == 1
    conn = sqlite3.connect(watcher.folder / "w.db")
    rows = conn.execute("SELECT status, message_ref, sent_version FROM deliveries").fetchall()
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert rows == [("sent", "1", 1)]  # recorded as sent: a restart sends nothing twice
    assert mode == "wal"
    assert (
        not (watcher.folder / "w.db-wal").exists()
        or (watcher.folder / "w.db-wal").stat().st_size == 0
    )


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_status_and_metrics_of_a_running_service(watcher: Watcher) -> None:
    with FeedServer() as feeds:
        feeds.set("/a.xml", rss([]))
        watcher.rules(desk=FERRIES)
        watcher.write([(feeds.url("/a.xml"), "A")], service='http = "127.0.0.1:0"\n')
        watcher.start()
        watcher.wait_log("http endpoint listening")
        found = re.search(r"http endpoint listening host=127\.0\.0\.1 port=(\d+)", watcher.err())
        assert found
        port = int(found.group(1))
        wait_for(lambda: "feed=A outcome=backlog" in watcher.err())
        feeds.set("/a.xml", rss([item(1, "Ferry strike called off")]))
        wait_for(lambda: "Ferry strike called off" in watcher.out())
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").text == "ok\n"
        watcher.signal(signal.SIGHUP)
        watcher.wait_log("rules reloaded (SIGHUP)")
        got = scrape(port)
        assert got[("watcher_polls_total", (("feed", "A"), ("outcome", "backlog")))] == 1
        assert got[("watcher_polls_total", (("feed", "A"), ("outcome", "new")))] == 1
        assert got[("watcher_matches_total", (("rule", "ferries"),))] == 1
        assert got[("watcher_alerts_total", (("action", "sent"), ("channel", "log")))] == 1
        assert got[("watcher_items_total", ())] == 1
        assert got[("watcher_stories_total", ())] == 1
        assert got[("watcher_fetch_seconds_count", ())] >= 2
        assert got[("watcher_outbox_depth", ())] == 0
        assert got[("watcher_rule_reloads_total", (("result", "ok"),))] == 1
        assert got[("watcher_healthy", ())] == 1
        code, data = watcher.status()
        assert code == 0, data
        assert data["service"]["running"] is True
        assert data["rules"]["reason"] == "SIGHUP"
        assert data["feeds"]["ok"] == 1
        assert watcher.stop() == 0
    code, data = watcher.status()
    assert code == 1
    assert any("not running" in p for p in data["problems"])


async def test_the_service_prunes_on_schedule(tmp_path: Path) -> None:
    w = Watcher(tmp_path)
    w.rules(desk=FERRIES)
    w.write([])
    settings = config.load(w.config)
    app = open_app(settings, rules=load_rules(settings.rules.paths))
    old = add_story(app.store, 1, utc_now() - timedelta(days=40))
    fresh = add_story(app.store, 2, utc_now() - timedelta(days=1))
    service = Service(
        app.pipeline,
        app.deliverer,
        app.store,
        [],
        load_rules=app.load_rules,
        rule_paths=settings.rules.paths,
        clock=utc_now,
        notifier=Notifier({}),
        retention=timedelta(days=30),
        prune_every=timedelta(seconds=0.3),
    )
    running = asyncio.ensure_future(service.run())
    try:
        for _ in range(1200):  # up to 120 s on a loaded machine
            await asyncio.sleep(0.1)
            if app.store.story(old) is None:
                break
    finally:
        service.stop()
        assert await running == 0
    assert app.store.story(old) is None
    assert app.store.story(fresh) is not None
    assert app.store.item_hash("guid:1-0") == ""  # remembered
    await app.aclose()


def test_a_port_in_use_stops_the_start_with_a_message(watcher: Watcher) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        watcher.rules(desk=FERRIES)
        watcher.write([], service=f'http = "127.0.0.1:{taken.getsockname()[1]}"\n')
        watcher.start()
        assert watcher.proc is not None
        assert watcher.proc.wait(timeout=60) == 1
    assert "http endpoint cannot listen" in watcher.err()
