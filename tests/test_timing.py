"""Pure timing policy: intervals, hints, backoff, retry_after."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from watcher import timing

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FIVE = timedelta(minutes=5)


def test_next_poll_is_interval_with_small_jitter() -> None:
    rng = random.Random(1)
    waits = [timing.next_poll(NOW, FIVE, rng) - NOW for _ in range(200)]
    assert min(waits) >= FIVE * 0.9 and max(waits) <= FIVE * 1.1
    assert len(set(waits)) > 100


def test_hint_stretches_but_is_bounded() -> None:
    rng = random.Random(2)
    longer = timing.next_poll(NOW, FIVE, rng, hint=timedelta(minutes=12)) - NOW
    assert timedelta(minutes=12) * 0.9 <= longer <= timedelta(minutes=12) * 1.1
    capped = timing.next_poll(NOW, FIVE, rng, hint=timedelta(days=1)) - NOW
    assert capped <= FIVE * timing.MAX_HINT_FACTOR * 1.1
    shorter = timing.next_poll(NOW, FIVE, rng, hint=timedelta(seconds=10)) - NOW
    assert shorter >= FIVE * 0.9


def test_feed_backoff_grows_and_caps() -> None:
    rng = random.Random(3)
    waits = [timing.next_poll_after_error(NOW, FIVE, n, rng) - NOW for n in range(1, 12)]
    assert waits[0] <= FIVE * 1.2
    assert waits[3] >= FIVE * 8 * 0.8
    assert max(waits) <= timing.FEED_BACKOFF_CAP * 1.2


def test_feed_backoff_never_sooner_than_retry_after() -> None:
    rng = random.Random(4)
    when = timing.next_poll_after_error(NOW, FIVE, 1, rng, retry_after=timedelta(hours=2))
    assert when - NOW >= timedelta(hours=2) * 0.8


def test_delivery_retry_after_is_exact() -> None:
    when = timing.next_delivery_attempt(NOW, 3, random.Random(5), retry_after=7)
    assert timedelta(seconds=7) <= when - NOW < timedelta(seconds=8)


def test_delivery_backoff_exponential_capped() -> None:
    rng = random.Random(6)
    first = timing.next_delivery_attempt(NOW, 0, rng) - NOW
    later = timing.next_delivery_attempt(NOW, 4, rng) - NOW
    assert first <= timing.DELIVERY_BACKOFF_BASE
    assert later >= timing.DELIVERY_BACKOFF_BASE * 8
    assert timing.next_delivery_attempt(NOW, 40, rng) - NOW <= timing.DELIVERY_BACKOFF_CAP
