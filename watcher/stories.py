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
window): per item a time, a story id, a norm, a 64-byte signature and its top ``max_terms``
terms (32-bit id + a byte of weight and name bit) in flat arrays; one array of slots per term;
LSH band keys in an open-addressing table of two flat arrays. No Python object per item.
Document frequencies live in a fixed hashed count array that forgets slowly: the IDF is learned
online. Candidates are counted (in C, by collections.Counter) over the newest ``max_postings``
slots of the query's ``probe_terms`` most informative terms, so joining costs the same with
1,000 or 100,000 items in the window; only the best ``rescore`` are scored exactly.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import chain

from watcher.model import Item, StoryDecision, Tier
from watcher.similarity import (
    GENERIC,
    SIG_BINS,
    BandTable,
    TextFeatures,
    WordInfo,
    band_keys,
    features,
    jaccard,
    stem,
    term_id,
)

DF_BUCKETS = 1 << 20  # hashed document-frequency counters (uint16): 2 MB
DF_MAX = 0xFFFF
IDF_PRIOR = 200
GENERIC_DF = 50  # a generic news word counts as if in a quarter of the prior documents
DEAD = -(2**63)  # story id of a pruned slot: no real id (SQLite rowids are positive)
NAME_BIT = 0x80  # in a stored term's weight byte: cued as a name
TITLE_BIT = 0x40  # ... found in the title; the low 6 bits are the raw weight
RAW_MASK = 0x3F
_LOG1 = tuple(math.log(count + 1) for count in range(DF_MAX + 1))
_TF = (0.0, *(1.0 + math.log(raw) for raw in range(1, 64)))  # sublinear term frequency


class StoryIndex:
    """The join index over items still inside the window: pure in-memory state, no I/O, no clock."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=36),
        copy_threshold: float = 0.7,
        event_threshold: float = 0.12,
        strong_threshold: float = 0.45,
        min_names: int = 1,
        margin: float = 0.05,
        time_slope: float = 0.6,
        cold_start: float = 0.15,
        conflict_below: float = 0.3,
        lead_words: int = 80,
        title_weight: int = 2,
        max_terms: int = 24,
        probe_terms: int = 14,
        max_postings: int = 32,
        rescore: int = 12,
        idf_horizon: int = 200_000,
    ) -> None:
        self.window = window
        self.copy_threshold = copy_threshold
        self.event_threshold = event_threshold
        self.strong_threshold = strong_threshold
        self.min_names = min_names
        self.margin = margin
        self.time_slope = time_slope
        self.cold_start = cold_start
        self.conflict_below = conflict_below
        self.lead_words = lead_words
        self.title_weight = title_weight
        self.max_terms = max_terms
        self.probe_terms = probe_terms
        self.max_postings = max_postings
        self.rescore = rescore
        self.idf_horizon = idf_horizon
        self._reset()
        self._df = _seeded_df()
        self._docs = 0
        self._cache: tuple[Item, TextFeatures, list[int]] | None = None
        self._vocab: dict[str, WordInfo] = {}  # similarity's per-word memo, bounded there

    def _reset(self) -> None:
        self._story = array("q")  # per slot; DEAD once pruned
        self._time = array("d")  # per slot: published, POSIX seconds
        self._norm = array("f")  # per slot: vector length when added
        self._sig = array("I")  # SIG_BINS per slot
        self._offsets = array("I", (0,))  # per slot: where its terms start in _terms / _tw
        self._terms = array("I")
        self._tw = array("B")  # raw weight | NAME_BIT
        self._postings: dict[int, array[int]] = {}  # term -> slots holding it, ascending
        self._bands = BandTable()
        self._alive = 0

    # -- public API -------------------------------------------------------------------------

    def decide(self, item: Item) -> StoryDecision:
        feats, keys = self._features(item)
        ref = item.published.timestamp()
        copy = self._best_copy(feats, keys, ref)
        if copy is not None:
            return copy
        return self._best_event(feats, ref)

    def add(self, item: Item, story_id: int) -> None:
        feats, keys = self._features(item)
        self._count_df(feats)
        terms = feats.weights
        ranked = sorted(zip(self._tfidf(terms), terms, terms.values(), strict=True), reverse=True)
        weighted = ranked[: self.max_terms]  # the heaviest: enough for the cosine, bounded per item
        names, title = feats.names, feats.title
        self._append(
            story_id,
            item.published.timestamp(),
            feats.signature,
            keys,
            [tid for _, tid, _ in weighted],
            [
                raw | (NAME_BIT if tid in names else 0) | (TITLE_BIT if tid in title else 0)
                for _, tid, raw in weighted
            ],
            math.sqrt(sum([weight * weight for weight, _, _ in weighted])),
        )

    def prune(self, before: datetime) -> int:
        cutoff = before.timestamp()
        story, times = self._story, self._time
        gone = 0
        for slot in range(len(story)):
            if times[slot] < cutoff and story[slot] != DEAD:
                story[slot] = DEAD
                gone += 1
        self._alive -= gone
        if len(story) > 2 * self._alive + 1024:
            self._compact()
        return gone

    def __len__(self) -> int:
        return self._alive

    def mark(self) -> int:
        """Where the index stands now; `forget_since(mark)` undoes every add after it."""
        return len(self._story)

    def forget_since(self, mark: int) -> int:
        """Drop the items added since `mark`: their transaction was rolled back, so their story
        ids no longer exist and must never be offered again (a join to one would fail the next
        insert on its foreign key, poll after poll). The slots die as pruned ones do; their
        document-frequency counts stay, a drift as small as a pruned item's."""
        story = self._story
        gone = 0
        for slot in range(mark, len(story)):
            if story[slot] != DEAD:
                story[slot] = DEAD
                gone += 1
        self._alive -= gone
        self._cache = None
        return gone

    # -- storage ----------------------------------------------------------------------------

    def _append(
        self,
        story_id: int,
        published: float,
        signature: tuple[int, ...] | array[int],
        keys: list[int],
        terms: Sequence[int],
        packed: Sequence[int],
        norm: float,
    ) -> None:
        """One more slot; `keys` are the signature's band keys, `packed` each term's flags."""
        slot = len(self._story)
        self._story.append(story_id)
        self._time.append(published)
        self._norm.append(norm)
        self._sig.extend(signature)
        self._terms.extend(terms)
        self._tw.extend(packed)
        self._offsets.append(len(self._terms))
        postings = self._postings
        for tid in terms:
            found = postings.get(tid)
            if found is None:
                postings[tid] = array("I", (slot,))
            else:
                found.append(slot)
        for key in keys:
            self._bands.put(key, slot)
        self._alive += 1

    def _compact(self) -> None:
        """Drop dead slots and rebuild everything from the living: run when most are dead."""
        old = (self._story, self._time, self._norm, self._sig, self._offsets, self._terms, self._tw)
        story, times, norms, sig, offsets, terms, tw = old
        self._reset()
        for slot, story_id in enumerate(story):
            if story_id == DEAD:
                continue
            begin, end = offsets[slot], offsets[slot + 1]
            signature = sig[slot * SIG_BINS : (slot + 1) * SIG_BINS]
            self._append(
                story_id,
                times[slot],
                signature,
                band_keys(signature),
                terms[begin:end],
                tw[begin:end],
                norms[slot],
            )

    # -- features and document frequencies ----------------------------------------------------

    def _features(self, item: Item) -> tuple[TextFeatures, list[int]]:
        """The item's features and its signature's band keys."""
        # decide() then add() for the same item is the pipeline's pattern: compute once.
        if self._cache is not None and self._cache[0] is item:
            return self._cache[1], self._cache[2]
        feats = features(
            item.title,
            item.summary,
            lead_words=self.lead_words,
            title_weight=self.title_weight,
            vocab=self._vocab,
        )
        keys = band_keys(feats.signature)
        self._cache = (item, feats, keys)
        return feats, keys

    def _count_df(self, feats: TextFeatures) -> None:
        df, mask = self._df, DF_BUCKETS - 1
        for tid in feats.weights:
            bucket = tid & mask
            if df[bucket] < DF_MAX:
                df[bucket] += 1
        self._docs += 1
        if self._docs >= 2 * self.idf_horizon:  # forget slowly: halve every count
            self._df = array("H", (c >> 1 for c in df))
            self._docs >>= 1

    def _log_docs(self) -> float:
        """The IDF of a term is log((docs + IDF_PRIOR) / (df + 1)), computed as this minus
        _LOG1[df] (a table); _tfidf and _score inline that, as they run for every term.

        A prior of IDF_PRIOR documents without the term: with few documents seen (a fresh
        index) every term weighs about the same instead of shared words counting least."""
        return math.log(self._docs + IDF_PRIOR)

    def _tfidf(self, weights: dict[int, int]) -> list[float]:
        """Each term's TF-IDF weight, in the order of `weights`."""
        log_docs, df, mask = self._log_docs(), self._df, DF_BUCKETS - 1
        return [_TF[raw] * (log_docs - _LOG1[df[tid & mask]]) for tid, raw in weights.items()]

    def _in_window(self, slot: int, ref: float) -> bool:
        return (
            self._story[slot] != DEAD and abs(self._time[slot] - ref) <= self.window.total_seconds()
        )

    # -- tier 2: copies ---------------------------------------------------------------------

    def _best_copy(self, feats: TextFeatures, keys: list[int], ref: float) -> StoryDecision | None:
        best: tuple[float, int] | None = None
        for key in keys:
            slot = self._bands.get(key)
            if slot is None or not self._in_window(slot, ref):
                continue
            other = self._sig[slot * SIG_BINS : (slot + 1) * SIG_BINS]
            score = jaccard(feats.signature, other)
            if score >= self.copy_threshold and (best is None or score > best[0]):
                best = (score, slot)
        if best is None:
            return None
        return StoryDecision(self._story[best[1]], Tier.COPY, round(best[0], 3))

    # -- tier 3: same event ------------------------------------------------------------------

    def _candidates(self, query: dict[int, float]) -> list[int]:
        """Slots sharing the most of the query's most informative terms (counted in C)."""
        informative = sorted(query, key=query.__getitem__, reverse=True)[: self.probe_terms]
        limit = self.max_postings
        found = [slots for slots in map(self._postings.get, informative) if slots is not None]
        # The newest slots; a short posting is used as it is (a slice would copy it).
        tails = [slots if len(slots) <= limit else slots[-limit:] for slots in found]
        counts = Counter(chain.from_iterable(tails))
        if len(counts) <= self.rescore:  # all of them: no need to rank
            return list(counts)
        # Ranked in C (unlike most_common); the sort is stable, so a tie at the cut goes to the
        # slot met first, i.e. under the more informative term.
        return sorted(counts, key=counts.__getitem__, reverse=True)[: self.rescore]

    def _score(
        self, slot: int, query: dict[int, float], log_docs: float, names: frozenset[int]
    ) -> tuple[float, int, int]:
        """Dot product with one stored item, how many named entities and terms they share."""
        begin = self._offsets[slot]
        row = self._terms[begin : self._offsets[slot + 1]]
        tw, df, mask = self._tw, self._df, DF_BUCKETS - 1
        dot = 0.0
        shared = 0
        common = query.keys() & row  # set intersection in C; usually a handful of terms
        for tid in common:
            packed = tw[begin + row.index(tid)]
            idf = log_docs - _LOG1[df[tid & mask]]
            dot += query[tid] * _TF[packed & RAW_MASK] * idf
            if packed & NAME_BIT or tid in names:
                shared += 1
        return dot, shared, len(common)

    def _conflict(self, slot: int, feats: TextFeatures) -> bool:
        """Each headline names something the other report never mentions ("... sanctions on
        Mali" against "... resolution on Gaza"): two events that share their vocabulary."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row = self._terms[begin:end]
        theirs = any(
            flags & NAME_BIT and flags & TITLE_BIT and tid not in feats.weights
            for tid, flags in zip(row, self._tw[begin:end], strict=True)
        )
        return theirs and any(tid not in row for tid in feats.title & feats.names)

    def _strong_alone(self, slot: int, feats: TextFeatures, cosine: float, common: int) -> bool:
        """May two reports sharing no name join on wording alone? Short headlines make cosines
        jumpy ("Earthquake hits Chile" / "Earthquake hits Peru" share two words of three), so
        besides a strong cosine this takes two shared terms and no conflicting names."""
        return cosine >= self.strong_threshold and common >= 2 and not self._conflict(slot, feats)

    def _event_bar(self) -> float:
        """The cosine a join needs. A fresh index has not yet learned which words are common, so
        shared everyday words inflate cosines: the bar starts ``cold_start`` higher and relaxes
        as documents arrive (halfway after IDF_PRIOR of them)."""
        return self.event_threshold + self.cold_start * IDF_PRIOR / (self._docs + IDF_PRIOR)

    def _best_event(self, feats: TextFeatures, ref: float) -> StoryDecision:
        query = dict(zip(feats.weights, self._tfidf(feats.weights), strict=True))
        norm = math.sqrt(sum([w * w for w in query.values()]))
        if norm == 0.0:
            return StoryDecision(None, Tier.NEW)
        # Below this a story can neither join nor be the close second that makes a join unsure.
        threshold = self._event_bar()
        floor = threshold - self.margin
        window = self.window.total_seconds()
        stories, times = self._story, self._time
        log_docs = self._log_docs()
        per_story: dict[int, float] = {}
        for slot in self._candidates(query):
            if stories[slot] == DEAD or abs(times[slot] - ref) > window:  # _in_window, inlined
                continue
            dot, shared, common = self._score(slot, query, log_docs, feats.names)
            cosine = dot / (norm * self._norm[slot])
            if shared < self.min_names and not self._strong_alone(slot, feats, cosine, common):
                continue
            # Reports of one event cluster in time; the farther apart, the more proof it takes.
            score = cosine - self.time_slope * abs(times[slot] - ref) / window
            if score < floor or (cosine < self.conflict_below and self._conflict(slot, feats)):
                continue
            story = stories[slot]
            per_story[story] = max(score, per_story.get(story, score))
        ranked = sorted([(score, story) for story, score in per_story.items()], reverse=True)
        if not ranked or ranked[0][0] < threshold:
            return StoryDecision(None, Tier.NEW)
        best, story = ranked[0]
        if len(ranked) > 1 and best - ranked[1][0] < self.margin and best < self.strong_threshold:
            return StoryDecision(None, Tier.NEW)  # two open stories fit about equally: unsure
        return StoryDecision(story, Tier.EVENT, round(min(best, 1.0), 3))


def _seeded_df() -> array[int]:
    """Document frequencies before any document: generic news words already look common."""
    df = array("H", bytes(2 * DF_BUCKETS))
    for word in GENERIC:
        df[term_id(stem(word)) & (DF_BUCKETS - 1)] = GENERIC_DF
    return df
