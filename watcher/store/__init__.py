"""SQLite state through sqlite-utils: feeds, items, stories, rule matches and the outbox.

The database runs in WAL mode so `watcher stories` and `watcher status` can read while the service
writes. The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes a database
from version n to n+1 and an upgrade never drops data.

Layout. Every table's SQL lives in a module of plain functions whose first argument is the
sqlite-utils ``Database``; `Store` (here) opens and migrates the database (its pragmas are the
only SQL here), holds the service's connection and hands each of its methods on to one of those
functions (the list in its body says which). What runs without a Store (`watcher status` must
not migrate; backup and check open the file themselves) calls the same functions on its own
connection.

    feeds.py        feeds: each feed's state, validators, schedule and health
    items.py        items: every report stored, its key and link; remembered pruned keys
    stories.py      stories and story_matches: a story read back, the rules that matched it;
                    story_merges: a younger story folded into an older one
    outbox.py       deliveries: one row per story and channel, to send or edit
    followups.py    followups: developments sent as replies to their alert
    bursts.py       bursts: many new stories from one feed in one poll, told as one
    desk.py         channel_state, sends, incidents and notices (the admin channel's outbox)
    talk.py         mutes, bot_offsets, chat_handled, story_pairs: the desk talking back (15)
    state.py        service_state: the service's record of itself; the outbox per channel
    maintenance.py  backup, integrity check, the retention prune
    damage.py       a corrupt or lost database told apart, with what to do
    lock.py         one process at a time polls and delivers from a database
    schema.py       the migrations;  timestamps.py  how datetimes are stored
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import sqlite_utils

from watcher.errors import StorageError, StoreError
from watcher.model import FeedState
from watcher.store import bursts, desk, feeds, followups, items, outbox, state, stories, talk
from watcher.store.damage import check_not_lost, damaged, is_damaged, marker_path, write_marker
from watcher.store.schema import SCHEMA_VERSION, migrate, schema_version

__all__ = ["SCHEMA_VERSION", "Store", "storage_errors"]

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def storage_errors() -> Iterator[None]:
    """Translate what SQLite says when it cannot write ("database or disk is full", "disk I/O
    error", "database is locked") into StorageError, for the service to pause and retry."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise StorageError(f"SQLite: {exc}") from exc


def _on_db(
    function: Callable[Concatenate[sqlite_utils.Database, P], R],
) -> Callable[Concatenate[Store, P], R]:
    """`function(db, ...)` as a Store method `store.function(...)` on the store's connection."""

    def method(store: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return function(store.db, *args, **kwargs)

    method.__name__ = method.__qualname__ = function.__name__
    method.__doc__ = function.__doc__
    return method


class Store:
    """All reads and writes of watcher's database on one connection. One instance per thread."""

    def __init__(self, path: Path | str, *, new_database: bool = False) -> None:
        """Open (or create) the database. An empty or missing one that held history is refused
        unless `new_database` (store/damage.py); a corrupt one is DatabaseDamagedError."""
        self.path = Path(path)
        check_not_lost(self.path, new_database=new_database)
        try:
            self.db = sqlite_utils.Database(str(self.path))
            self.db.execute("PRAGMA busy_timeout = 5000")
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA synchronous = NORMAL")
            migrate(self.db, self.path)
        except sqlite3.DatabaseError as exc:
            if is_damaged(exc):
                raise damaged(exc, self.path) from exc
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        self._marked = marker_path(self.path).exists()  # see save_feed_state

    def close(self) -> None:
        self.db.close()

    def checkpoint(self) -> None:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @property
    def schema_version(self) -> int:
        return schema_version(self.db)

    def probe_write(self, size: int) -> None:
        """Write `size` bytes and take them away again, each committed: StorageError while the
        disk (or `max_page_count`) leaves no room for that much."""
        with storage_errors():
            state.probe_write(self.db, size)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.atomic():
            yield

    def save_feed_state(self, state: FeedState) -> None:
        feeds.save_feed_state(self.db, state)
        if not self._marked:  # a feed has been polled: the database holds history from now on
            write_marker(self.path)
            self._marked = True  # a folder that takes no file is not asked again

    # feeds.py
    feed_state = _on_db(feeds.feed_state)
    feed_states = _on_db(feeds.feed_states)
    enable_feed = _on_db(feeds.enable_feed)

    # items.py
    item_hash = _on_db(items.item_hash)
    link_seen = _on_db(items.link_seen)
    link_key_seen = _on_db(items.link_key_seen)
    add_item = _on_db(items.add_item)
    update_item_text = _on_db(items.update_item_text)
    items_since = _on_db(items.items_since)
    latest_published = _on_db(items.latest_published)
    recent_items = _on_db(items.recent_items)
    items_by_key = _on_db(items.items_by_key)
    items_per_feed = _on_db(items.items_per_feed)

    # stories.py
    new_story = _on_db(stories.new_story)
    story = _on_db(stories.story)
    split_latest = _on_db(stories.split_latest)
    merge_stories = _on_db(stories.merge_stories)
    unmerge_latest = _on_db(stories.unmerge_latest)
    story_sources = _on_db(stories.story_sources)
    story_feeds = _on_db(stories.story_feeds)
    recent_stories = _on_db(stories.recent_stories)
    search_stories = _on_db(stories.search_stories)
    story_rules = _on_db(stories.story_rules)
    add_match = _on_db(stories.add_match)

    # outbox.py
    want_delivery = _on_db(outbox.want_delivery)
    bump_story = _on_db(outbox.bump_story)
    due_deliveries = _on_db(outbox.due_deliveries)
    pending_deliveries = _on_db(outbox.pending_deliveries)
    queued = _on_db(outbox.queued)
    channels_with_pending = _on_db(outbox.channels_with_pending)
    delivery = _on_db(outbox.delivery)
    mark_sent = _on_db(outbox.mark_sent)
    mark_skipped = _on_db(outbox.mark_skipped)
    mark_retry = _on_db(outbox.mark_retry)
    mark_failed = _on_db(outbox.mark_failed)
    requeue = _on_db(outbox.requeue)
    next_attempt_time = _on_db(outbox.next_attempt_time)
    last_message_number = _on_db(outbox.last_message_number)
    outbox_depth = _on_db(outbox.outbox_depth)
    failed_count = _on_db(outbox.failed_count)
    outbox_rows = _on_db(outbox.outbox_rows)
    story_deliveries = _on_db(outbox.story_deliveries)

    # followups.py
    shown_alerts = _on_db(followups.shown_alerts)
    add_followup = _on_db(followups.add_followup)
    pending_followups = _on_db(followups.pending_followups)
    has_pending_followups = _on_db(followups.has_pending_followups)
    mark_followup = _on_db(followups.mark_followup)
    fold_followups = _on_db(followups.fold_followups)

    # bursts.py
    settle_poll = _on_db(bursts.settle_poll)
    settle_open = _on_db(bursts.settle_open)
    fold_some = _on_db(bursts.fold_some)
    release = _on_db(bursts.release)
    burst = _on_db(bursts.burst)
    drop_burst = _on_db(bursts.drop_burst)

    # desk.py
    channel_state = _on_db(desk.channel_state)
    channel_states = _on_db(desk.channel_states)
    record_chat_move = _on_db(desk.record_chat_move)
    mark_channel_failing = _on_db(desk.mark_channel_failing)
    clear_channel_failing = _on_db(desk.clear_channel_failing)
    release_channel_holds = _on_db(desk.release_channel_holds)
    set_last_digest = _on_db(desk.set_last_digest)
    record_send = _on_db(desk.record_send)
    sends_since = _on_db(desk.sends_since)
    open_incident = _on_db(desk.open_incident)
    close_incident = _on_db(desk.close_incident)
    incident_is_open = _on_db(desk.incident_is_open)
    open_incidents = _on_db(desk.open_incidents)
    queue_notice = _on_db(desk.queue_notice)
    notices = _on_db(desk.notices)
    mark_notice = _on_db(desk.mark_notice)
    requeue_notices = _on_db(desk.requeue_notices)

    # talk.py
    add_mute = _on_db(talk.add_mute)
    remove_mute = _on_db(talk.remove_mute)
    live_mutes = _on_db(talk.live_mutes)
    prune_mutes = _on_db(talk.prune_mutes)
    bot_offset = _on_db(talk.bot_offset)
    save_bot_offset = _on_db(talk.save_bot_offset)
    handled_deliveries = _on_db(talk.handled_deliveries)
    save_handled = _on_db(talk.save_handled)
    alerted_story_ids = _on_db(talk.alerted_story_ids)
    story_shown_as = _on_db(talk.story_shown_as)
    alert_ref = _on_db(talk.alert_ref)
    add_split_pair = _on_db(talk.add_split_pair)
    record_kept_joins = _on_db(talk.record_kept_joins)
    labelled_pairs = _on_db(talk.labelled_pairs)
