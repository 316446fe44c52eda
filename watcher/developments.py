"""Which new report of an alerted story is a *development*, told to the desk as a follow-up.

A report that joins a story already alerted on a channel is normally a corroborating source:
the alert is edited to list it, and chat apps do not notify for edits. It is a development,
and also reaches the desk as a reply to the alert, when either

1. it makes the story match a rule of that channel's alert that the story had not matched
   before (the alert says "Rules: a"; this report brings rule b), or
2. it arrives at least `DEVELOPMENT_AFTER` (2 h) after the alert was raised, and its headline
   carries a name or a figure that neither the alert's headline nor an earlier follow-up's
   headline had.

A *figure* is a number written in digits ("12", "3.5", "1,200"). A *name* is a word written
with a capital that is not there because of the headline's style: an acronym ("UN", "NATO"),
or a capitalised word after the first in a sentence-case headline ("... in Texas injures 12"),
or, in a Title Case headline (most words capitalised) and for the first word, a word the
report's own text also writes with a capital inside a sentence. Words are compared folded
(case, accents, a possessive "'s"); a name also counts as known when a known word of four
letters or more begins the same way for five letters ("Pakistani" after "Pakistan").

Pure: the decision is a function of the texts, the rules and the times it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["DEVELOPMENT_AFTER", "Development", "decide", "headline_news"]

DEVELOPMENT_AFTER = timedelta(hours=2)  # new names and figures count this long after the alert
TITLE_CASE_SHARE = 0.8  # of a headline's words of 4+ letters capitalised: its style, not names
_PREFIX = 5  # letters a name shares with a known word to count as known ("Iranian" ~ "Iran")

_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’.-](?=[^\W\d_]))*|\d+(?:[.,]\d+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")


@dataclass(frozen=True, slots=True)
class Development:
    """Why a report is a development: rules it brings, and names or figures it brings."""

    rules: tuple[str, ...] = ()
    news: tuple[str, ...] = ()


def decide(
    *,
    title: str,
    text: str,
    new_rules: Iterable[str],
    known_titles: Sequence[str],
    alerted_at: datetime,
    now: datetime,
    after: timedelta = DEVELOPMENT_AFTER,
) -> Development | None:
    """The development a report is for one alert, or None when it is a corroborating source.

    `new_rules`: the channel's rules the report matches that the alert did not list yet.
    `known_titles`: the alert's headline and its earlier follow-ups' headlines.
    """
    rules = tuple(dict.fromkeys(new_rules))
    news = headline_news(title, text, known_titles) if now - alerted_at >= after else ()
    if not rules and not news:
        return None
    return Development(rules=rules, news=news)


def headline_news(title: str, text: str, known_titles: Sequence[str]) -> tuple[str, ...]:
    """The names and figures of `title` (as written) that no headline in `known_titles` had."""
    known = {_fold(word) for known in known_titles for word in _words(known)}
    stems = {word[:_PREFIX] for word in known if len(word) >= 4 and not word[0].isdigit()}
    fresh: dict[str, str] = {}
    for word in names_and_figures(title, text):
        folded = _fold(word)
        if folded in known or folded in fresh:
            continue
        if not folded[0].isdigit() and len(folded) >= 4 and folded[:_PREFIX] in stems:
            continue
        fresh[folded] = word
    return tuple(fresh.values())


def names_and_figures(title: str, text: str) -> list[str]:
    """The words of `title` that are names or figures (see the module's docstring)."""
    words = _words(title)
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    capitals = sum(1 for w in long_words if w[0].isupper())
    styled = bool(long_words) and capitals / len(long_words) >= TITLE_CASE_SHARE
    shouting = bool(long_words) and all(w.isupper() for w in long_words)
    in_text: set[str] | None = None
    found: list[str] = []
    for position, word in enumerate(words):
        if word[0].isdigit():
            found.append(word)  # compared folded: "1,200" is "1200"
            continue
        if not word[0].isupper():
            continue
        acronym = word.isupper() and len(word) >= 2 and not shouting
        if acronym or (position > 0 and not styled):
            found.append(word)
            continue
        if in_text is None:
            in_text = _capitalised_inside_sentences(text)
        if _fold(word) in in_text:
            found.append(word)
    return found


def _words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", m.group()) for m in _WORD.finditer(text)]


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(",", "")


def _capitalised_inside_sentences(text: str) -> set[str]:
    """Folded words `text` writes with a capital where a sentence does not begin."""
    found: set[str] = set()
    last_end = 0
    sentence_start = True
    for match in _WORD.finditer(text):
        between = text[last_end : match.start()]
        if _SENTENCE_END.search(between) or "\n" in between:
            sentence_start = True
        word = match.group()
        if word[0].isupper() and not sentence_start:
            found.add(_fold(_POSSESSIVE.sub("", word)))
        sentence_start = False
        last_end = match.end()
    return found
