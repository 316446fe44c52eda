"""Story grouping: copies and same-event reports join, different events stay apart."""

from __future__ import annotations

import dataclasses
from array import array
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from watcher.minhash import SIG_BINS, BandTable, band_keys, jaccard
from watcher.model import Item, StoryDecision, Tier
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.story_ends import StoryEnds, home
from watcher.story_model import FEATURES, default_model, parse_model
from watcher.terms import NUMBER_BIT, stem, term_id

SHARED = Path(__file__).resolve().parents[2] / "shared"
T0 = datetime(2026, 1, 25, 6, 0, tzinfo=UTC)


def item(key: str, title: str, summary: str = "", hours: float = 0.0) -> Item:
    return Item(
        key=f"url:{key}",
        feed_url=f"https://{key}.example/rss",
        feed_name=key,
        link=f"https://{key}.example/story",
        title=title,
        summary=summary,
        published=T0 + timedelta(hours=hours),
        content_hash=key,
    )


def ingest(index: StoryIndex, *items: Item) -> list[StoryDecision]:
    """Feed items in order as the pipeline would; new stories get ids 1, 2, ..."""
    decisions = []
    next_id = 1
    for it in items:
        decision = index.decide(it)
        story = decision.story_id
        if story is None:
            story, next_id = next_id, next_id + 1
        index.add(it, story)
        decisions.append(decision)
    return decisions


# Hand-written fixtures: one event told twice in different words, and look-alike other events.
KENYA_A = item(
    "kenya-a",
    "Kenya's parliament passes finance bill despite protests",
    "Kenyan lawmakers on Tuesday approved the Finance Bill by 195 votes to 106, as police in "
    "Nairobi fired tear gas at protesters gathered outside Parliament. President William Ruto "
    "is expected to sign the bill, which raises taxes on fuel and mobile money transfers.",
)
KENYA_B = item(
    "kenya-b",
    "Ruto's tax bill clears Kenyan parliament as police tear-gas Nairobi crowds",
    "Kenya's National Assembly voted 195-106 to pass a finance bill that adds taxes on mobile "
    "money and fuel, while riot police used tear gas against thousands of demonstrators in "
    "central Nairobi. The bill now goes to President William Ruto for his signature.",
    hours=3,
)
QUAKE_JAPAN = item(
    "quake-jp",
    "Magnitude 6.8 earthquake strikes off northern Japan, tsunami advisory issued",
    "A magnitude 6.8 earthquake struck off the coast of Aomori Prefecture in northern Japan on "
    "Monday, the Japan Meteorological Agency said, prompting a tsunami advisory for the Pacific "
    "coast. There were no immediate reports of damage or casualties.",
)
QUAKE_PERU = item(
    "quake-pe",
    "Strong earthquake shakes southern Peru, damaging homes",
    "A magnitude 6.1 earthquake struck southern Peru on Monday, damaging homes and a colonial "
    "church in the Arequipa region, the Geophysical Institute of Peru said. Authorities "
    "reported several injuries but no deaths, and no tsunami warning was issued.",
    hours=5,
)
UNSC_MALI = item(
    "unsc-mali",
    "UN Security Council votes to extend sanctions on Mali",
    "The UN Security Council voted 13-0 on Thursday to extend the sanctions regime on Mali for "
    "another year, with Russia and China abstaining. The resolution renews a travel ban and "
    "asset freeze on individuals accused of obstructing the peace agreement.",
)
UNSC_GAZA = item(
    "unsc-gaza",
    "US vetoes UN Security Council resolution on Gaza ceasefire",
    "The United States on Thursday vetoed a UN Security Council resolution demanding an "
    "immediate ceasefire in Gaza, the fourth such veto. The other 14 council members voted in "
    "favour of the text drafted by Algeria, and Russia called the vote a dark day.",
    hours=4,
)
FED = item(
    "fed",
    "Fed holds interest rates steady, signals two cuts later this year",
    "The Federal Reserve kept its benchmark interest rate unchanged on Wednesday and Chair "
    "Jerome Powell said inflation was cooling enough to allow two cuts before December.",
)
ECB = item(
    "ecb",
    "ECB raises interest rates again as euro zone inflation stays high",
    "The European Central Bank raised its deposit rate by a quarter point on Wednesday, with "
    "President Christine Lagarde saying inflation in the euro zone was still too high.",
    hours=2,
)
IR_PK_TRADE = item(
    "trade",
    "Pakistan and Iran agree to expand border trade at Gabd-Rimdan crossing",
    "Pakistan and Iran agreed on Sunday to open two new border markets and raise bilateral "
    "trade to $5 billion a year, Commerce Minister Jam Kamal Khan said after talks in Quetta "
    "with Iran's Minister of Industry, Mine and Trade. The crossing at Gabd-Rimdan will stay "
    "open around the clock for goods lorries, and a barter mechanism for rice, fruit and "
    "petroleum products will start in March, the Ministry of Commerce said in a statement.",
    hours=4,
)
IR_PK_CALL = item(
    "call",
    "Iranian foreign minister thanks Pakistan for UNHRC vote in call with Ishaq Dar",
    "Iran's Foreign Minister Abbas Araghchi thanked Pakistan's Deputy Prime Minister Ishaq Dar "
    "in a telephone call for Islamabad's vote against a resolution on Iran at the United Nations "
    "Human Rights Council, the Foreign Office said. The two ministers also discussed regional "
    "security and bilateral ties.",
)
IR_PK_CALL_2 = item(
    "call-2",
    "Dar, Araghchi discuss UN rights council vote and regional situation",
    "Foreign Minister Ishaq Dar spoke by telephone with his Iranian counterpart Abbas Araghchi, "
    "who appreciated Pakistan's stance at the UNHRC, where Islamabad opposed a country-specific "
    "resolution on Iran. Dar stressed respect for sovereignty and non-interference.",
    hours=2,
)
LONG_REPORT = (
    "Engineers at the Port of Rotterdam on Friday began draining the flooded Maasvlakte container "
    "terminal after a storm surge breached a temporary dike overnight, the port authority said. "
    "About 40 vessels were waiting at anchor and shipping lines warned of delays of up to a week "
    "for cargo bound for Germany and Switzerland. The authority said pumps brought from three "
    "other terminals were running at full capacity and that the terminal would partly reopen on "
    "Sunday if the weather held. Dutch water management officials said the breach was the first "
    "at the terminal since it opened and that an inquiry would examine the temporary dike."
)


def test_same_event_in_other_words_joins_as_event() -> None:
    decisions = ingest(StoryIndex(), KENYA_A, KENYA_B)
    assert decisions[0] == StoryDecision(None, Tier.NEW)
    assert decisions[1].story_id == 1
    assert decisions[1].tier is Tier.EVENT
    assert 0.0 < decisions[1].score <= 1.0


def test_foreign_ministers_call_reported_twice_joins_but_trade_talks_do_not() -> None:
    decisions = ingest(StoryIndex(), IR_PK_CALL, IR_PK_CALL_2, IR_PK_TRADE)
    assert decisions[1].story_id == 1 and decisions[1].tier is Tier.EVENT
    assert decisions[2] == StoryDecision(None, Tier.NEW)


@pytest.mark.parametrize(
    ("first", "second"),
    [(QUAKE_JAPAN, QUAKE_PERU), (UNSC_MALI, UNSC_GAZA), (FED, ECB), (IR_PK_CALL, IR_PK_TRADE)],
    ids=["earthquakes", "security-council-votes", "central-banks", "iran-pakistan"],
)
def test_different_events_with_shared_vocabulary_stay_apart(first: Item, second: Item) -> None:
    index = StoryIndex()
    decisions = ingest(index, first, second)
    assert decisions[1] == StoryDecision(None, Tier.NEW)


def test_all_fixtures_together_make_one_story_per_event() -> None:
    everything = [
        KENYA_A,
        QUAKE_JAPAN,
        UNSC_MALI,
        FED,
        IR_PK_CALL,
        KENYA_B,
        QUAKE_PERU,
        UNSC_GAZA,
        ECB,
        IR_PK_CALL_2,
        IR_PK_TRADE,
    ]
    decisions = ingest(StoryIndex(), *everything)
    joined = {it.key: d.story_id for it, d in zip(everything, decisions, strict=True)}
    assert joined[KENYA_B.key] == 1
    assert joined[IR_PK_CALL_2.key] == 5
    others = [QUAKE_PERU, UNSC_GAZA, ECB, IR_PK_TRADE]
    assert all(joined[it.key] is None for it in others)


def warmed_index() -> StoryIndex:
    """An index that has seen 1,000 earlier items (since pruned), as a running service has:
    its document frequencies are learned and the fresh-index caution has worn off."""
    index = StoryIndex()
    for n in range(1000):
        index.add(
            item(
                f"old{n}",
                f"Council {n % 37} approves road repairs in district {n}",
                f"Officials said the city council voted on the budget for district {n % 53}, "
                f"where residents reported {n % 11} potholes after the storm.",
                hours=-24 * 60,
            ),
            -n - 1,
        )
    index.prune(T0 - timedelta(days=30))
    assert len(index) == 0
    return index


@pytest.mark.parametrize(
    ("first", "second"),
    [(QUAKE_JAPAN, QUAKE_PERU), (UNSC_MALI, UNSC_GAZA), (FED, ECB), (IR_PK_CALL, IR_PK_TRADE)],
    ids=["earthquakes", "security-council-votes", "central-banks", "iran-pakistan"],
)
def test_different_events_stay_apart_in_a_warm_index(first: Item, second: Item) -> None:
    assert ingest(warmed_index(), first, second)[1] == StoryDecision(None, Tier.NEW)


@pytest.mark.parametrize(
    ("first", "second"),
    [(KENYA_A, KENYA_B), (IR_PK_CALL, IR_PK_CALL_2)],
    ids=["kenya", "foreign-ministers"],
)
def test_same_event_joins_in_a_warm_index(first: Item, second: Item) -> None:
    decision = ingest(warmed_index(), first, second)[1]
    assert decision.story_id == 1 and decision.tier is Tier.EVENT


def test_syndicated_copy_with_other_headline_and_boilerplate_joins_as_copy() -> None:
    original = item(
        "port", "Rotterdam drains flooded container terminal after dike breach", LONG_REPORT
    )
    copy = item(
        "wire",
        "UPDATE 2-Netherlands: Storm floods Rotterdam port terminal",
        LONG_REPORT + " (Reporting by a correspondent; editing by the desk)"
        " Our standards: The Trust Principles.",
        hours=1,
    )
    decisions = ingest(StoryIndex(), original, copy)
    assert decisions[1].story_id == 1
    assert decisions[1].tier is Tier.COPY
    assert decisions[1].score >= 0.7


def test_teaser_copy_with_same_title_and_lead_is_a_copy() -> None:
    lead = LONG_REPORT[:400]
    title = "Rotterdam drains flooded container terminal after dike breach"
    decisions = ingest(StoryIndex(), item("a", title, lead), item("b", title, lead, hours=2))
    assert decisions[1].tier is Tier.COPY


def test_short_identical_headlines_are_not_called_copies() -> None:
    # "Live updates" style titles recur across unrelated days and outlets.
    decisions = ingest(StoryIndex(), item("a", "Live: latest news"), item("b", "Live: latest news"))
    assert decisions[1].tier is not Tier.COPY


def test_story_closes_after_the_window() -> None:
    late_report = item("kenya-late", KENYA_B.title, KENYA_B.summary, hours=40)
    late_copy = item("kenya-copy", KENYA_A.title, KENYA_A.summary, hours=40)
    for late in (late_report, late_copy):
        decisions = ingest(StoryIndex(window=timedelta(hours=36)), KENYA_A, late)
        assert decisions[1] == StoryDecision(None, Tier.NEW)
    decisions = ingest(StoryIndex(window=timedelta(hours=48)), KENYA_A, late_copy)
    assert decisions[1].story_id == 1 and decisions[1].tier is Tier.COPY


def test_the_farther_apart_in_time_the_more_similar_reports_must_be() -> None:
    near = ingest(StoryIndex(window=timedelta(hours=48)), KENYA_A, KENYA_B)[1]
    far_item = item("kenya-far", KENYA_B.title, KENYA_B.summary, hours=40)
    far = ingest(StoryIndex(window=timedelta(hours=48)), KENYA_A, far_item)[1]
    assert near.tier is Tier.EVENT
    assert far.story_id is None or far.score < near.score


def test_item_published_before_the_story_within_the_window_still_joins() -> None:
    early = item("kenya-early", KENYA_B.title, KENYA_B.summary, hours=-5)
    assert ingest(StoryIndex(), KENYA_A, early)[1].story_id == 1


def test_prune_forgets_old_items_and_they_no_longer_join() -> None:
    index = StoryIndex(window=timedelta(days=30))
    ingest(index, KENYA_A, QUAKE_JAPAN)
    assert len(index) == 2
    assert index.prune(T0 + timedelta(minutes=1)) == 2
    assert len(index) == 0
    assert index.prune(T0 + timedelta(minutes=1)) == 0
    assert index.decide(KENYA_B) == StoryDecision(None, Tier.NEW)


def test_compaction_keeps_survivors_joinable() -> None:
    index = StoryIndex(window=timedelta(days=400))
    fillers = [
        item(
            f"f{i}",
            f"Council meeting number {i} on road repairs in district {i}",
            f"District {i} councillors discussed pothole budget {i}.",
            hours=-24 * (i + 1),
        )
        for i in range(3000)
    ]
    for n, filler in enumerate(fillers):
        index.add(filler, 100 + n)
    index.add(KENYA_A, 1)
    assert index.prune(T0 - timedelta(hours=12)) == 3000
    assert len(index) == 1
    decision = index.decide(KENYA_B)
    assert decision.story_id == 1 and decision.tier is Tier.EVENT
    # Its band keys were put again: a copy under another headline is still found as a copy.
    copy = item("kenya-copy", f"UPDATE: {KENYA_A.title}", KENYA_A.summary, hours=1)
    decision = index.decide(copy)
    assert decision.story_id == 1 and decision.tier is Tier.COPY


def test_a_terms_postings_keep_only_its_newest_slots_and_the_newest_report_joins() -> None:
    index = StoryIndex(max_postings=4)
    for n in range(40):  # 40 reports sharing "Nairobi" before the one the next report tells of
        filler = item(f"n{n}", f"Traffic update {n}", "Nairobi roads.", hours=-1 - n / 10)
        index.add(filler, 100 + n)
    index.add(KENYA_A, 1)
    nairobi = index._postings[term_id("nairobi")]
    assert list(nairobi) == [37, 38, 39, 40]  # the newest four; 40 is KENYA_A's slot
    decision = index.decide(KENYA_B)
    assert decision.story_id == 1 and decision.tier is Tier.EVENT


def test_joins_the_best_matching_open_story() -> None:
    index = StoryIndex()
    index.add(QUAKE_JAPAN, 7)
    index.add(KENYA_A, 8)
    index.add(UNSC_MALI, 9)
    assert index.decide(KENYA_B).story_id == 8


def test_features_see_names_acronyms_and_light_stems() -> None:
    spelled = features(
        "", "Envoys said Pakistan thanked the United Nations Human Rights Council on Friday."
    )
    short = features("", "Officials said Pakistan welcomed the UNHRC decision.")
    assert spelled.names & short.names == {term_id("pakistan"), term_id("unhrc")}
    opening = features("", "Pakistan welcomed it.")
    assert term_id("pakistan") not in opening.names  # a sentence's first capital is grammar
    assert stem("ministers") == stem("minister") and stem("voted") == stem("votes")
    assert features("Biden Meets Xi In Bali", "").names == frozenset()  # headline caps


def test_signature_estimates_overlap() -> None:
    a = features("", LONG_REPORT).signature
    b = features("", LONG_REPORT.replace("Friday", "Saturday")).signature
    c = features("", KENYA_A.summary + " " + KENYA_B.summary).signature
    assert jaccard(a, a) == 1.0
    assert jaccard(a, b) >= 0.6
    assert jaccard(a, c) <= 0.2


def _seed_items() -> tuple[Item, Item]:
    seeds = SHARED / "seeds"
    first = sorted(seeds.glob("000_*.txt"))
    second = sorted(seeds.glob("001_*.txt"))
    if not first or not second:
        pytest.skip("../shared/seeds not present")
    paragraphs = first[0].read_text(encoding="utf-8").split("\n\n")
    a = item(
        "outlet-a",
        "Pakistan and Iran Reaffirm Diplomatic Coordination in Call Between Foreign Ministers",
        "\n\n".join(paragraphs[2:]),
    )
    b = item(
        "outlet-b",
        "Iran thanks Pakistan for support at UN Human Rights Council",
        second[0].read_text(encoding="utf-8"),
        hours=1,
    )
    return a, b


def test_seed_story_two_outlets_join_copy_joins_trade_story_does_not() -> None:
    a, b = _seed_items()
    copy = item(
        "syndicated",
        "World: " + a.title,
        a.summary + "\n\nDistributed by a news agency. All rights reserved.",
        hours=2,
    )
    trade = item("trade-seed", IR_PK_TRADE.title, IR_PK_TRADE.summary, hours=3)
    decisions = ingest(StoryIndex(), a, b, copy, trade)
    assert decisions[1].story_id == 1 and decisions[1].tier is Tier.EVENT
    assert decisions[2].story_id == 1 and decisions[2].tier is Tier.COPY
    assert decisions[3] == StoryDecision(None, Tier.NEW)


def test_band_table_keeps_the_newest_slot_per_key_and_grows() -> None:
    # The table stores no key: it recomputes a candidate's from the slot's signature in the
    # index's flat array, and a tag of 6 bits spares it that for most other keys.
    sigs = array("I")
    table = BandTable(sigs, capacity=4)
    for n in range(1, 500):
        sigs.extend((n * 2654435761 + k * 40503) & 0xFFFFFFFF for k in range(SIG_BINS))
    every = [
        (n, band, key) for n in range(1, 500) for band, key in band_keys(sigs[n * 16 - 16 : n * 16])
    ]
    for n, band, key in every:
        table.put(key, band, n - 1)
    assert len(table) == len({key for _, _, key in every}) > 1900
    assert all(table.get(key) == n - 1 for n, _, key in every)
    sigs.extend(sigs[:SIG_BINS])  # slot 499: a copy of slot 0, newer
    before = len(table)
    for band, key in band_keys(sigs[:SIG_BINS]):
        table.put(key, band, 499)
        assert table.get(key) == 499
    assert len(table) == before  # a key seen before takes no new cell
    assert table.get(12345) is None


class _CountingBandTable(BandTable):
    """A BandTable that counts the keys it recomputes from signatures."""

    recomputed = 0

    def _key(self, cell: int) -> int:
        self.recomputed += 1
        return super()._key(cell)


def test_band_table_recomputes_a_key_only_where_the_tag_matches() -> None:
    # The tag byte spares a probe the signature read for 63 cells in 64 holding other keys:
    # finding each of 2,000 keys recomputes about one key each (its own), not one per cell
    # probed (half full, this table probes about 1.5 cells a key).
    sigs = array("I")
    for n in range(1, 501):
        sigs.extend((n * 2654435761 + k * 40503) & 0xFFFFFFFF for k in range(SIG_BINS))
    table = _CountingBandTable(sigs, capacity=1 << 12)
    every = [
        (n, band, key) for n in range(500) for band, key in band_keys(sigs[n * 16 : n * 16 + 16])
    ]
    for n, band, key in every:
        table.put(key, band, n)
    assert len(table) / (table._mask + 1) > 0.4  # full enough that probes pass other keys
    table.recomputed = 0
    assert all(table.get(key) == n for n, _, key in every)
    assert table.recomputed < 1.05 * len(every)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Earthquake hits Chile", "Earthquake hits Peru"),
        ("New ferry timetable", "Ferry strike called off"),
        ("Floods close schools in Kenya", "Floods close schools in Uganda"),
    ],
)
def test_short_headlines_sharing_no_name_need_more_than_wording(first: str, second: str) -> None:
    # Two or three words of a short headline in common make a high cosine; without a shared
    # name the join also takes two shared terms and no conflicting names.
    index = StoryIndex()
    (_, decision) = ingest(index, item("a", first), item("b", second, hours=0.2))
    assert decision.tier is Tier.NEW


def test_short_headlines_of_one_event_still_join() -> None:
    index = StoryIndex()
    (_, decision) = ingest(
        index,
        item("a", "Earthquake of magnitude 7 hits Chile"),
        item("b", "Magnitude 7 earthquake hits northern Chile", hours=0.2),
    )
    assert decision.tier is Tier.EVENT


# Hand-written regression cases for the learned join decision (issue 11).
TEXAS_BLAST = item(
    "texas-blast",
    "Explosion at chemical plant in Texas injures 12",
    "An explosion tore through a chemical plant near Houston, Texas, on Tuesday, injuring 12 "
    "workers and sending a plume of black smoke over the Ship Channel, fire officials said.",
)
TEXAS_BILL = item(
    "texas-bill",
    "Texas governor signs border security bill",
    "Texas Governor Greg Abbott on Tuesday signed a bill that makes illegal entry from Mexico a "
    "state crime and lets state police arrest migrants, setting up a court fight with Washington.",
    hours=2,
)
TEXAS_BLAST_2 = item(
    "texas-blast-2",
    "Blast rocks Houston-area chemical facility, a dozen workers hurt",
    "A dozen workers were hurt when a blast rocked a chemical facility on the Houston Ship "
    "Channel on Tuesday; Texas fire officials said 12 people were taken to hospital.",
    hours=1,
)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_texas_plant_explosion_does_not_join_texas_border_bill(warm: bool) -> None:
    index = warmed_index() if warm else StoryIndex()
    decisions = ingest(index, TEXAS_BLAST, TEXAS_BILL, TEXAS_BLAST_2)
    assert decisions[1] == StoryDecision(None, Tier.NEW)
    assert decisions[2].story_id == 1 and decisions[2].tier is Tier.EVENT


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_headline_only_reports_of_one_event_join_and_of_two_do_not(warm: bool) -> None:
    index = warmed_index() if warm else StoryIndex()
    decisions = ingest(
        index,
        item("a", "Magnitude 7.1 earthquake strikes central Chile"),
        item("b", "Earthquake hits Peru", hours=0.5),
        item("c", "Strong 7.1 quake shakes central Chile, buildings evacuated", hours=1),
    )
    assert decisions[1] == StoryDecision(None, Tier.NEW)
    assert decisions[2].story_id == 1


def test_reports_a_day_apart_join_but_a_story_closes_a_window_after_its_first_report() -> None:
    late = item("kenya-late", KENYA_B.title, KENYA_B.summary, hours=24)
    assert ingest(StoryIndex(), KENYA_A, late)[1].story_id == 1
    # No chaining: B joins A, and C is B's copy 8 h after B, yet 16 h after the story began.
    index = StoryIndex(window=timedelta(hours=10))
    b = item("kenya-b8", KENYA_B.title, KENYA_B.summary, hours=8)
    c = item("kenya-c16", KENYA_B.title, KENYA_B.summary, hours=16)
    decisions = ingest(index, KENYA_A, b, c)
    assert decisions[1].story_id == 1
    assert decisions[2] == StoryDecision(None, Tier.NEW)


def test_seed_reports_published_hours_apart_make_one_story() -> None:
    a, b = _seed_items()  # the seed's own dates: 25 and 24 January 2026
    earlier = item("outlet-b", b.title, b.summary, hours=-6)
    decisions = ingest(StoryIndex(), earlier, a)
    assert decisions[1].story_id == 1 and decisions[1].tier is Tier.EVENT


def test_seed_reports_published_a_day_apart_make_one_story() -> None:
    a, b = _seed_items()
    earlier = item("outlet-b", b.title, b.summary, hours=-24)
    trade = item("trade-seed", IR_PK_TRADE.title, IR_PK_TRADE.summary, hours=4)
    decisions = ingest(StoryIndex(), earlier, a, trade)
    assert decisions[1].story_id == 1 and decisions[1].tier is Tier.EVENT
    # Strong agreement lets a day-late report join; Iran-Pakistan trade talks are still another
    # event.
    assert decisions[2] == StoryDecision(None, Tier.NEW)


@pytest.mark.parametrize(
    "headline",
    [
        "Araghchi calls Dar to thank Islamabad over Geneva rights vote",
        "Tehran grateful to Islamabad for Geneva vote",
    ],
)
def test_seed_under_a_headline_naming_the_capitals_joins_a_day_apart(headline: str) -> None:
    # Found by the outside re-check: a headline naming the governments by their capitals
    # shared no country with the other report's, and the pair split from 12 h apart.
    a, b = _seed_items()
    earlier = item("outlet-b", headline, b.summary, hours=-24)
    assert ingest(StoryIndex(), earlier, a)[1].story_id == 1


def test_two_named_storms_are_two_stories_and_one_storm_is_one() -> None:
    # "Storm" opened both headlines and counted as a shared rare name, so the conflicting
    # names (Dara, Ireland / Elin, Brittany) vetoed nothing: a kind word before a name is no
    # identity (terms.GENERIC), the name after it is.
    dara = item(
        "dara",
        "Storm Dara leaves 200,000 homes in Ireland without power",
        "Storm Dara brought gusts of 130 km/h to the west coast of Ireland overnight, cutting "
        "power to 200,000 homes and businesses, the ESB said on Sunday.",
    )
    elin = item(
        "elin",
        "Storm Elin leaves 90,000 homes without power in Brittany",
        "Storm Elin brought gusts of 140 km/h to Brittany overnight, cutting power to 90,000 "
        "homes, the grid operator Enedis said on Sunday.",
        hours=2,
    )
    again = item(
        "dara-2",
        "Storm Dara: Ireland counts the cost as power is restored",
        "Crews restored power to most of the 200,000 homes Storm Dara left in the dark in "
        "Ireland, the ESB said on Sunday evening.",
        hours=6,
    )
    decisions = ingest(StoryIndex(), dara, elin, again)
    assert decisions[1] == StoryDecision(None, Tier.NEW)
    assert decisions[2].story_id == 1


def test_contenders_explain_the_decision_with_the_model_probability() -> None:
    index = StoryIndex()
    ingest(index, KENYA_A, QUAKE_JAPAN)
    (story, signals, probability), *_ = index.contenders(KENYA_B)
    assert story == 1 and len(signals) == len(FEATURES)
    assert index.decide(KENYA_B) == StoryDecision(1, Tier.EVENT, round(probability, 3))


def test_shipped_model_names_every_feature_and_is_packaged() -> None:
    model = default_model()
    assert len(model.weights) == len(FEATURES) and 0.0 < model.threshold < 1.0
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"data/*.json"' in pyproject  # a non-editable install ships the weights
    with pytest.raises(ValueError, match="features"):
        parse_model('{"weights": {"cos_best": 1.0}, "bias": 0, "threshold": 0.5, "margin": 0}')


def test_numbers_are_terms_but_years_are_not() -> None:
    feats = features("Police arrest 12 in 2026 raid", "")
    assert term_id("#12") in feats.weights and term_id("#2026") not in feats.weights
    assert term_id("#12") & NUMBER_BIT and not term_id("police") & NUMBER_BIT


def test_a_rising_toll_is_no_conflicting_figure_but_a_falling_one_is() -> None:
    # A toll rises as an event unfolds: the next morning's higher toll is the same floods.
    index = StoryIndex()
    index.add(item("a", "Floods kill 12 in eastern Spain"), 1)
    rising = item("b", "Death toll from Spain floods rises to 30", hours=14)
    falling = item("c", "Floods kill 3 in eastern Spain", hours=14)
    conflict = FEATURES.index("number_conflict")
    assert index.contenders(rising)[0][1][conflict] == 0.0
    assert index.contenders(falling)[0][1][conflict] == 1.0
    plain = StoryIndex()  # figures of another kind conflict whichever comes later
    plain.add(item("a", "Police arrest 12 in Madrid raid"), 1)
    other = item("b", "Police arrest 30 in Madrid raid", hours=2)
    assert plain.contenders(other)[0][1][conflict] == 1.0


def test_two_headlines_with_other_decimal_figures_never_join() -> None:
    # Two quakes in one place hours apart: a 6.4 and a 7.1 are two events, however alike.
    index = StoryIndex()
    index.add(item("a", "Magnitude 6.4 quake damages wharf in Vanuatu capital",
                   "A magnitude 6.4 earthquake struck near Port Vila, cracking the main wharf."),
              1)  # fmt: skip
    other = item("b", "Magnitude 7.1 earthquake strikes off Vanuatu",
                 "A strong earthquake struck near Port Vila, cracking the capital's wharf.",
                 hours=6)  # fmt: skip
    retold = item("c", "Vanuatu quake of magnitude 6.4 damages Port Vila wharf",
                  "The magnitude 6.4 earthquake cracked the main wharf near Port Vila.",
                  hours=6)  # fmt: skip
    assert [p for _, _, p in index.contenders(other)] == [0.0]
    assert index.contenders(retold)[0][2] >= index.threshold


def test_two_headlines_with_other_scores_never_join_but_a_decimal_is_no_score() -> None:
    # Game 4 (4-2) and the next night's Game 5 (3-2): two games, though "#2" is in both.
    index = StoryIndex()
    lead = "The Calgary Lynx beat the Portland Pioneers {} to {} the final."
    index.add(
        item("a", "Lynx beat Pioneers 4-2 to level final series", lead.format("4-2", "level")), 1
    )
    game5 = item("b", "Pioneers edge Lynx 3-2 to take series lead", lead.format("3-2", "lead"), 20)
    retold = item(
        "c", "Lynx level series with 2-4 win over Pioneers", lead.format("4-2", "level"), 6
    )
    assert [p for _, _, p in index.contenders(game5)] == [0.0]
    assert index.contenders(retold)[0][2] > 0.0
    # A "$1.5 trillion" plan and its "51-48" vote: a decimal and a score compare nothing.
    plan = StoryIndex()
    plan.add(item("a", "Senate passes $1.5 trillion tax plan", "The Senate voted 51-48."), 1)
    vote = item("b", "Tax bill passes Senate in 51-48 vote", "A $1.5 trillion tax plan.", 2)
    assert plan.contenders(vote)[0][2] > 0.0


def test_a_report_telling_of_an_earlier_days_happening_joins_it_a_day_later() -> None:
    # "a day after the mudslide": the report continues that happening, so the day between
    # them does not count against the join; told without the back reference, it does.
    index = StoryIndex()
    index.add(item("a", "Mudslide buries homes in Peruvian Andes village of Chaccrampa",
                   "A mudslide triggered by heavy rain buried a dozen homes in the village of "
                   "Chaccrampa in Apurimac on Tuesday, regional officials said."), 1)  # fmt: skip
    lead = "Soldiers kept digging through the mud in Chaccrampa, {} the mudslide buried a dozen "
    lead += "homes in the Apurimac village."
    back = item("b", "Rescuers dig through mud in Chaccrampa", lead.format("a day after"), 30)
    plain = item("c", "Rescuers dig through mud in Chaccrampa", lead.format("where"), 30)
    assert index.contenders(back)[0][2] >= index.threshold
    assert not index.contenders(plain)  # a day after its first report: not weighed at all
    near = item("d", "Rescuers dig through mud in Chaccrampa", lead.format("where"), 20)
    assert index.contenders(near)  # within a day it is weighed (and needs more, being late)


def test_a_day_after_its_first_report_a_story_takes_only_reports_telling_of_that_day() -> None:
    # A semi-final and, 26 h later, the final: the same player and words, the next event.
    semi = item("a", "Sinner beats Zverev to reach Turin final",
                "Jannik Sinner beat Alexander Zverev to reach the final in Turin.")  # fmt: skip
    final = item("b", "Sinner beats Alcaraz to win Turin final",
                 "Jannik Sinner beat Carlos Alcaraz to win the final in Turin.", 26)  # fmt: skip
    for reach, weighed in ((None, False), (timedelta(hours=36), True)):
        index = StoryIndex() if reach is None else StoryIndex(reach=reach)
        index.add(semi, 1)
        assert bool(index.contenders(final)) is weighed


def test_story_ends_remember_each_storys_first_and_last_slot_and_grow() -> None:
    table = StoryEnds(capacity=4)
    for n in range(1, 400):
        assert table.setdefault_first(n * 7919 - 1000, n) == n
    assert table.setdefault_first(7919 - 1000, 999) == 1  # already known: the first slot stays
    assert table.first(-(2**62), -1) == -1
    assert all(table.first(n * 7919 - 1000, -1) == n for n in range(1, 400))
    assert table.append(7919 - 1000, 1000) == -1 and table.append(7919 - 1000, 1001) == 1000
    table.put_last(0, 5)  # a last slot and no first: story 0 is in the table all the same
    assert (table.first(0, -1), table.last(0, -1), table.last(7919 - 1000, -1)) == (-1, 5, 1001)
    table.forget_lasts()
    assert (table.last(0, -1), table.last(7919 - 1000, -1), table.first(7919 - 1000, -1)) == (
        -1,
        -1,
        1,
    )
    assert len(table) == 399
    lasts = StoryEnds(capacity=4)  # growing while a last slot is put (a merge's story)
    for n in range(1, 100):
        lasts.put_last(n, n)
    assert all(lasts.last(n, -1) == n and lasts.first(n, -1) == -1 for n in range(1, 100))


def test_story_ends_find_consecutive_story_ids_at_or_next_to_their_home_cell() -> None:
    # Story ids come from the store nearly consecutively: a run of them, as a day of news
    # fills the index and as a service's ids pass the table's size, each sit at most a few
    # cells past where a lookup starts (speed only: any cell answers alike), in a table that
    # grows only past 7/8 full: a full window's 100,000 stories fit 131,072 cells (2 MB).
    for ids in (range(100_000), range(300_000, 420_000), range(0, 300_000, 3)):
        table = StoryEnds()
        for slot, story in enumerate(ids):
            table.append(story, slot)
        mask = table._mask
        scanned = [(table._cell(story) - home(story, mask)) % (mask + 1) + 1 for story in ids]
        assert sum(scanned) / len(scanned) < 2 and max(scanned) <= 16, (ids, max(scanned))
        assert [table.first(story, -1) for story in ids] == list(range(len(ids)))
        if len(ids) == 100_000:
            assert mask + 1 == 1 << 17  # 76 % full (past 3/4 it had grown to 1 << 18: 4 MB)


def test_headlines_with_conflicting_numbers_stay_apart() -> None:
    decisions = ingest(
        StoryIndex(),
        item("a", "Flight 302 diverted to Cairo after engine fault"),
        item("b", "Flight 417 diverted to Cairo after engine fault", hours=1),
    )
    assert decisions[1] == StoryDecision(None, Tier.NEW)


def test_headlines_on_one_template_with_other_subjects_stay_apart() -> None:
    # Two events told alike: the subjects differ, neither report mentions the other's, and
    # they share no rare name or their headlines differ in nothing else
    # (story_signals._subjects_apart).
    for first, second in (
        ("Apple shares fall after earnings miss", "Google shares fall after earnings miss"),
        ("Fed keeps interest rates unchanged", "Bank of Japan keeps interest rates unchanged"),
        # Alike but for the subjects: apart even with a rare name shared.
        ("Chelsea beat Arsenal in late drama", "Liverpool beat Arsenal in late drama"),
    ):
        decisions = ingest(StoryIndex(), item("a", first), item("b", second, hours=1))
        assert decisions[1] == StoryDecision(None, Tier.NEW), (first, second)
    # One subject, or a place shared, and they join.
    for first, second in (
        ("Fed holds rates steady, signals cuts", "Fed leaves rates unchanged, signals cuts"),
        ("Explosion at Texas chemical plant injures 12", "Blast at Texas chemical plant"),
    ):
        decisions = ingest(StoryIndex(), item("a", first), item("b", second, hours=1))
        assert decisions[1].story_id == 1, (first, second)


def test_one_template_with_two_word_subjects_stays_apart() -> None:
    # Headlines alone on one template whose subjects are two words of their own each, no
    # names, a place shared: two events (story_signals._alike), where one term each was the
    # bound before ("Chelsea beat Arsenal ..." above).
    for first, second in (
        (
            "Junior doctors in England announce five-day strike",
            "Rail workers in England announce three-day strike",
        ),
        ("Bus drivers in Wales announce two-day strike", "Ferry crews in Wales announce strike"),
    ):
        decisions = ingest(StoryIndex(), item("a", first), item("b", second, hours=3))
        assert decisions[1] == StoryDecision(None, Tier.NEW), (first, second)
    # One strike told twice: the second's subject is a word of the first headline, or the
    # second tells more than the template holds; they join.
    for first, second in (
        (
            "Junior doctors in Ireland announce three-day strike",
            "Doctors in Ireland announce three-day strike over rosters",
        ),
        (
            "Train drivers in Norway begin three-day strike",
            "Locomotive drivers strike in Norway, trains halted",
        ),
        # One word against two, or an adjective of force or harm opening the subject: one
        # event's actor or victim described otherwise, not another subject (_alike wants two
        # terms each; similarity._DESCRIBING).
        (
            "Tourist killed in shark attack off Hurghada",
            "Scuba diver killed in shark attack off Hurghada",
        ),
        ("Rebels seize Goma airport", "M23 fighters seize Goma airport"),
        ("Masked robbers raid Paris jewellery store", "Armed thieves raid Paris jewellery store"),
        ("Armed robbers raid Paris jewellery store", "Masked robbers raid Paris jewellery store"),
    ):
        decisions = ingest(StoryIndex(), item("a", first), item("b", second, hours=2))
        assert decisions[1].story_id == 1, (first, second)


def test_one_release_template_for_two_companies_stays_apart_whatever_their_leads_share() -> None:
    # One wire's releases, each naming its own bank in a headline alike but for the names, their
    # leads sharing the dateline's names (rare names both write): two events
    # (story_signals.PairSignals._one_template).
    first = item(
        "wire",
        "Harbourside Bank reports record nine-month profit",
        "KINGSTON, Jamaica -- Harbourside Bank Ltd today reported record net profit of J$7.2 "
        "billion for the nine months ended September 30, up 14% on higher lending.",
    )
    second = item(
        "wire-2",
        "Blue Mountain Bank reports record nine-month profit",
        "KINGSTON, Jamaica -- Blue Mountain Bank Ltd today reported record net profit of J$4.4 "
        "billion for the nine months ended September 30, up 9% on card fees.",
        hours=3,
    )
    assert ingest(StoryIndex(), first, second)[1] == StoryDecision(None, Tier.NEW)
    # one bank's release and a paper's report of it naming the bank as well: one event
    paper = item(
        "paper",
        "Harbourside Bank posts record nine-month profit",
        "Harbourside Bank said its net profit for the nine months to September rose 14% to a "
        "record J$7.2 billion, helped by higher lending in Kingston and Montego Bay.",
        hours=3,
    )
    assert ingest(StoryIndex(), first, paper)[1].story_id == 1


def test_one_template_filled_with_other_names_and_numbers_is_no_copy() -> None:
    # A transit desk's one notice filled twice: the bodies nearly the same text (a copy's
    # MinHash score), the headlines alike but for a line's number and a town's name, each
    # never mentioned by the other: two events (story_signals.PairSignals._filled_apart).
    body = (
        "Route {n} buses are diverted in both directions around {town} because of a water main "
        "break on the main road. Riders should expect delays of up to twenty minutes and use "
        "nearby stops. Crews from the county transit authority are on site. Updates will "
        "follow when normal service resumes."
    )
    first = item(
        "desk",
        "Service alert: Route 14 diverted around Elmford after water main break",
        body.format(n=14, town="Elmford"),
    )
    second = item(
        "desk",
        "Service alert: Route 61 diverted around Quarry Hill after water main break",
        body.format(n=61, town="Quarry Hill"),
        hours=4,
    )
    assert ingest(StoryIndex(), first, second)[1] == StoryDecision(None, Tier.NEW)
    # The same notice run again with a corrected figure (no name of its own): still a copy.
    again = item(
        "paper",
        "Service alert: Route 14 diverted around Elmford after water main break",
        body.format(n=14, town="Elmford").replace("twenty", "forty"),
        hours=1,
    )
    decision = ingest(StoryIndex(), first, again)[1]
    assert (decision.story_id, decision.tier) == (1, Tier.COPY)
    corrected = item(
        "paper",
        "Service alert: Route 14 diverted around Elmford for 2 days",
        body.format(n=14, town="Elmford"),
        hours=1,
    )
    decision = ingest(StoryIndex(), first, corrected)[1]
    assert (decision.story_id, decision.tier) == (1, Tier.COPY)


def test_an_outlets_own_later_report_of_fewer_dead_is_another_happening() -> None:
    # One wire's two crashes in one region, told alike: the later headline's toll is lower, and
    # a toll only rises as an event unfolds (story_signals.PairSignals._toll_fell).
    first = item(
        "wire",
        "Bus overturns in northern Malawi, killing 11",
        "LILONGWE (Kestrel) - Eleven people were killed when a bus overturned near Mzuzu in "
        "northern Malawi on Tuesday morning, police said. Reporting by Ana Lobo.",
    )
    second = item(
        "wire",
        "Bus crash in northern Malawi kills 9",
        "LILONGWE (Kestrel) - Nine people were killed when a bus hit a truck near Karonga in "
        "northern Malawi on Tuesday afternoon, police said. Reporting by Ana Lobo.",
        hours=6,
    )
    assert ingest(StoryIndex(), first, second)[1] == StoryDecision(None, Tier.NEW)
    # Told by another outlet (its own count), or revised down as such: one event.
    paper = dataclasses.replace(second, feed_url="https://paper.example/rss", key="url:paper")
    assert ingest(StoryIndex(), first, paper)[1].story_id == 1
    revised = item(
        "wire",
        "Malawi bus crash death toll revised down to 9",
        "LILONGWE (Kestrel) - Police in northern Malawi revised the toll from Tuesday's bus "
        "crash near Mzuzu down to nine from 11. Reporting by Ana Lobo.",
        hours=6,
    )
    assert ingest(StoryIndex(), first, revised)[1].story_id == 1


def test_one_body_or_person_named_two_ways_is_no_name_conflict() -> None:
    # "UN" against "UNHRC", "Foreign Minister" against "Ishaq Dar": generic news words
    # (capitalised or acronyms) are never the names that tell two events apart.
    first = item(
        "a",
        "Pakistan's Foreign Minister Ishaq Dar discusses UNHRC vote with Abbas Araghchi",
        "Ishaq Dar and Abbas Araghchi spoke by telephone about the vote at the UNHRC, where "
        "Pakistan opposed a resolution on Iran.",
    )
    second = item(
        "b",
        "Iran thanks Pakistan for its support at the UN rights council",
        "Abbas Araghchi thanked Ishaq Dar for Pakistan's vote against the resolution on Iran at "
        "the council in Geneva.",
        hours=3,
    )
    index = StoryIndex()
    index.add(first, 1)
    ((story, signals, _),) = index.contenders(second)
    named = dict(zip(FEATURES, signals, strict=True))
    assert story == 1 and named["name_conflict"] == 0.0
    assert named["rare_names"] == 1.0  # Pakistan, Iran, Ishaq, Dar, Abbas, Araghchi


def test_templated_reports_of_two_companies_stay_apart() -> None:
    # Word for word alike but for the company and its figures: each names what the other
    # lacks, and they share no rarer name.
    first = item(
        "a",
        "Brauhaus quarterly beer volumes rise 3.2%",
        "Brauhaus said on Tuesday its quarterly beer volumes rose 3.2%, ahead of forecasts, "
        "helped by demand in Mexico. The brewer kept its outlook for the year.",
    )
    second = item(
        "b",
        "Kellerbrau quarterly beer volumes fall 0.8%",
        "Kellerbrau said on Tuesday its quarterly beer volumes fell 0.8%, short of forecasts, "
        "hurt by demand in Poland. The brewer kept its outlook for the year.",
        hours=0.5,
    )
    assert ingest(StoryIndex(), first, second)[1] == StoryDecision(None, Tier.NEW)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            item(
                "a",
                "Aerovia profit falls as supply problems bite",
                "The European planemaker said third-quarter profit fell 20 per cent as engine "
                "shortages slowed deliveries.",
            ),
            item(
                "b",
                "Skyreach profit falls as supply problems bite",
                "The US planemaker said third-quarter profit fell 18 per cent as parts shortages "
                "slowed deliveries.",
                hours=3,
            ),
        ),
        (
            item(
                "a",
                "Portwell sack manager after defeat",
                "The northern club dismissed its head coach on Sunday after a 3-0 loss at home.",
            ),
            item(
                "b",
                "Rivermouth sack manager after defeat",
                "The coastal club dismissed its head coach on Sunday after a 2-0 loss at home.",
                hours=3,
            ),
        ),
        (
            item(
                "a",
                "Jetlane cancels flights as strike looms",
                "The budget airline said it would cancel 400 flights next week as cabin crew plan "
                "to walk out.",
            ),
            item(
                "b",
                "Flyby cancels flights as strike looms",
                "The budget airline said it would cancel 300 flights next week as cabin crew plan "
                "to walk out.",
                hours=3,
            ),
        ),
    ],
)
def test_templated_reports_whose_leads_name_the_company_only_by_its_trade_stay_apart(
    first: Item, second: Item
) -> None:
    # Many a lead names the company by its trade ("The planemaker said ...", "The club
    # dismissed ..."): the headline's opening word, never written small, is still the subject
    # that tells one company's news from another's told in the same words.
    assert ingest(StoryIndex(), first, second)[1] == StoryDecision(None, Tier.NEW)


def test_a_story_of_one_feed_alone_needs_own_feed_probability_from_that_feed() -> None:
    # KENYA_B joins KENYA_A from another outlet; from KENYA_A's own feed it must reach
    # own_feed, unless another outlet's report opened the story.
    same_feed = dataclasses.replace(KENYA_B, feed_url=KENYA_A.feed_url)
    assert ingest(StoryIndex(own_feed=1.1), KENYA_A, KENYA_B)[1].tier is Tier.EVENT
    assert ingest(StoryIndex(own_feed=0.0), KENYA_A, same_feed)[1].tier is Tier.EVENT
    assert ingest(StoryIndex(own_feed=1.1), KENYA_A, same_feed)[1] == StoryDecision(None, Tier.NEW)
    third = dataclasses.replace(KENYA_A, key="url:kenya-c", feed_url="https://c.example/rss")
    opened_by_other = ingest(StoryIndex(own_feed=1.1), third, KENYA_A, same_feed)
    assert [d.tier for d in opened_by_other] == [Tier.NEW, Tier.COPY, Tier.EVENT]


def test_two_editions_of_a_daily_series_stay_apart() -> None:
    first = item(
        "a",
        "Best of cartoons, September 20, 2021",
        "The best cartoons from Cathy Wilcox, Alan Moir and David Rowe this week: the submarine "
        "deal, lockdown in Sydney and the vaccine rollout.",
    )
    second = item(
        "b",
        "Best of cartoons, September 21, 2021",
        "The best cartoons from Cathy Wilcox, Alan Moir and David Rowe this week: the French "
        "ambassador, construction sites and the vaccine rollout.",
        hours=15,
    )
    undated = dataclasses.replace(second, title="Best of cartoons this week")
    assert ingest(StoryIndex(), first, undated)[1].story_id == 1  # the same words join ...
    assert ingest(StoryIndex(), first, second)[1] == StoryDecision(None, Tier.NEW)  # ... dated


def test_a_slots_region_and_states_survive_compaction() -> None:
    # Kept sparsely (a region for ~0.1 % of slots, states for ~7 %: a dict of one int each),
    # they are read back alike after the index compacts its slots.
    index = StoryIndex()
    index.add(item("a", "Flooding hits Texas and Oklahoma", "Rivers rose in Kansas."), 1)
    index.add(item("b", "Quake hits Turkey's Malatya province", hours=1), 2)
    index.add(item("c", "Parliament passes budget", hours=2), 3)
    before = [(index._state_pair(s), index._region.get(s)) for s in range(3)]
    assert before[0][0][0] and before[0][0][1] != before[0][0][0] and before[1][1] is not None
    assert before[2] == ((0, 0), None)
    index._compact()
    assert [(index._state_pair(s), index._region.get(s)) for s in range(3)] == before
