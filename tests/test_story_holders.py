"""Office holders (happenings.holder_names, story_signals.PairSignals._holders_apart): two of a
country's governors, mayors or ministers are often in one kind of news the same day, told in
the same words. Every headline and lead here is invented (the people and their troubles do not
exist)."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id

OSEI = item(
    "ledger",
    "Lawmakers vote to remove Governor Osei over road contracts",
    "Members of the regional assembly voted 40-12 on Wednesday to remove Governor Kwame Osei "
    "over contracts for rural roads awarded to his brother's firm. He can appeal to the high "
    "court within 14 days.",
)


def test_two_holders_of_one_office_stay_apart() -> None:
    mensah = item(
        "courier",
        "Assembly votes to remove Governor Mensah over hospital contracts",
        "Members of the regional assembly voted on Wednesday evening to remove Governor Ama "
        "Mensah over hospital contracts awarded to a firm linked to her husband. She called "
        "the vote a plot.",
        hours=3,
    )
    index = StoryIndex()
    ingest(index, OSEI)
    assert [p for _, _, p in index.contenders(mensah)] == [0.0]
    assert ingest(StoryIndex(), OSEI, mensah)[1].story_id is None


@pytest.mark.parametrize(
    "later",
    [
        # the same holder by name, with his first name
        item(
            "courier",
            "Regional assembly removes Governor Kwame Osei over road contracts",
            "The regional assembly voted on Wednesday to remove Governor Kwame Osei over "
            "contracts for rural roads given to his brother's firm; he may appeal within 14 days.",
            hours=3,
        ),
        # the same removal, the headline naming the holder of another office beside him
        item(
            "daily",
            "President Boateng says Osei removal must be respected",
            "President Yaw Boateng said on Wednesday that the assembly's vote to remove Governor "
            "Kwame Osei over road contracts for his brother's firm must be respected.",
            hours=4,
        ),
    ],
)
def test_one_holder_told_again_joins(later: Item) -> None:
    assert ingest(StoryIndex(), OSEI, later)[1].story_id == 1


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Lawmakers vote to remove Governor Osei", {"osei"}),
        ("Mayor Ama Mensah orders town evacuated", {"mensah"}),
        ("Governor General opens parliament", set()),  # an office's word, no holder
        ("Governor Signs Road Bill Into Law After Long Debate", set()),  # title case
        ("The governor Osei was removed", set()),  # the title written small
    ],
)
def test_a_headline_names_an_office_holder(title: str, named: set[str]) -> None:
    assert features(title, "").holders == {term_id(root(name)) for name in named}
