"""The command line's contract: exit codes and output of check and test-rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RULES = """
[[rule]]
name = "pk-ir-unhrc"
query = "Iran AND Pakistan AND UNHRC"
channels = ["log"]

[entity.UNHRC]
aliases = ["UN Human Rights Council", "United Nations Human Rights Council"]
"""


def watcher(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watcher", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
    (tmp_path / "config.toml").write_text(
        '[rules]\npaths = ["rules"]\n[channel.log]\ntype = "console"\n', encoding="utf-8"
    )
    return tmp_path


def test_check_ok(desk: Path) -> None:
    done = watcher("check", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "1 rules" in done.stdout


def test_check_lists_every_error_with_position(desk: Path) -> None:
    (desk / "rules" / "bad.toml").write_text(
        '[[rule]]\nname = "a"\nquery = "Iran AND"\nchannels = ["log"]\n\n'
        '[[rule]]\nname = "b"\nquery = "Iran"\nchannels = ["nowhere"]\n',
        encoding="utf-8",
    )
    done = watcher("check", cwd=desk)
    assert done.returncode == 1
    assert "bad.toml:3:" in done.stderr
    assert "bad.toml:9:" in done.stderr
    assert "nowhere" in done.stderr


def test_check_reports_config_errors(desk: Path) -> None:
    (desk / "config.toml").write_text('[defaults]\ninterval = "soon"\n', encoding="utf-8")
    done = watcher("check", cwd=desk)
    assert done.returncode == 1
    assert "config.toml:2:1: defaults.interval" in done.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran thanked Pakistan for its vote at the UN Human Rights Council", 0),
        ("Iran and Pakistan discussed the UNHRC vote", 0),
        ("Iran and Pakistan agreed to expand border trade", 1),
    ],
)
def test_test_rule_exit_codes(desk: Path, text: str, code: int) -> None:
    done = watcher("test-rule", "Iran AND Pakistan AND UNHRC", "--text", text, cwd=desk)
    assert done.returncode == code, done.stdout + done.stderr


def test_test_rule_invalid_query_points_at_column(desk: Path) -> None:
    done = watcher("test-rule", "Iran AND (Pakistan", "--text", "x", cwd=desk)
    assert done.returncode == 2
    assert "column" in done.stderr and "^" in done.stderr


def test_test_rule_on_a_feed_file_lists_matches_highlighted(desk: Path) -> None:
    from tests.fakes.feed_server import rss

    feed = desk / "saved.xml"
    feed.write_bytes(
        rss(
            [
                {"title": "Iran and Pakistan discuss UNHRC vote", "link": "https://a.example/1"},
                {"title": "Ferry timetable changes", "link": "https://a.example/2"},
                {"title": "Pakistan, Iran widen border trade", "link": "https://a.example/3"},
            ]
        )
    )
    done = watcher("test-rule", "Pakistan AND Iran", "--file", str(feed), cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "2 of 3 items matched" in done.stdout
    assert "title: [Iran] and [Pakistan] discuss UNHRC vote" in done.stdout
    assert "https://a.example/2" not in done.stdout
    none = watcher("test-rule", "harbour", "--file", str(feed), cwd=desk)
    assert none.returncode == 1 and "0 of 3 items matched" in none.stdout


def test_test_rule_since_reads_stored_items(desk: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from watcher.model import Item, Tier
    from watcher.store import Store

    store = Store(desk / "watcher.db")
    now = datetime.now(UTC)
    for n, (title, age) in enumerate([("Iran Pakistan UNHRC talks", 1), ("Old UNHRC item", 400)]):
        published = now - timedelta(hours=age)
        sid = store.new_story(title, published)
        item = Item(
            key=f"k{n}",
            feed_url="f",
            feed_name="F",
            link=f"https://a.example/{n}",
            title=title,
            summary="",
            published=published,
            content_hash=str(n),
        )
        store.add_item(item, sid, Tier.NEW, 0.0, now)
    store.close()
    done = watcher("test-rule", "UNHRC", "--since", "7d", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "Iran Pakistan UNHRC talks" in done.stdout and "Old UNHRC item" not in done.stdout


def test_test_rule_needs_something_to_match(desk: Path) -> None:
    done = watcher("test-rule", "Iran", cwd=desk)
    assert done.returncode == 2 and "nothing to match" in done.stderr
