"""Admin notices: one per incident however often it is raised, delivered to the admin channel
through the outbox machinery (retries included), logged only when there is no admin channel."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

import pytest

from tests import test_delivery as base
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import (
    TOKEN,
    FakeClock,
    deliverer,
)
from watcher.channels.console import ConsoleChannel
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.admin_notices import Notices
from watcher.delivery.deliverer import drain
from watcher.store import Store

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)

store = base.store  # the shared fixture: a Store on a temp file


def test_an_incident_is_told_once_while_open(store: Store) -> None:
    clock = FakeClock(T0)
    notices = Notices(store, clock)
    assert notices.raise_("feed:a", "Feed A has failed for 1h: HTTP 503")
    clock.advance(600)
    assert not notices.raise_("feed:a", "Feed A has failed for 1h10m: HTTP 503")
    assert not notices.raise_("feed:a", "Feed A has failed for 1h20m: timed out")
    assert notices.is_open("feed:a") and not notices.is_open("feed:b")
    assert [(n.kind, n.text) for n in store.notices()] == [
        ("raised", "Feed A has failed for 1h: HTTP 503")
    ]
    (incident,) = store.open_incidents()
    assert incident["occurrences"] == 3


def test_resolve_says_so_once_and_a_new_raise_is_a_new_incident(store: Store) -> None:
    clock = FakeClock(T0)
    notices = Notices(store, clock)
    assert not notices.resolve("feed:a")  # never raised: nothing to say
    notices.raise_("feed:a", "Feed A is failing")
    assert notices.resolve("feed:a")
    assert not notices.resolve("feed:a")
    notices.raise_("feed:a", "Feed A is failing again")
    assert notices.resolve("feed:a", "Feed A polls fine")
    assert [(n.kind, n.text) for n in store.notices()] == [
        ("raised", "Feed A is failing"),
        ("resolved", "Resolved: Feed A is failing"),
        ("raised", "Feed A is failing again"),
        ("resolved", "Feed A polls fine"),
    ]
    assert store.open_incidents() == []


def test_keys_are_independent(store: Store) -> None:
    notices = Notices(store, FakeClock(T0))
    assert notices.raise_("feed:a", "A")
    assert notices.raise_("feed:b", "B")
    assert notices.resolve("feed:a")
    assert notices.is_open("feed:b")


def test_a_raise_inside_a_rolled_back_transaction_leaves_nothing(store: Store) -> None:
    notices = Notices(store, FakeClock(T0))
    with pytest.raises(RuntimeError), store.transaction():
        notices.raise_("feed:a", "A")
        raise RuntimeError("the caller's work failed")
    assert store.notices() == [] and not notices.is_open("feed:a")


async def test_notices_reach_the_admin_channel_once(store: Store) -> None:
    out = io.StringIO()
    clock = FakeClock(T0)
    d = deliverer(store, clock, ConsoleChannel("ops", stream=out), admin_channel="ops")
    for _ in range(3):
        d.notices.raise_("feed:a", "Feed A has failed for 1h")
        await drain(d, sleep=clock.sleep)
    d.notices.resolve("feed:a")
    report = await drain(d, sleep=clock.sleep)
    assert report.notices == 1
    text = out.getvalue()
    assert text.count("Feed A has failed for 1h") == 2  # the notice, and its resolution
    assert text.index("⚠") < text.index("✅ watcher: Resolved: Feed A has failed for 1h")
    assert store.notices() == []


async def test_without_an_admin_channel_notices_are_logged_only(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(T0)
    out = io.StringIO()
    d = deliverer(store, clock, ConsoleChannel("desk", stream=out))
    with caplog.at_level(logging.WARNING, logger="watcher.notices"):
        d.notices.raise_("feed:a", "Feed A has failed for 1h")
    await drain(d, sleep=clock.sleep)
    assert out.getvalue() == ""
    assert store.notices() == [] and store.notices(("logged",))[0].text.startswith("Feed A")
    assert "Feed A has failed for 1h" in caplog.text


async def test_a_flooded_admin_chat_gets_the_notice_later_not_twice(store: Store) -> None:
    clock = FakeClock(T0)
    with FakeTelegram(token=TOKEN) as tg:
        admin = TelegramChannel("ops", token=TOKEN, chat_id="-100777", api_url=tg.api_url)
        try:
            d = deliverer(store, clock, admin, admin_channel="ops")
            d.notices.raise_("channel:desk:failing", "desk is failing: Forbidden")
            tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 30",
                         {"retry_after": 30})  # fmt: skip
            report = await d.deliver_due()
            assert report.notices == 0 and report.wake is not None
            assert report.wake - clock.now >= (T0.replace(second=30) - T0)
            d.notices.raise_("channel:desk:failing", "desk is failing: Forbidden")
            clock.now = report.wake
            assert (await d.deliver_due()).notices == 1
            await drain(d, sleep=clock.sleep)
        finally:
            await admin.aclose()
    (sent,) = tg.messages["-100777"].values()
    assert "desk is failing" in sent
