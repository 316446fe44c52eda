"""Delivery: sending or editing what the outbox says is due, and recording what happened.

Channels are delivered in parallel, each channel's rows in order; a channel that asks to wait
(flood control) or fails transiently stops its batch so its messages keep their order. A
permanent refusal marks the row failed, visible in the outbox until an operator requeues it.
Nothing here throws through the loop: an unexpected exception is logged with its traceback and
the row is retried.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from watcher import timing
from watcher.channels.base import Channel
from watcher.errors import ChannelError, PermanentChannelError, RetryAfterError
from watcher.model import Alert, Delivery
from watcher.store import Store

log = logging.getLogger("watcher.delivery")

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    edited: int = 0
    retrying: int = 0
    failed: int = 0


class Deliverer:
    def __init__(
        self,
        *,
        store: Store,
        channels: Mapping[str, Channel],
        clock: Callable[[], datetime],
        rng: random.Random,
    ) -> None:
        self.store = store
        self.channels = channels
        self.clock = clock
        self.rng = rng

    # -- delivery ----------------------------------------------------------------------------

    async def deliver_due(self) -> DeliveryReport:
        """Send or edit every due outbox row; channels in parallel, each channel in order."""
        by_channel: dict[str, list[Delivery]] = {}
        for delivery in self.store.due_deliveries(self.clock()):
            by_channel.setdefault(delivery.channel, []).append(delivery)
        reports = await asyncio.gather(
            *(self._deliver_channel(name, rows) for name, rows in by_channel.items())
        )
        return DeliveryReport(
            sum(r.sent for r in reports),
            sum(r.edited for r in reports),
            sum(r.retrying for r in reports),
            sum(r.failed for r in reports),
        )

    async def _deliver_channel(self, name: str, rows: list[Delivery]) -> DeliveryReport:
        sent = edited = retrying = failed = 0
        channel = self.channels.get(name)
        for delivery in rows:
            if channel is None:
                self.store.mark_failed(
                    delivery, f"no channel named {name!r} in the config", self.clock()
                )
                failed += 1
                continue
            outcome = await self._deliver_one(channel, delivery)
            if outcome == "sent":
                sent += 1
            elif outcome == "edited":
                edited += 1
            elif outcome == "failed":
                failed += 1
            else:
                # Stop this channel's batch so its messages keep their order.
                retrying += 1
                break
        return DeliveryReport(sent, edited, retrying, failed)

    async def _deliver_one(self, channel: Channel, delivery: Delivery) -> str:
        story = self.store.story(delivery.story_id)
        if story is None:
            self.store.mark_failed(delivery, "story no longer stored", self.clock())
            return "failed"
        alert = Alert(story=story, rules=delivery.rules, terms=delivery.terms)
        try:
            if delivery.message_ref is None:
                ref = await channel.send(alert)
                outcome = "sent"
            else:
                ref = await channel.edit(delivery.message_ref, alert)
                outcome = "edited"
        except RetryAfterError as exc:
            return self._retry(delivery, exc, exc.retry_after)
        except PermanentChannelError as exc:
            self.store.mark_failed(delivery, str(exc), self.clock())
            log.error(
                "delivery refused channel=%s story=%d error=%s",
                channel.name,
                delivery.story_id,
                exc,
            )
            return "failed"
        except ChannelError as exc:
            return self._retry(delivery, exc, None)
        except Exception as exc:  # a bug: keep the alert, log the traceback
            log.exception("delivery crashed channel=%s story=%d", channel.name, delivery.story_id)
            return self._retry(delivery, exc, None)
        self.store.mark_sent(delivery, ref, self.clock())
        log.info(
            "delivered channel=%s story=%d action=%s sources=%d",
            channel.name,
            delivery.story_id,
            outcome,
            len(story.items),
        )
        return outcome

    def _retry(self, delivery: Delivery, exc: Exception, retry_after: float | None) -> str:
        now = self.clock()
        when = timing.next_delivery_attempt(
            now, delivery.attempts, self.rng, retry_after=retry_after
        )
        self.store.mark_retry(delivery, str(exc) or type(exc).__name__, when, now)
        log.warning(
            "delivery postponed channel=%s story=%d attempt=%d retry_at=%s error=%s",
            delivery.channel,
            delivery.story_id,
            delivery.attempts + 1,
            when.isoformat(timespec="seconds"),
            exc,
        )
        return "retrying"


async def drain(
    deliverer: Deliverer,
    *,
    sleep: Sleep = asyncio.sleep,
    max_wait: timedelta = timedelta(seconds=15),
) -> DeliveryReport:
    """Deliver until the outbox is empty, waiting out retry-afters up to `max_wait` each."""
    total = DeliveryReport()
    while True:
        report = await deliverer.deliver_due()
        total = DeliveryReport(
            total.sent + report.sent,
            total.edited + report.edited,
            report.retrying,
            total.failed + report.failed,
        )
        next_attempt = deliverer.store.next_attempt_time()
        if next_attempt is None:
            return total
        wait = (next_attempt - deliverer.clock()).total_seconds()
        if wait > max_wait.total_seconds():
            log.warning(
                "outbox still holds deliveries; next attempt at %s",
                next_attempt.isoformat(timespec="seconds"),
            )
            return total
        await sleep(max(wait, 0.0))
