"""The held-out story cases (tests/data/story_cases.toml, issue 11): passes per kind (run by
hand; prints figures).

    .venv/bin/python bench/eval_cases.py              # in-process, cold and warm
    .venv/bin/python bench/eval_cases.py --explain    # and each failing case's decisions
    .venv/bin/python bench/eval_cases.py --e2e        # also end to end (poll-once per round)

In-process, each case is played into a fresh StoryIndex as one poll after another would give
it (tests/story_cases.py: parse, normalize, boilerplate, link folding, decide/add). Warm: the
index has first taken in --warm items (hand-made filler of many topics, since pruned), as a
running service's has. End to end, each case's outlets are served on 127.0.0.1 and a real
`watcher poll-once` polls them once per round, then `watcher stories --json` gives the stories.
A case passes when every report is where the case says (see tests/story_cases.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.story_cases import KINDS, Case, Outcome, Outlet, Placed, explain, load, play, together
from tests.test_story_cases import e2e_problems, warm_index

SIGNALS = ("cos_best", "cos_anchor", "cos_title", "cos_lead", "shared_names", "rare_names",
           "name_conflict", "number_conflict", "apart")  # fmt: skip


def run(cases: list[Case], outlets: dict[str, Outlet], warm: int, show: bool) -> Counter[str]:
    passed: Counter[str] = Counter()
    for case in cases:
        outcome = play(case, outlets, warm_index(warm) if warm else None)
        found = outcome.problems()
        if not found:
            passed[case.kind] += 1
            continue
        print(f"FAIL {case.kind} {case.id}: {'; '.join(found)}")
        if show:
            print("\n".join(explain(outcome, SIGNALS)))
    return passed


def table(label: str, passed: Counter[str], total: Counter[str]) -> None:
    cells = "  ".join(f"{kind} {passed[kind]}/{total[kind]}" for kind in KINDS)
    print(f"{label:>12}: {cells}  all {sum(passed.values())}/{sum(total.values())}")


def bcubed(outcome: Outcome) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of the stories against the reports' groups."""
    gold = {p.report: p.report.group for p in outcome.placed}
    told = {p.report: p.story for p in outcome.placed}
    precision = recall = 0.0
    for report in gold:
        same_story = [r for r in gold if told[r] == told[report]]
        same_group = [r for r in gold if gold[r] == gold[report]]
        both = sum(gold[r] == gold[report] for r in same_story)
        precision += both / len(same_story)
        recall += both / len(same_group)
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def run_together(cases: list[Case], outlets: dict[str, Outlet], spread: float) -> None:
    """All cases in one stream: how many stay right, and which stories mix two cases."""
    stream = together(cases, min(r.published for c in cases for r in c.reports),
                      timedelta(hours=spread))  # fmt: skip
    outcome = play(stream, outlets)
    stories: dict[int, list[Placed]] = {}
    for placed in outcome.placed:
        stories.setdefault(placed.story, []).append(placed)
    precision, recall, f1 = bcubed(outcome)
    print(f"together ({len(cases)} cases over {spread:g} h, {len(outcome.placed)} reports): "
          f"B3 P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")  # fmt: skip
    for story, members in stories.items():
        if len({p.report.group.split("/")[0] for p in members}) > 1:
            print(f"  story #{story} mixes cases:")
            for p in members:
                how = "folded" if p.tier is None else f"{p.tier.value} {p.score:.3f}"
                print(f"    {p.report.group} ({how}) {p.report.title!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warm", type=int, default=1000, help="filler items for warm (1000)")
    parser.add_argument("--explain", action="store_true", help="show failing cases' decisions")
    parser.add_argument("--e2e", action="store_true", help="also end to end (slow)")
    parser.add_argument(
        "--together", type=float, default=24.0, help="all cases in one stream over N hours (24)"
    )
    args = parser.parse_args()
    outlets, cases = load()
    total = Counter(case.kind for case in cases)
    results = {"cold": run(cases, outlets, 0, args.explain)}
    results["warm"] = run(cases, outlets, args.warm, args.explain)
    if args.e2e:
        e2e: Counter[str] = Counter()
        for case in cases:
            with tempfile.TemporaryDirectory() as tmp:
                found = e2e_problems(case, outlets, Path(tmp))
            if found:
                print(f"FAIL e2e {case.kind} {case.id}: {'; '.join(found)}")
            else:
                e2e[case.kind] += 1
        results["end to end"] = e2e
    for label, passed in results.items():
        table(label, passed, total)
    if args.together > 0:
        run_together(cases, outlets, args.together)


if __name__ == "__main__":
    main()
