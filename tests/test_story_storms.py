"""Named storms (happenings.storm_names, story_signals.PairSignals._storms_apart): two of a
season's storms often form the same day and are told in the same words. Every headline and
lead here is invented (the storms Marlo and Tessa do not exist)."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id

TESSA = item(
    "wire",
    "Tropical Storm Tessa forms in the Atlantic, 15th named storm of the season",
    "Tropical Storm Tessa formed over the central Atlantic on Sunday with winds of 45 mph and "
    "poses no threat to land, the National Hurricane Center said.",
)


def test_two_storms_of_other_names_stay_apart() -> None:
    marlo = item(
        "paper",
        "Tropical Storm Marlo Forms in the Atlantic Ocean",
        "Tropical Storm Marlo formed in the Atlantic on Sunday with winds of 40 mph, far from "
        "land, forecasters at the National Hurricane Center said.",
        hours=3,
    )
    index = StoryIndex()
    ingest(index, TESSA)
    assert [p for _, _, p in index.contenders(marlo)] == [0.0]
    assert ingest(StoryIndex(), TESSA, marlo)[1].story_id is None


@pytest.mark.parametrize(
    "later",
    [
        # the same storm by its name
        item(
            "paper",
            "Tropical Storm Tessa Is Expected to Weaken",
            "Tropical Storm Tessa, which formed in the central Atlantic on Sunday, is expected "
            "to weaken over cooler water, the National Hurricane Center said.",
            hours=3,
        ),
        # the same storm, its headline naming the forecasters' centre after a storm title
        item(
            "daily",
            "Hurricane Center says Tessa will stay at sea",
            "Tropical Storm Tessa, the season's 15th named storm, will stay over the open "
            "Atlantic, the National Hurricane Center said on Sunday.",
            hours=4,
        ),
    ],
)
def test_one_storm_told_again_joins(later: Item) -> None:
    assert ingest(StoryIndex(), TESSA, later)[1].story_id == 1


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Tropical Storm Tessa forms in the Atlantic", {"tessa"}),
        ("Hurricane Marlo makes landfall in Louisiana", {"marlo"}),
        ("Typhoon Kiko Slams Into Okinawa", {"kiko"}),
        ("Storm season starts early in the Gulf", set()),  # no name after the title
        ("Residents brace as the storm Tessa nears", set()),  # the title written small
    ],
)
def test_a_headline_names_a_storm(title: str, named: set[str]) -> None:
    assert features(title, "").storms == {term_id(root(name)) for name in named}


def test_a_title_case_verb_after_a_storm_title_names_no_storm() -> None:
    """In title case a verb is capitalised too: "Hurricane Slams Louisiana Coast" names no
    storm "Slams", which parted it from "Hurricane Marlo ..." (h-review, session 15: p 1.0
    before the rule); a word ending in "s" after the title is taken for a verb there."""
    marlo = item(
        "wire",
        "Hurricane Marlo makes landfall in Louisiana as a Category 4 storm",
        "Hurricane Marlo came ashore near Port Fourchon, Louisiana, on Sunday with winds of 150 "
        "mph, knocking out power to New Orleans, the National Hurricane Center said.",
    )
    slams = item(
        "paper",
        "Hurricane Slams Louisiana Coast, Knocking Out Power to New Orleans",
        "The Category 4 hurricane came ashore near Port Fourchon, Louisiana, on Sunday with winds "
        "of 150 mph, knocking out power to all of New Orleans.",
        hours=2,
    )
    assert ingest(StoryIndex(), marlo, slams)[1].story_id == 1
    assert features(slams.title, slams.summary).storms == frozenset()


@pytest.mark.parametrize(
    "title",
    [
        "Storm Surge Floods Downtown Fort Myers",
        "Storm Damage Across Southwest Florida Seen From the Air",
        "Tropical Storm Warning Issued for Georgia Coast",
    ],
)
def test_a_storms_compound_is_no_storms_name(title: str) -> None:
    """"Storm Surge", "Storm Damage", "Storm Warning" in title case name no storm
    (happenings._NO_STORM_NAME): read as one, they parted a hurricane's own reports."""
    assert features(title, "").storms == frozenset()


def test_a_hurricanes_storm_surge_joins_it() -> None:
    ian = item(
        "wire",
        "Hurricane Ian makes landfall near Fort Myers as a Category 4 storm",
        "Hurricane Ian came ashore near Fort Myers, Florida, on Wednesday afternoon with winds "
        "of 150 mph, pushing a wall of water into coastal towns.",
    )
    surge = item(
        "paper",
        "Storm Surge Floods Downtown Fort Myers",
        "A storm surge of up to 12 feet flooded streets in downtown Fort Myers after Hurricane "
        "Ian came ashore on Wednesday.",
        hours=2,
    )
    assert ingest(StoryIndex(), ian, surge)[1].story_id == 1


MARLO = item("flash", "BREAKING: Hurricane Marlo makes landfall on Grand Cayman")


@pytest.mark.parametrize(
    "later",
    [
        # the storm by its name alone, the island by its country, what it left: one storm
        item("wire", "Britain's Caribbean territory counts cost of Marlo", hours=6),
        item("daily", "Cayman Islands left without power as Marlo moves on", hours=9),
    ],
)
def test_a_storms_aftermath_naming_it_alone_joins_it(later: Item) -> None:
    """PairSignals._same_storm: other words, another grain of place, and (for the first) a
    name conflict on a weak pair, each of which left it apart before."""
    assert ingest(StoryIndex(), MARLO, later)[1].story_id == 1


@pytest.mark.parametrize(
    "later",
    [
        # the storm's name as a person's, with nothing a storm brings
        item("sport", "Tennis star Marlo Keller wins Caribbean Open final", hours=5),
        item("sport", "Tennis star Marlo Keller shares Caribbean Open doubles title", hours=5),
        # another storm named beside it: happenings.storms_apart's ground, not this rule's
        item("wire", "Hurricane Tessa leaves Bermuda without power days after Marlo", hours=5),
    ],
)
def test_a_storms_name_without_its_wake_or_beside_another_storm_joins_nothing(
    later: Item,
) -> None:
    assert ingest(StoryIndex(), MARLO, later)[1].story_id is None
