"""The rule workbench behind /rules: which files the rulebook reads, an edited file checked
with the whole set (errors at line:col), its rules tried on recent items with the matched
words marked, and the save: validated, written atomically with the previous text kept as
`NAME.toml.bak` (not a *.toml, so the rulebook never reads it), and recorded (who, when, what)
in a JSON-lines file beside the database.

Decisions only here; the web handlers (desk.py) do the reload and answer the browser.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup

from watcher.errors import Diagnostic, RuleError
from watcher.explain import excerpt
from watcher.files import write_atomic
from watcher.query import Document
from watcher.query.tomlfile import rule_files
from watcher.rulebook import RuleSet, no_rules_in_force

Validate = Callable[[Mapping[str, str]], RuleSet]  # load_rules with edited texts in place
MAX_TRIES = 20  # matching items listed per rule
MAX_DIFF = 20_000  # characters of a save's diff kept in the record


def listed_files(paths: Sequence[Path]) -> list[Path]:
    """The rule files the rulebook reads, in its order (existing files only)."""
    return [f for p in paths for f in rule_files(p) if f.is_file()]


@dataclass(frozen=True, slots=True)
class Tried:
    """One matching item for one rule, its fields as HTML with the matched words in <mark>."""

    rule: str
    label: str
    link: str
    title: Markup
    summary: Markup


@dataclass(frozen=True, slots=True)
class Checked:
    errors: tuple[Diagnostic, ...]
    rules: RuleSet | None  # the whole set with the edit, when it is valid
    tries: tuple[Tried, ...] = ()
    tried_items: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check(file: Path, text: str, paths: Sequence[Path], validate: Validate) -> Checked:
    """The whole set as it would be with `text` in `file`: its errors, or the valid set."""
    try:
        rules = validate({str(file): text})
    except RuleError as exc:
        return Checked(tuple(exc.diagnostics), None)
    missing = no_rules_in_force(rules, paths)
    return Checked(tuple(missing), None if missing else rules)


def try_rules(
    checked: Checked, file: Path, items: Iterable[tuple[str, str, Document]]
) -> Checked:
    """`checked` with the file's enabled rules tried on `items` (label, link, document), through
    the set's own index as the pipeline matches (CPU-bound: run it off the loop)."""
    if checked.rules is None:
        return checked
    tries: list[Tried] = []
    shown: dict[str, int] = {}
    count = 0
    for label, link, doc in items:
        count += 1
        for rule, hit in checked.rules.hits(doc):
            if rule.file != str(file) or shown.get(rule.name, 0) >= MAX_TRIES:
                continue
            shown[rule.name] = shown.get(rule.name, 0) + 1
            marked = {f: _marked(doc.field(f), [(a, b) for g, a, b in hit.spans if g == f])
                      for f in ("title", "summary")}  # fmt: skip
            tries.append(Tried(rule.name, label, link, marked["title"], marked["summary"]))
    return Checked(checked.errors, checked.rules, tuple(tries), count)


def _marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    """`text` (shortened around the spans) escaped, each span in <mark>."""
    if not spans:
        return Markup(html.escape(text[:200]))
    text = text.replace("\x01", " ").replace("\x02", " ")  # same length: spans stay right
    plain = excerpt(text, spans, lambda w: f"\x01{w}\x02", context=80)
    return Markup(html.escape(plain).replace("\x01", "<mark>").replace("\x02", "</mark>"))


# -- saving and the record of saves ------------------------------------------------------------


def backup_path(file: Path) -> Path:
    return file.with_name(file.name + ".bak")


def save(file: Path, text: str) -> str:
    """Write `text` over `file` atomically, keeping the previous text as its backup; the diff."""
    before = file.read_text(encoding="utf-8") if file.exists() else ""
    write_atomic(file, text, backup=backup_path(file))
    diff = "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            text.splitlines(keepends=True),
            f"{file.name} (before)",
            f"{file.name}",
        )
    )
    return diff[:MAX_DIFF]


@dataclass(frozen=True, slots=True)
class Saved:
    at: datetime
    user: str
    file: str
    sha256: str
    diff: str
    applied: bool  # the service took the new set in


def record(log: Path, saved: Saved) -> None:
    entry = {
        "at": saved.at.astimezone(UTC).isoformat(),
        "user": saved.user,
        "file": saved.file,
        "sha256": saved.sha256,
        "applied": saved.applied,
        "diff": saved.diff,
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def history(log: Path, limit: int = 20) -> list[Saved]:
    """The latest saves, newest first (unreadable lines skipped)."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    out = []
    for line in reversed(lines[-1000:]):
        try:
            e = json.loads(line)
            out.append(
                Saved(datetime.fromisoformat(e["at"]), str(e["user"]), str(e["file"]),
                      str(e["sha256"]), str(e["diff"]), bool(e["applied"]))
            )  # fmt: skip
        except (ValueError, KeyError, TypeError):
            continue
        if len(out) == limit:
            break
    return out


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
