"""A damaged or lost database is said so, never a traceback, never silence.

Garbage in the middle of the file: `status`, `run` and `poll-once` say the database is damaged
and point at `watcher db check` and the backups. A database truncated to nothing (or deleted)
after it held history: the marker beside it makes `run` and `poll-once` refuse to start a new
one until `--new-database` says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher.store import Store

NOW = datetime.now(UTC)


def watcher(config: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "WATCHER_CONFIG"},
    )


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.toml").write_text(
        '[[rule]]\nname = "port"\nquery = "port"\nchannels = ["log"]\n', encoding="utf-8"
    )
    return tmp_path


def config_for(desk: Path, url: str) -> Path:
    config = desk / "config.toml"
    config.write_text(
        f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        f'[[feed]]\nurl = "{url}"\nname = "Harbour"\n[channel.log]\ntype = "console"\n',
        encoding="utf-8",
    )
    return config


def items(*ids: int) -> bytes:
    return rss(
        [
            {"title": f"Port story {i}", "link": f"https://h.example/{i}", "pubDate": NOW}
            for i in ids
        ]
    )


def with_history(desk: Path, server: FeedServer) -> Path:
    """A database that has polled a feed (and so holds feeds, items and stories)."""
    server.set("/rss", items(*range(1, 200)))
    config = config_for(desk, server.url("/rss"))
    done = watcher(config, "poll-once")
    assert done.returncode == 0, done.stderr
    return config


def scribble(db: Path) -> None:
    """Garbage over every page but the first (the header and schema stay readable)."""
    store = Store(db)
    store.checkpoint()
    store.close()
    size = db.stat().st_size
    assert size > 8 * 4096
    with db.open("r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(size - 4096))


def test_a_damaged_database_is_said_so_without_a_traceback(desk: Path) -> None:
    with FeedServer() as server:
        config = with_history(desk, server)
        scribble(desk / "w.db")
        for command in (["status"], ["poll-once"], ["run"]):
            done = watcher(config, *command)
            assert done.returncode != 0, command
            assert "Traceback" not in done.stderr, done.stderr
            assert "damaged" in done.stderr and "watcher db check" in done.stderr, done.stderr
            assert "backup" in done.stderr


def test_a_truncated_database_is_not_taken_for_a_new_one(desk: Path) -> None:
    with FeedServer() as server:
        config = with_history(desk, server)
        assert (desk / "w.db.marker").is_file()
        (desk / "w.db").write_bytes(b"")  # truncated to zero bytes
        for command in ("poll-once", "run"):
            done = watcher(config, command)
            assert done.returncode == 1, done.stderr
            assert "Traceback" not in done.stderr
            assert "--new-database" in done.stderr and "backup" in done.stderr, done.stderr
        assert (desk / "w.db").stat().st_size == 0  # nothing was made of it meanwhile
        (desk / "w.db").unlink()  # deleted: the same
        assert "--new-database" in watcher(config, "poll-once").stderr

        done = watcher(config, "poll-once", "--new-database")
        assert done.returncode == 0, done.stderr
        assert "new database" in done.stderr
        assert watcher(config, "poll-once").returncode == 0  # the new one now has history
