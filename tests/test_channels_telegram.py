"""TelegramChannel against the loopback Bot API: send/edit, flood control, refusals, migration,
transient failures, and no token in any message or log record."""

from __future__ import annotations

import html
import logging
import traceback
import warnings
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.fakes.telegram_api import FakeTelegram, closed_port, parse_html
from tests.test_render import alert, item
from watcher.channels.base import Channel
from watcher.channels.telegram import TelegramChannel
from watcher.errors import (
    ChannelError,
    ChatBlockedError,
    ChatMovedError,
    PermanentChannelError,
    RetryAfterError,
)
from watcher.model import StoryItem

TOKEN = "123456:SECRET-abcdefghijklmnop"
CHAT = "-1001234567890"


def source(n: int, title: str = "") -> StoryItem:
    """An item whose link needs escaping (an "&")."""
    return item(n, link=f"https://outlet{n}.example/a?id={n}&ref=rss", title=title or f"Report {n}")


story_alert = alert


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def channel(tg: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    ch = TelegramChannel("asia-desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url, timeout=10)
    yield ch
    await ch.aclose()


def _links(html_text: str) -> list[str]:
    return parse_html(html_text)[1]


async def test_is_a_channel(channel: TelegramChannel) -> None:
    assert isinstance(channel, Channel)
    assert channel.can_edit
    assert TOKEN not in repr(channel)


async def test_send_then_edit_keeps_one_message_with_both_links(
    tg: FakeTelegram, channel: TelegramChannel
) -> None:
    ref = await channel.send(story_alert(source(0)))
    kept = await channel.edit(ref, story_alert(source(0), source(1)))
    assert kept == ref
    assert list(tg.messages[CHAT]) == [int(ref)]
    assert _links(tg.messages[CHAT][int(ref)]) == [source(0).link, source(1).link]
    assert [method for method, _ in tg.calls] == ["sendMessage", "editMessageText"]
    sent = tg.calls[0][1]
    assert sent["parse_mode"] == "HTML"
    assert '"is_disabled": true' in sent["link_preview_options"]


async def test_reply_answers_the_alert_and_survives_a_deleted_one(
    tg: FakeTelegram, channel: TelegramChannel
) -> None:
    assert channel.can_reply
    ref = await channel.send(story_alert(source(0)))
    reply = await channel.reply(ref, story_alert(source(1), title="Development: Report 1"))
    assert tg.replies[CHAT] == {int(reply): int(ref)}
    assert "Development: Report 1" in parse_html(tg.messages[CHAT][int(reply)])[0]
    params = tg.calls[-1][1]
    assert '"message_id": ' + ref in params["reply_parameters"]
    # The alert was deleted in the chat: the follow-up still goes out, as no reply.
    del tg.messages[CHAT][int(ref)]
    alone = await channel.reply(ref, story_alert(source(2)))
    assert int(alone) in tg.messages[CHAT] and int(alone) not in tg.replies[CHAT]


async def test_hostile_feed_text_is_delivered(tg: FakeTelegram, channel: TelegramChannel) -> None:
    nasty = "AT&T <script>alert(1)</script> <b>unbalanced & <i>"
    ref = await channel.send(story_alert(source(0, title=nasty), title=nasty))
    plain, _ = parse_html(tg.messages[CHAT][int(ref)])
    assert nasty in plain


async def test_message_at_the_length_limit_is_accepted(
    tg: FakeTelegram, channel: TelegramChannel
) -> None:
    many = [source(n, title="&<> long headline " * 12) for n in range(40)]
    ref = await channel.send(story_alert(*many, title="& " * 3000))
    assert len(tg.messages[CHAT][int(ref)]) <= 4096


async def test_thread_and_preview_options_are_sent(tg: FakeTelegram) -> None:
    ch = TelegramChannel(
        "forum", token=TOKEN, chat_id=CHAT, api_url=tg.api_url, thread_id=42, link_preview=True
    )
    await ch.send(story_alert(source(0)))
    await ch.aclose()
    params = tg.calls[0][1]
    assert params["message_thread_id"] == "42"
    assert '"is_disabled": false' in params["link_preview_options"]


async def test_flood_control_raises_retry_after(tg: FakeTelegram, channel: TelegramChannel) -> None:
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", {"retry_after": 7})
    with pytest.raises(RetryAfterError) as caught:
        await channel.send(story_alert(source(0)))
    assert caught.value.retry_after == 7.0
    assert CHAT not in tg.messages
    await channel.send(story_alert(source(0)))  # the next attempt goes through
    assert len(tg.messages[CHAT]) == 1


async def test_not_modified_counts_as_success(tg: FakeTelegram, channel: TelegramChannel) -> None:
    ref = await channel.send(story_alert(source(0)))
    assert await channel.edit(ref, story_alert(source(0))) == ref  # the stand-in's own check
    tg.fail_next("editMessageText", 400, "Bad Request: message is not modified: same content")
    assert await channel.edit(ref, story_alert(source(0), source(1))) == ref
    assert len(tg.messages[CHAT]) == 1


@pytest.mark.parametrize(
    ("status", "description", "blocked"),
    [
        (403, "Forbidden: bot was kicked from the group chat", True),
        (403, "Forbidden: bot was blocked by the user", True),
        (403, "bot is not a member of the channel chat", True),  # the status decides, not words
        (400, "Bad Request: chat not found", False),
    ],
)
async def test_refusals_are_permanent(
    tg: FakeTelegram, channel: TelegramChannel, status: int, description: str, blocked: bool
) -> None:
    tg.fail_next("sendMessage", status, description)
    with pytest.raises(PermanentChannelError) as caught:
        await channel.send(story_alert(source(0)))
    assert isinstance(caught.value, ChatBlockedError) is blocked
    assert description.split(": ")[-1].lower() in str(caught.value).lower()
    assert caught.value.__cause__ is not None


async def test_wrong_token_is_permanent(tg: FakeTelegram) -> None:
    ch = TelegramChannel("desk", token="999:WRONG-token", chat_id=CHAT, api_url=tg.api_url)
    with pytest.raises(PermanentChannelError):
        await ch.send(story_alert(source(0)))
    await ch.aclose()


async def test_unknown_chat_is_permanent() -> None:
    with FakeTelegram(token=TOKEN, chats=["-100555"]) as fake:
        ch = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=fake.api_url)
        with pytest.raises(PermanentChannelError, match=r"(?i)chat not found"):
            await ch.send(story_alert(source(0)))
        await ch.aclose()


async def test_migrated_group_is_reported_as_a_move_and_followed_when_told(
    tg: FakeTelegram, channel: TelegramChannel
) -> None:
    ref = await channel.send(story_alert(source(0)))
    tg.migrate_chat(CHAT, "-1009999")
    with pytest.raises(ChatMovedError) as caught:
        await channel.edit(ref, story_alert(source(0), source(1)))
    assert caught.value.chat == "-1009999" and channel.chat == CHAT  # delivery decides to move
    assert "-1009999" not in tg.messages
    channel.move_to(caught.value.chat)
    assert channel.chat == "-1009999"
    new_ref = await channel.edit(ref, story_alert(source(0), source(1)))
    # The old message id does not exist in the supergroup, so the story is sent there anew.
    assert _links(tg.messages["-1009999"][int(new_ref)]) == [source(0).link, source(1).link]
    await channel.send(story_alert(source(2)))
    assert len(tg.messages["-1009999"]) == 2


async def test_one_off_migrate_answer_is_followed(
    tg: FakeTelegram, channel: TelegramChannel
) -> None:
    tg.fail_next(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": -1007777},
    )
    with pytest.raises(ChatMovedError) as caught:
        await channel.send(story_alert(source(0)))
    channel.move_to(caught.value.chat)
    ref = await channel.send(story_alert(source(0)))
    assert int(ref) in tg.messages["-1007777"]
    assert [p["chat_id"] for _, p in tg.calls] == [CHAT, "-1007777"]


async def test_server_errors_are_transient(tg: FakeTelegram, channel: TelegramChannel) -> None:
    tg.fail_next("sendMessage", 502, "Bad Gateway")
    with pytest.raises(ChannelError) as caught:
        await channel.send(story_alert(source(0)))
    assert type(caught.value) is ChannelError  # transient: neither flood control nor refusal


async def test_timeout_is_transient(tg: FakeTelegram) -> None:
    ch = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url, timeout=0.2)
    tg.stall_next("sendMessage", 2.0)
    with pytest.raises(ChannelError) as caught:
        await ch.send(story_alert(source(0)))
    assert type(caught.value) is ChannelError
    await ch.aclose()


async def test_no_token_in_errors_or_logs(
    tg: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[BaseException] = []
    for api_url in (tg.api_url, f"http://127.0.0.1:{closed_port()}"):
        ch = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=api_url, timeout=0.2)
        for fail in [
            (429, "Too Many Requests: retry after 3", {"retry_after": 3}),
            (403, "Forbidden: bot was kicked from the group chat", None),
            (500, "Internal Server Error", None),
            (401, "Unauthorized", None),
        ]:
            tg.fail_next("sendMessage", *fail)
            with pytest.raises(ChannelError) as caught:
                await ch.send(story_alert(source(0)))
            errors.append(caught.value)
        tg.stall_next("editMessageText", 1.0)
        with pytest.raises(ChannelError) as caught:
            await ch.edit("1", story_alert(source(0)))
        errors.append(caught.value)
        await ch.aclose()
    assert len(errors) == 10
    for error in errors:
        assert TOKEN not in "".join(traceback.format_exception(error))
    assert caplog.records, "expected httpx/telegram debug records to check"
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    assert "SECRET" not in caplog.text


async def test_a_ref_that_is_not_a_message_id_sends_anew(
    tg: FakeTelegram, channel: TelegramChannel
) -> None:
    ref = await channel.edit("webhook:1", story_alert(source(0)))
    assert [method for method, _ in tg.calls] == ["sendMessage"]
    assert int(ref) in tg.messages[CHAT]


async def test_flood_control_does_not_warn(
    tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PTB_TIMEDELTA", raising=False)
    ch = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url)
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", {"retry_after": 2})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RetryAfterError):
            await ch.send(story_alert(source(0)))
    await ch.aclose()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("AT&T wins", "can't parse entities"),
        ("<script>x</script>", 'Unsupported start tag "script"'),
        ("<b>open", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("a < b", "can't parse entities"),
        ('<a href="https://x.example/?a=1&b=2">x</a>', "can't parse entities"),
        ("x" * 4097, "message is too long"),
    ],
)
def test_stand_in_rejects_what_telegram_would(tg: FakeTelegram, text: str, problem: str) -> None:
    url = f"{tg.api_url}/bot{TOKEN}/sendMessage"
    answer = httpx.post(url, data={"chat_id": CHAT, "text": text, "parse_mode": "HTML"})
    assert answer.status_code == 400
    body = answer.json()
    assert body["ok"] is False and body["error_code"] == 400
    assert problem in body["description"]
    ok = httpx.post(url, json={"chat_id": CHAT, "text": html.escape(text[:4000])})
    assert ok.json()["result"]["text"] == html.escape(text[:4000])  # no parse_mode: taken as is


def test_stand_in_answers_like_the_bot_api(tg: FakeTelegram) -> None:
    wrong = httpx.post(f"{tg.api_url}/bot999:nope/getMe")
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    me = httpx.get(f"{tg.api_url}/bot{TOKEN}/getMe").json()
    assert me["ok"] and me["result"]["is_bot"]
    sent = httpx.post(
        f"{tg.api_url}/bot{TOKEN}/sendMessage",
        data={"chat_id": CHAT, "text": "<b>AT&amp;T</b>", "parse_mode": "HTML"},
    ).json()["result"]
    assert sent["text"] == "AT&T" and sent["chat"]["id"] == int(CHAT) and sent["message_id"] == 1
