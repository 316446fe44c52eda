"""No secret in any output of `poll-once`, `run`, `status`, `check` at DEBUG, with every secret.

Telegram bot tokens (one right, one wrong so errors are logged), a Slack Web API token and a
Slack incoming-webhook URL (one answering, one at a closed port) are configured, alerts are sent
through flood control and refusals, and every byte the commands print, and every error the
database records for `watcher status` to show, is searched for the secrets.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.feed_server import FeedServer, rss
from tests.fakes.slack_api import WEBHOOK_PATH, FakeSlack
from tests.fakes.telegram_api import FakeTelegram, closed_port
from tests.test_service import wait_for

TG_TOKEN = "5151:REDACTtgSECRETtoken"
TG_WRONG = "6262:WRONGtgSECRETtoken"
SLACK_TOKEN = "xoxb-REDACT-slack-SECRET"
CLOSED_HOOK_PATH = "/services/T1/B1/CLOSEDhookSECRETpath"
NOW = datetime.now(UTC)

RULES = """
[[rule]]
name = "ferries"
query = "ferry"
channels = ["tg", "tg-wrong", "slack", "hook"]

[[rule]]
name = "harbour"
query = "harbour"
channels = ["hook-closed", "slack"]
"""


def config(tmp: Path, feed: str, tg: FakeTelegram, slack: FakeSlack, hook_closed: str) -> Path:
    (tmp / "rules").mkdir()
    (tmp / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
    path = tmp / "config.toml"
    path.write_text(
        '[storage]\npath = "w.db"\n[rules]\npaths = ["rules"]\n'
        '[service]\nlog_level = "DEBUG"\ndelivery_check = "0.2s"\n'
        f'[[feed]]\nurl = "{feed}"\nname = "F"\ninterval = "1s"\n'
        f'[channel.tg]\ntype = "telegram"\nchat_id = "-1"\ntoken_env = "T_TG"\n'
        f'api_url = "{tg.api_url}"\n'
        f'[channel.tg-wrong]\ntype = "telegram"\nchat_id = "-2"\ntoken_env = "T_WRONG"\n'
        f'api_url = "{tg.api_url}"\n'
        f'[channel.slack]\ntype = "slack"\nchannel = "C1"\ntoken_env = "T_SLACK"\n'
        f'api_url = "{slack.api_url}"\n'
        f'[channel.hook]\ntype = "slack"\nwebhook_url_env = "T_HOOK"\n'
        f'[channel.hook-closed]\ntype = "slack"\nwebhook_url_file = "hook-closed"\n',
        encoding="utf-8",
    )
    (tmp / "creds").mkdir()
    (tmp / "creds" / "hook-closed").write_text(hook_closed + "\n", encoding="utf-8")
    return path


def run(cfg: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "watcher", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    return done.stdout + done.stderr


def test_no_secret_reaches_any_output(tmp_path: Path) -> None:
    item = {"title": "Ferry strike", "link": "https://x.example/1", "guid": "1"}
    with (
        FeedServer() as feeds,
        FakeTelegram(token=TG_TOKEN) as tg,
        FakeSlack(token=SLACK_TOKEN) as slack,
    ):
        hook_closed = f"http://127.0.0.1:{closed_port()}{CLOSED_HOOK_PATH}"
        secrets = [TG_TOKEN, TG_WRONG, SLACK_TOKEN, slack.webhook_url, WEBHOOK_PATH, hook_closed]
        secrets += [CLOSED_HOOK_PATH, "REDACTtg", "WRONGtg", "REDACT-slack", "CLOSEDhook"]
        cfg = config(tmp_path, feeds.url("/f.xml"), tg, slack, hook_closed)
        env = {
            **os.environ,
            "T_TG": TG_TOKEN,
            "T_WRONG": TG_WRONG,
            "T_SLACK": SLACK_TOKEN,
            "T_HOOK": slack.webhook_url,
            "CREDENTIALS_DIRECTORY": str(tmp_path / "creds"),
        }
        feeds.set("/f.xml", rss([]))
        outputs = [run(cfg, env, "check"), run(cfg, env, "poll-once")]
        # Flood control on the right token and the webhook, refusals for the wrong token.
        tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
        slack.fail_next("webhook", status=429, retry_after=1)
        feeds.set("/f.xml", rss([{**item, "pubDate": NOW}]))
        outputs.append(run(cfg, env, "poll-once"))
        assert "-1" in tg.messages and slack.messages, outputs[-1]  # alerts did go out
        # The service too: a reload, a story edited, transient errors and a closed port, a stop.
        slack.fail_next("chat.postMessage", status=500)
        with (tmp_path / "run.txt").open("w") as sink:
            proc = subprocess.Popen(
                [sys.executable, "-m", "watcher", "--config", str(cfg), "run"],
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                wait_for(lambda: "service started" in (tmp_path / "run.txt").read_text())
                feeds.set(
                    "/f.xml",
                    rss(
                        [
                            {**item, "title": "Ferry strike: talks go on", "pubDate": NOW},
                            {
                                "title": "Harbour closed",
                                "link": "https://x.example/2",
                                "guid": "2",
                                "pubDate": NOW,
                            },
                        ]
                    ),
                )
                proc.send_signal(signal.SIGHUP)
                time.sleep(3)
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=30) == 0
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        outputs.append((tmp_path / "run.txt").read_text())
        outputs.append(run(cfg, env, "status"))
        outputs.append(run(cfg, env, "status", "--json"))
    everything = "\n".join(outputs)
    assert "DEBUG" in everything and "delivery refused" in everything  # the errors were logged
    assert "Unauthorized" in everything  # the wrong token's refusal, named without the token
    assert "delivery postponed channel=hook-closed" in everything  # connection refused
    assert "rules reloaded (SIGHUP)" in everything
    for secret in secrets:
        assert secret not in everything, f"{secret!r} leaked:\n" + "\n".join(
            line for line in everything.splitlines() if secret in line
        )


SECRET = "7777:AAHsecretBOTtokenVALUE"
LEAKY_CONFIGS = {
    # a misspelt key, in a channel and (pasted in the wrong place) in another section
    "misspelt": f'[channel.tg]\ntype = "telegram"\nchat_id = "1"\ntokn = "{SECRET}"\n',
    "misspelt-type": f'[channel.tg]\ntype = "telegramm"\nchat_id = "1"\ntoken = "{SECRET}"\n',
    "other-section": f'[service]\nbot_token = "{SECRET}"\n',
    "unclosed-quote": f'[channel.tg]\ntype = "telegram"\nchat_id = "1"\ntoken = "{SECRET}\n',
    "list-value": f'[channel.tg]\ntype = "telegram"\nchat_id = "1"\ntoken = ["{SECRET}"]\n',
    "multi-line-list": f'[channel.tg]\ntype = "telegram"\ntoken = [\n  "{SECRET}",\n  3,\n]\n',
    "token-as-env-name": (
        f'[channel.tg]\ntype = "telegram"\nchat_id = "1"\ntoken_env = "{SECRET}"\n'
    ),
    "in-a-duration": f'[channel.tg]\ntype = "console"\ndigest = "{SECRET}"\n',
}


@pytest.mark.parametrize("case", sorted(LEAKY_CONFIGS))
@pytest.mark.parametrize("command", ["check", "run"])
def test_config_errors_never_show_a_secret(tmp_path: Path, case: str, command: str) -> None:
    (tmp_path / "rules").mkdir()
    cfg = tmp_path / "config.toml"
    cfg.write_text(LEAKY_CONFIGS[case], encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER")}
    out = run(cfg, env, command)
    assert "Traceback" not in out and "config.toml:" in out, out  # a located error
    for part in (SECRET, "AAHsecret", "BOTtoken"):
        assert part not in out, out
