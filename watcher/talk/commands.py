"""Chat commands, pure: the text of a message -> a `Command`, and each answer as Telegram HTML.

Commands (README "Commands in the chat"): /status, /feeds, /stories, /test QUERY,
/mute rule NAME 4h, /mute story ID 1d, /unmute rule NAME, /unmute story ID, /mutes, /why (as a
reply to an alert), /help. A command may be addressed (`/status@watcher_bot`). Answers escape
every text that comes from feeds, rules or the desk, and are cut to stay under Telegram's 4096
characters (whole lines dropped, the cut said).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from watcher.explain import excerpt, story_lines
from watcher.health import Health
from watcher.model import Story
from watcher.mutes import KINDS, Mute, parse_span

__all__ = [
    "COMMANDS",
    "LIMIT",
    "Command",
    "CommandError",
    "FeedLine",
    "TestMatch",
    "parse",
    "parse_mute",
    "parse_unmute",
]

LIMIT = 4000  # characters of an answer; Telegram's limit is 4096 after entities are parsed
COMMANDS = {
    "status": "the service's health: feeds failing, outbox, rules in force",
    "feeds": "feeds failing, stale or disabled, and since when",
    "stories": "the last stories alerted here, with their source counts",
    "test": "/test QUERY: the query tried on the last 24 h of stored items",
    "mute": "/mute rule NAME 4h or /mute story ID 1d: nothing of it here for that long",
    "unmute": "/unmute rule NAME or /unmute story ID",
    "mutes": "the mutes in force here",
    "why": "as a reply to an alert: the rules, the words, how each source joined",
    "help": "this list",
}
CHANGING = frozenset({"mute", "unmute"})  # the commands that change state; the others read
MUTE_USAGE = "usage: /mute rule NAME 4h or /mute story ID 1d (from 1m to 30d)"
UNMUTE_USAGE = "usage: /unmute rule NAME or /unmute story ID"


class CommandError(ValueError):
    """A command written wrong; the message is the answer (plain text)."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # one of COMMANDS, or "" for an unknown one
    args: str
    written: str  # the command word as written, for "unknown command"


@dataclass(frozen=True, slots=True)
class FeedLine:
    name: str
    status: str  # failing, stale, disabled
    since: datetime | None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class TestMatch:
    label: str
    terms: tuple[str, ...]
    title: str
    spans: tuple[tuple[int, int], ...]  # matched spans in the title


def parse(text: str) -> Command | None:
    """The command of a message, None when the message is not a command."""
    if not text.startswith("/"):
        return None
    word, _, rest = text.strip().partition(" ")
    name = word[1:].split("@", 1)[0].lower()
    return Command(name if name in COMMANDS else "", rest.strip(), word)


def changes_state(text: str) -> bool:
    """Whether a message is a command that changes state (CHANGING); the others only read."""
    found = parse(text)
    return found is not None and found.name in CHANGING


def parse_mute(args: str, channel: str, now: datetime, by: str) -> Mute:
    parts = args.split()
    if len(parts) != 3 or parts[0].lower() not in KINDS:
        raise CommandError(MUTE_USAGE)
    kind, target, span = parts[0].lower(), parts[1], parts[2]
    if kind == "story" and not target.lstrip("#").isdigit():
        raise CommandError(f"a story is named by its number; {MUTE_USAGE}")
    try:
        until = now + parse_span(span)
    except ValueError as exc:
        raise CommandError(f"{exc}; {MUTE_USAGE}") from exc
    return Mute(channel, kind, target.lstrip("#"), until, now, by)


def parse_unmute(args: str) -> tuple[str, str]:
    parts = args.split()
    if len(parts) != 2 or parts[0].lower() not in KINDS:
        raise CommandError(UNMUTE_USAGE)
    return parts[0].lower(), parts[1].lstrip("#")


# -- answers (Telegram HTML) -------------------------------------------------------------------


def e(text: object) -> str:
    return html.escape(str(text), quote=False)


def clip(lines: Sequence[str]) -> str:
    """HTML lines joined, whole lines dropped past LIMIT (never a tag cut in half)."""
    out: list[str] = []
    size = 0
    for k, line in enumerate(lines):
        if size + len(line) + 1 > LIMIT - 40:
            out.append(f"<i>… {len(lines) - k} more line(s)</i>")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


def help_text(unknown: str = "", prefix: str = "/") -> str:
    head = [f"Unknown command {e(unknown)}." if unknown else "<b>Commands</b>"]
    lines = [f"/{name} — {e(what)}" for name, what in COMMANDS.items()]
    return spelled(clip(head + lines), prefix)


_WRITTEN = re.compile(r"(?<![\w/])/(" + "|".join(n for n in COMMANDS if n != "why") + r")\b")


def spelled(text: str, prefix: str) -> str:
    """Help or usage text with each command as the chat writes it: `prefix` "/watcher " in
    Slack (one slash command: Slack keeps /status and /mute for itself). /why stays: Slack
    asks it through a message shortcut, which the answer names."""
    return text if prefix == "/" else _WRITTEN.sub(lambda m: prefix + m.group(1), text)


def status_text(health: Health) -> str:
    s = health.service
    lines = [
        f"<b>watcher: {e(health.status)}</b>",
        f"feeds: {health.feeds_ok} ok, {len(health.failing_feeds)} failing, "
        f"{len(health.stale_feeds)} stale",
        f"outbox: {health.outbox_depth} not yet delivered",
        f"rules in force: {'?' if s.rules_count is None else s.rules_count}",
        f"mutes: {len(health.mutes)}",
    ]
    lines += [f"• {e(p)}" for p in health.problems]
    return clip(lines)


def feeds_text(feeds: Sequence[FeedLine]) -> str:
    if not feeds:
        return "Every feed is fine: none failing, stale or disabled."
    lines = [f"<b>{len(feeds)} feed(s) need a look</b>"]
    for f in feeds:
        since = f" since {_when(f.since)}" if f.since else ""
        detail = f": {e(f.detail)}" if f.detail else ""
        lines.append(f"• <b>{e(f.name)}</b> {e(f.status)}{since}{detail}")
    return clip(lines)


def stories_text(stories: Sequence[Story]) -> str:
    if not stories:
        return "No story has been alerted here yet."
    lines = ["<b>Last stories alerted here</b>"]
    for story in stories:
        sources = len({i.feed_name for i in story.items})
        lines.append(f"#{story.id} · {sources} source(s) · {e(story.title)}")
    return clip(lines)


def test_text(query: str, total: int, matched: int, first: Sequence[TestMatch]) -> str:
    """How many of `total` stored items of the last 24 h match, and the `first` few."""
    lines = [f"<b>{matched}</b> of {total} item(s) of the last 24 h match <code>{e(query)}</code>"]
    for m in first[:5]:
        marked = excerpt(m.title, list(m.spans), lambda w: f"\x00{w}\x01")
        shown = e(marked).replace("\x00", "<b>").replace("\x01", "</b>")
        lines.append(f"• {shown} — {e(m.label)}")
        lines.append(f"  matched: {e(', '.join(m.terms))}")
    return clip(lines)


def query_error_text(message: str, column: int, hint: str = "") -> str:
    lines = [f"Invalid query at column {column}: {e(message)}"]
    if hint:
        lines.append(f"hint: {e(hint)}")
    return clip(lines)


def mutes_text(mutes: Sequence[Mute]) -> str:
    if not mutes:
        return "Nothing is muted here."
    lines = ["<b>Muted here</b>"]
    lines += [f"• {e(m.kind)} {e(m.target)} until {_when(m.until)}" for m in mutes]
    return clip(lines)


def muted_text(mute: Mute) -> str:
    return f"Muted {e(mute.kind)} {e(mute.target)} here until {_when(mute.until)}."


def unmuted_text(kind: str, target: str, found: bool) -> str:
    if not found:
        return f"{e(kind).capitalize()} {e(target)} was not muted here."
    return f"Unmuted {e(kind)} {e(target)}."


def why_text(story: Story, rules: Mapping[str, tuple[str, ...]]) -> str:
    return clip([e(line) for line in story_lines(story, rules) if line])


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
