"""The command line: `watcher COMMAND`. Each module here registers a group of commands.

    service.py  run, poll-once, demo
    desk.py     check, test-rule, stories
    ops.py      status, backup, db check, db prune
    feeds.py    feeds (list, import, export, enable), replay
    outbox.py   outbox, outbox retry

Exit codes: 0 success; 1 a check failed, a rule did not match, or the config/rules are invalid;
2 a command-line or query syntax error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from watcher import __version__
from watcher.cli import desk, feeds, ops, outbox, service
from watcher.cli.common import EXIT_FAIL
from watcher.errors import ConfigError, RuleError, StoreError

GROUPS = (service, desk, ops, feeds, outbox)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="watcher",
        description="News-desk alerting: polls feeds, groups items into stories, matches the "
        "desk's rules and alerts Telegram, Slack or the console.",
    )
    parser.add_argument("--version", action="version", version=f"watcher {__version__}")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: $WATCHER_CONFIG, else ./config.toml)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except (ConfigError, RuleError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAIL
    except StoreError as exc:
        print(f"watcher: {exc}", file=sys.stderr)
        return EXIT_FAIL
    return code
