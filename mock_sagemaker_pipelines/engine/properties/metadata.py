"""The ``Metadata`` of job and check steps: :func:`step_metadata`.

The ``PipelineExecutionStepMetadata`` member of a step, as ListPipelineExecutionSteps reports it
(https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_PipelineExecutionStepMetadata.html),
with only the keys the botocore shapes define (``QualityCheckStepMetadata``,
``ClarifyCheckStepMetadata``, ``EMRStepMetadata``, ``LineageMetadata`` and the ``{Arn}`` members).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .checks import _check
from .common import _field, _truthy
from .job_runs import emr_serverless_metadata
from .jobs import _emr_ids

#: ``PipelineExecutionStepMetadata`` member per step ``Type`` for the members that are ``{Arn}``.
_ARN_METADATA: dict[str, str] = {
    "Training": "TrainingJob",
    "Processing": "ProcessingJob",
    "Transform": "TransformJob",
    "Tuning": "TuningJob",
    "Model": "Model",
    "RegisterModel": "RegisterModel",
    "AutoML": "AutoMLJob",
    "Endpoint": "Endpoint",
    "EndpointConfig": "EndpointConfig",
    "InferenceComponent": "InferenceComponent",
    "BedrockCustomModel": "BedrockCustomModel",
    "BedrockCustomModelDeployment": "BedrockCustomModelDeployment",
    "BedrockProvisionedModelThroughput": "BedrockProvisionedModelThroughput",
    "BedrockModelImport": "BedrockModelImport",
    "Job": "Job",
}

#: Members of ``QualityCheckStepMetadata`` / ``ClarifyCheckStepMetadata`` (botocore).
_QUALITY_CHECK_KEYS: tuple[str, ...] = (
    "CheckType",
    "BaselineUsedForDriftCheckStatistics",
    "BaselineUsedForDriftCheckConstraints",
    "CalculatedBaselineStatistics",
    "CalculatedBaselineConstraints",
    "ModelPackageGroupName",
    "ViolationReport",
    "CheckJobArn",
    "SkipCheck",
    "RegisterNewBaseline",
)
_CLARIFY_CHECK_KEYS: tuple[str, ...] = (
    "CheckType",
    "BaselineUsedForDriftCheckConstraints",
    "CalculatedBaselineConstraints",
    "ModelPackageGroupName",
    "ViolationReport",
    "CheckJobArn",
    "SkipCheck",
    "RegisterNewBaseline",
)


def step_metadata(
    step_type: str,
    job_arn: str,
    arguments: dict[str, Any],
    *,
    job_name: str | None = None,
    step: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The step's ``PipelineExecutionStepMetadata`` member, keyed as the botocore shape names it.

    ``{"TrainingJob": {"Arn"}}``, ``ProcessingJob``, ``TransformJob``, ``TuningJob``, ``Model``,
    ``RegisterModel``, ``AutoMLJob`` (step type ``AutoML``), ``Endpoint``, ``EndpointConfig``
    (all ``{Arn}``; the Arn is left out while ``job_arn`` is empty);
    ``{"EMR": {ClusterId, StepId, StepName}}`` (``StepName`` only with ``job_name``; no
    ``LogFilePath``, which needs the cluster's log URI); ``{"QualityCheck": {CheckType,
    BaselineUsedForDriftCheckStatistics, BaselineUsedForDriftCheckConstraints,
    CalculatedBaselineStatistics, CalculatedBaselineConstraints, ModelPackageGroupName,
    CheckJobArn, SkipCheck, RegisterNewBaseline}}`` and ``ClarifyCheck`` likewise (its shape has
    no statistics members); ``ViolationReport`` is only known after a failed check and is left
    out. ``{"Job": {"Arn"}}`` for Job (CreateJob) steps; ``{"EMRServerless": {ApplicationId,
    JobRunId, JobRunName, LogFilePath}}`` (:mod:`.job_runs`; ``job_name`` is the job run name).
    Any other step type: ``{}``.
    """
    args: Mapping[str, Any] = arguments if isinstance(arguments, Mapping) else {}
    member = _ARN_METADATA.get(step_type)
    if member is not None:
        return {member: {"Arn": job_arn} if job_arn else {}}
    if step_type == "Lineage":  # LineageMetadata: what the step created (nothing, simulated)
        return {
            "Lineage": {"ActionArns": {}, "ArtifactArns": {}, "ContextArns": {}, "Associations": []}
        }
    if step_type == "EMRServerless":
        return emr_serverless_metadata(job_name or "", job_arn, args)
    if step_type == "EMR":
        cluster_id, step_id = _emr_ids(args)
        emr: dict[str, Any] = {"ClusterId": cluster_id, "StepId": step_id}
        if job_name:
            emr["StepName"] = job_name
        return {"EMR": emr}
    if step_type in ("QualityCheck", "ClarifyCheck"):
        keys = _QUALITY_CHECK_KEYS if step_type == "QualityCheck" else _CLARIFY_CHECK_KEYS
        values: dict[str, Any] = dict(_check(step_type, job_arn, args, step))
        check_type = _field("CheckType", args, step)
        if isinstance(check_type, str) and check_type:
            values["CheckType"] = check_type
        group = _field("ModelPackageGroupName", args, step)
        if isinstance(group, str) and group:
            values["ModelPackageGroupName"] = group
        values["SkipCheck"] = _truthy(_field("SkipCheck", args, step))
        values["RegisterNewBaseline"] = _truthy(_field("RegisterNewBaseline", args, step))
        if not job_arn:
            values.pop("CheckJobArn", None)
        return {step_type: {key: values[key] for key in keys if key in values}}
    return {}
