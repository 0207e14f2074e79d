"""Run conditions: ``DependsOn`` entries ``{"Step": NAME, "Trigger": T}`` (SDK 3.x
``StepDependency``), and the ``CompletedWithFailures`` status (botocore model
``PipelineExecutionStatus``; SDK: "A pipeline whose steps run on a failed upstream step ends in
the CompletedWithFailures status instead of Failed")."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    REGION,
    client_error_code,
    condition_step,
    create,
    drain,
    start,
    status,
    step_statuses,
    training_step,
)


def _on(upstream: str, trigger: str) -> dict[str, str]:
    return {"Step": upstream, "Trigger": trigger}


def _with_handler(*more: dict[str, Any]) -> list[dict[str, Any]]:
    """``Train``, ``Notify`` (runs when Train failed), then ``more``."""
    return [
        training_step("Train"),
        training_step("Notify", depends_on=[_on("Train", "Failed")]),
        *more,
    ]


def _run(pipelines: PipelinesMock, sm: Any, steps: list[dict[str, Any]], train: str) -> str:
    """Create and start; ``Train`` ends as ``train`` (succeed or fail)."""
    create(sm, steps)
    if train == "fail":
        pipelines.step("Train").fails("ClientError: boom")
    arn = start(sm)
    pipelines.run_until_idle()
    return arn


def test_a_failed_trigger_runs_only_after_its_dependency_failed(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = _with_handler(training_step("Deploy", depends_on=["Train"]))
    arn = _run(pipelines, sm, steps, "fail")
    assert status(sm, arn) == "CompletedWithFailures"
    assert step_statuses(sm, arn) == {"Train": "Failed", "Notify": "Succeeded"}
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert "FailureReason" not in described


def test_a_failed_trigger_never_starts_when_its_dependency_succeeded(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = _with_handler(training_step("Deploy", depends_on=["Train"]))
    arn = _run(pipelines, sm, steps, "succeed")
    assert status(sm, arn) == "Succeeded"
    assert step_statuses(sm, arn) == {"Train": "Succeeded", "Deploy": "Succeeded"}


@pytest.mark.parametrize("train", ["succeed", "fail"])
def test_an_any_trigger_runs_whatever_its_dependency_did(
    pipelines: PipelinesMock, sm: Any, train: str
) -> None:
    steps = [
        training_step("Train"),
        training_step("Cleanup", depends_on=[_on("Train", "Any")]),
    ]
    arn = _run(pipelines, sm, steps, train)
    assert step_statuses(sm, arn)["Cleanup"] == "Succeeded"
    assert status(sm, arn) == ("Succeeded" if train == "succeed" else "CompletedWithFailures")


def test_a_handler_that_fails_fails_the_execution(pipelines: PipelinesMock, sm: Any) -> None:
    steps = _with_handler()
    create(sm, steps)
    pipelines.step("Train").fails("ClientError: boom")
    pipelines.step("Notify").fails("ClientError: no one to tell")
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["FailureReason"] == (
        "Step failure: One or multiple steps failed."
    )


def test_a_failure_without_a_handler_still_fails_the_execution(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = _with_handler(training_step("Other"))
    create(sm, steps)
    pipelines.step("Train").fails("ClientError: boom")
    pipelines.step("Other").fails("ClientError: also boom")
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    assert step_statuses(sm, arn)["Notify"] == "Succeeded"


def test_what_a_handler_releases_runs_too(pipelines: PipelinesMock, sm: Any) -> None:
    steps = _with_handler(training_step("Archive", depends_on=["Notify"]))
    arn = _run(pipelines, sm, steps, "fail")
    assert step_statuses(sm, arn) == {
        "Train": "Failed",
        "Notify": "Succeeded",
        "Archive": "Succeeded",
    }
    assert status(sm, arn) == "CompletedWithFailures"


def test_a_completed_trigger_object_is_a_plain_dependency(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = [
        training_step("Train"),
        training_step("Deploy", depends_on=[_on("Train", "Completed")]),
    ]
    arn = _run(pipelines, sm, steps, "succeed")
    assert step_statuses(sm, arn) == {"Train": "Succeeded", "Deploy": "Succeeded"}


@pytest.mark.parametrize("trigger", ["Sometimes", "failed", 3])
def test_a_trigger_other_than_the_documented_ones_is_refused(sm: Any, trigger: Any) -> None:
    steps = [
        training_step("Train"),
        training_step("Notify", depends_on=[{"Step": "Train", "Trigger": trigger}]),
    ]
    with pytest.raises(ClientError) as caught:
        create(sm, steps)
    assert client_error_code(caught.value) == "ValidationException"
    assert (
        "must be one of Completed, Failed, Stopped, Any"
        in caught.value.response["Error"]["Message"]
    )
    assert sm.list_pipelines()["PipelineSummaries"] == []


def test_a_trigger_on_a_condition_step_is_accepted_and_a_plain_name_refused(
    pipelines: PipelinesMock, sm: Any
) -> None:
    # SDK 3.x emits run conditions on Condition steps (a StepDependency on a ConditionStep)
    steps = [
        condition_step("Check", []),
        training_step("Notify", depends_on=[_on("Check", "Any")]),
        training_step("OnStop", depends_on=[_on("Check", "Stopped")]),
    ]
    create(sm, steps)
    arn = start(sm)
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"Check": "Succeeded", "Notify": "Succeeded"}
    assert status(sm, arn) == "Succeeded"
    plain = [condition_step("Check", []), training_step("Notify", depends_on=["Check"])]
    with pytest.raises(ClientError) as caught:
        create(sm, plain, name="plain")
    assert caught.value.response["Error"]["Message"] == "Notify can not depends on Check"


def test_the_completed_with_failures_status_reaches_eventbridge(
    pipelines: PipelinesMock, sm: Any
) -> None:
    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="execution-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(
        Name="executions",
        EventPattern=json.dumps(
            {
                "source": ["aws.sagemaker"],
                "detail-type": ["SageMaker Model Building Pipeline Execution Status Change"],
            }
        ),
    )
    events.put_targets(Rule="executions", Targets=[{"Id": "q", "Arn": queue_arn}])
    steps = _with_handler()
    _run(pipelines, sm, steps, "fail")
    statuses = [e["detail"]["currentPipelineExecutionStatus"] for e in drain(sqs, url)]
    assert statuses == ["Executing", "CompletedWithFailures"]
