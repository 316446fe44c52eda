"""Property tests: the parser is total and round-trips; the index agrees with the reference."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watcher.countries import builtin_entities
from watcher.errors import QuerySyntaxError
from watcher.query import Document, Entity, Hit, Index, parse, unparse
from watcher.query.ast import And, Field, Near, Node, Not, Or, Phrase, Sources, Term
from watcher.query.ast import leaves as leaves_of
from watcher.query.patterns import entity_table, leaf_words
from watcher.query.reference import evaluate

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- the parser never fails in any other way ----------------------------------------------------

PIECES = [
    "Iran", "iran", "AND", "OR", "NOT", "NEAR", "NEAR/3", "NEAR/x", "NEAR/999", "(", ")", '"',
    "“", "”", "title:", "Title:", "foo:", ":", "=", "*", "-", "sanc*", "ab*", "’s", "'", " ",
    "\n", "\t", "x", "é", "&", "UN", "U.S.", "a-b", "and", "not", "sources>=2", "sources>=1",
    "Sources>=", ">=",
]  # fmt: skip


@SETTINGS
@given(st.one_of(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.text(max_size=30)))
def test_parser_returns_a_node_or_a_located_syntax_error(query: str) -> None:
    try:
        node = parse(query)
    except QuerySyntaxError as error:
        assert 0 <= error.pos <= len(query)
        assert error.pos <= error.end <= max(len(query), error.pos + 1)
        assert error.message and error.query == query
        return
    assert parse(unparse(node)) == node


# -- generated rules ----------------------------------------------------------------------------

WORDS = [
    "Iran", "iran", "Pakistan", "UN", "un", "UNHRC", "sanction*", "sanctions", "oil", "Gabd-Rimdan",
    "Sao", "São", "US", "us", "Iranian", "nuclear", "deal", "Human", "rights", "Paulo", "the",
    "and", "Iran’s", "O'Brien", "COVID-19", "Gabd",
]  # fmt: skip
FIELD_NAMES = ["title", "summary", "source", "url"]

terms = st.builds(Term, st.sampled_from(WORDS), st.booleans())
phrases = st.builds(
    lambda words, exact: Phrase((*(w.rstrip("*") for w in words[:-1]), words[-1]), exact),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.booleans(),
)
leaves = st.one_of(terms, terms, phrases)
near_sides = st.one_of(leaves, st.builds(lambda a, b: Or((a, b)), leaves, leaves))


def _compound(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    groups = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        groups.map(And),
        groups.map(Or),
        children.map(Not),
        st.builds(Near, near_sides, near_sides, st.one_of(st.none(), st.integers(0, 6))),
        st.builds(Field, st.sampled_from(FIELD_NAMES), children),
    )


def _valid(node: Node, in_field: bool = False) -> Node:
    """`node` made acceptable: no field inside a field, no NOT NOT."""
    if isinstance(node, Field):
        child = _valid(node.child, True)
        return child if in_field else Field(node.name, child)
    if isinstance(node, Not):
        child = _valid(node.child, in_field)
        return child.child if isinstance(child, Not) else Not(child)
    if isinstance(node, And | Or):
        return type(node)(tuple(_valid(c, in_field) for c in node.children))
    return node


def _positive(node: Node) -> Node:
    """`node`, anchored by a required word when it could match by absence alone."""
    try:
        parse(unparse(node))
    except QuerySyntaxError as error:
        if "excludes words" not in error.message:
            raise
        return And((Term("oil"), node))
    return node


rules = st.recursive(leaves, _compound, max_leaves=6).map(_valid).map(_positive)
# A rule narrowed to spreading stories: sources>=N beside the words, in front or behind.
spreading = st.builds(
    lambda node, n, first: And((Sources(n), node) if first else (node, Sources(n))),
    rules,
    st.integers(2, 5),
    st.booleans(),
)


@SETTINGS
@given(st.one_of(rules, spreading))
def test_unparse_then_parse_gives_the_same_rule(node: Node) -> None:
    assert parse(unparse(node)) == node


# -- generated texts ----------------------------------------------------------------------------

TEXT_WORDS = [
    "Iran", "Pakistan", "UN", "Human", "Rights", "Council", "UNHRC", "sanctions", "sanction",
    "oil", "Gabd", "Rimdan", "São", "Paulo", "Sao", "us", "Iranian", "Pakistani", "and", "the",
    "nuclear", "deal", "O", "Brien", "COVID", "19", "United", "Nations", "American", "x",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", ", ", "-", "’s ", "'s ", "\n", " (", ") ", "–", "'"]
CASES: list[Callable[[str], str]] = [str, str.lower, str.upper, str.title]


def texts(pool: list[str]) -> st.SearchStrategy[str]:
    """Texts of words from `pool`, in any case, with the separators real copy has."""
    word = st.tuples(st.sampled_from(pool), st.sampled_from(CASES), st.sampled_from(SEPARATORS))
    return st.lists(word, max_size=16).map(lambda ws: "".join(c(w) + sep for w, c, sep in ws))


def documents(pool: list[str]) -> st.SearchStrategy[Document]:
    return st.builds(
        Document, texts(pool), texts(pool), texts(pool), texts(pool), st.integers(1, 6)
    )


def pool_for(node: Node) -> list[str]:
    """Text words plus the words of `node`, so generated texts often contain them."""
    words = [w.rstrip("*") for leaf in leaves_of(node) for w in leaf_words(leaf)]
    return TEXT_WORDS + words + [w + "s" for w in words]


ENTITIES = {
    **builtin_entities(),
    "UNHRC": Entity("UNHRC", ("UN Human Rights Council", "United Nations Human Rights Council")),
    "Gabd": Entity("Gabd", ("Gabd-Rimdan", "Gabd Rimdan")),
}
TABLE = entity_table(ENTITIES)


@SETTINGS
@given(st.one_of(rules, spreading), st.data())
def test_index_agrees_with_reference_on_one_rule(node: Node, data: st.DataObject) -> None:
    doc = data.draw(documents(pool_for(node)))
    expected = evaluate(node, doc, TABLE)
    found = Index([node], ENTITIES).match(doc)
    got = found[0][1] if found else None
    assert (got is not None) == expected.matched
    if got is not None:
        assert got == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(rules, spreading), min_size=1, max_size=25), st.data())
def test_index_agrees_with_reference_on_many_rules(nodes: list[Node], data: st.DataObject) -> None:
    index = Index(nodes, ENTITIES)
    pool = [w for node in nodes for w in pool_for(node)]
    for doc in data.draw(st.lists(documents(pool), min_size=1, max_size=4)):
        expected = [(k, evaluate(n, doc, TABLE)) for k, n in enumerate(nodes)]
        assert index.match(doc) == [(k, hit) for k, hit in expected if hit.matched]


def _spelled(side: Node) -> str:
    leaf = leaves_of(side)[0]
    return " ".join(w.rstrip("*") for w in leaf_words(leaf))


@SETTINGS
@given(near_sides, near_sides, st.integers(0, 4), st.integers(0, 6), st.booleans(), st.data())
def test_index_agrees_with_reference_at_near_distances(
    left: Node, right: Node, limit: int, gap: int, swap: bool, data: st.DataObject
) -> None:
    node = Near(left, right, limit)
    a, b = (_spelled(right), _spelled(left)) if swap else (_spelled(left), _spelled(right))
    around = data.draw(texts(pool_for(node)))
    doc = Document(around + a + " x" * gap + " " + b, around)
    expected = evaluate(node, doc, TABLE)
    found = Index([node], ENTITIES).match(doc)
    assert (found[0][1] if found else Hit(False)) == expected


@SETTINGS
@given(rules, st.integers(2, 5), st.data())
def test_sources_narrows_a_rule_to_stories_of_that_many_feeds(
    node: Node, n: int, data: st.DataObject
) -> None:
    doc = data.draw(documents(pool_for(node)))
    plain = Index([node], ENTITIES).match(doc)
    narrowed = Index([And((node, Sources(n)))], ENTITIES).match(doc)
    assert bool(narrowed) == (bool(plain) and doc.sources >= n)
    if narrowed:
        assert narrowed[0][1] == plain[0][1]  # the same words: the condition adds none
