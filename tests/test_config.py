"""config.toml: the contract keys, durations, secrets from env/files, located errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from watcher import config
from watcher.config import TelegramChannelSettings, parse_duration
from watcher.errors import ConfigError

CONTRACT = """
[storage]
path = "state/watcher.db"

[rules]
paths = ["rules"]

[defaults]
interval = "5m"

[[feed]]
url = "https://www.example.org/rss.xml"
name = "Example"
interval = "2m"

[[feed]]
url = "https://news.example.net/feed"

[channel.asia-desk]
type = "telegram"
chat_id = "-1001234567890"
token = "123:abc"
api_url = "http://127.0.0.1:9/"

[channel.foreign-desk]
type = "slack"
channel = "C0123456789"
token = "xoxb-1"
api_url = "http://127.0.0.1:9/api"

[channel.hooks]
type = "slack"
webhook_url = "http://127.0.0.1:9/hook"

[channel.log]
type = "console"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_contract_example_loads(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, CONTRACT))
    assert settings.storage.path == tmp_path / "state/watcher.db"
    assert settings.rules.paths == [tmp_path / "rules"]
    feeds = settings.feeds()
    assert [f.name for f in feeds] == ["Example", "news.example.net"]
    assert [f.interval for f in feeds] == [timedelta(minutes=2), timedelta(minutes=5)]
    asia = settings.channel["asia-desk"]
    assert isinstance(asia, TelegramChannelSettings)
    assert asia.resolved_token() == "123:abc"
    assert "123:abc" not in repr(settings)


def test_shipped_example_config_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHER_ASIA_DESK_TOKEN", "1:x")
    monkeypatch.setenv("WATCHER_FOREIGN_DESK_TOKEN", "xoxb-x")
    example = Path(__file__).resolve().parents[1] / "config.example.toml"
    settings = config.load(example)
    assert set(settings.channel) == {"asia-desk", "foreign-desk", "console"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90s", 90), ("5m", 300), ("1h", 3600), ("2d", 172800), (45, 45), ("1.5m", 90)],
)
def test_durations(text: object, expected: int) -> None:
    assert parse_duration(text) == timedelta(seconds=expected)


@pytest.mark.parametrize("bad", ["5x", "", "-1m", 0, True, "m5"])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_every_error_is_listed_with_key_path_and_position(tmp_path: Path) -> None:
    text = CONTRACT.replace('interval = "5m"', 'interval = "5x"').replace(
        'name = "Example"', 'name = "Example"\ncolour = "red"'
    )
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text))
    messages = [str(d) for d in caught.value.diagnostics]
    assert len(messages) == 2
    interval, colour = caught.value.diagnostics
    assert interval.message.startswith("defaults.interval: expected a duration")
    assert "found '5x'" in interval.message
    assert interval.line == text.splitlines().index('interval = "5x"') + 1
    assert colour.message.startswith("feed.0.colour: unknown key")
    assert colour.line == text.splitlines().index('colour = "red"') + 1


def test_toml_syntax_error_has_position(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, '[storage]\npath = "x\n'))
    (diag,) = caught.value.diagnostics
    assert diag.line == 2 and "invalid TOML" in diag.message


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        config.load(tmp_path / "nope.toml")


def test_token_from_env_and_credentials_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "tg").write_text("42:from-file\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    monkeypatch.setenv("MY_SLACK", "xoxb-from-env")
    text = """
[channel.a]
type = "telegram"
chat_id = "1"
token_file = "tg"
[channel.b]
type = "slack"
channel = "C1"
token_env = "MY_SLACK"
"""
    settings = config.load(write(tmp_path, text))
    a, b = settings.channel["a"], settings.channel["b"]
    assert isinstance(a, TelegramChannelSettings) and a.resolved_token() == "42:from-file"
    assert b.resolved_token() == "xoxb-from-env"  # type: ignore[union-attr]


def test_missing_secret_is_reported_at_its_channel(tmp_path: Path) -> None:
    text = '[channel.a]\ntype = "telegram"\nchat_id = "1"\ntoken_env = "UNSET_VAR_FOR_TEST"\n'
    path = write(tmp_path, text)
    settings = config.load(path)  # reading stories needs no secrets
    (diag,) = settings.missing_secrets(path)
    assert diag.line == 1 and "channel.a: token: expected a bot token" in diag.message


def test_admin_channel_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="admin_channel"):
        config.load(write(tmp_path, '[service]\nadmin_channel = "nope"\n'))


def test_config_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHER_CONFIG", str(tmp_path / "env.toml"))
    assert config.config_path("cli.toml") == Path("cli.toml")
    assert config.config_path(None) == tmp_path / "env.toml"
    monkeypatch.delenv("WATCHER_CONFIG")
    assert config.config_path(None) == Path("config.toml")
