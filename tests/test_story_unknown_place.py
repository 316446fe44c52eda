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


def test_a_word_only_one_report_writes_as_a_name_is_no_shared_actor() -> None:
    # Two market fires in two towns, the one town's report writing "Central Market" and "Bureau
    # of Fire Protection" as names, the other "the central market" and "fire" in lower case:
    # their headlines' town names conflict, and no name shared by both lifts the veto (the
    # one-stream Iloilo / Bouaké fires, session 22, joined at 0.976).
    tamoro = item(
        "paper",
        "Fire guts Tamoro central market",
        "A fire that broke out late on Saturday swept through the central market of Tamoro, "
        "destroying hundreds of stalls of cloth and food, the fire brigade said.",
    )
    velindra = item(
        "wire",
        "Fire guts Velindra Central Market, 300 stalls lost",
        "A fire that started in a food stall before dawn on Sunday razed most of the Velindra "
        "Central Market, destroying about 300 stalls, the Bureau of Fire Protection said. No "
        "one was hurt.",
        hours=5,
    )
    assert ingest(StoryIndex(), tamoro, velindra)[1].story_id is None
    # ... nor "Coast Guard" against "the south coast"
    carrier = item(
        "paper",
        "Freighter runs aground leaving Porthaven harbor",
        "The ore freighter Marta Lind ran aground in the Porthaven ship canal on Tuesday as it "
        "left with 50,000 tons of iron ore. The Coast Guard said no fuel leaked and tugs were "
        "on their way.",
    )
    tanker = item(
        "wire",
        "Tanker runs aground off Sorvik, leaking fuel",
        "A tanker carrying 3,000 tonnes of diesel ran aground on a reef off the south coast of "
        "Sorvik early on Wednesday. The crew were safe, but fuel was seen leaking from a "
        "cracked tank.",
        hours=5,
    )
    assert ingest(StoryIndex(), carrier, tanker)[1].story_id is None


def test_a_town_both_reports_write_as_a_name_still_joins_across_grains() -> None:
    # One fire: the wire names the country's region in its headline and the town, which both
    # write as a name, in its lead.
    paper = item(
        "paper",
        "Fire guts Tamoro Central Market, hundreds of traders count losses",
        "A fire that started in a cloth stall late on Tuesday razed large parts of the Tamoro "
        "Central Market, destroying hundreds of stalls before the fire service brought it under "
        "control. No one was hurt.",
    )
    wire = item(
        "wire",
        "Blaze destroys hundreds of stalls at market in western Ghana",
        "A fire tore through the central market in Tamoro late on Tuesday, destroying hundreds "
        "of stalls and leaving traders in the Ghanaian town without stock, the fire service "
        "said. No one was hurt.",
        hours=9,
    )
    assert ingest(StoryIndex(), paper, wire)[1].story_id == 1
