"""Prometheus metrics (served at /metrics by watcher/web/probes.py).

`Metrics` owns one prometheus-client registry (never the library's global one, so tests and
several services in one process do not share counters) and is fed by the service: each
`PollReport` (polls and fetch errors by feed, fetch latency, items, stories, matches by rule),
each send or edit through a `MeteredChannel` (alerts sent and failed by channel), rule
reloads, and a `Health` snapshot refreshed at every scrape (outbox depth, feeds, rules).
"""

from __future__ import annotations

from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

from watcher.channels.base import Channel, WrappedChannel
from watcher.errors import ChannelError, ChatMovedError, PermanentChannelError, RetryAfterError
from watcher.health import Health
from watcher.model import Alert
from watcher.pipeline import PollReport

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


class MeteredChannel(WrappedChannel):
    """A Channel that counts what passes through it (app.py wraps each channel of `watcher
    run` in one); what it is and can do is the wrapped channel's."""

    def __init__(self, inner: Channel, metrics: Metrics) -> None:
        super().__init__(inner)
        self._metrics = metrics

    def __repr__(self) -> str:
        return f"<MeteredChannel {self.inner!r}>"

    async def send(self, alert: Alert) -> str:
        return await self._counted("sent", self.inner.send(alert))

    async def edit(self, ref: str, alert: Alert) -> str:
        return await self._counted("edited", self.inner.edit(ref, alert))

    async def reply(self, ref: str, alert: Alert) -> str:
        return await self._counted("replied", self.inner.reply(ref, alert))

    async def _counted(self, action: str, call: Any) -> str:
        try:
            ref: str = await call
        except ChatMovedError:  # nothing failed: delivery follows the chat and calls again
            raise
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
