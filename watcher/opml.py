"""OPML 2.0 in and out: the feed list other readers exchange, and merging it into config.toml.

Pure functions of bytes and text; the command line (cli/feeds.py) reads and writes the files.

Import never rewrites what a person wrote: the new feeds are *appended* to config.toml as
``[[feed]]`` tables under a comment naming the OPML file and the date, so every hand-written
line, comment and order stays as it was. A feed whose URL the config already lists (or that the
OPML lists twice) is skipped, so importing the same file again adds nothing. The merged text is
parsed again before anything is written; a config that cannot take ``[[feed]]`` tables (e.g. one
that writes ``feed = [...]`` inline) is refused as a whole.
"""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from watcher.errors import ConfigError, Diagnostic
from watcher.model import Feed
from watcher.redact import redact

_HTTP_URL = re.compile(r"^https?://[^/\s]+\S*$")
# TOML basic strings may hold anything but these unescaped (toml.io, "String").
_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str | None
    category: str = ""  # the outline folders it sat in, "News/World"


@dataclass(frozen=True, slots=True)
class Merge:
    text: str  # the whole new config text
    added: tuple[OpmlFeed, ...]
    skipped: tuple[tuple[OpmlFeed, str], ...]  # with the reason


def parse_opml(data: bytes, source: str = "OPML") -> list[OpmlFeed]:
    """Every outline with an xmlUrl, in document order; ConfigError if it is not OPML."""
    if b"<!ENTITY" in data:  # no OPML needs entity declarations; they are how XML bombs work
        raise ConfigError([Diagnostic(source, 1, 1, "OPML with entity declarations refused")])
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ConfigError([Diagnostic(source, line, col + 1, f"not valid XML: {exc}")]) from exc
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ConfigError([Diagnostic(source, 1, 1, "not OPML: expected <opml> with a <body>")])
    return list(_outlines(body, ()))


def _outlines(parent: ET.Element, folders: tuple[str, ...]) -> Iterable[OpmlFeed]:
    for outline in parent.findall("outline"):
        label = (outline.get("title") or outline.get("text") or "").strip() or None
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            yield OpmlFeed(url=url, title=label, category="/".join(folders))
        yield from _outlines(outline, folders + ((label,) if label and not url else ()))


def render_opml(feeds: Sequence[Feed], *, title: str, now: datetime) -> bytes:
    """OPML 2.0 listing `feeds` by their configured URL (their identity in watcher), any
    credentials in it redacted: an export is shared, a password must not travel with it."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now, usegmt=True)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        url = redact(feed.url)
        ET.SubElement(body, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=url)
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return text + b"\n"


def merge_into_config(
    config_text: str,
    feeds: Sequence[OpmlFeed],
    *,
    source: str,
    now: datetime,
    config_name: str = "config.toml",
) -> Merge:
    """Append the feeds the config does not list yet as [[feed]] tables (see the docstring)."""
    existing = _configured_urls(config_text, config_name)
    added: list[OpmlFeed] = []
    skipped: list[tuple[OpmlFeed, str]] = []
    for feed in feeds:
        if not _HTTP_URL.match(feed.url):
            skipped.append((feed, "not an http(s) URL"))
        elif feed.url in existing:
            skipped.append((feed, "already in the config"))
        else:
            existing.add(feed.url)
            added.append(feed)
    if not added:
        return Merge(config_text, (), tuple(skipped))
    text = config_text.rstrip("\n") + "\n\n" + feed_tables(added, source=source, now=now)
    _parses(text, config_name)
    return Merge(text, tuple(added), tuple(skipped))


def feed_tables(feeds: Iterable[OpmlFeed], *, source: str, now: datetime) -> str:
    lines = [f"# Imported from {_one_line(source)} on {now:%Y-%m-%d} by `watcher feeds import`."]
    for feed in feeds:
        lines += ["", "[[feed]]", f"url = {toml_string(feed.url)}"]
        if feed.title:
            lines.append(f"name = {toml_string(feed.title)}")
        if feed.category:
            lines[-1] += f"  # {_one_line(feed.category)}"
    return "\n".join(lines) + "\n"


def toml_string(value: str) -> str:
    """`value` as a TOML basic string."""
    out = []
    for char in value:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _configured_urls(text: str, config_name: str) -> set[str]:
    feeds = _parses(text, config_name).get("feed", [])
    if not isinstance(feeds, list):
        raise ConfigError([Diagnostic(config_name, 1, 1, "feed: expected [[feed]] tables")])
    return {f["url"] for f in feeds if isinstance(f, dict) and isinstance(f.get("url"), str)}


def _parses(text: str, config_name: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = (
            f"cannot add [[feed]] tables to this config ({exc}); add the feeds by hand or "
            "write the existing ones as [[feed]] tables"
        )
        raise ConfigError([Diagnostic(config_name, 1, 1, message)]) from exc


def _one_line(text: str) -> str:
    return " ".join(text.split())
