"""The desk's policy: per channel, the decision to send an alert now, hold it, fold it or skip it.

`route` decides for one alert (send, skip, or hold for a digest, quiet hours or max_per_hour),
`flush_at` when what is held goes out. Pure: every decision is a function of the channel's
`DeskPolicy`, `now` and what the outbox says about the alert. A channel may have, each optional:

- ``digest = "15m"``: new alerts are held and go out together, at most one digest a period
  (the first a period after the first alert held, then on the cadence of the last digest);
- ``quiet_hours = "22:00-07:00"`` in ``timezone``: new alerts are held while quiet, and those
  held arrive as one digest when the quiet hours end;
- ``min_priority``: an alert whose rules' priority is below it is not sent to the channel;
- ``max_per_hour``: past this many messages in the last hour, new alerts fold into a digest
  sent every `digest` period (15 minutes when no digest is configured).

Edits of a message already shown (a story gaining a source) are not held: chat apps do not
notify for an edit, so they cannot flood anyone. A digest of a single alert is sent as that
alert's ordinary message, so it can be edited later like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_FOLD",
    "DeskPolicy",
    "QuietHours",
    "Route",
    "flush_at",
    "parse_quiet_hours",
    "route",
]

DEFAULT_FOLD = timedelta(minutes=15)  # how often alerts past max_per_hour go out as a digest
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily span of local time, [start, end); it crosses midnight when end <= start."""

    start: time
    end: time
    zone: ZoneInfo

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone).time().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_end(self, moment: datetime) -> datetime:
        """The first end of quiet hours after `moment` (an aware datetime in the zone)."""
        local = moment.astimezone(self.zone)
        for days in range(0, 3):
            day = local.date() + timedelta(days=days)
            end = datetime.combine(day, self.end, tzinfo=self.zone)
            if end > local:
                return end
        raise AssertionError("unreachable: an end of day always comes within two days")


def parse_quiet_hours(text: str, timezone: str = "UTC") -> QuietHours:
    """ "22:00-07:00" in an IANA zone -> QuietHours. ValueError says what is wrong."""
    m = _RANGE.match(text)
    if m is None:
        raise ValueError(f'expected a span like "22:00-07:00", found {text!r}')
    hours_a, minutes_a, hours_b, minutes_b = (int(g) for g in m.groups())
    if hours_a > 23 or hours_b > 23 or minutes_a > 59 or minutes_b > 59:
        raise ValueError(f"expected times between 00:00 and 23:59, found {text!r}")
    start, end = time(hours_a, minutes_a), time(hours_b, minutes_b)
    if start == end:
        raise ValueError(f"expected a span with different start and end, found {text!r}")
    return QuietHours(start, end, zone(timezone))


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f'expected an IANA time zone like "Europe/London", found {name!r}'
        ) from exc


@dataclass(frozen=True, slots=True)
class DeskPolicy:
    digest: timedelta | None = None
    quiet: QuietHours | None = None
    min_priority: int | None = None
    max_per_hour: int | None = None

    @property
    def holds_anything(self) -> bool:
        return not (self.digest is None and self.quiet is None and self.max_per_hour is None)


class Route(StrEnum):
    SEND = "send"  # send (or edit) now
    SKIP = "skip"  # below min_priority: never sent to this channel
    DIGEST = "digest"  # held for the channel's periodic digest
    QUIET = "quiet"  # held by quiet hours, for the digest when they end
    FOLD = "fold"  # past max_per_hour, folded into a digest


def route(
    policy: DeskPolicy,
    *,
    now: datetime,
    queued_at: datetime,
    priority: int,
    is_edit: bool,
    sent_last_hour: int,
) -> Route:
    """What to do with one alert now. `sent_last_hour` counts new messages, not edits."""
    if policy.min_priority is not None and priority < policy.min_priority and not is_edit:
        return Route.SKIP
    if is_edit:
        return Route.SEND
    if policy.quiet is not None and (
        policy.quiet.contains(now) or policy.quiet.contains(queued_at)
    ):
        return Route.QUIET
    if policy.digest is not None:
        return Route.DIGEST
    if policy.max_per_hour is not None and sent_last_hour >= policy.max_per_hour:
        return Route.FOLD
    return Route.SEND


def flush_at(
    policy: DeskPolicy,
    *,
    now: datetime,
    routes: set[Route],
    oldest: datetime,
    last_digest: datetime | None,
) -> datetime:
    """When the held alerts (held for `routes`, the oldest queued at `oldest`) go out."""
    if policy.quiet is not None and policy.quiet.contains(now):
        return policy.quiet.next_end(now)
    if Route.QUIET in routes:
        return now  # the quiet hours are over: everything held goes out in one digest
    period = policy.digest or DEFAULT_FOLD
    if last_digest is None:
        return oldest + period
    # Keep the cadence of the last digest: the first period boundary after the oldest alert,
    # so an alert waits at most one period and digests are at least one period apart.
    periods = max(1, (oldest - last_digest) // period + 1)
    return last_digest + periods * period
