"""Nothing grows with the months: the service prunes its story index as the window slides, the
database prune takes settled admin notices and resolved incidents too, a feed taken out of the
config leaves nothing behind in memory, and seconds-long windows are accepted for soak runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.test_maintenance import DAY, NOW, add_story, item
from watcher import config
from watcher.app import App, open_app, utc_now
from watcher.cli import main
from watcher.notify import Notifier
from watcher.rulebook import load_rules
from watcher.service import Service
from watcher.store import Store
from watcher.store.maintenance import prune

RULE = '[[rule]]\nname = "ferries"\nquery = "ferry"\nchannels = ["log"]\n'


def desk(tmp_path: Path, extra: str = "", feeds: str = "") -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "desk.toml").write_text(RULE, encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(
        f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n{extra}'
        f'[channel.log]\ntype = "console"\n{feeds}',
        encoding="utf-8",
    )
    return path


def test_prune_drops_settled_notices_and_resolved_incidents(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    try:
        old, recent = NOW - 40 * DAY, NOW - DAY
        for key, when, status, resolved in [
            ("feed:a", old, "sent", old),  # settled and resolved long ago: both go
            ("feed:b", old, "pending", old),  # a notice not yet sent stays
            ("feed:c", old, "failed", None),  # an incident still open stays
            ("feed:d", recent, "logged", recent),  # recent: stays
        ]:
            store.open_incident(key, key, when)
            notice = store.queue_notice(key, "raised", key, when)
            if status != "pending":
                store.mark_notice(notice, status, when)
            if resolved is not None:
                store.close_incident(key, resolved)
        report = prune(store.db, NOW, retention=30 * DAY, remember=120 * DAY)
        assert (report.notices, report.incidents) == (2, 2)
        left = store.db.execute("SELECT incident_key, status FROM notices ORDER BY id")
        assert left.fetchall() == [("feed:b", "pending"), ("feed:d", "logged")]
        assert [r["key"] for r in store.db.query("SELECT key FROM incidents ORDER BY key")] == [
            "feed:c",
            "feed:d",
        ]
    finally:
        store.close()


def test_seconds_long_window_retention_and_prune_period_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = desk(
        tmp_path, '[stories]\nwindow = "10s"\nretention = 20\n[service]\nprune_every = "5s"\n'
    )
    settings = config.load(path)
    assert settings.stories.window == timedelta(seconds=10)
    assert settings.stories.retention == timedelta(seconds=20)
    assert settings.service.prune_every == timedelta(seconds=5)
    Store(settings.storage.path).close()
    assert main(["--config", str(path), "db", "prune"]) == 0
    assert "older than 20 seconds" in capsys.readouterr().out  # not "0 days"


def service_for(path: Path, **extra: Any) -> tuple[Service, App]:
    """An in-process service on `path`'s config, wired as `watcher run` wires it."""
    settings = config.load(path)
    app = open_app(settings, rules=load_rules(settings.rules.paths))
    service = Service(
        app.pipeline,
        app.deliverer,
        app.store,
        app.feeds,
        load_rules=app.load_rules,
        load_feeds=lambda: config.load(path).feeds(),
        rule_paths=settings.rules.paths,
        clock=utc_now,
        notifier=Notifier({}),
        notices=app.deliverer.notices,
        **extra,
    )
    return service, app


async def test_the_service_prunes_the_story_index_as_the_window_slides(tmp_path: Path) -> None:
    path = desk(tmp_path, '[stories]\nwindow = "10s"\n')
    service, app = service_for(path, prune_every=timedelta(hours=1))
    index = service.pipeline.index
    assert service._index_prune_every() == timedelta(seconds=1)  # a tenth of the window
    now = datetime.now(UTC)
    story = add_story(service.store, 1, now)
    for n in range(50):  # items already out of the window, and one inside it
        index.add(item(f"old:{n}", f"https://o.example/{n}", f"Old item {n}", now - DAY), story)
    index.add(item("new", "https://o.example/new", "New item", now + timedelta(minutes=5)), story)
    assert len(index) == 51
    running = asyncio.ensure_future(service.run())
    try:
        for _ in range(400):
            await asyncio.sleep(0.05)
            if len(index) == 1:
                break
    finally:
        service.stop()
        assert await running == 0
        await app.aclose()
    assert len(index) == 1  # the one inside the window stays


async def test_a_feed_taken_out_of_the_config_leaves_no_memory(tmp_path: Path) -> None:
    with FeedServer() as server:
        server.set("/a.xml", rss([{"title": "Ferry news", "link": "https://a.example/1"}]))
        feed = f'[[feed]]\nurl = "{server.url("/a.xml")}"\nname = "A"\n'
        path = desk(tmp_path, feeds=feed)
        service, app = service_for(path)
        try:
            (a,) = service.feeds
            await service.pipeline.poll(a)
            assert a.url in service.pipeline.reader._last_entries
            desk(tmp_path)  # the feed is removed from the config
            assert service.reload_feeds("test")
            assert a.url not in service.pipeline.reader._last_entries
            assert a.url not in service.pipeline.reader._last_bodies
        finally:
            await app.aclose()
