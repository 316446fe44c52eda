"""The command line's contract: exit codes and output of check and test-rule."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RULES = """
[[rule]]
name = "pk-ir-unhrc"
query = "Iran AND Pakistan AND UNHRC"
channels = ["log"]

[entity.UNHRC]
aliases = ["UN Human Rights Council", "United Nations Human Rights Council"]
"""


def watcher(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watcher", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES, encoding="utf-8")
    (tmp_path / "config.toml").write_text(
        '[rules]\npaths = ["rules"]\n[channel.log]\ntype = "console"\n', encoding="utf-8"
    )
    return tmp_path


def test_check_ok(desk: Path) -> None:
    done = watcher("check", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "1 rules" in done.stdout


def test_check_lists_every_error_with_position(desk: Path) -> None:
    (desk / "rules" / "bad.toml").write_text(
        '[[rule]]\nname = "a"\nquery = "Iran AND"\nchannels = ["log"]\n\n'
        '[[rule]]\nname = "b"\nquery = "Iran"\nchannels = ["nowhere"]\n',
        encoding="utf-8",
    )
    done = watcher("check", cwd=desk)
    assert done.returncode == 1
    assert "bad.toml:3:" in done.stderr
    assert "bad.toml:9:" in done.stderr
    assert "nowhere" in done.stderr


def test_check_reports_config_errors(desk: Path) -> None:
    (desk / "config.toml").write_text('[defaults]\ninterval = "soon"\n', encoding="utf-8")
    done = watcher("check", cwd=desk)
    assert done.returncode == 1
    assert "config.toml:2:12: defaults.interval" in done.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran thanked Pakistan for its vote at the UN Human Rights Council", 0),
        ("Iran and Pakistan discussed the UNHRC vote", 0),
        ("Iran and Pakistan agreed to expand border trade", 1),
    ],
)
def test_test_rule_exit_codes(desk: Path, text: str, code: int) -> None:
    done = watcher("test-rule", "Iran AND Pakistan AND UNHRC", "--text", text, cwd=desk)
    assert done.returncode == code, done.stdout + done.stderr


def test_test_rule_invalid_query_points_at_column(desk: Path) -> None:
    done = watcher("test-rule", "Iran AND (Pakistan", "--text", "x", cwd=desk)
    assert done.returncode == 2
    assert "column" in done.stderr and "^" in done.stderr


def test_test_rule_on_a_feed_file_lists_matches_highlighted(desk: Path) -> None:
    from tests.fakes.feed_server import rss

    feed = desk / "saved.xml"
    feed.write_bytes(
        rss(
            [
                {"title": "Iran and Pakistan discuss UNHRC vote", "link": "https://a.example/1"},
                {"title": "Ferry timetable changes", "link": "https://a.example/2"},
                {"title": "Pakistan, Iran widen border trade", "link": "https://a.example/3"},
            ]
        )
    )
    done = watcher("test-rule", "Pakistan AND Iran", "--file", str(feed), cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "2 of 3 items matched" in done.stdout
    assert "title: [Iran] and [Pakistan] discuss UNHRC vote" in done.stdout
    assert "https://a.example/2" not in done.stdout
    none = watcher("test-rule", "harbour", "--file", str(feed), cwd=desk)
    assert none.returncode == 1 and "0 of 3 items matched" in none.stdout


def test_test_rule_on_a_feed_file_does_not_match_its_boilerplate(desk: Path) -> None:
    from tests.fakes.feed_server import rss

    footer = " Follow us on Facebook: https://facebook.example/harbourtv and subscribe today."
    bodies = ["Ferry workers end strike.", "Port reopens after storm.", "Tide floods quay.",
              "Crane collapses at dock.", "Pilot boat launched."]  # fmt: skip
    feed = desk / "channel.xml"
    feed.write_bytes(
        rss(
            [
                {"title": f"Video {n}", "link": f"https://a.example/{n}", "description": b + footer}
                for n, b in enumerate(bodies)
            ]
        )
    )
    footer_rule = watcher("test-rule", "Facebook", "--file", str(feed), cwd=desk)
    assert footer_rule.returncode == 1 and "0 of 5 items matched" in footer_rule.stdout
    body_rule = watcher("test-rule", "storm", "--file", str(feed), cwd=desk)
    assert body_rule.returncode == 0 and "1 of 5 items matched" in body_rule.stdout


def test_test_rule_since_reads_stored_items(desk: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from watcher.model import Item, Tier
    from watcher.store import Store

    store = Store(desk / "watcher.db")
    now = datetime.now(UTC)
    for n, (title, age) in enumerate([("Iran Pakistan UNHRC talks", 1), ("Old UNHRC item", 400)]):
        published = now - timedelta(hours=age)
        sid = store.new_story(title, published)
        item = Item(
            key=f"k{n}",
            feed_url="f",
            feed_name="F",
            link=f"https://a.example/{n}",
            title=title,
            summary="",
            published=published,
            content_hash=str(n),
        )
        store.add_item(item, sid, Tier.NEW, 0.0, now)
    store.close()
    done = watcher("test-rule", "UNHRC", "--since", "7d", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "Iran Pakistan UNHRC talks" in done.stdout and "Old UNHRC item" not in done.stdout


def test_test_rule_since_shows_the_headline_as_matched_and_the_credit_it_left_out(
    desk: Path,
) -> None:
    # A paper's headlines alone, wire copy credited "Northern Wire | ", an aggregator's
    # ending " - Harbour Times", and a relay's opening with its outlets' initials ("ABC | "):
    # rules match them without the credits (boilerplate.py), and test-rule shows each
    # headline as matched, with the credit the feed gave it marked.
    from datetime import UTC, datetime, timedelta

    from watcher.model import Item, Tier
    from watcher.store import Store

    store = Store(desk / "watcher.db")
    now = datetime.now(UTC)
    titles = [("paper", f"Local story number {n} about the town") for n in range(20)]
    titles += [("paper", f"Northern Wire | Ferry story {n} of the day") for n in range(6)]
    titles += [("digest", f"Ferry item {n} of the week - Harbour Times") for n in range(6)]
    titles += [("relay", f"ABC | Ferry relay {n} of the week") for n in range(6)]
    titles += [("relay", f"SBS | Council story {n} of the week") for n in range(4)]
    for n, (feed, title) in enumerate(titles):
        published = now - timedelta(minutes=60 - n)
        item = Item(
            key=f"k{n}",
            feed_url=f"https://{feed}.example/rss",
            feed_name=feed,
            link=f"https://{feed}.example/{n}",
            title=title,
            summary="",
            published=published,
            content_hash=str(n),
        )
        store.add_item(item, store.new_story(title, published), Tier.NEW, 0.0, now)
    store.close()
    done = watcher("test-rule", "ferry", "--since", "7d", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "18 of 42 items matched" in done.stdout
    assert (
        "match: paper: Ferry story 5 of the day <https://paper.example/25>\n"
        "  as given: Northern Wire | Ferry story 5 of the day "
        '(credit "Northern Wire |" not matched)\n'
    ) in done.stdout
    assert (
        "match: digest: Ferry item 0 of the week <https://digest.example/26>\n"
        '  as given: Ferry item 0 of the week - Harbour Times (credit "- Harbour Times" not '
        "matched)\n"
    ) in done.stdout
    assert (
        "match: relay: Ferry relay 5 of the week <https://relay.example/37>\n"
        '  as given: ABC | Ferry relay 5 of the week (credit "ABC |" not matched)\n'
    ) in done.stdout
    for credit in ("harbour", "ABC"):
        unmatched = watcher("test-rule", credit, "--since", "7d", cwd=desk)
        assert unmatched.returncode == 1 and "0 of 42 items matched" in unmatched.stdout


def test_test_rule_needs_something_to_match(desk: Path) -> None:
    done = watcher("test-rule", "Iran", cwd=desk)
    assert done.returncode == 2 and "nothing to match" in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("command", ["check", "run"])
def test_a_rule_file_that_is_not_a_regular_file_is_a_located_error(
    desk: Path, kind: str, command: str
) -> None:
    odd = desk / "rules" / "pipe.toml"
    if kind == "fifo":
        os.mkfifo(odd)
    else:
        odd.symlink_to("/dev/zero")
    done = watcher(command, cwd=desk)  # a read would block (FIFO) or never end (/dev/zero)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "rules/pipe.toml:1:1: not a regular file" in done.stderr


def test_run_refuses_a_deeply_nested_rule_file_with_a_located_error(desk: Path) -> None:
    (desk / "rules" / "deep.toml").write_text("x = " + "[" * 100_000 + "\n", encoding="utf-8")
    done = watcher("run", cwd=desk)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "deep.toml:1:105: TOML syntax: values nested more than 100 levels deep" in done.stderr


def test_test_rule_reads_a_gzip_feed_file(desk: Path) -> None:
    from tests.fakes.feed_server import rss

    body = rss([{"title": "Iran and Pakistan discuss UNHRC vote", "link": "https://a.example/1"}])
    (desk / "saved.xml.gz").write_bytes(gzip.compress(body))
    done = watcher("test-rule", "Pakistan AND Iran", "--file", "saved.xml.gz", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "title: [Iran] and [Pakistan] discuss UNHRC vote" in done.stdout


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<!doctype html><html><body>Sorry</body></html>", "page.html: not a feed"),
        ("missing.xml", None, "missing.xml: no such file or folder"),
        ("broken.gz", b"\x1f\x8bnot gzip at all", "broken.gz: gzip file:"),
    ],
)
def test_test_rule_on_a_file_that_is_no_feed_is_a_usage_error(
    desk: Path, name: str, content: bytes | None, message: str
) -> None:
    if content is not None:
        (desk / name).write_bytes(content)
    done = watcher("test-rule", "Iran", "--file", name, cwd=desk)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert message in done.stderr


def test_test_rule_since_with_nothing_stored_says_so_and_exits_1(desk: Path) -> None:
    done = watcher("test-rule", "Iran", "--since", "10m", cwd=desk)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("0 items since ") and "invalid" not in done.stderr


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("check", "--config", "elsewhere/config.toml"), "elsewhere/config.toml: ok"),
        (("feeds", "export", "--config", "elsewhere/config.toml"), "https://e.example/rss"),
        (("--config", "no.toml", "check", "--config", "elsewhere/config.toml"), "elsewhere"),
        (("--config", "elsewhere/config.toml", "check"), "elsewhere/config.toml: ok"),
    ],
)
def test_config_is_accepted_after_the_command_too(
    desk: Path, args: tuple[str, ...], output: str
) -> None:
    (desk / "elsewhere").mkdir()
    with (desk / "config.toml").open("a", encoding="utf-8") as config:
        config.write('[[feed]]\nurl = "https://e.example/rss"\n')
    (desk / "config.toml").rename(desk / "elsewhere" / "config.toml")
    (desk / "rules").rename(desk / "elsewhere" / "rules")
    done = watcher(*args, cwd=desk)
    assert done.returncode == 0, done.stderr
    assert output in done.stdout


def test_status_and_run_take_config_after_the_command(desk: Path) -> None:
    (desk / "other.toml").write_text('[storage]\npath = "other.db"\n', encoding="utf-8")
    status = watcher("status", "--config", "other.toml", cwd=desk)
    run = watcher("run", "--config", "nowhere.toml", cwd=desk)
    for done in (status, run):  # read as the config to use, not refused as an argument
        assert done.returncode == 1 and "unrecognized arguments" not in done.stderr
    assert "other.db" in status.stdout + status.stderr
    assert "nowhere.toml:1:1: cannot read the config file" in run.stderr


def many_stories(desk: Path, count: int) -> None:
    from datetime import UTC, datetime

    from watcher.model import Item, Tier
    from watcher.store import Store

    store = Store(desk / "watcher.db")
    now = datetime.now(UTC)
    for n in range(count):
        sid = store.new_story(f"Story {n} about the harbour strike and the ferry timetable", now)
        item = Item(
            key=f"k{n}",
            feed_url="f",
            feed_name="F",
            link=f"https://a.example/{n}",
            title=f"Story {n}",
            summary="",
            published=now,
            content_hash=str(n),
        )
        store.add_item(item, sid, Tier.NEW, 0.0, now)
    store.close()


@pytest.mark.parametrize(
    "args",
    [("stories", "--limit", "2000"), ("stories", "--json", "--limit", "2000"), ("feeds", "--json")],
)
def test_output_cut_short_by_the_reader_ends_quietly(desk: Path, args: tuple[str, ...]) -> None:
    many_stories(desk, 2000)  # far more than a pipe holds, so a write meets the closed end
    with (desk / "config.toml").open("a", encoding="utf-8") as config:
        config.writelines(f'[[feed]]\nurl = "https://f{n}.example/rss"\n' for n in range(2000))
    proc = subprocess.Popen(
        [sys.executable, "-m", "watcher", *args],
        cwd=desk,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, stderr  # 128 + SIGPIPE, as a shell shows other tools
    assert stderr == ""


def test_test_rule_tries_a_text_as_a_report_of_a_story_of_n_sources(desk: Path) -> None:
    query, text = "Iran AND sources>=3", "Iran and Pakistan"
    assert watcher("test-rule", query, "--text", text, cwd=desk).returncode == 1
    done = watcher("test-rule", query, "--text", text, "--sources", "3", cwd=desk)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("limit", ["-1", "ten", "2.5"])
def test_stories_limit_must_be_a_count(desk: Path, limit: str) -> None:
    done = watcher("stories", "--json", "--limit", limit, cwd=desk)
    assert done.returncode == 2 and done.stdout == ""
    assert f"argument --limit: expected a whole number, 0 or more, got '{limit}'" in done.stderr
    assert "Traceback" not in done.stderr


def test_stories_limit_caps_the_list(desk: Path) -> None:
    many_stories(desk, 5)
    listed = json.loads(watcher("stories", "--json", "--limit", "3", cwd=desk).stdout)
    assert len(listed) == 3
    assert json.loads(watcher("stories", "--json", "--limit", "0", cwd=desk).stdout) == []


def test_stories_json_says_how_each_alert_stands(desk: Path) -> None:
    from datetime import UTC, datetime

    from watcher.store import Store

    many_stories(desk, 3)
    store = Store(desk / "watcher.db")
    now = datetime.now(UTC)
    for story_id in (1, 2, 3):
        store.want_delivery(story_id, "log", ["iran-pk"], ["Iran"], 0, now)
    sent, skipped, _pending = store.pending_deliveries()
    store.mark_sent(sent, "41", now)
    store.mark_skipped(skipped, "not sent: priority 0 is below the channel's min_priority 1", now)
    store.close()
    listed = json.loads(watcher("stories", "--json", cwd=desk).stdout)
    status = {s["id"]: [a["status"] for a in s["alerts"]] for s in listed}
    assert status == {1: ["sent"], 2: ["skipped"], 3: ["pending"]}
    assert listed[0]["alerts"][0] == {
        "channel": "log", "status": "pending", "rules": ["iran-pk"], "terms": ["Iran"]
    }  # fmt: skip


def test_stories_json_title_is_the_headline_the_alert_shows(desk: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from watcher.model import Alert, Item, Tier
    from watcher.render import render_plain
    from watcher.store import Store

    store = Store(desk / "watcher.db")
    now = datetime.now(UTC)
    sid = store.new_story("", now)  # the first report came without a headline
    for n, title in enumerate(("", "Ferry strike halts island crossings")):
        item = Item(
            key=f"k{n}",
            feed_url=f"https://f{n}.example/rss",
            feed_name=f"F{n}",
            link=f"https://f{n}.example/{n}",
            title=title,
            summary="Ferry crews walked out at dawn.",
            published=now + timedelta(minutes=n),
            content_hash=str(n),
        )
        store.add_item(item, sid, Tier.NEW if n == 0 else Tier.EVENT, 0.9, now)
    story = store.story(sid)
    store.close()
    assert story is not None
    [listed] = json.loads(watcher("stories", "--json", cwd=desk).stdout)
    # Its own text's opening, not the second outlet's headline (one item heads the alert).
    assert listed["title"] == "Ferry crews walked out at dawn"
    assert listed["title"] in render_plain(Alert(story=story, rules=("r",), terms=("ferry",)))
