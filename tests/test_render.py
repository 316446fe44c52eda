"""render: escaping for Telegram HTML and Slack mrkdwn, the link cap, and the length limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes.telegram_api import parse_html
from watcher.model import Alert, Story, StoryItem, Tier
from watcher.render import (
    render_plain,
    render_slack,
    render_slack_update,
    render_telegram,
    snippet,
    utf16_len,
)

WHEN = datetime(2026, 1, 24, 9, 15, tzinfo=UTC)
HOSTILE_TITLE = "AT&T <script>alert(1)</script> buys <b>unbalanced"
HOSTILE_LINK = "https://news.example/a?x=1&y=<2>"


def item(n: int, **kw: object) -> StoryItem:
    fields: dict[str, object] = {
        "item_key": f"url:{n}",
        "link": f"https://outlet{n}.example/story/{n}",
        "title": f"Report number {n}",
        "feed_name": f"Outlet {n}",
        "published": WHEN + timedelta(minutes=n),
        "tier": Tier.NEW if n == 0 else Tier.EVENT,
        "score": 1.0,
        "summary": "",
    }
    fields.update(kw)
    return StoryItem(**fields)  # type: ignore[arg-type]


def alert(*items: StoryItem, title: str = "Iran and Pakistan at the UNHRC", **kw: object) -> Alert:
    story = Story(id=1, title=title, first_seen=WHEN, last_seen=WHEN, items=tuple(items))
    return Alert(story=story, rules=("pk-ir-unhrc",), terms=("Iran", "Pakistan"), **kw)  # type: ignore[arg-type]


def hostile() -> Alert:
    first = item(
        0, title=HOSTILE_TITLE, link=HOSTILE_LINK, summary="Q&A <i>open <p>x", feed_name="R&D"
    )
    return alert(first, item(1), title=HOSTILE_TITLE)


def test_telegram_escapes_feed_text_and_parses_with_allowed_tags_only() -> None:
    text = render_telegram(hostile())
    plain, links = parse_html(text)  # raises on <script>, unbalanced tags or a bare "&"
    assert HOSTILE_TITLE in plain
    assert "Q&A <i>open <p>x" in plain
    assert HOSTILE_LINK in links and "https://outlet1.example/story/1" in links
    assert set(re.findall(r"</?([a-z-]+)", text)) <= {"b", "i", "a", "code"}


def test_telegram_shows_why_and_where() -> None:
    text = render_telegram(alert(item(0, summary="Talks began in Geneva."), item(1)))
    plain, _ = parse_html(text)
    assert plain.splitlines()[0] == "Iran and Pakistan at the UNHRC"
    assert "Outlet 0 · 2026-01-24 09:15 UTC" in plain
    assert "pk-ir-unhrc" in plain and "Iran, Pakistan" in plain
    assert "Talks began in Geneva." in plain
    assert plain.index("Outlet 0 — Report number 0") < plain.index("Outlet 1 — Report number 1")


def test_time_is_shown_in_utc() -> None:
    karachi = timezone(timedelta(hours=5))
    text = render_plain(alert(item(0, published=datetime(2026, 1, 24, 9, 15, tzinfo=karachi))))
    assert "2026-01-24 04:15 UTC" in text


def test_slack_escapes_and_links() -> None:
    text = render_slack(hostile())
    assert "AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<https://news.example/a?x=1&amp;y=%3C2%3E|AT&amp;T &lt;script&gt;" in text
    assert "<https://outlet1.example/story/1|Report number 1>" in text
    without_links = re.sub(r"<https?://[^|>]+\|[^>]*>", "", text)
    assert "<" not in without_links and ">" not in without_links
    assert not re.search(r"&(?!amp;|lt;|gt;)", without_links)


def test_non_web_links_are_not_linked() -> None:
    evil = alert(item(0, link="javascript:alert(1)", title="Click"))
    _, links = parse_html(render_telegram(evil))
    assert links == []
    assert "javascript:" not in render_slack(evil).split("Click")[0].split("Sources")[1]


def test_links_are_capped_with_more() -> None:
    text = render_telegram(alert(*(item(n) for n in range(15))))
    _, links = parse_html(text)
    assert links == [f"https://outlet{n}.example/story/{n}" for n in range(10)]
    assert "+5 more" in text and "Sources (15):" in text


def test_duplicate_links_are_listed_once() -> None:
    text = render_plain(alert(item(0), item(1), item(2, link="https://outlet1.example/story/1")))
    assert text.count("https://outlet1.example/story/1") == 1
    assert "Sources (2):" in text


def test_snippet_is_cut_on_a_word_boundary() -> None:
    words = "alpha beta gamma delta " * 40
    cut = snippet(words)
    assert len(cut) <= 280 and cut.endswith("…")
    assert words.startswith(cut[:-1]) and words[len(cut) - 1] == " "
    assert snippet("short  text\n here") == "short text here"


def test_message_exactly_at_the_limit_is_kept_whole_and_one_less_still_fits() -> None:
    full = render_telegram(alert(*(item(n, summary="word " * 80) for n in range(6))))
    exact = render_telegram(
        alert(*(item(n, summary="word " * 80) for n in range(6))), limit=utf16_len(full)
    )
    assert exact == full
    shorter = render_telegram(
        alert(*(item(n, summary="word " * 80) for n in range(6))), limit=utf16_len(full) - 1
    )
    assert utf16_len(shorter) <= utf16_len(full) - 1
    parse_html(shorter)
    assert "https://outlet5.example/story/5" in shorter  # the snippet went first, not a link


def test_huge_story_fits_telegram_and_slack() -> None:
    long_url = "https://outlet.example/" + "segment/" * 300
    big = alert(
        *(item(n, link=f"{long_url}{n}", title="&<>" * 400) for n in range(30)),
        title="<&>" * 2000,
    )
    tg = render_telegram(big)
    assert utf16_len(tg) <= 4096
    parse_html(tg)
    assert len(render_slack(big)) <= 3000


feed_text = st.text(alphabet=st.sampled_from("a &<>\"'é😀\n"), max_size=300)


@settings(max_examples=150, deadline=None)
@given(
    title=feed_text,
    titles=st.lists(feed_text, max_size=14),
    summary=feed_text,
    limit=st.integers(min_value=0, max_value=5000),
)
def test_any_feed_text_renders_within_any_limit(
    title: str, titles: list[str], summary: str, limit: int
) -> None:
    items = [item(n, title=t, summary=summary, feed_name=t[:20]) for n, t in enumerate(titles)]
    story = alert(*items, title=title)
    text = render_telegram(story, limit=limit)
    assert utf16_len(text) <= limit
    if text.strip():
        parse_html(text)
    assert len(render_slack(story, limit=limit)) <= limit


def test_slack_update_names_only_new_sources() -> None:
    story = alert(item(0), item(1), item(2))
    text = render_slack_update(story, shown=1)
    assert "2 new sources" in text
    assert "outlet0.example" not in text
    assert (
        "<https://outlet1.example/story/1|" in text and "<https://outlet2.example/story/2|" in text
    )


def test_story_without_items_or_terms() -> None:
    bare = Alert(story=Story(id=2, title="", first_seen=WHEN, last_seen=WHEN), rules=())
    text = render_telegram(bare)
    assert parse_html(text)[0] == "(untitled story)\n2026-01-24 09:15 UTC"
