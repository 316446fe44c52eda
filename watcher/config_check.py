"""config.toml's problems in plain words, each at the line and column of what is wrong.

config.py's pydantic models decide what is valid; this module turns their verdict into what an
admin can act on: `file:line:col: fetch.timout: unknown key; did you mean 'timeout'?`. It also
runs the checks a model cannot make while another part of the file is wrong (pydantic skips a
model's own validators when a field fails), so one `watcher check` lists every problem, and it
looks for each channel's secret (naming the unset environment variable).

Secrets never show: the value of a secret-like key, or of an unknown key in a channel table, is
not quoted, and a source line holding one is not printed under the message.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError

from watcher.errors import Diagnostic, UnreadableFileError
from watcher.files import MAX_SECRET_BYTES, read_regular
from watcher.query.tomlfile import Table, TomlText

CHANNEL_TYPES = ("telegram", "slack", "console")
# Keys whose value is a secret, or a place a secret may have been pasted by mistake.
_SECRET_KEY = re.compile(r"token|secret|passw|webhook|auth|credential|key", re.I)
# Slack bot, user and app-level tokens and webhooks, Telegram bot tokens:
_SECRET_TEXT = re.compile(r"xox[a-z]-|xapp-|hooks\.slack|\d{3,}:[\w-]{20,}", re.I)
_SECRET_VALUE = re.compile(rf"{_SECRET_TEXT.pattern}|token", re.I)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEY_LINE = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


@dataclass(frozen=True, slots=True)
class Source:
    """One config file's path, text and layout, and the keys each kind of table may hold."""

    path: Path
    pos: TomlText
    keys: Mapping[str, Sequence[str]]  # "" top level, "storage", "feed", "channel.slack", ...

    @classmethod
    def of(cls, path: Path, text: str, keys: Mapping[str, Sequence[str]]) -> Source:
        return cls(path, TomlText(text), keys)

    def diagnostic(self, place: tuple[int, int], message: str, hint: str = "") -> Diagnostic:
        line, col = place
        excerpt = self.pos.line_text(line) if self.safe_to_show(line) else ""
        return Diagnostic(str(self.path), line, col, message, excerpt, hint)

    def safe_to_show(self, line: int) -> bool:
        """Whether the 1-based `line` may be printed: not if it may hold a secret."""
        text = self.pos.line_text(line)
        key = _KEY_LINE.match(text)
        if _SECRET_TEXT.search(text[key.end() :] if key else text):
            return False
        if key is None:  # a header, a comment, or a line inside a value spread over lines
            return text.lstrip().startswith(("[", "#")) or not self.in_channel(line)
        name = key.group(1).strip("\"'").rsplit(".", 1)[-1]
        if name.endswith("_env"):  # a variable's name, unless the secret was pasted there
            return bool(_ENV_NAME.fullmatch(text[key.end() :].strip().strip("\"'")))
        if name.endswith("_file"):
            return True
        if _SECRET_KEY.search(name):
            return False
        return not self.in_channel(line) or name in self.all_channel_keys()

    def in_channel(self, line: int) -> bool:
        table = max(((n, t) for t, n in self.pos.headers.items() if n < line), default=(0, ()))[1]
        return bool(table) and table[0] == "channel"

    def all_channel_keys(self) -> set[str]:
        return {k for kind in CHANNEL_TYPES for k in self.keys.get(f"channel.{kind}", ())}

    def place(self, loc: Sequence[str], value: bool = True) -> tuple[int, int]:
        """Where the key path `loc` (e.g. feed, 2, interval) is written: its value, or its key
        when `value` is false, or the nearest table header when it is not written at all."""
        table: Table = tuple(loc)
        while table and table not in self.pos.headers:
            table = table[:-1]
        rest = loc[len(table) :]
        if not rest:
            return self.pos.table_place(table)
        return self.pos.key_place(table, rest[0], value=value)


def key_path(loc: Sequence[str]) -> str:
    """`defaults.interval`; feeds and list items counted from 1 as people count them:
    `feed 3: interval`, `rules.paths item 2`."""
    if len(loc) > 1 and loc[0] == "feed" and loc[1].isdigit():
        head = f"feed {int(loc[1]) + 1}"
        return f"{head}: {key_path(loc[2:])}" if len(loc) > 2 else head
    path = ""
    for part in loc:
        path += f" item {int(part) + 1}" if part.isdigit() else f".{part}" if path else part
    return path


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def show(value: object, key: str = "", secret: bool = False) -> str:
    """`value` as the message may quote it, or a placeholder when it may be a secret."""
    kinds = {str: "a string", bool: "true/false", int: "a number", float: "a number"}
    kind = {**kinds, list: "a list", dict: "a table"}.get(type(value), "a value")
    if secret or (_SECRET_KEY.search(key) and not key.endswith(("_env", "_file"))):
        return f"{kind} (not shown: it may be a secret)"
    if isinstance(value, str) and _SECRET_VALUE.search(value):
        return f"{kind} (not shown: it looks like a secret)"
    if isinstance(value, dict | list):
        return kind
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


# -- pydantic's verdict in plain words ------------------------------------------------------


def validation_problems(
    exc: ValidationError, source: Source, data: Mapping[str, Any]
) -> list[Diagnostic]:
    out = []
    for err in exc.errors(include_url=False):
        loc = _loc(err["loc"])
        message, hint, on_value = _plain(err, loc, source, data)
        if err["type"] == "union_tag_invalid":
            out += _unknown_keys_as(
                loc,
                difflib.get_close_matches(str(err["input"].get("type")), CHANNEL_TYPES, n=1),
                source,
                data,
            )
            loc.append("type")
        prefix = f"{key_path(loc)}: " if loc else ""
        out.append(source.diagnostic(source.place(loc, on_value), prefix + message, hint))
    return out


def _unknown_keys_as(
    loc: list[str], kind: list[str], source: Source, data: Mapping[str, Any]
) -> list[Diagnostic]:
    """A channel whose type is misspelt (`slak`) is checked for unknown keys as the type it
    was probably meant to be, so those show in the same run."""
    if not kind:
        return []
    known = source.keys.get(f"channel.{kind[0]}", ())
    table = _table(_table(data, "channel"), loc[1])
    return [
        source.diagnostic(
            source.place([*loc, key], value=False),
            f"{key_path([*loc, key])}: unknown key",
            did_you_mean(key, known) or f"allowed here: {', '.join(known)}",
        )
        for key in table
        if key not in known
    ]


def _loc(raw: Sequence[int | str]) -> list[str]:
    """pydantic's location without the union's tag (`channel.x.slack.token`) or validators."""
    loc = [str(p) for p in raw if not str(p).startswith("function-")]
    if len(loc) > 2 and loc[0] == "channel" and loc[2] in CHANNEL_TYPES:
        del loc[2]
    return loc


def _plain(
    err: Any, loc: list[str], source: Source, data: Mapping[str, Any]
) -> tuple[str, str, bool]:
    """(message, hint, whether it is about the value rather than the key)."""
    kind, ctx, found = err["type"], err.get("ctx") or {}, err.get("input")
    key = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        known = _known_keys(loc, source, data)
        hint = did_you_mean(key, known) or (f"allowed here: {', '.join(known)}" if known else "")
        return "unknown key", hint, False  # its value is not quoted: it may be a secret
    if kind == "missing":
        return "is required but missing", "", True
    if kind == "union_tag_invalid":
        tags = ", ".join(f"'{t}'" for t in CHANNEL_TYPES)
        tag = str(ctx.get("tag", ""))
        return f"expected one of {tags}, found {show(tag)}", did_you_mean(tag, CHANNEL_TYPES), True
    if kind == "union_tag_not_found":
        return 'has no type: add type = "telegram", "slack" or "console"', "", True
    secret = loc[:1] == ["channel"] and key not in source.all_channel_keys()
    message = _PLAIN.get(kind, "")
    if kind == "greater_than":
        message = f"expected a number greater than {ctx.get('gt')}"
    elif kind == "literal_error":
        message = f"expected {ctx.get('expected')}"
    elif kind == "value_error":  # config.py's own words, which quote the value found
        message = str(err["msg"]).removeprefix("Value error, ")
        message = message.replace(repr(found), show(found, key, secret))
    elif not message:
        message = str(err["msg"]).replace("Input should be", "expected")
    if "found" not in message:
        message = f"{message}, found {show(found, key, secret)}"
    return message, "", True


_PLAIN = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected a string in quotes",
    "list_type": "expected a list [...]",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "model_attributes_type": "expected a table",
    "path_type": "expected a path in quotes",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
}


def _known_keys(loc: list[str], source: Source, data: Mapping[str, Any]) -> Sequence[str]:
    if len(loc) == 1:
        return source.keys.get("", ())
    if loc[0] == "channel":
        table = _table(_table(data, "channel"), loc[1])
        kind = table.get("type")
        if kind in CHANNEL_TYPES:
            return source.keys.get(f"channel.{kind}", ())
        return sorted(source.all_channel_keys())
    return source.keys.get(loc[0], ())


def _table(data: object, key: str) -> Mapping[str, Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, Mapping) else {}


# -- checks a model skips while another part of the file is wrong --------------------------


def cross_problems(data: Mapping[str, Any], source: Source) -> list[Diagnostic]:
    """The admin channel exists, no feed URL is listed twice, a Slack channel has a target."""
    out: list[Diagnostic] = []
    channels = _table(data, "channel")
    admin = _table(data, "service").get("admin_channel")
    if isinstance(admin, str) and admin not in channels:
        out.append(
            source.diagnostic(
                source.place(["service", "admin_channel"]),
                admin_channel_message(admin),
                did_you_mean(admin, list(channels)),
            )
        )
    feeds = data.get("feed")
    seen: dict[str, int] = {}
    for n, feed in enumerate(feeds if isinstance(feeds, list) else []):
        url = feed.get("url") if isinstance(feed, Mapping) else None
        if isinstance(url, str):
            if url in seen:
                message = f"{key_path(['feed', str(n), 'url'])}: {duplicate_message(seen[url])}"
                out.append(source.diagnostic(source.place(["feed", str(n), "url"]), message))
            seen.setdefault(url, n)
    for name, table in channels.items():
        slack = isinstance(table, Mapping) and table.get("type") == "slack"
        if slack and not slack_has_target(table):
            place = source.place(["channel", name])
            out.append(source.diagnostic(place, f"channel.{name}: {SLACK_TARGET}"))
        elif slack and (problem := slack_commands_problem(table)):
            place = source.place(["channel", name, "commands"])
            out.append(source.diagnostic(place, f"channel.{name}: {problem}"))
    return out


def admin_channel_message(admin: str) -> str:
    return f"service.admin_channel: expected the name of a [channel.NAME] section, found {admin!r}"


def duplicate_message(first: int) -> str:
    return f"this url is already the url of feed {first + 1}"


SLACK_TARGET = (
    "expected either channel + token (or token_env/token_file) for the Web API, "
    "or webhook_url (or webhook_url_env/webhook_url_file), found neither"
)


def slack_has_target(table: Mapping[str, Any]) -> bool:
    web_api = table.get("channel") and any(table.get(k) for k in _SECRET_KEYS["token"])
    return bool(web_api or any(table.get(k) for k in _SECRET_KEYS["webhook_url"]))


_SLACK_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")


def slack_commands_problem(table: Mapping[str, Any]) -> str:
    """Why a Slack channel with `commands = true` cannot read its chat ("" when it can)."""
    if not table.get("commands"):
        return ""
    channel = table.get("channel")
    if not (isinstance(channel, str) and any(table.get(k) for k in _SECRET_KEYS["token"])):
        return "commands = true needs channel and a bot token (the Web API), not a webhook"
    if not _SLACK_CHANNEL_ID.fullmatch(channel):
        return (
            f"commands = true needs channel as the channel's ID (like C0123ABCDEF, in the "
            f"channel's details), found {channel!r}: commands are matched against it"
        )
    if not any(table.get(k) for k in _SECRET_KEYS["app_token"]):
        return (
            "commands = true needs an app-level token (xapp-..., with connections:write) for "
            'Socket Mode: give app_token_env = "VARIABLE" or app_token_file = "name"'
        )
    return ""


# -- secrets -------------------------------------------------------------------------------

_SECRET_KEYS = {
    "token": ("token", "token_env", "token_file"),
    "webhook_url": ("webhook_url", "webhook_url_env", "webhook_url_file"),
    "app_token": ("app_token", "app_token_env", "app_token_file"),  # Slack Socket Mode
}


@dataclass(frozen=True, slots=True)
class SecretLookup:
    value: str | None
    problem: str = ""  # why there is no value, naming the variable or file
    key: str = ""  # the key the problem is about


def find_secret(table: Mapping[str, Any], field: str) -> SecretLookup:
    """`field` (token, webhook_url) of a channel table: inline, from `field_env`'s variable,
    or from `field_file` (relative to $CREDENTIALS_DIRECTORY when set)."""
    inline = table.get(field)
    if inline is not None:
        value = inline.get_secret_value() if isinstance(inline, SecretStr) else inline
        return SecretLookup(str(value))
    env_name, file_name = table.get(f"{field}_env"), table.get(f"{field}_file")
    if isinstance(env_name, str) and env_name:
        if not _ENV_NAME.fullmatch(env_name):
            return SecretLookup(
                None,
                f"{field}_env names an environment variable (letters, digits and _), and its "
                "value is not such a name (not shown: is it the secret itself?)",
                f"{field}_env",
            )
        if value := os.environ.get(env_name, "").strip():
            return SecretLookup(value)
        return SecretLookup(
            None, f"the environment variable {env_name} ({field}_env) is not set", f"{field}_env"
        )
    if isinstance(file_name, str) and file_name:
        path = Path(file_name)
        creds = os.environ.get("CREDENTIALS_DIRECTORY")
        if not path.is_absolute() and creds:
            path = Path(creds) / path
        try:
            return SecretLookup(read_regular(path, MAX_SECRET_BYTES).decode().strip())
        except (UnreadableFileError, UnicodeDecodeError) as exc:
            reason = exc.reason if isinstance(exc, UnreadableFileError) else "not UTF-8 text"
            return SecretLookup(None, f"{field}_file {path}: {reason}", f"{field}_file")
    return SecretLookup(None)


def secret_problems(channels: Mapping[str, Mapping[str, Any]], source: Source) -> list[Diagnostic]:
    """A Diagnostic for each Telegram or Slack channel whose secret cannot be had now."""
    out = []
    for name, table in channels.items():
        kind = table.get("type")
        if kind not in ("telegram", "slack") or (kind == "slack" and not slack_has_target(table)):
            continue  # a Slack channel without a target is told so by cross_problems
        if kind == "slack" and find_secret(table, "webhook_url").value is not None:
            continue
        if kind == "slack" and table.get("commands"):
            app = find_secret(table, "app_token")
            if app.problem:
                loc = ["channel", name, app.key]
                out.append(source.diagnostic(source.place(loc), f"channel.{name}: {app.problem}"))
        found = find_secret(table, "token")
        if found.value is not None:
            continue
        if kind == "slack" and not table.get("channel"):
            hook = find_secret(table, "webhook_url")
            found = hook if hook.problem else found
        what = "bot token" if kind == "telegram" else "Slack token or webhook_url"
        problem = found.problem or (
            f'no {what}: give token_env = "VARIABLE" or token_file = "name"'
        )
        loc = ["channel", name] + ([found.key] if found.key else [])
        out.append(source.diagnostic(source.place(loc), f"channel.{name}: {problem}"))
    return out
