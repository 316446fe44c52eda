"""`watcher demo`: the embedded default runs offline and shows one alert with both links."""

from __future__ import annotations

import subprocess
import sys


def test_demo_alerts_once_with_both_links() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    round1, round2 = out.split("== round 2", 1)
    assert "pk-ir-unhrc" not in round1.split("== round 1", 1)[1]  # the backlog alerts nothing
    alerts, stories = round2.split("stories in the database", 1)
    assert alerts.count("pk-ir-unhrc") >= 1
    assert "https://harbour-gazette.example/world/pakistan-iran-ministers-unhrc-call" in alerts
    assert (
        "https://northern-wire.example/2026/01/iran-thanks-pakistan-human-rights-council" in alerts
    )
    assert "utm_medium" not in out and "fbclid" not in out
    # The trade story is not part of the UNHRC story.
    unhrc_story = next(block for block in stories.split("\n#") if "pk-ir-unhrc" in block)
    assert "capital-ledger" not in unhrc_story
