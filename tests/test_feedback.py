"""Feedback that teaches (issue 15): a desk's split is a negative pair, a join left alone for a
day a positive one, and `watcher feedback export` writes them as JSON lines."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from tests.test_pipeline import QUAKE, item
from watcher.cli import main
from watcher.model import Tier
from watcher.store import Store
from watcher.story_model import FEATURES

T0 = datetime.now(UTC) - timedelta(days=3)


def shown(store: Store, story_id: int, now: datetime, ref: str = "7") -> None:
    """The story's alert on "desk" shows it as it is now (sent, or edited, as message `ref`)."""
    store.want_delivery(story_id, "desk", ("quake",), (), 0, now)
    (row,) = [d for d in store.due_deliveries(now) if d.story_id == story_id]
    store.mark_sent(row, ref, now)


def fill(store: Store) -> int:
    """One story of three reports, alerted; the latest is then split out by the desk."""
    sid = store.new_story("Earthquake hits Chile", T0)
    store.add_item(item("a1", "Earthquake hits Chile", QUAKE), sid, Tier.NEW, 0, T0)
    later = T0 + timedelta(minutes=20)
    store.add_item(item("b1", "Chile quake", QUAKE, feed="B"), sid, Tier.COPY, 0.9, later)
    store.add_item(item("c1", "Quake: Chile", QUAKE, feed="C"), sid, Tier.EVENT, 0.4, later)
    shown(store, sid, later)
    found = store.split_latest(sid)
    assert found is not None
    moved, kept, _ = found
    store.add_split_pair(kept, moved.key, later)
    store.bump_story(sid, later)  # the alert is edited back
    shown(store, sid, later)
    return sid


def test_splits_are_negative_and_joins_kept_a_day_positive(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    try:
        fill(store)
        assert store.record_kept_joins(T0 + timedelta(hours=12)) == 0  # not a day yet
        assert store.record_kept_joins(T0 + timedelta(days=2)) == 1
        assert store.record_kept_joins(T0 + timedelta(days=2)) == 0  # once
        pairs = {(p.item_a, p.item_b): (p.same, p.origin) for p in store.labelled_pairs()}
        assert pairs == {("a1", "c1"): (False, "split"), ("a1", "b1"): (True, "kept")}
    finally:
        store.close()


def test_only_a_join_a_desk_was_shown_counts_as_left_alone(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    late = T0 + timedelta(days=2)
    try:
        stories = {}
        for name in ("unseen", "digest", "muted", "behind", "alerted"):
            sid = store.new_story(name, T0)
            store.add_item(item(f"{name}1", name, QUAKE), sid, Tier.NEW, 0, T0)
            store.add_item(item(f"{name}2", name, QUAKE, feed="B"), sid, Tier.COPY, 0.9, T0)
            stories[name] = sid
        shown(store, stories["digest"], T0, ref="digest:12")  # no buttons on a digest
        shown(store, stories["muted"], T0)
        store.bump_story(stories["muted"], T0)
        (row,) = [d for d in store.due_deliveries(late) if d.story_id == stories["muted"]]
        store.mark_skipped(row, "not sent: muted (story)", T0)  # the edit never went out
        shown(store, stories["behind"], T0)
        store.bump_story(stories["behind"], T0)  # the edit showing the join not sent yet
        shown(store, stories["alerted"], T0)
        assert store.record_kept_joins(late) == 1
        (pair,) = store.labelled_pairs()
        assert {pair.item_a, pair.item_b} == {"alerted1", "alerted2"} and pair.same
        (row,) = [d for d in store.due_deliveries(late) if d.story_id == stories["behind"]]
        store.mark_sent(row, None, late)  # the edit went out: recorded on the next run
        assert store.record_kept_joins(late) == 1
    finally:
        store.close()


def test_a_split_outweighs_a_join_recorded_before_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db")
    try:
        store.add_split_pair("x", "y", T0)
        store.db.execute("UPDATE story_pairs SET label = 1, origin = 'kept'")
        store.add_split_pair("y", "x", T0)
        (pair,) = store.labelled_pairs()
        assert (pair.item_a, pair.item_b, pair.same) == ("x", "y", False)
    finally:
        store.close()


def exported(tmp_path: Path) -> tuple[Path, Path]:
    """fill()'s database exported by `watcher feedback export -o`: (config, the export)."""
    config = tmp_path / "config.toml"
    config.write_text('[storage]\npath = "w.db"\n', encoding="utf-8")
    store = Store(tmp_path / "w.db")
    fill(store)
    store.close()
    out = tmp_path / "pairs.jsonl"
    assert main(["--config", str(config), "feedback", "export", "-o", str(out)]) == 0
    return config, out


def test_feedback_export_writes_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, out = exported(tmp_path)
    assert "2 labelled pair(s) exported" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_label = {row["label"]: row for row in rows}
    assert by_label[0]["origin"] == "split" and by_label[1]["origin"] == "kept"
    assert {by_label[0]["a"]["key"], by_label[0]["b"]["key"]} == {"a1", "c1"}
    assert set(by_label[0]["a"]) == {"key", "feed", "link", "title", "summary", "published"}
    assert main(["--config", str(config), "feedback", "export"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def load_trainer() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "train_story_model.py"
    spec = importlib.util.spec_from_file_location("train_story_model", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_trainer_reads_what_feedback_export_writes(tmp_path: Path) -> None:
    _, out = exported(tmp_path)
    trainer = load_trainer()
    pairs = trainer.feedback_pairs([out])
    assert sorted(label for _, label in pairs) == [0, 1]  # the split and the kept join
    assert all(len(signals) == len(FEATURES) for signals, _ in pairs)
    out.write_text(out.read_text(encoding="utf-8") + '{"label": 1}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"pairs\.jsonl:3: not a feedback pair"):
        trainer.feedback_pairs([out])
