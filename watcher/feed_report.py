"""Every feed with its health, as `watcher feeds` and the desk page's /feeds show it: the
configured feeds in config order, then feeds only the database knows (e.g. replayed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from watcher.model import Feed, FeedState
from watcher.redact import redact
from watcher.store import Store

RATE_WINDOW = timedelta(days=7)  # items per day are averaged over this


@dataclass(frozen=True, slots=True)
class FeedRow:
    feed: Feed
    state: FeedState | None
    per_day: float
    configured: bool

    def status(self) -> str:
        state = self.state
        if state is not None and state.disabled_at is not None:
            return "disabled"
        if state is None or state.last_poll is None:
            return "new"
        if state.error_count:
            return "failing"
        return "stale" if state.stale_since is not None else "ok"

    def as_json(self) -> dict[str, object]:
        state = self.state or FeedState(url=self.feed.url, name=self.feed.name)
        return {
            "name": self.feed.name,
            "url": redact(self.feed.url),
            "configured": self.configured,
            "status": self.status(),
            "moved_to": None if state.moved_to is None else redact(state.moved_to),
            "last_success": _iso(state.last_success),
            "last_error": None if state.last_error is None else redact(state.last_error),
            "consecutive_errors": state.error_count,
            "failing_since": _iso(state.failing_since),
            "stale_since": _iso(state.stale_since),
            "last_new_item": _iso(state.last_new_at),
            "next_poll": _iso(state.next_poll),
            "disabled_reason": state.disabled_reason,
            "items_per_day": self.per_day,
        }


def feed_rows(feeds: list[Feed], store: Store, now: datetime) -> list[FeedRow]:
    """Configured feeds in config order, then feeds only the database knows (e.g. replayed)."""
    states = {s.url: s for s in store.feed_states()}
    counts = store.items_per_feed(now - RATE_WINDOW, now)
    days = RATE_WINDOW / timedelta(days=1)
    rows = [
        FeedRow(f, states.pop(f.url, None), round(counts.get(f.url, 0) / days, 1), True)
        for f in feeds
    ]
    for url, state in sorted(states.items(), key=lambda kv: kv[1].name):
        orphan = Feed(url=url, name=state.name, interval=timedelta(0))
        rows.append(FeedRow(orphan, state, round(counts.get(url, 0) / days, 1), False))
    return rows


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()
