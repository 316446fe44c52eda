"""HTTP for one feed: conditional GET, redirects, body-size cap, deadlines, Retry-After.

The only module that speaks HTTP to feed servers. It turns every answer into a FetchResult
(200 with a body, or 304) or a FetchError (with the HTTP status and Retry-After); httpx's
exceptions never leave it. Hosts are spread over a few small AsyncClients (one big pool is slow:
httpcore rescans its whole pool on every event, encode/httpcore PR #1035), and each host gets a
small concurrency limit so one outlet is never hit by many requests at once.

A feed URL with credentials (`https://user:password@host/feed`) is fetched without them in the
URL, with them as HTTP Basic auth, sent only to that URL's own origin (an https upgrade of it
included), never to another host a redirect points at. No error message shows them.

Its parts, each pure: fetch_urls.py (which addresses may be requested, where credentials may
go), fetch_decode.py (Content-Encoding undone within the size cap), fetch_headers.py (what
Retry-After, Cache-Control and Expires say).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx

from watcher.errors import FetchError
from watcher.fetch_decode import ACCEPT_ENCODING, BoundedDecoder, too_large
from watcher.fetch_headers import cache_lifetime, http_date, parse_retry_after
from watcher.fetch_urls import (
    basic_auth,
    checked_url,
    environment_proxy,
    host_of,
    redirect_target,
    same_origin,
    without_credentials,
)
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
        auth = basic_auth(credentials_of or url)
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
            if auth is not None and same_origin(auth[0], request.url):
                request = next(auth[1].auth_flow(request))  # sets Authorization: Basic
            async with self._host_slot(request.url):
                started = loop.time() if started is None else started
                async with asyncio.timeout_at(started + self.timeout):
                    response = await self._pool_for(request.url).handle_async_request(request)
                    try:
                        if response.status_code in REDIRECTS and "location" in response.headers:
                            target = redirect_target(current, response.headers["location"])
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
        origin = f"{url.scheme}://{host_of(url)}"
        pool = self._pools.get(origin)
        if pool is None:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            pool = self._pools[origin] = httpx.AsyncHTTPTransport(
                verify=self._ssl,
                limits=httpx.Limits(
                    max_connections=self._per_host, max_keepalive_connections=self._per_host
                ),
                proxy=environment_proxy(url),
            )
        return pool

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        host = host_of(url)
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
            raise too_large(self.max_bytes)
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
        return http_date(headers.get("date")) or self._clock()


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
