"""A running service's rules and feed list, reloaded all-or-nothing and never in silence.

The rules come from their files again when a file changes (checked every `[rules]
reload_check`), on SIGHUP and from the desk page; the feed list comes from the config file on
SIGHUP. A set that does not validate is refused: the last good one stays in force, the refusal
is logged, recorded for `watcher status` and told once to the admin channel (one notice per
stretch of refusals, resolved when a valid set is taken). A rule set that would leave no rule
in force is refused too while rules are in force, so a truncated file cannot mute the desk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from watcher.delivery.admin_notices import Notices
from watcher.errors import ConfigError, RuleError
from watcher.metrics import Metrics
from watcher.model import Feed
from watcher.pipeline import Pipeline
from watcher.query.tomlfile import rule_files
from watcher.rulebook import RuleSet, no_rules_in_force
from watcher.store import Store
from watcher.store.state import write_state

log = logging.getLogger("watcher.service")

RULES_INCIDENT = "rules:refused"  # one admin notice per broken stretch of rule edits
NO_RULES_INCIDENT = "rules:none-in-force"  # told once while the desk has no rule enabled
CONFIG_INCIDENT = "config:refused"  # one admin notice per stretch of refused config reloads


def rule_files_signature(paths: Sequence[Path]) -> tuple[tuple[str, float, int], ...]:
    """Names, mtimes and sizes of every rule file: a change in any means "reload"."""
    found: list[tuple[str, float, int]] = []
    for path in paths:
        for file in rule_files(path):
            try:
                st = file.stat()
            except OSError:
                continue
            found.append((str(file), st.st_mtime, st.st_size))
    return tuple(found)


class Reloads:
    """The pipeline's rules and the service's feed list, and their reloads."""

    def __init__(
        self,
        pipeline: Pipeline,
        store: Store,
        feeds: Sequence[Feed],
        *,
        load_rules: Callable[[], RuleSet],
        load_feeds: Callable[[], Sequence[Feed]] | None,
        rule_paths: Sequence[Path],
        clock: Callable[[], datetime],
        metrics: Metrics,
        notices: Notices | None,
    ) -> None:
        self.pipeline = pipeline
        self.store = store
        self.feeds = list(feeds)
        self.load_rules = load_rules
        self.load_feeds = load_feeds
        self.rule_paths = list(rule_paths)
        self.clock = clock
        self.metrics = metrics
        self.notices = notices  # refused rule edits are told once to the admin channel
        self._rules_signature = rule_files_signature(self.rule_paths)

    def loaded_at_start(self, now: datetime) -> dict[str, object]:
        """The service state fields of the rules and feeds the service starts with."""
        rules = self.pipeline.rules
        return {
            "rules_loaded_at": now,
            "rules_reason": "start",
            "rules_count": len(rules.rules),
            "rules_in_force": rules.in_force,
            "rules_files": rules.files,
            "rules_refused_at": None,
            "rules_refused_error": None,
            "feeds_loaded_at": now,
            "feeds_count": len(self.feeds),
            "config_refused_at": None,
            "config_refused_error": None,
        }

    async def check_rules(self) -> None:
        signature = rule_files_signature(self.rule_paths)
        if signature != self._rules_signature:
            await self.reload_rules("rule files changed")

    async def reload_rules(self, why: str) -> bool:
        """Swap in the rules from disk if they are all valid; else keep the last good ones."""
        self._rules_signature = rule_files_signature(self.rule_paths)
        now = self.clock()
        try:
            rules = self.load_rules()
            if not rules.in_force and self.pipeline.rules.in_force:
                # A truncated or emptied file must not mute the desk: keep the rules in force.
                raise RuleError(no_rules_in_force(rules, self.rule_paths))
        except RuleError as exc:
            log.error("rules reload refused (%s); the last good rules stay in force:\n%s", why, exc)
            self.metrics.rule_reloads.labels("refused").inc()
            write_state(self.store.db, now, rules_refused_at=now, rules_refused_error=str(exc))
            if self.notices is not None:
                self.notices.raise_(
                    RULES_INCIDENT,
                    f"Rule files refused ({why}); the last good rules stay in force.\n{exc}",
                )
            return False
        self.pipeline.rules = rules
        self.metrics.rule_reloads.labels("ok").inc()
        write_state(
            self.store.db,
            now,
            rules_loaded_at=now,
            rules_reason=why,
            rules_count=len(rules.rules),
            rules_in_force=rules.in_force,
            rules_files=rules.files,
            rules_refused_at=None,
            rules_refused_error=None,
        )
        log.info("rules reloaded (%s) rules=%d files=%d", why, len(rules.rules), len(rules.files))
        if self.notices is not None:
            self.notices.resolve(
                RULES_INCIDENT, f"Rule files accepted again: {rules.in_force} rules in force."
            )
        self.tell_rules_in_force()
        return True

    def tell_rules_in_force(self) -> None:
        """No rule enabled is said once (log, admin notice); rules in force again resolve it."""
        rules = self.pipeline.rules
        if rules.in_force:
            if self.notices is not None:
                self.notices.resolve(NO_RULES_INCIDENT, f"{rules.in_force} rules in force again.")
            return
        why = "\n".join(str(d) for d in no_rules_in_force(rules, self.rule_paths))
        log.error("no rules in force: the desk gets no alerts:\n%s", why)
        if self.notices is not None:
            self.notices.raise_(
                NO_RULES_INCIDENT, f"No rules in force: the desk gets no alerts.\n{why}"
            )

    def reload_feeds(self, why: str) -> bool:
        """Take the feed list from the config file again; added feeds poll at once."""
        if self.load_feeds is None:
            return False
        try:
            feeds = list(self.load_feeds())
        except ConfigError as exc:
            log.error("feeds reload refused (%s); the feed list stays as it was:\n%s", why, exc)
            self.metrics.feed_reloads.labels("refused").inc()
            now = self.clock()
            write_state(self.store.db, now, config_refused_at=now, config_refused_error=str(exc))
            if self.notices is not None:
                self.notices.raise_(
                    CONFIG_INCIDENT,
                    f"Config reload refused ({why}); the service runs on its previous config.\n"
                    f"{exc}",
                )
            return False
        before, after = {f.url for f in self.feeds}, {f.url for f in feeds}
        self.feeds = feeds  # a poll in flight for a removed feed finishes; none starts again
        self.pipeline.forget_feeds(before - after)  # what it remembered of their last bodies
        self.metrics.feed_reloads.labels("ok").inc()
        now = self.clock()
        write_state(
            self.store.db,
            now,
            feeds_loaded_at=now,
            feeds_count=len(feeds),
            config_refused_at=None,
            config_refused_error=None,
        )
        if self.notices is not None:
            self.notices.resolve(CONFIG_INCIDENT, "Config reloaded: it is valid again.")
        log.info(
            "feeds reloaded (%s) feeds=%d added=%d removed=%d",
            why,
            len(feeds),
            len(after - before),
            len(before - after),
        )
        return True
