"""A headline measuring its own act from the story's happening as past ("Minister quits a day
after bribery charges": similarity's `after_told` / `after_act`, story_signals
PairSignals._next_act_apart): another act is the next event, a follow-up of the happening (a
toll, an arrest, an inquiry, its burials) the same story. Every headline and lead here is
invented (h-after, session 25)."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id


def _tid(word: str) -> int:
    return term_id(root(word))


def test_the_act_and_what_it_is_measured_from() -> None:
    feats = features("Tarvos governor resigns a day after impeachment vote", "")
    assert _tid("impeachment") in feats.after_told
    assert _tid("resigns") in feats.after_act
    assert _tid("impeachment") not in feats.after_act
    # A follow-up's words (an arrest, a toll, an inquiry), a happening of the kind it is
    # measured from (_earlier's), a coming happening ("hours before"), a span within which ("in a
    # year after"), a kind of happening (a disaster's aftermath in any words) or no cue: none.
    for title in (
        "Port chief arrested a day after bribery raid",
        "Toll rises to 12 a day after Ostrava mine blast",
        "Investigators search plant a day after ammonia leak",
        "Wildfire threatens suburbs a day after blaze broke out on the ridge",
        "Senate passes funding bill hours before midnight deadline",
        "Forint posts biggest gain in a year after rate shock",
        "Thousands still without power three days after Typhoon Koinu",
        "Governor resigns over impeachment vote",
    ):
        assert features(title, "").after_act == frozenset(), title


VOTE = item(
    "local",
    "Tarvos lawmakers vote to impeach governor over road funds",
    "The Tarvos state assembly voted 40 to 12 on Wednesday to impeach Governor Lena Moravec "
    "over road funds auditors say went to her relatives' firms.",
)
RIOT = item(
    "local",
    "Eleven inmates killed in Kessel prison riot",
    "Fighting between rival gangs at Kessel prison left eleven inmates dead on Monday.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            VOTE,
            item(
                "wire",
                "Tarvos governor resigns a day after impeachment vote",
                "Lena Moravec resigned as governor of Tarvos on Thursday, a day after the state "
                "assembly voted to impeach her over road funds.",
                hours=20,
            ),
        ),
        (
            RIOT,
            item(
                "wire",
                "Thirty inmates escape jail a day after deadly riot elsewhere",
                "About thirty prisoners broke out of Orlen prison before dawn on Tuesday, a day "
                "after eleven inmates were killed in gang fighting at Kessel prison.",
                hours=19,
            ),
        ),
    ],
)
def test_the_next_act_measured_from_the_story_is_another_event(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            RIOT,
            item(
                "wire",
                "Kessel families bury their dead a day after prison riot",
                "Families in Kessel buried on Tuesday the first of eleven inmates killed in "
                "gang fighting at the town's prison.",
                hours=18,
            ),
        ),
        (
            VOTE,
            item(
                "wire",
                "Tarvos governor resigns after impeachment vote",
                "Lena Moravec resigned as governor of Tarvos on Wednesday night, hours after "
                "the state assembly voted to impeach her over road funds.",
                hours=3,
            ),
        ),
        (
            item(
                "wire",
                "Tarvos governor resigns after impeachment vote",
                "Lena Moravec resigned as governor of Tarvos on Wednesday night, hours after "
                "the state assembly voted to impeach her over road funds.",
            ),
            item(
                "other",
                "Tarvos governor quits a day after impeachment vote",
                "Lena Moravec stepped down as governor of Tarvos on Thursday, a day after the "
                "state assembly voted to impeach her.",
                hours=12,
            ),
        ),
    ],
)
def test_a_follow_up_or_the_same_act_measured_from_it_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1
