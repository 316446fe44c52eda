"""Real-world and odd inputs through parse + normalize: only NotAFeedError may come out.

Uses ../shared/data (feedparser's own test corpus and real news-feed snapshots); skips when absent.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.errors import NotAFeedError
from watcher.model import Feed, Item
from watcher.normalize import normalize_feed
from watcher.parse import parse_feed

SHARED = Path(__file__).resolve().parents[2] / "shared"
FEEDPARSER_TESTS = SHARED / "data" / "feedparser-tests" / "tests"
SNAPSHOTS = SHARED / "data" / "rss-headlines-gesab001"
FEED = Feed(url="http://example.org/feed.xml", name="corpus", interval=timedelta(minutes=5))
FETCHED = datetime(2026, 1, 25, 12, 0, tzinfo=UTC)
SAMPLE_EVERY = 20


def _ingest(body: bytes) -> list[Item]:
    parsed = parse_feed(body, url=FEED.url)
    return normalize_feed(parsed, feed=FEED, fetched_at=FETCHED)


def _check_items(items: list[Item]) -> None:
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys))
    for item in items:
        assert item.key.startswith(("guid:", "url:", "hash:"))
        assert item.link == "" or item.link.startswith(("http://", "https://"))
        assert item.published.tzinfo is not None and item.published.utcoffset() == timedelta(0)
        assert item.published <= FETCHED + timedelta(days=1)
        assert "\n" not in item.title
        assert item.title or item.summary or item.link


def _corpus_files() -> list[Path]:
    if not FEEDPARSER_TESTS.is_dir():
        return []
    return sorted(p for p in FEEDPARSER_TESTS.rglob("*") if p.is_file())


def test_every_feedparser_corpus_file_parses_or_is_not_a_feed() -> None:
    files = _corpus_files()
    if not files:
        pytest.skip(f"{FEEDPARSER_TESTS} is absent")
    read = refused = 0
    for path in files:
        try:
            items = _ingest(path.read_bytes())
        except NotAFeedError:
            refused += 1
            continue
        _check_items(items)
        read += 1
    # Refused are the empty document and item-less CDF channels; a jump means a regression.
    assert refused <= 0.01 * len(files), f"{refused} of {len(files)} files refused"
    assert read + refused == len(files)


@dataclass(frozen=True)
class Snapshot:
    feed: str
    path: Path
    raw_bytes: int
    n_entries: int
    bozo: bool


def _snapshots() -> Iterator[Snapshot]:
    with (SNAPSHOTS / "index.csv").open(newline="") as index:
        for row in csv.DictReader(index):
            yield Snapshot(
                feed=row["feed"],
                path=SNAPSHOTS / row["file"],
                raw_bytes=int(row["raw_bytes"]),
                n_entries=int(row["n_entries"]),
                bozo=row["bozo"] == "1",
            )


@pytest.fixture(scope="module")
def snapshots() -> list[Snapshot]:
    if not (SNAPSHOTS / "index.csv").is_file():
        pytest.skip(f"{SNAPSHOTS} is absent")
    return list(_snapshots())


def test_sample_of_real_snapshots_replays(snapshots: list[Snapshot]) -> None:
    sample = snapshots[::SAMPLE_EVERY]
    for snap in sample:
        body = gzip.decompress(snap.path.read_bytes())
        if snap.n_entries == 0:
            continue  # broken captures: the next test
        items = _ingest(body)
        _check_items(items)
        # Every entry feedparser saw becomes an item, but for repeats inside one snapshot.
        assert 0 < len(items) <= snap.n_entries, snap.path.name


def test_broken_real_captures_are_not_a_feed(snapshots: list[Snapshot]) -> None:
    empty = [s for s in snapshots if s.raw_bytes == 0]
    html_pages = [s for s in snapshots if s.feed == "latimes" and s.bozo and s.n_entries == 0]
    assert empty and html_pages
    for snap in empty:
        with pytest.raises(NotAFeedError, match="empty body"):
            _ingest(gzip.decompress(snap.path.read_bytes()))
    for snap in html_pages[::5]:
        with pytest.raises(NotAFeedError, match=r"HTML page \(title: ERROR"):
            _ingest(gzip.decompress(snap.path.read_bytes()))


def test_valid_channels_without_items_are_feeds(snapshots: list[Snapshot]) -> None:
    no_items = [s for s in snapshots if s.n_entries == 0 and s.raw_bytes > 0 and not s.bozo]
    assert no_items
    for snap in no_items[:10]:
        assert _ingest(gzip.decompress(snap.path.read_bytes())) == []
