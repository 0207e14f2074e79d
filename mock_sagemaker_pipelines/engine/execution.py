"""One pipeline execution: its state machine and the running of its steps on simulated time.

Behaviour follows ``shared/spec/sagemaker-pipelines-semantics.md``:

* section 9.1: steps start as their dependencies are released (:mod:`.scheduling`), at most
  ``MaxParallelExecutionSteps`` at a time; steps go ``Starting`` -> ``Executing`` ->
  ``Succeeded``/``Failed``; a failure lets running steps finish, starts nothing new, and fails
  the execution with "Step failure: One or multiple steps failed.";
* run conditions (SDK 3.x ``StepDependency``): a step whose ``DependsOn`` trigger accepts a
  failure (``Failed``, ``Any``) is a handler: it starts after its upstream failed, and so do the
  steps its success releases; when every failed step had a handler and every handler that ran
  succeeded, the execution ends ``CompletedWithFailures`` (the SDK's ``StepDependency``
  docstring: "A pipeline whose steps run on a failed upstream step ends in the
  CompletedWithFailures status instead of Failed");
* section 8 (StopPipelineExecution): every running step follows its kind's stop rule, steps not
  started never start, and the execution ends ``Stopped`` once no step is running;
* section 11.1: RetryPipelineExecution runs the Failed and Stopped steps again.

What each step does is its kind's business (:mod:`.steps`); the engine knows kinds only through
the :class:`~mock_sagemaker_pipelines.engine.steps.StepKind` interface. Status changes leave the
engine through an :class:`~mock_sagemaker_pipelines.engine.listener.ExecutionListener`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..definition import StepDef, StepGraph
from .caching import StepCache
from .clock import Event
from .context import ExecutionContext, resolve_experiment_config
from .experiments import start_trial
from .listener import CallbackRegistry, ExecutionListener
from .run import StepRun
from .scheduling import DependencyGraph
from .selective import SelectivePlan
from .simulation import Simulation
from .steps import kind_for

EXECUTION_FAILURE_REASON = "Step failure: One or multiple steps failed."

TERMINAL_EXECUTION_STATUSES = frozenset({"Succeeded", "Failed", "Stopped", "CompletedWithFailures"})


class Execution:
    """A pipeline execution (``PipelineExecution``) and the engine that runs its steps.

    ``account_id``/``region_name``: where its neighbours (SQS, S3, Lambda, jobs) live;
    ``listener``: told of every status change; ``callbacks``: the token registry of its backend.
    """

    def __init__(
        self,
        simulation: Simulation,
        *,
        account_id: str,
        region_name: str,
        listener: ExecutionListener,
        callbacks: CallbackRegistry,
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
        step_cache: StepCache | None = None,
        selective: SelectivePlan | None = None,
    ) -> None:
        self.simulation = simulation
        self.account_id = account_id
        self.region_name = region_name
        self.listener = listener
        self.callbacks = callbacks
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
        #: The pipeline's cache of successful runs (engine/caching.py); the steps to run
        #: and the reused ones of a selective execution (engine/selective.py).
        self.step_cache = step_cache
        self.selective = selective
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
            name: self._new_run(step) for name, step in graph.steps.items()
        }
        self._started: list[StepRun] = []
        self.dependencies = DependencyGraph(graph)
        #: Steps that may start after a failure (handlers and what their success releases),
        #: and the failed steps a handler was released for.
        self.handlers: set[str] = set()
        self.handled: set[str] = set()
        self._active = 0
        self._start_event: Event | None = None
        self.experiment_config: dict[str, str] | None = None
        self.experiment_config = resolve_experiment_config(self)

    def _new_run(self, step: StepDef, parent: StepRun | None = None) -> StepRun:
        return StepRun(self, step, kind_for(step.type), parent)

    # ------------------------------------------------------------------ public
    def begin(self) -> None:
        """Start the steps that depend on nothing (called once, after the start response)."""
        self.listener.execution_status_changed(self, None)
        start_trial(self)  # its experiment and trial (engine/experiments.py)
        if self.selective is not None:
            for run in self.selective.reused_runs(self):
                run.started_seq = len(self._started)
                self._started.append(run)
                self.dependencies.release(run.name, str(run.status), run.state.get("outcome"))
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
        for run in self._started:
            run.cancel_event()
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
        if parallelism is not None:
            self.parallelism = parallelism
        rerun = [r for r in self._started if r.status in ("Failed", "Stopped") and r.parent is None]
        for run in [r for r in self._started if r.parent is not None and r.parent in rerun]:
            self._started.remove(run)  # a step that runs again starts its children anew
        for run in rerun:
            self._started.remove(run)
            fresh = self._new_run(run.step)
            fresh.previous_attempts = run.attempt  # AttemptCount and scripted sequences go on
            self.runs[run.name] = fresh
        for index, run in enumerate(self._started):
            run.started_seq = index
        self.failure_reason = None
        self.stop_requested = False
        self.stop_failed = False
        self.failing = False
        self.handlers.clear()
        self.handled.clear()
        self._active = sum(1 for r in self._started if r.active)
        self.dependencies.recompute(
            self.runs, [name for name in self.graph.steps if self.runs[name].status is None]
        )
        self._set_status("Executing")
        self._start_ready()
        self._maybe_finish()

    def answer_callback(
        self,
        run: StepRun,
        success: bool,
        outputs: dict[str, Any],
        reason: str | None,
        sent: list[dict[str, str]] | None = None,
    ) -> None:
        """A validated SendPipelineExecutionStepSuccess/Failure reached ``run``'s step kind."""
        run.cancel_event()
        run.kind.answered(run, success, outputs, reason, sent)

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
        self.listener.step_status_changed(self, run, None)
        run.guarded(lambda: self._resolve_and_start(run))

    def start_child_run(
        self, parent: StepRun, step: StepDef, state: dict[str, Any] | None = None
    ) -> StepRun:
        """Start a step owned by ``parent``'s kind (a body step): listed, but outside the graph.

        ``state`` seeds the child's ``StepRun.state`` before it starts (a ForEach child's
        index and ``iteration_context``). When the child ends,
        ``parent.kind.child_ended(parent, child)`` is called instead of releasing dependants.
        """
        child = self.new_child_run(parent, step, state)
        self.start_step(child)
        return child

    def new_child_run(
        self, parent: StepRun, step: StepDef, state: dict[str, Any] | None = None
    ) -> StepRun:
        """A child run of ``parent`` not started yet (start it with :meth:`start_step`), for a
        kind that must know the run before it starts (it may end while starting)."""
        child = self._new_run(step, parent)
        child.state.update(state or {})
        return child

    def _resolve_and_start(self, run: StepRun) -> None:
        run.arguments = run.kind.resolve_arguments(run)
        run.kind.start(run)

    def set_step_status(self, run: StepRun, status: str) -> None:
        """Move a running step to another non-terminal status (the listener is told)."""
        if run.status == status:
            return
        previous = run.status
        run.status = status
        self.touch()
        self.listener.step_status_changed(self, run, previous)

    def succeed_step(self, run: StepRun) -> None:
        """A step ended ``Succeeded``: release its dependants."""
        if not run.active:
            return
        self._end_step(run, "Succeeded")
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
        if self._end_step(run, "Failed"):
            self._request_start()  # a handler of this failure was released
        self._maybe_finish()

    def stopped_step(self, run: StepRun) -> None:
        """A step ended ``Stopped`` after StopPipelineExecution."""
        if not run.active:
            return
        self._end_step(run, "Stopped")
        self._maybe_finish()

    def _end_step(self, run: StepRun, status: str) -> bool:
        """End ``run`` with ``status``; True when this released a step that may start now."""
        run.cancel_event()
        previous = run.status
        run.status = status
        run.end_time = self.simulation.clock.now()
        self._active -= 1
        self.touch()
        self.listener.step_status_changed(self, run, previous)
        run.kind.ended(run)
        if run.parent is not None:
            run.parent.kind.child_ended(run.parent, run)
            return False
        freed = self.dependencies.release(run.name, status, run.state.get("outcome"))
        for name in freed:
            if status != "Succeeded":  # released by a Failed/Stopped/Any run condition
                self.handlers.add(name)
                self.handled.add(run.name)
            elif run.name in self.handlers:
                self.handlers.add(name)
        return any(not self.failing or name in self.handlers for name in freed)

    # -------------------------------------------------------------- scheduling
    def _blocked(self) -> bool:
        return self.status != "Executing" or self.stop_requested

    def _may_start(self, name: str) -> bool:
        """A ready step may start unless a failure happened and it is no handler."""
        if self.selective is not None and not self.selective.may_run(name):
            return False  # a selective execution runs only its selected steps
        return self.runs[name].status is None and (not self.failing or name in self.handlers)

    def _start_ready(self) -> None:
        if self._blocked():
            return
        limit = self.parallelism
        held: list[str] = []
        while self.dependencies.ready and (limit is None or self._active < limit):
            name = self.dependencies.pop_ready()
            if self.runs[name].status is not None:
                continue
            if not self._may_start(name):
                held.append(name)  # never starts while the execution is failing
                continue
            self.start_step(self.runs[name])
            if self._blocked():
                break
        for name in held:
            self.dependencies.push(name)

    def _maybe_finish(self) -> None:
        if self.terminal or self._active > 0 or self._start_event is not None:
            return
        if self.stop_requested:
            self._finish("Failed" if self.stop_failed else "Stopped")
        elif any(self._may_start(name) for _, name in self.dependencies.ready):
            self._start_ready()
            if self._active == 0 and not self.terminal:
                self._maybe_finish()
        else:
            self._finish(self._final_status())

    def _final_status(self) -> str:
        """Succeeded; CompletedWithFailures when every failed step had a handler and every
        handler that ran succeeded; else Failed."""
        # a failed child step is its parent's failure (the parent is failed too)
        failed = {r.name for r in self._started if r.status == "Failed" and r.parent is None}
        if not failed:
            return "Succeeded"
        handlers_ran = [self.runs[n] for n in self.handlers if self.runs[n].status is not None]
        if (
            self.handled
            and not (failed - self.handled - {r.name for r in handlers_ran})
            and all(r.status == "Succeeded" for r in handlers_ran)
        ):
            return "CompletedWithFailures"
        return "Failed"

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
        self.listener.execution_status_changed(self, previous)

    # ------------------------------------------------------------- expressions
    def context_for(self, run: StepRun | None = None) -> ExecutionContext:
        """The expression context of ``run`` (or of the execution as a whole)."""
        return ExecutionContext(self, run)

    # ------------------------------------------------------------------ shapes
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
