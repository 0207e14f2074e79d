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

import inspect
import threading
from datetime import datetime
from typing import Any

from moto.sagemaker.models import FakeTrainingJob, sagemaker_backends

_TERMINAL = frozenset({"Completed", "Failed", "Stopped"})

_lock = threading.Lock()
_users = 0
_original: property | None = None
_own = False  # whether FakeTrainingJob defines response_object itself (else BaseObject does)


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


def activate() -> None:
    """Derive the two members while a mock runs (reference-counted)."""
    global _users, _original, _own
    with _lock:
        if _users == 0:
            _own = "response_object" in vars(FakeTrainingJob)
            _original = inspect.getattr_static(FakeTrainingJob, "response_object")
            FakeTrainingJob.response_object = _patched(_original)  # type: ignore[method-assign,assignment]
        _users += 1


def deactivate() -> None:
    """Undo one :func:`activate`; the last one puts moto's property back."""
    global _users, _original
    with _lock:
        if _users == 0:
            return
        _users -= 1
        if _users == 0 and _original is not None:
            _write_derived_times()
            if _own:
                FakeTrainingJob.response_object = _original  # type: ignore[method-assign,assignment]
            else:
                del FakeTrainingJob.response_object
            _original = None
