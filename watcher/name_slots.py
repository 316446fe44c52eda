"""Where a headline's names stand: the words next to each, so that two headlines' different
names can be told to stand in one slot ("Strike halts Port of Antwerp" / "... Port of
Rotterdam", "Man charged in Dayton stabbing" / "... in Toledo stabbing", "Zelensky meets Trump"
/ "Zelensky meets Macron") or to be extra details of one event ("Cuomo aides altered nursing
home data: WSJ" / "NY officials altered count of nursing home deaths").

A name's *contexts* are the nearest term before it and the nearest after it in its sentence
(stop words skipped, another name allowed: "Port" before "Antwerp"), and the nearest other name
before and after it ("Inter Miami beat Orlando" / "Inter Miami lose to Atlanta": each the first
name after "Miami", the opponent's slot). A context is packed with 16 bits of the name's term
id, so that a stored report's contexts can be narrowed to its names the other report lacks:
``name16 << 16 | context16``. Two headlines' names that each report lacks stand in one slot
when one of ours and one of theirs share a context: the same word, on the same side. Sixteen
bits for the name and fifteen for its context (the sixteenth tells the kind, below): two
different contexts agree once in 32,768, and then a veto stays that would have been lifted
(story_signals.py).

Every headline, with a lead or not, also keeps its names' *beside* contexts: the word right
next to a name, before or after it, when that word is written small and is no name ("Alcaraz
beats Zverev": "beats" after Alcaraz, before Zverev). Two headlines that fill two slots of one
template with other names ("Alcaraz beats Zverev to reach final" / "Djokovic beats Sinner to
reach final", "Fed's Powell meets Lagarde" ...) tell two events, whatever their leads share
(`two_slots`). Two small words of such templates are no terms and would leave a name without
its word: "v" is read as "vs" ("Arsenal v Chelsea" / "Liverpool v Everton"), and a "to" right
after the names a headline opens on is looked past ("Alcaraz to face Sinner": "face" after
Alcaraz, as in "Alcaraz faces Sinner"). Only the subject's: "... beats Medvedev to reach
final" gives Medvedev no "reach" (looking past every small word stopped right joins on
allsides, bench/README). A beside context's lowest bit is set, a nearest one's clear, so that
the two kinds are never compared with each other.

Pure functions; similarity.py computes the contexts, story_signals.py compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

_LOW = 0xFFFF
_MIX = 0x9E3779B1  # Fibonacci hashing: the context's term id and side spread over 16 bits
# kinds: 0 the word before, 1 the word after, 2 the name before, 3 the name after


def _context(tid: int, kind: int) -> int:
    return (((tid << 2 | kind) * _MIX) & 0xFFFFFFFF) >> 16 & _NEAREST


_NEAREST = 0xFFFE  # a nearest context's lowest bit is clear, a beside one's set (BESIDE)
BESIDE = 1
_VERSUS = "vs"  # "Arsenal v Chelsea" is "Arsenal vs Chelsea" (a one-letter word is no term)


def contexts(
    tokens: Sequence[str], names: Collection[int], term_of: Callable[[str], int]
) -> tuple[int, ...]:
    """The packed contexts of each name in `tokens` (similarity's: "" ends a sentence);
    `term_of` gives a word's term id, -1 for a stop word."""
    tids = [term_of(token) if token else -1 for token in tokens]
    forward = range(len(tids))
    before = _other_names(tokens, tids, names, forward)
    after = _other_names(tokens, tids, names, reversed(forward))
    out: list[int] = []
    for n, tid in enumerate(tids):
        if tid < 0 or tid not in names:
            continue
        for side, other in ((0, before[n]), (1, after[n])):
            word = _next_word(tokens, tids, n, 1 if side else -1)
            for found, kind in ((word, side), (other, 2 + side)):
                if found >= 0:
                    out.append((tid & _LOW) << 16 | _context(found, kind))
    return tuple(dict.fromkeys(out))


def _next_word(tokens: Sequence[str], tids: Sequence[int], n: int, step: int) -> int:
    """The term id of the nearest word that is no stop word from tokens[n] on `step`'s side,
    in its sentence; -1 if none."""
    k = n + step
    while 0 <= k < len(tokens) and tokens[k]:
        if tids[k] >= 0:
            return tids[k]
        k += step
    return -1


def _other_names(
    tokens: Sequence[str], tids: Sequence[int], names: Collection[int], order: Iterable[int]
) -> list[int]:
    """For each position, the nearest name before it in `order` within its sentence that is
    another name than its own (-1: none). One pass each way, not a scan from each name: a
    long headline repeating one name would cost the square of its length."""
    out = [-1] * len(tids)
    last = other = -1  # the latest name seen, and the latest one other than it
    for n in order:
        if not tokens[n]:
            last = other = -1  # a sentence ends
            continue
        tid = tids[n]
        out[n] = last if last != tid else other
        if tid >= 0 and tid in names and tid != last:
            last, other = tid, last
    return out


def one_slot(
    ours: Iterable[int], our_names: Iterable[int], theirs: Iterable[int], their_names: Iterable[int]
) -> bool:
    """Do one of `our_names` and one of `their_names` (term ids; each the names its report
    lacks) share a context, given each report's packed contexts?"""
    mine, others = {tid & _LOW for tid in our_names}, {tid & _LOW for tid in their_names}
    near = {key & _LOW for key in ours if key >> 16 in mine}
    return bool(near) and any(key >> 16 in others and key & _LOW in near for key in theirs)


def beside(
    tokens: Sequence[str], names: Collection[int], term_of: Callable[[str], int]
) -> tuple[int, ...]:
    """The packed beside contexts of each name in `tokens`: the word right before it and the
    word right after it in its sentence, each when written small and no name (module
    docstring)."""
    out: list[int] = []
    last = len(tokens) - 1
    opens = True  # still in the run of names the headline opens on (its subject)
    for n, token in enumerate(tokens):
        if not token:
            opens = False
            continue
        tid = term_of(token)
        if tid < 0 or tid not in names:
            opens = False
            continue
        for side, k in ((0, n - 1), (1, n + 1)):
            if side and opens and k < last and tokens[k] == "to" and tokens[k + 1][:1].islower():
                k += 1  # "Alcaraz to face Sinner": "face" after Alcaraz, as in "Alcaraz faces"
            if 0 <= k <= last and tokens[k][:1].islower():
                word = term_of(_VERSUS if tokens[k] == "v" else tokens[k])
                if word >= 0 and word not in names:
                    out.append((tid & _LOW) << 16 | _context(word, side) | BESIDE)
    return tuple(dict.fromkeys(out))


def two_slots(
    ours: Iterable[int], our_title: Iterable[int], theirs: Iterable[int], their_title: Iterable[int]
) -> bool:
    """Do two headlines fill two slots of one template with other names? Given each one's
    packed contexts and its headline's term ids: two names of ours, each beside the same word
    on the same side as a name of theirs (two other names of theirs), where no pair is one
    name, nor two names each headline writes both of ("Biden meets Xi" / "Xi meets Biden" is
    one meeting)."""
    found = slot_pairs(ours, theirs)
    return len(found) > 1 and apart_pairs(found, our_title, their_title)


def slot_pairs(ours: Iterable[int], theirs: Iterable[int]) -> list[tuple[int, int]]:
    """two_slots' first step, from the contexts alone: (a name of ours, one of theirs), each
    beside the same word on the same side, the two not one name. Fewer than two: no two slots
    (most pairs of headlines stop here, their headlines' terms never read)."""
    slots: dict[int, list[int]] = {}
    for key in ours:
        if key & BESIDE:
            slots.setdefault(key & _LOW, []).append(key >> 16)
    if not slots:
        return []
    return [
        (name, key >> 16)
        for key in theirs
        if key & BESIDE
        for name in slots.get(key & _LOW, ())
        if name != key >> 16
    ]


def apart_pairs(
    found: list[tuple[int, int]], our_title: Iterable[int], their_title: Iterable[int]
) -> bool:
    """two_slots' second step: of slot_pairs' `found`, those whose two names each headline
    writes both of are left out; are two of the rest two other names on each side?"""
    mine, others = {tid & _LOW for tid in our_title}, {tid & _LOW for tid in their_title}
    pairs = [(a, b) for a, b in found if not (a in others and b in mine)]
    return any(a != c and b != d for n, (a, b) in enumerate(pairs) for c, d in pairs[n + 1 :])
