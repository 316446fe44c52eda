"""Metrics: what the service counts, and the /healthz and /metrics endpoint on a real socket.

Every /metrics answer is read back with prometheus-client's own text parser.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from watcher.channels.base import Channel
from watcher.delivery.pacing import Limit
from watcher.errors import ChannelError, PermanentChannelError, RetryAfterError
from watcher.health import Health
from watcher.ingest import IngestReport
from watcher.metrics import MeteredChannel, Metrics
from watcher.model import Alert, Story
from watcher.pipeline import PollReport
from watcher.store.state import ServiceRecord
from watcher.web.probes import probes_app
from watcher.web.server import HttpServer, parse_address

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def health(problems: tuple[str, ...] = (), outbox: int = 0) -> Health:
    return Health(
        now=NOW,
        problems=problems,
        service=ServiceRecord(rules_count=7, last_cycle=NOW),
        feeds_total=3,
        feeds_ok=2,
        failing_feeds=(),
        outbox_depth=outbox,
    )


def test_poll_reports_become_counters() -> None:
    m = Metrics(process=False)
    m.observe_poll(
        PollReport("A", "new", IngestReport(new_items=3, new_stories=2, rules=("r1", "r2", "r1")),
                   fetch_seconds=0.3)
    )  # fmt: skip
    m.observe_poll(PollReport("A", "not-modified", fetch_seconds=0.02))
    m.observe_poll(PollReport("B", "error", error="HTTP 503"))
    got = samples(m.render().decode())
    assert got[("watcher_polls_total", (("feed", "A"), ("outcome", "new")))] == 1
    assert got[("watcher_polls_total", (("feed", "B"), ("outcome", "error")))] == 1
    assert got[("watcher_fetch_errors_total", (("feed", "B"),))] == 1
    assert ("watcher_fetch_errors_total", (("feed", "A"),)) not in got
    assert got[("watcher_items_total", ())] == 3
    assert got[("watcher_stories_total", ())] == 2
    assert got[("watcher_matches_total", (("rule", "r1"),))] == 2
    assert got[("watcher_fetch_seconds_count", ())] == 2  # the failed poll had no answer
    assert got[("watcher_fetch_seconds_bucket", (("le", "0.05"),))] == 1
    assert got[("watcher_fetch_seconds_sum", ())] == pytest.approx(0.32)


class Scripted:
    """A channel whose next calls raise what the test says."""

    name = "desk"
    can_edit = True
    can_reply = True

    def __init__(self, *outcomes: BaseException | None) -> None:
        self.outcomes = list(outcomes)

    async def send(self, alert: Alert) -> str:
        return self._next("m1")

    async def edit(self, ref: str, alert: Alert) -> str:
        return self._next(ref)

    async def reply(self, ref: str, alert: Alert) -> str:
        return self._next("m2")

    chat = "C1"
    moved_to: str | None = None

    def move_to(self, chat: str) -> None:
        self.moved_to = chat

    def limits(self) -> tuple[Limit, ...]:
        return (Limit("chat:desk", 1, timedelta(seconds=1)),)

    async def aclose(self) -> None:
        pass

    def _next(self, ref: str) -> str:
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome
        return ref


async def test_metered_channel_counts_sends_edits_replies_and_failures() -> None:
    m = Metrics(process=False)
    inner = Scripted(
        None, None, None, RetryAfterError("slow down", 3), PermanentChannelError("kicked"),
        ChannelError("502"), RuntimeError("bug"),
    )  # fmt: skip
    channel = MeteredChannel(inner, m)
    alert = Alert(Story(1, "t", NOW, NOW), ("r",))
    assert await channel.send(alert) == "m1"
    assert await channel.edit("m1", alert) == "m1"
    assert channel.can_reply and await channel.reply("m1", alert) == "m2"
    for _ in range(4):
        with pytest.raises((ChannelError, RuntimeError)):
            await channel.send(alert)
    got = samples(m.render().decode())
    assert got[("watcher_alerts_total", (("action", "sent"), ("channel", "desk")))] == 1
    assert got[("watcher_alerts_total", (("action", "edited"), ("channel", "desk")))] == 1
    assert got[("watcher_alerts_total", (("action", "replied"), ("channel", "desk")))] == 1
    for kind in ("retry_after", "refused", "transient", "crash"):
        key = ("watcher_alert_failures_total", (("channel", "desk"), ("kind", kind)))
        assert got[key] == 1, kind
    assert inner.outcomes == []
    # What the channel is and can do is the wrapped one's, declared (no attribute forwarding).
    assert isinstance(channel, Channel) and not hasattr(channel, "outcomes")
    assert channel.chat == "C1" and channel.limits() == inner.limits()
    channel.move_to("C2")
    assert inner.moved_to == "C2"


def test_two_services_in_one_process_do_not_share_counters() -> None:
    a, b = Metrics(process=False), Metrics(process=False)
    a.items.inc(5)
    assert samples(b.render().decode())[("watcher_items_total", ())] == 0


def test_addresses() -> None:
    assert parse_address("127.0.0.1:9187") == ("127.0.0.1", 9187)
    assert parse_address("[::1]:9187") == ("::1", 9187)
    assert parse_address(":9187") == ("127.0.0.1", 9187)
    with pytest.raises(ValueError):
        parse_address("localhost")


async def test_endpoint_serves_healthz_and_metrics() -> None:
    m = Metrics()
    state = {"health": health()}
    endpoint = HttpServer("127.0.0.1:0", probes_app(lambda: state["health"], m))
    await endpoint.start()
    base = f"http://127.0.0.1:{endpoint.port}"
    try:
        async with httpx.AsyncClient() as client:
            ok = await client.get(f"{base}/healthz")
            assert (ok.status_code, ok.text) == (200, "ok\n")
            state["health"] = health(("feed B failed 3 polls in a row: HTTP 503",), outbox=4)
            bad = await client.get(f"{base}/healthz")
            assert bad.status_code == 503 and "feed B failed" in bad.text
            scrape = await client.get(f"{base}/metrics")
            assert scrape.headers["content-type"].startswith("text/plain; version=")
            got = samples(scrape.text)
            assert got[("watcher_outbox_depth", ())] == 4
            assert got[("watcher_healthy", ())] == 0
            assert got[("watcher_rules", ())] == 7
            assert got[("watcher_feeds", (("state", "failing"),))] == 0
            assert got[("process_resident_memory_bytes", ())] > 0
            assert (await client.get(f"{base}/nope")).status_code == 404
            assert (await client.post(f"{base}/metrics")).status_code == 405
    finally:
        await endpoint.close()


async def test_endpoint_drops_a_client_that_never_finishes_its_request() -> None:
    endpoint = HttpServer(
        "127.0.0.1:0", probes_app(health, Metrics(process=False)), read_timeout=0.2
    )
    await endpoint.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", endpoint.port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # no blank line: never ends
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 2) == b""  # closed, nothing said
        writer.close()
        async with httpx.AsyncClient() as client:  # and the endpoint still serves others
            assert (await client.get(f"http://127.0.0.1:{endpoint.port}/healthz")).text == "ok\n"
    finally:
        await endpoint.close()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /healthz?" + b"x" * 100_000 + b" HTTP/1.1\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\nX-Big: " + b"y" * 100_000 + b"\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\n" + b"X-Many: z\r\n" * 1000 + b"\r\n", 400),
        (b"hello\r\n\r\n", 400),
    ],
)
async def test_endpoint_refuses_oversized_or_odd_requests_quietly(
    request_bytes: bytes, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint = HttpServer("127.0.0.1:0", probes_app(health, Metrics(process=False)))
    await endpoint.start()
    try:
        for _ in range(2):  # each time, and the endpoint keeps serving
            reader, writer = await asyncio.open_connection("127.0.0.1", endpoint.port)
            writer.write(request_bytes)
            await writer.drain()
            answer = await asyncio.wait_for(reader.readline(), 5)
            assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer
            writer.close()
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"http://127.0.0.1:{endpoint.port}/healthz")).text == "ok\n"
    finally:
        await endpoint.close()
    # Any client can send these: no warning, no traceback.
    assert not [r for r in caplog.records if r.levelno >= 30 or r.exc_info], caplog.text
