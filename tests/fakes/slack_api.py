"""A loopback stand-in of the Slack Web API (chat.postMessage, chat.update), an incoming webhook
and slash commands' response_urls.

    with FakeSlack(token="xoxb-test", channels=["C0123456789"]) as slack:
        channel = SlackChannel("desk", token="xoxb-test", channel="C0123456789",
                               api_url=slack.api_url)          # http://127.0.0.1:PORT/api
        hook = SlackChannel("hook", webhook_url=slack.webhook_url)
        slack.fail_next("chat.postMessage", status=429, retry_after=7)
        slack.fail_next("chat.update", error="not_in_channel")
        slack.fail_next("webhook", status=500)
        slack.stall_next("chat.postMessage", 2.0)              # answer late (client timeouts)
        slack.messages        # {"C0123456789": {"1769246100.000001": "*title*…"}}
        slack.threads         # {"C0123456789": {"1769246100.000002": "1769246100.000001"}}
        slack.calls           # [("chat.postMessage", {"channel": ..., "text": ...}), ...]

Socket Mode (slack_socket.py): `apps.connections.open` with the app-level token (`app_token`)
answers a ws://127.0.0.1 URL of the stand-in's own websocket server; the desk's doings are
queued on it as envelopes:

        slack.slash("C0123456789", "U0EDITOR", "/watcher", "mute story 12 1d")  # -> envelope id
        slack.press("C0123456789", "U0EDITOR", ts, "mute")   # a button of the message at ts
        slack.shortcut("C0123456789", "U0EDITOR", ts, "why")  # a message shortcut on it
        slack.socket.acks     # {envelope id: ack payload or None}
        slack.responses       # {envelope id: a slash command's answer (its ack payload, or
                              #  the last post to its response_url)}
        slack.replies         # [(envelope id, payload posted to its response_url), ...]
        slack.fail_next("response_url", status=404, error="expired_url")  # or status=500
        slack.ephemeral       # [(channel, user, text), ...] from chat.postEphemeral
        slack.blocks          # {"C0123456789": {ts: [Block Kit blocks]}} of messages that had them

Each slash envelope carries its own response_url, {origin}/commands/T0FAKE/N/SECRET (Slack's
hooks.slack.com shape, on the stand-in): a JSON POST there is the command's answer, as Slack
takes it up to five times (then 404 used_url; an unknown URL is 404 expired_url); "ok" as
text/plain otherwise. Posts show in `calls` as "response_url".

Channels are free-form ids unless `channels` is given (then others are channel_not_found).
A chat.postMessage with thread_ts is a reply in that message's thread: `threads` records it
and the answer's message carries thread_ts (the parent is not checked).
Answers are shaped like Slack's: Web API refusals are HTTP 200 {"ok": false, "error": code}
(invalid_auth for a wrong Bearer token, not_authed for none, channel_not_found, no_text,
message_not_found); rate limiting is HTTP 429 with a Retry-After header; the webhook answers
"ok" as text/plain, or an error word with a 4xx status. Webhook posts land in `messages` under
`webhook_channel`, with the method name "webhook" in `calls`.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from typing import Any

from tests.fakes.slack_socket import SocketModeServer
from tests.fakes.telegram_api import (
    HttpRequest,
    HttpResponse,
    LoopbackServer,
    request_params,
)

__all__ = ["FakeSlack"]

MAX_TEXT = 40_000  # chat.postMessage truncates past this; we refuse, to catch runaway renders
WEBHOOK_PATH = "/services/T00000000/B00000000/XXXXsecretXXXXwebhookXXXX"
REPLY_USES = 5  # posts a response_url takes (Slack: five, within 30 minutes)


class FakeSlack(LoopbackServer):
    def __init__(
        self,
        token: str = "xoxb-0000-test-token",
        *,
        channels: Iterable[str] | None = None,
        webhook_channel: str = "C0WEBHOOK",
        app_token: str = "xapp-1-A0FAKEAPP01-0000-test",
    ) -> None:
        super().__init__()
        self.token = token
        self.app_token = app_token
        self.socket = SocketModeServer(self._answered)
        self.responses: dict[str, dict[str, Any]] = {}
        self.replies: list[tuple[str, dict[str, Any]]] = []
        self._reply_paths: dict[str, str] = {}  # response_url path -> envelope id
        self.ephemeral: list[tuple[str, str, str]] = []
        self.blocks: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self.channels = None if channels is None else set(channels)  # None: any channel exists
        self.webhook_channel = webhook_channel
        self.messages: dict[str, dict[str, str]] = {}
        self.threads: dict[str, dict[str, str]] = {}  # channel -> {reply's ts: parent's ts}
        self._seq = 0

    def __enter__(self) -> FakeSlack:
        self.socket.start()
        return super().__enter__()  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.socket.close()

    # -- the desk's doings, as Socket Mode envelopes ---------------------------------------------

    def slash(self, channel: str, user: str, command: str, text: str = "") -> str:
        payload = {
            "token": "verification-token-unused", "team_id": "T0FAKE", "team_domain": "desk",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "desk",
            "user_id": user, "user_name": user.lower(), "command": command, "text": text,
            "api_app_id": "A0FAKEAPP01", "is_enterprise_install": "false",
            "trigger_id": "1.2.3",
        }  # fmt: skip
        with self.lock:  # the path is known before the client can post to it
            path = f"/commands/T0FAKE/{len(self._reply_paths) + 1}/{secrets.token_hex(12)}"
            payload["response_url"] = f"{self.origin}{path}"
            envelope_id = self.socket.queue("slash_commands", payload, accepts_response=True)
            self._reply_paths[path] = envelope_id
        return envelope_id

    def press(self, channel: str, user: str, ts: str, action_id: str, value: str = "") -> str:
        """A press of the button `action_id` on the message at `ts` (its value as posted,
        unless `value` says otherwise)."""
        blocks = self.blocks.get(channel, {}).get(ts, [])
        buttons = [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]
        button = next((b for b in buttons if b.get("action_id") == action_id), None)
        action = {
            "action_id": action_id, "block_id": "watcher", "type": "button",
            "text": (button or {}).get("text", {"type": "plain_text", "text": action_id}),
            "value": value or (button or {}).get("value", ""), "action_ts": f"{time.time():.6f}",
        }  # fmt: skip
        message = {"type": "message", "ts": ts, "text": self.messages.get(channel, {}).get(ts, ""),
                   "blocks": blocks}  # fmt: skip
        payload = {
            "type": "block_actions", "user": {"id": user, "username": user.lower()},
            "api_app_id": "A0FAKEAPP01", "token": "verification-token-unused",
            "container": {"type": "message", "message_ts": ts, "channel_id": channel,
                          "is_ephemeral": False},
            "trigger_id": "1.2.3", "team": {"id": "T0FAKE", "domain": "desk"},
            "channel": {"id": channel, "name": "desk"}, "message": message,
            "response_url": f"{self.origin}/actions/T0FAKE/1/unused", "actions": [action],
        }  # fmt: skip
        return self.socket.queue("interactive", payload, accepts_response=False)

    def shortcut(self, channel: str, user: str, ts: str, callback_id: str) -> str:
        payload = {
            "type": "message_action", "callback_id": callback_id, "trigger_id": "1.2.3",
            "user": {"id": user, "name": user.lower()}, "team": {"id": "T0FAKE"},
            "channel": {"id": channel, "name": "desk"}, "message_ts": ts,
            "message": {"type": "message", "ts": ts,
                        "text": self.messages.get(channel, {}).get(ts, "")},
            "response_url": f"{self.origin}/actions/T0FAKE/1/unused",
        }  # fmt: skip
        return self.socket.queue("interactive", payload, accepts_response=False)

    def _answered(self, envelope: dict[str, Any], payload: dict[str, Any]) -> None:
        """A slash command's ack payload is its answer: shown to its user, or in the channel."""
        with self.lock:
            self._show(envelope["envelope_id"], envelope["payload"]["channel_id"], payload)

    def _show(self, envelope_id: str, channel: str, payload: dict[str, Any]) -> None:
        self.responses[envelope_id] = payload
        if payload.get("response_type") == "in_channel":
            self.messages.setdefault(channel, {})[self._next_ts()] = str(payload.get("text"))

    def _reply(self, path: str, params: dict[str, Any]) -> HttpResponse:
        """A post to a slash command's response_url."""
        envelope_id = self._reply_paths.get(path)
        if envelope_id is None:
            return HttpResponse.text(404, "expired_url")
        if sum(1 for e, _ in self.replies if e == envelope_id) >= REPLY_USES:
            return HttpResponse.text(404, "used_url")
        if params.get("invalid_payload") or not str(params.get("text") or "").strip():
            return HttpResponse.text(400, "no_text")
        self.replies.append((envelope_id, params))
        channel = next(e["payload"]["channel_id"] for e in self.socket.sent
                       if e["envelope_id"] == envelope_id)  # fmt: skip
        self._show(envelope_id, channel, params)
        return HttpResponse.text(200, "ok")

    @property
    def api_url(self) -> str:
        return f"{self.origin}/api"

    @property
    def webhook_url(self) -> str:
        return f"{self.origin}{WEBHOOK_PATH}"

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` ("chat.postMessage", "chat.update",
        "webhook", "response_url", or "*") with an error: a 429 (with Retry-After), a 5xx, or
        an error code."""
        self._faults.add(method, (status, error, retry_after), times)

    def handle(self, request: HttpRequest) -> HttpResponse:
        if request.path == WEBHOOK_PATH:
            method = "webhook"
        elif request.path.startswith(("/commands/", "/actions/")):
            method = "response_url"
        elif request.path.startswith("/services/"):
            return HttpResponse.text(403, "invalid_token")
        elif request.path.startswith("/api/"):
            method = request.path.removeprefix("/api/")
        else:
            return HttpResponse.text(404, "not found")
        params = self._params(request, method)
        fault = self.scripted(method, params)
        if fault is not None:
            return _fault(method, *fault)
        with self.lock:
            if method == "webhook":
                return self._webhook(params)
            if method == "response_url":
                return self._reply(request.path, params)
            return self._web_api(method, params, request.headers.get("authorization", ""))

    def _params(self, request: HttpRequest, method: str) -> dict[str, Any]:
        if method not in ("webhook", "response_url"):
            return request_params(request)
        try:
            payload = json.loads(request.body or b"null")
        except ValueError:
            payload = None
        return payload if isinstance(payload, dict) else {"invalid_payload": True}

    def _web_api(self, method: str, params: dict[str, Any], auth: str) -> HttpResponse:
        token = auth.removeprefix("Bearer ").strip() if auth else str(params.get("token", ""))
        if not token:
            return _refuse("not_authed")
        if method == "apps.connections.open":  # the only method taking the app-level token
            if token == self.token:
                return _refuse("not_allowed_token_type")
            if token != self.app_token:
                return _refuse("invalid_auth")
            return _ok({"url": self.socket.new_url()})
        if token != self.token:
            return _refuse("not_allowed_token_type" if token == self.app_token else "invalid_auth")
        if method == "chat.postMessage":
            return self._post_message(params)
        if method == "chat.update":
            return self._update(params)
        if method == "chat.postEphemeral":
            return self._post_ephemeral(params)
        return _refuse("unknown_method")

    def _post_ephemeral(self, params: dict[str, Any]) -> HttpResponse:
        problem = self._check(params)
        if problem is not None:
            return problem
        if not params.get("user"):
            return _refuse("user_not_in_channel")
        channel, user = str(params["channel"]), str(params["user"])
        self.ephemeral.append((channel, user, str(params["text"])))
        return _ok({"message_ts": self._next_ts()})

    def _keep_blocks(self, channel: str, ts: str, params: dict[str, Any]) -> HttpResponse | None:
        """Block Kit as Slack checks it (the parts watcher uses), kept per message."""
        blocks = params.get("blocks")
        if blocks is None:
            self.blocks.get(channel, {}).pop(ts, None)
            return None
        if not isinstance(blocks, list) or not 0 < len(blocks) <= 50 or not all(
            _block_ok(b) for b in blocks
        ):
            return _refuse("invalid_blocks")
        self.blocks.setdefault(channel, {})[ts] = blocks
        return None

    def _check(self, params: dict[str, Any]) -> HttpResponse | None:
        channel = str(params.get("channel") or "")
        if not channel or (self.channels is not None and channel not in self.channels):
            return _refuse("channel_not_found")
        text = str(params.get("text") or "")
        if not text.strip():
            return _refuse("no_text")
        if len(text) > MAX_TEXT:
            return _refuse("msg_too_long")
        return None

    def _next_ts(self) -> str:
        self._seq += 1
        return f"{int(time.time())}.{self._seq:06d}"

    def _post_message(self, params: dict[str, Any]) -> HttpResponse:
        problem = self._check(params)
        if problem is not None:
            return problem
        channel, text, ts = str(params["channel"]), str(params["text"]), self._next_ts()
        refused = self._keep_blocks(channel, ts, params)
        if refused is not None:
            return refused
        self.messages.setdefault(channel, {})[ts] = text
        message = _message(ts, text)
        if params.get("thread_ts"):
            message["thread_ts"] = self.threads.setdefault(channel, {})[ts] = str(
                params["thread_ts"]
            )
        return _ok({"channel": channel, "ts": ts, "message": message})

    def _update(self, params: dict[str, Any]) -> HttpResponse:
        problem = self._check(params)
        if problem is not None:
            return problem
        channel, text, ts = str(params["channel"]), str(params["text"]), str(params.get("ts"))
        box = self.messages.get(channel, {})
        if ts not in box:
            return _refuse("message_not_found")
        refused = self._keep_blocks(channel, ts, params)
        if refused is not None:
            return refused
        box[ts] = text
        return _ok({"channel": channel, "ts": ts, "text": text, "message": _message(ts, text)})

    def _webhook(self, params: dict[str, Any]) -> HttpResponse:
        if params.get("invalid_payload"):
            return HttpResponse.text(400, "invalid_payload")
        text = str(params.get("text") or "")
        if not text.strip():
            return HttpResponse.text(400, "no_text")
        self.messages.setdefault(self.webhook_channel, {})[self._next_ts()] = text
        return HttpResponse.text(200, "ok", {"Content-Type": "text/html"})


def _message(ts: str, text: str) -> dict[str, Any]:
    return {"type": "message", "subtype": "bot_message", "bot_id": "B0000TEST", "ts": ts,
            "text": text}  # fmt: skip


def _block_ok(block: Any) -> bool:
    """A section of mrkdwn (<= 3000 characters) or an actions block of buttons."""
    if not isinstance(block, dict):
        return False
    if block.get("type") == "section":
        text = block.get("text") or {}
        size = len(text.get("text", ""))
        return text.get("type") in ("mrkdwn", "plain_text") and 0 < size <= 3000
    if block.get("type") == "actions":
        elements = block.get("elements") or []
        ids = [e.get("action_id") for e in elements]
        return 0 < len(elements) <= 25 and len(set(ids)) == len(ids) and all(
            e.get("type") == "button" and 0 < len(e["text"]["text"]) <= 75
            and len(e.get("value", "")) <= 2000 for e in elements
        )  # fmt: skip
    return False


def _ok(fields: dict[str, Any]) -> HttpResponse:
    return HttpResponse.json(200, {"ok": True, **fields})


def _refuse(error: str) -> HttpResponse:
    return HttpResponse.json(200, {"ok": False, "error": error})


def _fault(method: str, status: int, error: str | None, retry_after: int | None) -> HttpResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    if status == 429:
        if method in ("webhook", "response_url"):
            return HttpResponse.text(429, "rate_limited", headers)
        return HttpResponse.json(429, {"ok": False, "error": "ratelimited"}, headers)
    if status >= 500:
        return HttpResponse(status, b"<html><body>upstream trouble</body></html>",
                            {"Content-Type": "text/html"})  # fmt: skip
    if method in ("webhook", "response_url"):
        return HttpResponse.text(status if status != 200 else 400, error or "invalid_payload")
    return HttpResponse.json(status, {"ok": False, "error": error or "fatal_error"})
