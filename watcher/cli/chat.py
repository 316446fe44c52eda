"""Commands for what the desk says in its chat (issue 15): `mutes`, `feedback export`.

Both read the database named by the config and may run beside the service.
"""

from __future__ import annotations

import argparse
import json

from watcher import config
from watcher.app import utc_now
from watcher.cli.common import EXIT_OK
from watcher.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mutes = sub.add_parser("mutes", help="rules and stories muted in a channel, and until when")
    mutes.add_argument("--json", action="store_true", help="print a JSON array")
    mutes.set_defaults(handler=cmd_mutes)


def _store(args: argparse.Namespace) -> Store:
    return Store(config.load(config.config_path(args.config)).storage.path)


def cmd_mutes(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        mutes = store.live_mutes(utc_now())
    finally:
        store.close()
    if args.json:
        print(json.dumps([m.as_json() for m in mutes], indent=2, ensure_ascii=False))
    elif not mutes:
        print("no mutes in force")
    for mute in mutes if not args.json else ():
        by = f" (by {mute.by})" if mute.by else ""
        print(
            f"{mute.channel}: {mute.kind} {mute.target} until {mute.until:%Y-%m-%d %H:%M} UTC{by}"
        )
    return EXIT_OK
