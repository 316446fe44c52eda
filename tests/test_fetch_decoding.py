"""Content-Encoding undone within the body cap: bombs of every coding, memory measured."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Iterator

import brotli  # type: ignore[import-untyped]
import pytest

from tests.fakes.feed_server import FeedServer, rss
from watcher.errors import FetchError
from watcher.fetch import Fetcher
from watcher.fetch_decode import BoundedDecoder

CAP = 128 * 1024
FEED = rss([{"title": f"Item {i}", "link": f"https://example.org/{i}"} for i in range(50)])


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


CODINGS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.mark.parametrize("coding", [*CODINGS, "deflate-raw"])
async def test_each_coding_is_decoded(server: FeedServer, coding: str) -> None:
    packed = raw_deflate(FEED) if coding == "deflate-raw" else CODINGS[coding](FEED)
    name = "deflate" if coding == "deflate-raw" else coding
    server.set("/f", packed, headers={"Content-Encoding": name})
    fetcher = Fetcher(user_agent="t", max_bytes=CAP)
    try:
        result = await fetcher.fetch(server.url("/f"))
    finally:
        await fetcher.aclose()
    assert result.body == FEED
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate, br"


@pytest.mark.parametrize("coding", list(CODINGS))
async def test_a_bomb_is_cut_at_the_cap_without_inflating_it(
    server: FeedServer, coding: str
) -> None:
    bomb = CODINGS[coding](b"<rss>" + b"\n" * (256 * CAP))  # 32 MB decoded
    assert len(bomb) < 64 * 1024
    server.set("/bomb", bomb, headers={"Content-Encoding": coding})
    fetcher = Fetcher(user_agent="t", max_bytes=CAP)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="larger than") as caught:
            await fetcher.fetch(server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await fetcher.aclose()
    assert caught.value.status is None
    assert peak < 4 * CAP + 1024 * 1024, peak  # never the 32 MB


def test_decoder_limits_and_errors() -> None:
    exact = BoundedDecoder("gzip", len(FEED))
    exact.feed(gzip.compress(FEED))
    assert exact.finish() == FEED
    over = BoundedDecoder("gzip", len(FEED) - 1)
    with pytest.raises(FetchError, match="larger than"):
        over.feed(gzip.compress(FEED))
    with pytest.raises(FetchError, match="could not be decoded"):
        BoundedDecoder("gzip", CAP).feed(b"not gzip at all")
    with pytest.raises(FetchError, match="unsupported Content-Encoding"):
        BoundedDecoder("compress", CAP)
    plain = BoundedDecoder(" identity ", CAP)
    plain.feed(b"abc")
    assert plain.finish() == b"abc"
