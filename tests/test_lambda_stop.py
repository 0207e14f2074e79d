"""StopPipelineExecution while a Lambda step runs (issue 5, item 4).

"A pipeline execution can't be stopped while a lambda step is running ... the pipeline waits for
the Lambda function to finish or until the timeout is hit, whichever occurs first, and then
stops. If the Lambda function finishes, the pipeline execution status is Stopped. If the timeout
is hit the pipeline execution status is Failed." (StopPipelineExecution API reference; spec
sections 7 and 8.)
"""

from __future__ import annotations

from typing import Any

import pytest

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    ACCOUNT,
    REGION,
    callback_step,
    drain,
    lambda_step,
    output_values,
    run,
    status,
    steps_by_name,
    training_step,
)

FN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:long-running"


def _register(pipelines: PipelinesMock, duration: float, result: Any) -> list[dict[str, Any]]:
    """Register ``FN`` with a simulated run time; returns the list of events it received."""
    events: list[dict[str, Any]] = []

    @pipelines.lambda_function(FN, duration=duration)
    def handler(event: dict[str, Any], context: Any) -> Any:
        events.append(event)
        if isinstance(result, Exception):
            raise result
        return result

    return events


def _running(pipelines: PipelinesMock, sm: Any, **extra: Any) -> str:
    """Start ``Run`` (the Lambda) followed by ``After``; stop after 60 s of Lambda run time."""
    arn = run(
        sm,
        [
            lambda_step("Run", FN, {"job": "j-1"}, [("count", "Integer")]),
            training_step("After", ["Run"]),
        ],
    )
    pipelines.advance(61)
    assert steps_by_name(sm, arn)["Run"]["StepStatus"] == "Executing"
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    return arn


def test_the_function_finishes_and_the_execution_ends_stopped(
    pipelines: PipelinesMock, sm: Any
) -> None:
    events = _register(pipelines, 300, {"count": 4})
    arn = _running(pipelines, sm)
    assert status(sm, arn) == "Stopping"
    assert (
        steps_by_name(sm, arn)["Run"]["StepStatus"] == "Executing"
    )  # the function cannot be stopped

    pipelines.advance(200)  # 260 s into the 300 s run
    assert status(sm, arn) == "Stopping"
    pipelines.advance(50)
    steps = steps_by_name(sm, arn)
    assert set(steps) == {"Run"}  # After never starts
    assert steps["Run"]["StepStatus"] == "Succeeded"  # the step keeps its own result
    assert output_values(steps["Run"], "Lambda") == {"count": "4"}
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Stopped"
    assert "FailureReason" not in described
    pipelines.run_until_idle()
    assert set(steps_by_name(sm, arn)) == {"Run"}
    assert len(events) == 1  # invoked once, when the step started


def test_a_function_that_fails_while_stopping_still_ends_stopped(
    pipelines: PipelinesMock, sm: Any
) -> None:
    _register(pipelines, 300, RuntimeError("downstream API refused"))
    arn = _running(pipelines, sm)
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["Run"]
    assert step["StepStatus"] == "Failed"
    assert "RuntimeError" in step["FailureReason"]
    assert status(sm, arn) == "Stopped"


@pytest.mark.parametrize("duration", [600, 7200])
def test_the_timeout_hit_while_stopping_fails_the_execution(
    pipelines: PipelinesMock, sm: Any, duration: float
) -> None:
    _register(pipelines, duration, {"count": 4})
    arn = _running(pipelines, sm)
    pipelines.advance(500)  # 560 s into the run
    assert status(sm, arn) == "Stopping"
    pipelines.advance(100)
    steps = steps_by_name(sm, arn)
    assert set(steps) == {"Run"}
    assert steps["Run"]["StepStatus"] == "Failed"
    assert "timed out" in steps["Run"]["FailureReason"]
    assert status(sm, arn) == "Failed"


def test_a_scripted_lambda_outcome_is_waited_for(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Run").succeeds(after=400, outputs={"count": 2})
    arn = _running(pipelines, sm)
    pipelines.advance(300)
    assert status(sm, arn) == "Stopping"
    pipelines.run_until_idle()
    assert output_values(steps_by_name(sm, arn)["Run"], "Lambda") == {"count": "2"}
    assert status(sm, arn) == "Stopped"


# ------------------------------------------------ a Lambda beside a Callback step
@pytest.fixture
def queue(sqs: Any) -> str:
    """URL of a standard queue ``callbacks`` in the default account and region."""
    return str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])


def _lambda_beside_callback(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> tuple[str, str]:
    arn = run(
        sm,
        [
            lambda_step("Run", FN, {"job": "j-1"}, [("count", "Integer")]),
            callback_step("Wait", queue, {"job": "glue-1"}),
            training_step("After", ["Run", "Wait"]),
        ],
    )
    pipelines.advance(61)
    (first,) = drain(sqs, queue)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    (stopping,) = drain(sqs, queue)
    assert (stopping["token"], stopping["status"]) == (first["token"], "Stopping")
    return arn, first["token"]


def test_lambda_finishes_then_the_callback_answer_completes_the_stop(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    _register(pipelines, 300, {"count": 4})
    arn, token = _lambda_beside_callback(pipelines, sm, sqs, queue)
    pipelines.advance(3600)
    steps = steps_by_name(sm, arn)
    assert steps["Run"]["StepStatus"] == "Succeeded"
    assert steps["Wait"]["StepStatus"] == "Executing"
    assert status(sm, arn) == "Stopping"  # the callback still holds the execution

    sm.send_pipeline_execution_step_success(CallbackToken=token)
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert set(steps) == {"Run", "Wait"}
    assert status(sm, arn) == "Stopped"
    assert drain(sqs, queue) == []


def test_callback_answered_first_then_the_lambda_finishing_completes_the_stop(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    _register(pipelines, 300, {"count": 4})
    arn, token = _lambda_beside_callback(pipelines, sm, sqs, queue)
    sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="cancelled")
    assert status(sm, arn) == "Stopping"  # the Lambda still runs
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert {n: s["StepStatus"] for n, s in steps.items()} == {"Run": "Succeeded", "Wait": "Failed"}
    assert status(sm, arn) == "Stopped"


def test_lambda_timeout_beside_a_callback_fails_the_execution_once_answered(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    _register(pipelines, 3600, {"count": 4})
    arn, token = _lambda_beside_callback(pipelines, sm, sqs, queue)
    pipelines.advance(3600)
    assert steps_by_name(sm, arn)["Run"]["StepStatus"] == "Failed"
    assert status(sm, arn) == "Stopping"  # still waiting for the callback answer
    sm.send_pipeline_execution_step_success(CallbackToken=token)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    assert set(steps_by_name(sm, arn)) == {"Run", "Wait"}
