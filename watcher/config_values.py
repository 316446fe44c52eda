"""The kinds of value config.toml's keys take, shared by config.py and config_channels.py.

A duration ('90s', '5m', '1h', '7d' or seconds, at most ten years), a Telegram chat id written
as a number or a string, HOST:PORT, and Section, the base of every table (unknown keys are
errors; a table read does not change).
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}
MAX_DURATION_DAYS = 3650  # ten years: anything longer is a typo, and times past it overflow


def parse_duration(value: object) -> timedelta:
    """'90s', '5m', '1h', '7d' or a number of seconds -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration like '90s', '5m', '1h' or a number of seconds")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise ValueError(
            f"expected a duration like '90s', '5m', '1h' or a number of seconds, found {value!r}"
        )
    if not math.isfinite(seconds) or seconds > MAX_DURATION_DAYS * 86400:
        raise ValueError(f"expected a duration of at most {MAX_DURATION_DAYS}d, found {value!r}")
    if seconds <= 0:
        raise ValueError(f"expected a positive duration, found {value!r}")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def _chat_id(value: object) -> object:
    """Telegram shows chat ids as numbers, so `chat_id = -1001234567890` is taken as written."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ChatId = Annotated[str, BeforeValidator(_chat_id)]


def host_port(value: str | None) -> str | None:
    m = None if value is None else re.match(r"^(\[[0-9A-Fa-f:.]+\]|[^:\s]*):(\d{1,5})$", value)
    if value is not None and (m is None or int(m.group(2)) > 65535):
        raise ValueError(
            f"expected HOST:PORT (port 0 to 65535) such as '127.0.0.1:9187', found {value!r}"
        )
    return value


class Section(BaseModel):
    """A config table: unknown keys are errors, values do not change once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
