"""Fetcher against a real HTTP server on 127.0.0.1 (and MockTransport for pure header logic)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import formatdate

import httpx
import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher.errors import FetchError
from watcher.fetch import Fetcher
from watcher.fetch_headers import cache_lifetime, parse_retry_after

UA = "watcher/0.1.0 (test)"
FEED = rss([{"title": "Hello", "link": "https://example.org/a", "guid": "a"}])
NOW = datetime(2026, 1, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    f = Fetcher(user_agent=UA, timeout=5.0, connect_timeout=2.0, max_bytes=64 * 1024)
    yield f
    await f.aclose()


async def test_200_then_conditional_get_answers_304(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/rss", FEED)
    first = await fetcher.fetch(server.url("/rss"))
    assert first.status == 200 and first.body == FEED and first.etag and first.last_modified
    assert first.content_type == "application/rss+xml"
    assert first.url == server.url("/rss") and first.permanent_redirect is None

    again = await fetcher.fetch(server.url("/rss"), etag=first.etag)
    assert again.not_modified and again.body is None

    by_date = await fetcher.fetch(server.url("/rss"), last_modified=first.last_modified)
    assert by_date.status == 304

    server.set("/rss", FEED + b"\n<!-- changed -->")
    changed = await fetcher.fetch(server.url("/rss"), etag=first.etag)
    assert changed.status == 200 and changed.etag != first.etag

    sent = [r.headers for r in server.requests]
    assert sent[1]["if-none-match"] == first.etag
    assert sent[2]["if-modified-since"] == first.last_modified
    assert all(h["user-agent"] == UA for h in sent)
    assert [r.status for r in server.requests] == [200, 304, 304, 200]


async def test_permanent_redirect_is_reported(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/new", FEED)
    server.redirect("/old", "/new", status=301)
    server.redirect("/older", "/old", status=308)
    result = await fetcher.fetch(server.url("/older"))
    assert result.status == 200 and result.body == FEED
    assert result.url == server.url("/new")
    assert result.permanent_redirect == server.url("/new")


async def test_temporary_redirect_is_followed_not_reported(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.set("/new", FEED)
    server.redirect("/tmp", "/new", status=302)
    result = await fetcher.fetch(server.url("/tmp"))
    assert result.url == server.url("/new") and result.permanent_redirect is None


@pytest.mark.parametrize(
    ("first", "second", "moved_to"),
    [(302, 301, None), (301, 307, "/b")],  # only a leading run of permanent hops moves the feed
)
async def test_mixed_redirect_chains(
    server: FeedServer, fetcher: Fetcher, first: int, second: int, moved_to: str | None
) -> None:
    server.set("/c", FEED)
    server.redirect("/a", "/b", status=first)
    server.redirect("/b", "/c", status=second)
    result = await fetcher.fetch(server.url("/a"))
    assert result.url == server.url("/c")
    assert result.permanent_redirect == (moved_to and server.url(moved_to))


async def test_redirect_loop_is_cut(server: FeedServer) -> None:
    server.redirect("/ping", "/pong", status=302)
    server.redirect("/pong", "/ping", status=302)
    fetcher = Fetcher(user_agent=UA, timeout=5.0, max_redirects=4)
    try:
        with pytest.raises(FetchError, match="too many redirects"):
            await fetcher.fetch(server.url("/ping"))
    finally:
        await fetcher.aclose()
    assert len(server.requests) == 5


async def test_body_over_the_cap_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/big", b"<rss>" + b"x" * (64 * 1024) + b"</rss>")
    with pytest.raises(FetchError, match=f"body larger than {64 * 1024} bytes") as caught:
        await fetcher.fetch(server.url("/big"))
    assert caught.value.status is None  # not an HTTP refusal: the body was cut at the cap


async def test_endless_body_is_cut_at_the_cap(server: FeedServer, fetcher: Fetcher) -> None:
    server.endless("/forever")
    started = time.monotonic()
    with pytest.raises(FetchError, match="body larger than"):
        await fetcher.fetch(server.url("/forever"))
    assert time.monotonic() - started < 3


async def test_gzip_bomb_is_cut_at_the_decoded_cap(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/bomb", b"<rss>" + b" " * (2 * 1024 * 1024) + b"</rss>", gzip=True)
    with pytest.raises(FetchError, match="body larger than"):
        await fetcher.fetch(server.url("/bomb"))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_compressed_body_is_decoded(
    server: FeedServer, fetcher: Fetcher, encoding: str
) -> None:
    server.set("/z", FEED, encoding=encoding)
    result = await fetcher.fetch(server.url("/z"))
    assert result.body == FEED
    assert encoding in server.requests[0].headers["accept-encoding"]


async def test_connection_closed_mid_body_is_a_fetch_error(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.truncated("/cut", FEED)
    with pytest.raises(FetchError, match="transport error") as caught:
        await fetcher.fetch(server.url("/cut"))
    assert isinstance(caught.value.__cause__, httpx.HTTPError)


async def test_tls_to_a_plain_http_server_fails_cleanly(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.set("/rss", FEED)
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(f"https://127.0.0.1:{server.port}/rss")
    assert isinstance(caught.value.__cause__, httpx.HTTPError)


async def test_redirect_to_a_non_http_scheme_is_refused(
    server: FeedServer, fetcher: Fetcher
) -> None:
    server.redirect("/away", "file:///etc/passwd", status=301)
    with pytest.raises(FetchError, match="non-HTTP") as caught:
        await fetcher.fetch(server.url("/away"))
    assert caught.value.status is None


async def test_hostile_feeds_do_not_hold_up_the_others(server: FeedServer) -> None:
    server.set("/good", FEED)
    gate = server.hold("/held", FEED)  # answered only when the test says so
    server.endless("/forever")
    server.redirect("/loop", "/loop", status=302)
    fetcher = Fetcher(user_agent=UA, timeout=30.0, max_bytes=256 * 1024, per_host=8)

    async def outcome(path: str) -> object:
        try:
            return await fetcher.fetch(server.url(path))
        except FetchError as exc:
            return exc

    held = asyncio.ensure_future(fetcher.fetch(server.url("/held")))
    try:
        await until(lambda: server.in_flight_at("/held") == 1)
        forever, loop, good = await asyncio.gather(*map(outcome, ["/forever", "/loop", "/good"]))
        waiting = not held.done()  # the others all ended while the held feed still waits
        gate.set()
        late = await held
    finally:
        gate.set()
        await fetcher.aclose()
    assert isinstance(forever, FetchError) and "larger than" in str(forever)
    assert isinstance(loop, FetchError) and "redirects" in str(loop)
    assert getattr(good, "body", None) == FEED
    assert waiting and late.body == FEED


async def test_drip_fed_body_is_cut_by_the_total_deadline(server: FeedServer) -> None:
    server.slow("/drip", FEED, delay=0.2)  # the read timeout alone would never fire
    fetcher = Fetcher(user_agent=UA, timeout=1.0, connect_timeout=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match="timed out") as caught:
            await fetcher.fetch(server.url("/drip"))
    finally:
        await fetcher.aclose()
    # the deadline, not the body's end (one byte every 0.2 s: over a minute) stopped it
    assert 0.9 < time.monotonic() - started < 15.0
    assert isinstance(caught.value.__cause__, TimeoutError)


async def test_429_carries_retry_after_seconds(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/busy", b"slow down", status=429, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/busy"))
    assert caught.value.status == 429
    assert caught.value.retry_after == 120.0


async def test_503_retry_after_as_http_date_counts_from_the_server_date(
    server: FeedServer, fetcher: Fetcher
) -> None:
    later = formatdate(time.time() + 300, usegmt=True)
    server.set("/down", b"", status=503, headers={"Retry-After": later})
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(server.url("/down"))
    assert caught.value.status == 503 and caught.value.retry_after is not None
    assert 297 <= caught.value.retry_after <= 301


async def test_retry_after_date_without_a_server_date_uses_the_clock() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "Sun, 25 Jan 2026 12:05:00 GMT"})

    fetcher = Fetcher(user_agent=UA, transport=httpx.MockTransport(answer), clock=lambda: NOW)
    try:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch("https://feeds.example/rss")
    finally:
        await fetcher.aclose()
    assert caught.value.retry_after == 300.0


@pytest.mark.parametrize(
    "status", [500, 502, 404, 403, 408, 410]
)
async def test_status_errors(server: FeedServer, fetcher: Fetcher, status: int) -> None:
    server.set("/x", b"error page", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}") as caught:
        await fetcher.fetch(server.url("/x"))
    assert caught.value.status == status
    assert caught.value.retry_after is None


async def test_connection_refused_is_a_fetch_error(fetcher: Fetcher) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="could not connect") as caught:
        await fetcher.fetch(f"http://127.0.0.1:{port}/rss")
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/feed", "http://[::1/", "http://127.0.0.1:99999/", "", "feed.xml"]
)
async def test_bad_address_is_a_fetch_error(fetcher: Fetcher, url: str) -> None:
    with pytest.raises(FetchError, match="bad feed address") as caught:
        await fetcher.fetch(url)
    assert caught.value.status is None


async def test_cache_control_max_age_is_reported(server: FeedServer, fetcher: Fetcher) -> None:
    server.set("/cached", FEED, headers={"Cache-Control": "public, max-age=600"})
    result = await fetcher.fetch(server.url("/cached"))
    assert result.max_age == timedelta(minutes=10)
    assert result.elapsed > timedelta(0)


@pytest.mark.parametrize("per_host", [1, 3])
async def test_per_host_limit_holds_under_concurrency(server: FeedServer, per_host: int) -> None:
    server.slow("/slow", b"<rss/>", delay=0.01)
    fetcher = Fetcher(user_agent=UA, timeout=5.0, per_host=per_host)
    try:
        results = await asyncio.gather(*(fetcher.fetch(server.url("/slow")) for _ in range(6)))
    finally:
        await fetcher.aclose()
    assert all(r.body == b"<rss/>" for r in results)
    assert server.peak_in_flight == per_host


async def test_each_host_has_its_own_slots_and_pool(server: FeedServer) -> None:
    """While the one slot of a host is taken by a held request, a second request to that host
    waits for it and a request to another host goes straight through. The server decides when
    the held answer comes (no timing): one request per host is in flight, never two."""
    release = server.hold("/slow", b"<rss/>")
    server.set("/rss", FEED)
    fetcher = Fetcher(user_agent=UA, timeout=30.0, per_host=1)
    try:
        slow = [asyncio.ensure_future(fetcher.fetch(server.url("/slow"))) for _ in range(2)]
        await until(lambda: server.in_flight_at("/slow") == 1)
        other_host = f"http://localhost:{server.port}/rss"
        quick = await asyncio.wait_for(fetcher.fetch(other_host), timeout=20)
        assert quick.body == FEED  # not queued behind the busy host's single slot
        assert not any(task.done() for task in slow)
        assert server.paths_requested().count("/slow") == 1  # the second waits for the slot
        release.set()
        results = await asyncio.gather(*slow)
    finally:
        release.set()
        await fetcher.aclose()
    assert all(r.body == b"<rss/>" for r in results)
    assert server.paths_requested().count("/slow") == 2
    assert server.peak_in_flight == 2  # one per host


async def until(check: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait (on the loop) until `check()` holds; the bound is for a broken test, not a speed."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.01)


def test_parse_retry_after() -> None:
    assert parse_retry_after("30", NOW) == 30.0
    assert parse_retry_after("Sun, 25 Jan 2026 12:01:00 GMT", NOW) == 60.0
    assert parse_retry_after("Sun, 25 Jan 2026 11:00:00 GMT", NOW) == 0.0  # already past
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_cache_lifetime() -> None:
    expires = "Sun, 25 Jan 2026 12:30:00 GMT"
    assert cache_lifetime({"cache-control": "max-age=60"}, NOW) == timedelta(seconds=60)
    assert cache_lifetime({"cache-control": "s-maxage=60"}, NOW) is None
    assert cache_lifetime({"cache-control": "no-cache, max-age=60"}, NOW) is None
    assert cache_lifetime({"expires": expires}, NOW) == timedelta(minutes=30)
    assert cache_lifetime({"expires": "0"}, NOW) is None
    assert cache_lifetime({}, NOW) is None


async def test_mock_transport_for_pure_interpretation() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["if-none-match"] == '"v1"'
        return httpx.Response(304, headers={"ETag": '"v1"', "Expires": "garbage"})

    fetcher = Fetcher(user_agent=UA, transport=httpx.MockTransport(answer))
    try:
        result = await fetcher.fetch("https://feeds.example/rss", etag='"v1"')
    finally:
        await fetcher.aclose()
    assert result.not_modified and result.etag == '"v1"' and result.max_age is None


async def test_waiting_for_a_busy_host_does_not_eat_the_deadline(server: FeedServer) -> None:
    gate = server.hold("/stuck", b"<rss/>")  # never answered: it holds the host's one slot
    server.set("/next", b"<rss/>")
    fetcher = Fetcher(user_agent=UA, timeout=2.0, per_host=1)
    stuck = asyncio.ensure_future(fetcher.fetch(server.url("/stuck")))
    try:
        await until(lambda: server.in_flight_at("/stuck") == 1)
        # /next waits for the slot until /stuck's whole deadline has passed, then has its own
        after = await fetcher.fetch(server.url("/next"))
        with pytest.raises(FetchError, match="timed out"):
            await stuck
    finally:
        gate.set()
        await fetcher.aclose()
    assert after.body == b"<rss/>"
