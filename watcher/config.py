"""Settings: config.toml validated by pydantic-settings, secrets resolved, errors located.

Only the composition roots (assembly.py, app.py), the command line (cli/) and the demo import
this module; everything else receives plain values. The file is found as ``--config FILE``, else
``$WATCHER_CONFIG``, else ``./config.toml``. Every problem is reported at once as
``file:line:col: key.path: expected ..., found ...`` (config_check.py words and places them,
and never quotes a secret).

Secrets (bot tokens, Slack tokens, webhook URLs) may be written in the file, but a server should
take them from the environment (``token_env = "VAR"``) or from a file (``token_file = "name"``,
relative to systemd's ``$CREDENTIALS_DIRECTORY`` when that is set). They are held as SecretStr,
so they never show in a repr, a log line or an error.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
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

from watcher import config_check
from watcher.config_check import Source, find_secret
from watcher.delivery.desk_policy import DeskPolicy, parse_quiet_hours, zone
from watcher.errors import ConfigError, Diagnostic, UnreadableFileError
from watcher.files import read_text
from watcher.model import DEFAULT_MAX_AGE, Feed
from watcher.query.tomlfile import TomlSyntaxError, load_toml
from watcher.redact import redact

DEFAULT_PATH = Path("config.toml")
ENV_VAR = "WATCHER_CONFIG"

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}
MAX_DURATION_DAYS = 3650  # ten years: anything longer is a typo, and times past it overflow


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
    if not math.isfinite(seconds) or seconds > MAX_DURATION_DAYS * 86400:
        raise ValueError(f"expected a duration of at most {MAX_DURATION_DAYS}d, found {value!r}")
    if seconds <= 0:
        raise ValueError(f"expected a positive duration, found {value!r}")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def _chat_id(value: object) -> object:
    """Telegram shows chat ids as numbers, so `chat_id = -1001234567890` is taken as written."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ChatId = Annotated[str, BeforeValidator(_chat_id)]


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
    # More new matching stories than this from one feed in one poll fold into one message.
    burst_limit: int = Field(default=5, ge=1)


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
    window: Duration = timedelta(hours=36)  # a story takes new reports this long after its first
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
        return host_port(value)


def host_port(value: str | None) -> str | None:
    m = None if value is None else re.match(r"^(\[[0-9A-Fa-f:.]+\]|[^:\s]*):(\d{1,5})$", value)
    if value is not None and (m is None or int(m.group(2)) > 65535):
        raise ValueError(
            f"expected HOST:PORT (port 0 to 65535) such as '127.0.0.1:9187', found {value!r}"
        )
    return value


class WebSettings(_Section):
    listen: str | None = None  # "127.0.0.1:8686": the desk page (off when unset)
    users_file: Path | None = None  # desk users and password hashes; default beside the database

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        return host_port(value)

    def users_path(self, database: Path) -> Path:
        return self.users_file or database.parent / "web-users"


class FeedSettings(_Section):
    url: str
    name: str | None = None
    interval: Duration | None = None
    max_age: Duration | None = None

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, url: str) -> str:
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"expected an http:// or https:// URL, found {redact(url)!r}")
        return url


class _DeskKeys(_Section):
    """What every channel may set to keep its desk sane (see watcher/delivery/desk_policy.py)."""

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
        found = find_secret(self.model_dump(), field)
        return None if found.value is None else SecretStr(found.value)


class TelegramChannelSettings(_SecretSource):
    type: Literal["telegram"]
    chat_id: ChatId
    token: SecretStr | None = None
    token_env: str | None = None
    token_file: str | None = None
    api_url: str = "https://api.telegram.org"
    thread_id: int | None = None
    link_preview: bool = False
    commands: bool = False  # read the chat: commands and alert buttons (watcher/talk/)
    command_users: list[ChatId] = Field(default_factory=list)  # user ids allowed in private chats

    def resolved_token(self) -> str:
        secret = self._secret("token")
        if secret is None:
            problem = find_secret(self.model_dump(), "token").problem or "no bot token"
            raise ConfigError([Diagnostic("config", 1, 1, problem)])
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
    commands: bool = False  # read the channel over Socket Mode: commands and alert buttons
    command_users: list[str] = Field(default_factory=list)  # user ids (U...) allowed in DMs
    app_token: SecretStr | None = None  # the app-level token (xapp-...) Socket Mode connects with
    app_token_env: str | None = None
    app_token_file: str | None = None

    @model_validator(mode="after")
    def _has_target(self) -> SlackChannelSettings:
        table = self.model_dump()
        if not config_check.slack_has_target(table):
            raise ValueError(config_check.SLACK_TARGET)
        if problem := config_check.slack_commands_problem(table):
            raise ValueError(problem)
        return self

    def resolved_token(self) -> str | None:
        secret = self._secret("token")
        return None if secret is None else secret.get_secret_value()

    def resolved_webhook(self) -> str | None:
        secret = self._secret("webhook_url")
        return None if secret is None else secret.get_secret_value()

    def resolved_app_token(self) -> str | None:
        secret = self._secret("app_token") if self.commands else None
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
    web: WebSettings = WebSettings()
    feed: list[FeedSettings] = Field(default_factory=list)
    channel: dict[str, ChannelSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_checks(self) -> Settings:
        # The same checks run on the file's tables when another part fails (config_check).
        admin = self.service.admin_channel
        if admin is not None and admin not in self.channel:
            raise ValueError(config_check.admin_channel_message(admin))
        seen: dict[str, int] = {}
        for n, feed in enumerate(self.feed):
            if feed.url in seen:
                path = config_check.key_path(["feed", str(n), "url"])
                raise ValueError(f"{path}: {config_check.duplicate_message(seen[feed.url])}")
            seen[feed.url] = n
        return self

    def missing_secrets(self, path: Path) -> list[Diagnostic]:
        """Channels whose secret cannot be found now (env unset, file unreadable).

        Checked by the commands that send (run, poll-once, check), not at load, so that
        `watcher stories` works for a user who does not hold the service's secrets.
        """
        try:
            source = Source.of(path, read_text(path), KEYS)
        except UnreadableFileError:
            source = Source.of(path, "", KEYS)
        channels = {name: spec.model_dump() for name, spec in self.channel.items()}
        return config_check.secret_problems(channels, source)

    def feeds(self) -> list[Feed]:
        # A feed without a name is shown by its host; when several unnamed feeds share a host
        # (a site's sections, outlets served from one test server), by host and path, so
        # alerts and `watcher stories` still tell them apart.
        hosts = Counter(_host(f.url) for f in self.feed if not f.name)
        return [
            Feed(
                url=f.url,
                name=f.name or _default_name(f.url, shared=hosts[_host(f.url)] > 1),
                interval=f.interval or self.defaults.interval,
                max_age=f.max_age or self.defaults.max_age,
            )
            for f in self.feed
        ]


def _host(url: str) -> str:
    m = re.match(r"^https?://(?:[^/?#@]*@)?([^/:?#]+)", url)  # never the user name of a URL
    return m.group(1) if m else redact(url)


def _default_name(url: str, *, shared: bool) -> str:
    if not shared:
        return _host(url)
    m = re.match(r"^https?://(?:[^/?#@]*@)?([^/?#]+)([^?#]*)", url)  # never the user name
    return f"{m.group(1)}{m.group(2).rstrip('/')}" if m else redact(url)


def config_path(cli_value: str | os.PathLike[str] | None) -> Path:
    if cli_value:
        return Path(cli_value)
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    return DEFAULT_PATH


def _keys() -> dict[str, tuple[str, ...]]:
    """The keys each kind of table may hold, for "did you mean" (see config_check.Source)."""
    keys = {"": tuple(Settings.model_fields), "feed": tuple(FeedSettings.model_fields)}
    for name, field in Settings.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            keys[name] = tuple(field.annotation.model_fields)
    keys["channel.telegram"] = tuple(TelegramChannelSettings.model_fields)
    keys["channel.slack"] = tuple(SlackChannelSettings.model_fields)
    keys["channel.console"] = tuple(ConsoleChannelSettings.model_fields)
    return keys


KEYS = _keys()


def load(path: Path) -> Settings:
    """Read and validate the config file; relative paths inside it are taken from its folder."""
    checked = check(path, secrets=False)
    if checked.settings is None:
        raise ConfigError(list(checked.problems))
    return checked.settings


@dataclass(frozen=True, slots=True)
class Checked:
    """What `watcher check` learns from the config file, valid or not."""

    settings: Settings | None  # None when there are problems
    problems: tuple[Diagnostic, ...]  # every one, in file order
    rule_paths: tuple[Path, ...]  # as the file names them (or the default), to check them too
    channel_names: tuple[str, ...]


def check(path: Path, *, secrets: bool = True) -> Checked:
    """Every problem of the config file at once, the channels' secrets too when `secrets`."""
    try:
        source = Source.of(path, read_text(path), KEYS)
    except UnreadableFileError as exc:
        reason = f"cannot read the config file: {exc.reason}"
        diagnostic = Diagnostic(str(path), exc.line, exc.col, reason)
        return Checked(None, (diagnostic,), (), ())
    try:
        data = load_toml(source.pos.text)
    except TomlSyntaxError as exc:
        diagnostic = source.diagnostic((exc.line, exc.col), f"invalid TOML: {exc.message}")
        return Checked(None, (diagnostic,), (), ())
    problems: list[Diagnostic] = []
    settings: Settings | None = None
    try:
        settings = _rebase(Settings(**data), path.parent)
    except ValidationError as exc:
        # pydantic skips a model's own checks while a field fails: run them on the tables.
        for problem in config_check.cross_problems(data, source) + (
            config_check.validation_problems(exc, source, data)
        ):
            if all(problem.message != p.message for p in problems):  # told by both
                problems.append(problem)
    channels = data.get("channel")
    channels = channels if isinstance(channels, dict) else {}
    if secrets:
        tables = {k: v for k, v in channels.items() if isinstance(v, dict)}
        if settings is not None:  # with the environment's overrides
            tables = {name: spec.model_dump() for name, spec in settings.channel.items()}
        problems += config_check.secret_problems(tables, source)
    return Checked(
        None if problems else settings,
        tuple(sorted(problems, key=lambda d: (d.line, d.col))),
        tuple(settings.rules.paths if settings else _rule_paths(data, path.parent)),
        tuple(channels),
    )


def _rule_paths(data: Mapping[str, Any], base: Path) -> list[Path]:
    rules = data.get("rules")
    paths = rules.get("paths") if isinstance(rules, dict) else None
    if not (isinstance(paths, list) and all(isinstance(p, str) for p in paths)):
        paths = [str(p) for p in RulesSettings().paths]
    return [_under(base, Path(p)) for p in paths]


def from_mapping(data: Mapping[str, Any], base: Path) -> Settings:
    """Settings from an in-memory mapping (used by `watcher demo`)."""
    return _rebase(Settings(**data), base)


def _rebase(settings: Settings, base: Path) -> Settings:
    storage = settings.storage.model_copy(update={"path": _under(base, settings.storage.path)})
    rules = settings.rules.model_copy(
        update={"paths": [_under(base, p) for p in settings.rules.paths]}
    )
    users = settings.web.users_file
    web = settings.web.model_copy(update={"users_file": users and _under(base, users)})
    return settings.model_copy(update={"storage": storage, "rules": rules, "web": web})


def _under(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else base / path


def storage_path_anyway(path: Path) -> Path:
    """The database `path`'s config names even when the file is invalid (for `watcher status`,
    which must still report while a running service keeps its last good config): the
    environment override, else `[storage] path` as written, else the default; relative to the
    config file's folder, as `load` takes it."""
    named = os.environ.get("WATCHER_STORAGE__PATH") or _storage_key(path)
    return _under(path.parent, Path(named or StorageSettings().path))


def _storage_key(path: Path) -> str | None:
    try:
        text = read_text(path)
    except UnreadableFileError:
        return None
    try:
        value = load_toml(text).get("storage", {}).get("path")
        return value if isinstance(value, str) and value else None
    except (TomlSyntaxError, AttributeError):
        pass
    # A TOML syntax error elsewhere: read the key from its own section by eye.
    section = re.search(r"(?ms)^\s*\[storage\]\s*$(.*?)(?=^\s*\[|\Z)", text)
    found = section and re.search(r"""(?m)^\s*path\s*=\s*(["'])(.+?)\1\s*(#.*)?$""", section[1])
    return found[2] if found else None
