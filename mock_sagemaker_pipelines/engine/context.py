"""``ExecutionContext``: how one execution resolves ``Get`` / ``Std:JsonGet`` expressions.

It is the :class:`~mock_sagemaker_pipelines.definition.EvaluationContext` the definition layer
evaluates against (spec section 10): parameters (typed values), ``Execution.*`` variables,
``Steps.<name>.<path>`` properties of steps that succeeded, property files, JSON in moto's S3,
and ``PipelineExperimentConfig.*``. Errors are ``ExpressionError`` with a ``ClientError:``
reason, which fail the step that evaluated them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..definition import ExpressionError, evaluate, resolve_path
from .property_files import read_json_from_s3

if TYPE_CHECKING:
    from .execution import Execution
    from .run import StepRun


def _suffix(path: list[str | int]) -> str:
    return "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in path)


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class ExecutionContext:
    """Resolves expressions for one execution (and, inside a step, for one step run)."""

    def __init__(self, execution: Execution, run: StepRun | None) -> None:
        self.execution = execution
        self.run = run

    def parameter(self, name: str) -> Any:
        """The execution's typed value of parameter ``name``."""
        if name not in self.execution.parameters:
            raise ExpressionError(f"ClientError: Parameter '{name}' is undefined.")
        return self.execution.parameters[name]

    def execution_variable(self, name: str) -> Any:
        """``Execution.<name>``: the values the service resolves at run time."""
        ex = self.execution
        values: dict[str, Any] = {
            "StartDateTime": ex.creation_time.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "CurrentDateTime": ex.simulation.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "PipelineName": ex.pipeline_name,
            "PipelineArn": ex.pipeline_arn,
            "PipelineExecutionId": ex.execution_id,
            "PipelineExecutionArn": ex.arn,
        }
        if name in ("TrainingJobName", "ProcessingJobName"):
            if self.run is None:
                raise ExpressionError(
                    f"ClientError: Execution.{name} is only valid inside a job step."
                )
            return self.run.state.get("job_name") or self.run.kind.job_name(self.run)
        if name not in values:
            raise ExpressionError(f"ClientError: Unknown execution variable Execution.{name}.")
        return values[name]

    def current_item(self, path: list[str | int]) -> Any:
        """``ForEach.CurrentItem`` of a ForEach child step: the item, or a member of the item
        read as a JSON object (``ForEach.CurrentItem.name``, ``['k']``, ``[0]``)."""
        run = self.run
        if run is None or run.parent is None or "index" not in run.state:
            raise ExpressionError(
                "ClientError: ForEach.CurrentItem is only valid inside a ForEach body step."
            )
        item = run.parent.state["items"][run.state["index"]]
        if not path:
            return item
        if isinstance(item, str):
            try:
                item = json.loads(item)
            except ValueError:
                raise ExpressionError(
                    f"ClientError: Failed to resolve ForEach.CurrentItem{_suffix(path)}: "
                    "the item is not a JSON object or array."
                ) from None
        try:
            return resolve_path(item, path)
        except ExpressionError:
            raise ExpressionError(
                f"ClientError: Failed to resolve ForEach.CurrentItem{_suffix(path)}"
            ) from None

    def _run_of(self, step: str) -> StepRun:
        run = self.execution.runs.get(step)
        if self.run is not None and self.run.parent is not None and "index" in self.run.state:
            sibling = self.run.parent.state["iterations"][self.run.state["index"]].get(step)
            run = sibling if sibling is not None else run
        if run is None:
            raise ExpressionError(f"ClientError: Step '{step}' does not exist in the pipeline.")
        if run.status != "Succeeded" and not (run.status == "Failed" and run.step.type == "Fail"):
            raise ExpressionError(
                f"ClientError: Step '{step}' has not succeeded; its properties are not available."
            )
        return run

    def step_property(self, step: str, path: list[str | int]) -> Any:
        """``Steps.<step>.<path>``: Outcome, OutputParameters['x'] or a job property."""
        run = self._run_of(step)
        if path == ["Outcome"] and "outcome" in run.state:
            return bool(run.state["outcome"])
        if path and path[0] == "OutputParameters":
            if len(path) != 2 or path[1] not in run.outputs:
                raise ExpressionError(
                    f"ClientError: Step '{step}' has no output parameter "
                    f"{path[1] if len(path) > 1 else ''!r}."
                )
            return run.outputs[str(path[1])]
        return run.kind.step_property(run, path)

    def property_file(self, step: str, name: str) -> Any:
        """The JSON of property file ``name`` of ``step``: scripted content, else the S3 object."""
        run = self._run_of(step)
        if name in run.property_files:
            return run.property_files[name]
        return run.kind.read_property_file(run, name)

    def read_s3_json(self, uri: str) -> Any:
        """Parse the JSON object at ``uri`` in moto's S3."""
        return read_json_from_s3(self.execution.account_id, uri)

    def experiment_value(self, name: str) -> Any:
        """``PipelineExperimentConfig.<name>``."""
        config = getattr(self.execution, "experiment_config", None) or {}
        defaults = {
            "ExperimentName": self.execution.pipeline_name,
            "TrialName": self.execution.execution_id,
        }
        return config.get(name, defaults.get(name, ""))


def resolve_experiment_config(execution: Execution) -> dict[str, str] | None:
    """The execution's ``PipelineExperimentConfig`` with its expressions resolved (spec section 10).

    TrialName may refer to ExperimentName (the SDK's ``PipelineExperimentConfigProperties``):
    the keys resolve in order, each value visible to the next. ``None`` when the definition has
    no such config.
    """
    config = execution.graph.experiment_config
    if not isinstance(config, dict):
        return None
    resolved: dict[str, str] = {}
    execution.experiment_config = resolved
    ctx = ExecutionContext(execution, None)
    for key in ("ExperimentName", "TrialName"):
        value = config.get(key)
        if value is None:
            continue
        if isinstance(value, dict) and "On" in value and "Values" in value:
            value = {"Std:Join": value}  # the DG's bare Join form (spec section 10)
        try:
            resolved[key] = _render(evaluate(value, ctx))
        except ExpressionError:
            continue
    return resolved
