"""normalize.py's fast paths give what the plain urllib and line-by-line formulations give.

The references below are written the slow, obvious way (urlsplit, parse_qsl, urlencode,
urlunsplit; every line of text cleaned on its own); generated links and texts lean on the
characters where a shortcut could go wrong.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.normalize import (
    DEFAULT_PORTS,
    _TextExtractor,
    canonical_url,
    html_to_text,
    is_tracking_param,
    strip_controls,
)

BASE = "https://outlet.example/news/"


def reference_url(url: str | None, base: str | None = None) -> str:
    raw = "".join((url or "").strip().replace("\r", "\n").split("\n")).strip()
    if not raw:
        return ""
    try:
        absolute = raw.lower().startswith(("http://", "https://"))
        parts = urlsplit(urljoin(base, raw) if base and not absolute else raw)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in DEFAULT_PORTS or not host:
        return ""
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[parts.scheme]:
        netloc = f"{netloc}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted((k, v) for k, v in pairs if not is_tracking_param(k)))
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~") or "/"
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def reference_text(html: str) -> str:
    if "<" in html or "&" in html:
        parser = _TextExtractor()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.replace("\n", " ")
    text = unicodedata.normalize("NFC", strip_controls(text))
    text = "".join(c for c in text if c not in "\u200b\u200c\u200d\u2060\ufeff\u00ad")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


URL_PIECES = [
    "http://", "https://", "HTTPS://", "httpſ://", "hTTp://", "Outlet.Example", "a.b.", "xn--b",
    "[::1]", ":80", ":443", ":8080", ":x", "@", "user:pw@", "/", "/a b", "/ü", "/%41", "\\", "?",
    "#", "#frag?x=1", "a=1", "b=", "&", "&&", "=", "c=d=e", "+", "%20", "utm_source=x", "CMP=s",
    "ref=rss", "\t", " ", "\x01", "\x7f", "ſ", "K", ".", "-", "~", "_",
]  # fmt: skip
urls = st.lists(st.sampled_from(URL_PIECES), max_size=10).map("".join)


@settings(max_examples=600, deadline=None)
@given(urls)
def test_canonical_url_agrees_with_urllib(url: str) -> None:
    assert canonical_url(url) == reference_url(url)
    assert canonical_url(url, BASE) == reference_url(url, BASE)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.smh.com.au/national/x-20200611-p551mg.html?ref=rss&utm_medium=rss",
        "https://www.nzherald.co.nz/nz/news/article.cfm?c_id=1&objectid=12459662&ref=rss",
        "HTTPS://WWW.Example.COM./a?b=2&a=1&a=&c#top",
        "https://example.com?x=1?y=2#f",
        "https://example.com#f?x=1",
        "https://example.com/a?b=c=d&e+f=%41",
        "http://example.com:80/?fbclid=1",
        "httpſ://example.com/",
        "https://exampKe.com/",
        "https://..",
        "https:///path",
        "https://user@example.com/",
        "/relative?x=1",
    ],
)
def test_canonical_url_on_typical_and_odd_links(url: str) -> None:
    assert canonical_url(url) == reference_url(url)
    assert canonical_url(url, BASE) == reference_url(url, BASE)


def test_plain_query_is_sorted_without_tracking_and_left_unquoted() -> None:
    got = canonical_url("https://a.example/p?z=1&utm_source=rss&a=&b&a=2")
    assert got == "https://a.example/p?a=&a=2&b=&z=1"


TEXT_PIECES = [
    "Iran", " ", "  ", "\n", "\r", "\t", "\u00a0", "\u2028", "\x1f", "é", "e\u0301", "\u200b",
    "\u00ad", "<p>", "</p>", "<br/>", "&amp;", "&", "<", "<script>x</script>", "“", "x",
]  # fmt: skip
texts = st.lists(st.sampled_from(TEXT_PIECES), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_html_to_text_agrees_with_cleaning_each_line(html: str) -> None:
    assert html_to_text(html) == reference_text(html)


@pytest.mark.parametrize(
    "html",
    [
        "Iran\nsanctions",
        "<p>Iran</p>\n<p> \u200bsanctions\u00ad </p>",
        "e\u0301\u2028x",
        "AT&amp;T",
    ],
)
def test_html_to_text_on_typical_copy(html: str) -> None:
    assert html_to_text(html) == reference_text(html)
