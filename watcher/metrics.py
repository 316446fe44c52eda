"""Prometheus metrics and the optional HTTP endpoint that serves them with /healthz.

`Metrics` owns one prometheus-client registry (never the library's global one, so tests and
several services in one process do not share counters) and is fed by the service: each
`PollReport` (polls and fetch errors by feed, fetch latency, items, stories, matches by rule),
each send or edit through a `MeteredChannel` (alerts sent and failed by channel), rule
reloads, and a `Health` snapshot refreshed at every scrape (outbox depth, feeds, rules).

`HttpEndpoint` is a deliberately tiny HTTP/1.0 server on the service's own asyncio loop:
GET /healthz (200 "ok", or 503 and the problems) and GET /metrics (Prometheus text format).
Being on the loop is the point: when the loop hangs, /healthz stops answering too. It binds
127.0.0.1 unless told otherwise and is off unless `[service] http` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

from watcher.channels.base import Channel
from watcher.errors import ChannelError, PermanentChannelError, RetryAfterError
from watcher.health import Health
from watcher.model import Alert
from watcher.pipeline import PollReport

log = logging.getLogger("watcher.metrics")

FETCH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 60.0)


class Metrics:
    """Every metric watcher exports, in a registry of its own."""

    def __init__(self, *, process: bool = True) -> None:
        self.registry = CollectorRegistry()
        if process:  # RSS, CPU, open files: what a small server's owner watches
            ProcessCollector(registry=self.registry)
        r = self.registry
        self.polls = Counter(
            "watcher_polls", "Feed polls by outcome", ["feed", "outcome"], registry=r
        )
        self.fetch_errors = Counter(
            "watcher_fetch_errors", "Failed feed polls", ["feed"], registry=r
        )
        self.fetch_seconds = Histogram(
            "watcher_fetch_seconds", "HTTP fetch duration", buckets=FETCH_BUCKETS, registry=r
        )
        self.items = Counter("watcher_items", "New items stored", registry=r)
        self.stories = Counter("watcher_stories", "New stories started", registry=r)
        self.matches = Counter("watcher_matches", "Rule matches by rule", ["rule"], registry=r)
        self.alerts = Counter(
            "watcher_alerts", "Alerts sent or edited by channel", ["channel", "action"], registry=r
        )
        self.alert_failures = Counter(
            "watcher_alert_failures",
            "Failed sends and edits by channel and kind (retry_after, transient, refused, crash)",
            ["channel", "kind"],
            registry=r,
        )
        self.rule_reloads = Counter(
            "watcher_rule_reloads", "Rule reloads by result (ok, refused)", ["result"], registry=r
        )
        self.feed_reloads = Counter(
            "watcher_feed_reloads",
            "Feed list reloads by result (ok, refused)",
            ["result"],
            registry=r,
        )
        self.outbox_depth = Gauge("watcher_outbox_depth", "Alerts not yet delivered", registry=r)
        self.rules = Gauge("watcher_rules", "Rules in force", registry=r)
        self.feeds = Gauge("watcher_feeds", "Configured feeds by state", ["state"], registry=r)
        self.healthy = Gauge("watcher_healthy", "1 when `watcher status` would say ok", registry=r)
        self.last_cycle = Gauge(
            "watcher_last_poll_cycle_timestamp_seconds",
            "Unix time of the last poll cycle",
            registry=r,
        )

    def observe_poll(self, report: PollReport) -> None:
        self.polls.labels(report.feed, report.outcome).inc()
        if report.outcome == "error":
            self.fetch_errors.labels(report.feed).inc()
        if report.fetch_seconds is not None:
            self.fetch_seconds.observe(report.fetch_seconds)
        self.items.inc(report.ingest.new_items)
        self.stories.inc(report.ingest.new_stories)
        for rule in report.ingest.rules:
            self.matches.labels(rule).inc()

    def observe_health(self, health: Health) -> None:
        """Gauges that describe the present: refreshed from a snapshot at every scrape."""
        self.outbox_depth.set(health.outbox_depth)
        self.feeds.labels("ok").set(health.feeds_ok)
        self.feeds.labels("failing").set(len(health.failing_feeds))
        self.healthy.set(1 if health.healthy else 0)
        if health.service.rules_count is not None:
            self.rules.set(health.service.rules_count)
        if health.service.last_cycle is not None:
            self.last_cycle.set(health.service.last_cycle.timestamp())

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MeteredChannel:
    """A Channel that counts what passes through it; everything else is the wrapped channel's."""

    def __init__(self, inner: Channel, metrics: Metrics) -> None:
        self.inner = inner
        self.name = inner.name
        self.can_edit = inner.can_edit
        self.can_reply = inner.can_reply
        self._metrics = metrics

    def __getattr__(self, attribute: str) -> Any:  # whatever else the deliverer asks of it
        return getattr(self.inner, attribute)

    def __repr__(self) -> str:
        return f"<MeteredChannel {self.inner!r}>"

    async def send(self, alert: Alert) -> str:
        return await self._counted("sent", self.inner.send(alert))

    async def edit(self, ref: str, alert: Alert) -> str:
        return await self._counted("edited", self.inner.edit(ref, alert))

    async def reply(self, ref: str, alert: Alert) -> str:
        return await self._counted("replied", self.inner.reply(ref, alert))

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def _counted(self, action: str, call: Any) -> str:
        try:
            ref: str = await call
        except RetryAfterError:
            self._failed("retry_after")
            raise
        except PermanentChannelError:
            self._failed("refused")
            raise
        except ChannelError:
            self._failed("transient")
            raise
        except Exception:
            self._failed("crash")
            raise
        self._metrics.alerts.labels(self.name, action).inc()
        return ref

    def _failed(self, kind: str) -> None:
        self._metrics.alert_failures.labels(self.name, kind).inc()


# -- the HTTP endpoint -----------------------------------------------------------------------


def parse_address(value: str) -> tuple[str, int]:
    """'127.0.0.1:9187', '[::1]:9187' or ':9187' (loopback) -> (host, port)."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected HOST:PORT such as '127.0.0.1:9187', found {value!r}")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    414: "URI Too Long",
    503: "Service Unavailable",
}


class HttpEndpoint:
    """GET /healthz and /metrics on the running loop."""

    def __init__(
        self,
        address: str,
        *,
        health: Callable[[], Health],
        metrics: Metrics,
        read_timeout: float = 5.0,
    ) -> None:
        self.host, self._port = parse_address(address)
        self._health = health
        self._metrics = metrics
        self._read_timeout = read_timeout
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The bound port (useful when configured as 0)."""
        if self._server is None or not self._server.sockets:
            return self._port
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self._port)
        if self.host not in ("127.0.0.1", "::1", "localhost"):
            log.warning(
                "http endpoint listens beyond loopback host=%s port=%d", self.host, self.port
            )
        log.info("http endpoint listening host=%s port=%d", self.host, self.port)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(_read_request(reader), self._read_timeout)
            if isinstance(request, int):  # refused: answered, not logged (any client can)
                method, status = "GET", request
                content_type, body = "text/plain; charset=utf-8", f"{_REASONS[status]}\n".encode()
            else:
                method, path = request
                status, content_type, body = self._answer(method, path)
            head = (
                f"HTTP/1.0 {status} {_REASONS[status]}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + (b"" if method == "HEAD" else body))
            await writer.drain()
            if isinstance(request, int):
                await _discard_rest(reader, writer)
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError):
            pass  # a slow, broken or odd client gets nothing; the loop moves on
        except Exception:
            log.exception("http endpoint crashed")
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _answer(self, method: str, path: str) -> tuple[int, str, bytes]:
        text = "text/plain; charset=utf-8"
        if method not in ("GET", "HEAD"):
            return 405, text, b"GET only\n"
        route = path.split("?", 1)[0]
        if route == "/healthz":
            health = self._health()
            if health.healthy:
                return 200, text, b"ok\n"
            return 503, text, ("\n".join(health.problems) + "\n").encode()
        if route == "/metrics":
            self._metrics.observe_health(self._health())
            return 200, CONTENT_TYPE_LATEST, self._metrics.render()
        return 404, text, b"try /healthz or /metrics\n"


async def _discard_rest(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read what a refused client is still sending (up to 1 MiB, for a second) before closing:
    closing on unread bytes resets the connection, and the client may lose the answer."""
    writer.write_eof()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(1.0):
            left = 1 << 20
            while left > 0 and (chunk := await reader.read(min(left, 1 << 16))):
                left -= len(chunk)


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str] | int:
    """The request line's method and target, or the status refusing it: 414 for a line past
    the reader's limit (64 KiB), 400 for one that is not HTTP or headers over 8 KiB (they are
    read and ignored)."""
    try:
        line = (await reader.readuntil(b"\n")).decode("latin-1").split()
    except asyncio.LimitOverrunError:
        return 414
    if len(line) < 2:
        return 400
    size = 0
    try:
        while (header := await reader.readuntil(b"\n")) not in (b"\r\n", b"\n"):
            size += len(header)
            if size > 8192:
                return 400
    except asyncio.LimitOverrunError:
        return 400
    return line[0].upper(), line[1]
