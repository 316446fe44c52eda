"""Developments of an alerted story reach the desk as follow-ups, end to end (issue 11).

Feeds on a loopback server -> Pipeline.poll -> the outbox -> Deliverer -> Telegram, Slack and
console channels against their loopback stand-ins, all on one fake clock and a real SQLite file.
A corroborating source edits the alert silently; a report that brings the story a new rule, or
new names and figures to the headline two hours or more after the alert, also goes out as a
reply to the alert (Telegram reply_parameters, a Slack thread_ts, a console line), through the
outbox: paced, retried after flood control, kept across a restart.
"""

from __future__ import annotations

import io
import random
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.slack_api import FakeSlack
from tests.fakes.telegram_api import FakeTelegram, parse_html
from tests.test_downtime import poll_once
from tests.test_story_merge import CENTRE, LEFT, RIGHT
from watcher.channels.base import Channel
from watcher.channels.console import ConsoleChannel
from watcher.channels.slack import SlackChannel
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import Deliverer, DeliveryReport
from watcher.delivery.desk_policy import DeskPolicy, parse_quiet_hours
from watcher.fetch import Fetcher
from watcher.model import Feed, Item
from watcher.pipeline import Pipeline
from watcher.rulebook import Rule, RuleSet, load_entities
from watcher.store import Store
from watcher.store.maintenance import prune
from watcher.stories import StoryIndex

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TG_TOKEN = "555:FOLLOWUP-test-token"
SLACK_TOKEN = "xoxb-followup-test-token"
CHAT = "-1001234567890"
DESK = "C0DESK"
CHANNELS = ("tg", "slack", "log")
RULES = RuleSet(
    [
        Rule("volcano", "volcano OR lava", CHANNELS),
        Rule("climate", '"climate change" OR emissions', CHANNELS),
    ],
    load_entities([]),
)
BODY = (
    "A volcano on La Palma in the Canary Islands erupted on Sunday afternoon, sending lava "
    "down the Cumbre Vieja ridge towards homes in El Paso and Los Llanos de Aridane. Island "
    "authorities had begun moving residents out of villages near the vents before the eruption."
)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class World:
    feeds: FeedServer
    tg: FakeTelegram
    slack: FakeSlack
    console: io.StringIO
    clock: Clock
    pipeline: Pipeline
    channels: dict[str, Channel]
    policies: dict[str, DeskPolicy]

    def deliverer(self) -> Deliverer:
        """A Deliverer as a (re)started service builds it, on the same database."""
        return Deliverer(
            store=self.pipeline.store,
            channels=self.channels,
            clock=self.clock,
            rng=random.Random(3),
            sleep=self.clock.sleep,
            policies=self.policies,
        )

    async def poll(self, at: timedelta, **reports: list[dict[str, object]]) -> DeliveryReport:
        """Publish `reports` per feed, poll every feed at T0 + `at`, and deliver."""
        self.clock.now = T0 + at
        for name, entries in reports.items():
            self.feeds.set(f"/{name}.xml", rss(entries))
        for name in ("a", "b", "c"):
            await self.pipeline.poll(Feed(self.feeds.url(f"/{name}.xml"), name, timedelta(1)))
        return await self.deliverer().deliver_due()

    def tg_methods(self) -> list[str]:
        return [m for m, _ in self.tg.calls if m != "getMe"]


def report(key: str, title: str, at: timedelta, text: str = BODY) -> dict[str, object]:
    return {
        "title": title,
        "link": f"https://{key}.example/news/la-palma",
        "guid": key,
        "description": text,
        "pubDate": T0 + at,
    }


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    with (
        FeedServer() as feeds,
        FakeTelegram(token=TG_TOKEN) as tg,
        FakeSlack(token=SLACK_TOKEN) as slack,
    ):
        clock = Clock()
        store = Store(tmp_path / "w.db")
        fetcher = Fetcher(user_agent="watcher-test", timeout=5.0, max_bytes=256 * 1024)
        pipeline = Pipeline(
            store=store,
            fetcher=fetcher,
            index=StoryIndex(),
            rules=RULES,
            clock=clock,
            rng=random.Random(7),
        )
        console = io.StringIO()
        channels: dict[str, Channel] = {
            "tg": TelegramChannel("tg", token=TG_TOKEN, chat_id=CHAT, api_url=tg.api_url),
            "slack": SlackChannel("slack", token=SLACK_TOKEN, channel=DESK, api_url=slack.api_url),
            "log": ConsoleChannel("log", stream=console),
        }
        built = World(feeds, tg, slack, console, clock, pipeline, channels, {})
        await built.poll(timedelta(0), a=[], b=[], c=[])  # each feed's backlog: nothing
        yield built
        for channel in channels.values():
            await channel.aclose()
        await fetcher.aclose()
        store.close()


FIRST = report("a1", "Volcano erupts on La Palma in the Canary Islands", timedelta(minutes=1))
SECOND = report(
    "b1", "La Palma volcano erupts in the Canary Islands", timedelta(minutes=30)
)  # a corroborating source in other words, within the hour
LATER = report(
    "c1",
    "La Palma volcano: 5,000 evacuated as lava reaches Todoque",
    timedelta(hours=4),
    BODY + " Some 5,000 people were evacuated and lava reached Todoque.",
)


def only(box: dict[object, str]) -> str:
    (text,) = box.values()
    return text


async def test_a_corroborating_source_is_a_silent_edit(world: World) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    assert world.tg_methods() == ["sendMessage"]
    await world.poll(timedelta(minutes=31), b=[SECOND])
    assert world.tg_methods() == ["sendMessage", "editMessageText"]
    assert world.tg.replies == {} and world.slack.threads == {}
    assert "follow-up" not in world.console.getvalue()
    assert str(SECOND["link"]) in only(world.tg.messages[CHAT])


async def test_new_names_and_figures_hours_later_are_a_reply(world: World) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    await world.poll(timedelta(minutes=31), b=[SECOND])
    report_ = await world.poll(timedelta(hours=4, minutes=1), c=[LATER])
    assert report_.replied == 3 and report_.edited == 3
    # Paced like any message: the reply waited its turn after the edit in the same chat.
    assert world.clock.now - (T0 + timedelta(hours=4, minutes=1)) >= timedelta(seconds=1.05)

    # Telegram: the alert is edited to list the new source, and a reply answers it.
    alert_id, reply_id = sorted(world.tg.messages[CHAT])
    assert world.tg_methods() == [
        "sendMessage",
        "editMessageText",
        "editMessageText",
        "sendMessage",
    ]
    assert world.tg.replies[CHAT] == {reply_id: alert_id}
    assert str(LATER["link"]) in world.tg.messages[CHAT][alert_id]
    reply, links = parse_html(world.tg.messages[CHAT][reply_id])
    assert "Development: La Palma volcano: 5,000 evacuated" in reply
    assert links == [str(LATER["link"])]

    # Slack: the same in the alert's thread.
    alert_ts, reply_ts = sorted(world.slack.messages[DESK])
    assert world.slack.threads[DESK] == {reply_ts: alert_ts}
    assert "Development:" in world.slack.messages[DESK][reply_ts]
    assert str(LATER["link"]) in world.slack.messages[DESK][alert_ts]

    # The console: the alert updated, then a line naming it.
    out = world.console.getvalue()
    assert out.index("alert #1 updated") < out.index("alert #2: follow-up to alert #1")

    # Another outlet repeating the development later is a silent edit again.
    again = report("b2", "5,000 evacuated on La Palma as lava reaches Todoque", timedelta(hours=5))
    quiet = await world.poll(timedelta(hours=5, minutes=1), b=[SECOND, again])
    assert quiet.replied == 0 and quiet.edited == 3


async def test_a_new_rule_is_a_reply_at_once(world: World) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    climate = report(
        "b3",
        "La Palma volcano erupts in the Canary Islands",
        timedelta(minutes=20),
        BODY + " Scientists said emissions of sulphur dioxide were high.",
    )
    got = await world.poll(timedelta(minutes=21), b=[climate])
    assert got.replied == 3
    (reply_id,) = world.tg.replies[CHAT]
    assert "climate" in world.tg.messages[CHAT][reply_id]
    # The alert now lists both rules.
    alert_id = world.tg.replies[CHAT][reply_id]
    assert "climate" in world.tg.messages[CHAT][alert_id]


async def test_a_reply_refused_by_flood_control_waits_and_survives_a_restart(
    world: World,
) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    world.tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 40", {"retry_after": 40})
    first = await world.poll(timedelta(hours=4, minutes=1), c=[LATER])
    assert first.edited == 3 and first.replied == 2 and first.retrying == 1
    assert world.tg.replies.get(CHAT, {}) == {}

    # A restart: a new Deliverer on the same database; the wait is kept, then the reply goes.
    world.clock.advance(timedelta(seconds=20))
    assert (await world.deliverer().deliver_due()).replied == 0
    world.clock.advance(timedelta(seconds=21))
    after = await world.deliverer().deliver_due()
    assert (after.replied, after.edited, after.sent) == (1, 0, 0)  # the edit is not redone
    assert len(world.tg.replies[CHAT]) == 1
    assert world.pipeline.store.outbox_depth() == 0


async def test_quiet_hours_hold_a_development_and_never_digest_it(world: World) -> None:
    world.policies["tg"] = DeskPolicy(quiet=parse_quiet_hours("13:00-14:00", "UTC"))
    await world.poll(timedelta(minutes=2), a=[FIRST])
    # 13:01, quiet: the development (with its edit) waits; so does a new story's alert.
    other = report("b9", "Lava flows threaten banana farms on Tenerife", timedelta(hours=4),
                   "Farmers on Tenerife fear a lava flow from a new vent.")  # fmt: skip
    held = await world.poll(timedelta(hours=4, minutes=1), b=[other], c=[LATER])
    assert world.tg_methods() == ["sendMessage"] and held.held >= 2
    # 14:00: the development goes out as an edit and a reply; the other alert on its own.
    world.clock.now = T0 + timedelta(hours=5)
    after = await world.deliverer().deliver_due()
    assert (after.edited, after.replied) == (1, 1)
    assert world.tg_methods() == ["sendMessage", "editMessageText", "sendMessage", "sendMessage"]
    (reply_id,) = world.tg.replies[CHAT]
    assert world.tg.replies[CHAT][reply_id] == 1  # the reply answers the first alert


async def test_a_webhook_cannot_reply_its_update_post_tells_the_development(
    world: World,
) -> None:
    await world.channels["slack"].aclose()
    world.channels["slack"] = SlackChannel("slack", webhook_url=world.slack.webhook_url)
    await world.poll(timedelta(minutes=2), a=[FIRST])
    got = await world.poll(timedelta(hours=4, minutes=1), c=[LATER])
    assert got.replied == 2  # Telegram and the console
    posts = list(world.slack.messages[world.slack.webhook_channel].values())
    assert len(posts) == 2 and posts[1].startswith("Update:")
    assert str(LATER["link"]) in posts[1]
    assert world.pipeline.store.outbox_depth() == 0


async def test_a_report_edited_hours_later_with_new_figures_is_a_reply(world: World) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    edited = {**FIRST, "title": "Volcano erupts on La Palma in the Canary Islands, 5,000 flee"}
    got = await world.poll(timedelta(hours=3), a=[edited])
    assert (got.edited, got.replied) == (3, 3)
    (reply_id,) = world.tg.replies[CHAT]
    assert "5,000 flee" in world.tg.messages[CHAT][reply_id]


async def test_pruning_a_story_drops_its_follow_ups(world: World) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    await world.poll(timedelta(hours=4, minutes=1), c=[LATER])
    db = world.pipeline.store.db
    assert db.execute("SELECT count(*) FROM followups").fetchone()[0] == 3
    pruned = prune(db, T0 + timedelta(days=60), timedelta(days=30), timedelta(days=120))
    assert pruned.stories == 1
    assert db.execute("SELECT count(*) FROM followups").fetchone()[0] == 0
    assert list(db.execute("PRAGMA foreign_key_check").fetchall()) == []


def test_follow_ups_through_poll_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same through the command line: `watcher poll-once` as a subprocess per poll."""
    now = datetime.now(UTC).replace(microsecond=0)
    monkeypatch.setenv("FOLLOWUP_TG_TOKEN", TG_TOKEN)
    with FeedServer() as feeds, FakeTelegram(token=TG_TOKEN) as tg:
        (tmp_path / "rules").mkdir()
        (tmp_path / "rules" / "desk.toml").write_text(
            '[[rule]]\nname = "volcano"\nquery = "volcano OR lava"\nchannels = ["tg", "log"]\n'
            '[[rule]]\nname = "climate"\nquery = "emissions"\nchannels = ["tg", "log"]\n',
            encoding="utf-8",
        )
        config = tmp_path / "config.toml"
        config.write_text(
            f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
            f'[[feed]]\nurl = "{feeds.url("/a.xml")}"\nname = "A"\n'
            f'[channel.tg]\ntype = "telegram"\nchat_id = "{CHAT}"\n'
            f'token_env = "FOLLOWUP_TG_TOKEN"\napi_url = "{tg.api_url}"\n'
            '[channel.log]\ntype = "console"\n',
            encoding="utf-8",
        )
        at = {"a1": now - timedelta(hours=1), "a2": now - timedelta(minutes=50)}
        first = {**FIRST, "pubDate": at["a1"]}
        feeds.set("/a.xml", rss([]))
        poll_once(config)
        feeds.set("/a.xml", rss([first]))
        assert "alert #1 ===" in poll_once(config)

        # A report that brings the story the "climate" rule: a reply at once.
        emissions = report(
            "a2",
            "La Palma volcano erupts in the Canary Islands",
            at["a2"] - T0,
            BODY + " Scientists said emissions of sulphur dioxide were high.",
        )
        feeds.set("/a.xml", rss([emissions, first]))
        out = poll_once(config)
        assert "alert #1 updated" in out and "alert #2: follow-up to alert #1" in out
        assert list(tg.replies[CHAT].items()) == [(2, 1)]

        # Three hours on (the alert's time moved back in the database): new names and figures.
        with sqlite3.connect(tmp_path / "w.db") as db:
            db.execute(
                "UPDATE deliveries SET created_at = ?", [(now - timedelta(hours=3)).isoformat()]
            )
        later = {**LATER, "pubDate": now}
        feeds.set("/a.xml", rss([later, emissions, first]))
        out = poll_once(config)
    assert "alert #3: follow-up to alert #1" in out
    assert tg.replies[CHAT] == {2: 1, 3: 1}
    assert "5,000 evacuated" in tg.messages[CHAT][3]


async def test_what_the_desk_was_told_is_the_headline_and_snippet(world: World) -> None:
    await world.poll(timedelta(minutes=2), a=[FIRST])
    (story_id,) = [r[0] for r in world.pipeline.store.db.execute("SELECT id FROM stories")]
    (shown,) = [s for s in world.pipeline.store.shown_alerts(story_id) if s.channel == "tg"]
    assert shown.known == (FIRST["title"], BODY[:280])
    # A name the snippet showed is not news hours later ("Cumbre Vieja" is in it).
    ridge = report("b4", "Lava flows down Cumbre Vieja on La Palma", timedelta(hours=3))
    assert (await world.poll(timedelta(hours=3, minutes=1), b=[ridge])).replied == 0


async def test_what_the_desk_was_told_stays_the_first_reports_snippet(world: World) -> None:
    # Another outlet's report, published before the alerted one, joins: the alert still shows
    # the first report's snippet (render.lead), so that is what counts as told, not the text
    # of whichever report was published first.
    await world.poll(timedelta(minutes=2), a=[FIRST])
    earlier_text = BODY.replace("Sunday afternoon", "Sunday afternoon near Todoque")
    earlier = report("b5", "La Palma volcano erupts in the Canary Islands", -timedelta(hours=1))
    await world.poll(timedelta(minutes=40), b=[{**earlier, "description": earlier_text}])
    (story_id,) = [r[0] for r in world.pipeline.store.db.execute("SELECT id FROM stories")]
    (shown,) = [s for s in world.pipeline.store.shown_alerts(story_id) if s.channel == "tg"]
    assert shown.known == (FIRST["title"], BODY[:280])


async def test_a_name_only_in_the_feeds_footer_was_never_shown(world: World) -> None:
    # Outlet A ends every item with a "Read more" line naming another story's people. The
    # alert's snippet leaves that footer out, so those names were never shown to the desk:
    # a report hours later whose headline brings one of them is a development.
    footer = "\nRead more: Governor Clavijo visits the shelters\nPost a comment"
    older = [
        {**report(f"a-old{n}", f"Island news {n}", -timedelta(hours=n + 1),
                  f"Item {n} about the ferry timetable and the harbour works."),
         "link": f"https://a.example/news/old-{n}"}
        for n in range(5)
    ]  # fmt: skip
    for entry in older:
        entry["description"] = str(entry["description"]) + footer
    short = "A volcano on La Palma erupted on Sunday, sending lava towards homes in El Paso."
    first = {**FIRST, "description": short + footer}
    assert (await world.poll(timedelta(minutes=2), a=[first, *older])).sent == 3
    (story_id,) = [
        r[0] for r in world.pipeline.store.db.execute(
            "SELECT story_id FROM items WHERE link = 'https://a1.example/news/la-palma'"
        )
    ]  # fmt: skip
    (shown,) = [
        s
        for s in world.pipeline.store.shown_alerts(
            story_id, world.pipeline.boilerplate.text_without
        )
        if s.channel == "tg"
    ]
    assert shown.known[1] == short  # what the alert showed: no footer
    later = report("c5", "La Palma volcano: evacuations ordered by Clavijo", timedelta(hours=4))
    assert (await world.poll(timedelta(hours=4, minutes=1), c=[later])).replied == 3


# -- a development of a story whose alert moved to it in a merge (issue 11) -------------------

BALLOTS = RuleSet([Rule("ballots", "ballots", CHANNELS)], load_entities([]))


def merge_report(it: Item, at: timedelta) -> dict[str, object]:
    return {**report(it.key, it.title, at, it.summary), "link": it.link}


async def test_a_development_of_a_merged_story_replies_to_the_alert_that_moved(
    world: World,
) -> None:
    """The right outlet's report alerts (the left's, without ballots, did not); the centre's
    report merges the right's story into the older left one, and the right's alert moves with
    it, edited. Hours later a development of the merged story is a reply to that message on
    Telegram, in its thread on Slack and a line naming it on the console."""
    world.pipeline.rules = BALLOTS
    left = merge_report(LEFT, timedelta(0))
    right = merge_report(RIGHT, timedelta(hours=3))
    centre = merge_report(CENTRE, timedelta(hours=5))
    await world.poll(timedelta(minutes=1), a=[left])
    got = await world.poll(timedelta(hours=3, minutes=1), b=[right])
    assert got.sent == 3
    (alert_id,) = world.tg.messages[CHAT]
    (alert_ts,) = world.slack.messages[DESK]
    got = await world.poll(timedelta(hours=5, minutes=1), c=[centre])
    assert (got.sent, got.edited, got.replied) == (0, 3, 0)  # merged: the one alert edited
    (story,) = world.pipeline.store.recent_stories()
    assert [i.link for i in story.items] == [LEFT.link, RIGHT.link, CENTRE.link]
    assert str(centre["link"]) in world.tg.messages[CHAT][alert_id]

    development = report(
        "a2",
        "DeJoy tells Senate 4 million mail-in ballots will arrive on time despite delays",
        timedelta(hours=9),
        "Louis DeJoy told the Senate homeland security committee that the Postal Service will "
        "deliver 4 million mail-in ballots on time, while conceding delays from changes he "
        "ordered.",
    )
    got = await world.poll(timedelta(hours=9, minutes=1), a=[left, development])
    assert (got.sent, got.edited, got.replied) == (0, 3, 3)
    ((reply_id, answered),) = world.tg.replies[CHAT].items()
    assert answered == alert_id
    assert "Development: DeJoy tells Senate 4 million" in world.tg.messages[CHAT][reply_id]
    ((reply_ts, thread),) = world.slack.threads[DESK].items()
    assert thread == alert_ts and "Development:" in world.slack.messages[DESK][reply_ts]
    assert "alert #2: follow-up to alert #1" in world.console.getvalue()
    assert world.pipeline.store.outbox_depth() == 0


async def test_names_the_moved_alert_showed_are_not_news_after_the_merge(world: World) -> None:
    """The moved alert first showed the right outlet's headline and snippet (USPS, Senate):
    a later report naming them again only edits the merged story's message."""
    world.pipeline.rules = BALLOTS
    left = merge_report(LEFT, timedelta(0))
    await world.poll(timedelta(minutes=1), a=[left])
    await world.poll(timedelta(hours=3, minutes=1), b=[merge_report(RIGHT, timedelta(hours=3))])
    await world.poll(timedelta(hours=5, minutes=1), c=[merge_report(CENTRE, timedelta(hours=5))])
    again = report(
        "a2",
        "USPS head promises Senate mail-in ballots will arrive on time",
        timedelta(hours=9),
        "Louis DeJoy assured the Senate homeland security committee that the Postal Service is "
        "fully capable of handling this November's election mail, despite the delays.",
    )
    got = await world.poll(timedelta(hours=9, minutes=1), a=[left, again])
    (story,) = world.pipeline.store.recent_stories()
    assert str(again["link"]) in [i.link for i in story.items]
    assert (got.edited, got.replied) == (3, 0)
