"""RetryPipelineExecution (API_RetryPipelineExecution; spec section 11.1)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    client_error_code,
    create,
    start,
    status,
    steps_by_name,
    training_step,
)


def test_retry_reruns_the_failed_step_and_keeps_succeeded_ones(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [training_step("A"), training_step("B", depends_on=["A"])], name="p")
    pipelines.step("B").fails("ClientError: first run fails").succeeds()
    arn = start(sm, "p")
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    a_end = steps_by_name(sm, arn)["A"]["EndTime"]

    response = sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    assert response["PipelineExecutionArn"] == arn
    assert status(sm, arn) == "Executing"
    assert "FailureReason" not in sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    steps = steps_by_name(sm, arn)
    assert steps["A"]["EndTime"] == a_end  # not run again
    assert steps["B"]["StepStatus"] == "Succeeded"
    assert len(sm.list_pipeline_executions(PipelineName="p")["PipelineExecutionSummaries"]) == 1


def test_retry_resumes_a_stopped_execution_with_the_steps_not_started(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [training_step("A"), training_step("B", depends_on=["A"])], name="p")
    arn = start(sm, "p")
    pipelines.advance(10)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Stopped"
    assert set(steps_by_name(sm, arn)) == {"A"}

    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    assert {s["StepStatus"] for s in steps_by_name(sm, arn).values()} == {"Succeeded"}


@pytest.mark.parametrize("state", ["Executing", "Succeeded"])
def test_retry_of_a_running_or_succeeded_execution_is_a_validation_error(
    sm: Any, pipelines: PipelinesMock, state: str
) -> None:
    create(sm, [training_step("A")], name="p")
    arn = start(sm, "p")
    if state == "Succeeded":
        pipelines.run_until_idle()
    with pytest.raises(ClientError) as err:
        sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    assert client_error_code(err.value) == "ValidationException"
    assert status(sm, arn) == state


def test_an_execution_ended_by_a_fail_step_cannot_be_retried(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [{"Name": "Stop", "Type": "Fail", "Arguments": {"ErrorMessage": "no"}}], name="p")
    arn = start(sm, "p")
    pipelines.run_until_idle()
    with pytest.raises(ClientError) as err:
        sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    assert client_error_code(err.value) == "ValidationException"
    assert status(sm, arn) == "Failed"


def test_retry_of_an_unknown_execution_is_resource_not_found(sm: Any) -> None:
    create(sm, [training_step("A")], name="p")
    missing = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/doesnotexist"
    with pytest.raises(ClientError) as err:
        sm.retry_pipeline_execution(PipelineExecutionArn=missing)
    assert client_error_code(err.value) == "ResourceNotFound"
