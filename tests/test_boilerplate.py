"""Boilerplate learned per feed and left out of what stories and rules see: hand-made feeds
(a site's "Read more" / related-articles / comment tail, a video channel's footer), the real
Al Jazeera video items of the snapshots, the seed article's own tail, and the learner's bounds."""

from __future__ import annotations

import gzip
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, json_feed, rss
from tests.test_end_to_end import poll_once
from watcher import config
from watcher.app import open_app
from watcher.boilerplate import MIN_ITEMS, Boilerplate
from watcher.errors import NotAFeedError
from watcher.model import Feed, Item
from watcher.normalize import normalize_feed
from watcher.parse import parse_feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet, load_rules
from watcher.store import Store
from watcher.stories import StoryIndex

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[2] / "shared"
SNAPSHOTS = SHARED / "data/rss-headlines-gesab001/snapshots"

# An invented video channel: every item ends with the same footer and its own hashtags.
FOOTER = (
    " - Subscribe to our channel: http://tube.example/HarbourTV - Follow us on Twitter: "
    "https://twitter.example/HarbourTV/ - Find us on Facebook: https://facebook.example/harbourtv/"
    " - Check our website: https://harbourtv.example/"
)
VIDEOS = [
    ("Ferry strike ends in Wellington", "Ferry workers in Wellington voted to end a three-day "
     "strike after the operator raised its pay offer. Services resume on Tuesday.", "#Ferry"),
    ("Volcano erupts on La Palma", "Lava from the Cumbre Vieja volcano reached homes on the "
     "Spanish island of La Palma as thousands were evacuated.", "#LaPalma #Volcano"),
    ("Boxer announces presidential run", "The boxing champion and senator said he will run for "
     "president next year, promising to fight corruption.", "#Election"),
    ("Emmy awards handed out", "A royal drama and a football comedy won the top prizes at the "
     "television awards in Los Angeles.", "#Emmys"),
    ("Measles spreads in crowded camps", "Aid agencies appealed for vaccines as measles cases "
     "rose in camps for displaced families.", "#Health"),
]  # fmt: skip


def item(feed: str, n: int, title: str, summary: str, key: str = "") -> Item:
    return Item(
        key=key or f"guid:{feed} {n}",
        feed_url=f"https://{feed}.example/rss",
        feed_name=feed,
        link=f"https://{feed}.example/{n}",
        title=title,
        summary=summary,
        published=NOW + timedelta(minutes=n),
        content_hash=f"{feed}{n}",
    )


def video_items(feed: str = "tv") -> list[Item]:
    return [
        item(feed, n, title, f"{body}{FOOTER} {tags}")
        for n, (title, body, tags) in enumerate(VIDEOS)
    ]


def test_a_channel_footer_and_its_hashtags_are_left_out_from_the_first_batch() -> None:
    learner = Boilerplate()
    cleaned = learner.take(video_items())  # a new feed's backlog: learned, then cleaned
    for (_, body, _), clean in zip(VIDEOS, cleaned, strict=True):
        assert clean.summary == body


def test_a_new_feed_with_too_few_items_is_left_as_it_is() -> None:
    learner = Boilerplate()
    first = video_items()[: MIN_ITEMS - 1]
    assert learner.take(first) == first


def test_boilerplate_is_learned_per_feed() -> None:
    learner = Boilerplate()
    learner.learn(video_items("tv"))
    other = item("paper", 1, "Ferry strike ends", f"Ferry workers voted.{FOOTER}")
    assert learner.clean(other) is other
    later = item("tv", 99, "Port reopens", f"The port reopened on Monday.{FOOTER} #Port")
    assert learner.clean(later).summary == "The port reopened on Monday."


# A site whose articles carry a "Newsflash" label, a reading time, a "Read more" link, a list
# of related articles (different for each article) and a comment prompt.
SITE_TAIL = ["Post a comment", "Leave a Reply",
             "Your email address will not be published. Required fields are marked *"]  # fmt: skip
ARTICLES = [
    (["Harbour authority approves new ferry terminal after two-year review.",
      "The terminal will double the number of sailings to the islands by 2028."],
     "Read more: Fishing fleet returns early as storm season begins",
     ["Council votes to keep the night market open through winter.",
      "A new bus route links the airport with the old town."]),
    (["Dockworkers agree a pay deal ending a week of stoppages at the container port.",
      "Shipping lines said delayed cargo would clear within days."],
     "Read more: Harbour authority approves new ferry terminal",
     ["Lighthouse restoration wins a heritage award.",
      "School holidays bring record crowds to the waterfront."]),
    (["A cargo ship ran aground at the harbour mouth overnight; no one was hurt.",
      "Salvage crews expect to refloat it on the evening high tide."],
     "Read more: Dockworkers agree pay deal",
     ["Rowing club celebrates its centenary with a regatta.",
      "Water quality at the town beach improves after sewer upgrade."]),
    (["The island ferry will run an extra evening sailing during the festival.",
      "Tickets for the new sailing go on sale on Friday."],
     "Read more: Cargo ship runs aground at harbour mouth",
     ["Fishing quotas for next season are set.",
      "The maritime museum reopens after a flood."]),
    (["Harbour pilots will train on a new simulator before the winter storms.",
      "The port authority paid for it from this year's safety budget."],
     "Read more: Extra evening ferry for the festival",
     ["Seals return to the breakwater for the first time in years.",
      "Night market traders ask for more lighting on the quay."]),
]  # fmt: skip


def site_text(body: list[str], read_more: str, related: list[str], minutes: int) -> str:
    lines = ["Newsflash:", f"{minutes} min read", *body, read_more, "Related Articles"]
    return "\n".join([*lines, *related, *SITE_TAIL])


def test_a_site_tail_of_related_articles_and_comment_prompts_is_left_out() -> None:
    items = [
        item("gazette", n, body[0][:40], site_text(body, more, related, n + 2))
        for n, (body, more, related) in enumerate(ARTICLES)
    ]
    cleaned = Boilerplate().take(items)
    for (body, _, _), clean in zip(ARTICLES, cleaned, strict=True):
        assert clean.summary == "\n".join(body)


def test_the_seed_articles_own_tail_is_left_out() -> None:
    seeds = sorted((SHARED / "seeds").glob("000_*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is absent")
    seed = seeds[0].read_text(encoding="utf-8")
    lines = [line for line in seed.splitlines() if line.strip()]
    tail_at = next(k for k, line in enumerate(lines) if line.startswith("Read more:"))
    items = [
        item("site", n, body[0][:40], site_text(body, more, related, 3))
        for n, (body, more, related) in enumerate(ARTICLES[:4])
    ]
    items.append(item("site", 9, lines[1], "\n".join(lines)))
    clean = Boilerplate().take(items)[-1].summary
    kept = clean.splitlines()
    assert "Related Articles" not in kept and "Leave a Reply" not in kept
    assert not any(line.startswith("Read more:") for line in kept)
    assert "Newsflash:" not in kept
    # Everything the article says is still there, up to its last paragraph.
    assert kept[-1] == lines[tail_at - 1]
    assert len(kept) >= tail_at - 3


@pytest.mark.parametrize("form", ["html", "plain paragraphs", "json content_text"])
def test_a_site_tail_is_left_out_however_the_feed_writes_its_lines(form: str) -> None:
    """Found by the outside re-check: the same site tail served as plain text (an RSS
    description without tags, its paragraphs apart by blank lines; a JSON Feed's content_text,
    one line a line) lost its lines in normalizing, so no "Related Articles" line or
    "Read more:" head was left to find, and a rule matched the related articles' words."""
    texts = [
        site_text(body, more, related, n + 2) for n, (body, more, related) in enumerate(ARTICLES)
    ]
    entries = [{"title": f"Harbour news {n}", "link": f"https://site.example/{n}", "guid": f"s{n}",
                "pubDate": NOW - timedelta(hours=n)} for n in range(len(texts))]  # fmt: skip
    if form == "json content_text":
        body = json_feed([{"id": e["guid"], "url": e["link"], "title": e["title"],
                           "content_text": t} for e, t in zip(entries, texts, strict=True)]
                         )  # fmt: skip
    else:
        paragraphs = [
            "".join(f"<p>{line}</p>" for line in t.splitlines()) if form == "html"
            else t.replace("\n", "\n\n")
            for t in texts
        ]  # fmt: skip
        body = rss([{**e, "description": p} for e, p in zip(entries, paragraphs, strict=True)])
    feed = Feed("https://site.example/feed", "Site", timedelta(minutes=5))
    items = normalize_feed(parse_feed(body, url=feed.url), feed=feed, fetched_at=NOW)
    cleaned = {i.link: i.summary for i in Boilerplate().take(items)}
    for n, (lines, _, _) in enumerate(ARTICLES):
        assert cleaned[f"https://site.example/{n}"] == "\n".join(lines)


def test_a_small_feeds_updates_of_one_story_keep_their_shared_paragraph() -> None:
    background = "A volcano on La Palma erupted on Sunday, sending lava towards homes in El Paso."
    updates = ["Villages are evacuated.", "Lava reaches the sea.", "Airport closes.", "Ash falls."]
    items = [
        item("small", n, f"La Palma update {n}", f"{u} {background}") for n, u in enumerate(updates)
    ]
    assert Boilerplate().take(items) == items


def test_a_sentence_a_running_story_repeats_in_a_few_items_stays() -> None:
    background = "The missing woman was last seen leaving the campsite on September 11 by hikers."
    items = [
        item("daily", n, f"Story {n}", f"Unrelated report number {n} on the local economy today.")
        for n in range(30)
    ]
    for n in (3, 9, 17, 25):
        items[n] = item("daily", n, "Search", f"Police widened the search. {background}")
    cleaned = Boilerplate().take(items)
    assert all(background in c.summary for c in cleaned if "Police" in c.summary)


def test_templated_reports_that_differ_in_their_figures_keep_them() -> None:
    # A markets or weather feed writes every report the same way: the figures are the news.
    items = [
        item("markets", n, f"Index closes at 7,0{n}", f"The index rose 0.{n}% to 7,0{n} points "
             f"on day {n + 1}, with {n + 3} shares up and {n + 5} down.")
        for n in range(10)
    ]  # fmt: skip
    assert Boilerplate().take(items) == items


def test_a_short_line_with_a_number_is_still_recognised() -> None:
    items = [
        item("site", n, f"Story {n}", f"{n + 2} min read\nReport {n} on the harbour works.")
        for n in range(5)
    ]
    cleaned = Boilerplate().take(items)
    assert [c.summary for c in cleaned] == [f"Report {n} on the harbour works." for n in range(5)]


# A wire's copy: a dateline crediting the wire ("PLACE, date (Wire) - ") and a closing credit
# line naming its reporters and editors, both different in every item but for their shape.
WIRE = [
    ("LIMA, March 3", "A bus fell into a gorge in Peru's Andes, killing 12.",
     "Reporting by Ana Ruiz; Editing by Grace Lin"),
    ("PANAJI, India, Aug 2", "A footbridge collapsed into a river in Goa.",
     "Reporting by Rohan Desai; Editing by Priya Nair"),
    ("LONDON", "Eleven workers were hurt in a blast at a slate quarry in Cumbria.",
     "Reporting by Kate Morrow in London; Editing by Toomas Kask Photo: Keel/Paul Ainsworth"),
    ("KUCHING, Malaysia, Oct 3", "A fire gutted a longhouse in Sarawak.",
     "Additional reporting by Aaron Lim; Writing by Minh Tran"),
    ("NIAMEY, May 12", "Petrol ran short in Niamey after a pipeline attack.",
     "Reporting by Amadou Sow; Editing by Grace Lin"),
    ("HOBART, June 12", "A winter bushfire forced evacuations in the Huon Valley.",
     "Reporting by Kate Ellery; Editing by Priya Nair"),
]  # fmt: skip


def wire_items(credit: str = "Keel", dash: str = "-", closing: bool = True) -> list[Item]:
    return [
        item("wire", n, f"Report {n}", f"{place} ({credit}) {dash} {body}"
             + (f"\n{credits}" if closing else ""))
        for n, (place, body, credits) in enumerate(WIRE)
    ]  # fmt: skip


@pytest.mark.parametrize("dash", ["-", "—"])
def test_a_wires_dateline_credit_and_closing_credits_are_left_out(dash: str) -> None:
    cleaned = Boilerplate().take(wire_items(dash=dash))
    assert [c.summary for c in cleaned] == [f"{place} {dash} {body}" for place, body, _ in WIRE]


def test_a_wires_credits_are_left_out_in_text_of_one_line() -> None:
    one_line = [replace(i, summary=i.summary.replace("\n", " ")) for i in wire_items()]
    cleaned = Boilerplate().take(one_line)
    assert [c.summary for c in cleaned] == [f"{place} - {body}" for place, body, _ in WIRE]


def test_a_dateline_credit_that_does_not_recur_stays() -> None:
    # Each item credits another outlet: no wire's own credit, nothing learned.
    items = [
        replace(i, summary=i.summary.replace("(Keel)", f"(Outlet {n})"))
        for n, i in enumerate(wire_items(closing=False))
    ]
    assert Boilerplate().take(items) == items


def test_a_closing_sentence_that_is_news_stays() -> None:
    # "Hit by ..." closes a few reports of a feed: too few to be its credit line.
    items = [item("daily", n, f"Story {n}", f"Report {n} on the harbour works.") for n in range(30)]
    for n in (4, 11, 20):
        items[n] = item("daily", n, "Crash", f"A cyclist was hurt. Hit by Van Driver {n} today.")
    assert Boilerplate().take(items) == items


def test_memory_is_bounded_and_follows_the_feed() -> None:
    learner = Boilerplate(window=20)
    old_footer = " Watch more videos at tube.example and subscribe to our weekly newsletter today."
    rng = random.Random(1)
    words = [
        "harbour",
        "ferry",
        "strike",
        "council",
        "port",
        "lava",
        "vote",
        "ship",
        "tide",
        "crew",
        "fleet",
        "town",
    ]
    for n in range(60):
        footer = old_footer if n < 30 else FOOTER
        body = " ".join(rng.choice(words) for _ in range(12)).capitalize() + "."
        learner.learn([item("tv", n, f"Video {n}", f"{body}{footer}")])
    memory = learner._feeds["https://tv.example/rss"]
    assert len(memory.items) == 20
    new = item("tv", 100, "Port reopens", f"The port reopened.{FOOTER}")
    assert learner.clean(new).summary == "The port reopened."
    stale = item("tv", 101, "Port reopens", f"The port reopened.{old_footer}")
    assert learner.clean(stale) is stale  # the old footer left the window


def test_of_a_long_batch_only_each_feeds_last_items_are_learned() -> None:
    learner = Boilerplate(window=20)
    batch = [item("tv", n, f"Video {n}", f"Report {n}.{FOOTER}") for n in range(100)]
    batch += [item("paper", n, f"Story {n}", f"Story {n}.{FOOTER}") for n in range(3)]
    cleaned = learner.take(batch)
    assert list(learner._feeds["https://tv.example/rss"].items) == [b.key for b in batch[80:100]]
    assert len(learner._feeds["https://paper.example/rss"].items) == 3
    assert cleaned[0].summary == "Report 0."  # the whole batch taught it, the first item too
    again = Boilerplate(window=20)
    assert again.take(batch, learn=False) == batch and not again._feeds


def test_learning_the_same_item_twice_counts_it_once() -> None:
    learner = Boilerplate()
    one = item("tv", 1, "Ferry", f"Ferry workers voted.{FOOTER}")
    for _ in range(5):
        learner.learn([one])
    assert learner.clean(one) is one


# -- real feeds ----------------------------------------------------------------------------


def _snapshot_items(feed: str, *days: str) -> list[list[Item]]:
    """Each snapshot's items not in an earlier one, a list per snapshot, of the given days."""
    folder = SNAPSHOTS / feed
    if not folder.is_dir():
        pytest.skip("../shared/data/rss-headlines-gesab001 is absent")
    polls: list[list[Item]] = []
    seen: set[str] = set()
    spec = Feed(f"https://{feed}.example/rss", feed, timedelta(minutes=10))
    paths = sorted(p for day in days for p in folder.glob(f"{day}T*.xml.gz"))
    for path in paths:
        try:
            parsed = parse_feed(gzip.decompress(path.read_bytes()), url=spec.url)
        except NotAFeedError:  # a few snapshots are empty files
            continue
        fresh = [i for i in normalize_feed(parsed, feed=spec, fetched_at=NOW) if i.key not in seen]
        seen.update(i.key for i in fresh)
        polls.append(fresh)
    return polls


def test_al_jazeera_video_items_lose_their_channel_footer() -> None:
    learner = Boilerplate()
    for poll in _snapshot_items("aljazeeraenglish", "20210918", "20210919"):
        learner.take(poll)  # the days before, as a running service would have seen them
    raw: list[Item] = []
    cleaned: list[Item] = []
    for poll in _snapshot_items("aljazeeraenglish", "20210920"):
        raw.extend(poll)
        cleaned.extend(learner.take(poll))
    assert len(cleaned) >= 10
    footers = [r for r in raw if "Follow us on Twitter" in r.summary]
    assert len(footers) >= 0.8 * len(raw)
    for before, after in zip(raw, cleaned, strict=True):
        # (A show's own footer seen once, as AJ Stream's "Join the conversation", cannot be
        # learned: it is not the feed's boilerplate yet.)
        for phrase in ("Follow us on Twitter", "Subscribe to our channel", "Find us on Facebook"):
            assert phrase not in after.summary, before.summary
        # What is left is the report itself, as the feed wrote it.
        assert after.summary and before.summary.startswith(after.summary[:60])


@pytest.mark.parametrize("feed", ["bbc", "cnn", "nytimes", "smh", "dailymail"])
def test_news_feeds_without_boilerplate_keep_their_text(feed: str) -> None:
    learner = Boilerplate()
    total = changed = 0
    for poll in _snapshot_items(feed, "20210920"):
        for before, after in zip(poll, learner.take(poll), strict=True):
            total += 1
            changed += after.summary != before.summary
    assert total >= 20
    assert changed <= 0.02 * total


# -- in the pipeline -------------------------------------------------------------------------

RULES = """
[[rule]]
name = "social"
query = "Facebook"
channels = ["desk"]
"""


def desk_pipeline(tmp_path: Path, rules: str) -> tuple[Store, Pipeline]:
    """A pipeline on a fresh database in `tmp_path`, with `rules` for the channel "desk"."""
    (tmp_path / "r.toml").write_text(rules)
    store = Store(tmp_path / "w.db")
    pipeline = Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]
        index=StoryIndex(),
        rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
        clock=lambda: NOW,
        rng=random.Random(0),
    )
    return store, pipeline


def test_pipeline_groups_and_matches_without_the_footer_and_stores_the_text(
    tmp_path: Path,
) -> None:
    store, pipeline = desk_pipeline(tmp_path, RULES)
    report = pipeline.ingest(video_items(), NOW, alert=True)
    assert report.new_stories == len(VIDEOS)  # the footer glued nothing together
    assert report.matches == 0  # nor did it match the rule
    stored = store.story(1)
    assert stored is not None and FOOTER.strip() in stored.items[0].summary
    # Rebuilt from the store (as at start-up), the learner knows the footer again.
    rebuilt = Boilerplate()
    rebuilt.learn(list(store.recent_items(per_feed=rebuilt.window)))
    later = item("tv", 50, "Port reopens", f"The port reopened.{FOOTER} #Port")
    assert rebuilt.clean(later).summary == "The port reopened."
    store.close()


async def test_start_up_rebuilds_the_learner_before_the_story_index(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(
        '[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        '[[feed]]\nurl = "https://tv.example/rss"\nname = "tv"\n'
        '[channel.desk]\ntype = "console"\n',
        encoding="utf-8",
    )
    settings = config.load(path)
    store = Store(settings.storage.path)
    Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]
        index=StoryIndex(),
        rules=RuleSet.empty(),
        clock=lambda: NOW,
        rng=random.Random(0),
    ).ingest(video_items(), NOW, alert=False)
    store.close()
    app = open_app(settings, rules=RuleSet.empty(), clock=lambda: NOW + timedelta(hours=1))
    try:
        learner = app.pipeline.boilerplate
        later = item("tv", 50, "Port reopens", f"The port reopened on Monday.{FOOTER} #Port")
        assert learner.clean(later).summary == "The port reopened on Monday."
        # The index was rebuilt from cleaned items: the footer ties the new video to none.
        assert app.pipeline.index.decide(learner.clean(later)).story_id is None
    finally:
        await app.aclose()


def test_an_alerts_snippet_leaves_the_feeds_footer_out(tmp_path: Path) -> None:
    # End to end: a channel's backlog teaches its footer, then a new video alerts; the console
    # alert's snippet is the video's own text, not "Subscribe to our channel …".
    now = datetime.now(UTC)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(
        '[[rule]]\nname = "port"\nquery = "port"\nchannels = ["desk"]\n', encoding="utf-8"
    )
    with FeedServer() as feeds:
        config_path = tmp_path / "config.toml"
        config_path.write_text(
            f'[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n[[feed]]\n'
            f'url = "{feeds.url("/tv.xml")}"\nname = "Harbour TV"\n[channel.desk]\n'
            'type = "console"\n',
            encoding="utf-8",
        )
        videos = [
            {"title": v.title, "link": v.link, "description": v.summary,
             "pubDate": now - timedelta(hours=10 - n)}
            for n, v in enumerate(video_items())
        ]  # fmt: skip
        feeds.set("/tv.xml", rss(videos))
        assert poll_once(config_path).stdout == ""  # the backlog: learned, never alerted
        body = "Ferries sailed again on Tuesday after the port reopened."
        new = {"title": "Port reopens after storm", "link": "https://tv.example/port",
               "description": f"{body}{FOOTER} #Port", "pubDate": now}  # fmt: skip
        feeds.set("/tv.xml", rss([new, *videos]))
        alert = poll_once(config_path).stdout
    assert "Port reopens after storm" in alert and body in alert
    assert "Subscribe" not in alert and "#Port" not in alert
