"""Settings: config.toml validated by pydantic-settings, secrets resolved, errors located.

Only cli.py imports this module; everything else receives plain values. The file is found as
``--config FILE``, else ``$WATCHER_CONFIG``, else ``./config.toml``. Every problem is reported at
once as ``file:line:col: key.path: expected ..., found ...``.

Secrets (bot tokens, Slack tokens, webhook URLs) may be written in the file, but a server should
take them from the environment (``token_env = "VAR"``) or from a file (``token_file = "name"``,
relative to systemd's ``$CREDENTIALS_DIRECTORY`` when that is set). They are held as SecretStr,
so they never show in a repr, a log line or an error.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from watcher.digest import DeskPolicy, parse_quiet_hours, zone
from watcher.errors import ConfigError, Diagnostic
from watcher.model import DEFAULT_MAX_AGE, Feed

DEFAULT_PATH = Path("config.toml")
ENV_VAR = "WATCHER_CONFIG"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}


def parse_duration(value: object) -> timedelta:
    """'90s', '5m', '1h', '7d' or a number of seconds -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration like '90s', '5m', '1h' or a number of seconds")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise ValueError(
            f"expected a duration like '90s', '5m', '1h' or a number of seconds, found {value!r}"
        )
    if seconds <= 0:
        raise ValueError(f"expected a positive duration, found {value!r}")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageSettings(_Section):
    path: Path = Path("watcher.db")


class RulesSettings(_Section):
    paths: list[Path] = Field(default_factory=lambda: [Path("rules")])
    reload_check: Duration = timedelta(seconds=2)  # how often rule files are checked for edits


class DefaultsSettings(_Section):
    interval: Duration = timedelta(minutes=5)
    max_age: Duration = DEFAULT_MAX_AGE  # items first seen older than this never alert


class FetchSettings(_Section):
    timeout: Duration = timedelta(seconds=20)
    max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    concurrency: int = Field(default=20, gt=0)  # feeds fetched at once
    per_host: int = Field(default=2, gt=0)  # requests (and keep-alive connections) per host
    contact: str | None = None  # a URL or e-mail put in the User-Agent for feed owners
    failing_notice_after: Duration = timedelta(hours=1)  # admin notice for a feed failing this long

    @field_validator("contact")
    @classmethod
    def _contact_fits_a_header(cls, contact: str | None) -> str | None:
        if contact is not None and not re.fullmatch(r"[\x21-\x7e]+", contact):
            raise ValueError(
                f"expected a URL or e-mail address without spaces (printable ASCII), "
                f"found {contact!r}"
            )
        return contact


class StoriesSettings(_Section):
    window: Duration = timedelta(hours=36)  # a story stops accepting new items after this
    retention: Duration = timedelta(days=30)  # items and stories older than this are pruned


class ServiceSettings(_Section):
    admin_channel: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    delivery_check: Duration = timedelta(seconds=5)
    http: str | None = None  # "127.0.0.1:9187": serve /healthz and /metrics (off when unset)
    prune_every: Duration = timedelta(days=1)  # how often the retention prune runs

    @field_validator("http")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(\[[0-9A-Fa-f:.]+\]|[^:\s]*):\d{1,5}$", value):
            raise ValueError(f"expected HOST:PORT such as '127.0.0.1:9187', found {value!r}")
        return value


class FeedSettings(_Section):
    url: str
    name: str | None = None
    interval: Duration | None = None
    max_age: Duration | None = None

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, url: str) -> str:
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"expected an http:// or https:// URL, found {url!r}")
        return url


class _DeskKeys(_Section):
    """What every channel may set to keep its desk sane (see watcher/digest.py)."""

    digest: Duration | None = None  # collect alerts into one message per period
    quiet_hours: str | None = None  # "22:00-07:00": held, then one digest when they end
    timezone: str = "UTC"  # the zone quiet_hours are read in (IANA name)
    min_priority: int | None = None  # alerts from rules of lower priority are not sent here
    max_per_hour: int | None = Field(default=None, gt=0)  # past this, alerts fold into a digest

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours_read(cls, value: str | None) -> str | None:
        if value is not None:
            parse_quiet_hours(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone_exists(cls, value: str) -> str:
        zone(value)
        return value

    def desk_policy(self) -> DeskPolicy:
        quiet = (
            None if self.quiet_hours is None else parse_quiet_hours(self.quiet_hours, self.timezone)
        )
        return DeskPolicy(
            digest=self.digest,
            quiet=quiet,
            min_priority=self.min_priority,
            max_per_hour=self.max_per_hour,
        )


class _SecretSource(_DeskKeys):
    """A secret given inline, by environment variable name, or by file."""

    def _secret(self, field: str) -> SecretStr | None:
        inline: SecretStr | None = getattr(self, field)
        if inline is not None:
            return inline
        env_name: str | None = getattr(self, f"{field}_env")
        if env_name:
            value = os.environ.get(env_name)
            if value:
                return SecretStr(value.strip())
        file_name: str | None = getattr(self, f"{field}_file")
        if file_name:
            path = Path(file_name)
            creds = os.environ.get("CREDENTIALS_DIRECTORY")
            if not path.is_absolute() and creds:
                path = Path(creds) / path
            try:
                return SecretStr(path.read_text(encoding="utf-8").strip())
            except OSError:
                return None
        return None


class TelegramChannelSettings(_SecretSource):
    type: Literal["telegram"]
    chat_id: str
    token: SecretStr | None = None
    token_env: str | None = None
    token_file: str | None = None
    api_url: str = "https://api.telegram.org"
    thread_id: int | None = None
    link_preview: bool = False

    def missing_secret(self) -> str | None:
        if self._secret("token") is None:
            return (
                "token: expected a bot token (token, token_env naming a set environment "
                "variable, or token_file naming a readable file), found none"
            )
        return None

    def resolved_token(self) -> str:
        secret = self._secret("token")
        if secret is None:
            raise ConfigError([Diagnostic("config", 1, 1, self.missing_secret() or "")])
        return secret.get_secret_value()


class SlackChannelSettings(_SecretSource):
    type: Literal["slack"]
    channel: str | None = None
    token: SecretStr | None = None
    token_env: str | None = None
    token_file: str | None = None
    api_url: str = "https://slack.com/api"
    webhook_url: SecretStr | None = None
    webhook_url_env: str | None = None
    webhook_url_file: str | None = None

    @model_validator(mode="after")
    def _has_target(self) -> SlackChannelSettings:
        web_api = self.channel and (self.token or self.token_env or self.token_file)
        webhook = self.webhook_url or self.webhook_url_env or self.webhook_url_file
        if not (web_api or webhook):
            raise ValueError(
                "expected either channel + token (or token_env/token_file) for the Web API, "
                "or webhook_url (or webhook_url_env/webhook_url_file), found neither"
            )
        return self

    def missing_secret(self) -> str | None:
        if self._secret("webhook_url") is not None:
            return None
        if self._secret("token") is None:
            return (
                "token: expected a Slack token (token, token_env naming a set environment "
                "variable, or token_file naming a readable file) or a webhook_url, found none"
            )
        return None

    def resolved_token(self) -> str | None:
        secret = self._secret("token")
        return None if secret is None else secret.get_secret_value()

    def resolved_webhook(self) -> str | None:
        secret = self._secret("webhook_url")
        return None if secret is None else secret.get_secret_value()


class ConsoleChannelSettings(_DeskKeys):
    type: Literal["console"]


ChannelSettings = Annotated[
    TelegramChannelSettings | SlackChannelSettings | ConsoleChannelSettings,
    Field(discriminator="type"),
]


class Settings(BaseSettings):
    """The whole config.toml. Environment variables WATCHER_<SECTION>__<KEY> override the file."""

    model_config = SettingsConfigDict(
        env_prefix="WATCHER_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    storage: StorageSettings = StorageSettings()
    rules: RulesSettings = RulesSettings()
    defaults: DefaultsSettings = DefaultsSettings()
    fetch: FetchSettings = FetchSettings()
    stories: StoriesSettings = StoriesSettings()
    service: ServiceSettings = ServiceSettings()
    feed: list[FeedSettings] = Field(default_factory=list)
    channel: dict[str, ChannelSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_checks(self) -> Settings:
        admin = self.service.admin_channel
        if admin is not None and admin not in self.channel:
            raise ValueError(
                f"service.admin_channel: expected the name of a [channel.NAME] section, "
                f"found {admin!r}"
            )
        seen: set[str] = set()
        for feed in self.feed:
            if feed.url in seen:
                raise ValueError(f"feed: the url {feed.url!r} is listed twice")
            seen.add(feed.url)
        return self

    def missing_secrets(self, path: Path) -> list[Diagnostic]:
        """Channels whose secret cannot be found now (env unset, file unreadable).

        Checked by the commands that send (run, poll-once, check), not at load, so that
        `watcher stories` works for a user who does not hold the service's secrets.
        """
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        out = []
        for name, spec in self.channel.items():
            problem = None if isinstance(spec, ConsoleChannelSettings) else spec.missing_secret()
            if problem:
                line, col = _locate(text, ["channel", name])
                out.append(
                    Diagnostic(
                        str(path), line, col, f"channel.{name}: {problem}", _line(text, line)
                    )
                )
        return out

    def feeds(self) -> list[Feed]:
        return [
            Feed(
                url=f.url,
                name=f.name or _host(f.url),
                interval=f.interval or self.defaults.interval,
                max_age=f.max_age or self.defaults.max_age,
            )
            for f in self.feed
        ]


def _host(url: str) -> str:
    m = re.match(r"^https?://([^/:]+)", url)
    return m.group(1) if m else url


def config_path(cli_value: str | os.PathLike[str] | None) -> Path:
    if cli_value:
        return Path(cli_value)
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    return DEFAULT_PATH


def load(path: Path) -> Settings:
    """Read and validate the config file; relative paths inside it are taken from its folder."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            [Diagnostic(str(path), 1, 1, f"cannot read the config file: {exc.strerror}")]
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_position(exc)
        raise ConfigError(
            [Diagnostic(str(path), line, col, f"invalid TOML: {exc.args[0]}", _line(text, line))]
        ) from exc
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_diagnostics(exc, path, text)) from exc
    return _rebase(settings, path.parent)


def from_mapping(data: Mapping[str, Any], base: Path) -> Settings:
    """Settings from an in-memory mapping (used by `watcher demo`)."""
    return _rebase(Settings(**data), base)


def _rebase(settings: Settings, base: Path) -> Settings:
    storage = settings.storage.model_copy(update={"path": _under(base, settings.storage.path)})
    rules = settings.rules.model_copy(
        update={"paths": [_under(base, p) for p in settings.rules.paths]}
    )
    return settings.model_copy(update={"storage": storage, "rules": rules})


def _under(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else base / path


def _toml_error_position(exc: tomllib.TOMLDecodeError) -> tuple[int, int]:
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        return lineno, colno
    m = re.search(r"line (\d+), column (\d+)", str(exc))
    return (int(m.group(1)), int(m.group(2))) if m else (1, 1)


def _line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _diagnostics(exc: ValidationError, path: Path, text: str) -> list[Diagnostic]:
    out = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if not _is_union_tag(p)]
        key_path = ".".join(loc) or "(top level)"
        found = err.get("input")
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown key (check its spelling; see config.example.toml)"
        elif err["type"] == "missing":
            message = "required key is missing"
        elif "found" not in message and not isinstance(found, dict | list):
            message = f"{message}, found {_show(found)}"
        line, col = _locate(text, loc)
        out.append(Diagnostic(str(path), line, col, f"{key_path}: {message}", _line(text, line)))
    return out


def _is_union_tag(part: object) -> bool:
    return part in {"telegram", "slack", "console"} or (
        isinstance(part, str) and part.startswith("function-")
    )


def _show(value: object) -> str:
    if isinstance(value, str) and re.search(r"(token|xox|hooks\.slack)", value, re.I):
        return "(a secret, not shown)"
    return repr(value)


def _locate(text: str, loc: list[str]) -> tuple[int, int]:
    """Best-effort position of a key path in the TOML text (tomllib keeps no positions)."""
    lines = text.splitlines()
    start = 0
    section = [p for p in loc if not p.isdigit()]
    # Find the table header naming the section ([channel.x], [[feed]], [service]) first.
    for depth in range(len(section), 0, -1):
        header = ".".join(section[:depth])
        for i, raw in enumerate(lines):
            stripped = raw.strip().replace('"', "")
            if stripped in (f"[{header}]", f"[[{header}]]"):
                start = i
                index = _nth_array_table(loc, lines, header)
                if index is not None:
                    start = index
                break
        else:
            continue
        break
    key = section[-1] if section else ""
    for i in range(start, len(lines)):
        m = re.match(rf"^\s*({re.escape(key)})\s*=", lines[i])
        if m:
            return i + 1, m.start(1) + 1
        if i > start and lines[i].lstrip().startswith("["):
            break
    return start + 1, 1


def _nth_array_table(loc: list[str], lines: list[str], header: str) -> int | None:
    if len(loc) < 2 or not loc[1].isdigit():
        return None
    wanted, seen = int(loc[1]), -1
    for i, raw in enumerate(lines):
        if raw.strip() == f"[[{header}]]":
            seen += 1
            if seen == wanted:
                return i
    return None


def storage_path_anyway(path: Path) -> Path:
    """The database `path`'s config names even when the file is invalid (for `watcher status`,
    which must still report while a running service keeps its last good config): the
    environment override, else `[storage] path` as written, else the default; relative to the
    config file's folder, as `load` takes it."""
    named = os.environ.get("WATCHER_STORAGE__PATH") or _storage_key(path)
    return _under(path.parent, Path(named or StorageSettings().path))


def _storage_key(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        value = tomllib.loads(text).get("storage", {}).get("path")
        return value if isinstance(value, str) and value else None
    except (tomllib.TOMLDecodeError, AttributeError):
        pass
    # A TOML syntax error elsewhere: read the key from its own section by eye.
    section = re.search(r"(?ms)^\s*\[storage\]\s*$(.*?)(?=^\s*\[|\Z)", text)
    found = section and re.search(r"""(?m)^\s*path\s*=\s*(["'])(.+?)\1\s*(#.*)?$""", section[1])
    return found[2] if found else None
