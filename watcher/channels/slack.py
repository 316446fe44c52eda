"""Slack delivery: the Web API (chat.postMessage / chat.update) or an incoming webhook, via httpx.

Web API calls carry a Bearer token and a JSON body; Slack answers HTTP 200 with {"ok": false,
"error": code} for refusals. Translated here:

    HTTP 429 (or error "ratelimited")     -> RetryAfterError(Retry-After header, seconds)
    invalid_auth, channel_not_found, not_in_channel, is_archived, ... -> PermanentChannelError
    HTTP 5xx, timeouts, transport errors, other codes                 -> ChannelError
    chat.update on a message that is gone -> a new message is posted; its ts returned

Slack reports no chat moves and has no "bot blocked" state: `not_in_channel` and the like are
refusals, failing the alert visibly. Pacing: about one message a second per channel (`limits`).

A development's follow-up is a chat.postMessage in the alert's thread (thread_ts). An incoming
webhook can neither edit nor reply: `can_edit` and `can_reply` are False, and `edit` posts a
short update naming the sources added since. Its refs are "webhook:N", N being how many sources
the channel has shown, so an update names exactly the new ones even across restarts. The token
and the webhook URL are secrets: scrubbed from exception chains and from httpx's log records.

With `commands` (issue 15) the channel is also `Listening` (channels/talk.py): the desk's
slash commands, button presses and message shortcuts come over Socket Mode
(channels/slack_socket.py, with the app-level token), and its alerts carry Block Kit buttons,
"Mute story" and "Not the same story", whose values are the same data as Telegram's
(`mute:12`, `split:12`). Every envelope is acknowledged: a mute or unmute's answer travels
in its ack, after the commit (in the channel, for the whole desk to see); another slash command
is acked as it is taken and its answer, shown to its user, is POSTed to its `response_url`
(Slack waits 3 s for an ack; `/watcher test` may take longer), once: a failure is logged (the
URL's secret path never is) and not retried; a press or a shortcut gets a bare ack and its
answer as an ephemeral message (chat.postEphemeral: Slack has no toast like
answerCallbackQuery). An envelope that watcher does not answer (a
foreign channel's, an event it does not read) gets a bare ack when the next batch is taken,
and one Slack delivers again (its ack lost in a reconnect) is acknowledged, not handled twice.
"""

from __future__ import annotations

import hashlib
import html
import logging
import math
import re
from collections.abc import Iterable
from typing import Any

import httpx

from watcher.channels.base import SecretRedactor, scrub, scrub_chain
from watcher.channels.slack_socket import Envelope, SocketInbox, changes_state, chat_event
from watcher.channels.talk import ChatEvent, alert_buttons
from watcher.delivery.pacing import Limit, slack_limits
from watcher.errors import ChannelError, PermanentChannelError, RetryAfterError
from watcher.model import Alert
from watcher.redact import redact
from watcher.render import render_slack, render_slack_update, sources

__all__ = ["SlackChannel"]

log = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 30.0  # when a 429 comes without a usable Retry-After
_PERMANENT = frozenset(
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
        "no_permission", "missing_scope", "not_allowed_token_type", "access_denied",
        "channel_not_found", "not_in_channel", "is_archived", "channel_is_archived",
        "restricted_action", "team_access_not_granted", "ekm_access_denied", "org_login_required",
        "msg_too_long", "no_text", "invalid_blocks", "invalid_arguments", "invalid_arg_name",
        "invalid_token", "no_service", "no_service_id", "no_team", "team_disabled",
        "action_prohibited", "posting_to_general_channel_denied", "invalid_payload",
    }
)  # fmt: skip
_MESSAGE_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
_WEBHOOK_REF = "webhook:"


class SlackChannel:
    def __init__(
        self,
        name: str,
        *,
        token: str | None = None,
        channel: str | None = None,
        api_url: str = "https://slack.com/api",
        webhook_url: str | None = None,
        timeout: float = 20.0,
        app_token: str | None = None,
        command_users: Iterable[str] = (),
        ping_interval: float = 5.0,
        socket: SocketInbox | None = None,
    ) -> None:
        """`socket`: the Socket Mode connection of its app when channels share one (app.py);
        else a channel with an `app_token` opens its own."""
        if webhook_url is None and not (token and channel):
            raise ValueError(f"slack channel {name!r} needs token and channel, or webhook_url")
        self.name = name
        self.channel = channel
        self.can_edit = webhook_url is None
        self.can_reply = webhook_url is None
        self.commands = app_token is not None and webhook_url is None  # alerts carry buttons
        self.command_users = frozenset(command_users)
        self.bot_key = "slack:" + hashlib.sha256((app_token or "").encode()).hexdigest()[:16]
        self._token = token
        self._webhook_url = webhook_url
        self._api_url = api_url.rstrip("/")
        self._secrets = tuple(s for s in (token, webhook_url, app_token) if s)
        self._redactor = SecretRedactor(self._secrets)
        self._redactor.attach("httpx")  # it logs every request URL at INFO
        self._client = httpx.AsyncClient(timeout=timeout)
        if self.commands and socket is None and app_token is not None:
            socket = SocketInbox(name, app_token=app_token, api_url=api_url,
                                 secrets=self._secrets, ping_interval=ping_interval,
                                 timeout=timeout)  # fmt: skip
        self._socket = socket.use() if self.commands and socket is not None else None

    def __repr__(self) -> str:
        where = "webhook" if self._webhook_url else f"channel={self.channel!r}"
        return f"SlackChannel({self.name!r}, {where})"

    @property
    def chat(self) -> str | None:
        return self.channel  # None for a webhook: its channel is fixed by the webhook URL

    def move_to(self, chat: str) -> None:
        self.channel = chat  # never asked: Slack reports no chat moves

    def limits(self) -> tuple[Limit, ...]:
        return slack_limits(self.name)

    async def send(self, alert: Alert) -> str:
        if self._webhook_url is not None:
            await self._webhook(render_slack(alert))
            return f"{_WEBHOOK_REF}{len(sources(alert.story))}"
        body = await self._web("chat.postMessage", self._message(render_slack(alert), alert))
        # Slack answers with the channel's ID; chat.update needs that, not a "#name".
        self.channel = str(body.get("channel") or self.channel)
        return str(body["ts"])

    async def edit(self, ref: str, alert: Alert) -> str:
        if self._webhook_url is not None:
            return await self._follow_up(ref, alert)
        text = render_slack(alert)
        payload = {"channel": self.channel, "ts": ref, "text": text, **self._blocks(text, alert)}
        body = await self._web("chat.update", payload, gone_ok=True)
        if body.get("ok"):
            return ref
        log.info("slack channel=%s message=%s cannot be updated; posting anew", self.name, ref)
        return await self.send(alert)

    async def reply(self, ref: str, alert: Alert) -> str:
        if self._webhook_url is not None:  # cannot thread: the delivery never asks (can_reply)
            return await self.send(alert)
        payload = {**self._message(render_slack(alert)), "thread_ts": ref}
        body = await self._web("chat.postMessage", payload)
        return str(body["ts"])

    async def aclose(self) -> None:
        if self._socket is not None:
            await self._socket.aclose()
        await self._client.aclose()
        self._redactor.detach()

    def _message(self, text: str, alert: Alert | None = None) -> dict[str, Any]:
        blocks = self._blocks(text, alert) if alert is not None else {}
        return {"channel": self.channel, "text": text, "unfurl_links": False,
                "unfurl_media": False, **blocks}  # fmt: skip

    def _blocks(self, text: str, alert: Alert) -> dict[str, Any]:
        """The alert as Block Kit with its buttons (text as the notification's fallback)."""
        shown = alert_buttons(alert) if self.commands else []
        if not shown:
            return {}
        buttons = [
            {"type": "button", "text": {"type": "plain_text", "text": label},
             "action_id": data.partition(":")[0], "value": data}
            for label, data in shown
        ]  # fmt: skip
        section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
        actions = {"type": "actions", "block_id": "watcher", "elements": buttons}
        return {"blocks": [section, actions]}

    # -- Listening (channels/talk.py), over Socket Mode --------------------------------------

    async def updates(self, offset: int, timeout: float) -> tuple[list[ChatEvent], int]:
        """What the desk did since the last call, waiting up to `timeout` s, numbered from
        `offset` on (Socket Mode has no offsets of its own: they only count what was read)."""
        if self._socket is None:
            return [], offset
        events = await self._socket.events(offset, timeout)
        return events, offset + len(events)

    async def say(self, chat_id: str, text: str, reply_to: str | None = None) -> str:
        """Answer (Telegram-style HTML, as watcher/talk writes it) the envelope `reply_to`."""
        socket = self._socket
        envelope = socket.waiting(reply_to) if socket is not None else None
        mrkdwn = html_to_mrkdwn(text)
        if envelope is not None and envelope.accepts_response:  # a mute: answered in its ack
            await self._ack(envelope.envelope_id, _answer(envelope, mrkdwn))
            return envelope.envelope_id
        asked = socket.answering(reply_to) if socket is not None else None
        if asked is not None and asked.accepts_response:  # a slash command acked as it came
            await self._respond(asked, _answer(asked, mrkdwn))
            return asked.envelope_id
        shortcut = asked or envelope
        if shortcut is not None:  # a message shortcut: only its user sees the answer
            await self._ack(shortcut.envelope_id)
            return await self._ephemeral(shortcut, chat_id, mrkdwn)
        body = await self._web("chat.postMessage", {"channel": chat_id, "text": mrkdwn})
        return str(body["ts"])

    async def answer_press(self, press_id: str, text: str) -> None:
        envelope = self._socket.waiting(press_id) if self._socket is not None else None
        if envelope is None:
            return
        await self._ack(press_id)
        channel = str((envelope.payload.get("container") or {}).get("channel_id") or "")
        await self._ephemeral(envelope, channel, slack_escape(text))

    async def _ack(self, envelope_id: str, payload: dict[str, Any] | None = None) -> None:
        if self._socket is not None:
            await self._socket.ack(envelope_id, payload)

    async def _respond(self, envelope: Envelope, answer: dict[str, Any]) -> None:
        """A slash command's answer POSTed to its response_url; once (Slack takes five within
        30 minutes, and one that failed is no better the second time)."""
        url = str(envelope.payload["response_url"])
        response = await self._post("response_url", url, answer, {}, hide=url)
        if response.status_code != 200:  # 404 expired_url, used_url, ...
            said = response.text.strip()[:100]
            reason = redact(scrub(said, (*self._secrets, url))) or "no reason given"
            raise self._refusal("response_url", reason, response)

    async def _ephemeral(self, envelope: Envelope, channel: str, text: str) -> str:
        user = (envelope.payload.get("user") or {}).get("id")
        payload = {"channel": channel or self.channel, "user": user, "text": text}
        body = await self._web("chat.postEphemeral", payload)
        return str(body.get("message_ts", ""))

    async def _follow_up(self, ref: str, alert: Alert) -> str:
        total = len(sources(alert.story))
        shown = _shown(ref, total)
        if shown >= total:
            return ref  # nothing new to name (e.g. only another rule matched)
        await self._webhook(render_slack_update(alert, shown))
        return f"{_WEBHOOK_REF}{total}"

    async def _web(self, method: str, payload: dict[str, Any], gone_ok: bool = False) -> Any:
        """The answer of a Web API method; with gone_ok, a "message gone" refusal is returned."""
        headers = {"Authorization": f"Bearer {self._token}"}
        response = await self._post(method, f"{self._api_url}/{method}", payload, headers)
        try:
            body = response.json()
        except ValueError as exc:
            raise ChannelError(f"slack {method} to {self.name}: answer is not JSON") from exc
        if not isinstance(body, dict):
            raise ChannelError(f"slack {method} to {self.name}: unexpected answer")
        error = str(body.get("error") or "")
        if body.get("ok") or (gone_ok and error in _MESSAGE_GONE):
            return body
        raise self._refusal(method, error or "unknown_error", response)

    async def _webhook(self, text: str) -> None:
        assert self._webhook_url is not None
        payload = {"text": text, "unfurl_links": False, "unfurl_media": False}
        response = await self._post("webhook", self._webhook_url, payload, {})
        if response.status_code != 200:
            reason = scrub(response.text.strip()[:100], self._secrets) or "no reason given"
            raise self._refusal("webhook", reason, response)

    async def _post(
        self,
        what: str,
        url: str,
        payload: dict[str, Any],
        headers: dict[str, str],
        hide: str = "",
    ) -> httpx.Response:
        """POST JSON; transport failures, 429 and 5xx translated (other answers returned).
        `hide`: a secret of this one call (a response_url), kept out of the errors too."""
        secrets = (*self._secrets, hide) if hide else self._secrets
        try:
            response = await self._client.post(url, json=payload, headers=headers)
        except httpx.TimeoutException as exc:
            scrub_chain(exc, secrets)
            raise ChannelError(f"slack {what} to {self.name}: timed out") from exc
        except httpx.HTTPError as exc:
            scrub_chain(exc, secrets)
            detail = redact(scrub(f"{type(exc).__name__}: {exc}", secrets))
            raise ChannelError(f"slack {what} to {self.name}: {detail}") from exc
        if response.status_code == 429:
            raise self._refusal(what, "ratelimited", response)
        if response.status_code >= 500:
            raise ChannelError(f"slack {what} to {self.name}: HTTP {response.status_code}")
        return response

    def _refusal(self, what: str, error: str, response: httpx.Response) -> ChannelError:
        detail = f"slack {what} to {self.name}: {error}"
        if error == "ratelimited":
            return RetryAfterError(detail, _retry_after(response.headers.get("Retry-After")))
        hook = what in ("webhook", "response_url")  # answers a status and a word, not JSON
        if error in _PERMANENT or (hook and 400 <= response.status_code < 500):
            return PermanentChannelError(detail)
        return ChannelError(detail)


def _answer(envelope: Envelope, mrkdwn: str) -> dict[str, Any]:
    """A slash command's answer: shown to whoever asked, a mute or unmute to the whole desk
    (a change, and by whom)."""
    said = chat_event(envelope, 0)
    shown = "in_channel" if said is not None and changes_state(said) else "ephemeral"
    return {"text": mrkdwn, "response_type": shown}


def _shown(ref: str, total: int) -> int:
    """How many sources a webhook ref says were shown (a foreign ref: all but the last)."""
    count = ref.removeprefix(_WEBHOOK_REF)
    return int(count) if ref.startswith(_WEBHOOK_REF) and count.isdigit() else max(0, total - 1)


def _retry_after(value: str | None) -> float:
    try:
        seconds = float(value) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:  # an HTTP-date: Slack sends seconds, so this is not worth parsing
        return DEFAULT_RETRY_AFTER
    return max(seconds, 0.0) if math.isfinite(seconds) else DEFAULT_RETRY_AFTER


_TAGS = {"<b>": "*", "</b>": "*", "<i>": "_", "</i>": "_", "<code>": "`", "</code>": "`"}
_TAG = re.compile("|".join(map(re.escape, _TAGS)))


def html_to_mrkdwn(text: str) -> str:
    """watcher/talk's answers (Telegram HTML: b, i, code, and &amp; &lt; &gt;) as Slack mrkdwn,
    whose escapes are the same three."""
    return _TAG.sub(lambda m: _TAGS[m.group(0)], text)


def slack_escape(text: str) -> str:
    return html.escape(text, quote=False)  # &, < and >: all Slack wants escaped
