"""No import cycles in watcher/: every import counts, inside functions and under TYPE_CHECKING
too (a module that names its caller's type depends on it, STYLE.md principle 14)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "watcher"


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The watcher modules `module` imports anywhere in its text (a name imported from a
    package counts as its submodule when there is one)."""

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(resolve(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.update(resolve(f"{base}.{a.name}") or resolve(base) for a in node.names)
    return {name for name in found if name is not None and name != module}


def import_graph() -> dict[str, set[str]]:
    known = module_names()
    return {module: imported(module, path, known) for module, path in known.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def test_watcher_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "watcher.pipeline" in graph and "watcher.store" in graph["watcher.pipeline"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    """A cycle made only of a function-level import and a TYPE_CHECKING one is still found."""
    root = tmp_path / "watcher"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("")
    (root / "a.py").write_text("def f():\n    from watcher.sub import b\n")
    (root / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import f\n"
    )
    known = {
        "watcher": root / "__init__.py",
        "watcher.sub": root / "sub" / "__init__.py",
        "watcher.a": root / "a.py",
        "watcher.sub.b": root / "sub" / "b.py",
    }
    graph = {m: imported(m, p, known) for m, p in known.items()}
    assert graph["watcher.a"] == {"watcher.sub.b"}
    assert graph["watcher.sub.b"] == {"watcher.a"}
    assert find_cycle(graph) == ["watcher.a", "watcher.sub.b", "watcher.a"]
