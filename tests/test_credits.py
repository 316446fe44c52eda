"""Headline credits ("Headline - Outlet", "… | Outlet", "… (Outlet)"): learned per feed by
watcher/boilerplate.py and left out of what stories and rules see; attributions stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.test_boilerplate import NOW, _snapshot_items, desk_pipeline, item
from watcher.boilerplate import FEW_CREDITED, MIN_ITEMS, Boilerplate, _credit
from watcher.model import Item

# Two invented aggregators: every headline credited to the outlet it links to.
DIGEST = [
    ("Storm closes schools across the coast", "Harbour Times"),
    ("Rail union calls off Friday strike", "Northern Wire"),
    ("Central bank holds rates at 4%", "Lakeside Post"),
    ("City council approves new stadium plan", "Harbour Times"),
    ("Wildfire forces evacuation of mountain towns", "Valley Courier"),
    ("Tech firm cuts 500 jobs", "Northern Wire"),
]
ROUNDUP = [
    ("Ferry service resumes after repairs", "Coastal Herald"),
    ("Hospital opens new cancer ward", "Lakeside Post"),
    ("Police arrest two after jewellery heist", "Metro Daily"),
    ("Farmers protest water cuts", "Valley Courier"),
    ("Airport expansion wins approval", "Coastal Herald"),
    ("School lunch program expanded", "Metro Daily"),
]
# One event, told by two outlets in other words, each credited by its aggregator.
VISIT = ("Kremlin confirms Putin will visit Beijing in May", "Northern Wire")
MEETING = ("Putin to meet Xi in China next spring, Moscow says", "Coastal Herald")


def credited(feed: str, titles: list[tuple[str, str]], sep: str, start: int = 0) -> list[Item]:
    return [
        item(feed, start + n, f"{t} ({o})" if sep == "()" else f"{t}{sep}{o}", "")
        for n, (t, o) in enumerate(titles)
    ]


def test_an_aggregators_credits_are_left_out_of_every_title() -> None:
    for sep in (" - ", " – ", " — ", " | ", "()"):
        learner = Boilerplate()
        items = credited("digest", DIGEST, sep)
        cleaned = learner.take(items)
        assert [c.title for c in cleaned] == [t for t, _ in DIGEST], sep
        assert items[0].title.endswith(("Times", "Times)"))  # given, untouched
        # A new item credited to an outlet the feed never named before loses it too.
        (late,) = credited("digest", [("Bridge reopens after inspection", "Quarry Gazette")], sep)
        assert learner.clean(late).title == "Bridge reopens after inspection", sep


def test_a_credit_that_recurs_in_a_papers_feed_is_left_out_and_its_other_tails_stay() -> None:
    # A paper whose own headlines are plain, with wire copy credited "- Northern Wire".
    titles = [f"Local story number {n} about the town" for n in range(24)]
    wire = {3, 7, 11, 15, 19, 23}
    items = [
        item("paper", n, f"{t} - Northern Wire" if n in wire else t, "")
        for n, t in enumerate(titles)
    ]
    items.append(item("paper", 30, "Ban on fireworks is overdue – fire chief", ""))
    learner = Boilerplate()
    cleaned = learner.take(items)
    assert all(" - Northern Wire" not in c.title for c in cleaned)
    assert cleaned[3].title == titles[3]
    assert cleaned[-1].title == "Ban on fireworks is overdue – fire chief"  # who said it: news


def test_attributions_stay_in_a_feed_that_quotes_its_speakers() -> None:
    # Philstar-like: a few headlines end with who said it; one speaker is quoted
    # MIN_ITEMS - 1 times in the window. None of it is a credit.
    speakers = ["Palace", "Reyes", "expert", "Palace", "health chief", "Palace", "Senate"]
    speakers += ["Palace"] * (MIN_ITEMS - 1 - speakers.count("Palace"))
    items = []
    for n in range(40):
        title = f"Government should act on issue number {n}"
        if n % 4 == 0 and n // 4 < len(speakers):
            title += f" – {speakers[n // 4]}"
        items.append(item("quotes", n, title, ""))
    learner = Boilerplate()
    assert [c.title for c in learner.take(items)] == [i.title for i in items]


def test_a_headline_that_is_all_tail_keeps_it() -> None:
    learner = Boilerplate()
    learner.take(credited("digest", DIGEST, " - "))
    for title in (
        "Update - Harbour Times",
        "(Harbour Times)",
        "Live: a very long tail - " + "word " * 8,
    ):
        assert learner.clean(item("digest", 40, title, "")).title == title


def test_a_new_aggregators_first_few_credited_headlines_lose_their_credits() -> None:
    # FEW_CREDITED titles, fewer than MIN_ITEMS, every one credited: an aggregator seen briefly
    # (a case's feed with three earlier items, a feed just added) credits every headline.
    few = DIGEST[:FEW_CREDITED]
    assert FEW_CREDITED < MIN_ITEMS
    learner = Boilerplate()
    cleaned = learner.take(credited("digest", few, " - "))
    assert [c.title for c in cleaned] == [t for t, _ in few]
    (late,) = credited("digest", [("Bridge reopens after inspection", "Savanna 24")], " - ", 9)
    assert learner.clean(late).title == "Bridge reopens after inspection"


def test_a_new_feeds_tails_stay_unless_every_one_of_enough_titles_has_one() -> None:
    # One fewer than FEW_CREDITED: too few to tell. One title without a tail: a paper quoting.
    fewer = credited("digest", DIGEST[: FEW_CREDITED - 1], " - ")
    assert [c.title for c in Boilerplate().take(fewer)] == [i.title for i in fewer]
    mixed = [*credited("paper", DIGEST[:FEW_CREDITED], " - "), item("paper", 8, "Plain one", "")]
    assert [c.title for c in Boilerplate().take(mixed)] == [i.title for i in mixed]


def test_a_bulletins_tails_opening_on_a_figure_are_no_credits_of_a_new_feed() -> None:
    # A quake bulletin's place ("M 5.2 - 34 km SW of Arequipa, Peru") and a recall notice's
    # pack size ("... (340 g)") end every title of the feed: they are the news, not its source.
    quakes = ["M 5.2 - 34 km SW of Arequipa, Peru", "M 4.1 - 12 km N of Tacna, Peru",
              "M 4.6 - 8 km E of Ica, Peru"]  # fmt: skip
    items = [item("quakes", n, t, "") for n, t in enumerate(quakes)]
    assert [c.title for c in Boilerplate().take(items)] == quakes
    packs = ["Golden Acre peanut butter (340 g)", "Frostvale berries (500 g)",
             "Millbrook oat bars (6 x 40 g)"]  # fmt: skip
    items = [item("recalls", n, t, "") for n, t in enumerate(packs)]
    assert [c.title for c in Boilerplate().take(items)] == packs


def test_credits_are_learned_per_feed() -> None:
    learner = Boilerplate()
    learner.take(credited("digest", DIGEST, " - "))
    other = item("paper", 1, "Minister resigns - Harbour Times", "")
    assert learner.clean(other).title == "Minister resigns - Harbour Times"


def test_al_jazeeras_programme_names_go_and_philstars_attributions_stay() -> None:
    learner = Boilerplate()
    cut = total = 0
    for poll in _snapshot_items("aljazeeraenglish", "202005*"):
        for before, after in zip(poll, learner.take(poll), strict=True):
            if before.title.endswith("| Inside Story"):
                total += 1
                cut += after.title != before.title
    assert total >= 15 and cut >= total - MIN_ITEMS  # the first few teach it
    learner = Boilerplate()
    attributions = kept = 0
    for poll in _snapshot_items("philstar", "*"):
        for before, after in zip(poll, learner.take(poll), strict=True):
            if _credit(before.title) is not None:  # a tail after a dash or bar, in parentheses
                attributions += 1
                kept += after.title == before.title
    assert attributions >= 20 and kept >= 0.9 * attributions


RULES = """
[[rule]]
name = "wire"
query = "\\"Northern Wire\\""
channels = ["desk"]

[[rule]]
name = "putin"
query = "Putin"
channels = ["desk"]
"""


def test_pipeline_joins_two_outlets_reports_and_a_rule_on_an_outlet_does_not_fire(
    tmp_path: Path,
) -> None:
    store, pipeline = desk_pipeline(tmp_path, RULES)
    pipeline.ingest(credited("digest", DIGEST, " - "), NOW, alert=False)
    pipeline.ingest(credited("roundup", ROUNDUP, " | "), NOW, alert=False)
    later = NOW + timedelta(hours=1)
    (visit,) = credited("digest", [VISIT], " - ", start=20)
    first = pipeline.ingest([visit], later, alert=True)
    assert first.new_stories == 1 and first.matches == 1  # "putin"; not "wire"
    (meeting,) = credited("roundup", [MEETING], " | ", start=30)
    second = pipeline.ingest([meeting], later, alert=True)
    assert second.new_stories == 0  # one event, one story
    stories = store.recent_stories(limit=5)
    story = next(s for s in stories if len(s.items) == 2)
    # The desk sees the headlines as the feeds gave them.
    assert [i.title for i in story.items] == [visit.title, meeting.title]
    store.close()
