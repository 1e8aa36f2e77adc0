"""The packages import downwards only (#16 must-hold 5): orchestration -> expectations -> sources, the product
never imports the development code (synthetic, benchmarks), and no module imports one that imports it back,
directly or through others, counting the imports inside functions too."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PRODUCT = ("sources", "orchestration", "expectations")
PACKAGES = (*PRODUCT, "synthetic", "benchmarks", "scripts")
# what each product package may import of the project's own packages (itself included)
MAY_IMPORT = {
    "sources": {"sources"},
    "expectations": {"expectations", "sources"},
    "orchestration": {"orchestration", "expectations", "sources"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            if {"gx", "vendor", "__pycache__"} & set(parts):
                continue
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[str]:
    """The project's modules that ``module`` imports, wherever the import statement is."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            if (target := _resolve(name)) and target != module:
                yield target
                break


GRAPH = {module: set(_imports(module, path)) for module, path in MODULES.items()}


def test_each_product_package_imports_only_what_is_below_it() -> None:
    wrong = sorted(f"{a} imports {b}" for a, targets in GRAPH.items() for b in targets
                   if a.split(".")[0] in MAY_IMPORT and b.split(".")[0] not in MAY_IMPORT[a.split(".")[0]])
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_one_that_imports_it_back() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                cycles.append(sorted([v, *component]))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, cycles


def test_the_product_wheel_holds_no_development_code() -> None:
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    assert sorted(include) == sorted(f"{p}*" for p in PRODUCT)
