"""docs/rules.md cannot drift: every example in it parses and behaves as it says.

The doc's fenced blocks are read as data: ```query blocks (a query, then `matches:`,
`no match:`, `words:` and `error at column N:` lines), ```toml blocks (each must load), and a
```toml invalid block followed by the ```console output `watcher check` prints for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from watcher.errors import QuerySyntaxError, RuleError
from watcher.query import Document, compile_query
from watcher.rulebook import load_entities, load_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
_BLOCK = re.compile(r"^```([^\n]*)\n(.*?)^```", re.M | re.S)
_LINE = re.compile(r"(matches|no match)(?: \((title|summary|source|url|\d+ sources?)\))?: (.*)")
_SOURCES = re.compile(r"(\d+) sources?")
_ERROR = re.compile(r"error at column (\d+): (.*)")


@dataclass
class Example:
    query: str
    checks: list[tuple[bool, str, str]] = field(default_factory=list)  # match?, field, text
    words: dict[int, list[str]] = field(default_factory=dict)  # check index -> words
    error: tuple[int, str] | None = None


def blocks(kind: str) -> list[str]:
    return [body for info, body in _BLOCK.findall(DOC.read_text("utf-8")) if info == kind]


def examples() -> list[Example]:
    out = []
    for body in blocks("query"):
        query, *lines = body.rstrip("\n").split("\n")
        example = Example(query)
        for line in lines:
            if line.startswith("  ") and example.checks:  # a text that goes on over lines
                wanted, name, text = example.checks[-1]
                example.checks[-1] = (wanted, name, text + "\n" + line)
            elif m := _LINE.fullmatch(line):
                example.checks.append((m.group(1) == "matches", m.group(2) or "title", m.group(3)))
            elif line.startswith("words: "):
                example.words[len(example.checks) - 1] = line[len("words: ") :].split(", ")
            elif m := _ERROR.fullmatch(line):
                example.error = (int(m.group(1)), m.group(2))
            else:
                raise AssertionError(f"unreadable line in the {query!r} example: {line!r}")
        assert example.checks or example.error, f"the {query!r} example checks nothing"
        out.append(example)
    return out


def test_the_doc_has_examples_of_every_feature() -> None:
    text = " ".join(e.query for e in examples())
    for feature in ['"', "*", " AND ", " OR ", "NOT ", "NEAR/", "NEAR ", "title:", "summary:",
                    "source:", "url:", "=", "UNHRC", "-", "'", "sources>="]:  # fmt: skip
        assert feature in text, feature
    assert sum(e.error is not None for e in examples()) >= 10


def _entity_files(tmp_path: Path) -> list[Path]:
    """The doc's toml blocks that define entities without changing the built-ins."""
    paths = []
    for k, body in enumerate(blocks("toml")):
        if "[entity." in body and "builtin" not in body:
            paths.append(tmp_path / f"entities{k}.toml")
            paths[-1].write_text(body, encoding="utf-8")
    return paths


@pytest.mark.parametrize("example", examples(), ids=lambda e: e.query)
def test_query_example(example: Example, tmp_path: Path) -> None:
    entities = load_entities(_entity_files(tmp_path))
    if example.error is not None:
        col, message = example.error
        with pytest.raises(QuerySyntaxError) as caught:
            compile_query(example.query, entities)
        assert caught.value.pos + 1 == col
        assert caught.value.message.startswith(message)
        return
    compiled = compile_query(example.query, entities)
    for k, (wanted, name, text) in enumerate(example.checks):
        story = _SOURCES.fullmatch(name)
        if story:  # "matches (3 sources): text": the title of a report of a 3-feed story
            doc = Document(title=text, summary="", sources=int(story.group(1)))
        else:
            doc = Document(**{"title": "", "summary": "", name: text})
        hit = compiled.match(doc)
        assert hit.matched is wanted, f"{example.query!r} on {text!r}"
        if k in example.words:
            assert list(hit.terms) == example.words[k]


@pytest.mark.parametrize("body", blocks("toml"))
def test_toml_examples_load(body: str, tmp_path: Path) -> None:
    path = tmp_path / "example.toml"
    path.write_text(body, encoding="utf-8")
    load_rules([path], ["console"])


def test_builtin_country_switches_do_what_their_comments_say(tmp_path: Path) -> None:
    def entities_of(comment: str) -> dict[str, tuple[str, ...]]:
        (body,) = [b for b in blocks("toml") if b.startswith(comment)]
        path = tmp_path / "switch.toml"
        path.write_text(body, encoding="utf-8")
        return {name: e.aliases for name, e in load_entities([path]).items()}

    added = entities_of("# add aliases")
    assert "Persia" in added["Iran"] and "Iranian" in added["Iran"]
    assert entities_of("# replace a built-in")["Georgia"] == ("Sakartvelo",)
    assert "Iran" not in entities_of("# no built-in countries")


def test_check_output_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (invalid,) = blocks("toml invalid")
    (console,) = blocks("console")
    command, *expected = console.rstrip("\n").split("\n")
    assert command == "$ watcher check"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(invalid, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuleError) as caught:
        load_rules([Path("rules/desk.toml")], ["console"])
    diagnostics = caught.value.diagnostics
    assert expected[-1] == f"{len(diagnostics)} error(s)"  # the count `watcher check` ends with
    assert str(caught.value).split("\n") == expected[:-1]
