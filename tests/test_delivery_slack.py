"""The Deliverer against the loopback Slack API: refusals that need an operator (invalid_auth,
channel_not_found, not_in_channel) fail the alerts visibly and tell the admin once; 429 with
Retry-After; 5xx; webhooks post follow-ups; mrkdwn escaping."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests import test_delivery as base
from tests.fakes.slack_api import FakeSlack
from tests.test_delivery import (
    FakeClock,
    add_source,
    deliverer,
    queue,
)
from watcher.channels.console import ConsoleChannel
from watcher.channels.slack import SlackChannel
from watcher.delivery.deliverer import drain
from watcher.model import DeliveryStatus
from watcher.store import Store

TOKEN = "xoxb-delivery-test"
ROOM = "C0DESK"

store = base.store  # the shared fixture: a Store on a temp file


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN, channels=[ROOM]) as fake:
        yield fake


def posted(slack: FakeSlack, room: str = ROOM) -> list[str]:
    return list(slack.messages.get(room, {}).values())


@pytest.mark.parametrize(
    ("token", "room", "scripted", "error"),
    [
        ("xoxb-wrong", ROOM, None, "invalid_auth"),
        (TOKEN, "C0GONE", None, "channel_not_found"),
        (TOKEN, ROOM, "not_in_channel", "not_in_channel"),
    ],
)
async def test_refusals_fail_the_alerts_and_raise_one_admin_notice(
    store: Store, slack: FakeSlack, token: str, room: str, scripted: str | None, error: str
) -> None:
    clock = FakeClock()
    out = io.StringIO()
    desk = SlackChannel("desk", token=token, channel=room, api_url=slack.api_url)
    admin = ConsoleChannel("ops", stream=out)
    if scripted:
        slack.fail_next("chat.postMessage", error=scripted, times=3)
    for n in range(3):
        queue(store, n)
    try:
        d = deliverer(store, clock, desk, admin, admin_channel="ops")
        report = await drain(d, sleep=clock.sleep)
    finally:
        await desk.aclose()
    assert report.failed == 3 and report.sent == 0
    rows = store.pending_deliveries()
    assert [r.status for r in rows] == [DeliveryStatus.FAILED] * 3
    assert all(error in (r.last_error or "") for r in rows)
    assert out.getvalue().count("desk refused alerts") == 1
    assert error in out.getvalue() and "watcher outbox retry" in out.getvalue()
    assert TOKEN not in out.getvalue()


async def test_requeued_after_the_fix_they_arrive_and_the_incident_closes(
    store: Store, slack: FakeSlack
) -> None:
    clock = FakeClock()
    out = io.StringIO()
    desk = SlackChannel("desk", token=TOKEN, channel=ROOM, api_url=slack.api_url)
    slack.fail_next("chat.postMessage", error="not_in_channel")
    queue(store, 0)
    try:
        d = deliverer(store, clock, desk, ConsoleChannel("ops", stream=out), admin_channel="ops")
        await drain(d, sleep=clock.sleep)
        assert store.requeue(None, clock.now) == 1
        report = await drain(d, sleep=clock.sleep)
    finally:
        await desk.aclose()
    assert report.sent == 1 and len(posted(slack)) == 1
    assert "desk: no refused alerts left" in out.getvalue()


async def test_429_retry_after_and_5xx_then_everything_in_order(
    store: Store, slack: FakeSlack
) -> None:
    clock = FakeClock()
    desk = SlackChannel("desk", token=TOKEN, channel=ROOM, api_url=slack.api_url)
    slack.fail_next("chat.postMessage", status=429, retry_after=9)
    slack.fail_next("chat.postMessage", status=503)
    for n in range(3):
        queue(store, n, title=f"AT&T <b>deal</b> {n}")
    try:
        d = deliverer(store, clock, desk)
        first = await d.deliver_due()
        assert first.wake is not None and (first.wake - clock.now).total_seconds() >= 9
        report = await drain(d, sleep=clock.sleep, max_wait=timedelta(minutes=5))
    finally:
        await desk.aclose()
    assert first.sent + report.sent == 3
    texts = posted(slack)
    assert [t.split("\n")[0] for t in texts] == [
        f"*AT&amp;T &lt;b&gt;deal&lt;/b&gt; {n}*" for n in range(3)
    ]


async def test_webhook_edit_is_a_follow_up_naming_the_new_source(
    store: Store, slack: FakeSlack
) -> None:
    clock = FakeClock()
    hook = SlackChannel("desk", webhook_url=slack.webhook_url)
    sid = queue(store, 0)
    try:
        d = deliverer(store, clock, hook)
        await drain(d, sleep=clock.sleep)
        add_source(store, sid, 5, clock.now)
        await drain(d, sleep=clock.sleep)
    finally:
        await hook.aclose()
    first, follow_up = posted(slack, slack.webhook_channel)
    assert "Report 0" in first
    assert follow_up.startswith("Update:") and "Follow-up 5" in follow_up
    assert "Follow-up 5" not in first
