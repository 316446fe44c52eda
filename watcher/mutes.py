"""Mutes: a desk silencing a rule or a story on its own channel for a while (issue 15). Pure.

A mute belongs to one channel and lapses at `until`. While it lasts, delivery skips what it
covers on that channel: new alerts and edits of a muted story, and alerts whose every matching
rule is muted (a story another, unmuted rule also matched still comes). What was skipped is not
sent when the mute lapses; the story's next change shows it whole (or alerts it, if it never was).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["KINDS", "MAX_MUTE", "Mute", "muting", "parse_span"]

KINDS = ("rule", "story")
MAX_MUTE = timedelta(days=30)  # a longer silence is a config edit (disable the rule), not a mute
_SPAN = re.compile(r"(\d{1,5})\s*([mhd])", re.IGNORECASE)
_UNIT = {"m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class Mute:
    channel: str
    kind: str  # one of KINDS
    target: str  # the rule's name, or the story's id as text
    until: datetime
    created_at: datetime
    by: str = ""  # who: "telegram:<user id>", "slack:<user id>"

    def describe(self) -> str:
        return f"{self.kind} {self.target} on {self.channel} until {_iso(self.until)}"

    def as_json(self) -> dict[str, str]:
        return {
            "channel": self.channel,
            "kind": self.kind,
            "target": self.target,
            "until": _iso(self.until),
            "created_at": _iso(self.created_at),
            "by": self.by,
        }


def muting(mutes: Iterable[Mute], story_id: int, rules: Sequence[str]) -> Mute | None:
    """Which of a channel's live `mutes` silences an alert of `story_id` matched by `rules`:
    a mute of the story, or (when every rule is muted) the mute of its first rule."""
    by_rule: dict[str, Mute] = {}
    for mute in mutes:
        if mute.kind == "story" and mute.target == str(story_id):
            return mute
        if mute.kind == "rule":
            by_rule[mute.target] = mute
    if rules and all(rule in by_rule for rule in rules):
        return by_rule[rules[0]]
    return None


def parse_span(text: str) -> timedelta:
    """ "30m", "4h", "1d" -> timedelta, at most MAX_MUTE; ValueError says what is wrong."""
    m = _SPAN.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"expected a time like 30m, 4h or 1d, found {text!r}")
    span = timedelta(seconds=int(m.group(1)) * _UNIT[m.group(2).lower()])
    if span <= timedelta(0) or span > MAX_MUTE:
        raise ValueError(f"a mute lasts from 1m to {MAX_MUTE.days}d, found {text!r}")
    return span


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
