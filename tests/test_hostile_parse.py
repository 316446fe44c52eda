"""Entity tricks and slow parses (issue 13, item 2).

A "quadratic blowup" defines one big entity and references it many times: no entity is built
of entities, so a nested-entity guard misses it, and feedparser expands every reference. Any
entity declaration beyond the XML built-ins is refused as not a feed, however it is dressed up
(a comment or processing instruction before the DOCTYPE, spacing, case, parameter entities,
another encoding). And a parse runs off the event loop: the loop keeps ticking while one runs.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher.errors import NotAFeedError
from watcher.fetch import Fetcher
from watcher.model import Feed, ParsedFeed
from watcher.parse import parse_feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BIG = "x" * 100_000
ITEM = '<rss version="2.0"><channel><title>t</title><item><title>{}</title>' \
       "<link>https://evil.example/1</link></item></channel></rss>"  # fmt: skip


def blowup(doctype: str, refs: int = 50, declaration: str = '<?xml version="1.0"?>') -> str:
    return declaration + doctype + ITEM.format("&big;" * refs)


HOSTILE = {
    "plain": blowup(f'<!DOCTYPE rss [<!ENTITY big "{BIG}">]>'),
    "comment first": blowup(f'<!-- <x --><!DOCTYPE rss [<!ENTITY big "{BIG}">]>'),
    "instruction first": blowup(
        f'<?xml-stylesheet href="a.xsl" <y ?><!DOCTYPE rss [<!ENTITY big "{BIG}">]>'
    ),
    "spacing": blowup(f"\n<!DOCTYPE rss [\n  <!ENTITY\n\tbig\n  '{BIG}'  >\n]>\n"),
    "lower case": blowup(f'<!doctype rss [<!entity big "{BIG}">]>'),
    "space after <!": blowup(f'<!DOCTYPE rss [<! ENTITY big "{BIG}">]>'),
    "parameter entity": blowup(
        f"<!DOCTYPE rss [<!ENTITY % decl \"<!ENTITY big '{BIG}'>\"> %decl;]>"
    ),
    "quoted > in the DOCTYPE": blowup(
        f'<!DOCTYPE rss SYSTEM "a>b.dtd" [<!-- ] > --><!ENTITY big "{BIG}">]>'
    ),
    "external (XXE)": blowup('<!DOCTYPE rss [<!ENTITY big SYSTEM "file:///etc/passwd">]>', 1),
    "built-in name, big value": blowup(f'<!DOCTYPE rss [<!ENTITY amp "{BIG}">]>'),
    "no XML declaration": blowup(f'<!DOCTYPE rss [<!ENTITY big "{BIG}">]>', declaration=""),
}
ENCODED = {
    "utf-16": blowup(
        f'<!DOCTYPE rss [<!ENTITY big "{BIG}">]>',
        declaration='<?xml version="1.0" encoding="utf-16"?>',
    ).encode("utf-16"),
    "utf-7, hidden": blowup(
        f'<!DOCTYPE rss [+ADw-!ENTITY big "{BIG}">]>',
        declaration='<?xml version="1.0" encoding="utf-7"?>',
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_entity_declarations_are_refused_however_written(name: str) -> None:
    with pytest.raises(NotAFeedError, match="declares XML entities"):
        parse_feed(HOSTILE[name].encode(), url="https://evil.example/feed")


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_entity_declarations_in_other_encodings_are_refused(name: str) -> None:
    with pytest.raises(NotAFeedError, match="declares XML entities"):
        parse_feed(ENCODED[name], url="https://evil.example/feed")


def test_harmless_doctypes_and_quoted_markup_still_parse() -> None:
    netscape = (
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        ' "http://my.netscape.com/publish/formats/rss-0.91.dtd">' + ITEM.format("Old but fine")
    )
    builtin = '<!DOCTYPE rss [<!ENTITY amp "&#38;#38;">]>' + ITEM.format("Tom &amp; Jerry")
    # A security blog quoting an attack inside an item is news, not an attack.
    quoted = rss(
        [{"title": "How XXE works", "link": "https://blog.example/xxe",
          "description": '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'}]
    )  # fmt: skip
    cdata = ITEM.format('<![CDATA[<!ENTITY big "boom">]]>')
    for body in (netscape.encode(), builtin.encode(), quoted, cdata.encode()):
        parsed = parse_feed(body, url="https://ok.example/feed")
        assert len(parsed.entries) == 1


class GatedParse(Pipeline):
    """A parse that cannot finish until the event loop has ticked while it runs."""

    parsing = threading.Event()
    loop_ticked = threading.Event()

    def parse(
        self, feed: Feed, body: bytes, url: str | None = None, content_type: str | None = None
    ) -> ParsedFeed:
        self.parsing.set()
        # On the loop's own thread this would wait in vain: the loop cannot tick meanwhile.
        assert self.loop_ticked.wait(timeout=10), "the event loop was blocked by the parse"
        return super().parse(feed, body, url, content_type)


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    built = Fetcher(user_agent="watcher-test", timeout=5.0, max_bytes=4 * 1024 * 1024)
    yield built
    await built.aclose()


def pipeline(cls: type[Pipeline], tmp_path: Path, fetcher: Fetcher) -> Pipeline:
    return cls(
        store=Store(tmp_path / "w.db"),
        fetcher=fetcher,
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: NOW,
        rng=random.Random(3),
    )


async def test_the_loop_keeps_ticking_while_a_feed_is_parsed(
    tmp_path: Path, fetcher: Fetcher
) -> None:
    gated = pipeline(GatedParse, tmp_path, fetcher)
    GatedParse.parsing.clear()
    GatedParse.loop_ticked.clear()
    with FeedServer() as server:
        server.set("/feed", rss([{"title": "Slow one", "link": "https://slow.example/1"}]))
        feed = Feed(server.url("/feed"), "slow", timedelta(minutes=5))
        poll = asyncio.create_task(gated.poll(feed))
        while not GatedParse.parsing.is_set():
            await asyncio.sleep(0.01)
        for _ in range(3):  # the loop runs other work while the parse is under way
            await asyncio.sleep(0)
        GatedParse.loop_ticked.set()
        report = await poll
    assert report.outcome == "backlog" and report.ingest.new_items == 1


async def test_a_quadratic_blowup_feed_fails_beside_a_good_one(
    tmp_path: Path, fetcher: Fetcher
) -> None:
    plain = pipeline(Pipeline, tmp_path, fetcher)
    with FeedServer() as server:
        server.set("/blowup", HOSTILE["comment first"].encode())
        server.set("/good", rss([{"title": "Good news", "link": "https://good.example/1"}]))
        bad = Feed(server.url("/blowup"), "blowup", timedelta(minutes=5))
        good = Feed(server.url("/good"), "good", timedelta(minutes=5))
        reports = await asyncio.gather(plain.poll(bad), plain.poll(good))
    assert [r.outcome for r in reports] == ["error", "backlog"]
    state = plain.store.feed_state(bad.url, bad.name)
    assert state.error_count == 1 and "declares XML entities" in (state.last_error or "")
    stored = [item.title for item, _ in plain.store.items_since(NOW - timedelta(days=3650))]
    assert stored == ["Good news"]
    plain.store.close()
