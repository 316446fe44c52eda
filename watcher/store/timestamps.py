"""Datetimes as stored: ISO 8601 text in UTC, which sorts like time."""

from __future__ import annotations

from datetime import UTC, datetime


def ts(value: datetime | None) -> str | None:
    """Aware datetime -> sortable ISO text in UTC."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")


def ts_exact(value: datetime) -> str:
    """Aware datetime -> sortable ISO text in UTC to the microsecond, for times compared with
    each other within a second: when an item was stored and when its alert last became due
    (an edit marks the sources stored since; a service stores many feeds' items in one second).
    Sorts with ts() text as time does ("12:00:00+00:00" < "12:00:00.4+00:00")."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def dt_required(value: str) -> datetime:
    return datetime.fromisoformat(value)
