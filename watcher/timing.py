"""Pure timing policy: when to poll a feed next, when to retry a delivery, when a feed that
still answers has gone quiet for too long (stale).

Every function takes `now` and a random source; nothing here reads a clock or sleeps.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from statistics import median

# A feed's hint (Cache-Control max-age, Expires, <ttl>) may stretch its interval, but never past
# this many intervals: a desk would rather poll a slow feed than miss a story.
MAX_HINT_FACTOR = 4
# Errors back off exponentially from the interval up to this; a Retry-After on 429/503 is obeyed
# up to this too (a rate-limited server asked us to stay away; the feed is failing anyway).
FEED_BACKOFF_CAP = timedelta(hours=6)
DELIVERY_BACKOFF_BASE = timedelta(seconds=5)
DELIVERY_BACKOFF_CAP = timedelta(minutes=30)
_HINT_JITTER = 0.1  # hints are stretched by up to this much, never shortened


def jittered(interval: timedelta, rng: random.Random, spread: float = 0.1) -> timedelta:
    """The interval ± spread, so feeds configured alike do not all fire in the same second."""
    return interval * (1 + rng.uniform(-spread, spread))


def _honoured(asked: timedelta, bound: timedelta, rng: random.Random) -> timedelta:
    """A server's "not before": up to 10% later (to spread feeds), never sooner, at most `bound`."""
    return min(asked * (1 + rng.uniform(0, _HINT_JITTER)), bound)


def next_poll(
    now: datetime,
    interval: timedelta,
    rng: random.Random,
    *,
    hint: timedelta | None = None,
) -> datetime:
    """After a successful poll: the interval (± 10%), or the server's hint when that is longer.

    The hint is never undercut (no poll sooner than the server asked) and never stretches the
    wait past `interval * MAX_HINT_FACTOR` (a desk would rather poll than miss a story).
    """
    wait = jittered(interval, rng)
    if hint is not None and hint > wait:
        wait = max(wait, _honoured(hint, interval * MAX_HINT_FACTOR, rng))
    return now + wait


def backoff(interval: timedelta, error_count: int, rng: random.Random) -> timedelta:
    """The wait after `error_count` consecutive failures: interval × 2^(n-1) ± 20%, capped."""
    exponent = max(0, min(error_count - 1, 16))
    cap = max(FEED_BACKOFF_CAP, interval)
    return min(jittered(min(interval * (2**exponent), cap), rng, spread=0.2), cap)


def next_poll_after_error(
    now: datetime,
    interval: timedelta,
    error_count: int,
    rng: random.Random,
    *,
    retry_after: timedelta | None = None,
) -> datetime:
    """Exponential backoff with jitter, capped; never sooner than Retry-After (up to the cap)."""
    wait = backoff(interval, error_count, rng)
    if retry_after is not None and retry_after > wait:
        wait = max(wait, _honoured(retry_after, max(FEED_BACKOFF_CAP, interval), rng))
    return now + wait


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


# A feed that answers fine but brings nothing new for this many times its usual gap between
# new items (the median of its last GAPS_KEPT), and at least STALE_FLOOR, is stale: its items
# may have moved elsewhere. Fewer than STALE_MIN_GAPS gaps known: no usual gap to judge by.
STALE_FACTOR = 10
STALE_FLOOR = timedelta(hours=24)
STALE_MIN_GAPS = 3
GAPS_KEPT = 20


def remember_gap(gaps: Sequence[int], gap: timedelta) -> tuple[int, ...]:
    """The last GAPS_KEPT gaps (whole seconds) between polls that brought new items."""
    return (*gaps, max(0, int(gap.total_seconds())))[-GAPS_KEPT:]


def usual_gap(gaps: Sequence[int]) -> timedelta | None:
    """The feed's median gap between new items, once enough are known."""
    if len(gaps) < STALE_MIN_GAPS:
        return None
    return timedelta(seconds=median(gaps))


def stale_after(gaps: Sequence[int]) -> timedelta | None:
    """How long without a new item makes the feed stale (None: not judged yet)."""
    usual = usual_gap(gaps)
    return None if usual is None else max(STALE_FLOOR, usual * STALE_FACTOR)


def is_stale(gaps: Sequence[int], last_new: datetime | None, now: datetime) -> bool:
    limit = stale_after(gaps)
    return limit is not None and last_new is not None and now - last_new > limit
