"""item_policy.py: what one item means, decided from plain values without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watcher import item_policy
from watcher.item_policy import NO_FACTS, StoryFacts
from watcher.model import Item, ShownAlert, StoryDecision, Tier
from watcher.rulebook import Rule, RuleSet

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
RULES = RuleSet(
    [
        Rule("quake", "earthquake AND Chile", ("desk",)),
        Rule("spread", "earthquake AND sources>=2", ("wire",)),
    ],
    {},
)
JOINED = StoryDecision(7, Tier.EVENT, 0.9)
OWN = StoryDecision(None, Tier.NEW)


def item(title: str = "Earthquake hits Chile", feed: str = "a") -> Item:
    return Item(
        key=f"{feed}:1",
        feed_url=f"https://{feed}.example/rss",
        feed_name=feed.upper(),
        link=f"https://{feed}.example/1",
        title=title,
        summary="A strong earthquake struck northern Chile on Monday.",
        published=NOW,
        content_hash=title,
    )


def shown(channel: str, rules: tuple[str, ...], known: str, hours: int = 2) -> ShownAlert:
    return ShownAlert(1, channel, rules, NOW - timedelta(hours=hours), (known, ""))


def test_a_backlog_item_is_placed_but_not_matched() -> None:
    decision = item_policy.new_item(
        item(), JOINED, NO_FACTS, RULES, NOW, alert=False, too_old=False
    )
    assert decision.join == JOINED and decision.bump
    assert decision.matching.matches == () and not decision.too_old


def test_an_item_too_old_is_placed_and_counted_but_not_matched() -> None:
    decision = item_policy.new_item(item(), OWN, NO_FACTS, RULES, NOW, alert=True, too_old=True)
    assert decision.too_old and not decision.bump  # a story of its own: nothing to edit
    assert decision.matching.matches == ()


def test_sources_count_the_story_feeds_and_the_item_own_feed() -> None:
    alone = item_policy.new_item(item(), OWN, NO_FACTS, RULES, NOW, alert=True, too_old=False)
    assert [m.rule for m in alone.matching.matches] == ["quake"]
    same_feed = StoryFacts(feeds=frozenset({"https://a.example/rss"}))
    again = item_policy.new_item(item(), JOINED, same_feed, RULES, NOW, alert=True, too_old=False)
    assert [m.rule for m in again.matching.matches] == ["quake"]
    other_feed = StoryFacts(feeds=frozenset({"https://b.example/rss"}))
    spread = item_policy.new_item(item(), JOINED, other_feed, RULES, NOW, alert=True, too_old=False)
    assert sorted(m.rule for m in spread.matching.matches) == ["quake", "spread"]


def test_a_report_bringing_a_rule_to_a_shown_alert_is_a_reply_there_only() -> None:
    facts = StoryFacts(
        shown=(
            shown("desk", ("quake",), "Earthquake hits Chile"),
            shown("wire", (), "Earthquake hits Chile"),
        ),
        feeds=frozenset({"https://b.example/rss"}),
    )
    decision = item_policy.new_item(item(), JOINED, facts, RULES, NOW, alert=True, too_old=False)
    (reply,) = decision.matching.followups
    assert reply.alert.channel == "wire" and reply.development.rules == ("spread",)


def test_an_edit_is_told_as_an_edit_and_matched_only_when_alerting() -> None:
    assert item_policy.is_edit(item("Earthquake hits Chile, 12 dead"), "Earthquake hits Chile")
    assert not item_policy.is_edit(item(), "Earthquake hits Chile")  # the same text
    assert not item_policy.is_edit(item(), "")  # a pruned item's remembered key
    quiet = item_policy.edited_item(item(), NO_FACTS, RULES, NOW, alerting=False)
    assert quiet.bump and quiet.matching.matches == ()
    loud = item_policy.edited_item(item(), NO_FACTS, RULES, NOW, alerting=True)
    assert [m.rule for m in loud.matching.matches] == ["quake"]
