"""Bursts: many new matching stories from one feed in one poll, told as one message.

A poll's new outbox rows are written *open* (``message_ref`` = ``open:<feed url>``): delivery
does not see them yet. A big body is ingested in several transactions (pipeline.py), so this is
what keeps a half-read burst from going out alert by alert. When the poll ends, `settle_poll`
decides per channel: up to `limit` rows are released as ordinary alerts; more fold into one
*burst* (table ``bursts``): the first story's row carries the message (the count and the first
few stories), the others are marked shown by it (``digest:burst``), so a later source of one of
them alerts afresh. A crash between a poll's transactions leaves open rows; `settle_open` (run
at start-up) settles them the same way, so nothing is lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from watcher.store.timestamps import ts

__all__ = ["BURST_SHOWN", "OPEN_REF", "Burst", "BurstMixin", "open_ref"]

OPEN_REF = "open:"
BURST_SHOWN = 5  # stories a burst's message lists by name
FOLDED_REF = "digest:burst"  # starts like a digest's ref: a later edit sends a fresh message


def open_ref(feed_url: str) -> str:
    return OPEN_REF + feed_url


@dataclass(frozen=True, slots=True)
class Burst:
    """What a burst's message says: which feed, how many stories, the first few by id."""

    feed: str
    count: int
    story_ids: tuple[int, ...]


class BurstMixin:
    db: sqlite_utils.Database

    def settle_poll(self, feed_url: str, feed_name: str, limit: int, now: datetime) -> int:
        """Release the poll's open rows, or fold each channel's into a burst when it has more
        than `limit`; how many rows were folded."""
        ref = open_ref(feed_url)
        folded = 0
        for (channel,) in self.db.execute(
            "SELECT DISTINCT channel FROM deliveries WHERE status = 'pending' AND message_ref = ?",
            [ref],
        ).fetchall():
            folded += self._settle(str(channel), ref, feed_name, limit, now)
        return folded

    def settle_open(self, limit: int, now: datetime) -> int:
        """Settle the open rows a crash left (run before delivery starts); rows folded."""
        folded = 0
        for channel, ref in self.db.execute(
            "SELECT DISTINCT channel, message_ref FROM deliveries "
            "WHERE status = 'pending' AND message_ref LIKE 'open:%'"
        ).fetchall():
            url = str(ref)[len(OPEN_REF) :]
            row = self.db.execute("SELECT name FROM feeds WHERE url = ?", [url]).fetchone()
            folded += self._settle(str(channel), str(ref), str(row[0]) if row else url, limit, now)
        return folded

    def _settle(self, channel: str, ref: str, feed_name: str, limit: int, now: datetime) -> int:
        where = "channel = ? AND status = 'pending' AND message_ref = ?"
        count = int(
            self.db.execute(f"SELECT count(*) FROM deliveries WHERE {where}", [channel, ref])
            .fetchone()[0]
        )
        if count <= limit:
            self.db.execute(
                f"UPDATE deliveries SET message_ref = NULL WHERE {where}", [channel, ref]
            )
            return 0
        first = self.db.execute(
            "SELECT d.id, d.story_id FROM deliveries d JOIN stories s ON s.id = d.story_id "
            "WHERE d.channel = ? AND d.status = 'pending' AND d.message_ref = ? "
            "ORDER BY s.first_seen, d.id LIMIT ?",
            [channel, ref, BURST_SHOWN],
        ).fetchall()
        carrier = int(first[0][0])
        self.db.execute(
            "INSERT OR REPLACE INTO bursts (delivery_id, feed, count, stories, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [carrier, feed_name, count, json.dumps([int(r[1]) for r in first]), ts(now)],
        )
        self.db.execute("UPDATE deliveries SET message_ref = NULL WHERE id = ?", [carrier])
        self.db.execute(
            "UPDATE deliveries SET status = 'sent', sent_version = version, message_ref = ?, "
            f"updated_at = ? WHERE {where}",
            [FOLDED_REF, ts(now), channel, ref],
        )
        return count - 1

    def burst(self, delivery_id: int) -> Burst | None:
        row = self.db.execute(
            "SELECT feed, count, stories FROM bursts WHERE delivery_id = ?", [delivery_id]
        ).fetchone()
        if row is None:
            return None
        return Burst(str(row[0]), int(row[1]), tuple(int(s) for s in json.loads(row[2])))

    def drop_burst(self, delivery_id: int) -> None:
        """The burst's message is shown: later news of its first story alerts as usual."""
        self.db.execute("DELETE FROM bursts WHERE delivery_id = ?", [delivery_id])
