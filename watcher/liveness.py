"""Is the process the service recorded still alive? Asked by `watcher status` from outside.

The service records its pid and start time in the database (store/state.py). After a `kill -9`
it never records a stop, so the record alone says "running" until the heartbeat goes stale;
the process table says at once. A pid is recycled by the kernel sooner or later, so where
/proc tells when the process at that pid began, one that began after the service's recorded
start is another program, not the service.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

# A process begins before it records its start (imports, config, database). The slack covers
# clock steps since boot, which move the start time /proc implies.
START_SLACK = timedelta(minutes=1)


def process_alive(pid: int, started_at: datetime | None = None, proc: Path = Path("/proc")) -> bool:
    """Whether `pid` is a live process (of any user) that began by `started_at`."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the pid exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, run by another user (the service's own)
    if started_at is None:
        return True
    began = process_start(pid, proc)
    return began is None or began <= started_at + START_SLACK


def process_start(pid: int, proc: Path = Path("/proc")) -> datetime | None:
    """When process `pid` began, from /proc (Linux); None where that cannot be read."""
    try:
        stat = (proc / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
        boot = next(
            int(line.split()[1])
            for line in (proc / "stat").read_text(encoding="ascii").splitlines()
            if line.startswith("btime ")
        )
        # Fields after the command name (which may hold spaces and parentheses): the 22nd
        # field of the line, starttime, is the 20th after the closing parenthesis.
        ticks = int(stat[stat.rindex(")") + 2 :].split()[19])
        hertz = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return datetime.fromtimestamp(boot + ticks / hertz, UTC)
