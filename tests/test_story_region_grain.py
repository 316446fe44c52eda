"""Other names for one place or body in the name-conflict veto (story_signals._names_apart):
a region against a headline naming a city in it (places.regions) is one place at two grains, and
a contraction opening a sentence ("What's", "Here's") is no name. Two cities of one region, a
region against a city of another, and two cities of one country still conflict. Every headline
and lead here is invented."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import term_id

HOUSTON = item(
    "wire",
    "Two blasts, black smoke reported at chemical plant outside Houston",
    "Two explosions were reported early on Thursday at the Arkema plant in Crosby, whose "
    "refrigeration failed after floodwaters knocked out power, the sheriff's office said. "
    "Deputies were taken to hospital after breathing in fumes.",
)
_PLANT = (
    "Organic peroxides stored at the site caught fire after the cooling failed, the company "
    "said, and it warned more blasts could follow. Residents within a mile had been evacuated."
)


def test_a_region_and_a_city_in_it_join() -> None:
    texas = item("paper", "Explosions at flooded Texas chemical plant", _PLANT, hours=2)
    assert ingest(StoryIndex(), HOUSTON, texas)[1].story_id == 1


def test_a_region_and_a_city_of_another_region_still_conflict() -> None:
    illinois = item(
        "paper",
        "Explosions at Illinois chemical plant",
        _PLANT.replace("at the site", "at the site near Chicago"),
        hours=2,
    )
    assert ingest(StoryIndex(), HOUSTON, illinois)[1].story_id is None


def test_two_cities_of_one_region_still_conflict() -> None:
    dallas = item("paper", "Explosions at chemical plant outside Dallas", _PLANT, hours=2)
    assert ingest(StoryIndex(), HOUSTON, dallas)[1].story_id is None


@pytest.mark.parametrize(
    ("city", "region"),
    [
        (
            item(
                "wire",
                "Gunman kills three at Houston birthday party",
                "A gunman opened fire at a birthday party in north Houston late Saturday, "
                "killing three people and wounding five, police said.",
            ),
            item(
                "paper",
                "Gunman kills two at Texas birthday party",
                "A gunman opened fire at a birthday party in Killeen, Texas, late Saturday, "
                "killing two people and wounding four, police said.",
                hours=3,
            ),
        ),
        (
            item(
                "wire",
                "Three shot dead at Chicago house party",
                "Three people were shot dead and seven wounded at a house party on Chicago's "
                "South Side early Sunday, police said.",
            ),
            item(
                "paper",
                "Three shot dead at Illinois house party",
                "Three people were shot dead and six wounded at a house party in Peoria, "
                "Illinois, early Sunday, police said.",
                hours=2,
            ),
        ),
    ],
)
def test_a_region_whose_lead_names_its_own_town_still_conflicts(city: Item, region: Item) -> None:
    """Two shootings of one state in a night: the state's report names its town."""
    assert ingest(StoryIndex(), city, region)[1].story_id is None
    assert ingest(StoryIndex(), region, city)[1].story_id is None


def _vote(town: str, lead_town: str) -> tuple[Item, Item]:
    city = item(
        "paper",
        f"{town} council approves $310m stadium at Mount Maunganui",
        f"{town} City Council voted 7-3 on Wednesday to build a 15,000-seat stadium at Baypark "
        "in Mount Maunganui at a cost of $310 million, paid for partly by a targeted rate. "
        "Opponents said ratepayers were being asked to carry too much of the risk.",
    )
    region = item(
        "wire",
        "Bay of Plenty to get 15,000-seat stadium after split council vote",
        f"Councillors in {lead_town} have narrowly backed a $310 million stadium, ending a "
        "decade of argument over where the region's rugby and concert crowds should go, mayor "
        "Hemi Tautahi said. The three who voted against said the city's debt was too high.",
        hours=3,
    )
    return city, region


def test_a_region_whose_lead_tells_it_in_the_other_headlines_city_joins() -> None:
    """The region's report names other names in its lead (a mayor), and the city the other
    headline names: it tells its event there, one place at two grains (h-othername)."""
    city, region = _vote("Tauranga", "Tauranga")
    assert ingest(StoryIndex(), city, region)[1].story_id == 1
    later = replace(city, published=region.published)
    assert ingest(StoryIndex(), region, later)[1].story_id == 1


def test_a_region_whose_lead_names_another_town_still_conflicts() -> None:
    """The region's lead names a town of it that the other report never mentions."""
    city, region = _vote("Tauranga", "Whakatane")
    assert ingest(StoryIndex(), city, region)[1].story_id is None
    assert (
        ingest(StoryIndex(), region, replace(city, published=region.published))[1].story_id is None
    )


def test_a_seas_word_is_no_name_of_its_own() -> None:
    """ "Timor Sea" names Timor: its "Sea" is no place the other report lacks."""
    deal = item("flash", "Timor-Leste and Australia sign Timor gas development deal", "")
    pact = item("hub", "Dili and Canberra seal Timor Sea gas development pact", "", hours=3)
    assert ingest(StoryIndex(), deal, pact)[1].story_id == 1


def test_two_fires_in_two_cities_of_one_country_stay_apart() -> None:
    lagos = item(
        "wire",
        "Fire guts Balogun market in Lagos",
        "Flames tore through the crowded Balogun market on Lagos Island overnight, destroying "
        "hundreds of shops, the state emergency management agency said.",
    )
    kano = item(
        "paper",
        "Traders count losses as blaze sweeps Kano market",
        "Hundreds of stalls at the Sabon Gari market were razed in a fire that burned for six "
        "hours, the fire service said, blaming an electrical fault.",
        hours=2,
    )
    nigerian = item(
        "paper",
        "Traders count losses as blaze sweeps Nigerian market",
        "Hundreds of stalls at the Sabon Gari market in Kano were razed in a fire that burned "
        "for six hours, the fire service said, blaming an electrical fault.",
        hours=2,
    )
    assert ingest(StoryIndex(), lagos, kano)[1].story_id is None
    assert ingest(StoryIndex(), lagos, nigerian)[1].story_id is None


def test_a_contraction_opening_a_sentence_is_no_name() -> None:
    bill = item(
        "wire",
        "Senate passes Schumer's robocall bill",
        "The Senate on Tuesday passed a bill that would fine companies for illegal robocalls, "
        "sending it to the House.",
    )
    explainer = item(
        "paper",
        "Senate passes robocall bill. What's in it?",
        "The bill passed by the Senate on Tuesday would let regulators fine companies for "
        "illegal robocalls.",
        hours=2,
    )
    assert ingest(StoryIndex(), bill, explainer)[1].story_id == 1


def test_a_possessive_opener_is_still_a_name() -> None:
    """ "May's" is Theresa May's, "It's" and "Here’s" no one's."""
    names = features("May's Brexit deal defeated. Here’s what comes next", "").names
    assert term_id("may") in names
    assert term_id("her") not in names
    assert term_id("it") not in features("It's official: the deal is defeated", "").names
