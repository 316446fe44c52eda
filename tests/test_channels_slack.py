"""SlackChannel against the loopback Web API and webhook: post/update, follow-ups for webhooks,
429 with Retry-After, permanent refusals, transient failures, and no secret in any message."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.fakes.telegram_api import closed_port
from tests.test_render import alert, item
from watcher.channels.base import Channel
from watcher.channels.slack import SlackChannel
from watcher.errors import ChannelError, PermanentChannelError, RetryAfterError
from watcher.model import StoryItem

TOKEN = "xoxb-1111-SECRET-token"
DESK = "C0123456789"


def source(n: int, title: str = "") -> StoryItem:
    """An item whose link needs escaping (an "&")."""
    return item(n, link=f"https://outlet{n}.example/a?id={n}&ref=rss", title=title or f"Report {n}")


story_alert = alert


def slack_link(n: int) -> str:
    return f"<https://outlet{n}.example/a?id={n}&amp;ref=rss|"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN, channels=[DESK, "C0ARCHIVED"]) as fake:
        yield fake


@pytest.fixture
async def web(slack: FakeSlack) -> AsyncIterator[SlackChannel]:
    ch = SlackChannel("foreign-desk", token=TOKEN, channel=DESK, api_url=slack.api_url, timeout=10)
    yield ch
    await ch.aclose()


@pytest.fixture
async def hook(slack: FakeSlack) -> AsyncIterator[SlackChannel]:
    ch = SlackChannel("hook", webhook_url=slack.webhook_url, timeout=10)
    yield ch
    await ch.aclose()


async def test_is_a_channel(web: SlackChannel, hook: SlackChannel, slack: FakeSlack) -> None:
    assert isinstance(web, Channel) and web.can_edit
    assert isinstance(hook, Channel) and not hook.can_edit
    assert TOKEN not in repr(web) and slack.webhook_url not in repr(hook)
    with pytest.raises(ValueError, match="needs token and channel"):
        SlackChannel("half", token=TOKEN)


async def test_reply_goes_to_the_alerts_thread(slack: FakeSlack, web: SlackChannel) -> None:
    assert web.can_reply
    ts = await web.send(story_alert(source(0)))
    reply = await web.reply(ts, story_alert(source(1), title="Development: Report 1"))
    assert slack.threads[DESK] == {reply: ts}
    assert "Development: Report 1" in slack.messages[DESK][reply]
    assert slack.calls[-1] == ("chat.postMessage", {**slack.calls[-1][1], "thread_ts": ts})


async def test_a_webhook_cannot_reply(hook: SlackChannel) -> None:
    assert not hook.can_reply


async def test_post_then_update_keeps_one_message_with_both_links(
    slack: FakeSlack, web: SlackChannel
) -> None:
    ts = await web.send(story_alert(source(0)))
    assert await web.edit(ts, story_alert(source(0), source(1))) == ts
    assert list(slack.messages[DESK]) == [ts]
    text = slack.messages[DESK][ts]
    assert slack_link(0) in text and slack_link(1) in text
    assert [method for method, _ in slack.calls] == ["chat.postMessage", "chat.update"]
    assert slack.calls[0][1]["unfurl_links"] is False


async def test_feed_text_is_escaped(slack: FakeSlack, web: SlackChannel) -> None:
    ts = await web.send(story_alert(source(0, title="AT&T <script>"), title="AT&T <b>"))
    text = slack.messages[DESK][ts]
    assert "*AT&amp;T &lt;b&gt;*" in text and "AT&amp;T &lt;script&gt;" in text


async def test_update_of_a_deleted_message_posts_anew(slack: FakeSlack, web: SlackChannel) -> None:
    new_ts = await web.edit("1700000000.000999", story_alert(source(0), source(1)))
    assert new_ts in slack.messages[DESK]
    assert [method for method, _ in slack.calls] == ["chat.update", "chat.postMessage"]


async def test_webhook_edit_posts_a_follow_up_naming_new_sources(
    slack: FakeSlack, hook: SlackChannel
) -> None:
    ref = await hook.send(story_alert(source(0)))
    ref = await hook.edit(ref, story_alert(source(0), source(1), source(2)))
    posts = list(slack.messages[slack.webhook_channel].values())
    assert len(posts) == 2
    assert slack_link(0) in posts[0]
    assert "2 new sources" in posts[1] and slack_link(0) not in posts[1]
    assert slack_link(1) in posts[1] and slack_link(2) in posts[1]
    assert await hook.edit(ref, story_alert(source(0), source(1), source(2))) == ref
    assert len(slack.messages[slack.webhook_channel]) == 2  # nothing new: nothing posted


@pytest.mark.parametrize("method", ["chat.postMessage", "webhook"])
async def test_429_raises_retry_after(
    slack: FakeSlack, web: SlackChannel, hook: SlackChannel, method: str
) -> None:
    slack.fail_next(method, status=429, retry_after=7)
    channel = hook if method == "webhook" else web
    with pytest.raises(RetryAfterError) as caught:
        await channel.send(story_alert(source(0)))
    assert caught.value.retry_after == 7.0
    assert not slack.messages
    await channel.send(story_alert(source(0)))
    assert sum(len(box) for box in slack.messages.values()) == 1


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_refusals_are_permanent(slack: FakeSlack, web: SlackChannel, error: str) -> None:
    slack.fail_next("chat.postMessage", error=error)
    with pytest.raises(PermanentChannelError, match=error):
        await web.send(story_alert(source(0)))


async def test_unknown_channel_and_bad_token_are_permanent(slack: FakeSlack) -> None:
    for token, channel, expected in [
        (TOKEN, "C0NOPE", "channel_not_found"),
        ("xoxb-wrong", DESK, "invalid_auth"),
    ]:
        ch = SlackChannel("desk", token=token, channel=channel, api_url=slack.api_url)
        with pytest.raises(PermanentChannelError, match=expected):
            await ch.send(story_alert(source(0)))
        await ch.aclose()


async def test_webhook_refusal_is_permanent(slack: FakeSlack) -> None:
    ch = SlackChannel("hook", webhook_url=f"{slack.origin}/services/T0/B0/revoked")
    with pytest.raises(PermanentChannelError, match="invalid_token"):
        await ch.send(story_alert(source(0)))
    await ch.aclose()


@pytest.mark.parametrize("method", ["chat.postMessage", "chat.update", "webhook"])
async def test_server_errors_are_transient(
    slack: FakeSlack, web: SlackChannel, hook: SlackChannel, method: str
) -> None:
    slack.fail_next(method, status=503)
    channel = hook if method == "webhook" else web
    with pytest.raises(ChannelError) as caught:
        if method == "chat.update":
            await channel.edit("1.000001", story_alert(source(0)))
        else:
            await channel.send(story_alert(source(0)))
    assert type(caught.value) is ChannelError  # transient: neither flood control nor refusal


async def test_timeout_is_transient(slack: FakeSlack) -> None:
    ch = SlackChannel("desk", token=TOKEN, channel=DESK, api_url=slack.api_url, timeout=0.2)
    slack.stall_next("chat.postMessage", 2.0)
    with pytest.raises(ChannelError, match="timed out") as caught:
        await ch.send(story_alert(source(0)))
    assert type(caught.value) is ChannelError
    await ch.aclose()


async def test_no_secret_in_errors_or_logs(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    dead = f"http://127.0.0.1:{closed_port()}"
    secrets = [TOKEN, slack.webhook_url.rsplit("/", 1)[1]]
    errors: list[BaseException] = []
    channels = [
        SlackChannel("web", token=TOKEN, channel=DESK, api_url=slack.api_url, timeout=0.2),
        SlackChannel("hook", webhook_url=slack.webhook_url, timeout=0.2),
        SlackChannel("dead", token=TOKEN, channel=DESK, api_url=f"{dead}/api", timeout=0.2),
        SlackChannel("deadhook", webhook_url=f"{dead}/services/T/B/{secrets[1]}", timeout=0.2),
    ]
    for ch in channels:
        method = "webhook" if not ch.can_edit else "chat.postMessage"
        for fault in [{"status": 429, "retry_after": 3}, {"status": 500}, {"status": 403}]:
            slack.fail_next(method, **fault)  # type: ignore[arg-type]
            with pytest.raises(ChannelError) as caught:
                await ch.send(story_alert(source(0)))
            errors.append(caught.value)
        slack.stall_next(method, 1.0)
        with pytest.raises(ChannelError) as caught:
            await ch.send(story_alert(source(0)))
        errors.append(caught.value)
        await ch.aclose()
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)
    for error in errors:
        text = "".join(traceback.format_exception(error))
        assert not any(secret in text for secret in secrets), text
    for record in caplog.records:
        assert not any(secret in record.getMessage() for secret in secrets)
