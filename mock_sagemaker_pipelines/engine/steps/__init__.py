"""Step kinds: how each step ``Type`` starts, runs, stops and ends on simulated time.

One module per kind, one line per kind in :data:`KINDS`. A step ``Type`` without a line here
behaves as a job step (:class:`~.jobs.JobStep`). To add a kind: write a module with a
:class:`~.base.StepKind` subclass and add its line below.
"""

from __future__ import annotations

from .base import StepKind
from .callback import CallbackStep
from .cleanup import CleanupStep
from .condition import ConditionStep
from .create_job import CreateJobStep
from .emr_serverless import EMRServerlessStep
from .fail import FailStep
from .for_each import ForEachStep
from .jobs import JobStep
from .lambda_ import LambdaStep

__all__ = [
    "KINDS",
    "CallbackStep",
    "CleanupStep",
    "ConditionStep",
    "CreateJobStep",
    "EMRServerlessStep",
    "FailStep",
    "ForEachStep",
    "JobStep",
    "LambdaStep",
    "StepKind",
    "kind_for",
]

#: Step ``Type`` -> the kind that runs it.
KINDS: dict[str, StepKind] = {
    "Condition": ConditionStep(),
    "Fail": FailStep(),
    "Callback": CallbackStep(),
    "Lambda": LambdaStep(),
    "Cleanup": CleanupStep(),
    "Job": CreateJobStep(),
    "EMRServerless": EMRServerlessStep(),
    "ForEach": ForEachStep(),
}
#: The kind of every other step Type: a SageMaker job (or a generic timed step).
DEFAULT_KIND: StepKind = JobStep()


def kind_for(step_type: str) -> StepKind:
    """The behaviour of a step Type (types without a kind of their own behave as job steps)."""
    return KINDS.get(step_type, DEFAULT_KIND)
