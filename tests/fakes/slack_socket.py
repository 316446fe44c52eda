"""A loopback stand-in of Slack's Socket Mode websocket (the side `apps.connections.open` opens).

FakeSlack (slack_api.py) owns one: `apps.connections.open`, called with the app-level token,
answers a one-use ws://127.0.0.1:PORT/link/?ticket=... URL. A client that connects with a
ticket gets `hello`, then the envelopes the test queues, in order, one connection at a time
(the newest). Shapes follow Slack's Socket Mode docs:

    {"type": "hello", "num_connections": 1, "connection_info": {"app_id": ...}, "debug_info": ...}
    {"envelope_id": ..., "type": "slash_commands", "accepts_response_payload": true,
     "payload": {"command": "/watcher", "text": "status", "channel_id": ..., "user_id": ...}}
    {"envelope_id": ..., "type": "interactive", "accepts_response_payload": false,
     "payload": {"type": "block_actions", "container": {"message_ts", "channel_id"}, ...}}
    {"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": ...}}

The client acknowledges each envelope with {"envelope_id": ..., "payload": {...}?}; `acks`
records them (the payload, or None). A slash command's ack payload is its answer, as with
Slack: `responses` keeps it, and an "in_channel" one is also posted in the channel.

`disconnect()` asks the client to reconnect (Slack's refresh) and sends nothing more on that
connection; `drop()` closes it at once. Envelopes sent on a connection that closed before their
ack are delivered again on the next one (with `retry_attempt`): an ack lost in a reconnect
shows as a repeat, which the client must recognise. Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

__all__ = ["SocketModeServer"]

APP_ID = "A0FAKEAPP01"


class SocketModeServer:
    def __init__(self, on_response: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.acks: dict[str, dict[str, Any] | None] = {}
        self.sent: list[dict[str, Any]] = []  # every envelope as sent (repeats included)
        self.opened = 0  # connections that said hello
        self._on_response = on_response  # (envelope, ack payload) -> the Web API side
        self._pending: deque[dict[str, Any]] = deque()
        self._unacked: dict[str, tuple[ServerConnection, dict[str, Any]]] = {}
        self._tickets: set[str] = set()
        self._current: ServerConnection | None = None
        self._lose_next_ack = False
        self._ids = itertools.count(1)
        self._server: Server = serve(
            self._serve, "127.0.0.1", 0, compression=None, ping_interval=None
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    def new_url(self) -> str:
        ticket = secrets.token_hex(8)
        with self.lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={APP_ID}"

    # -- what the test does --------------------------------------------------------------------

    def queue(self, kind: str, payload: dict[str, Any], *, accepts_response: bool) -> str:
        envelope_id = f"{next(self._ids):04d}-{secrets.token_hex(4)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": accepts_response,
            "payload": payload,
        }
        with self.changed:
            self._pending.append(envelope)
            self.changed.notify_all()
        return envelope_id

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the connected client to reconnect; this connection gets nothing more."""
        with self.changed:
            connection, self._current = self._current, None
            if connection is not None:
                _send(connection, {"type": "disconnect", "reason": reason,
                                   "debug_info": {"host": "applink-fake"}})  # fmt: skip
            self.changed.notify_all()

    def drop(self) -> None:
        """Close the current connection at once (a network blip, a Slack restart)."""
        with self.changed:
            connection, self._current = self._current, None
            self.changed.notify_all()
        if connection is not None:
            connection.close()

    def drop_on_next_ack(self) -> None:
        """Lose the next ack: the connection it comes on closes before Slack reads it."""
        with self.lock:
            self._lose_next_ack = True

    def wait(self, done: Callable[[], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not done():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True

    # -- one connection ------------------------------------------------------------------------

    def _serve(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request is not None else ""
        ticket = path.partition("ticket=")[2].partition("&")[0]
        with self.changed:
            if ticket not in self._tickets:
                connection.close(code=4001, reason="invalid ticket")
                return
            self._tickets.discard(ticket)  # one use, like Slack's
            self.opened += 1
            self._current = connection
            self.changed.notify_all()
        debug = {"host": "applink-fake", "approximate_connection_time": 18060}
        _send(connection, {"type": "hello", "num_connections": 1, "debug_info": debug,
                           "connection_info": {"app_id": APP_ID}})  # fmt: skip
        try:
            while True:
                self._send_pending(connection)
                try:
                    raw = connection.recv(timeout=0.02)
                except TimeoutError:
                    continue
                if self._losing():
                    connection.close()
                    continue
                self._ack(json.loads(raw))
        except ConnectionClosed:
            pass
        finally:
            with self.changed:
                if self._current is connection:
                    self._current = None
                lost = [e for c, e in self._unacked.values() if c is connection]
                for envelope in reversed(lost):  # delivered again, in order
                    del self._unacked[envelope["envelope_id"]]
                    repeat = {**envelope, "retry_attempt": envelope.get("retry_attempt", 0) + 1,
                              "retry_reason": "timeout"}  # fmt: skip
                    self._pending.appendleft(repeat)
                self.changed.notify_all()

    def _send_pending(self, connection: ServerConnection) -> None:
        with self.changed:
            if self._current is not connection:
                return
            while self._pending:
                envelope = self._pending.popleft()
                self._unacked[envelope["envelope_id"]] = (connection, envelope)
                self.sent.append(envelope)
                _send(connection, envelope)

    def _losing(self) -> bool:
        with self.lock:
            losing, self._lose_next_ack = self._lose_next_ack, False
            return losing

    def _ack(self, message: Any) -> None:
        """An ack, on whichever connection it comes (a client acks on its newest one)."""
        if not isinstance(message, dict) or "envelope_id" not in message:
            return  # Slack ignores what is not an ack
        envelope_id, payload = str(message["envelope_id"]), message.get("payload")
        with self.changed:
            _, envelope = self._unacked.pop(envelope_id, (None, None))
            self.acks[envelope_id] = payload if isinstance(payload, dict) else None
            self.changed.notify_all()
        if (
            envelope is not None
            and isinstance(payload, dict)
            and envelope["accepts_response_payload"]
        ):
            self._on_response(envelope, payload)


def _send(connection: ServerConnection, message: dict[str, Any]) -> None:
    with contextlib.suppress(ConnectionClosed):
        connection.send(json.dumps(message))
