"""ConsoleChannel: plain-text alerts on a stream, updates under a banner naming the message."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from watcher.channels.base import Channel
from watcher.channels.console import ConsoleChannel
from watcher.model import Alert, Story, StoryItem, Tier

WHEN = datetime(2026, 1, 24, 9, 15, tzinfo=UTC)


def story_alert(n_sources: int) -> Alert:
    items = tuple(
        StoryItem(f"url:{n}", f"https://o{n}.example/a", f"Report {n}", f"Outlet {n}", WHEN,
                  Tier.EVENT, 1.0, "AT&T <b>news</b>")
        for n in range(n_sources)
    )  # fmt: skip
    story = Story(id=3, title="AT&T <b>news</b>", first_seen=WHEN, last_seen=WHEN, items=items)
    return Alert(story=story, rules=("telecoms",), terms=("AT&T",))


async def test_send_and_edit_print_plain_text() -> None:
    out = io.StringIO()
    channel = ConsoleChannel("log", stream=out)
    assert isinstance(channel, Channel)
    first = await channel.send(story_alert(1))
    second = await channel.send(story_alert(1))
    assert (first, second) == ("1", "2")
    assert await channel.edit(first, story_alert(2)) == first
    text = out.getvalue()
    assert text.count("=== [log] alert #1 ===") == 1
    assert "=== [log] alert #1 updated ===" in text
    assert "AT&T <b>news</b>" in text  # plain text: nothing escaped
    assert "https://o0.example/a" in text
    updated = text.split("alert #1 updated")[1]
    assert "https://o0.example/a" in updated and "https://o1.example/a" in updated
    await channel.aclose()


async def test_default_stream_is_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    await ConsoleChannel("log").send(story_alert(1))
    assert "Report 0" in capsys.readouterr().out


async def test_numbers_go_on_from_start() -> None:
    out = io.StringIO()
    channel = ConsoleChannel("log", stream=out, start=41)
    assert await channel.send(story_alert(1)) == "42"
    assert "=== [log] alert #42 ===" in out.getvalue()


async def test_a_follow_up_names_the_alert_it_follows() -> None:
    out = io.StringIO()
    channel = ConsoleChannel("log", stream=out, start=2)
    assert channel.can_reply
    first = await channel.send(story_alert(1))
    assert await channel.reply(first, story_alert(2)) == "4"
    assert "=== [log] alert #4: follow-up to alert #3 ===" in out.getvalue()
