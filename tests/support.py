"""Helpers shared by the test modules: definitions built from small step dicts, constants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "examples" / "definitions"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelines"


def real_definition(prefix: str) -> str:
    """The text of a shipped real definition by its file-name prefix ("01", "03", "05")."""
    (path,) = sorted(DEFINITIONS.glob(f"{prefix}-*.json"))
    return path.read_text()


def definition(steps: list[dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> str:
    """A PipelineDefinition JSON string (Version 2020-12-01) with these steps and parameters."""
    return json.dumps(
        {"Version": "2020-12-01", "Metadata": {}, "Parameters": parameters or [], "Steps": steps}
    )


def training_step(name: str, depends_on: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal Training step (Arguments = a CreateTrainingJob request without the name)."""
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Training",
        "Arguments": {
            "AlgorithmSpecification": {
                "TrainingImage": "image:latest",
                "TrainingInputMode": "File",
            },
            "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output"},
            "ResourceConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
                "VolumeSizeInGB": 30,
            },
            "RoleArn": ROLE,
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        },
    }
    if depends_on:
        step["DependsOn"] = depends_on
    step.update(extra)
    return step


def callback_step(
    name: str,
    queue_url: Any,
    arguments: dict[str, Any] | None = None,
    outputs: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Callback step sending to ``queue_url`` with declared (name, type) outputs."""
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Callback",
        "Arguments": arguments or {},
        "SqsQueueUrl": queue_url,
        "OutputParameters": [{"OutputName": n, "OutputType": t} for n, t in (outputs or [])],
    }
    step.update(extra)
    return step


def lambda_step(
    name: str,
    function_arn: str,
    arguments: dict[str, Any] | None = None,
    outputs: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Lambda step invoking ``function_arn`` with declared (name, type) outputs."""
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Lambda",
        "FunctionArn": function_arn,
        "Arguments": arguments or {},
        "OutputParameters": [{"OutputName": n, "OutputType": t} for n, t in (outputs or [])],
    }
    step.update(extra)
    return step


def client_error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError."""
    return exc.response["Error"]["Code"]  # type: ignore[attr-defined, no-any-return]
