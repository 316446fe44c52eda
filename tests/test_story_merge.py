"""Story merging (issue 11): two stories of one event, told in other words by two outlets, fold
into one when a third outlet's report fits both; the desk's "not the same story" undoes it.

The reports are invented: a left outlet leads on the delays, a right outlet on the ballots, and
the centre outlet tells both. The first two are too far apart in words to join (p 0.38), the
third fits each (p 0.98 and 1.0)."""

from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests import test_talk as talk_tests
from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.telegram_api import FakeTelegram
from tests.test_delivery import FakeClock
from tests.test_end_to_end import TG_TOKEN, methods, poll_once, stories_json
from tests.test_pipeline import NOW, item
from watcher.boilerplate import Boilerplate
from watcher.channels.console import ConsoleChannel
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import Deliverer, drain
from watcher.errors import StorageError
from watcher.ingest import Batch, Ingest
from watcher.model import Feed, Item, Tier
from watcher.mutes import Mute
from watcher.pipeline import Pipeline
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.store.maintenance import prune
from watcher.store.stories import MERGED_REF
from watcher.stories import StoryIndex

LEFT = item(
    "left-1",
    "Postal chief concedes his cost cuts slowed the mail",
    "Louis DeJoy acknowledged on Friday that changes he ordered, from removing sorting machines "
    "to ending overtime, caused delays across the country.",
    minutes=0,
    feed="left",
)
RIGHT = item(
    "right-1",
    "Mail-in ballots will arrive on time, USPS head promises Senate",
    "Louis DeJoy assured the Senate homeland security committee that the Postal Service is "
    "fully capable of handling this November's election mail.",
    minutes=180,
    feed="right",
)
CENTRE = item(
    "centre-1",
    "DeJoy concedes mail delays, promises Senate ballots will arrive on time",
    "Postmaster General Louis DeJoy told the Senate homeland security committee on Friday that "
    "changes he ordered caused delays, but that the Postal Service will handle November's "
    "mail-in ballots on time.",
    minutes=300,
    feed="centre",
)
LATER = item(
    "wire-1",
    "Postmaster DeJoy tells Senate mail-in ballots will arrive on time despite delays",
    "Louis DeJoy told the Senate homeland security committee that the Postal Service will "
    "deliver November's mail-in ballots on time, while conceding delays from changes he ordered.",
    minutes=360,
    feed="wire",
)

RULES = """
[[rule]]
name = "ballots"
query = "ballots"
channels = ["desk"]
"""


def grouped(index: StoryIndex, *items: Item) -> list[int]:
    """Each item's story, merges applied as ingest applies them; new stories 1, 2, ..."""
    stories: list[int] = []
    for it in items:
        decision = index.decide(it)
        story = decision.story_id if decision.story_id is not None else len(stories) + 1
        for old in decision.merge:
            index.merge(old, story)
            stories = [story if s == old else s for s in stories]
        index.add(it, story)
        stories.append(story)
    return stories


def test_a_report_that_fits_two_stories_of_one_event_merges_them_into_the_older() -> None:
    index = StoryIndex()
    assert grouped(index, LEFT, RIGHT) == [1, 2]  # other words: two stories at first
    decision = index.decide(CENTRE)
    assert (decision.story_id, decision.tier, decision.merge) == (1, Tier.EVENT, (2,))
    assert grouped(index, CENTRE, LATER)[1] == 1
    assert [story for story, _, _ in index.contenders(LATER)] == [1]


def test_without_merging_the_third_report_is_unsure_between_the_two() -> None:
    index = StoryIndex(merge_bar=2.0)  # merging off: the margin rule starts a third story
    assert grouped(index, LEFT, RIGHT, CENTRE) == [1, 2, 3]


def test_two_stories_that_share_nothing_much_are_not_merged() -> None:
    # The right outlet's report no longer names DeJoy: the two stories fit each other at
    # p 0.11 (under merge_cross), so the centre's report leaves them apart.
    right = replace(RIGHT, summary=RIGHT.summary.replace("Louis DeJoy", "The postmaster general"))
    index = StoryIndex()
    assert grouped(index, LEFT, right) == [1, 2]
    assert index.decide(CENTRE).merge == ()


def test_one_outlets_two_stories_are_not_merged() -> None:
    # One outlet's two stories are two of its events (see stories.OWN_FEED), whoever bridges.
    index = StoryIndex()
    right = replace(RIGHT, feed_url=LEFT.feed_url)
    assert grouped(index, LEFT, right) == [1, 2]
    assert index.decide(CENTRE).merge == ()
    # Nor does a report of one of the two stories' own outlets bridge them.
    index = StoryIndex()
    assert grouped(index, LEFT, RIGHT) == [1, 2]
    assert index.decide(replace(CENTRE, feed_url=RIGHT.feed_url)).merge == ()


def test_no_merge_into_a_story_of_more_than_merge_most_reports() -> None:
    index = StoryIndex(merge_most=1, merge_grown=1)
    assert grouped(index, LEFT, RIGHT, CENTRE)[2] == 1
    assert index.decide(LATER).merge == ()  # story 1 holds two reports now: no third merge


# Three more outlets retell the left outlet's take (the delays), each in its own words: the
# left story grows to four reports before the centre's report bridges it to the right one's.
LEFT_RETOLD = tuple(
    item(
        f"left-{n}",
        title,
        "Louis DeJoy acknowledged on Friday that the changes he ordered, among them removing "
        "sorting machines and ending overtime, caused mail delays across the country.",
        minutes=20 * n,
        feed=f"left-{n}",
    )
    for n, title in enumerate(
        (
            "DeJoy admits his cost cuts slowed the mail",
            "Postal chief owns up to mail delays caused by his cost cuts",
            "Mail slowed by postal chief's cost cuts, he concedes",
        ),
        start=2,
    )
)


def test_a_grown_story_takes_in_a_split_of_its_event() -> None:
    # The left story holds four reports, more than merge_most: it may still take in the right
    # outlet's one-report story (the largest may hold merge_grown), as before it grew.
    index = StoryIndex()
    assert grouped(index, LEFT, *LEFT_RETOLD, RIGHT) == [1, 1, 1, 1, 5]
    decision = index.decide(CENTRE)
    assert (decision.story_id, decision.merge) == (1, (5,))
    # Only the largest may have grown: with merge_grown at merge_most, no merge.
    index = StoryIndex(merge_grown=3)
    assert grouped(index, LEFT, *LEFT_RETOLD, RIGHT) == [1, 1, 1, 1, 5]
    assert index.decide(CENTRE).merge == ()


def test_forget_since_undoes_a_merge_of_a_rolled_back_transaction() -> None:
    index = StoryIndex()
    grouped(index, LEFT, RIGHT)
    mark = index.mark()
    decision = index.decide(CENTRE)
    index.merge(2, 1)
    index.add(CENTRE, 1)
    assert decision.merge == (2,)
    index.forget_since(mark)
    assert sorted(story for story, _, _ in index.contenders(LATER)) == [1, 2]
    assert index.decide(CENTRE).merge == (2,)  # decided again as before: nothing stale


def test_a_story_moved_after_a_merge_keeps_every_report_findable() -> None:
    index = StoryIndex()
    grouped(index, LEFT, RIGHT, CENTRE)
    assert index.move(RIGHT, 1, 2)  # the desk undid the merge
    assert sorted(index._slots_of(1)) == [0, 2] and index._slots_of(2) == [1]
    assert sorted(story for story, _, _ in index.contenders(LATER)) == [1, 2]


def test_a_merged_storys_chain_goes_on_through_every_report_of_both() -> None:
    # StorySlots.merge: the survivor's chain goes on with the younger story's and ends where
    # that one ended; merging in a story with no slot (pruned) leaves the chain as it was; a
    # report moved out starts its new story's chain. Each report then stays findable.
    index = StoryIndex()
    reports = [
        item(f"r{n}", f"Report number {n} on something else", "", minutes=n) for n in range(4)
    ]
    index.add(reports[0], 1)
    index.add(reports[1], 2)
    index.add(reports[2], 2)
    assert index.merge(2, 1) == 2
    assert index.merge(9, 1) == 0  # no slot of story 9 in the index
    index.add(reports[3], 1)
    assert index._slots_of(1) == [0, 1, 2, 3]
    assert index.move(reports[3], 1, 5)
    assert (index._slots_of(1), index._slots_of(5)) == ([0, 1, 2], [3])
    assert index.merge(5, 1) == 1 and index._slots_of(1) == [0, 1, 2, 3]


@pytest.fixture
def pipeline(tmp_path: Path) -> Pipeline:
    (tmp_path / "r.toml").write_text(RULES)
    return Pipeline(
        store=Store(tmp_path / "w.db"),
        fetcher=None,  # type: ignore[arg-type]  # never fetches here
        index=StoryIndex(),
        rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
        clock=lambda: NOW,
        rng=random.Random(0),
    )


def sent(p: Pipeline, ref: str) -> None:
    """Every due outbox row goes out (as message `ref` if new, else edited in place)."""
    for row in p.store.due_deliveries(NOW + timedelta(days=1)):
        p.store.mark_sent(row, row.message_ref or ref, NOW)


def test_the_merged_story_is_one_story_and_its_one_alert_is_edited(pipeline: Pipeline) -> None:
    p = pipeline
    try:
        p.ingest([LEFT], NOW, alert=True)  # no ballots: no alert
        p.ingest([RIGHT], NOW, alert=True)
        (alert,) = p.store.due_deliveries(NOW + timedelta(days=1))
        sent(p, "m-right")
        report = p.ingest([CENTRE], NOW, alert=True)
        assert report.new_stories == 0 and report.new_alerts == 0 and report.updated_alerts == 1
        (story,) = p.store.recent_stories()
        assert story.id != alert.story_id  # the older story survives, with every report
        assert [i.item_key for i in story.items] == ["left-1", "right-1", "centre-1"]
        (edit,) = p.store.due_deliveries(NOW + timedelta(days=1))
        # The right outlet's alert moved with its story: the desk's one message is edited.
        assert (edit.id, edit.story_id, edit.message_ref) == (alert.id, story.id, "m-right")
        assert p.store.story(alert.story_id) is not None  # kept, empty, for the undo
        assert p.store.search_stories(["ballots"]) == [story]
    finally:
        p.store.close()


def test_both_stories_alerted_the_younger_alert_stays_as_history(pipeline: Pipeline) -> None:
    p = pipeline
    left = replace(LEFT, summary=LEFT.summary + " Ballots were not held up, he said.")
    try:
        p.ingest([left], NOW, alert=True)
        sent(p, "m-left")
        p.ingest([RIGHT], NOW, alert=True)
        (younger,) = p.store.due_deliveries(NOW + timedelta(days=1))
        sent(p, "m-right")
        p.ingest([CENTRE, LATER], NOW, alert=True)
        (story,) = p.store.recent_stories()
        assert len(story.items) == 4 and story.id != younger.story_id
        (edit,) = p.store.due_deliveries(NOW + timedelta(days=1))  # later sources edit m-left
        assert (edit.story_id, edit.message_ref) == (story.id, "m-left")
        (kept,) = p.store.story_deliveries(younger.story_id)  # as sent, never edited again
        assert (kept.id, kept.message_ref, kept.version) == (younger.id, "m-right", 1)
    finally:
        p.store.close()


@pytest.mark.parametrize("muted", ["older", "younger"])
def test_a_story_the_desk_muted_is_not_merged(pipeline: Pipeline, muted: str) -> None:
    p = pipeline
    try:
        p.ingest([LEFT], NOW, alert=True)
        p.ingest([RIGHT], NOW, alert=True)
        sent(p, "m-right")
        older, younger = sorted(s.id for s in p.store.recent_stories())
        target = older if muted == "older" else younger
        p.store.add_mute(Mute("desk", "story", str(target), NOW + timedelta(hours=4), NOW))
        report = p.ingest([CENTRE], NOW + timedelta(minutes=1), alert=True)
        assert report.new_stories == 0  # the centre report still joins: the older story
        stories = {s.id: [i.item_key for i in s.items] for s in p.store.recent_stories()}
        assert stories == {older: ["left-1", "centre-1"], younger: ["right-1"]}
        assert sorted(s for s, _, _ in p.index.contenders(LATER)) == [older, younger]
        # Once the mute lapses, a later report that fits both merges them.
        p.store.remove_mute("desk", "story", str(target))
        p.ingest([LATER], NOW + timedelta(minutes=2), alert=True)
        (merged,) = p.store.recent_stories()
        assert merged.id == older and len(merged.items) == 4
    finally:
        p.store.close()


def test_not_the_same_story_undoes_a_merge_then_splits_as_before(pipeline: Pipeline) -> None:
    p = pipeline
    try:
        p.ingest([LEFT], NOW, alert=True)
        p.ingest([RIGHT], NOW, alert=True)
        sent(p, "m-right")
        p.ingest([CENTRE], NOW + timedelta(minutes=1), alert=True)
        sent(p, "m-right")
        (merged,) = p.store.recent_stories()
        report = p.split(merged.id, NOW + timedelta(minutes=2))
        assert report is not None and report.merge_undone
        assert {s.id: [i.item_key for i in s.items] for s in p.store.recent_stories()} == {
            merged.id: ["left-1", "centre-1"],
            report.new_story: ["right-1"],
        }
        (edit,) = p.store.due_deliveries(NOW + timedelta(days=1))  # back with its story
        assert (edit.story_id, edit.message_ref) == (report.new_story, "m-right")
        (pair,) = p.store.labelled_pairs()
        assert (pair.item_a, pair.item_b, pair.same) == ("left-1", "right-1", False)
        # The index follows: the next report weighs both stories again.
        assert sorted(s for s, _, _ in p.index.contenders(LATER)) == [merged.id, report.new_story]
        # Pressed again: nothing merged since, so the latest report is split off as before.
        again = p.split(merged.id, NOW + timedelta(minutes=3))
        assert again is not None and not again.merge_undone and again.moved == "centre-1"
    finally:
        p.store.close()


def test_a_restart_rebuilds_the_index_as_the_store_has_the_merge(pipeline: Pipeline) -> None:
    p = pipeline
    try:
        p.ingest([LEFT, RIGHT, CENTRE], NOW, alert=False)
        (merged,) = p.store.recent_stories()
        index = StoryIndex()  # as assembly.py rebuilds it at start-up
        learner = Boilerplate()
        for stored, story_id in p.store.items_since(NOW - timedelta(days=2)):
            index.add(learner.clean(stored), story_id)
        assert [s for s, _, _ in index.contenders(LATER)] == [merged.id]
        assert [s for s, _, _ in p.index.contenders(LATER)] == [merged.id]
    finally:
        p.store.close()


def test_a_rolled_back_merge_leaves_both_stories_in_store_and_index(pipeline: Pipeline) -> None:
    p = pipeline
    real_add = p.store.add_item

    def fail(*args: object, **kwargs: object) -> None:
        raise StorageError("SQLite: database or disk is full")

    try:
        p.ingest([LEFT], NOW, alert=False)
        p.ingest([RIGHT], NOW, alert=False)
        p.store.add_item = fail  # type: ignore[method-assign]
        with pytest.raises(StorageError):
            p.ingest([CENTRE], NOW, alert=False)
        p.store.add_item = real_add  # type: ignore[method-assign]
        assert len(p.store.recent_stories()) == 2
        assert len(p.index.contenders(LATER)) == 2
        report = p.ingest([CENTRE], NOW, alert=False)  # merged this time, no foreign key error
        assert report.new_items == 1 and len(p.store.recent_stories()) == 1
    finally:
        p.store.close()


def entry(it: Item, hours_ago: float, now: datetime) -> dict[str, object]:
    return {
        "title": it.title,
        "link": it.link,
        "guid": it.key,
        "description": it.summary,
        "pubDate": now - timedelta(hours=hours_ago),
    }


OUTLETS = {"/left.xml": LEFT, "/right.xml": RIGHT, "/centre.xml": CENTRE}


def desk_config(tmp_path: Path, feeds: FeedServer, tg: FakeTelegram) -> Path:
    """config.toml for `watcher poll-once`: the three outlets and one Telegram desk; each
    feed's backlog (empty) taken."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES.replace("desk", "asia-desk"))
    config = tmp_path / "config.toml"
    tables = "\n".join(f'[[feed]]\nurl = "{feeds.url(path)}"\nname = "{it.feed_name}"'
                       for path, it in OUTLETS.items())  # fmt: skip
    config.write_text(
        f'[storage]\npath = "watcher.db"\n[rules]\npaths = ["rules"]\n{tables}\n'
        f'[channel.asia-desk]\ntype = "telegram"\nchat_id = "-100123"\n'
        f'token_env = "E2E_TG_TOKEN"\napi_url = "{tg.api_url}"\n',
        encoding="utf-8",
    )
    for path in OUTLETS:
        feeds.set(path, rss([]))
    poll_once(config)
    return config


def test_end_to_end_one_story_one_telegram_message_edited(tmp_path: Path) -> None:
    """Through `watcher poll-once` and `watcher stories --json`: the right outlet's report
    alerts, the centre's merges the two stories, and that one message is edited."""
    now = datetime.now(UTC).replace(microsecond=0)
    with FeedServer() as feeds, FakeTelegram(token=TG_TOKEN) as tg:
        config = desk_config(tmp_path, feeds, tg)
        feeds.set("/left.xml", rss([entry(LEFT, 6, now)]))
        feeds.set("/right.xml", rss([entry(RIGHT, 3, now)]))
        poll_once(config)
        assert methods(tg.calls) == ["sendMessage"]  # the ballots report; two stories
        assert len(stories_json(config)) == 2
        feeds.set("/centre.xml", rss([entry(CENTRE, 1, now)]))
        poll_once(config)
        assert methods(tg.calls) == ["sendMessage", "editMessageText"]
        (story,) = stories_json(config)
        assert [i["feed"] for i in story["items"]] == ["left", "right", "centre"]
        assert [a["channel"] for a in story["alerts"]] == ["asia-desk"]
        ((text,),) = [chat.values() for chat in tg.messages.values()]
        assert all(it.link in text for it in OUTLETS.values())


def test_end_to_end_three_outlets_in_one_round_are_one_telegram_message(tmp_path: Path) -> None:
    """`watcher poll-once` takes all three outlets' reports in one round: both the left's and
    the right's stories match, and the centre's merges them before any alert is sent. The
    desk gets one message, with all three links, and none for the story the merge emptied."""
    now = datetime.now(UTC).replace(microsecond=0)
    with FeedServer() as feeds, FakeTelegram(token=TG_TOKEN) as tg:
        config = desk_config(tmp_path, feeds, tg)
        feeds.set("/left.xml", rss([entry(BALLOTS_LEFT, 6, now)]))
        feeds.set("/right.xml", rss([entry(RIGHT, 3, now)]))
        feeds.set("/centre.xml", rss([entry(CENTRE, 1, now)]))
        poll_once(config)
        assert methods(tg.calls) == ["sendMessage"]
        ((text,),) = [chat.values() for chat in tg.messages.values()]
        assert all(it.link in text for it in OUTLETS.values())
        (story,) = stories_json(config)
        assert [a["channel"] for a in story["alerts"]] == ["asia-desk"]


def test_the_retention_prune_drops_merged_stories_and_their_merge(pipeline: Pipeline) -> None:
    p = pipeline
    try:
        p.ingest([LEFT, RIGHT, CENTRE], NOW, alert=False)
        assert p.store.db.execute("SELECT count(*) FROM story_merges").fetchone()[0] == 1
        later = NOW + timedelta(days=40)
        report = prune(p.store.db, later, timedelta(days=14), timedelta(days=60))
        assert report.stories == 2 and report.items == 3  # the merged story and the emptied one
        assert p.store.db.execute("SELECT count(*) FROM story_merges").fetchone()[0] == 0
    finally:
        p.store.close()


async def test_the_desks_press_on_a_merged_alert_undoes_the_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Telegram: the one message (the right outlet's, edited with the merged story) gets
    "Not the same story"; the press answers that the merge is undone and the message is
    edited back to the right outlet's story alone."""
    monkeypatch.setattr(talk_tests, "RULES", RULES)  # the desk's rule: "ballots"
    with FakeTelegram(token=talk_tests.TOKEN) as tg:
        channel = TelegramChannel(
            "desk", token=talk_tests.TOKEN, chat_id=talk_tests.CHAT, api_url=tg.api_url,
            timeout=2, commands=True, command_users=[talk_tests.EDITOR],
        )  # fmt: skip
        desk = talk_tests.build(tmp_path, tg, channel, FakeClock(NOW))
        try:
            for report in (LEFT, RIGHT, CENTRE):
                await talk_tests.alerted(desk, report)
            (alert_id,) = desk.texts()
            assert CENTRE.link in desk.tg.messages[talk_tests.CHAT][alert_id]  # merged, edited
            story_id = desk.store.story_shown_as("desk", str(alert_id))
            tg.user_presses(talk_tests.CHAT, talk_tests.EDITOR, alert_id, f"split:{story_id}")
            await talk_tests.polled(desk.poller)
            (answer,) = tg.press_answers.values()
            assert answer[0].startswith("Split: the two stories merged into this one are apart")
            await drain(desk.deliverer, sleep=desk.clock.sleep)
            text = desk.tg.messages[talk_tests.CHAT][alert_id]
            assert RIGHT.link in text and CENTRE.link not in text and LEFT.link not in text
        finally:
            desk.store.close()


# -- a merge before the younger story's alert went out (one message for the merged story) -----

BALLOTS_LEFT = replace(LEFT, summary=LEFT.summary + " Ballots were not held up, he said.")
RECOUNT = item(
    "left-2", "Ballots counted again in Ohio recount", "Ohio's ballots were counted again.",
    minutes=10, feed="left",
)  # fmt: skip


def unmerged(p: Pipeline) -> list[tuple[int, str | None]]:
    """(story, message ref) of each outbox row that will still go out."""
    return [(d.story_id, d.message_ref) for d in p.store.due_deliveries(NOW + timedelta(days=1))]


def test_a_younger_alert_not_yet_sent_folds_into_the_merged_storys_one_message(
    pipeline: Pipeline,
) -> None:
    """Both stories matched but neither alert has gone out when the centre's report merges
    them: the desk gets one message, for the merged story, never the younger's alert of a
    story emptied by the merge. Undoing the merge gives the younger story its alert back."""
    p = pipeline
    try:
        p.ingest([BALLOTS_LEFT], NOW, alert=True)
        p.ingest([RIGHT], NOW, alert=True)
        older, younger = sorted(d.story_id for d in p.store.due_deliveries(NOW))
        p.ingest([CENTRE], NOW + timedelta(minutes=1), alert=True)
        assert unmerged(p) == [(older, None)]
        (story,) = p.store.recent_stories()
        assert story.id == older and len(story.items) == 3
        (folded,) = p.store.story_deliveries(younger)
        assert folded.message_ref == MERGED_REF and folded.status.value == "sent"
        sent(p, "m-merged")
        report = p.split(older, NOW + timedelta(minutes=2))
        assert report is not None and report.merge_undone
        # Apart again: the older story's message is edited, the younger alerts on its own.
        assert sorted(unmerged(p)) == [(older, "m-merged"), (younger, MERGED_REF)]
        assert [q.edit_ref for q in p.store.queued("desk") if q.delivery.story_id == younger] == [
            None
        ]  # a digest's kind of ref: sent as a new message, not an edit
    finally:
        p.store.close()


async def test_a_burst_counts_and_lists_the_merged_story_once(tmp_path: Path) -> None:
    """One round of three feeds (as `watcher run`'s first round or poll-once take them): the
    left feed brings two matching stories (a burst at burst_limit 1), the right feed one, and
    the centre's report merges the right's into the left's. The burst tells the merged story
    (with every report) and the recount: two stories, one message; nothing for an emptied
    story."""
    ingest = flooding(tmp_path)
    store = ingest.store

    def batch(*items: Item) -> Batch:
        first = items[0]
        return Batch(Feed(first.feed_url, first.feed_name, timedelta(minutes=5)), items, True)

    try:
        left, right, centre = await ingest.ingest_batches(
            [batch(BALLOTS_LEFT, RECOUNT), batch(RIGHT), batch(CENTRE)], NOW
        )
        assert (left.folded, right.folded, centre.new_alerts) == (1, 0, 0)
        # The right outlet's alert was folded by the merge before the round ended: it never
        # goes out, so the round tells two new alerts (the left's burst), not three.
        assert (left.new_alerts, right.new_alerts) == (2, 0)
        (merged,) = [s for s in store.recent_stories() if len(s.items) == 3]
        (carrier,) = store.due_deliveries(NOW + timedelta(days=1))  # the one message
        burst = store.burst(carrier.id)
        assert burst is not None and (burst.count, burst.story_ids[0]) == (2, merged.id)
        assert carrier.story_id == merged.id
        shown = store.db.execute(
            "SELECT count(*) FROM deliveries WHERE message_ref = ?", [MERGED_REF]
        ).fetchone()[0]
        assert shown == 1  # the right outlet's alert, shown by the merged story's
    finally:
        store.close()


async def test_a_round_does_not_count_an_alert_a_merge_folded_as_new(tmp_path: Path) -> None:
    """One round of three feeds, no burst: the left and right outlets' reports each make a
    story and an alert; the centre's report shows them one and the right's folds into the
    left's before the round ends. One message goes out, and the round says one new alert."""
    ingest = flooding(tmp_path, burst_limit=5)
    store = ingest.store

    def batch(it: Item) -> Batch:
        return Batch(feed_of(it), [it], True)

    try:
        reports = await ingest.ingest_batches(
            [batch(BALLOTS_LEFT), batch(RIGHT), batch(CENTRE)], NOW
        )
        assert sum(r.new_alerts for r in reports) == 1
        assert [r.new_alerts for r in reports] == [1, 0, 0]
        (due,) = store.due_deliveries(NOW + timedelta(days=1))  # the one message
        assert len(store.story(due.story_id).items) == 3
    finally:
        store.close()


async def test_a_burst_waiting_to_go_out_lists_a_story_merged_since_as_the_merged_story(
    tmp_path: Path,
) -> None:
    """The right feed's flood (its two ballots stories) is settled but not yet sent when the
    centre's report merges its first story into the left's: the flood's one message lists
    the merged story (all three reports) and the other, never the emptied story."""
    ingest = flooding(tmp_path)
    store = ingest.store
    count = item(
        "right-2", "Ballots of Ohio counted again", "Ohio's ballots were counted again.",
        minutes=200, feed="right",
    )  # fmt: skip
    try:
        await ingest.ingest_in_steps(feed_of(LEFT), [LEFT], NOW, alert=True)  # no alert
        await ingest.ingest_in_steps(feed_of(RIGHT), [RIGHT, count], NOW, alert=True)
        (carrier,) = store.due_deliveries(NOW + timedelta(days=1))
        younger = carrier.story_id
        await ingest.ingest_in_steps(feed_of(CENTRE), [CENTRE], NOW, alert=True)
        merged = next(s for s in store.recent_stories() if len(s.items) == 3)
        burst = store.burst(carrier.id)
        assert burst is not None and burst.story_ids[0] == merged.id != younger
        out = io.StringIO()
        deliverer = Deliverer(
            store=store, channels={"desk": ConsoleChannel("desk", stream=out)},
            clock=FakeClock(NOW), rng=random.Random(1), limits={"desk": []},
        )  # fmt: skip
        await drain(deliverer)
        text = out.getvalue()
        assert "right: 2 new matching stories in one poll" in text
        assert "Sources (2):" in text and RIGHT.title not in text
        assert f"{LEFT.title} (+2 more sources) <{LEFT.link}>" in text and count.link in text
    finally:
        store.close()


def flooding(tmp_path: Path, burst_limit: int = 1) -> Ingest:
    """An ingest on a fresh database where (by default) two new alerts of one poll are a
    burst."""
    (tmp_path / "r.toml").write_text(RULES)
    return Ingest(
        store=Store(tmp_path / "w.db"), index=StoryIndex(), burst_limit=burst_limit,
        boilerplate=Boilerplate(), rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
    )  # fmt: skip


def feed_of(it: Item) -> Feed:
    return Feed(it.feed_url, it.feed_name, timedelta(minutes=5))


def test_a_merged_storys_rules_include_those_the_younger_story_matched(tmp_path: Path) -> None:
    """The right outlet's report alone speaks of the election: the merged story lists the
    rule (the desk page, `watcher stories --show`, the chat's why) until the merge is undone."""
    p = with_election(tmp_path)
    try:
        for n, report in enumerate((LEFT, RIGHT, CENTRE)):
            p.ingest([report], NOW + timedelta(minutes=n), alert=True)
        (merged,) = p.store.recent_stories()
        assert p.store.story_rules(merged.id) == {
            "ballots": ("ballots",), "election": ("election",)
        }  # fmt: skip
        assert p.split(merged.id, NOW + timedelta(minutes=5)) is not None  # the merge undone
        assert p.store.story_rules(merged.id) == {"ballots": ("ballots",)}
    finally:
        p.store.close()


def test_an_edit_of_the_younger_alert_still_due_at_the_merge_is_the_merged_storys(
    pipeline: Pipeline,
) -> None:
    """Both stories alerted; the right outlet's report was edited (its alert due for an
    edit) when the centre's report merges the stories. That edit would show a story the merge
    emptied: the right's message stays as it was sent, and the left's shows the merged story."""
    p = pipeline
    try:
        p.ingest([BALLOTS_LEFT], NOW, alert=True)
        sent(p, "m-left")
        p.ingest([RIGHT], NOW, alert=True)
        sent(p, "m-right")
        edited = replace(RIGHT, title=RIGHT.title + " (updated)", content_hash="edited")
        assert p.ingest([edited], NOW + timedelta(minutes=1), alert=True).edited_items == 1
        p.ingest([CENTRE], NOW + timedelta(minutes=2), alert=True)
        (story,) = p.store.recent_stories()
        assert unmerged(p) == [(story.id, "m-left")]
        (younger,) = [d for d in p.store.db.execute(
            "SELECT message_ref, status FROM deliveries WHERE story_id != ?", [story.id]
        ).fetchall()]  # fmt: skip
        assert tuple(younger) == ("m-right", "sent")
    finally:
        p.store.close()


def with_election(tmp_path: Path) -> Pipeline:
    """A pipeline whose desk also follows the word "election" (only the right outlet's
    report has it)."""
    (tmp_path / "r.toml").write_text(RULES + '[[rule]]\nname = "election"\nquery = "election"\n'
                                     'channels = ["desk"]\n')  # fmt: skip
    return Pipeline(
        store=Store(tmp_path / "w.db"), fetcher=None,  # type: ignore[arg-type]
        index=StoryIndex(), clock=lambda: NOW, rng=random.Random(0),
        rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
    )  # fmt: skip


def merged_with_a_follow_up_due(tmp_path: Path) -> tuple[Pipeline, int]:
    """The right outlet's report is edited to speak of the election (a rule its alert did not
    list: a follow-up, not yet sent), then the centre's report merges the stories. The
    pipeline and the merged story."""
    p = with_election(tmp_path)
    right = replace(RIGHT, summary=RIGHT.summary.replace("election ", ""))
    p.ingest([BALLOTS_LEFT], NOW, alert=True)
    sent(p, "m-left")
    p.ingest([right], NOW, alert=True)
    sent(p, "m-right")
    edited = replace(RIGHT, content_hash="edited")  # "election" is back in its text
    assert p.ingest([edited], NOW + timedelta(minutes=1), alert=True).followups == 1
    p.ingest([CENTRE], NOW + timedelta(minutes=2), alert=True)
    (story,) = p.store.recent_stories()
    return p, story.id


def test_a_follow_up_of_the_younger_alert_still_due_at_the_merge_replies_to_the_merged_one(
    tmp_path: Path,
) -> None:
    """The follow-up due on the right's alert becomes a reply to the merged story's message,
    the left's."""
    p, story = merged_with_a_follow_up_due(tmp_path)
    try:
        ((row, ref),) = [(d, d.message_ref) for d in p.store.due_deliveries(NOW + timedelta(1))]
        assert (row.story_id, ref) == (story, "m-left") and "election" in row.rules
        (followup,) = p.store.pending_followups(row.id)
        assert followup.item_key == RIGHT.key and followup.rules == ("election",)
    finally:
        p.store.close()


def test_a_follow_up_moved_at_a_merge_goes_back_when_the_merge_is_undone(
    tmp_path: Path,
) -> None:
    """As above, then the desk presses "not the same story" on the merged alert before the
    follow-up went out: the follow-up is the right outlet's development again, a reply to
    its own message, and the left's message has none."""
    p, story = merged_with_a_follow_up_due(tmp_path)
    try:
        report = p.split(story, NOW + timedelta(minutes=3))
        assert report is not None and report.merge_undone
        refs = {
            d.story_id: (d.id, d.message_ref) for d in p.store.due_deliveries(NOW + timedelta(1))
        }
        assert {s: ref for s, (_, ref) in refs.items()} == {
            story: "m-left", report.new_story: "m-right"
        }
        assert p.store.pending_followups(refs[story][0]) == []
        (followup,) = p.store.pending_followups(refs[report.new_story][0])
        assert followup.item_key == RIGHT.key and followup.rules == ("election",)
    finally:
        p.store.close()
