"""Story grouping: which story a new item joins — a near-identical copy, the same event in other
words — or whether it starts one. Pure in-memory state: no I/O, no clock.

Tiers decided here (Tier.SAME — same key, URL or guid — is the store's job, before this):

* COPY: the body's MinHash signature (similarity.py) estimates a Jaccard similarity of at least
  ``copy_threshold`` with an item in the window. Candidates come from LSH band keys, never a scan.
* EVENT: TF-IDF cosine over title + lead reaches ``event_threshold`` *and* the two items share at
  least ``min_names`` named-entity terms (or the cosine alone reaches ``strong_threshold``).
  Candidates come from an inverted index over the terms; only the best few are scored exactly.

**Precision first.** Merging two events loses an alert; splitting one costs a duplicate. So every
test is a conjunction, thresholds lean high, and anything unsure starts a new story.

**The window (default 36 h).** An item joins only through items published within ``window`` of
its own time: wire copy and other outlets' reports of one event arrive within hours, while a
day-later story with the same names is usually a development (a vote, then its fallout) that
deserves its own alert. 36 h covers a report published late in one time zone and picked up the
next day elsewhere, without letting a saga of daily stories chain into one. Because evidence must
come from items inside the window, a story closes once its last item is older than the window.

Memory is kept compact (the lead rebuilds the index at start-up from every stored item in the
window): per item a few flat-array rows; postings are arrays of 32-bit slots; document
frequencies live in a fixed hashed count array that forgets slowly, so the IDF is learned online.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable
from datetime import datetime, timedelta

from watcher.model import Item, StoryDecision, Tier
from watcher.similarity import (
    EMPTY_BIN,
    GENERIC,
    SIG_BINS,
    TextFeatures,
    features,
    jaccard,
    stem,
    term_id,
)

BANDS = ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11))  # bins per LSH band key
NAME_BIT = 0x80
DF_BUCKETS = 1 << 20  # hashed document-frequency counters: 4 MB, few collisions for ~200k terms
DEAD = -1
IDF_PRIOR = 200
GENERIC_DF = 50  # a generic news word counts as if in a quarter of the prior documents
MIN_FILLED = 10  # signature bins filled: about 20 words of text


class _Postings:
    """key -> array of slots, oldest first; the newest ``limit`` are what a lookup sees."""

    def __init__(self) -> None:
        self._lists: dict[int, array[int]] = {}

    def add(self, key: int, slot: int) -> None:
        found = self._lists.get(key)
        if found is None:
            self._lists[key] = array("I", (slot,))
        else:
            found.append(slot)

    def recent(self, key: int, limit: int) -> Iterable[int]:
        found = self._lists.get(key)
        if found is None:
            return ()
        return reversed(found[-limit:]) if len(found) > limit else reversed(found)

    def count(self, key: int) -> int:
        found = self._lists.get(key)
        return 0 if found is None else len(found)


class StoryIndex:
    """The join index over items still inside the window: pure in-memory state, no I/O, no clock."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=36),
        copy_threshold: float = 0.7,
        event_threshold: float = 0.18,
        strong_threshold: float = 0.45,
        min_names: int = 1,
        lead_words: int = 80,
        title_weight: int = 2,
        name_boost: float = 1.0,
        margin: float = 0.08,
        second_weight: float = 0.0,
        time_slope: float = 0.3,
        max_terms: int = 32,
        max_postings: int = 300,
        rescore: int = 24,
        idf_horizon: int = 200_000,
    ) -> None:
        self.window = window
        self.copy_threshold = copy_threshold
        self.event_threshold = event_threshold
        self.strong_threshold = strong_threshold
        self.min_names = min_names
        self.lead_words = lead_words
        self.title_weight = title_weight
        self.name_boost = name_boost
        self.margin = margin
        self.second_weight = second_weight
        self.time_slope = time_slope
        self.max_terms = max_terms
        self.max_postings = max_postings
        self.rescore = rescore
        self.idf_horizon = idf_horizon
        self._reset()
        self._df = _seeded_df()
        self._docs = 0
        self._cache: tuple[Item, TextFeatures] | None = None

    def _reset(self) -> None:
        self._story = array("q")
        self._time = array("d")
        self._sig = array("I")
        self._offsets = array("I", (0,))
        self._terms = array("I")
        self._tw = array("B")
        self._terms_index = _Postings()
        self._bands = _Postings()
        self._alive = 0

    # -- public API -------------------------------------------------------------------------

    def decide(self, item: Item) -> StoryDecision:
        feats = self._features(item)
        ref = item.published.timestamp()
        copy = self._best_copy(feats, ref)
        if copy is not None:
            return copy
        return self._best_event(feats, ref)

    def add(self, item: Item, story_id: int) -> None:
        feats = self._features(item)
        self._count_df(feats)
        slot = len(self._story)
        self._story.append(story_id)
        self._time.append(item.published.timestamp())
        self._sig.extend(feats.signature)
        for tid, raw in self._top_terms(feats):
            self._terms.append(tid)
            self._tw.append(raw | (NAME_BIT if tid in feats.names else 0))
            self._terms_index.add(tid, slot)
        self._offsets.append(len(self._terms))
        for key in _band_keys(feats.signature):
            self._bands.add(key, slot)
        self._alive += 1

    def prune(self, before: datetime) -> int:
        cutoff = before.timestamp()
        gone = 0
        for slot, story in enumerate(self._story):
            if story != DEAD and self._time[slot] < cutoff:
                self._story[slot] = DEAD
                gone += 1
        self._alive -= gone
        if len(self._story) > 2 * self._alive + 1024:
            self._compact()
        return gone

    def __len__(self) -> int:
        return self._alive

    # -- features and document frequencies ----------------------------------------------------

    def _features(self, item: Item) -> TextFeatures:
        # decide() then add() for the same item is the pipeline's pattern: compute once.
        if self._cache is not None and self._cache[0] is item:
            return self._cache[1]
        feats = features(
            item.title, item.summary, lead_words=self.lead_words, title_weight=self.title_weight
        )
        self._cache = (item, feats)
        return feats

    def _count_df(self, feats: TextFeatures) -> None:
        df = self._df
        for tid in feats.weights:
            df[tid & (DF_BUCKETS - 1)] += 1
        self._docs += 1
        if self._docs >= 2 * self.idf_horizon:  # forget slowly: halve every count
            self._df = array("I", (c >> 1 for c in df))
            self._docs >>= 1

    def _idf(self, tid: int) -> float:
        # A prior of IDF_PRIOR documents without the term: with few documents seen (a fresh
        # index) every term weighs about the same instead of shared words counting least.
        return math.log((self._docs + IDF_PRIOR) / (self._df[tid & (DF_BUCKETS - 1)] + 1))

    def _top_terms(self, feats: TextFeatures) -> list[tuple[int, int]]:
        """The ``max_terms`` heaviest terms: enough for the cosine, bounded per item."""
        weighted = feats.weights.items()
        if len(feats.weights) <= self.max_terms:
            return list(weighted)
        return heapq.nlargest(
            self.max_terms, weighted, key=lambda kv: _tf(kv[1]) * self._idf(kv[0])
        )

    def _in_window(self, slot: int, ref: float) -> bool:
        return (
            self._story[slot] != DEAD and abs(self._time[slot] - ref) <= self.window.total_seconds()
        )

    # -- tier 2: copies ---------------------------------------------------------------------

    def _best_copy(self, feats: TextFeatures, ref: float) -> StoryDecision | None:
        best: tuple[float, int] | None = None
        seen: set[int] = set()
        for key in _band_keys(feats.signature):
            for slot in self._bands.recent(key, self.max_postings):
                if slot in seen or not self._in_window(slot, ref):
                    continue
                seen.add(slot)
                other = self._sig[slot * SIG_BINS : (slot + 1) * SIG_BINS]
                score = jaccard(feats.signature, other)
                if score >= self.copy_threshold and (best is None or score > best[0]):
                    best = (score, slot)
        if best is None:
            return None
        return StoryDecision(self._story[best[1]], Tier.COPY, round(best[0], 3))

    # -- tier 3: same event ------------------------------------------------------------------

    def _query(self, feats: TextFeatures) -> tuple[dict[int, float], float]:
        boost = {True: self.name_boost, False: 1.0}
        vec = {
            tid: _tf(raw) * self._idf(tid) * boost[tid in feats.names]
            for tid, raw in feats.weights.items()
        }
        return vec, math.sqrt(sum(v * v for v in vec.values()))

    def _candidates(self, vec: dict[int, float], ref: float) -> list[int]:
        """Slots sharing terms with the query, best partial dot product first."""
        acc: dict[int, float] = {}
        for tid, weight in vec.items():
            for slot in self._terms_index.recent(tid, self.max_postings):
                acc[slot] = acc.get(slot, 0.0) + weight
        ranked = heapq.nlargest(self.rescore * 2, acc.items(), key=lambda kv: kv[1])
        return [slot for slot, _ in ranked if self._in_window(slot, ref)][: self.rescore]

    def _score(
        self, slot: int, vec: dict[int, float], norm: float, names: frozenset[int]
    ) -> tuple[float, int]:
        """Exact cosine against one stored item, and how many named entities they share."""
        dot = other_sq = 0.0
        shared_names = 0
        for i in range(self._offsets[slot], self._offsets[slot + 1]):
            tid = self._terms[i]
            packed = self._tw[i]
            weight = _tf(packed & ~NAME_BIT) * self._idf(tid)
            if packed & NAME_BIT:
                weight *= self.name_boost
            other_sq += weight * weight
            mine = vec.get(tid)
            if mine is not None:
                dot += mine * weight
                if packed & NAME_BIT or tid in names:
                    shared_names += 1
        if dot == 0.0:
            return 0.0, 0
        return dot / (norm * math.sqrt(other_sq)), shared_names

    def _best_event(self, feats: TextFeatures, ref: float) -> StoryDecision:
        vec, norm = self._query(feats)
        if norm == 0.0:
            return StoryDecision(None, Tier.NEW)
        per_story: dict[int, list[float]] = {}
        for slot in self._candidates(vec, ref):
            cosine, shared = self._score(slot, vec, norm, feats.names)
            if shared < self.min_names and cosine < self.strong_threshold:
                continue
            # Reports of one event cluster in time; the farther apart, the more proof it takes.
            cosine -= self.time_slope * abs(self._time[slot] - ref) / self.window.total_seconds()
            per_story.setdefault(self._story[slot], []).append(cosine)
        ranked = sorted(
            ((self._story_score(scores), story) for story, scores in per_story.items()),
            reverse=True,
        )
        if not ranked or ranked[0][0] < self.event_threshold:
            return StoryDecision(None, Tier.NEW)
        best, story = ranked[0]
        if len(ranked) > 1 and best - ranked[1][0] < self.margin and best < self.strong_threshold:
            return StoryDecision(None, Tier.NEW)  # two open stories fit about equally: unsure
        return StoryDecision(story, Tier.EVENT, round(min(best, 1.0), 3))

    def _story_score(self, scores: list[float]) -> float:
        """The best item's cosine, plus a share of the next: agreeing with two reports counts."""
        scores.sort(reverse=True)
        return scores[0] + (self.second_weight * scores[1] if len(scores) > 1 else 0.0)

    # -- compaction -------------------------------------------------------------------------

    def _compact(self) -> None:
        """Drop dead slots and rebuild the postings: run when most slots are dead."""
        old = (self._story, self._time, self._sig, self._offsets, self._terms, self._tw)
        story, times, sig, offsets, terms, tw = old
        self._reset()
        for slot, story_id in enumerate(story):
            if story_id == DEAD:
                continue
            new = len(self._story)
            self._story.append(story_id)
            self._time.append(times[slot])
            signature = sig[slot * SIG_BINS : (slot + 1) * SIG_BINS]
            self._sig.extend(signature)
            for i in range(offsets[slot], offsets[slot + 1]):
                self._terms.append(terms[i])
                self._tw.append(tw[i])
                self._terms_index.add(terms[i], new)
            self._offsets.append(len(self._terms))
            for key in _band_keys(signature):
                self._bands.add(key, new)
            self._alive += 1


def _seeded_df() -> array[int]:
    """Document frequencies before any document: generic news words already look common."""
    df = array("I", bytes(4 * DF_BUCKETS))
    for word in GENERIC:
        df[term_id(stem(word)) & (DF_BUCKETS - 1)] = GENERIC_DF
    return df


def _tf(raw: int) -> float:
    return 1.0 + math.log(raw)


def _band_keys(sig: tuple[int, ...] | array[int]) -> list[int]:
    """LSH keys: two bins per band, so a pair with Jaccard J collides in a band with p = J^2."""
    if sum(v != EMPTY_BIN for v in sig) < MIN_FILLED:  # a few words: too short to call a copy
        return []
    keys = []
    for band, (a, b) in enumerate(BANDS):
        if sig[a] != EMPTY_BIN and sig[b] != EMPTY_BIN:
            keys.append((band << 60) ^ (sig[a] << 28) ^ sig[b])
    return keys
