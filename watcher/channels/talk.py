"""What a channel that reads its chat can do (issue 15): the events it hands over and the
abilities it declares. Plain values; the Telegram and Slack specifics stay in their modules.

An ability declared like those of channels/base.Channel, never probed: app.py hands the
channels configured with `commands = true` to the pollers as `Listening`.

A `Listening` channel is read by a poller (watcher/talk/poller.py): `updates` waits (long poll)
for what the desk did from `offset` on and returns it as `ChatMessage` / `ButtonPress` values,
with the offset that confirms the whole batch; `say` answers in a chat, `answer_press` answers
a button press (the spinner on the button stops). Its alerts carry the buttons
(`alert_buttons`: the same labels and data on Telegram and Slack).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from watcher.model import Alert

__all__ = [
    "MUTE_BUTTON",
    "SPLIT_BUTTON",
    "ButtonPress",
    "ChatEvent",
    "ChatMessage",
    "Listening",
    "alert_buttons",
]

MUTE_BUTTON = ("Mute story", "mute")  # label, action in the button's data
SPLIT_BUTTON = ("Not the same story", "split")


@dataclass(frozen=True, slots=True)
class ChatMessage:
    update_id: int
    chat_id: str
    private: bool  # a one-to-one chat with the bot
    user_id: str
    text: str
    message_id: str
    reply_to: str | None = None  # the message it replies to (an alert, for /why)
    via: str = "telegram"  # the chat service, naming who did it ("slack:U0123" in a mute)
    prefix: str = "/"  # how the chat writes a command in help and usage ("/watcher " in Slack)
    delivery_id: str | None = None  # see ButtonPress


@dataclass(frozen=True, slots=True)
class ButtonPress:
    update_id: int
    press_id: str  # answered with answer_press
    chat_id: str
    private: bool
    user_id: str
    message_id: str  # the message that carries the button
    data: str  # the button's callback data
    via: str = "telegram"
    # The id the chat service may deliver this again under after a restart (Slack's envelope
    # id); the poller keeps those handled in the database. None: an offset covers it (Telegram).
    delivery_id: str | None = None


ChatEvent = ChatMessage | ButtonPress


class Listening(Protocol):
    """A channel whose chat is read for commands and button presses."""

    name: str
    bot_key: str  # the same for channels sharing a bot: one poller per bot
    command_users: frozenset[str]  # user ids accepted in a private chat with the bot

    @property
    def chat(self) -> str | None:
        """The channel's own chat (where it moved to, if it did): commands count from it."""
        ...

    async def updates(self, offset: int, timeout: float) -> tuple[list[ChatEvent], int]: ...

    async def say(self, chat_id: str, text: str, reply_to: str | None = None) -> str: ...

    async def answer_press(self, press_id: str, text: str) -> None: ...


def alert_buttons(alert: Alert) -> list[tuple[str, str]]:
    """(label, data) of each button on `alert`: "Mute story" (`mute:12`) and, once the story
    has two or more sources, "Not the same story" (`split:12`); none on a digest, a burst or a
    notice (they show no one story)."""
    if alert.story.id <= 0:
        return []
    shown = [MUTE_BUTTON] + ([SPLIT_BUTTON] if len(alert.story.items) >= 2 else [])
    return [(label, f"{action}:{alert.story.id}") for label, action in shown]
