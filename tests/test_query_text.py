"""The fast paths of query/text.py find exactly the words the _WORD regex finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.query.text import fold, folded_text, raw_words, tokenize, word_texts

# Characters that decide where words start and end: possessive quotes (ASCII, typographic and
# the modifier letter, which is a letter), the punctuation the fast path maps to spaces, a
# combining accent, an underscore, and letters outside ASCII.
ALPHABET = "aSs1Z '’ʼ_-.“”‘—–…•«»\u00a0\u0301éøß\n"
CHUNKS = ["'s", "'S", "’s", "'s'", "s's", "Iran", "UN", " ", "x'", "'", "O'Brien", "it's"]


def reference_words(text: str) -> list[str]:
    """What the general path finds: each regex word that folds to something."""
    return [w for w in raw_words(text) if fold(w)]


texts = st.one_of(
    st.text(alphabet=ALPHABET, max_size=40),
    st.lists(st.sampled_from(CHUNKS + list(ALPHABET)), max_size=20).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_word_texts_and_folded_text_agree_with_the_regex(text: str) -> None:
    words = reference_words(text)
    assert word_texts(text) == words
    assert folded_text(text) == " ".join(fold(w) for w in words)
    assert folded_text(text) == " ".join(tokenize(text).folded)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Iran's deal", ["Iran", "deal"]),
        ("Iran’s “deal” — done…", ["Iran", "deal", "done"]),
        ("it's 'sanctions'", ["it", "sanctions"]),
        ("a's's", ["a", "s"]),  # the second 's follows a possessive, not a word: a word itself
        ("Iran'sx", ["Iran", "sx"]),
        ("x 's y", ["x", "s", "y"]),
        ("Iranʼs", ["Iranʼs"]),  # the modifier apostrophe is a letter
        ("São\u00a0Paulo", ["São", "Paulo"]),
        ("snake_case", ["snake", "case"]),
    ],
)
def test_words_of_typical_copy(text: str, words: list[str]) -> None:
    assert word_texts(text) == words
    assert folded_text(text) == " ".join(fold(w) for w in words)


def test_punctuation_mapped_to_spaces_is_never_part_of_a_word() -> None:
    # The fast path treats these as spaces: they must not be word characters, nor accents
    # that extend a word, for the regex either.
    for char in "“”‘—–…•«»\u00a0’":
        assert not re.fullmatch(r"[^\W_]|[\u0300-\u036f]", char)
