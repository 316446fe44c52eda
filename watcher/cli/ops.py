"""Commands for whoever runs the server: `status`, `backup`, `db check`, `db prune`.

None of them needs the channels' secrets, and `status`, `backup` and `db check` never change
the database (not even to migrate it), so they are safe to run beside the service, as its
user or as any user who may read the file. `status` exits 0 when healthy and 1 when degraded,
which is all a monitor needs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sqlite_utils

from watcher import config
from watcher.app import utc_now
from watcher.cli.common import EXIT_FAIL, EXIT_OK, setup_logging
from watcher.config import Settings
from watcher.health import Health, assess
from watcher.store import Store
from watcher.store.maintenance import backup, check, connect_existing, prune
from watcher.store.schema import SCHEMA_VERSION
from watcher.store.state import ServiceRecord, channel_backlogs, feed_states, read_state


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
    settings = _settings(args)
    health = snapshot(settings)
    print(json.dumps(health.as_json(), indent=2) if args.json else health.text())
    return EXIT_OK if health.healthy else EXIT_FAIL


def snapshot(settings: Settings) -> Health:
    """Health as the database says, judged from outside the service."""
    conn = connect_existing(settings.storage.path)
    try:
        db = sqlite_utils.Database(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version != SCHEMA_VERSION:
            return _schema_mismatch(settings, read_state(db), version)
        return assess(
            feeds=settings.feeds(),
            states=feed_states(db),
            service=read_state(db),
            channels=channel_backlogs(db),
            now=utc_now(),
        )
    finally:
        conn.close()


def _schema_mismatch(settings: Settings, record: ServiceRecord, version: int) -> Health:
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
        feeds_total=len(settings.feed),
        feeds_ok=0,
        failing_feeds=(),
        outbox_depth=0,
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
        f"{retention.days} days; {report.remembered} keys remembered, "
        f"{report.forgotten} forgotten"
    )
    return EXIT_OK
