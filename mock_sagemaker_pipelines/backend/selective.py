"""The checks of a ``SelectiveExecutionConfig`` on StartPipelineExecution, and its plan.

Every refusal is a ValidationException and creates no execution. Sources (``docs/behaviour.md``,
"Selective execution"):

* botocore model: ``SelectedSteps`` 1..50 (checked from the model by ``validation/``);
  ``SourcePipelineExecutionArn``: "The ARN from a reference execution of the current
  pipeline ... The execution status of the pipeline can be either Failed or Success. This field
  is required if the steps you specify for SelectedSteps depend on output collaterals from any
  non-specified pipeline steps."; "All step(s) in all path(s) between two selected steps should
  be included.";
* sdk issue #4444: without a source, "Invalid SourcePipelineExecutionArn: null. The selected
  steps [<step>] have dependencies on [<step>, ...]";
* SDK 2.x/3.x ``SelectiveExecutionConfig`` docstring: the source "can be Stopped, Failed, or
  Succeeded".

The wording of the other messages is the mock's **[U]**; the lists are printed as the service
prints the one above (``[a, b]``, definition order).
"""

from __future__ import annotations

from typing import Any

from ..definition import StepGraph
from ..engine.execution import Execution
from ..engine.selective import SelectivePlan
from ..exceptions import ValidationException

#: Statuses a reference execution may have (the model's Failed/Succeeded, the SDK's Stopped;
#: CompletedWithFailures ended as well, accepted **[U]**).
SOURCE_STATUSES = ("Succeeded", "Failed", "Stopped", "CompletedWithFailures")


def _names(names: Any) -> str:
    return "[" + ", ".join(names) + "]"


def plan_selective_execution(
    config: dict[str, Any],
    graph: StepGraph,
    pipeline_arn: str,
    source: Execution | None,
) -> SelectivePlan:
    """Check ``config`` against the definition and the reference execution; the plan to run.

    ``source`` is the execution ``SourcePipelineExecutionArn`` names (looked up by the caller,
    which answers ResourceNotFound for an unknown one), or None when the request has none.
    """
    requested = [str(s.get("StepName")) for s in config.get("SelectedSteps") or []]
    unknown = [name for name in dict.fromkeys(requested) if name not in graph.steps]
    if unknown:
        raise ValidationException(
            f"Invalid SelectedSteps: the steps {_names(unknown)} do not exist in the pipeline "
            "definition."
        )
    order = {name: step.order for name, step in graph.steps.items()}
    selected = frozenset(requested)
    _check_paths(graph, selected, order)
    if source is not None:
        if source.pipeline_arn != pipeline_arn:
            raise ValidationException(
                f"Invalid SourcePipelineExecutionArn: {source.arn}. The source pipeline "
                f"execution must be an execution of pipeline {pipeline_arn}."
            )
        if source.status not in SOURCE_STATUSES:
            raise ValidationException(
                f"Invalid SourcePipelineExecutionArn: {source.arn}. The source pipeline "
                f"execution is {source.status}; it must be Succeeded, Failed or Stopped."
            )
    needing: list[str] = []
    needed: set[str] = set()
    for name in sorted(selected, key=order.__getitem__):
        upstream = {d for d in graph.steps[name].dependencies if d in graph.steps} - selected
        if source is not None:
            upstream = {
                d for d in upstream if d not in source.runs or source.runs[d].status != "Succeeded"
            }
        if upstream:
            needing.append(name)
            needed |= upstream
    if needing:
        dependencies = _names(sorted(needed, key=order.__getitem__))
        if source is None:
            raise ValidationException(
                f"Invalid SourcePipelineExecutionArn: null. The selected steps "
                f"{_names(needing)} have dependencies on {dependencies}"
            )
        raise ValidationException(
            f"Invalid SourcePipelineExecutionArn: {source.arn}. The selected steps "
            f"{_names(needing)} have dependencies on {dependencies}, which did not succeed in "
            "the source pipeline execution."
        )
    if source is not None:
        _check_branches(graph, selected, source, order)
    return SelectivePlan.make(graph, selected, source)


def _check_branches(
    graph: StepGraph, selected: frozenset[str], source: Execution, order: dict[str, int]
) -> None:
    """A selected branch step whose unselected Condition step comes from the source must be
    in the branch the source took; it could never start otherwise **[U: wording ours]**."""
    untaken = []
    for name in sorted(selected, key=order.__getitem__):
        step = graph.steps[name]
        if step.parent is None or step.parent in selected:
            continue
        outcome = source.runs[step.parent].state.get("outcome")
        if step.branch != ("if" if outcome else "else"):
            untaken.append(name)
    if untaken:
        raise ValidationException(
            f"Invalid SourcePipelineExecutionArn: {source.arn}. The selected steps "
            f"{_names(untaken)} are in a branch their Condition step did not take in the source "
            "pipeline execution."
        )


def _upstream(graph: StepGraph, name: str) -> set[str]:
    """Every step ``name`` transitively depends on."""
    seen: set[str] = set()
    todo = [d for d in graph.steps[name].dependencies if d in graph.steps]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(d for d in graph.steps[current].dependencies if d in graph.steps)
    return seen


def _check_paths(graph: StepGraph, selected: frozenset[str], order: dict[str, int]) -> None:
    """Every step on a path between two selected steps must be selected (botocore model)."""
    below = {name: graph.downstream(name) for name in selected}
    above = {name: _upstream(graph, name) for name in selected}
    missing: set[str] = set()
    for first in selected:
        for last in selected & below[first]:
            missing |= (below[first] & above[last]) - selected
    if missing:
        raise ValidationException(
            "Invalid SelectedSteps: all step(s) in all path(s) between two selected steps should "
            f"be included; missing {_names(sorted(missing, key=order.__getitem__))}."
        )
