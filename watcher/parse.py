"""Feed bytes + response headers -> ParsedFeed.

The only module that touches feedparser's loose dicts: RSS and Atom go through feedparser, or,
for an ordinary RSS 2.0 or Atom 1.0 body, through fastparse.py, which builds the same dicts
several times faster (read here by the same code); JSON Feed 1.x is read here with the json
module, because feedparser 6.0.x does not know it. Every title, summary and content leaves
this module as HTML (plain-text fields are escaped), and every date as an aware UTC datetime.
Anything that is not a feed raises NotAFeedError, and nothing else is raised.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urljoin

import feedparser
from feedparser.encodings import convert_to_utf8  # the check sees what feedparser will

from watcher import fastparse
from watcher.errors import NotAFeedError
from watcher.model import BodyPrints, ParsedEntry, ParsedFeed
from watcher.normalize import as_utc
from watcher.unchanged import trim_unchanged

# feedparser asks xml.sax for libxml2's old SAX driver first (api.PREFERRED_XML_PARSERS):
# where its Python bindings are missing (nearly everywhere) every parse pays a failed import,
# a search of sys.path (~60 µs a body), and where they are installed the documents are read by
# another parser than the one the entity check below was written for (feedparser issue #506:
# the driver is deprecated upstream). Python's own expat reads every body.
feedparser.api.PREFERRED_XML_PARSERS = []

_BOM = b"\xef\xbb\xbf"
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
# Any entity declaration, however written; group 1 marks a parameter entity.
_ENTITY_DECL = re.compile(rb"""<!\s*ENTITY\s*(%\s*)?([^\s"'>]*)\s*(?:"([^"]*)"|'([^']*)')?""", re.I)
_BUILTIN_ENTITIES = frozenset((b"lt", b"gt", b"amp", b"apos", b"quot"))
_BUILTIN_VALUE_MAX = 10  # XML 1.0 4.6 writes them as e.g. "&#38;#60;"
_NAME_START = re.compile(rb"[A-Za-z_:\x80-\xff]")
_DECLARATION_TOKEN = re.compile(rb""""[^"]*"|'[^']*'|<!--.*?-->|[\[\]>]""", re.S)
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_MESSAGE_LIMIT = 200


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    last: BodyPrints | None = None,
    fast: bool = True,
) -> ParsedFeed:
    """Read one fetched body. `url` is the address it came from (relative links resolve
    against it); `content_type` the response's Content-Type, whose charset feedparser honours.

    `last` is what the feed's previous body left (its ParsedFeed.prints): the RSS or Atom items
    that body held byte for byte are not parsed again, and are counted in `unchanged` instead
    of appearing in `entries` (see unchanged.py). `fast=False` gives every RSS and Atom body
    to feedparser (bench/check_fastparse.py compares the two ways).
    """
    stripped = body.removeprefix(_BOM).strip()
    if not stripped:
        raise NotAFeedError("not a feed: empty body")
    if stripped[:1] in (b"{", b"["):  # sniffed, not trusted to Content-Type
        return _parse_json_feed(stripped)
    trimmed = trim_unchanged(body, content_type, last)
    parsed = _parse_xml_feed(trimmed.body, url=url, content_type=content_type, fast=fast)
    return replace(parsed, prints=trimmed.prints, unchanged=trimmed.unchanged)


# --- RSS and Atom through feedparser -------------------------------------------------------


def _parse_xml_feed(body: bytes, *, url: str, content_type: str | None, fast: bool) -> ParsedFeed:
    text, clean = _as_feedparser_sees_it(body, content_type)
    prolog = text[: _root_start(text)]
    _refuse_entity_declarations(prolog)
    # An ordinary RSS 2.0 or Atom 1.0 body is read by fastparse.py, to the same dicts
    # feedparser builds, several times faster; anything it is unsure of goes to feedparser.
    found = fastparse.read(text, prolog) if fast and clean else None
    if found is not None:
        channel, raw_entries = found
        entries = tuple(_entry(e, url) for e in raw_entries)
        return _parsed_feed(channel, entries, url=url, bozo=False, bozo_exc=None)
    # No Content-Location: feedparser would resolve every guid against it as a URL, so a
    # moved feed would see all its guids change. Links are resolved here instead.
    headers = {"content-type": content_type} if content_type else {}
    try:
        # A BytesIO, not the bytes: feedparser treats a bare string as a URL or a file name.
        doc = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            # Both only rework HTML that normalize turns into plain text anyway (dropping
            # script and style itself), and nothing from a feed is ever shown as HTML: ~11%
            # of feedparser's time saved.
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # a library failure on hostile input is still "not a feed"
        raise NotAFeedError(f"not a feed: the parser failed ({_short(exc)})") from exc
    entries = tuple(_entry(e, url) for e in doc.get("entries", ()))
    if not doc.get("version") and not entries:
        raise NotAFeedError(_not_a_feed_message(body, doc))
    channel = doc.get("feed", {})
    return _parsed_feed(
        channel, entries, url=url, bozo=bool(doc.get("bozo")), bozo_exc=doc.get("bozo_exception")
    )


def _parsed_feed(
    channel: Mapping[str, Any],
    entries: tuple[ParsedEntry, ...],
    *,
    url: str,
    bozo: bool,
    bozo_exc: BaseException | None,
) -> ParsedFeed:
    raw = channel if isinstance(channel, dict) else {}
    return ParsedFeed(
        title=_text(raw, "title"),
        link=_resolve(url, _str(_get(raw, "link"))),
        entries=entries,
        bozo=bozo,
        bozo_message=_short(bozo_exc) if bozo_exc is not None else None,
        ttl=_ttl(_get(raw, "ttl")),
    )


def _refuse_entity_declarations(prolog: bytes) -> None:
    """Refuse a document whose prolog declares entities beyond the XML built-ins.

    A news feed has no use for its own entities, and they are how a small body grows huge in
    the parser: nested ones ("billion laughs"), or one big entity referenced many times (a
    "quadratic blowup": 1 MB x 400 references cost 4 GB). feedparser expands such entities in
    both of its parsers, so such a document is refused as not a feed (the feed shows as
    failing) rather than half-read. The check looks at the prolog (cut by the caller) as
    feedparser will see it, i.e. after its own conversion to UTF-8 (an entity can hide in
    UTF-16, UTF-7 or EBCDIC),
    up to the root element found outside comments, processing instructions and the DOCTYPE
    (`<!-- <x -->` before the DOCTYPE does not end it), comments included, in any case and
    spacing (`<!entity`, `<! ENTITY`), parameter entities too.
    """
    for found in _ENTITY_DECL.finditer(prolog):
        name, value = found.group(2), found.group(3) or found.group(4)
        builtin = found.group(1) is None and name in _BUILTIN_ENTITIES
        if not (builtin and value is not None and len(value) <= _BUILTIN_VALUE_MAX):
            raise NotAFeedError(
                "not a feed: it declares XML entities (a 'billion laughs' or quadratic "
                "blowup; a news feed needs none)"
            )


def _as_feedparser_sees_it(body: bytes, content_type: str | None) -> tuple[bytes, bool]:
    """The body in UTF-8, converted by feedparser's own rules (~10 ms a MB), and whether the
    conversion was clean (an encoding found, no bozo: then feedparser's strict parser reads
    the result as it is)."""
    headers = {"content-type": content_type} if content_type else {}
    result: dict[str, Any] = {}
    try:
        converted: bytes = convert_to_utf8(headers, body, result)
    except Exception:  # an undecodable body is judged as it is (feedparser will fail too)
        return body, False
    return converted, bool(result.get("encoding")) and not result.get("bozo")


def _root_start(text: bytes) -> int:
    """Where the root element starts: the first `<` + name character outside a comment, a
    processing instruction or a declaration (quotes and the internal subset respected)."""
    pos, size = 0, len(text)
    while (lt := text.find(b"<", pos)) >= 0:
        if text.startswith(b"<!--", lt):
            end = text.find(b"-->", lt + 4)
            pos = size if end < 0 else end + 3
        elif text.startswith(b"<?", lt):
            end = text.find(b"?>", lt + 2)
            pos = size if end < 0 else end + 2
        elif text.startswith(b"<!", lt):
            pos = _declaration_end(text, lt + 2)
        elif _NAME_START.match(text, lt + 1):
            return lt
        else:
            pos = lt + 1
    return size


def _declaration_end(text: bytes, pos: int) -> int:
    depth = 0
    for token in _DECLARATION_TOKEN.finditer(text, pos):
        mark = token.group()
        if mark == b"[":
            depth += 1
        elif mark == b"]":
            depth = max(0, depth - 1)
        elif mark == b">" and depth == 0:
            return token.end()
    return len(text)


def _not_a_feed_message(body: bytes, doc: Mapping[str, Any]) -> str:
    head = body[:4096]
    if _HTML_START.search(head):
        found = _HTML_TITLE.search(body[:65536])
        title = " ".join(found.group(1).decode("utf-8", "replace").split()) if found else ""
        title = html.unescape(title)[:120]
        return f"not a feed: got an HTML page (title: {title or 'none'})"
    reason = doc.get("bozo_exception")
    detail = f" ({_short(reason)})" if reason is not None else ""
    return f"not a feed: no RSS, Atom or JSON Feed content{detail}"


def _entry(raw: dict[str, Any], url: str) -> ParsedEntry:
    return ParsedEntry(
        guid=_str(_get(raw, "id")),
        link=_resolve(url, _str(_get(raw, "link"))),
        title=_text(raw, "title"),
        summary=_text(raw, "summary"),
        content=_fullest_content(_get(raw, "content")),
        published=_dated(raw, "published"),
        updated=_dated(raw, "updated"),
        author=_str(_get(raw, "author")),
    )


def _get(raw: dict[str, Any], key: str) -> Any:
    # dict.get, not raw.get: FeedParserDict's own lookup maps a missing key to another one
    # (updated_parsed -> published_parsed, with a DeprecationWarning).
    return dict.get(raw, key) if isinstance(raw, dict) else None


def _resolve(base: str, link: str | None) -> str | None:
    if link is None or not base or link.lower().startswith(("http://", "https://")):
        return link  # absolute already (nearly always): urljoin costs more than the rest
    try:
        return urljoin(base, link.strip())
    except ValueError:  # a malformed link stays as given; normalize decides what it is worth
        return link


# Where a feed writes plain text, a blank line is a paragraph break as its writer meant it:
# kept as a line break (boilerplate.py finds a site's "Related Articles" line and "Read more:"
# heads by lines). A single newline in RSS or Atom text often only wraps a long line.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_Lines = Literal["", "paragraphs", "every"]


def _text(raw: dict[str, Any], key: str) -> str | None:
    """The field as HTML: feedparser hands text/plain fields over unescaped."""
    value = _str(_get(raw, key))
    detail = _get(raw, f"{key}_detail")
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    return _as_html(value, kind, lines="" if key == "title" else "paragraphs")


def _fullest_content(blocks: Any) -> str | None:
    if not isinstance(blocks, list):
        return None
    best: str | None = None
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        value = _as_html(_str(block.get("value")), block.get("type"), lines="paragraphs")
        if value and (best is None or len(value) > len(best)):
            best = value
    return best


def _as_html(value: str | None, kind: Any, *, lines: _Lines = "") -> str | None:
    """`value` as HTML. Plain text (text/plain, or HTML without a tag) keeps its blank lines as
    line breaks when `lines` is "paragraphs", every line when "every" (a JSON Feed's
    content_text, plain text by definition); a title ("") stays one line."""
    if value is None or (kind != "text/plain" and (not lines or "<" in value)):
        return value
    escaped = html.escape(value, quote=False) if kind == "text/plain" else value
    if lines == "every":
        return escaped.replace("\n", "<br>")
    return _BLANK_LINE.sub("<br>", escaped) if lines and "\n" in escaped else escaped


# Zone names news feeds write that feedparser does not know: it reads them as UTC, which put
# a Tokyo outlet's "10:00:00 JST" nine hours late. Minutes east of UTC. "IST" is India's, as
# Indian outlets write it; feedparser's own names (EST, PDT, MEST, ...) are left to it.
_ZONES = {
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "WET": 0, "WEST": 60, "BST": 60,
    "EET": 120, "EEST": 180, "MSK": 180, "IST": 330, "PKT": 300, "SGT": 480, "HKT": 480,
    "JST": 540, "KST": 540, "AWST": 480, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780,
}  # fmt: skip
_ZONE_NAME = re.compile(r"\d\s*([A-Za-z]{3,4})\s*$")


def _dated(raw: dict[str, Any], key: str) -> datetime | None:
    """The entry's `key` date in UTC, a zone name feedparser read as UTC corrected."""
    moment = _utc(_get(raw, f"{key}_parsed"))
    text = _get(raw, key)
    if moment is None or not isinstance(text, str):
        return moment
    found = _ZONE_NAME.search(text)
    east = _ZONES.get(found.group(1).upper()) if found else None
    return moment if east is None else moment - timedelta(minutes=east)


def _utc(parsed: Any) -> datetime | None:
    """feedparser's *_parsed values are struct_time in UTC; some are out of range."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _ttl(value: Any) -> timedelta | None:
    try:
        minutes = int(str(value).strip())
    except ValueError:
        return None
    return timedelta(minutes=minutes) if 0 < minutes <= 7 * 24 * 60 else None


# --- JSON Feed 1.x -------------------------------------------------------------------------


def _parse_json_feed(body: bytes) -> ParsedFeed:
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise NotAFeedError(f"not a feed: invalid JSON ({_short(exc)})") from exc
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or not version.startswith(_JSON_FEED_VERSION):
        raise NotAFeedError("not a feed: JSON without a JSON Feed version")
    items = doc.get("items")
    listed = items if isinstance(items, list) else []
    entries = tuple(_json_entry(i) for i in listed if isinstance(i, dict))
    return ParsedFeed(
        title=_as_html(_str(doc.get("title")), "text/plain"),
        link=_str(doc.get("home_page_url")),
        entries=entries,
        bozo=not isinstance(items, list),
        bozo_message=None if isinstance(items, list) else "JSON Feed without an items list",
    )


def _json_entry(item: Mapping[str, Any]) -> ParsedEntry:
    text = _as_html(_str(item.get("content_text")), "text/plain", lines="every")
    content = _str(item.get("content_html")) or text
    guid = item.get("id")
    return ParsedEntry(
        guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else None,
        link=_str(item.get("url")) or _str(item.get("external_url")),
        title=_as_html(_str(item.get("title")), "text/plain"),
        summary=_as_html(_str(item.get("summary")), "text/plain", lines="every"),
        content=content,
        published=_iso_utc(item.get("date_published")),
        updated=_iso_utc(item.get("date_modified")),
        author=_json_author(item),
    )


def _json_author(item: Mapping[str, Any]) -> str | None:
    authors = item.get("authors")  # 1.1; 1.0 had a single "author"
    first = authors[0] if isinstance(authors, list) and authors else item.get("author")
    return _str(first.get("name")) if isinstance(first, dict) else None


def _iso_utc(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return as_utc(datetime.fromisoformat(value.strip()))
    except (ValueError, OverflowError):
        return None


# --- helpers -------------------------------------------------------------------------------


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"
