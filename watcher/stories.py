"""Story grouping: which story a new item joins — a near-identical copy, the same event in other
words — or whether it starts one. Pure in-memory state: no I/O, no clock.

Tiers decided here (Tier.SAME — same key, URL or guid — is the store's job, before this):

* COPY: the body's MinHash signature (similarity.py) estimates a Jaccard similarity of at least
  ``copy_threshold`` with an item of an open story. Candidates come from LSH band keys.
* EVENT: the best few open stories sharing informative terms with the item are each described by
  a handful of signals (story_model.FEATURES: TF-IDF cosines of title, lead and both with the
  story's closest *and first* report, shared names (rare ones too) and numbers, conflicting
  names and numbers, time apart) and a learned logistic regression (story_model.py) gives the
  probability that the item reports the same event. The item joins the most probable story when
  that reaches the model's threshold and beats the runner-up by its margin; anything unsure
  starts a new story. A story that so far holds only the item's own feed's reports (its first
  and its closest) needs more: ``own_feed`` (0.95), see OWN_FEED. Two headlines dated other
  days ("Best of cartoons, September 20" / "..., September 21") never join, nor two whose
  decimal figures differ and appear nowhere in the other report ("magnitude 6.4" / "7.1").

**Merging.** Two reports of one event told in other words (opposite-leaning outlets) may each
start a story; a third report that fits both well shows them to be one. The item then joins the
older story and the younger is folded into it (`StoryDecision.merge`), when: both stories give
the item p >= ``merge_bar`` (0.85), neither holds more than ``merge_most`` (3) reports, the
item's feed is in neither and the two share no feed (one outlet's two stories are two events,
see OWN_FEED), and some report of one story fits the other at p >= ``merge_cross`` (0.3: the
two are not strangers, no veto between them). Measured in bench/README.md (*Story merging*).

**Precision first.** Merging two events loses an alert; splitting one costs a duplicate. The
model's threshold was chosen on training data for precision, not for F1.

**Story time.** A story takes in new reports for ``window`` (default 36 h) after its *first*
report. Time apart counts against a join (the model learned how much), so a report hours
later joins on ordinary similarity and a day-late one needs more. A story cannot live on by
chaining from one event into the next through a run of neighbours: every join is also judged
against the story's first report (``cos_anchor``) and the clock runs from that report. A
report that tells of an earlier day's happening as such ("a day after the quake", "after
Monday's floods") continues it: the day between them counts as BACK_APART.

**Robust to the index's state.** A word's IDF starts from a fixed weight (generic news words,
seeded, weigh less) and what the index learns online (hashed document counts that forget
slowly) may only lower it, by at most ``idf_learning`` nats: a fresh index and one warmed by a
day of traffic weigh words nearly alike. Every signal is normalised per pair, and the model was
trained on fresh and warmed indexes alike. (Unbounded online IDF let a warmed index join what a
fresh one kept apart.)

Memory is kept compact (the lead rebuilds the index at start-up from every stored item in the
window): per item a time, a story id, 16 bits of its feed's hash, a norm, a 64-byte signature
and its top ``max_terms`` terms (32-bit id + a byte of weight and flags) in flat arrays; one
array of slots per term, holding no more than its newest ``2 x max_postings`` (no older one is
ever read); LSH band keys and each story's first slot in open-addressing tables of flat
arrays. No Python object per item. Candidates are counted (in C, by collections.Counter)
over the newest ``max_postings`` slots of the query's ``probe_terms`` most informative terms, so
joining costs the same with 1,000 or 100,000 items in the window; only the best ``rescore`` are
scored exactly and only the best ``shortlist`` stories go to the model.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import chain

import xxhash

from watcher.first_slots import FirstSlots
from watcher.model import Item, StoryDecision, Tier
from watcher.similarity import (
    COUNT_BIT,
    DATES,
    DECIMAL_BIT,
    GENERIC_IDS,
    NUMBER_BIT,
    SIG_BINS,
    BandTable,
    TextFeatures,
    WordInfo,
    band_keys,
    features,
    jaccard,
    toll,
)
from watcher.story_model import JoinModel, default_model, vetoed

DF_BUCKETS = 1 << 20  # hashed document-frequency counters (uint16): 2 MB
DF_MAX = 0xFFFF
IDF_PRIOR = 200
GENERIC_DF = 50  # a generic news word counts as if in a quarter of the prior documents
BASE_IDF = math.log(IDF_PRIOR)  # a word's weight before the index learns anything of it
GENERIC_IDF = math.log(IDF_PRIOR / (GENERIC_DF + 1))
IDF_LEARNING = 0.0  # nats learned document frequencies may lower an IDF by (0: fixed IDF)
_MASK = DF_BUCKETS - 1
DEAD = -(2**63)  # story id of a pruned slot: no real id (SQLite rowids are positive)
NAME_BIT = 0x80  # in a stored term's weight byte: cued as a name
TITLE_BIT = 0x40  # ... found in the title; the low 6 bits are the raw weight
RAW_MASK = 0x3F
SHORT_TERMS = 8  # a report with this many terms or fewer is a headline alone
# The probability a report needs to join a story whose first and closest reports are its own
# feed's. An outlet writes many reports on one subject a day in its own words (a city's Covid
# news, a league's round, a region's crime), so their wording agrees more than two outlets'
# on one event; its second report of one event is usually an edit of the first (one item).
# On the labelled real day, such joins were wrong 33 times in 48 at the model's threshold.
OWN_FEED = 0.95
# A report telling of an earlier day's happening as such ("after Monday's floods", "a day after
# the quake", "the strike enters its second day": textcues.refers_back) continues it: the
# time between them counts as at most this (days) against the join.
BACK_APART = 0.25
# Of these bits a decimal figure's id has NUMBER_BIT and DECIMAL_BIT (similarity.term_id).
FIGURES = DATES | COUNT_BIT | DECIMAL_BIT
DECIMALS = NUMBER_BIT | DECIMAL_BIT
MERGE_BAR = 0.85  # both stories' probability for the item, to fold one into the other
MERGE_CROSS = 0.3  # ... and the best probability of a report of one against the other
MERGE_MOST = 3  # ... and neither story holds more reports than this
DAY = 86400.0
_LOG1 = tuple(math.log(count + 1) for count in range(DF_MAX + 1))
_TF = (0.0, *(1.0 + math.log(raw) for raw in range(1, 64)))  # sublinear term frequency
_TF2 = tuple(tf * tf for tf in _TF)


class StoryIndex:
    """The join index over items of open stories: pure in-memory state, no I/O, no clock."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(hours=36),
        copy_threshold: float = 0.7,
        model: JoinModel | None = None,
        threshold: float | None = None,
        margin: float | None = None,
        lead_words: int = 120,
        title_weight: int = 2,
        max_terms: int = 24,
        probe_terms: int = 14,
        max_postings: int = 32,
        rescore: int = 12,
        shortlist: int = 3,
        idf_horizon: int = 200_000,
        idf_learning: float | None = None,
        own_feed: float = OWN_FEED,
        merge_bar: float = MERGE_BAR,
        merge_cross: float = MERGE_CROSS,
        merge_most: int = MERGE_MOST,
    ) -> None:
        self.window = window
        self.copy_threshold = copy_threshold
        self.model = model if model is not None else default_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.margin = self.model.margin if margin is None else margin
        self.lead_words = lead_words
        self.title_weight = title_weight
        self.max_terms = max_terms
        self.probe_terms = probe_terms
        self.max_postings = max_postings
        self.rescore = rescore
        self.shortlist = shortlist
        self.idf_horizon = idf_horizon
        self.idf_learning = IDF_LEARNING if idf_learning is None else idf_learning
        self.own_feed = own_feed
        self.merge_bar = merge_bar  # above 1: never merge
        self.merge_cross = merge_cross
        self.merge_most = merge_most
        # Merges since mark(): (story, survivor, the slots relabelled), undone by forget_since
        self._merged: list[tuple[int, int, array[int]]] = []
        self._reset()
        # Hashed document frequencies (2 MB): made once the IDF learns (a fixed IDF needs none).
        self._df: array[int] | None = None
        self._generic = frozenset(tid & _MASK for tid in GENERIC_IDS)
        self._docs = 0
        self._cache: tuple[Item, TextFeatures, list[int]] | None = None
        self._vocab: dict[str, WordInfo] = {}  # similarity's per-word memo, bounded there

    def _reset(self) -> None:
        self._story = array("q")  # per slot; DEAD once pruned
        self._time = array("d")  # per slot: published, POSIX seconds
        self._feed = array("H")  # per slot: its feed's number (_feed_number)
        self._norm = array("f")  # per slot: vector length when added
        self._sig = array("I")  # SIG_BINS per slot
        self._offsets = array("I", (0,))  # per slot: where its terms start in _terms / _tw
        self._terms = array("I")
        self._tw = array("B")  # raw weight | NAME_BIT | TITLE_BIT
        # term -> the newest slots holding it (under 2 x max_postings), ascending
        self._postings: dict[int, array[int]] = {}
        self._bands = BandTable()
        self._first = FirstSlots()  # story -> its first slot: where the story's clock starts
        # Each story's slots form a chain (first -> ... -> last) through _next, so a story's
        # reports are found without a scan (merging asks: how many, which feeds).
        self._next = array("i")  # per slot: the next slot of its story's chain, -1 at the end
        self._last = FirstSlots()  # story -> its last slot
        self._alive = 0

    # -- public API -------------------------------------------------------------------------

    def decide(self, item: Item) -> StoryDecision:
        feats, keys = self._features(item)
        ref = item.published.timestamp()
        copy = self._best_copy(feats, keys, ref)
        if copy is not None:
            return copy
        feed = self._feed_number(item)
        ranked = sorted(self._contenders(feats, ref, feed), reverse=True)
        if not ranked or ranked[0][0] < self.threshold:
            return StoryDecision(None, Tier.NEW)
        best, story, _ = ranked[0]
        if len(ranked) > 1 and ranked[1][0] >= self.merge_bar:
            found = self._mergeable([s for p, s, _ in ranked if p >= self.merge_bar], feed)
            if found is not None:
                return StoryDecision(found[0], Tier.EVENT, round(best, 3), found[1])
        if len(ranked) > 1 and best - ranked[1][0] < self.margin:
            return StoryDecision(None, Tier.NEW)  # two open stories fit about equally: unsure
        return StoryDecision(story, Tier.EVENT, round(best, 3))

    def contenders(self, item: Item) -> list[tuple[int, tuple[float, ...], float]]:
        """The open stories the model weighs for `item`: (story, signals, probability), best
        first. For training and explaining; decide() makes the choice."""
        feats, _ = self._features(item)
        when, feed = item.published.timestamp(), self._feed_number(item)
        ranked = sorted(self._contenders(feats, when, feed), reverse=True)
        return [(story, signals, p) for p, story, signals in ranked]

    def add(self, item: Item, story_id: int) -> None:
        feats, keys = self._features(item)
        if self.idf_learning > 0.0:
            self._count_df(feats)
        terms = feats.weights
        ranked = sorted(zip(self._tfidf(terms), terms, terms.values(), strict=True), reverse=True)
        weighted = ranked[: self.max_terms]  # the heaviest: enough for the cosine, bounded per item
        names, title = feats.names, feats.title
        self._append(
            story_id,
            item.published.timestamp(),
            self._feed_number(item),
            feats.signature,
            keys,
            [tid for _, tid, _ in weighted],
            [
                raw | (NAME_BIT if tid in names else 0) | (TITLE_BIT if tid in title else 0)
                for _, tid, raw in weighted
            ],
            math.sqrt(sum([weight * weight for weight, _, _ in weighted])),
        )

    def move(self, item: Item, from_story: int, to_story: int) -> bool:
        """The desk split `item` out of `from_story` (issue 15): its slot now belongs to
        `to_story`, so reports joining through it join the new story, and it never brings
        them to the old one. False when the item is not in the index (out of the window)."""
        feats, _ = self._features(item)
        ref, sig = item.published.timestamp(), array("I", feats.signature)
        for slot in range(len(self._story)):
            if (
                self._story[slot] == from_story
                and self._time[slot] == ref
                and self._sig[slot * SIG_BINS : (slot + 1) * SIG_BINS] == sig
            ):
                self._story[slot] = to_story
                self._first.setdefault(to_story, slot)
                self._rechain()
                return True
        return False

    def merge(self, story: int, into: int) -> int:
        """Fold `story` into `into` (decide() said they are one event): its reports now belong
        to `into`, whose first report stays the clock's start. How many slots moved."""
        slots = array("I", self._slots_of(story))
        for slot in slots:
            self._story[slot] = into
        tail, head = self._last.get(into, -1), self._first.get(story, -1)
        if tail >= 0 and head >= 0:  # its chain goes on with the merged story's
            self._next[tail] = head
            self._last.put(into, self._last.get(story, head))
        self._merged.append((story, into, slots))
        return len(slots)

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
        """Where the index stands now; `forget_since(mark)` undoes every add and merge after
        it. (A mark is taken when a transaction begins: what came before is stored.)"""
        self._merged.clear()
        return len(self._story)

    def forget_since(self, mark: int) -> int:
        """Drop the items added since `mark`: their transaction was rolled back, so their story
        ids no longer exist and must never be offered again (a join to one would fail the next
        insert on its foreign key, poll after poll). The slots die as pruned ones do; their
        document-frequency counts stay, a drift as small as a pruned item's."""
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
        self._cache = None
        return gone

    # -- storage ----------------------------------------------------------------------------

    def _append(
        self,
        story_id: int,
        published: float,
        feed: int,
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
        self._feed.append(feed)
        self._norm.append(norm)
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
                if len(found) >= 2 * limit:  # _candidates reads only the newest `limit`
                    del found[:limit]
        for key in keys:
            self._bands.put(key, slot)
        self._first.setdefault(story_id, slot)
        self._chain(story_id, slot)
        self._alive += 1

    def _chain(self, story_id: int, slot: int) -> None:
        """The new `slot` ends its story's chain."""
        self._next.append(-1)
        prev = self._last.get(story_id, -1)
        if prev >= 0:
            self._next[prev] = slot
        self._last.put(story_id, slot)

    def _rechain(self) -> None:
        """Every story's chain made again in slot order (after a move or an undone merge)."""
        self._next = array("i", (-1,)) * len(self._story)
        self._last = FirstSlots()
        for slot, story_id in enumerate(self._story):
            if story_id != DEAD:
                prev = self._last.get(story_id, -1)
                if prev >= 0:
                    self._next[prev] = slot
                self._last.put(story_id, slot)

    def _compact(self) -> None:
        """Drop dead slots and rebuild everything from the living: run when most are dead."""
        old = (self._story, self._time, self._feed, self._norm, self._sig, self._offsets)
        story, times, feeds, norms, sig, offsets = old
        terms, tw = self._terms, self._tw
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
            )

    # -- features and document frequencies ----------------------------------------------------

    @staticmethod
    def _feed_number(item: Item) -> int:
        """16 bits of a hash of the item's feed URL: two feeds share one once in 65,536 pairs."""
        return int(xxhash.xxh32_intdigest(item.feed_url.encode())) & 0xFFFF

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
        df, mask = self._learned_df(), DF_BUCKETS - 1
        for tid in feats.weights:
            bucket = tid & mask
            if df[bucket] < DF_MAX:
                df[bucket] += 1
        self._docs += 1
        if self._docs >= 2 * self.idf_horizon:  # forget slowly: halve every count
            self._df = array("H", (c >> 1 for c in df))
            self._docs >>= 1

    def _learned_df(self) -> array[int]:
        if self._df is None:
            self._df = _seeded_df()
        return self._df

    def _idf(self, tids: Sequence[int] | dict[int, int]) -> list[float]:
        """Each term's IDF, in order: its fixed weight (BASE_IDF, GENERIC_IDF for the seeded
        generic news words), lowered by what the index has learned — log((docs + IDF_PRIOR) /
        (df + 1)) where that is smaller — but by at most ``idf_learning`` (nats).

        Bounded so that a warmed index and a fresh one weigh words nearly alike: the model's
        signals, and so its decisions, must not drift with the index's history."""
        if self.idf_learning <= 0.0:
            generic = self._generic
            return [GENERIC_IDF if tid & _MASK in generic else BASE_IDF for tid in tids]
        log_docs, df, generic, drop = (
            math.log(self._docs + IDF_PRIOR),
            self._learned_df(),
            self._generic,
            self.idf_learning,
        )
        out = []
        for tid in tids:
            base = GENERIC_IDF if tid & _MASK in generic else BASE_IDF
            learned = log_docs - _LOG1[df[tid & _MASK]]
            out.append(base if learned >= base else max(base - drop, learned))
        return out

    def _tfidf(self, weights: dict[int, int]) -> list[float]:
        """Each term's TF-IDF weight, in the order of `weights`."""
        return [
            _TF[raw] * idf for raw, idf in zip(weights.values(), self._idf(weights), strict=True)
        ]

    def _open(self, slot: int, ref: float) -> bool:
        """Is the slot alive, near `ref`, and its story still taking reports at `ref`?"""
        story = self._story[slot]
        if story == DEAD or abs(self._time[slot] - ref) > self.window.total_seconds():
            return False
        return abs(self._time[self._first.get(story, slot)] - ref) <= self.window.total_seconds()

    # -- tier 2: copies ---------------------------------------------------------------------

    def _best_copy(self, feats: TextFeatures, keys: list[int], ref: float) -> StoryDecision | None:
        best: tuple[float, int] | None = None
        for key in keys:
            slot = self._bands.get(key)
            if slot is None or not self._open(slot, ref):
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

    def _cosine(self, slot: int, squared: dict[int, float], norm: float) -> float:
        """Cosine with one stored item; `squared` holds each query term's TF x IDF^2."""
        begin = self._offsets[slot]
        row = self._terms[begin : self._offsets[slot + 1]]
        tw = self._tw
        dot = 0.0
        for tid in squared.keys() & row:  # set intersection in C; usually a handful of terms
            dot += squared[tid] * _TF[tw[begin + row.index(tid)] & RAW_MASK]
        return dot / (norm * self._norm[slot]) if norm and self._norm[slot] else 0.0

    def _contenders(
        self, feats: TextFeatures, ref: float, feed: int
    ) -> list[tuple[float, int, tuple[float, ...]]]:
        """(probability, story, signals) for the best few open stories."""
        query, norm, squared, sub_norms = self._query(feats)
        if norm == 0.0:
            return []
        window = self.window.total_seconds()
        stories, times = self._story, self._time
        best: dict[int, tuple[float, int]] = {}  # story -> (cosine, its closest slot)
        for slot in self._candidates(query):
            story = stories[slot]
            if story == DEAD or abs(times[slot] - ref) > window:
                continue
            cosine = self._cosine(slot, squared, norm)
            if cosine > best.get(story, (-1.0, 0))[0]:
                best[story] = (cosine, slot)
        title = feats.title
        dates = [tid for tid in title if tid & DATES == DATES]
        figures = [tid for tid in title if tid & FIGURES == DECIMALS]
        out = []
        for story, (cosine, slot) in sorted(best.items(), key=lambda kv: kv[1], reverse=True):
            first = self._first.get(story, slot)
            if abs(times[first] - ref) > window:
                continue  # the story stopped taking reports
            anchor = cosine if first == slot else self._cosine(first, squared, norm)
            signals = self._signals(feats, sub_norms, squared, slot, (cosine, anchor), ref, first)
            probability = self._probability(signals, slot, dates, figures, squared)
            if probability < self.own_feed and self._feed[slot] == feed == self._feed[first]:
                probability = 0.0  # only its own outlet's reports so far: see OWN_FEED
            out.append((probability, story, signals))
            if len(out) == self.shortlist:
                break
        return out

    # -- merging two stories ------------------------------------------------------------------

    def _mergeable(self, stories: list[int], feed: int) -> tuple[int, tuple[int, ...]] | None:
        """(the oldest, the others) when `stories` (each over merge_bar for an item of `feed`)
        may be folded into one: see the module docstring's *Merging*."""
        members = {story: self._slots_of(story, self.merge_most + 1) for story in stories}
        if any(len(slots) > self.merge_most for slots in members.values()):
            return None
        feeds = {story: {self._feed[slot] for slot in slots} for story, slots in members.items()}
        if any(feed in seen for seen in feeds.values()):
            return None
        # The oldest survives: the story made first (its first slot is the lowest, so every
        # slot it takes in lies after it, where _slots_of looks).
        ordered = sorted(stories, key=lambda s: members[s][0])
        for k, one in enumerate(ordered):
            for other in ordered[k + 1 :]:
                if feeds[one] & feeds[other] or not self._related(members[one], members[other]):
                    return None
        return ordered[0], tuple(ordered[1:])

    def _slots_of(self, story: int, most: int | None = None) -> list[int]:
        """The story's slots (at most `most`), its first first: along its chain."""
        slots: list[int] = []
        slot = self._first.get(story, -1)
        limit = len(self._story) if most is None else most
        stories, after = self._story, self._next
        while slot >= 0 and len(slots) < limit:
            if stories[slot] == story:  # a slot moved or forgotten stays on the chain
                slots.append(slot)
            slot = after[slot]
        return slots

    def _related(self, ones: list[int], others: list[int]) -> bool:
        """Some report of one story fits the other at merge_cross, either way round."""
        return any(
            self._pair(a, b) >= self.merge_cross or self._pair(b, a) >= self.merge_cross
            for a in ones
            for b in others
        )

    def _pair(self, query: int, slot: int) -> float:
        """The model's probability for stored report `query` (its kept terms as the text)
        against the story of stored report `slot`, as if it arrived now."""
        begin, end = self._offsets[query], self._offsets[query + 1]
        rows = list(zip(self._terms[begin:end], self._tw[begin:end], strict=True))
        feats = TextFeatures(
            {tid: f & RAW_MASK for tid, f in rows},
            frozenset(tid for tid, f in rows if f & NAME_BIT),
            (),
            0,
            frozenset(tid for tid, f in rows if f & TITLE_BIT),
        )
        _, norm, squared, sub_norms = self._query(feats)
        if norm == 0.0:
            return 0.0
        first = self._first.get(self._story[slot], slot)
        cosine = self._cosine(slot, squared, norm)
        anchor = cosine if first == slot else self._cosine(first, squared, norm)
        ref = self._time[query]
        signals = self._signals(feats, sub_norms, squared, slot, (cosine, anchor), ref, first)
        dates = [tid for tid in feats.title if tid & DATES == DATES]
        figures = [tid for tid in feats.title if tid & FIGURES == DECIMALS]
        return self._probability(signals, slot, dates, figures, squared)

    def _probability(
        self,
        signals: tuple[float, ...],
        slot: int,
        dates: list[int],
        figures: list[int],
        squared: dict[int, float],
    ) -> float:
        """The model's probability for a pair, 0 when a guard vetoes it: story_model.vetoed,
        headlines dated other days, other decimal figures in both headlines."""
        if (
            vetoed(signals)
            or (dates and self._other_date(slot, dates))
            or (figures and self._figures_apart(slot, figures, squared))
        ):
            return 0.0
        return self.model.probability(signals)

    def _query(
        self, feats: TextFeatures
    ) -> tuple[dict[int, float], float, dict[int, float], list[float]]:
        """The item's TF-IDF vector, its length, each term's TF x IDF^2 (for _cosine), and
        its title and lead sub-vectors' squared lengths."""
        idf = self._idf(feats.weights)
        query = {
            tid: _TF[raw] * w for (tid, raw), w in zip(feats.weights.items(), idf, strict=True)
        }
        norm = math.sqrt(sum([w * w for w in query.values()]))
        squared = {tid: w * i for (tid, w), i in zip(query.items(), idf, strict=True)}
        title = feats.title
        sub_norms = [0.0, 0.0]
        for tid, w in query.items():
            sub_norms[tid not in title] += w * w
        return query, norm, squared, sub_norms

    def _other_date(self, slot: int, dates: list[int]) -> bool:
        """Their headline is dated too, another day: two editions of a daily series ("Best of
        cartoons, September 20" / "..., September 21"), whatever else they share."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        theirs = {
            tid
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
            if f & TITLE_BIT and tid & DATES == DATES
        }
        return bool(theirs) and theirs.isdisjoint(dates)

    def _figures_apart(self, slot: int, figures: list[int], squared: dict[int, float]) -> bool:
        """Both headlines give figures (not tolls, not dates), and neither report mentions any
        of the other's: "Magnitude 6.4 quake damages wharf in Vanuatu capital" and, hours
        later, "Magnitude 7.1 earthquake strikes off Vanuatu" are two quakes."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row = self._terms[begin:end]
        theirs = [
            tid
            for tid, f in zip(row, self._tw[begin:end], strict=True)
            if f & TITLE_BIT and tid & FIGURES == DECIMALS
        ]
        return bool(theirs) and squared.keys().isdisjoint(theirs) and set(row).isdisjoint(figures)

    def _signals(
        self,
        feats: TextFeatures,
        sub_norms: list[float],
        squared: dict[int, float],
        slot: int,
        cosines: tuple[float, float],
        ref: float,
        first: int,
    ) -> tuple[float, ...]:
        """story_model.FEATURES for the item against a story (closest report `slot`)."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row = self._terms[begin:end]
        title, names, generic = feats.title, feats.names, self._generic
        # One pass over the stored terms. Sub-vectors: title terms, and lead terms (the rest),
        # on both sides; their squared lengths take every term, the rest what is shared and
        # what their headline holds. (Only counts and sums in row order: the same figures as
        # counting each with sets.)
        dots = [0.0, 0.0]  # title, lead
        norms_r = [0.0, 0.0]
        common = shared_names = rare = numbers = ours_in_row = theirs_in_query = 0
        their_title: list[int] = []
        their_name_apart = False  # their headline names something our report never mentions
        for tid, f, idf in zip(row, self._tw[begin:end], self._idf(row), strict=True):
            side = not f & TITLE_BIT
            norms_r[side] += _TF2[f & RAW_MASK] * idf * idf
            shared = tid in squared
            if not side:
                their_title.append(tid)
                theirs_in_query += shared
                if not shared and f & NAME_BIT and tid & _MASK not in generic:
                    their_name_apart = True
            if shared:
                common += 1
                ours = tid in title
                ours_in_row += ours
                if side != ours:  # title with title, lead with lead
                    dots[side] += squared[tid] * _TF[f & RAW_MASK]
                if f & NAME_BIT or tid in names:
                    shared_names += 1
                    rare += tid & _MASK not in generic
                numbers += tid >= NUMBER_BIT
        sub = [
            d / math.sqrt(q * r) if q and r else 0.0
            for d, q, r in zip(dots, sub_norms, norms_r, strict=True)
        ]
        ours_num = {tid for tid in title if tid & NUMBER_BIT}
        theirs_num = {tid for tid in their_title if tid & NUMBER_BIT}
        numbers_apart = _numbers_apart(ours_num, theirs_num, ref >= self._time[slot])
        # Mean share of each headline's terms that the other report lacks.
        mine = (len(title) - ours_in_row) / len(title) if title else 0.0
        other = (len(their_title) - theirs_in_query) / len(their_title) if their_title else 0.0
        novel = (mine + other) / 2
        conflict = their_name_apart and _named_apart(row, feats, generic)
        cos_best, cos_anchor = cosines
        short = len(squared) <= SHORT_TERMS or len(row) <= SHORT_TERMS
        apart = abs(self._time[slot] - ref) / DAY
        age = abs(self._time[first] - ref) / DAY
        if feats.refers_back and ref > self._time[first]:  # see BACK_APART
            apart, age = min(apart, BACK_APART), min(age, BACK_APART)
        rare_names = min(rare, 6) / 6
        return (
            cos_best,
            cos_anchor,
            sub[0],
            sub[1],
            common / max(1, min(len(squared), len(row))),
            min(shared_names, 3) / 3,
            cos_best if shared_names == 0 else 0.0,
            float(conflict),
            float(numbers > 0),
            float(numbers_apart),
            novel,
            apart,
            age,
            float(short),
            cos_best if short else 0.0,
            min(common, 6) / 6,
            rare_names,
            rare_names * apart,
        )


def _numbers_apart(ours: set[int], theirs: set[int], ours_later: bool) -> bool:
    """The two headlines give different figures ("6.4 quake" / "7.1 quake", "arrest 12" /
    "jails 3"), none shared. Tolls (textcues.tolls) differ only if the later headline's are
    all lower than the earlier's: a toll rises as an event unfolds ("Floods kill 4" at night,
    "death toll rises to 7" the next morning), and a toll against a figure of another kind
    ("Magnitude 7.1 quake" / "death toll rises to 9") compares nothing."""
    if not ours or not theirs or not ours.isdisjoint(theirs):
        return False
    ours_tolls = [value for value in map(toll, ours) if value is not None]
    theirs_tolls = [value for value in map(toll, theirs) if value is not None]
    if len(ours_tolls) < len(ours) and len(theirs_tolls) < len(theirs):
        return True  # other figures on both sides, none shared
    if not ours_tolls or not theirs_tolls:
        return False  # a toll against another kind of figure: nothing to compare
    later, earlier = (ours_tolls, theirs_tolls) if ours_later else (theirs_tolls, ours_tolls)
    return max(later) < min(earlier)


def _named_apart(row: Sequence[int], feats: TextFeatures, generic: frozenset[int]) -> bool:
    """Our headline names something the other report never mentions. With the same of their
    headline (`_signals`), a name conflict: "... sanctions on Mali" against "... resolution on
    Gaza", two events that share their vocabulary.

    A generic news word is no such name even when capitalised: "UN" in one headline and
    "UNHRC" in the other, or "Foreign Minister" against "Ishaq Dar", are one body or person
    named two ways, not two."""
    return any(tid not in row and tid & _MASK not in generic for tid in feats.title & feats.names)


def _seeded_df() -> array[int]:
    """Document frequencies before any document: generic news words already look common."""
    df = array("H", bytes(2 * DF_BUCKETS))
    for tid in GENERIC_IDS:
        df[tid & (DF_BUCKETS - 1)] = GENERIC_DF
    return df
