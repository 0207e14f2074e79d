"""The ``graph`` command: a pipeline definition's step graph as Mermaid or Graphviz dot.

:func:`edges` lists the DAG as the engine schedules it (:class:`StepGraph` dependencies):

* ``branch`` edges from a Condition step to the steps of its ``IfSteps`` (label ``true``) and
  ``ElseSteps`` (label ``false``);
* ``depends`` edges for ``DependsOn`` entries, labelled with their run condition when it is not
  ``Completed`` (SDK 3.x ``StepDependency``: ``Failed``, ``Stopped``, ``Any``);
* ``data`` edges for ``Get Steps.<S>...`` references (drawn dashed).

:func:`to_mermaid` draws a ``flowchart TD`` (Condition steps as diamonds, Fail steps as red
stadiums with a ``Fail:`` prefix); :func:`to_dot` a ``digraph`` (Condition steps as diamonds,
Fail steps as red octagons). :func:`layers` gives every step its depth (longest path from a root),
which the HTML page uses to lay the graph out.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from ..definition import StepGraph, check_definition, parse_definition
from .common import EXIT_OK, _read_text, invalid_definition

BRANCH_LABELS = {"if": "true", "else": "false"}


@dataclass(frozen=True)
class Edge:
    """One edge of the DAG: ``source`` runs (or decides) before ``target``.

    ``kind`` is ``branch``, ``depends`` or ``data``; ``label`` is ``true``/``false`` for a branch,
    the run condition of a ``DependsOn`` entry that is not ``Completed``, else ``None``.
    """

    source: str
    target: str
    kind: str
    label: str | None = None


def edges(graph: StepGraph) -> list[Edge]:
    """Every edge, in definition order of the target, then of the source."""
    found: list[Edge] = []
    for step in graph.steps.values():
        upstream = sorted(
            (d for d in step.dependencies if d in graph.steps), key=lambda d: graph.steps[d].order
        )
        for name in upstream:
            if name == step.parent:
                label = BRANCH_LABELS.get(step.branch or "", step.branch)
                found.append(Edge(name, step.name, "branch", label))
            elif name in step.depends_on:
                trigger = step.trigger_of(name)
                found.append(
                    Edge(name, step.name, "depends", None if trigger == "Completed" else trigger)
                )
            else:
                found.append(Edge(name, step.name, "data"))
    return found


def layers(graph: StepGraph) -> dict[str, int]:
    """Step name -> depth: 0 for steps without upstream steps, else 1 + the deepest upstream."""
    depth: dict[str, int] = {}
    for name in graph.topological_order():
        upstream = [d for d in graph.steps[name].dependencies if d in depth]
        depth[name] = 1 + max(depth[d] for d in upstream) if upstream else 0
    return depth


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(graph: StepGraph) -> str:
    """The DAG as a Mermaid ``flowchart TD`` (node ids ``s0``, ``s1``, ... in definition order)."""
    ids = {name: f"s{i}" for i, name in enumerate(graph.steps)}
    lines = ["flowchart TD"]
    fails: list[str] = []
    for name, step in graph.steps.items():
        label = _mermaid_text(f"{name}<br/>{step.type}")
        if step.type == "Condition":
            lines.append(f'    {ids[name]}{{"{label}"}}')
        elif step.type == "Fail":
            lines.append(f'    {ids[name]}(["Fail: {label}"])')
            fails.append(ids[name])
        else:
            lines.append(f'    {ids[name]}["{label}"]')
    for edge in edges(graph):
        arrow = "-.->" if edge.kind == "data" else "-->"
        label = f"|{_mermaid_text(edge.label)}|" if edge.label else ""
        lines.append(f"    {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    if fails:
        lines.append("    classDef fail fill:#fde2e2,stroke:#c0392b,color:#7b1d1d")
        lines.append(f"    class {','.join(fails)} fail")
    return "\n".join(lines)


def _dot_text(text: str) -> str:
    return json.dumps(text)  # a double-quoted string with backslashes and quotes escaped


def to_dot(graph: StepGraph, name: str = "pipeline") -> str:
    """The DAG as a Graphviz ``digraph``."""
    lines = [f"digraph {_dot_text(name)} {{", "    rankdir=TB;", "    node [shape=box];"]
    for step_name, step in graph.steps.items():
        label = _dot_text(step_name + "\n" + step.type)  # an escaped newline: dot breaks the line
        attributes = [f"label={label}"]
        if step.type == "Condition":
            attributes.append("shape=diamond")
        elif step.type == "Fail":
            attributes += ["shape=octagon", "color=red", "style=filled", 'fillcolor="#fde2e2"']
        lines.append(f"    {_dot_text(step_name)} [{', '.join(attributes)}];")
    for edge in edges(graph):
        attributes = []
        if edge.label:
            attributes.append(f"label={_dot_text(edge.label)}")
        if edge.kind == "data":
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"    {_dot_text(edge.source)} -> {_dot_text(edge.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines)


def _cmd_graph(args: argparse.Namespace) -> int:
    text = _read_text(args.definition, "definition")
    problems = check_definition(text, lenient=args.lenient)
    if problems:
        raise invalid_definition(args.definition, problems)
    graph = parse_definition(text, lenient=args.lenient)
    print(to_mermaid(graph) if args.format == "mermaid" else to_dot(graph))
    return EXIT_OK
