"""The command line: `watcher run | poll-once | check | test-rule | stories | demo`.

Exit codes: 0 success; 1 a check failed, a rule did not match, or the config/rules are invalid;
2 a command-line or query syntax error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

from watcher import __version__, config
from watcher.app import App, open_app, utc_now
from watcher.errors import ConfigError, QuerySyntaxError, RuleError, StoreError
from watcher.model import Feed, Story
from watcher.query import Document, compile_query
from watcher.rulebook import load_entities, load_rules

log = logging.getLogger("watcher")

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def setup_logging(level: str = "INFO") -> None:
    """One line per event on stderr (journald adds the time); never a secret."""
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # httpx logs every request URL at INFO, and a Telegram API URL carries the bot token.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="watcher",
        description="News-desk alerting: polls feeds, groups items into stories, matches the "
        "desk's rules and alerts Telegram, Slack or the console.",
    )
    parser.add_argument("--version", action="version", version=f"watcher {__version__}")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="config file (default: $WATCHER_CONFIG, else ./config.toml)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the service: poll feeds on schedule and deliver alerts")
    sub.add_parser("poll-once", help="poll every feed once, deliver pending alerts, exit")
    sub.add_parser("check", help="validate the config and rule files; list every error")
    test = sub.add_parser(
        "test-rule", help="try a query on a text: exit 0 match, 1 none, 2 invalid"
    )
    test.add_argument("query", metavar="QUERY")
    test.add_argument("--text", default="", help="body text to match against")
    test.add_argument("--title", default="", help="title text to match against")
    stories = sub.add_parser("stories", help="recent stories and their sources")
    stories.add_argument("--json", action="store_true", help="print a JSON array")
    stories.add_argument("--limit", type=int, default=50, help="how many stories (default 50)")
    sub.add_parser("demo", help="run the whole pipeline offline on bundled sample feeds")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {
        "run": cmd_run,
        "poll-once": cmd_poll_once,
        "check": cmd_check,
        "test-rule": cmd_test_rule,
        "stories": cmd_stories,
        "demo": cmd_demo,
    }
    try:
        return handlers[args.command](args)
    except (ConfigError, RuleError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAIL
    except StoreError as exc:
        print(f"watcher: {exc}", file=sys.stderr)
        return EXIT_FAIL


def _settings(args: argparse.Namespace) -> config.Settings:
    return config.load(config.config_path(args.config))


def _open(args: argparse.Namespace) -> App:
    path = config.config_path(args.config)
    settings = config.load(path)
    if missing := settings.missing_secrets(path):
        raise ConfigError(missing)
    setup_logging(settings.service.log_level)
    rules = load_rules(settings.rules.paths, channel_names=settings.channel.keys())
    return open_app(settings, rules=rules)


# -- commands ----------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    path = config.config_path(args.config)
    problems: list[str] = []
    try:
        settings = config.load(path)
    except ConfigError as exc:
        problems.extend(str(d) for d in exc.diagnostics)
        settings = None
    if settings is not None:
        problems.extend(str(d) for d in settings.missing_secrets(path))
        try:
            rules = load_rules(settings.rules.paths, channel_names=settings.channel.keys())
        except RuleError as exc:
            problems.extend(str(d) for d in exc.diagnostics)
        else:
            print(
                f"{path}: ok — {len(settings.feed)} feeds, {len(settings.channel)} channels, "
                f"{len(rules.rules)} rules from {len(rules.files)} files"
            )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} error(s)", file=sys.stderr)
    return EXIT_FAIL if problems else EXIT_OK


def cmd_test_rule(args: argparse.Namespace) -> int:
    path = config.config_path(args.config)
    rule_paths = config.load(path).rules.paths if path.exists() else [Path("rules")]
    entities = load_entities([p for p in rule_paths if p.exists()])
    try:
        compiled = compile_query(args.query, entities)
    except QuerySyntaxError as exc:
        print(f"invalid query: {exc}\n{exc.pointer()}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    hit = compiled.match(Document(title=args.title, summary=args.text))
    if hit.matched:
        print("match: " + ", ".join(hit.terms))
        return EXIT_OK
    print("no match")
    return EXIT_FAIL


def cmd_stories(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from watcher.store import Store

    store = Store(settings.storage.path)
    try:
        stories = store.recent_stories(args.limit)
    finally:
        store.close()
    if args.json:
        print(json.dumps([story_json(s) for s in stories], indent=2, ensure_ascii=False))
    else:
        for story in stories:
            print(
                f"#{story.id}  {story.title}  ({len(story.items)} sources, "
                f"last {story.last_seen:%Y-%m-%d %H:%M} UTC)"
            )
            for item in story.items:
                print(f"    {item.feed_name}: {item.title}\n      {item.link}")
    return EXIT_OK


def story_json(story: Story) -> dict[str, object]:
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": story.first_seen.astimezone(UTC).isoformat(),
        "last_seen": story.last_seen.astimezone(UTC).isoformat(),
        "items": [
            {
                "link": i.link,
                "title": i.title,
                "feed": i.feed_name,
                "published": i.published.astimezone(UTC).isoformat(),
                "tier": i.tier.value,
                "score": i.score,
            }
            for i in story.items
        ],
    }


def cmd_poll_once(args: argparse.Namespace) -> int:
    app = _open(args)
    return asyncio.run(poll_once(app))


async def poll_once(app: App) -> int:
    from watcher.service import drain

    try:
        slots = asyncio.Semaphore(app.settings.fetch.concurrency)

        async def one(feed: Feed) -> None:
            async with slots:
                await app.pipeline.poll(feed)

        await asyncio.gather(*(one(feed) for feed in app.feeds))
        report = await drain(app.pipeline, app.store, clock=utc_now)
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
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from watcher.service import Service

    app = _open(args)
    settings = app.settings

    async def main_loop() -> int:
        service = Service(
            app.pipeline,
            app.store,
            app.feeds,
            load_rules=app.load_rules,
            rule_paths=settings.rules.paths,
            clock=utc_now,
            concurrency=settings.fetch.concurrency,
            delivery_check=settings.service.delivery_check,
            reload_check=settings.rules.reload_check,
        )
        try:
            return await service.run()
        finally:
            await app.aclose()

    return asyncio.run(main_loop())


def cmd_demo(args: argparse.Namespace) -> int:
    from watcher.demo import run_demo

    setup_logging("WARNING")
    return run_demo()


if __name__ == "__main__":
    sys.exit(main())
