"""The name the service gives a step's job: generated, or under the definition's custom prefix.

DG "IAM Access Management", "Customize access management for Pipelines jobs"
(https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-access.html#build-and-manage-step-permissions-prefix):

* without a prefix the name is ``pipelines-<executionId>-<stepNamePrefix>-<entityToken>-...``;
  the mock keeps the form observed in the service's own event example and in public job
  names, ``pipelines-<executionId>-<step lower-cased>-<10 random [a-z0-9]>``
  (``docs/behaviour.md``, Executions);
* with job prefixing on (the SDK's ``PipelineDefinitionConfig(use_custom_job_prefix=True)``
  keeps the job's base name in the step's Arguments, e.g. ``"ProcessingJobName": "my-eval"``,
  SDK ``trim_request_dict``), "the underlying job name takes the following form":
  ``<MyBaseJobName>-<executionId>-<entityToken>-<failureCount>``; the custom prefix replaces
  the static ``pipelines`` string. The prefix may be at most 38 characters for Training, Model,
  Transform, Processing, ClarifyCheck, QualityCheck and RegisterModel steps and 6 for Tuning
  and AutoML steps.

``entityToken`` is 8 random ``[a-z0-9]`` here (the longest that keeps a 38-character prefix
within the 63-character job name with two-digit retry counts) and ``failureCount`` is the
number of earlier attempts (AttemptCount - 1) **[U]**. A prefix over its limit fails the step
with a ClientError (wording ours **[U]**). RegisterModel steps keep their model package naming.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..definition import ExpressionError

if TYPE_CHECKING:
    from .run import StepRun

#: The Arguments member holding the job's base name, per step Type (SDK ``trim_request_dict``).
PREFIX_FIELDS: dict[str, str] = {
    "Training": "TrainingJobName",
    "Processing": "ProcessingJobName",
    "QualityCheck": "ProcessingJobName",
    "ClarifyCheck": "ProcessingJobName",
    "Transform": "TransformJobName",
    "Tuning": "HyperParameterTuningJobName",
    "AutoML": "AutoMLJobName",
    "Model": "ModelName",
}
#: Longest prefix per step Type (DG "Prefix length restrictions"); 38 for the others.
_SHORT_PREFIX_TYPES = {"Tuning": 6, "AutoML": 6}
_PREFIX_LIMIT = 38


def custom_prefix(run: StepRun) -> str | None:
    """The job-name prefix the step's Arguments carry, or None (a literal string only)."""
    field = PREFIX_FIELDS.get(run.step.type)
    arguments = run.step.arguments
    if field is None or not isinstance(arguments, dict):
        return None
    prefix = arguments.get(field)
    return prefix if isinstance(prefix, str) and prefix else None


def generate_job_name(run: StepRun) -> str:
    """A new job name for the run's current attempt (raises ExpressionError for a long prefix)."""
    execution = run.execution
    prefix = custom_prefix(run)
    if prefix is None:
        head = f"pipelines-{execution.execution_id}-"
        suffix = "-" + execution.simulation.random_id(10)
        room = 63 - len(head) - len(suffix)
        return head + run.step.name.lower()[: max(room, 1)] + suffix
    limit = _SHORT_PREFIX_TYPES.get(run.step.type, _PREFIX_LIMIT)
    if len(prefix) > limit:
        raise ExpressionError(
            f"ClientError: The job name prefix '{prefix}' of step '{run.name}' is "
            f"{len(prefix)} characters long; {run.step.type} steps allow at most {limit}."
        )
    failures = max(run.attempt - 1, 0)
    token = execution.simulation.random_id(8)
    return f"{prefix}-{execution.execution_id}-{token}-{failures}"
