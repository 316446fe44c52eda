"""`watcher status`, `backup`, `db check` and `db prune` on real config files and databases."""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_maintenance import add_story
from watcher.cli import main
from watcher.model import FeedState
from watcher.store import Store
from watcher.store.state import write_state

FEED_A, FEED_B = "http://127.0.0.1:9/a.xml", "http://127.0.0.1:9/b.xml"


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Store]:
    config = tmp_path / "config.toml"
    config.write_text(
        '[storage]\npath = "w.db"\n'
        f'[[feed]]\nurl = "{FEED_A}"\nname = "A"\n'
        f'[[feed]]\nurl = "{FEED_B}"\nname = "B"\n'
        '[channel.desk]\ntype = "telegram"\nchat_id = "1"\ntoken_env = "UNSET_IN_TESTS"\n',
        encoding="utf-8",
    )
    store = Store(tmp_path / "w.db")
    t = now()
    for url, name in ((FEED_A, "A"), (FEED_B, "B")):
        store.save_feed_state(FeedState(url, name, last_poll=t, last_success=t, backlog_done=True))
    write_state(
        store.db,
        t,
        started_at=t,  # after this test process began: its pid stands for the service
        pid=os.getpid(),
        version="test",
        last_cycle=t,
        rules_loaded_at=t - timedelta(hours=1),
        rules_reason="start",
        rules_count=12,
        rules_files=("rules/desk.toml",),
    )
    return config, store


def status(config: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["--config", str(config), "status", *extra])
    return code, capsys.readouterr().out


def test_healthy_service_exits_0_and_says_what_it_knows(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, _ = setup
    code, out = status(config, capsys)
    assert code == 0, out
    assert out.startswith("watcher: ok")
    assert "12 rules from 1 file(s)" in out and "(start)" in out
    assert "2 configured, 2 ok, 0 failing" in out
    code, out = status(config, capsys, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["status"] == "ok" and data["problems"] == []
    assert data["service"]["running"] is True and data["service"]["pid"] == os.getpid()
    assert data["rules"]["count"] == 12 and data["rules"]["files"] == ["rules/desk.toml"]
    assert data["feeds"] == {"total": 2, "ok": 2, "failing": [], "stale": []}
    assert data["outbox"] == {"depth": 0, "channels": {}}


def test_a_feed_failing_three_polls_in_a_row_degrades(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    state = store.feed_state(FEED_B, "B")
    store.save_feed_state(replace(state, error_count=1, last_error="HTTP 503"))
    code, out = status(config, capsys)
    assert code == 0 and "failing B (1 in a row): HTTP 503" in out  # listed, not yet degraded
    store.save_feed_state(replace(state, error_count=3, last_error="HTTP 503"))
    code, out = status(config, capsys, "--json")
    data = json.loads(out)
    assert code == 1 and data["status"] == "degraded"
    assert data["feeds"]["failing"][0]["name"] == "B"
    assert any("feed B failed 3 polls" in p for p in data["problems"])


def test_a_refusing_channel_degrades(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    story = add_story(store, 1, now())
    store.want_delivery(story, "desk", ("r",), (), 0, now())
    store.mark_failed(store.pending_deliveries()[0], "Forbidden: bot was kicked", now())
    code, out = status(config, capsys, "--json")
    data = json.loads(out)
    assert code == 1
    assert data["outbox"]["depth"] == 1
    assert data["outbox"]["channels"]["desk"]["failing"] is True
    assert data["outbox"]["channels"]["desk"]["last_error"] == "Forbidden: bot was kicked"


def test_a_channel_that_keeps_failing_degrades_one_retry_does_not(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    for n in range(3):
        store.want_delivery(add_story(store, n, now()), "desk", ("r",), (), 0, now())
    rows = store.pending_deliveries()
    store.mark_retry(rows[0], "HTTP 502", now() + timedelta(seconds=30), now())
    assert status(config, capsys)[0] == 0
    for row in rows[1:]:
        store.mark_retry(row, "HTTP 502", now() + timedelta(seconds=30), now())
    code, out = status(config, capsys)
    assert code == 1 and "channel desk keeps failing: HTTP 502" in out


@pytest.mark.parametrize(
    ("record", "expect"),
    [
        ({"stopped_at": "later"}, "is not running"),
        ({"last_cycle": "stale"}, "has not run a poll cycle since"),
        ({"rules_refused_at": "now"}, "last rule edit was refused"),
    ],
)
def test_service_problems_degrade(
    setup: tuple[Path, Store],
    capsys: pytest.CaptureFixture[str],
    record: dict[str, str],
    expect: str,
) -> None:
    config, store = setup
    t = now()
    values = {
        "later": t,
        "stale": t - timedelta(minutes=10),
        "now": t,
    }
    typed: dict[str, object] = {k: values[v] for k, v in record.items()}
    if "rules_refused_at" in typed:
        typed["rules_refused_error"] = "rules/desk.toml:3:9: unbalanced parenthesis"
    write_state(store.db, t, **typed)
    code, out = status(config, capsys)
    assert code == 1
    assert expect in out


def test_a_database_the_service_never_ran_on_is_degraded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\npath = "w.db"\n', encoding="utf-8")
    Store(tmp_path / "w.db").close()
    code, out = status(config, capsys)
    assert code == 1 and "never run" in out


def test_no_database_is_an_error_and_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\npath = "missing.db"\n', encoding="utf-8")
    assert main(["--config", str(config), "status"]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()


def test_status_does_not_migrate_an_older_database(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    store.db.execute("PRAGMA user_version = 1")
    code, out = status(config, capsys)
    assert code == 1 and "restart the service to upgrade it" in out
    assert store.schema_version == 1


def test_backup_and_db_check_commands(
    setup: tuple[Path, Store], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    add_story(store, 1, now())
    target = tmp_path / "backup.db"
    assert main(["--config", str(config), "backup", str(target)]) == 0
    assert "integrity ok" in capsys.readouterr().out
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 3
    conn.close()
    assert main(["--config", str(config), "db", "check"]) == 0
    # A foreign key pointing nowhere is a problem `db check` reports (exit 1).
    store.db.execute("PRAGMA foreign_keys = OFF")
    store.db.execute("DELETE FROM stories")
    assert main(["--config", str(config), "db", "check"]) == 1
    assert "items row" in capsys.readouterr().out


def test_db_prune_command(setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]) -> None:
    config, store = setup
    old = add_story(store, 1, now() - timedelta(days=45))
    keep = add_story(store, 2, now() - timedelta(days=1))
    assert main(["--config", str(config), "db", "prune"]) == 0
    assert "pruned 1 stories and 3 items older than 30 days" in capsys.readouterr().out
    assert store.story(old) is None and store.story(keep) is not None
    assert store.item_hash("guid:1-0") == ""


def test_a_channel_held_failing_by_delivery_degrades_until_cleared(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    store.mark_channel_failing(
        "desk", "Forbidden: bot was blocked", now() + timedelta(minutes=10), now()
    )
    code, out = status(config, capsys, "--json")
    data = json.loads(out)
    assert code == 1
    assert data["outbox"]["channels"]["desk"]["failing"] is True
    assert any("Forbidden: bot was blocked" in p for p in data["problems"])
    store.clear_channel_failing("desk", now())
    assert status(config, capsys)[0] == 0


def test_alerts_held_on_purpose_are_not_late_but_long_retries_are(
    setup: tuple[Path, Store], capsys: pytest.CaptureFixture[str]
) -> None:
    config, store = setup
    long_ago = now() - timedelta(hours=6)
    held = add_story(store, 1, long_ago)
    store.want_delivery(held, "desk", ("r",), (), 0, long_ago)  # quiet hours: waiting, untried
    code, out = status(config, capsys)
    assert code == 0, out
    assert "1 waiting (0 retrying)" in out
    row = store.pending_deliveries()[0]
    store.mark_retry(row, "HTTP 429", now() + timedelta(minutes=5), long_ago)
    code, out = status(config, capsys)
    assert code == 1 and "an alert has been retried for 6h: HTTP 429" in out
