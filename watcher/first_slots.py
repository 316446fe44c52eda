"""Story id -> the slot of its first item, for the story index (story_slots.py): where a story's
clock starts (a second table holds each story's last slot, where its chain ends). An
open-addressing table over two flat arrays (12 bytes a cell), so 100,000 stories cost about
2 MB and no Python object each."""

from __future__ import annotations

from array import array

_GOLDEN = 0x9E3779B97F4A7C15  # Fibonacci hashing: consecutive story ids spread over the table


class FirstSlots:
    """Never shrinks; the index builds a new one when it compacts."""

    def __init__(self, capacity: int = 1 << 12) -> None:
        self._keys = array("q", bytes(8 * capacity))
        self._slots = array("I", bytes(4 * capacity))  # slot + 1; 0 marks an empty cell
        self._mask = capacity - 1
        self._used = 0

    def _cell(self, key: int) -> int:
        """The cell holding `key`, or the empty cell where it would go."""
        keys, slots, mask = self._keys, self._slots, self._mask
        i = ((key * _GOLDEN) >> 29) & mask
        while slots[i] and keys[i] != key:
            i = (i + 1) & mask
        return i

    def setdefault(self, key: int, slot: int) -> int:
        """The key's slot, recording `slot` first if the key is new."""
        if 4 * (self._used + 1) > 3 * (self._mask + 1):
            self._grow()
        i = self._cell(key)
        if self._slots[i]:
            return self._slots[i] - 1
        self._keys[i] = key
        self._slots[i] = slot + 1
        self._used += 1
        return slot

    def put(self, key: int, slot: int) -> None:
        """Record `slot` for the key, new or not (the story index's last slot per story)."""
        if self.setdefault(key, slot) != slot:
            self._slots[self._cell(key)] = slot + 1

    def get(self, key: int, default: int) -> int:
        found = self._slots[self._cell(key)]
        return found - 1 if found else default

    def __len__(self) -> int:
        return self._used

    def _grow(self) -> None:
        old = list(zip(self._keys, self._slots, strict=True))
        capacity = 2 * (self._mask + 1)
        self._keys = array("q", bytes(8 * capacity))
        self._slots = array("I", bytes(4 * capacity))
        self._mask = capacity - 1
        self._used = 0
        for key, slot in old:
            if slot:
                self.setdefault(key, slot - 1)
