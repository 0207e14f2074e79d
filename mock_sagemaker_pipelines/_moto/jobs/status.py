"""Move the status of the resource a pipeline job step registered in moto with the step.

:func:`set_job_status` maps a pipeline-level status word
(:mod:`mock_sagemaker_pipelines._moto.job_status`) to each resource's own status fields, from the
botocore enums (``TrainingJobStatus``/``SecondaryStatus``, ``ProcessingJobStatus``,
``TransformJobStatus``, ``HyperParameterTuningJobStatus``,
``AutoMLJobStatus``/``AutoMLJobSecondaryStatus``, ``ModelPackageStatus``, ``EndpointStatus``),
with one ``_set_<kind>_status`` setter per resource kind writing the attributes of moto's objects
listed in :data:`mock_sagemaker_pipelines._moto.jobs.MOTO_INTERNALS`. :func:`stop_job` is the
``Stopping`` change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..job_status import normalise_status
from .emr_serverless import set_job_run_state
from .refs import _KIND, JobRef, _backend, _lookup, _naive_utc

logger = logging.getLogger(__name__)

_TERMINAL = frozenset({"Stopped", "Completed", "Failed"})

#: FailureReason used when a job fails without a reason; the wording of SageMaker's generic error.
_DEFAULT_FAILURE_REASON = "InternalServerError: We encountered an internal error. Please try again."


def _failure(status: str, failure_reason: str | None) -> str | None:
    if status != "Failed":
        return None
    return failure_reason or _DEFAULT_FAILURE_REASON


_TRAINING_SECONDARY: dict[str, tuple[str, str]] = {
    "InProgress": ("Training", "Training image download completed. Training in progress."),
    "Stopping": ("Stopping", "Stopping the training job"),
    "Stopped": ("Stopped", "The job was stopped"),
    "Completed": ("Completed", "Training job completed"),
    "Failed": ("Failed", "Training job failed"),
}


def _set_training_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    secondary, message = _TRAINING_SECONDARY[status]
    if job.secondary_status != secondary:
        transitions = list(job.secondary_status_transitions or [])
        if transitions and "EndTime" not in transitions[-1]:
            transitions[-1] = {**transitions[-1], "EndTime": now}
        entry: dict[str, Any] = {"Status": secondary, "StartTime": now, "StatusMessage": message}
        if status in _TERMINAL:
            entry["EndTime"] = now
        transitions.append(entry)
        job.secondary_status_transitions = transitions
    job.training_job_status = status
    job.secondary_status = secondary
    job.failure_reason = _failure(status, failure_reason)
    job.last_modified_time = now
    # TrainingTimeInSeconds and BillableTimeInSeconds follow from these (.training_time).
    job.training_end_time = now if status in _TERMINAL else None


def _set_processing_status(
    job: Any, status: str, failure_reason: str | None, now: datetime
) -> None:
    job.processing_job_status = status
    job.failure_reason = _failure(status, failure_reason)
    job.processing_end_time = now if status in _TERMINAL else None
    job.last_modified_time = now


def _set_transform_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    job.transform_job_status = status
    job.failure_reason = _failure(status, failure_reason)
    job.transform_end_time = now if status in _TERMINAL else None
    job.last_modified_time = now


def _set_tuning_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    job.hyper_parameter_tuning_job_status = status
    job.failure_reason = _failure(status, failure_reason)
    job.hyper_parameter_tuning_end_time = now if status in _TERMINAL else None
    job.last_modified_time = now
    running = status in ("InProgress", "Stopping")
    job.training_job_status_counters = {
        "Completed": int(status == "Completed"),
        "InProgress": int(running),
        "RetryableError": 0,
        "NonRetryableError": int(status == "Failed"),
        "Stopped": int(status == "Stopped"),
    }
    job.objective_status_counters = {
        "Succeeded": int(status == "Completed"),
        "Pending": int(running),
        "Failed": int(status in ("Failed", "Stopped")),
    }
    best = getattr(job, "best_training_job", None)
    if isinstance(best, dict) and "TuningJobName" in best:
        best["TrainingJobStatus"] = status
        if status in _TERMINAL:
            best["TrainingEndTime"] = now
        else:
            best.pop("TrainingEndTime", None)


def _set_model_package_status(
    package: Any, status: str, failure_reason: str | None, now: datetime
) -> None:
    # ModelPackageStatus has no Stopping/Stopped: a stop leaves it in progress, then failed.
    package_status = {"Stopping": "InProgress", "Stopped": "Failed"}.get(status, status)
    package.model_package_status = package_status
    detail: dict[str, Any] = {"Name": package.arn, "Status": package_status}
    if package_status == "Failed":
        detail["FailureReason"] = failure_reason or (
            "The step was stopped" if status == "Stopped" else _DEFAULT_FAILURE_REASON
        )
    package.model_package_status_details = {
        "ValidationStatuses": [dict(detail)],
        "ImageScanStatuses": [dict(detail)],
    }


def _set_automl_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    job.auto_ml_job_status = status
    job.auto_ml_job_secondary_status = {
        "InProgress": "Starting",
        "Stopping": "Stopping",
        "Stopped": "Stopped",
        "Completed": "Completed",
        "Failed": "Failed",
    }[status]
    job.failure_reason = _failure(status, failure_reason)
    job.end_time = now if status in _TERMINAL else None
    job.last_modified_time = now


def _set_endpoint_status(
    endpoint: Any, status: str, failure_reason: str | None, now: datetime
) -> None:
    # EndpointStatus has no Stopping/Stopped: stopping leaves it Creating, stopped is OutOfService.
    endpoint.endpoint_status = {
        "InProgress": "Creating",
        "Stopping": "Creating",
        "Stopped": "OutOfService",
        "Completed": "InService",
        "Failed": "Failed",
    }[status]
    endpoint.failure_reason = _failure(status, failure_reason)
    endpoint.last_modified_time = now


_SETTERS: dict[str, Callable[[Any, str, str | None, datetime], None]] = {
    "training": _set_training_status,
    "processing": _set_processing_status,
    "transform": _set_transform_status,
    "tuning": _set_tuning_status,
    "model_package": _set_model_package_status,
    "automl": _set_automl_status,
    "endpoint": _set_endpoint_status,
}


def set_job_status(
    ref: JobRef,
    account_id: str,
    region: str,
    status: str,
    failure_reason: str | None = None,
    *,
    now: datetime,
) -> None:
    """Move the registered resource behind ``ref`` to the pipeline-level ``status``.

    ``status`` is one of ``InProgress``, ``Stopping``, ``Stopped``, ``Completed``, ``Failed``
    (``Starting``/``Executing``/``Succeeded`` are accepted as synonyms); anything else raises
    ``ValueError``. Mapping to each resource's own fields (values from the botocore enums):

    * training job: ``TrainingJobStatus`` = status; ``SecondaryStatus`` ``Training`` / ``Stopping``
      / ``Stopped`` / ``Completed`` / ``Failed`` (a new ``SecondaryStatusTransitions`` entry per
      change); ``TrainingEndTime``, ``TrainingTimeInSeconds``, ``BillableTimeInSeconds`` once
      terminal; ``FailureReason`` when failed;
    * processing / transform job: ``ProcessingJobStatus`` / ``TransformJobStatus`` = status,
      ``ProcessingEndTime`` / ``TransformEndTime`` once terminal, ``FailureReason`` when failed;
    * tuning job: ``HyperParameterTuningJobStatus`` = status, ``HyperParameterTuningEndTime``,
      ``FailureReason``, the status counters and ``BestTrainingJob.TrainingJobStatus``;
    * AutoML job: ``AutoMLJobStatus`` = status, ``AutoMLJobSecondaryStatus``, ``EndTime``,
      ``FailureReason``;
    * model package: ``ModelPackageStatus`` ``InProgress`` / ``Completed`` / ``Failed``
      (Stopping -> ``InProgress``, Stopped -> ``Failed``) and ``ModelPackageStatusDetails``;
    * endpoint: ``EndpointStatus`` ``Creating`` (InProgress, Stopping), ``InService``
      (Completed), ``Failed`` (+ ``FailureReason``), ``OutOfService`` (Stopped);
    * EMR Serverless job run: ``state`` ``RUNNING`` / ``CANCELLING`` / ``CANCELLED`` /
      ``SUCCESS`` / ``FAILED`` (:mod:`.emr_serverless`);
    * models and endpoint configs have no status: nothing changes.

    ``now`` (an aware UTC datetime, the simulated clock's) is the time of the change: the
    ``LastModifiedTime``, the end times, the new ``SecondaryStatusTransitions`` entry.

    Unregistered refs, and resources no longer in moto (deleted, moto reset), are left alone;
    errors from moto objects are logged, not raised.
    """
    word = normalise_status(status)
    if not ref.registered:
        return
    kind = _KIND.get(ref.step_type)
    if kind == "emr_serverless":
        set_job_run_state(ref, account_id, region, word, failure_reason, now=now)
        return
    setter = _SETTERS.get(kind) if kind else None
    if setter is None or kind is None:
        return
    try:
        obj = _lookup(kind, _backend(account_id, region), ref)
        if obj is not None:
            setter(obj, word, failure_reason, _naive_utc(now))
    except Exception:  # a changed moto object must not break the simulation
        logger.warning("could not set %s of %s in moto", word, ref.arn, exc_info=True)


def stop_job(ref: JobRef, account_id: str, region: str, *, now: datetime) -> None:
    """Ask the job to stop: the same as ``set_job_status(ref, ..., "Stopping", now=now)``."""
    set_job_status(ref, account_id, region, "Stopping", now=now)
