"""The pictures in first docstrings stay true: errors.py's tree is the class tree, model.py's
stage drawing names real types, store/__init__.py's layout note lists every store module, and
README's module map names every top-level module (issue 14: each had drifted)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from watcher import errors, model

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "watcher"


def drawn_tree(doc: str) -> dict[str, str | None]:
    """Each class name drawn in a box-drawing tree -> the name drawn above it."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        found = re.match(r"^([\s│]*(?:[├└]── )?)(\w+Error)\b", line)
        if found is None:
            continue
        depth, name = len(found.group(1)), found.group(2)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[name] = stack[-1][1] if stack else None
        stack.append((depth, name))
    return parents


def test_the_error_tree_drawn_is_the_class_tree() -> None:
    drawn = drawn_tree(errors.__doc__ or "")
    real = {
        name: cls
        for name, cls in vars(errors).items()
        if inspect.isclass(cls) and issubclass(cls, Exception) and cls.__module__ == errors.__name__
    }
    assert set(drawn) == set(real)
    for name, parent in drawn.items():
        base = real[name].__bases__[0].__name__
        assert parent in (None, base), f"{name} is drawn under {parent} but subclasses {base}"
    assert drawn["QuerySyntaxError"] == "WatcherError"


def test_model_drawing_names_only_types_that_exist() -> None:
    picture = (model.__doc__ or "").split("The stages:", 1)[1]
    names = set(re.findall(r"\b([A-Z][a-z]+(?:[A-Z][a-z]+)+|[A-Z][a-z]{2,})\b", picture))
    assert names, "the drawing is gone"
    assert {n for n in names if not hasattr(model, n)} == set()


def test_store_layout_note_lists_every_store_module() -> None:
    note = (PACKAGE / "store" / "__init__.py").read_text(encoding="utf-8").split('"""')[1]
    listed = set(re.findall(r"\b(\w+)\.py\b", note))
    modules = {p.stem for p in (PACKAGE / "store").glob("*.py") if p.stem != "__init__"}
    assert listed == modules


def test_readme_module_map_names_every_top_level_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## How it works", 1)[1].split("```", 2)[1]
    mapped = set(re.findall(r"^\s*([\w/]+?)(?:\.py|/)\s", block, flags=re.M))
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert modules | packages <= mapped, sorted((modules | packages) - mapped)
