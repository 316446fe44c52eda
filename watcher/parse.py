"""Feed bytes + response headers -> ParsedFeed.

The only module that touches feedparser's loose dicts: RSS and Atom go through feedparser; JSON
Feed 1.x is read here with the json module, because feedparser 6.0.x does not know it. Every
title, summary and content leaves this module as HTML (plain-text fields are escaped), and every
date as an aware UTC datetime. Anything that is not a feed raises NotAFeedError, and nothing else
is raised.
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
from typing import Any
from urllib.parse import urljoin

import feedparser

from watcher.errors import NotAFeedError
from watcher.model import BodyPrints, ParsedEntry, ParsedFeed
from watcher.normalize import as_utc
from watcher.unchanged import trim_unchanged

_BOM = b"\xef\xbb\xbf"
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_FIRST_ELEMENT = re.compile(rb"<\w")
_ENTITY_DECL = re.compile(rb"""<!ENTITY\s+(?:%\s+)?([\w.:-]+)\s+(?:"([^"]*)"|'([^']*)')""")
_HTML_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_MESSAGE_LIMIT = 200


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, last: BodyPrints | None = None
) -> ParsedFeed:
    """Read one fetched body. `url` is the address it came from (relative links resolve
    against it); `content_type` the response's Content-Type, whose charset feedparser honours.

    `last` is what the feed's previous body left (its ParsedFeed.prints): the RSS or Atom items
    that body held byte for byte are not parsed again, and are counted in `unchanged` instead
    of appearing in `entries` (see unchanged.py).
    """
    stripped = body.removeprefix(_BOM).strip()
    if not stripped:
        raise NotAFeedError("not a feed: empty body")
    if stripped[:1] in (b"{", b"["):  # sniffed, not trusted to Content-Type
        return _parse_json_feed(stripped)
    trimmed = trim_unchanged(body, content_type, last)
    parsed = _parse_xml_feed(trimmed.body, url=url, content_type=content_type)
    return replace(parsed, prints=trimmed.prints, unchanged=trimmed.unchanged)


# --- RSS and Atom through feedparser -------------------------------------------------------


def _parse_xml_feed(body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    # No Content-Location: feedparser would resolve every guid against it as a URL, so a
    # moved feed would see all its guids change. Links are resolved here instead.
    headers = {"content-type": content_type} if content_type else {}
    prepared = _entities_on_own_lines(body)
    try:
        # A BytesIO, not the bytes: feedparser treats a bare string as a URL or a file name.
        doc = feedparser.parse(
            io.BytesIO(prepared),
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
    bozo_exc = doc.get("bozo_exception")
    channel = doc.get("feed", {})
    return ParsedFeed(
        title=_text(channel, "title"),
        link=_resolve(url, _str(_get(channel, "link"))),
        entries=entries,
        bozo=bool(doc.get("bozo")),
        bozo_message=_short(bozo_exc) if bozo_exc is not None else None,
        ttl=_ttl(_get(channel, "ttl")),
    )


def _entities_on_own_lines(body: bytes) -> bytes:
    """Start each DTD declaration on a line of its own; refuse entities built of entities.

    feedparser drops nested entity declarations ("billion laughs") only when they start a line;
    written on one line they reach expat, which expands megabytes (~1 s) before its own limit.
    An entity defined by other entities has no business in a news feed: such a document is an
    attack, refused as not a feed (so the feed shows as failing) rather than half-read.
    """
    first_element = _FIRST_ELEMENT.search(body)
    end = first_element.start() if first_element else len(body)
    if b"<!ENTITY" not in body[:end]:
        return body
    _refuse_nested_entities(body[:end])
    head = body[:end].replace(b"<!ENTITY", b"\n<!ENTITY").replace(b"<!DOCTYPE", b"\n<!DOCTYPE")
    return head + body[end:]


def _refuse_nested_entities(prolog: bytes) -> None:
    declared = _ENTITY_DECL.findall(prolog)
    names = {name for name, _, _ in declared}
    for _, double, single in declared:
        value = double or single
        if any(b"&" + n + b";" in value or b"%" + n + b";" in value for n in names):
            raise NotAFeedError("not a feed: entities defined by entities (a 'billion laughs')")


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
        published=_utc(_get(raw, "published_parsed")),
        updated=_utc(_get(raw, "updated_parsed")),
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


def _text(raw: dict[str, Any], key: str) -> str | None:
    """The field as HTML: feedparser hands text/plain fields over unescaped."""
    value = _str(_get(raw, key))
    detail = _get(raw, f"{key}_detail")
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    return _as_html(value, kind)


def _fullest_content(blocks: Any) -> str | None:
    if not isinstance(blocks, list):
        return None
    best: str | None = None
    for block in blocks:
        if not isinstance(block, Mapping):
            continue
        value = _as_html(_str(block.get("value")), block.get("type"))
        if value and (best is None or len(value) > len(best)):
            best = value
    return best


def _as_html(value: str | None, kind: Any) -> str | None:
    if value is not None and kind == "text/plain":
        return html.escape(value, quote=False)
    return value


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
    text = _as_html(_str(item.get("content_text")), "text/plain")
    content = _str(item.get("content_html")) or text
    guid = item.get("id")
    return ParsedEntry(
        guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else None,
        link=_str(item.get("url")) or _str(item.get("external_url")),
        title=_as_html(_str(item.get("title")), "text/plain"),
        summary=_as_html(_str(item.get("summary")), "text/plain"),
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
