"""Headline-only reports whose names differ: rivals in one slot stay apart (a name conflict),
extra names one headline adds are left to the model (name_slots.py, story_signals._rivals);
two headlines, with leads or not, that fill two slots of one template with other names are two
events (name_slots.two_slots, story_signals._two_slots)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_stories import T0, item
from watcher.model import Item, Tier
from watcher.name_slots import BESIDE, _context, beside, contexts, one_slot, two_slots
from watcher.similarity import TextFeatures, features
from watcher.stories import StoryIndex
from watcher.terms import GENERIC_IDS


def rivals(first: str, second: str) -> bool:
    """Do the two headlines' names that the other lacks stand in one slot?"""
    one, other = features(first, ""), features(second, "")

    def apart(feats: TextFeatures, against: dict[int, int]) -> list[int]:
        return [
            tid
            for tid in feats.title & feats.names
            if tid not in against and tid not in GENERIC_IDS
        ]

    return one_slot(
        one.contexts, apart(one, other.weights), other.contexts, apart(other, one.weights)
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Strike halts Port of Antwerp", "Strike halts Port of Rotterdam"),  # the word before
        ("Man charged over Dayton stabbing", "Man charged over Toledo stabbing"),  # ... after
        ("Messi scores as Inter Miami beat Orlando", "Messi hurt as Inter Miami lose to Atlanta"),
    ],
)
def test_names_next_to_one_word_or_one_name_are_rivals(first: str, second: str) -> None:
    assert rivals(first, second)


def test_extra_names_elsewhere_in_a_headline_are_no_rivals() -> None:
    assert not rivals(
        "IndiGo orders 500 Airbus jets in record deal, Reuters says",
        "Airbus wins record 500-plane order from IndiGo at Paris show",
    )


def test_a_headline_alone_keeps_every_context_one_with_a_lead_the_words_beside_its_names() -> None:
    feats = features("Strike halts Port of Antwerp", "")
    assert len(feats.contexts) == len(set(feats.contexts)) > 0
    assert features("strike halts the port", "").contexts == ()
    # With a lead the nearest words and names are never read (story_signals._rivals), so
    # never kept; the words beside its names are (two_slots).
    led = features("Gauff beats Pegula in Flushing", "Dockers walked out.")
    assert led.contexts and all(key & BESIDE for key in led.contexts)
    assert not all(key & BESIDE for key in feats.contexts)
    # A demonym is its country, no name of the headline: it stands in no slot.
    assert features("Fans cheer as Turkish striker scores", "A lead.").contexts == ()


def fills_two_slots(first: tuple[str, str], second: tuple[str, str]) -> bool:
    one, other = features(*first), features(*second)
    return two_slots(one.contexts, one.title, other.contexts, other.title)


SEMI = (
    "Sabalenka beats Keys to reach US Open final",
    "Aryna Sabalenka beat Madison Keys in straight sets in New York on Thursday to reach the "
    "US Open final, where she will meet Coco Gauff or Jessica Pegula.",
)
OTHER_SEMI = (
    "Gauff beats Pegula to set up final against Sabalenka",
    "Coco Gauff beat Jessica Pegula in three sets on Thursday night and will face Aryna "
    "Sabalenka in Saturday's US Open final.",
)
SAME_SEMI = (
    "Sabalenka into US Open final after Keys falls in straight sets",
    "World number one Aryna Sabalenka beat Madison Keys 6-3, 6-4 at Flushing Meadows on "
    "Thursday to reach her third US Open final.",
)

MEETING = (
    "Ruto hosts Museveni in Nairobi for talks on pipeline",
    "Kenyan President William Ruto hosted Uganda's Yoweri Museveni in Nairobi on Monday for "
    "talks on an oil pipeline, as Ethiopia's Abiy Ahmed prepared to visit Kigali.",
)
OTHER_MEETING = (
    "Abiy hosts Kagame in Addis Ababa for talks on pipeline",
    "Ethiopian Prime Minister Abiy Ahmed hosted Rwanda's Paul Kagame in Addis Ababa on Monday "
    "for talks on a regional pipeline, a day after Kenya's Ruto met Museveni.",
)


@pytest.mark.parametrize(
    ("first", "second", "template"),
    [
        (SEMI, OTHER_SEMI, True),  # two slots, other names (Sabalenka is in both, elsewhere)
        (MEETING, OTHER_MEETING, True),
        (SEMI, SAME_SEMI, False),  # one event, told another way
        # One meeting, the names swapped: each headline writes both.
        (
            ("Biden meets Xi in Woodside", "Joe Biden met Xi Jinping on Wednesday."),
            ("Xi meets Biden, warns on Taiwan", "Xi Jinping told Joe Biden to stop arming Taiwan."),
            False,
        ),
        # One slot only ("beats Keys" / "beats Pegula"): rivals' ground (_rivals), not this.
        (SEMI, ("Sabalenka beats Pegula to reach US Open final", OTHER_SEMI[1]), False),
    ],
)
def test_two_headlines_filling_two_slots_of_one_template_with_other_names(
    first: tuple[str, str], second: tuple[str, str], template: bool
) -> None:
    assert fills_two_slots(first, second) is template
    assert fills_two_slots(second, first) is template


def test_two_events_on_one_template_with_leads_stay_apart_one_with_other_details_joins() -> None:
    # Each lead names the other's players: no name conflict, and the model gave p 1.0.
    assert decide_second(item("a", *SEMI), item("b", *OTHER_SEMI, hours=3)) is Tier.NEW
    assert decide_second(item("a", *SEMI), item("b", *SAME_SEMI, hours=3)) is Tier.EVENT
    assert decide_second(item("a", *MEETING), item("b", *OTHER_MEETING, hours=3)) is Tier.NEW


def decide_second(first: Item, second: Item) -> Tier:
    index = StoryIndex()
    index.add(first, 1)
    return index.decide(second).tier


@pytest.mark.parametrize(
    ("first", "second", "tier"),
    [
        # Each headline names something the other never mentions (Reuters, Paris; Francis,
        # Vatican): a name conflict, which vetoed every headline-only pair. Two headlines alone
        # had no room to share those details; they share a rare name and their wording.
        (
            "IndiGo orders 500 Airbus jets in record deal, Reuters says",
            "Airbus wins record 500-plane order from IndiGo at Paris show",
            Tier.EVENT,
        ),
        (
            "Pope Francis names Cardinal Parolin to lead synod",
            "Parolin to lead synod on Church reform, Vatican says",
            Tier.EVENT,
        ),
        # Rivals: names next to one word ("Port of") or one name ("Inter Miami").
        (
            "Strike halts Port of Antwerp as dockers walk out",
            "Dockers' strike shuts Port of Rotterdam for second day",
            Tier.NEW,
        ),
        (
            "Messi scores twice as Inter Miami beat Orlando",
            "Messi injured as Inter Miami lose to Atlanta",
            Tier.NEW,
        ),
    ],
)
def test_headlines_alone_naming_other_details_join_and_rivals_stay_apart(
    first: str, second: str, tier: Tier
) -> None:
    assert decide_second(item("a", first), item("b", second, hours=1)) is tier


def test_a_report_with_a_lead_that_never_names_the_headlines_name_keeps_the_veto() -> None:
    # The lead had room to name Reuters and Paris; it did not: the conflict stands.
    first = item("a", "IndiGo orders 500 Airbus jets in record deal, Reuters says")
    second = item(
        "b",
        "Airbus wins record 500-plane order from IndiGo at Paris show",
        "The Indian airline signed for 500 narrow-body jets, the largest order in aviation "
        "history, at the air show on Monday.",
        hours=1,
    )
    assert decide_second(first, second) is Tier.NEW


def test_compaction_keeps_the_headlines_contexts() -> None:
    index = StoryIndex(window=timedelta(days=400))
    for n in range(3000):
        filler = item(f"f{n}", f"Council meeting {n} on road repairs", hours=-24 * (n + 1))
        index.add(filler, 100 + n)
    first = item("a", "Strike halts Port of Antwerp as dockers walk out")
    index.add(first, 1)
    assert index.prune(T0 - timedelta(hours=12)) == 3000 and len(index) == 1
    second = item("b", "Dockers' strike shuts Port of Rotterdam for second day", hours=1)
    assert index.decide(second).tier is Tier.NEW


def test_a_one_off_credit_is_no_conflicting_name() -> None:
    # "(Air Wire)", an aggregator's credit for one item, named nothing the other report
    # lacks in the event; read as names it vetoed the pair (no rare name shared).
    first = item("a", "Lufthansa pilots strike, hundreds of flights cancelled (Air Wire)")
    second = item(
        "b", "Lufthansa cancels hundreds of flights as pilots walk out in Germany", hours=1
    )
    assert decide_second(first, second) is Tier.EVENT


def scanned_contexts(tokens: list[str], names: set[int], term_of: Callable[[str], int]) -> set[int]:
    """name_slots.contexts' definition read literally: from each name, a scan each way to the
    nearest word (no stop word) and the nearest other name in its sentence."""
    tids = [term_of(token) if token else -1 for token in tokens]
    out = set()
    for n, tid in enumerate(tids):
        if tid not in names:
            continue
        for side, step in ((0, -1), (1, 1)):
            words = []
            k = n + step
            while 0 <= k < len(tokens) and tokens[k]:
                words.append(tids[k])
                k += step
            word = next((t for t in words if t >= 0), -1)
            other = next((t for t in words if t in names and t != tid), -1)
            for found, kind in ((word, side), (other, 2 + side)):
                if found >= 0:
                    out.add((tid & 0xFFFF) << 16 | _context(found, kind))
    return out


# Words: "" a sentence break, "of" a stop word, capitalised ones names.
VOCAB = {"": -1, "of": -1, "port": 1, "halts": 2, "Antwerp": 3, "Rotterdam": 4, "Miami": 5}


@given(st.lists(st.sampled_from(sorted(VOCAB)), max_size=30))
def test_contexts_are_each_names_nearest_word_and_other_name(tokens: list[str]) -> None:
    names = {3, 4, 5}
    found = contexts(tokens, names, VOCAB.__getitem__)
    assert len(found) == len(set(found))
    assert set(found) == scanned_contexts(tokens, names, VOCAB.__getitem__)


def test_a_long_headline_repeating_one_name_has_its_few_contexts() -> None:
    # One pass each way: a scan from each of the 20,000 names to the sentence's end took over
    # a minute.
    tokens = ["port", "of", "Antwerp", "halts"] * 20_000 + ["Rotterdam"]
    found = contexts(tokens, {3, 4}, VOCAB.__getitem__)
    assert set(found) == scanned_contexts(tokens[-9:], {3, 4}, VOCAB.__getitem__)


# "X to face Y" and "X v Y": templates whose word between the names is no term beside them
# ("to" is a stop word, "v" one letter). The subject's "to" is looked past; "v" is "vs".
FINAL = (
    "Alcaraz to face Sinner in Wimbledon final",
    "Carlos Alcaraz beat Novak Djokovic on Friday and will face Jannik Sinner in Sunday's "
    "Wimbledon final, after Sinner beat Alexander Zverev.",
)
OTHER_FINAL = (
    "Swiatek to face Rybakina in Wimbledon final",
    "Iga Swiatek beat Coco Gauff on Thursday and will face Elena Rybakina in Saturday's "
    "Wimbledon final, a day before Alcaraz meets Sinner.",
)
SWAPPED_FINAL = (
    "Sinner to face Alcaraz in Wimbledon final",
    "Jannik Sinner beat Alexander Zverev on Friday and will face Carlos Alcaraz in Sunday's final.",
)
DERBY = (
    "Arsenal v Chelsea: Arteta hails late winner in London derby",
    "Arsenal beat Chelsea 2-1 at the Emirates on Sunday, while Liverpool drew with Everton.",
)
OTHER_DERBY = (
    "Liverpool v Everton: Slot hails late winner in Merseyside derby",
    "Liverpool beat Everton 2-1 at Anfield on Sunday, a few hours after Arsenal beat Chelsea.",
)


@pytest.mark.parametrize(
    ("first", "second", "tier"),
    [
        # Each lead names the other's teams or players: no name conflict; both joined at p 1.0.
        (FINAL, OTHER_FINAL, Tier.NEW),
        (DERBY, OTHER_DERBY, Tier.NEW),
        (FINAL, SWAPPED_FINAL, Tier.EVENT),  # one final: each headline writes both names
    ],
)
def test_to_face_and_v_templates_with_other_names_are_two_events(
    first: tuple[str, str], second: tuple[str, str], tier: Tier
) -> None:
    assert fills_two_slots(first, second) is (tier is Tier.NEW)
    assert decide_second(item("a", *first), item("b", *second, hours=3)) is tier


def test_only_the_subjects_to_is_looked_past() -> None:
    # "Alcaraz to reach final": "reach" after Alcaraz, the subject. "... beats Medvedev to
    # reach final": Medvedev is no subject, and "reach" is not his word.
    vocab = {"Alcaraz": 1, "Medvedev": 2, "beats": 3, "to": -1, "reach": 4, "final": 5}
    words = {3: "beats", 4: "reach", 5: "final"}

    def words_beside(tokens: list[str]) -> set[tuple[int, str, int]]:
        found = set(beside(tokens, {1, 2}, vocab.__getitem__))
        return {
            (name, word, side)
            for name in (1, 2)
            for tid, word in words.items()
            for side in (0, 1)
            if name << 16 | _context(tid, side) | BESIDE in found
        }

    assert words_beside(["Alcaraz", "to", "reach", "final"]) == {(1, "reach", 1)}
    assert words_beside(["Alcaraz", "beats", "Medvedev", "to", "reach", "final"]) == {
        (1, "beats", 1),
        (2, "beats", 0),
    }
