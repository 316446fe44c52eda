"""One article, one item: URL variants of one article fold into one link_key, on hand-made
links, on real feed links from the snapshots, through the pipeline, and across an upgrade of a
database whose items were stored under the old canonical form."""

from __future__ import annotations

import gzip
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.model import Feed, ParsedEntry
from watcher.normalize import canonical_url, link_key, normalize_entry
from watcher.parse import parse_feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.store.schema import MIGRATIONS
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SNAPSHOTS = Path(__file__).resolve().parents[2] / "shared/data/rss-headlines-gesab001/snapshots"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://outlet.example/news/a", "https://outlet.example/news/a"),
        ("https://www.outlet.example/news/a", "https://outlet.example/news/a"),
        ("https://outlet.example/news/a/", "https://outlet.example/news/a"),
        ("https://outlet.example/news/a?ref=rss", "https://outlet.example/news/a"),
        ("https://outlet.example/a?source=rss&utm_medium=feed", "https://outlet.example/a"),
        (
            "https://outlet.example/a.html?ito=1490&ns_campaign=1490",
            "https://outlet.example/a.html",
        ),
        ("https://outlet.example/news/a/amp", "https://outlet.example/news/a"),
        ("https://outlet.example/news/a.amp.html", "https://outlet.example/news/a.html"),
        ("https://outlet.example/news/a?amp=1&id=7", "https://outlet.example/news/a?id=7"),
        ("https://outlet.example/news/amp/world-123", "https://outlet.example/news/world-123"),
        ("https://outlet.example/amp/europe/a-story/", "http://www.outlet.example/europe/a-story"),
        ("https://amp.outlet.example/news/a", "https://www.outlet.example/news/a"),
        (
            "https://www.google.com/amp/s/www.outlet.example/news/a",
            "https://outlet.example/news/a",
        ),
        (
            "https://www-outlet-example.cdn.ampproject.org/c/s/www.outlet.example/news/a/amp/"
            "?amp_js_v=0.1&usqp=mq331AQ",
            "http://outlet.example/news/a",
        ),
        ("HTTP://WWW.Outlet.Example/news/a/#top", "https://outlet.example/news/a"),
    ],
)
def test_variants_of_one_article_share_a_key(a: str, b: str) -> None:
    assert link_key(a) == link_key(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://outlet.example/news/a", "https://outlet.example/news/b"),
        ("https://outlet.example/article?id=1", "https://outlet.example/article?id=2"),
        ("https://outlet.example/News/A", "https://outlet.example/news/a"),  # paths keep case
        ("https://one.example/a", "https://two.example/a"),
        ("https://www.outlet.example/a", "https://web.outlet.example/a"),
        ("https://outlet.example:8080/a", "https://outlet.example/a"),
        ("https://outlet.example/amp", "https://outlet.example/"),  # not a suffix of an article
        ("https://outlet.example/amp/", "https://outlet.example/"),  # the AMP home, not an article
        ("https://outlet.example/news/ampere-record", "https://outlet.example/news/record"),
        ("https://outlet.example/camp/a", "https://outlet.example/c/a"),
    ],
)
def test_different_articles_keep_different_keys(a: str, b: str) -> None:
    assert link_key(a) != link_key(b)


def test_shown_link_keeps_scheme_host_and_slash_but_loses_tracking() -> None:
    # An alert links where the feed pointed (an http-only site is not sent to https).
    assert canonical_url("http://www.outlet.example/a/?ref=rss") == "http://www.outlet.example/a/"
    assert canonical_url("https://www.google.com/amp/s/outlet.example/a") == (
        "https://outlet.example/a"
    )
    assert link_key("") == "" and link_key("not a link") == ""


def _real_links(limit_files: int = 6) -> dict[str, set[str]]:
    """Entry links of a few snapshots of every feed (skips the test when absent)."""
    if not SNAPSHOTS.is_dir():
        pytest.skip("../shared/data/rss-headlines-gesab001 is absent")
    links: dict[str, set[str]] = {}
    for folder in sorted(p for p in SNAPSHOTS.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.xml.gz"))
        for path in files[:: max(1, len(files) // limit_files)]:
            try:
                parsed = parse_feed(gzip.decompress(path.read_bytes()), url="")
            except Exception:  # broken captures (an HTML page) are part of the corpus
                continue
            found = {e.link for e in parsed.entries if e.link}
            links.setdefault(folder.name, set()).update(found)
    return links


def _variants(link: str) -> list[str]:
    canonical = canonical_url(link)
    scheme, rest = canonical.split("://", 1)
    host, _, path = rest.partition("/")
    bare = host[4:] if host.startswith("www.") else host
    other = "http" if scheme == "https" else "https"
    path, _, query = path.partition("?")
    slash = path[:-1] if path.endswith("/") else f"{path}/"
    joiner = "&" if query else "?"
    tail = f"?{query}" if query else ""
    return [
        link,
        f"{other}://{host}/{path}{tail}",
        f"{scheme}://www.{bare}/{path}{tail}",
        f"{scheme}://{bare}/{path}{tail}",
        f"{scheme}://{host}/{slash}{tail}" if path else canonical,
        f"{canonical}{joiner}ref=rss",
        f"{canonical}{joiner}utm_source=rss&utm_medium=rss&source=feed",
        f"https://www.google.com/amp/s/{host}/{path}{tail}",
    ]


def test_real_feed_links_fold_their_variants_and_nothing_else() -> None:
    links = _real_links()
    assert len(links) >= 10
    for feed, found in links.items():
        keys: dict[str, str] = {}
        for link in sorted(found):
            key = link_key(link)
            assert key, (feed, link)
            assert {link_key(v) for v in _variants(link)} == {key}, (feed, link)
            # Two real links sharing a key are the same article: they differ only in what
            # the key folds (tracking parameters, here), never in path or query proper.
            other = keys.setdefault(key, link)
            if other != link:
                assert canonical_url(other) == canonical_url(link), (feed, other, link)


# -- through the pipeline ------------------------------------------------------------------


def _entry(link: str, guid: str | None = None, title: str = "Harbour reopens") -> ParsedEntry:
    return ParsedEntry(
        guid=guid, link=link, title=title, summary="The harbour reopened on Monday.",
        content=None, published=NOW, updated=None,
    )  # fmt: skip


def _pipeline(store: Store) -> Pipeline:
    return Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: NOW,
        rng=random.Random(0),
    )


def test_variants_from_two_feeds_are_one_item(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    pipeline = _pipeline(store)
    a = Feed("https://a.example/rss", "A", timedelta(minutes=5))
    b = Feed("https://b.example/rss", "B", timedelta(minutes=5))
    first = normalize_entry(_entry("http://www.outlet.example/news/a/?ref=rss"), feed=a,
                            fetched_at=NOW)  # fmt: skip
    again = [
        normalize_entry(_entry(link), feed=b, fetched_at=NOW)
        for link in (
            "https://outlet.example/news/a",
            "https://outlet.example/news/a/amp",
            "https://www.google.com/amp/s/outlet.example/news/a?utm_source=x",
        )
    ]
    assert first is not None and all(again)
    assert pipeline.ingest([first], NOW, alert=False).new_items == 1
    assert pipeline.ingest([i for i in again if i], NOW, alert=False).new_items == 0
    assert len(store.recent_stories()) == 1
    store.close()


def test_another_feeds_entry_for_a_stored_article_is_no_edit_of_it(tmp_path: Path) -> None:
    # An aggregator lists outlet A's article (its AMP cache link, or the link itself with
    # tracking tags) under its own headline: the same key as A's item, yet not A's entry come
    # back edited. A's item keeps A's headline, or an alert shows one outlet's headline under
    # another's name (issue 11, item 5).
    store = Store(tmp_path / "w.db")
    pipeline = _pipeline(store)
    a = Feed("https://a.example/rss", "A", timedelta(minutes=5))
    b = Feed("https://b.example/rss", "B", timedelta(minutes=5))
    link = "https://outlet.example/news/harbour"
    first = normalize_entry(_entry(link), feed=a, fetched_at=NOW)
    cache = "https://outlet-example.cdn.ampproject.org/c/s/outlet.example/news/harbour?usqp=mq"
    relisted = [
        normalize_entry(_entry(url, title="Port back in business"), feed=b, fetched_at=NOW)
        for url in (cache, link + "?utm_source=b")
    ]
    assert first is not None and all(relisted) and relisted[0] and relisted[0].key == first.key
    assert pipeline.ingest([first], NOW, alert=False).new_items == 1
    report = pipeline.ingest([i for i in relisted if i], NOW, alert=False)
    assert report.new_items == 0 and report.edited_items == 0
    (story,) = store.recent_stories()
    assert [(i.feed_name, i.title) for i in story.items] == [("A", "Harbour reopens")]
    # A's own entry coming back with a new headline is still an edit.
    edited = normalize_entry(_entry(link, title="Harbour reopens after storm"), feed=a,
                             fetched_at=NOW)  # fmt: skip
    assert edited is not None
    assert pipeline.ingest([edited], NOW, alert=False).edited_items == 1
    (story,) = store.recent_stories()
    assert [i.title for i in story.items] == ["Harbour reopens after storm"]
    store.close()


def _schema5_db(path: Path, stored_link: str, pruned_link: str) -> None:
    """A database written by the release before link keys, holding one item under the old
    canonical form (with ?ref=rss) and one pruned link remembered as "url:"."""
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:
        conn.executescript(script)
    stamp = "2026-03-01T12:00:00+00:00"
    conn.execute("INSERT INTO stories VALUES (1, 'Harbour reopens', ?, ?)", [stamp, stamp])
    conn.execute(
        "INSERT INTO items VALUES (?, 'https://a.example/rss', 'A', ?, 'Harbour reopens', "
        "'The harbour reopened.', ?, ?, 'h1', NULL, 1, 'new', 0)",
        [f"url:{stored_link}", stored_link, stamp, stamp],
    )
    conn.execute("INSERT INTO seen_keys VALUES (?, ?)", [f"url:{pruned_link}", stamp])
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()


def test_upgraded_database_still_knows_items_stored_under_the_old_form(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = "https://www.outlet.example/news/a.html?ref=rss"  # the old canonical form kept ref
    pruned = "https://www.outlet.example/news/old.html?ref=rss"
    _schema5_db(path, old, pruned)
    store = Store(path)
    pipeline = _pipeline(store)
    feed = Feed("https://a.example/rss", "A", timedelta(minutes=5))
    polled = [
        normalize_entry(_entry(f"{link}?ref=rss&utm_source=rss"), feed=feed, fetched_at=NOW)
        for link in ("https://www.outlet.example/news/a.html",
                     "https://www.outlet.example/news/old.html")
    ]  # fmt: skip
    assert [i.key for i in polled if i] == [
        "url:https://www.outlet.example/news/a.html",  # a new key: the form changed
        "url:https://www.outlet.example/news/old.html",
    ]
    report = pipeline.ingest([i for i in polled if i], NOW, alert=True)
    assert (report.new_items, report.new_stories) == (0, 0)
    store.close()
