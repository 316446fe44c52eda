"""How watcher explains itself to a person (pure): a matched text with its words marked, and
why an item joined its story. Shared by the command line and the desk page."""

from __future__ import annotations

from collections.abc import Callable

from watcher.model import StoryItem, Tier


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
