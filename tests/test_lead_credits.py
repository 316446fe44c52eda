"""Headline credits that lead the headline ("[Outlet] Headline", "Outlet: Headline", "OUTLET —
Headline", "Outlet | Headline"): learned per feed by watcher/boilerplate.py like the trailing
ones and left out of what stories and rules see; a head that is news (a place, a topic, who
said it) or a label that recurs only now and then stays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.test_boilerplate import NOW, _snapshot_items, desk_pipeline, item
from tests.test_credits import DIGEST, ROUNDUP
from tests.test_credits import RULES as CREDIT_RULES
from tests.test_feedparser_corpus import _corpus_files, _ingest
from watcher.boilerplate import MIN_ITEMS, Boilerplate, _lead
from watcher.errors import NotAFeedError
from watcher.model import Item
from watcher.similarity import features
from watcher.stories import StoryIndex
from watcher.terms import root, term_id

# One event in two headlines alone: the bridge feed's (credited) and a paper's.
BLAST = ("Explosion at chemical plant injures nine workers", "Northern Wire")
FACTORY = "Blast rocks chemical factory in northern Spain, nine hurt"
FOLDERS = {"[]": "brackets", ":": "colon"}  # a database per form


def led(feed: str, titles: list[tuple[str, str]], form: str, start: int = 0) -> list[Item]:
    """Items of `feed` whose headlines each open with their outlet's name in `form`."""
    shapes = {"[]": "[{o}] {t}", ":": "{o}: {t}", "—": "{o} — {t}", "|": "{o} | {t}"}
    return [
        item(feed, start + n, shapes[form].format(o=o, t=t), "") for n, (t, o) in enumerate(titles)
    ]


def test_a_bridge_feeds_bracketed_credits_are_left_out_of_every_title() -> None:
    learner = Boilerplate()
    items = led("bridge", DIGEST, "[]")
    assert [c.title for c in learner.take(items)] == [t for t, _ in DIGEST]
    assert items[0].title == "[Harbour Times] Storm closes schools across the coast"  # given
    # An outlet the bridge never credited before loses its brackets too.
    (late,) = led("bridge", [("Bridge reopens after inspection", "Quarry Gazette")], "[]", 40)
    assert learner.clean(late).title == "Bridge reopens after inspection"


def test_a_colon_aggregator_loses_every_outlet_it_credits() -> None:
    learner = Boilerplate()
    titles = DIGEST + ROUNDUP  # twelve headlines, six outlets
    assert [c.title for c in learner.take(led("wire", titles, ":"))] == [t for t, _ in titles]


def test_a_feeds_own_name_on_every_headline_goes_in_each_form() -> None:
    for form in ("[]", ":", "—", "|"):
        learner = Boilerplate()
        items = led("paper", [(t, "Example News") for t, _ in DIGEST], form)
        assert [c.title for c in learner.take(items)] == [t for t, _ in DIGEST], form


def test_a_bar_credit_goes_once_it_recurs_and_a_rare_one_stays() -> None:
    # A paper whose own headlines are plain, with wire copy credited "Northern Wire | ".
    items = [item("paper", n, f"Local story number {n} about the town", "") for n in range(24)]
    for n in range(MIN_ITEMS):
        items.append(item("paper", 30 + n, f"Northern Wire | Wire story {n} about the region", ""))
    items.append(item("paper", 40, "Valley Courier | Farmers protest water cuts", ""))
    cleaned = [c.title for c in Boilerplate().take(items)]
    assert cleaned[24:29] == [f"Wire story {n} about the region" for n in range(MIN_ITEMS)]
    assert cleaned[-1] == "Valley Courier | Farmers protest water cuts"  # once: not learned


def test_an_outlet_before_a_dash_or_colon_goes_once_it_recurs_and_news_stays() -> None:
    # A paper's wire copy opening "Northern Wire — " on a few titles: a head that recurs and
    # reads as an outlet goes, as a bar's does; one that recurs and reads as news stays.
    for sep in (" — ", " - ", ": "):
        items = [item("paper", n, f"Local story number {n} about the town", "") for n in range(20)]
        for n in range(MIN_ITEMS):
            items.append(item("paper", 30 + n, f"Northern Wire{sep}Wire story {n} today", ""))
            items.append(item("paper", 40 + n, f"Coronavirus{sep}Cases story {n} today", ""))
        cleaned = [c.title for c in Boilerplate().take(items)][20:]
        assert cleaned[0::2] == [f"Wire story {n} today" for n in range(MIN_ITEMS)], sep
        assert cleaned[1::2] == [i.title for i in items[21::2]], sep


def test_a_leading_and_a_trailing_credit_both_go() -> None:
    titles = [f"[Northern Wire] Story {n} of the day - Harbour Times" for n in range(8)]
    cleaned = Boilerplate().take([item("digest", n, t, "") for n, t in enumerate(titles)])
    assert [c.title for c in cleaned] == [f"Story {n} of the day" for n in range(8)]


def test_a_dash_credit_keeps_a_short_headline_after_it() -> None:
    # "OUTLET — Short headline": the dash is the credit's; the headline is no tail.
    items = [item("tv", n, f"HARBOUR TV — {t}", "") for n, (t, _) in enumerate(DIGEST)]
    assert [c.title for c in Boilerplate().take(items)] == [t for t, _ in DIGEST]


def test_news_in_a_head_stays() -> None:
    # Places, topics and speakers open many headlines of a paper; labels open a few. None is
    # a credit: a place never, a topic or speaker under OWN of the titles, a colon head
    # under HEADED, and a label as rarely as a real paper's.
    heads = ["Ukraine"] * 12 + ["Coronavirus"] * 10 + ["Palace"] * 6 + ["Live", "Watch"] * 3
    heads += ["Analysis"] * MIN_ITEMS
    titles = [f"{h}: headline number {n} of the day" for n, h in enumerate(heads)]
    titles += [f"Plain headline number {n}" for n in range(4)]
    items = [item("paper", n, t, "") for n, t in enumerate(titles)]
    assert [c.title for c in Boilerplate().take(items)] == titles
    # A feed about one country names it on every headline: still news.
    ukraine = [item("ukraine", n, f"Ukraine: headline {n} of the day", "") for n in range(20)]
    assert [c.title for c in Boilerplate().take(ukraine)] == [i.title for i in ukraine]
    hong_kong = [item("hk", n, f"[Hong Kong] headline {n} of the day", "") for n in range(20)]
    assert [c.title for c in Boilerplate().take(hong_kong)] == [i.title for i in hong_kong]


@pytest.mark.parametrize("head", ["Harbour Mail", "Environment Agency", "English Channel"])
@pytest.mark.parametrize("sep", [": ", " — "])
def test_a_recurring_topic_ending_in_a_word_outlets_share_keeps_its_desk_rule(
    tmp_path: Path, head: str, sep: str
) -> None:
    # A headline-only paper heads a week's running story with who it is about, on five of its
    # titles ("Harbour Mail: posties strike", "Environment Agency: flood warnings"). The head
    # ends in a word outlets are named with, yet it is the topic a desk rule asks for, not a
    # wire's credit: it stays, and the rule still matches.
    rules = f'[[rule]]\nname = "topic"\nquery = "\\"{head}\\""\nchannels = ["desk"]\n'
    store, pipeline = desk_pipeline(tmp_path, rules)
    backlog = [item("paper", n, f"Council approves budget number {n}", "") for n in range(20)]
    backlog += [
        item("paper", 30 + n, f"{head}{sep}development {n} in the dispute", "")
        for n in range(MIN_ITEMS)
    ]
    pipeline.ingest(backlog, NOW, alert=False)
    later = item("paper", 50, f"{head}{sep}talks collapse after nine hours", "")
    assert pipeline.ingest([later], NOW + timedelta(hours=1), alert=True).matches == 1
    store.close()


def test_a_head_with_too_little_after_it_or_too_long_is_no_credit() -> None:
    assert _lead("[Harbour Times] Update") is None  # one word of headline left
    assert _lead("A very long label of seven words: the story") is None
    assert _lead("At 10:30 the market opened lower") is None  # no space after the colon
    learner = Boilerplate()
    learner.take(led("bridge", DIGEST, "[]"))
    assert learner.clean(item("bridge", 50, "[Harbour Times] Update", "")).title == (
        "[Harbour Times] Update"
    )


def test_a_new_feeds_first_poll_teaches_it_and_a_lone_item_keeps_its_credit() -> None:
    # Cold = warm: the first poll's items are learned before any is cleaned, so they lose
    # their credits as later polls' items do; a feed's only item has nothing to learn from.
    first = Boilerplate().take(led("bridge", DIGEST, "[]"))
    assert all(not c.title.startswith("[") for c in first)
    (lone,) = Boilerplate().take(led("bridge", DIGEST[:1], "[]"))
    assert lone.title == "[Harbour Times] Storm closes schools across the coast"


def test_no_real_feed_loses_a_head() -> None:
    # A day and a half of BBC's and the NZ Herald's titles, which open most often with a head
    # before a colon ("Coronavirus:", "Live:", "Covid 19 Delta outbreak:", a columnist's name).
    for feed in ("bbc", "nzherald"):
        learner = Boilerplate()
        heads = 0
        for poll in _snapshot_items(feed, "20210919", "20210920"):
            for before, after in zip(poll, learner.take(poll), strict=True):
                heads += _lead(before.title) is not None
                assert after.title.startswith(before.title[:20]), feed
        assert heads >= 20, feed


# A rule on the wire's name and one on the event, as test_credits has them.
RULES = CREDIT_RULES.replace('"putin"', '"chemical"').replace("Putin", "chemical")


def test_pipeline_joins_a_bridge_feeds_report_with_another_outlets(tmp_path: Path) -> None:
    for form in ("[]", ":"):
        (folder := tmp_path / FOLDERS[form]).mkdir()
        store, pipeline = desk_pipeline(folder, RULES)
        pipeline.ingest(led("bridge", DIGEST + ROUNDUP, form), NOW, alert=False)
        later = NOW + timedelta(hours=1)
        (blast,) = led("bridge", [BLAST], form, start=20)
        first = pipeline.ingest([blast], later, alert=True)
        assert first.new_stories == 1 and first.matches == 1, form  # "chemical"; not "wire"
        factory = item("paper", 30, FACTORY, "")
        second = pipeline.ingest([factory], later, alert=True)
        assert second.new_stories == 0, form  # one event, one story
        story = next(s for s in store.recent_stories(limit=5) if len(s.items) == 2)
        assert [i.title for i in story.items] == [blast.title, factory.title]  # as given
        store.close()


def test_a_lone_credit_before_a_colon_keeps_two_reports_apart_one_in_brackets_not(
    tmp_path: Path,
) -> None:
    # The same two reports, the bridge feed new (nothing to learn its credit from). Before a
    # colon, "Northern Wire" is a name the paper never writes, and the reports stay apart:
    # what the learner buys. In brackets, the one-off credit names nothing (similarity._tag,
    # which reads a leading tag as a trailing one), and they join.
    for form, stories in ((":", 1), ("[]", 0)):
        (folder := tmp_path / FOLDERS[form]).mkdir()
        store, pipeline = desk_pipeline(folder, RULES)
        (blast,) = led("bridge", [BLAST], form, start=20)
        assert pipeline.ingest([blast], NOW, alert=True).new_stories == 1
        factory = item("paper", 30, FACTORY, "")
        assert pipeline.ingest([factory], NOW, alert=True).new_stories == stories, form
        store.close()


def test_a_one_off_leading_tag_names_nothing() -> None:
    plain = features("Peru's Congress votes to remove President Salcedo", "")
    tagged = features("[Ironbridge Wire] Peru's Congress votes to remove President Salcedo", "")
    assert tagged.names == plain.names and set(plain.weights) < set(tagged.weights)
    assert features("(LEAD) Kremlin confirms Putin will visit Beijing", "").names == (
        features("Kremlin confirms Putin will visit Beijing", "").names
    )
    # Small words in brackets are an aside, not a tag: "[and why it matters]" stays text.
    aside = "[and why it matters] Kremlin confirms Putin will visit Beijing"
    assert (
        features(aside, "").weights == features(aside.replace("[", "").replace("]", ""), "").weights
    )


def test_odd_feeds_titles_go_through_the_learner() -> None:
    # feedparser's corpus (odd encodings, empty and markup titles), every file's items one
    # poll of one feed: nothing raises, and a title only ever loses a head or a tail.
    files = _corpus_files()
    if not files:
        pytest.skip("../shared/data/feedparser-tests is absent")
    learner = Boilerplate()
    seen = 0
    for path in files:
        try:
            items = _ingest(path.read_bytes())
        except NotAFeedError:
            continue
        for before, after in zip(items, learner.take(items), strict=True):
            assert after.title in before.title
            seen += 1
    heads = [_lead(f"[{t}] a headline") for t in ("", " ", "(", "]", "Ünïcödé Wire")]
    assert heads[:4] == [None] * 4 and heads[4] is not None
    assert seen >= 500


# A paper's running-story label ("Coronavirus | …", "Kerala floods | …"): a head that recurs
# on a few of its titles, as a credit would, but is the topic the report is about.
LABELLED = [
    (
        "Kerala floods | Army called in as rivers burst banks",
        "Army units joined rescue work as the Kerala floods worsened on Monday.",
    ),
    (
        "Kerala floods | Schools shut in three districts",
        "Schools stayed shut as the Kerala floods cut roads.",
    ),
    (
        "Kerala floods | Red alert issued for the coast",
        "A red alert was issued as the Kerala floods spread to the coast.",
    ),
    (
        "Kerala floods | Relief camps open for 20,000",
        "Relief camps opened as the Kerala floods drove 20,000 from their homes.",
    ),
    (
        "Kerala floods | Dam shutters raised at Idukki",
        "Dam shutters were raised at Idukki as the Kerala floods rose.",
    ),
]
LABEL_RULES = """
[[rule]]
name = "floods"
query = "title:floods"
channels = ["desk"]
"""


def test_a_label_the_reports_own_text_writes_stays_in_its_title(tmp_path: Path) -> None:
    # The label recurs on five titles, so the learner takes it for a credit; but each report's
    # own text writes its words: it is what the report is about, and a rule on the headline
    # ("title:floods") still sees it. A title whose text does not write it loses it.
    store, pipeline = desk_pipeline(tmp_path, LABEL_RULES)
    plain = [item("paper", n, f"Local story number {n} about the town", "") for n in range(20)]
    labelled = [item("paper", 30 + n, t, s) for n, (t, s) in enumerate(LABELLED)]
    pipeline.ingest(plain + labelled, NOW, alert=False)
    later = item(
        "paper",
        40,
        "Kerala floods | Toll rises to 27",
        "The toll in the Kerala floods rose to 27 on Tuesday as rescuers reached cut-off villages.",
    )
    assert pipeline.ingest([later], NOW + timedelta(hours=1), alert=True).matches == 1
    store.close()
    learner = Boilerplate()
    learner.learn(plain + labelled)
    told = item("paper", 41, "Kerala floods | Toll rises to 27", "Rescuers reached villages.")
    assert learner.clean(told).title == "Toll rises to 27"  # learned: a credit-like head
    assert learner.clean(later).title == later.title


def test_a_headline_only_feeds_topic_label_stays_and_its_outlets_name_goes(
    tmp_path: Path,
) -> None:
    # A feed of headlines alone has no text to tell a label from a credit, so a learned head
    # goes only when it reads as an outlet: the feed's own name or host, or a name of the
    # kind outlets have ("... Wire", "... Times"). "Kerala floods | ..." and a one-topic feed's
    # "Brexit: ..." are what the reports are about, and "title:floods" still matches.
    store, pipeline = desk_pipeline(tmp_path, LABEL_RULES)
    plain = [item("paper", n, f"Local story number {n} about the town", "") for n in range(20)]
    labelled = [item("paper", 30 + n, t, "") for n, (t, _) in enumerate(LABELLED)]
    pipeline.ingest(plain + labelled, NOW, alert=False)
    later = item("paper", 40, "Kerala floods | Toll rises to 27", "")
    assert pipeline.ingest([later], NOW + timedelta(hours=1), alert=True).matches == 1
    store.close()
    brexit = [item("politics", n, f"Brexit: headline {n} of the day", "") for n in range(20)]
    assert [c.title for c in Boilerplate().take(brexit)] == [i.title for i in brexit]
    wire = [item("paper", 30 + n, f"Northern Wire | Wire story {n} today", "") for n in range(6)]
    own = [item("kowhai", n, f"Kowhai | Headline {n} of the day", "") for n in range(20)]
    learner = Boilerplate()
    cleaned = learner.take(plain + wire + own)
    assert [c.title for c in cleaned[20:]] == [f"Wire story {n} today" for n in range(6)] + [
        f"Headline {n} of the day" for n in range(20)
    ]


def test_a_footer_naming_the_outlet_does_not_keep_its_credit() -> None:
    # Every item's text ends with the channel's footer, which names it: that is boilerplate,
    # not the report's text, so the credit still goes.
    footer = " Follow Harbour TV on social media for more news from the coast every single day."
    items = [
        item("tv", n, f"Harbour TV | {t}", f"Report number {n} on what happened.{footer}")
        for n, (t, _) in enumerate(DIGEST + ROUNDUP)
    ]
    assert [c.title for c in Boilerplate().take(items)] == [t for t, _ in DIGEST + ROUNDUP]


def test_a_place_in_brackets_is_no_tag_and_two_places_stay_apart() -> None:
    # "[Ohio] …" says where, as boilerplate.py reads a place head: it stays a name, so two
    # states' outbreaks in one template, headlines alone, are two stories (read as a tag, the
    # two names were no names and the reports joined at p 1.00).
    ohio = features("[Ohio] Measles outbreak declared after 30 cases", "")
    assert term_id(root("ohio")) in ohio.names
    assert term_id(root("ohio")) in features("Measles outbreak declared (Ohio)", "").names
    index = StoryIndex()
    index.add(item("wire", 1, "[Ohio] Measles outbreak declared after 30 cases", ""), 1)
    decision = index.decide(
        item("paper", 2, "[Oregon] Measles outbreak declared after 30 cases", "")
    )
    assert decision.story_id is None


# A dash aggregator: each headline opens with the outlet it relays, "Outlet — Headline".
DASHED = DIGEST + ROUNDUP + [("Glacier melt speeds up, survey finds", "Fjord Report")] * 2
ARCTIC = ("Oslo lawmakers vote to halt Arctic oil drilling", "Quarry Gazette")
DRILLING = "Norway's parliament approves ban on new oil drilling in Arctic"


def test_a_dash_aggregators_outlets_go_and_a_topic_once_stays() -> None:
    # Nearly every title opens with a head before a dash, most of them outlets' names ("...
    # Times", "... Post"): every such head goes, and one that recurs ("Fjord Report"), but a
    # head that reads as no outlet and comes once stays (it may be the topic).
    learner = Boilerplate()
    assert [c.title for c in learner.take(led("relay", DASHED, "—"))] == [t for t, _ in DASHED]
    (late,) = led("relay", [ARCTIC], "—", 40)  # an outlet never seen before
    assert learner.clean(late).title == ARCTIC[0]
    topic = item("relay", 41, "Kerala floods — Army called in as rivers burst banks", "")
    assert learner.clean(topic).title == topic.title
    # A paper's running story before a dash on a few titles is no aggregator's credit.
    plain = [item("paper", n, f"Local story number {n} about the town", "") for n in range(20)]
    labelled = [item("paper", 30 + n, t.replace(" |", " —"), "") for n, (t, _) in
                enumerate(LABELLED)]  # fmt: skip
    cleaned = Boilerplate().take(plain + labelled)
    assert [c.title for c in cleaned[20:]] == [i.title for i in labelled]


def test_pipeline_joins_a_dash_aggregators_report_with_another_outlets(tmp_path: Path) -> None:
    # "Quarry Gazette — Oslo lawmakers vote ..." against a paper's "Norway's parliament
    # approves ...": with the credit left in, "Quarry Gazette" is a name the paper never
    # writes (p 0); without it the two headlines join (p 0.96).
    store, pipeline = desk_pipeline(tmp_path, RULES)
    pipeline.ingest(led("relay", DASHED, "—"), NOW, alert=False)
    later = NOW + timedelta(hours=1)
    (arctic,) = led("relay", [ARCTIC], "—", start=40)
    assert pipeline.ingest([arctic], later, alert=True).new_stories == 1
    drilling = item("paper", 50, DRILLING, "")
    assert pipeline.ingest([drilling], later, alert=True).new_stories == 0  # one story
    story = next(s for s in store.recent_stories(limit=5) if len(s.items) == 2)
    assert [i.title for i in story.items] == [arctic.title, drilling.title]  # as given
    store.close()


# A relay of headlines alone, each credited to its outlet before a bar, some outlets by their
# initials; a topic label in words recurs there too.
RELAYED = ["ABC", "SBS", "RNZ", "Politico", "Stuff", "Covid-19"]
ELECTION = ("Albanese calls snap election for May", "Australia's Albanese calls May election")
NHS_RULES = LABEL_RULES.replace("floods", "nhs")


def relay(start: int = 0) -> list[Item]:
    return [
        item("relay", start + 6 * k + n, f"{head} | Relayed story {k} {n} of the week", "")
        for k, head in enumerate(RELAYED)
        for n in range(6)
    ]


def test_a_relays_initials_go_and_a_papers_label_in_initials_stays(tmp_path: Path) -> None:
    learner = Boilerplate()
    cleaned = [c.title for c in learner.take(relay())]
    kept = {t.split(" | ")[0] for t in cleaned if " | " in t}
    assert kept == {"Politico", "Stuff", "Covid-19"}  # words: an outlet or a topic, untold
    # A paper labels a few of its headlines "NHS | ...": a topic, not a relay's credit, and
    # "title:nhs" still matches.
    store, pipeline = desk_pipeline(tmp_path, NHS_RULES)
    plain = [item("paper", n, f"Local story number {n} about the town", "") for n in range(20)]
    labelled = [item("paper", 30 + n, f"NHS | Ward story {n} of the day", "") for n in range(6)]
    pipeline.ingest(plain + labelled, NOW, alert=False)
    later = item("paper", 40, "NHS | Waiting lists hit record 8 million in England", "")
    assert pipeline.ingest([later], NOW + timedelta(hours=1), alert=True).matches == 1
    store.close()


def test_pipeline_joins_a_relays_initialled_report_with_another_outlets(tmp_path: Path) -> None:
    # "ABC | Albanese calls snap election for May" against "Australia's Albanese calls ...":
    # with "ABC" left in, it conflicts with "Australia" (two stories, a duplicate alert).
    store, pipeline = desk_pipeline(tmp_path, RULES)
    pipeline.ingest(relay(), NOW, alert=False)
    later = NOW + timedelta(hours=1)
    abc = item("relay", 60, f"ABC | {ELECTION[0]}", "")
    assert pipeline.ingest([abc], later, alert=True).new_stories == 1
    paper = item("paper", 70, ELECTION[1], "")
    assert pipeline.ingest([paper], later, alert=True).new_stories == 0
    store.close()
