"""Reading a feed for a poll: fetch -> parse -> normalize, into the entries not yet taken.

`FeedReader.read` asks the server for one feed's body (conditional GET, where a permanent
redirect moved it), and when there is a new body, parses and normalizes it in a worker thread
into a `FeedRead`: the items pipeline.py hands to ingest.py. A 304 or a body byte for byte as
the last one is `Unchanged`, nothing to take. FeedError (a fetch failure, a body that is no
feed) goes up to the caller, which records it on the feed.

The reader also holds what is remembered of each feed's last body (lost on restart), so the
next body is not parsed or looked up again where it repeats it: the hashes of its item
elements (unchanged.py, read by parse.py) and the fingerprints of its entries. It is kept
once the body's items are stored (`remember`). Recording the poll on the feed (its state,
backoff, notices) is not the reader's: pipeline.py does that with feed_policy.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from watcher.fetch_urls import without_credentials
from watcher.model import BodyPrints, Feed, FeedState, FetchResult, Item, ParsedFeed
from watcher.normalize import normalize_feed
from watcher.parse import parse_feed
from watcher.redact import redact

log = logging.getLogger("watcher.pipeline")

# parse_feed with a feed's memory: (feed, body, url, content_type) -> ParsedFeed
Parse = Callable[[Feed, bytes, str | None, str | None], ParsedFeed]


class FeedFetcher(Protocol):
    """What polling asks of fetch.Fetcher (assembly.NoFetcher for a pipeline that only ingests)."""

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = ...,
        last_modified: str | None = ...,
        credentials_of: str | None = ...,
    ) -> FetchResult: ...


@dataclass(frozen=True, slots=True)
class FeedRead:
    """A feed's new body, fetched, parsed and normalized; its items not yet ingested."""

    feed: Feed
    state: FeedState  # as before the poll, but for where a permanent redirect moved it
    result: FetchResult  # without its body
    started: datetime
    body_hash: str
    items: list[Item]  # the entries not exactly as the last body held them, normalized
    entries: int  # all the body held (`entries`)
    ttl: timedelta | None
    body_prints: BodyPrints | None  # of its item elements, to remember once they are stored
    prints: array[int]  # fingerprints of its entries, likewise


@dataclass(frozen=True, slots=True)
class Unchanged:
    """The server answered with nothing new to take: a 304, or the last body again."""

    outcome: str  # "not-modified" or "unchanged"
    state: FeedState  # as before the poll, but for where a permanent redirect moved it
    result: FetchResult
    body_hash: str | None  # the body's, to record (the state's own on a 304)


class FeedReader:
    """Reads feeds through `fetcher`, remembering each feed's last body."""

    def __init__(self, fetcher: FeedFetcher) -> None:
        self.fetcher = fetcher
        self._last_entries: dict[str, array[int]] = {}  # fingerprints of each feed's last body
        self._last_bodies: dict[str, BodyPrints] = {}  # its item elements' hashes (unchanged.py)

    def forget(self, urls: Collection[str]) -> None:
        """Drop what is remembered of feeds no longer followed (their last bodies' prints)."""
        for url in urls:
            self._last_entries.pop(url, None)
            self._last_bodies.pop(url, None)

    async def read(
        self, feed: Feed, state: FeedState, now: datetime, parse: Parse
    ) -> FeedRead | Unchanged:
        """Fetch the feed's body and read it with `parse` (the pipeline's `parse`, which is
        this reader's unless a subclass of the pipeline wraps it); FeedError goes up."""
        result = await self.fetcher.fetch(
            state.moved_to or feed.url,
            etag=state.etag,
            last_modified=state.last_modified,
            credentials_of=feed.url,  # Basic auth to its origin, wherever it moved
        )
        state = replace(state, moved_to=self._moved_to(feed, state, result))
        if result.not_modified or result.body is None:
            return Unchanged("not-modified", state, result, state.body_hash)
        body_hash = hashlib.blake2b(result.body, digest_size=16).hexdigest()
        if body_hash == state.body_hash:
            # Many servers ignore conditional GET; an identical body is not parsed again.
            return Unchanged("unchanged", state, result, body_hash)
        parsed, items, prints = await self._parsed(feed, result, now, parse)
        return FeedRead(
            feed, state, replace(result, body=None), now, body_hash, items, entries(parsed),
            parsed.ttl, parsed.prints, prints,
        )  # fmt: skip

    async def _parsed(
        self, feed: Feed, result: FetchResult, now: datetime, parse: Parse
    ) -> tuple[ParsedFeed, list[Item], array[int]]:
        """parse -> normalize; NotAFeedError (an HTML page, an empty body) goes up.

        Parsing and normalizing are pure and can take seconds on a big body (feedparser reads
        ~1 MB/s): they run in a worker thread, so the loop keeps polling, delivering and
        pinging the watchdog meanwhile. Their cost is bounded by the body cap ([fetch]
        max_bytes) and by parse.py refusing entity declarations, whose expansion is not.
        """
        assert result.body is not None
        parsed = await asyncio.to_thread(parse, feed, result.body, result.url, result.content_type)
        if parsed.bozo:
            # Malformed, but feedparser recovered entries: they are used (a real feed's
            # stray "&" must not hide its news).
            log.info("feed malformed but usable feed=%s error=%s", feed.name, parsed.bozo_message)
        items, prints = await asyncio.to_thread(self.fresh_items, feed, parsed, now)
        return parsed, items, prints

    def parse(
        self, feed: Feed, body: bytes, url: str | None = None, content_type: str | None = None
    ) -> ParsedFeed:
        """parse_feed with what the feed's last ingested body left: its unchanged items are
        not parsed again. Relative links resolve against `url` (default: the feed's URL).
        NotAFeedError goes up."""
        last = self._last_bodies.get(feed.url)
        base = feed.url if url is None else url
        return parse_feed(body, url=base, content_type=content_type, last=last)

    def fresh_items(
        self, feed: Feed, parsed: ParsedFeed, now: datetime
    ) -> tuple[list[Item], array[int]]:
        """The entries not exactly as the feed's last body held them, normalized; and the
        fingerprints of all, to remember once they are ingested. Pure: runs in a thread.

        A changed body mostly repeats the last one's entries; those were ingested then, so
        they are not normalized and looked up again (~30 µs each). The memory is a sorted
        array of 8-byte fingerprints per feed, lost on restart (then every entry is looked at).
        (Most repeated items never get here: `parse` leaves out the item elements the last
        body held byte for byte. What is remembered for that is kept only once the body's
        items are in the store.)
        """
        prints = [hash(entry) for entry in parsed.entries]
        before = self._last_entries.get(feed.url)
        if before is not None:
            fresh = tuple(e for e, h in zip(parsed.entries, prints, strict=True)
                          if not _holds(before, h))  # fmt: skip
            parsed = replace(parsed, entries=fresh)
        return normalize_feed(parsed, feed=feed, fetched_at=now), array("q", sorted(set(prints)))

    def remember(self, feed: Feed, body_prints: BodyPrints | None, prints: array[int]) -> None:
        """What the next body of the feed need not parse or look up again (it is stored)."""
        self._last_entries[feed.url] = prints
        if body_prints is None:
            self._last_bodies.pop(feed.url, None)
        else:
            self._last_bodies[feed.url] = body_prints

    def _moved_to(self, feed: Feed, state: FeedState, result: FetchResult) -> str | None:
        target = result.permanent_redirect
        if target is None or target == state.moved_to:
            return state.moved_to
        log.warning(
            "feed moved permanently feed=%s url=%s from=%s to=%s (polls follow it; "
            "update config.toml to make it the feed's address)",
            feed.name,
            redact(feed.url),
            redact(state.moved_to or feed.url),
            target,
        )
        return None if target == without_credentials(feed.url) else target


def entries(parsed: ParsedFeed) -> int:
    """How many entries the body held: those parsed and those left unparsed as unchanged."""
    return len(parsed.entries) + parsed.unchanged


def _holds(fingerprints: array[int], value: int) -> bool:
    at = bisect_left(fingerprints, value)
    return at < len(fingerprints) and fingerprints[at] == value
