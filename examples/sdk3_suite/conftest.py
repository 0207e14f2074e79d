"""Fixtures of the SDK 3.x example suite: a ``PipelineSession`` on the mock and a pipeline role.

The offline fixtures (no credentials, no network) are the shared ones in ``examples/conftest.py``.
``sagemaker`` is imported inside the fixtures, not here: each test module skips itself with
``pytest.importorskip`` when the SDK 3.x is not installed.

Role validation: SDK 3.x ``Pipeline.create/update/upsert`` call
``sagemaker.core.helper.iam_role_resolver.resolve_and_validate_role(role_type="pipeline")``.
For a pipeline role that is only a trust check (``iam:GetRole``: the trust policy must let
``sagemaker.amazonaws.com`` assume the role; the ``pipeline`` role type has no permission
"smoke test" actions, so no ``iam:SimulatePrincipalPolicy``). The ``pipeline_role`` fixture
creates such a role in moto's IAM, so the SDK's own check runs and passes, with no stub.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest

from mock_sagemaker_pipelines import PipelinesMock

REGION = "us-east-1"
BUCKET = "example-bucket"

#: The Session's SDK defaults: telemetry off (the same key as in SDK 2.x,
#: ``sagemaker.core.telemetry.telemetry_logging``). Passing a config also keeps the SDK from
#: reading config files.
SAGEMAKER_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}

#: The trust policy SageMaker Pipelines needs on its role (what the SDK checks).
SAGEMAKER_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "sagemaker.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}

#: One botocore data loader for the run: the (large) service models are parsed once instead of
#: once per test. Only a speed-up; credentials and clients are still new in every test.
_LOADER = botocore.loaders.create_loader()


def boto_session() -> boto3.Session:
    """A fresh boto3 Session (no credentials of its own) sharing the run's model loader."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    return boto3.Session(botocore_session=core, region_name=REGION)


@pytest.fixture
def session(
    offline: None, sagemaker_pipelines: PipelinesMock, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """An SDK 3.x ``PipelineSession`` on the mock: telemetry opted out, a default bucket (no STS)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)  # SDK 3.x builds some clients without one
    from sagemaker.core.workflow.pipeline_context import PipelineSession

    return PipelineSession(
        boto_session=boto_session(), default_bucket=BUCKET, sagemaker_config=SAGEMAKER_CONFIG
    )


@pytest.fixture
def pipeline_role(session: Any) -> str:
    """The ARN of a role in moto's IAM that SageMaker may assume (passes the SDK's role check)."""
    iam = session.boto_session.client("iam")
    role = iam.create_role(
        RoleName="SageMakerPipelines",
        AssumeRolePolicyDocument=json.dumps(SAGEMAKER_TRUST_POLICY),
    )
    return str(role["Role"]["Arn"])


@pytest.fixture
def sagemaker_client(session: Any) -> Any:
    """The session's boto3 SageMaker client (for calls the SDK has no method for)."""
    return session.sagemaker_client


@pytest.fixture
def queue_url(session: Any) -> str:
    """An SQS queue in moto for Callback steps."""
    sqs = session.boto_session.client("sqs", region_name=REGION)
    return str(sqs.create_queue(QueueName="sdk3-requests")["QueueUrl"])
