"""The experiment, trial and trial components an execution creates (``PipelineExperimentConfig``).

DG "Amazon SageMaker Experiments integration" (see :mod:`mock_sagemaker_pipelines._moto.experiments`):
the experiment (``ExperimentName``, by default the pipeline name) and the trial (``TrialName``,
by default the execution id) are created when the execution starts, unless they exist; each job
a step starts (a Training, Processing, check or Transform job) gets its trial component in the
trial, whose status follows the job. A definition without ``PipelineExperimentConfig``, or with
``null`` (the SDK's ``pipeline_experiment_config=None``), creates none **[U]**. A cache hit or a
step reused by a selective execution starts no job and so creates no trial component.

moto refusing a call (it should not) is logged and ignored: experiments never fail a step.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .._moto import experiments as moto_experiments

if TYPE_CHECKING:
    from .execution import Execution
    from .run import StepRun

logger = logging.getLogger(__name__)

#: Trial component ``PrimaryStatus`` per job status the step moves its job to.
_COMPONENT_STATUS = {
    "InProgress": "InProgress",
    "Completed": "Completed",
    "Failed": "Failed",
    "Stopping": "Stopping",
    "Stopped": "Stopped",
}


def _names(execution: Execution) -> tuple[str, str] | None:
    config = execution.experiment_config or {}
    experiment, trial = config.get("ExperimentName"), config.get("TrialName")
    return (experiment, trial) if experiment and trial else None


def start_trial(execution: Execution) -> None:
    """The execution started: create its experiment and trial unless they exist."""
    names = _names(execution)
    if names is None:
        return
    try:
        moto_experiments.ensure_trial(
            execution.account_id,
            execution.region_name,
            names[0],
            names[1],
            execution.simulation.clock.now(),
        )
    except Exception:  # pragma: no cover - moto does not refuse these
        logger.debug("experiment %s / trial %s not created", *names, exc_info=True)


def track_job(run: StepRun, ref: Any) -> None:
    """A job step created a job (``ref``: its JobRef): add the job's trial component."""
    execution = run.execution
    names = _names(execution)
    kind = moto_experiments.job_kind(run.step.type)
    if names is None or kind is None or not ref.registered:
        return
    try:
        name = moto_experiments.add_job_trial_component(
            execution.account_id,
            execution.region_name,
            names[1],
            kind,
            ref.name,
            ref.arn,
            execution.simulation.clock.now(),
        )
    except Exception:  # pragma: no cover - moto does not refuse these
        logger.debug("trial component of %s not created", ref.name, exc_info=True)
        return
    if name is not None:
        run.state["trial_component"] = name


def job_status_changed(run: StepRun, status: str) -> None:
    """The step moved its current job to ``status``: the trial component follows."""
    name = run.state.get("trial_component")
    if name is None or status not in _COMPONENT_STATUS:
        return
    execution = run.execution
    moto_experiments.set_trial_component_status(
        execution.account_id,
        execution.region_name,
        name,
        _COMPONENT_STATUS[status],
        execution.simulation.clock.now(),
    )
