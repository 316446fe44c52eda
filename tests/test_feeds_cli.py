"""`watcher feeds` (table, --json, import, export, enable) and `watcher replay`, in process."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import rss
from watcher import config
from watcher.cli import main
from watcher.model import FeedState, Item, Tier
from watcher.opml import parse_opml
from watcher.store import Store

CONFIG = """# hand-written
[storage]
path = "w.db"

[rules]
paths = ["rules"]

[[feed]]
url = "https://harbour.example/rss"
name = "Harbour"   # keep this comment

[[feed]]
url = "https://ledger.example/rss"
name = "Ledger"

[channel.log]
type = "console"
"""
RULES = '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\n'
OPML = b"""<opml version="2.0"><head/><body>
<outline type="rss" text="Harbour again" xmlUrl="https://harbour.example/rss"/>
<outline type="rss" text="Northern Star" xmlUrl="https://northern.example/feed"/>
</body></opml>"""


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHER_CONFIG", raising=False)
    return tmp_path


def test_import_appends_and_keeps_the_hand_written_config(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (desk / "subs.opml").write_bytes(OPML)
    assert main(["feeds", "import", "subs.opml", "--dry-run"]) == 0
    assert "would add: Northern Star" in capsys.readouterr().out
    assert (desk / "config.toml").read_text(encoding="utf-8") == CONFIG

    assert main(["feeds", "import", "subs.opml"]) == 0
    out = capsys.readouterr().out
    assert "added: Northern Star <https://northern.example/feed>" in out
    assert "skipped: Harbour again <https://harbour.example/rss>: already in the config" in out
    text = (desk / "config.toml").read_text(encoding="utf-8")
    assert text.startswith(CONFIG.rstrip("\n")) and "# keep this comment" in text
    names = [f.name for f in config.load(desk / "config.toml").feeds()]
    assert names == ["Harbour", "Ledger", "Northern Star"]

    assert main(["feeds", "import", "subs.opml"]) == 0
    assert "0 added, 2 skipped" in capsys.readouterr().out
    assert (desk / "config.toml").read_text(encoding="utf-8") == text
    assert not list(desk.glob(".config-*"))  # no temp file left behind


def test_import_refuses_a_config_it_would_break(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (desk / "subs.opml").write_bytes(OPML)
    # Valid TOML, but an unknown key: the merged file would not load, so nothing is written.
    broken = CONFIG.replace("[channel.log]", "[channel.log]\ncolour = 1")
    (desk / "config.toml").write_text(broken, encoding="utf-8")
    assert main(["feeds", "import", "subs.opml"]) == 1
    assert "unknown key" in capsys.readouterr().err
    assert (desk / "config.toml").read_text(encoding="utf-8") == broken


def test_export_lists_the_configured_feeds(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feeds", "export"]) == 0
    feeds = parse_opml(capsys.readouterr().out.encode())
    assert [(f.url, f.title) for f in feeds] == [
        ("https://harbour.example/rss", "Harbour"),
        ("https://ledger.example/rss", "Ledger"),
    ]
    assert main(["feeds", "export", "-o", "out.opml"]) == 0
    assert len(parse_opml((desk / "out.opml").read_bytes())) == 2


def _item(n: int, feed_url: str, published: datetime) -> Item:
    return Item(
        key=f"guid:{feed_url}#{n}",
        feed_url=feed_url,
        feed_name="Harbour",
        link=f"https://harbour.example/{n}",
        title=f"Item {n}",
        summary="",
        published=published,
        content_hash=str(n),
    )


def test_feeds_table_and_json(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now(UTC)
    store = Store(desk / "w.db")
    store.save_feed_state(
        FeedState(
            url="https://harbour.example/rss",
            name="Harbour",
            last_poll=now,
            last_success=now - timedelta(hours=3),
            last_error="HTTP 503 Service Unavailable",
            error_count=4,
            next_poll=now + timedelta(minutes=40),
            moved_to="https://harbour.example/new-rss",
            failing_since=now - timedelta(hours=3),
        )
    )
    store.save_feed_state(FeedState(url="https://old.example/rss", name="Old", last_poll=now))
    story = store.new_story("s", now)
    for n in range(21):  # 21 items in the last week, 5 older
        store.add_item(
            _item(n, "https://harbour.example/rss", now - timedelta(hours=7 * n)),
            story,
            Tier.NEW,
            0.0,
            now,
        )
    for n in range(21, 26):
        store.add_item(
            _item(n, "https://harbour.example/rss", now - timedelta(days=9)),
            story,
            Tier.NEW,
            0.0,
            now,
        )
    store.close()

    assert main(["feeds", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    harbour = rows["Harbour"]
    assert harbour["status"] == "failing" and harbour["consecutive_errors"] == 4
    assert harbour["items_per_day"] == 3.0
    assert harbour["moved_to"] == "https://harbour.example/new-rss"
    assert harbour["last_error"] == "HTTP 503 Service Unavailable"
    assert rows["Ledger"]["status"] == "new" and rows["Ledger"]["items_per_day"] == 0
    assert rows["Old"]["configured"] is False

    assert main(["feeds"]) == 0
    table = capsys.readouterr().out
    assert "https://harbour.example/rss -> https://harbour.example/new-rss" in table
    harbour_line = next(line for line in table.splitlines() if line.startswith("Harbour "))
    assert "failing" in harbour_line and " 4 " in harbour_line and " 3 " in harbour_line
    assert "Old *" in table and "Harbour: HTTP 503 Service Unavailable" in table


def test_enable_a_disabled_feed(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(desk / "w.db")
    now = datetime.now(UTC)
    gone = FeedState(
        url="https://ledger.example/rss",
        name="Ledger",
        disabled_at=now,
        disabled_reason="HTTP 410 Gone",
        next_poll=now + timedelta(days=1),
    )
    store.save_feed_state(gone)
    store.close()
    assert main(["feeds", "--json"]) == 0
    assert {r["name"]: r["status"] for r in json.loads(capsys.readouterr().out)}["Ledger"] == (
        "disabled"
    )
    assert main(["feeds", "enable", "ledger"]) == 0
    store = Store(desk / "w.db")
    state = store.feed_state("https://ledger.example/rss", "Ledger")
    store.close()
    assert state.disabled_at is None and state.next_poll is None
    assert main(["feeds", "enable", "nowhere"]) == 1


def ferry_feed(*titles: str) -> bytes:
    return rss(
        [
            {"title": t, "link": f"https://harbour.example/{i}", "guid": t}
            for i, t in enumerate(titles)
        ],
        title="Harbour",
    )


def test_replay_backlog_then_alerts_and_dry_run_stores_nothing(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (desk / "1.xml").write_bytes(ferry_feed("Old ferry timetable published"))
    (desk / "2.xml.gz").write_bytes(
        gzip.compress(ferry_feed("Old ferry timetable published", "Night ferry to the islands"))
    )
    (desk / "page.html").write_bytes(b"<html><head><title>Oops</title></head></html>")

    assert main(["replay", "1.xml", "2.xml.gz", "page.html", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would alert log: Night ferry to the islands [ferries]" in out
    assert "Old ferry" not in out.split("replayed", 1)[1]  # the backlog alerts nothing
    assert "skipped page.html: not a feed: got an HTML page (title: Oops)" in out
    assert "3 files of 1 feeds (1 as backlog, 1 not feeds)" in out
    store = Store(desk / "w.db")
    assert store.db.execute("SELECT count(*) FROM items").fetchone()[0] == 0
    assert store.pending_deliveries() == []
    store.close()

    assert main(["replay", "1.xml", "2.xml.gz"]) == 0
    assert "1 alerts wait in the outbox" in capsys.readouterr().out
    store = Store(desk / "w.db")
    assert store.db.execute("SELECT count(*) FROM items").fetchone()[0] == 2
    assert [d.rules for d in store.pending_deliveries()] == [("ferries",)]
    assert store.feed_state("https://harbour.example/rss", "Harbour").backlog_done
    store.close()


def test_replay_options(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (desk / "a.xml").write_bytes(ferry_feed("Ferry fares rise"))
    assert main(["replay", "a.xml", "--feed", "Ledger", "--alert-backlog", "--dry-run"]) == 0
    assert "would alert log: Ferry fares rise [ferries]" in capsys.readouterr().out
    assert main(["replay", "a.xml", "--feed", "Nobody"]) == 2
    assert "not a configured feed" in capsys.readouterr().err
    assert main(["replay", "missing.xml"]) == 2
    assert "watcher replay: missing.xml: no such file or folder" in capsys.readouterr().err
