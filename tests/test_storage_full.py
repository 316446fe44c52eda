"""A database that fills up, then gets space back (issue 13, item 1).

A real SQLite file is held at its size with `PRAGMA max_page_count` while a feed brings thirty
matching reports: the ingest transaction fails half-way and rolls back. The story index must
forget what it learnt in that transaction (else every later poll joins items to stories that
were never stored: FOREIGN KEY constraint failed, until a restart), the service must say it is
degraded (health, the status record, one admin notice) and, once the database may grow again,
resume by itself: every alert comes through, the notice is resolved, no restart.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.test_upkeep import service_for
from watcher.app import utc_now
from watcher.errors import StorageError
from watcher.model import Item
from watcher.pipeline import Pipeline
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.store.state import read_state
from watcher.stories import StoryIndex

REPORTS = 30


def reports() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {
            "title": f"Harbour report {n}: crane {n} idle",
            "link": f"https://port.example/{n}",
            "guid": f"port-{n}",
            # Long enough that the stories cannot fit in the pages the database has.
            "description": f"Harbour report {n}. " + f"quay{n} berth{n} pier{n} " * 100,
            "pubDate": now - timedelta(minutes=REPORTS - n),
        }
        for n in range(REPORTS)
    ]


async def until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")


def desk_config(tmp_path: Path, text: str) -> Path:
    """A rule "harbour" for the channel "desk", and a config.toml: storage, rules, `text`."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(
        '[[rule]]\nname = "harbour"\nquery = "harbour"\nchannels = ["desk"]\n', encoding="utf-8"
    )
    path = tmp_path / "config.toml"
    path.write_text('[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n' + text, "utf-8")
    return path


def write_config(tmp_path: Path, url: str) -> Path:
    return desk_config(
        tmp_path,
        '[defaults]\nburst_limit = 100\n'  # thirty alerts, each its own message
        '[service]\ndelivery_check = "0.2s"\nadmin_channel = "admin"\n'
        '[channel.desk]\ntype = "console"\n[channel.admin]\ntype = "console"\n'
        f'[[feed]]\nurl = "{url}"\nname = "Port"\ninterval = "1s"\n',
    )


async def test_a_full_database_degrades_the_service_which_recovers_by_itself(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.INFO)
    printed: list[str] = []

    def console() -> str:  # what the console channels printed so far
        printed.append(capsys.readouterr().out)
        return "".join(printed)

    with FeedServer() as server:
        server.set("/port.xml", rss([]))
        path = write_config(tmp_path, server.url("/port.xml"))
        service, app = service_for(
            path, delivery_check=timedelta(seconds=0.2), http="127.0.0.1:0"
        )
        service.storage.retry_every = timedelta(seconds=0.2)
        db = app.store.db
        running = asyncio.ensure_future(service.run())
        try:
            feed_url = app.feeds[0].url
            await until(lambda: app.store.feed_state(feed_url, "Port").backlog_done, "backlog")
            # The database may grow no more; then the feed brings thirty matching reports.
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages}")
            server.set("/port.xml", rss(reports()))
            await until(lambda: service.storage.failing, "the storage failure noticed")
            health = service.health()  # what STATUS= says
            assert not health.healthy
            assert any("cannot be written" in p and "full" in p for p in health.problems)
            assert service.endpoint is not None
            async with httpx.AsyncClient() as client:
                probe = await client.get(f"http://127.0.0.1:{service.endpoint.port}/healthz")
            assert probe.status_code == 503 and "cannot be written" in probe.text
            # What `watcher status` (another process) reads: recorded, the database took it.
            record = read_state(Store(app.store.path).db)
            assert record.storage_failing_since is not None
            assert "full" in (record.storage_error or "")
            # Space comes back: no restart, every alert arrives, the incident is over.
            db.execute("PRAGMA max_page_count = 1073741823")
            links = [f"<https://port.example/{n}>" for n in range(REPORTS)]
            await until(lambda: all(link in console() for link in links), "every alert")
            await until(lambda: "takes writes again" in console(), "the notice resolved")
            assert service.health().healthy
        finally:
            service.stop()
            assert await running == 0
            await app.aclose()
    text = console()
    assert text.count("=== [admin]") == 2  # one notice when it started, one when it ended
    assert text.count("cannot be written") == 1
    assert all(text.count(link) == 1 for link in links)  # each alert once
    assert "FOREIGN KEY" not in caplog.text
    assert sum("storage failing" in r.message for r in caplog.records) == 1
    assert read_state(Store(app.store.path).db).storage_failing_since is None


def test_a_rolled_back_ingest_leaves_no_story_in_the_index(tmp_path: Path) -> None:
    """The unit of it: a failing transaction takes the index's new stories with it."""
    store = Store(tmp_path / "w.db")
    pipeline = Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # never fetches here
        index=StoryIndex(),
        rules=load_rules([]),
        clock=utc_now,
        rng=random.Random(1),
    )
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    items = [
        Item(
            key=f"guid:{n}", feed_url="https://f.example/", feed_name="F",
            link=f"https://f.example/{n}", title=f"Harbour crane {n} collapses in storm",
            summary="Harbour crane collapses", published=now, content_hash=f"h{n}", guid=str(n),
        )
        for n in range(3)
    ]  # fmt: skip
    calls = 0
    real_add = store.add_item

    def add_then_fail(*args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise StorageError("SQLite: database or disk is full")
        real_add(*args, **kwargs)  # type: ignore[arg-type]

    store.add_item = add_then_fail  # type: ignore[method-assign]
    with pytest.raises(StorageError):
        pipeline.ingest(items, now, alert=False)
    assert len(pipeline.index) == 0
    store.add_item = real_add  # type: ignore[method-assign]
    report = pipeline.ingest(items, now, alert=False)  # no foreign key failure
    assert report.new_items == 3
    store.close()
