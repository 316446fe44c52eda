"""Docs that cannot drift: the README's two commands, CLI commands and config keys."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from watcher.cli import _parser
from watcher.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    first_screen = README.split("\n---", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", first_screen)


def test_readme_first_screen_has_two_commands() -> None:
    setup, tests = readme_commands()
    assert "watcher demo" in setup and setup.startswith("python3 -m venv .venv")
    assert "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, tests = readme_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci_lines


def test_every_cli_command_is_documented() -> None:
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    commands = set(subparsers.choices)  # type: ignore[arg-type]
    assert {"run", "poll-once", "check", "test-rule", "stories", "demo"} <= commands
    for command in commands:
        assert f"`watcher {command}" in README, command


def test_every_config_key_is_in_the_example() -> None:
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for section, field in Settings.model_fields.items():
        assert re.search(rf"^\[+{section}[\].]", example, re.M), section
        model = field.annotation
        fields = getattr(model, "model_fields", {})
        for key in fields:
            assert re.search(rf"^#?\s*{key}\s*=", example, re.M), f"{section}.{key}"


def test_example_config_parses_as_toml() -> None:
    tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
