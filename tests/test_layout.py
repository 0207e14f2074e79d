"""The package's shape: imports run one way, no module is a room for everything.

Layers, top to bottom: fronts (``mock``, ``controller``, ``patches``, ``scenario``, ``cli``,
``server``) -> ``responses`` -> ``backend`` -> ``engine`` -> ``engine.steps`` -> ``definition``;
``_moto`` (the only place that touches moto internals) imports nothing of ours above it.
Imports inside ``if TYPE_CHECKING:`` do not count; imports inside functions do.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from mock_sagemaker_pipelines.backend import PipelinesBackend
from mock_sagemaker_pipelines.responses import OWNED_ACTIONS

PACKAGE = Path(__file__).resolve().parent.parent / "mock_sagemaker_pipelines"
NAME = "mock_sagemaker_pipelines"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(sub) for sub in ast.walk(node))
    return skipped


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package modules ``path`` imports (longest known prefix of each imported name)."""
    tree = ast.parse(path.read_text())
    skipped = _type_checking_nodes(tree)
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            stem = ".".join([*base, *([node.module] if node.module else [])])
            names = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != NAME:
                found.add(".".join(parts))
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    graph = {m: _imports(p, modules) for m, p in paths.items()}
    return {
        m: {d for d in deps if d != m and not m.startswith(d + ".")} for m, deps in graph.items()
    }


def _inside(module: str, layer: str) -> bool:
    return module == f"{NAME}.{layer}" or module.startswith(f"{NAME}.{layer}.")


def test_no_module_is_over_500_lines() -> None:
    long = {
        _module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := p.read_text().count("\n")) > MAX_LINES
    }
    assert long == {}


def test_the_package_has_no_import_cycle() -> None:
    graph = _graph()
    cycles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for dep in graph[node]:
                if dep == start:
                    cycles.append(path)
                elif dep not in seen:
                    seen.add(dep)
                    stack.append((dep, [*path, dep]))
    assert cycles == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("engine", ("backend", "responses", "mock", "controller", "server", "cli")),
        ("definition", ("engine", "backend", "responses", "_moto", "validation")),
        ("_moto", ("engine", "backend", "responses", "definition", "mock", "validation")),
        ("backend", ("responses", "mock", "controller", "server", "cli")),
        ("validation", ("engine", "backend", "responses", "definition", "mock", "_moto")),
        ("responses", ("mock", "controller", "server", "cli", "scenario", "patches")),
    ],
)
def test_imports_run_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = sorted(
        (module, dep)
        for module, deps in _graph().items()
        if _inside(module, layer)
        for dep in deps
        if any(_inside(dep, f) for f in forbidden)
    )
    assert wrong == []


def test_every_owned_action_is_a_backend_method_fed_from_the_model() -> None:
    """The generic route passes each input member as the snake_case keyword of the same name:
    every parameter of the backend method must be one of the operation's members."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    unfed = {}
    for operation in OWNED_ACTIONS:
        members = {xform_name(m) for m in model.operation_model(operation).input_shape.members}
        method = getattr(PipelinesBackend, xform_name(operation))
        params = set(inspect.signature(method).parameters) - {"self"}
        if params - members:
            unfed[operation] = sorted(params - members)
    assert unfed == {}
