"""The held-out story cases of tests/data/story_cases.toml (issue 11): loading them, serving
them as RSS, and grouping them in-process exactly as `watcher poll-once` would.

A case is a few reports from one or more outlets and the grouping a desk expects: reports of
one `group` are one story, of two groups two stories; a report marked `fold` is an article
already seen under another form of its link, so it is no new item at all. The cases were
written by hand before the join model was run on them (see the data file's header).

A case is played in *rounds*, as feeds would be polled: first each outlet's earlier items
(its history, from which its boilerplate is learned), then each run of reports from one
outlet in the order they were published. In-process, every round goes through what one poll
does — the RSS body is parsed and normalized, the batch's boilerplate learned and left out,
each new item checked against the keys and links already stored, then decided and added to
a fresh StoryIndex (`group`). tests/test_story_cases.py plays a few cases end to end through
`watcher poll-once` the same way; bench/eval_cases.py counts passes per kind.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from tests.fakes.feed_server import rss
from watcher.boilerplate import Boilerplate
from watcher.model import Feed, Item, Tier
from watcher.normalize import canonical_url, link_key, normalize_feed
from watcher.parse import parse_feed
from watcher.stories import StoryIndex
from watcher.story_model import FEATURES

CASES = Path(__file__).resolve().parent / "data" / "story_cases.toml"
KINDS = (
    "boilerplate",
    "hours_apart",
    "day_apart",
    "days_apart",
    "same_names",
    "headline_only",
    "copies",
)
HISTORY_STEP = timedelta(hours=3)  # an outlet's earlier items: one every 3 h before the case


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    name: str
    footer: str = ""
    html: bool = False
    history: tuple[tuple[str, str], ...] = ()  # earlier items: (title, summary)

    @property
    def path(self) -> str:
        return f"/{self.id}.xml"


@dataclass(frozen=True, slots=True)
class Report:
    feed: str
    title: str
    summary: str
    link: str
    published: datetime
    group: str
    guid: str | None = None
    fold: bool = False


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    kind: str
    note: str
    reports: tuple[Report, ...]
    history: bool = True

    def feeds(self) -> list[str]:
        """The case's outlets, in the order they first report."""
        return list(dict.fromkeys(r.feed for r in sorted(self.reports, key=_when)))


def load(path: Path = CASES) -> tuple[dict[str, Outlet], list[Case]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    outlets = {
        key: Outlet(
            key,
            spec["name"],
            spec.get("footer", "").strip(),
            spec.get("html", False),
            tuple((b["title"], b["summary"]) for b in spec.get("background", ())),
        )
        for key, spec in data["feed"].items()
    }
    cases = [
        Case(
            spec["id"],
            spec["kind"],
            spec["note"],
            tuple(
                Report(
                    r["feed"],
                    r["title"],
                    r["summary"].strip(),
                    r["link"],
                    r["published"],
                    r["group"],
                    r.get("guid"),
                    r.get("fold", False),
                )
                for r in spec["item"]
            ),
            spec.get("history", True),
        )
        for spec in data["case"]
    ]
    return outlets, cases


def _when(report: Report) -> datetime:
    return report.published


# -- as feeds serve them -------------------------------------------------------------------------


def entry(report: Report, outlet: Outlet, shift: timedelta = timedelta(0)) -> dict[str, object]:
    """The report as an RSS item of its outlet: its lines and the outlet's footer as the
    description (<p> paragraphs for an HTML outlet, plain lines otherwise), dated `shift` later."""
    lines = [line for line in report.summary.split("\n") if line.strip()]
    if outlet.footer and (lines or report.title):
        lines += outlet.footer.split("\n")
    if outlet.html:
        description = "".join(f"<p>{escape(line, quote=False)}</p>" for line in lines)
    else:
        description = "\n".join(lines)
    out: dict[str, object] = {
        "title": report.title,
        "link": report.link,
        "pubDate": report.published + shift,
    }
    if description:
        out["description"] = description
    if report.guid:
        out["guid"] = report.guid
    return out


def history(case: Case, outlet: Outlet) -> list[Report]:
    """The outlet's earlier items, published before the case's first report."""
    if not case.history:
        return []
    start = min(r.published for r in case.reports)
    count = len(outlet.history)
    return [
        Report(
            outlet.id,
            title,
            summary,
            f"https://{outlet.id}.example/earlier/{n}",
            start - HISTORY_STEP * (count - n),
            group=f"history-{n}",
            guid=f"{outlet.id}-earlier-{n}",
        )
        for n, (title, summary) in enumerate(outlet.history)
    ]


def rounds(case: Case, outlets: Mapping[str, Outlet]) -> Iterator[tuple[str, list[Report]]]:
    """(outlet, its reports so far) per poll that brings something new: each outlet's history
    first, then each run of one outlet's reports in the order they were published."""
    shown: dict[str, list[Report]] = {}
    for feed in case.feeds():
        earlier = history(case, outlets[feed])
        if earlier:
            shown[feed] = earlier
            yield feed, list(earlier)
    run: list[Report] = []
    for report in sorted(case.reports, key=_when):
        if run and report.feed != run[-1].feed:
            shown.setdefault(run[-1].feed, []).extend(run)
            yield run[-1].feed, list(shown[run[-1].feed])
            run = []
        run.append(report)
    if run:
        shown.setdefault(run[-1].feed, []).extend(run)
        yield run[-1].feed, list(shown[run[-1].feed])


def together(cases: Sequence[Case], start: datetime, spread: timedelta) -> Case:
    """All the cases as one stream, a busier day: case k moved to start at start + k x
    spread / len(cases), its reports keeping their times apart; groups named case/group."""
    step = spread / len(cases)
    reports = []
    for k, case in enumerate(cases):
        shift = start + step * k - min(r.published for r in case.reports)
        reports += [
            replace(r, published=r.published + shift, group=f"{case.id}/{r.group}")
            for r in case.reports
        ]
    return Case("together", "together", f"{len(cases)} cases in one stream", tuple(reports))


# -- grouped in-process ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one report went: its story, how it joined, and what the model weighed."""

    report: Report
    story: int
    tier: Tier | None  # None: folded into an item already stored (the same article)
    score: float = 0.0
    contenders: tuple[tuple[int, float, Mapping[str, float]], ...] = ()


@dataclass
class Outcome:
    case: Case
    placed: list[Placed] = field(default_factory=list)

    def problems(self) -> list[str]:
        stories = {self.case.reports.index(p.report): p.story for p in self.placed}
        folded = {self.case.reports.index(p.report) for p in self.placed if p.tier is None}
        return problems(self.case, stories, folded)


def problems(case: Case, stories: Mapping[int, int], folded: set[int]) -> list[str]:
    """What differs from the case's expected grouping. `stories` maps each report (by its
    place in the case) to its story — a folded report to the story of the item it is —
    and `folded` holds the reports recognised as an article already stored."""
    out = []
    for n, report in enumerate(case.reports):
        if report.fold and n in stories and n not in folded:
            out.append(f"{report.title!r} is a second item; it is the same article as another")
        elif not report.fold and n in folded:
            out.append(f"{report.title!r} was taken for an article already stored")
        if n not in stories:
            out.append(f"{report.title!r} is in no story")
    placed = sorted(stories)
    for k, first in enumerate(placed):
        for second in placed[k + 1 :]:
            a, b = case.reports[first], case.reports[second]
            same = stories[first] == stories[second]
            if same and a.group != b.group:
                out.append(f"joined, but two events: {a.title!r} / {b.title!r}")
            elif not same and a.group == b.group:
                out.append(f"split, but one event: {a.title!r} / {b.title!r}")
    return out


def play(case: Case, outlets: Mapping[str, Outlet], index: StoryIndex | None = None) -> Outcome:
    """Group the case's reports as one poll after another would (see the module docstring)."""
    index = StoryIndex() if index is None else index
    learner = Boilerplate()
    keys: dict[str, int] = {}  # item key -> story, as the store keeps items
    links: dict[str, int] = {}  # link_key -> story, as the store remembers stored links
    outcome = Outcome(case)
    ours = {(r.feed, canonical_url(r.link)): r for r in case.reports}
    done: set[int] = set()  # reports already placed (a feed lists them again in later polls)
    next_story = 1
    for feed_id, shown in rounds(case, outlets):
        outlet = outlets[feed_id]
        fetched = max(r.published for r in shown) + timedelta(minutes=5)
        body = rss([entry(r, outlet) for r in reversed(shown)], title=outlet.name)
        feed = Feed(f"http://127.0.0.1{outlet.path}", outlet.name, timedelta(minutes=5))
        items = normalize_feed(parse_feed(body, url=feed.url), feed=feed, fetched_at=fetched)
        ordered = sorted(items, key=lambda it: it.published)
        for item, clean in zip(ordered, learner.take(ordered), strict=True):
            report = ours.get((feed_id, item.link))
            if report is not None and id(report) in done:
                continue
            seen = keys.get(item.key, links.get(link_key(item.link)))
            if seen is not None:  # the same item or article under another link: nothing new
                if report is not None:
                    done.add(id(report))
                    outcome.placed.append(Placed(report, seen, None))
                continue
            contenders = _contenders(index, clean)
            decision = index.decide(clean)
            story = decision.story_id
            if story is None:
                story, next_story = next_story, next_story + 1
            for old in decision.merge:  # one event after all: its reports move, as ingest does
                index.merge(old, story)
                outcome.placed = [replace(p, story=story) if p.story == old else p
                                  for p in outcome.placed]  # fmt: skip
                keys = {k: story if s == old else s for k, s in keys.items()}
                links = {k: story if s == old else s for k, s in links.items()}
            index.add(clean, story)
            keys[item.key] = links[link_key(item.link)] = story
            if report is not None:
                done.add(id(report))
                placed = Placed(report, story, decision.tier, decision.score, contenders)
                outcome.placed.append(placed)
    return outcome


def _contenders(
    index: StoryIndex, item: Item
) -> tuple[tuple[int, float, Mapping[str, float]], ...]:
    return tuple(
        (story, round(p, 3), dict(zip(FEATURES, signals, strict=True)))
        for story, signals, p in index.contenders(item)
    )


def explain(outcome: Outcome, signals: Sequence[str] = ()) -> list[str]:
    """One line per report: its story, how it joined, and the model's probability for each
    open story it weighed (with the named signals of the best one)."""
    lines = []
    for p in outcome.placed:
        how = "folded" if p.tier is None else f"{p.tier.value} {p.score:.3f}"
        weighed = ", ".join(f"#{story} p={prob:.3f}" for story, prob, _ in p.contenders)
        lines.append(f"  [{p.report.group}] story #{p.story} ({how}) {p.report.title!r}")
        if weighed:
            lines.append(f"      weighed: {weighed}")
        if p.contenders and signals:
            named = p.contenders[0][2]
            lines.append(
                "      signals: " + " ".join(f"{k}={named[k]:.2f}" for k in signals if k in named)
            )
    return lines
