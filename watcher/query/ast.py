"""The parsed form of a query, and printing it back (`unparse`).

Nodes are frozen values; `span` (offsets into the query text) is kept for error messages but does
not take part in equality, so `parse(unparse(node)) == node`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]
_NO_SPAN: Span = (0, 0)


@dataclass(frozen=True, slots=True)
class Term:
    """One word as written (`Iran`, `Gabd-Rimdan`, `sanction*`); `exact` (=Iran): no entity."""

    text: str
    exact: bool = False
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def prefix(self) -> bool:
        return self.text.endswith("*")


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in order (`"human rights"`); the last word may end in `*`."""

    words: tuple[str, ...]
    exact: bool = False
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def prefix(self) -> bool:
        return self.words[-1].endswith("*")


@dataclass(frozen=True, slots=True)
class Not:
    child: Node
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Near:
    """Both sides within `distance` words of each other, either order; None: the default."""

    left: Node
    right: Node
    distance: int | None = None
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Field:
    """`title:...`: the child looks only in that field."""

    name: str
    child: Node
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Sources:
    """`sources>=N`: the item's story has reports from at least `at_least` distinct feeds.
    A condition on the story, not on the text: it never matches a word."""

    at_least: int
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)


Leaf = Term | Phrase
Node = Term | Phrase | Not | And | Or | Near | Field | Sources


def unparse(node: Node) -> str:
    """The query text of `node`, with explicit operators and only the parentheses needed."""
    if isinstance(node, Term):
        return ("=" if node.exact else "") + node.text
    if isinstance(node, Phrase):
        return ("=" if node.exact else "") + '"' + " ".join(node.words) + '"'
    if isinstance(node, Sources):
        return f"sources>={node.at_least}"
    if isinstance(node, Not):
        return "NOT " + _wrap(node.child, (And, Or))
    if isinstance(node, And | Or):
        op = " AND " if isinstance(node, And) else " OR "
        return op.join(_wrap(c, (And, Or)) for c in node.children)
    if isinstance(node, Near):
        op = " NEAR " if node.distance is None else f" NEAR/{node.distance} "
        return _wrap(node.left, (Or,)) + op + _wrap(node.right, (Or,))
    return f"{node.name}:" + _wrap(node.child, (Not, And, Or, Near))


def _wrap(node: Node, kinds: tuple[type, ...]) -> str:
    text = unparse(node)
    return f"({text})" if isinstance(node, kinds) else text


def leaves(node: Node) -> list[Leaf]:
    """Every term and phrase in `node`, left to right."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Sources):
        return []
    if isinstance(node, Not | Field):
        return leaves(node.child)
    if isinstance(node, Near):
        return leaves(node.left) + leaves(node.right)
    return [leaf for child in node.children for leaf in leaves(child)]


def counts_sources(node: Node) -> bool:
    """Whether `node` holds a `sources>=N` condition (its matcher needs the story's count)."""
    if isinstance(node, Sources):
        return True
    if isinstance(node, Term | Phrase):
        return False
    if isinstance(node, Not | Field):
        return counts_sources(node.child)
    if isinstance(node, Near):
        return False  # the parser keeps sources>=N out of NEAR
    return any(counts_sources(child) for child in node.children)
