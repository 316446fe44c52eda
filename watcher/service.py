"""Process life: the APScheduler jobs, signals, systemd notifications, reloads and upkeep.

`Service.run` schedules its jobs on the asyncio loop (APScheduler's AsyncIOScheduler runs
coroutine jobs on the loop itself, so the one SQLite connection stays on one thread):

- a poll tick every second that starts every feed whose next poll time has come, and records
  the cycle (for `watcher status`) every few seconds; the first tick polls every due feed as
  one round (Pipeline.poll_many: all read, then their new items taken oldest first, as
  `watcher poll-once` does), so a backlog or a downtime's news is grouped in time order,
- a delivery pass every few seconds (and right after a poll that filled the outbox),
- a rule-file check that reloads edited rules; an invalid set is refused and the last good
  rules stay in force (reloads.py owns the rules' and the feed list's reloads),
- the systemd watchdog ping (WATCHDOG=1 at half of WatchdogSec, sent from the loop itself, so a
  hung loop stops pinging and systemd restarts it) and a STATUS= line,
- the retention prune of the database (daily by default, `[service] prune_every`), and the
  story index's prune as its window slides (every tenth of the window), so that neither the
  database nor memory grows with the months.

SIGHUP reloads the rules and the feed list from the config file. SIGTERM and SIGINT stop it:
no new work starts, in-flight polls and sends finish (job bodies run as tasks of their own, so
stopping the scheduler never cancels a send half-way), the WAL is checkpointed, exit 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from watcher import __version__
from watcher.delivery.admin_notices import Notices
from watcher.delivery.deliverer import Deliverer
from watcher.errors import StorageError
from watcher.health import Health, Policy, assess
from watcher.metrics import Metrics
from watcher.model import Feed, FeedState
from watcher.notify import Notifier
from watcher.pipeline import Pipeline
from watcher.reloads import Reloads
from watcher.rulebook import RuleSet
from watcher.storage_watch import StorageWatch
from watcher.store import Store, storage_errors
from watcher.store.maintenance import prune
from watcher.store.state import channel_backlogs, read_state, write_state

if TYPE_CHECKING:
    from watcher.web.desk import Hooks
    from watcher.web.server import HttpServer

log = logging.getLogger("watcher.service")


class ChatReader(Protocol):
    """A loop reading a chat for commands until the event is set (talk/poller.ChatPoller)."""

    async def run(self, stop: asyncio.Event) -> None: ...


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
        load_feeds: Callable[[], Sequence[Feed]] | None = None,
        concurrency: int = 20,
        delivery_check: timedelta = timedelta(seconds=5),
        reload_check: timedelta = timedelta(seconds=2),
        notifier: Notifier | None = None,
        metrics: Metrics | None = None,
        http: str | None = None,
        web: str | None = None,
        desk: Callable[[Hooks], Any] | None = None,
        retention: timedelta | None = None,
        prune_every: timedelta = timedelta(days=1),
        heartbeat: timedelta = timedelta(seconds=5),
        policy: Policy | None = None,
        notices: Notices | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.deliverer = deliverer
        self.store = store
        self.clock = clock
        self.delivery_check = delivery_check
        self.reload_check = reload_check
        self.notifier = notifier if notifier is not None else Notifier(os.environ)
        self.metrics = metrics if metrics is not None else Metrics()
        self.retention = retention
        self.prune_every = prune_every
        self.heartbeat = heartbeat
        self.policy = policy or Policy()
        self.notices = notices
        self.reloads = Reloads(
            pipeline,
            store,
            feeds,
            load_rules=load_rules,
            load_feeds=load_feeds,
            rule_paths=rule_paths,
            clock=clock,
            metrics=self.metrics,
            notices=notices,
        )
        self.http = http
        self.endpoint = self._probes(http) if http else None
        self.desk = self._desk(web, desk) if web and desk else None  # [web] listen
        # A database that refuses writes pauses polls and deliveries until it takes them again.
        self.storage = StorageWatch(store, clock, notices)
        deliverer.on_storage_error = self.storage.failed
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: set[str] = set()
        # The first round polls every due feed together (a new feed's backlog, the news of a
        # downtime): read first, then taken oldest first across the feeds, as poll-once does.
        self._first_round = True
        self._tasks: set[asyncio.Task[Any]] = set()
        self._deliver_lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._last_beat: datetime | None = None
        self._last_status = ""
        self.chat_pollers: Sequence[ChatReader] = ()  # `commands = true` chats (watcher/talk/)

    # -- life --------------------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._spawn(self.reload("SIGHUP")))
        for server in self._servers():
            try:
                await server.start()
            except OSError as exc:  # a port in use stops the start here, before READY
                log.error("%s cannot listen address=%s error=%s", server.name, server.address, exc)
                for started in self._servers():
                    await started.close()
                return 1
        self._record_start()
        scheduler = self._scheduler(loop)
        scheduler.start()
        chat = [asyncio.ensure_future(p.run(self._stop)) for p in self.chat_pollers]
        self.notifier.ready(self.health().status_line())
        log.info(
            "service started feeds=%d rules=%d watchdog=%s http=%s web=%s",
            len(self.feeds),
            len(self.pipeline.rules.rules),
            self.notifier.watchdog or "off",
            f"{self.endpoint.host}:{self.endpoint.port}" if self.endpoint else "off",
            f"{self.desk.host}:{self.desk.port}" if self.desk else "off",
        )
        await self._stop.wait()
        for reader in chat:  # a long poll in flight is dropped; its updates are not confirmed
            reader.cancel()
        await asyncio.gather(*chat, return_exceptions=True)
        log.info("stopping: finishing in-flight polls and sends in_flight=%d", len(self._tasks))
        self.notifier.stopping()
        scheduler.pause()  # nothing new starts; what runs is a task of its own and finishes
        await self._finish()
        scheduler.shutdown(wait=False)
        for server in self._servers():
            await server.close()
        write_state(self.store.db, self.clock(), stopped_at=self.clock())
        self.store.checkpoint()
        log.info("service stopped")
        return 0

    def stop(self) -> None:
        self._stop.set()

    def _probes(self, address: str) -> HttpServer:
        from watcher.web.probes import probes_app  # the web stack only when asked for
        from watcher.web.server import HttpServer

        return HttpServer(address, probes_app(self.health, self.metrics))

    def _desk(self, address: str, desk: Callable[[Hooks], Any]) -> HttpServer:
        from watcher.web.desk import Hooks
        from watcher.web.server import HttpServer

        hooks = Hooks(
            store=self.store,
            health=self.health,
            metrics=self.metrics,
            feeds=lambda: self.feeds,
            reload_rules=self.reloads.reload_rules,
            clock=self.clock,
        )
        return HttpServer(address, desk(hooks), name="desk page")

    def _servers(self) -> list[HttpServer]:
        return [s for s in (self.endpoint, self.desk) if s is not None]

    def _scheduler(self, loop: asyncio.AbstractEventLoop) -> AsyncIOScheduler:
        scheduler = AsyncIOScheduler(event_loop=loop)
        job = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}

        def every(body: Callable[[], Awaitable[None]], period: timedelta, **extra: Any) -> None:
            scheduler.add_job(
                self._job, "interval", args=[body], seconds=period.total_seconds(), **job, **extra
            )

        every(self._poll_tick, timedelta(seconds=1), next_run_time=self.clock())
        every(self._deliver, self.delivery_check)
        every(self.reloads.check_rules, self.reload_check)
        every(self._report_status, max(self.heartbeat, timedelta(seconds=2)))
        if (ping := self.notifier.ping_every) is not None:
            every(self._ping, ping, next_run_time=self.clock())
        if self.retention is not None:
            first = self.clock() + min(self.prune_every, timedelta(minutes=1))
            every(self._prune, self.prune_every, next_run_time=first)
        every(self._prune_index, self._index_prune_every())
        return scheduler

    async def _job(self, body: Callable[[], Awaitable[None]]) -> None:
        """Every job body runs as a tracked task: stopping waits for it instead of cancelling."""
        if self._stop.is_set():
            return
        await asyncio.shield(self._spawn(body()))

    async def _finish(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        async with self._deliver_lock:
            pass

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- polling and delivery ----------------------------------------------------------------

    async def _poll_tick(self) -> None:
        if not self.storage.ready():
            return  # the database takes no writes: no poll starts until it does
        try:
            with storage_errors():
                self._start_due_polls()
        except StorageError as exc:
            self.storage.failed(exc)

    def _start_due_polls(self) -> None:
        now = self.clock()
        states = {s.url: s for s in self.store.feed_states()}
        due = [
            feed
            for feed in self.feeds
            if feed.url not in self._in_flight and _due(states.get(feed.url), now)
        ]
        self._in_flight.update(feed.url for feed in due)
        if self._first_round and len(due) > 1:
            self._spawn(self._poll_round(due))
        else:
            for feed in due:
                self._spawn(self._poll_round([feed]))
        self._first_round = False
        if self._last_beat is None or now - self._last_beat >= self.heartbeat:
            self._last_beat = now
            write_state(self.store.db, now, last_cycle=now)

    async def _poll_round(self, feeds: Sequence[Feed]) -> None:
        """Poll `feeds` as one round (Pipeline.poll_many: every feed read at [fetch]
        concurrency, then all their new items taken oldest first): one feed when it is due,
        every due feed in the first round."""
        try:
            reports = await self.pipeline.poll_many(feeds, self._slots)
            for report in reports:
                self.metrics.observe_poll(report)
            if any(r.ingest.new_alerts or r.ingest.updated_alerts for r in reports):
                await self._deliver()
        except StorageError as exc:
            self.storage.failed(exc)
        except Exception:
            log.exception("poll crashed feed=%s", ",".join(feed.name for feed in feeds))
        finally:
            self._in_flight.difference_update(feed.url for feed in feeds)

    async def _deliver(self) -> None:
        if self._deliver_lock.locked() or self._stop.is_set():
            return  # a pass is running; it or the next tick will pick the new rows up
        if not self.storage.ready():
            return  # a send that cannot be marked sent would go out again every pass
        async with self._deliver_lock:
            try:
                with storage_errors():
                    await self.deliverer.deliver_due()
            except StorageError as exc:
                self.storage.failed(exc)
            except Exception:
                log.exception("delivery pass crashed")

    # -- health ------------------------------------------------------------------------------

    def health(self) -> Health:
        """The service's own view of how it is (its liveness is not in question)."""
        now = self.clock()
        return assess(
            feeds=self.feeds,
            states=self.store.feed_states(),
            service=replace(
                read_state(self.store.db),
                storage_failing_since=self.storage.failing_since,
                storage_error=self.storage.error,
            ),
            channels=channel_backlogs(self.store.db),
            now=now,
            policy=self.policy,
            self_check=True,
            mutes=self.store.live_mutes(now),
        )

    async def _report_status(self) -> None:
        health = self.health()
        self.metrics.observe_health(health)
        line = health.status_line()
        if line != self._last_status:
            self._last_status = line
            self.notifier.status(line)

    async def _ping(self) -> None:
        self.notifier.ping()

    async def _prune(self) -> None:
        assert self.retention is not None
        now = self.clock()
        try:
            # Joins the desk left alone for a day become labelled pairs before items can go.
            kept = self.store.record_kept_joins(now)
            self.store.prune_mutes(now)
            report = prune(self.store.db, now, self.retention, remember=self.retention * 4)
        except Exception:
            log.exception("retention prune crashed")
            return
        log.info(
            "retention prune stories=%d items=%d remembered=%d forgotten=%d notices=%d "
            "incidents=%d kept_joins=%d",
            report.stories,
            report.items,
            report.remembered,
            report.forgotten,
            report.notices,
            report.incidents,
            kept,
        )

    def _index_prune_every(self) -> timedelta:
        """The story index sheds items as its window slides: every tenth of the window (at
        least a second apart), and never less often than the database prune."""
        return min(self.prune_every, max(self.pipeline.index.window / 10, timedelta(seconds=1)))

    async def _prune_index(self) -> None:
        index = self.pipeline.index
        gone = index.prune(self.clock() - index.window)
        if gone:
            log.debug("story index pruned items=%d left=%d", gone, len(index))

    # -- reloads (reloads.py) ----------------------------------------------------------------

    @property
    def feeds(self) -> list[Feed]:
        return self.reloads.feeds

    def _record_start(self) -> None:
        now = self.clock()
        write_state(
            self.store.db,
            now,
            started_at=now,
            stopped_at=None,
            pid=os.getpid(),
            version=__version__,
            last_cycle=None,
            **self.reloads.loaded_at_start(now),
        )
        self.reloads.tell_rules_in_force()

    async def reload(self, why: str) -> None:
        """SIGHUP: the rules and the feed list, each applied only if valid."""
        await self.reloads.reload_rules(why)
        self.reloads.reload_feeds(why)

    async def reload_rules(self, why: str) -> bool:
        return await self.reloads.reload_rules(why)

    def reload_feeds(self, why: str) -> bool:
        return self.reloads.reload_feeds(why)


def _due(state: FeedState | None, now: datetime) -> bool:
    return state is None or state.next_poll is None or state.next_poll <= now
