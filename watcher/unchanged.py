"""Which items of a feed body are byte for byte those of the feed's last body, so that only the
rest is parsed.

A feed that changed usually gained an item or two and repeats the rest exactly: parsing the
whole body again (feedparser: ~0.25 ms an item) costs more than everything watcher does with the
new items. So each RSS ``<item>`` or Atom ``<entry>`` element is hashed as bytes, and an element
the last body also held, in the same context, is cut out before parsing: it was ingested then.

The context is everything that could make the same bytes parse differently: the Content-Type
(charset) and the markup before the first item — the XML declaration, the DOCTYPE and its
entities, and every tag with its attributes (namespaces, xml:base, xml:lang, the version). The
text between those tags is left out, so a new ``<lastBuildDate>`` does not count as a change.

Anything unusual means no cut, never a guess: items with a namespace prefix, markup other than
white space between two items, an item holding another item's start tag, or unbalanced CDATA
sections or comments inside an item. Then the whole body is parsed, as it always is the first
time and after a restart (the memory of the last body is the caller's, in memory only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import xxhash

from watcher.model import BodyPrints

# The start tag of an item or entry element; the element runs to the first end tag of its name.
_START = re.compile(rb"<(item|entry)[\s>]")
_NESTED = {b"item": re.compile(rb"<item[\s>/]"), b"entry": re.compile(rb"<entry[\s>/]")}
# A tag, a declaration or a comment's opening, with quoted attribute values kept whole (a ">"
# inside quotes does not end it).
_MARKUP = re.compile(rb"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_COMMENT = re.compile(rb"<!--.*?-->", re.S)  # says nothing to a parser; often a timestamp
# The channel's own title and link elements (a <link> of RSS, or Atom's empty <link .../>).
_TITLE = re.compile(rb"<title[\s>].*?</title\s*>", re.S)
_LINK = re.compile(rb"<link[\s>/][^>]*>(?:[^<]*</link\s*>)?")
# Real headers (channel title, link, image...) are 0.4-1.6 KB; a longer one is parsed whole,
# which also bounds the regexes above on hostile input.
MAX_HEADER = 8192


@dataclass(frozen=True, slots=True)
class Trimmed:
    """A body with the items the last body held cut out; `prints` is None when it could not be
    split safely (then `body` is the body as it came)."""

    body: bytes
    prints: BodyPrints | None
    unchanged: int  # how many items were cut out


def trim_unchanged(body: bytes, content_type: str | None, last: BodyPrints | None) -> Trimmed:
    """`body` without the item elements that `last` (the feed's previous body) also held."""
    found = _split(body)
    if found is None:
        return Trimmed(body, None, 0)
    header, spans = found
    context = _context(header, content_type)
    hashes = [xxhash.xxh3_128_intdigest(body[start:end]) for start, end in spans]
    prints = BodyPrints(context, frozenset(hashes))
    if last is None or last.context != context:
        return Trimmed(body, prints, 0)
    kept = [span for span, digest in zip(spans, hashes, strict=True) if digest not in last.items]
    if len(kept) == len(spans):
        return Trimmed(body, prints, 0)
    parts = [body[: spans[0][0]]]
    parts.extend(body[start:end] for start, end in kept)
    parts.append(body[spans[-1][1] :])
    return Trimmed(b"\n".join(parts), prints, len(spans) - len(kept))


def feed_mark(body: bytes) -> bytes | None:
    """The channel's title and link elements as written in the markup before the first item,
    or None when there is no such markup: what tells one feed's bodies from another's without
    parsing them (replay.py guesses a saved file's feed by it, and checks the guess)."""
    found = _START.search(body, 0, MAX_HEADER + 8)
    if found is None or found.start() > MAX_HEADER:
        return None
    header = body[: found.start()]
    title, link = _TITLE.search(header), _LINK.search(header)
    if title is None and link is None:
        return None
    return b"\0".join(m.group() if m else b"" for m in (title, link))


def _split(body: bytes) -> tuple[bytes, list[tuple[int, int]]] | None:
    """The markup before the first item and the span of each item, or None when unsure.
    One pass: each search starts where the last item ended."""
    found = _START.search(body)
    if found is None or found.start() > MAX_HEADER:
        return None
    name = found.group(1)
    close = b"</" + name
    spans: list[tuple[int, int]] = []
    while found is not None:
        start = found.start()
        if found.group(1) != name or (spans and not _blank(body, spans[-1][1], start)):
            return None
        end = body.find(close, start)
        stop = body.find(b">", end) + 1
        if end < 0 or stop == 0 or not _blank(body, end + len(close), stop - 1):
            return None
        if not _whole(body[start:stop], name):
            return None
        spans.append((start, stop))
        found = _START.search(body, stop)
    return body[: spans[0][0]], spans


def _blank(body: bytes, start: int, end: int) -> bool:
    return start == end or body[start:end].isspace()


def _whole(element: bytes, name: bytes) -> bool:
    """One element and only one: no second start tag inside it (an item whose CDATA holds
    "</item> <item>" would otherwise be cut in two), CDATA sections and comments closed."""
    return (
        _NESTED[name].search(element, 1) is None
        and element.count(b"<![CDATA[") == element.count(b"]]>")
        and element.count(b"<!--") == element.count(b"-->")
    )


def _context(header: bytes, content_type: str | None) -> int:
    """Hash of what can change how an item parses: the charset, any bytes before the first
    "<" (a byte-order mark), and all the markup before the first item, without its text and
    comments."""
    lead = header[: header.find(b"<")] if b"<" in header else header
    markup = b"".join(_MARKUP.findall(_COMMENT.sub(b"", header)))
    return xxhash.xxh3_128_intdigest(b"\0".join((str(content_type).encode(), lead, markup)))
