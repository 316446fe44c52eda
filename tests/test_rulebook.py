"""Rule files -> RuleSet: loading, entities, and every error located at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from watcher.errors import Diagnostic, RuleError
from watcher.query import Document
from watcher.reloads import rule_files_signature
from watcher.rulebook import Rule, RuleSet, load_entities, load_rules

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(paths: list[Path], channels: list[str] | None = None) -> list[Diagnostic]:
    with pytest.raises(RuleError) as caught:
        load_rules(paths, channels)
    return caught.value.diagnostics


def where(diags: list[Diagnostic]) -> list[tuple[int, int]]:
    return [(d.line, d.col) for d in diags]


SEED_TITLE = "Pakistan and Iran Reaffirm Diplomatic Coordination in Call Between Foreign Ministers"
SEED_BODY = (
    "The call came in the context of a recent vote at the United Nations Human Rights "
    "Council (UNHRC) where Pakistan opposed a country-specific resolution related to Iran."
)


def test_shipped_examples_load_and_match_the_seed_story() -> None:
    rules = load_rules([REPO / "rules"], ["console"])
    assert "pk-ir-unhrc" in {r.name for r in rules.rules}
    matches = rules.match(Document(SEED_TITLE, SEED_BODY))
    assert [m.rule for m in matches] == ["pk-ir-unhrc"]
    assert matches[0].channels == ("console",)
    assert {"Pakistan", "Iran", "UNHRC"} <= set(matches[0].terms)


def test_trade_story_reaches_only_the_not_unhrc_rule() -> None:
    rules = load_rules([REPO / "rules"], ["console"])
    doc = Document("Iran-Pakistan trade grows", "Iranian exporters expect more border crossings.")
    assert [m.rule for m in rules.match(doc)] == ["pk-ir-not-unhrc"]


def test_rule_fields_defaults_and_positions(tmp_path: Path) -> None:
    path = write(tmp_path, "r.toml", '# c\n[[rule]]\nname = "a"\nquery = "x"\nchannels = ["c"]\n')
    (rule,) = load_rules([path]).rules
    assert rule == Rule("a", "x", ("c",), "", True, 0, str(path), 2)


def test_disabled_rules_are_kept_but_never_match(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["c"]\nenabled = false\n'
    rules = load_rules([write(tmp_path, "r.toml", text)])
    assert len(rules) == 1
    assert rules.match(Document("x", "")) == ()


def test_priority_orders_matches(tmp_path: Path) -> None:
    text = "".join(
        f'[[rule]]\nname = "{n}"\nquery = "x"\nchannels = ["c"]\npriority = {p}\n'
        for n, p in [("low", 0), ("high", 5), ("mid", 2)]
    )
    rules = load_rules([write(tmp_path, "r.toml", text)])
    assert [(m.rule, m.priority) for m in rules.match(Document("x", ""))] == [
        ("high", 5),
        ("mid", 2),
        ("low", 0),
    ]


def test_folder_reads_toml_files_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b.toml", '[[rule]]\nname = "b"\nquery = "x"\nchannels = ["c"]\n')
    write(tmp_path, "a.toml", '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["c"]\n')
    write(tmp_path, "notes.txt", "not a rule file")
    rules = load_rules([tmp_path])
    assert [r.name for r in rules.rules] == ["a", "b"]
    assert rules.files == (str(tmp_path / "a.toml"), str(tmp_path / "b.toml"))


def test_entities_in_any_file_apply_to_rules_in_every_file(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", '[[rule]]\nname = "a"\nquery = "Gabd"\nchannels = ["c"]\n')
    write(tmp_path, "b.toml", '[entity.Gabd]\naliases = ["Gabd-Rimdan"]\n')
    rules = load_rules([tmp_path])
    (match,) = rules.match(Document("Fighting near Gabd-Rimdan", ""))
    assert match.terms == ("Gabd",)  # the alias found is shown as the rule's own term


def test_builtin_countries_extend_replace_and_switch_off(tmp_path: Path) -> None:
    rule = '[[rule]]\nname = "ir"\nquery = "Iran"\nchannels = ["c"]\n'
    doc_demonym = Document("Iranian envoy arrives", "")
    doc_persia = Document("Persia at war", "")
    plain = load_rules([write(tmp_path, "p.toml", rule)])
    assert plain.match(doc_demonym) and not plain.match(doc_persia)

    extended = load_rules(
        [write(tmp_path, "e.toml", rule + '[entity.Iran]\naliases = ["Persia"]\n')]
    )
    assert extended.match(doc_demonym) and extended.match(doc_persia)

    replaced = rule + '[entity.iran]\naliases = ["Persia"]\nbuiltin = false\n'
    only_own = load_rules([write(tmp_path, "r.toml", replaced)])
    assert only_own.match(doc_persia) and not only_own.match(doc_demonym)

    off = load_rules([write(tmp_path, "o.toml", rule + "[entities]\nbuiltin = false\n")])
    assert not off.match(doc_demonym)
    assert off.match(Document("Iran", ""))
    assert "Iran" not in off.entities


def test_load_entities_includes_builtins_and_files(tmp_path: Path) -> None:
    path = write(tmp_path, "e.toml", '[entity.UNHRC]\naliases = ["UN Human Rights Council"]\n')
    entities = load_entities([path])
    assert entities["UNHRC"].aliases == ("UN Human Rights Council",)
    assert "Pakistani" in entities["Pakistan"].aliases


def test_compile_query_uses_the_sets_entities(tmp_path: Path) -> None:
    path = write(tmp_path, "e.toml", '[entity.UNHRC]\naliases = ["UN Human Rights Council"]\n')
    rules = load_rules([path])
    hit = rules.compile_query("UNHRC").match(Document("At the UN Human Rights Council", ""))
    assert hit.matched and hit.terms == ("UN Human Rights Council",)
    assert RuleSet.empty().match(Document("x", "")) == ()


# -- diagnostics --------------------------------------------------------------------------------


def test_query_error_points_into_the_file(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nquery = "Iran AND (Pakistan"\nchannels = ["c"]\n'
    (diag,) = errors([write(tmp_path, "r.toml", text)])
    assert (diag.file, diag.line, diag.col) == (str(tmp_path / "r.toml"), 3, 19)
    assert diag.source_line[diag.col - 1] == "("
    assert "never closed" in diag.message and "`a`" in diag.message
    assert str(diag).startswith(f"{tmp_path / 'r.toml'}:3:19: ")
    assert str(diag).splitlines()[2].strip() == "^"


def test_query_error_column_accounts_for_escapes_and_multiline_strings(tmp_path: Path) -> None:
    text = (
        '[[rule]]\nname = "a"\nquery = "\\"x y\\" AND"\nchannels = ["c"]\n'
        '[[rule]]\nname = "b"\nquery = """\nIran OR\n    Iraq AND oil"""\nchannels = ["c"]\n'
    )
    first, second = errors([write(tmp_path, "r.toml", text)])
    assert first.source_line[first.col - 1 : first.col + 2] == "AND"
    assert (second.line, second.source_line[second.col - 1 : second.col + 2]) == (9, "AND")
    assert "(Iran OR Iraq) AND oil" in second.message
    assert "Iran OR (Iraq AND oil)" in second.message


def test_every_error_in_every_file_is_listed(tmp_path: Path) -> None:
    a = write(
        tmp_path,
        "a.toml",
        '[[rule]]\nname = "one"\nquery = "x"\nchannels = ["console", "asia"]\ncolour = "red"\n'
        '\n[[rule]]\nname = "one"\nquery = "NOT y"\nchannels = []\npriority = "high"\n'
        '\n[[rule]]\nquery = "z"\nchannels = ["console"]\n',
    )
    b = write(tmp_path, "b.toml", '[[rule]]\nname = "x"\n\nname = 2\n')
    diags = errors([a, b, tmp_path / "missing.toml"], ["console"])
    messages = [(Path(d.file).name, d.line, d.col, d.message) for d in diags]
    assert messages == [
        ("a.toml", 4, 24, "unknown channel `asia`"),
        ("a.toml", 5, 1, "unknown key `colour` in a rule"),
        ("a.toml", 8, 8, "a rule named `one` already exists"),
        ("a.toml", 9, 10, "query of rule `one`: this query only excludes words, so it would "
         "match almost every item"),
        ("a.toml", 10, 12, "a rule needs at least one channel"),
        ("a.toml", 11, 12, "`priority` must be a whole number, not a string"),
        ("a.toml", 13, 1, "this rule has no `name`"),
        ("b.toml", 4, 9, "TOML syntax: Cannot overwrite a value"),
        ("missing.toml", 1, 1, "no such file or folder"),
    ]  # fmt: skip


def test_hints_suggest_close_names(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nquery = "x"\nchanels = ["c"]\n'
    diags = errors([write(tmp_path, "r.toml", text)], ["console"])
    assert [d.hint for d in diags if "chanels" in d.message] == ["did you mean `channels`?"]
    text = '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["consol"]\n'
    (diag,) = errors([write(tmp_path, "r.toml", text)], ["console", "slack"])
    assert diag.hint == "did you mean `console`?"
    text = '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["desk"]\n'
    (diag,) = errors([write(tmp_path, "r.toml", text)], ["console", "slack"])
    assert diag.hint == "configured channels: console, slack"
    (diag,) = errors([write(tmp_path, "r.toml", text)], [])
    assert (diag.message, diag.hint) == ("unknown channel `desk`", "no channels are configured")


def test_entity_errors(tmp_path: Path) -> None:
    text = (
        '[entity.UNHRC]\naliases = ["UN Human Rights Council", "Human*", 3]\nbuiltin = "no"\n'
        "colour = 1\n[entities]\nbuiltin = false\nextra = 1\n"
    )
    diags = errors([write(tmp_path, "r.toml", text)])
    assert [(d.line, d.col, d.message.split(":")[0]) for d in diags] == [
        (2, 11, "aliases are strings, not a number"),
        (2, 40, "aliases are matched as written"),
        (3, 11, "`builtin` must be true or false, not a string"),
        (4, 1, "unknown key `colour` in an entity"),
        (7, 1, "unknown key `extra` in [entities]"),
    ]


def test_toml_syntax_error_position(tmp_path: Path) -> None:
    (diag,) = errors([write(tmp_path, "r.toml", '[[rule]]\nname = "a\nquery = "x"\n')])
    assert diag.line == 2 and diag.message.startswith("TOML syntax:")


def test_one_bad_file_rejects_the_whole_set(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["c"]\n')
    write(tmp_path, "bad.toml", '[[rule]]\nname = "b"\nquery = "x AND"\nchannels = ["c"]\n')
    diags = errors([tmp_path])
    assert [Path(d.file).name for d in diags] == ["bad.toml"]


def test_doubtful_queries_load_with_located_warnings(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nquery = "iran and pakistan"\nchannels = ["c"]\n'
    rules = load_rules([write(tmp_path, "r.toml", text)])
    (warning,) = rules.warnings
    assert (warning.line, warning.col) == (3, 15)
    assert warning.message == (
        "query of rule `a`: `and` is looked for as a word; the operator is written AND"
    )
    assert warning.hint == 'write AND for the operator, or "and" to mean the word'
    assert rules.match(Document("Iran and Pakistan", ""))
    quoted = '[[rule]]\nname = "a"\nquery = \'iran "and" pakistan\'\nchannels = ["c"]\n'
    assert load_rules([write(tmp_path, "q.toml", quoted)]).warnings == ()


def test_editor_files_in_a_rules_folder_are_ignored(tmp_path: Path) -> None:
    good = '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["c"]\n'
    write(tmp_path, "desk.toml", good)
    # Emacs' lock file is a dangling symlink while a buffer is unsaved; its backup ends in ~;
    # vim's swap file; any other hidden file (a half-written save, say).
    (tmp_path / ".#desk.toml").symlink_to("alice@host.1234:1700000000")
    write(tmp_path, "desk.toml~", "[[rule]\nbroken")
    write(tmp_path, ".desk.toml.swp", "\x00binary")
    write(tmp_path, ".draft.toml", "[[rule]\nbroken")
    rules = load_rules([tmp_path], ["c"])
    assert [r.name for r in rules.rules] == ["a"] and len(rules.files) == 1
    assert [Path(name).name for name, _, _ in rule_files_signature([tmp_path])] == ["desk.toml"]


def test_rule_file_nested_too_deeply_is_a_located_error(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nquery = "x"\nchannels = ' + "[" * 100_000 + "\n"
    (diag,) = errors([write(tmp_path, "deep.toml", text)])
    assert diag.message.startswith("TOML syntax: values nested more than 100 levels deep")
    assert (diag.line, diag.col) == (4, 12 + 100)


def test_rule_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    text = '[[rule]]\nname = "a"\nquery = "x"\nchannels = ["c"]\n# ' + "x" * 1024 * 1024
    (diag,) = errors([write(tmp_path, "big.toml", text)])
    assert (diag.line, diag.col) == (1, 1) and diag.message == "larger than 1 MB: not read"
