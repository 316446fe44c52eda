"""Which new report of an alerted story is a *development*, told to the desk as a follow-up.

A report that joins a story already alerted on a channel is normally a corroborating source:
the alert is edited to list it, and chat apps do not notify for edits. It is a development,
and also reaches the desk as a reply to the alert, when either

1. it makes the story match a rule of that channel's alert that the story had not matched
   before (the alert says "Rules: a"; this report brings rule b), or
2. it arrives at least `DEVELOPMENT_AFTER` (2 h) after the alert was raised, and its headline
   carries a name or a figure that the alert did not show (its headline and snippet) and no
   earlier follow-up's headline had.

A *figure* is a number written in digits ("12", "3.5", "1,200"), not a day of a month
("September 20"). A *name* is a word written with a capital that is not there because of the
headline's style: an acronym ("UN", "NATO"), or a capitalised word inside a sentence of a
sentence-case headline ("... in Texas injures 12"), or, in a Title Case headline (most words
capitalised) and for a word opening the headline or a part of it (after ":", "?", "|", " - ",
a quote), a word the report's own text also writes with a capital inside a sentence. Small
function words ("The", "What", "We"), weekdays and months are never names. Words are compared
folded (case, accents, a possessive "'s"; "Pro-Putin" also knows "Putin", and "Dar-Araghchi"
is known once "Dar" and "Araghchi" are); a name also counts as known when a known word of four
letters or more begins the same way for five letters ("Pakistani" after "Pakistan").

Pure: the decision is a function of the texts, the rules and the times it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["DEVELOPMENT_AFTER", "SHOWN_TEXT", "Development", "decide", "headline_news"]

DEVELOPMENT_AFTER = timedelta(hours=2)  # new names and figures count this long after the alert
SHOWN_TEXT = 280  # characters of the alerted report's text its snippet shows (render.py)
TITLE_CASE_SHARE = 0.8  # of a headline's words of 4+ letters capitalised: its style, not names
_PREFIX = 5  # letters a name shares with a known word to count as known ("Iranian" ~ "Iran")

# A word (letters, inner apostrophes, dots and hyphens, a "-19" after letters) or a number.
_WORD = re.compile(r"[^\W\d_](?:[^\W_]|['’.-](?=[^\W\d_])|-(?=\d))*|\d+(?:[.,]\d+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# What ends a sentence in a text, or opens a part of a headline ("Covid-19: Man charged").
_BOUNDARY = re.compile(r"[.!?:;|\"“”‘«»]\s*$|\s[-–—]\s|[-–—]\s*$|^\s*['’]|\s['’]")
_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_SMALL_WORDS = (  # capitalised by position or by a headline's style, never names
    "monday tuesday wednesday thursday friday saturday sunday today tonight yesterday "
    "the a an this that these those there here what who whom whose which why how when where "
    "i we you he she it they me us him her them my our your his its their one some all any "
    "no not yes and or but if so as at by for from in into of on onto to up with after before "
    "over under out off new live watch breaking update updated exclusive opinion analysis "
    "will would can could should must may might shall is are was were be been has have had "
    "do does did"
)
_MONTHS = frozenset(_MONTH_WORDS.split())
_NOT_NAMES = _MONTHS | frozenset(_SMALL_WORDS.split())


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
    known: Sequence[str],
    alerted_at: datetime,
    now: datetime,
    after: timedelta = DEVELOPMENT_AFTER,
) -> Development | None:
    """The development a report is for one alert, or None when it is a corroborating source.

    `new_rules`: the channel's rules the report matches that the alert did not list yet.
    `known`: what the desk was told: the alert's headline and snippet, earlier follow-ups'
    headlines.
    """
    rules = tuple(dict.fromkeys(new_rules))
    news = headline_news(title, text, known) if now - alerted_at >= after else ()
    if not rules and not news:
        return None
    return Development(rules=rules, news=news)


def headline_news(title: str, text: str, known: Sequence[str]) -> tuple[str, ...]:
    """The names and figures of `title` (as written) that no text in `known` had."""
    words = {part for told in known for word in _words(told) for part in _parts(_fold(word))}
    stems = {word[:_PREFIX] for word in words if len(word) >= 4 and not word[0].isdigit()}

    def known_word(folded: str) -> bool:
        return folded in words or (
            not folded[0].isdigit() and len(folded) >= 4 and folded[:_PREFIX] in stems
        )

    fresh: dict[str, str] = {}
    for word in names_and_figures(title, text):
        folded = _fold(word)
        if folded in fresh or known_word(folded):
            continue
        parts = [p for p in folded.split("-") if p]
        if len(parts) > 1 and all(known_word(p) for p in parts):  # "Dar-Araghchi call"
            continue
        fresh[folded] = word
    return tuple(fresh.values())


def names_and_figures(title: str, text: str) -> list[str]:
    """The words of `title` that are names or figures (see the module's docstring)."""
    words = list(_sentence_words(title))
    long_words = [w for w, _ in words if len(w) >= 4 and w[0].isalpha()]
    capitals = sum(1 for w in long_words if w[0].isupper())
    styled = bool(long_words) and capitals / len(long_words) >= TITLE_CASE_SHARE
    shouting = bool(long_words) and all(w.isupper() for w in long_words)
    in_text: set[str] | None = None
    found: list[str] = []
    for position, (word, opens) in enumerate(words):
        if word[0].isdigit():
            if not _is_day_of_month(words, position):
                found.append(word)
            continue
        if not word[0].isupper() or _fold(word) in _NOT_NAMES:
            continue
        if (word.isupper() and len(word) >= 2 and not shouting) or not (opens or styled):
            found.append(word)
            continue
        if in_text is None:
            in_text = {
                _fold(w) for w, opens in _sentence_words(text) if w[0].isupper() and not opens
            }
        if _fold(word) in in_text:
            found.append(word)
    return found


def _sentence_words(text: str) -> Iterator[tuple[str, bool]]:
    """Each word of `text` (possessive dropped) and whether it opens a sentence or a part."""
    last_end = 0
    for match in _WORD.finditer(text):
        between = text[last_end : match.start()]
        opens = last_end == 0 or "\n" in between or _BOUNDARY.search(between) is not None
        last_end = match.end()
        yield _POSSESSIVE.sub("", match.group()), opens


def _is_day_of_month(words: Sequence[tuple[str, bool]], position: int) -> bool:
    near = [words[i][0] for i in (position - 1, position + 1) if 0 <= i < len(words)]
    return any(_fold(w) in _MONTHS for w in near)


def _words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", m.group()) for m in _WORD.finditer(text)]


def _parts(word: str) -> tuple[str, ...]:
    """A hyphenated word and its parts ("pro-putin": also "putin")."""
    return (word, *word.split("-")) if "-" in word else (word,)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(",", "")
