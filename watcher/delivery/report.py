"""What a delivery pass did, per channel and in all: counts, and when it can next go on.

A ChannelTurn (turn.py) reports its channel's part; the Deliverer (deliverer.py) adds the
parts up (`+`), the earliest wake-up winning, and `drain` delivers again until nothing can
progress.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    edited: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0  # kept back for a digest (digest period, quiet hours, max_per_hour)
    skipped: int = 0  # below the channel's min_priority
    notices: int = 0  # admin notices sent
    replied: int = 0  # follow-ups sent as replies to their alert
    wake: datetime | None = None  # when something held or waiting can next make progress

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        counts = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name != "wake"
        }
        return DeliveryReport(**counts, wake=earliest(self.wake, other.wake))


def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    return a if b is None else min(a, b)
