"""What a channel that reads its chat can do (issue 15): the events it hands over and the
abilities it declares. Plain values; the Telegram and Slack specifics stay in their modules.

An ability declared like those of channels/base.Channel, never probed: app.py hands the
channels configured with `commands = true` to the pollers as `Listening`.

A `Listening` channel is read by a poller (watcher/talk/poller.py): `updates` waits (long poll)
for what the desk did from `offset` on and returns it as `ChatMessage` / `ButtonPress` values,
with the offset that confirms the whole batch; `say` answers in a chat, `answer_press` answers
a button press (the spinner on the button stops). Its alerts carry the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["ButtonPress", "ChatEvent", "ChatMessage", "Listening"]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    update_id: int
    chat_id: str
    private: bool  # a one-to-one chat with the bot
    user_id: str
    text: str
    message_id: str
    reply_to: str | None = None  # the message it replies to (an alert, for /why)


@dataclass(frozen=True, slots=True)
class ButtonPress:
    update_id: int
    press_id: str  # answered with answer_press
    chat_id: str
    private: bool
    user_id: str
    message_id: str  # the message that carries the button
    data: str  # the button's callback data


ChatEvent = ChatMessage | ButtonPress


class Listening(Protocol):
    """A channel whose chat is read for commands and button presses."""

    name: str
    bot_key: str  # the same for channels sharing a bot: one poller per bot
    command_users: frozenset[str]  # user ids accepted in a private chat with the bot

    @property
    def chat(self) -> str:
        """The channel's own chat (where it moved to, if it did): commands count from it."""
        ...

    async def updates(self, offset: int, timeout: float) -> tuple[list[ChatEvent], int]: ...

    async def say(self, chat_id: str, text: str, reply_to: str | None = None) -> str: ...

    async def answer_press(self, press_id: str, text: str) -> None: ...
