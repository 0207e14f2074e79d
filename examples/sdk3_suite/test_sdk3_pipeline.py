"""The SageMaker Python SDK 3.x (``sagemaker.mlops.workflow``, ``sagemaker.core``) driving a
pipeline on the mock: upsert, start, describe, list_steps, list_parameters, wait and stop, offline.

The pipeline is the 2.x suite's (``examples/sdk_suite``), built with the 3.x classes: a Callback
step ``WaitForScore`` (an outside system reports a ``score``), then a Condition step
``CheckScore``: score >= ``Threshold`` runs the Lambda step ``Publish``, otherwise the Fail step
``Reject`` fails the execution. See README.md in this folder.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import WaiterError

from mock_sagemaker_pipelines import PipelinesMock

# SDK 3.x creates a boto3 client while its modules load (sagemaker.ai_registry), which needs a
# region; and the SDK's boto3 Session would probe the EC2 metadata endpoint without credentials.
with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
):
    pytest.importorskip("sagemaker.mlops.workflow", reason="needs the SageMaker Python SDK 3.x")
    from sagemaker.core.helper.iam_role_resolver import RoleValidationError
    from sagemaker.core.lambda_helper import Lambda
    from sagemaker.core.workflow.conditions import ConditionGreaterThanOrEqualTo
    from sagemaker.core.workflow.functions import Join
    from sagemaker.core.workflow.parameters import ParameterInteger
    from sagemaker.mlops.workflow import (
        CallbackOutput,
        CallbackStep,
        ConditionStep,
        FailStep,
        LambdaOutput,
        LambdaStep,
        Pipeline,
    )
    from sagemaker.mlops.workflow.callback_step import CallbackOutputTypeEnum
    from sagemaker.mlops.workflow.lambda_step import LambdaOutputTypeEnum

REGION = "us-east-1"
ACCOUNT = "123456789012"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:publish-model"
START = datetime(2026, 6, 3, 9, 0, tzinfo=timezone.utc)

pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=2026, start_time=START),
    pytest.mark.usefixtures("no_network_afterwards"),
    pytest.mark.filterwarnings("ignore:Lambda function won't be updated:UserWarning"),
]


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
def pipeline(session: Any, queue_url: str, published: list[Any]) -> Pipeline:
    """The SDK 3.x pipeline: Callback -> Condition (Lambda | Fail)."""
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
        name="sdk3-example",
        parameters=[threshold],
        steps=[wait_for_score, check],
        sagemaker_session=session,
    )


def steps_by_name(execution: Any) -> dict[str, dict[str, Any]]:
    """``list_steps()`` keyed by step name."""
    return {step["StepName"]: step for step in execution.list_steps()}


def test_upsert_creates_then_updates(pipeline: Pipeline, pipeline_role: str) -> None:
    created = pipeline.upsert(role_arn=pipeline_role, description="first")
    assert re.fullmatch(
        rf"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/sdk3-example", created["PipelineArn"]
    )
    updated = pipeline.upsert(role_arn=pipeline_role, description="second")
    assert updated["PipelineArn"] == created["PipelineArn"]

    described = pipeline.describe()
    assert described["PipelineDescription"] == "second"
    assert described["RoleArn"] == pipeline_role
    definition = json.loads(described["PipelineDefinition"])
    assert definition["MlflowConfig"] is None  # SDK 3.x adds the key; the service accepts null
    assert [s["Name"] for s in definition["Steps"]] == ["WaitForScore", "CheckScore"]
    assert definition == json.loads(pipeline.definition())
    assert pipeline.latest_pipeline_version_id == 2


def test_a_role_sagemaker_cannot_assume_is_refused_by_the_sdk(pipeline: Pipeline) -> None:
    # The SDK's own role check runs against moto's IAM: a role that is not there fails it.
    missing = f"arn:aws:iam::{ACCOUNT}:role/NotThere"
    with pytest.raises(RoleValidationError, match="cannot be used for 'pipeline' workloads"):
        pipeline.upsert(role_arn=missing)
    names = pipeline.sagemaker_session.sagemaker_client.list_pipelines()["PipelineSummaries"]
    assert names == []


def test_high_score_publishes_and_wait_returns(
    pipeline: Pipeline,
    pipeline_role: str,
    sagemaker_pipelines: PipelinesMock,
    published: list[dict[str, Any]],
) -> None:
    # The outside system answers after 20 simulated minutes.
    sagemaker_pipelines.step("WaitForScore").succeeds(after=1200, outputs={"score": 90})
    pipeline.upsert(role_arn=pipeline_role)
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
    pipeline: Pipeline,
    pipeline_role: str,
    sagemaker_pipelines: PipelinesMock,
    published: list[dict[str, Any]],
) -> None:
    sagemaker_pipelines.step("WaitForScore").succeeds(after=300, outputs={"score": 10})
    pipeline.upsert(role_arn=pipeline_role)
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
    pipeline: Pipeline,
    pipeline_role: str,
    sagemaker_client: Any,
    sagemaker_pipelines: PipelinesMock,
) -> None:
    pipeline.upsert(role_arn=pipeline_role)
    execution = pipeline.start()
    sagemaker_pipelines.advance(10)
    callback = steps_by_name(execution)["WaitForScore"]
    assert callback["StepStatus"] == "Executing"

    execution.stop()
    assert execution.describe()["PipelineExecutionStatus"] == "Stopping"
    sagemaker_pipelines.advance(3600)  # stays Stopping until the callback is answered
    assert execution.describe()["PipelineExecutionStatus"] == "Stopping"
    assert sagemaker_pipelines.sent_messages[-1]["Body"]["status"] == "Stopping"

    token = callback["Metadata"]["Callback"]["CallbackToken"]
    sagemaker_client.send_pipeline_execution_step_failure(
        CallbackToken=token, FailureReason="cancelled by the operator"
    )
    assert execution.describe()["PipelineExecutionStatus"] == "Stopped"

    # Stopped is not terminal for the SDK 3.x waiter either (the same two acceptors as 2.x):
    # it polls until max_attempts (60 x 30 s), 29.5 simulated minutes and no real time.
    before = sagemaker_pipelines.now()
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        execution.wait()
    assert sagemaker_pipelines.now() - before == timedelta(seconds=59 * 30)
    assert "Publish" not in steps_by_name(execution)


def test_no_credentials_and_no_network(
    pipeline: Pipeline,
    pipeline_role: str,
    session: Any,
    network_attempts: list[Any],
    sagemaker_pipelines: PipelinesMock,
) -> None:
    sagemaker_pipelines.step("WaitForScore").succeeds(after=60, outputs={"score": 60})
    pipeline.upsert(role_arn=pipeline_role)
    pipeline.start().wait(delay=5, max_attempts=100)
    assert network_attempts == []
    # The only credentials in play are the fake ones moto's mock_aws put in the environment.
    assert session.boto_session.get_credentials().access_key == os.environ["AWS_ACCESS_KEY_ID"]
    assert os.environ["AWS_ACCESS_KEY_ID"] == "FOOBARKEY"
