"""Many queries compiled into one index, so matching cost follows the text, not the rule count.

Compile: every leaf becomes atoms (word sequences, entities expanded); every distinct atom gets an
id and a key in one Aho-Corasick automaton over folded text, " iran " for a whole word,
" sanction" for a prefix. Each query becomes a small closure over "which atoms occur in which
fields", and is filed under its anchor atoms: a set of atoms at least one of which must occur
for the query to match (all the atoms of its cheapest required part).

Match: each field's words are folded and joined with single spaces, the automaton runs once
over that string, capitals are checked for ALL-CAPS atoms, and only the queries anchored on an
atom found are evaluated. The words of a match are worked out (reference.Evaluator over the
automaton's hits) only for queries that matched.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ahocorasick

from watcher.query.ast import And, Field, Leaf, Near, Node, Not, Or, Phrase, Term
from watcher.query.parser import parse
from watcher.query.patterns import Atom, entity_table, leaf_atoms
from watcher.query.reference import DEFAULT_NEAR, Evaluator, Occurrence, hit_from, near_distance
from watcher.query.text import fold, raw_words, tokenize
from watcher.query.values import DEFAULT_FIELDS, FIELDS, Document, Entity, Hit

_BIT = {name: 1 << k for k, name in enumerate(FIELDS)}
_DEFAULT_MASK = _BIT["title"] | _BIT["summary"]
Present = dict[int, int]  # atom id -> bit mask of the fields it occurs in
Program = Callable[[Present, "_Scan"], object]  # truthy when the query matches
Entry = tuple[int, int, tuple[bool, ...] | None]  # atom id, words, which words need capitals


class Index:
    """Queries compiled together; `match` returns (position of the query, Hit) for each match."""

    def __init__(self, nodes: Sequence[Node], entities: Mapping[str, Entity]) -> None:
        self.nodes = tuple(nodes)
        self._entities = entity_table(entities)
        self._atom_ids: dict[Atom, int] = {}
        self.atoms: list[Atom] = []
        self.leaves: dict[Leaf, tuple[int, ...]] = {}
        self._fields = 0
        self._programs = [self._compile(node, _DEFAULT_MASK) for node in self.nodes]
        anchored: dict[int, list[int]] = {}
        for position, node in enumerate(self.nodes):
            for atom in self._anchors(node) or ():
                anchored.setdefault(atom, []).append(position)
        self._anchored = {atom: tuple(queries) for atom, queries in anchored.items()}
        self.scan_fields = tuple(k for k, name in enumerate(FIELDS) if self._fields & _BIT[name])
        self.automaton = self._automaton()

    def match(self, doc: Document) -> list[tuple[int, Hit]]:
        scan = _Scan(self, doc)
        candidates: set[int] = set()
        anchored = self._anchored
        for atom in scan.present:
            candidates.update(anchored.get(atom, ()))
        present, programs = scan.present, self._programs
        found = [k for k in sorted(candidates) if programs[k](present, scan)]
        return [(k, scan.explain(self.nodes[k])) for k in found]

    # -- compiling ---------------------------------------------------------------------------

    def _leaf(self, leaf: Leaf) -> tuple[int, ...]:
        ids = self.leaves.get(leaf)
        if ids is None:
            ids = tuple(self._atom(atom) for atom in leaf_atoms(leaf, self._entities))
            self.leaves[leaf] = ids
        return ids

    def _atom(self, atom: Atom) -> int:
        found = self._atom_ids.get(atom)
        if found is None:
            found = self._atom_ids[atom] = len(self.atoms)
            self.atoms.append(atom)
        return found

    def _compile(self, node: Node, mask: int) -> Program:
        if isinstance(node, Term | Phrase):
            self._fields |= mask
            return _leaf_program(self._leaf(node), mask)
        if isinstance(node, Field):
            return self._compile(node.child, _BIT[node.name])
        if isinstance(node, Not):
            child = self._compile(node.child, mask)
            return lambda p, s: not child(p, s)
        if isinstance(node, Near):
            return self._near(node, mask)
        children = [self._compile(c, mask) for c in node.children]
        return _all(children) if isinstance(node, And) else _any(children)

    def _near(self, node: Near, mask: int) -> Program:
        left, right = self._compile(node.left, mask), self._compile(node.right, mask)
        lefts, rights = self._side(node.left), self._side(node.right)
        limit = DEFAULT_NEAR if node.distance is None else node.distance
        return lambda p, s: left(p, s) and right(p, s) and s.near(lefts, rights, mask, limit)

    def _side(self, node: Node) -> tuple[int, ...]:
        """The atoms of a NEAR side (a leaf, or an OR of sides)."""
        if isinstance(node, Or):
            return tuple(a for child in node.children for a in self._side(child))
        assert isinstance(node, Term | Phrase)
        return self._leaf(node)

    def _anchors(self, node: Node) -> frozenset[int] | None:
        """Atoms at least one of which occurs whenever `node` matches; None if `node` can
        match by absence. Of the required parts of an AND or NEAR, the cheapest is kept."""
        if isinstance(node, Term | Phrase):
            return frozenset(self._leaf(node))
        if isinstance(node, Not):
            return None
        if isinstance(node, Field):
            return self._anchors(node.child)
        parts = (node.left, node.right) if isinstance(node, Near) else node.children
        sets = [self._anchors(child) for child in parts]
        if isinstance(node, Or):
            return None if None in sets else frozenset().union(*(s for s in sets if s))
        usable = [s for s in sets if s is not None]
        return min(usable, key=self._cost) if usable else None

    def _cost(self, atoms: frozenset[int]) -> float:
        # A guess at how often the atoms occur in news text: long words and phrases are rare,
        # short words and prefixes common. Only the choice of anchor depends on it.
        return sum(_atom_cost(self.atoms[a]) for a in atoms)

    def _automaton(self) -> Any:
        entries: dict[str, list[Entry]] = {}
        for atom_id, atom in enumerate(self.atoms):
            key = " " + " ".join(p.folded for p in atom) + ("" if atom[-1].prefix else " ")
            capitals = tuple(p.capitals for p in atom)
            entries.setdefault(key, []).append(
                (atom_id, len(atom), capitals if any(capitals) else None)
            )
        automaton = ahocorasick.Automaton()
        for key, value in entries.items():
            automaton.add_word(key, tuple(value))
        if entries:
            automaton.make_automaton()
        return automaton


def _atom_cost(atom: Atom) -> float:
    letters = sum(len(p.folded) for p in atom)
    cost = 4.0 / math.pow(1 + letters, 1.5) / math.pow(8, len(atom) - 1)
    return cost * (4 if atom[-1].prefix else 1)


def _leaf_program(atoms: tuple[int, ...], mask: int) -> Program:
    if len(atoms) == 1:
        (atom,) = atoms
        return lambda p, s: p.get(atom, 0) & mask
    return lambda p, s: any(p.get(a, 0) & mask for a in atoms)


def _all(children: list[Program]) -> Program:
    if len(children) == 2:
        a, b = children
        return lambda p, s: a(p, s) and b(p, s)
    return lambda p, s: all(c(p, s) for c in children)


def _any(children: list[Program]) -> Program:
    if len(children) == 2:
        a, b = children
        return lambda p, s: a(p, s) or b(p, s)
    return lambda p, s: any(c(p, s) for c in children)


class _FieldText:
    """One field's words, folded and joined as " w1 w2 ... " for the automaton."""

    __slots__ = ("norm", "originals", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        originals = raw_words(text)
        if text.isascii():
            folded = [w.lower() for w in originals]
        else:
            pairs = [(w, f) for w in originals if (f := fold(w))]
            originals, folded = [w for w, _ in pairs], [f for _, f in pairs]
        self.originals = originals
        self.norm = " " + " ".join(folded) + " "
        # Offset in `norm` of each word's first character.
        self.starts = list(itertools.accumulate((len(f) + 1 for f in folded), initial=1))[:-1]

    def last_word(self, end: int) -> int:
        """The word in which an automaton hit ending at `end` ends."""
        return bisect.bisect_right(self.starts, end) - 1

    def capitals_ok(self, end: int, words: int, capitals: tuple[bool, ...]) -> bool:
        first = self.last_word(end) - words + 1
        return all(self.originals[first + t].isupper() for t, c in enumerate(capitals) if c)


class _Scan:
    """One document run through the automaton: which atoms occur, where."""

    __slots__ = ("doc", "fields", "hits", "index", "present")

    def __init__(self, index: Index, doc: Document) -> None:
        self.index = index
        self.doc = doc
        self.fields: dict[int, _FieldText] = {}
        self.present: Present = {}
        self.hits: dict[int, list[tuple[int, int]]] = {}  # atom -> (field, end offset) in norm
        if not index.atoms:
            return
        present, hits, iterate = self.present, self.hits, index.automaton.iter
        for k in index.scan_fields:
            text = _FieldText(doc.field(FIELDS[k]))
            self.fields[k] = text
            bit = 1 << k
            for end, entries in iterate(text.norm):
                for atom, words, capitals in entries:
                    if capitals is None or text.capitals_ok(end, words, capitals):
                        present[atom] = present.get(atom, 0) | bit
                        hits.setdefault(atom, []).append((k, end))

    def where(self, atoms: Sequence[int], mask: int) -> list[tuple[int, int, int]]:
        """(field, first word, one past the last) of each occurrence of `atoms` in `mask`."""
        return [
            (k, last - len(self.index.atoms[a]) + 1, last + 1)
            for a in atoms
            for k, end in self.hits.get(a, ())
            if mask & (1 << k)
            for last in (self.fields[k].last_word(end),)
        ]

    def near(self, lefts: tuple[int, ...], rights: tuple[int, ...], mask: int, limit: int) -> bool:
        rs = self.where(rights, mask)
        return any(
            a[0] == b[0] and near_distance(a[1:], b[1:]) <= limit
            for a in self.where(lefts, mask)
            for b in rs
        )

    def explain(self, node: Node) -> Hit:
        """The Hit of a query known to match: the words that made it match, and where."""

        def find(leaf: Leaf, fields: tuple[str, ...]) -> list[Occurrence]:
            mask = sum(_BIT[name] for name in fields)
            return [(FIELDS[k], i, j) for k, i, j in self.where(self.index.leaves[leaf], mask)]

        _, found = Evaluator(find).eval(node, DEFAULT_FIELDS)
        words = {name: tokenize(self.doc.field(name)) for name in {o[0] for o in found}}
        return hit_from(words, found)


class CompiledQuery:
    """One query ready to match documents."""

    def __init__(self, query: str, entities: Mapping[str, Entity]) -> None:
        self.query = query
        self.node = parse(query)
        self._index = Index([self.node], entities)

    def match(self, doc: Document) -> Hit:
        found = self._index.match(doc)
        return found[0][1] if found else Hit(False)
