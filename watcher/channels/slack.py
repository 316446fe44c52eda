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
"""

from __future__ import annotations

import logging
import math
from typing import Any

import httpx

from watcher.channels.base import SecretRedactor, scrub, scrub_chain
from watcher.delivery.pacing import Limit, slack_limits
from watcher.errors import ChannelError, PermanentChannelError, RetryAfterError
from watcher.model import Alert
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
    ) -> None:
        if webhook_url is None and not (token and channel):
            raise ValueError(f"slack channel {name!r} needs token and channel, or webhook_url")
        self.name = name
        self.channel = channel
        self.can_edit = webhook_url is None
        self.can_reply = webhook_url is None
        self._token = token
        self._webhook_url = webhook_url
        self._api_url = api_url.rstrip("/")
        self._secrets = tuple(s for s in (token, webhook_url) if s)
        self._redactor = SecretRedactor(self._secrets)
        self._redactor.attach("httpx")  # it logs every request URL at INFO
        self._client = httpx.AsyncClient(timeout=timeout)

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
        body = await self._web("chat.postMessage", self._message(render_slack(alert)))
        # Slack answers with the channel's ID; chat.update needs that, not a "#name".
        self.channel = str(body.get("channel") or self.channel)
        return str(body["ts"])

    async def edit(self, ref: str, alert: Alert) -> str:
        if self._webhook_url is not None:
            return await self._follow_up(ref, alert)
        payload = {"channel": self.channel, "ts": ref, "text": render_slack(alert)}
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
        await self._client.aclose()
        self._redactor.detach()

    def _message(self, text: str) -> dict[str, Any]:
        return {"channel": self.channel, "text": text, "unfurl_links": False, "unfurl_media": False}

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
        self, what: str, url: str, payload: dict[str, Any], headers: dict[str, str]
    ) -> httpx.Response:
        """POST JSON; transport failures, 429 and 5xx translated (other answers returned)."""
        try:
            response = await self._client.post(url, json=payload, headers=headers)
        except httpx.TimeoutException as exc:
            scrub_chain(exc, self._secrets)
            raise ChannelError(f"slack {what} to {self.name}: timed out") from exc
        except httpx.HTTPError as exc:
            scrub_chain(exc, self._secrets)
            detail = scrub(f"{type(exc).__name__}: {exc}", self._secrets)
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
        if error in _PERMANENT or (what == "webhook" and 400 <= response.status_code < 500):
            return PermanentChannelError(detail)
        return ChannelError(detail)


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
