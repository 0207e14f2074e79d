"""The stop handshake of Callback steps (issue 4, item 4).

StopPipelineExecution while a Callback step is Executing puts the execution in ``Stopping``, sends
one more message with the same token and ``"status": "Stopping"``, and waits, without a time
limit, for SendPipelineExecutionStepSuccess/Failure; only then is the execution ``Stopped``
(spec sections 6 and 8; StopPipelineExecution API reference).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    callback_step,
    client_error_code,
    drain,
    run,
    status,
    steps_by_name,
    training_step,
)

DAY = 86400.0


@pytest.fixture
def queue(sqs: Any) -> str:
    """URL of a standard queue ``callbacks`` in the default account and region."""
    return str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])


def _waiting(pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str) -> tuple[str, dict[str, Any]]:
    """Start ``CB`` (arguments ``{"job": "glue-1"}``) followed by ``After``; returns (ARN, first message)."""
    arn = run(
        sm,
        [
            callback_step("CB", queue, {"job": "glue-1", "n": 3}, [("out", "String")]),
            training_step("After", ["CB"]),
        ],
    )
    pipelines.run_until_idle()
    (first,) = drain(sqs, queue)
    return arn, first


def test_stop_sends_a_stopping_message_and_waits_for_the_answer(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, first = _waiting(pipelines, sm, sqs, queue)
    response = sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert response["PipelineExecutionArn"] == arn
    assert status(sm, arn) == "Stopping"

    (stopping,) = drain(sqs, queue)
    assert stopping == {
        "token": first["token"],
        "pipelineExecutionArn": arn,
        "arguments": {"job": "glue-1", "n": 3},
        "status": "Stopping",
    }
    (pending,) = pipelines.pending_callbacks()
    assert pending.callback_token == first["token"] and pending.stopping

    # No time limit: days pass, nothing changes and nothing more is sent.
    pipelines.advance(10 * DAY)
    assert status(sm, arn) == "Stopping"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"
    assert drain(sqs, queue) == []
    assert len(pipelines.sent_messages) == 2

    sm.send_pipeline_execution_step_success(
        CallbackToken=first["token"], OutputParameters=[{"Name": "out", "Value": "partial"}]
    )
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert set(steps) == {"CB"}  # After never starts
    assert steps["CB"]["StepStatus"] == "Succeeded"
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Stopped"
    assert "FailureReason" not in described
    assert pipelines.pending_callbacks() == []
    assert drain(sqs, queue) == []


def test_the_stopping_message_answered_with_a_failure(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, _ = _waiting(pipelines, sm, sqs, queue)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)

    # A consumer that cancels its work when it sees the Stopping message.
    answered = 0
    for message in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
        payload = json.loads(message["Body"])
        if payload.get("status") == "Stopping":
            sm.send_pipeline_execution_step_failure(
                CallbackToken=payload["token"],
                FailureReason=f"Glue job {payload['arguments']['job']} cancelled",
            )
            answered += 1
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    assert answered == 1
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert set(steps) == {"CB"}
    assert steps["CB"]["StepStatus"] == "Failed"
    assert steps["CB"]["FailureReason"] == "Glue job glue-1 cancelled"
    assert status(sm, arn) == "Stopped"  # a stop, not a failure


def test_every_running_callback_step_gets_its_message_and_must_be_answered(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn = run(
        sm,
        [
            callback_step("A", queue, {"n": 1}),
            callback_step("B", queue, {"n": 2}),
            training_step("After", ["A", "B"]),
        ],
    )
    pipelines.run_until_idle()
    tokens = {b["arguments"]["n"]: b["token"] for b in drain(sqs, queue)}
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)

    stopping = drain(sqs, queue)
    assert sorted((b["arguments"]["n"], b["token"], b["status"]) for b in stopping) == [
        (1, tokens[1], "Stopping"),
        (2, tokens[2], "Stopping"),
    ]
    sm.send_pipeline_execution_step_success(CallbackToken=tokens[1])
    pipelines.advance(DAY)
    assert status(sm, arn) == "Stopping"  # B still holds it
    assert [p.step_name for p in pipelines.pending_callbacks()] == ["B"]

    sm.send_pipeline_execution_step_failure(CallbackToken=tokens[2], FailureReason="cancelled")
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert {n: s["StepStatus"] for n, s in steps.items()} == {"A": "Succeeded", "B": "Failed"}
    assert status(sm, arn) == "Stopped"
    assert drain(sqs, queue) == []


def test_a_job_step_running_beside_the_callback_stops_on_its_own(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn = run(sm, [callback_step("CB", queue, {"n": 1}), training_step("Train")])
    pipelines.advance(30)
    assert len(drain(sqs, queue)) == 1
    assert steps_by_name(sm, arn)["Train"]["StepStatus"] == "Executing"

    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert steps_by_name(sm, arn)["Train"]["StepStatus"] == "Stopping"
    pipelines.advance(3600)
    steps = steps_by_name(sm, arn)
    assert steps["Train"]["StepStatus"] == "Stopped"
    job_name = steps["Train"]["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
    assert sm.describe_training_job(TrainingJobName=job_name)["TrainingJobStatus"] == "Stopped"
    assert steps["CB"]["StepStatus"] == "Executing"
    assert status(sm, arn) == "Stopping"  # the callback still holds the execution

    (stopping,) = drain(sqs, queue)
    sm.send_pipeline_execution_step_success(CallbackToken=stopping["token"])
    pipelines.run_until_idle()
    assert status(sm, arn) == "Stopped"


def test_a_scripted_answer_completes_the_stop(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    pipelines.step("CB").succeeds(after=2 * DAY)
    arn, first = _waiting_after(pipelines, sm, sqs, queue, seconds=30)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.advance(DAY)
    assert status(sm, arn) == "Stopping"
    pipelines.advance(DAY)
    assert status(sm, arn) == "Stopped"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Succeeded"
    assert [b.get("status") for b in drain(sqs, queue)] == ["Stopping"]
    assert first["token"] == pipelines.sent_messages[-1]["Body"]["token"]


def _waiting_after(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, seconds: float
) -> tuple[str, dict[str, Any]]:
    arn = run(sm, [callback_step("CB", queue, {"n": 1}), training_step("After", ["CB"])])
    pipelines.advance(seconds)
    (first,) = drain(sqs, queue)
    return arn, first


def test_after_the_stop_the_token_and_the_execution_are_closed(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, first = _waiting(pipelines, sm, sqs, queue)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    with pytest.raises(ClientError) as err:
        sm.stop_pipeline_execution(PipelineExecutionArn=arn)  # Stopping is not Executing
    assert client_error_code(err.value) == "ValidationException"
    assert len(drain(sqs, queue)) == 1  # the second stop sent nothing

    sm.send_pipeline_execution_step_success(
        CallbackToken=first["token"], OutputParameters=[{"Name": "out", "Value": "done"}]
    )
    pipelines.run_until_idle()
    assert status(sm, arn) == "Stopped"
    with pytest.raises(ClientError) as err:
        sm.send_pipeline_execution_step_failure(CallbackToken=first["token"], FailureReason="late")
    assert client_error_code(err.value) == "ConflictException"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Succeeded"
    assert drain(sqs, queue) == []


def test_stopping_after_the_callback_was_answered_sends_nothing(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn = run(sm, [callback_step("CB", queue, {"n": 1}), training_step("Train", ["CB"])])
    pipelines.run_until_idle()
    (first,) = drain(sqs, queue)
    sm.send_pipeline_execution_step_success(CallbackToken=first["token"])
    pipelines.advance(60)
    assert steps_by_name(sm, arn)["Train"]["StepStatus"] == "Executing"
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    assert drain(sqs, queue) == []
    assert {n: s["StepStatus"] for n, s in steps_by_name(sm, arn).items()} == {
        "CB": "Succeeded",
        "Train": "Stopped",
    }
    assert status(sm, arn) == "Stopped"
