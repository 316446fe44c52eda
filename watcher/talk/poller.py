"""Reading the desk's chat: one long-polling loop per bot, however many channels share it.

Who may speak: an update from a `Listening` channel's own chat is that channel's; one from a
private chat with the bot counts only when its sender is in a channel's `command_users` (the
first such channel's). Anything else is ignored without an answer and logged once per sender.

The bot's update offset is in the database (store/talk.py). Each update is confirmed in the
same transaction as what it changes (talk/desk.py), and the batch's offset after it; the answer
goes out after that commit. So a restart neither repeats a press's effect nor loses one: an
update not confirmed is fetched again. A chat service without offsets (Slack) names each event
by a `delivery_id` it may deliver again: confirming remembers it in the database too, and a
repeat of one remembered is passed over (acknowledged by the channel with the next batch).
A failing getUpdates backs off (5 s doubling to 5 min).

A command that only reads (DeskTalk.reads: /status, /test ...) is confirmed as it is taken, its
answer found there (as things are at its place in the batch) but /test's, and sent from a task
of its own, READERS at most at once, so a mute or a press in the same batch (or the next) does
not wait behind a slow /test; answers may come in another order than asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any

from watcher.channels.talk import ButtonPress, ChatEvent, ChatMessage, Listening
from watcher.errors import ChannelError, StorageError
from watcher.store import Store
from watcher.talk.desk import DeskTalk

__all__ = ["ChatPoller", "pollers"]

log = logging.getLogger("watcher.talk")

LONG_POLL = 25.0  # seconds a getUpdates waits for something to happen
MAX_BACKOFF = 300.0
READERS = 2  # read-only commands answered at once (each may hold a worker thread)


class ChatPoller:
    def __init__(
        self,
        listeners: Sequence[Listening],
        desk: DeskTalk,
        store: Store,
        clock: Callable[[], datetime],
        *,
        timeout: float = LONG_POLL,
    ) -> None:
        self.listeners = tuple(listeners)
        self.bot = self.listeners[0].bot_key
        self.desk = desk
        self.store = store
        self.clock = clock
        self.timeout = timeout
        self._ignored: set[tuple[str, str]] = set()
        self._readers = asyncio.Semaphore(READERS)
        self._reading: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set (the service cancels a long poll in flight)."""
        names = ",".join(listener.name for listener in self.listeners)
        log.info("chat commands on bot=%s channels=%s", self.bot, names)
        try:
            await self._poll(stop)
        finally:
            await self.settle(cancel=True)

    async def settle(self, *, cancel: bool = False) -> None:
        """Wait for the answers in hand (or cancel them: the service stops)."""
        for task in list(self._reading):
            if cancel:
                task.cancel()
        await asyncio.gather(*self._reading, return_exceptions=True)

    async def _poll(self, stop: asyncio.Event) -> None:
        failures = 0
        while not stop.is_set():
            try:
                await self.once()
                failures = 0
                continue
            except (ChannelError, StorageError) as exc:
                failures += 1
                log.warning("chat poll failed bot=%s tries=%d: %s", self.bot, failures, exc)
            except Exception:
                failures += 1
                log.exception("chat poll crashed bot=%s", self.bot)
            wait = min(MAX_BACKOFF, 5.0 * 2 ** min(failures - 1, 6))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)

    async def once(self) -> int:
        """One getUpdates and everything it brought handled; how many events it brought."""
        offset = self.store.bot_offset(self.bot)
        events, following = await self.listeners[0].updates(offset, self.timeout)
        keyed = [e.delivery_id for e in events if e.delivery_id is not None]
        handled = self.store.handled_deliveries(self.bot, keyed) if keyed else set()
        for event in events:
            if event.delivery_id in handled:
                log.info("chat repeat passed over bot=%s delivery=%s", self.bot, event.delivery_id)
                continue
            await self._handle(event)
        if following > offset:
            self.store.save_bot_offset(self.bot, following, self.clock())
        return len(events)

    async def _handle(self, event: ChatEvent) -> None:
        def confirm() -> None:
            now = self.clock()
            self.store.save_bot_offset(self.bot, event.update_id + 1, now)
            if event.delivery_id is not None:
                self.store.save_handled(self.bot, event.delivery_id, now)

        listener = self._listener_for(event)
        if listener is None:
            confirm()
            self._ignore(event)
            return
        try:
            if isinstance(event, ChatMessage) and self.desk.reads(event):
                confirm()
                self._apart(listener, event)
            elif isinstance(event, ChatMessage):
                answer = self.desk.command(listener.name, event, confirm)
                if answer:
                    await listener.say(event.chat_id, answer, reply_to=event.message_id)
            else:
                await listener.answer_press(event.press_id, self._press(listener, event, confirm))
        except ChannelError as exc:  # the effect is kept; only the answer did not get through
            log.warning("chat answer failed channel=%s: %s", listener.name, exc)
        except StorageError:
            raise  # not confirmed: tried again once the database takes writes
        except Exception:
            # A bug: said with its traceback, and the update passed over, or it would come
            # back after every restart and hold up every command behind it.
            log.exception("chat update failed channel=%s update=%d", listener.name, event.update_id)
            confirm()

    def _apart(self, listener: Listening, message: ChatMessage) -> None:
        reading = self.desk.read(listener.name, message)
        task = asyncio.create_task(self._answer_read(listener, message, reading))
        self._reading.add(task)
        task.add_done_callback(self._reading.discard)

    async def _answer_read(
        self, listener: Listening, message: ChatMessage, reading: Coroutine[Any, Any, str]
    ) -> None:
        try:
            async with self._readers:
                answer = await reading
            await listener.say(message.chat_id, answer, reply_to=message.message_id)
        except ChannelError as exc:
            log.warning("chat answer failed channel=%s: %s", listener.name, exc)
        except Exception:  # a bug, or the database failing: this answer is lost, not the poller
            log.exception("chat read failed channel=%s update=%d", listener.name, message.update_id)
        finally:
            reading.close()  # never started (the service stopped first): nothing to warn of

    def _press(self, listener: Listening, press: ButtonPress, confirm: Callable[[], None]) -> str:
        if press.chat_id != listener.chat:  # a button in a private chat: no alert is there
            confirm()
            return "This alert is not this chat's: nothing changed."
        return self.desk.press(listener.name, press, confirm)

    def _listener_for(self, event: ChatEvent) -> Listening | None:
        for listener in self.listeners:
            if event.chat_id == listener.chat:
                return listener
        if event.private:
            for listener in self.listeners:
                if event.user_id in listener.command_users:
                    return listener
        return None

    def _ignore(self, event: ChatEvent) -> None:
        sender = (event.chat_id, event.user_id)
        if sender not in self._ignored:
            self._ignored.add(sender)
            log.info(
                "chat ignored bot=%s chat=%s user=%s: not a channel's chat nor a command user "
                "(said once per sender)",
                self.bot,
                event.chat_id,
                event.user_id,
            )


def pollers(
    listeners: Sequence[Listening],
    desk: DeskTalk,
    store: Store,
    clock: Callable[[], datetime],
    *,
    timeout: float = LONG_POLL,
) -> list[ChatPoller]:
    """One poller per bot: channels sharing a token share its getUpdates."""
    by_bot: dict[str, list[Listening]] = {}
    for listener in listeners:
        by_bot.setdefault(listener.bot_key, []).append(listener)
    return [ChatPoller(group, desk, store, clock, timeout=timeout) for group in by_bot.values()]
