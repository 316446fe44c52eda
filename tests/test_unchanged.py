"""Items a feed's last body held byte for byte are not parsed again (watcher/unchanged.py).

The property that matters: parsing a body with the last body's prints gives exactly the entries
a whole parse gives, minus entries the last body already had; it never drops a new or edited
one. Checked on hand-made feeds built to break the splitting, and on real snapshot sequences
from ../shared (skipped when absent).
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from watcher.errors import NotAFeedError
from watcher.model import BodyPrints, ParsedFeed
from watcher.parse import parse_feed
from watcher.unchanged import trim_unchanged

SNAPSHOTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "rss-headlines-gesab001"
URL = "https://harbour.example/rss"


def item(n: int, *, title: str | None = None, extra: str = "") -> str:
    return (
        f"<item><title>{title or f'Harbour story {n}'}</title>"
        f"<link>https://harbour.example/{n}</link><guid>https://harbour.example/{n}</guid>"
        f"<description>Quay report number {n}.{extra}</description>"
        f"<pubDate>Mon, 23 Nov 2026 0{n % 10}:00:00 +0000</pubDate></item>"
    )


def rss(*items: str, built: str = "08:00", channel_attrs: str = "", prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}\n'
        f'<!-- generated at {built} -->\n<rss version="2.0"><channel{channel_attrs}>'
        f"<title>Harbour Gazette</title><link>https://harbour.example/</link>"
        f"<lastBuildDate>Mon, 23 Nov 2026 {built}:00 +0000</lastBuildDate>\n"
        + "\n".join(items)
        + "\n</channel></rss>"
    ).encode()


def atom(*ids: int, updated: str = "08:00") -> bytes:
    entries = "".join(
        f"<entry><id>urn:harbour:{n}</id><title>Atom story {n}</title>"
        f'<link href="https://harbour.example/a/{n}"/><updated>2026-11-23T0{n}:00:00Z</updated>'
        f"<summary>Entry {n}</summary></entry>\n"
        for n in ids
    )
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Harbour</title><updated>2026-11-23T{updated}:00Z</updated>\n{entries}</feed>"
    ).encode()


def parse_after(previous: bytes, body: bytes, content_type: str | None = None) -> ParsedFeed:
    first = parse_feed(previous, url=URL, content_type=content_type)
    return parse_feed(body, url=URL, content_type=content_type, last=first.prints)


def assert_sound(previous: bytes, body: bytes, content_type: str | None = None) -> ParsedFeed:
    """The incremental parse is the whole parse without entries the previous body had."""
    before = parse_feed(previous, url=URL, content_type=content_type).entries
    whole = parse_feed(body, url=URL, content_type=content_type).entries
    trimmed = parse_after(previous, body, content_type)
    kept = list(trimmed.entries)
    assert kept == [e for e in whole if e in kept]  # same entries, same order
    assert all(e in before for e in whole if e not in kept)  # only old ones were left out
    assert len(kept) + trimmed.unchanged == len(whole)
    return trimmed


def test_only_the_new_item_is_parsed_when_the_rest_repeats() -> None:
    previous = rss(item(1), item(2), item(3))
    body = rss(item(4), item(1), item(2), item(3), built="08:05")  # new header text and comment
    parsed = assert_sound(previous, body)
    assert [e.title for e in parsed.entries] == ["Harbour story 4"]
    assert parsed.unchanged == 3 and parsed.title == "Harbour Gazette"


def test_an_edited_item_is_parsed_again() -> None:
    previous = rss(item(1), item(2))
    body = rss(item(1), item(2, title="Harbour story 2, corrected"))
    parsed = assert_sound(previous, body)
    assert [e.title for e in parsed.entries] == ["Harbour story 2, corrected"]


def test_every_item_unchanged_leaves_no_entries_but_a_feed() -> None:
    previous = rss(item(1), item(2))
    parsed = assert_sound(previous, rss(item(1), item(2), built="09:00"))
    assert parsed.entries == () and parsed.unchanged == 2 and parsed.prints is not None


def test_atom_entries_are_skipped_too() -> None:
    parsed = assert_sound(atom(1, 2), atom(3, 1, 2, updated="09:00"))
    assert [e.title for e in parsed.entries] == ["Atom story 3"] and parsed.unchanged == 2


@pytest.mark.parametrize(
    "changed",
    [
        {"channel_attrs": ' xml:base="https://elsewhere.example/"'},
        {"prolog": '<!DOCTYPE rss [<!ENTITY amp "&#38;#38;">]>'},  # the one kind allowed
    ],
    ids=["xml-base", "doctype-entities"],
)
def test_a_changed_context_parses_everything(changed: dict[str, str]) -> None:
    previous = rss(item(1), item(2))
    parsed = assert_sound(previous, rss(item(1), item(2), **changed))
    assert parsed.unchanged == 0 and len(parsed.entries) == 2


def test_a_changed_charset_parses_everything() -> None:
    body = rss(item(1), item(2))
    first = parse_feed(body, url=URL, content_type="application/rss+xml; charset=utf-8")
    again = parse_feed(body, url=URL, content_type="text/xml; charset=latin-1", last=first.prints)
    assert again.unchanged == 0 and len(again.entries) == 2


@pytest.mark.parametrize(
    "body",
    [
        # CDATA holding what looks like an item boundary: splitting there would cut an item.
        rss(item(1, extra="<![CDATA[ x </item> <item> y ]]>"), item(2)),
        rss(item(1), "<!-- an old one -->", item(2)),  # markup between items
        rss(item(1).replace("<item>", "<item><item>"), item(2)),  # an item in an item
        b'<rss version="2.0" xmlns:r="http://backend.userland.com/rss2"><channel>'
        b"<r:item><title>x</title></r:item></channel></rss>",  # namespaced items
        b"<rss><channel><title>no items</title></channel></rss>",
    ],
    ids=["cdata-boundary", "comment-between", "nested", "prefixed", "no-items"],
)
def test_unusual_bodies_are_parsed_whole(body: bytes) -> None:
    trimmed = trim_unchanged(body, None, BodyPrints(0, frozenset()))
    assert trimmed.prints is None and trimmed.body == body and trimmed.unchanged == 0


def test_hostile_bodies_are_given_up_on_in_one_pass() -> None:
    # Quadratic splitting would take hours on these (each is a few MB); one pass takes ms.
    unclosed = b"<rss><channel>" + b"<item><title>x</title>" * 200_000
    long_header = b"<rss><channel>" + b"<<<<" * 4000 + item(1).encode() + b"</channel></rss>"
    for body in (unclosed, long_header, b"<item>" + b"<!--" * 1_000_000):
        assert trim_unchanged(body, None, None).prints is None


def test_the_cdata_trap_loses_nothing() -> None:
    tricky = item(3, extra="<![CDATA[ </item> <item> ]]>")
    previous = rss(item(1), item(2))
    parsed = assert_sound(previous, rss(tricky, item(1), item(2)))
    assert parsed.unchanged == 0 and len(parsed.entries) == 3


def test_an_unparsable_remainder_is_still_read_as_a_feed() -> None:
    # Items removed from a body whose header is broken: feedparser's loose parser reads it.
    previous = rss(item(1), item(2)).replace(b"<title>Harbour Gazette", b"<title>Harbour & Co")
    body = previous.replace(item(1).encode(), item(5).encode() + b"\n" + item(1).encode())
    parsed = assert_sound(previous, body)
    assert [e.title for e in parsed.entries] == ["Harbour story 5"]


def _real_sequences(per_feed: int) -> dict[str, list[bytes]]:
    bodies: dict[str, list[bytes]] = defaultdict(list)
    with (SNAPSHOTS / "index.csv").open(newline="") as index:
        for row in csv.DictReader(index):
            if len(bodies[row["feed"]]) < per_feed and int(row["raw_bytes"]) > 0:
                bodies[row["feed"]].append(gzip.decompress((SNAPSHOTS / row["file"]).read_bytes()))
    return bodies


def test_real_snapshot_sequences_lose_no_entry() -> None:
    if not (SNAPSHOTS / "index.csv").is_file():
        pytest.skip(f"{SNAPSHOTS} is absent")
    skipped = 0
    for feed, bodies in _real_sequences(per_feed=7).items():
        for previous, body in pairwise(bodies):
            try:
                skipped += assert_sound(previous, body).unchanged
            except NotAFeedError:
                continue  # an error page instead of a capture
        assert bodies, feed
    assert skipped > 500  # the corpus repeats most items between captures
