"""Commands for the desk: `check`, `test-rule`, `stories`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC
from pathlib import Path

from watcher import config
from watcher.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from watcher.errors import ConfigError, QuerySyntaxError, RuleError
from watcher.model import Story
from watcher.query import Document, compile_query
from watcher.rulebook import load_entities, load_rules
from watcher.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "check", help="validate the config and rule files; list every error"
    ).set_defaults(handler=cmd_check)
    test = sub.add_parser(
        "test-rule", help="try a query on a text: exit 0 match, 1 none, 2 invalid query"
    )
    test.add_argument("query", metavar="QUERY")
    test.add_argument("--text", default="", help="body text to match against")
    test.add_argument("--title", default="", help="title text to match against")
    test.set_defaults(handler=cmd_test_rule)
    stories = sub.add_parser("stories", help="recent stories and their sources")
    stories.add_argument("--json", action="store_true", help="print a JSON array")
    stories.add_argument("--limit", type=int, default=50, help="how many stories (default 50)")
    stories.set_defaults(handler=cmd_stories)


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
    loaded = config.load(config.config_path(args.config))

    store = Store(loaded.storage.path)
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
