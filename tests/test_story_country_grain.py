"""A country's name or adjective against a report that places its event in that country is no
conflicting name (story_signals.PairSignals._names_apart): one place at two grains. Two places
of one grain in one country still conflict. Every headline and lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.stories import StoryIndex

# The country's adjective, where the other report names the city
NORWEGIAN = item(
    "paper",
    "Blaze destroys Norwegian fish market",
    "Flames tore through the 150-year-old fish market in the port city before dawn, police "
    "said; no one was hurt.",
    hours=2,
)


def test_a_country_adjective_and_a_city_placed_in_that_country_join() -> None:
    city = item(
        "wire",
        "Fire guts Bergen fish market",
        "A fire swept through the historic fish market in Bergen, Norway, overnight, destroying "
        "20 stalls, police said.",
    )
    assert ingest(StoryIndex(), city, NORWEGIAN)[1].story_id == 1


def test_two_states_of_one_country_still_conflict() -> None:
    ohio = item(
        "wire",
        "Measles outbreak declared in Ohio as cases reach 30",
        "Health officials in Ohio declared a measles outbreak on Monday after 30 cases were "
        "confirmed.",
    )
    oregon = item(
        "paper",
        "Measles outbreak declared in Oregon as cases reach 30",
        "Health officials in Oregon declared a measles outbreak on Monday after 30 cases were "
        "confirmed.",
        hours=2,
    )
    assert ingest(StoryIndex(), ohio, oregon)[1].story_id is None


def test_a_country_named_but_not_where_the_other_places_its_event_conflicts() -> None:
    """The other report only mentions the country (no "in Norway"): no grain to read."""
    city = item(
        "wire",
        "Fire guts Bergen fish market",
        "A fire swept through the historic fish market in Bergen overnight, destroying 20 "
        "stalls; Norway's fisheries minister visited in the morning.",
    )
    assert ingest(StoryIndex(), city, NORWEGIAN)[1].story_id is None


# A city the gazetteer knows only since places._CITIES, against its country at a wider grain
SLOVAKIA = item(
    "paper",
    "Four dead as passenger and freight trains collide in eastern Slovakia",
    "Four people died and 30 were hurt when a passenger train ran into a freight train in "
    "eastern Slovakia on Tuesday, the rail operator said.",
    hours=3,
)
KOSICE = item(
    "wire",
    "Four killed as passenger train hits freight train near Kosice",
    "A passenger train collided with a freight train near Kosice on Tuesday morning, "
    "killing four people and injuring 30, rail officials said.",
)


def test_a_city_and_its_country_at_a_wider_grain_join() -> None:
    assert ingest(StoryIndex(), KOSICE, SLOVAKIA)[1].story_id == 1


def test_a_city_against_another_country_still_conflicts() -> None:
    hungary = item(
        "paper",
        "Four dead as passenger and freight trains collide in eastern Hungary",
        "Four people died and 30 were hurt when a passenger train ran into a freight train in "
        "eastern Hungary on Tuesday, the rail operator said.",
        hours=3,
    )
    assert ingest(StoryIndex(), KOSICE, hungary)[1].story_id is None


def test_two_cities_of_one_country_still_conflict() -> None:
    krakow = item(
        "wire",
        "Gas blast wrecks apartment block in Krakow, three dead",
        "A gas explosion tore through a five-storey apartment block in Krakow on Sunday night, "
        "killing three people, firefighters said.",
    )
    lodz = item(
        "paper",
        "Gas blast wrecks apartment block in Lodz, three dead",
        "A gas explosion tore through a five-storey apartment block in Lodz on Sunday night, "
        "killing three people, firefighters said.",
        hours=2,
    )
    assert ingest(StoryIndex(), krakow, lodz)[1].story_id is None
