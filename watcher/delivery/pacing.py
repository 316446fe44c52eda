"""Send pacing: how long to wait before the next message so a chat API's limits are kept.

Pure: sliding windows of recent send times, kept in memory and fed `now` by the caller. Each
attempt (attempt.py) asks `wait(limits, now)` before its call and `record(limits, now)` right
after the wait is over (no await in between, so concurrent channel tasks cannot both take the
last slot). A channel declares its limits (`Channel.limits`), from the functions here.
After a restart the windows are seeded from the sends the database remembers (`seed`).

Telegram documents about one message per second in a chat, 20 per minute in a group, and 30
per second for a bot overall; Slack about one per second per channel. We pace a little under
those numbers so flood control (429) stays the exception.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Limit", "Pacer", "slack_limits", "telegram_limits"]

ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `count` sends per `per` in the bucket named `key` (a chat, a group, a bot)."""

    key: str
    count: int
    per: timedelta


def telegram_limits(channel: str, chat_id: str) -> tuple[Limit, ...]:
    """Per chat ~1/s; a group or supergroup (negative id) 20/min; every Telegram chat 30/s."""
    limits = [Limit(f"chat:{channel}", 1, timedelta(seconds=1.05))]
    if chat_id.startswith("-"):
        limits.append(Limit(f"group:{channel}", 20, timedelta(seconds=61)))
    limits.append(Limit("telegram", 28, timedelta(seconds=1)))
    return tuple(limits)


def slack_limits(channel: str) -> tuple[Limit, ...]:
    """chat.postMessage and webhooks: about one message per second per channel."""
    return (Limit(f"chat:{channel}", 1, timedelta(seconds=1.05)),)


class Pacer:
    """Recent send times per bucket; answers how long until one more send fits every limit."""

    def __init__(self) -> None:
        self._sent: dict[str, deque[datetime]] = {}

    def wait(self, limits: Sequence[Limit], now: datetime) -> timedelta:
        """How long from `now` until a send keeps every limit (zero: send now)."""
        longest = ZERO
        for limit in limits:
            times = self._window(limit, now)
            if len(times) >= limit.count:
                # The send `count` places back must leave the window first.
                free_at = times[len(times) - limit.count] + limit.per
                longest = max(longest, free_at - now)
        return longest

    def record(self, limits: Sequence[Limit], now: datetime) -> None:
        for limit in limits:
            times = self._sent.setdefault(limit.key, deque())
            times.append(now)
            while len(times) > limit.count:  # older ones can no longer matter
                times.popleft()

    def seed(self, limits: Sequence[Limit], times: Iterable[datetime]) -> None:
        """Remember sends made before a restart (oldest first)."""
        for moment in sorted(times):
            self.record(limits, moment)

    def _window(self, limit: Limit, now: datetime) -> deque[datetime]:
        times = self._sent.get(limit.key, deque())
        while times and times[0] <= now - limit.per:
            times.popleft()
        return times
