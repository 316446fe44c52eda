"""What a "word" is, for queries and documents alike: tokenization, case and accent folding.

Both sides go through `tokenize`, so a query word and a text word agree by construction:
- a word is a run of letters and digits (any script); hyphens, dashes, dots, slashes and
  apostrophes separate words, so "Gabd-Rimdan" is the two words gabd, rimdan;
- a possessive 's / ’s / ʼs after a word is dropped ("Iran’s" is the word Iran);
- folding lower-cases, strips accents (São -> sao) and spells out a few letters that have no
  decomposition (ø, ł, æ, ß, ...), so equality of folded forms is case- and accent-blind;
- `upper` keeps whether the word was written in capitals, for ALL-CAPS query terms (UN, US).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A word: letters/digits, with combining accents allowed after the first character (text in NFD
# form, e.g. "Sa\u0303o"), optionally followed by a possessive 's that is not part of the word.
_WORD = re.compile(r"([^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*)(?:['’ʼ][sS](?![^\W_]))?")

# Letters NFKD leaves alone but a desk would consider the same as their plain look-alikes.
_SPELL_OUT = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ı": "i", "ħ": "h",
    }
)  # fmt: skip

# The fast paths of `folded_text` and `word_texts`, for ASCII text (nine news texts in ten):
# byte tables that make every character but a letter or digit a space, and lower-case, in C.
_ASCII_SPLIT = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(128)
_ASCII_FOLD = _ASCII_SPLIT.lower()
# A possessive 's, as _WORD drops it: after a letter or digit, not before one. The lookbehind
# follows the quote so the regex engine can jump from quote to quote.
_ASCII_POSSESSIVE = re.compile(r"'(?<=[A-Za-z0-9]')[sS](?![A-Za-z0-9])")
# Non-ASCII characters common in otherwise ASCII copy that are not part of any word: quotes,
# dashes, ellipsis, bullet, no-break space. The typographic apostrophe acts as "'" does.
_PUNCTUATION = str.maketrans(dict.fromkeys("“”‘—–…•«»\u00a0", " ") | {"’": "'"})


def fold(word: str) -> str:
    """The case- and accent-blind form of one word (its letters and digits only)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(_SPELL_OUT).casefold())
    return "".join(c for c in decomposed if c.isalnum())


def is_capitals(text: str) -> bool:
    """Written in capitals: at least two letters and every cased letter upper-case (UN, U.S.)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and "".join(letters).isupper()


@dataclass(frozen=True, slots=True)
class Words:
    """The words of one text: folded forms, capitals flags and character spans into `text`."""

    text: str
    folded: tuple[str, ...]
    upper: tuple[bool, ...]
    spans: tuple[tuple[int, int], ...]

    def __len__(self) -> int:
        return len(self.folded)


def tokenize(text: str) -> Words:
    """Split `text` into words (see the module docstring for what counts as one)."""
    folded: list[str] = []
    upper: list[bool] = []
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group(1)
        f = fold(word)
        if not f:
            continue
        folded.append(f)
        upper.append(word.isupper())
        spans.append(m.span(1))
    return Words(text, tuple(folded), tuple(upper), tuple(spans))


def raw_words(text: str) -> list[str]:
    """The original spellings of the words of `text`, before dropping those that fold to
    nothing (rare: a lone combining mark); the fast path of the index starts here."""
    return _WORD.findall(text)


def _plain(text: str) -> str | None:
    """`text` as ASCII without its possessives, for the fast paths; None when they cannot
    take it (letters beyond ASCII, or "'s's", after which _WORD takes the second s as a word)."""
    if not text.isascii():
        text = text.translate(_PUNCTUATION)  # "Iran’s “deal”" is ASCII text for _WORD
        if not text.isascii():
            return None
    if "'" in text:
        if "'s'" in text or "'S'" in text:
            return None
        text = _ASCII_POSSESSIVE.sub("", text)
    return text


def folded_text(text: str) -> str:
    """The folded words of `text` joined by single spaces (the text the index scans)."""
    plain = _plain(text)
    if plain is None:
        return " ".join(f for w in raw_words(text) if (f := fold(w)))
    return b" ".join(plain.encode().translate(_ASCII_FOLD).split()).decode()


def word_spans(text: str) -> list[tuple[int, int]]:
    """The character spans of the words of `text` (the same words `tokenize` finds)."""
    if text.isascii():
        return [m.span(1) for m in _WORD.finditer(text)]
    return [m.span(1) for m in _WORD.finditer(text) if fold(m.group(1))]


def word_texts(text: str) -> list[str]:
    """The original spellings of the words of `text` (possessives dropped)."""
    plain = _plain(text)
    if plain is None:
        return [m.group(1) for m in _WORD.finditer(text) if fold(m.group(1))]
    return plain.encode().translate(_ASCII_SPLIT).decode().split()
