"""A feed URL with `user:password@`: the credentials go as HTTP Basic auth to the feed's own
origin only, and are never shown: not in log lines, errors, admin notices, `watcher feeds`
(table and JSON), `watcher status` or the OPML export."""

from __future__ import annotations

import base64
import json
import logging
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher.cli import main
from watcher.fetch import Fetcher
from watcher.model import Feed, FeedState
from watcher.pipeline import Pipeline
from watcher.redact import redact
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

SECRET = "s3cr%40t"  # percent-encoded "s3cr@t"
BASIC = "Basic " + base64.b64encode(b"alice:s3cr@t").decode()
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = rss([{"title": "Port strike ends", "link": "https://harbour.example/1", "guid": "1"}])


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://alice:{SECRET}@")


def test_redact() -> None:
    assert redact("https://alice:pw@h.example/rss") == "https://***@h.example/rss"
    assert redact("https://TOKEN@h.example/rss") == "https://***@h.example/rss"
    assert (
        redact("see <http://a:b@h/x> and https://h/y@z") == "see <http://***@h/x> and https://h/y@z"
    )


async def test_credentials_are_sent_as_basic_auth_to_the_feed_origin_only() -> None:
    fetcher = Fetcher(user_agent="watcher-test", timeout=3.0)
    try:
        with FeedServer() as feed_host, FeedServer() as other_host:
            feed_host.set("/rss", BODY)
            result = await fetcher.fetch(with_credentials(feed_host.url("/rss")))
            assert result.status == 200 and result.url == feed_host.url("/rss")
            (request,) = feed_host.requests
            assert request.path == "/rss" and request.headers["authorization"] == BASIC
            # A redirect elsewhere (another origin) does not get them.
            feed_host.redirect("/moved", other_host.url("/rss"), status=302)
            other_host.set("/rss", BODY)
            await fetcher.fetch(with_credentials(feed_host.url("/moved")))
            assert feed_host.requests[-1].headers["authorization"] == BASIC
            assert "authorization" not in other_host.requests[-1].headers
            # A feed polled where a permanent redirect moved it keeps its configured credentials.
            await fetcher.fetch(
                feed_host.url("/rss"), credentials_of=with_credentials(feed_host.url("/old"))
            )
            assert feed_host.requests[-1].headers["authorization"] == BASIC
    finally:
        await fetcher.aclose()


async def test_logs_errors_and_notices_never_show_the_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    now = [T0]
    store = Store(tmp_path / "w.db")
    fetcher = Fetcher(user_agent="watcher-test", timeout=3.0)
    pipeline = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: now[0],
        rng=random.Random(1),
        failing_notice_after=timedelta(minutes=1),
    )  # no Notices: admin notices become log lines
    try:
        with FeedServer() as server:
            feed = Feed(with_credentials(server.url("/rss")), "Harbour", timedelta(minutes=5))
            server.set("/rss", BODY)
            server.redirect("/rss", server.url("/new"), status=301)
            server.set("/new", BODY)
            assert (await pipeline.poll(feed)).outcome == "backlog"  # moved: logged
            server.set("/new", b"gone", status=404)
            for _ in range(3):
                now[0] += timedelta(minutes=5)
                assert (await pipeline.poll(feed)).outcome == "error"
        assert "admin notice" in caplog.text and "feed moved permanently" in caplog.text
        assert SECRET not in caplog.text and "alice" not in caplog.text
        state = store.feed_state(feed.url, feed.name)
        assert state.last_error is not None and SECRET not in state.last_error
        assert state.moved_to == server.url("/new")  # where polls go; no credentials kept there
    finally:
        await fetcher.aclose()
        store.close()


def test_feeds_status_and_export_never_show_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"https://alice:{SECRET}@private.example/rss"
    (tmp_path / "config.toml").write_text(
        f'[storage]\npath = "w.db"\n[[feed]]\nurl = "{url}"\n'
        '[[feed]]\nurl = "https://other.example/rss"\nname = "Other"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHER_CONFIG", raising=False)
    store = Store(tmp_path / "w.db")
    # An error stored by an older watcher that still quoted the URL.
    store.save_feed_state(
        FeedState(
            url=url,
            name="private.example",
            last_poll=T0,
            last_error=f"could not connect to {url}",
            error_count=4,
            failing_since=T0,
            moved_to=f"https://alice:{SECRET}@private.example/v2/rss",
        )
    )
    store.save_feed_state(FeedState(url="https://other.example/rss", name="Other", stale_since=T0))
    store.close()
    outputs = []
    for command in (["feeds"], ["feeds", "--json"], ["feeds", "export"], ["status", "--json"]):
        main(command)
        outputs.append(capsys.readouterr().out)
    table, as_json, opml, status = outputs
    for out in outputs:
        assert SECRET not in out and "alice" not in out, out
    assert "private.example " in table  # its default name is the host, not the user name
    assert json.loads(as_json)[0]["url"] == "https://***@private.example/rss"
    assert 'xmlUrl="https://***@private.example/rss"' in opml
    failing = json.loads(status)["feeds"]["failing"]
    assert failing[0]["url"] == "https://***@private.example/rss"
