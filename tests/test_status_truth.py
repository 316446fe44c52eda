"""`watcher status` tells the truth: a killed service is "not running" at once, an invalid
config.toml still gets a report (degraded, the errors listed), and a refused config reload
shows until a good one is taken."""

from __future__ import annotations

import json
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.test_ops_service import FERRIES, Watcher
from tests.test_service import wait_for
from watcher import config
from watcher.cli import main
from watcher.liveness import process_alive, process_start
from watcher.store import Store
from watcher.store.state import write_state


@pytest.fixture
def watcher(tmp_path: Path) -> Watcher:
    return Watcher(tmp_path)


def test_after_kill_9_status_says_not_running_at_once(watcher: Watcher) -> None:
    watcher.rules(desk=FERRIES)
    watcher.write([])
    watcher.start()
    try:
        watcher.wait_log("service started")
        code, data = watcher.status()
        assert code == 0, data
        assert data["service"]["running"] is True
        assert watcher.proc is not None
        watcher.proc.send_signal(signal.SIGKILL)
        watcher.proc.wait(timeout=30)
        code, data = watcher.status()  # the heartbeat is still fresh: only the pid tells
        assert code == 1
        assert data["service"]["running"] is False
        assert any("not running" in p for p in data["problems"]), data["problems"]
    finally:
        watcher.kill()


def fake_proc(tmp_path: Path, pid: int, began: datetime) -> Path:
    """A /proc holding one process that began at `began` (100 ticks a second)."""
    boot = int(began.timestamp()) - 1000
    ticks = round((began.timestamp() - boot) * os.sysconf("SC_CLK_TCK"))
    proc = tmp_path / "proc"
    (proc / str(pid)).mkdir(parents=True)
    (proc / "stat").write_text(f"cpu  1 2 3\nbtime {boot}\nprocesses 9\n", encoding="ascii")
    fields = ["S"] + ["0"] * 18 + [str(ticks)] + ["0"] * 30
    (proc / str(pid) / "stat").write_text(
        f"{pid} (python (odd) name) {' '.join(fields)}\n", encoding="ascii"
    )
    return proc


def test_a_recycled_pid_is_not_the_service(tmp_path: Path) -> None:
    started = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    pid = os.getpid()  # a pid that exists; /proc says when "it" began
    later = fake_proc(tmp_path / "a", pid, started + timedelta(hours=3))
    assert process_start(pid, later) == started + timedelta(hours=3)
    assert not process_alive(pid, started, later)  # began after the service: another program
    before = fake_proc(tmp_path / "b", pid, started - timedelta(seconds=2))
    assert process_alive(pid, started, before)
    assert process_alive(pid, started, tmp_path / "nothing")  # no /proc: the pid's word


def test_a_pid_nobody_has_is_dead() -> None:
    assert not process_alive(2**22 + 12345)
    assert not process_alive(0)


def setup_db(tmp_path: Path, config_text: str, db: str = "w.db") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(config_text, encoding="utf-8")
    store = Store(tmp_path / db)
    now = datetime.now(UTC).replace(microsecond=0)
    write_state(
        store.db,
        now,
        started_at=now,  # after this process began: its pid stands for the service
        pid=os.getpid(),
        last_cycle=now,
        rules_loaded_at=now,
        rules_count=1,
        rules_in_force=1,
    )
    from watcher.model import FeedState

    store.save_feed_state(FeedState("http://127.0.0.1:9/a.xml", "A", last_success=now))
    store.close()
    return path


@pytest.mark.parametrize(
    ("text", "db", "error"),
    [
        (
            '[storage]\npath = "state/w.db"\n[defaults]\ninterval = "soon"\n',
            "state/w.db",
            "config.toml:4:",
        ),
        ('[storage]\npath = "w2.db"\n[[feed]\nurl = \n', "w2.db", "config.toml:3:"),
        ('[defaults]\ninterval = "soon"\n', "watcher.db", "config.toml:2:"),
    ],
)
def test_status_reports_while_the_config_is_invalid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, db: str, error: str
) -> None:
    (tmp_path / "state").mkdir()
    path = setup_db(tmp_path, text, db)
    code = main(["--config", str(path), "status", "--json"])
    out = capsys.readouterr()
    assert code == 1, out.err
    data = json.loads(out.out)
    assert data["status"] == "degraded"
    assert data["service"]["running"] is True  # the service is fine on its last good config
    assert data["feeds"]["total"] == 1  # the feeds the database knows
    assert data["config"]["errors"] and error in data["config"]["errors"][0]
    assert any("config file is invalid" in p and error in p for p in data["problems"])
    assert main(["--config", str(path), "status"]) == 1
    assert "config    invalid (1 error(s))" in capsys.readouterr().out


def test_the_storage_path_from_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[storage]\npath = "w.db"\n[[[broken\n', encoding="utf-8")
    assert config.storage_path_anyway(path) == tmp_path / "w.db"
    monkeypatch.setenv("WATCHER_STORAGE__PATH", "/var/lib/watcher/watcher.db")
    assert config.storage_path_anyway(path) == Path("/var/lib/watcher/watcher.db")


def test_a_refused_config_reload_shows_in_status(watcher: Watcher) -> None:
    with FeedServer() as feeds:
        feeds.set("/a.xml", rss([]))
        watcher.rules(desk=FERRIES)
        watcher.write([(feeds.url("/a.xml"), "A")])
        good = watcher.config.read_text(encoding="utf-8")
        watcher.start()
        try:
            wait_for(lambda: "feed=A outcome=backlog" in watcher.err())
            watcher.config.write_text(good + '[[feed]]\nurl = "ftp://x"\n', encoding="utf-8")
            watcher.signal(signal.SIGHUP)
            watcher.wait_log("feeds reload refused (SIGHUP)")
            code, data = watcher.status()
            assert code == 1
            assert data["config"]["refused_at"] is not None
            assert any("last config reload was refused" in p for p in data["problems"])
            watcher.config.write_text(good, encoding="utf-8")  # fixed: refused no more
            code, data = watcher.status()
            assert code == 1 and data["config"]["errors"] == []  # yet the service has not taken it
            watcher.signal(signal.SIGHUP)
            watcher.wait_log("feeds reloaded (SIGHUP)")
            code, data = watcher.status()
            assert code == 0, data["problems"]
            assert data["config"]["refused_at"] is None
            assert watcher.stop() == 0
        finally:
            watcher.kill()
