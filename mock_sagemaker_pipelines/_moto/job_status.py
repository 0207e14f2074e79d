"""The job status words SageMaker and moto use, and the names derived from a job's request.

Pure functions and tables, no moto calls: :mod:`mock_sagemaker_pipelines._moto.jobs` uses them to
move the status of the resources it registers in moto, and
:mod:`mock_sagemaker_pipelines.engine.properties` to report the same words in step properties.

* :data:`PIPELINE_STATUSES` and :func:`normalise_status`: the pipeline-level status words of a
  step's job (the botocore ``TrainingJobStatus`` enum and its siblings); the ``StepStatus`` words
  ``Starting``/``Executing``/``Succeeded`` (``shared/spec/sagemaker-pipelines-semantics.md``,
  enums table) are accepted as synonyms;
* :data:`STATUS_MAP` and :func:`resource_status`: each resource's own status value for a
  pipeline-level word, from the botocore enums;
* :func:`best_training_job_name` and :func:`tuned_hyper_parameters`: the stable placeholders a
  tuning job reports for its best training job (DescribeHyperParameterTuningJob
  ``BestTrainingJob``), the same in moto's tuning job and in the step's properties.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

__all__ = [
    "PIPELINE_STATUSES",
    "STATUS_MAP",
    "best_training_job_name",
    "normalise_status",
    "resource_status",
    "tuned_hyper_parameters",
]

#: The pipeline-level status words; ``Starting``/``Executing``/``Succeeded`` are accepted too.
PIPELINE_STATUSES: tuple[str, ...] = ("InProgress", "Stopping", "Stopped", "Completed", "Failed")
_STATUS_SYNONYMS: dict[str, str] = {
    "Starting": "InProgress",
    "Executing": "InProgress",
    "Succeeded": "Completed",
}

#: Status field values per resource, from the botocore enums ``TrainingJobStatus``,
#: ``ProcessingJobStatus``, ``TransformJobStatus``, ``HyperParameterTuningJobStatus``,
#: ``AutoMLJobStatus`` (all five use the pipeline words as they are), ``ModelPackageStatus``,
#: ``EndpointStatus``, EMR's ``StepState`` and EMR Serverless ``JobRunState``; ``JobStatus``
#: (DescribeJob) uses the pipeline words. Kept identical to ``_moto.jobs.status``'s setters.
STATUS_MAP: dict[str, dict[str, str]] = {
    "RegisterModel": {
        "InProgress": "InProgress",
        "Stopping": "InProgress",
        "Stopped": "Failed",
        "Completed": "Completed",
        "Failed": "Failed",
    },
    "Endpoint": {
        "InProgress": "Creating",
        "Stopping": "Creating",
        "Stopped": "OutOfService",
        "Completed": "InService",
        "Failed": "Failed",
    },
    "EMRServerless": {
        "InProgress": "RUNNING",
        "Stopping": "CANCELLING",
        "Stopped": "CANCELLED",
        "Completed": "SUCCESS",
        "Failed": "FAILED",
    },
    "EMR": {
        "InProgress": "RUNNING",
        "Stopping": "CANCEL_PENDING",
        "Stopped": "CANCELLED",
        "Completed": "COMPLETED",
        "Failed": "FAILED",
    },
}
_SAME_WORDS = frozenset({"Training", "Processing", "Transform", "Tuning", "AutoML", "Job"})


def normalise_status(status: str) -> str:
    """The pipeline-level status word for ``status`` (synonyms mapped); ValueError if unknown."""
    word = _STATUS_SYNONYMS.get(status, status)
    if word not in PIPELINE_STATUSES:
        raise ValueError(
            f"unknown job status {status!r}; expected one of {', '.join(PIPELINE_STATUSES)}"
        )
    return word


def resource_status(step_type: str, status: str) -> str | None:
    """The resource's own status value for a pipeline-level ``status``, or None (no status).

    Training, Processing, Transform, Tuning and AutoML jobs use the pipeline words as they are;
    RegisterModel -> ``ModelPackageStatus`` (Stopping -> InProgress, Stopped -> Failed);
    Endpoint -> ``EndpointStatus`` (InProgress/Stopping -> Creating, Completed -> InService,
    Stopped -> OutOfService); EMR -> EMR ``StepState``; EMRServerless -> ``JobRunState``
    (InProgress -> RUNNING, Stopping -> CANCELLING, Stopped -> CANCELLED, Completed -> SUCCESS);
    Job -> ``JobStatus`` (the pipeline words); the check steps report their processing
    job's status. Model, EndpointConfig and unknown types have none. Raises ``ValueError`` for a
    word that is not a pipeline status.
    """
    word = normalise_status(status)
    if step_type in _SAME_WORDS or step_type in ("QualityCheck", "ClarifyCheck"):
        return word
    table = STATUS_MAP.get(step_type)
    return table[word] if table else None


def best_training_job_name(tuning_job_name: str) -> str:
    """Placeholder name of a tuning job's best training job: ``<tuning name>-001-<8 hex>``.

    Real tuning jobs name their training jobs ``<tuning job name>-<NNN>-<8 hex>``; the hex part is
    derived from the tuning job name so that it is stable (and equals what ``_moto.jobs`` stores
    in moto's tuning job).
    """
    digest = hashlib.sha1(tuning_job_name.encode("utf-8")).hexdigest()[:8]
    return f"{tuning_job_name}-001-{digest}"


def tuned_hyper_parameters(arguments: Mapping[str, Any]) -> dict[str, str]:
    """Placeholder ``TunedHyperParameters``: the lower bound / first value of every range."""
    definition = arguments.get("TrainingJobDefinition")
    if not isinstance(definition, Mapping):
        definitions = arguments.get("TrainingJobDefinitions")
        first = definitions[0] if isinstance(definitions, list) and definitions else None
        definition = first if isinstance(first, Mapping) else {}
    ranges = definition.get("HyperParameterRanges")
    if not isinstance(ranges, Mapping):
        config = arguments.get("HyperParameterTuningJobConfig")
        ranges = config.get("ParameterRanges") if isinstance(config, Mapping) else None
    if not isinstance(ranges, Mapping):
        return {}
    tuned: dict[str, str] = {}
    for kind in ("IntegerParameterRanges", "ContinuousParameterRanges"):
        for item in ranges.get(kind) or []:
            if isinstance(item, Mapping) and "Name" in item and "MinValue" in item:
                tuned[str(item["Name"])] = str(item["MinValue"])
    for item in ranges.get("CategoricalParameterRanges") or []:
        if isinstance(item, Mapping) and "Name" in item and item.get("Values"):
            tuned[str(item["Name"])] = str(item["Values"][0])
    return tuned
