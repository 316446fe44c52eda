"""One process at a time polls and delivers from a database: an flock on a file beside it.

`watcher run` and `watcher poll-once` each hold an exclusive `flock` on `<database>.lock` for
their whole life. The kernel releases it when the process ends, however it ends (SIGKILL and
crashes included), so a stale lock never needs clearing by hand. The file holds the holder's
pid and command, for the refusal message only: the lock itself, not the file, is the truth.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from watcher.errors import DatabaseInUseError


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class ProcessLock:
    """The held lock; `release` (or the process's end) lets the next one in."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor drops the flock
            self._fd = None


def hold(database: Path, command: str) -> ProcessLock:
    """Take the database's process lock for `command`, or raise DatabaseInUseError at once."""
    path = lock_path(database)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
        os.close(fd)
        raise DatabaseInUseError(
            f"the database {database} is in use by another watcher process ({holder}); "
            "two processes polling and delivering from one database would send alerts twice. "
            "Stop the other one first (`watcher status` shows the running service)."
        ) from None
    except OSError:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, watcher {command}\n".encode(), 0)
    return ProcessLock(path, fd)
