"""Commands for what the desk says in its chat (issue 15): `mutes`, `feedback export`.

Both read the database named by the config and may run beside the service.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC
from pathlib import Path

from watcher import config
from watcher.assembly import utc_now
from watcher.cli.common import EXIT_OK
from watcher.model import Item
from watcher.store import Store
from watcher.store.talk import LabelledPair


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mutes = sub.add_parser("mutes", help="rules and stories muted in a channel, and until when")
    mutes.add_argument("--json", action="store_true", help="print a JSON array")
    mutes.set_defaults(handler=cmd_mutes)
    feedback = sub.add_parser("feedback", help="the desk's corrections of the story grouping")
    actions = feedback.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="labelled item pairs (splits, joins kept a day) as JSON lines"
    )
    export.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE")
    export.set_defaults(handler=cmd_feedback_export)


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


def cmd_feedback_export(args: argparse.Namespace) -> int:
    """One JSON object a line per labelled pair whose items are still stored (docs: README)."""
    store = _store(args)
    try:
        store.record_kept_joins(utc_now())
        pairs = store.labelled_pairs()
        items = store.items_by_key(sorted({k for p in pairs for k in (p.item_a, p.item_b)}))
    finally:
        store.close()
    lines = [
        json.dumps(pair_json(p, items[p.item_a], items[p.item_b]), ensure_ascii=False)
        for p in pairs
        if p.item_a in items and p.item_b in items
    ]
    text = "".join(line + "\n" for line in lines)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    skipped = len(pairs) - len(lines)
    print(
        f"{len(lines)} labelled pair(s) exported"
        + (f"; {skipped} skipped (their items were pruned)" if skipped else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def pair_json(pair: LabelledPair, a: Item, b: Item) -> dict[str, object]:
    return {
        "label": int(pair.same),
        "origin": pair.origin,
        "labelled_at": pair.created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "a": _item_json(a),
        "b": _item_json(b),
    }


def _item_json(item: Item) -> dict[str, str]:
    return {
        "key": item.key,
        "feed": item.feed_name,
        "link": item.link,
        "title": item.title,
        "summary": item.summary,
        "published": item.published.astimezone(UTC).isoformat(timespec="seconds"),
    }
