"""The fast path for ordinary feeds (watcher/fastparse.py) gives feedparser's result exactly.

Each hand-made feed is parsed both ways through `parse_feed` (the fast path, and feedparser for
every body) and the two ParsedFeed values must be equal; the shapes the fast path reads must be
read by it, and every shape it is unsure of must go to feedparser. The corpus test runs
bench/check_fastparse.py's comparison over a sample of ../shared/data (skipped when absent).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher import fastparse
from watcher.errors import NotAFeedError
from watcher.model import ParsedFeed
from watcher.parse import _as_feedparser_sees_it, _root_start, parse_feed

URL = "https://outlet.example/news/feed.xml"
ROOT = Path(__file__).resolve().parents[1]


def _both(body: bytes) -> tuple[ParsedFeed, str | None]:
    """The fast path's result (checked equal to feedparser's), and why the fast path left
    the body to feedparser (None when it read it)."""
    fast = parse_feed(body, url=URL)
    slow = parse_feed(body, url=URL, fast=False)
    assert fast == slow
    text, clean = _as_feedparser_sees_it(body, None)
    reason = fastparse.unsure_of(text, text[: _root_start(text)]) if clean else "not clean"
    return fast, reason


def _read(body: bytes) -> ParsedFeed:
    feed, reason = _both(body)
    assert reason is None
    return feed


def _rss(items: str, channel: str = "<title>Outlet</title><link>https://outlet.example/</link>",
         ns: str = "") -> bytes:  # fmt: skip
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        f'xmlns:media="http://search.yahoo.com/mrss/" {ns}>\n'
        f"<channel>{channel}\n{items}\n</channel></rss>"
    ).encode()


def _atom(entries: str, head: str = "<title>Outlet</title>", ns: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" '
        f"{ns}>{head}\n{entries}\n</feed>"
    ).encode()


# --- shapes the fast path reads ------------------------------------------------------------


def test_rss_item_with_every_common_field() -> None:
    feed = _read(
        _rss(
            """<item><title>Quake &amp; tsunami warning</title>
            <link>https://outlet.example/a?x=1&amp;y=2</link>
            <guid isPermaLink="false">a-1</guid>
            <description><![CDATA[<p>The <b>quake</b> struck.</p>]]></description>
            <content:encoded><![CDATA[<p>The quake struck at dawn, officials said.</p>]]>
            </content:encoded>
            <pubDate>Sun, 25 Jan 2026 10:00:00 +0500</pubDate>
            <dc:creator>Desk Reporter</dc:creator>
            <category domain="x">World</category>
            <media:content url="https://outlet.example/a.jpg" medium="image"/>
            <enclosure url="https://outlet.example/a.mp3" type="audio/mpeg" length="1"/>
            </item>""",
            channel="<title>Outlet</title><link>https://outlet.example/</link><ttl>15</ttl>"
            "<image><url>https://outlet.example/logo.png</url><title>Logo</title>"
            "<link>https://outlet.example/img</link></image>",
        )
    )
    assert feed.title == "Outlet" and feed.link == "https://outlet.example/"
    assert feed.ttl is not None and feed.ttl.total_seconds() == 900
    (entry,) = feed.entries
    assert entry.guid == "a-1" and entry.link == "https://outlet.example/a?x=1&y=2"
    assert entry.title == "Quake &amp; tsunami warning"  # plain text, escaped as HTML
    assert entry.summary == "<p>The <b>quake</b> struck.</p>"
    assert entry.content == "<p>The quake struck at dawn, officials said.</p>"
    assert entry.author == "Desk Reporter" and entry.published is not None


def test_rss_dates_authors_and_guid_as_link() -> None:
    feed = _read(
        _rss(
            """<item><title>One</title><guid>https://outlet.example/1</guid>
            <dc:date>2026-01-25T10:00:00+01:00</dc:date><author>desk@outlet.example (Desk)</author>
            </item>
            <item><title>Two</title><guid isPermaLink="true">/2</guid>
            <pubDate>Sun, 25 Jan 2026 10:00:00 CET</pubDate><pubDate>nonsense</pubDate>
            <author>A</author><author></author></item>
            <item><link></link><guid>https://outlet.example/3</guid><title>  </title>
            <lastBuildDate>Sun, 25 Jan 2026 11:00:00 GMT</lastBuildDate></item>"""
        )
    )
    one, two, three = feed.entries
    assert one.link == "https://outlet.example/1" and one.updated is not None
    assert two.guid == "/2" and two.published is None and two.author is None
    assert three.link is None and three.title is None and three.updated is not None


def test_rss_plain_text_and_html_guesses() -> None:
    feed = _read(
        _rss(
            """<item><title>Fish &lt;b&gt;chips&lt;/b&gt;</title>
            <description>First paragraph.

            Related Articles: more</description></item>
            <item><title>5 &lt; 6 &amp;&amp; 7 &gt; 2</title>
            <description>a &amp;amp; b</description><media:description>Second</media:description>
            </item>
            <item><title>Caf\u00c3\u00a9 owner</title>
            <description type="text">x &lt; y</description></item><item><title>\x80 5</title></item>
            """
        )
    )
    first, second, third, fourth = feed.entries
    assert first.title == "Fish <b>chips</b>"  # guessed HTML, as feedparser guesses
    assert second.content == "Second"  # a second description is the content
    assert third.title == "Caf\u00e9 owner"  # UTF-8 read as Latin-1, undone as feedparser does
    assert fourth.title == "\u20ac 5"  # a C1 control read as Windows-1252


def test_rss_root_xml_base_unknown_elements_and_namespaces() -> None:
    feed = _read(
        _rss(
            """<item><title>A</title><link>/a</link><guid>/a</guid><ttl>5</ttl>
            <x:kind>news</x:kind><y:meta><y:part a="1">t</y:part></y:meta><comments>/c</comments>
            <media:group><media:title>Other</media:title><media:thumbnail url="/t.jpg"/>
            <media:credit role="author">Someone</media:credit></media:group>
            <source url="https://else.example/rss">Else</source><title>Later</title>
            <atom:link href="https://outlet.example/alt" rel="alternate"/></item>""",
            channel='<title>Outlet</title><atom:link href="https://outlet.example/feed" '
            'rel="self" type="application/rss+xml"/><link>home</link>',
            ns='xml:base="https://outlet.example/base/" xmlns:x="urn:x" xmlns:y="urn:y" '
            'xmlns:z="urn:x" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:atom10="http://www.w3.org/2005/Atom"',
        )
    )
    (entry,) = feed.entries
    assert feed.link == "https://outlet.example/base/home"
    assert entry.link == "https://outlet.example/alt" and entry.title == "Later"


def test_rss_092_and_a_second_summary_before_content() -> None:
    body = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="0.92"><channel>'
        b"<title>Caf\xe9</title><item><title>T\xe9</title><description>d</description>"
        b"<description>e</description></item></channel></rss>"
    )
    feed = _read(body)
    assert feed.title == "Caf\u00e9" and feed.entries[0].content == "e"


def test_atom_entry_with_every_common_field() -> None:
    feed = _read(
        _atom(
            """<entry><id>yt:video:abc</id><title type="html">A &amp;lt;b&amp;gt; title</title>
            <link rel="alternate" href="https://outlet.example/watch?v=abc"/>
            <link rel="enclosure" href="https://outlet.example/a.mp4"/>
            <author><name>Channel</name><email>c@outlet.example</email>
            <uri>https://outlet.example/c</uri></author>
            <published>2026-01-25T10:00:00+00:00</published>
            <updated>2026-01-25T11:00:00Z</updated>
            <summary>Plain &lt;summary&gt;</summary>
            <content type="html">&lt;p&gt;Body&lt;/p&gt;</content>
            <media:group><media:title>Other</media:title>
            <media:description>Channel boilerplate</media:description>
            <media:community><media:starRating count="1"/></media:community></media:group>
            </entry>
            <entry><id>tag:outlet.example,2026:2</id><title>Two</title>
            <content type="text">Just text

            and more</content><author><name>A</name></author></entry>
            <entry><id>/3</id><title>Three</title>
            <summary type="html">&lt;i&gt;s&lt;/i&gt;</summary>
            <media:group><media:description>D</media:description></media:group></entry>""",
            head='<title>Outlet</title><id>tag:outlet</id><link rel="self" href="/feed"/>'
            '<link href="https://outlet.example/"/><author><name>Desk</name></author>'
            "<updated>2026-01-25T11:00:00Z</updated>",
        )
    )
    assert feed.link == "https://outlet.example/"
    one, two, three = feed.entries
    assert one.guid == "yt:video:abc" and one.link == "https://outlet.example/watch?v=abc"
    assert one.author == "Channel (c@outlet.example)" and one.content == "<p>Body</p>"
    assert two.link == "tag:outlet.example,2026:2" and two.author == "A"
    assert two.content is not None and "<br>" in two.content
    assert three.content == "D"


# --- shapes left to feedparser -------------------------------------------------------------

_ITEM = "<item><title>A</title><link>https://outlet.example/a</link></item>"
FALLBACKS = {
    "doctype": b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "x.dtd"><rss version="2.0">'
    b"<channel><title>T</title>" + _ITEM.encode() + b"</channel></rss>",
    "rss 1.0": b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns="http://purl.org/rss/1.0/"><channel><title>T</title></channel>'
    b"<item><title>A</title></item></rdf:RDF>",
    "atom 0.3": b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title>'
    b"<entry><title>A</title></entry></feed>",
    "not well-formed": _rss("<item><title>A</title><link>x</item>"),
    "html entity": _rss("<item><title>A&nbsp;B</title></item>"),
    "xml:base below the root": _rss('<item xml:base="https://b.example/"><link>/a</link></item>'),
    "xhtml content": _atom(
        '<entry><title>A</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>x</p></div></content></entry>"
    ),
    "inline markup": _rss("<item><title>A</title><description>a <b>b</b></description></item>"),
    "base64 content": _atom(
        '<entry><title>A</title><content type="image/png">AAAA</content></entry>'
    ),
    "itunes": _rss(
        "<item><title>A</title><itunes:author>X</itunes:author></item>",
        ns='xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"',
    ),
    "prefix bound twice": _rss(
        '<item><title>A</title><p:x xmlns:p="urn:two">b</p:x></item>', ns='xmlns:p="urn:one"'
    ),
    "declared encoding overridden": b'<?xml version="1.0" encoding="us-ascii"?>'
    b'<rss version="2.0"><channel><title>Caf\xc3\xa9</title></channel></rss>',
    "textinput": _rss(_ITEM, channel="<title>T</title><textInput><title>S</title></textInput>"),
    "contributor": _atom(
        "<entry><title>A</title><contributor><name>B</name></contributor></entry>"
    ),
    "namespaced attribute": _rss(
        '<item><title>A</title><guid x:isPermaLink="false" xmlns:x="urn:x">g</guid></item>'
    ),
    "item out of place": b'<rss version="2.0"><item><title>A</title></item></rss>',
}


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_unsure_shapes_go_to_feedparser(name: str) -> None:
    try:
        _, reason = _both(FALLBACKS[name])
    except NotAFeedError:
        return  # refused: both ways alike (checked by the corpus comparison)
    assert reason is not None


def test_entity_declarations_are_refused_before_either_path() -> None:
    body = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0">' \
        b"<channel><title>&a;</title></channel></rss>"  # fmt: skip
    with pytest.raises(NotAFeedError, match="entities"):
        parse_feed(body, url=URL)


# --- the real corpora, a sample --------------------------------------------------------------


def _check_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_fastparse", ROOT / "bench/check_fastparse.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_sample_of_the_corpora_parses_alike_both_ways() -> None:
    check = _check_module()
    if not check.SNAPSHOTS.is_dir() or not check.ODD_FEEDS.is_dir():
        pytest.skip(f"{check.DATA} is absent")
    sample = (b for i, b in enumerate(check.corpus()) if i % 20 == 7)
    counts = check.check(sample, show=5)
    assert counts["snapshots fast path taken"] > 150
    assert counts["feedparser-tests fast path taken"] > 30
    assert not [k for k in counts if k.endswith("differed")]


# --- any order and mix of the common elements: the same result both ways ---------------------

_RSS_PARTS = [
    "<title>T &amp; U</title>", "<title></title>", "<title>&lt;b&gt;x&lt;/b&gt; &amp;c</title>",
    '<title type="html">H</title>', "<link>https://a.example/x?a=1&amp;b=2</link>",
    "<link></link>", "<link>rel/x</link>", "<guid>https://a.example/g</guid>",
    '<guid isPermaLink="false">g1</guid>', '<guid isPermaLink="true">/g2</guid>',
    "<description>d &lt;p&gt;x&lt;/p&gt;</description>",
    "<description>plain\n\n para</description>",
    "<description></description>", "<content:encoded><![CDATA[<p>c</p>]]></content:encoded>",
    "<media:description>md</media:description>", "<media:title>mt</media:title>",
    "<media:group><media:title>gt</media:title><media:description>gd</media:description>"
    "</media:group>", '<media:content url="/m.jpg"><media:title>ct</media:title></media:content>',
    "<pubDate>Sun, 25 Jan 2026 10:00:00 +0500</pubDate>",
    "<pubDate>25 Jan 2026 10:00 CET</pubDate>",
    "<pubDate>junk</pubDate>", "<dc:date>2026-01-25T10:00:00Z</dc:date>",
    "<lastBuildDate>Sun, 25 Jan 2026 12:00:00 GMT</lastBuildDate>",
    "<author>a@b.example (A)</author>", "<dc:creator>C \u00c3\u00a9</dc:creator>",
    "<dc:creator></dc:creator>", '<atom:link href="https://a.example/alt" rel="alternate"/>',
    '<atom:link href="/self" rel="self"/>', '<atom:link href="x" type="text/plain"/>',
    '<source url="https://s.example/">S</source>', "<category>c</category>",
    '<enclosure url="/e.mp3" type="audio/mpeg"/>', "<x:foo>f</x:foo>", "<comments>/c</comments>",
    "<summary>s &lt;i&gt;i&lt;/i&gt;</summary>", "<ttl>3</ttl>", "<title>\x85 late</title>",
    "<dc:creator>d@c.example</dc:creator>", "<author><name>N</name><email>n@a.example</email>"
    "</author>", "<managingEditor>m@a.example (M)</managingEditor>", "<guid></guid>",
    '<description type="text">a &amp;amp; b</description>', "<dc:title>dt</dc:title>",
    "<content:encoded>plain &amp;amp; more</content:encoded>",
    "<dcterms:issued>2026-01-02</dcterms:issued>",
    '<media:thumbnail url="/t.jpg"/>', '<media:credit role="author">mc</media:credit>',
]  # fmt: skip
_ATOM_PARTS = [
    "<id>tag:a.example,2026:1</id>", "<id>/rel-id</id>", "<title>T &amp; U</title>",
    '<title type="html">&lt;b&gt;H&lt;/b&gt;</title>', "<title></title>",
    '<link href="https://a.example/e"/>', '<link rel="alternate" type="text/html" href="/r"/>',
    '<link rel="enclosure" href="/e.mp3"/>', '<link rel="self" href="/s"/>',
    "<link>https://a.example/t</link>",
    "<author><name>N</name><email>e@a.example</email></author>",
    "<author><name>M</name><uri>/m</uri></author>", "<author><email>x@a.example</email></author>",
    "<author>text</author>", "<published>2026-01-25T10:00:00+02:00</published>",
    "<updated>2026-01-25T11:00:00Z</updated>", "<updated>bad</updated>",
    "<summary>s &lt;i&gt;i&lt;/i&gt;</summary>",
    '<summary type="html">&lt;p&gt;h&lt;/p&gt;</summary>',
    '<content type="html">&lt;p&gt;c&lt;/p&gt;</content>', "<content>plain\n\ntext</content>",
    "<media:group><media:title>g</media:title><media:description>gd</media:description>"
    "</media:group>", '<category term="t"/>', "<x:foo>f</x:foo>", "<author><name>O</name></author>",
    "<author><name></name></author>", "<subtitle>st</subtitle>", "<rights>r</rights>",
    '<content type="text/html">&lt;b&gt;long content here&lt;/b&gt;</content>',
    "<summary></summary>", "<issued>2026-01-25</issued>", "<modified>2026-01-26</modified>",
]  # fmt: skip
_CHANNEL_PARTS = [
    "<title>Outlet &amp; Co</title>", "<title>&lt;i&gt;O&lt;/i&gt;</title>",
    "<link>https://a.example/</link>", "<link>home</link>",
    '<atom:link href="https://a.example/feed" rel="self" type="application/rss+xml"/>',
    '<atom:link href="https://a.example/alt"/>', "<description>about</description>",
    "<ttl>15</ttl>", "<ttl>x</ttl>", "<image><url>/l.png</url><title>Logo</title>"
    "<link>https://a.example/img</link></image>", "<lastBuildDate>x</lastBuildDate>",
    "<language>en</language>", "<x:foo>f</x:foo>", "<managingEditor>e@a.example</managingEditor>",
    "<webMaster>w@a.example</webMaster>", "<title></title>", "<copyright>c</copyright>",
    "<generator>g</generator>", "<dc:title>dct</dc:title>",
]  # fmt: skip
_NS = (
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:x="urn:x" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dcterms="http://purl.org/dc/terms/"'
)
_parts = st.lists(st.integers(0, 1000), min_size=0, max_size=8)


@settings(max_examples=150, deadline=None)
@given(channel=_parts, items=st.lists(_parts, min_size=1, max_size=3), based=st.booleans())
def test_any_mix_of_rss_elements_reads_alike(
    channel: list[int], items: list[list[int]], based: bool
) -> None:
    head = "".join(_CHANNEL_PARTS[i % len(_CHANNEL_PARTS)] for i in channel)
    body = "".join(
        "<item>" + "".join(_RSS_PARTS[i % len(_RSS_PARTS)] for i in item) + "</item>"
        for item in items
    )
    base = ' xml:base="https://b.example/dir/"' if based else ""
    _both(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {_NS}{base}><channel>'
        f"{head}{body}</channel></rss>".encode()
    )


@settings(max_examples=150, deadline=None)
@given(head=_parts, entries=st.lists(_parts, min_size=1, max_size=3))
def test_any_mix_of_atom_elements_reads_alike(head: list[int], entries: list[list[int]]) -> None:
    top = "".join(_ATOM_PARTS[i % len(_ATOM_PARTS)] for i in head)
    body = "".join(
        "<entry>" + "".join(_ATOM_PARTS[i % len(_ATOM_PARTS)] for i in entry) + "</entry>"
        for entry in entries
    )
    _both(
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="urn:x" '
        f'xmlns:media="http://search.yahoo.com/mrss/">{top}{body}</feed>'.encode()
    )
