"""A channel that prints alerts as plain text to a stream (stdout by default).

Used by `watcher demo` and for desks that only want a log. It can "edit": an update prints the
story again under an "updated" banner naming the message it replaces, and a follow-up (a
development of the story) under a banner naming the alert it follows. Messages are numbered from
`start` + 1; the composition root passes the highest number the database holds, so the numbers
go on across restarts and an "updated" banner never names two different alerts.
"""

from __future__ import annotations

import sys
from typing import TextIO

from watcher.delivery.pacing import Limit
from watcher.model import Alert
from watcher.render import render_plain

__all__ = ["ConsoleChannel"]


class ConsoleChannel:
    can_edit = True
    can_reply = True

    def __init__(self, name: str, *, stream: TextIO | None = None, start: int = 0) -> None:
        self.name = name
        self._stream = stream
        self._count = start

    def __repr__(self) -> str:
        return f"ConsoleChannel({self.name!r})"

    def _write(self, banner: str, alert: Alert) -> None:
        # Resolved per write so that pytest's capsys (which swaps sys.stdout) sees the output.
        stream = self._stream if self._stream is not None else sys.stdout
        stream.write(f"{banner}\n{render_plain(alert)}\n\n")
        stream.flush()

    @property
    def chat(self) -> None:
        return None

    def move_to(self, chat: str) -> None:
        return None  # a stream has no chat to move

    def limits(self) -> tuple[Limit, ...]:
        return ()  # a terminal takes any pace

    async def send(self, alert: Alert) -> str:
        self._count += 1
        ref = str(self._count)
        self._write(f"=== [{self.name}] alert #{ref} ===", alert)
        return ref

    async def edit(self, ref: str, alert: Alert) -> str:
        self._write(f"=== [{self.name}] alert #{ref} updated ===", alert)
        return ref

    async def reply(self, ref: str, alert: Alert) -> str:
        self._count += 1
        number = str(self._count)
        self._write(f"=== [{self.name}] alert #{number}: follow-up to alert #{ref} ===", alert)
        return number

    async def aclose(self) -> None:
        return None
