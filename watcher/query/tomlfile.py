"""Reading TOML rule files so that every problem can be reported at file:line:col.

tomllib returns values without positions, so `TomlText` locates tables and `key = value` lines by
scanning the text, in the plain layout rule files use (inline tables and dotted keys fall back to
the nearest table header). `Checker` reads files, turns TOML syntax errors and wrongly typed
values into Diagnostics, and collects them all so one RuleError can list every problem.
"""

from __future__ import annotations

import bisect
import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from watcher.errors import Diagnostic, RuleError, UnreadableFileError
from watcher.files import read_text

T = TypeVar("T")
Table = tuple[str, ...]  # () top level, ("rule", "0") the first [[rule]], ("entity", "UNHRC")

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*""")
_PART = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*\.?""")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(dotted))


class TomlText:
    """The text of one TOML file with where its tables and keys are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.headers: dict[Table, int] = {(): 0}  # table -> 0-based line of its header
        self.keys: dict[tuple[Table, str], tuple[int, int, int]] = {}  # -> line, key col, value col
        self._scan()

    def _scan(self) -> None:
        table: Table = ()
        counts: dict[str, int] = {}
        in_string = False
        for n, line in enumerate(self.lines):
            header = None if in_string else _HEADER.match(line)
            if header:
                parts = _parts(header.group(2))
                if header.group(1) == "[[":
                    index = counts.get(parts[0], 0)
                    counts[parts[0]] = index + 1
                    parts = (*parts, str(index))
                table = parts
                self.headers.setdefault(table, n)
                continue
            key = None if in_string else _KEY.match(line)
            if key:
                name = _parts(key.group(1))[0] if key.group(1) else ""
                self.keys.setdefault((table, name), (n, key.start(1), key.end()))
            # A multi-line string hides headers and keys until it closes.
            if (line.count('"""') + line.count("'''")) % 2 == 1:
                in_string = not in_string

    def line_text(self, line: int) -> str:
        """The 1-based `line`, without its line break."""
        return self.lines[line - 1].rstrip("\r") if 0 < line <= len(self.lines) else ""

    def table_place(self, table: Table) -> tuple[int, int]:
        """1-based (line, col) of the header of `table` (or of its closest parent)."""
        while table not in self.headers and table:
            table = table[:-1]
        line = self.headers.get(table, 0)
        return line + 1, len(self.lines[line]) - len(self.lines[line].lstrip()) + 1

    def key_place(self, table: Table, key: str, value: bool = False) -> tuple[int, int]:
        """1-based (line, col) of `key` in `table` (of its value when `value`)."""
        found = self.keys.get((table, key))
        if found is None:
            return self.table_place(table)
        line, key_col, value_col = found
        return line + 1, (value_col if value else key_col) + 1

    def string_place(self, table: Table, key: str, index: int) -> tuple[int, int]:
        """1-based (line, col) of character `index` of the string value of `key`."""
        found = self.keys.get((table, key))
        if found is None:
            return self.table_place(table)
        line, _, value_col = found
        return self.place(self._string_offset(self.starts[line] + value_col, index))

    def find_in_line(self, line: int, needle: str) -> int:
        """1-based column of `needle` in the 1-based `line`, else of the line's first character."""
        text = self.line_text(line)
        at = text.find(needle)
        return at + 1 if at >= 0 else len(text) - len(text.lstrip()) + 1

    def place(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def _string_offset(self, start: int, index: int) -> int:
        """Offset in the file of character `index` of the string literal opening at `start`."""
        text = self.text
        delimiter = next((d for d in ('"""', "'''", '"', "'") if text.startswith(d, start)), "")
        if not delimiter:
            return start
        i = start + len(delimiter)
        if len(delimiter) == 3 and text.startswith("\n", i):  # TOML trims this first newline
            i += 1
        basic = delimiter[0] == '"'
        for _ in range(index):
            if i >= len(text):
                break
            if basic and text[i] == "\\":
                i += {"u": 6, "U": 10}.get(text[i + 1 : i + 2], 2)
            else:
                i += 1
        return i


_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
_KINDS: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    list: "a list",
}


@dataclass(frozen=True, slots=True)
class TomlFile:
    path: str
    pos: TomlText
    data: dict[str, Any]


def rule_files(path: Path) -> list[Path]:
    """`path` itself, or the *.toml files of the folder `path` in name order. Hidden files are
    left out: editors keep their lock and swap files there (Emacs' `.#desk.toml`, a dangling
    symlink while a buffer is unsaved), and a half-written file must not refuse the set."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.glob("*.toml") if not p.name.startswith("."))


class TomlSyntaxError(ValueError):
    """TOML that does not parse, at 1-based `line` and `col`."""

    def __init__(self, message: str, line: int, col: int) -> None:
        self.message, self.line, self.col = message, line, col
        super().__init__(f"{message} (at line {line}, column {col})")


def load_toml(text: str) -> dict[str, Any]:
    """tomllib.loads with every failure as a TomlSyntaxError, located where it can be.

    tomllib parses nested arrays by recursion, so a file of 100,000 `[` ends in RecursionError:
    that is reported at the first bracket past a sane depth instead of crashing a service."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        line, col = text.count("\n") + 1, 1
        if at and at.group(1):
            line, col = int(at.group(1)), int(at.group(2))
        raise TomlSyntaxError(str(exc)[: at.start() if at else None], line, col) from None
    except RecursionError:
        line, col = _too_deep(text)
        raise TomlSyntaxError(
            f"values nested more than {MAX_NESTING} levels deep", line, col
        ) from None


MAX_NESTING = 100


def _too_deep(text: str) -> tuple[int, int]:
    """Where brackets first nest deeper than MAX_NESTING (strings are not skipped: a guess
    good enough to point at a runaway file)."""
    depth = 0
    for offset, char in enumerate(text):
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(char, 0)
        if depth > MAX_NESTING:
            line = text.count("\n", 0, offset) + 1
            return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return 1, 1


class Checker:
    """Collects diagnostics while reading TOML files; one instance per load."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.order: dict[str, int] = {}  # file -> rank, to list errors file by file
        self.texts: Mapping[str, str] = {}  # file -> text to check instead of what is on disk

    def raise_if_any(self) -> None:
        if self.diagnostics:
            key = lambda d: (self.order.get(d.file, len(self.order)), d.line, d.col)  # noqa: E731
            raise RuleError(sorted(self.diagnostics, key=key))

    def error(self, f: TomlFile, place: tuple[int, int], message: str, hint: str = "") -> None:
        line, col = place
        self.diagnostics.append(Diagnostic(f.path, line, col, message, f.pos.line_text(line), hint))

    def read(self, paths: Sequence[Path]) -> list[TomlFile]:
        """Files as given; folders become their *.toml files in name order (not recursive)."""
        files = []
        for path in paths:
            for each in rule_files(path):
                f = self.read_one(each)
                if f is not None:
                    files.append(f)
        return files

    def read_one(self, path: Path) -> TomlFile | None:
        name = str(path)
        self.order.setdefault(name, len(self.order))
        try:
            text = self.texts[name] if name in self.texts else read_text(path)
        except UnreadableFileError as exc:
            self.diagnostics.append(exc.diagnostic())
            return None
        f = TomlFile(name, TomlText(text), {})
        try:
            return TomlFile(name, f.pos, load_toml(text))
        except TomlSyntaxError as exc:
            self.error(f, (exc.line, exc.col), f"TOML syntax: {exc.message}")
            return None

    def keys(
        self, f: TomlFile, where: Table, table: dict[str, Any], allowed: Sequence[str], what: str
    ) -> None:
        """An error for each key of `table` not in `allowed`."""
        for key in table:
            if key not in allowed:
                hint = suggest(key, allowed, f"{what} has " + ", ".join(allowed))
                self.error(f, f.pos.key_place(where, key), f"unknown key `{key}` in {what}", hint)

    def required(
        self,
        f: TomlFile,
        where: Table,
        table: dict[str, Any],
        key: str,
        kind: type[T],
        hint: str = "",
    ) -> T | None:
        if key not in table:
            self.error(f, f.pos.table_place(where), f"this {where[0]} has no `{key}`", hint)
            return None
        return self.typed(f, where, table, key, kind)

    def optional(
        self, f: TomlFile, where: Table, table: dict[str, Any], key: str, kind: type[T], default: T
    ) -> T:
        if key not in table:
            return default
        value = self.typed(f, where, table, key, kind)
        return default if value is None else value

    def typed(
        self, f: TomlFile, where: Table, table: dict[str, Any], key: str, kind: type[T]
    ) -> T | None:
        value = table[key]
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        message = f"`{key}` must be {_KINDS[kind]}, not {describe(value)}"
        self.error(f, f.pos.key_place(where, key, value=True), message)
        return None


def describe(value: object) -> str:
    """What kind of TOML value `value` is, in the desk's words."""
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "a string"}
    return {**kinds, list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


def suggest(word: str, choices: Sequence[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean `{close[0]}`?" if close else otherwise


def top_place(f: TomlFile, key: str) -> tuple[int, int]:
    """Where the top-level key or table `key` is written."""
    if ((), key) in f.pos.keys:
        return f.pos.key_place((), key)
    table: Table = (key, "0") if (key, "0") in f.pos.headers else (key,)
    return f.pos.table_place(table)
