"""The same happening a day later in other words (issue 11, item 3): a disaster's or an
accident's aftermath joins the story of its first report when both headlines name one kind of
happening, the two share its place, and the later one tells consequences (story_signals.
PairSignals._same_happening, happenings.py). The held-out cases of this kind are in
tests/data/story_cases.toml (kind day_apart)."""

from __future__ import annotations

import dataclasses

from tests.test_stories import ingest, item
from watcher.happenings import (
    AFTERMATH,
    HAPPENED_AS,
    kinds,
    one_kind,
    share_what_happened,
    stages_apart,
    what_happened,
)
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id

LANDSLIDE = item(
    "wire",
    "Landslide buries houses in Nepal's Gorkha district",
    "A landslide set off by monsoon rain buried at least 20 houses in a hill village of Gorkha "
    "district late on Monday, police said, and the main road to the district was cut.",
)
# 18 hours later, another outlet in other words: the dead, the search, the place.
AFTERMATH_REPORT = item(
    "paper",
    "Gorkha mudslide: soldiers pull nine bodies from the mud",
    "Army teams dug through the night and by Tuesday afternoon had recovered nine bodies; "
    "14 villagers are still missing and families are sheltering in a school.",
    hours=18,
)


def test_an_aftermath_in_other_words_joins_the_happenings_story() -> None:
    apart = ingest(StoryIndex(happenings=False), LANDSLIDE, AFTERMATH_REPORT)
    assert [d.story_id for d in apart] == [None, None]  # the model alone: too few words shared
    decisions = ingest(StoryIndex(), LANDSLIDE, AFTERMATH_REPORT)
    assert [d.story_id for d in decisions] == [None, 1]


def test_an_aftermath_joins_a_story_whose_later_report_is_its_closest() -> None:
    # The rule compares the item with the story's first report itself, so the chain check
    # (a report 18 h on, closest to a later report, must fit the first alone) does not undo it.
    search = item(
        "radio",
        "Gorkha landslide: army joins search in the mud",
        "Soldiers were sent on Monday night to dig through the mud in Gorkha district, where a "
        "landslide buried 20 houses; villagers fear many are trapped, police said.",
        hours=3,
    )
    decisions = ingest(StoryIndex(), LANDSLIDE, search, AFTERMATH_REPORT)
    assert [d.story_id for d in decisions] == [None, 1, 1]


def test_a_happening_of_another_kind_in_the_same_place_stays_apart() -> None:
    quake = item(
        "paper",
        "Gorkha earthquake: nine dead as houses collapse",
        "A magnitude 5.8 earthquake shook Gorkha district on Tuesday afternoon; nine people "
        "died and dozens of houses collapsed, officials said.",
        hours=18,
    )
    decisions = ingest(StoryIndex(), LANDSLIDE, quake)
    assert decisions[1].story_id is None


def test_a_happening_of_the_same_kind_elsewhere_stays_apart() -> None:
    fire = item(
        "wire",
        "Wildfire forces evacuations near Fresno",
        "A fast-moving wildfire in the hills east of Fresno, California, forced 2,000 people "
        "from their homes on Monday, fire officials said.",
    )
    other = item(
        "paper",
        "Warehouse fire in Sacramento kills two, California officials say",
        "Two workers died when fire swept through a furniture warehouse in Sacramento overnight, "
        "California fire officials said on Tuesday.",
        hours=16,
    )
    decisions = ingest(StoryIndex(), fire, other)
    assert decisions[1].story_id is None
    # Close in words, so no guard parts them, but another town named: a name conflict.
    santa_barbara = item(
        "wire",
        "Wildfire forces evacuations near Santa Barbara, California",
        "A fast-moving wildfire in the hills above Santa Barbara, California, forced thousands "
        "of people from their homes on Monday as firefighters battled strong winds, officials "
        "said.",
    )
    oakland = item(
        "paper",
        "California wildfire: two dead as Oakland blaze destroys homes",
        "Two people died and dozens of homes were destroyed as a wildfire swept through hills "
        "above Oakland, California, on Tuesday, forcing thousands from their homes, officials "
        "said.",
        hours=18,
    )
    assert ingest(StoryIndex(), santa_barbara, oakland)[1].story_id is None


def test_two_fires_told_in_common_words_in_one_city_stay_apart() -> None:
    # A house fire, a warehouse fire: a city has several a day. Neither headline names its
    # kind by a word of its own (a bushfire, a wildfire), so the rule does not join them.
    warehouse = item(
        "wire",
        "Fire destroys warehouse in Manchester",
        "A huge fire destroyed a textile warehouse in Cheetham Hill, Manchester, on Monday "
        "night; no one was hurt, the fire service said.",
    )
    house = item(
        "paper",
        "Manchester house fire kills two children",
        "Two children died in a house fire in Wythenshawe, Manchester, early on Tuesday; their "
        "mother was taken to hospital.",
        hours=18,
    )
    assert [d.story_id for d in ingest(StoryIndex(), warehouse, house)] == [None, None]


def test_without_consequences_told_the_rule_does_not_join() -> None:
    road = item(
        "paper",
        "Gorkha landslide: engineers start clearing the highway",
        "Bulldozers began clearing the highway into Gorkha on Tuesday; officials said it should "
        "reopen within a week.",
        hours=18,
    )
    assert not AFTERMATH & features(road.title, road.summary).weights.keys()
    decisions = ingest(StoryIndex(), LANDSLIDE, road)
    assert decisions[1].story_id is None


def test_kinds_gather_the_words_of_one_kind_of_happening() -> None:
    def kinds_of(title: str) -> set[int]:
        return kinds(features(title, "").title)

    assert kinds_of("Bushfire near Perth") == kinds_of("Perth blaze") != set()
    assert kinds_of("Typhoon nears Luzon") == kinds_of("Hurricane nears Florida") != set()
    assert kinds_of("Hackers hit retailer") == kinds_of("Cyber attack on retailer") != set()
    assert kinds_of("Floods in Slovenia") == kinds_of("Slovenia flooding") != set()
    assert kinds_of("Shooting in Chicago") == set()  # crimes happen twice a day in one city

    def one(first: str, second: str) -> bool:
        return one_kind(features(first, "").title, features(second, "").title)

    assert one("Bushfire destroys homes near Perth", "Perth blaze jumps highway")
    assert one("Ferry capsizes on Lake Kivu", "Overloaded boat sinks near Goma")
    assert not one("Fire destroys warehouse", "House fire kills two")  # common words alone
    assert not one("Protesters storm parliament", "Storm damage in the capital")
    assert not one("Explosion rocks Kyiv", "Kyiv blasts kill two")


def test_the_jury_out_and_its_verdict_are_two_stories() -> None:
    out = item(
        "wire",
        "Jury begins deliberations in Marlowe bribery trial",
        "Jurors in Boston began deliberating on Monday in the bribery trial of former mayor "
        "Ellen Marlowe, accused of taking $400,000 from developers for city contracts.",
    )
    verdict = item(
        "paper",
        "Former Boston mayor Ellen Marlowe convicted of bribery",
        "A federal jury found Ellen Marlowe guilty on Tuesday of taking $400,000 in bribes from "
        "developers in return for city contracts; she faces up to 20 years.",
        hours=20,
    )
    reaction = item(
        "radio",
        "Marlowe guilty verdict shakes Boston city hall",
        "Tuesday's conviction of former mayor Ellen Marlowe for taking developers' bribes has "
        "left city councillors scrambling, lawyers said.",
        hours=30,
    )
    joined = ingest(StoryIndex(stages=False), out, verdict, reaction)
    assert [d.story_id for d in joined][:2] == [None, 1]  # the model alone: same names, words
    decisions = ingest(StoryIndex(), out, verdict, reaction)
    assert [d.story_id for d in decisions] == [None, None, 2]  # the verdict's story takes its own
    assert stages_apart(headline("Jury deliberates"), headline("Jury acquits Marlowe"))
    assert not stages_apart(headline("Marlowe convicted"), headline("Marlowe sentenced"))


def headline(title: str) -> frozenset[int]:
    return features(title, "").title


def test_a_companys_results_and_the_next_mornings_share_move_are_one_story() -> None:
    results = item(
        "wire",
        "Brightwell Energy profit doubles on high gas prices",
        "Brightwell Energy said on Thursday its first-half profit doubled to 2.1 billion pounds "
        "as gas prices stayed high, and it kept its forecast for the year.",
    )
    shares = item(
        "paper",
        "Brightwell shares soar as energy group raises dividend",
        "Investors cheered a 20% higher payout from the North Sea producer, sending the stock to "
        "a record on Friday morning.",
        hours=22,
    )
    assert [d.story_id for d in ingest(StoryIndex(happenings=False), results, shares)] == [
        None,
        None,
    ]
    assert [d.story_id for d in ingest(StoryIndex(), results, shares)] == [None, 1]
    # The next morning's other news of the company is no results: its own story.
    fire = item(
        "paper",
        "Brightwell shares slump after refinery fire",
        "A blaze at the group's Teesside refinery halted output on Friday, the company said.",
        hours=22,
    )
    assert [d.story_id for d in ingest(StoryIndex(), results, fire)] == [None, None]


def test_an_aftershock_is_no_aftermath_of_its_quake() -> None:
    quake = item(
        "wire",
        "Strong earthquake hits central Chile, five dead",
        "A magnitude 6.8 earthquake struck central Chile near Talca on Monday night, killing five "
        "people and damaging hundreds of homes, the disaster agency said.",
    )
    aftershock = item(
        "paper",
        "Powerful aftershock rattles Chile a day after deadly quake",
        "A strong aftershock shook the Maule region on Tuesday evening, bringing down walls "
        "already cracked, and two more people were injured.",
        hours=22,
    )
    assert [d.story_id for d in ingest(StoryIndex(), quake, aftershock)] == [None, None]


def test_a_verdict_awaited_and_the_verdict_are_two_stories() -> None:
    preview = item(
        "wire",
        "Former Vardania minister Ilse Brandt to learn verdict in bribery trial",
        "A court in Vardania will deliver its verdict on Monday in the bribery trial of former "
        "minister Ilse Brandt, accused of taking kickbacks on a port contract.",
    )
    waiting = item(
        "video",
        "Ilse Brandt awaits sentencing in Vardania bribery trial",
        "Former Vardania minister Ilse Brandt awaits the court's decision in her bribery trial "
        "over kickbacks on a port contract.",
        hours=1,
    )
    verdict = item(
        "paper",
        "Former Vardania minister Ilse Brandt found guilty of bribery",
        "A Vardania court found former minister Ilse Brandt guilty on Monday of taking "
        "kickbacks on a port contract and sentenced her to nine years in prison.",
        hours=6,
    )
    sentence = item(
        "radio",
        "Ilse Brandt given nine-year sentence over port kickbacks",
        "Former minister Ilse Brandt was sentenced to nine years on Monday after a court in "
        "Vardania convicted her of bribery.",
        hours=7,
    )
    decisions = ingest(StoryIndex(), preview, waiting, verdict, sentence)
    assert [d.story_id for d in decisions] == [None, 1, None, 2]
    # a verdict told with the sentence still to come names both stages
    both = headline("Brandt found guilty, awaits sentencing")
    assert not stages_apart(both, headline(verdict.title))


def test_a_quakes_aftershocks_told_after_it_are_its_aftermath() -> None:
    # The first of a headline's words of a kind tells its happening: an aftershock opening it is
    # a fresh quake, aftershocks after the quake are that quake's (happenings.afresh).
    fresh = ("Powerful aftershock rattles Chile a day after deadly quake", "AFTERSHOCK jolts Talca")
    for title in fresh:
        assert features(title, "").afresh
    for title in ("Chile quake: five dead as aftershocks continue", "Quake toll rises to 12"):
        assert not features(title, "").afresh


def _daily(key: str, title: str, lead: str, hours: float = 0.0) -> Item:
    """A report of one regional daily: every one in its feed."""
    report = item(key, title, lead, hours=hours)
    return dataclasses.replace(report, feed_url="https://daily.example/rss", feed_name="daily")


MIYAZAKI_QUAKE = _daily(
    "quake",
    "Strong quake shakes Miyazaki before dawn, tsunami advisory lifted",
    "An earthquake with a preliminary magnitude of 6.4 struck off Miyazaki Prefecture at 4:02 "
    "a.m., the Japan Meteorological Agency said; a tsunami advisory for the coast was lifted "
    "two hours later. Shaking of lower 6 was recorded in Nichinan.",
)
MIYAZAKI_DAMAGE = _daily(
    "damage",
    "Miyazaki quake: one dead, 60 homes damaged as aftershocks continue",
    "A woman in her 80s died when a wall fell in Nichinan and about 60 homes were damaged, the "
    "prefecture said, as dozens of aftershocks shook the coast through the day.",
    hours=17,
)
MIYAZAKI_STORM = _daily(
    "storm",
    "Miyazaki floods: two dead as rain swamps Nichinan",
    "Two people died and 40 homes were flooded in Nichinan after 300 mm of rain fell in a day, "
    "the prefecture said.",
    hours=17,
)


def test_a_papers_own_aftermath_report_joins_its_happening_under_the_own_feed_bar() -> None:
    # One regional daily's quake and its damage report 17 h later: the model gives the pair
    # under the threshold, and under OWN_FEED for a story of the daily's reports alone; both
    # headlines name the quake by its own word, share its place and tell its aftermath, so
    # the *same happening* rule joins it, as it would another outlet's. Its flood the same
    # day names another kind and stays apart.
    apart = ingest(StoryIndex(happenings=False), MIYAZAKI_QUAKE, MIYAZAKI_DAMAGE)
    assert [d.story_id for d in apart] == [None, None]
    joined = ingest(StoryIndex(), MIYAZAKI_QUAKE, MIYAZAKI_DAMAGE)
    assert [d.story_id for d in joined] == [None, 1]
    assert ingest(StoryIndex(), MIYAZAKI_QUAKE, MIYAZAKI_STORM)[1].story_id is None


COLLISION = item(
    "daily",
    "Two trains collide near Chittagong, many feared dead",
    "A passenger train ran into a stationary oil tanker train near Chittagong late on Sunday, "
    "Bangladesh Railway said, and rescuers worked through the night at the wreck.",
)
RAIL_TOLL = item(
    "wire",
    "Bangladesh rail crash toll rises to 18, driver held",
    "Eighteen people are now known to have died in the accident in the southeast of the "
    "country, officials said on Monday, and police held the driver.",
    hours=16,
)


def test_a_rail_crash_told_next_day_is_the_trains_collision() -> None:
    # "Two trains collide" and "rail crash" are one kind of happening, a rail accident
    # (wordforms.PHRASES: the derailment's kind): the toll the next day, in other words, joins
    # the collision by the same happening rule; without it the model leaves it apart.
    assert (
        features("Two trains collide near Chittagong", "").title
        == features("Train crash near Chittagong", "").title
    )
    apart = ingest(StoryIndex(happenings=False), COLLISION, RAIL_TOLL)
    assert [d.story_id for d in apart] == [None, None]
    assert [d.story_id for d in ingest(StoryIndex(), COLLISION, RAIL_TOLL)] == [None, 1]


def _happened(title: str, lead: str = "") -> frozenset[int]:
    feats = features(title, lead)
    return what_happened(feats.title, feats.names)


def test_one_happening_in_other_words_shares_a_word_of_what_happened() -> None:
    # a strike and an airstrike are one blow; "kills" and "dead" one aftermath
    told = _happened("Israeli strike kills 12 in Gaza")
    retold = _happened("Airstrike on Gaza camp leaves a dozen dead")
    assert share_what_happened(told, retold)
    assert told == {HAPPENED_AS[term_id(root(word))] for word in ("strike", "dead")}


def test_one_actors_two_acts_share_no_word_of_what_happened() -> None:
    assert _happened("PM meets Modi") == frozenset()
    assert not share_what_happened(
        _happened("PM announces cabinet reshuffle"), _happened("PM meets Modi")
    )
    lead = "Prime Minister Jonas Edvardsen on Tuesday {}."
    plan = _happened("Edvardsen unveils plan to halve asylum arrivals", lead.format("spoke"))
    retold = _happened(
        "Norway to curb family reunification, Edvardsen tells parliament", lead.format("said")
    )
    sacking = _happened(
        "Edvardsen sacks minister over expenses row", lead.format("dismissed a minister")
    )
    assert not share_what_happened(sacking, plan, retold)
    assert not share_what_happened(sacking, plan)
    # the same act told a third time, in its own words: shares the asylum with the first
    third = _happened("Edvardsen moves to cut asylum arrivals", lead.format("spoke"))
    assert share_what_happened(third, plan)
    assert not share_what_happened(third, plan, retold)  # ... not with the second


def test_names_places_offices_and_figures_are_no_words_of_what_happened() -> None:
    assert _happened("Israeli Minister Visits Gaza With 12 Officials") == {term_id(root("visit"))}
    assert _happened("Kenya's president sacks police chief") == {term_id(root("sack"))}
    named = features("Halvorsen sacks aide", "Premier Ola Halvorsen sacked an aide on Friday.")
    assert term_id(root("halvorsen")) not in what_happened(named.title, named.names)
    assert term_id(root("halvorsen")) in what_happened(named.title)  # no lead: not cued


def test_nothing_to_compare_shares_nothing() -> None:
    assert not share_what_happened(_happened("Quake kills nine in Gorkha"))
