"""The command line: `watcher COMMAND`. Each module here registers a group of commands.

    service.py  run, poll-once, demo
    desk.py     check, test-rule, stories
    ops.py      status, backup, db check, db prune
    feeds.py    feeds (list, import, export, enable), replay
    outbox.py   outbox, outbox retry
    web.py      web adduser
    chat.py     mutes, feedback export

Exit codes: 0 success; 1 a check failed, a rule did not match, or the config/rules are invalid;
2 a command-line or query syntax error; 141 (128 + SIGPIPE, as other tools) when the reader of
stdout went away (`watcher stories | head`).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from watcher import __version__
from watcher.cli import chat, desk, feeds, ops, outbox, service, web
from watcher.cli.common import EXIT_FAIL
from watcher.errors import ConfigError, RuleError, StoreError, UnreadableFileError
from watcher.store.damage import damaged, is_damaged

GROUPS = (service, desk, ops, feeds, outbox, web, chat)
EXIT_BROKEN_PIPE = 141  # what a shell shows for a tool killed by SIGPIPE
CONFIG_HELP = "config file (default: $WATCHER_CONFIG, else ./config.toml)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="watcher",
        description="News-desk alerting: polls feeds, groups items into stories, matches the "
        "desk's rules and alerts Telegram, Slack or the console.",
    )
    parser.add_argument("--version", action="version", version=f"watcher {__version__}")
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    _config_after_command(sub)
    return parser


def _config_after_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`watcher run --config FILE` as well as `watcher --config FILE run`, as unit files and cron
    lines are often written. SUPPRESS leaves the top-level value alone when a command has none."""
    for command in set(sub.choices.values()):
        command.add_argument(
            "--config", metavar="FILE", default=argparse.SUPPRESS, help=CONFIG_HELP
        )
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _config_after_command(action)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code = _handle(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
    except BrokenPipeError:
        # The reader (`| head`) has what it wanted: stop quietly. Python would report the
        # unflushed rest at exit, so stdout is pointed at /dev/null first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def _handle(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
    except (ConfigError, RuleError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAIL
    except (StoreError, UnreadableFileError) as exc:
        print(f"watcher: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except sqlite3.DatabaseError as exc:  # met after opening: corruption deeper in the file
        if not is_damaged(exc):
            raise
        print(f"watcher: {damaged(exc)}", file=sys.stderr)
        return EXIT_FAIL
    return code
