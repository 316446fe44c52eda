"""Every report agrees (stories.AGREE): a report past a story's 24 h reach, within its window,
that tells nothing of an earlier day still joins the story when the model, the time capped at the
reach, gives it at least AGREE against every report of it, the story holds reports of two outlets
that are no copies of one another, and none of them is the item's own outlet's. Invented reports
(no text from any data set)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest

from tests.test_stories import KENYA_A, KENYA_B, T0, ingest, item
from watcher import assembly, config, stories
from watcher.app import open_app
from watcher.happenings import step_filed, step_next, told_anew
from watcher.model import Item
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.similarity import features
from watcher.store import Store
from watcher.stories import AGREE_HOLD, StoryIndex
from watcher.story_slots import DEAD
from watcher.textcues import months_named

VOTE = item(
    "paper",
    "Lithuanian parliament approves ban on disposable vapes from 2027",
    "Lithuania's parliament, the Seimas, voted 87 to 12 on Tuesday to ban the sale of disposable "
    "e-cigarettes from January 2027, making it the first Baltic state to outlaw the devices. "
    "Health Minister Arunas Dulkys said the vapes were hooking teenagers on nicotine.",
)
VOTE_RADIO = item(
    "radio",
    "Lithuania's Seimas votes to ban disposable e-cigarettes",
    "Lawmakers in Vilnius voted 87 to 12 to outlaw the sale of disposable vapes from January "
    "2027; Health Minister Arunas Dulkys told the Seimas the devices were hooking teenagers on "
    "nicotine.",
    hours=5,
)
# 30 hours after the first report, a third outlet: past the reach, within the 36 h window.
VOTE_WIRE = item(
    "wire",
    "Lithuania bans disposable vapes from 2027 in first for Baltics",
    "Lithuania's Seimas has voted 87 to 12 to ban the sale of disposable e-cigarettes from "
    "January 2027, the first Baltic state to outlaw the devices; Health Minister Arunas Dulkys "
    "said they were hooking teenagers on nicotine.",
    hours=30,
)


def of_feed(report: Item, other: Item, key: str) -> Item:
    """`report` as published by `other`'s outlet (its feed), under a key and link of its own."""
    return replace(
        report,
        key=f"url:{key}",
        link=f"https://{key}.example/story",
        feed_url=other.feed_url,
        feed_name=other.feed_name,
    )


def test_a_third_outlet_a_day_later_joins_when_every_report_agrees() -> None:
    decisions = ingest(StoryIndex(), VOTE, VOTE_RADIO, VOTE_WIRE)
    assert [d.story_id for d in decisions] == [None, 1, 1]
    # Without the rule the story stops taking such reports at its reach: a second story.
    apart = ingest(StoryIndex(agree=2.0), VOTE, VOTE_RADIO, VOTE_WIRE)
    assert [d.story_id for d in apart] == [None, 1, None]


def test_an_outlet_that_told_it_already_starts_a_new_story() -> None:
    again = of_feed(VOTE_WIRE, VOTE, "paper-later")
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, again)] == [None, 1, None]


def test_a_report_and_its_copy_are_one_telling() -> None:
    copy = replace(of_feed(VOTE, VOTE_RADIO, "radio-copy"), published=VOTE_RADIO.published)
    decisions = ingest(StoryIndex(), VOTE, copy, VOTE_WIRE)
    assert [d.story_id for d in decisions] == [None, 1, None]


def test_past_the_window_a_story_of_two_outlets_agrees_up_to_agree_hold() -> None:
    late = replace(VOTE_WIRE, published=VOTE.published + timedelta(hours=50))  # window: 36 h
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, late)] == [None, 1, 1]
    # Without the hold the story stops taking reports at its window: a second story.
    apart = ingest(StoryIndex(agree_hold=timedelta(hours=36)), VOTE, VOTE_RADIO, late)
    assert [d.story_id for d in apart] == [None, 1, None]


def test_past_agree_hold_nothing_agrees() -> None:
    late = replace(VOTE_WIRE, published=VOTE.published + AGREE_HOLD + timedelta(hours=2))
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, late)] == [None, 1, None]


def test_past_the_window_a_story_of_one_report_takes_nothing() -> None:
    late = replace(VOTE_WIRE, published=VOTE.published + timedelta(hours=50))
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, late)] == [None, None]
    # within the window it does (*A lone report*), not with the rule off
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_WIRE)] == [None, 1]
    assert [d.story_id for d in ingest(StoryIndex(agree_lone=2.0), VOTE, VOTE_WIRE)] == [None, None]


def test_a_report_opening_what_no_report_of_the_story_told_is_its_next_event() -> None:
    # Two days after the vote, a third outlet tells the sellers' strike over it in the vote's
    # own words: its headline opens an arc (arcs.py: a strike) no report of the story opened.
    strike = item(
        "wire",
        "Lithuanian vape sellers strike over Seimas ban on disposable vapes from 2027",
        "Vape shops across Lithuania closed for a day in protest after the Seimas voted 87 to 12 "
        "to ban the sale of disposable e-cigarettes from January 2027; Health Minister Arunas "
        "Dulkys said the vapes were hooking teenagers on nicotine.",
        hours=50,
    )
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, strike)] == [None, 1, None]
    # told without the strike, every report agrees and it joins
    told = replace(strike, title="Lithuanian vape sellers protest Seimas ban on disposable vapes")
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, VOTE_RADIO, told)] == [None, 1, 1]


def test_the_prune_keeps_a_story_of_two_outlets_until_agree_hold() -> None:
    index = StoryIndex()
    lone = item("courier", "Harbour crane collapses in Gdansk shipyard", "No one was hurt.")
    ingest(index, VOTE, VOTE_RADIO, replace(lone, published=VOTE.published + timedelta(hours=6)))
    # 45 h on: every report before the window, only the two outlets' story kept
    assert index.prune(VOTE.published + timedelta(hours=45) - index.window) == 1
    assert len(index) == 2
    late = replace(VOTE_WIRE, published=VOTE.published + timedelta(hours=50))
    assert index.decide(late).story_id == 1
    # past AGREE_HOLD after the story's first report: gone
    assert index.prune(VOTE.published + AGREE_HOLD + timedelta(hours=1) - index.window) == 2
    assert len(index) == 0


# Two stories two outlets told, 8 hours apart (the finance bill's reports given another time).
BILL = [replace(report, published=T0 + timedelta(hours=8)) for report in (KENYA_A, KENYA_B)]


def test_over_its_budget_the_prune_drops_the_oldest_held_story_first() -> None:
    late = replace(VOTE_WIRE, published=VOTE.published + timedelta(hours=50))
    for budget, gone, story in ((2, 2, None), (4, 0, 1)):
        index = StoryIndex(agree_slots=budget)
        for report, story_id in zip((VOTE, VOTE_RADIO, *BILL), (1, 1, 2, 2), strict=True):
            index.add(report, story_id)
        # 48 h on: all four reports before the window, each story told by two outlets; at a
        # budget of two slots the vote's story (the older first report) goes, the bill's stays
        assert index.prune(T0 + timedelta(hours=48) - index.window) == gone
        assert len(index) == 4 - gone
        assert index.decide(late).story_id == story


def alive(index: StoryIndex) -> list[tuple[int, float]]:
    """The index's living slots: (story, published)."""
    return sorted((s, t) for s, t in zip(index._story, index._time, strict=True) if s != DEAD)


async def test_the_rebuild_keeps_the_slots_a_running_index_kept_under_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    lone = item("courier", "Harbour crane collapses in Gdansk shipyard", "No one was hurt.", 47)
    running = StoryIndex(agree_slots=2)
    Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]  # never fetches here
        index=running,
        rules=RuleSet.empty(),
        clock=lambda: T0,
        rng=random.Random(0),
    ).ingest([VOTE, VOTE_RADIO, *BILL, lone], T0 + timedelta(hours=47), alert=False)
    running.prune(lone.published - running.window)
    assert len(running) == 3  # the bill's two reports and the crane's
    store.close()
    monkeypatch.setattr(assembly, "StoryIndex", partial(StoryIndex, agree_slots=2))
    app = open_app(settings, rules=RuleSet.empty(), clock=lambda: T0 + timedelta(hours=48))
    try:
        assert alive(app.pipeline.index) == alive(running)
    finally:
        await app.aclose()


# A city shelled overnight, told by two outlets; 27 hours later a third outlet tells the next
# night's shelling in the same words, its headline naming no night: its lead's "overnight" does.
SHELLING = item(
    "courier",
    "Russian missiles strike Odesa port facilities",
    "Russian missiles struck grain terminals in Odesa's port overnight, injuring four workers, "
    "Governor Oleh Kiper said.",
)
SHELLING_RADIO = item(
    "radio",
    "Odesa port facilities hit by Russian missiles",
    "Grain terminals in Odesa's port were struck by Russian missiles, injuring four workers, "
    "Governor Oleh Kiper said.",
    hours=2,
)
NEXT_NIGHT = item(
    "wire",
    "Russian missiles strike Odesa port facilities",
    "Russian missiles struck grain terminals in Odesa's port overnight, injuring four workers, "
    "Governor Oleh Kiper said.",
    hours=27,
)


def test_a_report_telling_its_own_night_a_day_later_is_the_next_nights() -> None:
    decisions = ingest(StoryIndex(), SHELLING, SHELLING_RADIO, NEXT_NIGHT)
    assert [d.story_id for d in decisions] == [None, 1, None]
    # The night word alone parts it: a headline telling what came of the strike (no blow told
    # anew: see below) joins without the word in its lead, and is parted with it.
    toll = replace(NEXT_NIGHT, title="Four workers injured as Russian missiles strike Odesa port")
    told = replace(toll, summary=NEXT_NIGHT.summary.replace(" overnight", ""))
    assert [d.story_id for d in ingest(StoryIndex(), SHELLING, SHELLING_RADIO, told)] == [
        None,
        1,
        1,
    ]
    assert [d.story_id for d in ingest(StoryIndex(), SHELLING, SHELLING_RADIO, toll)] == [
        None,
        1,
        None,
    ]


# A wildfire told by two outlets; 28 hours later a third outlet tells the same fire still
# burning, its lead saying where it grew in the night gone by: no night of its own.
BUSHFIRE = item(
    "courier",
    "Bushfire forces evacuations near Albany",
    "A bushfire forced hundreds of residents from their homes north of Albany, firefighters said.",
)
BUSHFIRE_RADIO = item(
    "radio",
    "Hundreds flee as bushfire burns near Albany",
    "A bushfire burning in bushland north of Albany forced hundreds of people to leave, officials "
    "said.",
    hours=2,
)
BUSHFIRE_GROWN = item(
    "wire",
    "Bushfire forces more evacuations near Albany",
    "More residents were told to leave as the bushfire near Albany, which spread overnight "
    "towards Denmark Road, kept burning, firefighters said.",
    hours=28,
)


def test_a_happening_that_grew_overnight_is_still_going_on() -> None:
    decisions = ingest(StoryIndex(), BUSHFIRE, BUSHFIRE_RADIO, BUSHFIRE_GROWN)
    assert [d.story_id for d in decisions] == [None, 1, 1]
    # a fire that broke out overnight is a new one: its own night
    new_fire = replace(
        BUSHFIRE_GROWN,
        summary="A new bushfire, which broke out overnight in hills east of Albany, forced more "
        "residents to leave, firefighters said.",
    )
    assert [d.story_id for d in ingest(StoryIndex(), BUSHFIRE, BUSHFIRE_RADIO, new_fire)] == [
        None,
        1,
        None,
    ]


def test_a_night_in_a_quotation_is_no_night_of_its_own() -> None:
    quoted = replace(
        VOTE_WIRE,
        summary=VOTE_WIRE.summary
        + ' "We finally did it last night," Health Minister Arunas Dulkys told reporters.',
    )
    decisions = ingest(StoryIndex(), VOTE, VOTE_RADIO, quoted)
    assert [d.story_id for d in decisions] == [None, 1, 1]


@pytest.mark.parametrize(
    ("title", "lead", "told"),
    [
        ("Russian drones attack Kyiv overnight", "", True),
        ("Russian Drones Attack Kyiv Overnight", "", True),
        ("Rockets hit Haifa port", "Rockets struck the port last night, police said.", True),
        ("Storm floods Genoa", "Streets in Genoa were under water last night.", True),
        # in a lead, "this morning" and "tonight" tell the report's own hour of a happening
        # still going on or to come, no night gone by
        ("Storm floods Genoa", "Streets in Genoa were under water this morning.", False),
        ("Sub search widens", "Its oxygen could run out tonight, the Coast Guard said.", False),
        ("Storm floods Genoa this morning", "", True),
        ("Storm floods Genoa", "Streets in Genoa were under water on Monday morning.", False),
        ("Trump calls off Iran strike", 'He wrote: "We were ready to strike last night."', False),
        ("Anchor interviewed", 'She told "CBS This Morning" she would not return.', False),
        ("Senate passes budget", "The Senate passed the budget after a night session.", False),
        # a happening that grew in the night gone by goes on: no night of its own (its
        # headline names its kind); a start or a strike, or a price's rise, is one
        ("Danube floods Passau", "The Danube, which rose overnight, kept flooding.", False),
        ("Wildfire nears Martigues", "The fire spread rapidly overnight, officials said.", False),
        ("Wildfire nears Martigues", "A wildfire, which broke out overnight, spread.", True),
        ("Drones hit Kyiv", "Drones, which struck overnight, hit two districts.", True),
        ("Oil prices climb", "Brent crude rose overnight in Asian trading.", True),
        ("Floods hit Genoa", "The river rose last night. Rain fell overnight.", True),
    ],
)
def test_a_report_telling_its_happening_as_of_its_own_night(
    title: str, lead: str, told: bool
) -> None:
    assert features(title, lead).tonight is told


def test_a_story_of_one_report_takes_another_outlets_late_report_at_agree_lone() -> None:
    # 30 h apart, another outlet, other words of one vote: p >= AGREE_LONE against the report
    decisions = ingest(StoryIndex(), VOTE, VOTE_WIRE)
    assert [d.story_id for d in decisions] == [None, 1]
    # ... not when the floor stands above what the model gives it
    assert [d.story_id for d in ingest(StoryIndex(agree_lone=1.0), VOTE, VOTE_WIRE)] == [None, None]
    # ... and a story two outlets told takes it as before (Every report agrees)
    told = ingest(StoryIndex(), VOTE, VOTE_RADIO, VOTE_WIRE)
    assert [d.story_id for d in told] == [None, 1, 1]


# A quake told by one outlet; 28 h later another outlet tells the next quake on the island in
# the same headline words (its lead: another town): the next happening of its kind told alike.
QUAKE = item(
    "islander",
    "Strong earthquake shakes Rhodes",
    "A strong earthquake shook the Greek island of Rhodes, cracking walls in villages near "
    "Lindos, the civil protection office said.",
)
NEXT_QUAKE = item(
    "athens",
    "Strong earthquake shakes Rhodes",
    "A strong earthquake shook Rhodes, sending residents of Ialysos into the streets, the "
    "Athens geodynamic institute said.",
    hours=28,
)


def test_a_lone_reports_happening_told_anew_a_day_later_is_the_next_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [d.story_id for d in ingest(StoryIndex(), QUAKE, NEXT_QUAKE)] == [None, None]
    # Without happenings.told_anew the model takes it (p >= AGREE_LONE): the words are the same.
    monkeypatch.setattr(stories, "told_anew", lambda title, first: False)
    assert [d.story_id for d in ingest(StoryIndex(), QUAKE, NEXT_QUAKE)] == [None, 1]


@pytest.mark.parametrize(
    ("title", "first", "anew"),
    [
        ("Strong earthquake shakes Rhodes", "Strong earthquake shakes Rhodes", True),
        ("Earthquake shakes Rhodes", "Strong earthquake shakes Rhodes", True),  # fewer words
        ("Strong earthquake rocks Rhodes", "Strong earthquake shakes Rhodes", True),  # its kind
        ("Boat capsizes off Kos, 40 missing", "Boat capsizes off Kos, dozens missing", True),
        ("Rhodes quake toll rises to four", "Strong earthquake shakes Rhodes", False),  # the dead
        ("Villagers on Rhodes sleep outdoors", "Strong earthquake shakes Rhodes", False),  # no kind
        ("Lithuania bans disposable vapes", "Lithuanian parliament approves vape ban", False),
    ],
)
def test_a_headline_telling_a_lone_reports_happening_anew(
    title: str, first: str, anew: bool
) -> None:
    assert told_anew(features(title, "").title, features(first, "").title) is anew


# Two nights of shootings in one city, told by two outlets 25 h apart: each lead tells its own
# night with "shot" (no "-ed" verb beside the weekday) in another district.
WOUNDED = item(
    "regional",
    "Two men wounded in Aarhus shooting",
    "Two men in their twenties were shot in the Gellerup district of Aarhus late on Sunday, "
    "police said.",
)
SHOT_DEAD = item(
    "crimedesk",
    "Man killed in Aarhus shooting, police say",
    "A man in his thirties was shot dead near a block of flats in Bispehaven in Aarhus late on "
    "Monday, police said.",
    hours=25,
)


def test_a_lone_reports_next_nights_shooting_told_by_its_irregular_verb_is_apart() -> None:
    # The weekdays are read in both leads ("shot": textcues._PAST), none the same: two nights.
    assert features(SHOT_DEAD.title, SHOT_DEAD.summary).days == 1  # Monday
    assert [d.story_id for d in ingest(StoryIndex(), WOUNDED, SHOT_DEAD)] == [None, None]
    # ... told on one night (Sunday in both), the same shooting written up late: it joins (its
    # headline telling the wounded: a death where the first told the wounded is the next
    # shooting's, happenings.step_next)
    same_night = replace(
        SHOT_DEAD,
        title="Man wounded in Aarhus shooting, police say",
        summary=SHOT_DEAD.summary.replace("Monday", "Sunday"),
    )
    decisions = ingest(StoryIndex(agree_lone=0.0), WOUNDED, same_night)
    assert [d.story_id for d in decisions] == [None, 1]


@pytest.mark.parametrize(
    ("lead", "days"),
    [
        ("A man was shot in the legs late on Friday, police said.", 16),
        ("The driver fled the scene on Tuesday, police said.", 2),
        ("The river rose above its banks on Sunday, officials said.", 64),
        ("Schools will shut on Monday as the storm nears.", 0),  # what is to come
        ("Police said on Friday the man is a suspect.", 0),  # no happening told as past
    ],
)
def test_a_weekday_beside_an_irregular_past_verb_tells_a_happening_on_it(
    lead: str, days: int
) -> None:
    assert features("Police report", lead).days == days


# A court convicts a former mayor (a court reporter); 30 h later a wire tells his appeal.
CONVICTED = item(
    "courts",
    "Court convicts former Uppsala mayor Lindqvist of bribery",
    "The Uppsala district court found former mayor Erik Lindqvist guilty of taking bribes from "
    "a construction firm and gave him a suspended sentence and a fine.",
)
APPEALED = item(
    "legalwire",
    "Former Uppsala mayor Lindqvist appeals bribery conviction",
    "Lawyers for Erik Lindqvist, the former mayor of Uppsala, lodged an appeal against his "
    "bribery conviction with the Svea court of appeal.",
    hours=30,
)


def test_a_court_sagas_next_step_a_day_after_a_lone_report_is_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [d.story_id for d in ingest(StoryIndex(), CONVICTED, APPEALED)] == [None, None]
    # Without happenings.step_filed the model takes it (p >= AGREE_LONE): the man, the court,
    # the bribery and the conviction are the first report's.
    monkeypatch.setattr(stories, "step_filed", lambda title, first: False)
    assert [d.story_id for d in ingest(StoryIndex(), CONVICTED, APPEALED)] == [None, 1]


@pytest.mark.parametrize(
    ("title", "first", "filed"),
    [
        ("Lindqvist appeals bribery conviction", "Court convicts Lindqvist of bribery", True),
        ("Okafor asks court to halt sentencing", "Judge sets Okafor sentencing for June 12", True),
        ("Vardanyan seeks delay of fraud trial", "Judge sets trial date for Vardanyan", True),
        # the verdict told again: no filing
        ("Lindqvist found guilty of bribery", "Court convicts Lindqvist of bribery", False),
        # the filing the first told already: the same step
        ("Lindqvist files appeal in bribery case", "Lindqvist appeals bribery conviction", False),
        # no court in the first: a country's request after a quake is no step of a saga
        ("Peru asks for aid after quake", "Strong quake shakes southern Peru", False),
    ],
)
def test_a_headline_telling_a_court_sagas_next_step(title: str, first: str, filed: bool) -> None:
    assert step_filed(features(title, "").title, features(first, "").title) is filed


# A regional parliament's upper chamber passes a levy (a paper); 29 h later a wire tells the
# lower chamber passing it: the next vote of one bill, in the first's words.
UPPER = item(
    "statepaper",
    "Senate passes bill to cap Tasmanian rents",
    "Tasmania's upper house voted 9 to 6 to cap annual rent rises at the inflation rate, sending "
    "the bill to the lower chamber.",
)
LOWER = item(
    "statewire",
    "House passes bill to cap Tasmanian rents, sending it to the governor",
    "Tasmania's lower house voted to cap annual rent rises at the inflation rate, after the upper "
    "house passed the bill.",
    hours=29,
)


def test_a_sagas_next_step_a_day_after_a_lone_report_is_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [d.story_id for d in ingest(StoryIndex(), UPPER, LOWER)] == [None, None]
    # Without happenings.step_next the model takes it (p >= AGREE_LONE): the bill, the rents and
    # the state are the first report's.
    monkeypatch.setattr(stories, "step_next", lambda words, title, first: False)
    assert [d.story_id for d in ingest(StoryIndex(), UPPER, LOWER)] == [None, 1]


@pytest.mark.parametrize(
    ("title", "first", "step"),
    [
        # a word of sequence; "new" before an office
        ("Dutch government names new finance minister", "Dutch finance minister resigns", True),
        ("Second Crete quake in two days", "Strong quake shakes Crete", True),
        ("Quake shakes Crete again", "Strong quake shakes Crete", True),
        ("Boeing names successor to Calhoun", "Boeing chief Calhoun to step down", True),
        # the next chamber after the first's
        ("House passes ban on app", "Senate passes ban on app", True),
        # a body's step the first did not tell
        ("Judge postpones Okafor sentencing", "Judge sets Okafor sentencing for June 12", True),
        ("President vetoes rent cap bill", "Senate passes rent cap bill", True),
        # a death where the first told the wounded; not the same victim's death
        ("Man killed in Malmo shooting", "Shooting in Malmo leaves man wounded", True),
        ("Man wounded in Malmo shooting dies", "Shooting in Malmo leaves man wounded", False),
        # one event told again in other words
        ("Veenstra to leave central bank in June", "Governor Veenstra to step down", False),
        ("Norwegian man found guilty of arson", "Jury convicts Berg of arson", False),
        ("New York subway fire injures 12", "Fire on New York subway train", False),
        ("Penrose quits as New Zealand governor", "Governor Penrose resigns", False),
        ("Senate vote on ban delayed", "Senate to vote on ban", True),
        # a resignation, a raised bid, a journey's end; the act after the intent
        ("Minister Varga resigns over expenses", "Minister Varga under fire over expenses", True),
        ("Marwick raises Halden bid", "Halden board rejects Marwick bid", True),
        ("Astronauts dock at space station", "Rocket launches astronauts to space station", True),
        ("Finnair pilots strike over pay", "Finnair pilots vote to strike over pay", True),
        # one step in its other words
        ("Penrose quits as bank governor", "Bank governor Penrose resigns", False),
        ("Lawmakers approve rent cap", "Parliament passes rent cap", False),
        ("Lawmakers pass ban in Senate vote", "Senate passes ban", False),
    ],
)
def test_a_headline_telling_a_sagas_next_step(title: str, first: str, step: bool) -> None:
    words = title.replace(",", "").split()
    assert step_next(words, features(title, "").title, features(first, "").title) is step


def test_a_story_of_one_report_takes_no_later_report_of_its_own_outlet() -> None:
    again = of_feed(VOTE_WIRE, VOTE, "paper-later")
    assert [d.story_id for d in ingest(StoryIndex(), VOTE, again)] == [None, None]


# Drones on Kyiv told by two outlets; two nights later a third outlet tells the next attack in
# the same words, no night, weekday or "again" of its own: its lead names another district.
DRONES = item(
    "courier",
    "Russian drones attack Kyiv",
    "Russia attacked Kyiv with dozens of drones, damaging apartment buildings in the "
    "Solomianskyi district, the city's mayor said.",
)
DRONES_RADIO = item(
    "radio",
    "Russia launches drone attack on Kyiv",
    "Russian drones struck Kyiv, hitting apartment blocks in the Solomianskyi district and "
    "injuring three, Ukrainian officials said.",
    hours=1,
)
NEXT_ATTACK = item(
    "wire",
    "Russian drones attack Kyiv",
    "Russia attacked Kyiv with drones, damaging a warehouse in the Darnytskyi district, the "
    "city's military administration said.",
    hours=49,
)


def test_a_blow_told_anew_two_days_later_is_the_next_one() -> None:
    decisions = ingest(StoryIndex(), DRONES, DRONES_RADIO, NEXT_ATTACK)
    assert [d.story_id for d in decisions] == [None, 1, None]

    # A weekday both leads tell it on ties it to the first: the same attack, written up late.
    def on_monday(report: Item) -> Item:
        return replace(report, summary=report.summary.replace(" with", " on Monday with", 1))

    tied = ingest(StoryIndex(), on_monday(DRONES), DRONES_RADIO, on_monday(NEXT_ATTACK))
    assert [d.story_id for d in tied] == [None, 1, 1]
    # ... and so does a headline telling what came of it (its toll, a reaction, "after")
    toll = replace(NEXT_ATTACK, title="Three injured as Russian drones attack Kyiv")
    assert [d.story_id for d in ingest(StoryIndex(), DRONES, DRONES_RADIO, toll)] == [None, 1, 1]


@pytest.mark.parametrize(
    ("title", "blow"),
    [
        ("Russian drones attack Kyiv", True),
        ("Israeli air strikes pound Gaza City", True),
        ("Police fire tear gas at Nairobi tax protesters", True),
        ("Protesters clash with police in Tbilisi", True),
        ("Israeli air strikes hit Khan Younis", True),  # no place the tables know: "air strikes"
        ("Court strikes down Texas law", False),  # "strike" alone is no blow
        ("Gaza City counts its dead after Israeli air strikes", False),
        ("ISIS claims attack on churches in Alexandria", False),
        ("Death toll from Rafah air strikes rises to 31", False),
        ("Trump says he called off attack on Iran", False),
        ("Missile strike on Kyiv children's hospital sparks global outrage", False),  # h-review20
        ("Trump attacks Pelosi over stimulus", False),  # no place: words, not a blow
        ("Earthquake strikes Crete", False),  # a quake, not a blow (happenings.KINDS)
    ],
)
def test_a_headline_telling_a_blow_anew(title: str, blow: bool) -> None:
    assert features(title, "").blow is blow


# Within the reach (AGREE_NEAR): a third outlet tells the event in other words 10 h after the
# first report, under the bar against the story's closest report (p 0.73) and at 0.60 against
# its first; both reports agree it is theirs.
FUNICULAR = item(
    "paper",
    "Funicular derails in Lisbon, leaving 15 dead",
    "The Gloria funicular, a tram car that climbs one of Lisbon's steepest hills, came off its "
    "rail and crashed into a building on Wednesday evening, killing 15 people and injuring 18, "
    "emergency services said.",
)
FUNICULAR_RADIO = item(
    "radio",
    "Lisbon's Gloria funicular crash kills 15",
    "Fifteen people died when a cable car carrying tourists up a hill in the Portuguese capital "
    "left its track on Wednesday.",
    hours=2,
)
# ... the radio's report told in the paper's words (AGREE_NEAR_ALIKE)
FUNICULAR_RADIO_ALIKE = item(
    "radio",
    "Lisbon's Gloria funicular crash kills 15",
    "Fifteen people died when the Gloria funicular, one of Lisbon's best known tourist "
    "attractions, left its track and hit a building, Portugal's emergency services said on "
    "Wednesday.",
    hours=2,
)
FUNICULAR_WIRE = item(
    "wire",
    "Portugal declares day of mourning for tram victims",
    "Prime Minister Luis Montenegro declared a day of national mourning for those killed when "
    "the Gloria funicular crashed in Lisbon; inspectors are checking every cable in the network.",
    hours=10,
)


def test_a_report_under_the_bar_joins_when_the_story_as_a_whole_agrees() -> None:
    decisions = ingest(StoryIndex(), FUNICULAR, FUNICULAR_RADIO, FUNICULAR_WIRE)
    assert [d.story_id for d in decisions] == [None, 1, 1]
    # Without the rule the one report it fits best is too little: a second story.
    apart = ingest(StoryIndex(agree_near=2.0), FUNICULAR, FUNICULAR_RADIO, FUNICULAR_WIRE)
    assert [d.story_id for d in apart] == [None, 1, None]


def test_under_the_bar_two_reports_told_alike_are_one_piece_of_evidence() -> None:
    # The wire's report shares with the radio's only what the paper's told it too, and the two
    # reports share most of their words: its fit to the one is its fit to the other (the same
    # shape as one leader's two acts on one day, h-review23's yv- cases): AGREE_NEAR_ALIKE.
    alike = (FUNICULAR, FUNICULAR_RADIO_ALIKE, FUNICULAR_WIRE)
    assert [d.story_id for d in ingest(StoryIndex(), *alike)] == [None, 1, None]
    # ... counted all the same when any two outlets' reports are enough
    decisions = ingest(StoryIndex(agree_near_alike=2.0), *alike)
    assert [d.story_id for d in decisions] == [None, 1, 1]


def test_a_story_of_one_report_has_nothing_to_agree_with_under_the_bar() -> None:
    decisions = ingest(StoryIndex(), FUNICULAR, FUNICULAR_WIRE)
    assert [d.story_id for d in decisions] == [None, None]


def test_under_the_bar_an_outlet_that_told_it_already_starts_a_new_story() -> None:
    again = of_feed(FUNICULAR_WIRE, FUNICULAR, "paper-later")
    decisions = ingest(StoryIndex(), FUNICULAR, FUNICULAR_RADIO, again)
    assert [d.story_id for d in decisions] == [None, 1, None]


def test_under_the_bar_the_story_agrees_only_within_its_first_hours() -> None:
    index = StoryIndex(agree_near_within=timedelta(hours=6))
    decisions = ingest(index, FUNICULAR, FUNICULAR_RADIO, FUNICULAR_WIRE)
    assert [d.story_id for d in decisions] == [None, 1, None]


# Two months' figures (textcues.months_named): a report of June's jobs under the bar against a
# story told twice of April's, both headlines naming a month, none the same.
JOBS = item(
    "paper",
    "US economy sheds 700,000 jobs in April as unemployment jumps to 9%",
    "The US economy lost 700,000 jobs in April and the unemployment rate rose to 9 percent, the "
    "Labor Department said on Friday, as factories and restaurants cut staff.",
)
JOBS_RADIO = item(
    "radio",
    "Jobless rate hits 9% as employers cut 700,000 jobs",
    "Employers cut 700,000 jobs in April, pushing the jobless rate to 9 percent, the Labor "
    "Department said.",
    hours=2,
)
HIRING = (
    "Restaurants, shops and hotels joined factories in shedding staff, the Labor Department "
    "said on Friday."
)


def test_a_headline_of_another_month_does_not_agree_with_the_story() -> None:
    # (the two reports told alike counted as two, AGREE_NEAR_ALIKE off: the month cue alone)
    june = item("wire", "Hiring freeze spreads in June as jobless rate rises", HIRING, hours=7)
    decisions = ingest(StoryIndex(agree_near_alike=2.0), JOBS, JOBS_RADIO, june)
    assert [d.story_id for d in decisions] == [None, 1, None]
    # The same report naming no month agrees with both reports under the bar: it joins.
    unnamed = item("wire", "Hiring freeze spreads as jobless rate rises", HIRING, hours=7)
    decisions = ingest(StoryIndex(agree_near_alike=2.0), JOBS, JOBS_RADIO, unnamed)
    assert [d.story_id for d in decisions] == [None, 1, 1]


def test_months_named_reads_whole_month_names_but_may_and_march() -> None:
    assert months_named(["June", "jobs", "report"]) == months_named(["JUNE"]) != 0
    assert months_named(["in", "April"]) & months_named(["June"]) == 0
    assert months_named(["Biden", "May", "Recommend"]) == 0
    assert months_named(["Thousands", "March", "in", "Paris"]) == 0
    assert months_named(["june"]) == 0  # a month is written with a capital


# What happened, the second condition (h-near3): a prime minister's asylum plan told by two
# outlets in other words, then hours later a third outlet's report of his next act, which fits
# each report by his name and title alone (zf-one-prime-minister-two-acts-...).
PLAN = item(
    "wire",
    "Edvardsen unveils plan to halve asylum arrivals",
    "Prime Minister Nils Edvardsen set out tighter rules for family reunification on Monday, "
    "saying arrivals must fall by half within two years.",
)
PLAN_RETOLD = item(
    "paper",
    "Norway to curb family reunification, Edvardsen tells parliament",
    "Norway will limit the right of refugees to bring relatives, Prime Minister Nils Edvardsen "
    "told lawmakers on Monday, promising a sharp fall in numbers.",
    hours=1,
)
SACKING = item(
    "radio",
    "Edvardsen sacks minister over expenses row",
    "Prime Minister Nils Edvardsen dismissed his culture minister on Monday afternoon after "
    "reports that she had billed the state for private travel.",
    hours=4,
)


def test_under_the_bar_one_leaders_next_act_shares_no_word_of_what_happened() -> None:
    decisions = ingest(StoryIndex(), PLAN, PLAN_RETOLD, SACKING)
    assert [d.story_id for d in decisions] == [None, 1, None]
    # ... joined by the story's agreement alone, as session 24's h-near2 found
    joined = ingest(StoryIndex(agree_near_happened=False), PLAN, PLAN_RETOLD, SACKING)
    assert [d.story_id for d in joined] == [None, 1, 1]
