"""Copies: a near-duplicate signature of a text and the tables that find its copies.

A one-permutation MinHash over word 4-shingles (`signature`: SIG_BINS 32-bit minima, made by
similarity.py from an item's body), its Jaccard estimate between two texts (`jaccard`), and LSH
band keys over it (`band_keys`) with the flat table that maps a key to the newest slot holding
it (`BandTable`, kept by story_slots.py over its signatures). stories.py calls a report a copy
when the estimate reaches its copy threshold. Pure functions and one small table; no I/O.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate

import xxhash

SIG_BINS = 16  # MinHash bins: 16 x 32 bits per item; enough to tell J >= 0.7 from J <= 0.4
EMPTY_BIN = 0xFFFFFFFF
SHINGLE = 4  # words per shingle: long enough that two reports in different words share few


def signature(words: Sequence[str]) -> tuple[tuple[int, ...], int]:
    """One-permutation MinHash: each shingle hash picks a bin by its low bits and competes there.

    A shingle is SHINGLE lower-cased words joined by single spaces (all the words when there
    are fewer); the text is joined and encoded once and each shingle hashed as a slice of it.
    """
    if not words:
        return (EMPTY_BIN,) * SIG_BINS, 0
    text = " ".join(words)
    if text.isascii():  # lower() keeps every length, and a character is a byte
        lowered: Sequence[str] = words
        data = text.lower().encode()
        lengths: Iterable[int] = map(len, words)
    else:
        lowered = [w.lower() for w in words]
        data = " ".join(lowered).encode()
        lengths = (len(w.encode()) for w in lowered)
    # Word k spans starts[k]:starts[k+1]-1.
    starts = list(accumulate([n + 1 for n in lengths], initial=0))
    # Shingle i ends where word i + SHINGLE starts, less its space; zip stops at the last one.
    ends = starts[SHINGLE:] if len(lowered) >= SHINGLE else [starts[-1]]
    hash64 = xxhash.xxh64_intdigest
    hashes = {hash64(data[start : end - 1]) for start, end in zip(starts, ends, strict=False)}
    mins = [EMPTY_BIN] * SIG_BINS
    low = SIG_BINS - 1  # once, not once a shingle
    for h in hashes:
        b = h & low
        v = h >> 32  # the high half of a 64-bit hash: already 32 bits
        if v < mins[b]:
            mins[b] = v
    return tuple(mins), len(hashes)


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures, over the bins filled in either."""
    filled = same = 0
    for x, y in zip(a, b, strict=True):
        if x == EMPTY_BIN and y == EMPTY_BIN:
            continue
        filled += 1
        same += x == y
    return same / filled if filled else 0.0


BANDS = ((0, 1), (2, 3), (4, 5), (6, 7))  # bins per LSH band key
MIN_FILLED = 10  # signature bins filled before a text may be called a copy: about 20 words


def _band_key(x: int, y: int, band: int) -> int:
    """The key of one band whose two bins hold `x` and `y`: 32 bits, never 0."""
    return (x ^ ((y << 16 | y >> 16) & 0xFFFFFFFF) ^ band) or 1


def band_keys(sig: Sequence[int]) -> list[tuple[int, int]]:
    """LSH keys, 32 bits each, with their bands (band, key): two bins per band, so a pair with
    Jaccard J collides in a band with p = J^2 and in at least one of four with
    p = 1 - (1 - J^2)^4 (0.93 at J = 0.7)."""
    if len(sig) - sig.count(EMPTY_BIN) < MIN_FILLED:  # a few words: too short to call a copy
        return []
    keys = []
    for band, (a, b) in enumerate(BANDS):
        if sig[a] != EMPTY_BIN and sig[b] != EMPTY_BIN:
            keys.append((band, _band_key(sig[a], sig[b], band)))
    return keys


_TAG_SHIFT = 26  # a cell's tag keeps the key's top 6 bits (its cell comes from the low bits)


class BandTable:
    """Band key -> newest slot with that key: open addressing over two flat arrays, 5 bytes a
    cell and no Python object per entry. Keys are already hashes, so their low bits index.

    The key is not stored: a cell holds the slot (+1) and a tag byte, the key's band and its top
    6 bits; a key whose tag matches is recomputed from the slot's signature in `sigs` (the
    index's flat array of SIG_BINS bins per slot), so only one cell in 64 that holds another
    key costs that. (Storing 32-bit keys took 8 bytes a cell: 4.5 MB for 100,000 items.)"""

    def __init__(self, sigs: array[int], capacity: int = 1 << 12) -> None:
        self._sigs = sigs
        self._slots = array("I", bytes(4 * capacity))  # slot + 1; 0 marks an empty cell
        self._tags = array("B", bytes(capacity))  # band << 6 | key >> _TAG_SHIFT
        self._mask = capacity - 1
        self._used = 0

    def _key(self, cell: int) -> int:
        """The key of the slot in `cell`, from its signature and its band."""
        band = self._tags[cell] >> 6
        a, b = BANDS[band]
        at = (self._slots[cell] - 1) * SIG_BINS
        return _band_key(self._sigs[at + a], self._sigs[at + b], band)

    def _cell(self, key: int) -> int:
        """The cell holding `key`, or the empty cell where it would go."""
        slots, tags, mask, tag = self._slots, self._tags, self._mask, key >> _TAG_SHIFT
        i = key & mask
        while slots[i] and (tags[i] & 0x3F != tag or self._key(i) != key):
            i = (i + 1) & mask
        return i

    def put(self, key: int, band: int, slot: int) -> None:
        """Record `slot` (whose signature is in `sigs` already) for `key`, its band's."""
        if 4 * (self._used + 1) > 3 * (self._mask + 1):
            self._grow()
        i = self._cell(key)
        if not self._slots[i]:
            self._used += 1
        self._slots[i] = slot + 1  # the newest item is the one most likely still in the window
        self._tags[i] = band << 6 | key >> _TAG_SHIFT

    def get(self, key: int) -> int | None:
        found = self._slots[self._cell(key)]
        return found - 1 if found else None

    def __len__(self) -> int:
        return self._used

    def _grow(self) -> None:
        """Twice the cells. The keys in the table are distinct, so each goes to the first empty
        cell from its home (its key, recomputed, gives only that): no key is compared."""
        old = zip(self._slots, self._tags, strict=True)
        capacity = 2 * (self._mask + 1)
        slots = self._slots = array("I", bytes(4 * capacity))
        tags = self._tags = array("B", bytes(capacity))
        mask = self._mask = capacity - 1
        sigs = self._sigs
        for slot, tag in old:
            if slot:
                band = tag >> 6
                a, b = BANDS[band]
                at = (slot - 1) * SIG_BINS
                i = _band_key(sigs[at + a], sigs[at + b], band) & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i], tags[i] = slot, tag
