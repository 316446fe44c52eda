"""Datetimes as stored: ISO 8601 text in UTC, which sorts like time."""

from __future__ import annotations

from datetime import UTC, datetime


def ts(value: datetime | None) -> str | None:
    """Aware datetime -> sortable ISO text in UTC."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")


def dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def dt_required(value: str) -> datetime:
    return datetime.fromisoformat(value)
