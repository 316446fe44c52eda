"""Process life: the APScheduler jobs, signals, systemd notifications and rule reloads.

`Service.run` schedules three jobs on the asyncio loop (APScheduler's AsyncIOScheduler runs
coroutine jobs on the loop itself, so the one SQLite connection stays on one thread):

- a poll tick every second that starts every feed whose next poll time has come,
- a delivery pass every few seconds (and right after a poll that filled the outbox),
- a rule-file check that reloads edited rules; an invalid set is refused and the last good
  rules stay in force.

SIGTERM and SIGINT stop it: in-flight polls and sends finish, the WAL is checkpointed, exit 0.
SIGHUP reloads the rules at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from watcher.delivery import Deliverer
from watcher.errors import RuleError
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store

log = logging.getLogger("watcher.service")


def sd_notify(message: str) -> bool:
    """Send a message to systemd's NOTIFY_SOCKET, if there is one (sd_notify(3))."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]  # abstract namespace
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError as exc:
        log.warning("sd_notify failed error=%s", exc)
        return False
    return True


def rule_files_signature(paths: Sequence[Path]) -> tuple[tuple[str, float, int], ...]:
    """Names, mtimes and sizes of every rule file: a change in any means "reload"."""
    found: list[tuple[str, float, int]] = []
    for path in paths:
        files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
        for file in files:
            try:
                st = file.stat()
            except OSError:
                continue
            found.append((str(file), st.st_mtime, st.st_size))
    return tuple(found)


class Service:
    def __init__(
        self,
        pipeline: Pipeline,
        deliverer: Deliverer,
        store: Store,
        feeds: Sequence[Feed],
        *,
        load_rules: Callable[[], RuleSet],
        rule_paths: Sequence[Path],
        clock: Callable[[], datetime],
        concurrency: int = 20,
        delivery_check: timedelta = timedelta(seconds=5),
        reload_check: timedelta = timedelta(seconds=2),
    ) -> None:
        self.pipeline = pipeline
        self.deliverer = deliverer
        self.store = store
        self.feeds = list(feeds)
        self.load_rules = load_rules
        self.rule_paths = list(rule_paths)
        self.clock = clock
        self.delivery_check = delivery_check
        self.reload_check = reload_check
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: set[str] = set()
        self._tasks: set[asyncio.Task[object]] = set()
        self._deliver_lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._rules_signature = rule_files_signature(self.rule_paths)

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self.reload_rules("SIGHUP")))
        scheduler = AsyncIOScheduler(event_loop=loop)
        job = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        scheduler.add_job(self._poll_tick, "interval", seconds=1, next_run_time=self.clock(), **job)
        scheduler.add_job(
            self._deliver, "interval", seconds=self.delivery_check.total_seconds(), **job
        )
        scheduler.add_job(
            self._check_rules, "interval", seconds=self.reload_check.total_seconds(), **job
        )
        scheduler.start()
        sd_notify("READY=1")
        log.info(
            "service started feeds=%d rules=%d", len(self.feeds), len(self.pipeline.rules.rules)
        )
        await self._stop.wait()
        log.info("stopping: finishing in-flight polls and sends")
        sd_notify("STOPPING=1")
        scheduler.shutdown(wait=False)
        await self._finish()
        self.store.checkpoint()
        log.info("service stopped")
        return 0

    def stop(self) -> None:
        self._stop.set()

    async def _finish(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        async with self._deliver_lock:
            pass

    def _spawn(self, coro: Awaitable[object]) -> None:
        task: asyncio.Task[object] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- jobs --------------------------------------------------------------------------------

    async def _poll_tick(self) -> None:
        if self._stop.is_set():
            return
        now = self.clock()
        states = {s.url: s for s in self.store.feed_states()}
        for feed in self.feeds:
            state = states.get(feed.url)
            due = state is None or state.next_poll is None or state.next_poll <= now
            if due and feed.url not in self._in_flight:
                self._in_flight.add(feed.url)
                self._spawn(self._poll(feed))

    async def _poll(self, feed: Feed) -> None:
        try:
            async with self._slots:
                report = await self.pipeline.poll(feed)
            if report.ingest.new_alerts or report.ingest.updated_alerts:
                await self._deliver()
        except Exception:
            log.exception("poll crashed feed=%s", feed.name)
        finally:
            self._in_flight.discard(feed.url)

    async def _deliver(self) -> None:
        if self._deliver_lock.locked():
            return  # a pass is running; it or the next tick will pick the new rows up
        async with self._deliver_lock:
            try:
                await self.deliverer.deliver_due()
            except Exception:
                log.exception("delivery pass crashed")

    async def _check_rules(self) -> None:
        signature = rule_files_signature(self.rule_paths)
        if signature != self._rules_signature:
            await self.reload_rules("rule files changed")

    async def reload_rules(self, why: str) -> bool:
        """Swap in the rules from disk if they are all valid; else keep the last good ones."""
        self._rules_signature = rule_files_signature(self.rule_paths)
        try:
            rules = self.load_rules()
        except RuleError as exc:
            log.error("rules reload refused (%s); the last good rules stay in force:\n%s", why, exc)
            return False
        self.pipeline.rules = rules
        log.info("rules reloaded (%s) rules=%d files=%d", why, len(rules.rules), len(rules.files))
        return True
