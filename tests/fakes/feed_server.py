"""A loopback feed server for tests: real HTTP on 127.0.0.1, scriptable per path.

    with FeedServer() as server:
        server.set("/rss", rss([{"title": "Hello", "link": "https://example.org/a"}]))
        url = server.url("/rss")             # http://127.0.0.1:PORT/rss
        server.redirect("/old", "/rss", status=301)
        server.set("/busy", b"", status=429, headers={"Retry-After": "7"})
        server.slow("/drip", body, delay=1.0)   # one byte per second
        gate = server.hold("/wait", body)       # answered once gate.set() is called
        server.in_flight_at("/wait")            # requests to a path being answered now
        server.endless("/forever")              # never-ending body
        server.requests                         # [Request(path, status, headers), ...]
        server.peak_in_flight                   # most requests answered at once

Content set with `set` gets an ETag (a hash of the body) and a Last-Modified (when it was set,
or as given), and conditional requests are answered 304. Content can be replaced at any time;
the server reads it per request. Header names in `requests` are lower-case.
"""

from __future__ import annotations

import gzip as gzip_module
import hashlib
import json
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

import brotli  # type: ignore[import-untyped]

from tests.fakes.loopback import BackgroundServer

__all__ = ["FeedServer", "Request", "atom", "json_feed", "rss"]


class Request(NamedTuple):
    path: str
    status: int
    headers: dict[str, str]


@dataclass(frozen=True)
class _Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml"
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    encoding: str | None = None  # "gzip", "deflate" or "br", when the client accepts it
    delay: float = 0.0  # seconds between bytes of the body ("slow")
    endless: bool = False
    truncated: bool = False  # promise twice the body, send it, hang up
    gate: threading.Event | None = None  # the answer waits until it is set ("hold")


class FeedServer(BackgroundServer):
    """Feeds served per path from a background thread on 127.0.0.1, as a context manager."""

    def __init__(self) -> None:
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.in_flight = 0
        self.peak_in_flight = 0  # most requests being answered at once
        self._in_flight_at: dict[str, int] = {}
        super().__init__(_make_handler(self))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(
        self,
        path: str,
        body: bytes,
        content_type: str = "application/rss+xml",
        headers: Mapping[str, str] | None = None,
        *,
        status: int = 200,
        gzip: bool = False,
        encoding: str | None = None,
        last_modified: datetime | None = None,
        etag: bool = True,
    ) -> None:
        """Serve `body` at `path` from now on (ETag and Last-Modified unless status != 200).

        `encoding` ("gzip", "deflate", "br"; `gzip=True` is "gzip") compresses the body when the
        request's Accept-Encoding allows it."""
        cacheable = status == 200
        tag = f'"{hashlib.sha1(body).hexdigest()[:16]}"' if cacheable and etag else None
        moment = last_modified or datetime.now(UTC)
        stamp = format_datetime(moment.astimezone(UTC), usegmt=True) if cacheable else None
        coding = "gzip" if gzip else encoding
        route = _Route(body, status, content_type, dict(headers or {}), tag, stamp, coding)
        self._put(path, route)

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        """Answer `path` with a redirect to `to` (a path on this server or a full URL)."""
        target = to if "://" in to else self.url(to)
        self._put(path, _Route(status=status, headers={"Location": target}))

    def slow(self, path: str, body: bytes, delay: float = 1.0) -> None:
        """Serve `body` one byte every `delay` seconds (a correct Content-Length is sent)."""
        self._put(path, _Route(body=body, delay=delay))

    def hold(self, path: str, body: bytes) -> threading.Event:
        """Serve `body` at `path`, but hold every request until the returned event is set: a
        test decides when an answer comes, instead of guessing how long it takes."""
        gate = threading.Event()
        self._put(path, _Route(body=body, gate=gate))
        return gate

    def in_flight_at(self, path: str) -> int:
        """How many requests for `path` are being answered (or held) right now."""
        with self._lock:
            return self._in_flight_at.get(path, 0)

    def endless(self, path: str, chunk: bytes = b"<item>" + b"x" * 8186 + b"</item>") -> None:
        """A body that never ends (no Content-Length, chunks until the client goes away)."""
        self._put(path, _Route(body=chunk, endless=True))

    def truncated(self, path: str, body: bytes) -> None:
        """Announce a Content-Length twice the body's, send the body, close the connection."""
        self._put(path, _Route(body=body, truncated=True))

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def paths_requested(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def _put(self, path: str, route: _Route) -> None:
        with self._lock:
            self._routes[path] = route

    def _route(self, path: str) -> _Route | None:
        with self._lock:
            return self._routes.get(path)

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _enter(self, path: str, delta: int) -> None:
        with self._lock:
            self.in_flight += delta
            self._in_flight_at[path] = self._in_flight_at.get(path, 0) + delta
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)


def _make_handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_Handler):
        owner = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    owner: FeedServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real feed servers do

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:  # a client that hangs up mid-answer is part of the tests
            self.close_connection = True

    def do_GET(self) -> None:
        path = self.path
        route = self.owner._route(path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        status = self._status_for(route, headers)
        self.owner._record(Request(path, status, headers))
        self.owner._enter(path, 1)
        try:
            if route is not None and route.gate is not None:
                while not (route.gate.wait(0.05) or self.owner._stopping.is_set()):
                    pass
            self._answer(route, status, headers)
        finally:
            self.owner._enter(path, -1)

    def _status_for(self, route: _Route | None, headers: Mapping[str, str]) -> int:
        if route is None:
            return 404
        if route.status == 200 and _not_modified(route, headers):
            return 304
        return route.status

    def _answer(self, route: _Route | None, status: int, headers: Mapping[str, str]) -> None:
        if route is None:
            return self._send(404, b"not found", {"Content-Type": "text/plain"})
        extra: dict[str, str] = dict(route.headers)
        if route.etag:
            extra["ETag"] = route.etag
        if route.last_modified:
            extra["Last-Modified"] = route.last_modified
        if status == 304:
            return self._send(304, b"", extra)
        if route.endless:
            return self._send_endless(route)
        body = route.body
        extra.setdefault("Content-Type", route.content_type)
        if route.encoding and route.encoding in headers.get("accept-encoding", ""):
            body = _COMPRESSORS[route.encoding](body)
            extra["Content-Encoding"] = route.encoding
        if route.truncated:
            extra["Content-Length"] = str(2 * len(body))
            self.close_connection = True
        self._send(status, body, extra, delay=route.delay)

    def _send(
        self, status: int, body: bytes, headers: Mapping[str, str], delay: float = 0.0
    ) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304 and "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not delay:
            self.wfile.write(body)
            return
        for i in range(len(body)):
            if self.owner._stopping.wait(delay):
                return
            self.wfile.write(body[i : i + 1])
            self.wfile.flush()

    def _send_endless(self, route: _Route) -> None:
        self.send_response(200)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        while not self.owner._stopping.is_set():
            self.wfile.write(route.body)


_COMPRESSORS = {"gzip": gzip_module.compress, "deflate": zlib.compress, "br": brotli.compress}


def _not_modified(route: _Route, headers: Mapping[str, str]) -> bool:
    tags = headers.get("if-none-match")
    if tags is not None:
        wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
        return route.etag is not None and (route.etag in wanted or "*" in wanted)
    since = headers.get("if-modified-since")
    if since is None or route.last_modified is None:
        return False
    try:
        return parsedate_to_datetime(route.last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


# --- building feeds in code ----------------------------------------------------------------


def _date(value: Any, *, rfc822: bool) -> str:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return format_datetime(aware, usegmt=True) if rfc822 else aware.isoformat()
    return str(value)


def rss(
    items: Iterable[Mapping[str, Any]],
    title: str = "Test feed",
    link: str = "https://example.org/",
    ttl: int | None = None,
) -> bytes:
    """RSS 2.0 from dicts with keys title, link, guid, description, content, pubDate, author.

    Values are XML-escaped (so HTML in description arrives as escaped HTML, as in real feeds).
    """
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           f"<channel><title>{escape(title)}</title><link>{escape(link)}</link>",
           "<description>test</description>"]  # fmt: skip
    if ttl is not None:
        out.append(f"<ttl>{ttl}</ttl>")
    for item in items:
        out.append("<item>")
        for key in ("title", "link", "guid", "description", "author"):
            if key in item:
                out.append(f"<{key}>{escape(str(item[key]))}</{key}>")
        if "content" in item:
            out.append(f"<content:encoded>{escape(str(item['content']))}</content:encoded>")
        if "pubDate" in item:
            out.append(f"<pubDate>{escape(_date(item['pubDate'], rfc822=True))}</pubDate>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def atom(
    items: Iterable[Mapping[str, Any]], title: str = "Test feed", link: str = "https://example.org/"
) -> bytes:
    """Atom 1.0 from dicts with keys title, link, id, summary, content, updated, published."""
    now = datetime.now(UTC).isoformat()
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f'<title>{escape(title)}</title><link href="{escape(link)}"/>',
           f"<id>{escape(link)}</id><updated>{escape(now)}</updated>"]  # fmt: skip
    for item in items:
        out.append("<entry>")
        if "title" in item:
            out.append(f"<title>{escape(str(item['title']))}</title>")
        if "link" in item:
            out.append(f'<link rel="alternate" href="{escape(str(item["link"]))}"/>')
        if "id" in item:
            out.append(f"<id>{escape(str(item['id']))}</id>")
        for key in ("summary", "content"):
            if key in item:
                out.append(f'<{key} type="html">{escape(str(item[key]))}</{key}>')
        for key in ("published", "updated"):
            if key in item:
                out.append(f"<{key}>{escape(_date(item[key], rfc822=False))}</{key}>")
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out).encode("utf-8")


def json_feed(items: Iterable[Any], title: str = "Test feed") -> bytes:
    """JSON Feed 1.1 from dicts already in JSON Feed item shape (id, url, title, ...)."""
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": list(items)}
    return json.dumps(doc, default=str).encode("utf-8")
