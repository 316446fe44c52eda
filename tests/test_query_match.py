"""What matches what: one table per feature, run through both evaluators (reference and index)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from watcher.countries import builtin_entities
from watcher.query import Document, Entity, Hit, Index, compile_query, parse
from watcher.query.ast import Not, Term
from watcher.query.patterns import entity_table
from watcher.query.reference import evaluate

ENTITIES = {
    **builtin_entities(),
    "UNHRC": Entity("UNHRC", ("UN Human Rights Council", "United Nations Human Rights Council")),
    "Gabd": Entity("Gabd", ("Gabd-Rimdan",)),
}

Matcher = Callable[[str, Document], Hit]


def by_reference(query: str, doc: Document) -> Hit:
    return evaluate(parse(query), doc, entity_table(ENTITIES))


def by_index(query: str, doc: Document) -> Hit:
    return compile_query(query, ENTITIES).match(doc)


@pytest.fixture(params=[by_reference, by_index], ids=["reference", "index"])
def match(request: pytest.FixtureRequest) -> Matcher:
    fn: Matcher = request.param
    return fn


def check(match: Matcher, query: str, text: str, expected: bool) -> None:
    hit = match(query, Document(text, ""))
    assert hit.matched is expected, f"{query!r} on {text!r}"


# (query, text, matches?)
WORDS = [
    ("Iran", "Iran talks", True),
    ("Iran", "IRAN TALKS", True),
    ("iran", "Talks in Iran.", True),
    ("Iran", "Iranian talks", True),  # the built-in entity, not a partial word
    ("=Iran", "Iranian talks", False),
    ("oil", "Spoiled turmoil", False),  # whole words only
    ("oil", "oil-rich", True),
    ("oil", "(oil)", True),
    ("sanctions", "sanction", False),
]
CAPITALS = [
    ("US", "US troops", True),
    ("US", "Talks with us", False),
    ("US", "Us and them", False),
    ("US", "US-led coalition", True),
    ("UN", "the UN said", True),
    ("UN", "an un-American idea", False),
    ("UN", "it is unclear", False),
    ("EU", "EU summit", True),
    ("EU", "Eu summit", False),
    ("U.S.", "U.S. troops", True),
    ("U.S.", "u.s. troops", False),
    ("us", "US troops", True),  # lower case matches any case
    ("Un", "UN said", True),
    ("A", "a cat", True),  # a single capital letter is not an acronym
    ('"UN envoy"', "UN Envoy arrives", True),
    ('"UN envoy"', "un envoy arrives", False),
]
ACCENTS = [
    ('"Sao Paulo"', "Floods in São Paulo", True),
    ('"São Paulo"', "Floods in Sao Paulo", True),
    ("Sao", "Floods in Sa\u0303o Paulo", True),  # combining tilde (NFD text)
    ("Zurich", "ZÜRICH airport", True),
    ("Malmo", "Malmö and Øresund", True),
    ("Oresund", "Malmö and Øresund", True),
    ("Lodz", "Łódź", True),
    ("strasse", "Hauptstraße", False),  # whole words
    ("hauptstrasse", "Hauptstraße", True),
]
APOSTROPHES = [
    ("Pakistan", "Pakistan's position", True),
    ("Pakistan", "Pakistan’s position", True),
    ("Iran", "IRAN'S ENVOY", True),
    ('"Pakistan position"', "Pakistan’s position", True),
    ("Pakistan's", "Pakistan position", True),  # a possessive in the query is dropped too
    ("O'Brien", "O’Brien said", True),
    ("O'Brien", "O Brien said", True),
    ("Brien", "O’Brien said", True),
    ("Iranians", "the Iranians' view", True),
]
HYPHENS = [
    ("Gabd-Rimdan", "Fighting in Gabd-Rimdan", True),
    ("Gabd-Rimdan", "Fighting in Gabd–Rimdan", True),  # en dash
    ("Gabd-Rimdan", "Fighting in Gabd Rimdan", True),
    ("Gabd-Rimdan", "Fighting in GabdRimdan", False),
    ("Gabd-Rimdan", "Rimdan-Gabd", False),
    ("Rimdan", "Fighting in Gabd-Rimdan", True),
    ("COVID-19", "COVID-19 cases", True),
    ("COVID-19", "Covid-19 cases", False),  # written in capitals: capitals only
    ("covid-19", "COVID-19 cases", True),
]
PHRASES = [
    ('"human rights"', "Human Rights Council", True),
    ('"human rights"', "human\n  rights", True),
    ('"human rights"', "rights of humans", False),
    ('"human rights"', "human, rights", True),  # punctuation is not a word
    ('"human rights"', "human and rights", False),
    ('"nuclear sanction*"', "nuclear sanctions bite", True),
    ('"nuclear sanction*"', "nuclear talks sanctions", False),
]
PREFIXES = [
    ("sanction*", "new sanctions", True),
    ("sanction*", "sanctioned", True),
    ("sanction*", "sanction", True),
    ("sanction*", "unsanctioned", False),
    ("Iran*", "Iranian", True),
    ("UNHR*", "UNHRC vote", True),
    ("UNHR*", "Unhrc vote", False),
]
BOOLEANS = [
    ("Iran AND Pakistan", "Iran and Pakistan", True),
    ("Iran AND Pakistan", "Iran alone", False),
    ("Iran Pakistan", "Pakistan then Iran", True),
    ("Iran OR Iraq", "Iraq", True),
    ("Iran OR Iraq", "Syria", False),
    ("Iran AND NOT Iraq", "Iran", True),
    ("Iran AND NOT Iraq", "Iran Iraq", False),
    ("(Iran OR Iraq) AND oil", "Iraq oil", True),
    ("(Iran OR Iraq) AND oil", "Iraq gas", False),
    ("Iran AND (Iraq OR NOT oil)", "Iran gas", True),
    ("Iran AND (Iraq OR NOT oil)", "Iran oil", False),
    ("Iran and Pakistan", "Iran, Pakistan", False),  # lower-case `and` is a word to find
    ("Iran and Pakistan", "Iran and Pakistan", True),
    ("Iran AND Pakistan AND UNHRC", "Iran, Pakistan at the UNHRC", True),
]
ENTITY = [
    ("UNHRC", "the UN Human Rights Council voted", True),
    ("UNHRC", "the United Nations Human Rights Council voted", True),
    ("UNHRC", "the un human rights council voted", False),  # alias word UN is in capitals
    ("UNHRC", "the UN human rights council voted", True),
    ("unhrc", "the Unhrc voted", True),  # the term as written also matches
    ("UNHRC", "the Unhrc voted", False),
    ('"United States"', "American troops", True),
    ('="United States"', "American troops", False),
    ("Pakistan", "Pakistani officials", True),
    ("Pakistan", "Pakistanis vote", True),
    ("Netherlands", "Dutch elections", True),
    ("Turkey", "Türkiye says", True),
    ("Gabd", "near Gabd-Rimdan", True),
]
NEAR = [
    ("Iran NEAR/5 sanctions", "Iran faces new sanctions", True),
    ("Iran NEAR/5 sanctions", "sanctions hit Iran", True),
    ("Iran NEAR/1 sanctions", "Iran new sanctions", True),
    ("Iran NEAR/1 sanctions", "Iran faces new sanctions", False),
    ("Iran NEAR/0 sanctions", "Iran sanctions", True),
    ("Iran NEAR/0 sanctions", "sanctions, Iran", True),
    ("Iran NEAR/0 sanctions", "Iran new sanctions", False),
    ("Iran NEAR sanctions", "Iran " + "x " * 10 + "sanctions", True),  # default 10
    ("Iran NEAR sanctions", "Iran " + "x " * 11 + "sanctions", False),
    ('"nuclear deal" NEAR/2 Iran', "the nuclear deal with Iran", True),
    ('"nuclear deal" NEAR/1 Iran', "the nuclear deal with Iran", True),
    ('"nuclear deal" NEAR/0 Iran', "the nuclear deal with Iran", False),
    ("(Iran OR Iraq) NEAR/2 sanction*", "Iraq sanctioned", True),
    ("Iran NEAR/2 Pakistan", "Iranian and Pakistani", True),  # entities in NEAR
    ("Iran NEAR/2 sanctions", "Iran x x x sanctions Iran", True),  # any pair counts
]


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    WORDS + CAPITALS + ACCENTS + APOSTROPHES + HYPHENS + PHRASES + PREFIXES + BOOLEANS + ENTITY
    + NEAR,
)  # fmt: skip
def test_matches(match: Matcher, query: str, text: str, expected: bool) -> None:
    check(match, query, text, expected)


def test_near_stays_within_one_field(match: Matcher) -> None:
    doc = Document("talks on Iran", "sanctions are coming")
    assert not match("Iran NEAR/5 sanctions", doc).matched
    assert match("Iran AND sanctions", doc).matched


FIELDS = [
    ("title:Iran", Document("Iran talks", ""), True),
    ("title:Iran", Document("Talks", "Iran"), False),
    ("summary:Iran", Document("Talks", "Iran"), True),
    ("Iran", Document("Talks", "Iran"), True),
    ("source:BBC", Document("x", "", source="BBC News"), True),
    ("BBC", Document("x", "", source="BBC News"), False),  # unscoped: title and body only
    ("url:bbc", Document("x", "", url="https://www.bbc.co.uk/news/world-1"), True),
    ('url:"bbc.co.uk"', Document("x", "", url="https://www.bbc.co.uk/news"), True),
    ("url:world-asia", Document("x", "", url="https://a.example/world-asia-1"), True),
    ("title:(Iran OR Iraq) oil", Document("Iraq", "oil"), True),
    ("title:(Iran OR Iraq) oil", Document("oil", "Iraq"), False),
    ('title:"human rights"', Document("human rights", ""), True),
    ('title:"human rights"', Document("human", "rights"), False),
    ("Iran NOT title:Iraq", Document("x", "Iran Iraq"), True),
    ("Iran NOT title:Iraq", Document("Iraq", "Iran"), False),
    ("title:(Iran NEAR/3 sanctions)", Document("Iran sanctions", ""), True),
    ("title:(Iran NEAR/3 sanctions)", Document("x", "Iran sanctions"), False),
]


@pytest.mark.parametrize(("query", "doc", "expected"), FIELDS)
def test_field_scopes(match: Matcher, query: str, doc: Document, expected: bool) -> None:
    assert match(query, doc).matched is expected


def test_hit_lists_the_matched_words_and_their_spans(match: Matcher) -> None:
    doc = Document("Pakistan’s envoy backs Iran at the UN Human Rights Council", "No UNHRC vote.")
    hit = match("Iran AND Pakistan AND UNHRC", doc)
    assert hit.terms == ("Pakistan", "Iran", "UN Human Rights Council", "UNHRC")
    assert hit.spans == (
        ("title", 0, 8),
        ("title", 23, 27),
        ("title", 35, 58),
        ("summary", 3, 8),
    )
    for field, start, end in hit.spans:
        assert doc.field(field)[start:end] in hit.terms


def test_hit_leaves_out_what_did_not_help(match: Matcher) -> None:
    doc = Document("Iran and oil", "Iraq")
    assert match("(Iran AND gas) OR (Iraq AND oil)", doc).terms == ("oil", "Iraq")
    assert match("oil AND NOT gas", doc).terms == ("oil",)
    assert match("Iran AND NOT Iraq", Document("Iran", "")).terms == ("Iran",)
    assert match("oil NEAR/0 Iran", Document("Iran oil, and Iran", "")).terms == ("Iran", "oil")


def test_overlapping_matches_merge_into_one_span(match: Matcher) -> None:
    hit = match("Gabd OR Rimdan", Document("Near Gabd-Rimdan today", ""))
    assert hit.terms == ("Gabd-Rimdan",)
    assert hit.spans == (("title", 5, 16),)


def test_no_match_has_no_terms(match: Matcher) -> None:
    assert match("Iran", Document("Iraq", "")) == Hit(False)


def test_index_runs_queries_that_can_match_by_absence() -> None:
    # The parser refuses them, but the index handed such a query still evaluates it.
    index = Index([Not(Term("Iran")), Term("Iran")], {})
    assert [k for k, _ in index.match(Document("Iraq", ""))] == [0]
    assert [k for k, _ in index.match(Document("Iran", ""))] == [1]
