"""The parser: what each construct parses to, and where each mistake is reported."""

from __future__ import annotations

import pytest

from watcher.errors import QuerySyntaxError
from watcher.query import lint, parse, unparse
from watcher.query.ast import And, Field, Near, Not, Or, Phrase, Term

T = Term

PARSES = [
    # terms, implicit AND, explicit operators
    ("Iran", T("Iran")),
    ("Iran Pakistan", And((T("Iran"), T("Pakistan")))),
    ("Iran AND Pakistan AND UNHRC", And((T("Iran"), T("Pakistan"), T("UNHRC")))),
    ("Iran OR Iraq", Or((T("Iran"), T("Iraq")))),
    ("(Iran OR Iraq) AND oil", And((Or((T("Iran"), T("Iraq"))), T("oil")))),
    ("Iran OR (Iraq AND oil)", Or((T("Iran"), And((T("Iraq"), T("oil")))))),
    ("Iran AND NOT Iraq", And((T("Iran"), Not(T("Iraq"))))),
    ("Iran NOT Iraq", And((T("Iran"), Not(T("Iraq"))))),
    ("((Iran))", T("Iran")),
    # lower-case operator words are ordinary terms
    ("iran and pakistan", And((T("iran"), T("and"), T("pakistan")))),
    ("war or peace", And((T("war"), T("or"), T("peace")))),
    ("Near", T("Near")),
    # phrases (any white space between words, typographic quotes too)
    ('"human rights"', Phrase(("human", "rights"))),
    ('"human\n   rights"', Phrase(("human", "rights"))),
    ("“human rights”", Phrase(("human", "rights"))),
    ('"Iran AND (Pakistan"', Phrase(("Iran", "AND", "(Pakistan"))),
    ('"nuclear sanction*"', Phrase(("nuclear", "sanction*"))),
    # prefixes, hyphens, apostrophes, exact words
    ("sanction*", T("sanction*")),
    ("Gabd-Rimdan", T("Gabd-Rimdan")),
    ("Iran’s", T("Iran’s")),
    ("=Iran", T("Iran", exact=True)),
    ('="United States"', Phrase(("United", "States"), exact=True)),
    # proximity
    ("Iran NEAR/5 sanctions", Near(T("Iran"), T("sanctions"), 5)),
    ("Iran NEAR sanctions", Near(T("Iran"), T("sanctions"), None)),
    ("Iran NEAR/0 sanctions", Near(T("Iran"), T("sanctions"), 0)),
    (
        "(Iran OR Iraq) NEAR/3 sanction* oil",
        And((Near(Or((T("Iran"), T("Iraq"))), T("sanction*"), 3), T("oil"))),
    ),
    ("NOT x NEAR y z", And((Not(Near(T("x"), T("y"))), T("z")))),
    # field scopes
    ("title:Iran", Field("title", T("Iran"))),
    ("Title:Iran", Field("title", T("Iran"))),
    ("title: Iran", Field("title", T("Iran"))),
    ('summary:"human rights"', Field("summary", Phrase(("human", "rights")))),
    ("source:BBC url:bbc", And((Field("source", T("BBC")), Field("url", T("bbc"))))),
    (
        "title:(Iran NEAR/5 sanctions)",
        Field("title", Near(T("Iran"), T("sanctions"), 5)),
    ),
    ("Iran NOT title:Iraq", And((T("Iran"), Not(Field("title", T("Iraq")))))),
    # negation is fine next to something positive
    ("Iran AND (Iraq OR NOT oil)", And((T("Iran"), Or((T("Iraq"), Not(T("oil"))))))),
]


@pytest.mark.parametrize(("query", "node"), PARSES, ids=[q for q, _ in PARSES])
def test_parses(query: str, node: object) -> None:
    parsed = parse(query)
    assert parsed == node
    assert parse(unparse(parsed)) == parsed


CANONICAL = [
    ("Iran Pakistan", "Iran AND Pakistan"),
    ("(Iran OR Iraq) oil", "(Iran OR Iraq) AND oil"),
    ("“human   rights”", '"human rights"'),
    ("title:( Iran OR Iraq )", "title:(Iran OR Iraq)"),
    ("NOT (a NEAR b) c", "NOT a NEAR b AND c"),
    ("(a OR b) NEAR c x", "(a OR b) NEAR c AND x"),
    ("a AND (b AND c)", "a AND (b AND c)"),
]


@pytest.mark.parametrize(("query", "text"), CANONICAL)
def test_unparse_is_canonical(query: str, text: str) -> None:
    assert unparse(parse(query)) == text


# (query, start of the message, column (1-based) of the caret, width of the caret)
ERRORS = [
    ("", "the query is empty", 1, 0),
    ("   ", "the query is empty", 1, 0),
    ("Iran OR Iraq AND oil", "AND and OR mixed without parentheses", 14, 3),
    ("Iran Iraq OR oil", "AND and OR mixed without parentheses (a space", 11, 2),
    ("NOT Iran", "this query only excludes words", 1, 8),
    ("NOT Iran AND NOT Iraq", "this query only excludes words", 1, 21),
    ("title:(NOT Iran)", "this query only excludes words", 7, 10),
    ("Iran OR NOT Iraq", "an OR alternative that only excludes words", 9, 8),
    ("NOT NOT Iran", "NOT NOT cancels out", 1, 7),
    ("Iran AND", "`AND` needs something on its right", 6, 3),
    ("AND Iran", "`AND` needs something on its left", 1, 3),
    ("Iran AND OR Iraq", "`OR` right after `AND`", 10, 2),
    ("Iran NOT", "`NOT` needs something after it", 6, 3),
    ("(Iran", "this `(` is never closed", 1, 1),
    ("Iran OR (Iraq AND oil", "this `(` is never closed", 9, 1),
    ("Iran)", "this `)` has no matching `(`", 5, 1),
    ("()", "empty parentheses", 1, 2),
    ('"human rights', "this quote is never closed", 1, 1),
    ('""', "this phrase has no letters or digits", 1, 2),
    ("foo:bar", "`foo:` is not a field", 4, 1),
    ("10:30", "`10:` is not a field", 3, 1),
    ("title:", "`title:` needs a term", 1, 6),
    ("title:summary:Iran", "`title:` needs a term", 1, 6),
    ("title:(summary:Iran)", "`summary:` inside another field scope", 8, 8),
    ("Iran NEAR", "NEAR needs a term on its right", 6, 4),
    ("NEAR Iran", "`NEAR` needs something on its left", 1, 4),
    ("a NEAR b NEAR c", "NEAR joins exactly two terms", 10, 4),
    ("title:a NEAR b", "NEAR joins terms, phrases or (x OR y) groups", 1, 7),
    ("(a AND b) NEAR c", "NEAR joins terms, phrases or (x OR y) groups", 1, 9),
    ("a NEAR/x b", "NEAR/ must be followed by a number", 3, 6),
    ("a NEAR/500 b", "NEAR/500 is too far apart", 3, 8),
    ("*ran", "`*` can only end a word", 1, 1),
    ("sanc*tions", "`*` can only end a word", 5, 1),
    ('"sanction* relief"', "only the last word of a phrase can end in `*`", 10, 1),
    ("ab*", "a prefix needs at least 3 letters", 1, 3),
    ("Gabd-*", "`*` must follow a letter or digit", 6, 1),
    ("-Iran", "a leading `-` does not exclude a word", 1, 1),
    ("&", "`&` has no letters or digits", 1, 1),
    ("= Iran", "`=` must be followed directly by a word", 1, 1),
    ("=(Iran)", "`=` must be followed directly by a word", 1, 1),
]


@pytest.mark.parametrize(("query", "message", "col", "width"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_are_located(query: str, message: str, col: int, width: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    error = caught.value
    assert error.message.startswith(message)
    assert (error.pos + 1, error.end - error.pos) == (col, width)
    assert error.query == query
    assert str(error).startswith(f"column {col}: ")


def test_mixed_operators_show_both_readings() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("Iran OR Iraq AND oil")
    assert "`(Iran OR Iraq) AND oil` or `Iran OR (Iraq AND oil)`" in caught.value.message
    assert caught.value.hint == "add parentheses to say which one you mean"


def test_mixed_readings_only_regroup_the_level_at_fault() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("x AND (a OR b) c OR d")
    message = caught.value.message
    assert "`(x AND (a OR b) c) OR d` or `x AND (a OR b) (c OR d)`" in message


def test_pointer_draws_a_caret_under_the_problem() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("Iran AND (Pakistan")
    assert caught.value.pointer() == "Iran AND (Pakistan\n         ^"


def test_hints_suggest_the_fix() -> None:
    cases = {
        "-Iran": "write NOT Iran",
        "NOT Iran": "add a word the item must contain, e.g. Iran AND NOT Iraq",
        "title:a NEAR b": "put the field before the whole NEAR: title:(a NEAR b)",
        "10:30": 'quote it: "10:30"',
    }
    for query, hint in cases.items():
        with pytest.raises(QuerySyntaxError) as caught:
            parse(query)
        assert hint in caught.value.hint, query


def test_lint_notes_lower_case_operator_words() -> None:
    (note,) = lint("iran and pakistan")
    assert (note.pos, note.end) == (5, 8)
    assert note.message == "`and` is looked for as a word; the operator is written AND"
    assert [n.message.split("`")[1] for n in lint("war or Peace Not near")] == ["or", "Not", "near"]
    assert lint('iran "and" pakistan') == []
    assert lint("=and iran") == []
    assert lint("Iran AND Pakistan") == []


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    assert parse("(" * 40 + "Iran" + ")" * 40) == Term("Iran")
    with pytest.raises(QuerySyntaxError) as caught:
        parse("(" * 41 + "Iran" + ")" * 41)
    assert caught.value.pos == 40
    with pytest.raises(QuerySyntaxError):
        parse("(" * 5000)


def test_a_rule_set_knows_whether_it_counts_sources() -> None:
    from watcher.query.ast import counts_sources

    assert counts_sources(parse("Iran AND (Iraq OR Syria) AND sources>=2"))
    assert counts_sources(parse("title:Iran AND NOT (Iraq AND Syria) sources>=3"))
    assert not counts_sources(parse("Iran NEAR Iraq AND NOT Syria"))
