"""The SageMaker Python SDK (v2) driving a pipeline on the mock: upsert, start, describe,
list_steps, wait and stop, offline.

The pipeline: a Callback step ``WaitForScore`` (an outside system reports a ``score``), then a
Condition step ``CheckScore``: score >= ``Threshold`` runs the Lambda step ``Publish``, otherwise
the Fail step ``Reject`` fails the execution. See README.md in this folder.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from unittest import mock

import boto3
import botocore.loaders
import botocore.session
import pytest
from botocore.exceptions import WaiterError

from mock_sagemaker_pipelines import PipelinesMock

# Importing sagemaker builds a boto3 Session (sagemaker.jumpstart.constants) that would probe
# the EC2 metadata endpoint when there are no credentials; and the v2 line prints a notice.
with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
):
    pytest.importorskip("sagemaker", minversion="2.200")
    from sagemaker.lambda_helper import Lambda
    from sagemaker.workflow.callback_step import (
        CallbackOutput,
        CallbackOutputTypeEnum,
        CallbackStep,
    )
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionGreaterThanOrEqualTo
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.functions import Join
    from sagemaker.workflow.lambda_step import LambdaOutput, LambdaOutputTypeEnum, LambdaStep
    from sagemaker.workflow.parameters import ParameterInteger
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_context import PipelineSession

REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelines"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:publish-model"
START = datetime(2024, 6, 3, 9, 0, tzinfo=timezone.utc)

#: The Session's SDK defaults: telemetry off (real-clients.md section 3). Passing a config also
#: keeps the SDK from reading config files.
SAGEMAKER_CONFIG = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}

pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=2024, start_time=START),
    pytest.mark.usefixtures("no_network_afterwards"),
    pytest.mark.filterwarnings("ignore:Lambda function won't be updated:UserWarning"),
]

#: One botocore data loader for the module: the (large) service models are parsed once instead
#: of once per test. Only a speed-up; credentials and clients are still new in every test.
_LOADER = botocore.loaders.create_loader()


def boto_session() -> boto3.Session:
    """A fresh boto3 Session (no credentials of its own) sharing the module's model loader."""
    core = botocore.session.get_session()
    core.register_component("data_loader", _LOADER)
    return boto3.Session(botocore_session=core, region_name=REGION)


@pytest.fixture
def session(offline: None, sagemaker_pipelines: PipelinesMock) -> PipelineSession:
    """A PipelineSession on the mock, telemetry opted out, with a default bucket (no STS)."""
    return PipelineSession(
        boto_session=boto_session(),
        default_bucket="example-bucket",
        sagemaker_config=SAGEMAKER_CONFIG,
    )


@pytest.fixture
def queue_url(session: PipelineSession) -> str:
    """The SQS queue the Callback step writes to (moto's SQS)."""
    sqs = session.boto_session.client("sqs", region_name=REGION)
    return sqs.create_queue(QueueName="score-requests")["QueueUrl"]


@pytest.fixture
def published(sagemaker_pipelines: PipelinesMock) -> list[dict[str, Any]]:
    """Events the ``Publish`` Lambda step's function received (a Python handler)."""
    events: list[dict[str, Any]] = []

    @sagemaker_pipelines.lambda_function(FUNCTION_ARN, duration=20)
    def publish(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        return {"url": f"s3://models/{event['score']}"}

    return events


@pytest.fixture
def pipeline(session: PipelineSession, queue_url: str, published: list[Any]) -> Pipeline:
    """The SDK pipeline: Callback -> Condition (Lambda | Fail)."""
    threshold = ParameterInteger(name="Threshold", default_value=50)
    wait_for_score = CallbackStep(
        name="WaitForScore",
        sqs_queue_url=queue_url,
        inputs={"model": "candidate-7"},
        outputs=[CallbackOutput(output_name="score", output_type=CallbackOutputTypeEnum.Integer)],
    )
    score = wait_for_score.properties.Outputs["score"]
    publish = LambdaStep(
        name="Publish",
        lambda_func=Lambda(function_arn=FUNCTION_ARN, session=session),
        inputs={"score": score},
        outputs=[LambdaOutput(output_name="url", output_type=LambdaOutputTypeEnum.String)],
    )
    reject = FailStep(name="Reject", error_message=Join(on=" ", values=["score below", threshold]))
    check = ConditionStep(
        name="CheckScore",
        conditions=[ConditionGreaterThanOrEqualTo(left=score, right=threshold)],
        if_steps=[publish],
        else_steps=[reject],
    )
    return Pipeline(
        name="sdk-example",
        parameters=[threshold],
        steps=[wait_for_score, check],
        sagemaker_session=session,
    )


def steps_by_name(execution: Any) -> dict[str, dict[str, Any]]:
    """``list_steps()`` keyed by step name."""
    return {step["StepName"]: step for step in execution.list_steps()}


def test_upsert_creates_then_updates(pipeline: Pipeline) -> None:
    created = pipeline.upsert(role_arn=ROLE, description="first")
    assert re.fullmatch(
        rf"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/sdk-example", created["PipelineArn"]
    )
    updated = pipeline.upsert(role_arn=ROLE, description="second")
    assert updated["PipelineArn"] == created["PipelineArn"]

    described = pipeline.describe()
    assert described["PipelineDescription"] == "second"
    definition = json.loads(described["PipelineDefinition"])
    assert [s["Name"] for s in definition["Steps"]] == ["WaitForScore", "CheckScore"]
    assert definition == json.loads(pipeline.definition())


def test_high_score_publishes_and_wait_returns(
    pipeline: Pipeline, sagemaker_pipelines: PipelinesMock, published: list[dict[str, Any]]
) -> None:
    # The outside system answers after 20 simulated minutes.
    sagemaker_pipelines.step("WaitForScore").succeeds(after=1200, outputs={"score": 90})
    pipeline.upsert(role_arn=ROLE)
    execution = pipeline.start(parameters={"Threshold": 50})
    assert execution.describe()["PipelineExecutionStatus"] == "Executing"

    execution.wait()  # default 30 s x 60: the waiter's sleeps move the simulated clock

    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"
    assert sagemaker_pipelines.now() - START >= timedelta(seconds=1200)
    listed = execution.list_steps()
    assert [s["StepName"] for s in listed] == ["Publish", "CheckScore", "WaitForScore"]
    assert {s["StepStatus"] for s in listed} == {"Succeeded"}
    steps = {s["StepName"]: s for s in listed}
    assert steps["CheckScore"]["Metadata"]["Condition"]["Outcome"] == "True"
    assert steps["Publish"]["Metadata"]["Lambda"]["OutputParameters"] == [
        {"Name": "url", "Value": "s3://models/90"}
    ]
    assert published == [{"score": 90}]
    assert execution.list_parameters()["PipelineParameters"] == [
        {"Name": "Threshold", "Value": "50"}
    ]


def test_low_score_fails_and_wait_raises_terminal_failure(
    pipeline: Pipeline, sagemaker_pipelines: PipelinesMock, published: list[dict[str, Any]]
) -> None:
    sagemaker_pipelines.step("WaitForScore").succeeds(after=300, outputs={"score": 10})
    pipeline.upsert(role_arn=ROLE)
    execution = pipeline.start(parameters={"Threshold": 75})

    with pytest.raises(WaiterError, match="terminal failure state"):
        execution.wait()

    described = execution.describe()
    assert described["PipelineExecutionStatus"] == "Failed"
    assert "Step failure: One or multiple steps failed" in described["FailureReason"]
    newest = execution.list_steps()[0]
    assert newest["StepName"] == "Reject"
    assert newest["StepStatus"] == "Failed"
    assert newest["FailureReason"] == "score below 75"
    assert newest["Metadata"]["Fail"]["ErrorMessage"] == "score below 75"
    assert steps_by_name(execution)["CheckScore"]["Metadata"]["Condition"]["Outcome"] == "False"
    assert published == []


def test_stop_waits_for_the_callback_then_wait_runs_out_of_attempts(
    pipeline: Pipeline, session: PipelineSession, sagemaker_pipelines: PipelinesMock
) -> None:
    pipeline.upsert(role_arn=ROLE)
    execution = pipeline.start()
    sagemaker_pipelines.advance(10)
    callback = steps_by_name(execution)["WaitForScore"]
    assert callback["StepStatus"] == "Executing"

    execution.stop()
    assert execution.describe()["PipelineExecutionStatus"] == "Stopping"
    sagemaker_pipelines.advance(3600)  # stays Stopping until the callback is answered
    assert execution.describe()["PipelineExecutionStatus"] == "Stopping"
    stop_message = sagemaker_pipelines.sent_messages[-1]["Body"]
    assert stop_message["status"] == "Stopping"

    token = callback["Metadata"]["Callback"]["CallbackToken"]
    session.sagemaker_client.send_pipeline_execution_step_failure(
        CallbackToken=token, FailureReason="cancelled by the operator"
    )
    assert execution.describe()["PipelineExecutionStatus"] == "Stopped"

    # Stopped is not terminal for the SDK's waiter: it polls until max_attempts (60 x 30 s),
    # which here costs 29.5 simulated minutes and no real time.
    before = sagemaker_pipelines.now()
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        execution.wait()
    assert sagemaker_pipelines.now() - before == timedelta(seconds=59 * 30)
    assert "Publish" not in steps_by_name(execution)


def test_no_credentials_and_no_network(
    pipeline: Pipeline,
    session: PipelineSession,
    network_attempts: list[Any],
    sagemaker_pipelines: PipelinesMock,
) -> None:
    sagemaker_pipelines.step("WaitForScore").succeeds(after=60, outputs={"score": 60})
    pipeline.upsert(role_arn=ROLE)
    pipeline.start().wait(delay=5, max_attempts=100)
    assert network_attempts == []
    # The only credentials in play are the fake ones moto's mock_aws put in the environment.
    assert session.boto_session.get_credentials().access_key == os.environ["AWS_ACCESS_KEY_ID"]
    assert os.environ["AWS_ACCESS_KEY_ID"] == "FOOBARKEY"
