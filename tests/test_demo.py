"""`watcher demo`: the embedded default runs offline and shows one alert with both links."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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


def test_demo_runs_from_a_plain_install(tmp_path: Path) -> None:
    """What a non-editable `pip install .` puts in site-packages (setuptools' build_py: the
    packages and their package-data, nothing else of the checkout) runs the demo."""
    if importlib.util.find_spec("setuptools") is None:
        pytest.skip("setuptools is not installed in this environment")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "watcher", source / "watcher", ignore=skip)
    site = tmp_path / "site-packages"
    build = [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py",
             "--build-lib", str(site)]  # fmt: skip
    done = subprocess.run(build, cwd=source, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import watcher; print(watcher.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(site))
    demo = subprocess.run(
        [sys.executable, "-m", "watcher", "demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "pk-ir-unhrc" in demo.stdout.split("== round 2", 1)[1]
