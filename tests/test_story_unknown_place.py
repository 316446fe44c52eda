"""One place at two grains where the tables know only one of them (story_signals.PairSignals.
_names_apart, descriptions.COUNTRY_BITS): a country named in several words ("New Zealand") is
a country's name at the wider grain of its cities, as "Norway" is; a place no table knows
against a country still conflicts (it may lie in any country), and two names at one grain
conflict. Every headline and lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.stories import StoryIndex


def _wildfire(feed: str, near: str, lead: str = "", hours: float = 0.0) -> Item:
    """The template's report of a wildfire near `near`, its lead placing it `lead` (or near
    the same place)."""
    return item(
        feed,
        f"Wildfire near {near} forces hundreds to flee their homes",
        "A wildfire fanned by strong winds spread through pine forest "
        f"{lead or 'near ' + near} on Sunday and forced hundreds of residents to leave, the fire "
        "service said.",
        hours=hours,
    )


VILIA = _wildfire("radio", "Vilia")
GREECE = item(
    "wire",
    "Wildfire forces hundreds to flee their homes in Greece",
    "A wildfire fanned by strong winds spread through pine forest in Greece on Sunday and "
    "forced hundreds of residents to leave, the fire service said.",
    hours=2,
)


def test_an_unknown_place_and_a_country_stay_apart() -> None:
    # The spot may lie in any country: waiving the conflict (session 16, h-namings2) joined two
    # events of one kind told in close words (h-review: Mont Blanc / Switzerland, a UK mall /
    # Germany, Farewell Spit / Australia), the worst failure; a split is a duplicate alert.
    assert ingest(StoryIndex(), VILIA, GREECE)[1].story_id is None
    assert ingest(StoryIndex(), GREECE, VILIA)[1].story_id is None
    peak = item("radio", "Avalanche on Mont Blanc kills three climbers", "")
    swiss = item("wire", "Avalanche kills three climbers in Switzerland", "", hours=2)
    assert ingest(StoryIndex(), peak, swiss)[1].story_id is None


def test_two_unknown_places_still_conflict() -> None:
    kalamos = _wildfire("wire", "Kalamos", hours=2)
    assert ingest(StoryIndex(), VILIA, kalamos)[1].story_id is None


def test_an_unknown_place_whose_report_names_another_country_still_conflicts() -> None:
    sweden = _wildfire("radio", "Vilia", lead="near Vilia in Sweden")
    assert ingest(StoryIndex(), sweden, GREECE)[1].story_id is None


def test_a_known_city_against_an_unknown_place_still_conflicts() -> None:
    christchurch = _wildfire("wire", "Christchurch", hours=2)
    assert ingest(StoryIndex(), VILIA, christchurch)[1].story_id is None


# A country named in two words, against its city
DUNEDIN = item(
    "wire",
    "Fire guts Dunedin fish market",
    "A fire swept through the historic fish market in Dunedin overnight, destroying 20 stalls, "
    "police said.",
)


def _market(country: str) -> Item:
    return item(
        "paper",
        f"Blaze destroys {country} fish market",
        "Flames tore through the 150-year-old fish market in the port city before dawn, police "
        "said; no one was hurt.",
        hours=2,
    )


def test_a_city_and_its_country_named_in_two_words_join() -> None:
    assert ingest(StoryIndex(), DUNEDIN, _market("New Zealand"))[1].story_id == 1
    colombo = item(
        "wire",
        "Fire guts Colombo fish market",
        "A fire swept through the historic fish market in Colombo overnight, destroying 20 "
        "stalls, police said.",
    )
    assert ingest(StoryIndex(), colombo, _market("Sri Lanka"))[1].story_id == 1


def test_a_city_against_another_country_still_conflicts() -> None:
    assert ingest(StoryIndex(), DUNEDIN, _market("Australian"))[1].story_id is None
    assert ingest(StoryIndex(), DUNEDIN, _market("South Africa"))[1].story_id is None
