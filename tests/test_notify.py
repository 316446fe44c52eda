"""systemd notifications: READY=1, WATCHDOG=1 and STATUS= read from a NOTIFY_SOCKET we bind.

A real `watcher run` gets NOTIFY_SOCKET and WATCHDOG_USEC as systemd would give them; the test
reads the datagrams. The watchdog must be fed by the event loop itself: an in-process service
whose loop is blocked for a while must stop pinging for that while.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher import config
from watcher.app import open_app, utc_now
from watcher.notify import Notifier
from watcher.rulebook import load_rules
from watcher.service import Service


class NotifySocket:
    """An AF_UNIX datagram socket in a short temporary folder (socket paths are limited), read
    by a thread that stamps each message with its arrival time."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="wn", dir="/tmp"))
        self.path = self.folder / "notify"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))
        self.sock.settimeout(0.05)
        self.received: list[tuple[float, dict[str, str]]] = []
        self._arrived = threading.Condition()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._closing.is_set():
            try:
                data = self.sock.recv(4096).decode()
            except TimeoutError:
                continue
            fields = dict(line.split("=", 1) for line in data.splitlines() if "=" in line)
            with self._arrived:
                self.received.append((time.monotonic(), fields))
                self._arrived.notify_all()

    def close(self) -> None:
        self._closing.set()
        self._thread.join()
        self.sock.close()
        self.path.unlink(missing_ok=True)
        self.folder.rmdir()

    def read_until(
        self, key: str, value: str | None = None, timeout: float = 120.0
    ) -> dict[str, str]:
        """The first message carrying `key` (= `value`, when given), waiting for it."""

        def found() -> dict[str, str] | None:
            for _, fields in self.received:
                if key in fields and value in (None, fields[key]):
                    return fields
            return None

        with self._arrived:
            self._arrived.wait_for(lambda: found() is not None, timeout)
            message = found()
        assert message is not None, f"no {key}={value}; got {[m for _, m in self.received]}"
        return message

    def wait_count(self, key: str, count: int, timeout: float = 120.0) -> list[float]:
        """The arrival times of messages carrying `key`, once there are `count` of them."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self._times(key)) >= count, timeout)
            return self._times(key)

    def _times(self, key: str) -> list[float]:
        return [t for t, fields in self.received if key in fields]

    def times(self, key: str) -> list[float]:
        with self._arrived:
            return [t for t, fields in self.received if key in fields]


@pytest.fixture
def notify() -> Iterator[NotifySocket]:
    s = NotifySocket()
    yield s
    s.close()


def write_config(tmp_path: Path, feed_url: str, extra: str = "") -> Path:
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "desk.toml").write_text(
        '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\n', encoding="utf-8"
    )
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n[service]\n{extra}'
        f'[[feed]]\nurl = "{feed_url}"\nname = "F"\ninterval = "1s"\n'
        '[channel.log]\ntype = "console"\n',
        encoding="utf-8",
    )
    return path


def test_notifier_is_quiet_outside_systemd() -> None:
    quiet = Notifier({})
    assert not quiet.enabled and quiet.ping_every is None
    assert quiet.ready("x") is False


def test_watchdog_period_is_for_this_process_only() -> None:
    env = {"WATCHDOG_USEC": "30000000"}
    assert Notifier(env, pid=7).ping_every == timedelta(seconds=15)
    assert Notifier({**env, "WATCHDOG_PID": "7"}, pid=7).ping_every == timedelta(seconds=15)
    assert Notifier({**env, "WATCHDOG_PID": "8"}, pid=7).ping_every is None
    assert Notifier({"WATCHDOG_USEC": "0"}, pid=7).ping_every is None


def test_abstract_socket_names_and_one_line_status(notify: NotifySocket) -> None:
    assert Notifier({"NOTIFY_SOCKET": "@watcher-test"}).address == "\0watcher-test"
    n = Notifier({"NOTIFY_SOCKET": str(notify.path)})
    assert n.status("feeds 3 ok\noutbox 0")
    assert notify.read_until("STATUS")["STATUS"] == "feeds 3 ok outbox 0"


def test_run_sends_ready_status_watchdog_and_stopping(tmp_path: Path, notify: NotifySocket) -> None:
    with FeedServer() as feeds:
        feeds.set("/f.xml", rss([]))
        cfg = write_config(tmp_path, feeds.url("/f.xml"))
        env = {**os.environ, "NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "600000"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "watcher", "--config", str(cfg), "run"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ready = notify.read_until("READY", "1")
            assert ready["STATUS"].startswith("feeds ") and "rules 1" in ready["STATUS"]
            # Half of WATCHDOG_USEC: about every 0.3 s; waited for, not timed (a loaded machine).
            assert len(notify.wait_count("WATCHDOG", 3)) >= 3
            # Once the feed has been polled the status line counts it as ok.
            notify.read_until("STATUS", "feeds 1 ok, 0 failing; outbox 0; rules 1")
            proc.send_signal(signal.SIGTERM)
            notify.read_until("STOPPING", "1")
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


async def test_a_blocked_loop_stops_the_watchdog(tmp_path: Path, notify: NotifySocket) -> None:
    with FeedServer() as feeds:
        feeds.set("/f.xml", rss([]))
        settings = config.load(write_config(tmp_path, feeds.url("/f.xml")))
        app = open_app(settings, rules=load_rules(settings.rules.paths), stream=io.StringIO())
        notifier = Notifier({"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "200000"})
        service = Service(
            app.pipeline,
            app.deliverer,
            app.store,
            app.feeds,
            load_rules=app.load_rules,
            rule_paths=settings.rules.paths,
            clock=utc_now,
            notifier=notifier,
        )
        loop = asyncio.get_running_loop()
        running = asyncio.ensure_future(service.run())
        try:
            await _pings(notify, 3)  # every 0.1 s while the loop runs
            before = len(notify.times("WATCHDOG"))
            loop.call_soon(time.sleep, 3.0)  # the loop hangs for 3 s
            await asyncio.sleep(0)
            await _pings(notify, before + 3)  # and runs again
        finally:
            service.stop()
            assert await running == 0
            await app.aclose()
        pings = notify.times("WATCHDOG")
        gaps = [b - a for a, b in itertools.pairwise(pings)]
        # Nothing while it hangs: one gap of about the hang (bounds, not a rate, so that a
        # loaded machine's late thread cannot fail it).
        assert max(gaps) >= 2.0


async def _pings(notify: NotifySocket, count: int) -> None:
    """Wait (up to 120 s, without blocking the loop) until `count` WATCHDOG pings arrived."""
    for _ in range(2400):
        if len(notify.times("WATCHDOG")) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {count} WATCHDOG pings")
