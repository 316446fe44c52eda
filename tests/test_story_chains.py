"""A story must not chain from one event into another through a run of neighbours (issue 11,
item 3): the chain floor and the "unrelated to" guard of stories.py / story_signals.py. The
held-out cases of this kind are in tests/data/story_cases.toml, section (h)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from tests.test_stories import ingest, item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.story_model import FEATURES, JoinModel, default_model
from watcher.textcues import disowned, repeated

GROUNDING = item(
    "wire",
    "Chemical tanker runs aground off Brittany coast",
    "The Maltese-flagged tanker Orla Star ran aground near Brest on Monday night; coastguards "
    "said no chemicals had leaked so far.",
)
INQUIRY = item(
    "paper",
    "Inquiry opened into owner of chemical tanker aground off Brittany",
    "Prosecutors in Brest opened an inquiry into Helios Shipping, owner of the Orla Star tanker "
    "that ran aground on Monday night, and its chairman Nikos Vardakis.",
    hours=9,
)
# The chairman's arrest in another case: it fits the inquiry (the company, the man, Brest),
# hardly the grounding.
ARREST = item(
    "radio",
    "Helios Shipping chairman Nikos Vardakis, under inquiry in Brest, arrested",
    "Nikos Vardakis, chairman of Helios Shipping, whose company faces an inquiry opened by "
    "Brest prosecutors, was arrested by Greek police on Tuesday in a bribery investigation.",
    hours=20,
)


def neighbour_only() -> JoinModel:
    """The shipped model with the first report's cosine weighed as the closest's: a model
    that judges a join by the story's nearest report alone, which chains."""
    model = default_model()
    weights = list(model.weights)
    first, closest = FEATURES.index("cos_anchor"), FEATURES.index("cos_best")
    weights[closest] += weights[first]
    weights[first] = 0.0
    return dataclasses.replace(model, weights=tuple(weights))


def test_a_late_report_that_fits_only_through_a_neighbour_starts_its_own_story() -> None:
    # Without the floor, a model that looks at the nearest report chains the arrest in.
    chained = ingest(
        StoryIndex(model=neighbour_only(), chain_floor=0.0), GROUNDING, INQUIRY, ARREST
    )
    assert [d.story_id for d in chained] == [None, 1, 1]
    # With it, 20 h after the grounding the arrest must also fit the grounding alone.
    decisions = ingest(StoryIndex(model=neighbour_only()), GROUNDING, INQUIRY, ARREST)
    assert [d.story_id for d in decisions] == [None, 1, None]
    # Sooner than chain_after (18 h) after the first report, the floor does not apply.
    sooner = dataclasses.replace(ARREST, published=ARREST.published - timedelta(hours=8))
    assert ingest(StoryIndex(model=neighbour_only()), GROUNDING, INQUIRY, sooner)[2].story_id == 1


def test_the_shipped_model_keeps_the_arrest_apart_too() -> None:
    decisions = ingest(StoryIndex(), GROUNDING, INQUIRY, ARREST)
    assert [d.story_id for d in decisions] == [None, 1, None]


def owner_arrested(clause: str) -> str:
    return (
        "Nikos Vardakis, chairman of Helios Shipping, owner of the chemical tanker that ran "
        f"aground off Brest, was arrested in Athens on Tuesday{clause}."
    )


def test_a_report_saying_it_is_unrelated_to_the_storys_event_does_not_join_it() -> None:
    title = "Owner of tanker aground off Brittany arrested in Athens"

    def joined(clause: str) -> bool:
        later = item("radio", title, owner_arrested(clause), hours=6)
        return ingest(StoryIndex(), GROUNDING, later)[1].story_id == 1

    assert joined("")  # the same words without the disclaimer join: the guard splits it
    assert not joined(", in a bribery case unrelated to the tanker")
    assert not joined(" in a case that has nothing to do with the tanker")
    # What it disowns is not the story's event: it joins.
    assert joined(", in a case police said was not linked to terrorism")


def test_disowned_words_follow_the_cue_to_the_sentences_end() -> None:
    def words(text: str) -> list[str]:
        return disowned(text.split())

    assert words("arrested in a separate case unrelated to this week's fire") == [
        "this",
        "week's",
        "fire",
    ]
    assert words("the board said it was not connected with the accident in Lisbon") == [
        "the",
        "accident",
        "in",
        "Lisbon",
    ]
    assert words("said the sentiment has nothing to do with her vote to impeach him") == [
        "her",
        "vote",
        "to",
        "impeach",
        "him",
    ]
    assert words("Unrelated to the fire") == ["the", "fire"]
    # "related to" / "connected to" alone, or a link that is not denied, disown nothing.
    assert words("a fire related to the heatwave and a link to the blaze") == []
    assert words("the arrest is connected to the fire") == []
    # Where the sentence ends (similarity's "" token), what is disowned ends.
    assert disowned(["unrelated", "to", "the", "fire", "", "Police", "said"]) == ["the", "fire"]


def test_features_keep_the_terms_of_what_a_report_disowns() -> None:
    plain = features("Owner arrested", "He was arrested in Athens on Tuesday.")
    assert plain.disowned == frozenset()
    denied = features("Owner arrested", "He was arrested in a case unrelated to the 2 fires.")
    fire = features("Fire", "").weights.keys()
    assert denied.disowned == frozenset(fire)  # "the" is no term, "2" a figure
    # A name is no disowned word: every report of a campaign names its candidates.
    named = features("Speaker backs candidate", "She said it had nothing to do with Biden.")
    assert named.disowned == frozenset()


def test_a_headline_telling_a_second_happening_names_what_happened_again() -> None:
    def words(text: str) -> list[str]:
        return repeated(text.split())

    assert words("Second shark attack in two days") == ["shark", "attack"]
    assert words("Another quake hits Crete") == ["quake", "hits"]
    # It goes on, or an amount, or one name: nothing happened again.
    assert words("Protests enter second day in Lima") == []
    assert words("Third straight night of riots") == []
    assert words("Another 1.5 million file jobless claims") == []
    assert words("Yang to launch a third party") == []
    assert repeated(["second", "", "Shark"]) == []  # the sentence ends


SURFER = item(
    "surfer",
    "Surfer injured in shark attack at Byron Bay",
    "A surfer was bitten on the leg by a shark at Byron Bay on Saturday morning and was flown "
    "to hospital, police said.",
)


def test_a_second_attack_the_next_day_is_a_story_of_its_own() -> None:
    def joined(title: str) -> bool:
        later = item(
            "other",
            title,
            "A swimmer was bitten on the arm at Byron Bay on Sunday, a day after a surfer was "
            "attacked nearby. Lifeguards closed the beaches.",
            hours=20,
        )
        return ingest(StoryIndex(), SURFER, later)[1].story_id == 1

    # Told "a day after" the first as another act (bitten, not attacked nor injured): apart
    # too since h-after (session 25, PairSignals._next_act_apart); it joined before.
    assert not joined("Swimmer bitten by shark at Byron Bay a day after surfer attacked")
    assert not joined("Second shark attack in two days: swimmer bitten at Byron Bay")
