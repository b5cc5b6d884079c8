"""Architecture that is proved, not hoped for: headless modules never load Textual, no module
imports itself through a circle, and no module grows past 400 lines."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent

HEADLESS = ["quizapp.deck.load", "quizapp.srs.sm2", "quizapp.srs.queue", "quizapp.srs.days",
            "quizapp.quiz.questions", "quizapp.quiz.matching", "quizapp.cli",
            "quizapp.session.quiz", "quizapp.plain"]
PURE = ["quizapp.deck.load", "quizapp.srs.sm2", "quizapp.srs.queue", "quizapp.srs.days",
        "quizapp.quiz.questions", "quizapp.quiz.matching"]


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module: str) -> None:
    assert "textual" not in loaded_after_import(module)


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_sqlalchemy(module: str) -> None:
    assert "sqlalchemy" not in loaded_after_import(module)


# -- import circles and module size ---------------------------------------------------------------
def import_circles(package: str) -> list[list[str]]:
    """Every group of modules that import one another in a circle (strongly connected components
    of more than one module, or a module importing itself), found with grimp, which also sees
    imports inside functions and under `if TYPE_CHECKING:`."""
    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph.find_modules_directly_imported_by(module):
                circles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return circles


def test_the_circle_finder_sees_function_level_imports(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A deliberate circle, hidden the way `quiz.drills` ↔ `quiz.questions` once was: one side
    imports at module level, the other inside a function."""
    name = f"circle_{uuid.uuid4().hex[:8]}"
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text(f"from {name} import second\n\nVALUE = second.VALUE\n")
    (package / "second.py").write_text(
        f"VALUE = 1\n\n\ndef later() -> object:\n    from {name} import first\n\n    return first\n")
    (package / "alone.py").write_text(f"from {name} import first\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_circles(name) == [[f"{name}.first", f"{name}.second"]]


def test_the_package_has_no_import_circles() -> None:
    assert import_circles("quizapp") == []


MAX_MODULE_LINES = 400


def test_no_module_is_longer_than_400_lines() -> None:
    """Small modules with one concern each: split a module before it reaches this size."""
    long = {str(path.relative_to(ROOT)): n for path in sorted((ROOT / "quizapp").rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}
