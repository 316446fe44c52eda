"""The generated city table (watcher/data/cities.tsv, made by bench/make_places.py from
GeoNames) and the central banks named for their country: each such city or bank counts as its
country in places.py, as the hand-written tables' places do, so that one happening told by a
city and by its country joins and one kind of happening in two countries' cities stays apart.
Every headline here is invented."""

from __future__ import annotations

from tests.test_stories import ingest, item
from watcher import places
from watcher.similarity import _tokens
from watcher.stories import StoryIndex


def told(title: str) -> int:
    """The country bits a headline alone tells its happening in (places.located's third)."""
    return places.located(list(filter(None, _tokens(title))), [])[2]


def joined(first: str, then: str) -> bool:
    one = item("wire", first, "")
    other = item("paper", then, "", hours=2)
    return ingest(StoryIndex(), one, other)[1].story_id == 1


def test_a_generated_city_counts_as_its_country() -> None:
    germany = told("Floods hit Germany")
    assert germany and told("Floods hit Aachen") == germany
    assert told("Aachen braces for floods") == germany  # opening the headline
    turkey = told("Tram derails in Turkey")
    assert told("Tram derails in Eskişehir") == turkey == told("Tram derails in Eskisehir")
    assert told("Bus crash near Cagayan de Oro") == told("Bus crash in the Philippines")
    assert told("Floods hit Antofagasta") == told("Floods hit Chile") != told("Floods hit Peru")


def test_names_of_two_countries_common_words_and_people_are_left_out() -> None:
    for title in (
        "Mobile phone sales hit record",  # a common word
        "Victoria beats rivals in final",  # a city of several countries and a person
        "Elizabeth wins award in London",  # a given name (and a US city)
        "Hassan wins election in Tehran",  # a given name (and an Indian city)
        "Reading fans celebrate in Berlin",  # a common word (and an English town)
    ):
        first = title.split()[0]
        assert places.located([first], [])[1] == 0, title


def test_names_of_another_countrys_town_or_city_are_left_out() -> None:
    # a UK town of 13,000 is also a Canadian city's name; South Africa's "East London" is also
    # London's east; Orkney is a South African town and Scotland's islands
    for title in ("Whitby lifeboat rescues four", "Orkney ferry runs aground"):
        assert told(title) == 0, title
    assert ("east", "london") not in places._entries()
    assert told("Gunmen kill five at East London pub") == told("Gunmen kill five at London pub")


def test_the_hand_tables_win_over_the_generated_one() -> None:
    entries = places._entries()
    hand = places.hand_entries()
    assert entries[("perth",)] == hand[("perth",)] == ("australia", "uk")
    assert entries[("georgia",)] == ("georgia", "us")
    assert all(entries[name] == countries for name, countries in hand.items())
    assert len(entries) > len(hand) + 4000  # the generated table is folded in


def test_a_central_bank_named_for_its_country_tells_its_country() -> None:
    assert told("Norges Bank holds rate at 4%") == told("Norway's central bank holds rate")
    assert told("Riksbank holds rate at 2%") == told("Sweden holds rate")
    assert told("Bank Negara keeps rate unchanged") == told("Malaysia keeps rate unchanged")
    assert told("Bank Indonesia cuts rate") == told("Indonesia cuts rate")
    assert told("Bank of Japan holds rate") == told("Japan holds rate")
    assert told("World Bank cuts growth forecast") == 0  # no country's bank


def test_one_happening_told_by_a_city_and_by_its_country_joins() -> None:
    assert joined(
        "Footbridge collapses over railway in Aachen, two dead",
        "Two killed as footbridge over railway gives way in western Germany",
    )


def test_two_central_banks_cutting_one_morning_are_two_stories() -> None:
    assert not joined(
        "Bank Indonesia cuts benchmark rate by 25 basis points",
        "Czech central bank cuts benchmark rate by 25 basis points",
    )
