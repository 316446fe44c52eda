"""Slack Socket Mode for a Slack channel with `commands = true` (issue 15): the websocket that
brings the desk's slash commands, button presses and message shortcuts, outbound only.

slack-sdk's built-in SocketModeClient holds the connection: `apps.connections.open` (with the
app-level token, xapp-...) gives a one-use wss URL; the client answers pings, and on Slack's
`disconnect` (a refresh) or a dropped socket it opens a new one by itself. It runs in its own
threads (it needs no other library); each envelope crosses to the asyncio loop through
`call_soon_threadsafe`, in the order it came (one worker thread), and the acks go back through
`asyncio.to_thread`. The only module that imports `slack_sdk`; its errors become ChannelError
here, secrets scrubbed, and its log records go through a logger of ours that a SecretRedactor
watches (`watcher.channels.slack.socket`).

`chat_event` reads an envelope's payload as the values watcher/talk reads (channels/talk.py):

    slash_commands  /watcher SUB ARGS   -> ChatMessage "/SUB ARGS" (an app cannot register
                    Slack's own /status or /mute; another command of the app is read as itself)
    interactive     block_actions       -> ButtonPress, its data the button's value ("mute:12")
                    message_action why  -> ChatMessage "/why" replying to that message (a slash
                                           command cannot be used in a thread)

Their `message_id` (or `press_id`) is the envelope id, which `say` / `answer_press` answer.

Slack waits 3 s for an ack, and `/watcher test QUERY` reads a day of stored items: a command
that changes nothing is acknowledged as it is taken (a bare ack) and answered later, apart
from the batch (talk/poller.py), at its payload's `response_url` (`answering`), as Slack's
docs ask of a slow command (the Why shortcut, to its user alone). One that changes state
(talk/commands.py's CHANGING: mute, unmute; fast) is acknowledged with its answer, after its
effect is committed, so a restart in between makes Slack send it again. A read command taken
and then lost in a restart is not sent again: its asker sees no answer and may ask again.

One SocketInbox per Slack app: channels sharing an app-level token share it (app.py), so the
poller of that app reads one socket, and whichever channel an envelope belongs to answers it.
It keeps the envelopes taken and not yet acknowledged (`waiting`) and acknowledges those the
last batch left unanswered before taking the next. Each event carries its envelope id as its
`delivery_id`: the poller keeps the last ones it handled in the database, so a repeat Slack
sends (its ack lost in a reconnect or when the process stopped) gets an ack and is not
handled twice, across a restart too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web import WebClient

from watcher.channels.base import SecretRedactor, scrub, scrub_chain
from watcher.channels.talk import ButtonPress, ChatEvent, ChatMessage
from watcher.errors import ChannelError, PermanentChannelError
from watcher.talk import commands

__all__ = [
    "APP_COMMAND",
    "WHY_SHORTCUT",
    "Envelope",
    "SocketInbox",
    "changes_state",
    "chat_event",
]

LOGGER = "watcher.channels.slack.socket"
APP_COMMAND = "/watcher"  # the app's one slash command: /watcher status, /watcher mute ...
WHY_SHORTCUT = "why"  # the callback id of the "Why this alert?" message shortcut
_ANSWERING = 100  # reads acknowledged and not answered yet, at most (a failed read: never)
_REFUSED = frozenset({"invalid_auth", "not_authed", "not_allowed_token_type", "token_revoked",
                      "account_inactive", "missing_scope"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Envelope:
    envelope_id: str
    kind: str  # slash_commands, interactive, events_api, ...
    payload: Mapping[str, Any]
    accepts_response: bool  # its ack may carry the answer (a slash command)


def chat_event(envelope: Envelope, update_id: int) -> ChatEvent | None:
    """What the desk did, as watcher reads it; None for anything else (answered by a bare ack)."""
    p = envelope.payload
    if envelope.kind == "slash_commands":
        channel, command = str(p.get("channel_id", "")), str(p.get("command", ""))
        text = str(p.get("text", "")).strip()
        if command == APP_COMMAND:
            said = f"/{text}" if text else "/help"
        else:
            said = f"{command} {text}".strip()
        return ChatMessage(
            update_id, channel, _private(channel), str(p.get("user_id", "")), said,
            envelope.envelope_id, via="slack", prefix=f"{APP_COMMAND} ",
            delivery_id=envelope.envelope_id,
        )  # fmt: skip
    if envelope.kind != "interactive":
        return None
    user = str(_field(p, "user", "id"))
    if p.get("type") == "block_actions":
        actions = p.get("actions") or [{}]
        channel = str(_field(p, "container", "channel_id") or _field(p, "channel", "id"))
        return ButtonPress(
            update_id, envelope.envelope_id, channel, _private(channel), user,
            str(_field(p, "container", "message_ts")), str(actions[0].get("value", "")), "slack",
            envelope.envelope_id,
        )  # fmt: skip
    if p.get("type") == "message_action" and p.get("callback_id") == WHY_SHORTCUT:
        channel = str(_field(p, "channel", "id"))
        ts = str(p.get("message_ts") or _field(p, "message", "ts"))
        return ChatMessage(
            update_id, channel, _private(channel), user, "/why", envelope.envelope_id, ts,
            "slack", f"{APP_COMMAND} ", envelope.envelope_id,
        )  # fmt: skip
    return None


def changes_state(event: ChatEvent) -> bool:
    """Whether a command changes state, as the desk reads it (talk/commands.py)."""
    return isinstance(event, ChatMessage) and commands.changes_state(event.text)


def _acked_at_once(envelope: Envelope, event: ChatEvent) -> bool:
    """A command that changes nothing, answered apart: a slash command at its response_url,
    the Why shortcut to its user alone."""
    if not isinstance(event, ChatMessage) or changes_state(event):
        return False
    return bool(envelope.payload.get("response_url")) or not envelope.accepts_response


def _field(payload: Mapping[str, Any], outer: str, inner: str) -> Any:
    found = payload.get(outer)
    return found.get(inner, "") if isinstance(found, Mapping) else ""


def _private(channel: str) -> bool:
    return channel.startswith("D")  # a direct message with the app


class SocketInbox:
    """The Socket Mode connection of one app, opened on the first `take`."""

    def __init__(self, name: str, *, app_token: str, api_url: str, secrets: tuple[str, ...],
                 ping_interval: float = 5.0, timeout: float = 20.0) -> None:  # fmt: skip
        self.name = name
        self._app_token = app_token
        self._api_url = api_url.rstrip("/") + "/"
        self._secrets = tuple(s for s in (app_token, *secrets) if s)
        self._ping = ping_interval
        self._timeout = timeout
        self._log = logging.getLogger(LOGGER)
        self._redactor = SecretRedactor(self._secrets)
        self._redactor.attach(LOGGER)
        self._client: SocketModeClient | None = None
        self._queue: asyncio.Queue[Envelope] = asyncio.Queue()
        self._waiting: dict[str, Envelope] = {}  # taken, not acknowledged yet
        self._answering: OrderedDict[str, Envelope] = OrderedDict()  # acked, not answered
        self._users = 0  # channels using it: the last to close closes it

    def use(self) -> SocketInbox:
        self._users += 1
        return self

    async def events(self, offset: int, timeout: float) -> list[ChatEvent]:
        """What the desk did, numbered from `offset` on; what the last batch left unanswered
        is acknowledged first, what is no event (or a repeat), or a command that changes
        nothing, at once."""
        for envelope_id in list(self._waiting):
            await self.ack(envelope_id)
        found: list[ChatEvent] = []
        for envelope in await self._take(timeout):
            event = chat_event(envelope, offset + len(found))
            self._waiting[envelope.envelope_id] = envelope
            if event is None:
                await self.ack(envelope.envelope_id)
                continue
            if _acked_at_once(envelope, event):
                await self.ack(envelope.envelope_id)
                self._answering[envelope.envelope_id] = envelope
                if len(self._answering) > _ANSWERING:
                    self._answering.popitem(last=False)
            found.append(event)
        return found

    def waiting(self, envelope_id: str | None) -> Envelope | None:
        """The envelope taken as `envelope_id` and not acknowledged yet."""
        return self._waiting.get(envelope_id or "")

    def answering(self, envelope_id: str | None) -> Envelope | None:
        """The command taken as `envelope_id`, acknowledged and waiting for its answer; once."""
        return self._answering.pop(envelope_id or "", None)

    async def _take(self, timeout: float) -> list[Envelope]:
        """The envelopes come since the last take, waiting up to `timeout` s for the first."""
        await self._connect()
        batch = []
        if self._queue.empty() and timeout > 0:
            with contextlib.suppress(TimeoutError):
                batch.append(await asyncio.wait_for(self._queue.get(), timeout))
        while not self._queue.empty():
            batch.append(self._queue.get_nowait())
        return batch

    async def ack(self, envelope_id: str, payload: dict[str, Any] | None = None) -> None:
        """Acknowledge a waiting envelope (with its answer, for a slash command); once."""
        if self._waiting.pop(envelope_id, None) is None:
            return
        client = self._client
        if client is None:
            raise ChannelError(f"slack socket of {self.name}: not connected")
        response = SocketModeResponse(envelope_id, payload)
        try:
            await asyncio.to_thread(client.send_socket_mode_response, response)
        except (SlackClientError, OSError) as exc:
            raise self._error("ack", exc) from exc

    async def aclose(self) -> None:
        self._users -= 1
        if self._users > 0:
            return
        client, self._client = self._client, None
        if client is not None:
            await asyncio.to_thread(client.close)
        self._redactor.detach()

    async def _connect(self) -> None:
        if self._client is not None:
            return
        loop = asyncio.get_running_loop()

        def arrived(_: object, request: SocketModeRequest) -> None:  # in slack-sdk's thread
            envelope = Envelope(request.envelope_id, request.type, request.payload,
                                request.accepts_response_payload)  # fmt: skip
            with contextlib.suppress(RuntimeError):  # the loop closed: the service stopped
                loop.call_soon_threadsafe(self._queue.put_nowait, envelope)

        web = WebClient(base_url=self._api_url, timeout=int(self._timeout), logger=self._log)
        client = SocketModeClient(self._app_token, logger=self._log, web_client=web,
                                  ping_interval=self._ping, concurrency=1)  # fmt: skip
        client.socket_mode_request_listeners.append(arrived)
        try:
            await asyncio.to_thread(client.connect)
        except (SlackClientError, OSError) as exc:
            await asyncio.to_thread(client.close)
            raise self._error("apps.connections.open", exc) from exc
        except asyncio.CancelledError:  # the service stops while connecting: its threads too
            threading.Thread(target=client.close, daemon=True).start()
            raise
        self._client = client
        self._log.info("slack socket mode connected channel=%s", self.name)

    def _error(self, what: str, exc: BaseException) -> ChannelError:
        scrub_chain(exc, self._secrets)
        if isinstance(exc, SlackApiError):
            code = str(exc.response.get("error") or "unknown_error")
            detail = f"slack {what} for {self.name}: {code}"
            return PermanentChannelError(detail) if code in _REFUSED else ChannelError(detail)
        detail = scrub(f"{type(exc).__name__}: {exc}", self._secrets)
        return ChannelError(f"slack {what} for {self.name}: {detail}")
