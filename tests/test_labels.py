"""The hand-made story labels of bench/labels: well formed, one row per article, labels only.

bench/eval_real_day.py scores the real day against them; a duplicated article, a malformed row
or feed text pasted into an id would silently change its figures.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from watcher.normalize import link_key

LABELS = Path(__file__).resolve().parents[1] / "bench" / "labels"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def label_files() -> list[Path]:
    return sorted(LABELS.glob("*.csv"))


def test_there_is_a_labelled_day() -> None:
    assert [p.name for p in label_files()] == ["rss-2021-09-20.csv"]


@pytest.mark.parametrize("path", label_files(), ids=lambda p: p.name)
def test_labels_are_links_and_short_slugs_one_row_per_article(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["link", "event_id"]
        rows = list(reader)
    assert len(rows) == 1412
    for row in rows:
        assert re.match(r"https?://\S+$", row["link"]), row
        assert SLUG.fullmatch(row["event_id"]) and len(row["event_id"]) <= 40, row
    keys = Counter(link_key(row["link"]) for row in rows)
    assert [k for k, n in keys.items() if n > 1] == []  # one row per article


@pytest.mark.parametrize("path", label_files(), ids=lambda p: p.name)
def test_singletons_are_marked_and_every_other_event_has_two_reports(path: Path) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        events = Counter(row["event_id"] for row in csv.DictReader(handle))
    solo = {e for e in events if e.startswith("solo-")}
    assert all(events[e] == 1 for e in solo)
    assert all(events[e] >= 2 for e in events.keys() - solo)
    assert (len(events), len(events) - len(solo)) == (1069, 130)  # README: counts
