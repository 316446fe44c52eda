"""One kind of happening in two places the country grain cannot part (issue 11, precision):
two headlines naming two states of one country (places._STATES: a US state, a Canadian
province, an Indian state ...), neither report naming the other's, are two stories
(story_signals.PairSignals._states_apart); and two headlines naming places of two countries by
their names, told or not ("Flash floods sweep cars through Lusaka streets"), neither report
naming the other's country, are two stories (_headlines_apart, places.located_states' sixth).
A city and its state (places._REGIONS), a people's word against a place (it tells who, not
where) still join. Every headline and lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher import places
from watcher.similarity import _tokens
from watcher.stories import StoryIndex


def joined(first: tuple[str, str], then: tuple[str, str]) -> bool:
    one = item("wire", *first)
    other = item("paper", *then, hours=2)
    return ingest(StoryIndex(), one, other)[1].story_id == 1


def located(
    title: str, lead: str = ""
) -> tuple[int, int, int, int, int, int, str | None, str | None]:
    return places.located_states(list(filter(None, _tokens(title))), _tokens(lead) if lead else [])


def test_two_states_tax_cuts_told_by_their_states_are_two_stories() -> None:
    assert not joined(
        (
            "Nebraska governor signs bill cutting income tax",
            "Governor Mark Tolland signed a bill on Tuesday that lowers the top income tax rate "
            "to 4.5% over three years, calling it relief for working families.",
        ),
        (
            "Iowa House passes income tax cut bill",
            "The Iowa House voted 61-37 on Tuesday to cut the state income tax to a flat 3.9%, "
            "sending the bill to Governor Ellen Marsh, who is expected to sign it.",
        ),
    )


def test_two_states_of_one_country_sharing_its_name_are_two_stories() -> None:
    # "the Indian state of ..." in both leads: the country's word is no actor they share.
    assert not joined(
        (
            "Footbridge collapses into river in Goa, four dead",
            "A footbridge collapsed into a swollen river in the Indian state of Goa on Saturday, "
            "killing four people, police said.",
        ),
        (
            "Four dead as footbridge gives way in Kerala",
            "Four people died when a crowded footbridge gave way over a river in the southern "
            "Indian state of Kerala on Saturday evening, officials said.",
        ),
    )


def test_a_headline_naming_a_city_of_another_country_is_another_story() -> None:
    # "sweep ... through" tells nothing (no locative), but the headline names Lusaka
    assert not joined(
        ("Flash Floods Hit Paraguay After Days of Storms", ""),
        ("Flash floods sweep cars through Lusaka streets", ""),
    )


def test_a_state_and_its_city_are_one_place() -> None:
    assert joined(
        (
            "Wildfire forces evacuations in California",
            "A fast-moving wildfire forced thousands from their homes on Friday.",
        ),
        (
            "Los Angeles wildfire forces thousands to flee",
            "Thousands fled their homes in the hills above Los Angeles on Friday as a wildfire "
            "spread.",
        ),
    )
    assert located("Mandatory evacuations in Houston")[3] == located("Floods in Texas")[3] != 0
    assert located("Floods in New South Wales")[3] == located("NSW floods")[3] != 0
    assert located("Oklahoma governor vetoes tax cut")[3] != located("Ohio teen shot")[3]
    # a state named only in the lead is a mention, not the headline's
    nebraska = located("Governor signs tax cut", "Nebraska's governor signed it on Tuesday.")
    assert nebraska[3] == 0 and nebraska[4] == located("Nebraska")[3] != 0
    # "Washington" is as often the US government: no state
    assert located("Washington warns Beijing over tariffs")[3] == 0


def test_a_peoples_word_names_no_place_in_a_headline() -> None:
    assert located("Danish tourist killed in shark attack")[5] == 0
    assert located("Shark kills tourist at Egypt's Marsa Alam resort")[5] != 0
    assert located("Flash floods sweep cars through Lusaka streets")[5] != 0


def test_two_cities_of_one_country_are_two_stories_even_with_one_actor() -> None:
    # session 20 (h-places3): one airline, two cities of France, two emergency landings
    assert not joined(
        (
            "Rhone Air jet makes emergency landing in Bordeaux after smoke in cabin",
            "A Rhone Air A320 returned to Bordeaux on Monday after the crew reported smoke in the "
            "cabin; all 150 passengers left the plane safely, the airline said.",
        ),
        (
            "Rhone Air jet makes emergency landing in Marseille after smoke in cabin",
            "A Rhone Air A321 turned back to its departure airport on Monday after the crew "
            "reported smoke in the cabin; all 190 passengers left the plane safely.",
        ),
    )
    assert located("Jet lands in Bordeaux after engine fire")[6] == "Bordeaux"
    assert located("Blast at market kills five in Pakistan's Karachi")[6] == "Karachi"
    assert located("Bordeaux wine exports fall")[6] == "Bordeaux"  # the place it opens on
    assert located("Wine exports from France fall")[6] is None  # a country is no city
    assert located("Mayor of Bordeaux to visit Lyon")[6] is None  # nothing told in either


def test_a_city_and_its_country_or_two_cities_naming_each_other_are_one_story() -> None:
    assert joined(
        (
            "Tram derails in Lyon, nine hurt",
            "A tram came off the rails near the Part-Dieu station in Lyon on Monday morning, "
            "injuring nine passengers, the operator said.",
        ),
        (
            "France tram derailment: nine hurt as carriage leaves the rails",
            "Nine passengers were hurt when a tram carriage left the rails near a busy station on "
            "Monday morning, the operator said.",
        ),
    )
    assert joined(
        (
            "Storm floods streets in Bordeaux, thousands without power",
            "Storm Hugo flooded streets in Bordeaux on Sunday and left thousands without power, "
            "after hitting Toulouse overnight, officials said.",
        ),
        (
            "Storm Hugo tears roofs off homes in Toulouse",
            "Storm Hugo tore roofs off homes in Toulouse overnight before moving on to Bordeaux, "
            "where streets flooded on Sunday, officials said.",
        ),
    )


def test_one_strike_told_at_two_airports_is_one_story() -> None:
    # session 21 (h-places4): a city after travellers' disruption ("flights in", "stranded in")
    # is where the strike is felt, not where it happened: no two cities of one country
    assert joined(
        (
            "Rhone Air strike cancels hundreds of flights in Lyon",
            "A strike by Rhone Air cabin crew cancelled hundreds of flights at Lyon airport on "
            "Thursday, leaving thousands of passengers stuck, the union said.",
        ),
        (
            "Rhone Air strike leaves passengers stranded in Marseille",
            "Thousands of passengers were stranded at Marseille airport on Thursday as Rhone Air "
            "cabin crew walked out in a dispute over rosters, the union said.",
        ),
    )
    assert located("Rhone Air strike cancels hundreds of flights in Lyon")[6] is None
    assert located("Passengers stranded at Marseille airport")[6] is None
    assert located("Rhone Air jet makes emergency landing in Lyon")[6] == "Lyon"  # told there
