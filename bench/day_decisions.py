"""Each join decision of a labelled replay, and why the wrong ones went wrong (eval_real_day.py
--joins; run by hand, prints only).

`LoggedIndex` is the story index recording, for every item it decides, its decision and the
open stories the model weighed (`StoryIndex.contenders`: probability and signals), with the
items each of those stories held at that moment. `explain` then holds them against the labels:

- a *wrong join*: the item joined a story holding no report of its event;
- a *missed join*: the item started a story while an earlier report of its event was indexed,
  and why: that report's story was not among the contenders ("not a candidate"), a guard
  vetoed the pair (story_model.vetoed on the signals alone: "vetoed"; rival names in two
  headlines alone, which need the stored slot, the own-feed rule, other dates, other decimal
  figures or other places: "guard"), its probability stayed under the threshold ("below threshold"),
  or another story scored within the margin ("unsure").

Headlines are printed, never stored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from watcher.model import Item, StoryDecision, Tier
from watcher.normalize import link_key
from watcher.stories import StoryIndex
from watcher.story_model import vetoed

Contender = tuple[int, float, tuple[float, ...], tuple[str, ...]]  # story, p, signals, holds


@dataclass(slots=True)
class Decision:
    key: str  # the item's link_key
    title: str
    decision: StoryDecision
    contenders: list[Contender]
    joined: tuple[str, ...]  # what the story it joined held (COPY, EVENT), by link_key
    story: int = 0  # the story it was added to


class LoggedIndex(StoryIndex):
    """A StoryIndex that records each decision with its contenders (for `explain`)."""

    def __init__(self, **params: float) -> None:
        super().__init__(**params)  # type: ignore[arg-type]
        self.decisions: list[Decision] = []
        self.holds: dict[int, list[str]] = defaultdict(list)  # story -> link keys, in order
        self.titles: dict[str, str] = {}

    def decide(self, item: Item) -> StoryDecision:
        decision = super().decide(item)
        ranked = [(s, p, sig, tuple(self.holds[s])) for s, sig, p in self.contenders(item)]
        joined = tuple(self.holds[decision.story_id]) if decision.story_id is not None else ()
        key = link_key(item.link)
        self.decisions.append(Decision(key, item.title, decision, ranked, joined))
        return decision

    def add(self, item: Item, story_id: int) -> None:
        super().add(item, story_id)
        key = link_key(item.link)
        self.holds[story_id].append(key)
        self.titles[key] = item.title
        if self.decisions and self.decisions[-1].key == key:
            self.decisions[-1].story = story_id

    def merge(self, story: int, into: int) -> int:
        moved = super().merge(story, into)
        self.holds[into].extend(self.holds.pop(story, []))
        return moved


def why_missed(index: StoryIndex, d: Decision, event: str, labels: Mapping[str, str]) -> str:
    """Why `d` (a new story) did not join the open story holding its event."""
    theirs = [c for c in d.contenders if any(labels.get(k) == event for k in c[3])]
    if not theirs:
        return "not a candidate"
    _, p, signals, _ = theirs[0]
    if p == 0.0:
        # rivals=False: whether a headline-only pair's names are rivals is read from the slot,
        # which the signals do not carry; such a veto is counted with the guards
        if vetoed(signals, rivals=False):
            return "vetoed"
        return "guard (rivals, own feed, dates, figures, places)"
    return "below threshold" if p < index.threshold else "unsure (runner-up within margin)"


def explain(index: LoggedIndex, labels: Mapping[str, str], count: int) -> None:
    """Print the wrong and missed joins of the replay `index` recorded, `count` of each."""
    held: dict[str, int] = Counter()  # event -> reports in the index so far
    wrong: list[str] = []
    missed: list[str] = []
    reasons: Counter[str] = Counter()
    for d in index.decisions:
        event = labels.get(d.key, "")
        first = index.titles.get(d.joined[0], "") if d.joined else ""
        if d.decision.tier in (Tier.COPY, Tier.EVENT) and event:
            if d.joined and all(labels.get(k) != event for k in d.joined):
                runner = max((c[1] for c in d.contenders if c[0] != d.decision.story_id), default=0)
                wrong.append(
                    f"  {d.decision.tier.name} p={d.decision.score} (runner-up {runner:.3f}) "
                    f"{d.title[:70]!r}\n      joined {first[:70]!r} ({len(d.joined)} reports)"
                )
        elif d.decision.tier is Tier.NEW and held[event]:
            reason = why_missed(index, d, event, labels)
            reasons[reason] += 1
            theirs = [c for c in d.contenders if any(labels.get(k) == event for k in c[3])]
            score = f"p={theirs[0][1]:.3f} " if theirs else ""
            missed.append(f"  {reason}: {score}{d.title[:70]!r}")
        if event:
            held[event] += 1
    print(f"\nWrong joins (into a story holding no report of the item's event): {len(wrong)}")
    print("\n".join(wrong[:count]))
    tally = ", ".join(f"{reason} {n}" for reason, n in reasons.most_common())
    print(f"Missed joins (a new story, its event already indexed): {len(missed)}: {tally}")
    print("\n".join(missed[:count]))
