"""Two countries' institutions of one kind are two actors (issue 11, precision): the word a
kind of institution shares with every other of its kind ("Bank" in Bank Indonesia and the
Czech National Bank, "Central" in the Central Bank of Kenya: terms.NAME_PARTS) is no shared
actor that keeps two headlines telling two countries together
(story_signals.PairSignals._headlines_apart); a people's word before such a kind ("Swedish
central bank") and an institution named "of" its country ("Central Bank of Kenya") tell the
happening there (places.located). One institution told two ways still joins. Every headline
and lead here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher import places
from watcher.similarity import _tokens
from watcher.stories import StoryIndex


def joined(first: tuple[str, str], then: tuple[str, str]) -> bool:
    one = item("wire", *first)
    other = item("paper", *then, hours=1)
    return ingest(StoryIndex(), one, other)[1].story_id == 1


def told(title: str) -> int:
    return places.located(list(filter(None, _tokens(title))), [])[2]


def test_a_people_word_before_a_kind_of_institution_tells_its_country() -> None:
    sweden = told("Sweden's central bank holds rate")
    assert sweden
    assert told("Swedish central bank holds rate") == sweden
    assert told("Hungarian parliament approves budget") == told("Hungary's parliament votes")
    assert told("British tourist killed in shark attack") == 0  # who, not where


def test_an_institution_named_of_its_country_opening_a_headline_tells_it() -> None:
    kenya = told("Kenya's central bank holds rate")
    assert kenya
    assert told("Central Bank of Kenya holds key rate steady") == kenya
    assert told("Reserve Bank of Zimbabwe raises rate") == told("Zimbabwe raises rate")
    assert told("Talks of Kenya and donors stall") == 0  # not an institution's name


def test_central_banks_of_two_countries_sharing_the_word_bank_are_two_stories() -> None:
    assert not joined(
        ("Norges Bank keeps key rate on hold as inflation cools", ""),
        ("Central Bank of Kenya keeps key rate on hold as inflation cools", ""),
    )
    assert not joined(
        ("Bank Indonesia trims benchmark rate by a quarter point", ""),
        (
            "Czech National Bank trims benchmark rate by a quarter point",
            "The Czech National Bank cut its two-week repo rate by 25 basis points on "
            "Thursday, its board citing slowing wage growth.",
        ),
    )
    assert not joined(
        ("Swedish central bank keeps rates unchanged, eyes one more cut", ""),
        ("Norges Bank keeps rates unchanged, eyes one more cut", ""),
    )


def test_one_central_bank_told_two_ways_is_one_story() -> None:
    assert joined(
        ("Central Bank of Kenya cuts key rate to 9.25% as inflation eases", ""),
        ("Kenya's central bank cuts key rate to 9.25% as inflation eases", ""),
    )
    assert joined(
        ("Swedish central bank keeps rates unchanged, eyes one more cut", ""),
        ("Sweden's central bank keeps rates unchanged, eyes one more cut", ""),
    )


def test_a_central_bank_named_and_told_by_its_country_is_one_story() -> None:
    # aliases.py: "Malaysia's central bank" is written as Bank Negara (places._INSTITUTIONS)
    assert joined(
        ("Bank Negara keeps overnight policy rate at 3%", ""),
        ("Malaysia's central bank holds key rate at 3% as expected", ""),
    )
    assert not joined(
        ("Bank Negara keeps overnight policy rate at 3%", ""),
        ("Thai central bank keeps policy rate at 3%", ""),
    )


def test_two_lakes_sharing_only_the_word_lake_are_two_places() -> None:
    toba = "A wooden boat overturned in high waves near Samosir island in North Sumatra."
    titicaca = "A boat on a day trip from Cusco overturned in strong winds near Puno."
    assert not joined(
        ("Tourist boat capsizes on Lake Toba, 12 missing", toba),
        ("Tourist boat capsizes on Lake Titicaca, 12 missing", titicaca),
    )
    assert joined(
        ("Tourist boat capsizes on Lake Toba, 12 missing", toba),
        ("Twelve missing after boat overturns on Indonesia's Lake Toba", toba),
    )


def test_zealand_alone_is_no_new_zealand() -> None:
    # a word of a country named in several words counts as it only beside the whole name
    assert not joined(
        ("Grass fire on Zealand forces 300 from their homes", ""),
        ("Grass fire near Napier forces 300 from their homes", ""),
    )
