"""A headline telling its happening against a backdrop ("... during England tour", "... amid
a debt crisis": textcues.backdrop, story_signals.PairSignals._backdrop_apart): names shared only
there are no agreement with the story the backdrop names. Every headline and lead is invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import _tokens, features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id
from watcher.textcues import backdrop


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("Bomb threat against Kestrels during Scotland tour", "Bomb threat against Kestrels"),
        ("Central bank pumps cash amid developer's crisis", "Central bank pumps cash"),
        ("Amid the storm, ferries stay in port", ""),  # nothing of its own before it
        ("Strike halts Port of Antwerp", ""),
    ],
)  # fmt: skip
def test_the_words_a_headline_tells_its_own_happening_in(text: str, before: str) -> None:
    tokens = _tokens(text)
    assert " ".join(tokens[: backdrop(tokens)]) == before


def test_the_names_before_and_the_capitals_after_the_cue() -> None:
    feats = features(
        "Bomb threat made against Kestrels during Scotland tour",
        "The Kestrels were moved from their hotel after a bomb threat.",
    )
    assert term_id(root("kestrels")) in feats.front
    assert term_id(root("scotland")) in feats.behind
    assert term_id(root("tour")) not in feats.behind  # written small
    assert features("Scotland pull out of Bangladesh tour", "").front == frozenset()


TOUR = item(
    "wire",
    "Scotland's men's and women's sides pull out of Bangladesh one-day tour",
    "Cricket Scotland withdrew its men's and women's teams from next month's one-day tour of "
    "Bangladesh on Monday, citing security concerns after threats against touring sides.",
)


def test_another_happening_told_against_the_storys_as_its_backdrop_stays_apart() -> None:
    """A touring side's bomb threat "during Scotland tour", hours after Scotland's withdrawal
    from a tour elsewhere (the real day's White Ferns and England's Pakistan tour, h-realday6):
    joined at p 0.975 before."""
    threat = item(
        "paper",
        "Bomb threat made against Kestrels during Scotland tour",
        "Ireland's women's cricket team, the Kestrels, were moved from their hotel in Edinburgh "
        "on Sunday after a bomb threat against the squad, the team's management said.",
        hours=2,
    )
    assert ingest(StoryIndex(), TOUR, threat)[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # its own happening's name shared: the backdrop is no other happening
        (
            item(
                "wire",
                "Bomb threat against Kestrels in Edinburgh",
                "Ireland's women's cricket team, the Kestrels, were moved from their Edinburgh "
                "hotel on Sunday after a bomb threat against the squad.",
            ),
            item(
                "paper",
                "Kestrels evacuated from hotel during Scotland tour",
                "The Kestrels, Ireland's women's cricket team, left their hotel in Edinburgh on "
                "Sunday after a bomb threat, the team's management said.",
                hours=2,
            ),
        ),
        # nothing named before the cue: one happening told in its backdrop
        (
            item(
                "wire",
                "Police fire tear gas at Leeds climate march",
                "Police in Leeds fired tear gas on Saturday at climate protesters marching "
                "through the city centre.",
            ),
            item(
                "paper",
                "Tear gas fired during Leeds climate march",
                "Officers used tear gas on Saturday as thousands of climate protesters marched "
                "through Leeds city centre.",
                hours=2,
            ),
        ),
        # before the cue only the people's word of the country the story is placed in: where,
        # not another happening (h-review, session 17: split, p 0.97 without the rule)
        (
            item(
                "wire",
                "Riot police clash with Lima teachers' strike marchers",
                "Riot police in Lima fired tear gas on Thursday at thousands of striking "
                "teachers marching on Congress over pay.",
            ),
            item(
                "paper",
                "Striking teacher dies after clash with Peruvian police during Lima march",
                "A 52-year-old teacher died in hospital on Thursday after riot police broke up "
                "a march of striking teachers in the capital, the union said.",
                hours=3,
            ),
        ),
    ],
)
def test_one_happening_told_in_its_backdrop_still_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1
