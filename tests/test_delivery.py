"""The Deliverer against the loopback Bot API: order, flood control, transient failures, a bot
removed from its chat, a migrated group, hostile text and the length limit; a fake clock makes
every wait instant."""

from __future__ import annotations

import io
import itertools
import logging
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegram, parse_html
from watcher.channels.base import Channel, WrappedChannel
from watcher.channels.console import ConsoleChannel
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import Deliverer, DeliveryReport, drain
from watcher.delivery.pacing import Limit
from watcher.model import Alert, DeliveryStatus, Item, Tier
from watcher.store import Store

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)
TOKEN = "777:DELIVERY-test-token"
CHAT = "-1001234567890"


class FakeClock:
    """`now` moves only when a test (or the Deliverer's sleep) moves it."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


class Recorder(WrappedChannel):
    """A channel wrapper noting (fake time, action, story title) for every call that got
    through, so tests can check order and spacing."""

    def __init__(self, inner: Channel, clock: FakeClock) -> None:
        super().__init__(inner)
        self.clock = clock
        self.log: list[tuple[datetime, str, str]] = []

    async def send(self, alert: Alert) -> str:
        ref = await self.inner.send(alert)
        self.log.append((self.clock(), "send", alert.story.title))
        return ref

    async def edit(self, ref: str, alert: Alert) -> str:
        new = await self.inner.edit(ref, alert)
        self.log.append((self.clock(), "edit", alert.story.title))
        return new

    async def reply(self, ref: str, alert: Alert) -> str:
        new = await self.inner.reply(ref, alert)
        self.log.append((self.clock(), "reply", alert.story.title))
        return new

    def titles(self) -> list[str]:
        return [title for _, action, title in self.log if action == "send"]


def item(n: int, title: str, when: datetime = T0) -> Item:
    return Item(
        key=f"url:https://x.example/{n}",
        feed_url="http://127.0.0.1/f",
        feed_name="Outlet",
        link=f"https://x.example/{n}",
        title=title,
        summary=f"Text of report {n}.",
        published=when,
        content_hash=f"h{n}",
    )


def queue(
    store: Store,
    n: int,
    channel: str = "desk",
    *,
    title: str | None = None,
    priority: int = 0,
    when: datetime = T0,
) -> int:
    """A one-item story matched for `channel`; returns the story id."""
    title = title or f"Report {n}"
    sid = store.new_story(title, when)
    store.add_item(item(n, title, when), sid, Tier.NEW, 0.0, when)
    store.want_delivery(sid, channel, ["rule"], ["term"], priority, when)
    return sid


def add_source(store: Store, sid: int, n: int, when: datetime) -> None:
    store.add_item(item(n, f"Follow-up {n}", when), sid, Tier.EVENT, 0.5, when)
    store.bump_story(sid, when)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    yield s
    s.close()


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def telegram(tg: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url, timeout=0.3)
    yield channel
    await channel.aclose()


def deliverer(store: Store, clock: FakeClock, *channels: Channel, **kw: object) -> Deliverer:
    return Deliverer(
        store=store,
        channels={c.name: c for c in channels},
        clock=clock,
        rng=random.Random(7),
        sleep=clock.sleep,
        **kw,  # type: ignore[arg-type]
    )


def texts(tg: FakeTelegram, chat: str = CHAT) -> list[str]:
    """Plain text of each message in the chat, in the order they were sent."""
    return [parse_html(html)[0] for _, html in sorted(tg.messages.get(chat, {}).items())]


async def settle(d: Deliverer, clock: FakeClock, seconds: float, step: float = 1.0) -> None:
    """Run passes as the service would, every `step` fake seconds, for `seconds`."""
    for _ in range(int(seconds / step)):
        await d.deliver_due()
        clock.advance(step)


# -- order, pacing ------------------------------------------------------------------------------


async def test_alerts_arrive_in_order_paced_a_second_apart(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    for n in range(5):
        queue(store, n)
    rec = Recorder(telegram, clock)
    report = await drain(deliverer(store, clock, rec, limits={"desk": [Limit("c", 1, _s(1))]}))
    assert report.sent == 5 and report.wake is None
    assert [t.split("\n")[0] for t in texts(tg)] == [f"Report {n}" for n in range(5)]
    times = [when for when, _, _ in rec.log]
    assert all(b - a >= _s(1) for a, b in itertools.pairwise(times))
    assert store.outbox_depth() == 0


async def test_telegram_group_pacing_is_applied_by_default(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    for n in range(3):
        queue(store, n)
    await drain(deliverer(store, clock, telegram))
    assert len(texts(tg)) == 3
    assert clock.slept and all(0 < s <= 1.5 for s in clock.slept)
    assert clock.now - T0 >= _s(2.1)  # two gaps of about a second


async def test_a_long_pace_wait_ends_the_turn_and_says_when(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    for n in range(3):
        queue(store, n)
    d = deliverer(store, clock, telegram, limits={"desk": [Limit("c", 1, _s(60))]})
    report = await d.deliver_due()
    assert report.sent == 1 and report.wake == T0 + _s(60)
    assert clock.slept == []  # never slept a minute inside a pass
    clock.advance(60)
    assert (await d.deliver_due()).sent == 1


# -- flood control ------------------------------------------------------------------------------


async def test_429_storm_honours_retry_after_loses_nothing_and_keeps_order(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    for n in range(6):
        queue(store, n)
    rec = Recorder(telegram, clock)
    # One message per pass (the pace never waits inline), so each 429 lands on a new message.
    d = deliverer(store, clock, rec, limits={"desk": [Limit("c", 1, _s(1))]}, max_inline_wait=_s(0))
    for retry_after in (3, 5, 2, 8):  # a 429 before every other message
        tg.fail_next("sendMessage", 429, f"Too Many Requests: retry after {retry_after}",
                     {"retry_after": retry_after})  # fmt: skip
        flooded_at = clock.now
        report = await d.deliver_due()
        assert report.retrying == 1 and report.wake is not None
        assert report.wake - flooded_at >= _s(retry_after)
        wake = report.wake
        clock.advance(retry_after - 0.5)
        assert (await d.deliver_due()).sent == 0  # still inside the retry-after: nothing goes
        clock.now = wake
        assert (await d.deliver_due()).sent == 1
        assert rec.log[-1][0] - flooded_at >= _s(retry_after)
        clock.advance(1.1)
    await drain(d, sleep=clock.sleep)
    assert [t.split("\n")[0] for t in texts(tg)] == [f"Report {n}" for n in range(6)]
    assert rec.titles() == [f"Report {n}" for n in range(6)]
    assert store.outbox_depth() == 0


async def test_retry_after_is_kept_in_the_database_across_a_restart(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    queue(store, 0)
    queue(store, 1)
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7200", {"retry_after": 7200})
    await deliverer(store, clock, telegram).deliver_due()
    (first, _second) = store.pending_deliveries()
    assert first.next_attempt is not None and first.next_attempt >= T0 + _s(7200)
    # A restart an hour later: a new Deliverer honours the stored wait, for both rows in order.
    clock.advance(3600)
    restarted = deliverer(store, clock, telegram)
    report = await restarted.deliver_due()
    assert report.sent == 0 and report.wake == first.next_attempt
    assert [m for m, _ in tg.calls].count("sendMessage") == 1
    clock.advance(3601)
    await drain(restarted, sleep=clock.sleep)
    assert [t.split("\n")[0] for t in texts(tg)] == ["Report 0", "Report 1"]


# -- transient failures -------------------------------------------------------------------------


async def test_5xx_and_timeouts_back_off_with_jitter_then_deliver_in_order(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    for n in range(3):
        queue(store, n)
    d = deliverer(store, clock, telegram, limits={"desk": []})
    tg.fail_next("sendMessage", 502, "Bad Gateway")
    tg.fail_next("sendMessage", 500, "Internal Server Error")
    waits = []
    for _ in range(2):
        report = await d.deliver_due()
        assert report.sent == 0 and report.retrying == 1 and report.wake is not None
        waits.append(report.wake - clock.now)
        clock.now = report.wake
    tg.stall_next("sendMessage", 1.0)  # longer than the channel's 0.3 s timeout
    report = await d.deliver_due()
    assert report.sent == 0 and report.retrying == 1 and report.wake is not None
    waits.append(report.wake - clock.now)
    assert _s(2) <= waits[0] <= _s(6) and waits[0] < waits[1] < waits[2] <= _s(41)
    (head, *_rest) = store.pending_deliveries()
    assert head.attempts == 3 and "timed out" in (head.last_error or "").lower()
    clock.now = report.wake
    await drain(d, sleep=clock.sleep)
    assert [t.split("\n")[0] for t in texts(tg)] == ["Report 0", "Report 1", "Report 2"]


async def test_a_row_backing_off_holds_the_rows_behind_it(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    queue(store, 0)
    queue(store, 1)
    d = deliverer(store, clock, telegram, limits={"desk": []})
    tg.fail_next("sendMessage", 503, "Service Unavailable")
    await d.deliver_due()
    clock.advance(0.5)
    assert (await d.deliver_due()).sent == 0  # row 1 is due, but row 0 goes first
    assert texts(tg) == []


# -- a bot removed from its chat ----------------------------------------------------------------


async def test_bot_removed_marks_channel_failing_keeps_alerts_and_tells_the_admin(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    admin_out = io.StringIO()
    admin = ConsoleChannel("admin", stream=admin_out)
    queue(store, 0)
    queue(store, 1)
    d = deliverer(store, clock, telegram, admin, admin_channel="admin", limits={"desk": []})
    tg.fail_next("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat",
                 times=2)  # fmt: skip
    report = await d.deliver_due()
    assert report.failed == 0 and report.wake is not None
    assert [d.status for d in store.pending_deliveries()] == [DeliveryStatus.PENDING] * 2
    state = store.channel_state("desk")
    assert state.failing_since == T0 and "kicked" in (state.failing_reason or "")
    assert state.hold_until == T0 + timedelta(minutes=10)
    await d.deliver_due()  # the notice goes to the admin channel
    assert admin_out.getvalue().count("desk is failing") == 1
    # Held: no call to Telegram for ten minutes, however many passes run.
    calls = len(tg.calls)
    await settle(d, clock, 590, step=10)
    assert len(tg.calls) == calls
    # Still kicked at the next try: held again, and no second notice.
    clock.now = T0 + timedelta(minutes=10, seconds=1)
    await d.deliver_due()
    assert len(tg.calls) == calls + 1
    await settle(d, clock, 30, step=10)
    assert admin_out.getvalue().count("desk is failing") == 1
    # Taken back into the chat: the alerts arrive in order and the admin hears it is over.
    clock.now = T0 + timedelta(minutes=21)
    await drain(d, sleep=clock.sleep)
    assert [t.split("\n")[0] for t in texts(tg)] == ["Report 0", "Report 1"]
    assert store.channel_state("desk").failing_since is None
    assert "desk: delivering again" in admin_out.getvalue()


# -- a migrated group ---------------------------------------------------------------------------


async def test_migrated_group_is_remembered_across_a_restart(
    store: Store,
    clock: FakeClock,
    tg: FakeTelegram,
    telegram: TelegramChannel,
    caplog: pytest.LogCaptureFixture,
) -> None:
    new_chat = "-1009876543210"
    tg.migrate_chat(CHAT, new_chat)
    queue(store, 0)
    with caplog.at_level(logging.WARNING, logger="watcher.delivery"):
        await drain(deliverer(store, clock, telegram))
    assert len(texts(tg, new_chat)) == 1
    state = store.channel_state("desk")
    assert (state.configured_chat, state.chat_id) == (CHAT, new_chat)
    assert any(CHAT in r.getMessage() and new_chat in r.getMessage() for r in caplog.records)
    # After a restart the config still names the old chat; the new one is used straight away.
    fresh = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url)
    try:
        queue(store, 1)
        calls = len(tg.calls)
        await drain(deliverer(store, clock, fresh))
        assert [p["chat_id"] for m, p in tg.calls[calls:] if m == "sendMessage"] == [new_chat]
    finally:
        await fresh.aclose()
    assert len(texts(tg, new_chat)) == 2


# -- text ---------------------------------------------------------------------------------------


async def test_hostile_text_and_a_message_at_the_limit_are_delivered(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    nasty = "AT&T <script>alert(1)</script> buys <b>unbalanced & <i>open"
    queue(store, 0, title=nasty)
    sid = queue(store, 1, title="&<> " * 1500)
    for n in range(2, 45):
        store.add_item(item(n, "<i>long & unbalanced headline</b> " * 8), sid, Tier.EVENT, 0.5, T0)
    report = await drain(deliverer(store, clock, telegram, limits={"desk": []}))
    assert report.sent == 2 and report.failed == 0
    first, second = texts(tg)
    assert first.startswith(nasty)
    html_text = tg.messages[CHAT][2]
    assert len(html_text.encode("utf-16-le")) // 2 <= 4096
    assert len(second) > 1000


async def test_an_edit_adds_the_new_source_to_the_same_message(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    sid = queue(store, 0)
    d = deliverer(store, clock, telegram, limits={"desk": []})
    await drain(d)
    add_source(store, sid, 1, T0)
    report = await drain(d)
    assert report.edited == 1 and report.sent == 0
    (only,) = texts(tg)
    assert "Follow-up 1" in only


async def test_unknown_channel_fails_visibly(store: Store, clock: FakeClock) -> None:
    queue(store, 0, channel="gone")
    report = await deliverer(store, clock).deliver_due()
    assert report == DeliveryReport(failed=1)
    (row,) = store.pending_deliveries()
    assert row.status is DeliveryStatus.FAILED and "gone" in (row.last_error or "")


def _s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


async def test_a_channel_failing_again_and_again_tells_the_admin_once(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    out = io.StringIO()
    queue(store, 0)
    d = deliverer(store, clock, telegram, ConsoleChannel("ops", stream=out), admin_channel="ops")
    tg.fail_next("sendMessage", 502, "Bad Gateway", times=7)
    while len(tg.calls) < 7:
        report = await d.deliver_due()
        assert report.wake is not None
        clock.now = report.wake
    assert out.getvalue().count("desk has failed 5 times in a row") == 1
    await drain(d, sleep=clock.sleep)
    assert len(texts(tg)) == 1
    assert out.getvalue().count("desk: delivering again") == 1


async def test_a_refusal_by_type_not_by_words_decides_a_blocked_channel(
    store: Store, clock: FakeClock, tg: FakeTelegram, telegram: TelegramChannel
) -> None:
    """Telegram's 403 holds the channel whatever its text says; a 400 that mentions
    "forbidden:" is a refusal of that one alert."""
    queue(store, 0)
    queue(store, 1)
    d = deliverer(store, clock, telegram, limits={"desk": []})
    tg.fail_next("sendMessage", 403, "bot is not a member of the channel chat")
    report = await d.deliver_due()
    assert report.failed == 0 and store.channel_state("desk").failing_since == T0
    clock.now = T0 + timedelta(minutes=11)
    tg.fail_next("sendMessage", 400, "Bad Request: forbidden: words in a refusal")
    report = await drain(d, sleep=clock.sleep)
    assert report.failed == 1 and report.sent == 1
    assert store.channel_state("desk").failing_since is None
