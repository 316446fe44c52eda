"""Mutes (issue 15): a rule or a story silenced on one channel until it lapses; delivery skips
what a live mute covers, on that channel only."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests import test_delivery as base
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import T0, FakeClock, add_source, deliverer, queue, texts
from watcher.channels.console import ConsoleChannel
from watcher.channels.telegram import TelegramChannel
from watcher.cli import main
from watcher.delivery.deliverer import drain
from watcher.mutes import Mute, muting, parse_span
from watcher.store import Store

store, tg, clock, telegram = base.store, base.tg, base.clock, base.telegram  # shared fixtures


def mute(kind: str, target: str, hours: float = 4, channel: str = "desk") -> Mute:
    return Mute(channel, kind, target, T0 + timedelta(hours=hours), T0, "telegram:7")


def test_what_a_mute_covers() -> None:
    mutes = [mute("story", "12"), mute("rule", "iran")]
    assert muting(mutes, 12, ["other"]) == mutes[0]
    assert muting(mutes, 13, ["iran"]) == mutes[1]
    assert muting(mutes, 13, ["iran", "other"]) is None  # an unmuted rule matched too
    assert muting(mutes, 13, []) is None


@pytest.mark.parametrize(("text", "hours"), [("4h", 4), ("1d", 24), ("30m", 0.5), (" 2H ", 2)])
def test_spans(text: str, hours: float) -> None:
    assert parse_span(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "4", "h", "-1h", "0m", "31d", "4 hours", "1w"])
def test_bad_spans_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"30m, 4h or 1d|from 1m to 30d"):
        parse_span(text)


def test_mutes_are_kept_renewed_listed_and_lapse(store: Store) -> None:
    store.add_mute(mute("rule", "iran"))
    store.add_mute(mute("rule", "iran", hours=8))  # set again: the end moves
    store.add_mute(mute("story", "5", hours=1, channel="other"))
    assert [(m.kind, m.until) for m in store.live_mutes(T0, "desk")] == [
        ("rule", T0 + timedelta(hours=8))
    ]
    assert [m.channel for m in store.live_mutes(T0)] == ["other", "desk"]
    assert [m.channel for m in store.live_mutes(T0 + timedelta(hours=2))] == ["desk"]
    assert store.prune_mutes(T0 + timedelta(hours=2)) == 1
    assert store.remove_mute("desk", "rule", "iran") and not store.live_mutes(T0)
    assert not store.remove_mute("desk", "rule", "iran")


async def test_a_muted_story_gets_no_edit_until_the_mute_lapses(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    sid = queue(store, 0)
    d = deliverer(store, clock, telegram, limits={"desk": []})
    await drain(d)
    store.add_mute(mute("story", str(sid), hours=1))
    add_source(store, sid, 1, clock.now)
    report = await drain(d)
    assert report.edited == 0 and report.skipped == 1
    assert "Follow-up 1" not in texts(tg)[0]
    assert store.outbox_rows() == []  # skipped: settled, not waiting
    clock.advance(7200)  # lapsed: the next change shows the story whole
    add_source(store, sid, 2, clock.now)
    report = await drain(d)
    assert report.edited == 1
    (only,) = texts(tg)
    assert "Follow-up 1" in only and "Follow-up 2" in only


async def test_a_muted_rule_sends_nothing_there_and_other_channels_still_get_it(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    out = io.StringIO()
    sid = queue(store, 0)
    store.want_delivery(sid, "console", ["rule"], ["term"], 0, T0)
    store.add_mute(mute("rule", "rule"))
    d = deliverer(store, clock, telegram, ConsoleChannel("console", stream=out), limits={})
    report = await drain(d)
    assert report.sent == 1 and report.skipped == 1
    assert texts(tg) == [] and "Report 0" in out.getvalue()
    row = store.db.execute("SELECT last_error FROM deliveries WHERE channel = 'desk'").fetchone()
    assert "muted (rule rule on desk until" in row[0]


def test_watcher_mutes_and_status_list_the_mutes_in_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # `status` quiets library loggers process-wide; later tests of this process need them.
    monkeypatch.setattr("watcher.cli.ops.setup_logging", lambda level="": None)
    config = tmp_path / "config.toml"
    config.write_text('[storage]\npath = "w.db"\n', encoding="utf-8")
    assert main(["--config", str(config), "mutes"]) == 0
    assert "no mutes in force" in capsys.readouterr().out
    db = Store(tmp_path / "w.db")
    now = datetime.now(UTC)
    db.add_mute(Mute("desk", "rule", "iran", now + timedelta(hours=4), now, "telegram:7"))
    db.add_mute(Mute("desk", "story", "9", now - timedelta(minutes=1), now, ""))  # lapsed
    db.close()
    assert main(["--config", str(config), "mutes"]) == 0
    out = capsys.readouterr().out
    assert "desk: rule iran until" in out and "(by telegram:7)" in out and "story" not in out
    assert main(["--config", str(config), "mutes", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["channel"], listed["kind"], listed["target"]) == ("desk", "rule", "iran")
    main(["--config", str(config), "status", "--json"])
    assert [m["target"] for m in json.loads(capsys.readouterr().out)["mutes"]] == ["iran"]
    main(["--config", str(config), "status"])
    assert "mutes     1 in force" in capsys.readouterr().out
