"""Pure timing policy: when to poll a feed next and when to retry a delivery.

Every function takes `now` and a random source; nothing here reads a clock or sleeps.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

# A feed's hint (Cache-Control max-age, Expires, <ttl>, Retry-After) may stretch its interval,
# but never past this many intervals: a desk would rather poll a slow feed than miss a story.
MAX_HINT_FACTOR = 4
FEED_BACKOFF_CAP = timedelta(hours=6)
DELIVERY_BACKOFF_BASE = timedelta(seconds=5)
DELIVERY_BACKOFF_CAP = timedelta(minutes=30)


def jittered(interval: timedelta, rng: random.Random, spread: float = 0.1) -> timedelta:
    """The interval ± spread, so feeds configured alike do not all fire in the same second."""
    return interval * (1 + rng.uniform(-spread, spread))


def next_poll(
    now: datetime,
    interval: timedelta,
    rng: random.Random,
    *,
    hint: timedelta | None = None,
) -> datetime:
    """After a successful poll: the interval, or the server's hint when longer (bounded)."""
    wait = interval
    if hint is not None and hint > interval:
        wait = min(hint, interval * MAX_HINT_FACTOR)
    return now + jittered(wait, rng)


def next_poll_after_error(
    now: datetime,
    interval: timedelta,
    error_count: int,
    rng: random.Random,
    *,
    retry_after: timedelta | None = None,
) -> datetime:
    """Exponential backoff from the feed's interval, capped; never sooner than Retry-After."""
    exponent = max(0, min(error_count - 1, 16))
    wait = min(interval * (2**exponent), max(FEED_BACKOFF_CAP, interval))
    if retry_after is not None:
        wait = max(wait, retry_after)
    return now + jittered(wait, rng, spread=0.2)


def next_delivery_attempt(
    now: datetime,
    attempts: int,
    rng: random.Random,
    *,
    retry_after: float | None = None,
) -> datetime:
    """A 429's retry_after is obeyed exactly (plus a hair); other errors back off with jitter."""
    if retry_after is not None:
        return now + timedelta(seconds=retry_after + 0.05)
    exponent = max(0, min(attempts, 16))
    wait = min(DELIVERY_BACKOFF_BASE * (2**exponent), DELIVERY_BACKOFF_CAP)
    return now + timedelta(seconds=wait.total_seconds() * rng.uniform(0.5, 1.0))
