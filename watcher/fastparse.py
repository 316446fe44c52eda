"""A fast path for ordinary RSS 2.0 and Atom 1.0 bodies: feedparser's own result, without its
pure-Python SAX machinery.

feedparser reads a body event by event through expat and a large state machine (most of a
replay's parsing time). This module reads the same UTF-8 bytes (feedparser's own conversion,
done by the caller) with ElementTree's C parser and walks the tree through a copy of the few
pieces of that state machine that decide the fields parse.py reads: an entry's id, link, title,
summary, content, published, updated and author (with the `*_detail` types and `*_parsed`
dates), the channel's title, link and ttl. It hands back plain dicts of the same keys and
values as feedparser's, so parse.py turns them into a ParsedFeed by the very same code.
feedparser's own functions do the fiddly parts: dates (`_parse_date`), relative links
(`_urljoin`), the text/plain-or-HTML guess (`looks_like_html`), the Windows-1252 remapping.

What is copied, and why it is exact (checked over the real snapshots and feedparser's own odd
feeds by bench/check_fastparse.py): feedparser keeps, per entry, the first non-empty title of
the shallowest depth (`title_depth`), the shallowest of each other field (its depth map; the
last one at that depth), a second description or summary as content, a guid or id as the link
until a link comes, an `<atom:link rel="alternate">`'s href as the link, an author's name and
email over its text. Elements feedparser has no handler for only store keys parse.py never
reads, so they are passed over.

Anything else means `None`, and the caller gives the body to feedparser as before: a body
that is not well-formed, a DOCTYPE or any other declaration, an RSS 0.90/1.0 (RDF), Atom 0.3
or CDF document, an element feedparser handles that is not listed here (textinput, itunes,
georss, contributors, ...), a listed text element with child elements (inline XHTML),
`type="xhtml"` or base64 content, xml:base below the root element, attributes in other
namespaces than xml's, a namespace prefix bound twice or a namespace under two prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLParser

from feedparser.api import StrictFeedParser
from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri

_ATOM = "http://www.w3.org/2005/Atom"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_LANG, _BASE = "{%s}lang" % _XML_NS, "{%s}base" % _XML_NS  # noqa: UP031
# feedparser's canonical prefix of each namespace it knows (lower-cased URI -> prefix).
_KNOWN = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
# Namespaces whose mere declaration sets feedparser's version (RSS 0.90 and 1.0).
_VERSIONING = ("http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/")
_DECLARATION = re.compile(rb"""xmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_PROLOG_DECL = re.compile(rb"<!(?!--)")
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")
_RELATIVE = frozenset(_FeedParserMixin.can_be_relative_uri)
_HTML_TYPES = frozenset(_FeedParserMixin.html_types)
_looks_like_html: Callable[[str], bool] = _FeedParserMixin.looks_like_html
# The keys parse.py reads: an unknown element of such a name would write one.
_READ = frozenset(
    {"id", "link", "title", "title_detail", "summary", "summary_detail", "content",
     "published", "published_parsed", "updated", "updated_parsed", "author", "ttl"}
)  # fmt: skip
# Unprefixed tags that leave feedparser's "in an image" state as it is.
_IMAGE_TAGS = frozenset({"title", "link", "description", "url", "href", "width", "height"})
_IMAGE_CHILDREN = frozenset({"url", "title", "link", "width", "height", "description"})
_AUTHOR_CHILDREN = frozenset({"name", "email", "uri", "url"})
_TEXT_TYPES = frozenset({"text/plain", "text/html"})
# The handlers that read their element's attributes.
_READS_ATTRS = frozenset(
    {"channel", "item", "entry", "title", "dc_title", "media_title", "description",
     "dc_description", "media_description", "summary", "content", "content_encoded", "link",
     "guid", "id"}
)  # fmt: skip
_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}


class _Context:
    """What feedparser's `_sync_author_detail` asks of its parser: the dict it works on."""

    __slots__ = ("context",)

    def __init__(self, context: Raw) -> None:
        self.context = context

    def _get_context(self) -> Raw:
        return self.context


_sync_author_detail: Callable[[_Context], None] = _FeedParserMixin._sync_author_detail


class _Unsure(Exception):
    """The body is not one of the shapes read here: feedparser reads it."""


Raw = dict[str, Any]


def read(utf8: bytes, prolog: bytes) -> tuple[Raw, list[Raw]] | None:
    """The channel's and the entries' dicts feedparser would build from `utf8` (its own
    UTF-8 conversion of the body; `prolog` the part before the root element), or None when
    this module is not sure to build the same."""
    found = _read(utf8, prolog)
    return None if isinstance(found, str) else found


def unsure_of(utf8: bytes, prolog: bytes) -> str | None:
    """Why `read` gives this body to feedparser, or None when it reads it itself."""
    found = _read(utf8, prolog)
    return found if isinstance(found, str) else None


def _read(utf8: bytes, prolog: bytes) -> tuple[Raw, list[Raw]] | str:
    if _PROLOG_DECL.search(prolog):
        return "a DOCTYPE or another declaration"  # feedparser rewrites a DOCTYPE
    try:
        return _Reader(utf8).run()
    except _Unsure as exc:
        return str(exc)
    except ParseError:
        return "not well-formed for expat"
    except Exception as exc:  # anything unforeseen: feedparser decides, as before
        return f"unforeseen: {type(exc).__name__}"


def _has_handler(key: str) -> bool:
    """Whether feedparser's strict parser has a start or end handler of that name."""
    return hasattr(StrictFeedParser, "_start_" + key) or hasattr(StrictFeedParser, "_end_" + key)


def _content_type(value: str) -> str:
    value = value.lower()
    if value in ("text", "plain"):
        return "text/plain"
    if value == "html":
        return "text/html"
    if value == "xhtml":
        return "application/xhtml+xml"
    return value


def _undo_latin1(text: str) -> str:
    """UTF-8 that was read as ISO-8859-1 and encoded again, undone (feedparser does it to
    every text of a UTF-8 document)."""
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _leaf(el: Element) -> str:
    if len(el):
        raise _Unsure("child elements in a text element")
    return el.text or ""


class _Reader:
    """One document's walk; its fields mirror feedparser's mixin state of the same names."""

    def __init__(self, utf8: bytes) -> None:
        self.prefixes = _prefixes(utf8)
        parser = XMLParser()
        parser.feed(utf8)
        self.root = parser.close()
        self.keys: dict[str, tuple[str, bool]] = {}
        self.kinds: dict[str, tuple[str, bool, _Handler | None]] = {}
        self.version = ""
        self.feed: Raw = {}
        self.entries: list[Raw] = []
        self.depths: list[dict[str, int]] = []
        self.depth = 0
        self.infeed = self.inentry = self.inimage = self.inauthor = False
        self.has_content = False
        self.summary_key: str | None = None
        self.title_depth = -1
        self.guidislink = False
        self.base = ""
        self.ctype: str | None = None  # contentparams["type"]
        self.incontent = 0

    # --- the walk ---------------------------------------------------------------------------

    def run(self) -> tuple[Raw, list[Raw]]:
        root = self.root
        key, _ = self.key(root.tag)
        if key == "rss" and root.tag == "rss":
            attrs = self.attrs(root, top=True)
            version = attrs.get("version", "")
            self.version = _VERSIONS.get(version) or (
                "rss20" if version.startswith("2.") else "rss"
            )
            self.depth = 1
            for child in root:
                if self.key(child.tag)[0] != "channel":
                    raise _Unsure("not a channel under rss")
                self.element(child, "rss")
        elif root.tag == "{%s}feed" % _ATOM:  # noqa: UP031
            self.attrs(root, top=True)
            self.version = "atom10"
            self.depth = 1
            self.infeed = True
            self.children(root, "feed")
        else:
            raise _Unsure("neither RSS 2.0 nor Atom 1.0")
        return self.feed, self.entries

    def children(self, el: Element, parent: str) -> None:
        for child in el:
            self.element(child, parent)

    def element(self, el: Element, parent: str) -> None:
        key, plain, handler = self.kinds.get(el.tag) or self.kind(el.tag)
        self.depth += 1
        if plain and key not in _IMAGE_TAGS:
            self.inimage = False
        if parent == "image" and (not plain or key not in _IMAGE_CHILDREN):
            raise _Unsure("unusual image")
        if parent == "author" and (not plain or key not in _AUTHOR_CHILDREN):
            raise _Unsure("unusual author")
        if handler is not None:
            handler(self, el, self.attrs(el) if key in _READS_ATTRS else self.plain(el), parent)
        elif key == "ttl":  # no handler: feedparser keeps its text under its name
            if el.attrib or len(el):
                raise _Unsure("an unusual ttl")
            self.pop("ttl", el.text or "", expecting=True)
        else:
            self.unknown(el)
        self.depth -= 1

    def unknown(self, el: Element) -> None:
        """An element feedparser has no handler for: it stores a key parse.py never reads."""
        self.plain(el)
        for child in el:
            key, _, handler = self.kinds.get(child.tag) or self.kind(child.tag)
            if handler is not None or key in _READ:
                raise _Unsure("a known element inside an unknown one")
            self.unknown(child)

    def kind(self, tag: str) -> tuple[str, bool, _Handler | None]:
        """The tag's handler name, whether it has no prefix, and the handler here (None for
        an element feedparser has no handler for either)."""
        key, plain = self.key(tag)
        handler = _HANDLERS.get(key)
        if handler is None and _has_handler(key):
            raise _Unsure(f"an element this module does not copy: {key}")
        if handler is None and key in _READ and key != "ttl":
            raise _Unsure("an unknown element named like a field")
        self.kinds[tag] = found = (key, plain, handler)
        return found

    # --- names --------------------------------------------------------------------------------

    def key(self, tag: str) -> tuple[str, bool]:
        """feedparser's handler name for a tag (`dc_creator`, `link`), and whether the tag
        has no prefix (feedparser's image and textinput states look at that)."""
        found = self.keys.get(tag)
        if found is not None:
            return found
        if tag[:1] == "{":
            uri, local = tag[1:].split("}", 1)
        else:
            uri, local = "", tag
        local = local.lower()
        canonical = _KNOWN.get(uri.lower())
        if canonical is None:
            prefix = self.prefixes.get(uri)
            if prefix is None:
                raise _Unsure("a namespace not declared as written")
            for other in self.prefixes.others.get(uri, ()):
                # feedparser names the element by whichever prefix came first as it read:
                # all right when no name is one it handles.
                if not other or _has_handler(f"{other}_{local}") or f"{other}_{local}" in _READ:
                    raise _Unsure("a namespace under several prefixes")
        else:
            prefix = canonical
        if prefix:
            prefix = prefix.lower()
            if prefix in self.prefixes.remapped:
                raise _Unsure("a canonical prefix bound to another namespace")
            found = (f"{prefix}_{local}", False)
        else:
            found = (local, True)
        self.keys[tag] = found
        return found

    def plain(self, el: Element) -> dict[str, str]:
        """For an element whose attributes feedparser only stores: none that would move the
        base or that this module does not name as feedparser does."""
        for name in el.attrib:
            if (name[:1] == "{" and name != _LANG) or name.lower() == "base":
                raise _Unsure("an unusual attribute")
        return {}

    def attrs(self, el: Element, *, top: bool = False) -> dict[str, str]:
        """The attributes as feedparser's strict parser hands them over (names lower-cased,
        rel and type values too); xml:base is followed on the root element only."""
        attrs: dict[str, str] = {}
        if not el.attrib:
            return attrs
        for name, value in el.attrib.items():
            if name[:1] == "{":
                if name == _LANG:
                    attrs["xml:lang"] = attrs["lang"] = value
                    continue
                if name == _BASE and top:
                    attrs["xml:base"] = attrs["base"] = value
                    continue
                raise _Unsure("a namespaced attribute")
            lowered = name.lower()
            if lowered in attrs:
                raise _Unsure("an attribute given twice")
            attrs[lowered] = value.lower() if lowered in ("rel", "type") else value
        if "base" in attrs:
            if not top:
                raise _Unsure("xml:base below the root element")
            self.base = _urljoin("", attrs["base"])
            if (
                self.base
                and (make_safe_absolute_uri(self.base, self.base) or self.base) != self.base
            ):
                raise _Unsure("a base that moves")
        return attrs

    # --- feedparser's state, copied -----------------------------------------------------------

    def context(self) -> Raw:
        if self.inimage and "image" in self.feed:
            image: Raw = self.feed["image"]
            return image
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def pop(self, element: str, text: str, *, expecting: bool) -> str:
        """feedparser's `pop` for one element's text (mixin.py), for the shapes read here."""
        output = text.strip()
        if not expecting:
            return output
        if element in _RELATIVE and output and (element != "id" or self.guidislink):
            output = _urljoin(self.base, output)
        if (
            self.ctype == "text/plain"
            and not self.version.startswith("atom")
            and _looks_like_html(output)
        ):
            self.ctype = "text/html"
        if not output.isascii():  # (both steps leave ASCII as it is)
            output = _undo_latin1(output).translate(_cp1252)
        if element == "category":
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry:
            self.store_in_entry(element, output)
        elif self.infeed:
            self.store_in_feed(element, output)
        return output

    def store_in_entry(self, element: str, output: str) -> None:
        entry = self.entries[-1]
        if element == "content":
            entry.setdefault("content", []).append({"type": self.ctype, "value": output})
        elif element == "link":
            if not self.inimage:
                if "&" in output:
                    output = _ENTITY_IN_LINK.sub(r"&\g<1>", output.replace("&amp;", "&"))
                entry["link"] = output
        else:
            if element == "description":
                element = "summary"
            depths = self.depths[-1]
            old = depths.get(element)
            if old is None or self.depth <= old:
                depths[element] = self.depth
                entry[element] = output
            if self.incontent:
                entry[element + "_detail"] = {"type": self.ctype}

    def store_in_feed(self, element: str, output: str) -> None:
        context = self.context()
        if element == "description":
            element = "subtitle"
        context[element] = output
        if element == "link":
            context[element] = _ENTITY_IN_LINK.sub(r"&\g<1>", output) if "&" in output else output
        elif self.incontent:
            context[element + "_detail"] = {"type": self.ctype}

    def push_content(self, attrs: dict[str, str], default: str) -> None:
        if "mode" in attrs:
            raise _Unsure("a content mode")
        kind = _content_type(attrs.get("type", default))
        if kind not in _TEXT_TYPES:
            raise _Unsure("content neither text nor HTML")
        self.incontent += 1
        self.ctype = kind

    def pop_content(self, element: str, text: str, *, expecting: bool = True) -> str:
        value = self.pop(element, text, expecting=expecting)
        self.incontent -= 1
        self.ctype = None
        return value

    def sync_author(self, context: Raw) -> None:
        """feedparser's own `_sync_author_detail` on `context`: the author from the last
        author's name and email, or, when that author has none yet, the name and email read
        out of the author text so far into it (which a later name or email then joins)."""
        _sync_author_detail(_Context(context))

    def save_author(self, key: str, value: str) -> None:
        context = self.context()
        self.sync_author(context)
        context.setdefault("authors", [{}])[-1][key] = value

    def start_content(self, attrs: dict[str, str], default: str) -> None:
        self.has_content = True
        self.push_content(attrs, default)

    def end_content(self, text: str) -> None:
        copy = self.ctype in _TEXT_TYPES
        value = self.pop_content("content", text)
        if copy:
            self.context().setdefault("summary", value)

    @property
    def expecting(self) -> bool:
        return self.infeed or self.inentry


# --- handlers: one per feedparser handler name, each from start tag to end tag ----------------

_Handler = Callable[[_Reader, Element, dict[str, str], str], None]


def _channel(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    if parent != "rss" or "lastmod" in attrs or "href" in attrs:
        raise _Unsure("an unusual channel")
    r.infeed = True
    r.children(el, "channel")
    r.infeed = False


def _item(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    expected = "feed" if r.version == "atom10" else "channel"
    if parent != expected or el.tag not in ("item", "{%s}entry" % _ATOM):  # noqa: UP031
        raise _Unsure("an item out of place")
    if "lastmod" in attrs or "href" in attrs:
        raise _Unsure("a CDF item")
    r.entries.append({})
    r.depths.append({})
    r.inentry = True
    r.guidislink = False
    r.title_depth = -1
    r.children(el, "item")
    r.inentry = False
    r.has_content = False


def _image(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    if parent != "channel":
        raise _Unsure("an image out of place")
    r.feed.setdefault("image", {})
    r.inimage = True
    r.title_depth = -1
    r.children(el, "image")
    r.inimage = False


def _group(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    if parent not in ("item", "group"):
        raise _Unsure("a media group out of place")
    r.children(el, "group")


def _title(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    text = _leaf(el)
    r.push_content(attrs, "text/plain")
    if r.pop_content("title", text, expecting=r.expecting):
        r.title_depth = r.depth


def _media_title(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    kept = r.title_depth
    _title(r, el, attrs, parent)
    r.title_depth = kept


def _as_content(r: _Reader, el: Element, attrs: dict[str, str]) -> bool:
    """A second description or summary of an entry is read as its content."""
    if "summary" in r.context() and not r.has_content:
        r.start_content(attrs, "text/plain")
        r.end_content(_leaf(el))
        return True
    return False


def _description(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    if not _as_content(r, el, attrs):
        text = _leaf(el)
        r.push_content(attrs, "text/html")
        r.pop_content("description", text, expecting=r.expecting)
    r.summary_key = None


def _summary(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    if not _as_content(r, el, attrs):
        text = _leaf(el)
        r.push_content(attrs, "text/plain")
        r.pop_content("summary", text)
    r.summary_key = None


def _content(default: str) -> _Handler:
    def handler(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
        text = _leaf(el)
        r.start_content(attrs, default)
        r.end_content(text)

    return handler


def _link(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    text = _leaf(el)
    rel = attrs.setdefault("rel", "alternate")
    attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
    context = r.context()
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs["href"] = href
    if "href" in attrs:
        if rel == "alternate" and _content_type(attrs["type"]) in _HTML_TYPES:
            context["link"] = _urljoin(r.base, attrs["href"])
        return
    r.pop("link", text, expecting=r.expecting)


def _guid(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    text = _leaf(el)
    r.guidislink = attrs.get("ispermalink", "true") == "true"
    value = r.pop("id", text, expecting=True)
    if r.guidislink:
        r.context().setdefault("link", value)


def _date(key: str) -> _Handler:
    def handler(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
        value = r.pop(key, _leaf(el), expecting=True)
        r.context()[key + "_parsed"] = _parse_date(value)

    return handler


def _author(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    r.inauthor = True
    context = r.context()
    context.setdefault("authors", []).append({})
    r.children(el, "author")
    text = (el.text or "") + "".join(child.tail or "" for child in el)
    r.pop("author", text, expecting=True)
    r.inauthor = False
    r.sync_author(context)


def _author_part(key: str) -> _Handler:
    def handler(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
        value = r.pop(key, _leaf(el), expecting=key == "href")
        if r.inauthor:
            r.save_author(key, value)

    return handler


def _source(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    _leaf(el)
    r.title_depth = -1


def _media_content(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    r.children(el, parent)


def _passed(r: _Reader, el: Element, attrs: dict[str, str], parent: str) -> None:
    """A handler whose element only writes keys parse.py never reads."""
    _leaf(el)


_HANDLERS: dict[str, _Handler] = {
    "channel": _channel,
    "item": _item,
    "entry": _item,
    "image": _image,
    "media_group": _group,
    "media_content": _media_content,
    "title": _title,
    "dc_title": _title,
    "media_title": _media_title,
    "description": _description,
    "dc_description": _description,
    "media_description": _description,
    "summary": _summary,
    "content": _content("text/plain"),
    "content_encoded": _content("text/html"),
    "link": _link,
    "guid": _guid,
    "id": _guid,
    "pubdate": _date("published"),
    "published": _date("published"),
    "issued": _date("published"),
    "dcterms_issued": _date("published"),
    "updated": _date("updated"),
    "modified": _date("updated"),
    "lastbuilddate": _date("updated"),
    "dc_date": _date("updated"),
    "dcterms_modified": _date("updated"),
    "author": _author,
    "dc_creator": _author,
    "dc_author": _author,
    "managingeditor": _author,
    "name": _author_part("name"),
    "email": _author_part("email"),
    "uri": _author_part("href"),
    "url": _author_part("href"),
    "source": _source,
    **dict.fromkeys(
        ("category", "dc_subject", "media_category", "enclosure", "cloud", "width", "height",
         "language", "dc_language", "copyright", "rights", "dc_rights", "subtitle", "tagline",
         "generator", "webmaster", "dc_publisher", "media_thumbnail", "media_credit",
         "media_rating", "media_restriction", "media_license", "media_player",
         "dcterms_created", "created"),
        _passed,
    ),
}  # fmt: skip


class _Prefixes(dict[str, str]):
    """Each declared namespace's first prefix ("" for a default namespace), by URI as
    written; `others` the namespaces declared under several prefixes, with all of them."""

    remapped: frozenset[str]
    others: dict[str, list[str]]


def _prefixes(utf8: bytes) -> _Prefixes:
    """The document's namespace declarations, found in its bytes. A prefix bound to two
    namespaces, or a prefix feedparser would remap (its own name for another namespace),
    means unsure: feedparser tracks them as they come, this reads them all at once."""
    found = _Prefixes()
    found.others = {}
    uris: dict[str, str] = {}
    remapped: set[str] = set()
    for match in _DECLARATION.finditer(utf8):
        prefix = (match.group(1) or b"").decode("utf-8", "replace")
        uri = (match.group(2) if match.group(2) is not None else match.group(3) or b"").decode(
            "utf-8", "replace"
        )
        lowered = uri.lower()
        if (
            not uri
            or "&" in uri
            or any(c.isspace() for c in uri)
            or prefix != prefix.lower()
            or lowered in _VERSIONING
            or "backend.userland.com/rss" in lowered
            or uris.get(prefix, uri) != uri
        ):
            raise _Unsure("namespace declarations read differently as they come")
        uris[prefix] = uri
        first = found.setdefault(uri, prefix)
        if first != prefix and prefix not in found.others.setdefault(uri, [first]):
            found.others[uri].append(prefix)
        canonical = _KNOWN.get(lowered)
        if prefix and canonical is not None and canonical != prefix:
            remapped.add(prefix)
    found.remapped = frozenset(remapped)
    return found
