"""A story held past its window for the turn of an arc (stories.HOLD): a report telling the turn
("bodies found", "hostages freed", "strike ends") two to four days after a first report that
opened the arc (climbers missing, aid workers kidnapped, a strike) joins that story, judged by
the turn-of-a-story rule with the time capped at the reach. The first report is kept by the
index's prune and by the start-up rebuild; nothing else is. A saga's next event without a turn
stays apart. Invented reports (no text from any data set)."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from tests.test_stories import T0, ingest, item
from tests.test_story_arcs import CLOSED, REOPENED
from watcher import config
from watcher.app import open_app
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

MISSING = item(
    "radio",
    "Two climbers missing on Mount Tasman after avalanche",
    "Police say two climbers from Christchurch have not been heard from since Sunday, when an "
    "avalanche swept the upper slopes of Mount Tasman; cloud kept helicopters on the ground.",
)
# 60 hours later, another outlet: past the 24 h reach and the 36 h window.
FOUND = item(
    "wire",
    "Bodies of two Christchurch climbers found on Mount Tasman",
    "A rescue helicopter crew spotted the bodies of the two climbers below a ridge on Mount "
    "Tasman on Wednesday morning, ending a three-day search, police said.",
    hours=60,
)
STRIKE = item(
    "paper",
    "Lisbon dockworkers strike, halting container traffic",
    "Dockworkers at the port of Lisbon walked out on Monday over pay, leaving dozens of "
    "container ships waiting off the Tagus estuary, the port authority said.",
)
# Three days later the same outlet's saga goes on without a turn: its next event.
STRIKE_RALLY = item(
    "wire",
    "Lisbon dockworkers march on parliament as port stays idle",
    "Thousands of dockworkers from the port of Lisbon marched on parliament on Thursday, the "
    "fourth day of their walkout over pay, the union said.",
    hours=72,
)
UNRELATED = item(
    "paper",
    "Lisbon council approves new tram line to the airport",
    "Councillors in Lisbon voted on Monday to build a tram line from the city centre to the "
    "airport by 2030.",
)

COACH = item(
    "radio",
    "Porto appoint Dutch coach on two-year deal",
    "FC Porto named a Dutch coach on a two-year contract on Wednesday, the club said.",
    hours=58,
)


def test_a_turn_days_later_joins_the_story_its_opening_began() -> None:
    held = ingest(StoryIndex(), MISSING, FOUND)
    assert [d.story_id for d in held] == [None, 1]
    # Without the hold the story stops taking reports at its window: a second story.
    apart = ingest(StoryIndex(hold=timedelta(hours=36)), MISSING, FOUND)
    assert [d.story_id for d in apart] == [None, None]


def test_a_turn_past_the_hold_and_a_sagas_next_event_stay_apart() -> None:
    late = item("wire", FOUND.title, FOUND.summary, hours=100)
    assert ingest(StoryIndex(), MISSING, late)[1].story_id is None
    assert ingest(StoryIndex(), STRIKE, STRIKE_RALLY)[1].story_id is None


def test_a_closure_is_not_held_for_its_reopening() -> None:
    # A closure, a lockdown or a shutdown lasts weeks: its end days later is the saga's next
    # news (arcs.HELD), so the story is not held for it past its window.
    later = item("paper", REOPENED.title, REOPENED.summary, hours=60)
    assert ingest(StoryIndex(), CLOSED, later)[1].story_id is None
    assert ingest(StoryIndex(), CLOSED, REOPENED)[1].story_id == 1  # within its day: as before


LANDFALL = item(
    "wire",
    "Typhoon Halong makes landfall in northern Luzon",
    "Typhoon Halong came ashore near Aparri in Cagayan province early on Tuesday with winds of "
    "190 km/h, flattening homes and cutting power, the Philippine weather agency said.",
)
# 50 hours later another outlet tells the aftermath and names the landfall as past.
AID = item(
    "paper",
    "Relief ships reach typhoon-hit Aparri as water runs short",
    "The first navy relief ships docked at Aparri on Thursday, two days after Typhoon Halong, "
    "carrying drinking water and tents for 30,000 people left homeless in Cagayan.",
    hours=50,
)


def test_a_happenings_aftermath_named_as_past_joins_days_later() -> None:
    assert ingest(StoryIndex(), LANDFALL, AID)[1].story_id == 1
    assert ingest(StoryIndex(hold=timedelta(hours=36)), LANDFALL, AID)[1].story_id is None
    # The same aftermath with no back reference to the landfall: left to its own story.
    silent = item(
        "paper",
        AID.title,
        "The first navy relief ships docked at Aparri on Thursday, carrying drinking water and "
        "tents for 30,000 people left homeless in Cagayan.",
        hours=50,
    )
    assert ingest(StoryIndex(), LANDFALL, silent)[1].story_id is None


WILDFIRE = item(
    "daily",
    "Wildfire forces evacuation of villages near Evora in Portugal",
    "Hundreds of people left three villages near Evora on Monday as a wildfire fanned by hot "
    "winds spread through cork oak forest; eight water-bombing planes fought the flames.",
)
# 40 hours later (past the window) a wire names that wildfire as past, by its place.
SUSPECT = item(
    "wire",
    "Portuguese police arrest farmer over Evora wildfire that burned 9,000 hectares",
    "Police arrested a 61-year-old farmer on Wednesday on suspicion of starting the fire by "
    "burning brush on a windy afternoon, the judicial police said.",
    hours=40,
)
QUAKE = item(
    "daily",
    "Magnitude 6.2 earthquake shakes Arequipa in southern Peru",
    "A strong earthquake shook the southern Peruvian region of Arequipa on Monday, damaging "
    "churches and cutting roads in the Colca valley, the geophysical institute said.",
)
# 50 hours later a fresh quake, told beside the first by its name: the saga's next event.
SECOND_QUAKE = item(
    "wire",
    "Strong quake hits Piura two days after Arequipa quake",
    "A magnitude 6.0 earthquake struck the northern region of Piura on Wednesday, cracking "
    "walls in Sullana, two days after the Arequipa quake.",
    hours=50,
)
MINE = item(
    "daily",
    "Gas blast at Karaganda coal mine kills 11 miners",
    "A methane explosion tore through a coal mine near Karaganda on Monday night, killing 11 "
    "miners, the emergencies ministry said.",
)
# 50 hours later another mine's flood, named beside *another* happening of the kind.
FLOODED_PIT = item(
    "wire",
    "Nine miners trapped as water floods Karaganda pit",
    "Rescuers were pumping water from a pit near Karaganda on Wednesday where nine miners were "
    "trapped, two days after a gas blast at another Karaganda mine.",
    hours=50,
)


def test_a_report_naming_its_storys_happening_by_its_name_joins_days_later() -> None:
    assert ingest(StoryIndex(), WILDFIRE, SUSPECT)[1].story_id == 1
    # without the hold, past the window: apart (as before the rule)
    assert ingest(StoryIndex(hold=timedelta(hours=36)), WILDFIRE, SUSPECT)[1].story_id is None
    # A fresh happening of the kind in its headline, told beside the story's own by its name:
    # the saga's next event. And another happening named as past ("at another mine").
    assert ingest(StoryIndex(), QUAKE, SECOND_QUAKE)[1].story_id is None
    assert ingest(StoryIndex(), MINE, FLOODED_PIT)[1].story_id is None


TYPHOON = item(
    "daily",
    "Typhoon Koinu slams into eastern Taiwan, flights cancelled",
    "Typhoon Koinu made landfall near Hualien on Tuesday with gusts of 200 km/h, cutting power "
    "to 300,000 homes, the weather administration said.",
)


def test_a_storm_named_as_past_in_a_headline_read_as_title_case_joins() -> None:
    """70 h later a wire names the typhoon as past by its name in a headline whose opener and
    names read as title case (h-days2, session 21): Koinu is a storm's name there too."""
    outage = item(
        "wire",
        "Thousands in Hualien still without power three days after Typhoon Koinu",
        "About 40,000 households in Hualien county were still without electricity on Friday as "
        "crews repaired pylons brought down by the storm, the power company said.",
        hours=70,
    )
    assert ingest(StoryIndex(), TYPHOON, outage)[1].story_id == 1
    assert ingest(StoryIndex(hold=timedelta(hours=36)), TYPHOON, outage)[1].story_id is None
    # another storm named as past, or a fresh one told beside Koinu: apart
    other = item("wire", outage.title.replace("Koinu", "Haikui"), outage.summary, hours=70)
    assert ingest(StoryIndex(), TYPHOON, other)[1].story_id is None
    fresh = item(
        "wire",
        "Typhoon Haikui Lashes Taitung Three Days After Typhoon Koinu",
        "Typhoon Haikui struck Taitung county on Friday, three days after Typhoon Koinu.",
        hours=70,
    )
    assert ingest(StoryIndex(), TYPHOON, fresh)[1].story_id is None
    # a happening of another kind of its own, the typhoon named only for when (h-review21's
    # yj- case): apart, in title case or not
    quake = item("wire", "Earthquake jolts Hualien three days after Typhoon Koinu", "", hours=70)
    assert ingest(StoryIndex(), TYPHOON, quake)[1].story_id is None
    slide = item(
        "wire",
        "Deadly landslide buries homes near Hualien three days after Typhoon Koinu",
        "A hillside collapsed onto houses near Hualien on Friday night, killing nine people.",
        hours=70,
    )
    assert ingest(StoryIndex(), TYPHOON, slide)[1].story_id is None
    # ... but the floods the storm brought are its own (h-review21's yj- case): one story
    flooded = item(
        "wire",
        "Floodwaters still cover Hualien streets three days after Typhoon Koinu",
        "Streets in central Hualien were still under water on Friday.",
        hours=70,
    )
    assert ingest(StoryIndex(), TYPHOON, flooded)[1].story_id == 1


def test_a_happening_told_again_beside_the_storys_stays_apart() -> None:
    """h-review, session 16: the saga's next event in no word of the kind ("burns again"),
    told beside the story's own by its name, joined it 70 h later at the threshold (93b41b7)."""
    first = item(
        "daily",
        "Wildfire forces evacuation of villages near Oristano in Sardinia",
        "Hundreds of people were evacuated on Monday as a wildfire swept through woodland near "
        "Oristano, on the Italian island of Sardinia, firefighters said.",
    )
    again = item(
        "wire",
        "Sardinia burns again as hundreds flee homes near Nuoro, days after Oristano wildfire",
        "Hundreds of people fled villages near Nuoro on Thursday as flames spread through "
        "woodland.",
        hours=70,
    )
    assert ingest(StoryIndex(), first, again)[1].story_id is None


def test_the_prune_keeps_a_first_report_opening_an_arc_for_the_hold() -> None:
    index = StoryIndex()
    ingest(index, MISSING, UNRELATED)
    assert index.prune(T0 + timedelta(hours=58) - index.window) == 1  # the tram line only
    assert len(index) == 1
    assert index.decide(FOUND).story_id == 1
    assert index.prune(T0 + timedelta(hours=100) - index.window) == 1  # past the hold: gone
    assert len(index) == 0


async def test_a_restart_rebuilds_the_held_first_report(tmp_path: Path) -> None:
    # The first report lies before the window when the service starts again: the rebuild
    # (assembly.py) takes it back, and the turn joins its story as without the restart.
    (tmp_path / "rules").mkdir()
    path = tmp_path / "config.toml"
    path.write_text(
        '[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        '[[feed]]\nurl = "https://radio.example/rss"\nname = "radio"\n'
        '[channel.desk]\ntype = "console"\n',
        encoding="utf-8",
    )
    settings = config.load(path)
    store = Store(settings.storage.path)
    Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # never fetches here
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: T0,
        rng=random.Random(0),
    ).ingest([MISSING, UNRELATED, COACH], T0 + timedelta(hours=58), alert=False)
    (missing_story,) = [s.id for s in store.recent_stories() if s.items[0].title == MISSING.title]
    store.close()
    app = open_app(settings, rules=RuleSet.empty(), clock=lambda: T0 + timedelta(hours=59))
    try:
        index = app.pipeline.index
        # the tram line, before the window and opening no arc, is not; the coach is in it
        assert len(index) == 2
        assert index.decide(FOUND).story_id == missing_story
    finally:
        await app.aclose()


def test_the_rebuild_holds_first_reports_of_arcs_and_kinds_only() -> None:
    index = StoryIndex()
    assert index.holds(MISSING, 1) and index.holds(LANDFALL, 2)
    assert not index.holds(UNRELATED, 3) and not index.holds(CLOSED, 4)
    index.add(MISSING, 1)
    assert not index.holds(FOUND, 1)  # a later report of a story it has: not its first
