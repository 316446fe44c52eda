"""Admin notices: operational incidents told once to the admin channel, and their resolution.

An *incident* is something an operator should hear about once: a feed failing for an hour, a
channel the bot was removed from, alerts refused for good. Whoever notices it calls:

    notices = Notices(store, clock)
    notices.raise_("feed:https://example.org/rss", "Example has failed for 2h: HTTP 503")
        # -> True: the incident opened and a notice is queued for the admin channel
        # -> False: it was already open; nothing new is sent (however often it is raised)
    notices.resolve("feed:https://example.org/rss")              # -> True if it was open
    notices.resolve("feed:https://example.org/rss", "Example polls fine again")
    notices.is_open("feed:https://example.org/rss")

Keys are free-form; prefix them with what they are about (``feed:URL``, ``channel:NAME:...``)
so two subsystems never share one. A resolved incident raised again is a new incident.

Both calls only write to the database (tables ``incidents`` and ``notices``, store/desk.py),
inside the caller's transaction if there is one, and log one line; they never send anything
and never raise for a chat problem. The Deliverer (deliverer.py) sends queued notices to
``[service] admin_channel`` through the same retry, flood-control and pacing rules as alerts;
without an admin channel they are only logged (status "logged"). `watcher outbox` lists notices
not yet sent. (Not to be confused with notify.py, which talks to systemd.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from watcher.store import Store

__all__ = ["RAISED", "RESOLVED", "Notices"]

log = logging.getLogger("watcher.notices")

RAISED, RESOLVED = "raised", "resolved"


class Notices:
    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def __repr__(self) -> str:
        return f"Notices({self.store.path})"

    def raise_(self, incident_key: str, text: str) -> bool:
        """Open the incident and queue its notice; False (and nothing queued) if already open."""
        now = self.clock()
        with self.store.transaction():
            opened = self.store.open_incident(incident_key, text, now)
            if opened:
                self.store.queue_notice(incident_key, RAISED, text, now)
        if opened:
            log.warning("admin notice raised key=%s text=%s", incident_key, text)
        else:
            log.debug("admin notice still open key=%s", incident_key)
        return opened

    def resolve(self, incident_key: str, text: str | None = None) -> bool:
        """Close the incident and queue a notice saying so; False if it was not open."""
        now = self.clock()
        with self.store.transaction():
            original = self.store.close_incident(incident_key, now)
            if original is not None:
                message = text or f"Resolved: {original}"
                self.store.queue_notice(incident_key, RESOLVED, message, now)
        if original is None:
            return False
        log.info("admin notice resolved key=%s text=%s", incident_key, message)
        return True

    def is_open(self, incident_key: str) -> bool:
        return self.store.incident_is_open(incident_key)
