"""Step properties of job steps, shaped like each job's Describe* response: :func:`job_properties`.

The service exposes a job step's properties as the Describe* response of its job (Developer Guide,
"Step properties": https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html;
SDK ``sagemaker.workflow.steps``, whose ``Properties`` objects are built from the botocore shapes
named in each function). The arguments are echoed and the fields the service adds (name, ARN,
status in the resource's own words from :mod:`mock_sagemaker_pipelines._moto.job_status`, output
locations) are filled in; values only a real run can know (a tuning job's best training job, an
AutoML best candidate, EMR ids) are stable placeholders. The check steps' properties are in
:mod:`.checks`.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..._moto.job_status import (
    STATUS_MAP,
    best_training_job_name,
    normalise_status,
    tuned_hyper_parameters,
)
from .checks import _check
from .common import _arn_parts, _digest, _echo, _s3_join, _sibling_arn
from .job_runs import emr_serverless_properties, job_properties_of_job

#: ``TrainingJob.SecondaryStatus`` per pipeline status (botocore enum ``SecondaryStatus``).
_TRAINING_SECONDARY: dict[str, str] = {
    "InProgress": "Training",
    "Stopping": "Stopping",
    "Stopped": "Stopped",
    "Completed": "Completed",
    "Failed": "Failed",
}
_AUTOML_SECONDARY: dict[str, str] = {
    "InProgress": "Starting",
    "Stopping": "Stopping",
    "Stopped": "Stopped",
    "Completed": "Completed",
    "Failed": "Failed",
}


# --------------------------------------------------------------------------------------------
# properties per step type
# --------------------------------------------------------------------------------------------


def _training(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeTrainingJob (API_DescribeTrainingJob.html), SDK shape DescribeTrainingJobResponse."""
    props = _echo(args)
    props.update(
        TrainingJobName=name,
        TrainingJobArn=arn,
        TrainingJobStatus=status,
        SecondaryStatus=_TRAINING_SECONDARY[status],
    )
    output = args.get("OutputDataConfig")
    if isinstance(output, Mapping):
        props["OutputDataConfig"] = copy.deepcopy(dict(output))
        artifacts = _s3_join(output.get("S3OutputPath"), name, "output", "model.tar.gz")
        if artifacts is not None:
            props["ModelArtifacts"] = {"S3ModelArtifacts": artifacts}
    return props


def _processing(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeProcessingJob (API_DescribeProcessingJob.html)."""
    props = _echo(args)
    props.update(ProcessingJobName=name, ProcessingJobArn=arn, ProcessingJobStatus=status)
    return props


def _transform(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeTransformJob (API_DescribeTransformJob.html); TransformOutput.S3OutputPath echoed."""
    props = _echo(args)
    props.update(TransformJobName=name, TransformJobArn=arn, TransformJobStatus=status)
    return props


def _tuning(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeHyperParameterTuningJob + ListTrainingJobsForHyperParameterTuningJob.

    The SDK's TuningStep builds its properties from both shapes, so ``BestTrainingJob`` and
    ``TrainingJobSummaries`` (used by ``TuningStep.get_top_model_s3_uri``) are both present.
    """
    props = _echo(args)
    best_name = best_training_job_name(name)
    best = {
        "TrainingJobName": best_name,
        "TrainingJobArn": _sibling_arn(arn, "training-job", best_name),
        "TuningJobName": name,
        "TrainingJobStatus": status,
        "TunedHyperParameters": tuned_hyper_parameters(args),
    }
    running = status in ("InProgress", "Stopping")
    props.update(
        HyperParameterTuningJobName=name,
        HyperParameterTuningJobArn=arn,
        HyperParameterTuningJobStatus=status,
        BestTrainingJob=best,
        TrainingJobSummaries=[copy.deepcopy(best)],
        TrainingJobStatusCounters={
            "Completed": int(status == "Completed"),
            "InProgress": int(running),
            "RetryableError": 0,
            "NonRetryableError": int(status == "Failed"),
            "Stopped": int(status == "Stopped"),
        },
        ObjectiveStatusCounters={
            "Succeeded": int(status == "Completed"),
            "Pending": int(running),
            "Failed": int(status in ("Failed", "Stopped")),
        },
    )
    return props


def _model(name: str, arn: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """DescribeModel (API_DescribeModel.html): ModelName is the generated name."""
    props = _echo(args)
    props.update(ModelName=name, ModelArn=arn)
    return props


def _register_model(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeModelPackage (API_DescribeModelPackage.html).

    For a versioned package (``ModelPackageGroupName`` given) ``ModelPackageName`` is the group's
    name and ``ModelPackageVersion`` the last ARN segment; ``ModelApprovalStatus`` defaults to
    ``PendingManualApproval`` as CreateModelPackage documents for versioned packages.
    """
    props = _echo(args)
    group = args.get("ModelPackageGroupName")
    if isinstance(group, str) and group.startswith("arn:") and "/" in group:
        group = group.rsplit("/", 1)[-1]
    package_name = args.get("ModelPackageName") or group or name
    props.update(ModelPackageName=package_name, ModelPackageArn=arn, ModelPackageStatus=status)
    if group:
        props["ModelPackageGroupName"] = group
        version = arn.rsplit("/", 1)[-1] if arn.count("/") >= 2 else ""
        if version.isdigit():
            props["ModelPackageVersion"] = int(version)
        props["ModelApprovalStatus"] = args.get("ModelApprovalStatus") or "PendingManualApproval"
    return props


def _automl(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeAutoMLJob (API_DescribeAutoMLJob.html) plus the SDK's ``BestCandidateProperties``.

    ``BestCandidate`` is a placeholder: a candidate name, one inference container whose
    ``Environment`` has the keys ``AutoMLStep.get_best_auto_ml_model`` reads, and artifact
    locations under the job's output path. No objective metric value is invented.
    """
    props = _echo(args)
    region, account = _arn_parts(arn)
    output = args.get("OutputDataConfig")
    out_path = output.get("S3OutputPath") if isinstance(output, Mapping) else None
    candidate = f"{name[:24]}-trial-t1-{_digest(name, 10)}"
    base = _s3_join(out_path, name) or ""
    model_data = f"{base}/sagemaker-automl-candidates/model/{candidate}/model.tar.gz"
    insights = f"{base}/documentation/model_insights/{candidate}/ModelInsights.json"
    explainability = f"{base}/documentation/explainability/output/{candidate}/analysis.json"
    image = f"{account or '111122223333'}.dkr.ecr.{region or 'us-east-1'}.amazonaws.com/"
    props.update(
        AutoMLJobName=name,
        AutoMLJobArn=arn,
        AutoMLJobStatus=status,
        AutoMLJobSecondaryStatus=_AUTOML_SECONDARY[status],
        BestCandidate={
            "CandidateName": candidate,
            "CandidateStatus": status,
            "ObjectiveStatus": "Succeeded" if status == "Completed" else "Pending",
            "InferenceContainers": [
                {
                    "Image": image + "autogluon-inference:placeholder",
                    "ModelDataUrl": model_data,
                    "Environment": {
                        "MODEL_NAME": candidate,
                        "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
                        "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
                        "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability",
                        "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label",
                        "SAGEMAKER_PROGRAM": "tabular_serve.py",
                    },
                }
            ],
            "CandidateProperties": {
                "CandidateArtifactLocations": {
                    "Explainability": explainability,
                    "ModelInsights": insights,
                }
            },
        },
        BestCandidateProperties={
            "ModelInsightsJsonReportPath": insights,
            "ExplainabilityJsonReportPath": explainability,
        },
    )
    return props


def _endpoint_config(name: str, arn: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """DescribeEndpointConfig (API_DescribeEndpointConfig.html)."""
    props = _echo(args)
    props.update(EndpointConfigName=name, EndpointConfigArn=arn)
    return props


def _endpoint(name: str, arn: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """DescribeEndpoint (API_DescribeEndpoint.html)."""
    props = _echo(args)
    props.update(EndpointName=name, EndpointArn=arn, EndpointStatus=STATUS_MAP["Endpoint"][status])
    return props


def _emr_ids(arguments: Mapping[str, Any]) -> tuple[str, str]:
    """(ClusterId, StepId): the cluster the Arguments name, else placeholders from the Arguments."""
    seed = json.dumps(arguments, sort_keys=True, default=str)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digest = hashlib.sha1(seed.encode("utf-8")).digest()
    step_id = "s-" + "".join(alphabet[b % 36] for b in digest[:13])
    cluster = arguments.get("ClusterId") if isinstance(arguments, Mapping) else None
    if not isinstance(cluster, str) or not cluster:
        cluster = "j-" + "".join(alphabet[b % 36] for b in digest[7:20])
    return cluster, step_id


def _emr(name: str, args: Mapping[str, Any], status: str) -> dict[str, Any]:
    """EMR ``DescribeStep`` ``Step`` shape (the SDK's EMRStep uses service ``emr``, shape ``Step``).

    ``Id`` (also as ``StepId``) and, for a new cluster, ``ClusterId`` are placeholders derived from
    the Arguments; ``Config`` comes from ``StepConfig.HadoopJarStep``.
    """
    cluster_id, step_id = _emr_ids(args)
    step_config = args.get("StepConfig") if isinstance(args, Mapping) else None
    jar_step = step_config.get("HadoopJarStep") if isinstance(step_config, Mapping) else None
    config: dict[str, Any] = {}
    if isinstance(jar_step, Mapping):
        config = {key: copy.deepcopy(value) for key, value in jar_step.items()}
        properties = config.get("Properties")
        if isinstance(properties, list):  # AddJobFlowSteps KeyValue list -> DescribeStep map
            config["Properties"] = {
                str(item.get("Key")): item.get("Value")
                for item in properties
                if isinstance(item, Mapping)
            }
    props: dict[str, Any] = {
        "ClusterId": cluster_id,
        "Id": step_id,
        "StepId": step_id,
        "Name": name,
        "Config": config,
        "Status": {"State": STATUS_MAP["EMR"][status]},
    }
    if isinstance(step_config, Mapping) and "ActionOnFailure" in step_config:
        props["ActionOnFailure"] = step_config["ActionOnFailure"]
    return props


def job_properties(
    step_type: str,
    job_name: str,
    job_arn: str,
    arguments: dict[str, Any],
    status: str,
    *,
    step: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The step's properties, as ``{"Get": "Steps.<step>.<path>"}`` references read them.

    ``job_name``/``job_arn``: the resource the step created (``JobRef.name``/``JobRef.arn``);
    ``arguments``: the step's resolved Arguments (never modified); ``status``: the pipeline-level
    status (``InProgress``, ``Stopping``, ``Stopped``, ``Completed``, ``Failed``), reported in
    each resource's own words (:func:`resource_status`). Per step type:

    * Training (DescribeTrainingJob): the arguments, ``TrainingJobName``, ``TrainingJobArn``,
      ``TrainingJobStatus``, ``SecondaryStatus``, ``OutputDataConfig`` and
      ``ModelArtifacts.S3ModelArtifacts`` = ``<S3OutputPath>/<job_name>/output/model.tar.gz``;
    * Processing (DescribeProcessingJob): the arguments (``ProcessingOutputConfig.Outputs``
      keep ``OutputName`` and ``S3Output.S3Uri``), ``ProcessingJobName``/``Arn``/``Status``;
    * Transform (DescribeTransformJob): the arguments (``TransformOutput.S3OutputPath``),
      ``TransformJobName``/``Arn``/``Status``;
    * Tuning (DescribeHyperParameterTuningJob): the arguments,
      ``HyperParameterTuningJobName``/``Arn``/``Status``, ``BestTrainingJob`` (placeholder
      name :func:`best_training_job_name`), ``TrainingJobSummaries``, status counters;
    * Model (DescribeModel): the arguments, ``ModelName`` = ``job_name``, ``ModelArn``;
    * RegisterModel (DescribeModelPackage): the arguments, ``ModelPackageArn``,
      ``ModelPackageName``, ``ModelPackageGroupName``, ``ModelPackageVersion``,
      ``ModelApprovalStatus``, ``ModelPackageStatus``;
    * AutoML (DescribeAutoMLJob): the arguments, ``AutoMLJobName``/``Arn``/``Status``,
      ``AutoMLJobSecondaryStatus``, placeholder ``BestCandidate`` and ``BestCandidateProperties``;
    * EndpointConfig (DescribeEndpointConfig): the arguments, ``EndpointConfigName``/``Arn``;
    * Endpoint (DescribeEndpoint): the arguments, ``EndpointName``/``Arn``, ``EndpointStatus``;
    * QualityCheck / ClarifyCheck: ``CalculatedBaseline*`` and ``BaselineUsedForDriftCheck*``
      (see :func:`_check`), ``CheckJobArn``;
    * EMR (EMR ``Step``): ``ClusterId``, ``Id``/``StepId``, ``Name``, ``Config``, ``Status.State``;
    * Job (DescribeJob) and EMRServerless (emr-serverless GetJobRun ``{"jobRun": ...}``): see
      :mod:`.job_runs` (``job_name`` is the EMR Serverless job run name);
    * any other type: the arguments plus ``Name`` and ``Arn``.
    """
    word = normalise_status(status)
    args: Mapping[str, Any] = arguments if isinstance(arguments, Mapping) else {}
    if step_type == "Training":
        return _training(job_name, job_arn, args, word)
    if step_type == "Processing":
        return _processing(job_name, job_arn, args, word)
    if step_type == "Transform":
        return _transform(job_name, job_arn, args, word)
    if step_type == "Tuning":
        return _tuning(job_name, job_arn, args, word)
    if step_type == "Model":
        return _model(job_name, job_arn, args)
    if step_type == "RegisterModel":
        return _register_model(job_name, job_arn, args, STATUS_MAP["RegisterModel"][word])
    if step_type == "AutoML":
        return _automl(job_name, job_arn, args, word)
    if step_type == "EndpointConfig":
        return _endpoint_config(job_name, job_arn, args)
    if step_type == "Endpoint":
        return _endpoint(job_name, job_arn, args, word)
    if step_type in ("QualityCheck", "ClarifyCheck"):
        return _check(step_type, job_arn, args, step)
    if step_type == "EMR":
        return _emr(job_name, args, word)
    if step_type == "Job":
        return job_properties_of_job(job_name, job_arn, args, word)
    if step_type == "EMRServerless":
        return emr_serverless_properties(job_name, job_arn, args, word)
    props = _echo(args)
    props.update(Name=job_name, Arn=job_arn)
    return props
