"""SIGKILL a real `watcher run` while it delivers, several times: every alert still arrives, with at
most one duplicate message per kill.

A feed server publishes a dozen matching reports after the backlog poll; the Bot API stand-in
holds one sendMessage at a time (stall_next) so that each kill lands mid-send, after Telegram
has the message and before watcher could mark it delivered; that message is the duplicate the
kill may cost. The service is restarted after each kill and must finish the job.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram, parse_html
from watcher.store import Store

TOKEN = "31337:KILL-test-token"
CHAT = "-1001000000042"
KILLS = 3
NOW = datetime.now(UTC).replace(microsecond=0)
HEADLINES = [
    "Harbour pilots strike over pension changes",
    "New crane arrives at the harbour container terminal",
    "Harbour museum reopens after flood repairs",
    "Fishermen protest harbour dredging plan",
    "Cruise ship season at the harbour starts early",
    "Harbour seals spotted near the marina",
    "Council approves harbour bridge lighting budget",
    "Storm damages harbour wall overnight",
    "Harbour master retires after thirty years",
    "Oil spill drill held in the harbour",
    "Harbour ferry timetable changes for winter",
    "Art festival to light up the old harbour",
]


def wait_for(check: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"{what}: not met in {timeout} s")


def reports() -> list[dict[str, object]]:
    return [
        {
            "title": title,
            "link": f"https://port.example/news/{n}",
            "guid": f"port-{n}",
            "description": f"{title}. Local report number {n}.",
            "pubDate": NOW - timedelta(minutes=30 - n),
        }
        for n, title in enumerate(HEADLINES)
    ]


def write_config(tmp_path: Path, feeds: FeedServer, tg: FakeTelegram) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(
        '[[rule]]\nname = "harbour"\nquery = "harbour"\nchannels = ["desk"]\n', encoding="utf-8"
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        f'[defaults]\nburst_limit = 100\n'  # a dozen alerts one by one, not one burst
        f'[service]\ndelivery_check = "0.2s"\n'
        f'[[feed]]\nurl = "{feeds.url("/port.xml")}"\nname = "Port News"\ninterval = "1s"\n'
        f'[channel.desk]\ntype = "telegram"\nchat_id = "{CHAT}"\ntoken_env = "KILL_TG_TOKEN"\n'
        f'api_url = "{tg.api_url}"\n',
        encoding="utf-8",
    )
    return config


class Service:
    """`watcher run` as a subprocess that can be killed and started again."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr = config.parent / "stderr.txt"

    def start(self) -> None:
        env = {**os.environ, "KILL_TG_TOKEN": TOKEN}
        with self.stderr.open("ab") as errors:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "watcher", "--config", str(self.config), "run"],
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=env,
            )

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=10) == -signal.SIGKILL

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=20)


def sends(tg: FakeTelegram) -> int:
    with tg.lock:
        return sum(1 for method, _ in tg.calls if method == "sendMessage")


def links_at_least(tg: FakeTelegram, count: int) -> Callable[[], bool]:
    return lambda: len(delivered_links(tg)) >= count


def sends_beyond(tg: FakeTelegram, count: int) -> Callable[[], bool]:
    return lambda: sends(tg) > count


def delivered_links(tg: FakeTelegram) -> list[str]:
    with tg.lock:
        texts = list(tg.messages.get(CHAT, {}).values())
    return [link for text in texts for link in parse_html(text)[1]]


def test_sigkill_while_delivering_loses_nothing(tmp_path: Path) -> None:
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        feeds.set("/port.xml", rss([]))
        service = Service(write_config(tmp_path, feeds, tg))
        service.start()
        try:
            wait_for(lambda: len(feeds.requests) >= 1, what="the backlog poll")
            feeds.set("/port.xml", rss(reports()))
            for kill in range(KILLS):
                # Let some alerts through, then hold the next send and kill the service in it.
                wait_for(links_at_least(tg, 2 + 3 * kill), what="progress")
                tg.stall_next("sendMessage", 1.5)
                wait_for(sends_beyond(tg, sends(tg)), what="a send in flight")
                service.kill()
                service.start()
            wanted = {str(r["link"]) for r in reports()}
            wait_for(lambda: wanted <= set(delivered_links(tg)), timeout=40, what="every alert")
            time.sleep(0.5)  # a late duplicate would show by now
            assert service.stop() == 0
        finally:
            if service.proc is not None and service.proc.poll() is None:
                service.proc.kill()
                service.proc.wait()
        messages = len(tg.messages[CHAT])
    store = Store(tmp_path / "w.db")
    try:
        stories = len(store.outbox_rows()) + _sent_rows(store)
        assert store.outbox_depth() == 0
    finally:
        store.close()
    duplicates = messages - stories
    print(f"messages={messages} stories={stories} duplicates={duplicates} kills={KILLS}")
    # Every kill landed inside a send Telegram completed: each may cost one repeat, no more.
    assert 1 <= duplicates <= KILLS, (messages, stories)
    assert TOKEN not in service.stderr.read_text(encoding="utf-8", errors="replace")


def _sent_rows(store: Store) -> int:
    row = store.db.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()
    return int(row[0])
