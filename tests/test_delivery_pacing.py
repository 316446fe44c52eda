"""Send pacing (pure): sliding windows per chat, per group and per bot; seeded after a restart."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.delivery.pacing import Limit, Pacer, slack_limits, telegram_limits

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)


def s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def send_all(
    pacer: Pacer, limits: tuple[Limit, ...], count: int, start: datetime
) -> list[datetime]:
    """Send `count` messages as soon as the pacer allows; their times."""
    now, times = start, []
    for _ in range(count):
        now += pacer.wait(limits, now)
        pacer.record(limits, now)
        times.append(now)
    return times


def test_one_chat_gets_about_one_message_a_second() -> None:
    limits = telegram_limits("desk", "12345")  # a private chat: no group limit
    times = send_all(Pacer(), limits, 5, T0)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(s(1) <= gap <= s(1.1) for gap in gaps)


def test_a_group_gets_at_most_twenty_a_minute() -> None:
    limits = telegram_limits("desk", "-1001234567890")
    times = send_all(Pacer(), limits, 45, T0)
    for i in range(len(times) - 20):
        assert times[i + 20] - times[i] >= s(60)
    # The first twenty go at the per-chat pace, the 21st waits for the minute to roll over.
    assert times[19] - times[0] < s(21) and times[20] - times[0] >= s(60)


def test_all_telegram_chats_together_stay_under_thirty_a_second() -> None:
    pacer = Pacer()
    now = T0
    sent: list[datetime] = []
    for n in range(100):  # a hundred private chats, one message each, as fast as allowed
        limits = telegram_limits(f"chat{n}", str(1000 + n))
        now += pacer.wait(limits, now)
        pacer.record(limits, now)
        sent.append(now)
    for i in range(len(sent) - 30):
        assert sent[i + 30] - sent[i] >= s(1)


def test_channels_do_not_slow_each_other_below_the_global_limit() -> None:
    pacer = Pacer()
    a, b = slack_limits("a"), slack_limits("b")
    pacer.record(a, T0)
    assert pacer.wait(b, T0) == timedelta(0)
    assert pacer.wait(a, T0) > s(1)


def test_seeded_sends_count_after_a_restart() -> None:
    limits = telegram_limits("desk", "-100555")
    before = [T0 + s(1.1 * i) for i in range(20)]
    pacer = Pacer()
    pacer.seed(limits, reversed(before))  # any order
    now = before[-1] + s(2)
    assert pacer.wait(limits, now) == before[0] + s(61) - now


@settings(max_examples=50, deadline=None)
@given(
    count=st.integers(1, 5),
    per=st.floats(0.1, 10),
    gaps=st.lists(st.floats(0, 3), min_size=1, max_size=40),
)
def test_never_more_than_count_in_any_window(count: int, per: float, gaps: list[float]) -> None:
    limit = (Limit("k", count, s(per)),)
    pacer, now, sent = Pacer(), T0, []
    for gap in gaps:  # callers arrive at arbitrary times and send when allowed
        now += s(gap)
        now += pacer.wait(limit, now)
        pacer.record(limit, now)
        sent.append(now)
    for i in range(len(sent) - count):
        assert sent[i + count] - sent[i] >= s(per)
