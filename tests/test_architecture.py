"""The package's shape: data flows one way (docs/design.md §4), and no module imports itself back.

Every import counts, those inside functions too: an import deferred to a function still ties
the two modules together.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scorecard_xl"

# What each stage may import besides itself. Lower stages never reach up.
BASE = {"problems", "addressing"}
MAY_IMPORT = {
    "problems": {"addressing"},
    "addressing": set(),
    "read": BASE,
    "compute": BASE | {"read"},
    "pages": BASE | {"read", "compute"},
    "backends": BASE | {"read", "pages"},
    "update": BASE | {"read", "compute", "pages", "backends"},
    "send": BASE | {"read", "compute", "pages", "backends", "update"},
    "excel": BASE | {"read", "compute", "pages", "backends", "update", "send"},
}
TOP_LEVEL_MODULES = {"__init__", "cli", "problems", "addressing", "starter", "demo"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The scorecard_xl modules ``path`` imports, anywhere in it, as dotted names."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("scorecard_xl")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("scorecard_xl"):
                continue
            for alias in node.names:  # "from . import rules" imports the module scorecard_xl....rules
                candidate = f"{target}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists() else target)
    return {name for name in found if name != module}


@functools.cache  # the package does not change while the tests run: read it once, not once per stage
def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def stage(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def test_at_most_a_handful_of_modules_at_the_top():
    top = {path.stem for path in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL_MODULES, top - TOP_LEVEL_MODULES


@pytest.mark.parametrize("lower", sorted(MAY_IMPORT))
def test_each_stage_imports_only_the_stages_before_it(lower):
    wrong = []
    for module, targets in graph().items():
        if stage(module) != lower:
            continue
        for target in targets:
            if stage(target) not in MAY_IMPORT[lower] | {lower, "__init__"} or stage(target) == "__init__" and target != "scorecard_xl":
                wrong.append(f"{module} imports {target}")
            elif target == "scorecard_xl":
                wrong.append(f"{module} imports the package's top (its public face), not a stage")
    assert wrong == []


def test_no_import_circles_even_through_imports_inside_functions():
    edges = graph()
    circles, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if target not in edges:
                continue
            if state.get(target) == "open":
                circles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert circles == []
