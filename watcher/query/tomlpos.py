"""Positions inside a TOML rule file.

tomllib returns values without positions, so errors about a value (an unknown key, a bad query)
are located by scanning the text: table headers and `key = value` lines, in the plain layout rule
files use. Inline tables and keys spread over dotted paths fall back to the nearest table header.
"""

from __future__ import annotations

import bisect
import re

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
