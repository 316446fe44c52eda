"""config.toml: the contract keys, durations, secrets from env/files, located errors."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from watcher import config
from watcher.config_channels import TelegramChannelSettings
from watcher.config_values import parse_duration
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


def test_unnamed_feeds_of_one_host_are_told_apart_by_their_path(tmp_path: Path) -> None:
    feeds = config.load(write(tmp_path, """
[[feed]]
url = "http://127.0.0.1:8080/a.xml"
[[feed]]
url = "http://reader:s3cret@127.0.0.1:8080/b/feed/?format=rss"
[[feed]]
url = "http://127.0.0.1:8080/c.xml"
name = "Outlet C"
[[feed]]
url = "https://news.example.net/rss"
""")).feeds()  # fmt: skip
    assert [f.name for f in feeds] == [
        "127.0.0.1:8080/a.xml",
        "127.0.0.1:8080/b/feed",  # never the credentials, nor the query
        "Outlet C",
        "news.example.net",  # alone on its host: the host name, as before
    ]


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


@pytest.mark.parametrize(
    "bad", ["5x", "", "-1m", 0, True, "m5", "99999999999999d", float("inf"), float("nan")]
)
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
    assert interval.col == len('interval = "')  # the value's opening quote
    assert colour.message.startswith("feed 1: colour: unknown key")
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
    assert (diag.line, diag.col) == (4, 13)
    assert "channel.a: the environment variable UNSET_VAR_FOR_TEST (token_env) is not set" in (
        diag.message
    )


def test_admin_channel_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="admin_channel"):
        config.load(write(tmp_path, '[service]\nadmin_channel = "nope"\n'))


def test_config_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHER_CONFIG", str(tmp_path / "env.toml"))
    assert config.config_path("cli.toml") == Path("cli.toml")
    assert config.config_path(None) == tmp_path / "env.toml"
    monkeypatch.delenv("WATCHER_CONFIG")
    assert config.config_path(None) == Path("config.toml")


def run_watcher(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watcher", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "WATCHER_CONFIG"},
    )


EVERY_ERROR = """\
[rules]
paths = ["rules"]

[fetch]
timout = "5s"

[service]
admin_channel = "admni"

[[feed]]
url = "https://a.example/rss"

[[feed]]
url = "https://b.example/rss"

[[feed]]
url = "https://a.example/rss"
interval = "soon"

[channel.admin]
type = "console"

[channel.desk]
type = "slak"
chat_id = "1"

[channel.tg]
type = "telegram"
chat_id = "1"
token_env = "WATCHER_TEST_UNSET_TOKEN"

[channel.hooks]
type = "slack"
"""


def place(text: str, line_text: str, value: str) -> str:
    """`line:col` of `value` on the line that reads `line_text`."""
    line = text.splitlines().index(line_text) + 1
    return f"{line}:{line_text.index(value) + 1}"


def test_check_lists_every_config_error_at_once_in_plain_words(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(
        '[[rule]]\nname = "a"\nquery = "Iran AND"\nchannels = ["admin"]\n', encoding="utf-8"
    )
    write(tmp_path, EVERY_ERROR)
    done = run_watcher("check", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    err, t = done.stderr, EVERY_ERROR
    timout = place(t, 'timout = "5s"', "timout")
    admin = place(t, 'admin_channel = "admni"', '"admni"')
    interval = place(t, 'interval = "soon"', '"soon"')
    slak = place(t, 'type = "slak"', '"slak"')
    env = place(t, 'token_env = "WATCHER_TEST_UNSET_TOKEN"', '"WATCHER')
    expected = [
        f"config.toml:{timout}: fetch.timout: unknown key",
        "did you mean 'timeout'?",
        f"config.toml:{admin}: service.admin_channel: expected the name of a [channel.NAME] "
        "section, found 'admni'",
        "did you mean 'admin'?",
        f"config.toml:{interval}: feed 3: interval: expected a duration",
        "feed 3: url: this url is already the url of feed 1",
        f"config.toml:{slak}: channel.desk.type: expected one of 'telegram', 'slack', "
        "'console', found 'slak'",
        "did you mean 'slack'?",
        "channel.desk.chat_id: unknown key",  # checked as the slack channel it was meant to be
        f"config.toml:{env}: channel.tg: the environment variable WATCHER_TEST_UNSET_TOKEN "
        "(token_env) is not set",
        "channel.hooks: expected either channel + token",
        "desk.toml:3:",  # the rules are checked too, with the channels the file names
    ]
    for wanted in expected:
        assert wanted in err, f"{wanted!r} missing from:\n{err}"
    for pydantic_words in ("Input tag", "Input should be", "Value error", "validation error"):
        assert pydantic_words not in err
    last_line = err.strip().splitlines()[-1]
    assert last_line == "9 error(s)", err


def test_feed_problems_count_feeds_from_one(tmp_path: Path) -> None:
    text = '[[feed]]\nurl = "https://a.example/"\n[[feed]]\nurl = "gopher://b.example/"\n'
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text))
    (diag,) = caught.value.diagnostics
    assert diag.message.startswith("feed 2: url: expected an http:// or https:// URL")
    assert (diag.line, diag.col) == (4, 7)


@pytest.mark.parametrize(
    "value", ['"99999999999999d"', "inf", "nan", "1e400", '"99999999999999999999"']
)
def test_absurd_durations_are_located_errors(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, f"[defaults]\ninterval = {value}\n"))
    (diag,) = caught.value.diagnostics
    assert (diag.line, diag.col) == (2, 12) and "defaults.interval: expected" in diag.message


def test_http_port_out_of_range_is_refused_by_check_not_by_run(tmp_path: Path) -> None:
    text = '[service]\nhttp = "127.0.0.1:99999"\n[channel.log]\ntype = "console"\n'
    write(tmp_path, text)
    for command in ("check", "run"):
        done = run_watcher(command, cwd=tmp_path)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert "config.toml:2:8: service.http: expected HOST:PORT (port 0 to 65535)" in (
            done.stderr
        )


def test_config_that_is_not_utf8_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_bytes(b'[storage]\npath = "caf\xe9.db"\n')
    done = run_watcher("check", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "config.toml:2:12: cannot read the config file: not UTF-8 text" in done.stderr


def test_deeply_nested_config_is_a_located_error(tmp_path: Path) -> None:
    write(tmp_path, "[fetch]\ncontact = " + "[" * 100_000 + "\n")
    done = run_watcher("check", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "config.toml:2:" in done.stderr and "nested more than" in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "huge"])
def test_config_that_is_not_a_small_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "config.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_text("# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    done = run_watcher("check", cwd=tmp_path, timeout=30)  # a FIFO read would block for ever
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    reason = {"fifo": "not a regular file", "dev-zero": "not a regular file"}.get(
        kind, "a folder" if kind == "folder" else "larger than 1 MB"
    )
    assert f"config.toml:1:1: cannot read the config file: {reason}" in done.stderr


def test_token_file_that_is_a_fifo_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "tg")
    text = f'[channel.a]\ntype = "telegram"\nchat_id = "1"\ntoken_file = "{tmp_path / "tg"}"\n'
    path = write(tmp_path, text)
    (diag,) = config.load(path).missing_secrets(path)
    assert (diag.line, diag.col) == (4, 14) and "not a regular file" in diag.message


def test_list_items_count_from_one_and_a_numeric_chat_id_is_taken(tmp_path: Path) -> None:
    text = '[rules]\npaths = ["rules", 2]\n[channel.tg]\ntype = "telegram"\nchat_id = -100123\n'
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text))
    (diag,) = caught.value.diagnostics
    assert diag.message == "rules.paths item 2: expected a path in quotes, found 2"
    settings = config.load(write(tmp_path, text.replace(', 2]', "]")))
    assert settings.channel["tg"].chat_id == "-100123"  # type: ignore[union-attr]
