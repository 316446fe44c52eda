"""The `[channel.NAME]` tables of config.toml: Telegram, Slack, console, and their secrets.

Every channel may set the keys that keep its desk sane (DeskKeys: digest, quiet hours,
min_priority, max_per_hour). A token or webhook URL is given inline, by environment variable
(`token_env`) or by file (`token_file`, relative to `$CREDENTIALS_DIRECTORY`); it is held as
SecretStr, resolved only when a channel is built, and never shown (config_check.py words the
problems of a secret without quoting it).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from watcher import config_check
from watcher.config_check import find_secret
from watcher.config_values import ChatId, Duration, Section
from watcher.delivery.desk_policy import DeskPolicy, parse_quiet_hours, zone
from watcher.errors import ConfigError, Diagnostic


class DeskKeys(Section):
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


class _SecretSource(DeskKeys):
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


class ConsoleChannelSettings(DeskKeys):
    type: Literal["console"]


ChannelSettings = Annotated[
    TelegramChannelSettings | SlackChannelSettings | ConsoleChannelSettings,
    Field(discriminator="type"),
]
