"""The database schema, as a list of migrations.

``MIGRATIONS[n]`` takes a database from ``PRAGMA user_version`` n to n+1. Never edit a released
migration: append a new one. An upgrade must never lose data (tests/test_store.py upgrades a
database made by the first schema). A step SQL cannot do alone runs from ``BACKFILLS[n]`` in
the same transaction, after ``MIGRATIONS[n]``. `migrate` applies the steps a database lacks.
"""

from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from watcher.errors import StoreError
from watcher.normalize import link_key

MIGRATIONS: list[str] = [
    # 0 -> 1: the first schema.
    """
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        body_hash TEXT,
        last_poll TEXT,
        last_success TEXT,
        last_error TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        next_poll TEXT,
        backlog_done INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE items (
        key TEXT PRIMARY KEY,
        feed_url TEXT NOT NULL,
        feed_name TEXT NOT NULL,
        link TEXT NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        published TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        guid TEXT,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        tier TEXT NOT NULL,
        score REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX items_link ON items(link) WHERE link != '';
    CREATE INDEX items_story ON items(story_id);
    CREATE INDEX items_published ON items(published);
    CREATE TABLE seen_keys (
        key TEXT PRIMARY KEY,
        seen_at TEXT NOT NULL
    );
    CREATE TABLE story_matches (
        story_id INTEGER NOT NULL REFERENCES stories(id),
        rule TEXT NOT NULL,
        terms TEXT NOT NULL,
        matched_at TEXT NOT NULL,
        PRIMARY KEY (story_id, rule)
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        channel TEXT NOT NULL,
        rules TEXT NOT NULL,
        terms TEXT NOT NULL,
        priority INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        sent_version INTEGER NOT NULL DEFAULT 0,
        message_ref TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (story_id, channel)
    );
    CREATE INDEX deliveries_due ON deliveries(status, next_attempt);
    """,
    # 1 -> 2: what the running service records for `watcher status` (when the rules were
    # loaded, the last poll cycle, start and stop), as key/value rows (store/state.py).
    """
    CREATE TABLE service_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2 -> 3: feed health. A permanent redirect's target (polls go there; the configured URL
    # stays the feed's identity), a feed disabled by 410 Gone (when and why), and since when
    # a failing feed has failed and when an admin notice about it went out (so its recovery
    # is announced too).
    """
    ALTER TABLE feeds ADD COLUMN moved_to TEXT;
    ALTER TABLE feeds ADD COLUMN disabled_at TEXT;
    ALTER TABLE feeds ADD COLUMN disabled_reason TEXT;
    ALTER TABLE feeds ADD COLUMN failing_since TEXT;
    ALTER TABLE feeds ADD COLUMN noticed_at TEXT;
    """,
    # 3 -> 4: delivery (store/desk.py). When a row last became due (held alerts are judged by
    # it); per channel where its chat lives now, whether it is failing and held, its last
    # digest; recent sends (pacing, max_per_hour); admin incidents and their notices' outbox.
    """
    ALTER TABLE deliveries ADD COLUMN queued_at TEXT;
    CREATE INDEX deliveries_channel ON deliveries(channel, status, id);
    CREATE TABLE channel_state (
        channel TEXT PRIMARY KEY,
        configured_chat TEXT,
        chat_id TEXT,
        failing_since TEXT,
        failing_reason TEXT,
        hold_until TEXT,
        last_digest_at TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE sends (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        sent_at TEXT NOT NULL
    );
    CREATE INDEX sends_channel ON sends(channel, sent_at);
    CREATE TABLE incidents (
        key TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        occurrences INTEGER NOT NULL DEFAULT 1,
        resolved_at TEXT
    );
    CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        incident_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT,
        last_error TEXT,
        message_ref TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX notices_status ON notices(status, id);
    """,
    # 4 -> 5: a feed's own <ttl> (seconds), so it still stretches the wait when the feed
    # answers 304 and its body is not read.
    """
    ALTER TABLE feeds ADD COLUMN ttl_seconds INTEGER;
    """,
    # 5 -> 6: one article, one item. Each item's link_key (normalize.link_key: the link without
    # scheme, www., trailing slash, ref/source parameters, AMP suffix) is what "seen" is looked
    # up by; _link_keys fills it in for the items already stored, and remembers pruned links
    # ("url:" rows of seen_keys) under their key too, so an upgrade re-alerts nothing.
    """
    ALTER TABLE items ADD COLUMN link_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX items_link_key ON items(link_key) WHERE link_key != '';
    """,
    # 6 -> 7: stale feeds (answering, but nothing new for far longer than usual): when a poll
    # last brought a new item, the recent gaps between such polls (JSON list of seconds), and
    # since when the feed has been told stale.
    """
    ALTER TABLE feeds ADD COLUMN last_new_at TEXT;
    ALTER TABLE feeds ADD COLUMN new_gaps TEXT;
    ALTER TABLE feeds ADD COLUMN stale_since TEXT;
    """,
    # 7 -> 8: follow-ups (store/followups.py): a development of an alerted story, sent as a
    # reply to the alert's message; pending until sent (or folded into a notifying message).
    """
    CREATE TABLE followups (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
        item_key TEXT NOT NULL,
        rules TEXT NOT NULL,
        news TEXT NOT NULL,
        status TEXT NOT NULL,
        message_ref TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX followups_delivery ON followups(delivery_id, status);
    """,
    # 8 -> 9: bursts (store/bursts.py): many new matching stories from one feed in one poll,
    # told as one message carried by the first story's outbox row.
    """
    CREATE TABLE bursts (
        delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id),
        feed TEXT NOT NULL,
        count INTEGER NOT NULL,
        stories TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 9 -> 10: the desk talking back (issue 15, store/talk.py). Time-limited mutes of a rule or
    # a story on one channel; each bot's next getUpdates offset (keyed by a hash of its
    # token, never the token), so a restart neither repeats nor loses a command or a press;
    # labelled item pairs for the story model: a desk's split (0) or a join left alone (1).
    """
    CREATE TABLE mutes (
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        until TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (channel, kind, target)
    );
    CREATE TABLE bot_offsets (
        bot TEXT PRIMARY KEY,
        next_offset INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE story_pairs (
        item_a TEXT NOT NULL,
        item_b TEXT NOT NULL,
        label INTEGER NOT NULL,
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (item_a, item_b)
    );
    """,
    # 10 -> 11: items_link goes. Since 5 -> 6 every lookup by link goes through link_key and
    # its items_link_key index; items_link was read by no query and cost every new item an
    # index write.
    """
    DROP INDEX IF EXISTS items_link;
    """,
    # 11 -> 12: the chat deliveries each bot's poller has handled (store/talk.py), by the id
    # the chat service may deliver them again under (Slack's envelope id), the last ones only:
    # a repeat that comes after a restart (its ack lost when the process stopped) is
    # acknowledged and not handled twice.
    """
    CREATE TABLE chat_handled (
        id INTEGER PRIMARY KEY,
        bot TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        handled_at TEXT NOT NULL,
        UNIQUE (bot, delivery_id)
    );
    """,
    # 12 -> 13: story merges (issue 11, store/stories.py). A report that fits two open stories
    # folds the younger into the older: which story went into which, when, the items it held
    # and the outbox rows that moved with it, so the desk's "not the same story" can undo it.
    """
    CREATE TABLE story_merges (
        absorbed INTEGER PRIMARY KEY REFERENCES stories(id),
        survivor INTEGER NOT NULL REFERENCES stories(id),
        items TEXT NOT NULL,
        deliveries TEXT NOT NULL,
        merged_at TEXT NOT NULL
    );
    CREATE INDEX story_merges_survivor ON story_merges(survivor, merged_at);
    """,
]


def _link_keys(db: sqlite_utils.Database) -> None:
    rows = db.execute("SELECT rowid, link FROM items WHERE link != ''").fetchall()
    db.conn.executemany(
        "UPDATE items SET link_key = ? WHERE rowid = ?", [(link_key(r[1]), r[0]) for r in rows]
    )
    seen = db.execute("SELECT key, seen_at FROM seen_keys WHERE key LIKE 'url:%'").fetchall()
    db.conn.executemany(
        "INSERT OR IGNORE INTO seen_keys (key, seen_at) VALUES (?, ?)",
        [("link:" + link_key(key[4:]), at) for key, at in seen if link_key(key[4:])],
    )


BACKFILLS: dict[int, Callable[[sqlite_utils.Database], None]] = {5: _link_keys}


SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, path: Path) -> None:
    """Take the database at `path` to SCHEMA_VERSION, each step in a transaction of its own;
    StoreError for a database newer than this watcher."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has schema version {current}, newer than this watcher "
            f"({SCHEMA_VERSION}): upgrade watcher or restore a backup"
        )
    for version in range(current, SCHEMA_VERSION):
        with db.atomic():
            for statement in _statements(MIGRATIONS[version]):
                db.execute(statement)
            backfill = BACKFILLS.get(version)
            if backfill is not None:
                backfill(db)
            db.execute(f"PRAGMA user_version = {version + 1}")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
