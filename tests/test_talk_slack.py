"""The desk talking back in Slack (issue 15) over Socket Mode, against the loopback stand-in:
slash commands answered only where they may be, Block Kit buttons on alerts, the Why shortcut,
every envelope acknowledged (a slow command at once, its answer at its response_url; a mute
after its commit), and reconnects that lose nothing and repeat nothing."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk.socket_mode.interval_runner import IntervalRunner

from tests.fakes.slack_api import FakeSlack
from tests.test_delivery import FakeClock
from tests.test_pipeline import QUAKE, item
from tests.test_talk import NOW, RULES, assemble
from watcher.channels.slack import SlackChannel, html_to_mrkdwn
from watcher.channels.talk import ChatMessage
from watcher.delivery.deliverer import Deliverer, drain
from watcher.pipeline import Pipeline
from watcher.redact import redact
from watcher.store import Store
from watcher.talk.poller import ChatPoller, pollers

BOT = "xoxb-1-talk-test-token"
APP = "xapp-1-A0FAKEAPP01-1-talk-test-app-token"
DESK = "C0DESK0001"
OTHER = "C0OTHER001"
EDITOR, STRANGER = "U0EDITOR01", "U0STRANGE1"


@dataclass
class Desk:
    slack: FakeSlack
    channel: SlackChannel
    store: Store
    pipeline: Pipeline
    deliverer: Deliverer
    poller: ChatPoller
    clock: FakeClock

    def alerts(self) -> dict[str, str]:
        return dict(self.slack.messages.get(DESK, {}))

    def buttons(self, ts: str) -> list[str]:
        blocks = self.slack.blocks.get(DESK, {}).get(ts, [])
        return [e["text"]["text"] for b in blocks if b["type"] == "actions" for e in b["elements"]]

    async def pump(self, done: Callable[[], bool], bound: float = 30.0) -> None:
        """Run the poller until `done` (a bound that only a hang reaches)."""
        deadline = time.monotonic() + bound
        while not done():
            assert time.monotonic() < deadline, "the stand-in never saw it"
            await self.poller.once()

    async def acked(self, *envelope_ids: str) -> None:
        """Pump until the stand-in has the acks, and the answers they started are sent."""
        await self.pump(lambda: all(e in self.slack.socket.acks for e in envelope_ids))
        await self.poller.settle()


def build(tmp_path: Path, slack: FakeSlack, channel: SlackChannel, clock: FakeClock) -> Desk:
    pipeline, deliverer, poller = assemble(tmp_path, channel, clock, timeout=0.2)
    return Desk(slack, channel, pipeline.store, pipeline, deliverer, poller, clock)


def socket_threads() -> set[threading.Thread]:
    """slack-sdk's Socket Mode threads (its IntervalRunners) still running."""
    return {
        t
        for t in threading.enumerate()
        if isinstance(getattr(getattr(t, "_target", None), "__self__", None), IntervalRunner)
    }


@pytest.fixture(autouse=True)
def no_socket_left_running() -> Iterator[None]:
    """A closed channel leaves no thread behind to reconnect to a stand-in long gone."""
    before = socket_threads()
    yield
    assert socket_threads() <= before


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=BOT, app_token=APP, channels=[DESK, OTHER]) as fake:
        yield fake


@pytest.fixture
async def desk(tmp_path: Path, slack: FakeSlack) -> AsyncIterator[Desk]:
    channel = SlackChannel(
        "desk",
        token=BOT,
        channel=DESK,
        api_url=slack.api_url,
        timeout=5,
        app_token=APP,
        command_users=[EDITOR],
        ping_interval=1.0,
    )
    built = build(tmp_path, slack, channel, FakeClock(NOW))
    yield built
    built.store.close()
    await built.channel.aclose()  # the test's restarted one, if it made one


async def alerted(d: Desk, *items: object) -> None:
    d.pipeline.ingest(list(items), d.clock.now, alert=True)  # type: ignore[arg-type]
    await drain(d.deliverer, sleep=d.clock.sleep)


def test_a_response_url_is_shown_without_its_secret_path() -> None:
    url = "https://hooks.slack.com/commands/T0123ABCD/4567890123/AbCdEf0123456789"
    said = f'HTTP Request: POST {url} "HTTP/1.1 404 Not Found"'
    hidden = "https://hooks.slack.com/commands/***"
    assert redact(said) == f'HTTP Request: POST {hidden} "HTTP/1.1 404 Not Found"'
    assert redact(url.replace("commands", "actions")) == hidden.replace("commands", "actions")
    assert redact("https://example.com/commands/help") == "https://example.com/commands/help"


def test_answers_become_mrkdwn() -> None:
    assert html_to_mrkdwn("<b>3</b> of 9 match <code>a &amp; b</code> <i>…</i>") == (
        "*3* of 9 match `a &amp; b` _…_"
    )


async def test_a_command_from_the_desk_channel_is_answered_and_from_elsewhere_is_not(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    s = desk.slack
    asked = s.slash(DESK, STRANGER, "/watcher", "mutes")  # anyone in the desk's channel
    elsewhere = s.slash(OTHER, EDITOR, "/watcher", "mutes")  # the same in another channel
    dm = [s.slash("D0STRANGE1", STRANGER, "/watcher", "status") for _ in range(2)]  # logged once
    editor = s.slash("D0EDITOR01", EDITOR, "/watcher", "status")  # a command user's DM
    muted = s.slash(DESK, EDITOR, "/watcher", "mute rule quake 4h")
    with caplog.at_level(logging.INFO, logger="watcher.talk"):
        await desk.acked(asked, elsewhere, *dm, editor, muted)
    assert s.responses[asked] == {"text": "Nothing is muted here.", "response_type": "ephemeral"}
    for ignored in (elsewhere, *dm):
        assert s.socket.acks[ignored] is None and ignored not in s.responses  # a bare ack
    assert "*watcher: ok*" in s.responses[editor]["text"]
    assert s.responses[muted]["response_type"] == "in_channel"  # the whole desk sees a mute
    assert "Muted rule quake here until 2026-03-02 16:00 UTC." in desk.alerts().values()
    (mute,) = desk.store.live_mutes(NOW)
    assert mute.by == f"slack:{EDITOR}"
    ignored_log = [r for r in caplog.records if "chat ignored" in r.getMessage()]
    assert len(ignored_log) == 2  # the other channel and the stranger, once each
    assert BOT not in caplog.text and APP not in caplog.text
    assert [e["envelope_id"] for e in s.socket.sent].count(asked) == 1


async def test_a_slow_test_is_acknowledged_at_once_and_answered_at_its_response_url(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    s = desk.slack
    asked = s.slash(DESK, EDITOR, "/watcher", "test Chile AND earthquake")
    read, acked_first = Store.items_since, list[bool]()

    def slow(store: Store, since: object) -> object:
        """A day of items too big to read within Slack's 3 s: Slack has had its ack first."""
        acked_first.append(s.socket.wait(lambda: asked in s.socket.acks))
        return read(store, since)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "items_since", slow)
    await desk.pump(lambda: asked in s.responses)
    assert acked_first == [True]
    assert s.socket.acks[asked] is None  # a bare ack: the answer did not wait for it
    ((replied, answer),) = s.replies
    assert replied == asked and answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("*1* of 1 item(s) of the last 24 h match `Chile AND")
    assert [c for c, _ in s.calls].count("response_url") == 1


async def test_a_mute_is_acknowledged_after_its_commit_a_read_as_it_is_taken(
    tmp_path: Path, desk: Desk
) -> None:
    s = desk.slack
    read = s.slash(DESK, EDITOR, "/watcher", "mutes")
    mute = s.slash(DESK, EDITOR, "/watcher", "MUTE rule quake 4h")  # read in any case
    # The service takes both and dies before handling them (no batch after the mute's).
    deadline, taken = time.monotonic() + 30, set[str]()
    while mute not in taken:
        assert time.monotonic() < deadline
        events, _ = await desk.channel.updates(0, 0.2)
        taken |= {e.message_id for e in events if isinstance(e, ChatMessage)}
    await desk.channel.aclose()
    desk.store.close()
    assert s.socket.wait(lambda: read in s.socket.acks)  # acknowledged as it was taken
    assert mute not in s.socket.acks  # not yet: nothing was committed
    channel = SlackChannel("desk", token=BOT, channel=DESK, api_url=s.api_url,
                           timeout=5, app_token=APP, ping_interval=1.0)  # fmt: skip
    restarted = build(tmp_path, s, channel, desk.clock)
    try:
        await restarted.acked(mute)  # Slack sends the mute again, and only the mute
        assert s.responses[mute]["response_type"] == "in_channel"  # in its ack
        assert mute not in {e for e, _ in s.replies}
        (muted,) = restarted.store.live_mutes(NOW)
        assert muted.target == "quake"
        assert [e["envelope_id"] for e in s.socket.sent].count(read) == 1
        assert read not in s.responses  # its answer was lost with the service: asked again
    finally:
        desk.channel, desk.store = channel, restarted.store  # closed by the fixture


@pytest.mark.parametrize(("status", "said"), [(404, "expired_url"), (500, "HTTP 500")])
async def test_a_failed_response_url_post_is_logged_without_its_secret_and_not_retried(
    desk: Desk, caplog: pytest.LogCaptureFixture, status: int, said: str
) -> None:
    s = desk.slack
    s.fail_next("response_url", status=status, error="expired_url")
    asked = s.slash(DESK, EDITOR, "/watcher", "status")
    with caplog.at_level(logging.DEBUG):
        await desk.acked(asked)
        after = s.slash(DESK, EDITOR, "/watcher", "mutes")  # the next command is answered
        await desk.pump(lambda: after in s.responses)
    assert asked not in s.responses and [c for c, _ in s.calls].count("response_url") == 2
    (failed,) = [r.getMessage() for r in caplog.records if "chat answer failed" in r.getMessage()]
    assert f"slack response_url to desk: {said}" in failed
    url = next(e["payload"]["response_url"] for e in s.socket.sent if e["envelope_id"] == asked)
    secret = url.rsplit("/", 1)[1]
    assert secret not in caplog.text and "/commands/***" in caplog.text  # httpx's line too


async def test_alerts_carry_buttons_and_mute_story_stops_the_next_edit(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (ts,) = desk.alerts()
    assert desk.buttons(ts) == ["Mute story"]  # one source: nothing to split
    pressed = desk.slack.press(DESK, EDITOR, ts, "mute")
    await desk.acked(pressed)
    assert desk.slack.socket.acks[pressed] is None  # a press's ack carries nothing
    ((channel, user, text),) = desk.slack.ephemeral
    assert (channel, user) == (DESK, EDITOR)
    assert text.startswith("Muted: no more alerts or edits of this story here")
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    assert "B.example" not in desk.alerts()[ts]
    assert [c for c, _ in desk.slack.calls].count("chat.update") == 0


async def test_not_the_same_story_splits_edits_back_and_realerts(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    (ts,) = desk.alerts()
    assert "B.example" in desk.alerts()[ts]
    assert desk.buttons(ts) == ["Mute story", "Not the same story"]  # Telegram's labels
    await desk.acked(desk.slack.press(DESK, EDITOR, ts, "split"))
    assert desk.slack.ephemeral[0][2].startswith("Split:")
    await drain(desk.deliverer, sleep=desk.clock.sleep)
    assert "B.example" not in desk.alerts()[ts]  # edited back
    assert desk.buttons(ts) == ["Mute story"]
    (realert,) = [k for k, v in desk.alerts().items() if k != ts and "B.example" in v]
    assert desk.buttons(realert) == ["Mute story"]
    (pair,) = desk.store.labelled_pairs()
    assert (pair.same, pair.origin, {pair.item_a, pair.item_b}) == (False, "split", {"a1", "b1"})


async def test_a_press_on_an_old_or_foreign_alert_is_refused_politely(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (ts,) = desk.alerts()
    story = desk.store.story_shown_as("desk", ts)
    old = desk.slack.press(DESK, EDITOR, "1.000001", "mute", f"mute:{story}")
    foreign = desk.slack.press(DESK, EDITOR, ts, "mute", "mute:999")
    await desk.acked(old, foreign)
    refusal = "This alert is no longer current here (or not this chat's): nothing changed."
    assert [text for _, _, text in desk.slack.ephemeral] == [refusal] * 2
    assert desk.store.live_mutes(NOW) == []


async def test_why_is_a_message_shortcut_on_the_alert(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    (ts,) = desk.alerts()
    why = desk.slack.shortcut(DESK, EDITOR, ts, "why")
    bare = desk.slack.slash(DESK, EDITOR, "/watcher", "why")  # no alert to ask about
    await desk.acked(why, bare)
    ((_, user, text),) = desk.slack.ephemeral  # only the one who asked sees it
    assert user == EDITOR and "matched rule quake: Chile, " in text and "joined: new" in text
    assert "Why this alert?" in desk.slack.responses[bare]["text"]


async def test_help_and_usage_name_the_slack_command(desk: Desk) -> None:
    s = desk.slack
    asked = [s.slash(DESK, EDITOR, "/watcher", ""), s.slash(DESK, EDITOR, "/watcher", "mute x"),
             s.slash(DESK, EDITOR, "/watcher", "test")]  # fmt: skip
    await desk.acked(*asked)
    helped, mute, test = (s.responses[a]["text"] for a in asked)
    assert "/watcher status — " in helped and "/watcher mutes — " in helped
    assert "\n/status" not in helped and "/why — " in helped
    assert mute.startswith("usage: /watcher mute rule NAME 4h or /watcher mute story ID 1d")
    assert test == "usage: /watcher test QUERY, e.g. /watcher test Iran AND Pakistan"


async def test_channels_of_one_app_share_its_socket(tmp_path: Path, slack: FakeSlack) -> None:
    from watcher.channels.slack_socket import SocketInbox

    socket = SocketInbox("desk", app_token=APP, api_url=slack.api_url, secrets=(BOT,))
    a, b = (SlackChannel(name, token=BOT, channel=chat, api_url=slack.api_url, timeout=5,
                         app_token=APP, socket=socket)
            for name, chat in (("desk", DESK), ("other", OTHER)))  # fmt: skip
    _, _, one = assemble(tmp_path, a, FakeClock(NOW))
    (poller,) = pollers([a, b], one.desk, one.store, one.clock, timeout=0.2)
    try:
        asked = [slack.slash(DESK, EDITOR, "/watcher", "mutes"),
                 slack.slash(OTHER, EDITOR, "/watcher", "mute rule quake 1h")]  # fmt: skip
        deadline = time.monotonic() + 30
        while not all(e in slack.socket.acks for e in asked):
            assert time.monotonic() < deadline
            await poller.once()
        await poller.settle()
        assert slack.responses[asked[0]]["text"] == "Nothing is muted here."
        assert slack.responses[asked[1]]["text"].startswith("Muted rule quake here")
        (mute,) = one.store.live_mutes(NOW)
        assert mute.channel == "other" and slack.socket.opened == 1
    finally:
        one.store.close()
        await a.aclose()
        assert socket_threads()  # still b's
        await b.aclose()


async def test_a_reconnect_loses_nothing_and_repeats_nothing(desk: Desk) -> None:
    s = desk.slack
    first = s.slash(DESK, EDITOR, "/watcher", "mutes")
    await desk.acked(first)
    assert s.socket.opened == 1
    s.socket.disconnect()  # Slack's refresh: the client opens a new connection by itself
    during = s.slash(DESK, EDITOR, "/watcher", "stories")  # waits for the new connection
    await desk.acked(during)
    assert s.socket.opened == 2 and "No story has been alerted" in s.responses[during]["text"]
    s.socket.drop()  # the socket closes under the client
    after = s.slash(DESK, EDITOR, "/watcher", "mutes")
    await desk.acked(after)
    assert s.socket.opened == 3 and s.responses[after]["text"] == "Nothing is muted here."
    assert [c for c, _ in s.calls].count("apps.connections.open") == 3


async def test_an_ack_lost_in_a_reconnect_does_not_split_twice(desk: Desk) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    await alerted(desk, item("c1", "Earthquake hits Chile", QUAKE, 30, feed="C"))
    (ts,) = desk.alerts()
    s = desk.slack
    s.socket.drop_on_next_ack()  # the press is handled, its ack never arrives
    pressed = s.press(DESK, EDITOR, ts, "split")
    await desk.pump(lambda: [e["envelope_id"] for e in s.socket.sent].count(pressed) == 2)
    await desk.acked(pressed)
    repeat = [e for e in s.socket.sent if e["envelope_id"] == pressed][1]
    assert repeat["retry_attempt"] == 1
    assert len(desk.store.labelled_pairs()) == 1  # handled once
    story = desk.store.story(desk.store.story_shown_as("desk", ts) or 0)
    assert story is not None and [i.item_key for i in story.items] == ["a1", "b1"]
    assert len(s.ephemeral) == 1


async def test_a_restart_between_a_press_and_its_effect_loses_nothing(
    tmp_path: Path, desk: Desk
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    (ts,) = desk.alerts()
    pressed = desk.slack.press(DESK, EDITOR, ts, "split")
    # The service took the press and died before handling it: nothing was acknowledged.
    deadline, taken = time.monotonic() + 30, []
    while not taken:
        assert time.monotonic() < deadline
        taken, _ = await desk.channel.updates(0, 0.2)
    await desk.channel.aclose()
    desk.store.close()
    assert pressed not in desk.slack.socket.acks
    channel = SlackChannel("desk", token=BOT, channel=DESK, api_url=desk.slack.api_url,
                           timeout=5, app_token=APP, ping_interval=1.0)  # fmt: skip
    restarted = build(tmp_path, desk.slack, channel, desk.clock)
    for stored, sid in restarted.store.items_since(NOW - timedelta(days=2)):
        restarted.pipeline.index.add(stored, sid)
    try:
        await restarted.acked(pressed)  # Slack sends it again to the new connection
        (pair,) = restarted.store.labelled_pairs()
        assert not pair.same and len(desk.slack.ephemeral) == 1
    finally:
        desk.channel, desk.store = channel, restarted.store  # closed by the fixture


async def test_a_wrong_app_token_fails_the_poll_not_the_service(
    tmp_path: Path, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    from watcher.errors import PermanentChannelError

    wrong = "xapp-1-A0FAKEAPP01-1-not-the-app-token"
    channel = SlackChannel("desk", token=BOT, channel=DESK, api_url=slack.api_url, timeout=5,
                           app_token=wrong)  # fmt: skip
    try:
        with pytest.raises(PermanentChannelError, match="invalid_auth") as failed:
            await channel.updates(0, 0)
        assert wrong not in str(failed.value) and wrong not in caplog.text
    finally:
        await channel.aclose()


def test_config_needs_what_socket_mode_needs(tmp_path: Path) -> None:
    from watcher.config import check

    def problems(extra: str) -> list[str]:
        path = tmp_path / "config.toml"
        path.write_text(f'[channel.desk]\ntype = "slack"\ntoken_env = "T"\n{extra}')
        return [d.message for d in check(path, secrets=False).problems]

    assert any("app-level token" in p for p in problems(f'channel = "{DESK}"\ncommands = true\n'))
    assert any("channel's ID" in p for p in problems('channel = "#desk"\ncommands = true\n'
                                                     'app_token_env = "A"\n'))  # fmt: skip
    assert problems(f'channel = "{DESK}"\ncommands = true\napp_token_env = "A"\n'
                    f'command_users = ["{EDITOR}"]\n') == []  # fmt: skip


def test_check_names_the_unset_app_token_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from watcher.config import check

    monkeypatch.setenv("BOT_T", BOT)
    monkeypatch.delenv("APP_T", raising=False)
    path = tmp_path / "config.toml"
    path.write_text(f'[channel.desk]\ntype = "slack"\nchannel = "{DESK}"\ntoken_env = "BOT_T"\n'
                    'commands = true\napp_token_env = "APP_T"\n')  # fmt: skip
    (problem,) = check(path).problems
    assert "the environment variable APP_T (app_token_env) is not set" in problem.message
    assert problem.line == 6
    monkeypatch.setenv("APP_T", APP)
    assert check(path).problems == ()


async def test_open_app_gives_the_channels_of_one_app_one_socket(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from watcher.app import build_slack
    from watcher.config_channels import SlackChannelSettings

    monkeypatch.setenv("BOT_T", BOT)
    monkeypatch.setenv("APP_T", APP)
    sockets: dict[str, object] = {}
    made = [
        build_slack(name, SlackChannelSettings(type="slack", channel=chat, token_env="BOT_T",
                                               commands=True, app_token_env="APP_T"),
                    sockets)  # type: ignore[arg-type]
        for name, chat in (("desk", DESK), ("other", OTHER))
    ]  # fmt: skip
    try:
        assert len(sockets) == 1 and made[0].bot_key == made[1].bot_key
        assert made[0]._socket is made[1]._socket is next(iter(sockets.values()))
    finally:
        for channel in made:
            await channel.aclose()


def test_watcher_run_reads_the_desk_channel_and_stops_promptly(tmp_path: Path) -> None:
    from tests.fakes.feed_server import FeedServer, rss
    from tests.test_ops_service import Watcher
    from tests.test_service import wait_for

    watcher = Watcher(tmp_path)
    try:
        with FeedServer() as feeds, FakeSlack(token=BOT, app_token=APP) as slack:
            feeds.set("/a.xml", rss([]))
            watcher.env["DESK_TOKEN"] = BOT
            watcher.env["DESK_APP_TOKEN"] = APP
            watcher.rules(desk=RULES)
            watcher.write(
                [(feeds.url("/a.xml"), "A")],
                channels=f'[channel.desk]\ntype = "slack"\nchannel = "{DESK}"\n'
                f'token_env = "DESK_TOKEN"\napi_url = "{slack.api_url}"\ncommands = true\n'
                f'app_token_env = "DESK_APP_TOKEN"\n',
            )
            watcher.start()
            watcher.wait_log("chat commands on bot=")
            asked = slack.slash(DESK, STRANGER, "/watcher", "status")
            foreign = slack.slash(OTHER, EDITOR, "/watcher", "status")
            wait_for(lambda: {asked, foreign} <= set(slack.socket.acks), 30)
            wait_for(lambda: asked in slack.responses, 30)  # at its response_url, after the ack
            assert "rules in force: 1" in slack.responses[asked]["text"]
            assert foreign not in slack.responses
            started = time.monotonic()
            assert watcher.stop() == 0
            assert time.monotonic() - started < 20
        assert BOT not in watcher.err() and APP not in watcher.err()
    finally:
        watcher.kill()


@pytest.mark.parametrize("what", ["split", "mute"])
async def test_a_repeat_after_a_restart_is_acknowledged_and_not_handled_twice(
    tmp_path: Path, desk: Desk, what: str
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    await alerted(desk, item("b1", "Earthquake hits Chile", QUAKE, 20, feed="B"))
    await alerted(desk, item("c1", "Earthquake hits Chile", QUAKE, 30, feed="C"))
    (ts,) = desk.alerts()
    s = desk.slack
    s.socket.drop_on_next_ack()  # handled and committed; the ack is lost as the process stops
    if what == "split":
        sent = s.press(DESK, EDITOR, ts, "split")
        await desk.pump(lambda: len(s.ephemeral) == 1)
    else:
        sent = s.slash(DESK, EDITOR, "/watcher", "mute rule quake 4h")
        await desk.pump(lambda: len(desk.store.live_mutes(NOW)) == 1)
    await desk.channel.aclose()
    desk.store.close()
    assert sent not in s.socket.acks
    channel = SlackChannel("desk", token=BOT, channel=DESK, api_url=s.api_url,
                           timeout=5, app_token=APP, ping_interval=1.0)  # fmt: skip
    restarted = build(tmp_path, s, channel, desk.clock)
    for stored, sid in restarted.store.items_since(NOW - timedelta(days=2)):
        restarted.pipeline.index.add(stored, sid)
    try:
        await restarted.acked(sent)  # Slack sends it again to the new process: a bare ack
        repeat = [e for e in s.socket.sent if e["envelope_id"] == sent][-1]
        assert repeat["retry_attempt"] >= 1 and s.socket.acks[sent] is None
        if what == "split":
            assert len(restarted.store.labelled_pairs()) == 1  # split once
            story = restarted.store.story(restarted.store.story_shown_as("desk", ts) or 0)
            assert story is not None and [i.item_key for i in story.items] == ["a1", "b1"]
            assert len(s.ephemeral) == 1
        else:
            assert len(restarted.store.live_mutes(NOW)) == 1
            assert sent not in s.responses  # not answered again (the answer went with the ack)
    finally:
        desk.channel, desk.store = channel, restarted.store  # closed by the fixture


async def test_a_mute_does_not_wait_for_a_slow_test_taken_before_it(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    await alerted(desk, item("a1", "Earthquake hits Chile", QUAKE))
    s = desk.slack
    asked = s.slash(DESK, EDITOR, "/watcher", "test Chile AND earthquake")
    mute = s.slash(DESK, EDITOR, "/watcher", "mute rule quake 4h")
    read, waited = Store.items_since, list[bool]()

    def slow(store: Store, since: object) -> object:
        """A day of items read only once the mute taken after the /test is answered: a mute
        that waited for the /test would never be."""
        waited.append(s.socket.wait(lambda: mute in s.socket.acks, 30))
        return read(store, since)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "items_since", slow)
    await desk.pump(lambda: asked in s.responses)
    assert waited == [True]
    assert s.responses[mute]["text"].startswith("Muted rule quake here")
    assert s.responses[asked]["text"].startswith("*1* of 1 item(s) of the last 24 h match")
