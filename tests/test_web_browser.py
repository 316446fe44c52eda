"""The desk page in a real browser: a real `watcher run` with `[web] listen`, and Debian's
headless Chromium driven over its DevTools protocol (tests/browser.py) through a wrong password,
sign-in, the stories page, a rule edit whose error shows in place as it is typed, and a valid
save that the running service takes in. Skipped only when no Chromium is installed.

`WATCHER_SCREENSHOTS=docs pytest tests/test_web_browser.py` also writes the README's screenshots.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser import Chromium, screenshot_folder
from tests.fakes.feed_server import FeedServer, rss
from tests.test_ops_service import Watcher, item
from tests.test_service import wait_for

BINARY = Chromium.find()
pytestmark = pytest.mark.skipif(BINARY is None, reason="no chromium installed")

RULES = '[[rule]]\nname = "pk-ir"\nquery = "Iran AND Pakistan"\nchannels = ["log"]\n'
BROKEN = RULES.replace("Iran AND Pakistan", "Iran AND (Pakistan")
TWO = (
    RULES
    + '\n[[rule]]\nname = "unhrc"\nquery = "UNHRC OR \\"rights council\\""\nchannels = ["log"]\n'
)


HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)
BACKLOG = [
    {**item(1, "Iran thanks Pakistan for its UNHRC vote"), "pubDate": HOUR_AGO},
    {**item(2, "Harbour ferries resume after the storm"), "pubDate": HOUR_AGO},
]
NEWS = item(3, "Pakistan and Iran foreign ministers speak by phone")


@pytest.fixture
def browser() -> Iterator[Chromium]:
    pytest.importorskip("websocket")
    assert BINARY is not None
    chromium = Chromium(BINARY)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[tuple[Watcher, str, FeedServer]]:
    w = Watcher(tmp_path)
    with FeedServer() as feeds:
        feeds.set("/a.xml", rss(BACKLOG, title="Outlet A"))
        w.write([(feeds.url("/a.xml"), "Outlet A")], service='[web]\nlisten = "127.0.0.1:0"\n')
        w.rules(desk=RULES)
        for name, role, password in (("ada", "admin", "admin-pass"), ("dana", "desk", "x")):
            done = subprocess.run(
                [sys.executable, "-m", "watcher", "--config", str(w.config), "web", "adduser",
                 name, "--role", role],
                input=password + "\n", capture_output=True, text=True, timeout=120, env=w.env,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
        w.start()
        try:
            w.wait_log("desk page listening", timeout=60)
            found = re.search(r"desk page listening host=127\.0\.0\.1 port=(\d+)", w.err())
            assert found, w.err()
            yield w, f"http://127.0.0.1:{found.group(1)}", feeds
            assert w.stop() == 0
        finally:
            w.kill()


def test_the_desk_page_in_chromium(
    desk: tuple[Watcher, str, FeedServer], browser: Chromium
) -> None:
    watcher, base, feeds = desk
    shots = screenshot_folder()
    if shots is not None:
        browser.viewport(1000, 1000)

    def shot(name: str) -> None:
        if shots is not None:
            browser.screenshot(shots / f"desk-{name}.png")

    # A wrong password: refused, said so, still on the sign-in page.
    browser.goto(f"{base}/")
    browser.loaded("/login")
    browser.fill("#username", "ada")
    browser.fill("#password", "not-it")
    browser.click("#sign-in")
    browser.wait("document.querySelector('#login-error')", "the sign-in error")
    assert "Wrong user name or password." in browser.text("#login-error")
    shot("login")

    # Signed in: the stories, newest first, with their sources.
    browser.fill("#username", "ada")
    browser.fill("#password", "admin-pass")
    browser.click("#sign-in")
    browser.loaded("/")
    wait_for(lambda: len(feeds.requests) >= 1, 60)  # the first poll read the backlog
    feeds.set("/a.xml", rss([*BACKLOG, NEWS], title="Outlet A"))  # news after the backlog
    wait_for(lambda: "foreign ministers" in watcher.out(), 60)  # alerted on the console
    browser.goto(f"{base}/")
    stories = browser.text("#stories")
    newest = browser.text("#stories > li")  # the story the news joined (or began) comes first
    assert "foreign ministers" in newest and "Harbour ferries" not in newest
    assert "Outlet A" in stories and "pk-ir" in stories and "log (sent)" in stories
    assert "rules 1" in browser.text("#status")
    shot("stories")

    # The workbench: an error shows in place, at its line and column, as it is typed.
    browser.goto(f"{base}/rules/edit?file=0")
    browser.eval("window.stayed = true")  # gone if the page were reloaded
    browser.fill("#text", BROKEN)
    browser.wait("document.querySelector('#errors')", "the error in place")
    assert "desk.toml:3:19" in browser.text("#errors") and "never closed" in browser.text("#errors")
    assert browser.eval("window.stayed === true")
    shot("rule-error")

    # A valid set: tried on the stored items with the words marked, then saved and taken in.
    browser.fill("#text", TWO)
    browser.wait("document.querySelector('#valid mark')", "the tried rules")
    marked = browser.eval("[...document.querySelectorAll('#valid mark')].map(m => m.innerText)")
    assert {"Iran", "Pakistan", "UNHRC"} <= set(marked)
    shot("rule-try")
    browser.click("#save")
    browser.wait("document.querySelector('#saved')", "the save")
    assert "The service now uses it." in browser.text("#saved")
    watcher.wait_log("rules reloaded (saved on the desk page by ada) rules=2")
    assert "rules 2" in browser.text("#status")
    assert watcher.status()[1]["rules"]["count"] == 2
    browser.goto(f"{base}/rules")
    assert "ada saved" in browser.text("#history")
    shot("rules")

    if shots is not None:  # the phone-sized view and the admin's feed page, for the README
        browser.goto(f"{base}/feeds")
        shot("feeds")
        browser.viewport(390, 760, mobile=True)
        browser.goto(f"{base}/")
        shot("phone")
