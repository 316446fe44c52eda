"""One HTTP listener on the service's own asyncio loop: uvicorn serving an ASGI app.

Being on the loop is the point: when the loop hangs, /healthz stops answering too. The socket
is bound here (a port in use is an OSError the caller reports, never uvicorn's sys.exit), the
service keeps its own SIGTERM handling (uvicorn's signal capture is switched off), and a
client is quietly dropped when it has not finished its request head within `read_timeout`
(uvicorn itself waits forever for one). Requests h11 refuses (a request line or headers over
its limit, anything that is not HTTP) are answered 400 and not logged: any client can send them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Generator
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import Server

log = logging.getLogger("watcher.web")

LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAX_REQUEST_HEAD = 64 * 1024  # a request line and headers past this are refused (400)


def parse_address(value: str) -> tuple[str, int]:
    """'127.0.0.1:9187', '[::1]:9187' or ':9187' (loopback) -> (host, port)."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected HOST:PORT such as '127.0.0.1:9187', found {value!r}")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


class _Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline for the first request head."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = self.loop.call_later(self.timeout_keep_alive, self._too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_timer.cancel()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        if self.cycle is None:  # no complete request head yet: close without a word
            self.transport.close()


class _Server(Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield  # the service owns SIGTERM and SIGINT


class _QuietRefusals(logging.Filter):
    """uvicorn's own chatter ("Started server process") and its warning for every request h11
    refuses are dropped; what it logs as an error (a crash in a page) stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        refused = record.getMessage() == "Invalid HTTP request received."
        return record.levelno >= logging.WARNING and not refused


_QUIET = _QuietRefusals()


class HttpServer:
    """Serves `app` on `address` until closed."""

    def __init__(
        self, address: str, app: Any, *, name: str = "http endpoint", read_timeout: float = 5.0
    ) -> None:
        self.address = address
        self.host, self._port = parse_address(address)
        self.name = name
        self._app = app
        self._read_timeout = read_timeout
        self._socket: socket.socket | None = None
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        """The bound port (useful when configured as 0)."""
        if self._socket is None:
            return self._port
        return int(self._socket.getsockname()[1])

    async def start(self) -> None:
        """Bind and serve; an OSError (port in use, no such address) is raised here."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._socket = socket.create_server((self.host, self._port), family=family)
        logging.getLogger("uvicorn.error").addFilter(_QUIET)  # the same filter at most once
        config = uvicorn.Config(
            self._app,
            http=_Protocol,
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_keep_alive=self._read_timeout,  # type: ignore[arg-type]  # a float works
            timeout_graceful_shutdown=5,
            h11_max_incomplete_event_size=MAX_REQUEST_HEAD,
            server_header=False,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started:
            if self._task.done():  # failed before listening: say why
                await self._task
                raise OSError(f"{self.name} did not start")
            await asyncio.sleep(0.01)
        if self.host not in LOOPBACK:
            log.warning(
                "%s listens beyond loopback host=%s port=%d", self.name, self.host, self.port
            )
        log.info("%s listening host=%s port=%d", self.name, self.host, self.port)

    async def close(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None
        if self._socket is not None:
            self._socket.close()
