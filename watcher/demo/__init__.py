"""`watcher demo`: the whole pipeline, offline, on sample feeds shipped in this folder.

Three invented outlets are served from 127.0.0.1 by a throw-away HTTP server. The first round
of polls is each feed's backlog (stored, never alerted, as in production); in the second round
two outlets report the same Pakistan-Iran story in different words and a third carries an
unrelated Pakistan-Iran trade story. The demo's own rules (rules.toml here, shipped in the
package, so a plain `pip install .` runs it too) decide what alerts; alerts print to the
terminal, then the stories table is shown. The demo's clock starts just after its sample items
were published (and runs on from there), so they are as fresh as news is when it alerts.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from watcher.config import Settings

HERE = Path(__file__).resolve().parent
RULES = HERE / "rules.toml"  # package data (pyproject: demo/*.toml)
STARTS_AT = datetime(2026, 1, 24, 14, 0, tzinfo=UTC)  # just after the newest sample item
OUTLETS = {"harbour": "Harbour Gazette", "northern": "Northern Wire", "ledger": "Capital Ledger"}


class _Feeds(ThreadingHTTPServer):
    daemon_threads = True
    round = 1


class _Handler(BaseHTTPRequestHandler):
    server: _Feeds

    def do_GET(self) -> None:
        name = self.path.strip("/").removesuffix(".xml")
        path = HERE / f"{name}-{self.server.round}.xml"
        if name not in OUTLETS or not path.exists():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the demo prints its own story
        pass


@contextmanager
def serve() -> Iterator[_Feeds]:
    """The sample feeds on 127.0.0.1 (a free port); set `.round` to 2 for the second round."""
    server = _Feeds(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def run_demo() -> int:
    from watcher.app import open_app, poll_once
    from watcher.rulebook import load_rules

    if not RULES.is_file():
        print(f"watcher demo: its rules file {RULES} is missing from the package")
        return 1
    clock = clock_from(STARTS_AT)
    with tempfile.TemporaryDirectory(prefix="watcher-demo-") as tmp, serve() as server:
        port = server.server_address[1]
        settings = demo_settings(port, Path(tmp), RULES, {"console": {"type": "console"}})
        rules = load_rules(settings.rules.paths, channel_names=settings.channel.keys())
        print(
            f"watcher demo: {len(settings.feed)} sample feeds on 127.0.0.1:{port}, "
            f"{len(rules.rules)} rules from {RULES.name}\n"
        )
        print("== round 1: first poll of each feed (its backlog is stored, not alerted)")
        asyncio.run(poll_once(open_app(settings, rules=rules, clock=clock)))
        server.round = 2
        print("== round 2: new items arrive; matching stories alert below\n")
        asyncio.run(poll_once(open_app(settings, rules=rules, clock=clock)))
        _print_stories(settings.storage.path)
    return 0


def demo_settings(
    port: int, folder: Path, rules: Path, channels: dict[str, dict[str, Any]]
) -> Settings:
    """The demo's settings: its feeds served on `port`, a database in `folder`, the rule file
    `rules` and the `channels` (the demo prints to a console one; docs/make_alert_picture.py
    sends to a Telegram stand-in)."""
    from watcher import config

    return config.from_mapping(
        {
            "storage": {"path": "demo.db"},
            "rules": {"paths": [str(rules)]},
            "feed": [
                {"url": f"http://127.0.0.1:{port}/{key}.xml", "name": name}
                for key, name in OUTLETS.items()
            ],
            "channel": channels,
        },
        folder,
    )


def clock_from(start: datetime) -> Callable[[], datetime]:
    """A clock that reads `start` now and runs on in real time."""
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)


def _print_stories(db_path: Path) -> None:
    from watcher.store import Store

    store = Store(db_path)
    try:
        stories = store.recent_stories(20)
        print(f"\n== {len(stories)} stories in the database (newest first)")
        for story in stories:
            alerted = ", ".join(sorted(store.story_rules(story.id))) or "no rule matched"
            print(f"#{story.id} {story.title}  [{len(story.items)} source(s); {alerted}]")
            for item in story.items:
                print(f"     {item.feed_name}: {item.link}")
    finally:
        store.close()
