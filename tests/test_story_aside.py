"""A lead that tells another happening beside its own (textcues.aside, story_signals
PairSignals._aside_apart): a mention of another story's event there is no agreement with it.
Every headline and lead here is invented."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.test_stories import ingest, item
from watcher.model import Item
from watcher.similarity import _tokens, features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id
from watcher.textcues import aside


def _aside(text: str) -> list[str]:
    tokens = _tokens(text)
    return [tokens[k] for k in aside(tokens)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Two died, a day after five died in Huaraz. Rain fell.", "five died in Huaraz"),
        ("It walked out on the day one of its jets landed", "one of its jets landed"),
        ("Rescuers dug hours after the quake struck", "the quake struck"),
        ("Talks resume two weeks before the vote", "the vote"),
        ("Nothing here: a day of rain, working days and hours", ""),
        ("He was there after the day ended", ""),
        ("Games overshadowed by news of the death of Rusu. Rain.", "news of the death of Rusu"),
        ("A shadow fell, eclipsed and overshadowed as ever", ""),
    ],
)  # fmt: skip
def test_the_words_of_another_happening_beside_the_reports_own(text: str, found: str) -> None:
    assert " ".join(_aside(text)) == found


def test_only_terms_the_text_writes_nowhere_else_are_aside() -> None:
    feats = features(
        "Landslide hits Peru's Caraz, killing four farmers",
        "Four farmers were killed near Caraz, a day after five people died in Huaraz.",
    )
    assert term_id(root("huaraz")) in feats.aside
    assert term_id(root("caraz")) not in feats.aside  # its headline's own place
    assert features("Quake hits Peru", "Rescuers dug through the night.").aside == frozenset()


HUARAZ = item(
    "wire",
    "Landslide buries homes in Peru's Huaraz, five dead",
    "A landslide swept down on the outskirts of Huaraz in Peru's Ancash region before dawn on "
    "Tuesday, burying 14 homes and killing five people, the civil defence office said.",
)
TROMSO = item(
    "wire",
    "Nordwind Air jet makes emergency landing in Tromso",
    "A Nordwind Air Boeing 737 with 140 passengers made an emergency landing in Tromso on "
    "Thursday after smoke was seen in the cabin; no one was hurt, the airline said.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # one kind of happening told again of another place, the first one's place told aside
        (
            HUARAZ,
            item(
                "paper",
                "Landslide hits Peru's Caraz, killing four farmers",
                "Four farmers were killed on Wednesday when a landslide struck their fields near "
                "Caraz in the Ancash region, the civil defence office said, a day after five "
                "people died in Huaraz in the same heavy rains.",
                hours=20,
            ),
        ),
        # one airline's other news, its landing told aside in the strike vote's lead
        (
            TROMSO,
            item(
                "paper",
                "Nordwind Air cabin crew vote to strike over rosters",
                "Cabin crew at Nordwind Air, Norway's third airline, voted on Thursday to walk out "
                "from next month unless rosters change, their union said, on the day one of its "
                "planes made an emergency landing in Tromso.",
                hours=5,
            ),
        ),
    ],
)
def test_another_happening_told_aside_keeps_two_events_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


def test_a_happening_that_overshadows_a_report_is_told_aside() -> None:
    """A league round whose lead says it was overshadowed by a great's death, hours after the
    death's report (h-realday5, session 16: on the real day such a round joined the death)."""
    first = item(
        "wire",
        "Stefan Rusu: relive the great goals of the Dinamo, Rapid and Romania striker",
        "A look back at the career of Stefan Rusu, who scored 210 goals for Dinamo Bucharest, "
        "Rapid and Romania and died on Sunday aged 79.",
    )
    second = item(
        "paper",
        "Dinamo edge out Rapid after late drama as Steaua and CFR win",
        "The weekend's Liga I games were overshadowed by news of the death of Dinamo and Romania "
        "great Stefan Rusu.",
        hours=6,
    )
    assert ingest(StoryIndex(), first, second)[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the same landslide's toll the next day: its headline names the place itself
        (
            HUARAZ,
            item(
                "paper",
                "Huaraz landslide toll rises to 12 as rescuers dig",
                "Rescuers pulled seven more bodies from the mud on Wednesday, a day after the "
                "landslide buried homes in Huaraz, the civil defence office said.",
                hours=20,
            ),
        ),
        # a cause told aside ("hours after a rebuke from ..."): the actor, none of its words
        (
            item(
                "wire",
                "Minister Halvorsen rebukes Nordwind pilot over delay",
                "Transport Minister Ola Halvorsen rebuked a Nordwind Air captain on Friday for a "
                "six-hour delay at Oslo airport.",
            ),
            item(
                "paper",
                "Nordwind suspends captain in row over delayed flight",
                "Nordwind Air suspended one of its captains on Friday, hours after a public "
                "rebuke from Transport Minister Ola Halvorsen over a delayed flight.",
                hours=3,
            ),
        ),
    ],
)
def test_one_event_with_a_happening_told_aside_still_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


# A follow-up's lead measures its happening from the event it follows ("a day after Hurricane
# Kestrel made landfall"): that is as often its cause as another event. Invented pairs that
# joined before the aside rule and must still join.
LANDFALL = item(
    "wire",
    "Hurricane Kestrel makes landfall in Florida",
    "Hurricane Kestrel made landfall on Florida's southwest coast on Wednesday as a Category 4 "
    "storm.",
)
RUNWAY = item(
    "wire",
    "Aerovia Andina jet skids off runway in Cusco",
    "An Aerovia Andina Airbus A320 skidded off the runway while landing in Cusco on Monday; all "
    "120 people on board were safe.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            LANDFALL,
            item(
                "paper",
                "Biden approves disaster declaration for state",
                "President Biden approved a major disaster declaration on Thursday, a day after "
                "Hurricane Kestrel made landfall on Florida's coast as a Category 4 storm.",
                hours=20,
            ),
        ),
        (
            LANDFALL,
            item(
                "paper",
                "Florida governor asks Washington for federal aid",
                "Governor Ron DeSantis asked the federal government for aid on Thursday, a day "
                "after Hurricane Kestrel made landfall on the coast as a Category 4 storm.",
                hours=20,
            ),
        ),
        (
            RUNWAY,
            item(
                "paper",
                "Cusco airport reopens to flights",
                "Cusco's airport reopened to flights on Tuesday, a day after an Aerovia Andina "
                "jet skidded off the runway while landing.",
                hours=20,
            ),
        ),
    ],
)
def test_a_follow_up_measured_from_the_event_it_follows_joins_it(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


def test_only_a_happening_told_on_the_day_is_beside_the_reports_own() -> None:
    tokens = _tokens("Crews struck on the day a jet left the runway. A day after, it rained.")
    assert " ".join(tokens[k] for k in aside(tokens, measured=False)) == "a jet left the runway"
    feats = features(
        "Biden approves disaster declaration",
        "Biden acted a day after Hurricane Kestrel made landfall in Florida.",
    )
    assert term_id(root("landfall")) in feats.aside and not feats.beside


def test_an_earlier_stage_of_the_reports_own_happening_is_no_aside() -> None:
    # "a day after it forced thousands from their homes": "it" is the report's own wildfire,
    # so Los Angeles, named there, is where that fire was, not another happening's place.
    assert _aside("It spread, a day after it forced thousands to flee Los Angeles") == []
    fire = item(
        "wire",
        "Wildfire forces thousands to flee near Los Angeles",
        "A fast-moving wildfire forced thousands of people from their homes in the hills north "
        "of Los Angeles on Monday.",
    )
    spread = item(
        "paper",
        "Wildfire reaches Malibu as crews battle flames",
        "The wildfire reached the edge of Malibu on Tuesday, a day after it forced thousands "
        "from their homes in the hills north of Los Angeles.",
        hours=20,
    )
    assert ingest(StoryIndex(), fire, spread)[1].story_id == 1


# A happening that travels (a flood, a wildfire, a storm) reported again where it reached next,
# measured from where it struck before: the same happening, not another one told aside.
REGENSBURG = item(
    "wire",
    "Floods swamp Regensburg as Danube bursts its banks",
    "The Danube burst its banks in Regensburg on Monday after days of heavy rain, flooding the "
    "old town and forcing hundreds of people from their homes, officials said.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            item(
                "wire",
                "Floods hit southern Germany after days of rain",
                "Floods swept through towns across Bavaria and Baden-Wuerttemberg on Monday "
                "after days of heavy rain, forcing hundreds of people from their homes.",
            ),
            item(
                "paper",
                "Floods reach Passau as Danube rises",
                "The waters reached the old town of Passau on Tuesday as the Danube rose above "
                "its banks, a day after floods hit southern Germany after days of heavy rain.",
                hours=20,
            ),
        ),
        (
            REGENSBURG,
            item(
                "paper",
                "Danube floods reach Passau",
                "A day after floods hit Regensburg, the waters reached the old town of Passau on "
                "Tuesday as the Danube rose above its banks.",
                hours=20,
            ),
        ),
        (
            REGENSBURG,
            item(
                "paper",
                "Floodwaters reach Passau as Danube keeps rising",
                "Floodwaters reached the old town of Passau on Tuesday as the Danube rose above "
                "its banks, a day after sweeping through Regensburg upstream.",
                hours=20,
            ),
        ),
        (  # the floods told only as "they" (p 0 while only "it" and a gerund were read so)
            REGENSBURG,
            item(
                "paper",
                "Floods reach Passau as Danube rises",
                "The waters reached the old town of Passau on Tuesday, a day after they forced "
                "hundreds of people from their homes in Regensburg.",
                hours=20,
            ),
        ),
    ],
)
def test_a_flood_reaching_a_new_town_joins_the_flood(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


ELSINORE = item(
    "wire",
    "Wildfire near Lake Elsinore forces thousands to evacuate",
    "A wildfire that broke out near Lake Elsinore in Riverside County on Wednesday afternoon "
    "forced thousands of residents to flee their homes, fire officials said.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # another one of the kind ("a landslide"), and one that does not travel
        (
            HUARAZ,
            item(
                "paper",
                "Landslide kills four farmers in Peru's Caraz",
                "Four farmers were killed on Wednesday when a hillside gave way near Caraz in the "
                "Ancash region, a day after a landslide buried homes in Huaraz.",
                hours=20,
            ),
        ),
        # one of the kind named apart ("Hurricane Kestrel" under "Hurricane Osprey")
        (
            LANDFALL,
            item(
                "paper",
                "Hurricane Osprey strengthens as it nears Cuba",
                "Hurricane Osprey strengthened to a Category 3 storm on Thursday as it neared "
                "Cuba, a day after Hurricane Kestrel made landfall in Florida.",
                hours=20,
            ),
        ),
        # another fire of one state, starting, the first told aside as if it were its own
        (
            ELSINORE,
            item(
                "paper",
                "Wildfire erupts in Ventura County hills, homes threatened",
                "Firefighters battled a fast-moving wildfire in the hills of Ventura County on "
                "Thursday, hours after bringing a separate blaze near Lake Elsinore under control.",
                hours=18,
            ),
        ),
        # ... and under a headline that tells it spread: "a separate blaze" is another one
        (
            ELSINORE,
            item(
                "paper",
                "Wildfire spreads in Ventura County hills, homes threatened",
                "Firefighters battled a fast-moving wildfire in the hills of Ventura County on "
                "Thursday, hours after bringing a separate blaze near Lake Elsinore under control.",
                hours=18,
            ),
        ),
    ],
)
def test_another_of_the_kind_told_aside_stays_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


def test_a_travelling_happening_told_aside_as_its_own() -> None:
    def moving(title: str, lead: str) -> bool:
        return bool(features(title, lead).moving)

    assert moving("Floods reach Passau", "It rose, a day after the floods hit Regensburg.")
    assert moving("Wildfire reaches Malibu", "It spread, hours after sweeping through Topanga.")
    assert not moving("Landslide hits Caraz", "Four died, a day after a landslide hit Huaraz.")
    assert not moving("Avalanche hits Dhaulagiri", "Two died, a day after avalanches hit Manaslu.")
    assert not moving("Pilots vote to strike", "They voted hours after hearing the offer.")
    assert moving("Floods reach Passau", "It rose, a day after they swamped Regensburg.")
    # one wildfire under the headline: "they" are the crews (or the residents), not the fire
    assert not moving(
        "Wildfire spreads in Ventura County hills",
        "Crews fought it, hours after they brought a blaze near Lake Elsinore under control.",
    )
    assert not moving(
        "Wildfire spreads in Ventura County hills",
        "Crews fought it, hours after bringing a separate blaze near Lake Elsinore under control.",
    )


# Two of one kind in one city or province, the later report recalling the earlier: by a place or
# a word of it in its lead's aside (a common kind's word, "fire", in both headlines), or in its
# own headline ("..., a day after Datong mine blast": similarity's `earlier`).
APARTMENT = item(
    "paper",
    "Five dead in fire at Mumbai apartment block",
    "Five people died when a fire broke out in a residential building in Mumbai's Andheri area "
    "early on Saturday, fire officials said.",
)
MILL = item(
    "paper",
    "Fire at textile mill in Faisalabad kills 6",
    "A fire broke out at a textile mill in Faisalabad on Monday morning, killing six workers and "
    "injuring 11, rescue officials said.",
)
DATONG = item(
    "paper",
    "Gas blast at Shanxi coal mine kills 9",
    "A gas explosion at a coal mine in Shanxi province's Datong killed nine miners on Thursday, "
    "state media said.",
)
KERALA = item(
    "paper",
    "Flash floods hit Kerala, 12 dead",
    "Flash floods swept through villages in Kerala's Idukki district on Monday, killing 12 "
    "people and forcing thousands from their homes.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the lead names the other fire's district aside
        (
            APARTMENT,
            item(
                "wire",
                "Fire destroys godown in Mumbai's Bhiwandi",
                "A fire destroyed a storage godown in Bhiwandi near Mumbai on Saturday afternoon, "
                "hours after five people died in a residential fire in Andheri, officials said. "
                "No one was hurt.",
                hours=9,
            ),
        ),
        # the headline measures its fire from the other
        (
            MILL,
            item(
                "wire",
                "Shoe factory blaze kills 3 in Karachi, hours after Faisalabad mill fire",
                "A fire at a shoe factory in Karachi killed three workers on Monday evening, "
                "hours after six people died in a textile mill fire in Faisalabad.",
                hours=9,
            ),
        ),
        # ... naming the other blast's town, which only the other's lead writes
        (
            DATONG,
            item(
                "wire",
                "Colliery blast in Shanxi's Linfen traps 12, a day after Datong mine blast",
                "An explosion at a coal mine in Linfen, Shanxi, trapped 12 miners on Friday, a "
                "day after nine died in a blast at a mine in Datong.",
                hours=22,
            ),
        ),
    ],
)
def test_the_next_of_a_kind_recalling_the_last_stays_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


def test_the_next_of_a_kind_struck_alike_stays_apart() -> None:
    # "hit" in both headlines is a verb of striking, no word of one flood's own
    assam = item(
        "wire",
        "Floods hit Assam, 8 dead, a day after Kerala flash floods",
        "Floods killed eight people in Assam on Tuesday, a day after flash floods in Kerala "
        "killed 12.",
        hours=20,
    )
    assert ingest(StoryIndex(), KERALA, assam)[1].story_id is None


def test_a_report_of_the_earlier_after_the_next_one_stays_apart() -> None:
    # the next blast's report first: its headline names the earlier one's town and its own
    huelva = item(
        "wire",
        "Blast at Huelva refinery injures 5 a day after Tarragona explosion",
        "An explosion at a refinery in Huelva injured five workers on Wednesday, a day after a "
        "blast at a chemical plant in Tarragona killed three.",
    )
    tarragona = item(
        "paper",
        "Tarragona plant blast: investigators find gas leak",
        "Investigators said a gas leak caused Tuesday's explosion at the petrochemical plant in "
        "Tarragona that killed three workers.",
        hours=3,
    )
    assert ingest(StoryIndex(), huelva, tarragona)[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the aftermath told against its own happening, named by its place: no name of its own
        (
            item(
                "wire",
                "Gas blast at Bartin coal mine traps 30",
                "A gas explosion at a coal mine in Bartin on Friday trapped 30 miners "
                "underground, the energy ministry said.",
            ),
            item(
                "paper",
                "Hopes fade for 30 miners a day after Bartin mine blast",
                "Rescuers were still unable to reach the 30 miners trapped by Friday's gas "
                "explosion at the coal mine in Bartin, the minister said on Saturday.",
                hours=20,
            ),
        ),
        (
            item(
                "wire",
                "Strong earthquake strikes Van, dozens dead",
                "A magnitude 6.9 earthquake struck Van province in eastern Turkey on Monday, "
                "killing dozens of people and toppling buildings.",
            ),
            item(
                "paper",
                "Aid trickles into quake zone a day after Van earthquake",
                "Convoys of aid reached villages cut off by Monday's earthquake in Van province, "
                "where survivors spent a second night in the open.",
                hours=20,
            ),
        ),
        # a wildfire measured from its own start, the place both headlines write
        (
            item(
                "wire",
                "Wildfire breaks out near Marmaris",
                "A wildfire broke out in pine forests near Marmaris on Tuesday afternoon, the "
                "forestry directorate said.",
            ),
            item(
                "paper",
                "Wildfire threatens hotels a day after blaze broke out near Marmaris",
                "Flames reached the edge of the resort on Wednesday as winds fanned the blaze "
                "that broke out in the pine forests on Tuesday, and hotels were evacuated.",
                hours=20,
            ),
        ),
        # a flood swamping a town of its own region: a travelling happening's reach
        (
            item(
                "wire",
                "Flash floods hit Assam, dozens of villages cut off",
                "Flash floods triggered by torrential rain cut off dozens of villages in Assam's "
                "Kamrup district on Monday, officials said.",
            ),
            item(
                "paper",
                "Floodwaters swamp Guwahati streets a day after flash floods hit Assam",
                "Water rose waist-deep in parts of Guwahati on Tuesday as the Brahmaputra "
                "overflowed, a day after flash floods hit Kamrup district, officials said.",
                hours=20,
            ),
        ),
    ],
)
def test_a_follow_up_told_against_its_own_happening_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            MILL,
            item(
                "wire",
                "Faisalabad mill owner arrested a day after fire killed six",
                "Police arrested the owner of a textile mill in Faisalabad on Tuesday, a day "
                "after a fire there killed six workers, on charges of negligence.",
                hours=22,
            ),
        ),
        # the kind's word before a noun of the aftermath: the earlier one's toll
        (
            KERALA,
            item(
                "wire",
                "Flood toll rises to 40 a day after flash floods hit Kerala",
                "The death toll from flash floods in Kerala rose to 40 on Tuesday, a day after "
                "torrential rain swept through Idukki district.",
                hours=20,
            ),
        ),
        (
            DATONG,
            item(
                "wire",
                "Shanxi orders mine safety checks a day after Datong blast",
                "Shanxi province ordered safety inspections at all coal mines on Friday, a day "
                "after a gas explosion killed nine miners in Datong.",
                hours=22,
            ),
        ),
        (
            APARTMENT,
            item(
                "wire",
                "Andheri building fire: five killed, several hurt",
                "Five people were killed and several injured after a blaze in a high-rise "
                "residential building in Andheri, Mumbai, on Saturday morning.",
                hours=3,
            ),
        ),
    ],
)
def test_a_report_measured_from_its_own_happening_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


def test_the_last_told_again_after_the_next_joins_the_last() -> None:
    # the next fire's headline recalls the mill's: the mill's own follow-up fits both stories
    # alike unless that recall parts it from the next (either way round: _earlier_apart)
    karachi = item(
        "wire",
        "Shoe factory blaze kills 3 in Karachi, hours after Faisalabad mill fire",
        "A fire at a shoe factory in Karachi killed three workers on Monday evening, hours after "
        "six people died in a textile mill fire in Faisalabad.",
        hours=9,
    )
    owner = item(
        "wire-owner",
        "Faisalabad mill owner arrested a day after fire killed six",
        "Police arrested the owner of a textile mill in Faisalabad on Tuesday, a day after a "
        "fire there killed six workers, on charges of negligence.",
        hours=22,
    )
    owner = replace(owner, feed_url=karachi.feed_url, feed_name=karachi.feed_name)  # one wire
    decisions = ingest(StoryIndex(), MILL, karachi, owner)
    assert [d.story_id for d in decisions] == [None, None, 1]


@pytest.mark.parametrize(
    ("title", "earlier"),
    [
        ("Warehouse blaze kills 4, a day after factory fire", {"factory"}),
        ("Colliery blast traps 12, a day after Datong mine blast", {"datong", "mine"}),
        ("Flood toll rises a day after flash floods", set()),  # the kind modifies the toll
        ("Floods reach Passau a day after floods hit Regensburg", set()),  # one flood travels
        ("Cyclone-hit town rebuilds a day after cyclone", set()),  # the kind as a modifier
        ("Minister resigns a day after factory fire", set()),  # no happening of the kind
        ("Warehouse blaze kills 4 in Chattogram", set()),  # none measured from
    ],
)
def test_a_headline_measuring_its_happening_from_another_of_its_kind(
    title: str, earlier: set[str]
) -> None:
    assert features(title, "").earlier == {term_id(root(word)) for word in earlier}


# h-dayafter3 (session 21): a lead telling the headline's own happening's start as earlier than
# the report ("a day after the fire broke out", "the wildfire that erupted ... a day earlier")
# leaves the headline no earlier happening of its kind (similarity._start_told).
@pytest.mark.parametrize(
    ("title", "lead", "earlier"),
    [
        (
            "Smoke shuts Villeurbanne schools as blaze burns a day after Lyon fire",
            "Schools stayed shut as smoke drifted north, a day after the fire broke out.",
            set(),
        ),
        (
            "Wildfire forces villagers to flee in Benkovac a day after blaze erupted near Zadar",
            "Villagers fled as the wildfire that erupted near Zadar a day earlier burned inland.",
            set(),
        ),
        (  # an indefinite start is another fire's
            "Smoke shuts Villeurbanne schools as blaze burns a day after Lyon fire",
            "Schools stayed shut on Tuesday as smoke drifted north, a day after a fire broke out.",
            {"lyon"},
        ),
        (  # the headline tells a start of its own: "the fire" is the other one
            "Fire breaks out at Venissieux warehouse a day after Lyon depot fire",
            "A fire broke out in Venissieux on Tuesday, a day after the fire broke out in Lyon.",
            {"lyon", "depot"},
        ),
        (  # another of its kind
            "New wildfire forces villagers to flee in Sibenik a day after blaze near Zadar",
            "Villagers fled, a day after the wildfire that erupted east of Zadar was contained.",
            {"blaze", "near", "zadar"},
        ),
        (  # the lead tells another of its kind: "the wildfire" is the earlier one
            "Smoke shuts Villeurbanne schools as blaze burns a day after Lyon fire",
            "A new fire closed schools on Tuesday, a day after the fire broke out in Lyon.",
            {"lyon"},
        ),
        (  # "the fire that ... killed eight" after "after" is the other fire
            "Blaze at Howrah jute mill kills two a day after Kolkata hotel fire",
            "A fire killed two on Wednesday, a day after the fire that started in a hotel killed "
            "eight.",
            {"kolkata", "hotel"},
        ),
        (  # a start told with what the headline measures from ("factory") is the other's
            "Warehouse blaze kills four, a day after factory fire",
            "A fire killed four on Wednesday, a day after the fire broke out at a factory.",
            {"factory"},
        ),
        (  # a start placed by an indefinite or a name is the other fire's
            "Blaze at Howrah jute mill kills two a day after Kolkata hotel fire",
            "A fire killed two on Wednesday, a day after the fire broke out at a guesthouse.",
            {"kolkata", "hotel"},
        ),
        (  # the start told neither after "after" nor before "earlier": no time measured
            "Smoke shuts Villeurbanne schools as blaze burns a day after Lyon fire",
            "Schools stayed shut on Tuesday. Officials said the fire broke out in a depot.",
            {"lyon"},
        ),
        (  # a named fire ("the Lyon fire") is no word of the kind right after "the"
            "Smoke shuts Villeurbanne schools as blaze burns a day after Lyon fire",
            "Schools stayed shut on Tuesday, a day after the Lyon depot fire broke out.",
            {"lyon"},
        ),
    ],
)
def test_a_lead_telling_its_own_happenings_start_leaves_no_earlier_one(
    title: str, lead: str, earlier: set[str]
) -> None:
    assert features(title, lead).earlier == {term_id(root(word)) for word in earlier}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # a word telling where ("near") is no word of the second fire's own both write
            item("one", "Wildfire breaks out near Bursa", "A wildfire broke out near Bursa."),
            item(
                "two",
                "Wildfire erupts near Mugla a day after blaze broke out near Bursa",
                "A wildfire erupted in pine forest near Mugla on Thursday, a day after a blaze "
                "broke out near Bursa, the forestry ministry said.",
                hours=22,
            ),
        ),
        (  # the headline's own start: the lead's "the fire" is the earlier one
            item(
                "one",
                "Fire breaks out at tyre depot near Lyon",
                "A large fire broke out at a tyre depot on the eastern edge of Lyon on Monday.",
            ),
            item(
                "two",
                "Fire breaks out at Venissieux warehouse a day after Lyon depot fire",
                "A fire broke out at a furniture warehouse in Venissieux on Tuesday, a day after "
                "the fire broke out at a tyre depot in Lyon, firefighters said.",
                hours=22,
            ),
        ),
        (  # the lead's new wildfire; "near" told aside still recalls the first headline
            item(
                "one",
                "Wildfire breaks out near Thessaloniki",
                "A wildfire broke out in pine forest east of Thessaloniki on Tuesday.",
            ),
            item(
                "two",
                "Villages evacuated in Chalkidiki a day after Thessaloniki blaze",
                "A new wildfire forced villages in Chalkidiki to empty on Wednesday, a day after "
                "the blaze that broke out near Thessaloniki was brought under control.",
                hours=22,
            ),
        ),
    ],
)
def test_a_second_fire_told_a_day_after_the_first_stays_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


def test_a_fire_told_a_day_after_its_own_start_joins_it() -> None:
    depot = item(
        "one",
        "Fire breaks out at tyre depot near Lyon",
        "A large fire broke out at a tyre depot on the eastern edge of Lyon on Monday, sending "
        "thick black smoke over the city, firefighters said.",
    )
    smoke = item(
        "two",
        "Smoke shuts Villeurbanne schools as blaze burns a day after Lyon fire",
        "Schools in Villeurbanne stayed shut on Tuesday as smoke from the burning depot drifted "
        "north over the town, a day after the fire broke out. Crews said it could burn on.",
        hours=22,
    )
    assert ingest(StoryIndex(), depot, smoke)[1].story_id == 1


def test_a_lead_telling_its_own_happenings_start_tells_it_aside_as_none_other() -> None:
    """The lead's "a day after the fire broke out in the port" is its own fire's start: "port",
    a word of the first headline, is told there as no other happening (_aside_terms)."""
    port = item(
        "one",
        "Warehouse fire breaks out in Rotterdam port",
        "A fire broke out at a warehouse storing tyres in the port of Rotterdam on Thursday.",
    )
    smoke = item(
        "two",
        "Smoke shuts Schiedam schools as blaze burns a day after Rotterdam fire",
        "Schools in Schiedam stayed shut on Friday as smoke from the burning tyre warehouse "
        "drifted west, a day after the fire broke out in the port.",
        hours=22,
    )
    assert not features(smoke.title, smoke.summary).aside
    assert ingest(StoryIndex(), port, smoke)[1].story_id == 1
    other = replace(
        smoke,
        title="Fire breaks out at Schiedam warehouse a day after Rotterdam fire",
        summary="A fire broke out at a warehouse in Schiedam on Friday, a day after the fire "
        "broke out in the port.",
    )  # its headline tells a start of its own: the lead's "the fire" is the other one
    assert features(other.title, other.summary).aside


# h-days3 (session 22): the next happening of a kind told by what it struck, a common noun the
# earlier one's report never writes ("market"), not a name: similarity's `site`
# (happenings.struck_site), story_signals._measured_apart.
@pytest.mark.parametrize(
    ("title", "site"),
    [
        ("Blaze guts Dhaka market a day after garment factory fire", {"market"}),
        ("Fire breaks out at Sliven bakery a day after warehouse fire", {"bakery"}),
        ("Fire destroys the Ruse depot a day after refinery blaze", {"depot"}),
        ("Blaze guts part of Ruse market a day after depot fire", {"market"}),  # past "part of"
        ("Fire still raging at Dhaka factory a day after blaze broke out", set()),  # no site told
        ("Wildfire destroys homes a day after blaze broke out near Izmir", set()),  # it travels
        ("Blaze guts Dhaka market", set()),  # measured from nothing
    ],
)
def test_the_site_a_headlines_own_happening_struck(title: str, site: set[str]) -> None:
    assert features(title, "").site == {term_id(root(word)) for word in site}


FACTORY = item(
    "paper",
    "Fire breaks out at Chittagong garment factory",
    "A fire broke out at a garment factory in Chittagong's Kalurghat industrial area on Monday "
    "evening, injuring nine workers, the fire service said.",
)


def test_the_next_fire_told_by_its_site_stays_apart() -> None:
    market = item(
        "wire",
        "Blaze guts Chittagong market a day after garment factory fire",
        "A fire destroyed scores of shops at a wholesale market in Chittagong's old quarter on "
        "Tuesday, a day after a blaze broke out at a garment factory in the port city.",
        hours=21,
    )
    assert ingest(StoryIndex(), FACTORY, market)[1].story_id is None


def test_the_same_fire_told_by_its_own_site_a_day_later_joins() -> None:
    # the site the headline tells is the factory the first report names: its own fire
    gutted = item(
        "wire",
        "Blaze guts Chittagong garment factory a day after fire broke out",
        "A fire that broke out at a garment factory in Chittagong's Kalurghat industrial area on "
        "Monday evening gutted the building overnight, injuring nine workers, firefighters said.",
        hours=18,
    )
    assert ingest(StoryIndex(), FACTORY, gutted)[1].story_id == 1
