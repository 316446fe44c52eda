"""Keeping a desk sane: digest periods, quiet hours, max_per_hour and min_priority, both as pure
policy and through the Deliverer with a fake clock."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from tests import test_delivery as base
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import (
    TOKEN,
    FakeClock,
    add_source,
    deliverer,
    queue,
    texts,
)
from watcher import config
from watcher.channels.console import ConsoleChannel
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import drain
from watcher.delivery.desk_policy import (
    DeskPolicy,
    Route,
    flush_at,
    parse_quiet_hours,
    route,
)
from watcher.errors import ConfigError
from watcher.model import DeliveryStatus
from watcher.store import Store

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)  # winter: London is on UTC
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # London is UTC+1
CHAT = "424242"
NIGHT = parse_quiet_hours("22:00-07:00", "Europe/London")

store = base.store  # the shared fixture: a Store on a temp file


def m(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


# -- pure policy --------------------------------------------------------------------------------


def test_quiet_hours_parse_and_cross_midnight_in_local_time() -> None:
    assert (NIGHT.start, NIGHT.end) == (time(22), time(7))
    assert NIGHT.contains(datetime(2026, 1, 24, 23, 30, tzinfo=UTC))
    assert NIGHT.contains(datetime(2026, 1, 25, 6, 59, tzinfo=UTC))
    assert not NIGHT.contains(datetime(2026, 1, 25, 7, 0, tzinfo=UTC))
    # In summer 21:30 UTC is 22:30 in London: quiet; 06:30 UTC is 07:30: not.
    assert NIGHT.contains(datetime(2026, 7, 1, 21, 30, tzinfo=UTC))
    assert not NIGHT.contains(datetime(2026, 7, 2, 6, 30, tzinfo=UTC))
    assert NIGHT.next_end(datetime(2026, 7, 1, 21, 30, tzinfo=UTC)) == datetime(
        2026, 7, 2, 6, 0, tzinfo=UTC
    )
    day = parse_quiet_hours("09:00-17:30")
    assert day.contains(T0) and not day.contains(T0 + m(6 * 60))


@pytest.mark.parametrize(
    ("text", "zone", "problem"),
    [
        ("22-07", "UTC", "22:00-07:00"),
        ("25:00-07:00", "UTC", "between 00:00 and 23:59"),
        ("07:00-07:00", "UTC", "different start and end"),
        ("22:00-07:00", "Mars/Olympus", "IANA time zone"),
    ],
)
def test_bad_quiet_hours_say_what_is_wrong(text: str, zone: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_quiet_hours(text, zone)


def decide(policy: DeskPolicy, **kw: object) -> Route:
    args: dict[str, object] = {
        "now": T0,
        "queued_at": T0,
        "priority": 0,
        "is_edit": False,
        "sent_last_hour": 0,
    }
    args.update(kw)
    return route(policy, **args)  # type: ignore[arg-type]


def test_routes() -> None:
    assert decide(DeskPolicy()) is Route.SEND
    assert decide(DeskPolicy(min_priority=5), priority=4) is Route.SKIP
    assert decide(DeskPolicy(min_priority=5), priority=5) is Route.SEND
    assert decide(DeskPolicy(digest=m(15))) is Route.DIGEST
    assert decide(DeskPolicy(max_per_hour=3), sent_last_hour=2) is Route.SEND
    assert decide(DeskPolicy(max_per_hour=3), sent_last_hour=3) is Route.FOLD
    night = datetime(2026, 1, 24, 23, 0, tzinfo=UTC)
    assert decide(DeskPolicy(quiet=NIGHT), now=night, queued_at=night) is Route.QUIET
    # Queued during the night, looked at in the morning: still part of the quiet digest.
    assert decide(DeskPolicy(quiet=NIGHT), queued_at=night) is Route.QUIET
    # An edit never notifies: it goes whatever the policy.
    strict = DeskPolicy(digest=m(15), quiet=NIGHT, max_per_hour=0, min_priority=9)
    assert decide(strict, now=night, is_edit=True) is Route.SEND


def test_flush_times() -> None:
    policy = DeskPolicy(digest=m(15))
    at = flush_at(policy, now=T0, routes={Route.DIGEST}, oldest=T0, last_digest=None)
    assert at == T0 + m(15)
    at = flush_at(policy, now=T0, routes={Route.DIGEST}, oldest=T0, last_digest=T0 - m(5))
    assert at == T0 + m(10)  # on the last digest's cadence
    later = T0 + m(47)  # a quiet spell: the first boundary after the alert
    at = flush_at(policy, now=later, routes={Route.DIGEST}, oldest=later, last_digest=T0)
    assert at == T0 + m(60)
    folded = DeskPolicy(max_per_hour=2)
    assert flush_at(folded, now=T0, routes={Route.FOLD}, oldest=T0, last_digest=None) == T0 + m(15)
    night = datetime(2026, 1, 24, 23, 0, tzinfo=UTC)
    quiet = DeskPolicy(quiet=NIGHT)
    at = flush_at(quiet, now=night, routes={Route.QUIET}, oldest=night, last_digest=None)
    assert at == datetime(2026, 1, 25, 7, 0, tzinfo=UTC)
    morning = datetime(2026, 1, 25, 7, 0, 5, tzinfo=UTC)
    at = flush_at(quiet, now=morning, routes={Route.QUIET}, oldest=night, last_digest=None)
    assert at == morning


# -- through the Deliverer ----------------------------------------------------------------------


@pytest.fixture
async def world() -> AsyncIterator[tuple[FakeTelegram, TelegramChannel]]:
    with FakeTelegram(token=TOKEN) as tg:
        channel = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url)
        yield tg, channel
        await channel.aclose()


async def test_digest_collects_alerts_into_one_message_per_period(
    store: Store, world: tuple[FakeTelegram, TelegramChannel]
) -> None:
    tg, channel = world
    clock = FakeClock(T0)
    d = deliverer(store, clock, channel, policies={"desk": DeskPolicy(digest=m(15))})
    for n in range(3):
        queue(store, n, when=clock.now)
        report = await d.deliver_due()
        assert report.sent == 0 and report.held == n + 1 and report.wake == T0 + m(15)
        clock.advance(60)
    clock.now = T0 + m(15)
    report = await drain(d, sleep=clock.sleep)
    assert report.sent == 3
    (digest,) = texts(tg, CHAT)
    assert digest.startswith("Digest: 3 alerts")
    assert all(f"Report {n}" in digest for n in range(3))
    assert store.outbox_rows() == []  # nothing left waiting
    # The next alert waits for the next period, counted from the last digest.
    clock.advance(60)
    queue(store, 3, when=clock.now)
    assert (await d.deliver_due()).wake == T0 + m(30)
    clock.now = T0 + m(30)
    await drain(d, sleep=clock.sleep)
    # A digest of one is the alert's ordinary message (editable later).
    assert texts(tg, CHAT)[-1].startswith("Report 3")


async def test_a_story_in_a_digest_that_gains_a_source_is_in_the_next_digest(
    store: Store, world: tuple[FakeTelegram, TelegramChannel]
) -> None:
    tg, channel = world
    clock = FakeClock(T0)
    d = deliverer(store, clock, channel, policies={"desk": DeskPolicy(digest=m(15))})
    first = queue(store, 0)
    queue(store, 1)
    clock.now = T0 + m(15)
    await drain(d, sleep=clock.sleep)
    add_source(store, first, 7, clock.now)
    queue(store, 2, when=clock.now)
    clock.now = T0 + m(30)
    await drain(d, sleep=clock.sleep)
    assert [t.split("\n")[0] for t in texts(tg, CHAT)] == ["Digest: 2 alerts"] * 2
    assert "Report 0 (+1 more source)" in texts(tg, CHAT)[1]
    assert [m for m, _ in tg.calls].count("editMessageText") == 0


async def test_quiet_hours_hold_alerts_until_morning_then_one_digest(
    store: Store, world: tuple[FakeTelegram, TelegramChannel]
) -> None:
    tg, channel = world
    evening = datetime(2026, 1, 24, 21, 0, tzinfo=UTC)
    clock = FakeClock(evening)
    policy = DeskPolicy(quiet=parse_quiet_hours("22:00-07:00", "Europe/London"))
    d = deliverer(store, clock, channel, policies={"desk": policy})
    shown = queue(store, 0, when=clock.now)
    await drain(d, sleep=clock.sleep)  # before 22:00: sent at once
    assert len(texts(tg, CHAT)) == 1
    clock.now = datetime(2026, 1, 24, 23, 0, tzinfo=UTC)
    for n in range(1, 4):
        queue(store, n, when=clock.now)
        clock.advance(600)
    add_source(store, shown, 9, clock.now)  # an edit is silent: it goes during the night
    report = await drain(d, sleep=clock.sleep)
    assert report.edited == 1 and report.sent == 0 and report.held == 3
    assert report.wake == datetime(2026, 1, 25, 7, 0, tzinfo=UTC)
    assert len(texts(tg, CHAT)) == 1
    clock.now = datetime(2026, 1, 25, 7, 0, 1, tzinfo=UTC)
    report = await drain(d, sleep=clock.sleep)
    assert report.sent == 3
    digest = texts(tg, CHAT)[-1]
    assert digest.startswith("While quiet hours were on: 3 alerts")
    assert len(texts(tg, CHAT)) == 2


async def test_past_max_per_hour_alerts_fold_into_a_digest(
    store: Store, world: tuple[FakeTelegram, TelegramChannel]
) -> None:
    tg, channel = world
    clock = FakeClock(T0)
    d = deliverer(store, clock, channel, policies={"desk": DeskPolicy(max_per_hour=2)})
    for n in range(6):
        queue(store, n)
    report = await drain(d, sleep=clock.sleep)
    assert report.sent == 2 and report.held == 4
    assert report.wake is not None and report.wake - T0 == m(15)
    clock.now = report.wake
    report = await drain(d, sleep=clock.sleep)
    assert report.sent == 4
    heads = [t.split("\n")[0] for t in texts(tg, CHAT)]
    assert heads == ["Report 0", "Report 1", "Past 2 alerts an hour: 4 alerts"]
    # An hour after the first two, alerts go one by one again.
    clock.now = T0 + m(61)
    queue(store, 9, when=clock.now)
    await drain(d, sleep=clock.sleep)
    assert texts(tg, CHAT)[-1].startswith("Report 9")


async def test_below_min_priority_is_not_sent_but_a_higher_rule_later_is(
    store: Store, world: tuple[FakeTelegram, TelegramChannel]
) -> None:
    tg, channel = world
    clock = FakeClock(T0)
    d = deliverer(store, clock, channel, policies={"desk": DeskPolicy(min_priority=5)})
    low = queue(store, 0, priority=1)
    queue(store, 1, priority=5)
    report = await drain(d, sleep=clock.sleep)
    assert report.skipped == 1 and report.sent == 1
    assert [t.split("\n")[0] for t in texts(tg, CHAT)] == ["Report 1"]
    skipped = store.delivery(row_id(store, low))
    assert skipped is not None and skipped.status is DeliveryStatus.SENT
    assert skipped.message_ref is None and "min_priority" in (skipped.last_error or "")
    # A more important rule matches the same story later: now it is sent.
    store.want_delivery(low, "desk", ["urgent"], [], 8, clock.now)
    await drain(d, sleep=clock.sleep)
    assert texts(tg, CHAT)[-1].startswith("Report 0")


async def test_admin_channel_policy_does_not_hold_notices(store: Store) -> None:
    out = io.StringIO()
    clock = FakeClock(T0)
    admin = ConsoleChannel("admin", stream=out)
    d = deliverer(
        store, clock, admin, admin_channel="admin", policies={"admin": DeskPolicy(digest=m(60))}
    )
    d.notices.raise_("feed:x", "Feed X has failed for 2h")
    await drain(d, sleep=clock.sleep)
    assert "Feed X has failed for 2h" in out.getvalue()


def row_id(store: Store, story_id: int) -> int:
    (found,) = store.db.execute("SELECT id FROM deliveries WHERE story_id = ?", [story_id])
    return int(found[0])


# -- configuration ------------------------------------------------------------------------------


def test_channel_keys_make_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[channel.desk]\ntype = "console"\ndigest = "15m"\nquiet_hours = "22:00-07:00"\n'
        'timezone = "Europe/London"\nmin_priority = 2\nmax_per_hour = 30\n',
        encoding="utf-8",
    )
    policy = config.load(path).channel["desk"].desk_policy()
    assert policy == DeskPolicy(
        digest=m(15),
        quiet=parse_quiet_hours("22:00-07:00", "Europe/London"),
        min_priority=2,
        max_per_hour=30,
    )


@pytest.mark.parametrize(
    ("line", "where", "says"),
    [
        ('quiet_hours = "late"', "channel.desk.quiet_hours", "22:00-07:00"),
        ('timezone = "Europe/Atlantis"', "channel.desk.timezone", "IANA time zone"),
        ("max_per_hour = 0", "channel.desk.max_per_hour", "greater than 0"),
        ('digest = "soon"', "channel.desk.digest", "duration"),
    ],
)
def test_bad_channel_keys_are_located(tmp_path: Path, line: str, where: str, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[channel.desk]\ntype = "telegram"\nchat_id = "1"\n{line}\n', "utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    (problem,) = caught.value.diagnostics
    assert problem.line == 4 and where in problem.message and says in problem.message


async def test_hostile_titles_in_a_digest_and_a_notice_reach_telegram(
    store: Store, world: tuple[FakeTelegram, TelegramChannel]
) -> None:
    tg, channel = world
    clock = FakeClock(T0)
    policies = {"desk": DeskPolicy(digest=m(15))}
    d = deliverer(store, clock, channel, policies=policies, admin_channel="desk")
    nasty = ["AT&T <script>alert(1)</script>", "<b>unbalanced & <i>open", "a < b > c &amp; d"]
    for n, title in enumerate(nasty * 4):  # twelve: more than one digest holds
        queue(store, n, title=f"{title} #{n}")
    d.notices.raise_("feed:x", 'Feed "<R&D>" failed: can\'t parse entities: <unclosed')
    clock.now = T0 + m(15)
    report = await drain(d, sleep=clock.sleep)
    assert report.sent == 12 and report.failed == 0 and report.notices == 1
    delivered = texts(tg, CHAT)  # the stand-in refuses (400) any HTML Telegram would refuse
    assert len(delivered) == 3
    assert sum(t.count(" #") for t in delivered if t.startswith("Digest")) == 12
    assert any('Feed "<R&D>" failed' in t for t in delivered)
    assert all(f"{title} #" in "".join(delivered) for title in nasty)
