"""Helpers of the engine tests (issue 3): create/start pipelines, read steps and jobs back.

Everything goes through boto3 against the mock; nothing here reads the engine's internals.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

from .support import ROLE, definition

#: ``pipelines-<executionId>-<step lower>-<10 random [a-z0-9]>`` (spec section 2).
JOB_NAME = re.compile(
    r"^pipelines-(?P<execution>[a-z0-9]{12})-(?P<step>.+)-(?P<suffix>[a-z0-9]{10})$"
)

#: The metadata key holding the resource ARN, per job step Type (spec section 5).
METADATA_KEY = {
    "Training": "TrainingJob",
    "Processing": "ProcessingJob",
    "Transform": "TransformJob",
    "Model": "Model",
    "RegisterModel": "RegisterModel",
}


def create(
    sm: Any,
    steps: list[dict[str, Any]],
    parameters: list[dict[str, Any]] | None = None,
    name: str = "pipe",
    **extra: Any,
) -> str:
    """CreatePipeline with these steps; returns the pipeline ARN."""
    response = sm.create_pipeline(
        PipelineName=name,
        RoleArn=ROLE,
        PipelineDefinition=definition(steps, parameters),
        **extra,
    )
    return str(response["PipelineArn"])


def start(sm: Any, name: str = "pipe", **extra: Any) -> str:
    """StartPipelineExecution; returns the execution ARN."""
    return str(sm.start_pipeline_execution(PipelineName=name, **extra)["PipelineExecutionArn"])


def run(
    sm: Any,
    steps: list[dict[str, Any]],
    parameters: list[dict[str, Any]] | None = None,
    **start_extra: Any,
) -> str:
    """Create pipeline ``pipe`` and start it; returns the execution ARN."""
    create(sm, steps, parameters)
    return start(sm, **start_extra)


def status(sm: Any, arn: str) -> str:
    """PipelineExecutionStatus of ``arn``."""
    return str(sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"])


def step_list(sm: Any, arn: str, **extra: Any) -> list[dict[str, Any]]:
    """ListPipelineExecutionSteps (one call, default order) -> the PipelineExecutionSteps list."""
    return list(
        sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, **extra)[
            "PipelineExecutionSteps"
        ]
    )


def steps_by_name(sm: Any, arn: str) -> dict[str, dict[str, Any]]:
    """The listed steps keyed by StepName."""
    return {s["StepName"]: s for s in step_list(sm, arn)}


def step_statuses(sm: Any, arn: str) -> dict[str, str]:
    """StepName -> StepStatus of every listed step."""
    return {s["StepName"]: s["StepStatus"] for s in step_list(sm, arn)}


def resource_arn(step: dict[str, Any]) -> str:
    """The resource ARN in a job step's Metadata (whatever the step type)."""
    (value,) = step["Metadata"].values()
    return str(value["Arn"])


def resource_name(step: dict[str, Any]) -> str:
    """The resource name at the end of a job step's Metadata ARN."""
    return resource_arn(step).rsplit("/", 1)[-1]


def seconds(delta: timedelta) -> float:
    """A timedelta in seconds."""
    return delta.total_seconds()


def same_time(a: datetime, b: datetime) -> bool:
    """Equal to the millisecond (the wire format carries milliseconds)."""
    return abs((a - b).total_seconds()) < 0.001


def with_arguments(step: dict[str, Any], **arguments: Any) -> dict[str, Any]:
    """``step`` with these members merged into its Arguments (returns the same dict)."""
    step["Arguments"].update(arguments)
    return step


def join(on: str, *values: Any) -> dict[str, Any]:
    """``{"Std:Join": {"On": on, "Values": [...]}}``."""
    return {"Std:Join": {"On": on, "Values": list(values)}}


def get(path: str) -> dict[str, str]:
    """``{"Get": path}``."""
    return {"Get": path}


def processing_step(
    name: str,
    outputs: dict[str, Any] | None = None,
    property_files: list[dict[str, str]] | None = None,
    depends_on: list[str] | None = None,
    inputs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Processing step with named outputs (OutputName -> S3Uri) and property files."""
    args: dict[str, Any] = {
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 30,
            }
        },
        "AppSpecification": {"ImageUri": "image:latest"},
        "RoleArn": ROLE,
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": out,
                    "AppManaged": False,
                    "S3Output": {
                        "S3Uri": uri,
                        "LocalPath": f"/opt/ml/processing/{out}",
                        "S3UploadMode": "EndOfJob",
                    },
                }
                for out, uri in (outputs or {}).items()
            ]
        },
    }
    if inputs:
        args["ProcessingInputs"] = inputs
    step: dict[str, Any] = {"Name": name, "Type": "Processing", "Arguments": args}
    if property_files:
        step["PropertyFiles"] = property_files
    if depends_on:
        step["DependsOn"] = depends_on
    return step


def model_step(
    name: str, model_data_url: Any, depends_on: list[str] | None = None
) -> dict[str, Any]:
    """A Model (CreateModel) step."""
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Model",
        "Arguments": {
            "ExecutionRoleArn": ROLE,
            "PrimaryContainer": {
                "Image": "image:latest",
                "Environment": {},
                "ModelDataUrl": model_data_url,
            },
        },
    }
    if depends_on:
        step["DependsOn"] = depends_on
    return step


def transform_step(
    name: str, model_name: Any, input_uri: Any = "s3://example-bucket/in"
) -> dict[str, Any]:
    """A Transform step."""
    return {
        "Name": name,
        "Type": "Transform",
        "Arguments": {
            "ModelName": model_name,
            "TransformInput": {
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": input_uri}}
            },
            "TransformOutput": {"S3OutputPath": "s3://example-bucket/transform-out"},
            "TransformResources": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge"},
        },
    }


def register_model_step(name: str, model_data_url: Any, group: str = "MyGroup") -> dict[str, Any]:
    """A RegisterModel step (CreateModelPackage request)."""
    return {
        "Name": name,
        "Type": "RegisterModel",
        "Arguments": {
            "ModelPackageGroupName": group,
            "InferenceSpecification": {
                "Containers": [{"Image": "image:latest", "ModelDataUrl": model_data_url}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            "ModelApprovalStatus": "PendingManualApproval",
        },
    }


def condition_step(
    name: str,
    conditions: list[dict[str, Any]],
    if_steps: list[dict[str, Any]] | None = None,
    else_steps: list[dict[str, Any]] | None = None,
    depends_on: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Condition step (``extra``: more top-level keys, e.g. ``DependsOn``)."""
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Condition",
        "Arguments": {
            "Conditions": conditions,
            "IfSteps": if_steps or [],
            "ElseSteps": else_steps or [],
        },
    }
    if depends_on:
        step["DependsOn"] = depends_on
    step.update(extra)
    return step


def fail_step(
    name: str, message: Any = None, depends_on: list[str] | None = None
) -> dict[str, Any]:
    """A Fail step (no ErrorMessage when ``message`` is None)."""
    args: dict[str, Any] = {}
    if message is not None:
        args["ErrorMessage"] = message
    step: dict[str, Any] = {"Name": name, "Type": "Fail", "Arguments": args}
    if depends_on:
        step["DependsOn"] = depends_on
    return step


def parameter(
    name: str, type_: str, default: Any = None, has_default: bool = True
) -> dict[str, Any]:
    """A ``Parameters[]`` entry."""
    item: dict[str, Any] = {"Name": name, "Type": type_}
    if has_default:
        item["DefaultValue"] = default
    return item


def definition_of(sm: Any, arn: str) -> dict[str, Any]:
    """DescribePipelineDefinitionForExecution, parsed."""
    text = sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)[
        "PipelineDefinition"
    ]
    return dict(json.loads(text))
