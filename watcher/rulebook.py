"""Rule and entity files -> one validated, immutable RuleSet, all or nothing.

A rule file (TOML) holds `[[rule]]` tables (name, query, channels; optional description, enabled,
priority), `[entity.NAME]` tables (aliases; optional builtin, description) and optionally
`[entities] builtin = false` to switch off the built-in country entities. Every file given is
read and checked together; any problem anywhere raises RuleError with one Diagnostic per problem
(file:line:col, the line, a caret, a hint), so a desk sees them all at once and nothing half-valid
is ever applied.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from watcher.countries import builtin_entities
from watcher.errors import Diagnostic, QuerySyntaxError, RuleError
from watcher.model import Match
from watcher.query import CompiledQuery, Document, Entity, Hit, Index, Node, parse
from watcher.query.patterns import entity_key
from watcher.query.text import word_texts
from watcher.query.tomlpos import Table, TomlText

RULE_KEYS = ("name", "query", "channels", "description", "enabled", "priority")
ENTITY_KEYS = ("aliases", "builtin", "description")
TOP_KEYS = ("rule", "entity", "entities")
T = TypeVar("T")
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    query: str
    channels: tuple[str, ...]
    description: str = ""
    enabled: bool = True
    priority: int = 0
    file: str = ""
    line: int = 0


class RuleSet:
    """Rules and entities compiled into one index; immutable once built."""

    def __init__(
        self,
        rules: Sequence[Rule],
        entities: Mapping[str, Entity],
        files: Sequence[str] = (),
        *,
        nodes: Sequence[Node] | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.entities: Mapping[str, Entity] = MappingProxyType(dict(entities))
        self.files = tuple(files)
        parsed = list(nodes) if nodes is not None else [parse(r.query) for r in self.rules]
        live = [(rule, node) for rule, node in zip(self.rules, parsed, strict=True) if rule.enabled]
        self._live = tuple(rule for rule, _ in live)
        self._index = Index([node for _, node in live], self.entities)

    @classmethod
    def empty(cls) -> RuleSet:
        return cls((), builtin_entities())

    def __len__(self) -> int:
        return len(self.rules)

    def hits(self, doc: Document) -> tuple[tuple[Rule, Hit], ...]:
        """Each enabled rule matching `doc` with its Hit (spans for highlighting), by priority."""
        found = [(self._live[k], hit) for k, hit in self._index.match(doc)]
        return tuple(sorted(found, key=lambda pair: -pair[0].priority))

    def match(self, doc: Document) -> tuple[Match, ...]:
        """The enabled rules matching `doc`, highest priority first, then in file order."""
        return tuple(
            Match(rule.name, rule.channels, hit.terms, rule.priority)
            for rule, hit in self.hits(doc)
        )

    def compile_query(self, query: str) -> CompiledQuery:
        """`query` compiled with this set's entities (for `watcher test-rule`)."""
        return CompiledQuery(query, self.entities)


def load_rules(paths: Sequence[Path], channel_names: Collection[str] | None = None) -> RuleSet:
    """Every rule and entity in `paths` (files, or folders of *.toml), or RuleError listing
    every problem; unknown channels are errors when `channel_names` is given."""
    loader = _Loader()
    files = loader.read(paths)
    entities = loader.entities(files)
    pairs = loader.rules(files, channel_names)
    loader.raise_if_any()
    rules = [rule for rule, _ in pairs]
    return RuleSet(rules, entities, [f.path for f in files], nodes=[n for _, n in pairs])


def load_entities(paths: Sequence[Path]) -> Mapping[str, Entity]:
    """The entities of the rule files in `paths` plus the built-ins (RuleError on problems in
    the files' syntax or entity tables; rules are not checked)."""
    loader = _Loader()
    entities = loader.entities(loader.read(paths))
    loader.raise_if_any()
    return MappingProxyType(entities)


@dataclass(frozen=True, slots=True)
class _File:
    path: str
    pos: TomlText
    data: dict[str, Any]


class _Loader:
    """Collects diagnostics while reading; one instance per load."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.order: dict[str, int] = {}  # file -> rank, to list errors file by file

    def raise_if_any(self) -> None:
        if self.diagnostics:
            key = lambda d: (self.order.get(d.file, len(self.order)), d.line, d.col)  # noqa: E731
            raise RuleError(sorted(self.diagnostics, key=key))

    def error(self, f: _File, place: tuple[int, int], message: str, hint: str = "") -> None:
        line, col = place
        self.diagnostics.append(Diagnostic(f.path, line, col, message, f.pos.line_text(line), hint))

    # -- files -------------------------------------------------------------------------------

    def read(self, paths: Sequence[Path]) -> list[_File]:
        files = []
        for path in _expand(paths):
            f = self.read_one(path)
            if f is not None:
                files.append(f)
        return files

    def read_one(self, path: Path) -> _File | None:
        name = str(path)
        self.order.setdefault(name, len(self.order))
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.diagnostics.append(Diagnostic(name, 1, 1, "no such file or folder"))
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.diagnostics.append(Diagnostic(name, 1, 1, f"cannot read: {exc}"))
            return None
        f = _File(name, TomlText(text), {})
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.toml_error(f, str(exc))
            return None
        f = _File(name, f.pos, data)
        for key in data:
            if key not in TOP_KEYS:
                self.error(
                    f,
                    _top_place(f, key),
                    f"unknown table or key `{key}`",
                    _suggest(
                        key,
                        TOP_KEYS,
                        "a rule file holds [[rule]], [entity.NAME] and [entities] tables",
                    ),
                )
        return f

    def toml_error(self, f: _File, message: str) -> None:
        at = _TOML_AT.search(message)
        line, col = len(f.pos.lines), 1
        if at and at.group(1):
            line, col = int(at.group(1)), int(at.group(2))
        text = message[: at.start()] if at else message
        self.error(f, (line, col), f"TOML syntax: {text}")

    # -- rules -------------------------------------------------------------------------------

    def rules(self, files: list[_File], known: Collection[str] | None) -> list[tuple[Rule, Node]]:
        pairs: list[tuple[Rule, Node]] = []
        first: dict[str, Rule] = {}
        for f in files:
            tables = f.data.get("rule", [])
            if not isinstance(tables, list):
                self.error(f, _top_place(f, "rule"), "`rule` must be written as [[rule]] tables")
                continue
            for k, table in enumerate(tables):
                where = ("rule", str(k))
                if not isinstance(table, dict):
                    self.error(f, f.pos.table_place(where), "each [[rule]] must be a table")
                    continue
                count = len(self.diagnostics)
                rule = self.rule(f, where, table, known)
                seen = first.setdefault(rule.name, rule)
                if rule.name and seen is not rule:
                    place = f.pos.key_place(where, "name", value=True)
                    self.error(
                        f,
                        place,
                        f"a rule named `{rule.name}` already exists",
                        f"first defined at {seen.file}:{seen.line}",
                    )
                node = self.query(f, where, rule) if "query" in table else None
                if node is not None and len(self.diagnostics) == count:
                    pairs.append((rule, node))
        return pairs

    def rule(
        self, f: _File, where: Table, table: dict[str, Any], known: Collection[str] | None
    ) -> Rule:
        for key in table:
            if key not in RULE_KEYS:
                hint = _suggest(key, RULE_KEYS, "a rule has " + ", ".join(RULE_KEYS))
                self.error(f, f.pos.key_place(where, key), f"unknown key `{key}` in a rule", hint)
        name = self.required(f, where, table, "name", str)
        if name is not None and not name.strip():
            self.error(f, f.pos.key_place(where, "name", value=True), "the rule name is empty")
        return Rule(
            name=name or "",
            query=self.required(f, where, table, "query", str) or "",
            channels=tuple(self.channel_list(f, where, table, known)),
            description=self.optional(f, where, table, "description", str, ""),
            enabled=self.optional(f, where, table, "enabled", bool, True),
            priority=self.optional(f, where, table, "priority", int, 0),
            file=f.path,
            line=f.pos.table_place(where)[0],
        )

    def query(self, f: _File, where: Table, rule: Rule) -> Node | None:
        try:
            return parse(rule.query)
        except QuerySyntaxError as exc:
            place = f.pos.string_place(where, "query", exc.pos)
            label = f"rule `{rule.name}`" if rule.name else "this rule"
            self.error(f, place, f"query of {label}: {exc.message}", exc.hint)
            return None

    def channel_list(
        self, f: _File, where: Table, table: dict[str, Any], known: Collection[str] | None
    ) -> list[str]:
        names = self.required(f, where, table, "channels", list)
        if names is None:
            return []
        line, col = f.pos.key_place(where, "channels", value=True)
        if not names:
            self.error(
                f, (line, col), "a rule needs at least one channel", 'channels = ["console"]'
            )
        good = []
        for name in names:
            if not isinstance(name, str):
                self.error(f, (line, col), f"channel names are strings, not {_describe(name)}")
            elif known is not None and name not in known:
                hint = _suggest(
                    name, sorted(known), "configured channels: " + ", ".join(sorted(known))
                )
                at = f.pos.find_in_line(line, f'"{name}"')
                self.error(f, (line, at), f"unknown channel `{name}`", hint)
            else:
                good.append(name)
        return good

    # -- entities ----------------------------------------------------------------------------

    def entities(self, files: list[_File]) -> dict[str, Entity]:
        """Built-ins (unless switched off), extended or replaced by the files' entities."""
        switches = [self.builtin_switch(f) for f in files]
        own: dict[str, tuple[str, list[str], bool]] = {}  # key -> name, aliases, replace
        for f in files:
            tables = f.data.get("entity", {})
            if not isinstance(tables, dict):
                self.error(
                    f, _top_place(f, "entity"), "entities are written as [entity.NAME] tables"
                )
                continue
            for name, table in tables.items():
                parsed = self.entity(f, ("entity", name), name, table)
                if parsed is None:
                    continue
                key = entity_key(name)
                old_name, old_aliases, old_replace = own.get(key, (name, [], False))
                own[key] = (old_name, old_aliases + parsed[0], old_replace or parsed[1])
        builtins = (
            {entity_key(e.name): e for e in builtin_entities().values()} if all(switches) else {}
        )
        merged = dict(builtins)
        for key, (name, aliases, replace) in own.items():
            base = builtins.get(key)
            if base is None or replace:
                merged[key] = Entity(name, tuple(dict.fromkeys(aliases)))
            else:
                merged[key] = Entity(base.name, tuple(dict.fromkeys(base.aliases + tuple(aliases))))
        return {e.name: e for e in merged.values()}

    def builtin_switch(self, f: _File) -> bool:
        section = f.data.get("entities")
        if section is None:
            return True
        if not isinstance(section, dict):
            self.error(f, _top_place(f, "entities"), "write [entities] as a table: builtin = false")
            return True
        for key in section:
            if key != "builtin":
                self.error(
                    f,
                    f.pos.key_place(("entities",), key),
                    f"unknown key `{key}` in [entities]",
                    "[entities] has one key: builtin = false switches off built-in countries",
                )
        return self.optional(f, ("entities",), section, "builtin", bool, True)

    def entity(
        self, f: _File, where: Table, name: str, table: object
    ) -> tuple[list[str], bool] | None:
        if not isinstance(table, dict):
            self.error(
                f,
                f.pos.table_place(where),
                f"[entity.{name}] must be a table",
                'e.g. [entity.UNHRC] then aliases = ["UN Human Rights Council"]',
            )
            return None
        for key in table:
            if key not in ENTITY_KEYS:
                self.error(
                    f,
                    f.pos.key_place(where, key),
                    f"unknown key `{key}` in an entity",
                    _suggest(key, ENTITY_KEYS, "an entity has " + ", ".join(ENTITY_KEYS)),
                )
        if not word_texts(name):
            self.error(
                f, f.pos.table_place(where), f"entity name `{name}` has no letters or digits"
            )
        self.optional(f, where, table, "description", str, "")
        aliases = self.optional(f, where, table, "aliases", list, [])
        place = f.pos.key_place(where, "aliases", value=True)
        for alias in aliases:
            if not isinstance(alias, str):
                self.error(f, place, f"aliases are strings, not {_describe(alias)}")
            elif "*" in alias:
                self.error(
                    f,
                    (place[0], f.pos.find_in_line(place[0], alias)),
                    "aliases are matched as written: `*` is not a wildcard here",
                    "list the forms you want, e.g. Iranian, Iranians",
                )
            elif not word_texts(alias):
                self.error(f, place, f"alias `{alias}` has no letters or digits")
        good = [a for a in aliases if isinstance(a, str) and "*" not in a and word_texts(a)]
        return good, not self.optional(f, where, table, "builtin", bool, True)

    # -- typed values ------------------------------------------------------------------------

    def required(
        self, f: _File, where: Table, table: dict[str, Any], key: str, kind: type[T]
    ) -> T | None:
        if key not in table:
            self.error(f, f.pos.table_place(where), f"this rule has no `{key}`", _EXAMPLE[key])
            return None
        return self.typed(f, where, table, key, kind)

    def optional(
        self, f: _File, where: Table, table: dict[str, Any], key: str, kind: type[T], default: T
    ) -> T:
        if key not in table:
            return default
        value = self.typed(f, where, table, key, kind)
        return default if value is None else value

    def typed(
        self, f: _File, where: Table, table: dict[str, Any], key: str, kind: type[T]
    ) -> T | None:
        value = table[key]
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        self.error(
            f,
            f.pos.key_place(where, key, value=True),
            f"`{key}` must be {_KINDS[kind]}, not {_describe(value)}",
        )
        return None


_KINDS: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    list: "a list",
}
_EXAMPLE = {
    "name": 'e.g. name = "pk-ir-unhrc"',
    "query": 'e.g. query = "Iran AND Pakistan"',
    "channels": 'e.g. channels = ["console"]',
}


def _describe(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _suggest(word: str, choices: Sequence[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean `{close[0]}`?" if close else otherwise


def _top_place(f: _File, key: str) -> tuple[int, int]:
    if ((), key) in f.pos.keys:
        return f.pos.key_place((), key)
    table: Table = (key, "0") if (key, "0") in f.pos.headers else (key,)
    return f.pos.table_place(table)


def _expand(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders become their *.toml files in name order (not recursive)."""
    out: list[Path] = []
    for path in paths:
        out += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    return out
