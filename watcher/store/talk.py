"""The desk talking back (issue 15): mutes, bot update offsets and labelled story pairs.

- ``mutes``: a rule or a story silenced on one channel until a time (watcher/mutes.py decides
  what a mute covers). Setting one again moves its end; lapsed ones are ignored, then pruned.
- ``bot_offsets``: per bot (a hash of its token) the next ``getUpdates`` offset. It is saved
  after the updates below it are handled, so a crash repeats at most the batch in hand and a
  restart never loses one.
- ``chat_handled``: per bot, the ids of the last HANDLED_KEPT deliveries handled that its chat
  service may deliver again (Slack's envelope ids: Socket Mode has no offset), each saved with
  what it changed, so a repeat after a restart is passed over; older ones are pruned as new
  ones come.
- ``story_pairs``: two items and a label, 0 "not the same story" (a desk's split) and 1 "the
  same story" (a join the desk left alone for a day), item keys in sorted order so a pair is
  one row; the desk's split wins over a join recorded before it. A join counts as left alone
  only where a desk could see it: its story's message of its own (not a digest's or a flood's,
  nor a muted one) shows the story as it is. A join no desk was shown would only teach the
  model its own guesses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from watcher.mutes import Mute
from watcher.store.timestamps import dt_required as _dt
from watcher.store.timestamps import ts

KEPT_AFTER = timedelta(days=1)  # a join the desk has not split for this long counts as right
HANDLED_KEPT = 1000  # chat deliveries remembered per bot (Slack repeats within minutes)


@dataclass(frozen=True, slots=True)
class LabelledPair:
    item_a: str
    item_b: str
    same: bool  # True: the same story; False: the desk split them
    origin: str  # "split" or "kept"
    created_at: datetime


# -- mutes -------------------------------------------------------------------------------


def add_mute(db: Database, mute: Mute) -> None:
    db.execute(
        "INSERT INTO mutes (channel, kind, target, until, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, kind, target) DO UPDATE SET "
        "until = excluded.until, created_at = excluded.created_at, "
        "created_by = excluded.created_by",
        [mute.channel, mute.kind, mute.target, ts(mute.until), ts(mute.created_at), mute.by],
    )


def remove_mute(db: Database, channel: str, kind: str, target: str) -> bool:
    cursor = db.execute(
        "DELETE FROM mutes WHERE channel = ? AND kind = ? AND target = ?",
        [channel, kind, target],
    )
    return cursor.rowcount > 0


def prune_mutes(db: Database, now: datetime) -> int:
    return db.execute("DELETE FROM mutes WHERE until <= ?", [ts(now)]).rowcount


# -- bot offsets -------------------------------------------------------------------------


def bot_offset(db: Database, bot: str) -> int:
    row = db.execute("SELECT next_offset FROM bot_offsets WHERE bot = ?", [bot]).fetchone()
    return 0 if row is None else int(row[0])


def save_bot_offset(db: Database, bot: str, offset: int, now: datetime) -> None:
    db.execute(
        "INSERT INTO bot_offsets (bot, next_offset, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (bot) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset), "
        "updated_at = excluded.updated_at",
        [bot, offset, ts(now)],
    )


# -- chat deliveries handled -------------------------------------------------------------


def handled_deliveries(db: Database, bot: str, delivery_ids: Sequence[str]) -> set[str]:
    """Those of `delivery_ids` already handled on `bot`."""
    found: set[str] = set()
    for start in range(0, len(delivery_ids), 500):
        chunk = list(delivery_ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        found.update(
            str(r[0])
            for r in db.execute(
                f"SELECT delivery_id FROM chat_handled WHERE bot = ? AND delivery_id IN ({marks})",
                [bot, *chunk],
            ).fetchall()
        )
    return found


def save_handled(
    db: Database, bot: str, delivery_id: str, now: datetime, keep: int = HANDLED_KEPT
) -> None:
    """Remember `delivery_id` as handled on `bot`, and only the last `keep` of them."""
    db.execute(
        "INSERT OR IGNORE INTO chat_handled (bot, delivery_id, handled_at) VALUES (?, ?, ?)",
        [bot, delivery_id, ts(now)],
    )
    db.execute(
        "DELETE FROM chat_handled WHERE bot = ?1 AND id <= (SELECT id FROM chat_handled "
        "WHERE bot = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
        [bot, keep],
    )


# -- alerts the desk points at -----------------------------------------------------------


def alerted_story_ids(db: Database, channel: str, limit: int = 10) -> list[int]:
    """The stories last shown on `channel` in a message of their own, newest first."""
    return [
        int(r[0])
        for r in db.execute(
            "SELECT story_id FROM deliveries WHERE channel = ? AND sent_version > 0 "
            "AND message_ref IS NOT NULL AND message_ref NOT LIKE 'digest:%' "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            [channel, limit],
        ).fetchall()
    ]


def story_shown_as(db: Database, channel: str, message_ref: str) -> int | None:
    """The story whose alert (or one of its follow-ups) is message `message_ref`."""
    row = db.execute(
        "SELECT story_id FROM deliveries WHERE channel = ?1 AND message_ref = ?2 "
        "UNION ALL SELECT d.story_id FROM followups f "
        "JOIN deliveries d ON d.id = f.delivery_id "
        "WHERE d.channel = ?1 AND f.message_ref = ?2 LIMIT 1",
        [channel, message_ref],
    ).fetchone()
    return None if row is None else int(row[0])


def alert_ref(db: Database, channel: str, story_id: int) -> str | None:
    """The message that shows the story's alert on `channel` now (None: none does)."""
    row = db.execute(
        "SELECT message_ref FROM deliveries WHERE channel = ? AND story_id = ?",
        [channel, story_id],
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


# -- labelled pairs ----------------------------------------------------------------------


def add_split_pair(db: Database, kept: str, split: str, now: datetime) -> None:
    a, b = sorted((kept, split))
    db.execute(
        "INSERT INTO story_pairs (item_a, item_b, label, origin, created_at) "
        "VALUES (?, ?, 0, 'split', ?) ON CONFLICT (item_a, item_b) DO UPDATE SET "
        "label = 0, origin = 'split', created_at = excluded.created_at",
        [a, b, ts(now)],
    )


def record_kept_joins(db: Database, now: datetime, after: timedelta = KEPT_AFTER) -> int:
    """Each item that joined a story (a copy or the same event) at least `after` ago and
    is still in it becomes a positive pair with the story's first item, once a message of
    the story's own shows it (see the module's docstring); how many were recorded."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO story_pairs (item_a, item_b, label, origin, created_at) "
        "SELECT min(seed.key, i.key), max(seed.key, i.key), 1, 'kept', ? FROM items i "
        "JOIN items seed ON seed.rowid = ("
        "  SELECT s.rowid FROM items s WHERE s.story_id = i.story_id "
        "  ORDER BY s.published, s.rowid LIMIT 1) "
        "WHERE i.tier NOT IN ('new', 'same') AND i.fetched_at <= ? AND seed.key != i.key "
        "AND EXISTS (SELECT 1 FROM deliveries d WHERE d.story_id = i.story_id "
        "  AND d.sent_version > 0 AND d.sent_version = d.version AND d.last_error IS NULL "
        "  AND d.message_ref IS NOT NULL AND d.message_ref NOT LIKE 'digest:%')",
        [ts(now), ts(now - after)],
    )
    return cursor.rowcount


def labelled_pairs(db: Database) -> list[LabelledPair]:
    return [
        LabelledPair(r[0], r[1], bool(r[2]), str(r[3]), _dt(r[4]))
        for r in db.execute(
            "SELECT item_a, item_b, label, origin, created_at FROM story_pairs "
            "ORDER BY created_at, item_a, item_b"
        ).fetchall()
    ]


def live_mutes(db: Database, now: datetime, channel: str | None = None) -> list[Mute]:
    """Mutes still in force at `now` (of one channel, or all), soonest to lapse first; works on
    a read-only connection (`watcher status`)."""
    sql = "SELECT channel, kind, target, until, created_at, created_by FROM mutes WHERE until > ?"
    params: list[str | None] = [ts(now)]
    if channel is not None:
        sql += " AND channel = ?"
        params.append(channel)
    return [
        Mute(r[0], r[1], r[2], _dt(r[3]), _dt(r[4]), r[5])
        for r in db.execute(sql + " ORDER BY until, channel, kind, target", params).fetchall()
    ]
