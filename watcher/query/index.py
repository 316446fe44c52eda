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

from watcher.query.ast import And, Field, Leaf, Near, Node, Not, Or, Phrase, Sources, Term
from watcher.query.parser import parse
from watcher.query.patterns import Atom, entity_table, leaf_atoms
from watcher.query.reference import DEFAULT_NEAR, Evaluator, Occurrence, hit_from, near_distance
from watcher.query.text import folded_text, word_spans, word_texts
from watcher.query.values import DEFAULT_FIELDS, FIELDS, Document, Entity, Hit

_BIT = {name: 1 << k for k, name in enumerate(FIELDS)}
_DEFAULT_MASK = _BIT["title"] | _BIT["summary"]
Present = dict[int, int]  # atom id -> bit mask of the fields it occurs in
Program = Callable[[Callable[[int, int], int], "_Scan"], object]  # truthy: the query matches
# An automaton entry: atom id, its number of words, which words need capitals (None: none do),
# and the groups (multi-atom leaves such as an entity, ids < 0) the atom belongs to.
Entry = tuple[int, int, tuple[bool, ...] | None, tuple[int, ...]]


class Index:
    """Queries compiled together; `match` returns (position of the query, Hit) for each match."""

    def __init__(self, nodes: Sequence[Node], entities: Mapping[str, Entity]) -> None:
        self.nodes = tuple(nodes)
        self._entities = entity_table(entities)
        self._atom_ids: dict[Atom, int] = {}
        self.atoms: list[Atom] = []
        self.leaves: dict[Leaf, tuple[int, ...]] = {}
        self._groups: dict[tuple[int, ...], int] = {}
        self._fields = 0
        self._programs = [self._compile(node) for node in self.nodes]
        anchored: dict[int, list[int]] = {}
        always: list[int] = []  # queries with no anchor (the parser refuses them): always run
        for position, node in enumerate(self.nodes):
            anchors = self._anchors(node)
            if anchors is None:
                always.append(position)
            for atom in anchors or ():
                anchored.setdefault(atom, []).append(position)
        self._anchored = {atom: tuple(queries) for atom, queries in anchored.items()}
        self._always = tuple(always)
        self.scan_fields = tuple(k for k, name in enumerate(FIELDS) if self._fields & _BIT[name])
        self.automaton = self._automaton()

    def match(self, doc: Document) -> list[tuple[int, Hit]]:
        scan = _Scan(self, doc)
        present = scan.present
        if not present and not self._always:  # most texts: no rule's anchor occurs
            return []
        candidates: set[int] = set(self._always)
        anchored = self._anchored
        for atom in present:
            candidates.update(anchored.get(atom, ()))
        get, programs = present.get, self._programs
        found = [k for k in sorted(candidates) if programs[k](get, scan)]
        return [(k, scan.explain(self.nodes[k])) for k in found]

    # -- compiling ---------------------------------------------------------------------------

    def _leaf(self, leaf: Leaf) -> tuple[int, ...]:
        ids = self.leaves.get(leaf)
        if ids is None:
            ids = tuple(self._atom(atom) for atom in leaf_atoms(leaf, self._entities))
            self.leaves[leaf] = ids
        return ids

    def _group(self, atoms: tuple[int, ...]) -> int:
        """One id (< 0) for "any of these atoms", so an entity with ten aliases costs a query
        one lookup; the scan marks a group present when any of its atoms is."""
        found = self._groups.get(atoms)
        if found is None:
            found = self._groups[atoms] = -1 - len(self._groups)
        return found

    def _atom(self, atom: Atom) -> int:
        found = self._atom_ids.get(atom)
        if found is None:
            found = self._atom_ids[atom] = len(self.atoms)
            self.atoms.append(atom)
        return found

    def _compile(self, node: Node) -> Program:
        # Each query becomes one Python function over `g` (present.get) and the scan: nested
        # closures cost a call per operator, a flat expression one call per query. The source
        # holds only atom ids, field masks and operators, never text from a rule.
        source = f"lambda g, s: {self._expr(node, _DEFAULT_MASK)}"
        program: Program = eval(compile(source, "<query>", "eval"), {"__builtins__": {}})
        return program

    def _expr(self, node: Node, mask: int) -> str:
        if isinstance(node, Term | Phrase):
            self._fields |= mask
            atoms = self._leaf(node)
            key = atoms[0] if len(atoms) == 1 else self._group(atoms)
            return f"(g({key}, 0) & {mask})"
        if isinstance(node, Sources):
            return f"(s.doc.sources >= {node.at_least})"
        if isinstance(node, Field):
            return self._expr(node.child, _BIT[node.name])
        if isinstance(node, Not):
            return f"(not {self._expr(node.child, mask)})"
        if isinstance(node, Near):
            limit = DEFAULT_NEAR if node.distance is None else node.distance
            sides = f"{self._side(node.left)}, {self._side(node.right)}, {mask}, {limit}"
            left, right = self._expr(node.left, mask), self._expr(node.right, mask)
            return f"({left} and {right} and s.near({sides}))"
        joiner = " and " if isinstance(node, And) else " or "
        return "(" + joiner.join(self._expr(c, mask) for c in node.children) + ")"

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
        if isinstance(node, Not | Sources):
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
        groups: dict[int, list[int]] = {}
        for members, group in self._groups.items():
            for member in members:
                groups.setdefault(member, []).append(group)
        entries: dict[str, list[Entry]] = {}
        for atom_id, atom in enumerate(self.atoms):
            key = " " + " ".join(p.folded for p in atom) + ("" if atom[-1].prefix else " ")
            capitals = tuple(p.capitals for p in atom)
            needs = capitals if any(capitals) else None
            entries.setdefault(key, []).append(
                (atom_id, len(atom), needs, tuple(groups.get(atom_id, ())))
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


class _FieldText:
    """One field's words, folded and joined as " w1 w2 ... " for the automaton. Only `norm` is
    made up front: the rest is needed to check capitals or explain a match, which few texts do."""

    __slots__ = ("_originals", "_spans", "_starts", "norm", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = " " + folded_text(text) + " "
        self._originals: list[str] | None = None
        self._starts: list[int] | None = None
        self._spans: list[tuple[int, int]] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Character spans of the words in `text` (only needed to explain a match)."""
        if self._spans is None:
            self._spans = word_spans(self.text)
        return self._spans

    def last_word(self, end: int) -> int:
        """The word in which an automaton hit ending at offset `end` of `norm` ends."""
        if self._starts is None:
            lengths = (len(w) + 1 for w in self.norm.split())
            self._starts = list(itertools.accumulate(lengths, initial=1))
        return bisect.bisect_right(self._starts, end) - 1

    def capitals_ok(self, end: int, words: int, capitals: tuple[bool, ...]) -> bool:
        if self._originals is None:
            self._originals = word_texts(self.text)
        first = self.last_word(end) - words + 1
        return all(self._originals[first + t].isupper() for t, c in enumerate(capitals) if c)


class _Scan:
    """One document run through the automaton: which atoms occur, where."""

    __slots__ = ("doc", "fields", "hits", "index", "present")

    def __init__(self, index: Index, doc: Document) -> None:
        self.index = index
        self.doc = doc
        self.fields: dict[int, _FieldText] = {}
        self.present: Present = {}
        self.hits: list[tuple[int, int, int]] = []  # atom, field, end offset in the field's norm
        if not index.atoms:
            return
        present, hits, iterate = self.present, self.hits, index.automaton.iter
        for k in index.scan_fields:
            value = doc.field(FIELDS[k])
            if not value:  # no word to find (a story without a summary)
                continue
            text = self.fields[k] = _FieldText(value)
            bit = 1 << k
            for end, entries in iterate(text.norm):
                for atom, words, capitals, groups in entries:
                    if capitals is None or text.capitals_ok(end, words, capitals):
                        present[atom] = present.get(atom, 0) | bit
                        hits.append((atom, k, end))
                        for group in groups:
                            present[group] = present.get(group, 0) | bit

    def where(self, atoms: Sequence[int], mask: int) -> list[tuple[int, int, int]]:
        """(field, first word, one past the last) of each occurrence of `atoms` in `mask`."""
        lengths = self.index.atoms
        return [
            (k, last - len(lengths[atom]) + 1, last + 1)
            for atom, k, end in self.hits
            if atom in atoms and mask & (1 << k)
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

        _, found = Evaluator(find, self.doc.sources).eval(node, DEFAULT_FIELDS)
        fields = {FIELDS[k]: text for k, text in self.fields.items()}
        return hit_from(found, {name: f.text for name, f in fields.items()}, fields)


class CompiledQuery:
    """One query ready to match documents."""

    def __init__(self, query: str, entities: Mapping[str, Entity]) -> None:
        self.query = query
        self.node = parse(query)
        self._index = Index([self.node], entities)

    def match(self, doc: Document) -> Hit:
        found = self._index.match(doc)
        return found[0][1] if found else Hit(False)
