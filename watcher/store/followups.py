"""Follow-ups: developments of an alerted story, each a reply to the alert (``followups``).

A follow-up belongs to one outbox row (a story on a channel whose message is shown) and names
the report that is the development (developments.py says which are) and why: the rules it
brought, the names and figures it brought. It is written in the same transaction as the item,
and the row is made due with it; delivery sends it as a reply after the row's edit, so a crash
between the two repeats at most one message and loses none.

Statuses: ``pending`` (to send), ``sent`` (the reply's ref is kept), ``folded`` (not sent on
its own: the desk got it in a notifying message anyway, a fresh alert or a webhook update).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from watcher.developments import SHOWN_TEXT, Development
from watcher.model import ShownAlert
from watcher.store.timestamps import dt_required as _dt
from watcher.store.timestamps import ts, ts_exact


@dataclass(frozen=True, slots=True)
class PendingFollowUp:
    id: int
    delivery_id: int
    item_key: str
    rules: tuple[str, ...]
    news: tuple[str, ...]


def shown_alerts(
    db: Database, story_id: int, shown_text: Callable[[str, str], str] | None = None
) -> list[ShownAlert]:
    """The story's rows shown as a message of their own (not in a digest), with what the
    desk has been told of it: the headline, the snippet of the first report's text (the
    item render.lead shows; `shown_text(feed_url, text)`: that text as the alert shows it,
    without its feed's boilerplate), and the earlier follow-ups' headlines."""
    # Runs for every report that joins a story while alerting: plain statements.
    rows = db.conn.execute(
        "SELECT d.id, d.channel, d.rules, d.created_at, s.title FROM deliveries d "
        "JOIN stories s ON s.id = d.story_id WHERE d.story_id = ? "
        "AND d.sent_version > 0 AND d.message_ref IS NOT NULL "
        "AND d.message_ref NOT LIKE 'digest:%'",
        [story_id],
    ).fetchall()
    if not rows:
        return []
    first = db.conn.execute(
        "SELECT feed_url, summary FROM items WHERE story_id = ? "
        "ORDER BY tier != 'new', published, rowid LIMIT 1",
        [story_id],
    ).fetchone()
    text = _snippet(first, shown_text)
    before = _shown_before_merges(db, story_id, shown_text)
    return [
        ShownAlert(
            delivery_id=int(row[0]),
            channel=str(row[1]),
            rules=tuple(json.loads(row[2])),
            alerted_at=_dt(row[3]),
            known=(
                str(row[4]),
                text,
                *_followup_titles(db, int(row[0])),
                *before.get(int(row[0]), ()),
            ),
        )
        for row in rows
    ]


def _shown_before_merges(
    db: Database, story_id: int, shown_text: Callable[[str, str], str] | None
) -> dict[int, list[str]]:
    """What each row that moved to this story in a merge (store/stories.merge_stories) showed
    while it was a younger story's alert: that story's headline and its first report's
    snippet, for each merge it moved in (the desk was told those already). By row id; one
    look at story_merges for a story never merged into."""
    told: dict[int, list[str]] = {}
    survivors = [story_id]
    while survivors:
        merges = db.conn.execute(
            "SELECT m.absorbed, m.deliveries, s.title FROM story_merges m "
            "JOIN stories s ON s.id = m.absorbed WHERE m.survivor = ?",
            [survivors.pop()],
        ).fetchall()
        for absorbed, moved, title in merges:
            survivors.append(int(absorbed))
            rows = json.loads(moved)
            if not rows:
                continue
            first = db.execute(
                "SELECT i.feed_url, i.summary FROM story_merges m, json_each(m.items) k "
                "JOIN items i ON i.key = k.value WHERE m.absorbed = ? "
                "ORDER BY i.tier != 'new', i.published, i.rowid LIMIT 1",
                [absorbed],
            ).fetchone()
            texts = [str(title)] if first is None else [str(title), _snippet(first, shown_text)]
            for row in rows:
                told.setdefault(int(row), []).extend(texts)
    return told


def _snippet(first: Sequence[object] | None, shown_text: Callable[[str, str], str] | None) -> str:
    """A first report's (feed_url, summary) as its alert showed it: without the feed's
    boilerplate when `shown_text` is given, cut to SHOWN_TEXT."""
    if first is None:
        return ""
    text = str(first[1])
    return (text if shown_text is None else shown_text(str(first[0]), text))[:SHOWN_TEXT]


def _followup_titles(db: Database, delivery_id: int) -> list[str]:
    return [
        str(r[0])
        for r in db.execute(
            "SELECT i.title FROM followups f JOIN items i ON i.key = f.item_key "
            "WHERE f.delivery_id = ? ORDER BY f.id",
            [delivery_id],
        ).fetchall()
    ]


def add_followup(
    db: Database, delivery_id: int, item_key: str, development: Development, now: datetime
) -> None:
    """Queue a follow-up; the row is due until it is sent."""
    stamp = ts(now)
    db.execute(
        "INSERT INTO followups (delivery_id, item_key, rules, news, status, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
        [delivery_id, item_key, json.dumps(development.rules), json.dumps(development.news),
         stamp, stamp],
    )  # fmt: skip
    db.execute(
        "UPDATE deliveries SET status = 'pending', queued_at = ?, updated_at = ? "
        "WHERE id = ? AND status = 'sent'",
        [ts_exact(now), stamp, delivery_id],
    )


def pending_followups(db: Database, delivery_id: int) -> list[PendingFollowUp]:
    return [
        PendingFollowUp(
            int(r[0]), delivery_id, str(r[1]), tuple(json.loads(r[2])), tuple(json.loads(r[3]))
        )
        for r in db.execute(
            "SELECT id, item_key, rules, news FROM followups "
            "WHERE delivery_id = ? AND status = 'pending' ORDER BY id",
            [delivery_id],
        ).fetchall()
    ]


def has_pending_followups(db: Database, delivery_id: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM followups WHERE delivery_id = ? AND status = 'pending' LIMIT 1",
        [delivery_id],
    ).fetchone()
    return row is not None


def mark_followup(
    db: Database, followup_id: int, status: str, now: datetime, ref: str | None = None
) -> None:
    db.execute(
        "UPDATE followups SET status = ?, message_ref = coalesce(?, message_ref), "
        "updated_at = ? WHERE id = ?",
        [status, ref, ts(now), followup_id],
    )


def fold_followups(db: Database, delivery_id: int, now: datetime) -> int:
    """The row's pending follow-ups are told by a notifying message of the row itself."""
    return int(
        db.execute(
            "UPDATE followups SET status = 'folded', updated_at = ? "
            "WHERE delivery_id = ? AND status = 'pending'",
            [ts(now), delivery_id],
        ).rowcount
    )
