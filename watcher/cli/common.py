"""What every command shares: exit codes and logging set-up (nothing heavy: every command's
start-up imports this)."""

from __future__ import annotations

import logging
import sys

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
