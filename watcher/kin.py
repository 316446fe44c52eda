"""Whose name a headline's name is part of: the other words of the full name it stands in, so
that two reports naming one family's two people by one shared word ("Kennedy sworn in as health
secretary", its lead "Robert F. Kennedy Jr." / "Caroline Kennedy sworn in as ambassador";
"Warren warns ...", its lead "Senator Elizabeth Warren" / "Warren Buffett warns ...") are told
apart, while one person written fully in one report and by the surname alone in the other
("Matthew Whitaker" / "acting AG Whitaker", its lead "Matthew Whitaker") is not.

A headline name's *kin* are the other name words of its run (capitalised words written one
after another, an initial's dot allowed, any other mark ending it; a title, a country or a
people's word, an acronym or a generic news word splits it: "Brazilian President Jair
Bolsonaro" gives Bolsonaro the kin "Jair"). The headline's own runs are read first; a name the
headline writes alone takes the first run of its lead that gives it kin. Each is packed as
``name16 << 16 | kin16``: 16 bits of the name's term id and of its kin's, a short given name
folded into its full one first ("Matt" is "Matthew": NICKNAMES).

Two reports are two people's (`two_people`) when a name both headlines write has kin in each, none
shared, and neither report writes any of the other's kin at all ("Hillary Clinton ..." / "Bill
Clinton ...": two people; "Clinton ..." / "Hillary Clinton ..." is one, as is a report whose lead
names Bill beside Hillary), or a given name both headlines write before other surnames ("... sign
Mexican winger Diego Ruiz" / "... signing of Mexican forward Diego Salas"). So are two reports whose
headlines write one name, one of them with a generational suffix right after it and no given name
before it ("Trump Jr. to headline ..." / "Trump to headline ...", both leads "Donald"), the other
report never writing the suffix at all: news writes "Trump Jr." so because the surname alone is the
father's. A suffix after a given name is a full name's ("Eddie DeBartolo Jr." / "Edward DeBartolo":
one man), and a suffix in a lead alone is a formal style ("Joseph R. Biden Jr."): neither tells a
second person.
Pure functions; similarity.py computes the kin, story_signals.py compares them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence

from watcher.terms import root, term_id

NAME_BITS = 0xFFFF  # a name's 16 bits of its term id, as packed kin hold it
# A word (letters first, apostrophes and hyphens inside) or a mark that is no space.
_PIECE = re.compile(r"[^\W\d_][\w'’\-]*|[^\w\s]")
# The same for an ASCII text (most): on ASCII, [^\W\d_] is [A-Za-z] and \w is [A-Za-z0-9_],
# tested against a table, not a character's Unicode category (a third less time).
_ASCII_PIECE = re.compile(r"[A-Za-z][A-Za-z0-9_'’\-]*|[^A-Za-z0-9_\s]")
_POSSESSIVE = ("'s", "’s", "s'", "s’")
# Words that stand before a name without being part of it: titles and honorifics (written by
# hand, general English; generic news words and countries' words are split on too).
_TITLES = """
mr mrs ms miss dr sir dame lord lady king queen prince princess duke duchess pope saint st
sen senator rep representative gov governor mayor president vice prime minister chancellor
premier speaker leader justice judge attorney general secretary ambassador envoy acting
former deputy interim chief ceo chairman chairwoman chair commissioner director sheriff
rev reverend pastor rabbi imam sheikh ayatollah emir crown gen col maj capt lt sgt adm
officer detective professor prof coach captain candidate nominee congressman congresswoman
lawmaker democrat republican democratic gop dem mp
"""
TITLES = frozenset(_TITLES.split())
TITLE_IDS = frozenset(term_id(root(word)) for word in TITLES)
# A short form of a given name and the full one it is of (general English): "Bill Clinton" and
# "William Clinton" are one person's names.
_SHORT_FORMS = """
william bill billy
robert bob bobby rob
richard dick rick
edward ted ed eddie
charles chuck charlie
james jim jimmy
joseph joe
michael mike
elizabeth liz beth betsy
margaret peggy maggie
john jack johnny
henry hank
anthony tony
gerald jerry
lawrence larry
catherine kate cathy katherine
susan sue
theodore teddy
christopher chris
matthew matt
nicholas nick
daniel dan danny
thomas tom tommy
benjamin ben
alexander alex
steven steve stephen
ronald ron
donald don
timothy tim
samuel sam
patrick pat
gregory greg
jeffrey jeff
kenneth ken
jonathan jon
andrew andy
joshua josh
jacob jake
rebecca becky
jennifer jen jenny
deborah deb debbie
abraham abe
frederick fred
douglas doug
philip phil
raymond ray
"""


def _short_forms() -> dict[int, int]:
    out: dict[int, int] = {}
    for line in filter(None, map(str.split, _SHORT_FORMS.split("\n"))):
        full = term_id(root(line[0]))
        for short in line[1:]:
            out[term_id(root(short))] = full
    return out


NICKNAMES = _short_forms()  # a short form's term -> its full form's
_FULL = {
    short: line[0] for line in map(str.split, _SHORT_FORMS.split("\n")) if line for short in line
}


_FIRST_LETTERS = 3  # given names sharing these are one: "Qassem" / "Qasem", "Matt" / "Matthew"


def given(word: str) -> str:
    """A given name's first letters, a short form's full form's ("Bill": "wil")."""
    low = word.lower()
    return "~" + _FULL.get(low, low)[:_FIRST_LETTERS]


def key(tid: int) -> int:
    """16 bits of a term id, a short given name's its full form's: how kin are compared."""
    return NICKNAMES.get(tid, tid) & NAME_BITS


def runs(text: str) -> list[list[str]]:
    """The runs of capitalised words in `text`: words written one after another, a single
    capital's dot ("Robert F. Kennedy") inside, any other mark ending the run, and a possessive
    ending it after itself ("Brazil's Jair Bolsonaro": two runs)."""
    out: list[list[str]] = []
    run: list[str] = []
    for piece in (_ASCII_PIECE if text.isascii() else _PIECE).findall(text):
        if piece[0].isupper() or (piece == "." and len(run[-1:][0] if run else "") == 1):
            if piece != ".":
                run.append(piece)
                if piece.endswith(_POSSESSIVE):
                    out.append(run)
                    run = []
            continue
        if run:
            out.append(run)
            run = []
    if run:
        out.append(run)
    return [r for r in out if len(r) > 1]


def _segments(
    run: Sequence[str],
    term_of: Callable[[str], int],
    cued: Collection[int] | None,
    splits: Collection[int],
) -> Iterable[list[tuple[str, int]]]:
    """A run split at its words that are no names (not among `cued`, when given: a title-case
    headline capitalises every word), titles, countries' words, acronyms and generic words:
    each part's words and terms, one-letter initials left out."""
    part: list[tuple[str, int]] = []
    for word in run:
        tid = term_of(word)
        if (
            tid < 0
            or (cued is not None and tid not in cued)
            or (len(word) > 1 and word.isupper())
            or tid in splits
        ):
            if len(word) == 1 and tid < 0:
                continue  # an initial: inside the name, no word of it
            if part:
                yield part
            part = []
            continue
        part.append((word, tid))
    if part:
        yield part


def _packed(name: int, word: str, tid: int, after: bool = False) -> int:
    """One kin: the name's 16 bits, the kin's term (`key`) and its first letters' (`given`)."""
    first = term_id(given(word)) & NAME_BITS
    return (AFTER if after else 0) | (name & NAME_BITS) << 32 | key(tid) << 16 | first


def kin(
    title: str,
    lead: str,
    names: Collection[int],
    cued: Collection[int],
    term_of: Callable[[str], int],
    splits: Collection[int],
) -> tuple[int, ...]:
    """The packed kin of each headline name in `names` (the headline's names, no generic
    word): the words written before it in its full name (a surname's given names), from the
    headline, else from every run of the lead; and, in the headline only, the name right after
    it (a given name's surname: "Warren Buffett"), with AFTER set. `cued` are the report's
    names, `term_of` gives a word's term id (-1 for none), `splits` the terms a run splits at."""
    found: set[int] = set()
    placed: set[int] = set()  # the names given kin before them by the headline
    for run in runs(title):
        for part in _segments(run, term_of, cued, splits):
            for n, (_, tid) in enumerate(part):
                if tid not in names:
                    continue
                if n:
                    placed.add(tid)
                    found.update(_packed(tid, w, t) for w, t in part[:n])
                elif len(part) > 1:
                    found.add(_packed(tid, *part[1], after=True))
    wanted = [tid for tid in names if tid not in placed]
    if wanted and lead:
        for run in runs(lead):  # a lead is written in sentence case: its capitals are names
            for part in _segments(run, term_of, None, splits):
                for n, (_, tid) in enumerate(part[1:], 1):
                    if tid in wanted:
                        found.update(_packed(tid, w, t) for w, t in part[:n])
    return tuple(sorted(found))


AFTER = 1 << 48  # a kin written after the name (its surname), not before it
_SHIFT = 32
# A generational suffix written after a name ("Trump Jr.", "Cuomo Sr."): its keys (`key`).
SUFFIXES = frozenset(key(term_id(root(word))) for word in ("jr", "sr"))


def two_people(
    ours: Sequence[int],
    theirs: Sequence[int],
    our_terms: Callable[[], Iterable[int]],
    their_terms: Callable[[], Iterable[int]],
) -> bool:
    """Do the two reports name two people by one word (see the module's docstring)? `ours`,
    `theirs` their packed kin; `our_terms`, `their_terms` give each report's terms, to tell
    that it writes the other's kin (asked only of a name with kin apart: few pairs)."""
    mine, other = _by_name(ours), _by_name(theirs)
    shared = mine.keys() & other.keys()
    if not shared:
        return False  # most pairs
    split = []
    suffixed = []  # a suffix one headline writes after the name and the other does not
    for name in shared:
        (own, own_first, own_after), (kins, firsts, after) = mine[name], other[name]
        if (own_after ^ after) & SUFFIXES:
            suffixed.append((own_after & SUFFIXES, after & SUFFIXES))
        if own and kins:
            if own_first.isdisjoint(firsts):
                split.append((own, kins))  # two given names
        elif own and after:
            split.append((own, after))  # ours a surname, theirs a given name
        elif kins and own_after:
            split.append((own_after, kins))
        elif own_after and after and own_after.isdisjoint(after):
            split.append((own_after, after))  # one given name, two surnames
    if not (split or suffixed):
        return False
    our_words = {key(tid) for tid in our_terms()}
    their_words = {key(tid) for tid in their_terms()}
    if any((a - b).isdisjoint(their_words) and (b - a).isdisjoint(our_words) for a, b in suffixed):
        return True  # "Trump Jr. to headline ..." / "Trump to headline ...", no "Jr." in it
    return any(a.isdisjoint(their_words) and b.isdisjoint(our_words) for a, b in split)


def _by_name(packed: Sequence[int]) -> dict[int, tuple[set[int], set[int], set[int]]]:
    """Packed kin by name: the keys of those before it, their first letters', and the keys
    of those after it."""
    out: dict[int, tuple[set[int], set[int], set[int]]] = {}
    for one in packed:
        before, firsts, after = out.setdefault(one >> _SHIFT & NAME_BITS, (set(), set(), set()))
        if one & AFTER:
            after.add(one >> 16 & NAME_BITS)
        else:
            before.add(one >> 16 & NAME_BITS)
            firsts.add(one & NAME_BITS)
    return out


def given_names(
    ours: Sequence[int],
    theirs: Sequence[int],
    our_title: Collection[int],
    their_title: Collection[int],
) -> tuple[set[int], set[int]]:
    """The keys of the given names each report writes before a name both headlines write,
    where the other report gives that name no other given name (none, or one with the same
    first letters): one person's given name, which the other report had no need to write
    ("Matthew Whitaker says ..." / "Acting AG Whitaker: ...", its lead "Matt Whitaker").
    `ours`, `theirs` the two reports' packed kin, `our_title`, `their_title` 16 bits of
    each headline's names; (ours, theirs)."""
    mine, other = _by_name(ours), _by_name(theirs)
    our_given: set[int] = set()
    their_given: set[int] = set()
    for name, (own, own_first, _) in mine.items():
        if name in other:
            kins, firsts, _ = other[name]
            if own and kins and own_first.isdisjoint(firsts):
                continue  # two people (two_people asks the rest)
            our_given |= own
            their_given |= kins
        elif name in their_title:  # written alone there
            our_given |= own
    for name, (kins, _, _) in other.items():
        if name not in mine and name in our_title:
            their_given |= kins
    return our_given, their_given
