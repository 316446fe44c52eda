"""Commands for the feed list and its health: `feeds` (table, import, export, enable), `replay`."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from watcher import config
from watcher.assembly import open_ingester, utc_now
from watcher.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, setup_logging
from watcher.errors import UnreadableFileError
from watcher.feed_report import FeedRow, feed_rows
from watcher.files import MAX_OPML_BYTES, check_regular, read_regular, read_text
from watcher.model import Delivery, FeedState
from watcher.opml import merge_into_config, parse_opml, render_opml
from watcher.redact import redact
from watcher.replay import Replayer, ReplayReport, find_feed
from watcher.rulebook import load_rules
from watcher.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    feeds = sub.add_parser("feeds", help="the feeds and their health; import/export OPML")
    feeds.add_argument("--json", action="store_true", help="print a JSON array")
    feeds.set_defaults(handler=cmd_feeds)
    actions = feeds.add_subparsers(dest="action", metavar="ACTION")
    imp = actions.add_parser("import", help="add the feeds of an OPML file to config.toml")
    imp.add_argument("file", metavar="FILE.opml")
    imp.add_argument("--dry-run", action="store_true", help="show what would be added")
    imp.set_defaults(handler=cmd_import)
    exp = actions.add_parser("export", help="the configured feeds as OPML 2.0")
    exp.add_argument("--output", "-o", metavar="FILE", help="write here (default: stdout)")
    exp.set_defaults(handler=cmd_export)
    enable = actions.add_parser("enable", help="poll a disabled (410 Gone) feed again")
    enable.add_argument("feed", metavar="NAME|URL")
    enable.set_defaults(handler=cmd_enable)

    replay = sub.add_parser("replay", help="ingest saved feed files as if just polled (no network)")
    replay.add_argument("files", metavar="FILE", nargs="+", type=Path)
    replay.add_argument(
        "--feed", metavar="NAME|URL", help="the feed the files belong to (default: by title)"
    )
    replay.add_argument(
        "--dry-run",
        action="store_true",
        help="replay into a throw-away copy of the database; list what would alert",
    )
    replay.add_argument(
        "--alert-backlog", action="store_true", help="alert a feed's first file too"
    )
    replay.set_defaults(handler=cmd_replay)


# -- watcher feeds -----------------------------------------------------------------------------


def cmd_feeds(args: argparse.Namespace) -> int:
    settings = config.load(config.config_path(args.config))
    store = Store(settings.storage.path)
    try:
        rows = feed_rows(settings.feeds(), store, utc_now())
    finally:
        store.close()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
    else:
        print_table(rows)
    return EXIT_OK


def print_table(rows: list[FeedRow]) -> None:
    header = ("NAME", "STATUS", "LAST SUCCESS", "ERRORS", "NEXT POLL", "ITEMS/DAY", "URL")
    table = [header]
    notes: list[str] = []
    for row in rows:
        state = row.state or FeedState(url=row.feed.url, name=row.feed.name)
        name = row.feed.name + ("" if row.configured else " *")
        url = redact(row.feed.url + (f" -> {state.moved_to}" if state.moved_to else ""))
        table.append(
            (
                name,
                row.status(),
                _short_time(state.last_success),
                str(state.error_count),
                _short_time(state.next_poll) if state.disabled_at is None else "-",
                f"{row.per_day:g}",
                url,
            )
        )
        if state.last_error:
            notes.append(f"  {row.feed.name}: {_one_line(redact(state.last_error))}")
        elif state.stale_since is not None:
            notes.append(f"  {row.feed.name}: no new item since {_short_time(state.last_new_at)}")
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    for line in table:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)) + "  " + line[-1])
    if any(not r.configured for r in rows):
        print("* not in the config (removed, or known from `watcher replay`)")
    if notes:
        print("\nlast errors, stale feeds:")
        print("\n".join(notes))


# -- import / export / enable --------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    path = config.config_path(args.config)
    source = Path(args.file)
    try:
        data = read_regular(source, MAX_OPML_BYTES)  # a FIFO would block a plain read
    except UnreadableFileError as exc:
        print(f"watcher feeds import: {exc}", file=sys.stderr)
        return EXIT_USAGE
    feeds = parse_opml(data, source=str(source))
    text = read_text(path) if path.exists() else ""  # regular, capped: see files.py
    merge = merge_into_config(text, feeds, source=source.name, now=utc_now(), config_name=str(path))
    for feed, reason in merge.skipped:
        print(f"skipped: {feed.title or redact(feed.url)} <{redact(feed.url)}>: {reason}")
    for feed in merge.added:
        added = "would add" if args.dry_run else "added"
        print(f"{added}: {feed.title or redact(feed.url)} <{redact(feed.url)}>")
    print(f"{len(merge.added)} added, {len(merge.skipped)} skipped, {len(feeds)} in {source.name}")
    if merge.added and not args.dry_run:
        _write_checked(path, merge.text)
        print(
            f"{path} updated; `systemctl reload watcher` (SIGHUP) makes a running service poll them"
        )
    return EXIT_OK


def _write_checked(path: Path, text: str) -> None:
    """Write the config atomically, and only if the new text loads as a valid config."""
    folder = path.resolve().parent
    fd, tmp_name = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        config.load(tmp)  # ConfigError (printed by main) leaves the old file as it was
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def cmd_export(args: argparse.Namespace) -> int:
    settings = config.load(config.config_path(args.config))
    data = render_opml(settings.feeds(), title="watcher feeds", now=utc_now())
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return EXIT_OK


def cmd_enable(args: argparse.Namespace) -> int:
    settings = config.load(config.config_path(args.config))
    feed = find_feed(settings.feeds(), args.feed)
    url = feed.url if feed else args.feed
    store = Store(settings.storage.path)
    try:
        enabled = store.enable_feed(url)
    finally:
        store.close()
    if not enabled:
        print(f"no feed {args.feed!r} in the database", file=sys.stderr)
        return EXIT_FAIL
    print(f"{redact(url)}: enabled; it is polled at the next tick")
    return EXIT_OK


# -- watcher replay ----------------------------------------------------------------------------


def cmd_replay(args: argparse.Namespace) -> int:
    settings = config.load(config.config_path(args.config))
    setup_logging(settings.service.log_level)
    if unreadable := _unreadable(args.files):  # all of them, before replaying any
        for problem in unreadable:
            print(f"watcher replay: {problem}", file=sys.stderr)
        return EXIT_USAGE
    feeds = settings.feeds()
    feed = None
    if args.feed:
        feed = find_feed(feeds, args.feed)
        if feed is None:
            print(f"--feed {args.feed!r}: not a configured feed name or URL", file=sys.stderr)
            return EXIT_USAGE
    rules = load_rules(settings.rules.paths, channel_names=settings.channel.keys())
    with _database_for(settings, dry_run=args.dry_run) as target:
        # No channels: replay only fills the outbox; the service (or poll-once) sends it.
        ingester = open_ingester(target, rules=rules)
        try:
            before = {d.id: d.version for d in ingester.store.pending_deliveries()}
            replayer = Replayer(
                ingester.pipeline,
                feeds,
                feed=feed,
                alert_backlog=args.alert_backlog,
                max_age=settings.defaults.max_age,
                max_bytes=settings.fetch.max_bytes,
            )
            try:
                replayer.run(args.files)
            except UnreadableFileError as exc:  # found on reading: too large, broken gzip
                print_replay(replayer.report, ingester.store, before, dry_run=args.dry_run)
                print(f"watcher replay: {exc}; stopped at this file", file=sys.stderr)
                return EXIT_USAGE
            print_replay(replayer.report, ingester.store, before, dry_run=args.dry_run)
        finally:
            ingester.close()
    return EXIT_OK


def _unreadable(paths: list[Path]) -> list[UnreadableFileError]:
    """Why each of `paths` that is no regular file cannot be replayed (missing, a folder, a
    FIFO, which would block the read)."""
    problems = []
    for path in paths:
        try:
            check_regular(path)
        except UnreadableFileError as exc:
            problems.append(exc)
    return problems


@contextmanager
def _database_for(settings: config.Settings, *, dry_run: bool) -> Iterator[config.Settings]:
    """The settings to replay with: as they are, or pointing at a throw-away database copy."""
    if not dry_run:
        yield settings
        return
    with tempfile.TemporaryDirectory(prefix="watcher-replay-") as folder:
        copy = Path(folder) / "dry-run.db"
        if settings.storage.path.exists():
            src, dst = sqlite3.connect(settings.storage.path), sqlite3.connect(copy)
            try:
                src.backup(dst)  # one consistent snapshot, even while the service writes
            finally:
                src.close()
                dst.close()
        storage = settings.storage.model_copy(update={"path": copy})
        yield settings.model_copy(update={"storage": storage})


def print_replay(
    report: ReplayReport, store: Store, before: dict[int, int], *, dry_run: bool
) -> None:
    for path, reason in report.not_feeds:
        print(f"skipped {path}: {reason}")
    counts = report.summary()
    print(
        f"replayed {counts['files']} files of {counts['feeds']} feeds "
        f"({counts['backlog_files']} as backlog, {counts['not_feeds']} not feeds): "
        f"{counts['entries']} entries, {counts['new_items']} new items, "
        f"{counts['new_stories']} new stories, {counts['new_alerts']} new alerts, "
        f"{counts['updated_alerts']} alert edits"
        + (f", {counts['too_old']} new items too old to alert" if counts["too_old"] else "")
    )
    changed = [d for d in store.pending_deliveries() if before.get(d.id) != d.version]
    if dry_run:
        for delivery in changed:
            print(_would(delivery, store, edit=delivery.id in before))
        print("dry run: nothing was stored and nothing will be sent")
    elif changed:
        print(
            f"{len(changed)} alerts wait in the outbox; "
            "the service or `watcher poll-once` sends them"
        )


def _would(delivery: Delivery, store: Store, *, edit: bool) -> str:
    story = store.story(delivery.story_id)
    title = story.title if story else f"story {delivery.story_id}"
    verb = "would edit" if edit else "would alert"
    return f"{verb} {delivery.channel}: {title} [{', '.join(delivery.rules)}]"


# -- helpers -----------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _short_time(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
