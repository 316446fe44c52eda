"""Talking to systemd: sd_notify(3) messages over $NOTIFY_SOCKET, and the watchdog's period.

`Notifier` is built from the environment systemd gives a Type=notify service: NOTIFY_SOCKET
(an AF_UNIX datagram socket; "@name" is Linux's abstract namespace) and, with WatchdogSec=,
WATCHDOG_USEC (and WATCHDOG_PID, which must be this process). Outside systemd every call is a
quiet no-op, so `watcher run` behaves the same in a terminal.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from datetime import timedelta

log = logging.getLogger("watcher.notify")


class Notifier:
    def __init__(self, environ: Mapping[str, str], pid: int | None = None) -> None:
        address = environ.get("NOTIFY_SOCKET", "")
        if address.startswith("@"):
            address = "\0" + address[1:]
        self.address = address or None
        self.watchdog = _watchdog_period(environ, os.getpid() if pid is None else pid)
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, **fields: str) -> bool:
        """One datagram of KEY=value lines, e.g. send(READY="1", STATUS="feeds 3 ok")."""
        if self.address is None:
            return False
        text = "\n".join(f"{k}={_one_line(v)}" for k, v in fields.items())
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.connect(self.address)
                sock.sendall(text.encode())
        except OSError as exc:
            if not self._warned:  # once: a missing socket would otherwise log every ping
                log.warning("sd_notify failed error=%s", exc)
                self._warned = True
            return False
        return True

    def ready(self, status: str) -> bool:
        return self.send(READY="1", STATUS=status)

    def status(self, status: str) -> bool:
        return self.send(STATUS=status)

    def ping(self) -> bool:
        return self.send(WATCHDOG="1")

    def stopping(self) -> bool:
        return self.send(STOPPING="1", STATUS="stopping: finishing in-flight polls and sends")

    @property
    def ping_every(self) -> timedelta | None:
        """Half the watchdog period, as sd_watchdog_enabled(3) advises; None when it is off."""
        return None if self.watchdog is None else self.watchdog / 2


def _watchdog_period(environ: Mapping[str, str], pid: int) -> timedelta | None:
    usec = environ.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    owner = environ.get("WATCHDOG_PID", "")
    if owner and owner != str(pid):  # meant for another process (e.g. our parent)
        return None
    return timedelta(microseconds=int(usec))


def _one_line(value: str) -> str:
    return " ".join(value.split())
