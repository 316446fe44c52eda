"""Commands for what is not delivered yet: `outbox` (list) and `outbox retry ID|--all`.

Both read the database named by the config (no chat secrets needed) and may run while the
service does: a requeued row is picked up by its next delivery pass.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from watcher import config
from watcher.cli.common import EXIT_FAIL, EXIT_OK
from watcher.model import Delivery, DeliveryStatus
from watcher.requeue import retry
from watcher.store import Store
from watcher.store.desk import ChannelState, Notice


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    outbox = sub.add_parser(
        "outbox", help="alerts not delivered yet (pending or failed) and why; requeue them"
    )
    outbox.add_argument("--json", action="store_true", help="print a JSON object")
    outbox.set_defaults(handler=cmd_outbox)
    actions = outbox.add_subparsers(dest="outbox_command", metavar="ACTION")
    retry = actions.add_parser("retry", help="requeue a failed or waiting delivery (or all)")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", type=int, metavar="ID", help="a delivery id")
    which.add_argument("--all", action="store_true", help="every failed or waiting delivery")
    retry.set_defaults(handler=cmd_retry)


def _store(args: argparse.Namespace) -> Store:
    return Store(config.load(config.config_path(args.config)).storage.path)


def cmd_outbox(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        rows = store.outbox_rows()
        failing = [s for s in store.channel_states() if s.failing_since is not None]
        notices = store.notices(("pending", "failed"))
    finally:
        store.close()
    if args.json:
        print(json.dumps(_as_json(rows, failing, notices), indent=2, ensure_ascii=False))
        return EXIT_OK
    for state in failing:
        print(_failing_line(state))
    if not rows and not notices:
        print("outbox empty: every alert has been delivered")
        return EXIT_OK
    if rows:
        print(f"{'ID':>6}  {'CHANNEL':<16} {'STATUS':<14} {'TRIES':>5}  {'NEXT ATTEMPT':<20} STORY")
        for delivery, title in rows:
            print(_row_line(delivery, title))
    for notice in notices:
        print(f"admin notice #{notice.id} {notice.status} tries={notice.attempts}: {notice.text}")
        if notice.last_error:
            print(f"        last error: {notice.last_error}")
    return EXIT_OK


def cmd_retry(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        found, message = retry(store, None if args.all else args.id, datetime.now(UTC))
    finally:
        store.close()
    print(message if found else f"watcher: {message}")
    return EXIT_OK if found else EXIT_FAIL


def _when(moment: datetime | None) -> str:
    return "now" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _row_line(delivery: Delivery, title: str) -> str:
    status = delivery.status.value
    if delivery.status is DeliveryStatus.PENDING and delivery.sent_version > 0:
        status += " (edit)"
    next_attempt = "-" if delivery.status is DeliveryStatus.FAILED else _when(delivery.next_attempt)
    line = (
        f"{delivery.id:>6}  {delivery.channel:<16} {status:<14} {delivery.attempts:>5}  "
        f"{next_attempt:<20} {title}"
    )
    if delivery.last_error:
        line += f"\n        last error: {delivery.last_error}"
    return line


def _failing_line(state: ChannelState) -> str:
    held = f", held until {_when(state.hold_until)} UTC" if state.hold_until else ""
    return (
        f"channel {state.channel} failing since {_when(state.failing_since)} UTC{held}: "
        f"{state.failing_reason}"
    )


def _as_json(
    rows: list[tuple[Delivery, str]], failing: list[ChannelState], notices: list[Notice]
) -> dict[str, object]:
    return {
        "deliveries": [
            {
                "id": d.id,
                "channel": d.channel,
                "story_id": d.story_id,
                "title": title,
                "status": d.status.value,
                "attempts": d.attempts,
                "next_attempt": None if d.next_attempt is None else d.next_attempt.isoformat(),
                "last_error": d.last_error,
            }
            for d, title in rows
        ],
        "failing_channels": [
            {"channel": s.channel, "since": _when(s.failing_since), "reason": s.failing_reason}
            for s in failing
        ],
        "notices": [
            {"id": n.id, "status": n.status, "text": n.text, "last_error": n.last_error}
            for n in notices
        ],
    }
