"""The half of the composition root that sends nothing: the real clock, the story index rebuilt
from the database, and a pipeline that ingests saved files without fetching (`watcher replay`).

app.py builds on this for the commands that poll and send (`run`, `poll-once`, `demo`): the
HTTP fetcher, the channels and the deliverer. The commands that send nothing (`replay`,
`check`, `test-rule`, `stories`, `status`, `feeds`, `outbox`, `db`, `backup`) import this
module and never app.py, so their start-up loads no chat client, scheduler or metrics.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from watcher import __version__
from watcher.boilerplate import Boilerplate
from watcher.config import Settings
from watcher.delivery.admin_notices import Notices
from watcher.errors import FetchError
from watcher.feed_read import FeedFetcher
from watcher.model import FetchResult
from watcher.pipeline import Pipeline
from watcher.rulebook import RuleSet
from watcher.store import Store
from watcher.stories import StoryIndex

log = logging.getLogger("watcher.app")

USER_AGENT = f"watcher/{__version__} (news-desk feed alerts)"  # [fetch] contact is added


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_pipeline(
    settings: Settings,
    store: Store,
    *,
    fetcher: FeedFetcher,
    rules: RuleSet,
    clock: Callable[[], datetime],
    rng: random.Random,
    notices: Notices,
) -> Pipeline:
    """The pipeline over `store`: the feeds' boilerplate learnt from their recent items, the
    story index rebuilt from the items of the last window (and the reports it holds longer:
    stories.HOLD, AGREE_HOLD)."""
    boilerplate = Boilerplate()
    boilerplate.learn(list(store.recent_items(per_feed=boilerplate.window)))
    index = StoryIndex(window=settings.stories.window)
    # The last window before the newest stored report, or before now if that is sooner: when
    # the stored reports are all older (feeds of old-dated items polled in `watcher poll-once`
    # rounds, a replay), the index holds what a process that never stopped would hold.
    newest = store.latest_published()
    until = clock() if newest is None else min(clock(), newest)
    rebuilt, start = 0, until - settings.stories.window
    # Before the window, only the first reports it holds longer (stories.HOLD: a story whose
    # first report opens an arc takes the arc's turn for `hold`), and the reports of a story
    # told by two or more outlets (stories.AGREE_HOLD): every report since `agree_hold`, then
    # the prune keeps only those.
    agreeing = until - index.agree_hold
    for item, story_id in store.items_since(until - max(index.hold, index.agree_hold)):
        item = boilerplate.clean(item)  # as ingest gave it: boilerplate left out
        if item.published >= agreeing or index.holds(item, story_id):
            index.add(item, story_id)
            rebuilt += 1
    rebuilt -= index.prune(start)
    log.debug("story index rebuilt items=%d", rebuilt)
    return Pipeline(
        store=store,
        fetcher=fetcher,
        index=index,
        rules=rules,
        clock=clock,
        rng=rng,
        notices=notices,
        failing_notice_after=settings.fetch.failing_notice_after,
        burst_limit=settings.defaults.burst_limit,
        boilerplate=boilerplate,
    )


class NoFetcher:
    """The fetcher of a pipeline that only ingests what it is handed (`watcher replay`)."""

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        credentials_of: str | None = None,
    ) -> FetchResult:
        raise FetchError("this pipeline ingests saved files only; it fetches nothing")


@dataclass
class Ingester:
    """The database and a pipeline into it that fetches and sends nothing."""

    settings: Settings
    store: Store
    pipeline: Pipeline

    def close(self) -> None:
        self.store.close()


def open_ingester(
    settings: Settings,
    *,
    rules: RuleSet,
    clock: Callable[[], datetime] = utc_now,
    rng: random.Random | None = None,
) -> Ingester:
    """Open the database and a pipeline into it. Raises StoreError if the DB is unusable."""
    settings.storage.path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(settings.storage.path)
    try:
        pipeline = build_pipeline(
            settings,
            store,
            fetcher=NoFetcher(),
            rules=rules,
            clock=clock,
            rng=rng or random.Random(),
            notices=Notices(store, clock),
        )
    except BaseException:
        store.close()
        raise
    return Ingester(settings, store, pipeline)
