"""The core's modules import only modules below them: no import cycles, lazy imports included.

The import graph is read from the source with :mod:`ast` (every ``import``, at module
level or inside a function; ``if TYPE_CHECKING:`` blocks excepted, since they never
run), so that a cycle hidden in a function-level import fails here as surely as one
at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"supplier_qual": ROOT / "supplier_qual", "supplier_qual.adapters": ROOT / "adapters"}
WEB = "supplier_qual.web"
"""The web service's blueprints register themselves with their package: checked apart, not here."""


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [package, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _known(name: str) -> str | None:
    """The project module ``name`` is, or lies in (``supplier_qual.api.assess`` → ``supplier_qual.api``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """The project modules ``module`` imports, anywhere in its code that can run."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule; importing a package's ``__init__`` first is
                # what Python does for every submodule, not an edge of its own.
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return {known for name in found if (known := _known(name)) is not None and known != module}


def _core(module: str) -> bool:
    return module != WEB and not module.startswith(WEB + ".")


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(cycles)


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return {module: {t for t in imports_of(module) if _core(t)} for module in MODULES if _core(module)}


def test_the_core_has_no_import_cycle(graph: dict[str, set[str]]) -> None:
    assert import_cycles(graph) == []


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("supplier_qual.schemas.policy", "supplier_qual.policy"),
        ("supplier_qual.schemas.tender", "supplier_qual.tender"),
        ("supplier_qual.schemas.questionnaire", "supplier_qual.policy"),
        ("supplier_qual.model.policy", "supplier_qual.schemas.policy"),
        ("supplier_qual.model.tender", "supplier_qual.schemas.tender"),
        ("supplier_qual.engine", "supplier_qual"),
        ("supplier_qual.plugins", "supplier_qual"),
        ("supplier_qual.uploads", "supplier_qual.api"),
    ],
)
def test_a_lower_module_does_not_import_a_higher_one(graph: dict[str, set[str]], lower: str, upper: str) -> None:
    assert upper not in graph[lower]


def test_the_package_root_imports_only_the_version_at_start_up(graph: dict[str, set[str]]) -> None:
    # Everything else is imported on first use (``supplier_qual.assess`` …), so that importing a
    # submodule (the command line) does not import the engine with it.
    assert graph["supplier_qual"] == {"supplier_qual._version"}


def test_the_checker_finds_a_cycle_hidden_in_a_function() -> None:
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_lazy_and_relative_imports_are_read() -> None:
    # A function-level relative import counts; one under TYPE_CHECKING does not.
    assert "supplier_qual.schemas.tender" in imports_of("supplier_qual.tender")
    assert "supplier_qual.schemas.policy" in imports_of("supplier_qual.policy")
    assert "supplier_qual.api" not in imports_of("supplier_qual")


def test_the_public_names_and_submodules_are_there_on_first_use() -> None:
    import importlib

    import supplier_qual

    for name in supplier_qual.__all__:
        assert getattr(supplier_qual, name) is not None
    assert supplier_qual.api is importlib.import_module("supplier_qual.api")
    assert "assess" in dir(supplier_qual)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = supplier_qual.nothing_here
