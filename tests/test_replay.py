"""Replaying saved feed files through the real pipeline: identity, backlog, gzip, non-feeds.

The last test replays a sample of real snapshots from ../shared (skipped when absent).
"""

from __future__ import annotations

import csv
import gzip
import logging
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from tests.fakes.feed_server import rss
from watcher.errors import UnreadableFileError
from watcher.files import read_feed_file
from watcher.model import Feed, ParsedFeed
from watcher.pipeline import Pipeline
from watcher.replay import Replayer, capture_time, find_feed
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SNAPSHOTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "rss-headlines-gesab001"
HARBOUR = Feed("https://harbour.example/rss", "Harbour Gazette", timedelta(minutes=5))


HEADLINES = {
    1: "Port strike ends after pay deal",
    2: "New ferry route to the islands opens in May",
    3: "Council votes to dredge the port channel",
    4: "Storm closes harbour bridge overnight",
}


def harbour(*ids: int, title: str = "Harbour Gazette") -> bytes:
    return rss(
        [
            {"title": HEADLINES[i], "link": f"https://harbour.example/{i}", "guid": f"h{i}"}
            for i in ids
        ],
        title=title,
        link="https://harbour.example/",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "w.db")
    yield opened
    opened.close()


def pipeline_for(store: Store, rules: RuleSet | None = None) -> Pipeline:
    return Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # replay never fetches
        index=StoryIndex(),
        rules=rules
        or RuleSet([Rule("any", "port OR ferry OR harbour", ("desk",))], load_entities([])),
        clock=lambda: NOW,
        rng=random.Random(1),
    )


def write(folder: Path, name: str, body: bytes, *, at: datetime = NOW) -> Path:
    """A saved feed file captured `at` (its modification time; gzip's own time left unset)."""
    path = folder / name
    path.write_bytes(gzip.compress(body, mtime=0) if name.endswith(".gz") else body)
    os.utime(path, (at.timestamp(), at.timestamp()))
    return path


def test_first_file_is_backlog_later_files_alert(tmp_path: Path, store: Store) -> None:
    files = [
        write(tmp_path, "1.xml", harbour(1, 2)),
        write(tmp_path, "2.xml.gz", harbour(1, 2, 3)),
        write(tmp_path, "3.xml", harbour(2, 3, 4)),
    ]
    replayer = Replayer(pipeline_for(store), [HARBOUR])
    outcomes = [replayer.replay_file(p) for p in files]
    assert [o.outcome if o else None for o in outcomes] == ["backlog", "new", "new"]
    assert [o.ingest.new_alerts if o else None for o in outcomes] == [0, 1, 1]
    report = replayer.report
    assert (report.files, report.backlog_files, report.ingest.new_items) == (3, 1, 4)
    assert report.feeds == {"Harbour Gazette"}
    state = store.feed_state(HARBOUR.url, HARBOUR.name)
    # Replay marks the backlog read and nothing else: live polling keeps its own record.
    assert state.backlog_done and state.last_poll is None and state.etag is None


def test_alert_backlog_alerts_the_first_file(tmp_path: Path, store: Store) -> None:
    replayer = Replayer(pipeline_for(store), [], alert_backlog=True)
    report = replayer.run([write(tmp_path, "1.xml", harbour(1, 2))])
    assert report.backlog_files == 0 and report.ingest.new_alerts == 2


def test_identity_from_title_link_or_given_feed(tmp_path: Path, store: Store) -> None:
    pipeline = pipeline_for(store)
    by_title = Replayer(pipeline, [HARBOUR])
    by_title.replay_file(write(tmp_path, "a.xml", harbour(1)))
    linked = Feed("https://harbour.example/", "Harbour by link", timedelta(minutes=5))
    by_link = Replayer(pipeline, [linked])
    by_link.replay_file(write(tmp_path, "b.xml", harbour(2, title="Renamed")))
    unknown = Replayer(pipeline, [])
    other = harbour(3, title="Someone Else").replace(
        b"https://harbour.example/<", b"https://else.example/<"
    )
    unknown.replay_file(write(tmp_path, "c.xml", other))
    given = Replayer(pipeline, [HARBOUR], feed=HARBOUR)
    given.replay_file(write(tmp_path, "d.xml", harbour(4, title="Whatever")))

    assert {(s.url, s.name) for s in store.feed_states()} == {
        (HARBOUR.url, HARBOUR.name),
        ("https://harbour.example/", "Harbour by link"),
        ("https://else.example/", "Someone Else"),  # unknown: keyed by its channel link
    }
    owners = {i.title: i.feed_name for s in store.recent_stories() for i in s.items}
    assert owners[HEADLINES[1]] == owners[HEADLINES[4]] == "Harbour Gazette"
    assert owners[HEADLINES[2]] == "Harbour by link"
    assert owners[HEADLINES[3]] == "Someone Else"


def test_not_a_feed_is_reported_and_skipped(tmp_path: Path, store: Store) -> None:
    replayer = Replayer(pipeline_for(store), [HARBOUR])
    page = write(tmp_path, "page.html", b"<html><head><title>403 ERROR</title></head></html>")
    empty = write(tmp_path, "empty.xml.gz", b"")
    report = replayer.run([page, empty, write(tmp_path, "ok.xml", harbour(1))])
    assert report.files == 3 and report.ingest.new_items == 1
    assert [why for _, why in report.not_feeds] == [
        "not a feed: got an HTML page (title: 403 ERROR)",
        "not a feed: empty body",
    ]


def test_a_skipped_file_is_reported_once(
    tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """The report lists it (the command prints that); the log does not say it again."""
    caplog.set_level(logging.INFO)
    replayer = Replayer(pipeline_for(store), [HARBOUR])
    report = replayer.run([write(tmp_path, "page.html", b"<html><title>Oops</title></html>")])
    assert len(report.not_feeds) == 1
    assert not [r for r in caplog.records if "page.html" in r.getMessage()]


def test_feed_names_are_unescaped(tmp_path: Path, store: Store) -> None:
    replayer = Replayer(pipeline_for(store), [])
    replayer.run([write(tmp_path, "nyt.xml", harbour(1, title="NYT > U.S. News"))])
    assert replayer.report.feeds == {"NYT > U.S. News"}
    assert [s.name for s in store.feed_states()] == ["NYT > U.S. News"]
    assert store.recent_stories()[0].items[0].feed_name == "NYT > U.S. News"


def test_capture_time_from_name_gzip_header_or_mtime(tmp_path: Path) -> None:
    named = write(tmp_path, "20200421T004301Z_9562ee23.xml.gz", harbour(1))
    assert capture_time(named, named.read_bytes()) == datetime(2020, 4, 21, 0, 43, 1, tzinfo=UTC)
    stamped = tmp_path / "bbc.xml.gz"
    stamped.write_bytes(gzip.compress(harbour(1), mtime=1_600_000_000))
    assert capture_time(stamped, stamped.read_bytes()) == datetime.fromtimestamp(1_600_000_000, UTC)
    plain = write(tmp_path, "bbc.xml", harbour(1), at=NOW - timedelta(days=300))
    assert capture_time(plain, plain.read_bytes()) == NOW - timedelta(days=300)


def test_undated_items_get_the_snapshot_capture_time(tmp_path: Path, store: Store) -> None:
    """Not the replay's own date: undated items of an old snapshot join their day's stories."""
    body = rss([{"title": "Port strike ends", "link": "https://harbour.example/1"}])
    replayer = Replayer(pipeline_for(store), [HARBOUR], feed=HARBOUR)
    replayer.run([write(tmp_path, "20200421T004301Z_abc.xml.gz", body)])
    (item,) = store.recent_stories()[0].items
    assert item.published == datetime(2020, 4, 21, 0, 43, 1, tzinfo=UTC)


def test_find_feed_and_read_feed_file(tmp_path: Path) -> None:
    assert find_feed([HARBOUR], "harbour gazette") is HARBOUR
    assert find_feed([HARBOUR], HARBOUR.url) is HARBOUR
    assert find_feed([HARBOUR], "nope") is None
    body = harbour(1)
    assert read_feed_file(write(tmp_path, "x.gz", body), 4096) == body
    assert read_feed_file(write(tmp_path, "x.xml", body), 4096) == body


class RecordingPipeline(Pipeline):
    """Records how many unchanged items each parse left out, by the feed it parsed as."""

    parses: list[tuple[str, int]]

    def parse(
        self, feed: Feed, body: bytes, url: str | None = None, content_type: str | None = None
    ) -> ParsedFeed:
        parsed = super().parse(feed, body, url, content_type)
        self.parses.append((feed.url, parsed.unchanged))
        return parsed


def recording(store: Store) -> RecordingPipeline:
    built = RecordingPipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # replay never fetches
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: NOW,
        rng=random.Random(1),
    )
    built.parses = []
    return built


def test_a_feeds_next_file_skips_its_unchanged_items_without_feed(
    tmp_path: Path, store: Store
) -> None:
    """Without --feed, a file that looks like a feed met earlier is parsed as its next body."""
    pipeline = recording(store)
    replayer = Replayer(pipeline, [])
    replayer.run(
        [write(tmp_path, "1.xml", harbour(1, 2)), write(tmp_path, "2.xml", harbour(1, 2, 3))]
    )
    assert pipeline.parses == [("https://harbour.example/", 2)]  # the first file: parsed whole
    assert (replayer.report.entries, replayer.report.ingest.new_items) == (5, 3)
    assert replayer.report.feeds == {"Harbour Gazette"}


def test_a_wrong_guess_of_the_feed_is_parsed_again_whole(tmp_path: Path, store: Store) -> None:
    """Two outlets whose bodies start alike (the same logo <image> before the channel title)
    and carry byte-identical items with feed-scoped guids: each keeps its own item."""
    logo = b"<channel><image><title>Logo</title><link>https://cdn.example/</link></image>"

    def outlet(title: str, link: str) -> bytes:
        body = rss([{"title": "Tide tables for March", "guid": "7"}], title=title, link=link)
        return body.replace(b"<channel>", logo)

    pipeline = recording(store)
    replayer = Replayer(pipeline, [], alert_backlog=True)
    replayer.run(
        [
            write(tmp_path, "a.xml", outlet("Harbour Gazette", "https://harbour.example/")),
            write(tmp_path, "b.xml", outlet("Quay Times", "https://quay.example/")),
        ]
    )
    assert pipeline.parses == [("https://harbour.example/", 1)]  # the guess, dropped
    assert replayer.report.feeds == {"Harbour Gazette", "Quay Times"}
    keys = [row[0] for row in store.db.execute("SELECT key FROM items ORDER BY key")]
    assert keys == ["guid:https://harbour.example/ 7", "guid:https://quay.example/ 7"]


def test_a_file_that_cannot_be_read_is_refused_never_blocking(tmp_path: Path, store: Store) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    replayer = Replayer(pipeline_for(store), [HARBOUR], max_bytes=4096)
    with pytest.raises(UnreadableFileError, match="not a regular file"):
        replayer.replay_file(fifo)
    broken = tmp_path / "broken.xml.gz"
    broken.write_bytes(gzip.compress(harbour(1))[:-12])  # cut short
    with pytest.raises(UnreadableFileError, match=r"broken\.xml\.gz: gzip file: "):
        replayer.replay_file(broken)
    bomb = write(tmp_path, "bomb.xml.gz", harbour(1) + b" " * 8192)  # 8 KB from ~1 KB
    with pytest.raises(UnreadableFileError, match="larger than 4 KB unpacked: not read"):
        replayer.replay_file(bomb)
    assert replayer.report.files == 0


# -- real snapshots --------------------------------------------------------------------------

SAMPLE_FEEDS = ("bbc", "fox", "latimes")  # fox has malformed snapshots, latimes HTML pages
PER_FEED = 20


def _sample() -> list[dict[str, str]]:
    if not (SNAPSHOTS / "index.csv").is_file():
        pytest.skip(f"{SNAPSHOTS} is absent")
    with (SNAPSHOTS / "index.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    taken: dict[str, int] = {}
    sample = []
    for row in rows:  # index order: time order across feeds
        if row["feed"] in SAMPLE_FEEDS and taken.get(row["feed"], 0) < PER_FEED:
            taken[row["feed"]] = taken.get(row["feed"], 0) + 1
            sample.append(row)
    return sample


def _distinct_entries(rows: list[dict[str, str]]) -> int:
    """Distinct entries by feedparser's own reading (id, else link, else title), per feed."""
    keys = set()
    for row in rows:
        doc = feedparser.parse(read_feed_file(SNAPSHOTS / row["file"], 10 << 20))
        for entry in doc.entries:
            key = entry.get("id") or entry.get("link") or entry.get("title")
            keys.add((row["feed"], key))
    return len(keys)


def test_a_sample_of_real_snapshots_replays(store: Store) -> None:
    rows = _sample()
    feeds = [Feed(f"https://{n}.example/rss", n, timedelta(minutes=10)) for n in SAMPLE_FEEDS]
    replayer = Replayer(pipeline_for(store, RuleSet.empty()), feeds)
    for row in rows:
        at = datetime.fromisoformat(row["captured_at_utc"].replace("Z", "+00:00"))
        replayer.feed = find_feed(feeds, row["feed"])
        replayer.replay_file(SNAPSHOTS / row["file"], at=at)
    report = replayer.report
    assert report.files == len(rows) == PER_FEED * len(SAMPLE_FEEDS)
    assert report.backlog_files == 3  # the first readable file of each feed
    assert len(report.not_feeds) >= 5  # latimes' CloudFront 403 pages
    stored = store.db.execute("SELECT count(*) FROM items").fetchone()[0]
    distinct = _distinct_entries(rows)
    assert stored == report.ingest.new_items
    # Not more than feedparser sees; fewer only by links shared across entries and feeds.
    assert 0.97 * distinct <= stored <= distinct, (stored, distinct)


def test_real_snapshots_replay_alike_with_or_without_their_feed_named(tmp_path: Path) -> None:
    """Guessing each file's feed to skip its unchanged items (no --feed) stores exactly what
    parsing every file whole stores."""
    rows = _sample()
    stored = []
    skipping = None
    for whole in (True, False):
        store = Store(tmp_path / f"{whole}.db")
        skipping = recording(store)
        replayer = Replayer(skipping, [], whole_bodies=whole)
        for row in rows:
            at = datetime.fromisoformat(row["captured_at_utc"].replace("Z", "+00:00"))
            replayer.replay_file(SNAPSHOTS / row["file"], at=at)
        items = store.db.execute("SELECT key, feed_url, story_id, tier FROM items ORDER BY key")
        stored.append((replayer.report.summary(), items.fetchall()))
        store.close()
    assert stored[0] == stored[1]
    assert stored[0][0]["new_items"] > 400
    assert skipping is not None and sum(unchanged for _, unchanged in skipping.parses) > 400
