"""What a command loads and reads: the commands that send nothing import no chat client,
scheduler, metrics or web server; files given on the command line that cannot be read (a FIFO
would block) are a one-line error with exit 2. Real `python -m watcher` processes."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.feed_server import rss
from tests.test_cli import watcher

CONFIG = '[rules]\npaths = ["rules.toml"]\n[channel.log]\ntype = "console"\n'
RULES = '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\n'
# Loaded only by the commands that send (run, poll-once, demo).
HEAVY = ("telegram", "slack_sdk", "prometheus_client", "apscheduler", "uvicorn")
SENDING = ("watcher.app", "watcher.channels.telegram", "watcher.channels.slack")

# Runs `watcher ARGS...` as `python -m watcher` does, then writes the names of the modules it
# had imported to the file named first.
PROBE = """
import atexit, json, runpy, sys
out = sys.argv.pop(1)
def dump():
    with open(out, "w") as handle:
        json.dump(sorted(sys.modules), handle)
atexit.register(dump)
sys.argv[0] = "watcher"
runpy.run_module("watcher", run_name="__main__", alter_sys=True)
"""


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "rules.toml").write_text(RULES, encoding="utf-8")
    feed = rss([{"title": "Night ferry to the islands", "link": "https://h.example/1"}])
    (tmp_path / "saved.xml.gz").write_bytes(gzip.compress(feed))
    return tmp_path


def imported(desk: Path, *args: str) -> set[str]:
    out = desk / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        capture_output=True,
        text=True,
        cwd=desk,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    modules: list[str] = json.loads(out.read_text(encoding="utf-8"))
    return {name.split(".")[0] for name in modules} | set(modules)


@pytest.mark.parametrize(
    "args",
    [
        ("replay", "--help"),
        ("--help",),
        ("check",),
        ("replay", "saved.xml.gz"),
        ("test-rule", "ferry", "--file", "saved.xml.gz"),
        ("stories",),
        ("feeds",),
        ("status",),
        ("outbox",),
        ("db", "check"),
    ],
)
def test_commands_that_send_nothing_load_no_chat_client(desk: Path, args: tuple[str, ...]) -> None:
    loaded = imported(desk, *args)
    assert "watcher.cli" in loaded  # the probe ran the command
    assert loaded.isdisjoint(HEAVY + SENDING), sorted(loaded & set(HEAVY + SENDING))


def test_the_probe_sees_what_a_sending_command_loads(desk: Path) -> None:
    loaded = imported(desk, "poll-once")  # no feeds, nothing queued: it only opens and closes
    assert {"watcher.app", "watcher.channels.telegram", "telegram"} <= loaded


def test_replay_refuses_a_fifo_before_replaying_anything(desk: Path) -> None:
    os.mkfifo(desk / "pipe.xml")
    done = watcher("replay", "saved.xml.gz", "pipe.xml", "gone.xml", cwd=desk)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [
        "watcher replay: pipe.xml: not a regular file (a pipe, socket or device): not read",
        "watcher replay: gone.xml: no such file or folder",
    ]
    assert not (desk / "watcher.db").exists()


def test_replay_stops_at_a_broken_gzip_file_saying_what_was_done(desk: Path) -> None:
    (desk / "broken.xml.gz").write_bytes((desk / "saved.xml.gz").read_bytes()[:-12])
    done = watcher("replay", "saved.xml.gz", "broken.xml.gz", cwd=desk)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "replayed 1 files of 1 feeds (1 as backlog" in done.stdout
    assert "watcher replay: broken.xml.gz: gzip file: " in done.stderr
    assert done.stderr.rstrip().endswith("; stopped at this file")


def test_feeds_import_refuses_a_fifo(desk: Path) -> None:
    os.mkfifo(desk / "subs.opml")
    done = watcher("feeds", "import", "subs.opml", cwd=desk)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == (
        "watcher feeds import: subs.opml: not a regular file (a pipe, socket or device): not read"
    )
