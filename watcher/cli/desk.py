"""Commands for the desk: `check`, `test-rule`, `stories`."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, timedelta
from pathlib import Path

from watcher import config
from watcher.assembly import USER_AGENT, utc_now
from watcher.boilerplate import Boilerplate
from watcher.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from watcher.config_values import parse_duration
from watcher.errors import (
    ConfigError,
    Diagnostic,
    FeedError,
    NotAFeedError,
    QuerySyntaxError,
    RuleError,
    UnreadableFileError,
)
from watcher.explain import excerpt, story_lines
from watcher.fetch import Fetcher
from watcher.files import read_feed_file
from watcher.item_policy import document
from watcher.model import Delivery, DeliveryStatus, Feed, Item, Story
from watcher.normalize import normalize_feed
from watcher.parse import parse_feed
from watcher.query import Document, compile_query, lint
from watcher.render import headline
from watcher.rulebook import load_entities, load_rules, no_rules_in_force
from watcher.store import Store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "check", help="validate the config and rule files; list every error"
    ).set_defaults(handler=cmd_check)
    test = sub.add_parser(
        "test-rule", help="try a query on a text: exit 0 match, 1 none, 2 invalid query"
    )
    test.add_argument("query", metavar="QUERY")
    source = test.add_argument_group("what to match (any mix; at least one)")
    source.add_argument("--text", help="body text to match against")
    source.add_argument("--title", help="title text to match against")
    source.add_argument(
        "--file",
        metavar="FEED",
        action="append",
        default=[],
        help="a saved feed file or a feed URL: every item in it is tried",
    )
    source.add_argument(
        "--since",
        metavar="AGE",
        type=_age,
        help="stored items newer than AGE (e.g. 7d, 12h) from the configured database",
    )
    test.add_argument(
        "--sources",
        metavar="N",
        type=int,
        default=1,
        help="feeds the story of --text/--title/--file items has, for sources>=N (default 1)",
    )
    test.set_defaults(handler=cmd_test_rule)
    stories = sub.add_parser("stories", help="recent stories and their sources")
    stories.add_argument("--json", action="store_true", help="print a JSON array")
    stories.add_argument(
        "--limit", type=_count, default=50, metavar="N", help="how many stories (default 50)"
    )
    stories.add_argument(
        "--show", type=int, metavar="ID", help="one story, and why each item joined it"
    )
    stories.set_defaults(handler=cmd_stories)


def cmd_check(args: argparse.Namespace) -> int:
    """Every problem of the config and rule files in one run (the rules are checked even while
    the config is invalid, with the rule paths and channel names it gives, when it gives any)."""
    path = config.config_path(args.config)
    checked = config.check(path)
    problems = [str(d) for d in checked.problems]
    rules = None
    if checked.settings is not None or checked.rule_paths:
        try:
            rules = load_rules(list(checked.rule_paths), channel_names=checked.channel_names)
        except RuleError as exc:
            problems.extend(str(d) for d in exc.diagnostics)
        else:
            problems.extend(str(d) for d in no_rules_in_force(rules, checked.rule_paths))
    for note in rules.warnings if rules else ():
        print(f"warning: {note}", file=sys.stderr)
    if checked.settings is not None and rules is not None and not problems:
        settings = checked.settings
        print(
            f"{path}: ok — {len(settings.feed)} feeds, {len(settings.channel)} "
            f"channels, {len(rules.rules)} rules from {len(rules.files)} files"
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} error(s)", file=sys.stderr)
    return EXIT_FAIL if problems else EXIT_OK


def _age(value: str) -> timedelta:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _count(value: str) -> int:
    """A count given on the command line: a whole number, 0 or more (SQLite would read a
    negative LIMIT as no limit at all)."""
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {value!r}")
    return count


def cmd_test_rule(args: argparse.Namespace) -> int:
    """Try a query: on --title/--text, on every item of --file feeds, on stored items --since."""
    path = config.config_path(args.config)
    loaded = config.load(path) if path.exists() else None
    rule_paths = loaded.rules.paths if loaded else [Path("rules")]
    present = [p for p in rule_paths if p.exists()]
    if not present:
        print(
            f"note: no rule files at {', '.join(map(str, rule_paths))}; only the built-in "
            "entities apply",
            file=sys.stderr,
        )
    entities = load_entities(present)
    try:
        compiled = compile_query(args.query, entities)
    except QuerySyntaxError as exc:
        print(f"invalid query: {exc}\n{exc.pointer()}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    for note in lint(args.query):
        print(f"warning: {note}\n{note.pointer()}", file=sys.stderr)
    if args.text is None and args.title is None and not args.file and args.since is None:
        print("nothing to match: give --text, --title, --file or --since", file=sys.stderr)
        return EXIT_USAGE
    try:
        candidates = list(_candidates(args, loaded))
    except (UnreadableFileError, FeedError) as exc:  # a file or URL that gives no feed
        print(f"watcher test-rule: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not candidates:  # a feed with no items, or nothing stored in the --since window
        print(f"0 items {_where(args)}")
        return EXIT_FAIL
    matched = 0
    style = highlight_tty if sys.stdout.isatty() else highlight_plain
    for label, doc in candidates:
        hit = compiled.match(doc)
        if not hit.matched:
            continue
        matched += 1
        print(f"match: {label}\n  matched: {', '.join(hit.terms)}")
        for field in ("title", "summary"):
            spans = [(a, b) for f, a, b in hit.spans if f == field]
            if spans:
                print(f"  {field}: {excerpt(doc.field(field), spans, style)}")
    total = len(candidates)
    if total > 1:
        print(f"{matched} of {total} items matched")
    elif not matched:
        print("no match")
    return EXIT_OK if matched else EXIT_FAIL


def _where(args: argparse.Namespace) -> str:
    where = [f"in {', '.join(args.file)}"] if args.file else []
    if args.since is not None:
        where.append(f"since {utc_now() - args.since:%Y-%m-%d %H:%M} UTC")
    return " or ".join(where)


def _label(given: Item, seen: Item, shown: str = "") -> str:
    """How test-rule names an item: `shown` (its feed's name), the headline as rules see it
    (`seen`: its feed's credits left out, boilerplate.py), its link, and on a line of its own
    the credits the feed gave it (`given`) that no rule matches."""
    label = f"{shown}{seen.title} <{given.link}>"
    at = given.title.find(seen.title) if seen.title else -1
    if given.title == seen.title or at < 0:
        return label
    left = [p for p in (given.title[:at].strip(), given.title[at + len(seen.title) :].strip()) if p]
    quoted = " and ".join(f'"{p}"' for p in left)
    return f"{label}\n  as given: {given.title} (credit {quoted} not matched)"


def _candidates(
    args: argparse.Namespace, loaded: config.Settings | None
) -> Iterator[tuple[str, Document]]:
    if args.text is not None or args.title is not None:
        text = Document(title=args.title or "", summary=args.text or "", sources=args.sources)
        yield "the given text", text
    limit = (loaded.fetch if loaded else config.FetchSettings()).max_bytes
    # Rules see items as the pipeline hands them over: without their feed's boilerplate,
    # learned from the whole file, or from the feed's stored items.
    for source in args.file:
        items = _feed_items(source, limit)
        for given, item in zip(items, Boilerplate().take(items), strict=True):
            yield _label(given, item), document(item, args.sources)
    if args.since is not None:
        if loaded is None:
            raise ConfigError(
                [
                    Diagnostic(
                        str(config.config_path(args.config)),
                        1,
                        1,
                        "--since needs a config file naming the database",
                    )
                ]
            )
        store = Store(loaded.storage.path)
        try:
            learner = Boilerplate()
            learner.learn(list(store.recent_items(per_feed=learner.window)))
            for item, story_id in store.items_since(utc_now() - args.since):
                seen = learner.clean(item)  # as the pipeline matched it
                label = _label(item, seen, f"{item.feed_name}: ")
                yield label, document(seen, store.story_sources(story_id))
        finally:
            store.close()


def _feed_items(source: str, limit: int) -> list[Item]:
    """Items of a saved feed file (gzip too), or of a feed fetched once from a URL."""
    now = utc_now()
    if re.match(r"^https?://", source):
        body, url, content_type = asyncio.run(_fetch(source, limit))
    else:
        path = Path(source)
        body, url, content_type = read_feed_file(path, limit), path.resolve().as_uri(), None
    try:
        parsed = parse_feed(body, url=url, content_type=content_type)
    except NotAFeedError as exc:
        raise NotAFeedError(f"{source}: {exc}") from exc
    feed = Feed(url=url, name=parsed.title or Path(source).name, interval=timedelta(minutes=5))
    return normalize_feed(parsed, feed=feed, fetched_at=now)


async def _fetch(url: str, limit: int) -> tuple[bytes, str, str | None]:
    fetcher = Fetcher(user_agent=USER_AGENT, max_bytes=limit)
    try:
        result = await fetcher.fetch(url)
    finally:
        await fetcher.aclose()
    return result.body or b"", result.url, result.content_type


def highlight_plain(word: str) -> str:
    return f"[{word}]"


def highlight_tty(word: str) -> str:
    return f"\033[1;33m{word}\033[0m"


def cmd_stories(args: argparse.Namespace) -> int:
    loaded = config.load(config.config_path(args.config))
    store = Store(loaded.storage.path)
    try:
        if args.show is not None:
            story = store.story(args.show)
            rules = store.story_rules(args.show) if story else {}
            shown = [story] if story else []
        else:
            stories = shown = store.recent_stories(args.limit)
        alerts = {s.id: store.story_deliveries(s.id) for s in shown} if args.json else {}
    finally:
        store.close()
    if args.show is not None:
        if story is None:
            print(f"no story #{args.show}", file=sys.stderr)
            return EXIT_FAIL
        if args.json:
            print(json.dumps(story_json(story, alerts[story.id]), indent=2, ensure_ascii=False))
        else:
            print_story_detail(story, rules)
    elif args.json:
        listed = [story_json(s, alerts[s.id]) for s in stories]
        print(json.dumps(listed, indent=2, ensure_ascii=False))
    else:
        print_story_table(stories)
    return EXIT_OK


def print_story_table(stories: list[Story]) -> None:
    print(f"{'ID':>6}  {'SOURCES':>7}  {'LAST SEEN (UTC)':16}  TITLE")
    for story in stories:
        print(
            f"{story.id:>6}  {len(story.items):>7}  {story.last_seen:%Y-%m-%d %H:%M}  {story.title}"
        )
        for item in story.items:
            print(f"{'':>35}{item.feed_name}: {item.link}")


def print_story_detail(story: Story, rules: dict[str, tuple[str, ...]]) -> None:
    print("\n".join(story_lines(story, rules)))


def _alert_status(alert: Delivery) -> str:
    """pending, sent, failed, or skipped: settled without a message (the story or its rule
    muted on the channel, or below its min_priority; the outbox keeps why)."""
    if alert.status is DeliveryStatus.SENT and alert.message_ref is None:
        return "skipped"
    return alert.status.value


def story_json(story: Story, alerts: Sequence[Delivery] = ()) -> dict[str, object]:
    """A story as `watcher stories --json` prints it: its items in story order (by publication),
    and its alert on each channel (one per channel, edited as sources join)."""
    return {
        "id": story.id,
        "title": headline(story),
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
        "alerts": [
            {"channel": a.channel, "status": _alert_status(a), "rules": list(a.rules),
             "terms": list(a.terms)}
            for a in alerts
        ],
    }  # fmt: skip
