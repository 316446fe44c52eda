"""The seed story end to end through `watcher poll-once`, against servers on 127.0.0.1.

A feed server, a Telegram Bot API stand-in and a Slack API stand-in; watcher runs as a real
subprocess with a real config, rule file and SQLite file. The seed texts are read from
../shared/seeds at run time (never copied into the repo); the tests skip without them. A
variant publishes the two reports with their own dates, a day apart (issue 11).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.slack_api import FakeSlack
from tests.fakes.telegram_api import FakeTelegram

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TG_TOKEN = "424242:SEED-test-token"
SLACK_TOKEN = "xoxb-seed-test-token"
NOW = datetime.now(UTC).replace(microsecond=0)

RULES = """
[[rule]]
name = "pk-ir-unhrc"
query = "Iran AND Pakistan AND UNHRC"
channels = ["asia-desk"]

[[rule]]
name = "pk-ir-other"
query = "(Pakistan AND Iran) AND NOT UNHRC"
channels = ["trade-desk"]

[entity.UNHRC]
aliases = ["UN Human Rights Council", "United Nations Human Rights Council"]
"""

OUTLETS = [
    ("/a.xml", "Outlet A"),
    ("/b.xml", "Outlet B"),
    ("/c.xml", "Syndicator C"),
    ("/d.xml", "Ledger D"),
]

BACKLOG = [
    {
        "title": "Harbour dredging to finish by spring",
        "link": "https://a.example/dredging",
        "guid": "a-1",
        "description": "Port works enter their last phase.",
        "pubDate": NOW - timedelta(hours=5),
    },
]

TRADE = {
    "title": "Pakistan and Iran agree to widen border trade at two crossings",
    "link": "https://d.example/business/pk-ir-border-trade",
    "guid": "d-2",
    "description": "Commerce officials from Pakistan and Iran agreed to open two more border "
    "markets and settle more trade in local currencies, aiming for five billion dollars a year.",
}


def seed_items() -> tuple[dict[str, object], dict[str, object]]:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    paras = [p.strip() for p in first.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    # Seed 000 opens with "Newsflash:", then its headline, then the article.
    a = {
        "title": paras[1],
        "link": "https://a.example/world/pk-ir-ministers-call?utm_source=rss",
        "guid": "a-2",
        "description": "\n\n".join(paras[2:]),
    }
    # Seed 001 has no headline of its own; this one is ours.
    b = {
        "title": "Iran thanks Pakistan for support at UN Human Rights Council",
        "link": "https://b.example/2026/01/iran-thanks-pakistan",
        "guid": "b-7",
        "description": second.read_text(encoding="utf-8"),
    }
    return a, b


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[FeedServer, FakeTelegram, FakeSlack, Path]]:
    with (
        FeedServer() as feeds,
        FakeTelegram(token=TG_TOKEN) as tg,
        FakeSlack(token=SLACK_TOKEN) as slack,
    ):
        (tmp_path / "rules").mkdir()
        (tmp_path / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
        config = tmp_path / "config.toml"
        feed_tables = "\n".join(
            f'[[feed]]\nurl = "{feeds.url(path)}"\nname = "{name}"' for path, name in OUTLETS
        )
        config.write_text(
            f"""
[storage]
path = "watcher.db"
[rules]
paths = ["rules"]
{feed_tables}
[channel.asia-desk]
type = "telegram"
chat_id = "-1001234567890"
token_env = "E2E_TG_TOKEN"
api_url = "{tg.api_url}"
[channel.trade-desk]
type = "slack"
channel = "C0TRADE"
token_env = "E2E_SLACK_TOKEN"
api_url = "{slack.api_url}"
""",
            encoding="utf-8",
        )
        yield feeds, tg, slack, config


def poll_once(config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "E2E_TG_TOKEN": TG_TOKEN, "E2E_SLACK_TOKEN": SLACK_TOKEN}
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), "poll-once"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for secret in (TG_TOKEN, SLACK_TOKEN):
        assert secret not in done.stdout + done.stderr
    return done


def stories_json(config: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(config), "stories", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed: list[dict[str, Any]] = json.loads(done.stdout)
    return listed


def methods(calls: list[tuple[str, dict[str, object]]]) -> list[str]:
    return [m for m, _ in calls if m != "getMe"]


def test_seed_story_end_to_end(
    world: tuple[FeedServer, FakeTelegram, FakeSlack, Path],
) -> None:
    feeds, tg, slack, config = world
    a, b = seed_items()
    a = {**a, "pubDate": NOW - timedelta(minutes=50)}
    b = {**b, "pubDate": NOW - timedelta(minutes=20)}
    copy = {
        **a,
        "title": "PAKISTAN: " + str(a["title"]),
        "guid": "c-99",
        "link": "https://c.example/syndicated/pk-ir-call-2026",
        "pubDate": NOW - timedelta(minutes=30),
    }
    trade = {**TRADE, "pubDate": NOW - timedelta(minutes=10)}
    for path, _ in OUTLETS:
        feeds.set(path, rss(BACKLOG if path == "/a.xml" else []))

    # 1. The first poll stores the backlog and alerts nothing.
    poll_once(config)
    assert methods(tg.calls) == [] and methods(slack.calls) == []

    # 2. Outlet A's report: exactly one Telegram message, with its (canonical) link.
    feeds.set("/a.xml", rss([a, *BACKLOG]))
    poll_once(config)
    assert methods(tg.calls) == ["sendMessage"]
    (chat,) = tg.messages.values()
    (text,) = chat.values()
    assert "https://a.example/world/pk-ir-ministers-call" in text
    assert "utm_source" not in text
    assert methods(slack.calls) == []

    # 3. Outlet B's report and a syndicated copy of A: the message is edited, nothing new sent.
    feeds.set("/b.xml", rss([b]))
    feeds.set("/c.xml", rss([copy]))
    poll_once(config)
    assert methods(tg.calls).count("sendMessage") == 1
    assert "editMessageText" in methods(tg.calls)
    (chat,) = tg.messages.values()
    (text,) = chat.values()
    for link in ("https://a.example/world/pk-ir-ministers-call", str(b["link"]), str(copy["link"])):
        assert link in text
    assert methods(slack.calls) == []

    # 4. An Iran-Pakistan trade story reaches only the NOT UNHRC rule, on Slack.
    feeds.set("/d.xml", rss([trade]))
    poll_once(config)
    assert methods(slack.calls) == ["chat.postMessage"]
    (slack_text,) = next(iter(slack.messages.values())).values()
    assert str(TRADE["link"]) in slack_text
    assert methods(tg.calls).count("sendMessage") == 1
    assert str(TRADE["link"]) not in next(iter(tg.messages["-1001234567890"].values()))

    # 5. A repeat poll sends nothing, and every feed answers 304.
    tg_before, slack_before = len(tg.calls), len(slack.calls)
    feeds.clear_requests()
    poll_once(config)
    assert len(tg.calls) == tg_before and len(slack.calls) == slack_before
    assert sorted(r.path for r in feeds.requests) == ["/a.xml", "/b.xml", "/c.xml", "/d.xml"]
    assert {r.status for r in feeds.requests} == {304}

    # Every ingested item belongs to exactly one story; the seed story has three sources.
    stories = stories_json(config)
    links = [i["link"] for s in stories for i in s["items"]]
    assert len(links) == len(set(links)) == 5
    (seed_story,) = [s for s in stories if len(s["items"]) == 3]
    assert {i["feed"] for i in seed_story["items"]} == {"Outlet A", "Outlet B", "Syndicator C"}
    assert set(seed_story) >= {"id", "title", "items", "alerts"}
    assert set(seed_story["items"][0]) >= {"link", "title", "feed", "published"}
    # One alert per story and channel, as it stands: the seed's on Telegram (edited in place),
    # the trade story's on Slack; the backlog's stories none.
    ((alert,),) = [s["alerts"] for s in stories if s["id"] == seed_story["id"]]
    assert alert == {"channel": "asia-desk", "status": "sent", "rules": ["pk-ir-unhrc"],
                     "terms": ["Iran", "Pakistan", "UNHRC"]}  # fmt: skip
    alerted = {a["channel"]: s["title"] for s in stories for a in s["alerts"]}
    assert alerted == {"asia-desk": seed_story["title"], "trade-desk": TRADE["title"]}

    # `stories --show` says why each item joined: B in other words, C as a copy of A.
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "watcher",
            "--config",
            str(config),
            "stories",
            "--show",
            str(seed_story["id"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    joined = {
        line.split("joined: ")[1].split(" ")[0] for line in shown.splitlines() if "joined: " in line
    }
    assert joined == {"new", "event", "copy"}, shown


_DATE = re.compile(
    r"\b(?:(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
    r"November|December)|(January|February|March|April|May|June|July|August|September|"
    r"October|November|December) (\d{1,2}),) (\d{4})\b"
)


def own_date(text: str) -> datetime:
    """The first date an article gives ("24 January 2026" or "January 25, 2026")."""
    found = _DATE.search(text)
    assert found is not None, "the seed gives no date"
    day, month_a, month_b, day_b, year = found.groups()
    return datetime.strptime(f"{day or day_b} {month_a or month_b} {year}", "%d %B %Y").replace(
        tzinfo=UTC
    )


@pytest.mark.parametrize("own_dates", [False, True], ids=["moved-to-now", "on-own-dates"])
def test_seed_story_with_its_own_dates_is_one_alert_edited(
    world: tuple[FeedServer, FakeTelegram, FakeSlack, Path], own_dates: bool
) -> None:
    """The seed's two reports carry their own dates, a day apart (seed 001: 24 January 2026,
    seed 000: 25 January 2026). Published that far apart, the first outlet's report gives one
    alert, and the second outlet's, a day later in its own `watcher poll-once`, edits it.
    Moved to end now (a ten-month-old report is never alerted under the default max_age), or
    on their own dates with max_age raised: each poll-once rebuilds the story index from the
    database, and the first report must be in it although it is older than [stories] window
    before now (the window counts back from the newest stored report, not the wall clock)."""
    feeds, tg, _slack, config = world
    a, b = seed_items()
    dated_a, dated_b = (
        own_date(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))[:2]
    )
    gap = dated_a - dated_b
    assert gap == timedelta(days=1)
    if own_dates:
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("[rules]", '[defaults]\nmax_age = "3650d"\n[rules]'))
        b = {**b, "pubDate": dated_b + timedelta(hours=12)}
        a = {**a, "pubDate": dated_a + timedelta(hours=12)}
    else:
        b = {**b, "pubDate": NOW - gap - timedelta(minutes=10)}
        a = {**a, "pubDate": NOW - timedelta(minutes=10)}
    for path, _ in OUTLETS:
        feeds.set(path, rss([]))
    poll_once(config)  # the backlog: nothing

    # 24 January: outlet B's report is the first; one Telegram alert.
    feeds.set("/b.xml", rss([b]))
    poll_once(config)
    assert methods(tg.calls) == ["sendMessage"]

    # 25 January: outlet A's report joins it; the alert is edited, nothing else is sent.
    feeds.set("/a.xml", rss([a]))
    poll_once(config)
    assert methods(tg.calls) == ["sendMessage", "editMessageText"]
    (text,) = tg.messages["-1001234567890"].values()
    assert str(b["link"]) in text and "https://a.example/world/pk-ir-ministers-call" in text
    (story,) = stories_json(config)
    assert [i["feed"] for i in story["items"]] == ["Outlet B", "Outlet A"]
