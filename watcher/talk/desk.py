"""What a desk's command or button press does: reads and writes the store, splits a story.

`DeskTalk` is handed one accepted event at a time (talk/poller.py decided who may speak) for
one channel, and returns the answer: Telegram HTML for a command, a short plain text for a
press. Every change it makes is written in one transaction with `confirm` (the poller's update
offset), so a crash repeats nothing and loses nothing: a repeated update finds its offset
already confirmed, a lost one is fetched again. The answer is sent after that commit.

A command that only reads (`reads`) is answered apart from the batch by the poller (`read`):
`/test` reads a day of stored items in a worker thread, on a connection of its own, so a mute
or a press taken beside it, the deliveries too, do not wait for it.

Buttons (channels/telegram.py): `mute:ID` mutes the story here for BUTTON_MUTE; `split:ID`
("Not the same story") asks Pipeline.split. A press on a message that is not the story's
current alert here (an old alert, another channel's, a pruned story) is refused politely.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Coroutine, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from watcher.boilerplate import Boilerplate
from watcher.channels.talk import ButtonPress, ChatMessage
from watcher.errors import QuerySyntaxError
from watcher.health import Health
from watcher.item_policy import document
from watcher.item_write import SplitReport
from watcher.model import FeedState
from watcher.mutes import Mute
from watcher.query import CompiledQuery
from watcher.redact import redact
from watcher.store import Store
from watcher.talk import commands as cmd

__all__ = ["BUTTON_MUTE", "TEST_WINDOW", "DeskTalk", "Splitter"]

log = logging.getLogger("watcher.talk")

BUTTON_MUTE = timedelta(days=7)  # "Mute story": longer than a story stays open (36 h)
TEST_WINDOW = timedelta(hours=24)
Confirm = Callable[[], object]


class Splitter(Protocol):
    """Pipeline.split."""

    def split(
        self, story_id: int, now: datetime, *, also: Callable[[], object] | None = None
    ) -> SplitReport | None: ...


class DeskTalk:
    def __init__(
        self,
        *,
        store: Store,
        splitter: Splitter,
        compile_query: Callable[[str], CompiledQuery],
        rule_names: Callable[[], Collection[str]],
        health: Callable[[], Health],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.splitter = splitter
        self.compile_query = compile_query  # with the rules in force' entities
        self.rule_names = rule_names  # of the rules in force, so a mistyped mute is said
        self.health = health
        self.clock = clock

    # -- commands ----------------------------------------------------------------------------

    def command(self, channel: str, message: ChatMessage, confirm: Confirm) -> str | None:
        """The answer to `message` on `channel` (None: not a command, nothing to say)."""
        found = cmd.parse(message.text)
        if found is None:
            confirm()
            return None
        now = self.clock()
        try:
            if found.name in cmd.CHANGING:
                return self._mute(channel, found, message, now, confirm)
            confirm()
            return self._read(channel, found, message, now)
        except cmd.CommandError as exc:
            confirm()
            return cmd.spelled(cmd.e(str(exc)), message.prefix)

    def reads(self, message: ChatMessage) -> bool:
        """Whether `message` is a command that changes nothing (answered by `read`)."""
        found = cmd.parse(message.text)
        return found is not None and found.name not in cmd.CHANGING

    def read(self, channel: str, message: ChatMessage) -> Coroutine[Any, Any, str]:
        """The answer to a command that `reads` (its update already confirmed), to be awaited
        apart: found now, as things are where it was asked, but /test's, whose scan runs in a
        worker thread, on a connection of its own, once awaited."""
        found = cmd.parse(message.text)
        assert found is not None and found.name not in cmd.CHANGING
        now = self.clock()
        if found.name == "test":
            return asyncio.to_thread(self._test_apart, found.args, now, message.prefix)
        try:
            return _said(self._read(channel, found, message, now))
        except cmd.CommandError as exc:
            return _said(cmd.spelled(cmd.e(str(exc)), message.prefix))

    def _test_apart(self, query: str, now: datetime, prefix: str) -> str:
        store = Store(self.store.path)  # a connection is of the thread that opened it
        try:
            return self._test(store, query, now, prefix)
        finally:
            store.close()

    def _read(self, channel: str, found: cmd.Command, message: ChatMessage, now: datetime) -> str:
        if found.name == "status":
            return cmd.status_text(self.health())
        if found.name == "feeds":
            return cmd.feeds_text(feed_lines(self.store.feed_states()))
        if found.name == "stories":
            ids = self.store.alerted_story_ids(channel)
            return cmd.stories_text([s for s in map(self.store.story, ids) if s is not None])
        if found.name == "test":
            return self._test(self.store, found.args, now, message.prefix)
        if found.name == "mutes":
            return cmd.mutes_text(self.store.live_mutes(now, channel))
        if found.name == "why":
            return self._why(channel, message)
        return cmd.help_text("" if found.name == "help" else found.written, message.prefix)

    def _mute(
        self,
        channel: str,
        found: cmd.Command,
        message: ChatMessage,
        now: datetime,
        confirm: Confirm,
    ) -> str:
        by = f"{message.via}:{message.user_id}"
        with self.store.transaction():
            if found.name == "mute":
                mute = cmd.parse_mute(found.args, channel, now, by)
                if mute.kind == "rule" and mute.target not in self.rule_names():
                    raise cmd.CommandError(f"no rule named {mute.target} is in force")
                if mute.kind == "story" and self.store.story(int(mute.target)) is None:
                    raise cmd.CommandError(f"no story #{mute.target} is kept")
                self.store.add_mute(mute)
                answer = cmd.muted_text(mute)
            else:
                kind, target = cmd.parse_unmute(found.args)
                answer = cmd.unmuted_text(
                    kind, target, self.store.remove_mute(channel, kind, target)
                )
            confirm()
        log.info("desk command channel=%s user=%s %s", channel, message.user_id, found.name)
        return answer

    def _test(self, store: Store, query: str, now: datetime, prefix: str = "/") -> str:
        if not query.strip():
            return cmd.spelled("usage: /test QUERY, e.g. /test Iran AND Pakistan", prefix)
        try:
            compiled = self.compile_query(query)
        except QuerySyntaxError as exc:
            return cmd.query_error_text(exc.message, exc.pos + 1, exc.hint)
        total, matched, first = 0, 0, list[cmd.TestMatch]()
        learner = Boilerplate()  # items as the rules see them, as `watcher test-rule` does
        learner.learn(list(store.recent_items(per_feed=learner.window)))
        for item, story_id in store.items_since(now - TEST_WINDOW):
            total += 1
            seen = learner.clean(item)
            hit = compiled.match(document(seen, store.story_sources(story_id)))
            if not hit.matched:
                continue
            matched += 1
            if len(first) < 5:
                spans = tuple((a, b) for f, a, b in hit.spans if f == "title")
                first.append(cmd.TestMatch(item.feed_name, hit.terms, item.title, spans))
        return cmd.test_text(query, total, matched, first)

    def _why(self, channel: str, message: ChatMessage) -> str:
        if message.reply_to is None:
            return (
                "Reply to an alert with /why to see why it fired (in Slack: the alert's "
                "More actions menu, Why this alert?)."
            )
        story_id = self.store.story_shown_as(channel, message.reply_to)
        story = None if story_id is None else self.store.story(story_id)
        if story is None:
            return "That message is not an alert of this chat (or its story is no longer kept)."
        return cmd.why_text(story, self.store.story_rules(story.id))

    # -- buttons -----------------------------------------------------------------------------

    def press(self, channel: str, press: ButtonPress, confirm: Confirm) -> str:
        action, _, raw_id = press.data.partition(":")
        story_id = int(raw_id) if raw_id.isdigit() else None
        refused = self._refusal(channel, press, action, story_id)
        if refused is not None or story_id is None:
            confirm()
            return refused or "This button is not one of watcher's."
        now = self.clock()
        if action == "mute":
            by = f"{press.via}:{press.user_id}"
            mute = Mute(channel, "story", str(story_id), now + BUTTON_MUTE, now, by)
            with self.store.transaction():
                self.store.add_mute(mute)
                confirm()
            log.info("desk muted story=%d channel=%s user=%s", story_id, channel, press.user_id)
            until = f"{mute.until:%d %b %H:%M} UTC"
            return f"Muted: no more alerts or edits of this story here until {until}."
        report = self.splitter.split(story_id, now, also=confirm)
        if report is None:
            return "This story has a single source: nothing to split."
        if report.merge_undone:
            return "Split: the two stories merged into this one are apart again; alerts edited."
        return "Split: the latest source is now a story of its own; the alert is edited back."

    def _refusal(
        self, channel: str, press: ButtonPress, action: str, story_id: int | None
    ) -> str | None:
        if action not in ("mute", "split") or story_id is None:
            return "This button is not one of watcher's."
        if self.store.alert_ref(channel, story_id) != press.message_id:
            return "This alert is no longer current here (or not this chat's): nothing changed."
        return None


async def _said(answer: str) -> str:
    return answer


def feed_lines(states: Iterable[FeedState]) -> Sequence[cmd.FeedLine]:
    """The feeds a desk should hear about: disabled, failing or stale, with since when."""
    lines = []
    for st in states:
        if st.disabled_at is not None:
            lines.append(
                cmd.FeedLine(st.name, "disabled", st.disabled_at, redact(st.disabled_reason or ""))
            )
        elif st.error_count > 0:
            lines.append(
                cmd.FeedLine(st.name, "failing", st.failing_since, redact(st.last_error or ""))
            )
        elif st.stale_since is not None:
            lines.append(cmd.FeedLine(st.name, "stale", st.stale_since))
    return lines
