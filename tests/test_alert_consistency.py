"""One consistent alert: headline, outlet, time and snippet from one item (the story's first
report); an edit marks the source that is new; each matched term listed once."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegram, parse_html
from watcher.channels.telegram import TelegramChannel
from watcher.delivery.deliverer import Deliverer, drain
from watcher.model import Alert, Item, Story, StoryItem, Tier
from watcher.pipeline import Pipeline
from watcher.render import MAX_LINKS, headline, lead, render_plain, render_telegram
from watcher.rulebook import load_rules
from watcher.store import Store
from watcher.stories import StoryIndex

T0 = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)
TOKEN = "777:CONSISTENT-alert-token"
CHAT = "-1009876543210"
RULES = """
[[rule]]
name = "volcano"
query = "volcano OR eruption"
channels = ["desk"]
"""
LAVA = (
    "Lava from the Cumbre Vieja volcano on La Palma reached the sea on Tuesday, and officials "
    "ordered more evacuations on the Canary island as the eruption entered its second week."
)


def story_item(n: int, *, tier: Tier, minutes: int, fetched: int, **kw: object) -> StoryItem:
    fields: dict[str, object] = {
        "item_key": f"url:{n}",
        "link": f"https://outlet{n}.example/{n}",
        "title": f"Headline of outlet {n}",
        "feed_name": f"Outlet {n}",
        "published": T0 + timedelta(minutes=minutes),
        "tier": tier,
        "score": 0.5,
        "summary": f"Snippet of outlet {n}.",
        "fetched": T0 + timedelta(minutes=fetched),
    }
    fields.update(kw)
    return StoryItem(**fields)  # type: ignore[arg-type]


def story(*items: StoryItem) -> Story:
    first = lead(Story(1, "", T0, T0, items))
    assert first is not None
    return Story(1, first.title, T0, T0, items)


def test_headline_outlet_time_and_snippet_come_from_the_first_report() -> None:
    # Outlet 2's report was published earlier but reached watcher later: the story (ordered
    # by publication) lists it first; the alert still speaks for outlet 1, which started it.
    started = story_item(1, tier=Tier.NEW, minutes=30, fetched=31)
    earlier = story_item(2, tier=Tier.EVENT, minutes=0, fetched=45)
    text = render_plain(Alert(story(earlier, started), rules=("volcano",)))
    head = text.splitlines()
    assert head[0] == "Headline of outlet 1"
    assert head[1] == "Outlet 1 · 2026-01-24 12:30 UTC"
    assert "Snippet of outlet 1." in text and "Snippet of outlet 2." not in text


def test_an_edit_marks_the_new_source_and_only_it() -> None:
    items = (
        story_item(1, tier=Tier.NEW, minutes=0, fetched=1),
        story_item(2, tier=Tier.EVENT, minutes=5, fetched=6),
        story_item(3, tier=Tier.EVENT, minutes=7, fetched=20),
    )
    since = T0 + timedelta(minutes=20)
    edited = render_plain(Alert(story(*items), rules=("volcano",), new_since=since))
    assert "• new Outlet 3 — Headline of outlet 3" in edited
    assert "• Outlet 1 —" in edited and "• Outlet 2 —" in edited
    assert edited.count("new Outlet") == 1
    html = render_telegram(Alert(story(*items), rules=("volcano",), new_since=since))
    assert "<b>new</b> Outlet 3" in html
    first = render_plain(Alert(story(*items), rules=("volcano",)))  # a first send marks none
    assert "new Outlet" not in first


def test_a_new_source_past_the_link_cap_is_still_shown() -> None:
    old = [story_item(n, tier=Tier.EVENT, minutes=n, fetched=n) for n in range(1, 15)]
    old[0] = story_item(1, tier=Tier.NEW, minutes=1, fetched=1)
    new = story_item(99, tier=Tier.EVENT, minutes=99, fetched=99)
    since = T0 + timedelta(minutes=99)
    plain, _ = parse_html(render_telegram(Alert(story(*old, new), ("v",), new_since=since)))
    shown = [line for line in plain.splitlines() if line.startswith("• ")]
    assert len(shown) == MAX_LINKS
    assert shown[-1] == "• new Outlet 99 — Headline of outlet 99"
    assert "+5 more" in plain


def test_matched_terms_are_listed_once_whatever_their_case() -> None:
    alert = Alert(
        story(story_item(1, tier=Tier.NEW, minutes=0, fetched=0)),
        rules=("volcano",),
        terms=("Volcano", "eruption", "volcano", "VOLCANO", "Eruption"),
    )
    assert "Matched: Volcano, eruption\n" in render_plain(alert)


# -- through the pipeline and the outbox -------------------------------------------------------


def item(n: int, outlet: str, title: str, published: datetime, summary: str) -> Item:
    return Item(
        key=f"url:https://{outlet}.example/{n}",
        feed_url=f"https://{outlet}.example/rss",
        feed_name=outlet.capitalize(),
        link=f"https://{outlet}.example/{n}",
        title=title,
        summary=summary,
        published=published,
        content_hash=f"{outlet}{n}",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "w.db")
    yield s
    s.close()


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def telegram(tg: FakeTelegram) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel("desk", token=TOKEN, chat_id=CHAT, api_url=tg.api_url, timeout=2)
    yield channel
    await channel.aclose()


def desk(
    store: Store, telegram: TelegramChannel, tmp_path: Path, clock: list[datetime]
) -> tuple[Pipeline, Deliverer]:
    """The pipeline and the deliverer of a desk with the volcano rule, on `clock[0]`."""
    (tmp_path / "r.toml").write_text(RULES)
    pipeline = Pipeline(
        store=store,
        fetcher=None,  # type: ignore[arg-type]
        index=StoryIndex(),
        rules=load_rules([tmp_path / "r.toml"], channel_names={"desk"}),
        clock=lambda: clock[0],
        rng=random.Random(0),
    )
    deliverer = Deliverer(
        store=store,
        channels={"desk": telegram},
        clock=lambda: clock[0],
        rng=random.Random(0),
        limits={"desk": []},
    )
    return pipeline, deliverer


async def alerted_then_joined(
    built: tuple[Pipeline, Deliverer], tg: FakeTelegram, clock: list[datetime], first: Item,
    later: datetime,
) -> str:  # fmt: skip
    """`first` alerted at `clock[0]`, then at `later` another outlet's report of the lava
    joins and the alert is edited: the one message, as the chat shows it."""
    pipeline, deliverer = built
    pipeline.ingest([first], clock[0], alert=True)
    await drain(deliverer)
    clock[0] = later
    second = item(7, "island", "La Palma volcano: Lava reaches the sea", T0,
                  LAVA.replace("Tuesday", "Tuesday evening"))  # fmt: skip
    assert pipeline.ingest([second], later, alert=True).updated_alerts == 1
    await drain(deliverer)
    (message,) = [parse_html(html)[0] for _, html in sorted(tg.messages[CHAT].items())]
    return message


async def test_the_desk_sees_one_consistent_alert_then_an_edit_marking_the_new_source(
    store: Store, tg: FakeTelegram, telegram: TelegramChannel, tmp_path: Path
) -> None:
    clock = [T0]
    pipeline, deliverer = desk(store, telegram, tmp_path, clock)
    first = item(1, "canary", "Volcano lava reaches the sea on La Palma", T0, LAVA)
    pipeline.ingest([first], T0, alert=True)
    await drain(deliverer)
    # An hour later another outlet's report arrives, dated before the first one.
    clock[0] = T0 + timedelta(hours=1)
    second = item(7, "island", "La Palma volcano: Lava reaches the sea", T0 - timedelta(minutes=20),
                  LAVA.replace("Tuesday", "Tuesday evening"))  # fmt: skip
    report = pipeline.ingest([second], clock[0], alert=True)
    assert report.new_stories == 0 and report.updated_alerts == 1
    await drain(deliverer)
    (message,) = [parse_html(html)[0] for _, html in sorted(tg.messages[CHAT].items())]
    lines = message.splitlines()
    assert lines[0] == "Volcano lava reaches the sea on La Palma"
    assert lines[1] == "Canary · 2026-01-24 12:00 UTC"
    # The text said "Volcano" and "volcano": the rule's own terms, each once.
    assert lines[3] == "Matched: eruption, volcano"
    assert "• Canary — Volcano lava" in message
    assert "• new Island — La Palma volcano" in message


async def test_an_edit_within_the_second_of_the_alert_marks_only_the_new_source(
    store: Store, tg: FakeTelegram, telegram: TelegramChannel, tmp_path: Path
) -> None:
    # A service polls many feeds in the same second: the first report is stored, alerted, and
    # another outlet's report joins 0.4 s later. Only that one is new in the edited message.
    clock = [T0 + timedelta(milliseconds=200)]
    first = item(1, "canary", "Volcano lava reaches the sea on La Palma", T0, LAVA)
    later = T0 + timedelta(milliseconds=600)
    built = desk(store, telegram, tmp_path, clock)
    message = await alerted_then_joined(built, tg, clock, first, later)
    assert "• Canary — Volcano lava" in message
    assert "• new Island — La Palma volcano" in message


async def test_an_untitled_first_report_keeps_its_own_headline_when_a_titled_one_joins(
    store: Store, tg: FakeTelegram, telegram: TelegramChannel, tmp_path: Path
) -> None:
    # Found by the outside re-check: a headline-only feed's opposite, a report with text and no
    # title, started the story; when another outlet's titled report joined, the edited alert
    # showed that outlet's headline above the first outlet's name, time and snippet.
    clock = [T0]
    first = item(1, "canary", "", T0, LAVA)
    later = T0 + timedelta(hours=1)
    built = desk(store, telegram, tmp_path, clock)
    message = await alerted_then_joined(built, tg, clock, first, later)
    lines = message.splitlines()
    assert lines[0].startswith("Lava from the Cumbre Vieja volcano on La Palma reached the sea")
    assert lines[1] == "Canary · 2026-01-24 12:00 UTC"


def test_the_headline_of_an_untitled_first_report_is_its_own_text() -> None:
    # `watcher stories --json` "title" and every alert use render.headline: the first report's.
    opening = "Ferry crossings to the island were cancelled. Storm at sea."
    untitled = story_item(1, tier=Tier.NEW, minutes=0, fetched=0, title="", summary=opening)
    titled = story_item(2, tier=Tier.EVENT, minutes=5, fetched=5)
    assert headline(Story(1, "", T0, T0, (untitled, titled))) == (
        "Ferry crossings to the island were cancelled"
    )
    bare = story_item(3, tier=Tier.NEW, minutes=0, fetched=0, title="", summary="")
    assert headline(Story(1, "", T0, T0, (bare, titled))) == "https://outlet3.example/3"
