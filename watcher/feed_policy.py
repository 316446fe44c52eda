"""What a poll's result means for its feed: the feed's next state and the admin notices to tell.

Pure, like timing.py (which it uses for the schedule): a function of the feed, its stored
state, what the poll came to, `now` and the random source passed in. It writes nothing; the
pipeline saves the `FeedDecision.state` it returns and tells its `notices`, in order.

- An answer (200 with a body, 304, or a body identical to the last): validators kept (a 304 may
  omit them), the next poll after the longest of the server's hints (Cache-Control/Expires,
  the feed's <ttl>), the failure count cleared; a failing or gone notice resolved. The rhythm
  of new items is kept, and a feed that answers but has brought nothing new for far longer
  than usual is told once as stale, resolved when items come again.
- A failure: counted, backed off with jitter and never sooner than a Retry-After; 410 Gone
  disables the feed (looked at again daily, never fetched) with a notice at once; any other
  failure is told once it has lasted `failing_notice_after`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from watcher import timing
from watcher.errors import FeedError, FetchError
from watcher.model import Feed, FeedState, FetchResult
from watcher.redact import redact

__all__ = ["DISABLED_RECHECK", "FeedDecision", "Tell", "after_answer", "after_failure",
           "notice_key"]  # fmt: skip

# A disabled feed is not fetched; the scheduler only looks at it again this often.
DISABLED_RECHECK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Tell:
    """An admin notice to raise (or, with `resolve`, to resolve) under incident `key`."""

    key: str
    text: str
    resolve: bool = False


@dataclass(frozen=True, slots=True)
class FeedDecision:
    """What to write after a poll: the feed's state, and the notices to tell, in order."""

    state: FeedState
    notices: tuple[Tell, ...] = ()


def notice_key(feed: Feed) -> str:
    """The incident key of a failing feed (a gone feed's is this + ":gone"); logged and shown,
    so without the URL's credentials."""
    return f"feed:{redact(feed.url)}"


def after_answer(
    feed: Feed,
    state: FeedState,
    result: FetchResult,
    *,
    now: datetime,
    rng: random.Random,
    body_hash: str | None,
    new_items: int,
) -> FeedDecision:
    """A poll the server answered; `new_items` it brought (0 for a 304 or the same body)."""
    hint = max((h for h in (result.max_age, state.ttl) if h is not None), default=None)
    state, notices = _arrivals(feed, state, new_items, now)
    if state.noticed_at is not None:
        notices += (
            Tell(notice_key(feed), f"feed {feed.name} polls fine again", resolve=True),
            Tell(notice_key(feed) + ":gone", f"feed {feed.name} is back", resolve=True),
        )
    kept = result.not_modified  # a 304 may omit the validators; the old ones still hold
    state = replace(
        state,
        name=feed.name,
        etag=result.etag or (state.etag if kept else None),
        last_modified=result.last_modified or (state.last_modified if kept else None),
        body_hash=body_hash,
        last_poll=now,
        last_success=now,
        last_error=None,
        error_count=0,
        next_poll=timing.next_poll(now, feed.interval, rng, hint=hint),
        backlog_done=True,
        failing_since=None,
        noticed_at=None,
    )
    return FeedDecision(state, notices)


def _arrivals(
    feed: Feed, state: FeedState, new_items: int, now: datetime
) -> tuple[FeedState, tuple[Tell, ...]]:
    """The feed's rhythm of new items kept; stale told once, and when items come again."""
    key = notice_key(feed) + ":stale"
    if new_items:
        gaps = state.new_gaps
        if state.last_new_at is not None:
            gaps = timing.remember_gap(gaps, now - state.last_new_at)
        told: tuple[Tell, ...] = ()
        if state.stale_since is not None:
            told = (Tell(key, f"feed {feed.name} has new items again", resolve=True),)
        return replace(state, last_new_at=now, new_gaps=gaps, stale_since=None), told
    if state.stale_since is None and timing.is_stale(state.new_gaps, state.last_new_at, now):
        usual = timing.usual_gap(state.new_gaps)
        text = (
            f"feed {feed.name} <{redact(feed.url)}> is stale: it answers, but has had no "
            f"new item since {iso(state.last_new_at)} (usually one every {_span(usual)}); "
            "check that it still carries the outlet's news"
        )
        return replace(state, stale_since=now), (Tell(key, text),)
    return state, ()


def after_failure(
    feed: Feed,
    state: FeedState,
    error: FeedError,
    *,
    now: datetime,
    rng: random.Random,
    failing_notice_after: timedelta,
) -> FeedDecision:
    """A poll that brought no usable feed (transport, HTTP status, not a feed)."""
    count = state.error_count + 1
    gone = isinstance(error, FetchError) and error.status == 410
    retry_after = error.retry_after if isinstance(error, FetchError) else None
    next_poll = timing.next_poll_after_error(
        now,
        feed.interval,
        count,
        rng,
        retry_after=None if retry_after is None else timedelta(seconds=retry_after),
    )
    state = replace(
        state,
        name=feed.name,
        last_poll=now,
        last_error=str(error),
        error_count=count,
        next_poll=now + DISABLED_RECHECK if gone else next_poll,
        failing_since=state.failing_since or now,
        disabled_at=now if gone else None,
        disabled_reason=str(error) if gone else None,
    )
    told = _failure_notice(feed, state, gone, now, failing_notice_after)
    if told is None:
        return FeedDecision(state)
    return FeedDecision(replace(state, noticed_at=now), (told,))


def _failure_notice(
    feed: Feed, state: FeedState, gone: bool, now: datetime, after: timedelta
) -> Tell | None:
    """The feed's admin notice when it is gone, or has failed for long enough."""
    since = state.failing_since or now
    if gone:
        text = (
            f"feed {feed.name} <{redact(feed.url)}> is gone ({state.last_error}); it is "
            "disabled: remove it from the config, or `watcher feeds enable` it"
        )
        return Tell(notice_key(feed) + ":gone", text)
    if state.noticed_at is None and now - since >= after:
        text = (
            f"feed {feed.name} <{redact(feed.url)}> has failed since {iso(since)} "
            f"({state.error_count} polls): {state.last_error}"
        )
        return Tell(notice_key(feed), text)
    return None


def iso(moment: datetime | None) -> str:
    return "-" if moment is None else moment.isoformat(timespec="seconds")


def _span(delta: timedelta | None) -> str:
    """A duration as a person says it: 45m, 6h, 3d."""
    minutes = 0 if delta is None else round(delta.total_seconds() / 60)
    if minutes < 120:
        return f"{minutes}m"
    return f"{round(minutes / 60)}h" if minutes < 48 * 60 else f"{round(minutes / 1440)}d"
