"""`watcher poll-once` against loopback servers: flood control waited out, broken feeds isolated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from tests.test_poll_many import copy
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


def test_a_backlog_across_feeds_is_taken_in_time_order_not_answer_order(tmp_path: Path) -> None:
    """Three outlets carry one report, published 50, 20 and 5 hours ago; the first of them
    answers last. A story takes reports for 36 h after its first, so in time order the third
    copy starts a story of its own (taken as the feeds answered, all three would be one:
    tests/test_poll_many.py shows both)."""
    first, second, third = (NOW - timedelta(hours=h) for h in (50, 20, 5))
    with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
        config = setup(tmp_path, feeds, tg, ["/b.xml", "/a.xml", "/c.xml"])
        gate = feeds.hold("/b.xml", rss([copy("crane", first, "b")]))
        feeds.set("/a.xml", rss([copy("crane", second, "a")]))
        feeds.set("/c.xml", rss([copy("crane", third, "c")]))
        command = [sys.executable, "-m", "watcher", "--config", str(config), "poll-once"]
        env = {**os.environ, "T_TOKEN": TOKEN}
        with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) as proc:
            for _ in range(6000):  # a and c answered while b's request waits
                asked = feeds.paths_requested()
                if feeds.in_flight_at("/b.xml") == 1 and all(
                    p in asked and feeds.in_flight_at(p) == 0 for p in ("/a.xml", "/c.xml")
                ):
                    break
                time.sleep(0.01)
            gate.set()
            _, stderr = proc.communicate(timeout=120)
            assert proc.returncode == 0, stderr
    listed = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), "stories", "--json"],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    stories = json.loads(listed.stdout)
    groups = sorted(sorted(item["feed"] for item in s["items"]) for s in stories)
    assert groups == [["/a.xml", "/b.xml"], ["/c.xml"]]
