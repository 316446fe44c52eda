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

The channel tables are config_channels.py's, the kinds of value (durations, HOST:PORT, chat
ids) config_values.py's; this module holds the other tables, the whole Settings and reading
the file.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from watcher import config_check
from watcher.config_channels import (
    ChannelSettings,
    ConsoleChannelSettings,
    SlackChannelSettings,
    TelegramChannelSettings,
)
from watcher.config_check import Source
from watcher.config_values import Duration, Section, host_port
from watcher.errors import ConfigError, Diagnostic, UnreadableFileError
from watcher.files import read_text
from watcher.model import DEFAULT_MAX_AGE, Feed
from watcher.query.tomlfile import TomlSyntaxError, load_toml
from watcher.redact import redact

DEFAULT_PATH = Path("config.toml")
ENV_VAR = "WATCHER_CONFIG"


class StorageSettings(Section):
    path: Path = Path("watcher.db")


class RulesSettings(Section):
    paths: list[Path] = Field(default_factory=lambda: [Path("rules")])
    reload_check: Duration = timedelta(seconds=2)  # how often rule files are checked for edits


class DefaultsSettings(Section):
    interval: Duration = timedelta(minutes=5)
    max_age: Duration = DEFAULT_MAX_AGE  # items first seen older than this never alert
    # More new matching stories than this from one feed in one poll fold into one message.
    burst_limit: int = Field(default=5, ge=1)


class FetchSettings(Section):
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


class StoriesSettings(Section):
    # a story takes new reports this long after its first (an arc's turn: stories.HOLD; a
    # report agreeing with a story two outlets told: stories.AGREE_HOLD, at most AGREE_SLOTS
    # reports kept past the window for it)
    window: Duration = timedelta(hours=36)
    retention: Duration = timedelta(days=30)  # items and stories older than this are pruned


class ServiceSettings(Section):
    admin_channel: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    delivery_check: Duration = timedelta(seconds=5)
    http: str | None = None  # "127.0.0.1:9187": serve /healthz and /metrics (off when unset)
    prune_every: Duration = timedelta(days=1)  # how often the retention prune runs

    @field_validator("http")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        return host_port(value)


class WebSettings(Section):
    listen: str | None = None  # "127.0.0.1:8686": the desk page (off when unset)
    users_file: Path | None = None  # desk users and password hashes; default beside the database

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        return host_port(value)

    def users_path(self, database: Path) -> Path:
        return self.users_file or database.parent / "web-users"


class FeedSettings(Section):
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
