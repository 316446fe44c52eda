"""The plain evaluator: the meaning of a query, written for clarity, not speed.

It walks the AST over the words of each field and scans for every atom at every position. The
indexed evaluator (index.py) must agree with it on every query and text; the property tests
hold it to that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from watcher.query.ast import And, Field, Leaf, Near, Node, Not, Or, Phrase, Sources, Term
from watcher.query.patterns import Atom, leaf_atoms
from watcher.query.text import Words, tokenize
from watcher.query.values import DEFAULT_FIELDS, FIELDS, Document, Entity, Hit

DEFAULT_NEAR = 10  # words between the two sides of a bare NEAR
Occurrence = tuple[str, int, int]  # field, first word, one past the last word
LeafFinder = Callable[[Leaf, tuple[str, ...]], list[Occurrence]]


class HasSpans(Protocol):
    @property
    def spans(self) -> Sequence[tuple[int, int]]: ...


def evaluate(node: Node, doc: Document, entities: Mapping[str, Entity]) -> Hit:
    """Match `node` on `doc`; `entities` keyed as by patterns.entity_table."""
    words = {name: tokenize(doc.field(name)) for name in FIELDS}

    def scan(leaf: Leaf, fields: tuple[str, ...]) -> list[Occurrence]:
        return [
            (name, i, i + len(atom))
            for atom in leaf_atoms(leaf, entities)
            for name in fields
            for i in _positions(atom, words[name])
        ]

    matched, found = Evaluator(scan, doc.sources).eval(node, DEFAULT_FIELDS)
    return (
        hit_from(found, {name: w.text for name, w in words.items()}, words)
        if matched
        else Hit(False)
    )


def hit_from(
    found: list[Occurrence], texts: Mapping[str, str], words: Mapping[str, HasSpans]
) -> Hit:
    """A matched Hit for the occurrences `found`: character spans in field then text order,
    overlapping ones merged ("Gabd" inside "Gabd-Rimdan" is one span), and their texts."""
    order = {name: k for k, name in enumerate(FIELDS)}
    spans: list[tuple[str, int, int]] = []
    for name, i, j in sorted(set(found), key=lambda o: (order[o[0]], o[1], o[2])):
        start, end = words[name].spans[i][0], words[name].spans[j - 1][1]
        if spans and spans[-1][0] == name and start < spans[-1][2]:
            _, prev_start, prev_end = spans.pop()
            start, end = prev_start, max(prev_end, end)
        spans.append((name, start, end))
    terms = dict.fromkeys(texts[name][start:end] for name, start, end in spans)
    return Hit(True, tuple(terms), tuple(spans))


def near_distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Words standing between two word ranges (0 when adjacent or overlapping)."""
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


class Evaluator:
    """The meaning of each operator, given where each leaf occurs (`find`); returns whether
    the node matches and the occurrences that made it match; `sources` is the number of
    distinct feeds of the document's story, for `sources>=N`."""

    def __init__(self, find: LeafFinder, sources: int = 1) -> None:
        self.find = find
        self.sources = sources

    def eval(self, node: Node, fields: tuple[str, ...]) -> tuple[bool, list[Occurrence]]:
        if isinstance(node, Term | Phrase):
            found = self.occurrences(node, fields)
            return bool(found), found
        if isinstance(node, Sources):
            return self.sources >= node.at_least, []
        if isinstance(node, Not):
            return not self.eval(node.child, fields)[0], []
        if isinstance(node, Field):
            return self.eval(node.child, (node.name,))
        if isinstance(node, Near):
            return self.near(node, fields)
        results = [self.eval(child, fields) for child in node.children]
        ok = all(r[0] for r in results) if isinstance(node, And) else any(r[0] for r in results)
        return ok, [o for r in results if r[0] for o in r[1]] if ok else []

    def occurrences(self, node: Node, fields: tuple[str, ...]) -> list[Occurrence]:
        """Where a NEAR side (a leaf, or an OR of NEAR sides) occurs."""
        if isinstance(node, Or):
            return [o for child in node.children for o in self.occurrences(child, fields)]
        assert isinstance(node, Term | Phrase)
        return self.find(node, fields)

    def near(self, node: Near, fields: tuple[str, ...]) -> tuple[bool, list[Occurrence]]:
        limit = DEFAULT_NEAR if node.distance is None else node.distance
        lefts = self.occurrences(node.left, fields)
        rights = self.occurrences(node.right, fields)
        found: list[Occurrence] = []
        for a in lefts:
            for b in rights:
                if a[0] == b[0] and near_distance(a[1:], b[1:]) <= limit:
                    found += [a, b]
        return bool(found), found


def _positions(atom: Atom, words: Words) -> list[int]:
    k = len(atom)
    return [
        i
        for i in range(len(words) - k + 1)
        if all(p.matches(words.folded[i + t], words.upper[i + t]) for t, p in enumerate(atom))
    ]
