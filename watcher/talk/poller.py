"""Reading the desk's chat: one long-polling loop per bot, however many channels share it.

Who may speak: an update from a `Listening` channel's own chat is that channel's; one from a
private chat with the bot counts only when its sender is in a channel's `command_users` (the
first such channel's). Anything else is ignored without an answer and logged once per sender.

The bot's update offset is in the database (store/talk.py). Each update is confirmed in the
same transaction as what it changes (talk/desk.py), and the batch's offset after it; the answer
goes out after that commit. So a restart neither repeats a press's effect nor loses one: an
update not confirmed is fetched again. A failing getUpdates backs off (5 s doubling to 5 min).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from watcher.channels.talk import ButtonPress, ChatEvent, ChatMessage, Listening
from watcher.errors import ChannelError, StorageError
from watcher.store import Store
from watcher.talk.desk import DeskTalk

__all__ = ["ChatPoller", "pollers"]

log = logging.getLogger("watcher.talk")

LONG_POLL = 25.0  # seconds a getUpdates waits for something to happen
MAX_BACKOFF = 300.0


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

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set (the service cancels a long poll in flight)."""
        failures = 0
        names = ",".join(listener.name for listener in self.listeners)
        log.info("chat commands on bot=%s channels=%s", self.bot, names)
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
        for event in events:
            await self._handle(event)
        if following > offset:
            self.store.save_bot_offset(self.bot, following, self.clock())
        return len(events)

    async def _handle(self, event: ChatEvent) -> None:
        def confirm() -> None:
            self.store.save_bot_offset(self.bot, event.update_id + 1, self.clock())

        listener = self._listener_for(event)
        if listener is None:
            confirm()
            self._ignore(event)
            return
        try:
            if isinstance(event, ChatMessage):
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
