"""A spelled-out name ends at a comma or a bracket (similarity._add_run): "Ozark Prairie Bank,
FDIC" is two names, not one whose initials no other report writes. Such a made-up name was a
name the other report lacked, a name conflict, and split one event. Every headline and lead
here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import term_id

# A breaking feed's headline alone, names listed with a comma
ALERT = item(
    "flash",
    "Regulators close Dunmore Valley Bank, FDIC takes over deposits",
    "",
)


def test_a_comma_ends_a_spelled_out_name() -> None:
    names = features(
        "Regulators close Dunmore Valley Bank, FDIC takes over deposits",
        "Officials of the Federal Deposit Insurance Corporation (FDIC) took over its branches "
        "in Little Rock, Arkansas, on Friday.",
    ).names
    assert term_id("dvb") in names and term_id("fdic") in names
    assert term_id("dvbfdic") not in names  # the comma
    assert term_id("fdicfdic") not in names  # the bracket
    assert term_id("lra") not in names


def test_a_name_run_without_a_comma_keeps_its_acronym() -> None:
    names = features(
        "Northern Rail Workers Union calls strike",
        "The Northern Rail Workers Union, which represents 9,000 drivers in Leeds, York and "
        "Hull, said on Monday that its members would walk out next week.",
    ).names
    assert term_id("nrwu") in names


def test_one_bank_failure_told_with_a_comma_between_two_names_joins() -> None:
    wire = item(
        "wire",
        "US regulators seize Kansas lender after run on deposits",
        "Regulators closed Dunmore Valley Bank, a $9 billion lender based in Wichita, Kansas, on "
        "Friday after customers pulled $2 billion in two days, and the Federal Deposit "
        "Insurance Corp. said it would run the bank over the weekend.",
        hours=1,
    )
    assert ingest(StoryIndex(), ALERT, wire)[1].story_id == 1


def test_another_bank_failure_still_stays_apart() -> None:
    other = item(
        "wire",
        "US regulators seize Ohio lender after run on deposits",
        "Regulators closed Harmon Trust Bank, a $6 billion lender based in Columbus, Ohio, on "
        "Friday after customers pulled $1 billion in two days, and the Federal Deposit "
        "Insurance Corp. said it would run the bank over the weekend.",
        hours=1,
    )
    assert ingest(StoryIndex(), ALERT, other)[1].story_id is None
