"""Tokens -> AST, refusing anything a desk could misread.

Grammar (NOT binds tightest, then NEAR, then AND/OR; juxtaposition is AND):

    query   := expr EOF
    expr    := unary ((AND | OR | <space>) unary)*     -- one kind of operator per level
    unary   := NOT unary | near
    near    := primary (NEAR primary)?                 -- sides: terms, phrases, (x OR y)
    primary := FIELD primary | "(" expr ")" | ["="] WORD | ["="] PHRASE | SOURCES

Refused with a located QuerySyntaxError: AND mixed with OR at one level (the message shows both
readings), a query that can only match by absence (`NOT Iran`, `Iran OR NOT Iraq`), NEAR chains,
nested field scopes, misplaced wildcards, empty groups, stray operators and parentheses.
`sources>=N` (a condition on the story) must be required alongside words: never alone, never
an OR alternative, never under NOT or a field scope or NEAR, and N at least 2 (every story has
one source).
"""

from __future__ import annotations

import dataclasses
from typing import NoReturn

from watcher.errors import QuerySyntaxError
from watcher.query import lexer as lx
from watcher.query.ast import And, Field, Near, Node, Not, Or, Phrase, Sources, Term, unparse
from watcher.query.text import tokenize

MIN_PREFIX = 3  # letters before `*`: shorter prefixes match a large part of the dictionary
MAX_DEPTH = 40  # nested parentheses; far beyond any real query, well within Python's stack
_PRIMARY_START = (lx.WORD, lx.PHRASE, lx.LPAREN, lx.EXACT, lx.FIELD, lx.SOURCES)
MIN_SOURCES = 2  # sources>=1 holds for every story
_UNARY_START = (*_PRIMARY_START, lx.NOT)


def parse(query: str) -> Node:
    """The AST of `query`; raises QuerySyntaxError pointing at the problem."""
    return _Parser(query).parse()


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = lx.lex(query)
        self.i = 0
        self.depth = 0

    def fail(self, message: str, start: int, end: int | None = None, hint: str = "") -> NoReturn:
        raise QuerySyntaxError(message, self.query, start, end, hint)

    def peek(self) -> lx.Token:
        return self.tokens[self.i]

    def take(self) -> lx.Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def parse(self) -> Node:
        if self.peek().kind == lx.EOF:
            self.fail("the query is empty", 0, 0, "e.g. Iran AND Pakistan")
        node = self.expr(in_field=False)
        extra = self.peek()
        if extra.kind == lx.RPAREN:
            self.fail("this `)` has no matching `(`", extra.start, extra.end)
        _check_sources(self.query, node)
        _check_positive(self.query, node)
        return node

    # -- levels ------------------------------------------------------------------------------

    def expr(self, in_field: bool) -> Node:
        operands = [self.unary(in_field)]
        ops: list[tuple[str, int, int]] = []  # (AND | OR, span of the operator or the gap)
        while True:
            token = self.peek()
            if token.kind in (lx.AND, lx.OR):
                self.take()
                self.expect_operand(token, "on its right")
                ops.append((token.kind, token.start, token.end))
            elif token.kind in _UNARY_START:
                ops.append((lx.AND, token.start, token.start))  # juxtaposition means AND
            elif token.kind == lx.NEAR:
                self.fail(
                    "NEAR joins exactly two terms",
                    token.start,
                    token.end,
                    "for three words close together write (a NEAR b) AND (b NEAR c)",
                )
            else:
                break
            operands.append(self.unary(in_field))
        if not ops:
            return operands[0]
        if len({kind for kind, _, _ in ops}) > 1:
            self.mixed(operands, ops)
        span = (operands[0].span[0], operands[-1].span[1])
        return (And if ops[0][0] == lx.AND else Or)(tuple(operands), span=span)

    def unary(self, in_field: bool) -> Node:
        token = self.peek()
        if token.kind == lx.NOT:
            self.take()
            if self.peek().kind == lx.NOT:
                nxt = self.peek()
                self.fail("NOT NOT cancels out", token.start, nxt.end, "remove both NOTs")
            self.expect_operand(token, "after it")
            child = self.unary(in_field)
            return Not(child, span=(token.start, child.span[1]))
        if token.kind in (lx.AND, lx.OR, lx.NEAR):
            self.fail(f"`{token.text}` needs something on its left", token.start, token.end)
        return self.near(in_field)

    def near(self, in_field: bool) -> Node:
        left = self.primary(in_field)
        token = self.peek()
        if token.kind != lx.NEAR:
            return left
        self.take()
        if self.peek().kind not in _PRIMARY_START:
            self.fail("NEAR needs a term on its right", token.start, token.end)
        right = self.primary(in_field)
        for side in (left, right):
            self.check_near_side(side)
        return Near(left, right, token.distance, span=(left.span[0], right.span[1]))

    def primary(self, in_field: bool) -> Node:
        token = self.take()
        if token.kind == lx.FIELD:
            return self.field(token, in_field)
        if token.kind == lx.LPAREN:
            return self.group(token, in_field)
        if token.kind == lx.EXACT:
            nxt = self.take()
            if nxt.kind not in (lx.WORD, lx.PHRASE) or nxt.start != token.end:
                self.fail(
                    "`=` must be followed directly by a word or a phrase",
                    token.start,
                    token.end,
                    'e.g. =Iran or ="Islamic Republic"',
                )
            leaf = self.leaf(nxt, exact=True)
            return dataclasses.replace(leaf, span=(token.start, leaf.span[1]))
        if token.kind in (lx.WORD, lx.PHRASE):
            return self.leaf(token, exact=False)
        if token.kind == lx.SOURCES:
            return self.sources(token, in_field)
        if token.kind == lx.RPAREN:
            self.fail("this `)` has no matching `(`", token.start, token.end)
        self.fail("the query ends where a term was expected", token.start, token.end)

    def field(self, token: lx.Token, in_field: bool) -> Node:
        if in_field:
            self.fail(
                f"`{token.text}:` inside another field scope",
                token.start,
                token.end,
                "a term can only be looked for in one field",
            )
        if self.peek().kind not in _PRIMARY_START or self.peek().kind == lx.FIELD:
            self.fail(
                f"`{token.text}:` needs a term, a phrase or a (group) after it",
                token.start,
                token.end,
                f"e.g. {token.text}:Iran",
            )
        child = self.primary(in_field=True)
        return Field(token.text, child, span=(token.start, child.span[1]))

    def group(self, open_: lx.Token, in_field: bool) -> Node:
        if self.peek().kind == lx.RPAREN:
            self.fail("empty parentheses", open_.start, self.peek().end)
        if self.peek().kind == lx.EOF:
            self.fail("this `(` is never closed", open_.start, open_.end)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"more than {MAX_DEPTH} parentheses inside each other", open_.start)
        inner = self.expr(in_field)
        self.depth -= 1
        close = self.take()
        if close.kind != lx.RPAREN:
            self.fail("this `(` is never closed", open_.start, open_.end)
        # The span includes the parentheses, so error messages can quote the group as written.
        return dataclasses.replace(inner, span=(open_.start, close.end))

    def sources(self, token: lx.Token, in_field: bool) -> Sources:
        at_least = token.distance or 0
        if in_field:
            self.fail(
                f"`{token.text}` counts the story's sources; it cannot be scoped to a field",
                token.start,
                token.end,
                "put it outside the field: title:Iran AND sources>=3",
            )
        if at_least < MIN_SOURCES:
            self.fail(
                f"`{token.text}` holds for every story: each has at least one source",
                token.start,
                token.end,
                f"use sources>={MIN_SOURCES} or more, or leave it out",
            )
        return Sources(at_least, span=(token.start, token.end))

    # -- leaves ------------------------------------------------------------------------------

    def leaf(self, token: lx.Token, exact: bool) -> Term | Phrase:
        span = (token.start, token.end)
        if token.kind == lx.WORD:
            if token.text.startswith("-"):
                self.fail(
                    "a leading `-` does not exclude a word",
                    token.start,
                    token.start + 1,
                    f"write NOT {token.text[1:] or 'Iran'}",
                )
            self.check_word(token.text, token.start, star_ok=True)
            if not tokenize(token.text).folded:
                self.fail(f"`{token.text}` has no letters or digits to match", *span)
            return Term(token.text, exact, span=span)
        words = tuple(w for w, _ in token.words)
        for k, (word, start) in enumerate(token.words):
            self.check_word(word, start, star_ok=k == len(words) - 1)
        if not tokenize(" ".join(words)).folded:
            self.fail("this phrase has no letters or digits to match", *span)
        return Phrase(words, exact, span=span)

    def check_word(self, word: str, start: int, star_ok: bool) -> None:
        star = word.find("*")
        if star < 0:
            return
        at = start + star
        if star != len(word) - 1:
            self.fail("`*` can only end a word", at, at + 1, "e.g. sanction* for sanctions")
        if not star_ok:
            self.fail("only the last word of a phrase can end in `*`", at, at + 1)
        stem = tokenize(word[:-1])
        if not word[-2:-1].isalnum() or not stem.folded:
            self.fail("`*` must follow a letter or digit", at, at + 1)
        if len(stem.folded[-1]) < MIN_PREFIX:
            self.fail(
                f"a prefix needs at least {MIN_PREFIX} letters before `*`",
                start,
                at + 1,
                "a short prefix matches far too many words",
            )

    # -- checks ------------------------------------------------------------------------------

    def expect_operand(self, operator: lx.Token, where: str) -> None:
        nxt = self.peek()
        if nxt.kind in (lx.EOF, lx.RPAREN):
            self.fail(f"`{operator.text}` needs something {where}", operator.start, operator.end)
        if nxt.kind in (lx.AND, lx.OR, lx.NEAR):
            self.fail(f"`{nxt.text}` right after `{operator.text}`", nxt.start, nxt.end)

    def check_near_side(self, side: Node) -> None:
        if isinstance(side, Term | Phrase):
            return
        if isinstance(side, Or):
            for child in side.children:
                self.check_near_side(child)
            return
        hint = ""
        if isinstance(side, Sources):
            hint = "sources>=N is not a word; write (a NEAR b) AND sources>=3"
        if isinstance(side, Field):
            hint = f"put the field before the whole NEAR: {side.name}:(a NEAR b)"
        self.fail("NEAR joins terms, phrases or (x OR y) groups", *side.span, hint=hint)

    def grouped(self, whole: tuple[int, int], start: int, end: int) -> str:
        """The text of `whole` with a group around [start, end), on one line."""
        q = self.query
        text = q[whole[0] : start] + "(" + q[start:end] + ")" + q[end : whole[1]]
        return " ".join(text.split())

    def mixed(self, operands: list[Node], ops: list[tuple[str, int, int]]) -> NoReturn:
        k = next(i for i in range(len(ops) - 1) if ops[i][0] != ops[i + 1][0])
        run_end = k + 1
        while run_end + 1 < len(ops) and ops[run_end + 1][0] == ops[k + 1][0]:
            run_end += 1
        whole = (operands[0].span[0], operands[-1].span[1])
        first = self.grouped(whole, operands[0].span[0], operands[k + 1].span[1])
        second = self.grouped(whole, operands[k + 1].span[0], operands[run_end + 1].span[1])
        _, start, end = ops[k + 1]
        implicit = (
            " (a space between terms means AND)" if start == end or ops[k][1] == ops[k][2] else ""
        )
        self.fail(
            f"AND and OR mixed without parentheses{implicit}: this reads as either "
            f"`{first}` or `{second}`",
            start,
            max(end, start + 1),
            "add parentheses to say which one you mean",
        )


def _check_sources(query: str, root: Node) -> None:
    """`sources>=N` only narrows what words matched: refuse it where it would stand alone."""
    found = _misplaced_sources(root, under_not=False)
    if found is None:
        return
    node, message, hint = found
    raise QuerySyntaxError(message, query, node.span[0], node.span[1], hint)


def _misplaced_sources(node: Node, under_not: bool) -> tuple[Node, str, str] | None:
    if isinstance(node, Sources):
        if under_not:
            return (
                node,
                "NOT sources>=N would match a story only while few outlets report it",
                "a rule tells when a story spreads; drop the NOT, or the condition",
            )
        return (
            node,
            f"`{unparse(node)}` alone matches every story that spreads, whatever it is about",
            f"add the words it is about, e.g. Iran AND {unparse(node)}",
        )
    if isinstance(node, Not):
        return _misplaced_sources(node.child, under_not=True)
    if not isinstance(node, And | Or):
        return None  # the parser refuses sources>=N inside a field scope or NEAR itself
    alone = all(isinstance(c, Sources) for c in node.children)
    for child in node.children:
        if isinstance(child, Sources) and isinstance(node, Or) and not under_not:
            return (
                child,
                "sources>=N as an OR alternative matches every story that spreads",
                "require it alongside the words: (Iran OR Iraq) AND sources>=3",
            )
        if isinstance(child, Sources) and not (under_not or alone):
            continue  # required alongside words: its place
        found = _misplaced_sources(child, under_not)
        if found is not None:
            return found
    return None


def _check_positive(query: str, root: Node) -> None:
    found = _culprit(root)
    if found is None:
        return
    node, in_or = found
    if in_or:
        message = "an OR alternative that only excludes words matches almost every item"
    else:
        message = "this query only excludes words, so it would match almost every item"
    raise QuerySyntaxError(
        message,
        query,
        node.span[0],
        node.span[1],
        "add a word the item must contain, e.g. Iran AND NOT Iraq",
    )


def _culprit(node: Node, in_or: bool = False) -> tuple[Node, bool] | None:
    """The part that makes `node` able to match by absence alone, if any."""
    if isinstance(node, Not | Sources):
        return node, in_or
    if isinstance(node, Field):
        return _culprit(node.child, in_or)
    if isinstance(node, And):
        if all(_culprit(c) is not None for c in node.children):
            return node, in_or
        return None
    if isinstance(node, Or):
        for child in node.children:
            found = _culprit(child, in_or=True)
            if found is not None:
                return found
    return None
