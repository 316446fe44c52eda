"""A town against its country in the name-conflict veto (story_signals._names_apart): a headline
naming a town of the generated town table (places.towns, descriptions.TOWN_BITS) and a report
placed in that town's country tell one place at two grains. The town places nothing of its own
(it never parts two reports); two towns of one country, or a town against a city of its country,
still conflict. Every headline and lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher import places
from watcher.descriptions import COUNTRY_BITS, TOWN_BITS, _term
from watcher.model import Tier
from watcher.stories import StoryIndex

TOWN = item(
    "county",
    "Bus plunges off road outside Machakos, 14 dead",
    "A bus carrying market traders left the road on a sharp bend outside Machakos on Saturday "
    "morning and rolled down an embankment, killing 14 people and injuring 30, police said.",
)
_WIRE_LEAD = (
    "Fourteen people were killed and 30 hurt when a bus carrying traders to market rolled down "
    "an embankment in eastern Kenya on Saturday after a tyre burst, police said."
)


def test_a_town_is_its_countrys_only_in_the_town_table() -> None:
    machakos = TOWN_BITS[_term("machakos")]
    assert machakos == COUNTRY_BITS[_term("kenya")]
    assert ("machakos",) not in places.KNOWN  # no place of the gazetteer: it parts nothing
    assert _term("nairobi") not in TOWN_BITS  # the gazetteer's own are no town's


def test_a_town_and_its_country_join() -> None:
    kenya = item("wire", "Kenya bus crash kills 14 traders after tyre bursts", _WIRE_LEAD, 5)
    assert ingest(StoryIndex(), TOWN, kenya)[1].tier is Tier.EVENT
    assert ingest(StoryIndex(), kenya, TOWN)[1].tier is Tier.EVENT


def test_a_town_and_another_town_of_its_country_still_conflict() -> None:
    for other in ("Nyeri", "Kisumu"):  # a town of the table, a city of the gazetteer
        kenya = item("wire", f"Kenya bus crash near {other} kills 14 traders", _WIRE_LEAD, 5)
        assert ingest(StoryIndex(), TOWN, kenya)[1].story_id is None, other
