"""Long-lived mocks release what deleted pipelines held (issue: reliability under hostile input)."""

from __future__ import annotations

import gc
import json
import weakref

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/pipelines"
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/callbacks"


def _callback_definition() -> str:
    return json.dumps(
        {
            "Version": "2020-12-01",
            "Steps": [
                {"Name": "Wait", "Type": "Callback", "SqsQueueUrl": QUEUE, "Arguments": {}},
                {
                    "Name": "Later",
                    "Type": "Callback",
                    "SqsQueueUrl": QUEUE,
                    "Arguments": {},
                    "DependsOn": ["Wait"],
                },
            ],
        }
    )


def _cycle(pipelines: PipelinesMock, sm: object, name: str, answer: bool) -> weakref.ref[object]:
    sm.create_pipeline(PipelineName=name, PipelineDefinition=_callback_definition(), RoleArn=ROLE)  # type: ignore[attr-defined]
    arn = sm.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]  # type: ignore[attr-defined]
    pipelines.advance(5)
    token = pipelines.callback_token("Wait", arn)
    if answer:
        sm.send_pipeline_execution_step_success(CallbackToken=token)  # type: ignore[attr-defined]
        pipelines.advance(5)
        sm.send_pipeline_execution_step_success(
            CallbackToken=pipelines.callback_token("Later", arn)
        )  # type: ignore[attr-defined]
    else:
        sm.stop_pipeline_execution(PipelineExecutionArn=arn)  # type: ignore[attr-defined]
        sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="stopped")  # type: ignore[attr-defined]
    pipelines.run_until_idle()
    status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]  # type: ignore[attr-defined]
    assert status == ("Succeeded" if answer else "Stopped")
    (execution,) = [e for e in pipelines.executions() if e.arn == arn]
    ref = weakref.ref(execution)
    del execution
    sm.delete_pipeline(PipelineName=name)  # type: ignore[attr-defined]
    return ref


@pytest.mark.parametrize("answer", [True, False], ids=["answered", "stopped"])
def test_deleting_a_pipeline_releases_its_executions(answer: bool) -> None:
    with mock_sagemaker_pipelines() as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        boto3.client("sqs", region_name=REGION).create_queue(QueueName="callbacks")
        refs = [_cycle(pipelines, sm, f"cycle-{i}", answer) for i in range(5)]
        gc.collect()
        assert [r for r in refs if r() is not None] == []
        assert pipelines.executions() == []
        assert pipelines.sent_messages == []


def test_a_token_of_a_deleted_pipeline_is_unknown() -> None:
    with mock_sagemaker_pipelines() as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        boto3.client("sqs", region_name=REGION).create_queue(QueueName="callbacks")
        sm.create_pipeline(
            PipelineName="p", PipelineDefinition=_callback_definition(), RoleArn=ROLE
        )
        arn = sm.start_pipeline_execution(PipelineName="p")["PipelineExecutionArn"]
        pipelines.advance(5)
        token = pipelines.callback_token("Wait", arn)
        sm.stop_pipeline_execution(PipelineExecutionArn=arn)
        sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="stopped")
        pipelines.run_until_idle()
        sm.delete_pipeline(PipelineName="p")
        with pytest.raises(ClientError) as caught:
            sm.send_pipeline_execution_step_success(CallbackToken=token)
        assert caught.value.response["Error"]["Code"] == "ResourceNotFound"
