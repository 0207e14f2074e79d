"""The three usage styles (fixture + marker, decorator, context manager) behave the same.

One scenario, run in every style: a pipeline whose Callback and Lambda steps run in parallel is
stopped; it stays ``Stopping`` until the callback is answered, then ends ``Stopped``. Each
style's run must produce exactly :data:`EXPECTED`. Further tests check that the mock joins a
``moto.mock_aws`` the user already started and leaves it running with its data.
"""

from __future__ import annotations

import json
import re
import unittest
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import boto3
import moto
import pytest

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION, ROLE, callback_step, definition, lambda_step

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:score"
START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
ARN_PATTERN = re.compile(r"arn:aws:sagemaker:us-east-1:\d{12}:pipeline/styles/execution/\w+")

#: What the scenario observes, whatever the style.
EXPECTED: dict[str, Any] = {
    "running_steps": {"Approve": "Executing", "Score": "Executing"},
    "after_stop": "Stopping",
    "while_callback_unanswered": "Stopping",
    "stop_message_status": "Stopping",
    "final": "Stopped",
    "pending_after": [],
    "lambda_events": 1,
}


def run_stop_scenario(pipelines: PipelinesMock) -> dict[str, Any]:
    """Start the Callback + Lambda pipeline, stop it, answer the callback; return what was seen."""
    sqs = boto3.client("sqs", region_name=REGION)
    sm = boto3.client("sagemaker", region_name=REGION)
    queue_url = sqs.create_queue(QueueName="approvals")["QueueUrl"]
    lambda_events: list[Any] = []

    @pipelines.lambda_function(FUNCTION_ARN, duration=30)
    def score(event: Any, context: Any) -> dict[str, Any]:
        lambda_events.append(event)
        return {"verdict": "ok"}

    steps = [
        callback_step("Approve", queue_url),
        lambda_step("Score", FUNCTION_ARN, outputs=[("verdict", "String")]),
    ]
    sm.create_pipeline(PipelineName="styles", RoleArn=ROLE, PipelineDefinition=definition(steps))
    arn = sm.start_pipeline_execution(PipelineName="styles")["PipelineExecutionArn"]
    assert ARN_PATTERN.fullmatch(arn), arn
    pipelines.advance(5)
    seen: dict[str, Any] = {}

    def status() -> str:
        return sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]

    listed = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
    seen["running_steps"] = {s["StepName"]: s["StepStatus"] for s in listed}
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    seen["after_stop"] = status()
    pipelines.run_until_idle()
    seen["while_callback_unanswered"] = status()
    bodies = [
        json.loads(m["Body"])
        for m in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    ]
    seen["stop_message_status"] = next(b["status"] for b in bodies if "status" in b)
    sm.send_pipeline_execution_step_success(CallbackToken=pipelines.callback_token("Approve"))
    pipelines.run_until_idle()
    seen["final"] = status()
    seen["pending_after"] = pipelines.pending_callbacks()
    seen["lambda_events"] = len(lambda_events)
    return seen


# ----------------------------------------------------------------------- fixture + marker
@pytest.mark.sagemaker_pipelines(seed=7, start_time=START)
def test_fixture_and_marker(sagemaker_pipelines: PipelinesMock) -> None:
    assert sagemaker_pipelines.now() == START
    assert run_stop_scenario(sagemaker_pipelines) == EXPECTED


@pytest.mark.sagemaker_pipelines(start_time=START)
def test_marker_alone_starts_the_mock() -> None:
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_pipeline(
        PipelineName="marked",
        RoleArn=ROLE,
        PipelineDefinition=definition([lambda_step("Score", FUNCTION_ARN)]),
    )
    arn = sm.start_pipeline_execution(PipelineName="marked")["PipelineExecutionArn"]
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["CreationTime"] == START


# ------------------------------------------------------------------------------ decorator
@mock_sagemaker_pipelines(seed=7, start_time=START)
def test_decorator_on_function(pipelines: PipelinesMock) -> None:
    assert pipelines.now() == START
    assert run_stop_scenario(pipelines) == EXPECTED


@mock_sagemaker_pipelines
def test_bare_decorator(pipelines: PipelinesMock) -> None:
    assert run_stop_scenario(pipelines) == EXPECTED


@mock_sagemaker_pipelines(seed=7, start_time=START)
class TestDecoratorOnClass:
    def test_scenario(self, pipelines: PipelinesMock) -> None:
        assert pipelines.now() == START
        assert run_stop_scenario(pipelines) == EXPECTED

    def test_each_method_gets_fresh_state(self, pipelines: PipelinesMock) -> None:
        sm = boto3.client("sagemaker", region_name=REGION)
        assert sm.list_pipelines()["PipelineSummaries"] == []
        assert pipelines.executions() == []
        assert run_stop_scenario(pipelines) == EXPECTED


@mock_sagemaker_pipelines(seed=7, start_time=START)
class DecoratedTestCase(unittest.TestCase):
    sagemaker_pipelines: PipelinesMock

    def test_scenario(self) -> None:
        self.assertEqual(self.sagemaker_pipelines.now(), START)
        self.assertEqual(run_stop_scenario(self.sagemaker_pipelines), EXPECTED)

    def test_each_test_gets_fresh_state(self) -> None:
        sm = boto3.client("sagemaker", region_name=REGION)
        self.assertEqual(sm.list_pipelines()["PipelineSummaries"], [])
        self.assertEqual(run_stop_scenario(self.sagemaker_pipelines), EXPECTED)


# ------------------------------------------------------------------------ context manager
def test_context_manager() -> None:
    with mock_sagemaker_pipelines(seed=7, start_time=START) as pipelines:
        assert pipelines.now() == START
        assert run_stop_scenario(pipelines) == EXPECTED


def test_styles_agree_on_ids_with_the_same_seed() -> None:
    seen = []
    for _ in range(2):
        with mock_sagemaker_pipelines(seed=7, start_time=START) as pipelines:
            run_stop_scenario(pipelines)
            (execution,) = pipelines.executions()
            seen.append((execution.arn, pipelines.sent_messages[0]["Body"]["token"]))
    assert seen[0] == seen[1]


# ------------------------------------------------------------ joining the user's mock_aws
@pytest.fixture
def users_aws() -> Iterator[Any]:
    """The user's own moto fixture; after the test it checks its data outlived our mock."""
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="users-bucket")
        yield s3
        # Our fixture was set up after this one, so it has already been torn down here.
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["users-bucket"]
        queues = boto3.client("sqs", region_name=REGION).list_queues()["QueueUrls"]
        assert [q.rsplit("/", 1)[1] for q in queues] == ["approvals"]


def test_fixture_joins_the_users_mock_aws(
    users_aws: Any, sagemaker_pipelines: PipelinesMock
) -> None:
    assert [b["Name"] for b in users_aws.list_buckets()["Buckets"]] == ["users-bucket"]
    assert run_stop_scenario(sagemaker_pipelines) == EXPECTED


def test_context_manager_joins_and_leaves_the_users_mock_aws_running() -> None:
    with moto.mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        sqs.create_queue(QueueName="before")
        with mock_sagemaker_pipelines() as pipelines:
            assert run_stop_scenario(pipelines) == EXPECTED
            assert len(sqs.list_queues()["QueueUrls"]) == 2
        # Still mocked, nothing reset: the queues and the callback messages are still there.
        names = sorted(q.rsplit("/", 1)[1] for q in sqs.list_queues()["QueueUrls"])
        assert names == ["approvals", "before"]
        approvals = sqs.get_queue_url(QueueName="approvals")["QueueUrl"]
        attributes = sqs.get_queue_attributes(
            QueueUrl=approvals, AttributeNames=["ApproximateNumberOfMessagesNotVisible"]
        )["Attributes"]
        assert attributes["ApproximateNumberOfMessagesNotVisible"] == "2"


@mock_sagemaker_pipelines
def test_decorator_inside_the_users_mock_aws(pipelines: PipelinesMock) -> None:
    # The decorator started mock_aws; a nested mock_aws (the user's) joins it without a reset.
    sqs = boto3.client("sqs", region_name=REGION)
    sqs.create_queue(QueueName="outer")
    with moto.mock_aws():
        assert [q.rsplit("/", 1)[1] for q in sqs.list_queues()["QueueUrls"]] == ["outer"]
        assert run_stop_scenario(pipelines) == EXPECTED
    assert len(sqs.list_queues()["QueueUrls"]) == 2


# ------------------------------------------------------------------------ moto server mode
def test_decorator_in_moto_server_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """``TEST_SERVER_MODE=true`` against a server started with the plugin (in this process).

    moto reads ``TEST_SERVER_MODE`` when it is imported, so the test flips the setting it
    produced; boto3 clients then talk HTTP to the server, and the controller drives the
    server's clock (the decorator joins the server's simulation).
    """
    import moto.settings

    from mock_sagemaker_pipelines.server import PipelinesServer

    with PipelinesServer(port=0) as server:
        monkeypatch.setattr(moto.settings, "TEST_SERVER_MODE", True)
        monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", server.url)

        @mock_sagemaker_pipelines(report="error")
        def scenario(pipelines: PipelinesMock) -> None:
            sm = boto3.client("sagemaker", region_name=REGION)
            assert sm.meta.endpoint_url == server.url
            assert run_stop_scenario(pipelines) == EXPECTED
            assert pipelines.now() == server.controller.now()

        scenario()


def test_a_nested_mock_leaves_the_report_to_the_outer_one() -> None:
    outer_mock = mock_sagemaker_pipelines(report="error")
    outer = outer_mock.start()
    try:
        outer.step("LaterStep").succeeds()
        with mock_sagemaker_pipelines(report="error") as inner:  # joins: must not raise on exit
            assert inner.simulation is outer.simulation
    finally:
        with pytest.raises(AssertionError, match=r"step\('LaterStep'\)\.succeeds was never used"):
            outer_mock.stop()
