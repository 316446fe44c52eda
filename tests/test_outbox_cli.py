"""`watcher outbox` and `watcher outbox retry ID|--all` on a real database file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.test_delivery import queue
from watcher.cli import main
from watcher.model import DeliveryStatus
from watcher.store import Store

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "config.toml"
    config.write_text(
        '[storage]\npath = "w.db"\n[channel.desk]\ntype = "telegram"\nchat_id = "-100"\n'
        'token_env = "NOT_SET_ANYWHERE"\n',  # listing and requeueing need no chat secrets
        encoding="utf-8",
    )
    return config, tmp_path / "w.db"


def fill(db: Path) -> tuple[int, int, int]:
    """A failed row, a row backing off and a delivered one; the channel held as failing."""
    store = Store(db)
    try:
        for n, title in enumerate(("Ferry strike called off", "Harbour closed", "Old news")):
            queue(store, n, title=title)
        failed, waiting, done = store.pending_deliveries()
        store.mark_failed(failed, "slack chat.postMessage to desk: not_in_channel", T0)
        store.mark_retry(waiting, "telegram sendMessage to desk: Bad Gateway", T0 + _m(5), T0)
        store.mark_sent(done, "42", T0)
        store.mark_channel_failing("desk", "Forbidden: bot was kicked", T0 + _m(10), T0)
        return failed.id, waiting.id, done.id
    finally:
        store.close()


def rows(db: Path) -> dict[int, tuple[DeliveryStatus, int]]:
    store = Store(db)
    try:
        return {d.id: (d.status, d.attempts) for d, _ in store.outbox_rows()}
    finally:
        store.close()


def test_empty_outbox_says_so(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, _ = setup
    assert main(["--config", str(config), "outbox"]) == 0
    assert "outbox empty" in capsys.readouterr().out


def test_lists_pending_and_failed_with_their_errors(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config, db = setup
    failed, waiting, _ = fill(db)
    assert main(["--config", str(config), "outbox"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("channel desk failing since 2026-01-24 12:00:00 UTC")
    assert "kicked" in lines[0]
    failed_line = next(line for line in lines if line.strip().startswith(f"{failed} "))
    assert "failed" in failed_line and "Ferry strike called off" in failed_line
    assert "not_in_channel" in out and "Bad Gateway" in out
    waiting_line = next(line for line in lines if line.strip().startswith(f"{waiting} "))
    assert "pending" in waiting_line and "2026-01-24 12:05:00" in waiting_line
    assert "Old news" not in out


def test_json_listing(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, db = setup
    failed, waiting, _ = fill(db)
    assert main(["--config", str(config), "outbox", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["id"], d["status"], d["attempts"]) for d in data["deliveries"]] == [
        (failed, "failed", 1),
        (waiting, "pending", 1),
    ]
    assert data["failing_channels"][0]["channel"] == "desk"


def test_retry_one_requeues_it_and_lifts_the_channel_hold(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config, db = setup
    failed, waiting, _ = fill(db)
    assert main(["--config", str(config), "outbox", "retry", str(failed)]) == 0
    assert f"requeued delivery {failed}" in capsys.readouterr().out
    assert rows(db) == {failed: (DeliveryStatus.PENDING, 0), waiting: (DeliveryStatus.PENDING, 1)}
    store = Store(db)
    try:
        assert store.channel_state("desk").hold_until is None
        (due,) = [d for d in store.due_deliveries(T0) if d.id == failed]
        assert due.next_attempt is None
    finally:
        store.close()


def test_retry_all(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, db = setup
    failed, waiting, _ = fill(db)
    assert main(["--config", str(config), "outbox", "retry", "--all"]) == 0
    assert "requeued 2 deliveries" in capsys.readouterr().out
    assert rows(db) == {failed: (DeliveryStatus.PENDING, 0), waiting: (DeliveryStatus.PENDING, 0)}


def test_retry_unknown_id_exits_1_and_a_delivered_one_is_left_alone(
    setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config, db = setup
    _, _, done = fill(db)
    assert main(["--config", str(config), "outbox", "retry", "999"]) == 1
    assert "no delivery with id 999" in capsys.readouterr().out
    assert main(["--config", str(config), "outbox", "retry", str(done)]) == 0
    assert "was delivered" in capsys.readouterr().out
    assert done not in rows(db)


def test_retry_needs_an_id_or_all(setup: tuple[Path, Path]) -> None:
    config, _ = setup
    with pytest.raises(SystemExit) as caught:
        main(["--config", str(config), "outbox", "retry"])
    assert caught.value.code == 2


def _m(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)
