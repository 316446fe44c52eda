"""Two rival parties doing one thing in two headlines ("Senate Republicans unveil tax plan ..."
/ "Senate Democrats unveil plan to tax ...") are two events, even where a lead names the other
party; one event told by outlets of opposite leanings, each headline opening on its own side
("Democrats' voting bill fails" / "Republicans block ..."), or sharing the name it happened
to, still joins (story_signals.PairSignals._parties_apart). Every headline and lead here is
invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id

TAX_CUT = item(
    "right",
    "Senate Republicans unveil plan to cut payroll taxes for small firms",
    "Senate Republicans on Wednesday released a plan to halve payroll taxes for businesses "
    "with fewer than 50 workers for two years. Democrats said it would drain Social "
    "Security's trust fund.",
)
BUYBACK_TAX = item(
    "left",
    "Senate Democrats unveil plan to tax stock buybacks",
    "Senate Democrats on Wednesday proposed a 4% tax on corporate stock buybacks to pay for "
    "an expansion of home care for the elderly. Republicans called it a job killer.",
    hours=2,
)


@pytest.mark.parametrize(
    ("title", "party", "act"),
    [
        ("Senate Republicans unveil tax plan", "republican", "unveil"),
        ("House GOP leaders block aid bill", "republican", "block"),  # "leaders": generic
        ("Democratic governors unveil insulin plan", "democrat", "unveil"),  # members
        ("The Dems fume over filibuster", "democrat", "fume"),
    ],
)
def test_a_headline_opening_on_a_party_has_it_as_actor(title: str, party: str, act: str) -> None:
    assert features(title, "").party == (term_id(root(party)), term_id(root(act)))


@pytest.mark.parametrize(
    "title",
    ["Trump attacks Democrats over border funding", "Voters in Ohio back Republican map"],
)
def test_a_party_named_further_on_is_no_actor(title: str) -> None:
    assert features(title, "").party == ()


@pytest.mark.parametrize(("first", "second"), [(TAX_CUT, BUYBACK_TAX), (BUYBACK_TAX, TAX_CUT)])
def test_two_parties_plans_on_one_template_stay_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            item(
                "left",
                "Democrat Marisol Quintero concedes Nevada governor's race",
                "Democrat Marisol Quintero conceded the Nevada governor's race on Thursday, "
                "two days after the vote, saying the count left her about 9,000 votes short.",
            ),
            item(
                "right",
                "GOP flips Nevada governor's mansion as Quintero concedes",
                "Republicans took back the Nevada governor's mansion on Thursday when Democrat "
                "Marisol Quintero admitted defeat to businessman Dale Whitcomb.",
                hours=3,
            ),
        ),
        (
            item(
                "right",
                "Republicans take control of the Senate",
                "Republicans won a majority in the Senate on Tuesday night, flipping seats in "
                "West Virginia and Montana, projections showed.",
            ),
            item(
                "left",
                "Democrats lose control of the Senate after defeats in Montana and Ohio",
                "Democrats lost their Senate majority on Tuesday night as incumbents fell in "
                "Montana and Ohio, projections showed.",
                hours=1,
            ),
        ),
        (
            item(
                "left",
                "Democrats' voting bill fails in Senate",
                "A sweeping elections bill backed by Senate Democrats failed on Tuesday night "
                "after it fell short of the 60 votes needed to advance it.",
            ),
            item(
                "right",
                "Republicans block Democrats' sweeping elections bill",
                "Senate Republicans on Tuesday blocked debate on a Democratic elections bill, "
                "voting in unison against advancing it.",
                hours=2,
            ),
        ),
    ],
)
def test_one_event_told_by_both_sides_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1
