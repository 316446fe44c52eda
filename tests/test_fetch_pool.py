"""Keep-alive: answers without a body we want (304, redirects, error pages) keep their connection.

A small HTTP/1.1 server on 127.0.0.1 counts the connections it accepts; httpcore closes a
connection whose answer was left unread, which once cost a new TCP connection per 304.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from watcher.errors import FetchError
from watcher.fetch import Fetcher, user_agent

ANSWERS = {
    b"/304": b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n',
    b"/404": b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
    b"/moved": b"HTTP/1.1 301 Moved\r\nLocation: /304\r\nContent-Length: 5\r\n\r\nmoved",
    b"/big-error": b"HTTP/1.1 500 Oops\r\nContent-Length: 200000\r\n\r\n" + b"x" * 200_000,
}


class CountingServer:
    def __init__(self) -> None:
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                path = head.split(b" ", 2)[1]
                writer.write(ANSWERS[path])
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[CountingServer]:
    running = CountingServer()
    await running.start()
    yield running
    await running.stop()


@pytest.mark.parametrize("path", ["/304", "/404", "/moved"])
async def test_small_answers_reuse_one_connection(server: CountingServer, path: str) -> None:
    fetcher = Fetcher(user_agent="t", timeout=5.0)
    try:
        for _ in range(5):
            with contextlib.suppress(FetchError):  # the 404
                await fetcher.fetch(server.url(path), etag='"v1"')
    finally:
        await fetcher.aclose()
    assert server.connections == 1


async def test_a_large_error_page_is_not_read_just_to_keep_the_connection(
    server: CountingServer,
) -> None:
    fetcher = Fetcher(user_agent="t", timeout=5.0)
    try:
        for _ in range(2):
            with pytest.raises(FetchError, match="HTTP 500"):
                await fetcher.fetch(server.url("/big-error"))
    finally:
        await fetcher.aclose()
    assert server.connections == 2


def test_user_agent_carries_the_contact() -> None:
    base = "watcher/1.2 (news-desk feed alerts; +https://example.org/watcher)"
    assert user_agent(base) == base
    assert user_agent(base, "mailto:desk@example.org") == (
        "watcher/1.2 (news-desk feed alerts; +https://example.org/watcher; mailto:desk@example.org)"
    )
    assert user_agent("watcher/1.2", "mailto:desk@example.org") == (
        "watcher/1.2 (mailto:desk@example.org)"
    )
