"""One name written several ways (h-spell): a transliteration folded into one term
(wordforms.py: "Zelenskyy" / "Zelensky", "Qaddafi" / "Gadhafi"), a US state's or city's
abbreviation written out (aliases.written_out: "Fla." is Florida, "LA" Los Angeles), and a
generational suffix that tells a second person of one family ("Trump Jr." / "Trump":
kin.two_people). Every headline and lead here is invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.aliases import WRITTEN_OUT, written_out
from watcher.kin import two_people
from watcher.model import Item
from watcher.similarity import _tokens, features
from watcher.stories import StoryIndex
from watcher.terms import root


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("zelensky", "zelenskyy"),
        ("zelensky", "zelenskiy"),
        ("gadhafi", "qaddafi"),
        ("gadhafi", "gaddafi"),
        ("hezbollah", "hizbollah"),
        ("qaeda", "qaida"),
        ("lukashenko", "lukashenka"),
    ],
)
def test_a_transliterated_name_is_one_term(one: str, other: str) -> None:
    assert root(one) == root(other)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Condo collapses in Surfside, Fla.", "Condo collapses in Surfside, Florida"),
        ("Wildfire near Redding, Calif., spreads", "Wildfire near Redding, California, spreads"),
        ("LA port to stay open overnight", "Los Angeles port to stay open overnight"),
        ("L.A. port to stay open overnight", "Los Angeles port to stay open overnight"),
        ("N.J. governor signs budget", "New Jersey governor signs budget"),
        ("Philly police chief resigns", "Philadelphia police chief resigns"),
    ],
)
def test_an_abbreviation_is_written_as_its_name(text: str, written: str) -> None:
    assert _tokens(text) == _tokens(written)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("La Palma lava reaches the sea", "La"),  # a word's capital: no Los Angeles
        ("LA PALMA LAVA REACHES THE SEA", "LA"),  # a headline in capitals
        ("Sen. Ron Johnson (R-Wis.) said on Monday", "Wis"),  # a lawmaker's seat, no place told
        ("Mass shooting at mall", "Mass"),  # a word, never in the table
        ("Del Rio crossing closed", "Del"),
    ],
)
def test_words_that_only_look_like_abbreviations_stay(text: str, kept: str) -> None:
    assert kept in _tokens(text)
    assert written_out(["Sen", "Johnson", "R", "Wis"]) == ["Sen", "Johnson", "R", "Wis"]


def test_the_table_names_each_abbreviation_once() -> None:
    assert WRITTEN_OUT["Fla"] == ("Florida",)
    assert WRITTEN_OUT["LA"] == ("Los", "Angeles")
    assert "NYC" not in WRITTEN_OUT  # measured and left out (bench/README.md, h-spell)
    assert "NY" not in WRITTEN_OUT  # the state's, met by New York City's reports as one name


LA_PORT = item(
    "a",
    "LA port to stay open overnight to clear container backlog",
    "The port will run around the clock for the next month to clear a backlog of container "
    "ships waiting offshore, officials said on Wednesday.",
)
LOS_ANGELES_PORT = item(
    "b",
    "Los Angeles port goes round the clock to ease ship backlog",
    "Officials said on Wednesday the port would operate 24 hours a day for a month to clear "
    "the container ships queued offshore.",
    hours=3,
)
HIZBOLLAH = item(
    "b",
    "Hizbollah barrage targets army posts on Lebanon border",
    "Dozens of rockets were launched from southern Lebanon at Israeli army positions on "
    "Saturday, the military said.",
    hours=3,
)
HEZBOLLAH = item(
    "a",
    "Hezbollah fires rockets at northern Israel",
    "The Lebanese group said it launched a barrage at army posts near the border on Saturday.",
)


@pytest.mark.parametrize(
    ("first", "second"),
    [(LA_PORT, LOS_ANGELES_PORT), (LOS_ANGELES_PORT, LA_PORT), (HEZBOLLAH, HIZBOLLAH)],
)
def test_one_event_under_two_spellings_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


SON = item(
    "a",
    "Trump Jr. to headline fundraiser for Senate hopeful in Ohio",
    "Donald Trump Jr. will headline a fundraiser next week for a Republican Senate candidate "
    "in Ohio, the campaign said on Friday.",
)
FATHER = item(
    "b",
    "Trump to headline fundraiser for House hopeful in Georgia",
    "Former President Donald Trump will headline a fundraiser for a Republican House candidate "
    "in Georgia next month, the campaign said on Friday.",
    hours=3,
)
ELDEST_SON = item(
    "b",
    "Trump's eldest son grilled for five hours by House investigators",
    "House investigators questioned Donald Trump Jr., the former president's eldest son, for "
    "five hours on Thursday in a closed-door session.",
    hours=3,
)


def test_a_suffix_one_headline_writes_tells_a_second_person() -> None:
    son = features(SON.title, SON.summary)
    father = features(FATHER.title, FATHER.summary)
    assert two_people(son.kin, father.kin, son.weights.keys, father.weights.keys)
    assert two_people(father.kin, son.kin, father.weights.keys, son.weights.keys)
    # a report that writes the suffix too tells no second person
    also = features(FATHER.title, FATHER.summary + " Donald Trump Jr. will also attend.")
    assert not two_people(son.kin, also.kin, son.weights.keys, also.weights.keys)


def test_a_suffix_after_a_full_name_tells_nothing() -> None:
    """ "Eddie DeBartolo Jr." / "Edward DeBartolo": the suffix after a given name is how a
    full name is written, not what tells a son from his father."""
    full = features("Trump pardons former 49ers owner Eddie DeBartolo Jr.", "")
    plain = features("Former 49ers owner Edward DeBartolo pardoned by Trump", "")
    assert not two_people(full.kin, plain.kin, full.weights.keys, plain.weights.keys)


@pytest.mark.parametrize(("first", "second"), [(SON, FATHER), (FATHER, SON)])
def test_father_and_son_stay_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


def test_the_son_by_suffix_and_by_description_joins() -> None:
    assert ingest(StoryIndex(), item("a", SON_INTERVIEW, SON_LEAD), ELDEST_SON)[1].story_id == 1


SON_INTERVIEW = "Trump Jr. sits for closed-door interview with House panel"
SON_LEAD = (
    "Donald Trump Jr. answered questions from House investigators for about five hours on "
    "Thursday behind closed doors, his lawyer said."
)
