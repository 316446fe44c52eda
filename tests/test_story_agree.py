"""Every report agrees (stories.AGREE): a report past a story's 24 h reach, within its window,
that tells nothing of an earlier day still joins the story when the model, the time capped at the
reach, gives it at least AGREE against every report of it, the story holds reports of two outlets
that are no copies of one another, and none of them is the item's own outlet's. Invented reports
(no text from any data set)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.stories import StoryIndex

VOTE = item(
    "paper",
    "Lithuanian parliament approves ban on disposable vapes from 2027",
    "Lithuania's parliament, the Seimas, voted 87 to 12 on Tuesday to ban the sale of disposable "
    "e-cigarettes from January 2027, making it the first Baltic state to outlaw the devices. "
    "Health Minister Arunas Dulkys said the vapes were hooking teenagers on nicotine.",
)
VOTE_RADIO = item(
    "radio",
    "Lithuania's Seimas votes to ban disposable e-cigarettes",
    "Lawmakers in Vilnius voted 87 to 12 to outlaw the sale of disposable vapes from January "
    "2027; Health Minister Arunas Dulkys told the Seimas the devices were hooking teenagers on "
    "nicotine.",
    hours=5,
)
# 30 hours after the first report, a third outlet: past the reach, within the 36 h window.
VOTE_WIRE = item(
    "wire",
    "Lithuania bans disposable vapes from 2027 in first for Baltics",
    "Lithuania's Seimas has voted 87 to 12 to ban the sale of disposable e-cigarettes from "
    "January 2027, the first Baltic state to outlaw the devices; Health Minister Arunas Dulkys "
    "said they were hooking teenagers on nicotine.",
    hours=30,
)


def of_feed(report: Item, other: Item, key: str) -> Item:
    """`report` as published by `other`'s outlet (its feed), under a key and link of its own."""
    return replace(
        report,
        key=f"url:{key}",
        link=f"https://{key}.example/story",
        feed_url=other.feed_url,
        feed_name=other.feed_name,
    )


def test_a_third_outlet_a_day_later_joins_when_every_report_agrees() -> None:
    decisions = ingest(StoryIndex(), VOTE, VOTE_RADIO, VOTE_WIRE)
    assert [d.story_id for d in decisions] == [None, 1, 1]
    # Without the rule the story stops taking such reports at its reach: a second story.
    apart = ingest(StoryIndex(agree=2.0), VOTE, VOTE_RADIO, VOTE_WIRE)
    assert [d.story_id for d in apart] == [None, 1, None]


def test_an_outlet_that_told_it_already_starts_a_new_story() -> None:
    again = of_feed(VOTE_WIRE, VOTE, "paper-later")
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, again)] == [None, 1, None]


def test_a_report_and_its_copy_are_one_telling() -> None:
    copy = replace(of_feed(VOTE, VOTE_RADIO, "radio-copy"), published=VOTE_RADIO.published)
    decisions = ingest(StoryIndex(), VOTE, copy, VOTE_WIRE)
    assert [d.story_id for d in decisions] == [None, 1, None]


def test_past_the_window_nothing_agrees() -> None:
    late = replace(VOTE_WIRE, published=VOTE.published + timedelta(hours=40))  # window: 36 h
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, late)] == [None, 1, None]
