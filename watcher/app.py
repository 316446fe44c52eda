"""Assembling watcher from its settings for the commands that poll and send (`run`,
`poll-once`, `demo`): the composition root's upper half (assembly.py is the lower one). Only
those commands import this module: it loads the chat clients.

`open_app` turns validated Settings into the objects the pipeline needs (store, fetcher, story
index rebuilt from the database, rules, channels) and hands them over in one `App`. Nothing else
reads settings, so every other module can be built in a test from exactly what it needs.
`poll_once` runs an assembled app once: every feed polled, the outbox drained (`watcher
poll-once`, the demo's rounds).
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from watcher.assembly import USER_AGENT, build_pipeline, utc_now
from watcher.channels.base import Channel
from watcher.channels.console import ConsoleChannel
from watcher.channels.slack import SlackChannel
from watcher.channels.slack_socket import SocketInbox
from watcher.channels.talk import Listening
from watcher.channels.telegram import TelegramChannel
from watcher.config import Settings
from watcher.config_channels import (
    ChannelSettings,
    ConsoleChannelSettings,
    SlackChannelSettings,
    TelegramChannelSettings,
)
from watcher.delivery.admin_notices import Notices
from watcher.delivery.deliverer import Deliverer, DeliveryReport, drain
from watcher.fetch import Fetcher, user_agent
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet, load_rules
from watcher.store import Store
from watcher.store.lock import ProcessLock, hold

if TYPE_CHECKING:
    from watcher.metrics import Metrics

__all__ = ["USER_AGENT", "App", "build_channel", "open_app", "poll_once", "utc_now"]

log = logging.getLogger("watcher.app")


@dataclass
class App:
    settings: Settings
    store: Store
    fetcher: Fetcher
    pipeline: Pipeline
    deliverer: Deliverer
    feeds: list[Feed]
    lock: ProcessLock | None = None  # held by the commands that poll and deliver
    listeners: list[Listening] = field(default_factory=list)  # chats read for commands

    def load_rules(self) -> RuleSet:
        return load_rules(self.settings.rules.paths, channel_names=self.settings.channel.keys())

    async def aclose(self) -> None:
        await self.fetcher.aclose()
        for channel in self.deliverer.channels.values():
            await channel.aclose()
        self.store.close()
        if self.lock is not None:
            self.lock.release()


def build_telegram(name: str, spec: TelegramChannelSettings) -> TelegramChannel:
    return TelegramChannel(
        name,
        token=spec.resolved_token(),
        chat_id=spec.chat_id,
        api_url=spec.api_url,
        thread_id=spec.thread_id,
        link_preview=spec.link_preview,
        commands=spec.commands,
        command_users=spec.command_users,
    )


def build_slack(
    name: str, spec: SlackChannelSettings, sockets: dict[str, SocketInbox] | None = None
) -> SlackChannel:
    """A Slack channel; with `commands`, channels of one app share its socket in `sockets`."""
    token, app_token = spec.resolved_token(), spec.resolved_app_token()
    socket = None
    if sockets is not None and app_token is not None:
        socket = sockets.get(app_token) or SocketInbox(
            name, app_token=app_token, api_url=spec.api_url, secrets=(token or "",)
        )
        sockets[app_token] = socket
    return SlackChannel(
        name,
        token=token,
        channel=spec.channel,
        api_url=spec.api_url,
        webhook_url=spec.resolved_webhook(),
        app_token=app_token,
        command_users=spec.command_users,
        socket=socket,
    )


def build_channel(name: str, spec: ChannelSettings, stream: TextIO, start: int = 0) -> Channel:
    """The channel `spec` describes; a console channel numbers its messages from `start` + 1."""
    if isinstance(spec, TelegramChannelSettings):
        return build_telegram(name, spec)
    if isinstance(spec, SlackChannelSettings):
        return build_slack(name, spec)
    assert isinstance(spec, ConsoleChannelSettings)
    return ConsoleChannel(name, stream=stream, start=start)


def _console_start(store: Store, name: str, spec: ChannelSettings, admin: str | None) -> int:
    """Where a console channel's message numbers go on from (other channels: unused)."""
    if not isinstance(spec, ConsoleChannelSettings):
        return 0
    return store.last_message_number(name, admin=name == admin)


def open_app(
    settings: Settings,
    *,
    rules: RuleSet,
    clock: Callable[[], datetime] = utc_now,
    stream: TextIO | None = None,
    rng: random.Random | None = None,
    exclusive: str | None = None,
    new_database: bool = False,
    metrics: Metrics | None = None,
) -> App:
    """Open the database and build every collaborator. Raises StoreError if the DB is unusable.

    `exclusive` names a command that polls and delivers (`run`, `poll-once`): it takes the
    database's process lock first, and DatabaseInUseError says so if another process holds it.
    `new_database`: start an empty database where a lost one was (store/damage.py).
    `metrics`: count every send through each channel (`watcher run`, which serves them).
    """
    settings.storage.path.parent.mkdir(parents=True, exist_ok=True)
    lock = hold(settings.storage.path, exclusive) if exclusive is not None else None
    try:
        store = Store(settings.storage.path, new_database=new_database)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    fetcher = Fetcher(
        user_agent=user_agent(USER_AGENT, settings.fetch.contact),
        timeout=settings.fetch.timeout.total_seconds(),
        max_bytes=settings.fetch.max_bytes,
        per_host=settings.fetch.per_host,
    )
    rng = rng or random.Random()
    notices = Notices(store, clock)  # admin notices, from feeds (pipeline) and channels
    pipeline = build_pipeline(
        settings, store, fetcher=fetcher, rules=rules, clock=clock, rng=rng, notices=notices
    )
    # The only poller (it holds the lock): a poll a crash cut short is settled now.
    folded = store.settle_open(settings.defaults.burst_limit, clock()) if exclusive else 0
    if folded:
        log.info("an interrupted poll's alerts settled folded=%d", folded)
    out = stream if stream is not None else sys.stdout
    admin = settings.service.admin_channel
    channels: dict[str, Channel] = {}
    listeners: list[Listening] = []  # channels whose chat is read (`commands = true`)
    sockets: dict[str, SocketInbox] = {}  # one Slack Socket Mode connection per app
    for name, spec in settings.channel.items():
        if isinstance(spec, TelegramChannelSettings):
            telegram = build_telegram(name, spec)
            channels[name] = telegram
            if spec.commands:
                listeners.append(telegram)
        elif isinstance(spec, SlackChannelSettings):
            slack = build_slack(name, spec, sockets)
            channels[name] = slack
            if slack.commands:
                listeners.append(slack)
        else:
            start = _console_start(store, name, spec, admin)
            channels[name] = build_channel(name, spec, out, start)
    if metrics is not None:
        from watcher.metrics import MeteredChannel  # prometheus-client: only for `run`

        channels = {name: MeteredChannel(ch, metrics) for name, ch in channels.items()}
    deliverer = Deliverer(
        store=store,
        channels=channels,
        clock=clock,
        rng=rng,
        policies={name: spec.desk_policy() for name, spec in settings.channel.items()},
        admin_channel=admin,
        notices=notices,
        shown=pipeline.boilerplate.shown,
    )
    return App(settings, store, fetcher, pipeline, deliverer, settings.feeds(), lock, listeners)


async def poll_once(app: App) -> DeliveryReport:
    """Poll every feed once ([fetch] concurrency read at a time; all their new items taken
    together, oldest first: `Pipeline.poll_many`), deliver until nothing more can go out soon
    (`drain`), then close the app: `watcher poll-once`, and each round of the demo."""
    try:
        slots = asyncio.Semaphore(app.settings.fetch.concurrency)
        await app.pipeline.poll_many(app.feeds, slots)
        report = await drain(app.deliverer)
        log.info(
            "poll-once done feeds=%d sent=%d edited=%d failed=%d waiting=%d",
            len(app.feeds),
            report.sent,
            report.edited,
            report.failed,
            app.store.outbox_depth(),
        )
    finally:
        await app.aclose()
    return report
