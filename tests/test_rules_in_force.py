"""Zero rules in force (an empty or missing rule file, every rule disabled) is never silent:
`watcher check` fails naming what each path gave, the service degrades `watcher status` and
tells the admin channel once, and a reload that would leave no rule in force is refused."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.test_upkeep import service_for
from watcher.cli import main

RULE = '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\n'
OFF = '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\nenabled = false\n'


def desk(tmp_path: Path, rules: dict[str, str], admin: bool = False) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    for name, text in rules.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(
        '[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        + ('[service]\nadmin_channel = "log"\n' if admin else "")
        + '[channel.log]\ntype = "console"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("files", "expect"),
    [
        ({}, "rules:1:1: no rules in force: no *.toml rule files here"),
        ({"desk.toml": ""}, "desk.toml:1:1: no rules in force: the file holds no [[rule]] (it is"),
        ({"desk.toml": "# nothing yet\n"}, "desk.toml:1:1: no rules in force: the file holds no"),
        ({"desk.toml": OFF}, "desk.toml:1:1: no rules in force: all 1 rule(s) are disabled"),
    ],
)
def test_check_fails_when_no_rule_is_in_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], expect: str
) -> None:
    path = desk(tmp_path, files)
    assert main(["--config", str(path), "check"]) == 1
    err = capsys.readouterr().err
    assert expect in err


def test_check_passes_with_one_rule_in_force_among_empty_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = desk(tmp_path, {"a.toml": "", "b.toml": OFF, "c.toml": RULE.replace("ies", "y")})
    assert main(["--config", str(path), "check"]) == 0, capsys.readouterr().err


def status(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = main(["--config", str(path), "status", "--json"])
    return code, json.loads(capsys.readouterr().out)


async def test_the_service_degrades_tells_once_and_refuses_to_lose_its_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = desk(tmp_path, {"desk.toml": ""}, admin=True)
    service, app = service_for(path)
    running = asyncio.ensure_future(service.run())
    try:
        for _ in range(2400):  # up to 120 s: the service starts slowly on a loaded machine
            await asyncio.sleep(0.05)
            told = [n.text for n in app.store.notices(("pending", "sent", "logged"))]
            if any("No rules in force" in t for t in told):  # the incident and its notice
                break
        code, data = status(path, capsys)
        assert code == 1
        assert any("no rules in force" in str(p) for p in data["problems"])  # type: ignore[attr-defined]
        assert await service.reload_rules("test") is True  # still none: told only once
        told = [n.text for n in app.store.notices(("pending", "sent", "logged"))]
        assert sum("No rules in force" in t for t in told) == 1
        assert "desk.toml:1:1: no rules in force" in told[0]

        (tmp_path / "rules" / "desk.toml").write_text(RULE, encoding="utf-8")
        assert await service.reload_rules("test") is True
        code, data = status(path, capsys)
        assert code == 0, data["problems"]
        told = [n.text for n in app.store.notices(("pending", "sent", "logged"))]
        assert any("1 rules in force again" in t for t in told)

        (tmp_path / "rules" / "desk.toml").write_text("", encoding="utf-8")  # truncated
        assert await service.reload_rules("test") is False
        assert app.pipeline.rules.in_force == 1  # the last good rules stay in force
        code, data = status(path, capsys)
        assert code == 1
        assert any("refused" in str(p) for p in data["problems"])  # type: ignore[attr-defined]
    finally:
        service.stop()
        assert await running == 0
        await app.aclose()
