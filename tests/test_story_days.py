"""One event told again a day later (issue 11, item 3): a later report that looks back in
words textcues.refers_back reads ("after the rate rise the day before", "death toll in the
bridge collapse rises to 9") tells that earlier happening again, so the day between them
counts as story_signals.BACK_APART, not as a day. The held-out cases of this kind are in
tests/data/story_cases.toml (kind day_apart)."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.stories import StoryIndex

RATE = item(
    "desk",
    "Bank of Ghana raises key rate to 31% in surprise move",
    "The Bank of Ghana raised its policy rate by 300 basis points to 31% on Sunday, catching "
    "markets off guard; analysts had expected a pause.",
    hours=12,
)
BRIDGE = item(
    "wire",
    "Footbridge collapses over river in Bangladesh's Sylhet, killing five",
    "An iron footbridge crowded with villagers collapsed into the Surma river near Sylhet, "
    "killing at least five people, police said.",
    hours=12,
)


def test_a_report_of_the_rate_rise_the_day_before_joins_its_story() -> None:
    cedi = item(
        "daily",
        "Cedi jumps after Bank of Ghana's surprise rate rise",
        "The cedi gained 3% against the dollar by Monday afternoon, after the Bank of Ghana's "
        "unexpected rate rise the day before; bond yields climbed.",
        hours=34,
    )
    assert [d.story_id for d in ingest(StoryIndex(), RATE, cedi)] == [None, 1]


def test_a_rate_rise_told_without_looking_back_is_weighed_a_day_apart() -> None:
    cedi = item(
        "daily",
        "Cedi jumps after Bank of Ghana's surprise rate rise",
        "The cedi gained 3% against the dollar by Monday afternoon, after the Bank of Ghana's "
        "unexpected rate rise; bond yields climbed.",
        hours=34,
    )
    assert ingest(StoryIndex(), RATE, cedi)[1].story_id is None


def test_a_toll_risen_in_the_collapse_joins_its_story() -> None:
    toll = item(
        "daily",
        "Death toll in Sylhet bridge collapse rises to 9 as anger grows",
        "Divers recovered four more bodies from the Surma river, taking the toll from the "
        "collapse of the old footbridge to 9. Residents said they had warned officials.",
        hours=33,
    )
    assert [d.story_id for d in ingest(StoryIndex(), BRIDGE, toll)] == [None, 1]
