"""Many queries compiled into one index (placeholder: evaluates each query with the reference)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from watcher.query.ast import Node
from watcher.query.parser import parse
from watcher.query.patterns import entity_table
from watcher.query.reference import evaluate
from watcher.query.values import Document, Entity, Hit


class Index:
    """Queries compiled together; `match` returns (position of the query, Hit) for each match."""

    def __init__(self, nodes: Sequence[Node], entities: Mapping[str, Entity]) -> None:
        self.nodes = tuple(nodes)
        self.entities = entity_table(entities)

    def match(self, doc: Document) -> list[tuple[int, Hit]]:
        hits = [(k, evaluate(node, doc, self.entities)) for k, node in enumerate(self.nodes)]
        return [(k, hit) for k, hit in hits if hit.matched]


class CompiledQuery:
    """One query ready to match documents."""

    def __init__(self, query: str, entities: Mapping[str, Entity]) -> None:
        self.query = query
        self.node = parse(query)
        self._index = Index([self.node], entities)

    def match(self, doc: Document) -> Hit:
        found = self._index.match(doc)
        return found[0][1] if found else Hit(False)
