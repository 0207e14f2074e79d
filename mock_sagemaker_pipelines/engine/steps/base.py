"""``StepKind``: the interface through which the engine drives every step type.

A kind is told when its step starts (``start``), enters ``Executing`` (``executing``), is asked
to stop (``stop``, spec section 8), ended (``ended``), was answered (``answered``, Callback
steps) and, for a kind that owns child steps (a body run per item), when a child ended
(``child_ended``). It ends its step through the execution: ``succeed_step``, ``fail_step``,
``stopped_step``. Durations are simulated seconds: a scripted outcome's ``after``, else the
script's ``takes``, else the simulation options (``engine.simulation.DEFAULT_DURATIONS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...definition import evaluate, resolve_path
from ...outcomes import ScriptedOutcome, StepScript
from ..job_names import generate_job_name
from ..property_files import read_property_file, write_property_files
from ..simulation import STARTING_SECONDS, STOPPING_SECONDS

if TYPE_CHECKING:
    from ..run import StepRun


def script_for(run: StepRun) -> StepScript | None:
    """The :class:`~mock_sagemaker_pipelines.outcomes.StepScript` for this run, if any.

    A ForEach child step (``<Body>-<index>``) takes the script of its own name first, else
    the script of its body step's name (every iteration)."""
    outcomes = run.execution.simulation.outcomes
    script = outcomes.lookup(run.name, run.execution.arn)
    body_step = run.state.get("body_step")
    if script is None and body_step is not None:
        script = outcomes.lookup(str(body_step), run.execution.arn)
    return script


def outcome_for(run: StepRun) -> ScriptedOutcome | None:
    """The scripted outcome of the run's current attempt, if the test scripted one."""
    script = script_for(run)
    return script.outcome_for(run.attempt) if script is not None else None


def duration_of(run: StepRun, outcome: ScriptedOutcome | None) -> float:
    """Simulated seconds of the current attempt: the outcome's ``after``, the script's, the default."""
    if outcome is not None and outcome.after is not None:
        return float(outcome.after)
    script = script_for(run)
    if script is not None and script.duration is not None:
        return float(script.duration)
    options = run.execution.simulation.options
    body_step = run.state.get("body_step")
    if run.name not in options.step_durations and body_step in options.step_durations:
        return options.duration_of(run.step.type, str(body_step))  # every iteration
    return options.duration_of(run.step.type, run.name)


def duration_configured(run: StepRun) -> bool:
    """Whether a test or option set this step's duration (rather than the type's default)."""
    options = run.execution.simulation.options
    script = script_for(run)
    return (
        (script is not None and script.duration is not None)
        or run.name in options.step_durations
        or run.state.get("body_step") in options.step_durations
        or run.step.type in options.durations
    )


class StepKind:
    """Behaviour shared by every step type; subclasses override the hooks they need."""

    starting_seconds = STARTING_SECONDS

    def resolve_arguments(self, run: StepRun) -> Any:
        """The step's Arguments with every expression resolved (raises ExpressionError)."""
        return evaluate(run.step.arguments, run.execution.context_for(run))

    def start(self, run: StepRun) -> None:
        """``Starting``: schedule the move to ``Executing``."""
        run.schedule(self.starting_seconds, lambda: self._to_executing(run), "executing")

    def _to_executing(self, run: StepRun) -> None:
        run.execution.set_step_status(run, "Executing")
        self.executing(run)

    def executing(self, run: StepRun) -> None:
        """The step entered ``Executing``; by default it succeeds after its duration."""
        run.schedule(duration_of(run, None), lambda: run.execution.succeed_step(run))

    def stop(self, run: StepRun) -> None:
        """StopPipelineExecution while the step runs; by default it goes Stopping -> Stopped."""
        run.cancel_event()
        run.execution.set_step_status(run, "Stopping")
        run.schedule(STOPPING_SECONDS, lambda: run.execution.stopped_step(run), "stopped")

    def ended(self, run: StepRun) -> None:
        """The step reached a terminal status."""

    def answered(
        self,
        run: StepRun,
        success: bool,
        outputs: dict[str, Any],
        reason: str | None,
        sent: list[dict[str, str]] | None = None,
    ) -> None:
        """A SendPipelineExecutionStep* answer reached the step (only Callback steps wait for one)."""
        raise TypeError(f"step {run.name} of type {run.step.type} takes no callback answer")

    def child_ended(self, run: StepRun, child: StepRun) -> None:
        """A child step that this step's kind started (``Execution.start_child_run``) ended."""

    def step_property(self, run: StepRun, path: list[str | int]) -> Any:
        """``Steps.<step>.<path>`` of a succeeded run: by default the value in its properties."""
        return resolve_path(run.properties, path)

    def job_name(self, run: StepRun) -> str:
        """The name the service gives this step's job (:mod:`..job_names`): generated, or under
        the custom prefix the Arguments carry."""
        name = run.state.get("job_name")
        if name is None:
            name = generate_job_name(run)
            run.state["job_name"] = name
        return str(name)

    def read_property_file(self, run: StepRun, name: str) -> Any:
        """The JSON a step wrote as property file ``name`` (Processing steps, spec section 10)."""
        return read_property_file(run, name)

    def write_property_files(self, run: StepRun) -> None:
        """Put scripted property files where the job would have written them in moto's S3."""
        write_property_files(run)
