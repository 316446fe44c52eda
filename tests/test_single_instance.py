"""One database, one process that polls and delivers (issue 13, item 5).

A second `watcher run` on the database of a running one, or a `watcher poll-once` beside it,
refuses with a message naming the holder and exits 1, before touching the database; a
SIGKILLed service leaves no stale lock (the kernel drops the flock), so the next one starts.
Real processes, a real SQLite file, a loopback feed server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.test_ops_service import FERRIES, Watcher
from watcher.errors import DatabaseInUseError
from watcher.store.lock import hold, lock_path


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[Watcher]:
    w = Watcher(tmp_path)
    yield w
    w.kill()


def second(watcher: Watcher, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(watcher.config), command],
        capture_output=True,
        text=True,
        timeout=60,
        env=watcher.env,
        check=False,
    )


def test_a_second_service_and_poll_once_refuse_while_one_runs(watcher: Watcher) -> None:
    with FeedServer() as feeds:
        feeds.set("/a.xml", rss([]))
        watcher.rules(desk=FERRIES)
        watcher.write([(feeds.url("/a.xml"), "A")])
        watcher.start()
        watcher.wait_log("service started")
        assert watcher.proc is not None
        pid = watcher.proc.pid
        for command in ("run", "poll-once"):
            done = second(watcher, command)
            assert done.returncode == 1, (command, done.stderr)
            assert "in use by another watcher process" in done.stderr, done.stderr
            assert f"pid {pid}, watcher run" in done.stderr
            assert "Traceback" not in done.stderr
        # The refused ones started nothing: the service is the only one logging a start.
        assert watcher.err().count("service started") == 1
        # A crash leaves no stale lock: the kernel released it with the process.
        watcher.proc.send_signal(signal.SIGKILL)
        watcher.proc.wait(timeout=10)
        done = second(watcher, "poll-once")
        assert done.returncode == 0, done.stderr
        watcher.start()
        watcher.wait_log("service started")  # start() begins a fresh err.txt
        assert watcher.stop() == 0


def test_the_lock_is_per_database_and_released(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    held = hold(db, "run")
    with pytest.raises(DatabaseInUseError, match="watcher run"):
        hold(db, "poll-once")
    other = hold(tmp_path / "other.db", "run")  # another database: no conflict
    held.release()
    hold(db, "poll-once").release()
    other.release()
    assert lock_path(db).name == "w.db.lock"
