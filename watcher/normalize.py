"""Pure text and URL normalization: ParsedEntry -> Item.

Owns the canonical form of a link (no tracking parameters, no fragment, sorted query), the
HTML-to-plain-text conversion, aware UTC times and the stable item key. Nothing here does I/O or
reads the clock: the fetch time is passed in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

from watcher.model import Feed, Item, ParsedEntry, ParsedFeed

# Query parameters that only say where a click came from. Dropped so that one article reached
# through a newsletter, a social share and a feed gets one canonical URL.
TRACKING_PREFIXES = ("utm_", "ns_", "at_", "pk_", "mtm_", "hsa_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",
        "igshid",  # Instagram
        "mc_cid",  # Mailchimp
        "mc_eid",
        "_hsenc",  # HubSpot
        "_hsmi",
        "mkt_tok",  # Marketo
        "ocid",  # MSN / Microsoft Start
        "cmpid",  # Telegraph, Fox and others: campaign id
        "cmp",  # Guardian "CMP=share_btn_tw" (matched case-insensitively)
        "smid",  # New York Times share ids
        "smtyp",
        "emc",  # New York Times feed links: ?emc=rss&partner=rss
        "_ga",
        "_gl",
        # Where a click came from, as feeds tag their own links: SMH and NZ Herald "?ref=rss",
        # Daily Mail "?ito=1490", YouTube "&feature=share", many "?source=rss".
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "source",
        "ito",
        "feature",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left as they are in a path; anything else (spaces, non-ASCII) is percent-encoded.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.\-~/%:@!$&'()*+,;=]*")  # quote()'s safe set + _PATH_SAFE
# An absolute http(s) link whose host is a plain name (no user, port nor IPv6 literal) and that
# holds no space or control character (urlsplit would strip or drop those): scheme, host, path,
# query, fragment split exactly where urlsplit splits them.
_PLAIN_URL = re.compile(
    r"(https?)://([A-Za-z0-9.-]+)(/[^?#\x00-\x20\x7f]*)?(?:\?([^#\x00-\x20\x7f]*))?"
    r"(?:#[^\x00-\x20\x7f]*)?",
    re.IGNORECASE | re.ASCII,  # not "httpſ": long s and Kelvin K fold to ASCII letters
)
# A query of name=value pairs that parse_qsl leaves as they are and urlencode would not quote.
_PLAIN_QUERY = re.compile(r"[\w.~-]*(?:=[\w.~-]*)?(?:&[\w.~-]*(?:=[\w.~-]*)?)*", re.ASCII)
# AMP caches serve a page under a URL that holds the canonical one: Google's
# "www.google.com/amp/s/HOST/PATH" and "HOST-DASHED.cdn.ampproject.org/c/s/HOST/PATH" ("s/": https).
_AMP_CACHE = re.compile(r"/(?:amp|[cvi])/(s/)?([^/?#]+\.[^/?#]+(?:[/?#].*)?)", re.ASCII)
# Parts of a link that name the AMP rendering of an article rather than another article: an
# "/amp" or ".amp" suffix, ".amp.html", and an "/amp/" folder in the path (BBC's
# "/news/amp/world-123", sites that serve AMP under "/amp/SECTION/...").
_AMP_PATH = re.compile(r"(?<=.)(?:/amp/?|\.amp)$|\.amp(?=\.html?$)|/amp(?=/.)", re.IGNORECASE)
_AMP_PARAMS = frozenset({"amp", "outputtype=amp", "amp=1", "amp=true", "_amp=true"})
_AMP_VIEWER = ("amp_", "usqp=")
_LINK_PARTS = re.compile(r"https?://([^/?#]*)([^?#]*)(?:\?([^#]*))?", re.ASCII)
_FUTURE_SLACK = timedelta(days=1)
# Before this a date is a placeholder, not a publication: Hugo writes 0001-01-01 for a page
# without one, and a number where a date belongs parses as the year 1796. Such an item would
# count as centuries old and never alert; it counts as undated (first seen now).
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LINE_BREAK = re.compile(r"\s*[\r\n]\s*")


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str | None, base: str | None = None) -> str:
    """The canonical form of an http(s) link, or "" when there is none to be had.

    Resolves against `base`, lower-cases scheme and host, drops the default port, the fragment
    and tracking parameters, and sorts the rest of the query. The scheme is kept as given: an
    http link is not assumed to exist over https.
    """
    raw = url.strip() if url else ""
    if not raw:
        return ""
    if "\n" in raw or "\r" in raw:  # some feeds wrap long links over lines
        raw = _LINE_BREAK.sub("", raw)
    plain = _PLAIN_URL.fullmatch(raw)
    if plain:  # most links: urlsplit would find these parts, at several times the cost
        scheme, host, path, query = plain.groups("")
        scheme, netloc = scheme.lower(), host.lower().rstrip(".")
        if not netloc:
            return ""
    else:
        split = _split(raw, base)
        if split is None:
            return ""
        scheme, netloc, path, query = split
    if not _PLAIN_PATH.fullmatch(path):  # quote() would leave a plain path as it is
        path = quote(path, safe=_PATH_SAFE)
    path = path or "/"  # with a host, urlsplit's path is empty or starts with "/"
    query = _canonical_query(query)
    if netloc.endswith(".cdn.ampproject.org") or (
        netloc in ("www.google.com", "google.com") and path.startswith("/amp/")
    ):
        inner = _amp_inner(path, query)
        if inner:
            return inner
    return f"{scheme}://{netloc}{path}?{query}" if query else f"{scheme}://{netloc}{path}"


def _amp_inner(path: str, query: str) -> str:
    """The canonical link an AMP cache URL holds, or "" when it holds none."""
    found = _AMP_CACHE.match(path)
    if found is None:
        return ""
    scheme = "https" if found.group(1) else "http"
    # The cache's own viewer parameters (amp_js_v, usqp) are not part of the article's link.
    kept = "&".join(p for p in query.split("&") if p and not p.lower().startswith(_AMP_VIEWER))
    inner = found.group(2) + (f"?{kept}" if kept else "")
    return canonical_url(f"{scheme}://{inner}")


def link_key(link: str) -> str:
    """What makes two links the same article: the canonical link without its scheme, a
    leading "www." or "amp.", a trailing slash or an AMP form ("/amp", ".amp.html", "?amp=1",
    an "/amp/" folder in the path).

    Items are recognised as already seen by this key (the store indexes it), while the link
    an alert shows stays as the feed gave it: an http-only site is not sent to https.
    """
    canonical = canonical_url(link)
    parts = _LINK_PARTS.match(canonical)
    if parts is None:
        return canonical
    host, path, query = parts.group(1), parts.group(2), parts.group(3) or ""
    if host.startswith(("www.", "amp.")) and host.count(".") >= 2:
        host = host[4:]
    path = _AMP_PATH.sub("", path).rstrip("/")
    if query:
        query = "&".join(p for p in query.split("&") if p.lower() not in _AMP_PARAMS)
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def _split(raw: str, base: str | None) -> tuple[str, str, str, str] | None:
    """Scheme, host[:port], path and query of a link (resolved against `base`), or None."""
    try:
        if base and not raw.lower().startswith(("http://", "https://")):  # urljoin is costly
            raw = urljoin(base.strip(), raw)
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:  # bad IPv6 literal or port
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        return None
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return scheme, netloc, parts.path, parts.query


def _canonical_query(query: str) -> str:
    if not query:  # most links: parse_qsl and urlencode would only cost time
        return ""
    if _PLAIN_QUERY.fullmatch(query):  # nothing to unquote nor quote: pairs split by hand
        pairs = [pair.partition("=")[::2] for pair in query.split("&") if pair]
        kept = sorted((k, v) for k, v in pairs if not is_tracking_param(k))
        return "&".join(f"{k}={v}" for k, v in kept)
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = sorted((k, v) for k, v in pairs if not is_tracking_param(k))
    return urlencode(kept)


_DROP_CONTENT = frozenset({"script", "style", "noscript", "template"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Invisible characters that split words for a reader but not for a matcher.
# (A regex: str.translate walks non-ASCII text a character at a time, several times slower.)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


# What a hostile or broken feed can hide in text that reaches a terminal or a chat: ANSI escape
# sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), the other C0/C1 control characters (NUL
# among them; tab, line feed, vertical tab, form feed and carriage return are whitespace here,
# and the separators str.split() takes for whitespace, FS GS RS US and NEL, become a space),
# and the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make a
# title read in another order than it is written ("Trojan Source").
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])")
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without escape sequences, control characters or bidi overrides (see above)."""
    if text.isprintable():  # most text: one C-level scan, nothing to do
        return text
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return _UNSAFE.sub(_dropped, text)


def _dropped(found: re.Match[str]) -> str:
    return " " if found.group() in "\x1c\x1d\x1e\x1f\x85" else ""


class _TextExtractor(HTMLParser):
    """Collects text; a block tag starts a new line; script/style content is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_CONTENT:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_CONTENT:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:  # a newline in the source is only a space; blocks break lines
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: tags stripped, entities decoded, NFC.

    Whitespace inside a line collapses to one space; block elements (p, div, br, li, ...) become
    line breaks, and empty lines are dropped.
    """
    if not html:
        return ""
    if "<" in html or "&" in html:
        parser = _TextExtractor()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    else:  # plain text, as most titles are: the parser would only cost time
        text = html.replace("\n", " ")
    text = strip_controls(text)  # first: a control between two letters must not block NFC
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    if "\n" not in text:  # one line: the one below, without its per-line work
        return " ".join(text.split())
    return "\n".join(filter(None, map(" ".join, map(str.split, text.split("\n")))))


def one_line(html: str | None) -> str:
    """html_to_text on a single line (titles)."""
    return " ".join(html_to_text(html).split())


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def text_hash(*texts: str) -> str:
    """A stable hex digest of some texts (order matters)."""
    joined = "\x1f".join(texts)
    return hashlib.sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest()


def _published(entry: ParsedEntry, fetched_at: datetime) -> datetime:
    fetched = as_utc(fetched_at)
    given = next(
        (d for d in (entry.published, entry.updated) if d and as_utc(d) >= _EARLIEST), None
    )
    if given is None:
        return fetched
    moment = as_utc(given)
    # A date in the future is a feed's mistake (wrong zone, scheduled post); it would sort
    # the item above everything for days, so it counts as "now".
    return fetched if moment > fetched + _FUTURE_SLACK else moment


def _clean_guid(guid: str | None) -> str | None:
    if guid is None:
        return None
    stripped = guid.strip()
    return stripped or None


def item_key(guid: str | None, link: str, title: str, summary: str, feed_url: str = "") -> str:
    """guid, else canonical link, else a hash of the text; prefixed with which one it is.

    A guid that is a URL names the article wherever it appears. Any other guid ("1234",
    "tag:...") is only unique within its feed: two outlets both numbering from 1 must not
    swallow each other's items, so such guids, and text hashes, are scoped by the feed.
    """
    if guid:
        if guid.startswith(("http://", "https://")):
            return f"guid:{guid}"
        return f"guid:{feed_url} {guid}"
    if link:
        return f"url:{link}"
    return f"hash:{feed_url} {text_hash(title, summary)}"


def normalize_entry(entry: ParsedEntry, *, feed: Feed, fetched_at: datetime) -> Item | None:
    """One Item from one entry, or None when the entry has no title, text nor link."""
    title = one_line(entry.title)
    content = html_to_text(entry.content)
    summary = html_to_text(entry.summary)
    body = content if len(content) >= len(summary) else summary
    link = canonical_url(entry.link, base=feed.url)
    if not (title or body or link):
        return None
    guid = _clean_guid(entry.guid)
    return Item(
        key=item_key(guid, link, title, body, feed.url),
        feed_url=feed.url,
        feed_name=feed.name,
        link=link,
        title=title,
        summary=body,
        published=_published(entry, fetched_at),
        content_hash=text_hash(title, body),
        guid=guid,
    )


def normalize_feed(parsed: ParsedFeed, *, feed: Feed, fetched_at: datetime) -> list[Item]:
    """Every usable entry as an Item, in feed order; a key repeated within the feed keeps
    its first entry."""
    items: list[Item] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        item = normalize_entry(entry, feed=feed, fetched_at=fetched_at)
        if item is None or item.key in seen:
            continue
        seen.add(item.key)
        items.append(item)
    return items
