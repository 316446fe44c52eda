"""What every command shares: exit codes, logging set-up, loading settings and opening the app."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from watcher import config
from watcher.app import App, open_app
from watcher.errors import ConfigError
from watcher.rulebook import load_rules

if TYPE_CHECKING:
    from watcher.metrics import Metrics

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class OneLineFormatter(logging.Formatter):
    """journald stores each line of stderr as an entry of its own, so the continuation lines of
    one event (a traceback, a list of rule errors) are folded into its line with " | "."""

    def format(self, record: logging.LogRecord) -> str:
        return " | ".join(line for line in super().format(record).splitlines() if line.strip())


def setup_logging(level: str = "INFO") -> None:
    """One line per event on stderr (journald adds the time); never a secret."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and a Telegram API URL carries the bot token.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Jobs run one instance at a time by design: a paced delivery pass outlasting its interval
    # makes the scheduler warn "skipped: maximum number of running instances" every tick.
    # A job's own exception is still logged, by apscheduler.executors at ERROR.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


def open_from_args(
    args: argparse.Namespace,
    exclusive: str | None = None,
    *,
    new_database: bool = False,
    metrics: Metrics | None = None,
) -> App:
    """Config, secrets, rules and database, for the commands that poll or send; `exclusive`
    (the command's name) takes the database's process lock (see store/lock.py);
    `new_database` (--new-database) lets an empty one replace a lost one (store/damage.py);
    `metrics` counts the channels' sends (`watcher run`)."""
    path = config.config_path(args.config)
    loaded = config.load(path)
    if missing := loaded.missing_secrets(path):
        raise ConfigError(missing)
    setup_logging(loaded.service.log_level)
    rules = load_rules(loaded.rules.paths, channel_names=loaded.channel.keys())
    return open_app(
        loaded, rules=rules, exclusive=exclusive, new_database=new_database, metrics=metrics
    )
