"""The systemd unit: what it promises matches what watcher does, and its exposure score."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT_DIR = Path(__file__).resolve().parents[1] / "systemd"
UNIT = (UNIT_DIR / "watcher.service").read_text(encoding="utf-8")


def setting(name: str) -> list[str]:
    return re.findall(rf"^{name}=(.*)$", UNIT, re.M)


def test_unit_is_a_notify_service_with_a_watchdog_that_always_restarts() -> None:
    assert setting("Type") == ["notify"]
    assert setting("NotifyAccess") == ["main"]
    assert setting("Restart") == ["always"]
    assert setting("WatchdogSec") and setting("TimeoutStopSec")
    assert setting("ExecReload") == ["/bin/kill -HUP $MAINPID"]
    assert setting("StateDirectory") == ["watcher"]
    assert setting("User") == ["watcher"]


def test_unit_holds_no_secret() -> None:
    # Secrets come from credentials or a 0600 environment file, never the unit.
    assert not re.search(r"^Environment=.*(TOKEN|WEBHOOK|xox)", UNIT, re.M | re.I)
    assert setting("EnvironmentFile") == ["-/etc/watcher/secrets.env"]
    assert "LoadCredential=" in UNIT


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_exposure_score_is_at_most_2() -> None:
    done = subprocess.run(
        ["bash", str(UNIT_DIR / "security-score"), "2.0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    score = float(re.search(r": (\d+\.\d+) ", done.stdout).group(1))  # type: ignore[union-attr]
    assert score <= 2.0
