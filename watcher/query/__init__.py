"""The rule language: parse a query, print it back, compile it against entities and match it.

    parse("Iran AND Pakistan")            -> Node (raises QuerySyntaxError with a column)
    unparse(node)                         -> canonical text; parse(unparse(n)) == n
    compile_query(query, entities).match(Document(title, summary)) -> Hit(matched, terms, spans)

The meaning is defined by reference.py (plain and slow); index.py compiles many queries into one
Aho-Corasick automaton and must agree with it. Words and folding are defined in text.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from watcher.errors import QuerySyntaxError
from watcher.query.ast import Node, unparse
from watcher.query.index import CompiledQuery, Index
from watcher.query.lint import notes
from watcher.query.parser import parse
from watcher.query.reference import DEFAULT_NEAR
from watcher.query.values import DEFAULT_FIELDS, FIELDS, Document, Entity, Hit

__all__ = [
    "DEFAULT_FIELDS",
    "DEFAULT_NEAR",
    "FIELDS",
    "CompiledQuery",
    "Document",
    "Entity",
    "Hit",
    "Index",
    "Node",
    "compile_query",
    "lint",
    "parse",
    "unparse",
]


def compile_query(query: str, entities: Mapping[str, Entity]) -> CompiledQuery:
    """`query` parsed and compiled with `entities` (raises QuerySyntaxError)."""
    return CompiledQuery(query, entities)


def lint(query: str) -> list[QuerySyntaxError]:
    """Notes on a valid but doubtful `query` (e.g. lower-case `and`), each with a position;
    raises QuerySyntaxError if `query` is invalid."""
    return notes(query, parse(query))
