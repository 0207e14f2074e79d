"""Structural checks of a definition's steps (``shared/spec/sagemaker-pipelines-semantics.md``,
cited as "spec §N"):

* :func:`walk_steps` -- the depth-first walk of ``Steps`` and the Condition ``IfSteps`` /
  ``ElseSteps`` branches: step ``Name`` and ``Type``, names unique across the whole definition
  (spec §2, §10; DG troubleshooting);
* :func:`check_cross_references` -- ``DependsOn`` and ``Get Steps.<S>`` name existing steps that
  are not Fail steps, and ``Std:JsonGet`` property files that step declares (spec §1, §9.3);
* :func:`check_cycles` -- no cycle over ``DependsOn``, data references and branch membership
  (spec §10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import StepDef
from .problems import Problems, json_type, show_json
from .references import StepRef

__all__ = ["RawStep", "check_cross_references", "check_cycles", "walk_steps"]

_STEP_NAME_RE = re.compile(r"[A-Za-z0-9\-_]{1,64}")  # API StepName / schema StepName, spec §2


@dataclass
class RawStep:
    """A step object found while walking ``Steps`` and the Condition branches."""

    obj: dict[str, Any]
    name: str
    label: str
    parent: str | None
    branch: str | None
    order: int
    if_names: list[str] = field(default_factory=list)
    else_names: list[str] = field(default_factory=list)


def walk_steps(
    problems: Problems, top: list[Any], where: str = "Steps"
) -> tuple[dict[str, RawStep], list[str]]:
    """Depth-first walk of ``Steps`` and the Condition branches (a Condition's ``IfSteps``
    then ``ElseSteps`` right after it). Checks ``Name``/``Type`` and that each name occurs
    once in the whole definition (DG troubleshooting: "You can only include steps in a
    pipeline definition once ... steps cannot exist as part of a condition step and a
    pipeline in the same pipeline"). ``where`` names the list in messages (a ForEach
    step's body is walked as ``Step 'F'.Arguments.ForEachBody``)."""
    found: dict[str, RawStep] = {}
    top_level: list[str] = []
    # stack of (iterator over (label, obj)), parent raw step, branch)
    stack: list[tuple[Any, RawStep | None, str | None]] = [
        (iter([(f"{where}[{i}]", s) for i, s in enumerate(top)]), None, None)
    ]
    order = 0
    while stack:
        iterator, parent, branch = stack[-1]
        item = next(iterator, None)
        if item is None:
            stack.pop()
            continue
        label, obj = item
        if not isinstance(obj, dict):
            problems.add(f"Step at {label} must be an object, not {json_type(obj)}.")
            continue
        name = obj.get("Name")
        if not isinstance(name, str):
            problems.add(f"Step at {label} is missing required property 'Name'.")
            continue
        bad_name = not _STEP_NAME_RE.fullmatch(name)
        if bad_name:
            problems.add(
                f"Step name {show_json(name)} at {label} is invalid: it must match "
                r"^[A-Za-z0-9\-_]{1,64}$."
            )
        stype = obj.get("Type")
        if not isinstance(stype, str) or not stype:
            problems.add(f"Step '{name}' is missing required property 'Type'.")
        if name in found:
            problems.add(
                f"Step '{name}' is included in the pipeline definition more than once. You "
                "can only include steps in a pipeline definition once: steps cannot exist as "
                "part of a condition step and a pipeline in the same pipeline."
            )
            continue
        raw = RawStep(
            obj=obj,
            name=name,
            label=label,
            parent=parent.name if parent else None,
            branch=branch,
            order=order,
        )
        order += 1
        found[name] = raw
        if parent is None:
            top_level.append(name)
        elif branch == "if":
            parent.if_names.append(name)
        else:
            parent.else_names.append(name)
        if stype == "Condition":
            args = obj.get("Arguments")
            if isinstance(args, dict):
                branches: list[tuple[str, str, Any]] = []
                for key, br in (("IfSteps", "if"), ("ElseSteps", "else")):
                    value = args.get(key)
                    if value is None:
                        continue
                    if not isinstance(value, list):
                        problems.add(f"Step '{name}': Arguments.{key} must be an array of steps.")
                        continue
                    branches.append((key, br, value))
                # push ElseSteps first so IfSteps are walked first
                for key, br, value in reversed(branches):
                    entries = [(f"{name}.{key}[{i}]", s) for i, s in enumerate(value)]
                    stack.append((iter(entries), raw, br))
    return found, top_level


def check_cross_references(
    problems: Problems, steps: dict[str, StepDef], step_refs: list[StepRef]
) -> None:
    """``DependsOn`` names existing steps and never a Fail step (real service text
    ``<Step> can not depends on <FailStep>``, spec §1 [OBS]); ``Get Steps.<S>`` names an
    existing step that is not a Fail step (DG: a Fail step "can't be referenced by other
    steps", spec §9.3) and, through ``Std:JsonGet``, a property file that step declares."""
    for name, step in steps.items():
        for dep in step.depends_on:
            target = steps.get(dep)
            if target is None:
                problems.add(
                    f"Step '{name}' depends on step '{dep}' which does not exist in the "
                    "pipeline definition."
                )
            elif target.type == "Fail" or (
                target.type == "Condition" and step.trigger_of(dep) == "Completed"
            ):
                # The service's text for a Fail step (spec §1 [OBS]); the same rule for a
                # plain name of a Condition step (sdk issue #3565: "A condition step cannot
                # be added as an explicit dependency in a subsequent step"). A run condition
                # on a Condition step ({"Step": C, "Trigger": "Failed"|"Stopped"|"Any"}) is
                # accepted: SDK 3.x StepDependency wraps any upstream step and its compiler
                # emits such entries for Condition steps (docs/behaviour.md, "ForEach").
                problems.add(f"{name} can not depends on {dep}")
    for ref in step_refs:
        target = steps.get(ref.step)
        if target is None:
            problems.add(
                f"{ref.owner} references step '{ref.step}' which does not exist in the "
                "pipeline definition."
            )
        elif target.type == "Fail":
            problems.add(
                f"{ref.owner} can not reference Fail step '{ref.step}': a Fail step's "
                "properties can not be used by other steps."
            )
        elif ref.property_file is not None and target.property_file(ref.property_file) is None:
            problems.add(
                f"{ref.owner} references property file '{ref.property_file}' which step "
                f"'{ref.step}' does not declare in its PropertyFiles."
            )


def check_cycles(problems: Problems, steps: dict[str, StepDef]) -> None:
    """No cycle over DependsOn + data references + branch membership (DG "custom
    dependency": a cycle raises a validation exception, spec §10). Tarjan's algorithm,
    iterative, O(V+E); one problem per strongly connected component."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    comp_stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    edges = {
        n: sorted((d for d in s.dependencies if d in steps), key=lambda d: steps[d].order)
        for n, s in steps.items()
    }
    for start in steps:
        if start in index_of:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, pos = work[-1]
            if pos == 0:
                index_of[node] = low[node] = counter
                counter += 1
                comp_stack.append(node)
                on_stack.add(node)
            nbrs = edges[node]
            if pos < len(nbrs):
                work[-1] = (node, pos + 1)
                nxt = nbrs[pos]
                if nxt not in index_of:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index_of[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                comp: list[str] = []
                while True:
                    member = comp_stack.pop()
                    on_stack.discard(member)
                    comp.append(member)
                    if member == node:
                        break
                if len(comp) > 1 or node in steps[node].dependencies:
                    components.append(comp)
    components.sort(key=lambda c: min(steps[m].order for m in c))
    for comp in components:
        names = sorted(comp, key=lambda m: steps[m].order)
        problems.add(f"Cyclic dependency detected between steps: {', '.join(names)}")
