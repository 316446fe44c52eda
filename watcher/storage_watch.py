"""A database that cannot be written (a full disk, an I/O error): noticed, told once, outlived.

The service hands every StorageError to `StorageWatch.failed`. The first one opens an incident:
one log line (not a traceback a second), an admin notice, a problem in /healthz, STATUS= and
`watcher status`. Meanwhile the service starts no poll and no delivery pass (a send it could not
mark as sent would go out again every pass). While failing, `ready` tries a real write of
PROBE_BYTES every `retry_every`; the first that works ends the incident: the notice is resolved
and polls and deliveries resume by themselves, with nothing lost (the feeds still hold their
items, the outbox its alerts).

What goes to the database (the notice, the record `watcher status` reads) is written when the
database takes it: often at once (a full `max_page_count` still takes a small row), else once
space is back, when the admin hears of the incident and its end together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from watcher.errors import StorageError
from watcher.store import Store, storage_errors
from watcher.store.state import write_state

log = logging.getLogger("watcher.storage")

INCIDENT = "storage"
PROBE_BYTES = 256 * 1024


class IncidentNotices(Protocol):
    """Where the incident is told (watcher.delivery.admin_notices.Notices)."""

    def raise_(self, key: str, text: str, /) -> object: ...

    def resolve(self, key: str, text: str | None = None, /) -> object: ...


class StorageWatch:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        notices: IncidentNotices | None = None,
        retry_every: timedelta = timedelta(seconds=5),
    ) -> None:
        self.store = store
        self.clock = clock
        self.notices = notices
        self.retry_every = retry_every
        self.failing_since: datetime | None = None
        self.error: str | None = None
        self._recorded = False  # the incident is in the database (status record, notice)
        self._next_probe: datetime | None = None

    @property
    def failing(self) -> bool:
        return self.failing_since is not None

    def failed(self, exc: StorageError) -> None:
        """A write failed: open the incident (once) and wait `retry_every` before probing."""
        now = self.clock()
        self.error = str(exc)
        self._next_probe = now + self.retry_every
        if self.failing_since is None:
            self.failing_since = now
            log.error(
                "storage failing: the database cannot be written (%s); polls and deliveries "
                "wait until it takes writes again (checked every %gs)",
                exc,
                self.retry_every.total_seconds(),
            )
        self._record()

    def ready(self) -> bool:
        """May the service write? While failing, probe when due; True once a write works."""
        if self.failing_since is None:
            return True
        now = self.clock()
        if self._next_probe is not None and now < self._next_probe:
            return False
        try:
            self.store.probe_write(PROBE_BYTES)
            self._recovered(now, self.failing_since)
        except StorageError as exc:
            self.failed(exc)
            return False
        return True

    def _text(self) -> str:
        return (
            f"the database {self.store.path} cannot be written ({self.error}); polls and "
            "deliveries wait, and resume by themselves once it can (free disk space)"
        )

    def _record(self) -> None:
        """Tell the database (status record, admin notice) if it takes it; else try later."""
        if self._recorded or self.failing_since is None:
            return
        try:
            with storage_errors():
                write_state(
                    self.store.db,
                    self.clock(),
                    storage_failing_since=self.failing_since,
                    storage_error=self.error,
                )
                if self.notices is not None:
                    self.notices.raise_(INCIDENT, self._text())
        except StorageError:
            return
        self._recorded = True

    def _recovered(self, now: datetime, since: datetime) -> None:
        self._record()  # an incident the database could not take is told now, then resolved
        with storage_errors():
            write_state(self.store.db, now, storage_failing_since=None, storage_error=None)
            if self.notices is not None:
                self.notices.resolve(
                    INCIDENT,
                    f"the database {self.store.path} takes writes again (failing since "
                    f"{since.isoformat(timespec='seconds')}); polls and deliveries resumed",
                )
        log.warning(
            "storage recovered: the database takes writes again failing_since=%s",
            since.isoformat(timespec="seconds"),
        )
        self.failing_since = None
        self.error = None
        self._recorded = False
        self._next_probe = None
