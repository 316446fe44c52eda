"""`watcher poll-once` against loopback servers: flood control waited out, broken feeds isolated."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from watcher.store import Store

TOKEN = "777:poll-once-token"
NOW = datetime.now(UTC)


def setup(tmp_path: Path, feeds: FeedServer, tg: FakeTelegram, paths: list[str]) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.toml").write_text(
        '[[rule]]\nname = "quake"\nquery = "earthquake"\nchannels = ["desk"]\n'
    )
    feed_tables = "".join(f'[[feed]]\nurl = "{feeds.url(p)}"\nname = "{p}"\n' for p in paths)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[rules]\npaths = ["rules"]\n{feed_tables}'
        f'[channel.desk]\ntype = "telegram"\nchat_id = "-100"\ntoken_env = "T_TOKEN"\n'
        f'api_url = "{tg.api_url}"\n'
    )
    return config


def poll_once(config: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), "poll-once"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "T_TOKEN": TOKEN},
    )
    assert done.returncode == 0, done.stderr
    return done


def quake(n: int) -> dict[str, object]:
    return {
        "title": f"Earthquake number {n} shakes coastal town {n}",
        "guid": f"q{n}",
        "link": f"https://q.example/{n}",
        "pubDate": NOW,
    }


def test_poll_once_waits_out_a_short_retry_after(tmp_path: Path) -> None:
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        config = setup(tmp_path, feeds, tg, ["/q.xml"])
        feeds.set("/q.xml", rss([]))
        poll_once(config)
        feeds.set("/q.xml", rss([quake(1)]))
        tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
        poll_once(config)
        sends = [m for m, _ in tg.calls if m == "sendMessage"]
        assert len(sends) == 2  # refused once, then delivered after the wait
        (chat,) = tg.messages.values()
        assert any("Earthquake number 1" in text for text in chat.values())


def test_a_broken_feed_is_recorded_and_the_others_go_on(tmp_path: Path) -> None:
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        config = setup(tmp_path, feeds, tg, ["/good.xml", "/html.xml", "/down.xml"])
        feeds.set("/good.xml", rss([]))
        feeds.set(
            "/html.xml",
            b"<html><head><title>Oops</title></head><body>x</body></html>",
            content_type="text/html",
        )
        feeds.set("/down.xml", b"", status=503)
        poll_once(config)
        feeds.set("/good.xml", rss([quake(2)]))
        done = poll_once(config)
        (chat,) = tg.messages.values()
        assert any("Earthquake number 2" in text for text in chat.values())
        store = Store(tmp_path / "watcher.db")
        states = {s.name: s for s in store.feed_states()}
        store.close()
        assert states["/good.xml"].error_count == 0 and states["/good.xml"].last_success
        assert states["/html.xml"].error_count == 2 and "not a feed" in (
            states["/html.xml"].last_error or ""
        )
        assert states["/down.xml"].error_count == 2 and "503" in (
            states["/down.xml"].last_error or ""
        )
        assert "feed failed feed=/down.xml" in done.stderr


def test_user_agent_names_watcher_and_the_configured_contact(tmp_path: Path) -> None:
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        config = setup(tmp_path, feeds, tg, ["/q.xml"])
        config.write_text(
            config.read_text().replace(
                "[rules]", '[fetch]\ncontact = "mailto:desk@example.org"\nper_host = 1\n[rules]'
            )
        )
        feeds.set("/q.xml", rss([]))
        poll_once(config)
        (request,) = feeds.requests
        agent = request.headers["user-agent"]
        assert agent.startswith("watcher/") and "mailto:desk@example.org" in agent


def test_poll_once_exits_when_the_admin_channel_is_the_one_refusing(tmp_path: Path) -> None:
    """The bot was removed from the admin chat: every call answers 403. The queued notice
    must not be reported due "now" while the channel is on hold, or poll-once never ends."""
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        config = setup(tmp_path, feeds, tg, ["/q.xml"])
        config.write_text('[service]\nadmin_channel = "desk"\n' + config.read_text())
        feeds.set("/q.xml", rss([]))
        poll_once(config)
        feeds.set("/q.xml", rss([quake(3)]))
        tg.fail_next("*", 403, "Forbidden: bot was kicked from the supergroup chat", times=10**6)
        done = poll_once(config)
        assert "outbox still holds deliveries" in done.stderr
        store = Store(tmp_path / "watcher.db")
        try:
            (alert,) = store.pending_deliveries()
            notices = store.notices()
        finally:
            store.close()
        assert alert.status == "pending" and alert.channel == "desk"  # kept for a later run
        assert any("desk is failing" in n.text for n in notices)  # and the notice too
