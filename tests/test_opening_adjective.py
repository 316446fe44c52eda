"""A headline opening on an adjective of size, force or harm ("Massive blaze guts ...", "Toxic
gas cloud ...") has no subject (similarity._subject): the adjective is no name to set against
the other report's town. A company's name opening a headline is still its subject
(tests/test_stories.py, templated reports). Every headline and lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.similarity import NO_SUBJECT, features
from watcher.stories import StoryIndex


def test_an_opening_adjective_is_no_subject() -> None:
    assert features("Massive blaze guts sawmill", "Flames tore through a sawmill.").subject == (
        NO_SUBJECT
    )
    assert features("Vestas shares slide", "Vestas said orders fell.").subject != NO_SUBJECT


def test_one_fire_told_with_an_adjective_and_with_its_town_joins() -> None:
    town = item(
        "wire",
        "Sundsvall sawmill fire: 30 firefighters battle flames through the night",
        "Thirty firefighters battled a fire at a sawmill on the edge of Sundsvall through the "
        "night, and nearby homes were told to keep windows shut because of the smoke.",
    )
    adjective = item(
        "paper",
        "Massive blaze guts sawmill, 30 firefighters battle flames",
        "A fire destroyed a sawmill in northern Sweden overnight as 30 firefighters battled the "
        "flames, and residents nearby were told to keep windows shut because of the smoke.",
        hours=2,
    )
    assert ingest(StoryIndex(), town, adjective)[1].story_id == 1


def test_two_fires_in_other_towns_stay_apart() -> None:
    first = item(
        "wire",
        "Massive blaze guts sawmill in Sundsvall",
        "Thirty firefighters battled a fire at a sawmill in Sundsvall through the night.",
    )
    second = item(
        "paper",
        "Massive blaze guts sawmill in Kuopio",
        "Thirty firefighters battled a fire at a sawmill in Kuopio through the night.",
        hours=2,
    )
    assert ingest(StoryIndex(), first, second)[1].story_id is None
