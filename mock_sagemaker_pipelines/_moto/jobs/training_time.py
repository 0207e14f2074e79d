"""``TrainingTimeInSeconds`` and ``BillableTimeInSeconds`` of a step's training job, derived.

A finished training job reports both (DescribeTrainingJob API reference; the simulation
bills every second it trains, so the two are equal). moto's ``FakeTrainingJob`` has neither,
and its ``response_object`` is every instance attribute camel-cased. Setting two more attributes
took the instance past CPython's shared-key limit for instance dicts (about 30 names per class),
so each job's attribute dict grew from 0.3 to 1.6 KB: the largest single cost of a finished job
step. While the mock is active, ``FakeTrainingJob.response_object`` adds the two members instead,
computed from what the job holds: whole seconds from ``TrainingStartTime`` to
``TrainingEndTime``, once ``TrainingJobStatus`` is ``Completed``, ``Failed`` or ``Stopped``.

Only the jobs a pipeline step registered get them (they are the ones with a ``failure_reason``
attribute, which :func:`.create.create_job` sets and moto's own ``create_training_job`` never
does): a job created straight through moto's API answers as plain moto does. The patch is
reference-counted and undone by the last :func:`deactivate`, which first writes the two values
onto the finished step jobs still in moto (a user's own ``mock_aws`` that outlives the plugin
keeps them, :mod:`..handover`), so that they answer as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from moto.sagemaker.models import FakeTrainingJob, sagemaker_backends

from ..shared_patches import SharedPatch

_TERMINAL = frozenset({"Completed", "Failed", "Stopped"})


def training_seconds(job: Any) -> int | None:
    """Whole seconds from the job's start to its end once it has ended, else ``None``."""
    if getattr(job, "training_job_status", None) not in _TERMINAL:
        return None
    start = getattr(job, "training_start_time", None)
    end = getattr(job, "training_end_time", None)
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return None
    try:
        return max(0, int((end - start).total_seconds()))
    except TypeError:  # naive vs aware
        return None


def _write_derived_times() -> None:
    """Set both members as attributes on every finished step job left in moto's backends."""
    for regions in list(sagemaker_backends.values()):
        for backend in list(regions.values()):
            for job in list(backend.training_jobs.values()):
                seconds = training_seconds(job) if "failure_reason" in vars(job) else None
                if seconds is not None:
                    job.training_time_in_seconds = seconds  # type: ignore[attr-defined]
                    job.billable_time_in_seconds = seconds  # type: ignore[attr-defined]


def _patched(original: property) -> property:
    def response_object(job: Any) -> dict[str, Any]:
        response: dict[str, Any] = original.fget(job)  # type: ignore[misc]
        if "failure_reason" in vars(job):  # registered by a pipeline step
            seconds = training_seconds(job)
            if seconds is not None:
                response["TrainingTimeInSeconds"] = seconds
                response["BillableTimeInSeconds"] = seconds
        return response

    return property(response_object, doc=original.__doc__)


_PATCH = SharedPatch(
    ((FakeTrainingJob, "response_object"),),
    lambda original: (_patched(original),),
    before_restore=_write_derived_times,
)


def activate() -> None:
    """Derive the two members while a mock runs (reference-counted)."""
    _PATCH.activate()


def deactivate() -> None:
    """Undo one :func:`activate`; the last one writes the values onto the finished step jobs
    left in moto and puts moto's property back."""
    _PATCH.deactivate()
