"""One pipeline execution: its state machine, its steps and their scheduling on simulated time.

Behaviour follows ``shared/spec/sagemaker-pipelines-semantics.md``:

* section 9.1: a step starts when every step it depends on (``DependsOn`` and data references)
  has succeeded, in definition order, at most ``MaxParallelExecutionSteps`` at a time; steps go
  ``Starting`` -> ``Executing`` -> ``Succeeded``/``Failed``; a failure lets running steps finish,
  starts nothing new, and fails the execution with "Step failure: One or multiple steps failed.";
* section 9.2/9.3: Condition and Fail steps; the branch not taken never runs;
* section 9.4: retry policies on job steps;
* section 8 (StopPipelineExecution): running job steps go ``Stopping`` -> ``Stopped``, steps not
  started never start; a running Callback step holds the execution in ``Stopping`` until it is
  answered (section 6); a running Lambda step runs to its end (``Stopped``) or to its timeout
  (``Failed``) (section 7).

The step kinds themselves live in :mod:`mock_sagemaker_pipelines.engine.steps`.
"""

from __future__ import annotations

import heapq
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..definition import StepDef, StepGraph
from ..definition.expressions import ExpressionError, evaluate, resolve_path
from .clock import Event
from .simulation import Simulation

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ..backend import PipelinesBackend
    from .steps import StepKind

EXECUTION_FAILURE_REASON = "Step failure: One or multiple steps failed."

ACTIVE_STEP_STATUSES = frozenset({"Starting", "Executing", "Stopping"})
TERMINAL_EXECUTION_STATUSES = frozenset({"Succeeded", "Failed", "Stopped"})


class StepRun:
    """The state of one step in one execution (a ``PipelineExecutionStep`` once started).

    Times are UTC datetimes from the simulated clock; ``attempt`` is the 1-based AttemptCount.
    """

    def __init__(self, execution: Execution, step: StepDef, kind: StepKind) -> None:
        self.execution = execution
        self.step = step
        self.kind = kind
        self.status: str | None = None
        self.start_time: datetime | None = None
        self.end_time: datetime | None = None
        self.attempt = 0
        self.started_seq = -1
        self.failure_reason: str | None = None
        self.metadata: dict[str, Any] = {}
        self.properties: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}
        self.property_files: dict[str, Any] = {}
        self.arguments: Any = None
        self.event: Event | None = None
        self.state: dict[str, Any] = {}  # kind-specific scratch (job refs, tokens, results)
        self.previous_attempts = 0  # attempts made before a RetryPipelineExecution

    @property
    def name(self) -> str:
        """The step's Name."""
        return self.step.name

    @property
    def active(self) -> bool:
        """Started and not yet terminal."""
        return self.status in ACTIVE_STEP_STATUSES

    def schedule(self, delay: float, action: Any, label: str = "") -> Event:
        """Schedule ``action`` for this step, replacing any pending event of the step."""
        self.cancel_event()
        self.event = self.execution.simulation.scheduler.schedule(
            delay,
            lambda: self.guarded(action),
            label or f"{self.execution.execution_id}:{self.name}",
        )
        return self.event

    def guarded(self, action: Any) -> None:
        """Run a step action; an unexpected error fails the step instead of escaping.

        An expression error is the step's own failure (a ClientError); anything else (a
        definition that recurses too deep, a bug) fails the step with an ``InternalFailure``
        reason, so that no execution is left waiting on an event that died.
        """
        try:
            action()
        except ExpressionError as exc:
            self.execution.fail_step(self, str(exc))
        except Exception as exc:
            logger.debug(
                "step %s of %s failed unexpectedly", self.name, self.execution.arn, exc_info=True
            )
            self.execution.fail_step(self, f"InternalFailure: {type(exc).__name__}: {exc}")

    def cancel_event(self) -> None:
        """Drop the step's pending event, if any."""
        if self.event is not None:
            self.event.cancel()
            self.event = None

    def to_api(self) -> dict[str, Any]:
        """The ``PipelineExecutionStep`` shape of ListPipelineExecutionSteps."""
        item: dict[str, Any] = {
            "StepName": self.step.name,
            "StepStatus": self.status,
            "StartTime": self.start_time,
            "AttemptCount": self.attempt,
            "Metadata": self.metadata,
        }
        if self.step.display_name:
            item["StepDisplayName"] = self.step.display_name
        if self.step.description:
            item["StepDescription"] = self.step.description
        if self.end_time is not None:
            item["EndTime"] = self.end_time
        if self.failure_reason and self.status == "Failed":
            item["FailureReason"] = self.failure_reason
        return item


class Execution:
    """A pipeline execution (``PipelineExecution``) and the engine that runs its steps."""

    def __init__(
        self,
        backend: PipelinesBackend,
        simulation: Simulation,
        *,
        arn: str,
        pipeline_arn: str,
        pipeline_name: str,
        version_id: int,
        graph: StepGraph,
        definition: str,
        definition_time: datetime,
        parameters: dict[str, Any],
        parameter_list: list[dict[str, str]],
        display_name: str,
        description: str | None,
        parallelism: int | None,
        role_arn: str | None,
        selective_execution_config: dict[str, Any] | None = None,
        mlflow_experiment_name: str | None = None,
    ) -> None:
        from .steps import kind_for

        self.backend = backend
        self.simulation = simulation
        self.arn = arn
        self.execution_id = arn.rsplit("/", 1)[-1]
        self.pipeline_arn = pipeline_arn
        self.pipeline_name = pipeline_name
        self.version_id = version_id
        self.graph = graph
        self.definition = definition
        self.definition_time = definition_time
        self.parameters = parameters
        self.parameter_list = parameter_list
        self.display_name = display_name
        self.description = description
        self.parallelism = parallelism
        self.role_arn = role_arn
        self.selective_execution_config = selective_execution_config
        self.mlflow_experiment_name = mlflow_experiment_name
        now = simulation.clock.now()
        self.creation_time = now
        self.last_modified_time = now
        self.status = "Executing"
        self.failure_reason: str | None = None
        self.stop_requested = False
        self.stop_failed = False  # a Lambda step hit its timeout while stopping
        self.failing = False
        self.alive = True
        self.tags: list[dict[str, str]] = []
        self.runs: dict[str, StepRun] = {
            name: StepRun(self, step, kind_for(step.type)) for name, step in graph.steps.items()
        }
        self._started: list[StepRun] = []
        self._pending_deps: dict[str, int] = {}
        self._dependants: dict[str, list[str]] = {name: [] for name in graph.steps}
        self._ready: list[tuple[int, str]] = []
        self._active = 0
        self._start_event: Event | None = None
        for name, step in graph.steps.items():
            deps = [d for d in step.dependencies if d in graph.steps]
            self._pending_deps[name] = len(deps)
            for dep in deps:
                self._dependants[dep].append(name)
            if not deps:
                heapq.heappush(self._ready, (step.order, name))
        self.experiment_config = self._resolve_experiment_config()

    # ------------------------------------------------------------------ public
    def begin(self) -> None:
        """Start the steps that depend on nothing (called once, after the start response)."""
        self.backend.emit_execution_event(self, None)
        self._start_ready()
        self._maybe_finish()

    @property
    def terminal(self) -> bool:
        """Succeeded, Failed or Stopped."""
        return self.status in TERMINAL_EXECUTION_STATUSES

    def started_runs(self) -> list[StepRun]:
        """Steps that have started, in the order they started."""
        return list(self._started)

    def request_stop(self) -> None:
        """StopPipelineExecution: ``Executing`` -> ``Stopping``; each running step follows its kind's rule."""
        self.stop_requested = True
        self._set_status("Stopping")
        for run in list(self._started):
            if run.active:
                run.kind.stop(run)
        self._maybe_finish()

    def set_parallelism(self, value: int | None) -> None:
        """UpdatePipelineExecution: a new MaxParallelExecutionSteps applies to steps not yet started."""
        self.parallelism = value
        self._start_ready()

    def touch(self) -> None:
        """Bump LastModifiedTime to now."""
        self.last_modified_time = self.simulation.clock.now()

    def kill(self) -> None:
        """Forget the execution's scheduled events (its pipeline was deleted or moto was reset)."""
        self.alive = False
        for run in self.runs.values():
            run.cancel_event()
        if self._start_event is not None:
            self._start_event.cancel()
            self._start_event = None

    @property
    def ended_in_fail_step(self) -> bool:
        """Whether a Fail step failed the execution (such executions cannot be retried, DG)."""
        return self.status == "Failed" and any(
            r.status == "Failed" and r.step.type == "Fail" for r in self._started
        )

    def retry(self, parallelism: int | None) -> None:
        """RetryPipelineExecution (spec section 11.1): the same execution back to ``Executing``.

        Failed and Stopped steps run again (a new first attempt) together with the steps that
        never started; Succeeded steps keep their results and outputs.
        """
        from .steps import kind_for

        if parallelism is not None:
            self.parallelism = parallelism
        for run in [r for r in self._started if r.status in ("Failed", "Stopped")]:
            self._started.remove(run)
            fresh = StepRun(self, run.step, kind_for(run.step.type))
            fresh.previous_attempts = run.attempt  # AttemptCount and scripted sequences go on
            self.runs[run.name] = fresh
        for index, run in enumerate(self._started):
            run.started_seq = index
        self.failure_reason = None
        self.stop_requested = False
        self.stop_failed = False
        self.failing = False
        self._active = sum(1 for r in self._started if r.active)
        self._ready = []
        for name, step in self.graph.steps.items():
            if self.runs[name].status is not None:
                continue
            pending = 0
            for dep in step.dependencies:
                upstream = self.runs.get(dep)
                if upstream is None:
                    continue
                if upstream.status != "Succeeded":
                    pending += 1
                elif step.parent == dep and step.branch != (
                    "if" if upstream.state.get("outcome") else "else"
                ):
                    pending += len(self.graph.steps) + 1  # the branch not taken: never runs
            self._pending_deps[name] = pending
            if pending == 0:
                heapq.heappush(self._ready, (step.order, name))
        self._set_status("Executing")
        self._start_ready()
        self._maybe_finish()

    # ------------------------------------------------------------ step events
    def start_step(self, run: StepRun) -> None:
        """Begin a step's first attempt: ``Starting``, arguments resolved, kind-specific start."""
        run.status = "Starting"
        run.start_time = self.simulation.clock.now()
        run.attempt = run.previous_attempts + 1
        run.started_seq = len(self._started)
        self._started.append(run)
        self._active += 1
        self.touch()
        self.backend.emit_step_event(self, run, None)
        run.guarded(lambda: self._resolve_and_start(run))

    def _resolve_and_start(self, run: StepRun) -> None:
        run.arguments = run.kind.resolve_arguments(run)
        run.kind.start(run)

    def set_step_status(self, run: StepRun, status: str) -> None:
        """Move a running step to another non-terminal status (emits the step event)."""
        if run.status == status:
            return
        previous = run.status
        run.status = status
        self.touch()
        self.backend.emit_step_event(self, run, previous)

    def succeed_step(self, run: StepRun) -> None:
        """A step ended ``Succeeded``: release its dependants."""
        if not run.active:
            return
        self._end_step(run, "Succeeded")
        outcome = run.state.get("outcome")
        for name in self._dependants[run.name]:
            child = self.graph.steps[name]
            if child.parent == run.name and child.branch != ("if" if outcome else "else"):
                continue
            self._pending_deps[name] -= 1
            if self._pending_deps[name] == 0:
                heapq.heappush(self._ready, (child.order, name))
        self._request_start()

    def _request_start(self) -> None:
        """Start released steps once every event due at this instant has run.

        Deferring to a zero-delay event makes the result independent of definition order when
        one step fails at the same instant another succeeds: the failure is seen first either
        way, and nothing new starts (spec section 9.1).
        """
        if self._start_event is None:
            self._start_event = self.simulation.scheduler.schedule(
                0, self._deferred_start, f"{self.execution_id}:start-ready"
            )

    def _deferred_start(self) -> None:
        self._start_event = None
        if not self.alive:
            return
        self._start_ready()
        self._maybe_finish()

    def fail_step(self, run: StepRun, reason: str | None) -> None:
        """A step ended ``Failed`` with ``reason`` (its FailureReason): nothing new starts."""
        if not run.active:
            return
        run.failure_reason = reason[:1024] if reason else None
        if not self.stop_requested:
            self.failing = True
        self._end_step(run, "Failed")
        self._maybe_finish()

    def stopped_step(self, run: StepRun) -> None:
        """A step ended ``Stopped`` after StopPipelineExecution."""
        if not run.active:
            return
        self._end_step(run, "Stopped")
        self._maybe_finish()

    def _end_step(self, run: StepRun, status: str) -> None:
        run.cancel_event()
        previous = run.status
        run.status = status
        run.end_time = self.simulation.clock.now()
        self._active -= 1
        self.touch()
        self.backend.emit_step_event(self, run, previous)
        run.kind.ended(run)

    # -------------------------------------------------------------- scheduling
    def _limit(self) -> int | None:
        return self.parallelism

    def _start_ready(self) -> None:
        if self.status != "Executing" or self.failing or self.stop_requested:
            return
        limit = self._limit()
        while self._ready and (limit is None or self._active < limit):
            _, name = heapq.heappop(self._ready)
            run = self.runs[name]
            if run.status is not None:
                continue
            self.start_step(run)
            if self.status != "Executing" or self.failing or self.stop_requested:
                return

    def _maybe_finish(self) -> None:
        if self.terminal or self._active > 0 or self._start_event is not None:
            return
        if self.stop_requested:
            self._finish("Failed" if self.stop_failed else "Stopped")
        elif self.failing:
            self._finish("Failed")
        elif self._ready:
            self._start_ready()
            if self._active == 0 and not self.terminal:
                self._maybe_finish()
        else:
            failed = any(r.status == "Failed" for r in self._started)
            self._finish("Failed" if failed else "Succeeded")

    def _finish(self, status: str) -> None:
        if status == "Failed":
            self.failure_reason = EXECUTION_FAILURE_REASON
        self._set_status(status)

    def _set_status(self, status: str) -> None:
        previous = self.status
        if previous == status:
            return
        self.status = status
        self.touch()
        self.backend.emit_execution_event(self, previous)

    # ------------------------------------------------------------- expressions
    def context_for(self, run: StepRun | None = None) -> ExecutionContext:
        """The expression context of ``run`` (or of the execution as a whole)."""
        return ExecutionContext(self, run)

    def _resolve_experiment_config(self) -> dict[str, str] | None:
        config = self.graph.experiment_config
        if not isinstance(config, dict):
            return None
        resolved: dict[str, str] = {}
        # TrialName may refer to ExperimentName (the SDK's PipelineExperimentConfigProperties):
        # resolve in order, each value visible to the next.
        self.experiment_config = resolved
        ctx = ExecutionContext(self, None)
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

    def to_describe(self) -> dict[str, Any]:
        """The DescribePipelineExecution response."""
        result: dict[str, Any] = {
            "PipelineArn": self.pipeline_arn,
            "PipelineExecutionArn": self.arn,
            "PipelineExecutionDisplayName": self.display_name,
            "PipelineExecutionStatus": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "PipelineVersionId": self.version_id,
            "CreatedBy": {},
            "LastModifiedBy": {},
        }
        if self.description is not None:
            result["PipelineExecutionDescription"] = self.description
        if self.experiment_config:
            result["PipelineExperimentConfig"] = self.experiment_config
        if self.failure_reason:
            result["FailureReason"] = self.failure_reason
        if self.parallelism is not None:
            result["ParallelismConfiguration"] = {"MaxParallelExecutionSteps": self.parallelism}
        if self.selective_execution_config:
            result["SelectiveExecutionConfig"] = self.selective_execution_config
        if self.mlflow_experiment_name:
            result["MLflowConfig"] = {"MlflowExperimentName": self.mlflow_experiment_name}
        return result

    def to_summary(self) -> dict[str, Any]:
        """The ``PipelineExecutionSummary`` of ListPipelineExecutions."""
        result: dict[str, Any] = {
            "PipelineExecutionArn": self.arn,
            "StartTime": self.creation_time,
            "PipelineExecutionStatus": self.status,
            "PipelineExecutionDisplayName": self.display_name,
        }
        if self.description is not None:
            result["PipelineExecutionDescription"] = self.description
        if self.failure_reason:
            result["PipelineExecutionFailureReason"] = self.failure_reason
        return result


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class ExecutionContext:
    """Resolves ``Get``/``Std:JsonGet`` expressions for one execution (and one step run)."""

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

    def _run_of(self, step: str) -> StepRun:
        run = self.execution.runs.get(step)
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
            return run.outputs[path[1]]
        return resolve_path(run.properties, path)

    def property_file(self, step: str, name: str) -> Any:
        """The JSON of property file ``name`` of ``step``: scripted content, else the S3 object."""
        run = self._run_of(step)
        if name in run.property_files:
            return run.property_files[name]
        return run.kind.read_property_file(run, name)

    def read_s3_json(self, uri: str) -> Any:
        """Parse the JSON object at ``uri`` in moto's S3."""
        from .steps import read_json_from_s3

        return read_json_from_s3(self.execution, uri)

    def experiment_value(self, name: str) -> Any:
        """``PipelineExperimentConfig.<name>``."""
        config = getattr(self.execution, "experiment_config", None) or {}
        defaults = {
            "ExperimentName": self.execution.pipeline_name,
            "TrialName": self.execution.execution_id,
        }
        return config.get(name, defaults.get(name, ""))
