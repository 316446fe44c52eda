"""One kind of event in two countries is two stories (issue 11, precision): places.py reads
where a report places its event at one grain (its country), and story_signals' guard parts two
reports placed in different countries, neither naming the other's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_stories import T0, ingest, item
from watcher import places
from watcher.descriptions import COUNTRY_BITS
from watcher.model import Item, Tier
from watcher.places import KNOWN, apart, located, pack, region, unpack
from watcher.similarity import _lead, _tokens, features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id
from watcher.wordforms import joined_lines

TEXAS = item(
    "ledger",
    "Explosion at fertiliser plant in West Texas injures nine",
    "An explosion at a fertiliser plant outside Lubbock, Texas, injured nine workers on "
    "Wednesday and forced the evacuation of nearby homes, the county sheriff said.",
)
TEXAS_AGAIN = item(
    "metro",
    "Nine hurt in blast at Lubbock fertiliser facility",
    "Nine workers were taken to hospital after a blast at a fertiliser facility near Lubbock on "
    "Wednesday; Texas environmental regulators are checking the air for ammonia.",
    hours=3,
)
# The French blast told without a known place (Bergerac, a town of 27,000, is under the
# generated table's floor): nothing parts it from the Texas story, which it joins (a limit);
# the French report then fits the story through it, and is parted from the story's first
# report by its place.
BERGERAC = item(
    "globe",
    "Explosion at fertiliser plant injures workers",
    "An explosion tore through a fertiliser plant outside Bergerac on Wednesday morning, injuring "
    "nine workers, the fire service said.",
    hours=1,
)
FRANCE = item(
    "continental",
    "Blast rocks fertiliser factory in northern France",
    "Nine people were hurt when a blast hit a fertiliser factory near Bergerac on Wednesday, "
    "firefighters said, and residents were told to keep windows shut.",
    hours=2,
)


def placed(title: str, lead: str = "") -> tuple[int, int]:
    tokens = _tokens(lead)
    words = list(filter(None, _tokens(title)))
    where, mentions, _ = located(words, _lead(tokens, list(filter(None, tokens)), 120))
    return where, mentions


def test_a_place_counts_as_its_country_at_every_grain() -> None:
    japan, _ = placed("Strong earthquake in Japan")
    assert japan
    for title in (
        "Magnitude 6.8 quake strikes off Hokkaido",
        "Tsunami advisory in northern Japan",
        "Quake felt in Tokyo",  # a capital (wordforms.CAPITALS)
        "Quake felt in Japan's north",  # a possessive
    ):
        assert placed(title)[0] == japan, title
    assert placed("Fire in West Texas")[0] == placed("Floods in the US")[0]
    assert placed("Floods in New South Wales")[0] == placed("Drought in Australia")[0]
    assert placed("Heatwave in New Mexico")[0] != placed("Heatwave in Mexico")[0]


def test_a_short_place_is_a_name_unless_written_as_initials() -> None:
    # "Goa", "Qom", "Ufa": places of three letters that are words, matched as any other place.
    assert placed("Footbridge collapses in Goa")[0] == placed("Floods in India")[0]
    assert placed("Footbridge collapses in Goa's Bicholim")[0] == placed("Floods in India")[0]
    assert placed("Protest in Qom")[0] == placed("Protest in Iran")[0] != 0
    # Initials only in capitals: "US" is the United States, "Us" no place.
    assert placed("Floods in the US")[0] == placed("Floods in Texas")[0] != 0
    assert placed("Storm hits Us and them")[0] == 0


def test_only_a_place_where_something_happens_places_the_event() -> None:
    # A country named as a topic places nothing; it is still mentioned.
    for title in ("Gowdy rips Rosenstein on Russia probe", "Biden moves to counter China"):
        where_, mentions = placed(title)
        assert where_ == 0 and mentions != 0, title
    # The lead's first sentence places; a later one only mentions.
    first, _ = placed("Blast at fertiliser plant", "A blast hit a plant in France on Monday.")
    later, mentions = placed("Blast at fertiliser plant", "A blast hit a plant. Talks in France.")
    assert first and later == 0 and mentions == first
    # Seas and continents place nowhere; what is told as worldwide places nowhere.
    assert placed("Quake in the Indian Ocean") == (0, 0)
    assert placed("Death toll tops 1 million worldwide", "First reported in Wuhan, China.")[0] == 0


def test_a_country_named_like_a_person_places_only_by_its_capital() -> None:
    # "Jordan" is as often Jim Jordan: the word names no place; Amman does.
    assert placed("Jim Jordan grills FBI director at hearing") == (0, 0)
    assert placed("Quake felt in Amman")[0] != 0


def test_a_region_is_the_capitalised_name_before_province_in_the_first_sentence() -> None:
    def named(title: str, lead: str = "") -> str | None:
        return region(title.split(), _tokens(lead))

    assert named("Floods hit Sindh province") == "Sindh"
    assert named("Aid reaches Hatay's province capital") == "Hatay"  # possessive left out
    assert named("The province braces for floods") is None  # no name
    assert named("Storm nears", "Rain hit Sindh province on Monday.") == "Sindh"
    assert named("Storm nears", "Rain hit the coast. Van province is next.") is None
    # A race named for its city is named as such too, "Half" being part of its kind.
    assert named("Kenyan wins Boston Marathon in record time") == "Boston"
    assert named("Runner wins Lisbon Half Marathon") == "Lisbon"
    assert named("Tens of thousands run the marathon") is None  # no name
    # A lake named as such: its name after the word.
    assert named("Tour boat sinks on Lake Ohrid after storm") == "Ohrid"
    assert named("Lake Windermere boat tours halted") == "Windermere"
    assert named("Boat capsizes on lake, 12 missing") is None  # no name
    # ... only a "Lake" that opens the name: not inside another ("Salt Lake City") nor a county's
    assert named("Gunman kills three at Salt Lake City mall") is None
    assert named("Three dead in shooting at mall in Salt Lake County") is None
    assert named("Sheriff says Lake County deputies found the car") is None


def test_boats_sinking_on_two_lakes_of_one_country_are_two_stories() -> None:
    # Neither lake is a known place: the lakes named as such part them (places.region).
    tanganyika = item(
        "lakeside",
        "Passenger boat sinks on Lake Tanganyika, 25 missing",
        "A wooden passenger boat carrying traders sank in a storm off the town of Kalemie on "
        "Friday evening, and fishermen were searching for 25 people, a local official said.",
    )
    kivu = item(
        "hills",
        "Passenger boat sinks on Lake Kivu, 25 missing",
        "An overloaded passenger boat sank in high winds near the port of Kalehe on Friday "
        "evening, and rescuers in canoes were searching for 25 people, officials said.",
        hours=3,
    )
    # ... but a lake and its country, the lake told as a lake, are one event.
    guatemala = item(
        "hills",
        "Guatemala boat accident: nine missing after ferry sinks in storm",
        "Divers searched the waters of the volcanic lake near Santiago Atitlan for nine "
        "passengers of a ferry that sank in a storm on Friday evening, officials said.",
        hours=2,
    )
    atitlan = item(
        "lakeside",
        "Ferry sinks on Lake Atitlan, nine missing",
        "A ferry carrying 22 people sank in a storm near Santiago Atitlan on Friday evening, and "
        "divers were searching for nine passengers, officials said.",
    )
    assert ingest(StoryIndex(), tanganyika, kivu)[1].story_id is None
    assert ingest(StoryIndex(), atitlan, guatemala)[1].story_id == 1


def test_reports_apart_only_when_neither_names_the_others_country() -> None:
    texas, france = placed(TEXAS.title, TEXAS.summary), placed(FRANCE.title, FRANCE.summary)
    assert apart(*texas, *france) and apart(*france, *texas)
    # Two sides of one event: each names the other's country.
    iran = placed("Iran thanks Pakistan for support in Geneva vote")
    pakistan = placed("Araghchi calls Dar in Islamabad to thank Pakistan")
    assert not apart(*iran, *pakistan)
    # Unknown places (Plainview, Bergerac alone: towns under the table's floor) never part two.
    assert not apart(*placed("Blast near Plainview"), *placed("Blast near Bergerac"))


def test_one_kind_of_event_in_two_countries_is_two_stories() -> None:
    decisions = ingest(StoryIndex(), TEXAS, BERGERAC, FRANCE, TEXAS_AGAIN)
    assert [d.story_id for d in decisions[1:]] == [1, None, 1]
    assert decisions[2].tier is Tier.NEW  # the French blast is not the Texas one


# (feed, headline, lead, hours after the first) of two reports: one event each, told at two
# grains or by its two sides, placed in different known places ...
ONE_EVENT = {
    "japan-hokkaido": (
        (
            "wire",
            "Magnitude 6.8 quake strikes off Hokkaido, tsunami advisory issued",
            "A magnitude 6.8 earthquake struck off the coast of Hokkaido in northern Japan on "
            "Friday, prompting a tsunami advisory for coastal towns.",
            0,
        ),
        (
            "metro",
            "Japan earthquake: tsunami advisory lifted after strong tremor off Hokkaido",
            "Japan's meteorological agency lifted a tsunami advisory for the Pacific coast of "
            "Hokkaido on Friday, two hours after a magnitude 6.8 earthquake struck offshore.",
            2,
        ),
    ),
    "iran-pakistan": (
        (
            "dawn",
            "Iran thanks Pakistan for support at UN Human Rights Council",
            "Iranian Foreign Minister Abbas Araghchi thanked Pakistan in a phone call with Ishaq "
            "Dar in Tehran on Saturday for its vote at the UN Human Rights Council.",
            0,
        ),
        (
            "tribune",
            "Araghchi calls Dar to thank Islamabad over rights council vote",
            "Pakistan's Deputy Prime Minister Ishaq Dar received a call in Islamabad from Iranian "
            "Foreign Minister Abbas Araghchi, who thanked Pakistan for its UNHRC vote.",
            4,
        ),
    ),
    "malatya-province-unnamed": (
        (
            "ledger",
            "Magnitude 6.7 earthquake hits Turkey's Malatya province",
            "A magnitude 6.7 earthquake struck Malatya province in eastern Turkey on Thursday, "
            "collapsing dozens of buildings, the disaster agency AFAD said.",
            0,
        ),
        (
            "courier",
            "Rescuers search rubble in Malatya after strong quake",
            "Rescue teams pulled survivors from collapsed buildings in Malatya on Thursday after "
            "a magnitude 6.7 earthquake shook eastern Turkey, AFAD said.",
            3,
        ),
    ),
}
# One race named as such by one report and told in other words by another is one event.
ONE_EVENT["one-marathon-named-once"] = (
    (
        "wire",
        "Ugandan Okello wins Berlin Marathon in 2:03:50",
        "BERLIN, Sept 28 (Wire) - Uganda's Moses Okello won the Berlin Marathon on Sunday in "
        "2:03:50, pulling clear of two Kenyans in the last ten kilometres.",
        0,
    ),
    (
        "sport",
        "Okello storms to marathon win in Berlin in 2:03:50",
        "Uganda's Moses Okello won the marathon in the German capital on Sunday in 2:03:50, "
        "pulling clear of two Kenyans in the last ten kilometres.",
        2,
    ),
)
# A report naming another province as such that also names the story's one is no other event.
ONE_EVENT["malatya-felt-in-van-province"] = (
    ONE_EVENT["malatya-province-unnamed"][0],
    (
        "continental",
        "Strong earthquake felt across eastern Turkey",
        "The magnitude 6.7 earthquake centred in Malatya shook Van province in eastern Turkey "
        "on Thursday, collapsing buildings in several towns, the disaster agency AFAD said.",
        3,
    ),
)
# ... and two events of one kind: in two countries (a tournament placed by its name), in two
# provinces of one country.
TWO_EVENTS = {
    "two-tournaments": (
        ("globe", "Djokovic beats Sinner to reach Australian Open final",
         "Novak Djokovic beat Jannik Sinner in five sets on Friday to reach his 11th "
         "Australian Open final, where he will face Carlos Alcaraz.", 0),
        ("metro", "Sinner beats Zverev to reach Turin final",
         "Jannik Sinner beat Alexander Zverev 6-4 6-3 on Saturday to reach the final of the "
         "ATP Finals in Turin, where he will face Carlos Alcaraz.", 20),
    ),
    "two-city-marathons": (
        ("wire", "Ugandan Okello wins Berlin Marathon in 2:03:50",
         "BERLIN, Sept 28 (Wire) - Uganda's Moses Okello won the Berlin Marathon on Sunday in "
         "2:03:50, pulling clear of two Kenyans in the last ten kilometres.", 0),
        ("sport", "Ugandan Akena wins Chicago Marathon in 2:05:12",
         "Uganda's Peter Akena won the Chicago Marathon on Sunday in 2:05:12, ahead of two "
         "Kenyans who had led the race until the last ten kilometres.", 2),
    ),
    "two-provinces": (
        ONE_EVENT["malatya-province-unnamed"][0],
        ("continental", "Strong earthquake strikes eastern Turkey",
         "A magnitude 6.6 earthquake struck Van province in eastern Turkey early on Sunday, "
         "collapsing buildings in several towns, the disaster agency AFAD said.", 6),
    ),
}  # fmt: skip
Report = tuple[str, str, str, int]


def reports(pair: tuple[Report, Report]) -> list[Item]:
    return [item(feed, title, lead, hours=hours) for feed, title, lead, hours in pair]


@pytest.mark.parametrize("name", ONE_EVENT)
def test_one_event_at_two_grains_or_by_its_two_sides_is_one_story(name: str) -> None:
    assert ingest(StoryIndex(), *reports(ONE_EVENT[name]))[1].tier is Tier.EVENT


def test_the_two_sides_of_one_call_place_it_in_two_countries() -> None:
    iran, pakistan = (features(it.title, it.summary) for it in reports(ONE_EVENT["iran-pakistan"]))
    assert iran.places and pakistan.places and iran.places != pakistan.places
    assert not apart(iran.places, iran.mentions, pakistan.places, pakistan.mentions)


def test_a_report_naming_three_countries_places_nothing() -> None:
    summit = "Leaders of the UK, Italy, Germany and Japan met in London on Sunday."
    assert placed("G7 leaders call for inquiry", summit) == (0, placed("", summit)[1])
    assert placed("Talks in London", "Leaders of the UK and Italy met.")[0]


@pytest.mark.parametrize("name", TWO_EVENTS)
def test_one_kind_of_event_in_two_places_is_two_stories(name: str) -> None:
    assert ingest(StoryIndex(), *reports(TWO_EVENTS[name]))[1].tier is Tier.NEW


# Two accidents of one kind placed by an English county, an Australian state's abbreviation
# and a New Zealand region (the real day's "Killamarsh, Derbyshire" against a body found in
# the Brisbane River: neither county nor region was known, so the two joined at p 0.84), or
# "on the" a coast (the real day's body in a cabin "on the NSW mid north coast" joined the
# remains found in Wyoming).
TWO_PLACES = {
    "county-and-nsw": (
        ("ledger", "Man's body found in river as police launch murder inquiry",
         "Police launched a murder inquiry after a man's body was found in a river at Ashford "
         "Mill, Derbyshire, early on Sunday.", 0),
        ("courier", "Police investigate after man's body found in river",
         "Police are investigating after the body of a man was found in a river near Coffs "
         "Harbour, NSW, on Sunday morning.", 3),
    ),
    "nz-region-and-county": (
        ("ledger", "Driver dies after car leaves road and hits tree",
         "A driver has died after a car left the road and hit a tree near Ngaruawahia in "
         "Waikato on Sunday night, police said.", 0),
        ("courier", "Driver killed after car hits tree",
         "A driver was killed when a car left the road and struck a tree in Cornwall on Sunday "
         "night, police said.", 2),
    ),
    "on-the-coast": (
        ("ledger", "Body found in forest matches description of missing hiker Dana Holt",
         "Searchers found a woman's body in a forest in Montana on Sunday matching the "
         "description of missing hiker Dana Holt, police said.", 0),
        ("courier", "Mystery after woman's body found in forest cabin",
         "Police are investigating the death of a woman whose body was found in a cabin in a "
         "forest on the NSW south coast on Sunday.", 4),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", TWO_PLACES)
def test_a_county_a_state_or_a_region_places_its_event(name: str) -> None:
    assert ingest(StoryIndex(), *reports(TWO_PLACES[name]))[1].tier is Tier.NEW


# A third report placed nowhere that fits both stories of TWO_EVENTS (p >= 0.99 each).
FITS_BOTH = {
    "two-tournaments": ("radio", "Sinner reaches final, will face Alcaraz",
                        "Jannik Sinner reached the final on Saturday and will face Carlos "
                        "Alcaraz, who beat Alexander Zverev.", 21),
    "two-provinces": ("radio", "Strong earthquake collapses buildings in eastern Turkey",
                      "A magnitude 6.7 earthquake collapsed dozens of buildings in eastern "
                      "Turkey, the disaster agency AFAD said.", 7),
    "two-city-marathons": ("radio", "Ugandan wins marathon, two Kenyans behind",
                           "A Ugandan runner won the marathon on Sunday, pulling clear of two "
                           "Kenyans in the last ten kilometres.", 3),
}  # fmt: skip


@pytest.mark.parametrize("name", TWO_EVENTS)
def test_a_report_placed_nowhere_that_fits_both_does_not_merge_them(name: str) -> None:
    index = StoryIndex()
    ingest(index, *reports(TWO_EVENTS[name]))
    feed, title, lead, hours = FITS_BOTH[name]
    assert index.decide(item(feed, title, lead, hours=hours)).merge == ()


def test_a_tournament_named_for_its_place_places_its_matches() -> None:
    melbourne = TWO_EVENTS["two-tournaments"][0][1]
    assert placed(melbourne)[0] == placed("Floods in Queensland")[0]


@pytest.mark.parametrize(
    ("kept", "second"),
    [
        ([TEXAS, BERGERAC], FRANCE),  # the country it places its event in
        (reports(TWO_EVENTS["two-provinces"])[:1], reports(TWO_EVENTS["two-provinces"])[1]),
    ],
    ids=["country", "province"],
)
def test_places_survive_the_index_compacting_its_slots(kept: list[Item], second: Item) -> None:
    index = StoryIndex()
    old = [item(f"old{n}", f"Council notice {n} on permits", hours=-48) for n in range(1100)]
    ingest(index, *old, *kept)
    index.prune(T0 - timedelta(hours=24))  # most slots dead: the index compacts
    assert len(index._story) == len(kept)
    assert index.decide(second).tier is Tier.NEW


def test_where_a_report_places_its_event_fits_in_two_bits() -> None:
    us, france, japan = (placed(f"Quake in {p}")[0] for p in ("Texas", "France", "Japan"))
    for where_, mentions in [
        (0, 0),
        (0, us | france),
        (us, us),
        (us, us | france),
        (france, us | france),
        (us | france, us | france),
    ]:
        assert unpack(pack(where_, mentions), mentions) == where_
    # Placed among more countries (never, since a report naming three places nothing): all
    # of them, a wider place that only keeps reports together.
    assert unpack(pack(us, us | france | japan), us | france | japan) == us | france | japan


def _headlines_join(first: str, second: str, hours: float) -> bool:
    """Do two headline feeds' headlines alone, `hours` apart, make one story?"""
    flash, heads = item("flash", first, ""), item("heads", second, "", hours=hours)
    decisions = ingest(StoryIndex(), flash, heads)
    return [d.story_id for d in decisions] == [None, 1]


def test_each_country_of_the_entity_table_is_a_place_by_its_name_word_and_capital() -> None:
    # watcher/countries.py names every country; the places' tables lacked some fifty of them
    # (Tajikistan, Oman, the Solomon Islands ...), so a report named one nowhere, and its name
    # against its capital's was a name conflict. Each is now its country's, at every grain.
    for title, other in (
        ("Quake felt in Kyrgyzstan", "Quake felt in Bishkek"),
        ("Floods in Oman", "Floods near Muscat"),
        ("Strong quake off the Solomon Islands", "Tsunami alert in Honiara"),
        ("Fuel depot blast in Dominican Republic", "Fire at Dominican oil terminal"),
        ("Oil spill off Trinidad", "Dockworkers strike in Port of Spain"),
    ):
        where = placed(title)[0]
        assert where and placed(other)[0] == where, (title, other)
    assert placed("Floods in Oman")[0] != placed("Floods in Bahrain")[0]


def test_a_country_and_its_peoples_word_in_two_headlines_alone_are_one_place() -> None:
    # One quake in two headline feeds, by the country's name and by its people's word with
    # its capital: one story (was a name conflict: neither word was known).
    assert _headlines_join(
        "BREAKING: Strong 6.0 quake shakes Kyrgyzstan, homes damaged",
        "UPDATE 1-Kyrgyz quake damages homes near Bishkek, one dead",
        hours=1,
    )


def test_a_place_before_a_kind_of_happening_is_where_it_struck() -> None:
    # "after Apia quake" tells where the quake struck, as "quake strikes Samoa" does (the
    # headline's told places: places.located), so Samoa's name in the other headline is the
    # wider grain of one place, not a rival name; a place before another word tells nothing.
    samoa = features("Magnitude 6.8 quake strikes Samoa", "").headline
    assert samoa
    assert features("Tsunami warning lifted after Apia quake", "").headline == samoa
    assert features("Tsunami warning lifted after Apia floods", "").headline == samoa
    assert features("Talks stall over the Apia port deal", "").headline == 0
    assert _headlines_join(
        "BREAKING: Magnitude 6.8 quake strikes Samoa, tsunami warning issued",
        "UPDATE 1-Tsunami warning lifted after Apia quake, none hurt",
        hours=2,
    )


def test_a_word_of_several_countries_names_is_each_ones() -> None:
    # "Islands" is a word of the Solomon Islands' and the Marshall Islands' names: a report
    # naming either country counts it as that country's (descriptions.COUNTRY_BITS), so
    # "quake strikes Solomon Islands" and "after Honiara quake" are one place at two grains.
    islands = COUNTRY_BITS[term_id(root("islands"))]
    for country in (("solomon", "islands"), ("marshall", "islands")):
        assert KNOWN[country] & islands == KNOWN[country]
    assert _headlines_join(
        "BREAKING: 7.1 quake strikes Solomon Islands, tsunami warning issued",
        "UPDATE 1-Tsunami warning lifted after Honiara quake",
        hours=3,
    )


def test_a_quake_that_jolts_or_rattles_a_place_is_told_there() -> None:
    # "Quake jolts Niigata" tells where it struck, as "quake strikes Niigata" does (a quake's
    # own verbs, beside "shakes": places._STRUCK), so "southern Japan" in the other report's
    # headline is the wider grain of one place, not a rival name; two quakes that jolt two
    # countries' cities stay apart.
    japan = placed("Strong earthquake in Japan")[0]
    for verb in ("jolts", "jolted", "rattles", "rattled"):
        assert features(f"Magnitude 6.1 quake {verb} Niigata", "").headline == japan, verb
    wire = item(
        "wire",
        "Magnitude 6.1 quake jolts Niigata, bullet trains halted",
        "A magnitude 6.1 earthquake shook Niigata before dawn on Friday, halting bullet trains"
        " and cutting power to about 12,000 homes, the utility said. No tsunami warning was"
        " issued.",
    )
    paper = item(
        "paper",
        "Strong earthquake rattles northern Japan, bullet trains stopped",
        "A strong earthquake struck Honshu in northern Japan early on Friday,"
        " stopping bullet trains and cutting power to thousands of homes. The weather agency"
        " said there was no risk of a tsunami.",
        hours=2,
    )
    assert [d.story_id for d in ingest(StoryIndex(), wire, paper)] == [None, 1]
    chile = item(
        "chile",
        "Magnitude 6.1 quake jolts Antofagasta, power cut",
        "A magnitude 6.1 earthquake shook Antofagasta early on Friday, cutting power to"
        " thousands of homes, the utility said. No tsunami warning was issued.",
        hours=1,
    )
    assert ingest(StoryIndex(), wire, chile)[1].story_id is None


def test_a_territory_is_a_place_of_its_own_by_its_name_and_capital() -> None:
    # Territories news names as places of their own (places._TERRITORIES): the island and its
    # capital are one place at two grains (was a name conflict: neither word was known), two
    # territories two places, and no country's bit moved for them (their bits come last).
    for title, other in (
        ("Fire at Aruba cruise pier", "Fire breaks out at Oranjestad cruise terminal"),
        ("Refinery blaze in Curacao", "Refinery fire near Willemstad"),
        ("Storm damage in Tahiti", "Flights cancelled in French Polynesia"),
        ("Ferry runs aground off Grand Cayman", "Ferry aground in Cayman Islands"),
    ):
        where = placed(title)[0]
        assert where and placed(other)[0] == where, (title, other)
    assert placed("Fire in Aruba")[0] != placed("Fire in Curacao")[0]
    assert placed("Fire in Aruba")[0] != placed("Fire in the Netherlands")[0]
    entries = places._entries()
    territories = {line.partition(":")[0].strip() for line in joined_lines(places._TERRITORIES)}
    bits = places._country_bits(entries)
    before = {w: c for w, c in entries.items() if territories.isdisjoint(c)}
    rest = sorted({c for countries in before.values() for c in countries})
    assert rest and all(places._country_bits(before)[c] == bits[c] for c in rest)


def test_one_fire_told_by_a_territorys_capital_and_by_its_name_is_one_story() -> None:
    first = item(
        "island",
        "Fire breaks out at Willemstad oil terminal",
        "A fire broke out at a storage tank of the oil terminal in Willemstad on Sunday "
        "morning; firefighters kept it from spreading and no one was hurt.",
    )
    wire = item(
        "wire",
        "Blaze at Curacao oil terminal forces evacuation of port",
        "A fire at an oil storage terminal on the Dutch Caribbean island of Curacao forced "
        "the evacuation of the nearby port on Sunday, officials said.",
        hours=2,
    )
    assert ingest(StoryIndex(), first, wire)[1].story_id == 1


def test_two_derailments_told_by_their_lines_in_two_countries_are_two_stories() -> None:
    # session 21 (h-places4): "Line", a kind of name every tram or metro line has
    # (terms.NAME_PARTS), is no shared actor of two countries' derailments
    porto = item(
        "radio",
        "Tram derails on Porto's Line 1 near the old quay, six hurt",
        "An old tram on Line 1 left the rails near the quay on Monday morning and struck a "
        "parked lorry, injuring six passengers, the operator said. Line 1 was suspended.",
    )
    bilbao = item(
        "paper",
        "Metro train derails near Bilbao's Deusto station, 12 hurt",
        "Two carriages of a Line 2 train left the rails entering Deusto station on Monday "
        "morning, injuring 12 passengers, the operator said. Line 2 was suspended.",
        hours=2,
    )
    assert ingest(StoryIndex(), porto, bilbao)[1].story_id is None


def test_a_disasters_kind_opening_headline_and_lead_is_no_name() -> None:
    # session 21 (h-places4): "Flash" opened both and was read as a name two states' floods
    # shared; a name opening both stays one, a known place stays a place
    flood = features(
        "Flash floods hit Kerala, 12 dead",
        "Flash floods swept through villages in Kerala on Monday, killing 12 people.",
    )
    assert term_id(root("flash")) not in flood.names
    named = features(
        "Brauhaus quarterly volumes rise 3%",
        "Brauhaus said on Tuesday its volumes rose. The brewer kept its outlook.",
    )
    assert term_id(root("brauhaus")) in named.names
    kerala = item(
        "wire",
        "Flash floods hit Kerala, 12 dead",
        "Flash floods swept through villages in Kerala on Monday, killing 12 people and "
        "cutting off roads, officials said.",
    )
    uttarakhand = item(
        "paper",
        "Flash floods hit Uttarakhand, 9 dead",
        "Flash floods swept through villages in Uttarakhand on Monday, killing nine people "
        "and cutting off roads, officials said.",
        hours=2,
    )
    assert ingest(StoryIndex(), kerala, uttarakhand)[1].story_id is None


def test_every_country_has_a_bit_of_its_own() -> None:
    # Until session 22 the bits were taken modulo 64: three countries shared each, and two
    # events in two of them were one place ("Bus crash in Honduras" / "... near Cusco, Peru").
    bits = places._country_bits(places._entries())
    assert len(bits) > 64 and len(set(bits.values())) == len(bits)
    for country, other in (
        ("Honduras", "Peru"),
        ("Taiwan", "Malta"),
        ("Bhutan", "Peru"),
        ("the US", "Bosnia"),
        ("Poland", "Israel"),
        ("Morocco", "China"),
    ):
        ours, theirs = placed(f"Bus crash in {country}"), placed(f"Bus crash in {other}")
        assert ours[0] and theirs[0] and ours[0] != theirs[0], (country, other)
        assert apart(*ours, *theirs), (country, other)
    placed_in, mentions = placed("Quake in Honduras", "Felt in Peru and in Taiwan and Malta.")
    assert unpack(pack(placed_in, mentions), mentions) == placed_in


def test_the_index_keeps_one_object_for_each_mask_it_holds() -> None:
    index = StoryIndex(window=timedelta(hours=36))
    for n, title in enumerate(("Bus crash in Honduras", "Bus crash in Peru", "Bus crash in Peru")):
        index.add(item(f"wire{n}", title, hours=n), n + 1)
    first, second, third = index._mentions
    assert first != second and second is third


def test_two_countries_of_one_word_are_two_places() -> None:
    # North / South Korea, the two Congos, Papua New Guinea / Guinea / Guinea-Bissau, Niger /
    # Nigeria, Dominica / the Dominican Republic, Sudan / South Sudan: each its own country
    # (session 22's review: the tables held one 'korea', one 'congo', and no Guinea).
    for ours, theirs in (
        ("Floods in North Korea", "Floods in South Korea"),
        ("Floods near Pyongyang", "Floods near Busan"),
        ("Floods in DR Congo", "Floods in Brazzaville"),
        ("Floods in Papua New Guinea", "Floods in Guinea"),
        ("Floods in Guinea", "Floods in Guinea-Bissau"),
        ("Floods in Equatorial Guinea", "Floods in Guinea"),
        ("Floods in Niger", "Floods in Nigeria"),
        ("Floods in Dominica", "Floods in the Dominican Republic"),
        ("Floods in Sudan", "Floods in South Sudan"),
    ):
        first, second = placed(ours), placed(theirs)
        assert first[0] and second[0] and apart(*first, *second), (ours, theirs)
    # ... and one country under its names: one place.
    for ours, theirs in (
        ("Floods in North Korea", "Floods near Pyongyang"),
        ("Floods in South Korean city", "Floods near Seoul"),
        ("Floods in DRC", "Floods in Kinshasa"),
        ("Floods in the Democratic Republic of the Congo", "Floods in Goma"),
        ("Floods in PNG", "Floods in Papua New Guinea"),
        ("Floods in Guinea", "Floods near Conakry"),
        ("Floods in the Niger Delta", "Floods in Nigeria"),
        ("Floods in South Sudanese town", "Floods near Juba"),
    ):
        assert placed(ours)[0] == placed(theirs)[0] != 0, (ours, theirs)
    # A guinea pig, the Gulf of Guinea: no place.
    assert placed("Guinea pigs rescued from flooded pet shop") == (0, 0)
    assert placed("Tanker attacked in the Gulf of Guinea")[0] == 0


def test_a_name_of_two_places_is_the_one_its_report_places_by_a_city() -> None:
    # 'Georgia' is the country and the US state, 'Congo' both Congos, 'Korea' both Koreas:
    # alone, both (so it parts nothing); beside a city or a region of one, that one
    # (places._narrowed). A country's own name narrows nothing: news about the country
    # Georgia names the US too.
    state, country = placed("Floods in Atlanta")[0], placed("Floods in Tbilisi")[0]
    both = placed("Floods in Georgia")[0]
    assert both == state | country and state != country
    assert placed("Floods in Georgia", "Roads closed in Atlanta.")[0] == state
    assert placed("Floods in Georgia", "Roads closed in Tbilisi.")[0] == country
    assert placed("Floods in Georgia", "The US sent aid.")[0] == both
    # ... nor does a seat named as where someone speaks (h-review23).
    assert placed("Floods in Georgia", "The State Department in Washington said.")[0] == both
    assert placed("Floods in Georgia", "Speaking in New York, the UN chief said.")[0] == both
    # ... nor is a country narrowed out that another name of the report names.
    assert placed("Floods in Georgia", "The US sent aid to Tbilisi.") == (both, both)
    congo = placed("Floods in Congo")[0]
    assert (
        placed("Floods in Congo", "Voters queued in Brazzaville.")[0]
        == placed("Floods in Brazzaville")[0]
        != congo
    )
    assert placed("Korean floods", "Rain lashed Pyongyang.")[1] == placed("Floods in Pyongyang")[0]
    # Two elections told by the one word, each lead placing it: two places.
    tbilisi = placed("Georgia election: ruling party claims victory", "Crowds in Tbilisi.")
    atlanta = placed("Georgia election: Republicans win Senate race", "A party in Atlanta.")
    assert apart(*tbilisi, *atlanta)


def told(title: str) -> int:
    """The country bits of the places a headline alone tells its happening in."""
    words = list(filter(None, _tokens(title)))
    return places.located_states(words, [])[2]


def test_a_peoples_word_before_a_noun_of_a_place_tells_where() -> None:
    # "Turkish resort", "Lithuanian port city", "Greek island": where, as the place's name
    # would be; a people's word before anything else tells who ("British tourist killed ...").
    turkey = placed("Floods in Turkey")[0]
    assert told("Turkish resort hotel collapse toll rises to 14") == turkey
    assert told("Toll rises in Turkish resort hotel collapse") == turkey
    assert told("Lithuanian port city's mayor detained") == placed("Floods in Lithuania")[0]
    assert told("British tourist killed in shark attack") == 0
    assert told("Toll from Uzbek apartment blast rises") == 0
    # Two tolls of one kind of happening, each headline telling its country: two stories.
    assert not _headlines_join(
        "Turkish resort hotel collapse toll rises to 14",
        "Bukhara apartment blast toll rises to 14",
        hours=5,
    )


def test_a_peoples_word_before_a_body_that_works_at_home_tells_where() -> None:
    # Its public servants who strike at home and its politics: "Bolivian teachers strike",
    # "Hungarian coalition collapses" tell the country; those who travel still tell who.
    bolivia, hungary = placed("Floods in Bolivia")[0], placed("Floods in Hungary")[0]
    assert told("Bolivian teachers strike, closing schools nationwide") == bolivia
    assert told("Hungarian coalition collapses as junior partner quits") == hungary
    assert told("Hungarian MPs reject budget") == hungary
    assert told("Bolivian tourists hurt in coach crash") == 0
    assert told("Teachers strike over pay") == 0
    # Two strikes of one kind, one told by its people's word: two stories.
    assert not _headlines_join(
        "Ghanaian doctors strike over unpaid allowances",
        "Doctors in Yerevan strike over unpaid allowances",
        hours=3,
    )


def test_a_countrys_possessive_before_a_place_and_its_noun_places_it() -> None:
    # "Brazil's Santos port", "Chile's Valparaiso region": where, as "in" would tell; a
    # possessive before anything else places nothing ("Brazil's Lula ...", "Brazil's ports").
    brazil = placed("Floods in Brazil")[0]
    assert placed("Dockworkers strike shuts Brazil's Santos port")[0] == brazil
    assert placed("Quake shakes Chile's Valparaiso region")[0] == placed("Floods in Chile")[0]
    assert placed("Brazil's Lula visits Santos port")[0] == 0
    assert placed("Strike shuts Brazil's port")[0] == 0
    # Two dock strikes one morning, one placed by the possessive, one by its lead: two stories.
    itajai = item(
        "wire",
        "Dockworkers strike shuts Brazil's Itajai port",
        "Dockworkers walked off the job on Thursday over pay, halting grain loading, the port "
        "authority said.",
    )
    galveston = item(
        "post",
        "Dockworkers strike at Port of Galveston over cranes",
        "Dockworkers at the Port of Galveston in Texas walked off the job on Thursday over "
        "automated cranes, their union said.",
        hours=3,
    )
    assert [d.story_id for d in ingest(StoryIndex(), itajai, galveston)] == [None, None]


def test_a_state_after_a_place_tells_which_one_it_is() -> None:
    # "London, Ontario", "St. Petersburg, Florida", "Holland, Michigan": the state's country,
    # wherever the report names the place (similarity's tokens keep no comma).
    canada, uk, us = (
        placed("Fire in Ontario")[0],
        placed("Fire in England")[0],
        placed("Fire in Texas")[0],
    )
    lead = "Two men were shot dead outside a bar in London, Ontario, late on Saturday."
    assert placed("Shooting in London leaves two dead", lead) == (canada, canada)
    assert placed("Shooting in London leaves two dead")[0] == uk
    assert placed("Tornado damages homes in Holland, Michigan")[0] == us
    lead = "Police in St. Petersburg, Florida, said a boat's fuel tank exploded at a marina."
    assert placed("Explosion at St. Petersburg marina injures two", lead)[0] == us
    # Not a possessive (whose, not which), a sentence's end between them, nor a country after
    # the place ("In Kyiv, Russia said ...").
    lead = "In London, Ontario's premier said on Monday that the talks would go on."
    assert placed("Talks in London", lead)[0] == uk | canada  # London stays England's
    assert placed("Fire in London", "A fire broke out in London. Ontario sent help.")[0] == uk
    ukraine = placed("War in Ukraine")[0]
    assert placed("Talks in Kyiv", "In Kyiv, Russia was blamed.")[0] & ukraine  # still Kyiv's
    # A state after a state is a list, not a qualifier.
    lead = "Storms hit Ontario, Michigan and Ohio overnight."
    assert placed("Storms hit the Great Lakes", lead)[1] == canada | us
    # A state's name that opens a person's name is no qualifier (h-review24).
    lead = "In Milan, Alberta Ferretti opened fashion week on Wednesday."
    assert placed("Milan fashion week opens", lead)[0] & placed("Fashion week in Italy")[0]


def test_a_river_named_for_a_country_is_no_country() -> None:
    nigeria, niger = placed("Floods in Nigeria")[0], placed("Floods in Niger")[0]
    lead = "The boat overturned near Pategi in Nigeria's Kwara state before dawn."
    assert placed("Boat capsizes on River Niger, 100 feared dead", lead) == (nigeria, nigeria)
    assert placed("Barge sinks on the Niger river")[1] == 0
    assert placed("Boat capsizes on the Senegal River")[1] == 0
    assert placed("Boat capsizes in Niger, 30 feared dead")[0] == niger


def test_a_homonym_before_a_title_only_a_country_has_is_the_country() -> None:
    # "Georgia's prime minister" is the country's, though Florida would narrow "Georgia" to
    # the US state; "Georgia's governor" stays the US state's beside Atlanta.
    us = placed("Floods in Texas")[0]
    tbilisi = placed("Protest in Tbilisi")[0]
    _, mentions = placed("Georgia's prime minister meets Trump in Florida")
    assert mentions == us | tbilisi
    assert placed("Georgia's governor signs budget in Atlanta")[1] == us


def test_a_homonym_a_country_names_beside_it_is_that_countrys() -> None:
    # "Argentina's Córdoba province", "Córdoba, Spain": the country named right before it as a
    # possessive, or right after it, tells which of its countries (h-after, session 25); the
    # bare name is both, and a country named elsewhere narrows nothing.
    spain, argentina = placed("Fire in Spain")[0], placed("Fire in Argentina")[0]
    assert placed("Wildfire near Córdoba")[0] == spain | argentina
    lead = "A fire in the hills above a town in Argentina's Córdoba province forced 1,000 out."
    assert placed("Wildfire in Córdoba hills forces 1,000 to evacuate", lead)[0] == argentina
    assert placed("Wildfire near Córdoba, Spain, forces 600 out")[0] == spain
    lead = "The Andalusian forest fire service said 600 people were evacuated north of Córdoba."
    assert placed("Wildfire near Córdoba forces 600 from their homes", lead)[0] == spain
    venezuela = placed("Protest in Venezuela")[0]
    assert placed("Floods in Venezuela's Valencia")[0] == venezuela
    # A country's own name that is a homonym is read alone ("Georgia" beside "US" stays both).
    us = placed("Floods in Texas")[0]
    assert placed("Georgia US talks")[1] & us


def test_mexicos_states_are_states_of_mexico() -> None:
    mexico = placed("Floods in Mexico")[0]
    assert placed("Gunmen kill 12 at party in Mexico's Guanajuato")[0] == mexico
    assert placed("Bus crash in Zacatecas")[0] == placed("Quake in Nuevo Leon")[0] == mexico
    guanajuato = places.located_states(["Gunmen", "kill", "in", "Guanajuato"], [])
    sonora = places.located_states(["Gunmen", "kill", "in", "Sonora"], [])
    assert guanajuato[3] and sonora[3] and not guanajuato[3] & sonora[3]


def test_the_uks_nations_are_states_of_one_country() -> None:
    # States since session 25 (h-xfail); in session 24 they parted one val+test event (a London
    # headline against a US state's): two states are compared only within one country.
    england = places.located_states(["Junior", "doctors", "in", "England", "strike"], [])[3]
    scotland = places.located_states(["Junior", "doctors", "in", "Scotland", "strike"], [])[3]
    texas = places.located_states(["Floods", "in", "Texas"], [])[3]
    assert england and scotland and england != scotland
    assert placed("Junior doctors in England strike")[0] == placed("Floods in Scotland")[0]
    assert places.one_country(england, scotland) and places.one_country(texas, texas)
    assert not places.one_country(england, texas)


def test_big_us_cities_the_generated_table_leaves_out_are_their_states() -> None:
    texas = places.located_states(["Floods", "in", "Texas"], [])[3]
    for words in (["Shooting", "in", "Fort", "Worth"], ["Fort", "Worth", "police", "shoot", "man"]):
        placed_ = places.located_states(words, [])
        assert placed_[3] == texas and placed_[6] == "Worth", words
    assert places.located_states(["Fire", "in", "Baton", "Rouge"], [])[3]
