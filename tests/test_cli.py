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
