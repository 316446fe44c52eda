"""Story id -> the slots of its first and last items, for the story index (story_slots.py): where
a story's clock starts and where its chain of slots ends. An open-addressing table over three
flat arrays (16 bytes a cell), so 100,000 stories cost about 2 MB and no Python object each.
(Two tables, one per end, cost 24 bytes a cell: each repeated the story id.)"""

from __future__ import annotations

from array import array

# A story id's home cell: its bits mixed (a shift and an xor, then an odd multiplier) and the
# low ones kept. Story ids come from the store nearly consecutively, and the low bits of a
# multiple of consecutive ids step through the table evenly, so a lookup finds its id at its
# home or the next cell (~1.2 probes at the index's load). The Fibonacci hash it replaced,
# bits 29 and up of the id times 2^64 / phi, left runs of filled cells: ~6-10 probes a lookup
# at under half full (bench/README.md, *Speed and memory*, session 18). So the table grows only
# past 7/8 full (it grew past 3/4 until session 20): 100,000 stories, a full window of one-report
# stories, fit 131,072 cells (2.1 MB) instead of 262,144 (4.2 MB), consecutive ids still found
# at their home cell (ids three apart: 1.7 cells scanned), a new id's empty cell ~6 cells on.
_MIX = 0x45D9F3B


def home(key: int, mask: int) -> int:
    """The cell where `key`'s search starts, in a table of `mask` + 1 cells."""
    return (key ^ key >> 16) * _MIX & mask


class StoryEnds:
    """Never shrinks; the index builds a new one when it compacts. A story may have a last
    slot and no first (a merge into a story with no slot) or, after `forget_lasts`, the other
    way round; a cell with neither is empty."""

    def __init__(self, capacity: int = 1 << 12) -> None:
        self._reset(capacity)

    def _cell(self, key: int) -> int:
        """The cell holding `key`, or the empty cell where it would go. (An empty cell's key
        reads 0: for key 0 it is also where the key would go, since no cell is ever emptied.)"""
        keys, firsts, lasts, mask = self._keys, self._firsts, self._lasts, self._mask
        i = home(key, mask)
        while keys[i] != key and (firsts[i] or lasts[i]):
            i = (i + 1) & mask
        return i

    def _claim(self, key: int) -> int:
        """The key's cell, made when the key is new."""
        if 8 * (self._used + 1) > 7 * (self._mask + 1):  # past 7/8 full: see _MIX
            self._grow()
        i = self._cell(key)
        if not (self._firsts[i] or self._lasts[i]):
            self._keys[i] = key
            self._used += 1
        return i

    def first(self, key: int, default: int) -> int:
        found = self._firsts[self._cell(key)]
        return found - 1 if found else default

    def last(self, key: int, default: int) -> int:
        found = self._lasts[self._cell(key)]
        return found - 1 if found else default

    def setdefault_first(self, key: int, slot: int) -> int:
        """The key's first slot, recording `slot` first if it has none."""
        i = self._claim(key)
        if not self._firsts[i]:
            self._firsts[i] = slot + 1
        return self._firsts[i] - 1

    def put_last(self, key: int, slot: int) -> None:
        i = self._claim(key)  # first: it may grow the table, i.e. make new arrays
        self._lasts[i] = slot + 1

    def append(self, key: int, slot: int) -> int:
        """A new slot of the story: its first if it has none, its last now. The last before it
        (-1: none), in one probe."""
        i = self._claim(key)
        if not self._firsts[i]:
            self._firsts[i] = slot + 1
        prev = self._lasts[i] - 1
        self._lasts[i] = slot + 1
        return prev

    def forget_lasts(self) -> None:
        """Every story's last slot forgotten (the index chains its slots again); firsts stay."""
        firsts = self._firsts
        kept = [(key, first) for key, first in zip(self._keys, firsts, strict=True) if first]
        self._reset(self._mask + 1)
        for key, first in kept:
            i = self._claim(key)
            self._firsts[i] = first

    def __len__(self) -> int:
        return self._used

    def _reset(self, capacity: int) -> None:
        """Empty, with `capacity` cells (a power of two)."""
        self._keys = array("q", bytes(8 * capacity))
        self._firsts = array("I", bytes(4 * capacity))  # slot + 1; 0: none
        self._lasts = array("I", bytes(4 * capacity))  # slot + 1; 0: none
        self._mask = capacity - 1
        self._used = 0

    def _grow(self) -> None:
        old = zip(self._keys, self._firsts, self._lasts, strict=True)
        kept = [(key, first, last) for key, first, last in old if first or last]
        self._reset(2 * (self._mask + 1))
        for key, first, last in kept:
            i = self._claim(key)
            self._firsts[i], self._lasts[i] = first, last
