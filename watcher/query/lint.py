"""Queries that are valid but may not say what their writer meant: notes, not errors.

`iran and pakistan` is a valid query (the word "and" must appear), but a desk that wrote it
probably meant AND. `watcher check` shows these notes without refusing the rule; quoting the word
("and") says it is meant and silences the note.
"""

from __future__ import annotations

from watcher.errors import QuerySyntaxError
from watcher.query.ast import Node, Term, leaves

_OPERATORS = ("and", "or", "not", "near")


def notes(query: str, node: Node) -> list[QuerySyntaxError]:
    """Each doubtful spot of `query` (parsed as `node`), located like a syntax error."""
    found = []
    for leaf in leaves(node):
        if isinstance(leaf, Term) and not leaf.exact and leaf.text.lower() in _OPERATORS:
            operator = leaf.text.upper()
            message = f"`{leaf.text}` is looked for as a word; the operator is written {operator}"
            hint = f'write {operator} for the operator, or "{leaf.text}" to mean the word'
            found.append(QuerySyntaxError(message, query, *leaf.span, hint=hint))
    return found
