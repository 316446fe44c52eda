"""A proper word that only describes (watcher/descriptions.py): which words are descriptions,
what they cue, and what they do to story grouping — one event told by name and by description
joins, two events stay apart, and two descriptions by two places are rivals. Every headline
here is invented."""

from __future__ import annotations

import pytest

from tests.test_stories import ingest, item
from watcher.descriptions import COUNTRY_INITIALS, PLACE_TERMS, described
from watcher.places import KNOWN
from watcher.similarity import _tokens, features
from watcher.stories import StoryIndex
from watcher.story_model import FEATURES
from watcher.terms import root, term_id


def _described(text: str) -> list[tuple[str, str]]:
    tokens = _tokens(text)
    return [(tokens[n], tokens[head]) for n, head in described(tokens)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Boat capsizes on England's largest lake", [("England's", "largest")]),
        ("Britain's second-largest lender cuts jobs", [("Britain's", "largest")]),
        ("Germany's biggest carmaker Volkswagen recalls cars", [("Germany's", "biggest")]),
        ("Tourists turned away from Gaudi's basilica", [("Gaudi's", "basilica")]),
        ("Fire guts Windhoek's landmark cathedral", [("Windhoek's", "landmark")]),
        ("Vow to rebuild Lisbon's century-old church", [("Lisbon's", "church")]),
        ("Danish drugmaker slashes price", [("Danish", "drugmaker")]),
        ("Carlsberg sells business to Dutch rival", [("Dutch", "rival")]),
        ("German industrial giant's shares soar", [("German", "giant's")]),
        ("Protests in the Austrian capital", [("Austrian", "capital")]),
        ("Strike at New Zealand's largest port", [("New", "largest"), ("Zealand's", "largest")]),
    ],
)
def test_a_proper_word_that_only_modifies_a_description_is_found(
    text: str, found: list[tuple[str, str]]
) -> None:
    assert _described(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Trump's lawyer charged with fraud",  # a person's role: a rival lawyer is a rival
        "Apple's biggest supplier cuts jobs",  # rank after a company, not a place
        "Sagrada Familia basilica closed",  # the name of the basilica itself
        "Fire engulfs Copenhagen's old stock exchange",  # no description's noun
        "Danish Drugmaker Slashes Price",  # title case: no small words, no descriptions
        "Heineken rival Carlsberg sells unit",  # a company is no place
        "Police in Lisbon's old town of 12 churches",  # "of" ends the small words
        "Shares of US drugmaker Pfizer fall",  # a place's name before a noun is that place
        "UK supermarkets could face shortages",
        "New Zealand airline grounds fleet",
        "Britain's", "",
    ],
)
def test_a_name_or_a_persons_role_is_no_description(text: str) -> None:
    assert _described(text) == []


def test_a_description_is_a_term_but_no_name_unless_written_as_one_elsewhere() -> None:
    england = term_id(root("england"))
    only = features("Fourteen rescued after boat capsizes on England's largest lake", "")
    assert england in only.weights and england not in only.names
    assert only.described == ((england, term_id(root("largest"))),)
    also = features(
        "Boat capsizes on England's largest lake",
        "The boat overturned in strong winds, police in England said.",
    )
    assert england in also.names  # "in England" names it
    assert term_id(root("england")) in PLACE_TERMS and term_id("us_") in PLACE_TERMS


def test_one_event_by_its_name_and_by_its_description_joins() -> None:
    named = item(
        "wire",
        "Scaffolding collapse at Sagrada Familia injures two",
        "Two workers were hurt when scaffolding gave way at the Sagrada Familia on Friday, "
        "police said.",
    )
    described_ = item(
        "paper",
        "Workers evacuated from Gaudi's basilica after scaffolding collapse",
        "Dozens of builders were led out of the unfinished church on Friday.",
        hours=1,
    )
    assert ingest(StoryIndex(), named, described_)[1].story_id == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # one company's description and its name, two events of the same day
        ("Danish drugmaker to cut 2,000 jobs in restructuring", "Novo Nordisk wins EU approval "
         "for obesity pill"),
        ("Dutch brewer raises beer prices across Europe", "Heineken sells Nigerian unit to local "
         "investors"),
        ("Carlsberg sells Asia business to Dutch rival", "Heineken beer volumes rise in Asia"),
    ],
)  # fmt: skip
def test_two_events_one_described_one_named_stay_apart(first: str, second: str) -> None:
    decisions = ingest(StoryIndex(), item("a", first), item("b", second, hours=3))
    assert decisions[1].story_id is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Danish drugmaker cuts jobs as sales slow", "Swiss drugmaker cuts jobs as sales slow"),
        ("Shares of Danish drugmaker slump after trial data", "Shares of Swiss drugmaker slump "
         "after trial data"),
        ("Boat capsizes on Italy's largest lake, four rescued", "Boat capsizes on Switzerland's "
         "largest lake, four rescued"),
    ],
)  # fmt: skip
def test_two_descriptions_by_two_places_are_rivals(first: str, second: str) -> None:
    index = StoryIndex()
    index.add(item("a", first), 1)
    contenders = index.contenders(item("b", second, hours=2))
    for _, signals, probability in contenders:
        assert dict(zip(FEATURES, signals, strict=True))["name_conflict"] == 1.0
        assert probability < index.threshold
    assert ingest(StoryIndex(), item("a", first), item("b", second, hours=2))[1].story_id is None


def test_one_place_at_two_grains_is_no_rival() -> None:
    # "Kabul" is Afghanistan in a headline (wordforms.CAPITALS); the possessive only describes.
    index = StoryIndex()
    index.add(item("a", "Blast outside Kabul’s main mosque kills two, Taliban says"), 1)
    ((_, signals, _),) = index.contenders(
        item("b", "Explosion at Kabul mosque kills two, Taliban says", hours=1)
    )
    assert dict(zip(FEATURES, signals, strict=True))["name_conflict"] == 0.0


def _conflict(first: tuple[str, str], second: tuple[str, str]) -> float:
    index = StoryIndex()
    index.add(item("a", *first), 1)
    ((_, signals, _),) = index.contenders(item("b", *second, hours=3))
    return dict(zip(FEATURES, signals, strict=True))["name_conflict"]


def test_a_countrys_initials_are_those_news_writes_for_it() -> None:
    assert COUNTRY_INITIALS[term_id("sa")] == KNOWN[("south", "africa")]
    assert COUNTRY_INITIALS[term_id("nz")] == KNOWN[("new", "zealand")]
    for postal in ("nm", "dc", "nc"):  # New Mexico, Washington, North Carolina: no countries
        assert term_id(postal) not in COUNTRY_INITIALS
    assert term_id("png") not in COUNTRY_INITIALS  # a place of its own (places._INITIALS)
    assert term_id("us_") not in COUNTRY_INITIALS


_SA = ("Load-shedding returns across SA as Eskom units fail", "Six units broke down.")
_SOUTH_AFRICA = (
    "South Africa's Eskom ramps up power cuts after breakdowns",
    "South Africa's power utility Eskom moved to stage 4 on Tuesday.",
)
# "SA" east of Adelaide is South Australia: the report mentions Australia
_SA_HILLS = ("Bushfire forces evacuations across SA hills", "Residents east of Adelaide left.")
_CAPE = (
    "Wildfire forces evacuations in South Africa's Western Cape",
    "Residents near Franschhoek left home on Saturday.",
)


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [(_SA, _SOUTH_AFRICA, 0.0), (_SOUTH_AFRICA, _SA, 0.0), (_SA_HILLS, _CAPE, 1.0),
     (_CAPE, _SA_HILLS, 1.0)],
)  # fmt: skip
def test_a_countrys_initials_are_its_name_against_a_report_placed_there(
    first: tuple[str, str], second: tuple[str, str], conflict: float
) -> None:
    """No name conflict, unless the initials' report mentions another country."""
    assert _conflict(first, second) == conflict
