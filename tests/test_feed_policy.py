"""feed_policy: what a poll's result means for its feed, decided without I/O."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from watcher.errors import FetchError, NotAFeedError
from watcher.feed_policy import DISABLED_RECHECK, Tell, after_answer, after_failure, notice_key
from watcher.model import Feed, FeedState, FetchResult

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FEED = Feed(url="https://user:pw@example.org/rss", name="Example", interval=timedelta(minutes=5))
HOUR = timedelta(hours=1)


def state(**changes: object) -> FeedState:
    return FeedState(url=FEED.url, name=FEED.name, **changes)  # type: ignore[arg-type]


def test_a_gone_feed_is_disabled_and_told_at_once() -> None:
    decision = after_failure(
        FEED, state(), FetchError("HTTP 410 Gone: the feed is gone", status=410),
        now=NOW, rng=random.Random(1), failing_notice_after=HOUR,
    )  # fmt: skip
    assert decision.state.disabled_at == NOW and decision.state.next_poll == NOW + DISABLED_RECHECK
    assert decision.state.noticed_at == NOW
    [told] = decision.notices
    assert told.key == notice_key(FEED) + ":gone" and not told.resolve
    assert "pw" not in told.key and "pw" not in told.text  # no credentials in a notice


def test_a_failure_is_told_once_it_has_lasted() -> None:
    rng = random.Random(1)
    early = after_failure(
        FEED, state(), NotAFeedError("not a feed: empty body"),
        now=NOW, rng=rng, failing_notice_after=HOUR,
    )  # fmt: skip
    assert early.notices == () and early.state.error_count == 1
    assert early.state.failing_since == NOW and early.state.next_poll is not None
    late = after_failure(
        FEED, early.state, NotAFeedError("not a feed: empty body"),
        now=NOW + HOUR, rng=rng, failing_notice_after=HOUR,
    )  # fmt: skip
    assert [t.key for t in late.notices] == [notice_key(FEED)]
    again = after_failure(
        FEED, late.state, NotAFeedError("not a feed: empty body"),
        now=NOW + 2 * HOUR, rng=rng, failing_notice_after=HOUR,
    )  # fmt: skip
    assert again.notices == () and again.state.error_count == 3


def test_retry_after_is_never_undercut() -> None:
    decision = after_failure(
        FEED, state(), FetchError("HTTP 429", status=429, retry_after=7200),
        now=NOW, rng=random.Random(1), failing_notice_after=HOUR,
    )  # fmt: skip
    assert decision.state.next_poll is not None and decision.state.next_poll >= NOW + 2 * HOUR


def test_an_answer_clears_the_failure_and_resolves_its_notices_in_order() -> None:
    failing = state(error_count=4, failing_since=NOW - HOUR, noticed_at=NOW, etag='"a"')
    result = FetchResult(url=FEED.url, status=304, body=None)
    decision = after_answer(
        FEED, failing, result, now=NOW, rng=random.Random(1), body_hash="h", new_items=0
    )
    assert decision.state.error_count == 0 and decision.state.failing_since is None
    assert decision.state.etag == '"a"'  # a 304 may omit the validators: the old ones hold
    assert [(t.key, t.resolve) for t in decision.notices] == [
        (notice_key(FEED), True),
        (notice_key(FEED) + ":gone", True),
    ]


def test_new_items_after_a_stale_stretch_resolve_it() -> None:
    stale = state(stale_since=NOW - HOUR, last_new_at=NOW - 10 * HOUR)
    result = FetchResult(url=FEED.url, status=200, body=b"<rss/>")
    decision = after_answer(
        FEED, stale, result, now=NOW, rng=random.Random(1), body_hash="h", new_items=2
    )
    assert decision.state.stale_since is None and decision.state.last_new_at == NOW
    assert decision.notices == (
        Tell(notice_key(FEED) + ":stale", "feed Example has new items again", resolve=True),
    )
