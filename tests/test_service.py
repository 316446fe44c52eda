"""`watcher run` as a real process: it polls, alerts, reloads rules, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss

GOOD_RULES = """
[[rule]]
name = "ferries"
query = "ferry"
channels = ["log"]
"""

NOW = datetime.now(UTC)


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[tuple[FeedServer, Path, subprocess.Popen[str], Path]]:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "desk.toml").write_text(GOOD_RULES, encoding="utf-8")
    with FeedServer() as feeds:
        feeds.set("/f.xml", rss([]))
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\nreload_check = "0.2s"\n'
            f'[service]\ndelivery_check = "0.2s"\nadmin_channel = "admin"\n'
            f'[[feed]]\nurl = "{feeds.url("/f.xml")}"\nname = "F"\ninterval = "1s"\n'
            f'[channel.log]\ntype = "console"\n[channel.admin]\ntype = "console"\n',
            encoding="utf-8",
        )
        out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
        with out.open("w") as sink, err.open("w") as errors:
            proc = subprocess.Popen(
                [sys.executable, "-m", "watcher", "--config", str(config), "run"],
                stdout=sink,
                stderr=errors,
                text=True,
                env=dict(os.environ),
            )
            try:
                yield feeds, rules, proc, out
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


def test_run_alerts_reloads_and_stops_cleanly(
    service: tuple[FeedServer, Path, subprocess.Popen[str], Path],
) -> None:
    feeds, rules, proc, out = service
    wait_for(lambda: len(feeds.requests) >= 1)  # the backlog poll

    def publish(n: int, title: str) -> None:
        item = {"title": title, "link": f"https://x.example/{n}", "guid": str(n), "pubDate": NOW}
        feeds.set("/f.xml", rss([item]))
        wait_for(lambda: title in out.read_text())

    def edit_rules(text: str, expect: str) -> None:
        seen = (out.parent / "stderr.txt").read_text().count(expect)
        (rules / "broken.toml").write_text(text, encoding="utf-8")
        wait_for(lambda: (out.parent / "stderr.txt").read_text().count(expect) > seen)

    publish(1, "New ferry timetable")
    # A broken rule file is refused; the last good rules stay in force.
    edit_rules('[[rule]]\nname = "x"\nquery = "(ferry"\nchannels = ["log"]\n', "reload refused")
    publish(2, "Ferry strike called off")
    # Broken differently: still the same incident, so the admin channel hears of it once.
    edit_rules('[[rule]]\nname = "x"\nquery = "ferry AND"\nchannels = ["log"]\n', "reload refused")
    wait_for(lambda: "Rule files refused" in out.read_text())
    # Fixed and extended: the new rule applies without a restart.
    edit_rules(
        '[[rule]]\nname = "harbour"\nquery = "harbour"\nchannels = ["log"]\n', "rules reloaded"
    )
    publish(3, "Harbour closed by storm")
    wait_for(lambda: "Rule files accepted again" in out.read_text())

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    stderr = (out.parent / "stderr.txt").read_text()
    assert "broken.toml:3:" in stderr  # the refused reload named the file and line
    assert "last good rules stay in force" in stderr
    assert out.read_text().count("Rule files refused") == 1


def test_run_refuses_to_start_with_bad_rules(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.toml").write_text(
        '[[rule]]\nname = "a"\nquery = "AND"\nchannels = ["nowhere"]\n', encoding="utf-8"
    )
    config = tmp_path / "config.toml"
    config.write_text('[rules]\npaths = ["rules"]\n[channel.log]\ntype = "console"\n')
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), "run"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "a.toml:3:" in done.stderr and "a.toml:4:" in done.stderr
