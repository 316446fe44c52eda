"""What an HTTP answer's headers say about time: Retry-After, Cache-Control and Expires (pure).

fetch.py reads them against the server's own Date header when it sent one (else the clock it
is given), so a server whose clock is off still gets the wait it asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.I)


def http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    moment = http_date(text)
    if moment is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long the answer may be reused: Cache-Control max-age, else Expires."""
    control = headers.get("cache-control", "")
    if re.search(r"no-store|no-cache", control, re.I):
        return None
    found = _MAX_AGE.search(control)
    if found:
        return timedelta(seconds=int(found.group(1)))
    expires = http_date(headers.get("expires"))
    if expires is None:
        return None
    return max(timedelta(0), expires - now)
