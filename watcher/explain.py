"""How watcher explains itself to a person (pure): a matched text with its words marked, and
why an item joined its story. Shared by the command line, the desk page and the chat's /why."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from watcher.model import Story, StoryItem, Tier


def excerpt(
    text: str, spans: list[tuple[int, int]], style: Callable[[str], str], context: int = 60
) -> str:
    """The text around the matched spans, each match marked; long gaps are elided."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(set(spans)):
        if start < pos:
            continue
        gap = text[pos:start]
        if len(gap) > 2 * context:
            head = gap[:context] if pos else ""
            gap = f"{head}…{gap[-context:]}"
        out.append(gap)
        out.append(style(text[start:end]))
        pos = end
    tail = text[pos:]
    out.append(tail if len(tail) <= context else tail[:context] + "…")
    return " ".join("".join(out).split())


WHY = {
    Tier.NEW: "started the story",
    Tier.SAME: "the same item again",
    Tier.COPY: "near-identical copy",
    Tier.EVENT: "same event, other words",
}


def why_joined(item: StoryItem) -> str:
    """`event — same event, other words (score 0.42)`: how the item came into its story."""
    score = f" (score {item.score:.2f})" if item.tier in (Tier.COPY, Tier.EVENT) else ""
    return f"{item.tier.value} — {WHY[item.tier]}{score}"


def story_lines(story: Story, rules: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The story, the rules it matched with their words, and each item with how it joined:
    `watcher stories --show` and the chat's /why."""
    lines = [
        f"story #{story.id}: {story.title}",
        f"first seen {story.first_seen:%Y-%m-%d %H:%M} UTC, "
        f"last {story.last_seen:%Y-%m-%d %H:%M} UTC, {len(story.items)} item(s)",
    ]
    lines += [f"matched rule {rule}: {', '.join(terms)}" for rule, terms in sorted(rules.items())]
    lines.append("")
    for n, item in enumerate(story.items, 1):
        lines.append(f"{n:>3}. {item.published:%Y-%m-%d %H:%M}  {item.feed_name}: {item.title}")
        lines.append(f"     {item.link or '(no link)'}")
        lines.append(f"     joined: {why_joined(item)}")
    return lines
