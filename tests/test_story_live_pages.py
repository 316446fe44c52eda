"""A live page is no bridge (heads.live_page, stories.StoryIndex._chained): an outlet's rolling
page lists the day's many developments, so a report close to the live page alone, not to the
story's first report, told one of the others. Every headline and lead here is invented."""

from __future__ import annotations

import dataclasses

import pytest

from tests.test_stories import ingest, item
from watcher.heads import live_page
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex


@pytest.mark.parametrize(
    ("title", "live"),
    [
        ("Live: Storm Dara batters coast", True),
        ("LIVE | Cyclone nears Queensland", True),
        ("Live updates: Brisbane leaves lockdown", True),
        ("Live Covid updates: Brisbane leaves lockdown", True),
        ("Covid live: Brisbane readies itself for level 2", True),
        ("Wales v Fiji live - second test in Cardiff", True),
        ("Election night live blog", True),
        ("Live Nation shares fall after concert cancellations", False),
        ("How to watch the final live on TV", False),
        ("Lives lost as floods hit Brisbane", False),
    ],
)  # fmt: skip
def test_a_live_pages_headline(title: str, live: bool) -> None:
    assert live_page(title) is live
    assert features(title, "").live is live


def _on(feed: str, report: Item) -> Item:
    return dataclasses.replace(report, feed_url=f"https://{feed}.example/rss", feed_name=feed)


LIFTED = item(
    "wire",
    "Brisbane to leave lockdown at midnight, premier says",
    "Brisbane will leave its Covid lockdown at midnight on Friday, Queensland's premier said, "
    "after two days without new community cases.",
)
LIVE_PAGE = _on(
    "radio",
    item(
        "radio-live",
        "Live Covid updates: Brisbane leaves lockdown tonight, Logan school shut",
        "Brisbane leaves lockdown at midnight, a Logan school is shut for cleaning after a case, "
        "and families in Logan await Covid test results.",
        hours=1.5,
    ),
)


def test_a_report_close_to_a_live_page_alone_starts_its_own_story() -> None:
    """The real day's Waikato community awaiting test results joined Auckland's move to level 3
    through RNZ's live page listing both (h-realday6); this joined at p 0.983 before."""
    waiting = _on(
        "radio",
        item(
            "radio-results",
            "Logan families wait anxiously for Covid test results after school case",
            "Families in Logan are waiting anxiously for Covid test results after a case at a "
            "local school, which is shut for cleaning.",
            hours=2.0,
        ),
    )
    decisions = ingest(StoryIndex(), LIFTED, LIVE_PAGE, waiting)
    assert decisions[1].story_id == 1  # the live page, headlined by the lockdown's end
    assert decisions[2].story_id is None


def test_a_report_of_the_storys_event_still_joins_past_a_live_page() -> None:
    lifted = _on(
        "paper",
        item(
            "paper-lifted",
            "Brisbane lockdown ends at midnight as cases stay at zero",
            "Queensland's premier said Brisbane's Covid lockdown will end at midnight on Friday "
            "after two days without new community cases.",
            hours=2.0,
        ),
    )
    assert ingest(StoryIndex(), LIFTED, LIVE_PAGE, lifted)[2].story_id == 1


def test_the_aftermath_of_the_pages_own_happening_joins_through_it() -> None:
    """A toll and rescue report in the live page's words and few of the first brief's tells the
    happening the page and the brief both headline (a flood), not another the page lists: it
    joins through the page (ue2-quake-toll-through-live-page-one was split by the live-page
    rule)."""
    brief = item(
        "wire",
        "Flash floods hit Spain's Valencia region",
        "Torrential rain caused flash floods across the Valencia region on Tuesday night, the "
        "regional government said.",
    )
    live = _on(
        "paper",
        item(
            "paper-live",
            "Valencia floods live: death toll rises to 40 as rescuers search Paiporta",
            "Rescuers waded through mud in Paiporta and Chiva on Wednesday as the death toll "
            "rose to 40, officials said; hundreds of cars were swept away.",
            hours=3.0,
        ),
    )
    toll = item(
        "globe",
        "Death toll rises to 40 as rescuers search mud in Paiporta",
        "Rescuers waded through mud in Paiporta on Wednesday as the death toll rose to 40, "
        "officials said.",
        hours=5.0,
    )
    decisions = ingest(StoryIndex(), brief, live, toll)
    assert decisions[1].story_id == 1
    assert decisions[2].story_id == 1
