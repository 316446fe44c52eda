"""Rule and entity files -> one validated, immutable RuleSet, all or nothing.

A rule file (TOML) holds `[[rule]]` tables (name, query, channels; optional description, enabled,
priority), `[entity.NAME]` tables (aliases; optional builtin, description) and optionally
`[entities] builtin = false` to switch off the built-in country entities. Every file given is
read and checked together; any problem anywhere raises RuleError with one Diagnostic per problem
(file:line:col, the line, a caret, a hint), so a desk sees them all at once and nothing half-valid
is ever applied.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from watcher.countries import builtin_entities
from watcher.errors import Diagnostic, QuerySyntaxError
from watcher.model import Match
from watcher.query import CompiledQuery, Document, Entity, Hit, Index, Node, parse
from watcher.query.ast import counts_sources, leaves
from watcher.query.lint import notes
from watcher.query.patterns import entity_key, entity_table, leaf_words
from watcher.query.text import word_texts
from watcher.query.tomlfile import Checker, Table, TomlFile, describe, suggest, top_place

RULE_KEYS = ("name", "query", "channels", "description", "enabled", "priority")
ENTITY_KEYS = ("aliases", "builtin", "description")
TOP_KEYS = ("rule", "entity", "entities")


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
        warnings: Sequence[Diagnostic] = (),
    ) -> None:
        self.rules = tuple(rules)
        # Valid but doubtful queries (`iran and pakistan`), for `watcher check` to show.
        self.warnings = tuple(warnings)
        self.entities: Mapping[str, Entity] = MappingProxyType(dict(entities))
        self.files = tuple(files)
        parsed = list(nodes) if nodes is not None else [parse(r.query) for r in self.rules]
        live = [(rule, node) for rule, node in zip(self.rules, parsed, strict=True) if rule.enabled]
        self._live = tuple(rule for rule, _ in live)
        self._index = Index([node for _, node in live], self.entities)
        # Only then does matching need each story's count of feeds (the pipeline asks for it).
        self.counts_sources = any(counts_sources(node) for _, node in live)
        table = entity_table(self.entities)
        self._spellings = tuple(_spellings(node, table) for _, node in live)

    @classmethod
    def empty(cls) -> RuleSet:
        return cls((), builtin_entities())

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def in_force(self) -> int:
        """How many rules are enabled: zero means the desk gets no alerts at all."""
        return len(self._live)

    def hits(self, doc: Document) -> tuple[tuple[Rule, Hit], ...]:
        """Each enabled rule matching `doc` with its Hit (spans for highlighting), by priority."""
        found = [(self._live[k], hit) for k, hit in self._index.match(doc)]
        return tuple(sorted(found, key=lambda pair: -pair[0].priority))

    def match(self, doc: Document) -> tuple[Match, ...]:
        """The enabled rules matching `doc`, highest priority first, then in file order.

        A match's terms are the rule's own terms as the desk wrote them, each once: the
        text's "Volcano" and "volcano" are the rule's `volcano`, an alias found in the text
        ("UN Human Rights Council") is the rule's `UNHRC`. Words a prefix matched
        (`sanction*`) stay as the text has them.
        """
        found = sorted(self._index.match(doc), key=lambda pair: -self._live[pair[0]].priority)
        return tuple(
            Match(
                rule.name, rule.channels, _as_written(hit.terms, self._spellings[k]), rule.priority
            )
            for k, hit in found
            for rule in (self._live[k],)
        )

    def compile_query(self, query: str) -> CompiledQuery:
        """`query` compiled with this set's entities (for `watcher test-rule`)."""
        return CompiledQuery(query, self.entities)


def _spellings(node: Node, entities: Mapping[str, Entity]) -> dict[str, str]:
    """Folded text -> the query's term as written, for each term of `node` and, for a term
    naming an entity, each of the entity's names."""
    spelled: dict[str, str] = {}
    for leaf in leaves(node):
        if leaf.prefix:
            continue
        written = " ".join(leaf_words(leaf))
        key = entity_key(written)
        spelled.setdefault(key, written)
        entity = None if leaf.exact else entities.get(key)
        if entity is not None:
            for name in (entity.name, *entity.aliases):
                spelled.setdefault(entity_key(name), written)
    return spelled


def _as_written(terms: Sequence[str], spellings: Mapping[str, str]) -> tuple[str, ...]:
    """Matched text as the rule's terms, each once (see RuleSet.match)."""
    out: dict[str, str] = {}
    for term in terms:
        key = entity_key(term)
        written = spellings.get(key, term)
        out.setdefault(entity_key(written) or key, written)
    return tuple(out.values())


def load_rules(
    paths: Sequence[Path],
    channel_names: Collection[str] | None = None,
    *,
    texts: Mapping[str, str] | None = None,
) -> RuleSet:
    """Every rule and entity in `paths` (files, or folders of *.toml), or RuleError listing
    every problem; unknown channels are errors when `channel_names` is given. `texts` checks
    a file's edited text (by its path as listed) in place of what is on disk: the desk page
    validates an edit with the whole set before saving it."""
    loader = _Loader()
    loader.texts = texts or {}
    loaded = loader.files(paths)
    entities = loader.entities(loaded)
    pairs = loader.rules(loaded, channel_names)
    loader.raise_if_any()
    rules = [rule for rule, _ in pairs]
    files = [f.path for f in loaded]
    return RuleSet(rules, entities, files, nodes=[n for _, n in pairs], warnings=loader.notes)


def no_rules_in_force(rules: RuleSet, paths: Sequence[Path]) -> list[Diagnostic]:
    """Why `rules` has no rule in force, one Diagnostic per configured path (what it gave);
    empty when some rule is enabled. A truncated or missing file must not mute a desk
    silently: `watcher check` calls this an error and the service degrades and says so."""
    if rules.in_force:
        return []
    if not paths:
        return [Diagnostic("[rules] paths", 1, 1, "no rules in force: no rule file is named")]
    out = []
    for path in paths:
        files = [f for f in rules.files if Path(f) == path or Path(f).parent == path]
        if not files:
            out.append(Diagnostic(str(path), 1, 1, "no rules in force: no *.toml rule files here"))
        for file in files:
            mine = [rule for rule in rules.rules if rule.file == file]
            what = (
                f"all {len(mine)} rule(s) are disabled (enabled = false)"
                if mine
                else "the file holds no [[rule]]" + (" (it is empty)" if _empty(file) else "")
            )
            line = mine[0].line if mine else 1
            out.append(Diagnostic(file, line or 1, 1, f"no rules in force: {what}"))
    return out


def _empty(file: str) -> bool:
    try:
        return not Path(file).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return False


def load_entities(paths: Sequence[Path]) -> Mapping[str, Entity]:
    """The entities of the rule files in `paths` plus the built-ins (RuleError on problems in
    the files' syntax or entity tables; rules are not checked)."""
    loader = _Loader()
    entities = loader.entities(loader.files(paths))
    loader.raise_if_any()
    return MappingProxyType(entities)


class _Loader(Checker):
    """Rule-file semantics on top of the TOML checker; one instance per load."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[Diagnostic] = []  # doubtful but valid queries (see query/lint.py)

    def files(self, paths: Sequence[Path]) -> list[TomlFile]:
        files = self.read(paths)
        for f in files:
            for key in f.data:
                if key not in TOP_KEYS:
                    hint = "a rule file holds [[rule]], [entity.NAME] and [entities] tables"
                    hint = suggest(key, TOP_KEYS, hint)
                    self.error(f, top_place(f, key), f"unknown table or key `{key}`", hint)
        return files

    # -- rules -------------------------------------------------------------------------------

    def rules(
        self, files: list[TomlFile], known: Collection[str] | None
    ) -> list[tuple[Rule, Node]]:
        pairs: list[tuple[Rule, Node]] = []
        first: dict[str, Rule] = {}
        for f in files:
            tables = f.data.get("rule", [])
            if not isinstance(tables, list):
                self.error(f, top_place(f, "rule"), "`rule` must be written as [[rule]] tables")
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
        self, f: TomlFile, where: Table, table: dict[str, Any], known: Collection[str] | None
    ) -> Rule:
        self.keys(f, where, table, RULE_KEYS, "a rule")
        name = self.required(f, where, table, "name", str, 'e.g. name = "pk-ir-unhrc"')
        if name is not None and not name.strip():
            self.error(f, f.pos.key_place(where, "name", value=True), "the rule name is empty")
        return Rule(
            name=name or "",
            query=self.required(f, where, table, "query", str, 'e.g. query = "Iran"') or "",
            channels=tuple(self.channel_list(f, where, table, known)),
            description=self.optional(f, where, table, "description", str, ""),
            enabled=self.optional(f, where, table, "enabled", bool, True),
            priority=self.optional(f, where, table, "priority", int, 0),
            file=f.path,
            line=f.pos.table_place(where)[0],
        )

    def query(self, f: TomlFile, where: Table, rule: Rule) -> Node | None:
        label = f"rule `{rule.name}`" if rule.name else "this rule"
        try:
            node = parse(rule.query)
        except QuerySyntaxError as exc:
            place = f.pos.string_place(where, "query", exc.pos)
            self.error(f, place, f"query of {label}: {exc.message}", exc.hint)
            return None
        for note in notes(rule.query, node):
            line, col = f.pos.string_place(where, "query", note.pos)
            message = f"query of {label}: {note.message}"
            self.notes.append(
                Diagnostic(f.path, line, col, message, f.pos.line_text(line), note.hint)
            )
        return node

    def channel_list(
        self, f: TomlFile, where: Table, table: dict[str, Any], known: Collection[str] | None
    ) -> list[str]:
        names = self.required(f, where, table, "channels", list, 'e.g. channels = ["console"]')
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
                self.error(f, (line, col), f"channel names are strings, not {describe(name)}")
            elif known is not None and name not in known:
                listed = ", ".join(sorted(known))
                hint = suggest(
                    name,
                    sorted(known),
                    f"configured channels: {listed}" if known else "no channels are configured",
                )
                at = f.pos.find_in_line(line, f'"{name}"')
                self.error(f, (line, at), f"unknown channel `{name}`", hint)
            else:
                good.append(name)
        return good

    # -- entities ----------------------------------------------------------------------------

    def entities(self, files: list[TomlFile]) -> dict[str, Entity]:
        """Built-ins (unless switched off), extended or replaced by the files' entities."""
        switches = [self.builtin_switch(f) for f in files]
        own: dict[str, tuple[str, list[str], bool]] = {}  # key -> name, aliases, replace
        for f in files:
            tables = f.data.get("entity", {})
            if not isinstance(tables, dict):
                self.error(
                    f, top_place(f, "entity"), "entities are written as [entity.NAME] tables"
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
                both = tuple(dict.fromkeys(base.aliases + tuple(aliases)))
                merged[key] = Entity(base.name, both, builtin=True)
        return {e.name: e for e in merged.values()}

    def builtin_switch(self, f: TomlFile) -> bool:
        section = f.data.get("entities")
        if section is None:
            return True
        if not isinstance(section, dict):
            self.error(f, top_place(f, "entities"), "write [entities] as a table: builtin = false")
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
        self, f: TomlFile, where: Table, name: str, table: object
    ) -> tuple[list[str], bool] | None:
        if not isinstance(table, dict):
            self.error(
                f,
                f.pos.table_place(where),
                f"[entity.{name}] must be a table",
                'e.g. [entity.UNHRC] then aliases = ["UN Human Rights Council"]',
            )
            return None
        self.keys(f, where, table, ENTITY_KEYS, "an entity")
        if not word_texts(name):
            self.error(
                f, f.pos.table_place(where), f"entity name `{name}` has no letters or digits"
            )
        self.optional(f, where, table, "description", str, "")
        aliases = self.optional(f, where, table, "aliases", list, [])
        place = f.pos.key_place(where, "aliases", value=True)
        for alias in aliases:
            if not isinstance(alias, str):
                self.error(f, place, f"aliases are strings, not {describe(alias)}")
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
