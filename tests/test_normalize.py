from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watcher.model import Feed, ParsedEntry, ParsedFeed
from watcher.normalize import (
    as_utc,
    canonical_url,
    html_to_text,
    normalize_entry,
    normalize_feed,
    text_hash,
)

FEED = Feed(url="https://outlet.example/feed.xml", name="Outlet", interval=timedelta(minutes=5))
FETCHED = datetime(2026, 1, 25, 12, 0, tzinfo=UTC)


def entry(**fields: object) -> ParsedEntry:
    base: dict[str, object] = dict(
        guid=None, link=None, title=None, summary=None, content=None, published=None, updated=None
    )
    base.update(fields)
    return ParsedEntry(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("HTTP://Example.COM/a", None, "http://example.com/a"),
        ("https://example.com:443/a", None, "https://example.com/a"),
        ("http://example.com:80/a", None, "http://example.com/a"),
        ("http://example.com:8080/a", None, "http://example.com:8080/a"),
        ("https://example.com", None, "https://example.com/"),
        ("https://example.com/a#section-2", None, "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", None, "https://example.com/a"),
        ("https://example.com/a?b=2&a=1&fbclid=XYZ", None, "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?id=7&gclid=1&mc_cid=2&mc_eid=3",
            None,
            "https://example.com/a?id=7",
        ),
        ("https://bbc.example/n?at_medium=RSS&at_campaign=KARANGA", None, "https://bbc.example/n"),
        (
            "https://nyt.example/x.html?partner=rss&emc=rss",
            None,
            "https://nyt.example/x.html?partner=rss",
        ),
        ("https://g.example/x?CMP=share_btn_tw&page=2", None, "https://g.example/x?page=2"),
        ("/story/1?ocid=msn", "https://outlet.example/feed.xml", "https://outlet.example/story/1"),
        ("story/2", "https://outlet.example/news/feed.xml", "https://outlet.example/news/story/2"),
        ("//cdn.example/x", "http://outlet.example/", "http://cdn.example/x"),
        ("http://example.com/a b", None, "http://example.com/a%20b"),
        ("http://example.com/very\n     /long", None, "http://example.com/very/long"),
        ("  https://example.com/a  ", None, "https://example.com/a"),
        ("http://example.com./a", None, "http://example.com/a"),
        ("http://[::1]:8080/x", None, "http://[::1]:8080/x"),
        ("https://example.com/a?q=", None, "https://example.com/a?q="),
        ("javascript:alert(1)", None, ""),
        ("mailto:desk@example.com", None, ""),
        ("tag:example.com,2026:1", None, ""),
        ("not a url", None, ""),
        ("http://example.com:99999/", None, ""),
        ("http://[::1/", None, ""),
        ("", None, ""),
        (None, None, ""),
    ],
)
def test_canonical_url(url: str | None, base: str | None, expected: str) -> None:
    assert canonical_url(url, base) == expected


@given(st.text())
def test_canonical_url_is_total_and_idempotent(text: str) -> None:
    once = canonical_url(text, "https://example.org/feed")
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("AT&amp;T &lt;3 caf&eacute; &#8212; &#x2603;", "AT&T <3 café — ☃"),
        ("one<script>alert('x <b>')</script> two", "one two"),
        ("a<style>p { color: red }</style>b", "ab"),
        ("<p>first</p><p>second</p>", "first\nsecond"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("  lots   of\n\n\twhite\u00a0space  ", "lots of white space"),
        ("<div><p>unclosed <i>tags", "unclosed tags"),
        ("</p>stray end</div>", "stray end"),
        ("x < y and y > z", "x < y and y > z"),
        ("e\u0301te", "\u00e9te"),  # NFC
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("<!-- a comment -->text", "text"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_to_text_unclosed_script_drops_the_rest_only() -> None:
    assert html_to_text("kept <script>var x = 1; never closed") == "kept"


@given(st.text())
def test_html_to_text_never_raises_and_has_no_blank_lines(text: str) -> None:
    result = html_to_text(text)
    assert "\n\n" not in result
    assert result == result.strip()


def test_key_prefers_guid_then_link_then_hash() -> None:
    with_guid = normalize_entry(
        entry(guid=" abc-1 ", link="https://x.example/a", title="T"), feed=FEED, fetched_at=FETCHED
    )
    with_link = normalize_entry(
        entry(link="https://x.example/a?utm_source=rss", title="T"), feed=FEED, fetched_at=FETCHED
    )
    text_only = normalize_entry(entry(title="T", summary="<p>S</p>"), feed=FEED, fetched_at=FETCHED)
    assert with_guid is not None and with_guid.key == f"guid:{FEED.url} abc-1"
    assert with_guid.guid == "abc-1"
    assert with_link is not None and with_link.key == "url:https://x.example/a"
    assert text_only is not None and text_only.key == f"hash:{FEED.url} " + text_hash("T", "S")


def test_plain_guids_are_scoped_by_feed_but_url_guids_are_global() -> None:
    other = Feed(url="https://other.example/rss", name="Other", interval=FEED.interval)
    a = normalize_entry(entry(guid="1", title="Ferry news"), feed=FEED, fetched_at=FETCHED)
    b = normalize_entry(entry(guid="1", title="Bank news"), feed=other, fetched_at=FETCHED)
    assert a is not None and b is not None and a.key != b.key
    permalink = "https://x.example/story/9"
    c = normalize_entry(entry(guid=permalink, title="T"), feed=FEED, fetched_at=FETCHED)
    d = normalize_entry(entry(guid=permalink, title="T"), feed=other, fetched_at=FETCHED)
    assert c is not None and d is not None and c.key == d.key == f"guid:{permalink}"


def test_blank_guid_falls_back_to_link() -> None:
    item = normalize_entry(
        entry(guid="   ", link="https://x.example/a", title="T"), feed=FEED, fetched_at=FETCHED
    )
    assert item is not None and item.key == "url:https://x.example/a" and item.guid is None


def test_relative_link_resolves_against_the_feed_url() -> None:
    item = normalize_entry(entry(link="/news/1", title="T"), feed=FEED, fetched_at=FETCHED)
    assert item is not None and item.link == "https://outlet.example/news/1"


def test_entry_without_title_text_or_link_is_dropped() -> None:
    empty = entry(guid="only-a-guid", title="  <b></b> ", summary="<script>x()</script>")
    assert normalize_entry(empty, feed=FEED, fetched_at=FETCHED) is None


def test_summary_is_the_fuller_of_content_and_summary() -> None:
    item = normalize_entry(
        entry(title="T", summary="<p>Short.</p>", content="<p>Short.</p><p>And the rest.</p>"),
        feed=FEED,
        fetched_at=FETCHED,
    )
    assert item is not None and item.summary == "Short.\nAnd the rest."
    item = normalize_entry(
        entry(title="T", summary="A longer summary here", content="<p>tiny</p>"),
        feed=FEED,
        fetched_at=FETCHED,
    )
    assert item is not None and item.summary == "A longer summary here"


def test_title_is_one_line_of_text() -> None:
    item = normalize_entry(
        entry(title="<b>Breaking:</b>\n  Iran &amp; Pakistan<br>talk"),
        feed=FEED,
        fetched_at=FETCHED,
    )
    assert item is not None and item.title == "Breaking: Iran & Pakistan talk"


def test_times_become_aware_utc() -> None:
    karachi = timezone(timedelta(hours=5))
    published = datetime(2026, 1, 25, 10, 0, tzinfo=karachi)
    item = normalize_entry(entry(title="T", published=published), feed=FEED, fetched_at=FETCHED)
    assert item is not None
    assert item.published == datetime(2026, 1, 25, 5, 0, tzinfo=UTC)
    assert item.published.utcoffset() == timedelta(0)
    assert as_utc(datetime(2026, 1, 1, 3)) == datetime(2026, 1, 1, 3, tzinfo=UTC)


def test_time_falls_back_to_updated_then_fetch_time() -> None:
    updated = datetime(2026, 1, 24, tzinfo=UTC)
    item = normalize_entry(entry(title="T", updated=updated), feed=FEED, fetched_at=FETCHED)
    assert item is not None and item.published == updated
    item = normalize_entry(entry(title="T"), feed=FEED, fetched_at=FETCHED)
    assert item is not None and item.published == FETCHED


def test_far_future_time_is_clamped_to_fetch_time_but_near_future_kept() -> None:
    far = normalize_entry(
        entry(title="T", published=FETCHED + timedelta(days=3)), feed=FEED, fetched_at=FETCHED
    )
    near = normalize_entry(
        entry(title="T", published=FETCHED + timedelta(hours=2)), feed=FEED, fetched_at=FETCHED
    )
    assert far is not None and far.published == FETCHED
    assert near is not None and near.published == FETCHED + timedelta(hours=2)


def test_content_hash_follows_the_text_not_the_markup() -> None:
    a = normalize_entry(
        entry(guid="g", title="T", summary="<p>Body</p>"), feed=FEED, fetched_at=FETCHED
    )
    b = normalize_entry(entry(guid="g", title="T", summary="Body"), feed=FEED, fetched_at=FETCHED)
    c = normalize_entry(
        entry(guid="g", title="T", summary="Body, edited"), feed=FEED, fetched_at=FETCHED
    )
    assert a is not None and b is not None and c is not None
    assert a.content_hash == b.content_hash != c.content_hash
    assert a.key == c.key == f"guid:{FEED.url} g"


def test_normalize_feed_keeps_order_and_first_of_repeated_keys() -> None:
    parsed = ParsedFeed(
        title="F",
        link=None,
        entries=(
            entry(guid="1", title="first"),
            entry(guid="2", title="second"),
            entry(guid="1", title="first again"),
            entry(title=""),
            entry(link="https://x.example/3", title="third"),
            entry(link="https://x.example/3#comments", title="third again"),
        ),
    )
    items = normalize_feed(parsed, feed=FEED, fetched_at=FETCHED)
    assert [i.title for i in items] == ["first", "second", "third"]
    assert all(i.feed_url == FEED.url and i.feed_name == "Outlet" for i in items)
