"""After downtime: the alerts that piled up go out oldest first, and the console channel's
alert numbers go on across restarts (issue 12). `watcher poll-once` runs as a real subprocess
against a loopback feed server, with a console channel printing to its stdout."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fakes.feed_server import FeedServer, rss
from watcher.model import Item
from watcher.store import Store

NOW = datetime.now(UTC).replace(microsecond=0)
RULES = """
[[rule]]
name = "desk"
query = "earthquake OR flood OR wildfire OR runoff OR strike"
channels = ["log"]
"""
# Five unrelated events, each its own story; hours before NOW.
EVENTS = {
    5: "Earthquake shakes the coastal town of Ferndale overnight",
    4: "Flood waters rise along the Danube as Budapest closes quays",
    3: "Wildfire forces evacuations in hills north of Athens",
    2: "Peru's electoral board sets a runoff for the second Sunday of June",
    1: "Dock workers strike halts container traffic at Rotterdam",
}


def entry(hours: int, feed: str) -> dict[str, object]:
    return {
        "title": EVENTS[hours],
        "link": f"https://{feed}.example/news/{hours}",
        "guid": f"{feed}-{hours}",
        "description": EVENTS[hours] + ", officials said.",
        "pubDate": NOW - timedelta(hours=hours),
    }


def setup(tmp_path: Path, feeds: FeedServer) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(
        '[storage]\npath = "watcher.db"\n[rules]\npaths = ["rules"]\n'
        f'[[feed]]\nurl = "{feeds.url("/a.xml")}"\nname = "A"\n'
        f'[[feed]]\nurl = "{feeds.url("/b.xml")}"\nname = "B"\n'
        '[channel.log]\ntype = "console"\n',
        encoding="utf-8",
    )
    return config


def poll_once(config: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), "poll-once"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def banners(out: str) -> list[str]:
    return re.findall(r"=== \[log\] (alert #\d+(?: updated)?) ===", out)


def headlines(out: str) -> list[str]:
    """The first line after each banner: the alert's headline."""
    return [block.split("\n")[1] for block in out.split("=== [log] ")[1:]]


def test_alerts_that_piled_up_go_out_oldest_first(tmp_path: Path) -> None:
    with FeedServer() as feeds:
        config = setup(tmp_path, feeds)
        feeds.set("/a.xml", rss([]))
        feeds.set("/b.xml", rss([]))
        assert banners(poll_once(config)) == []  # the first poll: backlog, nothing alerted
        # Down for five hours: both feeds published meanwhile, newest first as feeds list them.
        feeds.set("/a.xml", rss([entry(h, "a") for h in (1, 3, 5)]))
        feeds.set("/b.xml", rss([entry(h, "b") for h in (2, 4)]))
        out = poll_once(config)
    assert headlines(out) == [EVENTS[h] for h in (5, 4, 3, 2, 1)], out
    assert banners(out) == [f"alert #{n}" for n in range(1, 6)]


def test_console_alert_numbers_go_on_across_restarts(tmp_path: Path) -> None:
    with FeedServer() as feeds:
        config = setup(tmp_path, feeds)
        feeds.set("/a.xml", rss([]))
        feeds.set("/b.xml", rss([]))
        poll_once(config)
        feeds.set("/a.xml", rss([entry(h, "a") for h in (4, 5)]))
        assert banners(poll_once(config)) == ["alert #1", "alert #2"]
        # A new process: another outlet reports the first story (an edit of #1) and a new one.
        copy = {**entry(5, "b"), "title": "Earthquake shakes coastal Ferndale overnight"}
        feeds.set("/b.xml", rss([entry(1, "b"), copy]))
        out = poll_once(config)
    assert banners(out) == ["alert #1 updated", "alert #3"], out


def item(key: str, title: str, published: datetime) -> Item:
    return Item(key, "https://f.example/rss", "F", f"https://f.example/{key}", title, "",
                published, key)  # fmt: skip


def test_queue_is_walked_oldest_story_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    newer = store.new_story("newer", NOW - timedelta(hours=1))
    older = store.new_story("older", NOW - timedelta(hours=3))
    for story in (newer, older):  # queued newest first, as a poll of a newest-first feed did
        store.want_delivery(story, "log", ("r",), (), 0, NOW)
    assert [q.delivery.story_id for q in store.queued("log")] == [older, newer]


def test_last_message_number_counts_alerts_digests_follow_ups_and_admin_notices(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "w.db")
    assert store.last_message_number("log") == 0
    first, second = (store.new_story(t, NOW) for t in ("a", "b"))
    for story in (first, second):
        store.want_delivery(story, "log", ("r",), (), 0, NOW)
    (a, b) = [q.delivery for q in store.queued("log")]
    store.mark_sent(a, "3", NOW)
    store.mark_sent(b, "digest:7", NOW)
    assert store.last_message_number("log") == 7
    assert store.last_message_number("other") == 0
    store.db.execute(
        "INSERT INTO followups (delivery_id, item_key, rules, news, status, message_ref, "
        "created_at, updated_at) VALUES (?, 'k', '[]', '[]', 'sent', '8', ?, ?)",
        [a.id, NOW.isoformat(), NOW.isoformat()],
    )
    assert store.last_message_number("log") == 8
    store.db.execute(
        "INSERT INTO notices (incident_key, kind, text, status, message_ref, created_at, "
        "updated_at) VALUES ('k', 'raised', 't', 'sent', '9', ?, ?)",
        [NOW.isoformat(), NOW.isoformat()],
    )
    assert store.last_message_number("log") == 8
    assert store.last_message_number("log", admin=True) == 9
