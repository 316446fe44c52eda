"""Commands for whoever runs the server: `status`, `backup`, `db check`, `db prune`.

None of them needs the channels' secrets, and `status`, `backup` and `db check` never change
the database (not even to migrate it), so they are safe to run beside the service, as its
user or as any user who may read the file. `status` exits 0 when healthy and 1 when degraded,
which is all a monitor needs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import sqlite_utils

from watcher import config
from watcher.assembly import utc_now
from watcher.cli.common import EXIT_FAIL, EXIT_OK, setup_logging
from watcher.config import DefaultsSettings, Settings
from watcher.errors import ConfigError
from watcher.health import Health, assess
from watcher.liveness import process_alive
from watcher.model import Feed, FeedState
from watcher.store import Store
from watcher.store.feeds import feed_states
from watcher.store.maintenance import backup, check, connect_existing, prune
from watcher.store.schema import SCHEMA_VERSION
from watcher.store.state import ServiceRecord, channel_backlogs, read_state
from watcher.store.talk import live_mutes


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = sub.add_parser(
        "status", help="how the service is: exit 0 healthy, 1 degraded (for monitors)"
    )
    status.add_argument("--json", action="store_true", help="print the snapshot as JSON")
    status.set_defaults(handler=cmd_status)
    saved = sub.add_parser("backup", help="copy the database to FILE (safe while the service runs)")
    saved.add_argument("file", metavar="FILE", type=Path)
    saved.set_defaults(handler=cmd_backup)
    db = sub.add_parser("db", help="database upkeep: check, prune")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser(
        "check", help="SQLite integrity and foreign-key check; exit 1 on any problem"
    ).set_defaults(handler=cmd_db_check)
    db_sub.add_parser(
        "prune", help="drop stories older than [stories] retention now (the service does daily)"
    ).set_defaults(handler=cmd_db_prune)


def _settings(args: argparse.Namespace) -> Settings:
    setup_logging("WARNING")
    return config.load(config.config_path(args.config))


def cmd_status(args: argparse.Namespace) -> int:
    setup_logging("WARNING")
    path = config.config_path(args.config)
    try:
        settings = config.load(path)
    except ConfigError as exc:
        # A running service keeps its last good config: report on it all the same.
        health = snapshot(config.storage_path_anyway(path), None, [str(d) for d in exc.diagnostics])
    else:
        health = snapshot(settings.storage.path, settings.feeds())
    print(json.dumps(health.as_json(), indent=2) if args.json else health.text())
    return EXIT_OK if health.healthy else EXIT_FAIL


def snapshot(
    database: Path, feeds: Sequence[Feed] | None, config_errors: Sequence[str] = ()
) -> Health:
    """Health as the database says, judged from outside the service: is its process alive,
    how are the feeds (the configured ones; those the database knows if the config is
    invalid), the rules and the outbox."""
    conn = connect_existing(database)
    try:
        db = sqlite_utils.Database(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        record = read_state(db)
        if version != SCHEMA_VERSION:
            return _schema_mismatch(record, version, config_errors)
        states = feed_states(db)
        now = utc_now()
        return assess(
            feeds=feeds if feeds is not None else [_known_feed(s) for s in states],
            states=states,
            service=record,
            channels=channel_backlogs(db),
            now=now,
            process_alive=_alive(record),
            config_errors=config_errors,
            mutes=live_mutes(db, now),
        )
    finally:
        conn.close()


def _alive(record: ServiceRecord) -> bool | None:
    """What the process table says of the service's recorded pid (None: nothing to ask)."""
    if not record.running or record.pid is None:
        return None
    return process_alive(record.pid, record.started_at)


def _known_feed(state: FeedState) -> Feed:
    return Feed(url=state.url, name=state.name, interval=DefaultsSettings().interval)


def _schema_mismatch(record: ServiceRecord, version: int, config_errors: Sequence[str]) -> Health:
    why = (
        "restart the service to upgrade it"
        if version < SCHEMA_VERSION
        else "this watcher is older than the one that wrote it"
    )
    problem = f"the database has schema {version}, this watcher {SCHEMA_VERSION}: {why}"
    return Health(
        now=utc_now(),
        problems=(problem,),
        service=record,
        feeds_total=0,
        feeds_ok=0,
        failing_feeds=(),
        outbox_depth=0,
        config_errors=tuple(config_errors),
    )


def cmd_backup(args: argparse.Namespace) -> int:
    settings = _settings(args)
    report = backup(settings.storage.path, args.file)
    if report.problems:
        print(f"backup written to {report.target} but it fails its check:")
        print("\n".join(f"  {p}" for p in report.problems))
        return EXIT_FAIL
    print(
        f"backed up {settings.storage.path} to {report.target} "
        f"({report.bytes:,} bytes, schema {report.schema_version}, integrity ok)"
    )
    return EXIT_OK


def cmd_db_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    problems = check(settings.storage.path)
    if problems:
        print(f"{settings.storage.path}: {len(problems)} problem(s)")
        print("\n".join(f"  {p}" for p in problems[:50]))
        return EXIT_FAIL
    print(f"{settings.storage.path}: ok (integrity and foreign keys)")
    return EXIT_OK


def cmd_db_prune(args: argparse.Namespace) -> int:
    settings = _settings(args)
    retention = max(settings.stories.retention, settings.stories.window)
    store = Store(settings.storage.path)
    try:
        report = prune(store.db, utc_now(), retention, remember=retention * 4)
    finally:
        store.close()
    print(
        f"pruned {report.stories} stories and {report.items} items older than "
        f"{_span(retention)}; {report.remembered} keys remembered, "
        f"{report.forgotten} forgotten; {report.notices} admin notices and "
        f"{report.incidents} resolved incidents dropped"
    )
    return EXIT_OK


def _span(period: timedelta) -> str:
    """'30 days', '36 hours', '20 seconds': as a retention was most likely written."""
    seconds = period.total_seconds()
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} seconds"
