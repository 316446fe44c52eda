"""What the story model (story_model.py) is told of an item against a stored report: the
signals of story_model.FEATURES, and the guards that veto a pair whatever its probability.

Term weights are TF-IDF. A word's IDF starts from a fixed weight (generic news words, seeded,
weigh less) and what the index learns online (hashed document counts that forget slowly) may
only lower it, by at most ``idf_learning`` nats (stories.py: *Robust to the index's state*).
Every signal is normalised per pair: cosines of the whole text, the title and the lead with the
story's closest and first reports, shared names (rare ones too) and numbers, conflicting names
and numbers, headline terms the other lacks, time apart. Read from the slots (story_slots.py);
the choice among stories is stories.py's.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Collection, Sequence
from operator import mul

from watcher.arcs import ARC_TERMS, opened, turned
from watcher.descriptions import (
    COUNTRY_BITS,
    COUNTRY_INITIALS,
    COUNTRY_PARTS,
    HEAD_TERMS,
    PLACE_TERMS,
    REGION_CITIES,
    TOWN_BITS,
)
from watcher.happenings import (
    AFTERMATH,
    CEREMONY,
    CEREMONY_OWN,
    DEATH,
    GROUP_OF,
    KIND_OF,
    OFFICE_TERMS,
    PARTING_OF,
    STAGE_OF,
    STORM_WAKE,
    STRIKING,
    WHERE,
    ceremonies_apart,
    ceremony_told,
    groups,
    kinds,
    kinds_apart,
    kinds_part,
    named,
    one_kind,
    parting_kinds,
    previewed,
    stages_apart,
    storms_apart,
)
from watcher.kin import NAME_BITS, given_names, key, two_people
from watcher.name_slots import apart_pairs, one_slot, slot_pairs
from watcher.places import apart, one_country
from watcher.similarity import NO_SUBJECT, TextFeatures
from watcher.story_model import FEATURES, JoinModel, vetoed
from watcher.story_slots import DEAD, NAME_BIT, RAW_MASK, TITLE_BIT, StorySlots
from watcher.terms import (
    COUNT_BIT,
    DATES,
    DECIMAL_BIT,
    GENERIC_IDS,
    NAME_PART_IDS,
    NUMBER_BIT,
    SCORE_MARK,
    root,
    term_id,
    toll,
)

DF_BUCKETS = 1 << 20  # hashed document-frequency counters (uint16): 2 MB
DF_MAX = 0xFFFF
IDF_PRIOR = 200
GENERIC_DF = 50  # a generic news word counts as if in a quarter of the prior documents
BASE_IDF = math.log(IDF_PRIOR)  # a word's weight before the index learns anything of it
GENERIC_IDF = math.log(IDF_PRIOR / (GENERIC_DF + 1))
IDF_LEARNING = 0.0  # nats learned document frequencies may lower an IDF by (0: fixed IDF)
_MASK = DF_BUCKETS - 1
_LEAD_NAME = NAME_BIT | TITLE_BIT  # with `f & _LEAD_NAME == NAME_BIT`: a name of the lead alone
SHORT_TERMS = 8  # a report with this many terms or fewer is a headline alone
# A report telling of an earlier day's happening as such ("after Monday's floods", "a day after
# the quake", "the strike enters its second day": textcues.refers_back), or naming the weekday
# its story's first report came out on and not its own (textcues.days_named), continues it: the
# time between them counts as at most this (days) against the join.
BACK_APART = 0.25
# Of these bits a decimal figure's id has NUMBER_BIT and DECIMAL_BIT (terms.term_id).
FIGURES = DATES | COUNT_BIT | DECIMAL_BIT
DECIMALS = NUMBER_BIT | DECIMAL_BIT
DAY = 86400.0
_CONFLICT, _SHORT = FEATURES.index("name_conflict"), FEATURES.index("short")
_NUMBER_CONFLICT = FEATURES.index("number_conflict")
_RARE = FEATURES.index("rare_names")  # a rare name both reports write (StoryIndex._contenders)
# Two headlines' own fillings of one template whose subjects differ are this many terms each, or
# one (_alike).
TEMPLATE_SLOT = 2
LONE_NAMES = 2  # rare names only the item and a lone report share: _named_alone
PARTS_SHARED = 2 / 6  # at most this many shared rare names may be kinds' words (_parts_only)
# Words of a public service's name ("Bureau of Fire Protection", "Coast Guard", "Fire Rescue"),
# which a report of another place writes as a common word ("the fire service", "the south
# coast"): with the kinds of institution (terms.NAME_PARTS), what `_kinds_shared` asks.
_SERVICE_WORDS = "fire coast guard rescue"
_KIND_WORDS = NAME_PART_IDS | frozenset(term_id(root(word)) for word in _SERVICE_WORDS.split())
_LOG1 = tuple(math.log(count + 1) for count in range(DF_MAX + 1))
_TF = (0.0, *(1.0 + math.log(raw) for raw in range(1, 64)))  # sublinear term frequency
_TF2 = tuple(tf * tf for tf in _TF)
# The same, indexed by a stored term's weight byte (story_slots: its low 6 bits are the raw
# weight): one lookup instead of a mask and a lookup.
_TF_OF = tuple(_TF[f & RAW_MASK] for f in range(256))
_TF2_OF = tuple(_TF2[f & RAW_MASK] for f in range(256))
# ... times a fixed IDF squared, an ordinary word's and a generic one's (_sub_norms): the same
# products, made once.
_SQUARED_OF = tuple(_TF2_OF[f] * BASE_IDF * BASE_IDF for f in range(256))
_GENERIC_SQUARED_OF = tuple(_TF2_OF[f] * GENERIC_IDF * GENERIC_IDF for f in range(256))
# An item as stories.py weighs it: its features, its title and lead sub-vectors' squared
# lengths and each term's TF x IDF^2 (_query), and its headline's dates, decimal figures and
# numbers (_weighed).
Query = tuple[TextFeatures, list[float], dict[int, float], list[int], list[int], set[int]]
# What _query makes of an item: its TF-IDF vector, its length, each term's TF x IDF^2, and its
# title and lead sub-vectors' squared lengths.
Vectors = tuple[dict[int, float], float, dict[int, float], list[float]]


class PairSignals(StorySlots):
    """The signals and guards for a pair (item, stored report), over the index's slots."""

    def __init__(
        self, *, model: JoinModel, idf_horizon: int, idf_learning: float, max_postings: int
    ) -> None:
        super().__init__(max_postings=max_postings)
        self.model = model
        self.idf_horizon = idf_horizon
        self.idf_learning = idf_learning
        # Hashed document frequencies (2 MB): made once the IDF learns (a fixed IDF needs none).
        self._df: array[int] | None = None
        self._generic = frozenset(tid & _MASK for tid in GENERIC_IDS)
        self._docs = 0
        self.days = True  # a weekday named by both reports is a back reference (BACK_APART)
        # The last item's _query, kept for add(): decide() then add() is the pipeline's pattern
        self._queried: tuple[TextFeatures, Vectors] | None = None

    def _count_df(self, feats: TextFeatures) -> None:
        df, mask = self._learned_df(), DF_BUCKETS - 1
        for tid in feats.weights:
            bucket = tid & mask
            if df[bucket] < DF_MAX:
                df[bucket] += 1
        self._docs += 1
        self._queried = None  # its IDF moved
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

    def _tfidf(self, feats: TextFeatures) -> list[float]:
        """Each term's TF-IDF weight, in the order of its weights (the query's, if made)."""
        if self._queried is not None and self._queried[0] is feats:
            return list(self._queried[1][0].values())
        weights = feats.weights
        return [
            _TF[raw] * idf for raw, idf in zip(weights.values(), self._idf(weights), strict=True)
        ]

    def _cosine(self, slot: int, squared: dict[int, float], norm: float) -> float:
        """Cosine with one stored item; `squared` holds each query term's TF x IDF^2."""
        return self._cosines((slot,), squared, norm)[0]

    def _cosines(
        self,
        slots: Sequence[int],
        squared: dict[int, float],
        norm: float,
        rows: dict[int, list[int]] | None = None,
    ) -> list[float]:
        """_cosine with each of `slots`, in one call (the index's arrays bound once); each
        slot's stored terms kept in `rows`, when given, for _signals."""
        offsets, terms, tw, norms, shared = (
            self._offsets,
            self._terms,
            self._tw,
            self._norm,
            squared.keys(),
        )
        out = []
        for slot in slots:
            begin = offsets[slot]
            # As a list: its ints are made once, and index() then compares them by identity
            row = terms[begin : offsets[slot + 1]].tolist()
            if rows is not None:
                rows[slot] = row
            dot = 0.0
            for tid in shared & row:  # set intersection in C; usually a handful of terms
                dot += squared[tid] * _TF_OF[tw[begin + row.index(tid)]]
            length = norms[slot]
            out.append(dot / (norm * length) if norm and length else 0.0)
        return out

    def _probability(
        self, signals: tuple[float, ...], slot: int, item: Query, waive: bool = False
    ) -> float:
        """The model's probability for a pair, 0 when a guard vetoes it: story_model.vetoed
        (told whether a headline-only pair's conflicting names are rivals: _rivals), headlines
        dated other days, other decimal figures in both headlines, headlines filling two slots
        of one template with other names (_two_slots). With `waive`, a name conflict vetoes
        nothing (the model still weighs it): see _same_arc."""
        feats, _, squared, dates, figures, _ = item
        short_conflict = bool(signals[_CONFLICT] and signals[_SHORT])
        rivals = short_conflict and not waive and self._rivals(feats, slot, squared)
        judged = (*signals[:_CONFLICT], 0.0, *signals[_CONFLICT + 1 :]) if waive else signals
        if (
            vetoed(judged, rivals)
            or (judged[_CONFLICT] and self._parts_only(feats, slot, judged[_RARE]))
            or (judged[_CONFLICT] and judged[_RARE] and self._kinds_shared(feats, slot, squared))
            or (dates and self._other_date(slot, dates))
            or (figures and self._figures_apart(slot, figures, squared))
            or (feats.contexts and self._two_slots(feats, slot))
            or (judged[_CONFLICT] and self._one_template(feats, slot))
            or (feats.party and self._parties_apart(feats.party, feats.title, slot))
            or (feats.kin and self._kin_apart(feats, slot))
            or (judged[_CONFLICT] and judged[_NUMBER_CONFLICT] and self._filled_apart(feats, slot))
            or (feats.aside and self._aside_apart(feats, slot))
            or (feats.too and self._too_apart(feats, slot))
            or ((feats.earlier or slot in self._earlier) and self._earlier_apart(feats, slot))
            or (feats.after_act and self._next_act_apart(feats, slot))
            or (not PARTING_OF.keys().isdisjoint(feats.title) and self._kinds_part(feats, slot))
            or (not GROUP_OF.keys().isdisjoint(feats.title) and self._groups_apart(feats, slot))
        ):
            return 0.0
        return self.model.probability(signals)

    def _kinds_part(self, feats: TextFeatures, slot: int) -> bool:
        """The two headlines tell kinds of happening never one event (happenings.kinds_part:
        a flood / a wildfire, a mall fire / a market shooting, a plane / a helicopter crash),
        whatever else they share: the governor, the city, "state of emergency declared"."""
        ours = parting_kinds(feats.title)
        return bool(ours) and kinds_part(ours, parting_kinds(self._title_of(slot)))

    def _groups_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The two headlines name armed groups (happenings.GROUP_OF), and neither report names
        the other's anywhere: two groups' acts ("Hezbollah fires rockets at northern Israel" /
        "Houthis fire missile at southern Israel"), whatever else they share."""
        theirs = groups(self._title_of(slot))
        if not theirs or not theirs.isdisjoint(groups(feats.weights)):
            return False
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        return groups(feats.title).isdisjoint(groups(self._terms[begin:end]))

    def _kin_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The two headlines write one name that each report gives another full name, and
        neither report writes the other's ("Kennedy sworn in ...", its lead "Robert F. Kennedy
        Jr." / "Caroline Kennedy sworn in ..."; "Warren warns ...", its lead "Senator Elizabeth
        Warren" / "Warren Buffett warns ..."): two people of one family or of one given name,
        whatever else the two reports share (kin.py)."""
        begin, end = self._kin_at[slot], self._kin_at[slot + 1]
        if begin == end:
            return False  # most stored reports' headlines give no name's full name
        offsets = self._offsets
        return two_people(
            feats.kin,
            self._kin[begin:end],
            feats.weights.keys,
            lambda: self._terms[offsets[slot] : offsets[slot + 1]],
        )

    def _one_person(
        self, feats: TextFeatures, slot: int, row: Sequence[int], squared: dict[int, float]
    ) -> bool:
        """Are all the names one headline writes and the other report never mentions given
        names of a name both headlines write, that the other report writes alone or with the
        same given name ("Matthew Whitaker says Mueller probe ..." / "Acting AG Whitaker:
        Mueller investigation ...")? Then the names conflict on no second person: one person
        written in full and by the surname alone (kin.given_names)."""
        begin, end = self._kin_at[slot], self._kin_at[slot + 1]
        offsets = self._offsets
        flags = self._tw[offsets[slot] : offsets[slot + 1]]
        their_title = [
            tid for tid, f in zip(row, flags, strict=True) if f & TITLE_BIT and f & NAME_BIT
        ]
        ours_given, theirs_given = given_names(
            feats.kin,
            self._kin[begin:end],
            {tid & NAME_BITS for tid in feats.title & feats.names},
            {tid & NAME_BITS for tid in their_title},
        )
        if not ours_given and not theirs_given:
            return False
        generic = self._generic
        ours_left = any(
            tid not in row and tid & _MASK not in generic and key(tid) not in ours_given
            for tid in feats.title & feats.names
        )
        theirs_left = any(
            tid not in squared and tid & _MASK not in generic and key(tid) not in theirs_given
            for tid in their_title
        )
        return not ours_left or not theirs_left

    def _parties_apart(self, party: tuple[int, ...], title: frozenset[int], slot: int) -> bool:
        """The two headlines open on rival parties doing one thing (similarity._party: the word
        after each party, or after its members, is one term) and neither headline names the
        other's party: two sides' acts on one template, whatever else they share ("Senate
        Republicans unveil tax plan that slashes corporate rate" / "Senate Democrats unveil
        plan to tax billionaires' stock gains"; the first's lead writing "Democrats said"
        makes no conflict of names). One event's opposite framings tell each side's own act
        ("Democrats' voting bill fails in Senate" / "Republicans block voting bill";
        "Republicans take control of the Senate" / "Democrats lose control of the Senate"),
        name both ("Democrats fume as GOP blocks ..."), or share the name it happened to
        ("Democrat Stacey Abrams ends bid ..." / "GOP wins Georgia governor's race as Abrams
        gives up fight"): bench/README.md, *Opposite leanings: two parties' acts*."""
        theirs = self._parties.get(slot)
        ours = party[0]
        if (
            theirs is None
            or theirs[0] == ours
            or theirs[0] in title
            or len(party) < 2
            or party[1:] != theirs[1:]
        ):
            return False
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        generic = self._generic
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if f & TITLE_BIT and (
                tid == ours or (f & NAME_BIT and tid in title and tid & _MASK not in generic)
            ):
                return False  # it names our party, or a name both headlines write
        return True

    def _one_template(self, feats: TextFeatures, slot: int) -> bool:
        """The two headlines open on different subjects (similarity._subject) and are one
        template filled with other names: each headline's terms that the other report lacks
        are names of its own, its subject among them, and their other terms are the same
        ("Lignum Vitae Bank reports record first-half profit" / "Port Royal Bank reports record
        first-half profit", two releases of one wire, whose leads share its dateline's names).
        Two actors doing one thing are two events, whatever else the reports share (a wire's
        dateline; `_subjects_apart` asks no rare name shared, or one term apart). Asked only
        of a pair whose names conflict (`_signals`)."""
        ours, theirs = feats.subject, self._subject[slot]
        if ours in (NO_SUBJECT, theirs) or theirs == NO_SUBJECT:
            return False
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, flags = self._terms[begin:end], self._tw[begin:end]
        if ours in row or theirs in feats.weights:
            return False  # one report mentions the other's subject
        generic, weights, names = self._generic, feats.weights, feats.names
        their_rest: set[int] = set()  # their headline's terms that our report writes too
        for tid, f in zip(row, flags, strict=True):
            if not f & TITLE_BIT or tid & _MASK in generic:
                continue
            if tid in weights:
                their_rest.add(tid)
            elif not f & NAME_BIT:
                return False  # a word of their own: no name
        kept = set(row)
        rest: set[int] = set()  # our headline's terms that their report writes too
        for tid in feats.title:
            if tid & _MASK in generic:
                continue  # a generic news word tells nothing (a slot keeps its heaviest terms)
            if tid in kept:
                rest.add(tid)
            elif tid not in names:
                return False
        return rest == their_rest

    def _toll_fell(self, item: Query, slot: int, ours_later: bool) -> bool:
        """Both headlines give tolls and no other figure, the later one's all lower ("Bus
        overturns in northern Ghana, killing 11", then from the same wire "Bus crash in northern
        Ghana kills 9"), and neither tells a toll as such or a revision ("death toll", "revised
        down"): a toll only rises as an event unfolds (_numbers_apart), so an outlet's own later
        report of fewer dead tells another happening (stories.py asks it of one outlet's two
        reports only: two outlets often give one event's toll from other sources)."""
        numbers = item[5]
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        theirs = []
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if f & TITLE_BIT:
                if tid in _REVISED:
                    return False
                if tid & NUMBER_BIT:
                    theirs.append(tid)
        if not _REVISED.isdisjoint(item[0].title):
            return False
        if not theirs or any(toll(tid) is None for tid in (*numbers, *theirs)):
            return False  # a figure of another kind
        return _numbers_apart(numbers, set(theirs), ours_later)

    def _filled_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The two headlines are one template filled with other names and other numbers:
        each headline's terms that the other headline lacks are names or numbers, on both
        sides a number and a name the other report never mentions among them, and the numbers
        apart whichever came first (_numbers_apart: a toll rises as an event unfolds) ("Road
        closure: U.S. Highway 2 closed near Havre after crash" / "Road closure: Interstate 90
        closed near Bozeman after crash", one road desk's template: two crashes, however alike
        their leads, even as a copy: stories._best_copy)."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, flags = self._terms[begin:end], self._tw[begin:end]
        generic, weights, names, title = self._generic, feats.weights, feats.names, feats.title
        their_title: set[int] = set()
        their_numbers: set[int] = set()
        their_name = False  # a name of their headline that our report never mentions
        for tid, f in zip(row, flags, strict=True):
            if not f & TITLE_BIT or tid & _MASK in generic:
                continue
            their_title.add(tid)
            if tid in title:
                continue
            if tid & NUMBER_BIT:
                their_numbers.add(tid)
            elif not f & NAME_BIT:
                return False  # a word of their own
            elif tid not in weights:
                their_name = True
        if not their_numbers or not their_name:
            return False
        kept = set(row)
        numbers: set[int] = set()
        name = False
        for tid in title:
            if tid in their_title or tid & _MASK in generic:
                continue
            if tid & NUMBER_BIT:
                numbers.add(tid)
            elif tid not in names:
                return False
            elif tid not in kept:
                name = True
        return (
            name
            and _numbers_apart(numbers, their_numbers, True)
            and _numbers_apart(numbers, their_numbers, False)
        )

    def _names_apart(
        self, feats: TextFeatures, slot: int, row: Sequence[int], squared: dict[int, float]
    ) -> bool:
        """Do the two headlines still name something the other report never mentions when a name
        for a wider grain of one place is no such name: a country's name or adjective against a
        report that places its event in that country ("Blaze destroys Norwegian fish market"
        against "Fire guts Bergen fish market", whose lead says "in Bergen, Norway": places.py)
        or whose headline tells it there ("Earthquake rocks Sicily" against "Strong quake hits
        southern Italy": places.located), and a region against a headline naming a city in it
        ("Explosions at flooded Texas chemical plant" / "... chemical plant outside Houston":
        places.regions)? Only the conflict is lifted: the wider place is no shared name (a city
        and its country joined two events of one country: bench/README.md, *One entity under
        other names*), and a country the other report only mentions ("Theresa May to quit as
        British prime minister" / "Trump advised May to sue the EU") still conflicts; two cities
        of one region (or two regions of one country) are two places at one grain, and so is a
        region whose report's lead names what the other report never mentions ("Gunman kills two
        at Texas birthday party ... in Killeen, Texas" against "... at Houston birthday party":
        its own town, most often), unless that lead names the other headline's city itself ("Bay
        of Plenty to get stadium ..., Councillors in Tauranga ..., mayor Hemi Tautahi said"
        against "Tauranga council approves stadium at Mount Maunganui": it tells its event
        there). A sea's or strait's word after its name ("Timor Sea", `_WATER_WORDS`) is no name
        of its own. Asked only of a pair whose names conflict (`_signals`). A spot
        no table knows against a country still conflicts: it may lie in any country ("Avalanche
        on Mont Blanc" / "... in Switzerland": bench/README.md, *Review (h-review, session 16)*)."""
        theirs_at = self._placed(slot) | self._headlined(slot) if self._places[slot] else 0
        ours_at = feats.places | feats.headline
        if (
            not theirs_at
            and not ours_at
            and REGIONS.isdisjoint(feats.title)
            and REGIONS.isdisjoint(row)
            and TOWNS.isdisjoint(feats.title)
            and TOWNS.isdisjoint(row)
        ):
            return True  # no grain to read (most pairs stop here)
        generic = self._generic
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        named = feats.title & feats.names
        ours = [t for t in named - _WATER_WORDS if t not in row and t & _MASK not in generic]
        flags = self._tw[begin:end]
        their_named = [
            tid for tid, f in zip(row, flags, strict=True) if f & TITLE_BIT and f & NAME_BIT
        ]
        theirs = [
            tid
            for tid in their_named
            if tid not in squared and tid & _MASK not in generic and tid not in _WATER_WORDS
        ]
        if not ours or not theirs:
            return False
        if not REGIONS.isdisjoint(ours):
            cities: Collection[int] = their_named  # the cities our region may lie around
            lead = feats.names - feats.title
            if any(tid not in row and tid & _MASK not in generic for tid in lead):
                cities = lead.intersection(their_named)  # only those our lead names itself
            ours = [tid for tid in ours if not _around(tid, cities)]
        if not REGIONS.isdisjoint(theirs):
            cities = named
            their_lead = [t for t, f in zip(row, flags, strict=True) if f & _LEAD_NAME == NAME_BIT]
            if any(tid not in squared and tid & _MASK not in generic for tid in their_lead):
                cities = named.intersection(their_lead)
            theirs = [tid for tid in theirs if not _around(tid, cities)]
        theirs_at |= _towns_of(theirs)  # "Kintampo" against "Ghana": one place, two grains
        ours_at |= _towns_of(ours)
        if theirs_at:
            ours = [tid for tid in ours if not _within(tid, theirs_at, feats.mentions)]
        if ours_at:
            mentions = self._mentions[slot]
            theirs = [tid for tid in theirs if not _within(tid, ours_at, mentions)]
        return bool(ours) and bool(theirs)

    def _aside_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The item's lead names the stored report's headline's name only where it tells another
        happening (textcues.aside), and the two headlines tell two happenings: one kind of happening
        (happenings.one_kind) told again of a name the stored report never mentions ("Avalanche on
        Nepal's Dhaulagiri kills two Sherpa guides ... a day after three people died on Manaslu"
        against "Avalanche kills three climbers on Nepal's Manaslu"); or the lead tells the stored
        headline's happening there, a name and a word of it told beside the item's own or of the
        actor both headlines open on ("Aerovia Andina pilots vote to strike over pay ... on the day
        one of its jets left the runway at Cusco" against "Aerovia Andina jet skids off runway in
        Cusco"), while the headlines share no word but names and the item's tells no aftermath. A
        mention of another happening is no agreement: without it the names conflict, or nothing but
        the actor is shared. (A cause told aside, "hours after a testy exchange with Trump", names
        the other headline's actor but none of its words; a happening the item's is measured from,
        "a day after Hurricane Ian made landfall" under a disaster declaration, is as often its
        cause: only one told beside it, "on the day", or one the same actor opens both headlines on,
        "Babar Azam quits as captain ... hours after leading the side to a series win", parts them
        by its words.)"""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, generic, told = self._terms[begin:end], self._generic, feats.aside
        title = feats.title
        shared = False  # a word (no name) both headlines write
        name_aside = word_aside = False  # a name, a word of their headline told only aside
        one_actor = feats.subject != NO_SUBJECT and feats.subject == self._subject[slot]
        theirs = []
        recalled = False  # a name of their report or a telling word of their headline aside
        for tid, f in zip(row, self._tw[begin:end], strict=True):
            if not f & TITLE_BIT:
                recalled |= bool(f & NAME_BIT) and tid in told and tid & _MASK not in generic
                continue
            theirs.append(tid)
            if tid & _MASK in generic:
                continue
            if f & NAME_BIT:
                name_aside |= tid in told
            elif tid in told:
                word_aside |= one_actor or tid in feats.beside
                recalled |= _telling(tid, generic)
            elif tid in title and tid not in feats.names:
                shared = True
        both = kinds(title) & kinds(theirs)
        if both and (name_aside or recalled):
            if feats.moving and not feats.moving.isdisjoint(both):
                return False  # their happening is ours where it struck before: no other
            if _named_apart(row, feats, generic):
                return True
        return name_aside and word_aside and not shared and AFTERMATH.isdisjoint(title)

    def _too_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The item tells its actor doing what another did (textcues.told_too: "CSKA Sofia fire
        coach too ...", "did the same", "the second club to"), the two headlines open on
        different subjects (similarity._subject), the stored report never mentions the item's
        and the item's headline not the stored one's (its lead may: "a day after city rivals
        Levski sacked Stanislav Petrov" recalls the other happening), and the headlines share a
        word of what was done ("coach") or a kind of happening: one more happening of the
        stored report's kind, by another actor ("Levski sack coach Petrov after home
        thrashing"), whatever names the item's lead recalls of it."""
        ours, theirs = feats.subject, self._subject[slot]
        if ours in (NO_SUBJECT, theirs) or theirs == NO_SUBJECT or theirs in feats.title:
            return False
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, generic, title = self._terms[begin:end], self._generic, feats.title
        if ours in row:
            return False  # the stored report names the item's actor: one happening of both
        headline = []  # the stored report's headline terms
        for tid, f in zip(row, self._tw[begin:end], strict=True):
            if not f & TITLE_BIT:
                continue
            if not f & NAME_BIT and tid in title and tid & _MASK not in generic:
                return True  # a word of what was done, both headlines'
            headline.append(tid)
        return bool(kinds(title) & kinds(headline))

    def _earlier_apart(self, feats: TextFeatures, slot: int) -> bool:
        """One of the two headlines measures its own happening from an earlier one of its kind
        (similarity's `earlier`), the other tells that earlier one (a word of it in its
        headline, or a name of it) and no word of the first's own, and the first's own words
        write a name the other report never mentions, or the site its happening struck ("Blaze
        guts Dhaka market a day after garment factory fire": similarity's `site`, the item's
        headline only, _measured_apart): "Chemical warehouse blaze in Bangladesh
        port city kills 4, a day after factory fire" against "Fire at Gazipur garment factory
        kills 9", or "Colliery blast in Shanxi's Linfen traps 12, a day after Datong mine blast"
        against "Gas blast at Shanxi coal mine kills 9 ... in Datong"; either way round, so a
        later report of the earlier one ("Faisalabad mill owner arrested a day after fire killed
        six") is no report of the next. The next happening of a kind, told against the last, is
        another event, told at a place or by a name of its own. A headline whose own words name
        nothing new measures the other's happening's aftermath from it ("Hopes fade for 40
        miners a day after Zonguldak mine blast", "Wildfire threatens Athens suburbs a day after
        blaze broke out on Mount Parnitha"): its own words ("hopes", "suburbs") tell no other.
        A kind's word, a word of the aftermath ("kills"), a verb of striking ("hit"), a figure
        or a generic news word tells neither apart, nor a place both headlines write (two of one
        kind in one province)."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, flags = self._terms[begin:end], self._tw[begin:end]
        title = {tid for tid, f in zip(row, flags, strict=True) if f & TITLE_BIT}
        generic = self._generic
        names = {tid for tid, f in zip(row, flags, strict=True) if f & NAME_BIT}
        if feats.earlier and _measured_apart(
            feats.earlier, feats.title, feats.names, title, names, set(row), generic, feats.site
        ):
            return True
        theirs = self._earlier.get(slot)
        return theirs is not None and _measured_apart(
            theirs, title, names, feats.title, feats.names, feats.weights.keys(), generic
        )

    def _next_act_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The item's headline measures its own act from an earlier happening of another kind
        that the stored report's headline tells (a telling word of it in the item's aside:
        similarity's `after_told`), and the stored headline lacks a word of that act
        (`after_act`: "quits", "escape"; the actor, "inmates", is often theirs too): "Mayor of
        South Korea's second city quits a day after bribery indictment" against "Busan mayor
        indicted over port redevelopment bribes", or "Forty inmates escape Ecuador jail a day
        after deadly riot elsewhere" against "Nine inmates killed in Esmeraldas prison riot".
        The next act of a saga, told against the last, is the desk's next alert; one that
        follows the last up (a toll, an arrest, an inquiry: happenings.FOLLOWING_UP) has no
        `after_act`; a headline telling our act too ("Busan mayor resigns after indictment") is
        ours. Their headline is asked, not their whole report: a lead may tell the act as not
        done ("he would not step down")."""
        generic, told = self._generic, feats.after_told
        title = set(self._title_of(slot))
        if not any(tid in told and _telling(tid, generic) for tid in title):
            return False  # their headline is not what ours is measured from
        return any(tid not in title for tid in feats.after_act)  # a word of ours they lack

    def _backdrop_apart(self, feats: TextFeatures, slot: int) -> bool:
        """The item's headline tells its happening against a backdrop ("Bomb threats made
        against the White Ferns during England tour": textcues.backdrop), the names it shares
        with the stored report's headline are all in that backdrop, and before it the item's
        headline names something the stored report never mentions: another happening, told
        against the stored report's as its backdrop ("England pull out of Pakistan tour"). A
        country's name or people's word for where the stored report places its event tells
        where, not another happening ("Teenager shot dead by Kenyan police during Nairobi
        protests" under "Police fire tear gas at Nairobi fuel price protests": h-review)."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, generic, title = self._terms[begin:end], self._generic, feats.title
        shared = False
        for tid, f in zip(row, self._tw[begin:end], strict=True):
            if f & TITLE_BIT and f & NAME_BIT and tid in title and tid & _MASK not in generic:
                if tid not in feats.behind:
                    return False  # a name of its own happening is theirs too
                shared = True
        if not shared:
            return False
        where, ours = self._placed(slot) | self._headlined(slot), feats.mentions
        return any(
            tid not in row and tid & _MASK not in generic and not _within(tid, where, ours)
            for tid in feats.front & feats.names
        )

    def _names_first_day(self, days: int, first: int, ref: float) -> bool:
        """Do a report at `ref` naming `days` (textcues.days_named) and a story's first report
        both name the weekday that first report came out on, not the later report's own (UTC
        days)? The later one tells that day's happening again ("His lawyers called Wednesday's
        verdict ..." on Thursday, under "... on Wednesday convicted ..."): see BACK_APART."""
        shared = days & self._days[first]
        if not shared or not self.days:
            return False
        day = int(self._time[first] // DAY + 3) % 7  # 1 January 1970 was a Thursday (Monday: 0)
        return bool(shared >> day & 1) and int(ref // DAY + 3) % 7 != day

    def _alone(self, item: Query, first: int, anchor: float, ref: float) -> float:
        """The model's probability, guards and all, for the item against a story's first
        report alone, as if that were its closest (`anchor`: their cosine)."""
        signals = self._signals(item, first, (anchor, anchor), ref, first)
        return self._probability(signals, first, item)

    @staticmethod
    def _told_kinds(feats: TextFeatures, squared: dict[int, float]) -> list[int]:
        """The item's headline terms naming a kind of happening (happenings.KIND_OF), when the
        item tells consequences (happenings.AFTERMATH: the dead, the rescue, the flight) or
        refers back to an earlier day and names no fresh happening (an aftershock); else none.
        Once per item: _same_happening asks it of each story."""
        if not feats.refers_back and AFTERMATH.isdisjoint(squared):
            return []
        if feats.afresh:
            return []  # a fresh happening of the kind (an aftershock), not the aftermath
        return [tid for tid in feats.title if tid in KIND_OF]

    def _same_happening(
        self,
        item: Query,
        ours: list[int],
        first: int,
        anchor: float,
        ref: float,
        both: bool = False,
    ) -> bool:
        """The item tells the aftermath of the happening a story's first report tells: both
        headlines name one kind of it (happenings.one_kind: a flood, a wildfire, a mine blast;
        `ours`: _told_kinds), the two share a rare name (its place: "Slovenia", "Perth",
        "Zonguldak"), and no guard stands between the item and the first report, nor a name
        conflict ("Wildfire near Santa Barbara" / "Warehouse fire in Oakland kills two").
        stories.py then joins it, however few words they share."""
        feats, _, squared, _, _, _ = item
        begin, end = self._offsets[first], self._offsets[first + 1]
        theirs, place, names, generic = [], False, feats.names, self._generic
        headed = not both  # of its own outlet's story: both headlines name it finer than a country
        title = feats.title
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if f & TITLE_BIT and tid in KIND_OF:
                theirs.append(tid)
            if tid in squared and (f & NAME_BIT or tid in names) and tid & _MASK not in generic:
                place = True
                headed |= bool(f & TITLE_BIT) and tid in title and tid not in COUNTRY_BITS
        if not place or not headed or not one_kind(ours, theirs):
            return False
        if both and named(ours).isdisjoint(named(theirs)):
            return False  # of its own outlet's story: each headline names it by its own word
        signals = self._signals(item, first, (anchor, anchor), ref, first)
        if signals[_CONFLICT]:
            return False
        return self._probability(signals, first, item) > 0.0

    def _same_vote(self, item: Query, first: int, anchor: float, ref: float) -> bool:
        """The item and a story's first report tell one country's election: both headlines
        tell its vote itself (the voting, the count or the result) and name one country by its
        own name or its people's word (TextFeatures.polled, kept per slot: happenings.ELECTION,
        vote_told, places.nations), and no guard stands between them, the name conflict's veto
        included (a campaign's two candidates' news is two events). stories.py then joins it,
        however few words they share (*An election*)."""
        if not item[0].polled & self._voted.get(first, 0):
            return False
        signals = self._signals(item, first, (anchor, anchor), ref, first)
        return self._probability(signals, first, item) > 0.0

    def _mourns(
        self, item: Query, slot: int, cosines: tuple[float, float], ref: float, first: int
    ) -> bool:
        """The item's headline mourns a person (happenings.MOURNING: "pays tribute to his
        late ...") whose death the stored report's headline tells (happenings.DEATH: "...
        dies aged 79"), both writing the same full name (two names of each headline's), and no
        guard stands between them. Those paying tribute are other people: the name conflict's
        veto is waived (_same_ceremony). stories.py then joins it (*The same happening*)."""
        feats = item[0]
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        title, both_name = [], 0  # its headline's terms; the names both headlines write
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if f & TITLE_BIT:
                title.append(tid)
                if f & NAME_BIT and tid in feats.title and tid in feats.names:
                    both_name += 1
        if both_name < 2 or DEATH.isdisjoint(title):
            return False
        signals = self._signals(item, slot, cosines, ref, first)
        return self._probability(signals, slot, item, waive=True) > 0.0

    def _recalls(self, item: Query, first: int, anchor: float, ref: float) -> bool:
        """The item names the happening a story's first report tells as past by that report's
        own name (similarity's `recalled`: "arrest shepherd over Sardinia wildfire ..." under
        "Wildfire forces evacuation of villages ... in Sardinia", "two days after Cyclone Imani"
        under "Cyclone Imani makes landfall ..."): a rare name of the first headline and its
        kind of happening (happenings.one_kind) in one span after "after", "since", "over" or
        "following", and no guard or name conflict between the item and the first report. A
        report naming *an* earlier happening ("two days after a gas blast at another mine",
        "hundreds of kilometres from the region hit by Monday's deadly quake") names no story's
        own by its name. stories.py then joins it past the reach (KIND_HELD)."""
        feats = item[0]
        # a name it writes as one ("after pipeline hack": no), a storm's even in title case
        recall = feats.recalled & (feats.names | feats.storms)
        if feats.afresh:
            return False  # a fresh happening of the kind (an aftershock), not the first one
        begin, end = self._offsets[first], self._offsets[first + 1]
        theirs, name, generic = [], False, self._generic
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if f & TITLE_BIT:
                if tid in KIND_OF:
                    theirs.append(tid)
                elif f & NAME_BIT and tid in recall and tid & _MASK not in generic:
                    name = True
        if not name or not one_kind([tid for tid in feats.recalled if tid in KIND_OF], theirs):
            return False
        signals = self._signals(item, first, (anchor, anchor), ref, first)
        if signals[_CONFLICT]:
            return False
        return self._probability(signals, first, item) > 0.0

    def _one_ceremony(self, feats: TextFeatures, first: int, loose: bool = False) -> frozenset[int]:
        """The names of the one awards ceremony (happenings.CEREMONY) the item and a story's
        first report tell, empty when they tell none: both headlines name one name that is no
        ceremony's word ("Emmy"), each writes a word of a ceremony ("nominee", "winners", "red
        carpet"), one of them one the other does not (two naming only "Met Gala" may tell two
        happenings after it, days later), one of them a word of the ceremony itself
        (CEREMONY_OWN: "awards", "ceremony", "red carpet"), and neither is a preview
        (happenings.previewed: "ahead of", "what to expect"). The item's own headline is asked
        first (happenings.ceremony_told, once an item); stories.py then joins it, as *An awards
        ceremony* tells. `loose`: their headline need write no word of a ceremony (for two
        stories the model gives the item alike, stories.py)."""
        told = self._ceremony_title(feats, first)
        if told is None or previewed(told[0]):
            return frozenset()
        theirs, named = told
        if not loose and (
            CEREMONY.isdisjoint(theirs)
            or CEREMONY.isdisjoint(feats.title.symmetric_difference(theirs))
        ):
            return frozenset()  # no word of a ceremony, or only those both write ("Met Gala")
        if CEREMONY_OWN.isdisjoint(theirs) and CEREMONY_OWN.isdisjoint(feats.title):
            return frozenset()
        return named

    def _names_ceremony(self, feats: TextFeatures, first: int) -> bool:
        """The item's headline, in no word of a ceremony, names one by the plural of the name
        a story's first report writes as a ceremony's ("Viewers mock a star's suit at the
        Lumens" after "Stars arrive on the red carpet at the Lumen Awards"; not "Lumen
        Technologies shares slump": happenings.plural_names), and that report tells the
        ceremony itself (a word of CEREMONY_OWN, no preview)."""
        names = self._ceremony.get(first)
        if names is None or names.isdisjoint(feats.plurals):
            return False
        told = self._ceremony_title(feats, first)
        return told is not None and not CEREMONY_OWN.isdisjoint(told[0]) and not previewed(told[0])

    def _shares_name(self, feats: TextFeatures, first: int, besides: frozenset[int]) -> bool:
        """Does the item's headline write a name (cued as one, no generic news word) that a
        story's first headline writes too, other than `besides`?"""
        ours = feats.names & feats.title
        if not ours:
            return False
        begin, end = self._offsets[first], self._offsets[first + 1]
        both = TITLE_BIT | NAME_BIT
        return any(
            f & both == both
            and tid in ours
            and tid not in besides
            and tid & _MASK not in self._generic
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
        )

    def _storms_apart(self, feats: TextFeatures, first: int) -> bool:
        """The item's headline and a story's first report's name storms by other names, neither
        naming the other's ("Tropical Storm Rose forms ..." / "Tropical Storm Peter forms
        ..."): happenings.storms_apart."""
        theirs = self._storms.get(first)
        if theirs is None:
            return False
        return storms_apart(feats.storms, feats.title, theirs, self._title_of(first))

    def _same_storm(self, item: Query, slot: int, first: int, signals: tuple[float, ...]) -> bool:
        """The item's headline names the storm a story's first headline names (its name written
        as a name: "Britain's Atlantic territory counts cost of Odette" under "Hurricane Odette
        makes landfall in Bermuda"), and no other storm; its text tells what a storm brings or
        leaves (happenings.STORM_WAKE: "left without power", "homes without water"; not "Nadia
        Keller wins Miami Open"); and no guard but a name conflict vetoes the pair: a season's
        storm has one name, and the reports of its days tell it in other words and other places
        (an island and its country, a coast and its towns), as _same_arc waives the conflict."""
        feats = item[0]
        theirs = self._storms.get(first)
        if theirs is None or not feats.storms <= theirs:
            return False
        if theirs.isdisjoint(feats.title & (feats.names | feats.storms)):
            return False
        if STORM_WAKE.isdisjoint(feats.weights):
            return False
        return self._probability(signals, slot, item, waive=True) > 0.0

    def _holders_apart(self, feats: TextFeatures, first: int) -> bool:
        """The item's headline and a story's first report's name holders of one kind of office
        (an office title of the item's headline is in theirs) by other names, neither naming the
        other's holder ("... impeach Governor Kiprono" / "... impeaches Governor Achieng"):
        happenings.holder_names. A holder of another office ("Governor Hochul" against
        "President Biden" for one flood) parts nothing."""
        theirs = self._holders.get(first)
        if not theirs:
            return False
        title = self._title_of(first)
        if (OFFICE_TERMS & feats.title).isdisjoint(title):
            return False
        return storms_apart(feats.holders, feats.title, theirs, title)

    def _ceremonies_apart(self, feats: TextFeatures, first: int) -> bool:
        """The item's headline and a story's first report's name awards ceremonies by other
        names ("... at the Lumen Music Awards" / "Aurora Music Awards: all the winners"):
        happenings.ceremonies_apart."""
        theirs = self._ceremony.get(first)
        if theirs is None:
            return False
        return ceremonies_apart(feats.ceremony, feats.title, theirs, self._title_of(first))

    def _preview_apart(self, feats: TextFeatures, first: int, previews: bool) -> bool:
        """One of two headlines naming one name previews its ceremony (happenings.previewed:
        "Lumen Awards: what to expect"), the other tells the ceremony (happenings.ceremony_told):
        a preview is its own event, not the night it looks forward to. `previews`: the item's
        headline is the preview (else it tells the ceremony)."""
        told = self._ceremony_title(feats, first)
        if told is None:
            return False
        return ceremony_told(told[0]) if previews else previewed(told[0])

    def _ceremony_title(
        self, feats: TextFeatures, first: int
    ) -> tuple[list[int], frozenset[int]] | None:
        """The stored report's headline terms and the names of a ceremony the two share, when
        it names a name (no generic news word, no ceremony's word) that the item's headline
        names too, and one of the two headlines writes that name as a ceremony's
        (TextFeatures.ceremony: "the Emmy Awards", not "Pentagon awards Boeing contract" /
        "Boeing chief's speech"); else None."""
        ceremony = feats.ceremony | self._ceremony.get(first, frozenset())
        if not ceremony:
            return None
        begin, end = self._offsets[first], self._offsets[first + 1]
        title, names, generic = feats.title, feats.names, self._generic
        theirs, shared = [], []
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if not f & TITLE_BIT:
                continue
            theirs.append(tid)
            if (
                tid in ceremony
                and tid in title
                and (f & NAME_BIT or tid in names)
                and tid & _MASK not in generic
            ):
                shared.append(tid)
        return (theirs, frozenset(shared)) if shared else None

    def _same_ceremony(self, item: Query, first: int, anchor: float, ref: float) -> bool:
        """No guard stands between the item and the first report of a story telling its
        ceremony (_one_ceremony). The names each headline alone gives are the night's winners
        and guests, not rivals: the name conflict's veto is waived (the model still weighs
        it)."""
        signals = self._signals(item, first, (anchor, anchor), ref, first)
        return self._probability(signals, first, item, waive=True) > 0.0

    def _same_arc(
        self,
        item: Query,
        turns: frozenset[int],
        report: int,
        signals: tuple[float, ...],
        floor: float,
    ) -> bool:
        """The item's headline tells the turn of an arc (arcs.py: found, freed, restored,
        reopened; `turns`: arcs.turned of its headline) whose opening the stored report's
        headline tells (missing, abducted, a blackout, closed) and not yet its turn, both
        name one name (not a generic news word, not a word of an arc: "Strike halts Port of
        Antwerp" / "... end grain strike"), their kinds of happening are not apart (both
        naming one, none the same: happenings.kinds_apart, "Residents evacuated ... as fire
        spreads" / "... return home as floodwaters recede"), and the model, told `signals` of
        the pair, gives at least `floor` with every guard standing. A headline that names the
        arc's opening too ("Nine abducted travellers freed ...", "... restored after 17-hour
        outage") says whose turn it tells: for it the name conflict's veto is waived, the two
        naming one subject in other words ("Cameroon's North-West" / "Anglophone region"), and
        the model weighs the conflict. stories.py then joins it, as *The turn of a story* tells."""
        arcs = self._arcs_turned(item[0], turns, report)
        return bool(arcs) and self._arc_holds(item, arcs, report, signals, floor)

    def _arcs_turned(
        self, feats: TextFeatures, turns: frozenset[int], report: int
    ) -> frozenset[int]:
        """_same_arc's test of the two headlines alone (no signals, so that a caller makes
        them only for a pair that passes): the arcs of `turns` whose opening the stored
        report's headline tells and not yet their turn, when both name one name and their kinds
        of happening are not apart; none otherwise."""
        begin, end = self._offsets[report], self._offsets[report + 1]
        title, shared, names, generic = [], False, feats.names, self._generic
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if f & TITLE_BIT:
                title.append(tid)
            if f & NAME_BIT and tid in names and tid & _MASK not in generic:
                shared |= tid not in ARC_TERMS  # a name on both sides, not "Strike ..."
        arcs = turns & (opened(title) - turned(title))
        if not shared or not arcs or kinds_apart(title, feats.title):
            return frozenset()
        return arcs

    def _own_turn(self, feats: TextFeatures, turns: frozenset[int], first: int) -> frozenset[int]:
        """_arcs_turned for a report of the outlet whose reports alone make the story
        (stories.OWN_FEED), with one more name shared: one that neither headline writes (the
        refinery's or the mill's own name, in both leads). One outlet's two missing people or
        two fires in one city share the city, its headline's name, and nothing more."""
        arcs = self._arcs_turned(feats, turns, first)
        if not arcs:
            return arcs
        begin, end = self._offsets[first], self._offsets[first + 1]
        names, title, generic = feats.names, feats.title, self._generic
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if (
                f & NAME_BIT
                and not f & TITLE_BIT
                and tid in names
                and tid not in title
                and tid & _MASK not in generic
            ):
                return arcs
        return frozenset()

    def _arc_holds(
        self,
        item: Query,
        arcs: frozenset[int],
        report: int,
        signals: tuple[float, ...],
        floor: float,
    ) -> bool:
        """_same_arc's last test, for `arcs` (_arcs_turned): the model's probability for the
        pair, told `signals`, at least `floor`, the name conflict's veto waived when the item's
        headline names an arc's opening too."""
        feats = item[0]
        waive = bool(signals[_CONFLICT]) and not arcs.isdisjoint(opened(feats.title))
        probability = self._probability(signals, report, item, waive)
        return probability > 0.0 and probability >= floor

    def _stages_apart(self, slot: int, title: frozenset[int]) -> bool:
        """The item's headline and the stored report's name different stages of a trial ("Jury
        begins deliberating ..." / "... convicted of fraud"): happenings.stages_apart."""
        if STAGE_OF.keys().isdisjoint(title):
            return False  # ours names no stage (most): their headline is not read
        return stages_apart(title, self._title_of(slot))

    def _title_of(self, slot: int) -> list[int]:
        """The stored report's headline terms (those it keeps), in its row's order."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        return [
            tid
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
            if f & TITLE_BIT
        ]

    def _query(self, feats: TextFeatures) -> Vectors:
        """The item's TF-IDF vector, its length, each term's TF x IDF^2 (for _cosine), and
        its title and lead sub-vectors' squared lengths (Vectors); kept for the next call."""
        if self._queried is not None and self._queried[0] is feats:
            return self._queried[1]
        query: dict[int, float] = {}
        squared: dict[int, float] = {}
        title, in_title, in_lead = feats.title, 0.0, 0.0
        weights = feats.weights
        for (tid, raw), idf in zip(weights.items(), self._idf(weights), strict=True):
            w = query[tid] = _TF[raw] * idf
            squared[tid] = w * idf
            if tid in title:
                in_title += w * w
            else:
                in_lead += w * w
        norm = math.sqrt(sum(map(mul, query.values(), query.values())))  # in order, in C
        vectors = query, norm, squared, [in_title, in_lead]
        self._queried = feats, vectors
        return vectors

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
        """Both headlines give figures of one kind (decimals, or scores: not tolls, not
        dates), and neither report mentions any of the other's: "Magnitude 6.4 quake damages
        wharf in Vanuatu capital" and, hours later, "Magnitude 7.1 earthquake strikes off
        Vanuatu" are two quakes; "Lynx beat Pioneers 4-2" and, a day later, "Pioneers edge Lynx
        3-2" two games. (A "$1.5 trillion" plan and its "51-48 vote" compare nothing.)"""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row = self._terms[begin:end]
        theirs = [
            tid
            for tid, f in zip(row, self._tw[begin:end], strict=True)
            if f & TITLE_BIT and tid & FIGURES == DECIMALS
        ]
        if not theirs or not squared.keys().isdisjoint(theirs):
            return False
        kinds = {(tid & SCORE_MARK) for tid in theirs}
        ours = [tid for tid in figures if (tid & SCORE_MARK) in kinds]
        return bool(ours) and set(row).isdisjoint(ours)

    def _disowns(self, slot: int, disowned: frozenset[int]) -> bool:
        """The item says it is not about what the stored report's headline tells: "Owner of
        fire-gutted Turin warehouse arrested for tax evasion ... unrelated to the fire"
        against "Fire guts furniture warehouse in Turin" (textcues.disowned; a generic news
        word, "government", "week", proves nothing)."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        generic = self._generic
        return any(
            f & TITLE_BIT and tid in disowned and tid & _MASK not in generic
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
        )

    def _placed_apart(
        self, feats: TextFeatures, squared: dict[int, float], slots: tuple[int, ...]
    ) -> bool:
        """The item and a stored report (the story's closest or first) place their events in
        different countries, neither naming the other's (places.apart): "Explosion at plant in
        West Texas" against "Blast rocks factory in northern France"; or each names another
        region as such that the other never mentions (places.region): "... hits Turkey's
        Malatya province" against "... struck Van province in eastern Turkey"."""
        placed, mentions, ours = feats.places, feats.mentions, feats.region
        for slot in slots:
            if placed and apart(placed, mentions, self._placed(slot), self._mentions[slot]):
                return True
            theirs = self._region.get(slot, NO_SUBJECT)
            if ours != NO_SUBJECT and theirs != NO_SUBJECT and ours != theirs:
                row = self._terms[self._offsets[slot] : self._offsets[slot + 1]]
                if theirs not in squared and ours not in row:
                    return True
        return False

    def _told_apart(
        self,
        feats: TextFeatures,
        signals: tuple[float, ...],
        squared: dict[int, float],
        slots: tuple[int, ...],
    ) -> bool:
        """Do the item's headline and a stored report's (the story's closest or first) tell
        their happenings in two countries (_headlines_apart), two states of one country
        (_states_apart) or two cities of one country (_cities_apart)? Never one story: asked
        of every pair the model weighs (StoryIndex.decide) and of a stored report against a
        story (StoryIndex._pair) alike."""
        return bool(
            (feats.titled and self._headlines_apart(feats, signals, slots))
            or (feats.states and self._states_apart(feats, slots))
            or (feats.city != NO_SUBJECT and self._cities_apart(feats, squared, slots))
            or (
                feats.lead_city != NO_SUBJECT
                and self._cities_apart(feats, squared, slots, feats.lead_city)
            )
        )

    def _headlines_apart(
        self, feats: TextFeatures, signals: tuple[float, ...], slots: tuple[int, ...]
    ) -> bool:
        """The item's headline and a stored report's (the story's closest or first) tell their
        happenings in different countries (places.located: "Floods hit Poland" / "Floods hit
        Portugal", "Lithuanian prime minister resigns" / "Dutch prime minister Schoof resigns",
        "... stranded across Gauteng" / "Nairobi matatu operators strike"), neither report names
        the other's country anywhere, and they share no rare name. One happening told at two
        grains is told in one country (places.py: Hokkaido is Japan, Brittany France); its two
        sides name each other ("Polish president visits Lisbon" / "Portugal and Poland sign
        pact") or share their actor ("Putin", a rare name). Headlines alone, and reports whose
        leads name no other place, are what it parts: a lead naming the other's country keeps
        the pair to the model. The actor is a name both write as one: a word one report
        writes in a name ("the National Bank of Hungary") and the other as a common word
        ("Turkey's central bank") is no shared actor (_named_by_both), nor is the word a kind
        of institution shares with every other of its kind (terms.NAME_PARTS: "Bank Indonesia
        cuts rate" / "Czech National Bank cuts rate", "Norges Bank holds" / "Central Bank of
        Kenya holds"). Since session 19 (h-places2) a headline's countries are those it tells
        or names by a place's name, told or not ("Flash floods sweep cars through Lusaka
        streets"; places.located_states: a people's word names none, "Danish tourist killed
        ..." tells who, not where). Since session 22 (h-countries) the actor is one a headline
        writes: a name the two leads alone share is as often the source both cite ("..., the US
        Geological Survey said" under two countries' quakes, "the World Health Organization
        said" under two outbreaks) as an actor."""
        ours, mentions = feats.titled, feats.mentions
        for slot in slots:
            theirs = self._titled(slot)
            if theirs and not theirs & mentions and not ours & self._mentions[slot]:
                return not (signals[_RARE] and self._named_by_both(feats, slots[0], told=True))
        return False

    def _states_apart(self, feats: TextFeatures, slots: tuple[int, ...]) -> bool:
        """The item's headline and a stored report's (the story's closest or first) name states
        of a country (places._STATES: a US state, a Canadian province, an Indian state ...),
        neither report names the other's anywhere (a city of places._REGIONS names its state),
        and they share no rare name (an office's title is none: each state has its "Governor";
        nor is a country's name or people's word, which two states of one country share:
        "... in the Indian state of Goa" / "... in the Indian state of Kerala"): two happenings
        of one kind in two states ("Oklahoma governor vetoes bill to cut income tax" /
        "Holloway signs tax cut, Kentucky income tax to fall"). A city and its state are one
        place ("... in Houston" / "... in Texas"); one storm in two states shares its name.
        States of two countries are no pair of it (places.one_country: England, a London
        headline's, and Texas), _headlines_apart's if any."""
        ours, mentions = feats.states, feats.state_mentions
        for slot in slots:
            theirs = self._state_pair(slot)
            if (
                theirs[0]
                and not theirs[0] & mentions
                and not ours & theirs[1]
                and one_country(ours, theirs[0])
            ):
                return not (
                    self._named_by_both(feats, slot, _NOT_SHARED_BY_STATES)
                    or self._country_headlined(feats, slot)
                )
        return False

    def _country_headlined(self, feats: TextFeatures, slot: int) -> bool:
        """Do both headlines write one country's name or people's word and a weather that
        lies over a country at once (_WIDE: "Heatwave grips India's Rajasthan" / "Heatwave
        scorches India's Uttar Pradesh")? Told so, the event is the country's, over several
        of its states; a country only the leads write ("in the Indian state of Goa") says
        where a state is, no more; and floods or landslides in two states are two ("India
        floods: Assam villages under water" / "India floods: landslides kill 12 in Kerala",
        session 22's review)."""
        ours = feats.title.intersection(COUNTRY_BITS)
        if not ours or feats.title.isdisjoint(_WIDE):
            return False
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        headed = [
            tid
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
            if f & TITLE_BIT
        ]
        return not ours.isdisjoint(headed) and not _WIDE.isdisjoint(headed)

    def _cities_apart(
        self,
        feats: TextFeatures,
        squared: dict[int, float],
        slots: tuple[int, ...],
        lead_city: int = NO_SUBJECT,
    ) -> bool:
        """The item's headline and a stored report's (the story's closest or first) tell their
        happenings in two cities of one country (places.located_states' seventh: "Airbus test
        plane makes emergency landing in Toulouse" / "Airbus A320 makes emergency landing in
        Lyon", "Bomb blast at market kills five in Pakistan's Bannu" / "Bomb at Quetta bus
        station kills 11"), they name a country in common, and neither report names the other's
        city anywhere: two happenings of one kind. A city and its country or state, or a city
        and a place the tables do not know, are no two cities; two reports of one happening
        name its cities each ("Moscow says drones downed over Belgorod" / "Drones hit
        Belgorod"). Two cities of two countries are the other guards' (_headlines_apart).
        Unlike _states_apart no shared name lifts it: one actor's happenings in two cities
        (a company's two plants, a tour's two nights) are two. With `lead_city` (the item's
        headline tells no city and no happening that strikes wide: TextFeatures.lead_city), the
        city its lead's first sentence places it in stands for its headline's ("Kenya building
        collapse toll rises to 9", its lead "... a residential block in Mombasa" / "Building
        collapse kills 6 in Nairobi", h-kinds, session 26)."""
        ours = feats.city if lead_city == NO_SUBJECT else lead_city
        mentions, cities = feats.mentions, self._cities
        for slot in slots:
            theirs = cities.get(slot)
            if theirs is None or theirs == ours or theirs in squared:
                continue
            if not mentions & self._mentions[slot]:
                continue  # no country in common: the country guards' pair
            if ours not in self._terms[self._offsets[slot] : self._offsets[slot + 1]]:
                return True
        return False

    def _parts_only(self, feats: TextFeatures, slot: int, rare: float) -> bool:
        """Do the two reports name places in other countries only (places.located's
        mentions), and are the rare names they share (`rare`: their share of six) only kinds
        of institution or feature (terms.NAME_PARTS)? With conflicting names, that is no name
        shared (story_model.vetoed): "Ferry capsizes on Lake Kivu ... Goma" / "Ferry capsizes
        on Lake Victoria near Mwanza" share "Lake" and name two lakes. One country's "Supreme
        Court" in both, and the reports naming no other, stays the shared actor it is."""
        ours, theirs = feats.mentions, self._mentions[slot]
        if not rare or rare > PARTS_SHARED or not ours or not theirs or ours & theirs:
            return False  # most pairs stop here
        if NAME_PART_IDS.isdisjoint(feats.names):
            return False
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        names, generic, squared = feats.names, self._generic, feats.weights
        return all(
            tid in NAME_PART_IDS
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
            if tid in squared and (f & NAME_BIT or tid in names) and tid & _MASK not in generic
        )

    def _kinds_shared(self, feats: TextFeatures, slot: int, squared: dict[int, float]) -> bool:
        """Are the rare names the two reports share (their headlines' names conflicting) only
        kinds' words (_KIND_WORDS: a kind of institution or feature, a public service's word),
        whichever of them writes each as a name? Then they share no actor: "Fire guts Iloilo
        Central Market ... the Bureau of Fire Protection said" against "Fire guts Bouaké central
        market" (a town no table knows), "... the Coast Guard said" against "off the south
        coast of Mohéli", "Liège airport" against "V.C. Bird International Airport": one kind
        of event in two places, each joined in one stream (session 22, h-places5). Unlike
        _parts_only it asks no country of either report (a place no table knows is as far)
        and no share of six. Any other name both write ("Sunyani", "Shannonair") is shared:
        one event told at two grains keeps it, and the model weighs the conflict."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        names, generic = feats.names, self._generic
        kinds = False
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if tid not in squared or tid & _MASK in generic:
                continue
            if tid not in names and not f & NAME_BIT:
                continue
            if tid not in _KIND_WORDS:
                return False
            kinds = True
        return kinds

    def _named_by_both(
        self,
        feats: TextFeatures,
        slot: int,
        parts: frozenset[int] = NAME_PART_IDS,
        told: bool = False,
    ) -> bool:
        """Do the item and a stored report share a rare name (no generic news word, no kind of
        institution's word: terms.NAME_PARTS, or `parts`) that each of them writes as a name
        (`told`: and one of their headlines writes)?"""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        names, generic, title = feats.names, self._generic, feats.title
        return any(
            f & NAME_BIT
            and tid in names
            and tid & _MASK not in generic
            and tid not in parts
            and (not told or f & TITLE_BIT or tid in title)
            for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True)
        )

    def _named_alone(self, feats: TextFeatures, slot: int, ref: float, window: float) -> bool:
        """Do the item and the stored report share LONE_NAMES rare names (no generic news word,
        no kind of institution's word: terms.NAME_PARTS, no known place: descriptions'
        PLACE_TERMS and COUNTRY_BITS; written as a name by either) that no report of another
        story within `window` seconds of `ref` holds, one of them written in a headline, while
        their headlines share none? One event told by a second outlet from another angle names
        its people in one headline and describes them in the other ("Ould Cheikh jailed ..." /
        "the former minister who sold the gas"); one actor's two acts name the actor in both
        headlines ("Kovalenko sacks army chief" / "Kovalenko signs law ..."), an official's two
        cases name the official in the leads alone (a prosecutor's): *A lone report's own
        names* (stories.py, LONE_FLOOR)."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        names, generic, weights, title = feats.names, self._generic, feats.weights, feats.title
        story, stories, times = self._story[slot], self._story, self._time
        found, headlined = 0, False
        for tid, f in zip(self._terms[begin:end], self._tw[begin:end], strict=True):
            if (
                tid not in weights
                or not (f & NAME_BIT or tid in names)
                or tid & NUMBER_BIT
                or tid & _MASK in generic
                or tid in NAME_PART_IDS
            ):
                continue
            if f & TITLE_BIT and tid in title:
                return False  # a name both headlines write: the same actor's news, maybe another
            if tid in PLACE_TERMS or tid in COUNTRY_BITS:
                continue  # a place: one country's or one city's events are many
            if all(
                stories[other] in (story, DEAD) or abs(times[other] - ref) > window
                for other in self._postings.get(tid, ())
            ):
                found += 1
                headlined = headlined or bool(f & TITLE_BIT) or tid in title
        return found >= LONE_NAMES and headlined

    def _rivals(self, feats: TextFeatures, slot: int, squared: dict[int, float]) -> bool:
        """Are the names each headline gives and the other report lacks rivals? Yes when
        either report has a lead (it had room to name the other's and did not), when the
        headlines open on different subjects (see _subjects_apart), or when a name of each
        stands next to the same word ("Port of Antwerp" / "Port of Rotterdam", "meets Trump" /
        "meets Macron": name_slots.py). Otherwise they are details that two headlines alone
        had no room to share ("Kremlin confirms Putin will visit Beijing" / "Putin to meet Xi
        in China, Moscow says"; "Cuomo aides altered nursing home data: WSJ" / "NY officials
        altered count of nursing home deaths")."""
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        row, flags = self._terms[begin:end], self._tw[begin:end]
        if not feats.title.issuperset(feats.weights) or not all(f & TITLE_BIT for f in flags):
            return True  # a lead on either side
        if self._subjects_apart(feats.subject, slot, row, squared):
            return True
        if self._described(feats, slot, squared):
            return True
        generic = self._generic
        theirs = [
            tid
            for tid, f in zip(row, flags, strict=True)
            if f & NAME_BIT and tid not in squared and tid & _MASK not in generic
        ]
        ours = [tid for tid in feats.title & feats.names if tid not in row]
        near = self._near[self._near_at[slot] : self._near_at[slot + 1]]
        return one_slot(feats.contexts, ours, near, theirs)

    def _two_slots(self, feats: TextFeatures, slot: int) -> bool:
        """The item's headline and the stored report's fill two slots of one template with
        other names, whatever their leads say: "Alcaraz beats Zverev to reach Australian Open
        final" / "Djokovic beats Sinner to set up final against Alcaraz" are two semi-finals
        (name_slots.two_slots)."""
        begin, end = self._near_at[slot], self._near_at[slot + 1]
        if begin == end:
            return False
        found = slot_pairs(feats.contexts, self._near[begin:end])  # their headline read after
        return len(found) > 1 and apart_pairs(found, feats.title, self._title_of(slot))

    def _described(self, feats: TextFeatures, slot: int, squared: dict[int, float]) -> bool:
        """_described_apart over the stored report's terms (not sliced for an item whose
        headline has no place or no description's noun: most)."""
        if HEAD_TERMS.isdisjoint(feats.title) or PLACES.isdisjoint(feats.title):
            return False  # set operations in C: most items stop here, once a pair
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        return _described_apart(feats, self._terms[begin:end], self._tw[begin:end], squared)

    def _subjects_apart(
        self, ours: int, slot: int, row: Sequence[int], squared: dict[int, float]
    ) -> bool:
        """The headlines open on different subjects (similarity._subject), and neither report
        mentions the other's: with no rare name shared, or headlines alike but for their
        subjects ("Chelsea beat Arsenal ..." / "Liverpool beat Arsenal ...": `_signals` asks),
        two events told on one template: "Fed holds rates steady" / "ECB holds rates
        steady", "Apple shares fall after earnings miss" / "Google shares fall ...". Counted
        as a name conflict."""
        theirs = self._subject[slot]
        return (
            ours != NO_SUBJECT
            and theirs != NO_SUBJECT
            and ours != theirs
            and theirs not in squared
            and ours not in row
        )

    def _sub_norms(self, row: Sequence[int], flags: Sequence[int]) -> tuple[float, float]:
        """A stored report's title and lead sub-vectors' squared lengths (its terms `row`, their
        weight bytes `flags`), summed in row order: kept per slot for the fixed IDF
        (story_slots._sub), made again for each pair when the IDF learns."""
        norm_title = norm_lead = 0.0
        if self.idf_learning <= 0.0:  # the fixed IDF: each term's TF² x IDF² read off a table
            generic = self._generic
            for tid, f in zip(row, flags, strict=True):
                square = (_GENERIC_SQUARED_OF if tid & _MASK in generic else _SQUARED_OF)[f]
                if f & TITLE_BIT:
                    norm_title += square
                else:
                    norm_lead += square
            return norm_title, norm_lead
        for f, idf in zip(flags, self._idf(row), strict=True):
            if f & TITLE_BIT:
                norm_title += _TF2_OF[f] * idf * idf
            else:
                norm_lead += _TF2_OF[f] * idf * idf
        return norm_title, norm_lead

    @staticmethod
    def _weighed(feats: TextFeatures, sub_norms: list[float], squared: dict[int, float]) -> Query:
        """The item as the signals weigh it: its headline's dates, decimal figures and numbers
        found once, not once for each story."""
        title = feats.title
        dates = [tid for tid in title if tid & DATES == DATES]
        figures = [tid for tid in title if tid & FIGURES == DECIMALS]
        numbers = {tid for tid in title if tid & NUMBER_BIT}
        return feats, sub_norms, squared, dates, figures, numbers

    def _signals(
        self,
        item: Query,
        slot: int,
        cosines: tuple[float, float],
        ref: float,
        first: int,
        row: list[int] | None = None,
    ) -> tuple[float, ...]:
        """story_model.FEATURES for the item against a story (closest report `slot`, its
        stored terms `row` when _cosines made them)."""
        feats, sub_norms, squared, _, _, ours_num = item
        begin, end = self._offsets[slot], self._offsets[slot + 1]
        if row is None:
            row = self._terms[begin:end].tolist()  # its ints made once (`in` scans it, twice)
        title, names, generic = feats.title, feats.names, self._generic
        # One pass over the stored terms. Sub-vectors: title terms, and lead terms (the rest),
        # on both sides (their squared lengths: _sub_norms); the rest takes what is shared and
        # what their headline holds. (Only counts and sums in row order: the same figures as
        # counting each with sets.)
        flags = self._tw[begin:end]
        if self.idf_learning <= 0.0:  # made when the report was added (the fixed IDF)
            norm_title, norm_lead = self._sub[2 * slot], self._sub[2 * slot + 1]
        else:
            norm_title, norm_lead = self._sub_norms(row, flags)
        dot_title = dot_lead = 0.0
        common = shared_names = rare = numbers = ours_in_row = theirs_in_query = both = 0
        their_title: list[int] = []
        their_name_apart = False  # their headline names something our report never mentions
        weight_of = squared.get
        for tid, f in zip(row, flags, strict=True):
            weight = weight_of(tid)  # None: not shared
            if f & TITLE_BIT:
                their_title.append(tid)
                if weight is None:
                    if f & NAME_BIT and tid & _MASK not in generic:
                        their_name_apart = True
                    continue
                theirs_in_query += 1
                if tid in title:  # title with title
                    ours_in_row += 1
                    both += 1
                    dot_title += weight * _TF_OF[f]
            else:
                if weight is None:
                    continue
                if tid in title:
                    ours_in_row += 1
                else:  # lead with lead
                    dot_lead += weight * _TF_OF[f]
            common += 1
            if f & NAME_BIT or tid in names:
                shared_names += 1
                rare += tid & _MASK not in generic
            numbers += tid >= NUMBER_BIT
        ours_title, ours_lead = sub_norms
        sub = (
            dot_title / math.sqrt(ours_title * norm_title) if ours_title and norm_title else 0.0,
            dot_lead / math.sqrt(ours_lead * norm_lead) if ours_lead and norm_lead else 0.0,
        )
        numbers_apart = bool(ours_num) and _numbers_apart(  # none of ours: none apart
            ours_num, {tid for tid in their_title if tid & NUMBER_BIT}, ref >= self._time[slot]
        )
        if numbers_apart and _other_units(title, their_title):
            numbers_apart = False  # "Category 3" / "120 mph winds": nothing to compare
        # Mean share of each headline's terms that the other report lacks.
        mine = (len(title) - ours_in_row) / len(title) if title else 0.0
        other = (len(their_title) - theirs_in_query) / len(their_title) if their_title else 0.0
        novel = (mine + other) / 2
        # Headlines alike but for their subjects ("Chelsea beat Arsenal ..." / "Liverpool beat
        # Arsenal ..."): the subjects conflict even where a rare name is shared.
        alike = _alike(len(title) - ours_in_row, len(their_title) - theirs_in_query, both)
        conflict = (
            (
                their_name_apart
                and _named_apart(row, feats, generic)
                and self._names_apart(feats, slot, row, squared)
                and not (
                    (feats.kin or self._kin_at[slot] != self._kin_at[slot + 1])
                    and self._one_person(feats, slot, row, squared)
                )
            )
            or ((not rare or alike) and self._subjects_apart(feats.subject, slot, row, squared))
            or self._described(feats, slot, squared)
        )
        cos_best, cos_anchor = cosines
        short = len(squared) <= SHORT_TERMS or len(row) <= SHORT_TERMS
        apart = abs(self._time[slot] - ref) / DAY
        age = abs(self._time[first] - ref) / DAY
        if ref > self._time[first] and (
            feats.refers_back or (feats.days and self._names_first_day(feats.days, first, ref))
        ):  # see BACK_APART
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


def _alike(mine: int, other: int, both: int) -> bool:
    """Two headlines alike but for their subjects: each has one term the other report lacks
    ("Chelsea beat Arsenal ..." / "Liverpool beat Arsenal ..."), or each two where they share
    a template of more terms ("Junior doctors in England announce five-day strike" / "Rail
    workers in England announce three-day strike": `mine`, `other` the terms of each headline
    the other report lacks, `both` the terms the two headlines share). One word against two
    is one actor described otherwise ("Tourist killed in shark attack ..." / "Scuba diver
    killed ...", "Rebels seize ..." / "M23 fighters seize ..."): not alike."""
    return mine == other and (mine == 1 or (mine == TEMPLATE_SLOT and both > mine))


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


# Weathers that lie over a country at once, as terms (terms.root; "heat wave" is "heatwave":
# wordforms.PHRASES): two states' reports of one such, each headline writing the country, are
# one event (PairSignals._country_headlined). General English.
_WIDE_WORDS = "heatwave heat drought cold coldwave smog frost"
_WIDE = frozenset(term_id(root(word)) for word in _WIDE_WORDS.split())

# Words of a toll told as such or revised ("death toll", "revised down", "lowers toll to 9"), as
# terms (terms.root): general English (PairSignals._toll_fell).
_REVISED_WORDS = "toll revise revised revises lower lowered lowers down correct corrected"
_REVISED = frozenset(term_id(root(word)) for word in _REVISED_WORDS.split())

# Words of a unit a figure is measured in ("Category 3", "120 mph", "6.4 magnitude", "40 cm of
# snow", "5 billion"), as terms (terms.root): general English.
_UNIT_WORDS = """category level magnitude mph kph kmh km kilometres kilometers miles mile metres
meters feet foot ft inches inch cm mm millimetres degrees celsius fahrenheit percent cent pct
billion million trillion tonnes tons hectares acres knots points years storeys floors"""
_UNITS = frozenset(term_id(root(word)) for word in _UNIT_WORDS.split())


def _other_units(title: Collection[int], their_title: Collection[int]) -> bool:
    """Do both headlines measure their figures in units, none the same ("Hurricane makes
    landfall as Category 3" / "... lashes island with 120 mph winds")? Their figures then
    compare nothing (_numbers_apart); two of one unit ("Category 3" / "Category 5"), or a
    headline naming no unit ("arrest 12" / "jails 3"), still do."""
    ours = _UNITS.intersection(title)
    if not ours:
        return False
    theirs = _UNITS.intersection(their_title)
    return bool(theirs) and ours.isdisjoint(theirs)


def _measured_apart(
    earlier: frozenset[int],
    title: Collection[int],
    names: Collection[int],
    their_title: Collection[int],
    their_names: Collection[int],
    theirs: Collection[int],
    generic: frozenset[int],
    site: frozenset[int] = frozenset(),
) -> bool:
    """PairSignals._earlier_apart for one headline (`title`, its report's `names`) whose
    `earlier` terms tell the happening it is measured from, against the other report's
    headline, names and terms. A site its own happening struck (`site`: similarity's, "market"
    in "Blaze guts Dhaka market a day after garment factory fire") that the other report never
    mentions tells its own happening as a name would, and then a name both headlines write
    (the town: "Blaze guts Sliven bakery ..." / "Fire breaks out at Sliven textile warehouse")
    tells only where."""
    if not any(tid in earlier and _telling(tid, generic) for tid in (*their_title, *their_names)):
        return False  # the other tells nothing of the earlier happening
    elsewhere = any(tid not in theirs and tid not in earlier for tid in site)
    if any(
        tid in title
        and tid not in earlier
        and tid not in PLACES
        and tid not in WHERE
        and _telling(tid, generic)
        and not (elsewhere and tid in their_names)
        for tid in their_title
    ):
        return False  # a word of its own happening is theirs too ("near" tells only where)
    return elsewhere or any(
        tid in names and tid not in theirs and tid not in earlier and _telling(tid, generic)
        for tid in title
    )


def _telling(tid: int, generic: frozenset[int]) -> bool:
    """Does the term tell one happening from another of its kind: no kind's word, aftermath,
    verb of striking, figure nor generic news word (PairSignals._earlier_apart)?"""
    return not (
        tid & NUMBER_BIT
        or tid in KIND_OF
        or tid in AFTERMATH
        or tid in STRIKING
        or tid & _MASK in generic
    )


def _named_apart(row: Sequence[int], feats: TextFeatures, generic: frozenset[int]) -> bool:
    """Our headline names something the other report never mentions. With the same of their
    headline (`_signals`), a name conflict: "... sanctions on Mali" against "... resolution on
    Gaza", two events that share their vocabulary.

    A generic news word is no such name even when capitalised: "UN" in one headline and
    "UNHRC" in the other, or "Foreign Minister" against "Ishaq Dar", are one body or person
    named two ways, not two."""
    return any(tid not in row and tid & _MASK not in generic for tid in feats.title & feats.names)


PLACES = frozenset(PLACE_TERMS)  # the place terms, as a set
# No actor two states' reports share (PairSignals._states_apart): a kind of institution, an
# office, a country's name or people's word.
_NOT_SHARED_BY_STATES = NAME_PART_IDS | OFFICE_TERMS | frozenset(COUNTRY_BITS)
REGIONS = frozenset(REGION_CITIES)  # the regions' terms, as a set
TOWNS = frozenset(TOWN_BITS)  # the towns' terms, as a set
# The word of a sea or a strait after its name ("Timor Sea", "Bass Strait"): no name of its own
# (PairSignals._names_apart), the name before it is ("Timor" / "Coral").
_WATER_WORDS = frozenset(term_id(root(word)) for word in ("sea", "ocean", "strait"))


def _within(tid: int, placed: int, mentions: int) -> bool:
    """Is the term a country's name or adjective (descriptions.COUNTRY_BITS) of a country
    among `placed` (the country bits of where a report places its event)? Not a state or a
    city: two of one country ("Measles outbreak declared in Utah" / "... in South Carolina")
    are two places at one grain. A word of a country named in several ("zealand") only in a
    report that names the country (`mentions`, its own places): "Wildfire on Zealand" is
    Denmark's island, no New Zealand (descriptions.COUNTRY_PARTS). A country's initials ("SA"
    for South Africa: descriptions.COUNTRY_INITIALS) count as its name in a report that mentions
    no other country: "Bushfire forces evacuations across SA hills" east of Adelaide is South
    Australia's."""
    bits = COUNTRY_BITS.get(tid, 0) & placed
    if not bits:
        initials = COUNTRY_INITIALS.get(tid, 0)
        return bool(initials & placed) and not mentions & ~initials
    return tid not in COUNTRY_PARTS or bool(bits & mentions)


def _towns_of(names: Collection[int]) -> int:
    """The country bits of the towns (descriptions.TOWN_BITS) among a headline's names that
    the other report never mentions: where that headline tells its event, for lifting a name
    conflict only. A town's report is placed in its country against a report whose rival name
    is that country's own ("Ghana fuel station blast death toll climbs" / "Tanker explodes at
    Kintampo filling station"); a town against a town of that country (or a city) still
    conflicts, as both names stay."""
    bits = 0
    for tid in names:
        bits |= TOWN_BITS.get(tid, 0)
    return bits


def _around(tid: int, names: Collection[int]) -> bool:
    """Is the term a region's (descriptions.REGION_CITIES) whose city is among `names`?"""
    cities = REGION_CITIES.get(tid)
    return cities is not None and not cities.isdisjoint(names)


def _described_apart(
    feats: TextFeatures, row: Sequence[int], flags: Sequence[int], squared: dict[int, float]
) -> bool:
    """Two places in one slot, one of them a description (descriptions.py): both headlines
    write a noun that descriptions are made of ("drugmaker", "bank", "lake", "largest"), each a
    place that the other report never mentions, and one of those places only describes — the
    item's ("Danish drugmaker cuts jobs" / "Swiss drugmaker cuts jobs"), or the stored
    headline's, which then cued no name ("Nigeria's central bank holds rate" / "Bank of Japan
    keeps interest rates unchanged"). Rivals, as two names in one slot would be, when the two
    places lie in other countries (places.py): "Kabul's main mosque" and "Afghanistan mosque"
    are one place at two grains. Called through PairSignals._described, which stops first
    every item whose headline has no place or no description's noun."""
    title_terms = feats.title
    ours = [tid for tid in PLACES.intersection(title_terms) if tid not in row]
    if not ours:
        return False
    title = [(tid, f) for tid, f in zip(row, flags, strict=True) if f & TITLE_BIT]
    if not any(tid in HEAD_TERMS and tid in title_terms for tid, _ in title):
        return False
    theirs = [(PLACE_TERMS[t], f) for t, f in title if t in PLACE_TERMS and t not in squared]
    described = {proper for proper, _ in feats.described}
    return any(
        not PLACE_TERMS[tid] & country and (tid in described or not f & NAME_BIT)
        for tid in ours
        for country, f in theirs
    )


def _seeded_df() -> array[int]:
    """Document frequencies before any document: generic news words already look common."""
    df = array("H", bytes(2 * DF_BUCKETS))
    for tid in GENERIC_IDS:
        df[tid & (DF_BUCKETS - 1)] = GENERIC_DF
    return df
