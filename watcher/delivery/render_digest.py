"""Digests, bursts and admin notices as Alerts, so every channel renders them with render.py.

A channel's `send` takes an Alert and renders it itself (escaping, length limits), so a digest
is an Alert whose "story" lists one entry per alerted story (its headline, and its first
report's outlet and link) and whose rules are the union of theirs; a notice is an Alert whose
title is the notice. The renderer shows at most `render.MAX_LINKS` entries, so a digest holds
at most that many stories (`DIGEST_SIZE`); a larger batch goes out as several digests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from watcher.model import Alert, Story, StoryItem, Tier
from watcher.render import MAX_LINKS, headline, lead, sources

__all__ = ["DIGEST_SIZE", "DigestEntry", "burst_alert", "digest_alert", "notice_alert"]

DIGEST_SIZE = MAX_LINKS


DigestEntry = tuple[Story, tuple[str, ...]]  # a story and the rules that matched it


def _entry(story: Story) -> StoryItem:
    first = lead(story)  # the headline's own report: its outlet and link beside it
    more = len(sources(story)) - 1
    title = headline(story)
    if more > 0:
        title += f" (+{more} more source{'s' if more > 1 else ''})"
    return StoryItem(
        item_key=f"story:{story.id}",
        link=first.link if first else "",
        title=title,
        feed_name=first.feed_name if first else "",
        published=first.published if first else story.first_seen,
        tier=Tier.NEW,
        score=0.0,
    )


def digest_alert(entries: Sequence[DigestEntry], *, label: str, now: datetime) -> Alert:
    """One message naming every story of `entries` (at most DIGEST_SIZE of them)."""
    if not entries or len(entries) > DIGEST_SIZE:
        raise ValueError(f"a digest holds 1 to {DIGEST_SIZE} stories, got {len(entries)}")
    noun = "alert" if len(entries) == 1 else "alerts"
    items = tuple(_entry(story) for story, _ in entries)
    first_seen = min(story.first_seen for story, _ in entries)
    story = Story(
        id=0,
        title=f"{label}: {len(entries)} {noun}",
        first_seen=first_seen,
        last_seen=now,
        items=items,
    )
    rules = tuple(sorted({rule for _, story_rules in entries for rule in story_rules}))
    return Alert(story=story, rules=rules)


def burst_alert(feed: str, count: int, entries: Sequence[DigestEntry], *, now: datetime) -> Alert:
    """One message for a burst: `count` new matching stories from `feed` in one poll, the
    first few of them (`entries`) listed."""
    alert = digest_alert(entries, label="Burst", now=now)
    shown = len(entries)
    title = (
        f"{feed}: {count:,} new matching stories in one poll "
        f"(folded into this message; the first {shown} below)"
    )
    return Alert(story=replace(alert.story, title=title), rules=alert.rules)


def notice_alert(text: str, at: datetime) -> Alert:
    """An operational notice: its text as the title, the time under it."""
    return Alert(story=Story(id=0, title=text, first_seen=at, last_seen=at), rules=())
