"""Headline conventions that say how a report is sent, not what happened, for similarity.py.

Wires, breaking feeds, live pages and digests mark their headlines the same way whatever the
news: "UPDATE 1-Lithuanian prime minister resigns ...", "RUGBY-Ireland hold on to beat ...",
"JUST IN: Lithuania PM steps down", "LIVE | Cyclone ...", "Opinion: ...", and a digest's
"... #Lithuania #Politics". Read as words, their capitals are names ("UPDATE", "JUST", "LIVE"
are acronyms; "Developing" the headline's subject) that the other outlet's report of the same
event never writes: a name conflict, two stories for one event.

* **bare** — the headline without such a head. The heads are a fixed table of well-known
  conventions, not learned (a headline-only feed may send one such headline in a day, and
  boilerplate.py learns a feed's own recurring heads and credits from many):
  - a wire's marker or desk slug in capitals, hyphened onto the headline ("UPDATE 2-",
    "RPT-", "CORRECTED-", "EXCLUSIVE-", "RUGBY-", "TENNIS-", "GLOBAL MARKETS-"), one or a
    chain of them ("REFILE-UPDATE 1-"). Only these words: a capital hyphened onto a headline
    is as often a name ("US-China trade talks", "COVID-19 cases", "ABS-CBN", "PDP-Laban": the
    rss-headlines snapshots have all four);
  - a breaking, live, format or kind label, in any case, before a colon, a bar or a spaced
    dash ("JUST IN: ", "Developing: ", "BREAKING NEWS | ", "LIVE | ", "Live updates: ",
    "WATCH: ", "VIDEO - ", "Opinion | ", "Analysis: ", "ICYMI: "). A topic before such a
    separator ("Covid-19 | ", "Kerala floods | ", "Coronavirus: ") is no label and stays.
  A headline that is only a head, or whose rest is in capitals (a shouted headline whose
  first word happens to be one of them), keeps it.
* **hashtags** — where a digest's trailing hashtags start ("... coalition split #Lithuania
  #Politics"), and their words, which similarity.features reads as a tag: terms, no names.

Rule matching does not go through here: a desk's `title:breaking` or `title:live` rule still
sees the headline as the feed gave it (its credits learned by boilerplate.py left out).

Pure functions of the text; nothing here keeps state.
"""

from __future__ import annotations

import re

_WIRE_WORDS = r"""
UPDATE(?:\ \d{1,2})? | WRAPUP(?:\ \d{1,2})? | RPT | REFILE | CORRECTED | CORRECTION | EXCLUSIVE
| INSIGHT | ANALYSIS | FACTBOX | EXPLAINER | BREAKINGVIEWS | COLUMN | GRAPHIC | INTERVIEW
| PREVIEW | TIMELINE | BRIEF | SNAP\ ANALYSIS | SPECIAL\ REPORT | FEATURE
| RUGBY(?:\ UNION|\ LEAGUE)? | TENNIS | SOCCER | FOOTBALL | GOLF | CRICKET | MOTOR\ RACING
| MOTORCYCLING | CYCLING | ATHLETICS | OLYMPICS | BASKETBALL | BASEBALL | BOXING | SWIMMING
| (?:ALPINE\ )?SKIING | SAILING | HORSE\ RACING | ICE\ HOCKEY
| (?:GLOBAL\ |EMERGING\ )?MARKETS | FOREX | OIL | GOLD | METALS | GRAINS
"""
# A chain of wire markers and slugs, each hyphened on (a space either side at most), before the
# headline's first letter, digit or quote.
_WIRE = re.compile(rf"(?:(?:{_WIRE_WORDS})\ ?-\ ?)+(?=[^\W_]|['\"‘“])", re.VERBOSE)
_LABEL_WORDS = r"""
just\ in | breaking(?:\ news)? | developing(?:\ story)? | urgent | latest
| updated? (?:\ \d{1,2})? | live(?:\ updates?|\ blog|\ coverage|\ now)? | watch(?:\ live)?
| videos? | photos? | in\ pictures | listen | podcast | exclusive | opinion | analysis
| explainer | comment | editorial | fact\ ?check | factbox | icymi | full\ text
"""
_LABEL = re.compile(rf"(?i:{_LABEL_WORDS})(?::\s+|\s+[|–—-]\s+)", re.VERBOSE)
_HEADS = 3  # heads taken off one headline at most ("BREAKING: UPDATE 1-...")
_LOWER = re.compile(r"[a-z]")
_HASHTAGS = re.compile(r"(?<=\s)(?:#[^\W\d_]\w*\s*)+$")
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


# A live page: "Live: ...", "LIVE | ...", "Covid-19 live: ...", "Live Covid-19 updates: ...",
# "Silver Ferns v England live - first test", "... live blog". Not "Live Nation", "lives", "to
# watch it live" (no label): a page the outlet tops again with each development of the day.
_LIVE = re.compile(
    r"\blive(?:\ (?:updates?|blog|coverage))?\ ?(?::|\||\ [–—-]\ )"
    r"|\blive\ (?:[\w-]+\ ){0,2}updates?\b|\blive\ blog\b",
    re.IGNORECASE | re.VERBOSE,
)


def live_page(title: str) -> bool:
    """Is `title` a live page's, a rolling page of a day's many developments? (similarity.py
    keeps it per report: stories.py reads no live page as a bridge to a story.)"""
    return ("live" in title or "LIVE" in title or "Live" in title) and (
        _LIVE.search(title) is not None
    )


def bare(title: str) -> str:
    """`title` without its wire, breaking, live or label heads (see the module docstring)."""
    if not title or (title[0] not in _CAPITALS and not title[0].islower()):
        return title  # a quote, a figure, a bracket: no head of the table starts so
    for _ in range(_HEADS):
        found = _WIRE.match(title) or _LABEL.match(title)
        if found is None:
            break
        rest = title[found.end() :]
        if _LOWER.search(rest) is None:  # nothing left, or a shouted headline: no head
            break
        if rest[:1].islower():  # "GOLD-medal ...": a wire's headline starts with a capital
            break
        title = rest
    return title


def hashtags(title: str) -> tuple[int, list[str]]:
    """Where a run of hashtags ending `title` starts, and their words ((0, []) without one):
    "Lithuania's government falls as premier quits #Lithuania #Politics"."""
    if "#" not in title:
        return 0, []
    found = _HASHTAGS.search(title)
    if found is None:
        return 0, []
    return found.start(), found.group().replace("#", " ").split()
