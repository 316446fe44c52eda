"""The desk talking back (issue 15) against the loopback Bot API: commands read by long polling,
answered only where they may be, buttons on alerts, mutes and splits, and restarts that lose
nothing."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import random
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegram, parse_html
from tests.test_delivery import FakeClock
from tests.test_pipeline import QUAKE, item, make_pipeline
from watcher.channels.talk import Listening
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import Deliverer, drain
from watcher.health import Health
from watcher.pipeline import Pipeline
from watcher.store import Store
from watcher.store.state import ServiceRecord
from watcher.talk import commands
from watcher.talk.desk import DeskTalk
from watcher.talk.poller import READERS, ChatPoller, pollers

TOKEN = "4242:TALK-test-token"
CHAT = "-1001111"
EDITOR, STRANGER = 42, 666
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
RULES = '[[rule]]\nname = "quake"\nquery = "earthquake AND Chile"\nchannels = ["desk"]\n'


@dataclass
class Desk:
    tg: FakeTelegram
    channel: TelegramChannel
    store: Store
    pipeline: Pipeline
    deliverer: Deliverer
    poller: ChatPoller
    clock: FakeClock

    def texts(self, chat: str = CHAT) -> dict[int, str]:
        return {k: parse_html(v)[0] for k, v in self.tg.messages.get(chat, {}).items()}

    def buttons(self, message_id: int) -> list[str]:
        markup = self.tg.markups.get(CHAT, {}).get(message_id) or {"inline_keyboard": []}
        return [b["text"] for row in markup["inline_keyboard"] for b in row]


def health() -> Health:
    return Health(NOW, (), ServiceRecord(), 3, 3, (), 0)


def assemble(
    tmp_path: Path, channel: Listening, clock: FakeClock, timeout: float = 0
) -> tuple[Pipeline, Deliverer, ChatPoller]:
    """The pipeline, the deliverer and the chat poller of one desk channel `desk`."""
    pipeline = make_pipeline(tmp_path, RULES, clock)
    store = pipeline.store
    deliverer = Deliverer(
        store=store,
        channels={"desk": channel},  # type: ignore[dict-item]
        clock=clock,
        rng=random.Random(1),
        sleep=clock.sleep,
        limits={"desk": []},
    )
    desk = DeskTalk(
        store=store,
        splitter=pipeline,
        compile_query=lambda q: pipeline.rules.compile_query(q),
        rule_names=lambda: {rule.name for rule in pipeline.rules.rules},
        health=health,
        clock=clock,
    )
    (poller,) = pollers([channel], desk, store, clock, timeout=timeout)
    return pipeline, deliverer, poller


def build(tmp_path: Path, tg: FakeTelegram, channel: TelegramChannel, clock: FakeClock) -> Desk:
    pipeline, deliverer, poller = assemble(tmp_path, channel, clock)
    return Desk(tg, channel, pipeline.store, pipeline, deliverer, poller, clock)


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def desk(tmp_path: Path, tg: FakeTelegram) -> AsyncIterator[Desk]:
    channel = TelegramChannel(
        "desk",
        token=TOKEN,
        chat_id=CHAT,
        api_url=tg.api_url,
        timeout=2,
        commands=True,
        command_users=[EDITOR],
    )
    built = build(tmp_path, tg, channel, FakeClock(NOW))
    yield built
    built.store.close()
    await channel.aclose()


async def polled(poller: ChatPoller) -> int:
    """One getUpdates handled, and the answers it started (read-only commands, answered apart)
    sent."""
    count = await poller.once()
    await poller.settle()
    return count


async def alerted(d: Desk, *items: object) -> None:
    d.pipeline.ingest(list(items), d.clock.now, alert=True)  # type: ignore[arg-type]
    await drain(d.deliverer, sleep=d.clock.sleep)


# -- pure parsing -------------------------------------------------------------------------------


def test_handled_deliveries_are_remembered_per_bot_and_only_the_last_ones(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "w.db", new_database=True)
    try:
        for n in range(5):
            store.save_handled("slack:a", f"e{n}", NOW, keep=3)
        store.save_handled("slack:b", "e0", NOW, keep=3)
        store.save_handled("slack:a", "e4", NOW, keep=3)  # a repeat is one row
        wanted = [f"e{n}" for n in range(5)]
        assert store.handled_deliveries("slack:a", wanted) == {"e2", "e3", "e4"}
        assert store.handled_deliveries("slack:b", wanted) == {"e0"}
    finally:
        store.close()


def test_commands_parse() -> None:
    assert commands.parse("hello") is None
    assert commands.parse("/status@watcher_bot") == commands.Command(
        "status", "", "/status@watcher_bot"
    )
    assert commands.parse("/Test Iran AND Pakistan").args == "Iran AND Pakistan"  # type: ignore[union-attr]
    assert commands.parse("/nope").name == ""  # type: ignore[union-attr]
    mute = commands.parse_mute("rule quake 4h", "desk", NOW, "telegram:1")
    assert (mute.kind, mute.target, mute.until) == ("rule", "quake", NOW + timedelta(hours=4))
    assert commands.parse_mute("story #12 1d", "desk", NOW, "").target == "12"
    for bad in ("rule quake", "story x 1d", "thing a 4h", "rule quake forever"):
        with pytest.raises(commands.CommandError, match="usage: /mute"):
            commands.parse_mute(bad, "desk", NOW, "")
    assert commands.parse_unmute("story 12") == ("story", "12")


def test_answers_are_escaped_and_short() -> None:
    from watcher.model import Story

    story = Story(1, "<script>&" * 800, NOW, NOW)
    text = commands.stories_text([story] * 20)
    assert len(text) < 4096 and "<script>" not in text
    parse_html(text)  # Telegram would accept it


# -- commands over getUpdates ---------------------------------------------------------------------


async def test_a_command_from_the_desk_chat_is_answered_and_from_elsewhere_is_not(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    asked = desk.tg.user_says(CHAT, STRANGER, "/mutes")  # anyone in the desk's own chat
    desk.tg.user_says("-1009999", EDITOR, "/mutes")  # the same command in another group
    desk.tg.user_says(str(STRANGER), STRANGER, "/status")  # a stranger's private chat
    desk.tg.user_says(str(STRANGER), STRANGER, "/feeds")  # ... twice: logged once
    desk.tg.user_says(str(EDITOR), EDITOR, "/status")  # a command user's private chat
    desk.tg.user_says(CHAT, STRANGER, "just chatting")  # not a command: no answer
    with caplog.at_level(logging.INFO, logger="watcher.talk"):
        assert await polled(desk.poller) == 6
    (answer_id,) = [k for k, v in desk.texts().items() if v == "Nothing is muted here."]
    assert desk.tg.replies[CHAT][answer_id] == 1 and asked == 1
    assert "-1009999" not in desk.tg.replies and str(STRANGER) not in desk.tg.replies
    assert set(desk.texts("-1009999").values()) == {"/mutes"}  # only what the user wrote
    assert "watcher: ok" in desk.texts(str(EDITOR))[2]
    ignored = [r for r in caplog.records if "chat ignored" in r.getMessage()]
    assert len(ignored) == 2  # the other group and the stranger, once each
    assert TOKEN not in caplog.text
    assert desk.store.bot_offset(desk.channel.bot_key) == 7
    assert await polled(desk.poller) == 0  # confirmed: nothing is read twice


async def test_mute_unmute_and_mutes(desk: Desk) -> None:
    desk.tg.user_says(CHAT, EDITOR, "/mute rule quake 4h")
    desk.tg.user_says(CHAT, EDITOR, "/mute rule quake for ever")
    desk.tg.user_says(CHAT, EDITOR, "/mute rule qauke 4h")
    desk.tg.user_says(CHAT, EDITOR, "/mute story 77 1d")
    await polled(desk.poller)
    answers = list(desk.texts().values())
    assert "no rule named qauke is in force" in answers
    assert "no story #77 is kept" in answers
    assert "Muted rule quake here until 2026-03-02 16:00 UTC." in answers
    assert any(a.startswith("a time like") or "usage: /mute" in a for a in answers)
    (mute,) = desk.store.live_mutes(NOW)
    assert (mute.channel, mute.by) == ("desk", f"telegram:{EDITOR}")
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    assert not any("Earthquake" in t for t in desk.texts().values())  # muted: not sent
    desk.tg.user_says(CHAT, EDITOR, "/unmute rule quake")
    await polled(desk.poller)
    assert "Unmuted rule quake." in desk.texts().values()
    assert desk.store.live_mutes(NOW) == []


async def test_test_and_why_and_stories(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (alert_id,) = [k for k, v in desk.texts().items() if "Earthquake" in v]
    desk.tg.user_says(CHAT, EDITOR, "/test Chile AND earthquake")
    desk.tg.user_says(CHAT, EDITOR, "/test Chile AND (quake")
    desk.tg.user_says(CHAT, EDITOR, "/why", reply_to=alert_id)
    desk.tg.user_says(CHAT, EDITOR, "/why")
    desk.tg.user_says(CHAT, EDITOR, "/stories")
    desk.tg.user_says(CHAT, EDITOR, "/frobnicate")
    await polled(desk.poller)
    answers = "\n---\n".join(desk.texts().values())
    assert "1 of 1 item(s) of the last 24 h match Chile AND earthquake" in answers
    assert "matched: " in answers and "<b>" not in answers  # words marked bold, not as text
    assert "Invalid query at column 11: this `(` is never closed" in answers
    assert "matched rule quake: Chile, " in answers and "joined: new" in answers
    assert "Reply to an alert with /why" in answers
    assert "source(s) · Earthquake hits Chile" in answers
    assert "Unknown command /frobnicate" in answers


# -- buttons ------------------------------------------------------------------------------------


async def test_alerts_carry_buttons_and_mute_story_stops_the_next_edit(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (alert_id,) = desk.texts()
    assert desk.buttons(alert_id) == ["Mute story"]  # one source: nothing to split
    press = desk.tg.user_presses(CHAT, EDITOR, alert_id, desk.tg.markups[CHAT][alert_id]
                                 ["inline_keyboard"][0][0]["callback_data"])  # fmt: skip
    await polled(desk.poller)
    (answer,) = desk.tg.press_answers.values()
    assert answer[0].startswith("Muted: no more alerts or edits of this story here")
    del press
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    assert "B.example" not in str(desk.tg.messages[CHAT][alert_id])  # no edit
    assert [c for c, _ in desk.tg.calls].count("editMessageText") == 0


async def test_digests_and_notices_carry_no_buttons(desk: Desk) -> None:
    from watcher.delivery.render_digest import notice_alert

    ref = await desk.channel.send(notice_alert("feed A has failed since 10:00", NOW))
    assert int(ref) in desk.tg.messages[CHAT] and desk.buttons(int(ref)) == []


async def test_not_the_same_story_splits_edits_back_and_realerts(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    (alert_id,) = desk.texts()
    assert "B.example" in desk.tg.messages[CHAT][alert_id]
    assert desk.buttons(alert_id) == ["Mute story", "Not the same story"]
    story_id = desk.store.story_shown_as("desk", str(alert_id))
    desk.tg.user_presses(CHAT, EDITOR, alert_id, f"split:{story_id}")
    await polled(desk.poller)
    assert next(iter(desk.tg.press_answers.values()))[0].startswith("Split:")
    await drain(desk.deliverer, sleep=desk.clock.sleep)
    assert "B.example" not in desk.tg.messages[CHAT][alert_id]  # edited back
    assert desk.buttons(alert_id) == ["Mute story"]
    (realert,) = [
        k for k in desk.texts() if k != alert_id and "B.example" in desk.tg.messages[CHAT][k]
    ]
    assert desk.tg.markups[CHAT][realert]
    (pair,) = desk.store.labelled_pairs()
    assert (pair.same, pair.origin, {pair.item_a, pair.item_b}) == (False, "split", {"a1", "b1"})
    # The index follows: a copy of the split report joins its own story, not the old one.
    desk.pipeline.ingest(
        [item("c1", "Earthquake hits Chile", QUAKE, 30, feed="C")], NOW, alert=True
    )
    new_story = desk.store.story_shown_as("desk", str(realert))
    story = desk.store.story(new_story or 0)
    assert story is not None and [i.item_key for i in story.items] == ["b1", "c1"]


async def test_a_press_on_an_old_or_foreign_alert_is_refused_politely(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (alert_id,) = desk.texts()
    story_id = desk.store.story_shown_as("desk", str(alert_id))
    desk.tg.user_presses(CHAT, EDITOR, alert_id + 5, f"mute:{story_id}")  # not the alert
    desk.tg.user_presses(CHAT, EDITOR, alert_id, "mute:999")  # another story
    desk.tg.user_presses(CHAT, EDITOR, alert_id, "launch:1")
    await polled(desk.poller)
    answers = [text for text, _ in desk.tg.press_answers.values()]
    assert (
        answers[:2]
        == ["This alert is no longer current here (or not this chat's): nothing changed."] * 2
    )
    assert answers[2] == "This button is not one of watcher's."
    assert desk.store.live_mutes(NOW) == []


async def test_a_restart_between_a_press_and_its_effect_loses_nothing(
    tmp_path: Path, desk: Desk
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    (alert_id,) = desk.texts()
    story_id = desk.store.story_shown_as("desk", str(alert_id))
    desk.tg.user_presses(CHAT, EDITOR, alert_id, f"split:{story_id}")
    # A poller fetched the press and died before handling it: nothing was confirmed.
    events, _ = await desk.channel.updates(desk.store.bot_offset(desk.channel.bot_key), 0)
    assert len(events) == 1
    desk.store.close()
    # The restarted service: a new store on the same file, a new index rebuilt from it.
    restarted = build(tmp_path, desk.tg, desk.channel, desk.clock)
    for stored, sid in restarted.store.items_since(NOW - timedelta(days=2)):
        restarted.pipeline.index.add(stored, sid)
    assert await polled(restarted.poller) == 1
    assert await polled(restarted.poller) == 0  # confirmed with its effect: never repeated
    (pair,) = restarted.store.labelled_pairs()
    assert not pair.same
    # Stopped again before the edit went out: the outbox still holds it.
    restarted.store.close()
    again = build(tmp_path, desk.tg, desk.channel, desk.clock)
    await drain(again.deliverer, sleep=again.clock.sleep)
    assert "B.example" not in desk.tg.messages[CHAT][alert_id]
    assert len(desk.tg.press_answers) == 1
    desk.store = again.store  # closed by the fixture


async def test_a_restart_between_mute_story_and_its_effect_loses_nothing(
    tmp_path: Path, desk: Desk
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (alert_id,) = desk.texts()
    story_id = desk.store.story_shown_as("desk", str(alert_id))
    desk.tg.user_presses(CHAT, EDITOR, alert_id, f"mute:{story_id}")
    events, _ = await desk.channel.updates(desk.store.bot_offset(desk.channel.bot_key), 0)
    assert len(events) == 1  # fetched, then the process died before handling it
    desk.store.close()
    again = build(tmp_path, desk.tg, desk.channel, desk.clock)
    desk.store = again.store  # closed by the fixture
    for stored, sid in again.store.items_since(NOW - timedelta(days=2)):
        again.pipeline.index.add(stored, sid)
    assert await polled(again.poller) == 1
    assert await polled(again.poller) == 0
    (mute,) = again.store.live_mutes(NOW)
    assert (mute.kind, mute.target) == ("story", str(story_id))
    await alerted(again, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    assert "B.example" not in desk.tg.messages[CHAT][alert_id]  # the mute held: no edit
    assert len(desk.tg.press_answers) == 1


async def test_items_the_desk_separated_are_never_joined_again(tmp_path: Path, desk: Desk) -> None:
    """After a split and a restart (the index rebuilt from the database, as at start-up), the
    split report edited by its feed stays out, and its later copy joins its new story."""
    longer = QUAKE + " Officials said there were no immediate reports of casualties."
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", longer, 20, feed="B"))
    (alert_id,) = desk.texts()
    old_story = desk.store.story_shown_as("desk", str(alert_id))
    desk.tg.user_presses(CHAT, EDITOR, alert_id, f"split:{old_story}")
    await polled(desk.poller)
    assert next(iter(desk.tg.press_answers.values()))[0].startswith("Split:")
    desk.store.close()
    again = build(tmp_path, desk.tg, desk.channel, desk.clock)
    desk.store = again.store  # closed by the fixture
    for stored, sid in again.store.items_since(NOW - timedelta(days=2)):
        again.pipeline.index.add(stored, sid)
    edited = item("b1", "Earthquake hits Chile, tsunami warning lifted", longer, 20, feed="B")
    copy = item("c1", "Earthquake hits Chile", longer, 40, feed="C")
    again.pipeline.ingest([edited, copy], NOW + timedelta(hours=1), alert=True)
    story = again.store.story(old_story or 0)
    assert story is not None and [i.item_key for i in story.items] == ["a1"]
    (split_story,) = {sid for it, sid in again.store.items_since(NOW) if it.key == "b1"}
    moved = again.store.story(split_story)
    assert moved is not None and [i.item_key for i in moved.items] == ["b1", "c1"]


def test_watcher_run_reads_the_desk_chat_and_stops_promptly(tmp_path: Path) -> None:
    from tests.fakes.feed_server import FeedServer, rss
    from tests.test_ops_service import Watcher
    from tests.test_service import wait_for

    watcher = Watcher(tmp_path)
    try:
        with FeedServer() as feeds, FakeTelegram(token=TOKEN) as tg:
            feeds.set("/a.xml", rss([]))
            watcher.env["DESK_TOKEN"] = TOKEN
            watcher.rules(desk=RULES)
            watcher.write(
                [(feeds.url("/a.xml"), "A")],
                channels=f'[channel.desk]\ntype = "telegram"\nchat_id = "{CHAT}"\n'
                f'token_env = "DESK_TOKEN"\napi_url = "{tg.api_url}"\ncommands = true\n'
                f"command_users = [{EDITOR}]\n",
            )
            watcher.start()
            watcher.wait_log("chat commands on bot=")
            tg.user_says(CHAT, STRANGER, "/status")
            tg.user_says("-1009999", EDITOR, "/status")
            wait_for(lambda: len(tg.messages.get(CHAT, {})) == 2, 20)
            assert "rules in force: 1" in parse_html(tg.messages[CHAT][2])[0]
            assert list(tg.messages["-1009999"]) == [1]  # what the user wrote; no answer
            started = time.monotonic()
            assert watcher.stop() == 0
            assert time.monotonic() - started < 20  # the long poll in flight does not hold it
        assert TOKEN not in watcher.err()
    finally:
        watcher.kill()


async def test_an_update_that_trips_a_bug_is_logged_and_passed_over(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> str:
        raise RuntimeError("bug")

    async def broken_read(*args: object) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(desk.poller.desk, "command", broken)
    monkeypatch.setattr(desk.poller.desk, "read", broken_read)
    desk.tg.user_says(CHAT, EDITOR, "/unmute rule quake")
    desk.tg.user_says(CHAT, EDITOR, "/status")  # a read: answered apart, its bug said there
    with caplog.at_level(logging.ERROR, logger="watcher.talk"):
        assert await polled(desk.poller) == 2
    assert "chat update failed channel=desk update=1" in caplog.text
    assert "chat read failed channel=desk update=2" in caplog.text
    monkeypatch.undo()
    desk.tg.user_says(CHAT, EDITOR, "/mutes")
    assert await polled(desk.poller) == 1  # the next command is not held up
    assert "Nothing is muted here." in desk.texts().values()


async def test_the_readme_picture_is_the_demos_alert_with_its_buttons(tmp_path: Path) -> None:
    """docs/alert.png is made by docs/make_alert_picture.py from what the demo really sends."""
    root = Path(__file__).resolve().parents[1]
    script = root / "docs" / "make_alert_picture.py"
    spec = importlib.util.spec_from_file_location("make_alert_picture", script)
    assert spec is not None and spec.loader is not None
    picture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(picture)
    text, markup = await picture.demo_alert(tmp_path)
    buttons = [b["text"] for row in markup["inline_keyboard"] for b in row]
    assert buttons == ["Mute story", "Not the same story"]
    assert "Sources (2):" in parse_html(text)[0]
    assert "PICTURE_TOKEN" not in os.environ
    assert (root / "docs" / "alert.png").stat().st_size < 100_000
    assert "(docs/alert.png)" in (root / "README.md").read_text(encoding="utf-8")


async def test_a_press_does_not_wait_for_slow_tests_and_reads_run_bounded(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (alert_id,) = desk.texts()
    story_id = desk.store.story_shown_as("desk", str(alert_id))
    for _ in range(READERS + 1):
        desk.tg.user_says(CHAT, EDITOR, "/test Chile AND earthquake")
    desk.tg.user_presses(CHAT, EDITOR, alert_id, f"mute:{story_id}")
    gate, inside, peak, released = threading.Condition(), [0], [0], [False]
    read = Store.items_since

    def slow(store: Store, since: object) -> object:
        """Each /test's read held until the test lets them all go."""
        with gate:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
            gate.notify_all()
            gate.wait_for(lambda: released[0], 30)
            inside[0] -= 1
        return read(store, since)  # type: ignore[arg-type]

    def full() -> bool:
        with gate:
            return gate.wait_for(lambda: inside[0] == READERS, 30)

    monkeypatch.setattr(Store, "items_since", slow)
    assert await desk.poller.once() == READERS + 2
    (answer,) = desk.tg.press_answers.values()  # answered while the /tests are held
    assert answer[0].startswith("Muted: no more alerts or edits of this story here")
    assert desk.store.live_mutes(NOW)
    assert await asyncio.to_thread(full)  # READERS reads at once, the next one waits
    with gate:
        released[0] = True
        gate.notify_all()
    await desk.poller.settle()
    assert peak[0] == READERS
    matched = [v for v in desk.texts().values() if "item(s) of the last 24 h match" in v]
    assert len(matched) == READERS + 1
