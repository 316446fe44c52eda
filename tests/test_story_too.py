"""A report telling its actor doing what another did (textcues.told_too: "... fire coach too",
"did the same", "the second club to"; story_signals PairSignals._too_apart): against a story
whose headline another actor opens on, it is one more happening of that kind, whatever names of
the first its lead recalls. Every headline and lead here is invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.similarity import _tokens, features
from watcher.stories import StoryIndex
from watcher.story_signals import PairSignals
from watcher.textcues import told_too


@pytest.mark.parametrize(
    ("text", "lead", "found"),
    [
        ("Rivals fire coach too as giants struggle", False, True),
        ("Harbour pilots strike too", False, True),
        ("Carmaker recalls pickups too over airbags", False, True),
        ("Kenya also hit by locusts", False, False),  # "also": one outage's further victims too
        ("Also read: how the vote works", False, False),
        ("Race too close to call", False, False),
        ("Help came too late for the village", False, False),
        ("The club did the same on Monday.", True, True),
        ("Two rivals followed suit within hours.", True, True),
        ("It is the second club to sack its coach this season.", True, True),
        ("He scored in the second half to seal it.", True, False),
        ("Police also arrested the driver.", True, False),  # a lead's "also": a detail
        ("Another 3 bodies were found on Friday.", True, False),
    ],
)  # fmt: skip
def test_a_text_telling_its_actor_doing_what_another_did(
    text: str, lead: bool, found: bool
) -> None:
    assert told_too(_tokens(text), lead=lead) is found


def test_the_cue_is_read_in_the_headline_and_the_lead() -> None:
    assert features("Halden Bank cuts rates, matching rival", "Odda Bank did the same.").too
    assert features("Trawler sinks too as storm lashes coast", "Six crew were rescued.").too
    assert not features("Odda Bank cuts rates", "It is the first cut this year.").too


DRAMMEN = item(
    "paper",
    "Drammen sack coach Aasen after cup exit",
    "Drammen dismissed head coach Leif Aasen on Monday, two days after a 4-1 cup defeat by a "
    "second-tier side left the club without a trophy hope. His assistant takes over for now.",
)
SKIEN = item(
    "wire",
    "Skien fire coach too as league leaders stumble",
    "Skien parted company with coach Tor Berge on Tuesday after a third straight loss, a day "
    "after Drammen sacked Leif Aasen. Both clubs are now looking for a head coach.",
    hours=21,
)


def test_a_second_actor_doing_the_same_a_day_later_is_the_next_happening() -> None:
    decisions = ingest(StoryIndex(), DRAMMEN, SKIEN)
    assert decisions[1].story_id is None  # a story of its own


def test_without_the_guard_the_second_actor_joins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PairSignals, "_too_apart", lambda *_: False)
    decisions = ingest(StoryIndex(), DRAMMEN, SKIEN)
    assert decisions[1].story_id == 1  # what the guard parts: the model alone joins them


GALE = item(
    "radio",
    "Gale cuts power to 40,000 homes around Ustka",
    "Winds of up to 130 km/h brought down power lines around Ustka overnight, leaving about "
    "40,000 homes without electricity on Thursday morning, the grid operator said.",
)
FERRIES = item(
    "wire",
    "Baltic ferries halted too as gale lashes coast",
    "Ferry crossings to Sweden were cancelled on Thursday as the gale that left 40,000 homes "
    "around Ustka without power battered the Baltic coast; repairs could take two days.",
    hours=4,
)


def test_a_later_report_saying_too_of_another_consequence_joins() -> None:
    decisions = ingest(StoryIndex(), GALE, FERRIES)
    assert decisions[1].story_id == 1
