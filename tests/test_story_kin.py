"""One word of two people's names ("Okonkwo sworn in ...", its lead "Adaeze Okonkwo" / "Chidi
Okonkwo sworn in ..."; "Halvorsen warns ...", its lead "Senator Ingrid Halvorsen" / "Halvorsen
Brekke warns ...") tells two events, while one person written in full in one report and by the
surname alone, a short given name or another spelling in the other still joins (kin.py,
story_signals.PairSignals._kin_apart), and a given name that the other report never writes
beside the surname it writes is no conflicting name (PairSignals._one_person). Every headline
and lead here is invented."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_stories import ingest, item
from watcher import kin
from watcher.kin import AFTER, given_names, key, runs, two_people
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.story_model import FEATURES
from watcher.terms import root, term_id

MINISTER = item(
    "a",
    "Okonkwo sworn in as finance minister",
    "Adaeze Okonkwo was sworn in as Nigeria's finance minister on Monday at the presidential "
    "villa in Abuja.",
)
AMBASSADOR = item(
    "b",
    "Chidi Okonkwo sworn in as ambassador to Ghana",
    "Chidi Okonkwo took the oath as Nigeria's ambassador to Ghana on Monday at the foreign "
    "ministry.",
    hours=3,
)
SENATOR = item(
    "a",
    "Halvorsen warns port merger will raise shipping fees",
    "Senator Ingrid Halvorsen warned on Tuesday that the planned merger of two port operators "
    "would raise fees for exporters.",
)
MAGNATE = item(
    "b",
    "Halvorsen Brekke warns on port merger wave",
    "Shipping magnate Halvorsen Brekke told shareholders on Tuesday that a wave of port mergers "
    "could end badly.",
    hours=2,
)
QUITS = item(
    "a",
    "Matt Delaney quits as harbour board chief",
    "Matt Delaney resigned as chief of the Lyttelton harbour board on Monday after a row over "
    "dredging costs.",
)
RESIGNS = item(
    "b",
    "Harbour board head Delaney resigns over dredging row",
    "Matthew Delaney has stepped down as head of the Lyttelton harbour board after a dispute "
    "over dredging costs, the board said on Monday.",
    hours=2,
)
KILLED = item(
    "a",
    "Militia commander Qassem Haddad killed in drone strike",
    "Militia commander Qassem Haddad was killed in a drone strike near the border on Sunday, "
    "the group said.",
)
STRIKE = item(
    "b",
    "Drone strike kills militia leader Qasem Haddad",
    "A drone strike near the border killed militia leader Qasem Haddad on Sunday, officials said.",
    hours=2,
)


def _tid(word: str) -> int:
    return term_id(root(word))


def test_runs_keep_an_initial_and_end_at_marks_and_possessives() -> None:
    assert runs("Robert F. Kennedy Jr. met Brazil's Jair Bolsonaro, Lula and Warren Buffett") == [
        ["Robert", "F", "Kennedy", "Jr"],
        ["Jair", "Bolsonaro"],
        ["Warren", "Buffett"],
    ]


def test_a_surname_alone_takes_its_given_names_from_the_lead_past_titles() -> None:
    kin = features(
        "Okonkwo named finance minister",
        "Nigerian President Adaeze Okonkwo's ally, Finance Minister Ngozi Okonkwo, was named.",
    ).kin
    name = _tid("okonkwo") & 0xFFFF
    before = {k >> 16 & 0xFFFF for k in kin if k >> 32 & 0xFFFF == name and not k & AFTER}
    assert before == {key(_tid("adaeze")), key(_tid("ngozi"))}  # no "Nigerian", "Minister"


def test_a_name_before_another_in_the_headline_is_a_given_name() -> None:
    kin = features(MAGNATE.title, MAGNATE.summary).kin
    assert any(k & AFTER and k >> 32 & 0xFFFF == _tid("halvorsen") & 0xFFFF for k in kin)


def test_a_short_given_name_is_its_full_one() -> None:
    assert key(_tid("bill")) == key(_tid("william"))
    assert key(_tid("matt")) == key(_tid("matthew"))


def test_a_title_case_headline_gives_no_kin_of_its_ordinary_words() -> None:
    kin = features(
        "Okonkwo Set To Unveil Budget Cuts",
        "Finance Minister Okonkwo will present the budget on Tuesday.",
    ).kin
    assert kin == ()


# One given name, two surnames, each headline writing its own full name (h-kinds, session 26).
WINGER = item(
    "a",
    "Lindholm sign Chilean winger Matias Oyarzun",
    "Lindholm have signed Chilean winger Matias Oyarzun from Colo-Colo for a club-record fee, "
    "the club said on Friday.",
)
FORWARD = item(
    "b",
    "Kestrel Town complete signing of Chilean forward Matias Fuentealba",
    "Kestrel Town have completed the signing of Chilean forward Matias Fuentealba from "
    "Huachipato, the club announced on Friday.",
    hours=3,
)


def test_two_people_needs_a_shared_name_and_unwritten_kin() -> None:
    ours = features(MINISTER.title, MINISTER.summary)
    theirs = features(AMBASSADOR.title, AMBASSADOR.summary)
    assert two_people(ours.kin, theirs.kin, ours.weights.keys, theirs.weights.keys)
    # a report that also writes the other's given name tells no second person
    both = features(AMBASSADOR.title, AMBASSADOR.summary + " Adaeze Okonkwo, his sister, watched.")
    assert not two_people(ours.kin, both.kin, ours.weights.keys, both.weights.keys)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (MINISTER, AMBASSADOR),
        (AMBASSADOR, MINISTER),
        (SENATOR, MAGNATE),
        (MAGNATE, SENATOR),
        (WINGER, FORWARD),
        (FORWARD, WINGER),
    ],
)
def test_two_people_of_one_name_stay_apart(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"), [(QUITS, RESIGNS), (RESIGNS, QUITS), (KILLED, STRIKE), (STRIKE, KILLED)]
)
def test_one_person_written_two_ways_joins(first: Item, second: Item) -> None:
    assert ingest(StoryIndex(), first, second)[1].story_id == 1


STEPS_DOWN = item(
    "a",
    "Matthew Delaney to step down as harbour board chair",
    "Matthew Delaney said on Monday he would step down as chair of the harbour board in June "
    "after nine years.",
)
CHIEF_QUITS = item(
    "b",
    "Harbour chief Delaney quits, Lyttelton board says",
    "The chair of the harbour board, Delaney, will leave in June after nine years, the "
    "Lyttelton board said on Monday.",
    hours=2,
)
ANOTHER_CHIEF = item(
    "b",
    "Harbour chief Delaney quits, Lyttelton board says",
    "The chair of the harbour board, Ruth Delaney, will leave in June after nine years, the "
    "Lyttelton board said on Monday.",
    hours=2,
)


@pytest.mark.parametrize(
    ("first", "second"), [(STEPS_DOWN, CHIEF_QUITS), (CHIEF_QUITS, STEPS_DOWN)]
)
def test_a_given_name_the_other_report_never_writes_is_no_conflicting_name(
    first: Item, second: Item
) -> None:
    index = StoryIndex()
    ingest(index, first)
    [(_, signals, p)] = index.contenders(second)
    assert signals[FEATURES.index("name_conflict")] == 0.0
    assert p >= index.model.threshold


def test_another_given_name_still_conflicts() -> None:
    index = StoryIndex()
    ingest(index, STEPS_DOWN)
    [(_, _, p)] = index.contenders(ANOTHER_CHIEF)
    assert p == 0.0


def test_given_names_of_a_name_the_other_headline_writes_alone() -> None:
    ours = features(STEPS_DOWN.title, STEPS_DOWN.summary).kin
    mine, theirs = given_names(ours, (), {_tid("delaney") & 0xFFFF}, {_tid("delaney") & 0xFFFF})
    assert mine == {key(_tid("matthew"))}
    assert theirs == set()


@given(
    st.text(alphabet=st.characters(max_codepoint=127), max_size=40)
    | st.text(alphabet="aZF09_ '\t\x1c.,-s", max_size=40)
)
def test_the_ascii_pieces_are_the_unicode_pieces(text: str) -> None:
    """runs reads an ASCII text with _ASCII_PIECE (its classes spelled out, for speed): the
    same words and marks as _PIECE finds in it."""
    assert kin._ASCII_PIECE.findall(text) == kin._PIECE.findall(text)
