from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes.feed_server import atom, json_feed, rss
from watcher.errors import NotAFeedError
from watcher.parse import parse_feed

URL = "https://outlet.example/feed.xml"


def test_rss_entries_fields_and_utc_dates() -> None:
    body = rss(
        [
            {
                "title": "Pakistan &amp; Iran talk",
                "link": "https://outlet.example/a",
                "guid": "a-1",
                "description": "<p>Foreign ministers <b>spoke</b>.</p>",
                "pubDate": "Sun, 25 Jan 2026 10:00:00 +0500",
                "author": "desk@outlet.example (Desk)",
            }
        ],
        title="Outlet",
        ttl=15,
    )
    feed = parse_feed(body, url=URL, content_type="application/rss+xml")
    assert feed.title == "Outlet" and feed.ttl == timedelta(minutes=15) and not feed.bozo
    (entry,) = feed.entries
    assert entry.guid == "a-1"
    assert entry.link == "https://outlet.example/a"
    assert entry.summary is not None and "<b>spoke</b>" in entry.summary
    assert entry.published == datetime(2026, 1, 25, 5, 0, tzinfo=UTC)


def test_rss_content_encoded_is_the_content() -> None:
    body = rss([{"title": "T", "description": "short", "content": "<p>long body</p>"}])
    (entry,) = parse_feed(body, url=URL).entries
    assert entry.content == "<p>long body</p>"


def test_plain_text_title_comes_out_as_html() -> None:
    # An RSS title is plain text to feedparser: "<" in it must survive as text, not as a tag.
    body = rss([{"title": "Why 1 <b> 2 matters", "link": "https://x.example/1"}])
    (entry,) = parse_feed(body, url=URL).entries
    assert entry.title == "Why 1 &lt;b&gt; 2 matters"


def test_atom_entries() -> None:
    body = atom(
        [
            {
                "title": "Atom entry",
                "link": "https://outlet.example/atom/1",
                "id": "urn:uuid:1",
                "summary": "<p>sum</p>",
                "content": "<p>full content</p>",
                "updated": "2026-01-25T10:00:00+01:00",
                "published": "2026-01-25T09:00:00Z",
            }
        ]
    )
    feed = parse_feed(body, url=URL, content_type="application/atom+xml")
    (entry,) = feed.entries
    assert entry.guid == "urn:uuid:1"
    assert entry.content == "<p>full content</p>"
    assert entry.published == datetime(2026, 1, 25, 9, 0, tzinfo=UTC)
    assert entry.updated == datetime(2026, 1, 25, 9, 0, tzinfo=UTC)


def test_relative_links_resolve_against_the_url() -> None:
    body = rss([{"title": "T", "link": "/news/1"}])
    (entry,) = parse_feed(body, url="https://outlet.example/feeds/all.xml").entries
    assert entry.link == "https://outlet.example/news/1"


def test_json_feed() -> None:
    body = json_feed(
        [
            {
                "id": 42,
                "url": "https://outlet.example/j/1",
                "title": "JSON <title>",
                "content_html": "<p>html body</p>",
                "date_published": "2026-01-25T10:00:00+05:00",
                "authors": [{"name": "Reporter"}],
            },
            {"id": "2", "external_url": "https://other.example/x", "content_text": "a < b"},
            "not an item",
        ],
        title="Json Outlet",
    )
    feed = parse_feed(body, url=URL, content_type="application/feed+json")
    assert feed.title == "Json Outlet"
    first, second = feed.entries
    assert first.guid == "42" and first.title == "JSON &lt;title&gt;"
    assert first.published == datetime(2026, 1, 25, 5, 0, tzinfo=UTC)
    assert first.author == "Reporter"
    assert second.link == "https://other.example/x" and second.content == "a &lt; b"


def test_json_that_is_not_a_json_feed() -> None:
    with pytest.raises(NotAFeedError, match="JSON Feed version"):
        parse_feed(json.dumps({"hello": "world"}).encode(), url=URL)
    with pytest.raises(NotAFeedError, match="invalid JSON"):
        parse_feed(b'{"version": ', url=URL)


def test_declared_encoding_in_the_content_type_is_used() -> None:
    body = rss([{"title": "caf\u00e9 \u00fcber", "link": "https://x.example/1"}]).decode()
    latin = body.replace('<?xml version="1.0" encoding="utf-8"?>', "").encode("latin-1")
    (entry,) = parse_feed(latin, url=URL, content_type="text/xml; charset=iso-8859-1").entries
    assert entry.title == "caf\u00e9 \u00fcber"


def test_encoding_declared_in_the_document_is_used() -> None:
    text = rss([{"title": "\u041c\u043e\u0441\u043a\u0432\u0430", "link": "https://x.example/1"}])
    body = text.decode().replace('encoding="utf-8"', 'encoding="koi8-r"').encode("koi8-r")
    (entry,) = parse_feed(body, url=URL).entries
    assert entry.title == "\u041c\u043e\u0441\u043a\u0432\u0430"


def test_bozo_feed_with_usable_entries_is_kept() -> None:
    body = rss([{"title": "ok", "link": "https://x.example/1"}]).replace(
        b"<title>ok</title>", b"<title>ok &nbsp; & broken</title>"
    )
    feed = parse_feed(body, url=URL)
    assert feed.bozo and feed.bozo_message
    assert len(feed.entries) == 1 and feed.entries[0].link == "https://x.example/1"


def test_html_page_is_not_a_feed_and_says_its_title() -> None:
    page = b"<!DOCTYPE html><html><head><title>403 ERROR</title></head><body>no</body></html>"
    with pytest.raises(NotAFeedError, match=r"got an HTML page \(title: 403 ERROR\)"):
        parse_feed(page, url=URL, content_type="text/html")


def test_xhtml_page_is_not_a_feed() -> None:
    # straittimes served this 403 page in place of its RSS (rss-headlines-gesab001, 2021-09-19).
    page = (
        b'<?xml version="1.0" encoding="iso-8859-1"?>\n'
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
        b'  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head>\n<title>403 - Forbidden</title>'
        b"</head><body><h1>403 - Forbidden</h1></body></html>"
    )
    with pytest.raises(NotAFeedError, match=r"HTML page \(title: 403 - Forbidden\)"):
        parse_feed(page, url=URL)


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_empty_body(body: bytes) -> None:
    with pytest.raises(NotAFeedError, match="empty body"):
        parse_feed(body, url=URL)


@pytest.mark.parametrize(
    "body", [b"just some text", b"\x00\x01\x02garbage\xff", b"<note><to>x</to></note>"]
)
def test_other_non_feeds(body: bytes) -> None:
    with pytest.raises(NotAFeedError, match="not a feed"):
        parse_feed(body, url=URL)


def test_valid_channel_without_items_is_a_feed() -> None:
    feed = parse_feed(rss([], title="Empty"), url=URL)
    assert feed.title == "Empty" and feed.entries == ()


def test_a_path_or_url_as_body_is_not_opened() -> None:
    # feedparser treats a bare str/bytes as a file name or URL; the body must never be one.
    with pytest.raises(NotAFeedError):
        parse_feed(b"/etc/passwd", url=URL)
    with pytest.raises(NotAFeedError):
        parse_feed(b"http://127.0.0.1:9/feed", url=URL)


def test_bad_dates_and_ttl_become_none() -> None:
    body = rss([{"title": "T", "pubDate": "yesterday-ish"}], ttl=-5)
    feed = parse_feed(body, url=URL)
    assert feed.ttl is None and feed.entries[0].published is None


def test_feed_served_as_text_html_is_still_read() -> None:
    body = rss([{"title": "T", "link": "https://x.example/1"}])
    feed = parse_feed(body, url=URL, content_type="text/html; charset=utf-8")
    assert feed.bozo and [e.link for e in feed.entries] == ["https://x.example/1"]


def test_undeclared_legacy_encoding_falls_back_without_failing() -> None:
    text = rss([{"title": "caf\u00e9 \u2014 na\u00efve", "link": "https://x.example/1"}]).decode()
    body = text.replace('<?xml version="1.0" encoding="utf-8"?>', "").encode("cp1252")
    (entry,) = parse_feed(body, url=URL).entries
    assert entry.title == "caf\u00e9 \u2014 na\u00efve"


def _billion_laughs(sep: str) -> bytes:
    levels = ['<!ENTITY lol0 "lol">']
    for n in range(1, 10):
        levels.append(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">')
    doctype = f"<!DOCTYPE rss [{sep}" + sep.join(levels) + "]>"
    item = "<item><title>&lol9;</title><link>https://x.example/1</link></item>"
    rss_doc = f'<rss version="2.0"><channel>{item}</channel></rss>'
    return f'<?xml version="1.0"?>{sep}{doctype}{sep}{rss_doc}'.encode()


@pytest.mark.parametrize("sep", ["\n", ""], ids=["one-per-line", "all-on-one-line"])
def test_billion_laughs_is_not_expanded(sep: str) -> None:
    started = time.monotonic()
    try:
        feed = parse_feed(_billion_laughs(sep), url=URL)
    except NotAFeedError:
        return  # refusing it is fine too
    assert all("lollol" not in (e.title or "") for e in feed.entries)
    assert time.monotonic() - started < 0.5  # expanded by expat, it took about 1 s


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<rss version="2.0"><channel><item><title>a&x;b</title>'
        "<link>https://x.example/1</link></item></channel></rss>"
    ).encode()
    with pytest.raises(NotAFeedError, match="declares XML entities") as refused:
        parse_feed(body, url=URL)  # refused like any entity declaration: never resolved
    assert "TOP-SECRET" not in str(refused.value)


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.builds(
            lambda text, tail: rss([{"title": text, "description": text}])[:tail],
            st.text(max_size=60),
            st.integers(min_value=0, max_value=600),
        ),
    )
)
def test_any_bytes_give_a_feed_or_not_a_feed_error(body: bytes) -> None:
    try:
        feed = parse_feed(body, url=URL)
    except NotAFeedError:
        return
    for entry in feed.entries:
        for moment in (entry.published, entry.updated):
            assert moment is None or moment.utcoffset() == timedelta(0)
