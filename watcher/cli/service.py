"""Commands that run the pipeline: `run`, `poll-once`, `demo`.

The only commands that send, so the only ones that load the chat clients (app.py), the
scheduler and the metrics: each handler imports them when it runs, and registering the
commands (which every `watcher` start-up does) imports none of them.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from watcher import config
from watcher.assembly import utc_now
from watcher.cli.common import EXIT_OK, setup_logging
from watcher.errors import ConfigError
from watcher.model import Feed
from watcher.rulebook import RuleSet, load_rules

if TYPE_CHECKING:
    from watcher.app import App
    from watcher.health import Health
    from watcher.metrics import Metrics
    from watcher.talk.poller import ChatPoller
    from watcher.web.desk import Hooks

log = logging.getLogger("watcher")


NEW_DATABASE_HELP = (
    "start an empty database where one that held history is now empty or missing "
    "(otherwise refused: restore a backup instead)"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="run the service: poll feeds on schedule and deliver alerts")
    poll = sub.add_parser("poll-once", help="poll every feed once, deliver pending alerts, exit")
    for parser, handler in ((run, cmd_run), (poll, cmd_poll_once)):
        parser.add_argument("--new-database", action="store_true", help=NEW_DATABASE_HELP)
        parser.set_defaults(handler=handler)
    sub.add_parser(
        "demo", help="run the whole pipeline offline on bundled sample feeds"
    ).set_defaults(handler=cmd_demo)


def open_from_args(
    args: argparse.Namespace,
    exclusive: str | None = None,
    *,
    new_database: bool = False,
    metrics: Metrics | None = None,
) -> App:
    """Config, secrets, rules and database, for the commands that poll or send; `exclusive`
    (the command's name) takes the database's process lock (see store/lock.py);
    `new_database` (--new-database) lets an empty one replace a lost one (store/damage.py);
    `metrics` counts the channels' sends (`watcher run`)."""
    from watcher.app import open_app  # the chat clients: only for the commands that send

    path = config.config_path(args.config)
    loaded = config.load(path)
    if missing := loaded.missing_secrets(path):
        raise ConfigError(missing)
    setup_logging(loaded.service.log_level)
    rules = load_rules(loaded.rules.paths, channel_names=loaded.channel.keys())
    return open_app(
        loaded, rules=rules, exclusive=exclusive, new_database=new_database, metrics=metrics
    )


def cmd_poll_once(args: argparse.Namespace) -> int:
    from watcher.app import poll_once

    app = open_from_args(args, exclusive="poll-once", new_database=args.new_database)
    asyncio.run(poll_once(app))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from watcher.metrics import Metrics
    from watcher.service import Service

    metrics = Metrics()  # counts every send: app.py wraps the channels in MeteredChannel
    app = open_from_args(args, exclusive="run", new_database=args.new_database, metrics=metrics)
    settings = app.settings
    path = config.config_path(args.config)

    def load_feeds() -> list[Feed]:  # SIGHUP: the feed list as the config file says now
        return config.load(path).feeds()

    async def main_loop() -> int:
        service = Service(
            app.pipeline,
            app.deliverer,
            app.store,
            app.feeds,
            load_rules=app.load_rules,
            load_feeds=load_feeds,
            rule_paths=settings.rules.paths,
            clock=utc_now,
            concurrency=settings.fetch.concurrency,
            delivery_check=settings.service.delivery_check,
            reload_check=settings.rules.reload_check,
            http=settings.service.http,
            web=settings.web.listen,
            desk=desk_page(settings),
            retention=max(settings.stories.retention, settings.stories.window),
            prune_every=settings.service.prune_every,
            notices=app.deliverer.notices,
            metrics=metrics,
        )
        if app.listeners:
            service.chat_pollers = _chat_pollers(app, service.health)
        try:
            return await service.run()
        finally:
            await app.aclose()

    return asyncio.run(main_loop())


def desk_page(settings: config.Settings) -> Callable[[Hooks], Any] | None:
    """The desk page's app factory when `[web] listen` is set (the service lends it hooks)."""
    if settings.web.listen is None:
        return None
    from watcher.web.desk import DeskConfig, desk_app
    from watcher.web.users import read_users

    def validate(texts: Mapping[str, str]) -> RuleSet:
        channels = settings.channel.keys()
        return load_rules(settings.rules.paths, channel_names=channels, texts=texts)

    users = settings.web.users_path(settings.storage.path)
    if not read_users(users):
        log.warning(
            "the desk page has no users yet: add one with `watcher web adduser NAME --role "
            "admin` file=%s",
            users,
        )
    desk = DeskConfig(
        users_file=users,
        edits_log=settings.storage.path.parent / "rule-edits.jsonl",
        rule_paths=tuple(settings.rules.paths),
        validate=validate,
    )
    return functools.partial(desk_app, desk)


def _chat_pollers(app: App, health: Callable[[], Health]) -> list[ChatPoller]:
    """A poller per bot of the channels with `commands = true` (watcher/talk/)."""
    from watcher.talk.desk import DeskTalk
    from watcher.talk.poller import pollers

    desk = DeskTalk(
        store=app.store,
        splitter=app.pipeline,
        compile_query=lambda query: app.pipeline.rules.compile_query(query),
        rule_names=lambda: {rule.name for rule in app.pipeline.rules.rules},
        health=health,
        clock=utc_now,
    )
    return pollers(app.listeners, desk, app.store, utc_now)


def cmd_demo(args: argparse.Namespace) -> int:
    from watcher.demo import run_demo

    setup_logging("WARNING")
    return run_demo()
