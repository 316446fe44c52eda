"""HTTP for one feed: conditional GET, redirects, body-size cap, deadlines, Retry-After.

The only module that speaks HTTP to feed servers. It turns every answer into a FetchResult
(200 with a body, or 304) or a FetchError (with the HTTP status and Retry-After); httpx's
exceptions never leave it. Hosts are spread over a few small AsyncClients (one big pool is slow:
httpcore rescans its whole pool on every event, encode/httpcore PR #1035), and each host gets a
small concurrency limit so one outlet is never hit by many requests at once.

A feed URL with credentials (`https://user:password@host/feed`) is fetched without them in the
URL, with them as HTTP Basic auth, sent only to that URL's own origin (an https upgrade of it
included), never to another host a redirect points at. No error message shows them.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import brotli  # type: ignore[import-untyped]
import httpx

from watcher.errors import FetchError
from watcher.model import FetchResult
from watcher.redact import redact

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
_DRAIN_LIMIT = 64 * 1024  # bytes read after an answer that has no body we want
_DRAIN_TIMEOUT = 1.0
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.I)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def user_agent(base: str, contact: str | None = None) -> str:
    """The User-Agent: `base` ("watcher/0.1.0 (...)") with `contact` ([fetch] contact) added
    inside its comment, so a feed's owner who sees it in a log knows whom to write to."""
    if not contact:
        return base
    if base.endswith(")"):
        return f"{base[:-1]}; {contact})"
    return f"{base} ({contact})"


class Fetcher:
    """Fetches feeds; one instance per process, closed with `aclose()`.

    `timeout` is the deadline for a whole fetch (redirects and body included, time spent queued
    for the host's slot not), so a server that drips one byte per second cannot hold a fetch
    longer than that. At most `per_host` requests run at once against one host, and each host
    has its own keep-alive pool of that many connections: one big pool is slow (httpcore
    rescans the whole pool on every event, encode/httpcore PR #1035) and pools shared by hosts
    evict each other's connections. Requests go straight to the pools: httpx's Client layer
    (cookies, auth, redirects, hooks) serves nothing here and cost a tenth of a 304's CPU.
    `clock` gives "now" for Retry-After and Expires dates when the response has no Date header.
    `transport` replaces every pool (tests use httpx.MockTransport).
    """

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        transport: httpx.AsyncBaseTransport | None = None,
        per_host: int = 2,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self._clock = clock
        self._per_host = per_host
        self._headers = {
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        connect = min(connect_timeout, timeout)
        self._timeouts = {"connect": connect, "read": timeout, "write": timeout, "pool": timeout}
        self._shared = transport
        self._pools: dict[str, httpx.AsyncBaseTransport] = {}
        self._host_limits: dict[str, asyncio.Semaphore] = {}
        self._ssl: ssl.SSLContext | None = None  # one for every pool: loading CAs is slow

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()
        if self._shared is not None:
            await self._shared.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        credentials_of: str | None = None,
    ) -> FetchResult:
        """GET `url` conditionally. Raises FetchError for anything but a 2xx or a 304.

        The user name and password of `credentials_of` (default `url`: a feed that moved
        keeps its configured URL's) are sent as Basic auth to that URL's origin.
        """
        headers = dict(self._headers)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        checked_url(url)
        auth = _basic_auth(credentials_of or url)
        url = without_credentials(url)
        try:
            return await self._follow(url, headers, auth)
        except TimeoutError as exc:
            raise FetchError(f"timed out: no complete answer within {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc

    async def _follow(
        self, url: str, headers: dict[str, str], auth: tuple[httpx.URL, httpx.BasicAuth] | None
    ) -> FetchResult:
        loop = asyncio.get_running_loop()
        started: float | None = None  # the deadline runs from the first request, not the queue
        current = url
        permanent: str | None = None
        still_permanent = True  # only a leading run of permanent hops moves the feed
        for _ in range(self.max_redirects + 1):
            request = httpx.Request(
                "GET", current, headers=headers, extensions={"timeout": self._timeouts}
            )
            if auth is not None and _same_origin(auth[0], request.url):
                request = next(auth[1].auth_flow(request))  # sets Authorization: Basic
            async with self._host_slot(request.url):
                started = loop.time() if started is None else started
                async with asyncio.timeout_at(started + self.timeout):
                    response = await self._pool_for(request.url).handle_async_request(request)
                    try:
                        if response.status_code in REDIRECTS and "location" in response.headers:
                            target = _redirect_target(current, response.headers["location"])
                            still_permanent &= response.status_code in PERMANENT_REDIRECTS
                            permanent = target if still_permanent else permanent
                            current = target
                            await _drain(response)
                            continue
                        result = await self._interpret(response, current, permanent)
                        return replace(result, elapsed=timedelta(seconds=loop.time() - started))
                    finally:
                        await response.aclose()
        raise FetchError(f"too many redirects (more than {self.max_redirects})")

    def _pool_for(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        if self._shared is not None:
            return self._shared
        origin = f"{url.scheme}://{_host_of(url)}"
        pool = self._pools.get(origin)
        if pool is None:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            pool = self._pools[origin] = httpx.AsyncHTTPTransport(
                verify=self._ssl,
                limits=httpx.Limits(
                    max_connections=self._per_host, max_keepalive_connections=self._per_host
                ),
                proxy=_environment_proxy(url),
            )
        return pool

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        host = _host_of(url)
        slot = self._host_limits.get(host)
        if slot is None:
            slot = self._host_limits[host] = asyncio.Semaphore(self._per_host)
        return slot

    async def _interpret(
        self, response: httpx.Response, url: str, permanent: str | None
    ) -> FetchResult:
        status = response.status_code
        if status == 304:
            await _drain(response)
            return self._result(response, url, permanent, body=None)
        if 200 <= status < 300:
            body = await self._read_capped(response)
            return self._result(response, url, permanent, body=body)
        await _drain(response)
        raise self._status_error(response)

    def _result(
        self, response: httpx.Response, url: str, permanent: str | None, *, body: bytes | None
    ) -> FetchResult:
        headers = response.headers
        return FetchResult(
            url=url,
            status=response.status_code,
            body=body,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            content_type=headers.get("content-type"),
            permanent_redirect=permanent,
            max_age=self._max_age(headers),
        )

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _too_large(self.max_bytes)
        # Decoded here, not by httpx: its decoders inflate a whole network chunk at once, so
        # 64 kB of gzip could become 64 MB in memory before any cap is checked.
        decoder = BoundedDecoder(response.headers.get("content-encoding", ""), self.max_bytes)
        async for chunk in response.aiter_raw():
            decoder.feed(chunk)
        return decoder.finish()

    def _status_error(self, response: httpx.Response) -> FetchError:
        status = response.status_code
        phrase = response.reason_phrase or ""
        message = f"HTTP {status} {phrase}".rstrip()
        if status == 410:
            return FetchError(f"{message}: the feed is gone", status=status)
        retry_after = None
        if status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(
                response.headers.get("retry-after"), self._now(response.headers)
            )
        return FetchError(message, status=status, retry_after=retry_after)

    def _max_age(self, headers: httpx.Headers) -> timedelta | None:
        if "cache-control" not in headers and "expires" not in headers:
            return None  # most answers: no Date header to parse
        return cache_lifetime(headers, self._now(headers))

    def _now(self, headers: httpx.Headers) -> datetime:
        """The server's Date when it sent one (Retry-After and Expires are relative to it)."""
        return _http_date(headers.get("date")) or self._clock()


async def _drain(response: httpx.Response) -> None:
    """Read the rest of a small answer (a 304, a redirect, an error page) so that its
    connection goes back to the pool: httpcore closes a connection whose answer was left
    unread, and a 304 left unread cost a new connection per poll."""
    left = _DRAIN_LIMIT
    try:
        async with asyncio.timeout(_DRAIN_TIMEOUT):
            async for chunk in response.aiter_raw():
                left -= len(chunk)
                if left < 0:
                    return  # not small: closing the connection is cheaper
    except (TimeoutError, httpx.HTTPError, httpx.StreamError):  # StreamError: already read
        return  # the connection is closed instead; the answer itself was already had


class BoundedDecoder:
    """Content-Encoding (gzip, deflate, br, identity) undone with at most `limit` bytes out.

    Every step asks the decompressor for no more than the room left (+1 to notice going past
    it), so memory stays within the cap whatever the compression ratio.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in _DECOMPRESSORS):
            raise FetchError(f"unsupported Content-Encoding: {encoding[:40]}")
        self._step = _DECOMPRESSORS[codings[0]]() if codings else None
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        if self._step is None:
            self._keep(data)
            return
        try:
            self._keep(self._step(data, self._limit - self._size + 1))
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"body could not be decoded: {exc}") from exc

    def finish(self) -> bytes:
        return b"".join(self._chunks)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise _too_large(self._limit)
        self._chunks.append(data)


Step = Callable[[bytes, int], bytes]  # (input, most bytes wanted) -> output


def _zlib_step(wbits: int) -> Callable[[], Step]:
    def make() -> Step:
        inflater = zlib.decompressobj(wbits)
        first = True

        def step(data: bytes, room: int) -> bytes:
            nonlocal inflater, first
            if first and wbits == zlib.MAX_WBITS and data:
                first = False
                try:  # "deflate" is zlib-wrapped by the spec, raw by some servers
                    return inflater.decompress(data, room)
                except zlib.error:
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            # At most `room` bytes out; reaching it means the body is larger than the cap.
            return inflater.decompress(data, room)

        return step

    return make


def _brotli_step() -> Step:
    decompressor = brotli.Decompressor()

    def step(data: bytes, room: int) -> bytes:
        out: bytes = decompressor.process(data, output_buffer_limit=room)
        while len(out) < room and not decompressor.can_accept_more_data():
            out += decompressor.process(b"", output_buffer_limit=room - len(out))
        return out

    return step


_DECOMPRESSORS: dict[str, Callable[[], Step]] = {
    "gzip": _zlib_step(16 + zlib.MAX_WBITS),
    "x-gzip": _zlib_step(16 + zlib.MAX_WBITS),
    "deflate": _zlib_step(zlib.MAX_WBITS),
    "br": _brotli_step,
}
ACCEPT_ENCODING = "gzip, deflate, br"


def _host_of(url: httpx.URL) -> str:
    """host[:port], lower-case: the unit of politeness (its own slot limit and pool)."""
    return f"{url.host}:{url.port}" if url.port is not None else url.host


def _environment_proxy(url: httpx.URL) -> str | None:
    """The proxy the environment names for this URL (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)."""
    if urllib.request.proxy_bypass(url.host):
        return None
    return urllib.request.getproxies().get(url.scheme)


def checked_url(url: str) -> str:
    """`url` if it is an http(s) URL httpx can request, else a permanent FetchError."""
    try:
        parsed = httpx.URL(url)
        port = parsed.port
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"bad feed address: {redact(str(exc))}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError("bad feed address: not an http(s) URL")
    if port is not None and not 0 < port < 65536:  # anyio raises an ExceptionGroup for these
        raise FetchError(f"bad feed address: port {port} out of range")
    return url


def without_credentials(url: str) -> str:
    """`url` without a user name and password (checked_url has accepted it)."""
    if "@" not in url:
        return url
    parsed = httpx.URL(url)
    return str(parsed.copy_with(userinfo=b"")) if parsed.userinfo else url


def _basic_auth(url: str) -> tuple[httpx.URL, httpx.BasicAuth] | None:
    """The origin of `url` and the Basic auth its user name and password make, if it has any."""
    if "@" not in url:
        return None
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return None
    if not parsed.userinfo:
        return None
    return parsed, httpx.BasicAuth(parsed.username, parsed.password)


def _same_origin(origin: httpx.URL, url: httpx.URL) -> bool:
    """Whether credentials for `origin` may go to `url`: same host and port, or the same host
    moved from http to https on the default ports (as httpx's own redirect rule allows)."""
    if origin.host != url.host:
        return False
    if origin.scheme == url.scheme:
        return origin.port == url.port
    upgrade = origin.scheme == "http" and url.scheme == "https"
    return upgrade and origin.port in (None, 80) and url.port in (None, 443)


def _redirect_target(current: str, location: str) -> str:
    try:
        target = urljoin(current, location.strip())
    except ValueError as exc:
        raise FetchError("redirect to a malformed address") from exc
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError("redirect to a non-HTTP address")
    return without_credentials(checked_url(target))


def _too_large(limit: int) -> FetchError:
    # The feed will be as large next time: the operator raises the cap (the feed backs off).
    return FetchError(f"body larger than {limit} bytes")


def _transport_error(exc: httpx.HTTPError) -> FetchError:
    detail = redact(str(exc)) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(f"timed out: {type(exc).__name__}")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(f"could not connect: {detail}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return FetchError(f"bad feed address: {detail}")
    if isinstance(exc, httpx.DecodingError):
        return FetchError(f"body could not be decoded: {detail}")
    return FetchError(f"transport error: {type(exc).__name__}: {detail}")


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    moment = _http_date(text)
    if moment is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long the answer may be reused: Cache-Control max-age, else Expires."""
    control = headers.get("cache-control", "")
    if re.search(r"no-store|no-cache", control, re.I):
        return None
    found = _MAX_AGE.search(control)
    if found:
        return timedelta(seconds=int(found.group(1)))
    expires = _http_date(headers.get("expires"))
    if expires is None:
        return None
    return max(timedelta(0), expires - now)
