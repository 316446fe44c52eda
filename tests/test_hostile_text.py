"""Feed text that must not reach the desk raw: NUL and other control characters, ANSI escape
sequences, bidi overrides and isolates. Cleaned when an item is normalized (so what is stored is
clean) and again when an alert is rendered (a row stored before the fix may still hold them)."""

from __future__ import annotations

import io
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fakes.feed_server import FeedServer, json_feed
from watcher.channels.console import ConsoleChannel
from watcher.fetch import Fetcher
from watcher.model import Alert, Feed, ParsedEntry, Story, StoryItem, Tier
from watcher.normalize import html_to_text, normalize_entry, strip_controls
from watcher.pipeline import Pipeline
from watcher.render import render_plain, render_slack, render_telegram
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.stories import StoryIndex

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FEED = Feed("https://outlet.example/feed", "Outlet", timedelta(minutes=5))
# NUL, a terminal "clear screen" and colour, a window-title OSC, a bell, C1 CSI, and a
# right-to-left override that shows "exe.pdf" as "fdp.exe".
DIRTY = (
    "Port\x00 strike \x1b[2J\x1b[31mends\x1b[0m \x1b]0;pwned\x07today\x07 \x9b"
    "1m \u202eexe.pdf\u202c \u2066isolated\u2069"
)
CLEAN = "Port strike ends today 1m exe.pdf isolated"
# Anything a terminal or a chat client would act on rather than show.
UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_strip_controls_keeps_text_and_whitespace() -> None:
    assert " ".join(strip_controls(DIRTY).split()) == CLEAN
    assert strip_controls("tab\there\nnew line") == "tab\there\nnew line"
    assert strip_controls("العربية and עברית stay") == "العربية and עברית stay"


def test_normalize_stores_clean_text() -> None:
    entry = ParsedEntry(
        guid="g1",
        link="https://outlet.example/1",
        title=DIRTY,
        summary=f"<p>{DIRTY}</p><p>second&#0; line</p>",
        content=None,
        published=WHEN,
        updated=None,
    )
    item = normalize_entry(entry, feed=FEED, fetched_at=WHEN)
    assert item is not None
    assert item.title == CLEAN
    assert not UNSAFE.search(item.summary) and item.summary.startswith(CLEAN)
    assert html_to_text("a&#27;[31mb") == "a[31mb"  # a decoded ESC is dropped too


def test_render_cleans_text_stored_before() -> None:
    source = StoryItem("k", "https://outlet.example/1\x1b[0m", DIRTY, DIRTY, WHEN, Tier.NEW, 1.0)
    story = Story(1, DIRTY, WHEN, WHEN, (source,))
    alert = Alert(story=story, rules=("port",), terms=("port",))
    for text in (render_telegram(alert), render_slack(alert), render_plain(alert)):
        assert not UNSAFE.search(text), repr(text)
        assert CLEAN in " ".join(text.split())


async def test_a_hostile_json_feed_reaches_the_console_clean(tmp_path: Path) -> None:
    """JSON Feed carries \\u0000 and \\u001b legally: they must not reach the terminal."""
    store = Store(tmp_path / "w.db")
    fetcher = Fetcher(user_agent="watcher-test", timeout=3.0)
    pipeline = Pipeline(
        store=store,
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RuleSet([Rule("port", "port", ("desk",))], load_entities([])),
        clock=lambda: WHEN,
        rng=random.Random(1),
    )
    try:
        with FeedServer() as server:
            feed = Feed(server.url("/feed.json"), "Outlet", timedelta(minutes=5))
            first = {"id": "1", "url": "https://outlet.example/1", "title": "Quiet day"}
            server.set("/feed.json", json_feed([first]), content_type="application/feed+json")
            await pipeline.poll(feed)
            hostile = {"id": "2", "url": "https://outlet.example/2", "title": DIRTY}
            body = json_feed([hostile, first])
            server.set("/feed.json", body, content_type="application/feed+json")
            assert (await pipeline.poll(feed)).ingest.new_alerts == 1
        (delivery,) = store.pending_deliveries()
        story = store.story(delivery.story_id)
        assert story is not None and story.title == CLEAN
        out = io.StringIO()
        await ConsoleChannel("desk", stream=out).send(Alert(story, ("port",)))
        assert not UNSAFE.search(out.getvalue()) and CLEAN in out.getvalue()
    finally:
        await fetcher.aclose()
        store.close()
