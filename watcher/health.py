"""How watcher is: one snapshot of the service, its feeds, rules and outbox, judged healthy or not.

Pure: `assess` takes what the database and the config say (feed states, the service's own
record, the outbox per channel) and `now`, and returns a `Health` that `watcher status`
prints (text or JSON), the service sends to systemd as its STATUS= line, and /healthz answers
with. The thresholds are a `Policy`, so a test (or a desk) can set them.

Degraded means someone should look: the service is not running or has stopped polling, a feed
has failed several polls in a row, a channel has refused alerts or keeps failing, alerts wait
too long, or the desk's last rule edit was refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from watcher.model import Feed, FeedState
from watcher.mutes import Mute
from watcher.redact import redact
from watcher.store.state import ChannelBacklog, ServiceRecord


@dataclass(frozen=True, slots=True)
class Policy:
    stale_after: timedelta = timedelta(minutes=2)  # no poll cycle for this long: not polling
    feed_failures: int = 3  # consecutive failed polls before a feed counts as failing
    channel_retries: int = 3  # a channel whose rows failed this often is failing
    outbox_late: timedelta = timedelta(minutes=15)  # an alert retried for longer is late


@dataclass(frozen=True, slots=True)
class FeedProblem:
    name: str
    url: str
    errors: int  # consecutive failed polls
    last_error: str
    last_success: datetime | None
    disabled: bool = False  # given up on (410 Gone) until an operator re-enables it


@dataclass(frozen=True, slots=True)
class StaleFeed:
    """A feed that answers but has had no new item for far longer than usual (timing.py)."""

    name: str
    url: str
    since: datetime  # when it was found stale
    last_new_at: datetime | None


@dataclass(frozen=True, slots=True)
class Health:
    now: datetime
    problems: tuple[str, ...]
    service: ServiceRecord
    feeds_total: int
    feeds_ok: int
    failing_feeds: tuple[FeedProblem, ...]  # every feed whose last poll failed
    outbox_depth: int
    channels: tuple[ChannelBacklog, ...] = field(default=())
    failing_channels: tuple[str, ...] = field(default=())
    process_alive: bool | None = None  # None: not asked (the service judging itself)
    config_errors: tuple[str, ...] = field(default=())  # the config file as it is now
    stale_feeds: tuple[StaleFeed, ...] = field(default=())  # shown; not a problem by itself
    mutes: tuple[Mute, ...] = field(default=())  # the desk's live mutes; shown, never a problem

    @property
    def running(self) -> bool:
        """Started, not stopped since, and (when asked) its process still there."""
        return self.service.running and self.process_alive is not False

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        return "ok" if self.healthy else "degraded"

    def status_line(self) -> str:
        """One short line for systemd's STATUS= (shown by `systemctl status`)."""
        rules = self.service.rules_count
        parts = [
            f"feeds {self.feeds_ok} ok, {len(self.failing_feeds)} failing",
            f"outbox {self.outbox_depth}",
            f"rules {'?' if rules is None else rules}",
        ]
        if self.failing_channels:
            parts.append("failing channels: " + ", ".join(self.failing_channels))
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        s = self.service
        return {
            "status": self.status,
            "problems": list(self.problems),
            "checked_at": _iso(self.now),
            "service": {
                "running": self.running,
                "started_at": _iso(s.started_at),
                "stopped_at": _iso(s.stopped_at),
                "pid": s.pid,
                "version": s.version,
                "last_poll_cycle": _iso(s.last_cycle),
                "storage_failing_since": _iso(s.storage_failing_since),
                "storage_error": s.storage_error,
            },
            "rules": {
                "count": s.rules_count,
                "in_force": s.rules_in_force,
                "files": list(s.rules_files),
                "loaded_at": _iso(s.rules_loaded_at),
                "reason": s.rules_reason,
                "refused_at": _iso(s.rules_refused_at),
                "refused_error": s.rules_refused_error,
            },
            "config": {
                "errors": list(self.config_errors),
                "refused_at": _iso(s.config_refused_at),
                "refused_error": s.config_refused_error,
            },
            "feeds": {
                "total": self.feeds_total,
                "ok": self.feeds_ok,
                "failing": [
                    {
                        "name": f.name,
                        "url": redact(f.url),
                        "errors": f.errors,
                        "disabled": f.disabled,
                        "last_error": f.last_error,
                        "last_success": _iso(f.last_success),
                    }
                    for f in self.failing_feeds
                ],
                "stale": [
                    {
                        "name": f.name,
                        "url": redact(f.url),
                        "stale_since": _iso(f.since),
                        "last_new_item": _iso(f.last_new_at),
                    }
                    for f in self.stale_feeds
                ],
            },
            "outbox": {
                "depth": self.outbox_depth,
                "channels": {
                    c.channel: {
                        "waiting": c.waiting,
                        "retrying": c.retrying,
                        "failed": c.failed,
                        "oldest_retrying": _iso(c.oldest_retrying),
                        "failing_since": _iso(c.failing_since),
                        "last_error": c.last_error,
                        "failing": c.channel in self.failing_channels,
                    }
                    for c in self.channels
                },
            },
            "mutes": [m.as_json() for m in self.mutes],
        }

    def text(self) -> str:
        """The human report of `watcher status`."""
        s = self.service
        lines = [f"watcher: {self.status}"]
        lines.append(f"service   {_service_line(s, self.now, self.process_alive)}")
        if self.config_errors:
            lines.append(f"config    invalid ({len(self.config_errors)} error(s)); see problems")
        if s.config_refused_at is not None:
            lines.append(f"          last config reload refused at {_iso(s.config_refused_at)}")
        lines.append(f"rules     {_rules_line(s)}")
        if s.rules_refused_at is not None:
            lines.append(f"          last reload refused at {_iso(s.rules_refused_at)}")
        lines.append(
            f"feeds     {self.feeds_total} configured, {self.feeds_ok} ok, "
            f"{len(self.failing_feeds)} failing, {len(self.stale_feeds)} stale"
        )
        for f in self.failing_feeds:
            how = "disabled" if f.disabled else f"{f.errors} in a row"
            lines.append(f"  failing {f.name} ({how}): {_first_line(f.last_error)}")
        for st in self.stale_feeds:
            lines.append(f"  stale {st.name}: no new item since {_iso(st.last_new_at)}")
        lines.append(f"outbox    {self.outbox_depth} not yet delivered")
        for c in self.channels:
            mark = "failing" if c.channel in self.failing_channels else "waiting"
            lines.append(
                f"  {mark} {c.channel}: {c.waiting} waiting ({c.retrying} retrying), "
                f"{c.failed} refused" + (f"; last error: {c.last_error}" if c.last_error else "")
            )
        lines.append(f"mutes     {len(self.mutes)} in force")
        lines.extend(f"  muted {m.describe()}" for m in self.mutes)
        lines.extend(f"problem: {p}" for p in self.problems)
        return "\n".join(lines)


def assess(
    *,
    feeds: Sequence[Feed],
    states: Sequence[FeedState],
    service: ServiceRecord,
    channels: Sequence[ChannelBacklog],
    now: datetime,
    policy: Policy = Policy(),
    self_check: bool = False,
    process_alive: bool | None = None,
    config_errors: Sequence[str] = (),
    mutes: Sequence[Mute] = (),
) -> Health:
    """Judge the snapshot. `feeds` are the configured ones (states of removed feeds are
    ignored); with `self_check` the service judges itself, so its liveness is not in question.
    `process_alive` is what the process table says of the recorded pid (None: not asked);
    `config_errors` are the config file's problems now (a running service keeps its last
    good config meanwhile).
    """
    by_url = {s.url: s for s in states}
    failing = tuple(
        FeedProblem(
            f.name,
            f.url,
            st.error_count,
            redact(st.disabled_reason or st.last_error or ""),
            st.last_success,
            disabled=st.disabled_at is not None,
        )
        for f in feeds
        if (st := by_url.get(f.url)) is not None and _feed_failing(st)
    )
    stale = tuple(
        StaleFeed(f.name, f.url, st.stale_since, st.last_new_at)
        for f in feeds
        if (st := by_url.get(f.url)) is not None and st.stale_since is not None
    )
    failing_channels = tuple(
        c.channel
        for c in channels
        if c.failed or c.failing_since is not None or _retries_hard(c, policy)
    )
    problems = [] if self_check else _service_problems(service, now, policy, process_alive)
    problems += _config_problems(service, config_errors)
    problems += _rule_problems(service)
    if service.storage_failing_since is not None:
        problems.append(
            f"the database cannot be written since {_iso(service.storage_failing_since)}: "
            f"{_first_line(service.storage_error or '')} (polls and deliveries wait, and "
            "resume by themselves once it can)"
        )
    problems += [
        f"feed {f.name} is disabled: {_first_line(f.last_error)}"
        if f.disabled
        else f"feed {f.name} failed {f.errors} polls in a row: {_first_line(f.last_error)}"
        for f in failing
        if f.disabled or f.errors >= policy.feed_failures
    ]
    problems += _channel_problems(channels, failing_channels, now, policy)
    return Health(
        now=now,
        problems=tuple(problems),
        service=service,
        feeds_total=len(feeds),
        feeds_ok=sum(1 for f in feeds if f.url in by_url and not _feed_failing(by_url[f.url])),
        failing_feeds=failing,
        outbox_depth=sum(c.waiting + c.failed for c in channels),
        channels=tuple(channels),
        failing_channels=failing_channels,
        process_alive=process_alive,
        config_errors=tuple(_first_line(e) for e in config_errors),
        stale_feeds=stale,
        mutes=tuple(mutes),
    )


def _feed_failing(state: FeedState) -> bool:
    return state.error_count > 0 or state.disabled_at is not None


def _retries_hard(c: ChannelBacklog, policy: Policy) -> bool:
    # `retrying` counts rows that failed at least once; several such rows, or a long wait,
    # means the channel itself is in trouble rather than one message.
    return c.retrying >= policy.channel_retries


def _service_problems(
    s: ServiceRecord, now: datetime, policy: Policy, alive: bool | None
) -> list[str]:
    if s.started_at is None:
        return ["the service has never run against this database"]
    if not s.running:
        return [f"the service is not running (stopped at {_iso(s.stopped_at)})"]
    if alive is False:
        return [f"the service is not running: its process (pid {s.pid}) is gone (killed?)"]
    if s.last_cycle is None or now - s.last_cycle > policy.stale_after:
        since = "never" if s.last_cycle is None else _ago(now - s.last_cycle) + " ago"
        return [f"the service has not run a poll cycle since {since} (stuck or killed?)"]
    return []


def _config_problems(s: ServiceRecord, errors: Sequence[str]) -> list[str]:
    out = [
        f"the config file is invalid (a running service keeps its last good config): "
        f"{_first_line(e)}"
        for e in errors
    ]
    if s.config_refused_at is not None:
        out.append(
            "the last config reload was refused; the service runs on its previous config: "
            + _first_line(s.config_refused_error or "")
        )
    return out


def _rule_problems(s: ServiceRecord) -> list[str]:
    out = []
    if s.rules_in_force == 0:
        out.append(
            "no rules in force: the desk gets no alerts (rule files empty or missing, or every "
            "rule disabled; `watcher check` says which)"
        )
    if s.rules_refused_at is not None:
        out.append(
            "the last rule edit was refused; the previous rules are in force: "
            + _first_line(s.rules_refused_error or "")
        )
    return out


def _channel_problems(
    channels: Sequence[ChannelBacklog],
    failing: Sequence[str],
    now: datetime,
    policy: Policy,
) -> list[str]:
    out = []
    for c in channels:
        if c.failed:
            out.append(f"channel {c.channel} refused {c.failed} alert(s): {c.last_error or ''}")
        elif c.failing_since is not None:
            out.append(
                f"channel {c.channel} failing since {_iso(c.failing_since)}: "
                f"{c.failing_reason or c.last_error or ''}"
            )
        elif c.channel in failing:
            out.append(f"channel {c.channel} keeps failing: {c.last_error or ''}")
        elif c.oldest_retrying is not None and now - c.oldest_retrying > policy.outbox_late:
            out.append(
                f"channel {c.channel}: an alert has been retried for "
                f"{_ago(now - c.oldest_retrying)}: {c.last_error or ''}"
            )
    return out


def _service_line(s: ServiceRecord, now: datetime, alive: bool | None) -> str:
    if s.started_at is None:
        return "never started"
    state = "running" if s.running else f"stopped at {_iso(s.stopped_at)}"
    if s.running and alive is False:
        state = "not running (its process is gone; it recorded no stop)"
    cycle = "never" if s.last_cycle is None else f"{_ago(now - s.last_cycle)} ago"
    return (
        f"{state} (started {_iso(s.started_at)}, pid {s.pid}, watcher {s.version}); "
        f"last poll cycle {cycle}"
    )


def _rules_line(s: ServiceRecord) -> str:
    if s.rules_loaded_at is None:
        return "none loaded yet"
    return (
        f"{s.rules_count} rules from {len(s.rules_files)} file(s), loaded "
        f"{_iso(s.rules_loaded_at)} ({s.rules_reason})"
    )


def _ago(delta: timedelta) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")
