"""``@step`` functions built with the SageMaker Python SDK 3.x run in the test's process.

SDK 3.x (``sagemaker.mlops.workflow.function_step``) signs the pickled function and its
arguments with a private key and puts the public key in the job's ``REMOTE_FUNCTION_SECRET_KEY``;
the mock loads them with the SDK's own ``StoredFunction`` (which verifies the signature), runs
the function on the simulated clock and writes its result where ``execution.result()`` reads it.
Skipped when ``sagemaker.mlops`` (SDK 3.x) is not installed.
"""

from __future__ import annotations

import json
import os
from typing import Any
from unittest import mock

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock

# Importing sagemaker.mlops builds boto3 clients (sagemaker.ai_registry): they need a region, and
# without credentials they would probe the EC2 metadata endpoint.
with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
):
    pytest.importorskip("sagemaker.mlops", reason="needs the SageMaker Python SDK 3.x")
    from sagemaker.core.remote_function.errors import RemoteFunctionError
    from sagemaker.core.workflow.pipeline_context import PipelineSession
    from sagemaker.mlops.workflow.function_step import step
    from sagemaker.mlops.workflow.pipeline import Pipeline

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelines"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/functions:1"
BUCKET = "example-bucket"
SAGEMAKER_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}
STEP_OPTIONS: dict[str, Any] = {"instance_type": "ml.m5.large", "image_uri": IMAGE, "role": ROLE}
TRUST_SAGEMAKER = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
#: Variables that could hand the SDK real credentials or a real profile.
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")

pytestmark = pytest.mark.sagemaker_pipelines(seed=13)


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No real credentials or config files (moto's fakes come with the mock, started after)."""
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def session(no_credentials: None, sagemaker_pipelines: PipelinesMock) -> PipelineSession:
    """A PipelineSession on the mock, its bucket in moto's S3, its role in moto's IAM.

    SDK 3.x checks the role before it builds a job: it must exist and trust SageMaker (moto has
    no SimulatePrincipalPolicy, so the permission check only warns).
    """
    boto = boto3.Session(region_name=REGION)
    boto.client("s3").create_bucket(Bucket=BUCKET)
    boto.client("iam").create_role(
        RoleName=ROLE.rsplit("/", 1)[-1],
        AssumeRolePolicyDocument=json.dumps(TRUST_SAGEMAKER),
    )
    return PipelineSession(
        boto_session=boto, default_bucket=BUCKET, sagemaker_config=SAGEMAKER_CONFIG
    )


def add(a: int, b: int) -> int:
    return a + b


def square(x: int) -> int:
    if x > 100:
        raise ValueError(f"{x} is too big to square")
    return x * x


def start(session: PipelineSession, steps: list[Any]) -> Any:
    pipeline = Pipeline(name="functions-v3", steps=steps, sagemaker_session=session)
    pipeline.upsert(role_arn=ROLE)
    return pipeline.start()


def test_two_function_steps_return_their_values(session: PipelineSession) -> None:
    squared = step(square, name="Square", **STEP_OPTIONS)(
        step(add, name="Add", **STEP_OPTIONS)(2, 3)
    )

    execution = start(session, [squared])

    assert execution.result("Add") == 5
    assert execution.result("Square") == 25
    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"


def test_a_raising_function_fails_its_step_with_the_exception(session: PipelineSession) -> None:
    squared = step(square, name="Square", **STEP_OPTIONS)(
        step(add, name="Add", **STEP_OPTIONS)(100, 1)
    )

    execution = start(session, [squared])

    with pytest.raises(RemoteFunctionError, match="Square is not in Completed status"):
        execution.result("Square")
    steps = {s["StepName"]: s for s in execution.list_steps()}
    assert steps["Square"]["StepStatus"] == "Failed"
    assert "ValueError('101 is too big to square')" in steps["Square"]["FailureReason"]
    assert execution.result("Add") == 101
