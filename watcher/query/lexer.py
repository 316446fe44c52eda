"""Query text -> tokens, each with its span in the query, so every error can point at a column.

Operators are the upper-case words AND, OR, NOT, NEAR and NEAR/n; anything else between white
space, parentheses and quotes is a word. `title:` (any known field, any case) directly before a
word, phrase or parenthesis scopes it; a leading `=` marks an exact word (no entity aliases).
Straight and typographic double quotes (" “ ” „) both delimit phrases. `sources>=N` (any case,
one word) is a condition on the item's story: N distinct feeds have reported it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from watcher.errors import QuerySyntaxError
from watcher.query.values import FIELDS

QUOTES = '"“”„'
MAX_NEAR = 100  # beyond this a proximity search is no longer "near"
_NEAR = re.compile(r"NEAR/(\d+)")
_FIELD = re.compile(r"([A-Za-z]+):")
_PHRASE_WORD = re.compile(r"\S+")
_SOURCES = re.compile(r"sources>=(\d{1,4})", re.IGNORECASE)
_SOURCES_LIKE = re.compile(r"sources[<>=]", re.IGNORECASE)

# Token kinds
WORD, PHRASE, LPAREN, RPAREN, AND, OR, NOT, NEAR, FIELD, EXACT, SOURCES, EOF = (
    "word",
    "phrase",
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "field",
    "=",
    "sources",
    "end",
)
_OPERATORS = {"AND": AND, "OR": OR, "NOT": NOT, "NEAR": NEAR}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str  # as written; FIELD: the field name in lower case
    start: int
    end: int
    words: tuple[tuple[str, int], ...] = ()  # PHRASE: each word and its offset in the query
    distance: int | None = None  # NEAR/n; SOURCES: N of sources>=N


def lex(query: str) -> list[Token]:
    """Every token of `query`, ending with an EOF token; raises QuerySyntaxError."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(Token(LPAREN if c == "(" else RPAREN, c, i, i + 1))
            i += 1
        elif c in QUOTES:
            tokens.append(_phrase(query, i))
            i = tokens[-1].end
        elif c == "=":
            tokens.append(Token(EXACT, c, i, i + 1))
            i += 1
        else:
            token = _word(query, i)
            tokens.append(token)
            i = token.end
    tokens.append(Token(EOF, "", n, n))
    return tokens


def _phrase(query: str, start: int) -> Token:
    close = next((j for j in range(start + 1, len(query)) if query[j] in QUOTES), -1)
    if close < 0:
        _fail(
            query,
            "this quote is never closed",
            start,
            start + 1,
            'a phrase needs a closing quote: "human rights"',
        )
    words = tuple((m.group(), m.start()) for m in _PHRASE_WORD.finditer(query, start + 1, close))
    return Token(PHRASE, query[start : close + 1], start, close + 1, words=words)


def _word(query: str, start: int) -> Token:
    j = start
    while j < len(query) and not query[j].isspace() and query[j] not in "()" + QUOTES:
        j += 1
    word = query[start:j]
    if _SOURCES_LIKE.match(word):
        return _sources(query, word, start, j)
    field = _FIELD.match(word)
    if field and field.group(1).lower() in FIELDS:
        end = start + field.end()
        return Token(FIELD, field.group(1).lower(), start, end)
    if word in _OPERATORS:
        return Token(_OPERATORS[word], word, start, j)
    if word.startswith("NEAR/"):
        return _near(query, word, start, j)
    colon = word.find(":")
    if colon >= 0:
        _fail(
            query,
            f"`{word[: colon + 1]}` is not a field",
            start + colon,
            start + colon + 1,
            f"fields are {', '.join(f + ':' for f in FIELDS)}; to match text with a colon, "
            f'quote it: "{word}"',
        )
    return Token(WORD, word, start, j)


def _near(query: str, word: str, start: int, end: int) -> Token:
    m = _NEAR.fullmatch(word)
    if not m:
        _fail(
            query,
            "NEAR/ must be followed by a number of words",
            start,
            end,
            "e.g. Iran NEAR/5 sanctions",
        )
    distance = int(m.group(1))
    if distance > MAX_NEAR:
        _fail(
            query,
            f"NEAR/{distance} is too far apart to mean near (at most NEAR/{MAX_NEAR})",
            start,
            end,
        )
    return Token(NEAR, word, start, end, distance=distance)


def _sources(query: str, word: str, start: int, end: int) -> Token:
    m = _SOURCES.fullmatch(word)
    if not m:
        _fail(
            query,
            f"`{word}` is not a story condition",
            start,
            end,
            "write sources>=N with a whole number of at most 4 digits, e.g. sources>=3",
        )
    return Token(SOURCES, word, start, end, distance=int(m.group(1)))


def _fail(query: str, message: str, start: int, end: int, hint: str = "") -> NoReturn:
    raise QuerySyntaxError(message, query, start, end, hint)
