"""Replaying saved feed files: each is ingested as if it had just been polled, with no network.

Used for backfills, for trying rules on an archive, and by the benchmarks. Files are taken in
the order given; a gzip file (by its magic bytes) is unpacked first.

Each file is ingested as polled at its capture time (`capture_time`): a timestamp in its name
(``20210920T101500Z_…xml.gz``, as the rss-headlines snapshots are named), else the time in its
gzip header, else its modification time. An undated item gets that time, and an item's age
(`[defaults] max_age`) is measured at it, so an archive replays as it was lived.

Which feed a file belongs to: the `feed` given to the Replayer (``--feed``) when there is one;
else the configured feed whose name is the file's channel title, or whose URL is the channel
link; else a feed of its own, identified by the channel link (so successive snapshots of one
outlet stay one feed), or by the file itself when the channel has no link.

Backlog: exactly as in live polling, the first body of a feed watcher has never read is its
backlog, stored without alerting; every later file alerts. `alert_backlog` alerts the first
one too. A dry run is the caller's business (cli/feeds.py replays into a copy of the database).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from watcher.errors import NotAFeedError
from watcher.files import GZIP_MAGIC, MAX_FEED_BYTES, read_regular, unpacked
from watcher.ingest import IngestReport
from watcher.model import DEFAULT_MAX_AGE, Feed, ParsedFeed
from watcher.normalize import one_line
from watcher.parse import parse_feed
from watcher.pipeline import Pipeline, PollReport
from watcher.unchanged import feed_mark

log = logging.getLogger("watcher.replay")

_HTTP = re.compile(r"^https?://\S+$")
# 20210920T101500Z or 2021-09-20T10:15:00Z in a file name: when the snapshot was taken (UTC).
_STAMP = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)T(\d\d):?(\d\d):?(\d\d)Z")
DEFAULT_INTERVAL = timedelta(minutes=5)


@dataclass(slots=True)
class ReplayReport:
    """Totals over a replay; `not_feeds` lists the files that held no feed, with why."""

    files: int = 0
    backlog_files: int = 0
    entries: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)  # summed over the files
    feeds: set[str] = field(default_factory=set)
    not_feeds: list[tuple[str, str]] = field(default_factory=list)

    def add(self, report: PollReport) -> None:
        self.files += 1
        self.feeds.add(report.feed)
        self.backlog_files += report.outcome == "backlog"
        self.entries += report.entries
        counts = {
            f.name: getattr(self.ingest, f.name) + getattr(report.ingest, f.name)
            for f in fields(IngestReport)
            # Counts only: the per-match rule names are not kept over a whole replay.
            if isinstance(getattr(report.ingest, f.name), int)
        }
        self.ingest = replace(self.ingest, **counts)

    def summary(self) -> dict[str, int]:
        counts = {f.name: getattr(self.ingest, f.name) for f in fields(IngestReport)}
        counts.update(files=self.files, backlog_files=self.backlog_files, entries=self.entries)
        counts.update(feeds=len(self.feeds), not_feeds=len(self.not_feeds))
        return {k: v for k, v in counts.items() if isinstance(v, int)}


def capture_time(path: Path, data: bytes) -> datetime:
    """When the snapshot in `path` (its raw bytes `data`) was taken: a UTC timestamp in its
    name, else its gzip header's time (0 means unset), else the file's modification time."""
    found = _STAMP.search(path.name)
    if found:
        try:
            year, month, day, hour, minute, second = map(int, found.groups())
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except ValueError:  # 20211340T…: not a date after all
            pass
    if data.startswith(GZIP_MAGIC) and len(data) >= 8:
        stamp = int.from_bytes(data[4:8], "little")
        if stamp:
            return datetime.fromtimestamp(stamp, UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def find_feed(feeds: Sequence[Feed], wanted: str) -> Feed | None:
    """A configured feed by name (case-insensitive) or URL."""
    lowered = wanted.strip().lower()
    for feed in feeds:
        if feed.url == wanted or feed.name.lower() == lowered:
            return feed
    return None


def identify(
    parsed: ParsedFeed, path: Path, feeds: Sequence[Feed], max_age: timedelta = DEFAULT_MAX_AGE
) -> Feed:
    """The feed a saved file belongs to when none was given (see the module docstring); one
    of its own gets `max_age` ([defaults] max_age)."""
    title = one_line(parsed.title)  # parse.py hands titles over as HTML ("NYT &gt; U.S. News")
    link = (parsed.link or "").strip()
    known = (find_feed(feeds, title) if title else None) or (
        find_feed(feeds, link) if link else None
    )
    if known is not None:
        return known
    if _HTTP.match(link):
        return Feed(link, title or link, DEFAULT_INTERVAL, max_age)
    return Feed(path.resolve().as_uri(), title or path.name, DEFAULT_INTERVAL, max_age)


class Replayer:
    def __init__(
        self,
        pipeline: Pipeline,
        feeds: Sequence[Feed],
        *,
        feed: Feed | None = None,
        alert_backlog: bool = False,
        whole_bodies: bool = False,
        max_age: timedelta = DEFAULT_MAX_AGE,
        max_bytes: int = MAX_FEED_BYTES,
    ) -> None:
        self.pipeline = pipeline
        self.feeds = list(feeds)
        self.feed = feed
        self.alert_backlog = alert_backlog
        self.whole_bodies = whole_bodies  # parse every item even if unchanged (benchmarks)
        self.max_age = max_age  # for feeds of their own (not configured)
        self.max_bytes = max_bytes  # a file, and a gzip file unpacked ([fetch] max_bytes)
        self.report = ReplayReport()
        self._marks: dict[bytes, Feed] = {}  # a feed met earlier, by its feed_mark

    def _parse(self, path: Path, body: bytes) -> tuple[ParsedFeed, Feed]:
        """The file's feed, parsed, and the feed it belongs to. NotAFeedError goes up.

        A feed's items unchanged since its last file are not parsed again, as in live polling.
        Without a given feed, the feed a file belongs to is known only once it is parsed; so
        a file whose channel title and link elements are byte for byte those of a feed met
        earlier is parsed as that feed's next body, and the guess is checked against the feed
        the parsed file names (on a wrong guess it is parsed again, whole). Relative links
        resolve against the given feed's URL; a file's own feed is unknown when it is parsed,
        so they stay relative then (real feeds rarely have any).
        """
        if self.feed is not None:
            if self.whole_bodies:
                return parse_feed(body, url=self.feed.url), self.feed
            return self.pipeline.parse(self.feed, body), self.feed
        mark = None if self.whole_bodies else feed_mark(body)
        guess = self._marks.get(mark) if mark is not None else None
        if guess is not None:
            with contextlib.suppress(NotAFeedError):  # the whole body says why
                parsed = self.pipeline.parse(guess, body, url="")
                if identify(parsed, path, self.feeds, self.max_age) == guess:
                    return parsed, guess
        parsed = parse_feed(body, url="")
        feed = identify(parsed, path, self.feeds, self.max_age)
        if mark is not None and not feed.url.startswith("file:"):  # a file's own: no next body
            self._marks[mark] = feed
        return parsed, feed

    def run(self, paths: Iterable[Path]) -> ReplayReport:
        for path in paths:
            self.replay_file(path)
        return self.report

    def replay_file(self, path: Path, at: datetime | None = None) -> PollReport | None:
        """Ingest one file (as polled at `at`, default its capture time); None when it holds
        no feed (recorded in the report's `not_feeds`, for the caller to show).
        UnreadableFileError when it cannot be read: not a regular file (a FIFO would block),
        larger than `max_bytes` as it is or unpacked, or a broken gzip file."""
        raw = read_regular(path, self.max_bytes)
        body = unpacked(path, raw, self.max_bytes)
        try:
            parsed, feed = self._parse(path, body)
        except NotAFeedError as exc:
            self.report.files += 1
            self.report.not_feeds.append((str(path), str(exc)))
            log.debug("replay skipped file=%s error=%s", path, exc)  # the caller reports it
            return None
        now = at or capture_time(path, raw)
        report = self.pipeline.replay_parsed(
            feed, parsed, now, alert=True if self.alert_backlog else None
        )
        self.report.add(report)
        return report
