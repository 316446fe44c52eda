"""Where the story index (stories.py) keeps its items: one *slot* per item, in flat arrays.

Storage only: what a slot holds, adding one, relabelling slots to another story, pruning and
compacting; no decision (the signals are story_signals.py's, the decisions stories.py's).

Memory is kept compact (the lead rebuilds the index at start-up from every stored item in the
window): per item a time, a story id, 16 bits of its feed's hash, a norm, a 64-bit mask of its
places and a byte of where it places its event (places.py), the arcs it is held past the
window for (16 bits, StoryIndex.hold), a 64-byte signature, its top
``max_terms`` terms (32-bit id + a byte of weight and flags) and its headline's names'
contexts (name_slots.py: 4 bytes each; the nearest ones a headline alone's only, the words
beside them every headline's) in flat arrays; one array of slots per term,
holding only its newest ``max_postings`` (no older one is ever read); LSH band
keys (minhash.BandTable) and each story's first and last slots (story_ends.py) in
open-addressing tables of flat arrays. No Python object per item, but for the few that name
a region as such (its term) or a state (one int of state bits), kept in dicts. Each story's
slots form a chain (first -> ... -> last), so a story's reports are found without a scan. A
merge relabels the younger story's slots (`merge`), logged since `mark()` so that
`_forget_since` can undo it when its transaction is rolled back.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from datetime import datetime

from watcher.minhash import SIG_BINS, BandTable, band_keys
from watcher.places import STATE_BITS, pack, unpack
from watcher.similarity import NO_SUBJECT
from watcher.story_ends import StoryEnds

DEAD = -(2**63)  # story id of a pruned slot: no real id (SQLite rowids are positive)
NAME_BIT = 0x80  # in a stored term's weight byte: cued as a name
TITLE_BIT = 0x40  # ... found in the title; the low 6 bits are the raw weight
RAW_MASK = 0x3F
_STATE_MASK = (1 << STATE_BITS) - 1


class StorySlots:
    """The index's slots and the tables over them; the base of StoryIndex (no I/O, no clock)."""

    def __init__(self, *, max_postings: int) -> None:
        self.max_postings = max_postings
        # Merges since mark(): (story, survivor, the slots relabelled), undone by _forget_since
        self._merged: list[tuple[int, int, array[int]]] = []
        self._reset()

    def _reset(self) -> None:
        self._story = array("q")  # per slot; DEAD once pruned
        self._time = array("d")  # per slot: published, POSIX seconds
        self._feed = array("H")  # per slot: its feed's number (StoryIndex._feed_number)
        self._norm = array("f")  # per slot: vector length when added
        # per slot, two each: its title and its lead terms' squared TF-IDF lengths under the
        # fixed IDF (story_signals.PairSignals._sub_norms), made once when added
        self._sub = array("d")
        self._subject = array("I")  # per slot: its headline's subject (TextFeatures.subject)
        # per slot: the country bits of the places it names (TextFeatures.mentions): a list of
        # ints, not an array("Q"), since a country has a bit of its own and there are about 200
        # (places._country_bits); each mask is one shared object (_masks), so a slot costs the
        # list's 8 bytes as an array's would
        self._mentions: list[int] = []
        self._masks: dict[int, int] = {}  # each mask the living slots hold -> its one object
        # ... which of them it places its event in (places.pack), and in bits 2-3 which of them
        # its headline names
        self._places = array("B")
        # the few slots that name a region as such: slot -> its term (TextFeatures.region;
        # NO_SUBJECT for the others, 99.9 % of them: a dict, not an array of 4 bytes a slot)
        self._region: dict[int, int] = {}
        # per slot: the words next to its headline's names (TextFeatures.contexts), from
        # _near_at[slot] to _near_at[slot + 1] in _near
        self._near = array("I")
        self._near_at = array("I", (0,))
        # per slot: the other words of its headline's names' full names (TextFeatures.kin),
        # from _kin_at[slot] to _kin_at[slot + 1] in _kin
        self._kin = array("Q")
        self._kin_at = array("I", (0,))
        # the few slots whose headline names an awards ceremony: slot -> those names
        # (TextFeatures.ceremony)
        self._ceremony: dict[int, frozenset[int]] = {}
        self._ceremony_names: set[int] = set()  # all of _ceremony's names (a cheap gate)
        # the few slots whose headline names a storm: slot -> those names (TextFeatures.storms)
        self._storms: dict[int, frozenset[int]] = {}
        # the few slots whose headline names an office's holder: slot -> those names
        # (TextFeatures.holders)
        self._holders: dict[int, frozenset[int]] = {}
        # the few slots whose headline measures its happening from an earlier one of its kind:
        # slot -> the terms it writes only there (TextFeatures.earlier)
        self._earlier: dict[int, frozenset[int]] = {}
        # the few slots whose headline names a state (places._STATES): slot -> the state bits
        # its headline names and, above them (<< STATE_BITS), those its headline and lead name
        # (TextFeatures.states, state_mentions): one int, not a tuple of two (_state_pair)
        self._states: dict[int, int] = {}
        # the slots whose headline tells its happening in a city (places.located_states): slot
        # -> that city's term (TextFeatures.city)
        self._cities: dict[int, int] = {}
        # the few slots whose headline opens on a party (similarity._party): slot -> its term
        # and the term of what it does (TextFeatures.party)
        self._parties: dict[int, tuple[int, ...]] = {}
        self._live: set[int] = set()  # the slots whose headline is a live page's (heads.py)
        # the few slots whose headline tells an election: slot -> the country bits it names
        # (TextFeatures.polled)
        self._voted: dict[int, int] = {}
        # the few slots whose headline names a month: slot -> those months (TextFeatures.months)
        self._months: dict[int, int] = {}
        self._sig = array("I")  # SIG_BINS per slot
        self._offsets = array("I", (0,))  # per slot: where its terms start in _terms / _tw
        self._terms = array("I")
        self._tw = array("B")  # raw weight | NAME_BIT | TITLE_BIT
        # term -> the newest slots holding it (at most max_postings), ascending
        self._postings: dict[int, array[int]] = {}
        self._bands = BandTable(self._sig)  # over the signatures above
        # story -> its first slot (where the story's clock starts) and its last
        self._ends = StoryEnds()
        # Each story's slots form a chain (first -> ... -> last) through _next, so a story's
        # reports are found without a scan (merging asks: how many, which feeds).
        # per slot: the arcs a story's first report opens (arcs.arc_mask), 0 for most: it is
        # kept past the window (StoryIndex.hold)
        self._held = array("H")
        self._days = array("B")  # per slot: the weekdays it names (TextFeatures.days)
        self._next = array("i")  # per slot: the next slot of its story's chain, -1 at the end
        self._alive = 0

    def merge(self, story: int, into: int) -> int:
        """Fold `story` into `into` (decide() said they are one event): its reports now belong
        to `into`, whose first report stays the clock's start. How many slots moved."""
        slots = array("I", self._slots_of(story))
        for slot in slots:
            self._story[slot] = into
        ends = self._ends
        tail, head = ends.last(into, -1), ends.first(story, -1)
        if tail >= 0 and head >= 0:  # its chain goes on with the merged story's
            self._next[tail] = head
            ends.put_last(into, ends.last(story, head))
        self._merged.append((story, into, slots))
        return len(slots)

    def prune(self, before: datetime) -> int:
        return self._prune(before.timestamp(), before.timestamp())

    def _prune(
        self,
        cutoff: float,
        held_cutoff: float,
        kept_cutoff: float | None = None,
        kept: Callable[[int], bool] | None = None,
        budget: int | None = None,
    ) -> int:
        """Slots published before `cutoff` die, held ones (`_held`) before `held_cutoff`, and
        those of a story `kept` says yes to while its first report is at `kept_cutoff` or after;
        of those, at most `budget` slots live on: the oldest such stories (by their first
        report) die whole first."""
        story, times, held, first = self._story, self._time, self._held, self._ends.first
        asked: dict[int, bool] = {}  # story -> kept(story), asked once a prune
        spared: dict[int, list[int]] = {}  # story -> its slots `kept` spared
        gone = 0
        for slot in [slot for slot, when in enumerate(times) if when < cutoff]:  # a few: the oldest
            if held[slot] and times[slot] >= held_cutoff:
                continue
            owner = story[slot]
            if (
                kept is not None
                and kept_cutoff is not None
                and owner != DEAD
                and times[first(owner, slot)] >= kept_cutoff
            ):
                if owner not in asked:
                    asked[owner] = kept(owner)
                if asked[owner]:
                    spared.setdefault(owner, []).append(slot)
                    continue
            if story[slot] != DEAD:
                story[slot] = DEAD
                gone += 1
        if budget is not None:
            gone += self._over_budget(spared, budget)
        self._alive -= gone
        if len(story) > 2 * self._alive + 1024:
            self._compact()
        return gone

    def _over_budget(self, spared: dict[int, list[int]], budget: int) -> int:
        """Kill the `spared` slots (story -> its slots) of the oldest stories, by their first
        report, until at most `budget` are left; how many died."""
        over = sum(map(len, spared.values())) - budget
        if over <= 0:
            return 0
        times, first, story = self._time, self._ends.first, self._story
        gone = 0
        for owner in sorted(spared, key=lambda s: (times[first(s, spared[s][0])], s)):
            for slot in spared[owner]:
                story[slot] = DEAD
            gone += len(spared[owner])
            if gone >= over:
                break
        return gone

    def __len__(self) -> int:
        return self._alive

    def mark(self) -> int:
        """Where the index stands now; `forget_since(mark)` undoes every add and merge after
        it. (A mark is taken when a transaction begins: what came before is stored.)"""
        self._merged.clear()
        return len(self._story)

    def _forget_since(self, mark: int) -> int:
        """The slots added since `mark` die as pruned ones do, and the merges since undone
        (newest first); how many slots died. (StoryIndex.forget_since says why.)"""
        story = self._story
        if self._merged:
            while self._merged:  # newest first: a chain of merges unwinds in order
                old, into, slots = self._merged.pop()
                for slot in slots:
                    if story[slot] == into:
                        story[slot] = old
            self._rechain()
        gone = 0
        for slot in range(mark, len(story)):
            if story[slot] != DEAD:
                story[slot] = DEAD
                gone += 1
        self._alive -= gone
        return gone

    def _append(
        self,
        story_id: int,
        published: float,
        feed: int,
        signature: tuple[int, ...] | array[int],
        keys: list[tuple[int, int]],
        terms: Sequence[int],
        packed: Sequence[int],
        norm: float,
        sub: tuple[float, float],
        subject: int,
        places: tuple[int, int, int, int, int],
        near: Sequence[int],
        held: int = 0,
        ceremony: frozenset[int] = frozenset(),
        storms: frozenset[int] = frozenset(),
        holders: frozenset[int] = frozenset(),
        days: int = 0,
        live: bool = False,
        voted: int = 0,
        earlier: frozenset[int] = frozenset(),
        states: tuple[int, int] = (0, 0),
        city: int | None = None,
        party: tuple[int, ...] = (),
        kin: Sequence[int] = (),
        months: int = 0,
    ) -> None:
        """One more slot; `keys` are the signature's band keys, `packed` each term's flags,
        `sub` its title and lead sub-vectors' squared lengths (`_sub`), `places` the country
        bits of where it places its event, of what it mentions, its region's term and the
        country bits of what its headline names, `near` its headline's names' contexts, `held`
        the arcs it is held for (`_held`), `ceremony` the names it writes as a ceremony's,
        `days` the weekdays it names."""
        slot = len(self._story)
        if ceremony:
            self._ceremony[slot] = ceremony
            self._ceremony_names |= ceremony
        if storms:
            self._storms[slot] = storms
        if months:
            self._months[slot] = months
        if holders:
            self._holders[slot] = holders
        if earlier:
            self._earlier[slot] = earlier
        if states[0]:
            self._states[slot] = states[1] << STATE_BITS | states[0]
        if city is not None:
            self._cities[slot] = city
        if party:
            self._parties[slot] = party
        if live:
            self._live.add(slot)
        if voted:
            self._voted[slot] = voted
        self._story.append(story_id)
        self._time.append(published)
        self._feed.append(feed)
        self._norm.append(norm)
        self._sub.extend(sub)
        self._subject.append(subject)
        self._places.append(
            pack(places[0], places[1])
            | pack(places[3], places[1]) << 2
            | pack(places[4], places[1]) << 4
        )
        self._mentions.append(self._masks.setdefault(places[1], places[1]))
        if places[2] != NO_SUBJECT:
            self._region[slot] = places[2]
        self._near.extend(near)
        self._near_at.append(len(self._near))
        self._kin.extend(kin)
        self._kin_at.append(len(self._kin))
        self._sig.extend(signature)
        self._terms.extend(terms)
        self._tw.extend(packed)
        self._offsets.append(len(self._terms))
        postings, limit = self._postings, self.max_postings
        for tid in terms:
            found = postings.get(tid)
            if found is None:
                postings[tid] = array("I", (slot,))
            else:
                found.append(slot)
                if len(found) > limit:  # _candidates reads only the newest `limit`
                    del found[0]
        for band, key in keys:
            self._bands.put(key, band, slot)
        self._held.append(held)
        self._days.append(days)
        self._next.append(-1)  # the new slot ends its story's chain
        prev = self._ends.append(story_id, slot)
        if prev >= 0:
            self._next[prev] = slot
        self._alive += 1

    def _rechain(self) -> None:
        """Every story's chain made again in slot order (after a move or an undone merge)."""
        self._next = array("i", (-1,)) * len(self._story)
        ends = self._ends
        ends.forget_lasts()
        for slot, story_id in enumerate(self._story):
            if story_id != DEAD:
                prev = ends.last(story_id, -1)
                if prev >= 0:
                    self._next[prev] = slot
                ends.put_last(story_id, slot)

    def _compact(self) -> None:
        """Drop dead slots and rebuild everything from the living: run when most are dead."""
        old = (self._story, self._time, self._feed, self._norm, self._sig, self._offsets)
        story, times, feeds, norms, sig, offsets = old
        subjects, places, mentions, regions = (
            self._subject,
            self._places,
            self._mentions,
            self._region,
        )
        near, near_at, held, subs = self._near, self._near_at, self._held, self._sub
        kins, kin_at = self._kin, self._kin_at
        days = self._days
        terms, tw, ceremonies, storms = self._terms, self._tw, self._ceremony, self._storms
        holders, earlier, states, cities = self._holders, self._earlier, self._states, self._cities
        live, voted, parties, months = self._live, self._voted, self._parties, self._months
        self._reset()
        for slot, story_id in enumerate(story):
            if story_id == DEAD:
                continue
            begin, end = offsets[slot], offsets[slot + 1]
            signature = sig[slot * SIG_BINS : (slot + 1) * SIG_BINS]
            self._append(
                story_id,
                times[slot],
                feeds[slot],
                signature,
                band_keys(signature),
                terms[begin:end],
                tw[begin:end],
                norms[slot],
                (subs[2 * slot], subs[2 * slot + 1]),
                subjects[slot],
                (
                    unpack(places[slot] & 3, mentions[slot]),
                    mentions[slot],
                    regions.get(slot, NO_SUBJECT),
                    unpack(places[slot] >> 2 & 3, mentions[slot]),
                    unpack(places[slot] >> 4 & 3, mentions[slot]),
                ),
                near[near_at[slot] : near_at[slot + 1]],
                held[slot],
                ceremonies.get(slot, frozenset()),
                storms.get(slot, frozenset()),
                holders.get(slot, frozenset()),
                days[slot],
                slot in live,
                voted.get(slot, 0),
                earlier.get(slot, frozenset()),
                self._state_pair(slot, states),
                cities.get(slot),
                parties.get(slot, ()),
                kins[kin_at[slot] : kin_at[slot + 1]],
                months.get(slot, 0),
            )

    def _state_pair(self, slot: int, states: dict[int, int] | None = None) -> tuple[int, int]:
        """The state bits the slot's headline names and those its headline and lead name
        (TextFeatures.states, state_mentions); (0, 0) for most. (`states`: the table to read,
        the index's own unless given.)"""
        both = (self._states if states is None else states).get(slot, 0)
        return both & _STATE_MASK, both >> STATE_BITS

    def _placed(self, slot: int) -> int:
        """The country bits where the slot's report places its event (TextFeatures.places)."""
        return unpack(self._places[slot] & 3, self._mentions[slot])

    def _titled(self, slot: int) -> int:
        """The country bits of every place the slot's headline names (TextFeatures.titled;
        all it mentions when that is more than two countries: places.pack)."""
        return unpack(self._places[slot] >> 4 & 3, self._mentions[slot])

    def _headlined(self, slot: int) -> int:
        """The country bits of the places the slot's headline names (TextFeatures.headline;
        all it mentions when that is more than two countries: places.pack)."""
        return unpack(self._places[slot] >> 2 & 3, self._mentions[slot])

    def _slots_of(self, story: int, most: int | None = None) -> list[int]:
        """The story's slots (at most `most`), its first first: along its chain."""
        slots: list[int] = []
        slot = self._ends.first(story, -1)
        limit = len(self._story) if most is None else most
        stories, after = self._story, self._next
        while slot >= 0 and len(slots) < limit:
            if stories[slot] == story:  # a slot moved or forgotten stays on the chain
                slots.append(slot)
            slot = after[slot]
        return slots
