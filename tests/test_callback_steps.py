"""Callback steps (issue 4): the SQS message, SendPipelineExecutionStepSuccess/Failure, the controller.

Spec: ``shared/spec/sagemaker-pipelines-semantics.md`` sections 3.14, 5 and 6. Every test drives
the mock through boto3 (SageMaker) and moto's real SQS; consumers read the queue the way users
write them (receive, ``json.loads`` the body, answer with the token).
"""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    ACCOUNT,
    EXAMPLE_ACCOUNT,
    REGION,
    ROLE,
    callback_step,
    client_error_code,
    drain,
    output_values,
    real_definition,
    run,
    session_in_account,
    start,
    status,
    steps_by_name,
    training_step,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore::mock_sagemaker_pipelines.mock.UnusedOutcomesWarning"  # callbacks left waiting on purpose
)

TOKEN = re.compile(r"^[A-Za-z0-9]{10}$")
STEP_FAILURE = "Step failure: One or multiple steps failed."


@pytest.fixture
def queue(sqs: Any) -> str:
    """URL of a standard queue ``callbacks`` in the default account and region."""
    return str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])


def _one_waiting(
    pipelines: PipelinesMock,
    sm: Any,
    sqs: Any,
    queue: str,
    outputs: list[tuple[str, str]] | None = None,
    downstream: list[dict[str, Any]] | None = None,
) -> tuple[str, str]:
    """Start a pipeline whose Callback step ``CB`` waits; returns (execution ARN, token)."""
    arn = run(sm, [callback_step("CB", queue, {"a": 1}, outputs), *(downstream or [])])
    pipelines.run_until_idle()
    (body,) = drain(sqs, queue)
    return arn, body["token"]


# ------------------------------------------------------------------ the message
def test_start_sends_one_message_with_every_argument_resolved(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    parameters = [
        {"Name": "Queue", "Type": "String", "DefaultValue": "https://example.invalid/none"},
        {"Name": "Count", "Type": "Integer", "DefaultValue": 1},
        {"Name": "Ratio", "Type": "Float", "DefaultValue": 0.25},
        {"Name": "Prefix", "Type": "String", "DefaultValue": "s3://bucket"},
        {"Name": "Flag", "Type": "Boolean", "DefaultValue": False},
    ]
    arguments = {
        "literal": "some-arg",
        "number": 5,
        "count": {"Get": "Parameters.Count"},
        "ratio": {"Get": "Parameters.Ratio"},
        "path": {
            "Std:Join": {
                "On": "/",
                "Values": [{"Get": "Parameters.Prefix"}, "data", {"Get": "Parameters.Count"}],
            }
        },
        "execution": {"Get": "Execution.PipelineExecutionId"},
        "flag": {"Get": "Parameters.Flag"},
    }
    step = callback_step("CB", {"Get": "Parameters.Queue"}, arguments, [("out", "String")])
    arn = run(
        sm,
        [step],
        parameters,
        values={"Queue": queue, "Count": "7", "Prefix": "s3://b2", "Flag": "true"},
    )
    pipelines.run_until_idle()

    bodies = drain(sqs, queue)
    assert len(bodies) == 1
    body = bodies[0]
    assert set(body) == {
        "token",
        "pipelineExecutionArn",
        "arguments",
    }  # no "status" on the first one
    assert TOKEN.match(body["token"])
    assert body["pipelineExecutionArn"] == arn
    assert body["arguments"] == {
        "literal": "some-arg",
        "number": 5,
        "count": 7,
        "ratio": 0.25,
        "path": "s3://b2/data/7",
        "execution": arn.rsplit("/", 1)[-1],
        "flag": True,
    }
    assert type(body["arguments"]["count"]) is int and type(body["arguments"]["ratio"]) is float

    step_api = steps_by_name(sm, arn)["CB"]
    assert step_api["StepStatus"] == "Executing"
    assert step_api["Metadata"] == {
        "Callback": {"CallbackToken": body["token"], "SqsQueueUrl": queue}
    }
    assert "EndTime" not in step_api
    assert status(sm, arn) == "Executing"

    (pending,) = pipelines.pending_callbacks()
    assert (pending.pipeline_execution_arn, pending.step_name) == (arn, "CB")
    assert (pending.callback_token, pending.sqs_queue_url) == (body["token"], queue)
    assert pending.arguments == body["arguments"] and not pending.stopping
    assert pipelines.callback_token("CB") == body["token"]
    (sent,) = pipelines.sent_messages
    assert sent["QueueUrl"] == queue and sent["Body"] == body and sent["StepName"] == "CB"


def test_arguments_resolve_upstream_properties(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arguments = {
        "model": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"},
        "job": {"Get": "Steps.Train.TrainingJobName"},
    }
    arn = run(sm, [training_step("Train"), callback_step("CB", queue, arguments)])
    pipelines.run_until_idle()

    train = steps_by_name(sm, arn)["Train"]
    job_name = train["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
    (body,) = drain(sqs, queue)
    assert body["arguments"] == {
        "model": f"s3://example-bucket/output/{job_name}/output/model.tar.gz",
        "job": job_name,
    }


def test_two_callback_steps_get_different_tokens(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn = run(sm, [callback_step("A", queue, {"n": 1}), callback_step("B", queue, {"n": 2})])
    pipelines.run_until_idle()
    bodies = sorted(drain(sqs, queue), key=lambda b: b["arguments"]["n"])
    assert [b["arguments"] for b in bodies] == [{"n": 1}, {"n": 2}]
    assert bodies[0]["token"] != bodies[1]["token"]
    steps = steps_by_name(sm, arn)
    assert steps["A"]["Metadata"]["Callback"]["CallbackToken"] == bodies[0]["token"]
    assert steps["B"]["Metadata"]["Callback"]["CallbackToken"] == bodies[1]["token"]


def test_message_goes_to_the_region_the_queue_url_names(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    west = boto3.client("sqs", region_name="us-west-2")
    west_url = west.create_queue(QueueName="callbacks")["QueueUrl"]
    assert west_url != queue
    run(sm, [callback_step("CB", west_url, {"a": 1})])
    pipelines.run_until_idle()

    assert drain(sqs, queue) == []
    (body,) = drain(west, west_url)
    assert body["arguments"] == {"a": 1}


def test_message_goes_to_the_account_the_queue_url_names(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    other_sqs = session_in_account(EXAMPLE_ACCOUNT).client("sqs")
    other_url = other_sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    assert f"/{EXAMPLE_ACCOUNT}/callbacks" in other_url
    arn = run(sm, [callback_step("CB", other_url, {"a": 1})])
    pipelines.run_until_idle()

    assert drain(sqs, queue) == []  # same name in the pipeline's account: untouched
    (body,) = drain(other_sqs, other_url)
    # The consumer answers SageMaker in the pipeline's account (where the token lives).
    sm.send_pipeline_execution_step_success(CallbackToken=body["token"])
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_a_queue_that_does_not_exist_fails_the_step(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    missing = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/no-such-queue"
    arn = run(sm, [callback_step("CB", missing, {"a": 1}), training_step("After", ["CB"])])
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)
    assert set(step) == {"CB"}
    assert step["CB"]["StepStatus"] == "Failed"
    reason = step["CB"]["FailureReason"]
    assert reason.startswith("ClientError: ")
    assert "no-such-queue" in reason and "does not exist" in reason
    assert status(sm, arn) == "Failed"
    assert pipelines.pending_callbacks() == [] and pipelines.sent_messages == []
    assert sqs.list_queues().get("QueueUrls", []) == []  # no queue was created on the way


# --------------------------------------------------------------------- success
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("count", "1_000"),
        ("count", "many"),
        ("count", "\u0661\u0662"),  # Arabic-Indic digits
        ("ratio", "1_0"),
        ("ratio", "nan"),
        ("ratio", "1e999"),
        ("ratio", "\uff11.\uff15"),
    ],
)
def test_an_output_value_that_is_not_its_declared_type_is_refused(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, name: str, value: str
) -> None:
    outputs = [("count", "Integer"), ("ratio", "Float")]
    arn, token = _one_waiting(pipelines, sm, sqs, queue, outputs)
    sent = {"count": "1", "ratio": "0.5", name: value}
    with pytest.raises(ClientError) as excinfo:
        sm.send_pipeline_execution_step_success(
            CallbackToken=token, OutputParameters=[{"Name": k, "Value": v} for k, v in sent.items()]
        )
    assert client_error_code(excinfo.value) == "ValidationException"
    assert f"Output parameter '{name}' of callback step 'CB' must be of type" in str(excinfo.value)
    pipelines.run_until_idle()
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"  # still waiting


def test_success_with_typed_outputs_feeds_downstream_steps(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    outputs = [("path", "String"), ("count", "Integer"), ("ratio", "Float"), ("ok", "Boolean")]
    downstream = callback_step(
        "Next",
        queue,
        {
            "path": {"Get": "Steps.CB.OutputParameters['path']"},
            "count": {"Get": "Steps.CB.OutputParameters['count']"},
            "ratio": {"Get": "Steps.CB.OutputParameters['ratio']"},
            "ok": {"Get": "Steps.CB.OutputParameters['ok']"},
            "joined": {
                "Std:Join": {
                    "On": "-",
                    "Values": [{"Get": "Steps.CB.OutputParameters['path']"}, "x"],
                }
            },
        },
    )
    arn, token = _one_waiting(pipelines, sm, sqs, queue, outputs, [downstream])
    sent = [
        {"Name": "path", "Value": "s3://bucket/out"},
        {"Name": "count", "Value": "42"},
        {"Name": "ratio", "Value": "0.50"},
        {"Name": "ok", "Value": "true"},
    ]
    response = sm.send_pipeline_execution_step_success(CallbackToken=token, OutputParameters=sent)
    assert response["PipelineExecutionArn"] == arn
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["CB"]
    assert step["StepStatus"] == "Succeeded" and "EndTime" in step
    assert step["Metadata"]["Callback"]["CallbackToken"] == token
    assert step["Metadata"]["Callback"]["SqsQueueUrl"] == queue
    assert output_values(step, "Callback") == {
        "path": "s3://bucket/out",
        "count": "42",
        "ratio": "0.50",
        "ok": "true",
    }
    (body,) = drain(sqs, queue)  # the downstream step's message
    assert body["arguments"] == {
        "path": "s3://bucket/out",
        "count": 42,
        "ratio": 0.5,
        "ok": True,
        "joined": "s3://bucket/out-x",
    }
    assert status(sm, arn) == "Executing"  # Next waits for its own answer
    sm.send_pipeline_execution_step_success(CallbackToken=body["token"])
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_success_without_outputs_when_none_are_declared(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue, None, [training_step("After", ["CB"])])
    sm.send_pipeline_execution_step_success(CallbackToken=token)
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert steps["CB"]["StepStatus"] == "Succeeded"
    assert output_values(steps["CB"], "Callback") == {}
    assert steps["After"]["StepStatus"] == "Succeeded"
    assert status(sm, arn) == "Succeeded"
    assert drain(sqs, queue) == []  # nothing more was sent


# ----------------------------------------------------------- token validation
@pytest.mark.parametrize("operation", ["success", "failure"])
def test_a_token_with_a_non_alphanumeric_character_is_a_validation_error(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, operation: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    bad = token[:9] + "-"
    with pytest.raises(ClientError) as err:
        _answer(sm, operation, bad)
    assert client_error_code(err.value) == "ValidationException"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"
    assert [p.callback_token for p in pipelines.pending_callbacks()] == [token]


@pytest.mark.parametrize("bad", ["short", "elevenchars"])
def test_a_token_of_the_wrong_length_is_rejected_by_botocore(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, bad: str
) -> None:
    arn, _ = _one_waiting(pipelines, sm, sqs, queue)
    if len(bad) < 10:
        with pytest.raises(ParamValidationError):
            sm.send_pipeline_execution_step_success(CallbackToken=bad)
    else:
        # botocore does not check maximum lengths: the service answers ValidationException.
        with pytest.raises(ClientError) as err:
            sm.send_pipeline_execution_step_success(CallbackToken=bad)
        assert client_error_code(err.value) == "ValidationException"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"


@pytest.mark.parametrize("operation", ["success", "failure"])
def test_an_unknown_token_is_resource_not_found(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, operation: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    unknown = "A" * 10 if token != "A" * 10 else "B" * 10
    with pytest.raises(ClientError) as err:
        _answer(sm, operation, unknown)
    assert client_error_code(err.value) == "ResourceNotFound"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"
    assert drain(sqs, queue) == []


def test_a_token_from_another_account_is_resource_not_found(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    other_sm = session_in_account(EXAMPLE_ACCOUNT).client("sagemaker")
    with pytest.raises(ClientError) as err:
        other_sm.send_pipeline_execution_step_success(CallbackToken=token)
    assert client_error_code(err.value) == "ResourceNotFound"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"


def _answer(sm: Any, operation: str, token: str, **kwargs: Any) -> dict[str, Any]:
    if operation == "success":
        return dict(sm.send_pipeline_execution_step_success(CallbackToken=token, **kwargs))
    return dict(sm.send_pipeline_execution_step_failure(CallbackToken=token, **kwargs))


@pytest.mark.parametrize("first", ["success", "failure"])
@pytest.mark.parametrize("second", ["success", "failure"])
def test_a_token_already_answered_is_a_conflict(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, first: str, second: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    _answer(sm, first, token)
    pipelines.run_until_idle()
    final = status(sm, arn)
    with pytest.raises(ClientError) as err:
        _answer(sm, second, token)
    assert client_error_code(err.value) == "ConflictException"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == (
        "Succeeded" if first == "success" else "Failed"
    )
    assert status(sm, arn) == final
    assert drain(sqs, queue) == []


@pytest.mark.parametrize("operation", ["success", "failure"])
def test_replaying_the_same_client_request_token_returns_the_first_response(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, operation: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue, None, [training_step("After", ["CB"])])
    request_token = "replay-" + "0" * 30
    first = _answer(sm, operation, token, ClientRequestToken=request_token)
    pipelines.run_until_idle()
    final = status(sm, arn)
    again = _answer(sm, operation, token, ClientRequestToken=request_token)
    assert again["PipelineExecutionArn"] == first["PipelineExecutionArn"] == arn
    pipelines.run_until_idle()
    assert status(sm, arn) == final
    assert len(steps_by_name(sm, arn)) == (
        2 if operation == "success" else 1
    )  # After ran once at most


def test_replaying_a_client_request_token_with_another_request_is_a_conflict(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    request_token = "replay-" + "1" * 30
    sm.send_pipeline_execution_step_success(CallbackToken=token, ClientRequestToken=request_token)
    with pytest.raises(ClientError) as err:
        sm.send_pipeline_execution_step_failure(
            CallbackToken=token, FailureReason="late", ClientRequestToken=request_token
        )
    assert client_error_code(err.value) == "ConflictException"
    pipelines.run_until_idle()
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Succeeded"
    assert status(sm, arn) == "Succeeded"


# ------------------------------------------------------------ output checks
@pytest.mark.parametrize(
    "outputs",
    [
        pytest.param([{"Name": "undeclared", "Value": "x"}], id="undeclared-name"),
        pytest.param([{"Name": "count", "Value": "seven"}], id="integer"),
        pytest.param([{"Name": "count", "Value": "1.5"}], id="integer-fraction"),
        pytest.param([{"Name": "ratio", "Value": "abc"}], id="float"),
        pytest.param([{"Name": "ok", "Value": "yes"}], id="boolean"),
        pytest.param([{"Name": "path", "Value": "a"}, {"Name": "path", "Value": "b"}], id="twice"),
        pytest.param([{"Name": "path", "Value": "x" * 1025}], id="value-too-long"),
        pytest.param([{"Name": "n" * 257, "Value": "x"}], id="name-too-long"),
        pytest.param([{"Name": "path", "Value": str(i)} for i in range(51)], id="51-items"),
    ],
)
def test_bad_outputs_are_a_validation_error_and_change_nothing(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, outputs: list[dict[str, str]]
) -> None:
    declared = [("path", "String"), ("count", "Integer"), ("ratio", "Float"), ("ok", "Boolean")]
    arn, token = _one_waiting(pipelines, sm, sqs, queue, declared)
    with pytest.raises(ClientError) as err:
        sm.send_pipeline_execution_step_success(CallbackToken=token, OutputParameters=outputs)
    assert client_error_code(err.value) == "ValidationException"
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["CB"]
    assert step["StepStatus"] == "Executing"
    assert "OutputParameters" not in step["Metadata"]["Callback"]
    assert [p.callback_token for p in pipelines.pending_callbacks()] == [token]
    assert drain(sqs, queue) == []

    # The token is still good: a correct answer goes through.
    sm.send_pipeline_execution_step_success(
        CallbackToken=token, OutputParameters=[{"Name": "count", "Value": "3"}]
    )
    pipelines.run_until_idle()
    assert output_values(steps_by_name(sm, arn)["CB"], "Callback") == {"count": "3"}


def test_outputs_on_a_step_that_declares_none_are_a_validation_error(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    with pytest.raises(ClientError) as err:
        sm.send_pipeline_execution_step_success(
            CallbackToken=token, OutputParameters=[{"Name": "x", "Value": "1"}]
        )
    assert client_error_code(err.value) == "ValidationException"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"


# --------------------------------------------------------------------- failure
def test_failure_fails_the_step_and_the_execution(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, token = _one_waiting(
        pipelines, sm, sqs, queue, [("out", "String")], [training_step("After", ["CB"])]
    )
    response = sm.send_pipeline_execution_step_failure(
        CallbackToken=token, FailureReason="Glue job failed: bad input"
    )
    assert response["PipelineExecutionArn"] == arn
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert set(steps) == {"CB"}  # the downstream step never starts
    assert steps["CB"]["StepStatus"] == "Failed"
    assert steps["CB"]["FailureReason"] == "Glue job failed: bad input"
    assert "EndTime" in steps["CB"]
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == STEP_FAILURE
    assert pipelines.pending_callbacks() == []


def test_failure_lets_running_siblings_finish_first(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn = run(sm, [callback_step("CB", queue, {"a": 1}), training_step("Train")])
    pipelines.advance(5)
    (body,) = drain(sqs, queue)
    sm.send_pipeline_execution_step_failure(CallbackToken=body["token"], FailureReason="no")
    assert status(sm, arn) == "Executing"  # Train still runs
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert steps["Train"]["StepStatus"] == "Succeeded"
    assert status(sm, arn) == "Failed"


def test_a_failure_reason_longer_than_256_is_a_validation_error(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn, token = _one_waiting(pipelines, sm, sqs, queue)
    with pytest.raises(ClientError) as err:
        sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="x" * 257)
    assert client_error_code(err.value) == "ValidationException"
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"
    sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="x" * 256)
    pipelines.run_until_idle()
    assert steps_by_name(sm, arn)["CB"]["FailureReason"] == "x" * 256


# ------------------------------------------------------------ the controller
def test_scripted_success_answers_after_that_much_simulated_time(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    pipelines.step("CB").succeeds(after=300, outputs={"count": 9})
    arn = run(
        sm,
        [
            callback_step("CB", queue, {"a": 1}, [("count", "Integer")]),
            callback_step("Next", queue, {"n": {"Get": "Steps.CB.OutputParameters['count']"}}),
        ],
    )
    pipelines.advance(5)
    (first,) = drain(sqs, queue)  # the scripted answer does not skip the message
    waiting_since = pipelines.now()
    pipelines.advance(200)
    assert steps_by_name(sm, arn)["CB"]["StepStatus"] == "Executing"
    pipelines.advance(200)
    cb = steps_by_name(sm, arn)["CB"]
    assert cb["StepStatus"] == "Succeeded"
    assert 295 <= (cb["EndTime"] - waiting_since).total_seconds() <= 300
    assert output_values(cb, "Callback") == {"count": "9"}
    (second,) = drain(sqs, queue)
    assert second["arguments"] == {"n": 9}
    # The scripted answer used the token like the API does: it cannot be answered again.
    with pytest.raises(ClientError) as err:
        sm.send_pipeline_execution_step_success(CallbackToken=first["token"])
    assert client_error_code(err.value) == "ConflictException"


def test_scripted_failure_answers_with_its_reason(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    pipelines.step("CB").fails("Glue job timed out", after=60)
    arn = run(sm, [callback_step("CB", queue, {"a": 1})])
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["CB"]
    assert (step["StepStatus"], step["FailureReason"]) == ("Failed", "Glue job timed out")
    assert status(sm, arn) == "Failed"
    assert len(drain(sqs, queue)) == 1


def test_scripted_outputs_go_through_the_api_checks(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    pipelines.step("CB").succeeds(after=10, outputs={"count": "not-a-number"})
    arn = run(sm, [callback_step("CB", queue, {"a": 1}, [("count", "Integer")])])
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["CB"]
    assert step["StepStatus"] == "Failed"
    assert "count" in step["FailureReason"] and "Integer" in step["FailureReason"]


def test_scripted_outputs_over_the_api_limits_are_rejected_like_the_api(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    pipelines.step("CB").succeeds(after=10, outputs={"path": "x" * 1025})
    arn = run(sm, [callback_step("CB", queue, {"a": 1}, [("path", "String")])])
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["CB"]
    assert step["StepStatus"] == "Failed"
    assert "ValidationException" in step["FailureReason"]
    assert pipelines.pending_callbacks() == []


def test_pending_callbacks_are_per_execution(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    first = run(
        sm,
        [callback_step("CB", queue, {"n": {"Get": "Parameters.N"}})],
        [{"Name": "N", "Type": "Integer", "DefaultValue": 1}],
    )
    second = start(sm, values={"N": "2"})
    pipelines.run_until_idle()
    pending = {p.pipeline_execution_arn: p for p in pipelines.pending_callbacks()}
    assert set(pending) == {first, second}
    assert pending[first].arguments == {"n": 1} and pending[second].arguments == {"n": 2}
    assert pipelines.callback_token("CB", second) == pending[second].callback_token
    sm.send_pipeline_execution_step_success(CallbackToken=pipelines.callback_token("CB", first))
    pipelines.run_until_idle()
    assert [p.pipeline_execution_arn for p in pipelines.pending_callbacks()] == [second]
    assert (status(sm, first), status(sm, second)) == ("Succeeded", "Executing")
    with pytest.raises(LookupError):
        pipelines.callback_token("CB", first)
    assert len(drain(sqs, queue)) == 2


# --------------------------------------------------------- consumer-style tests
def _consume(sqs: Any, sm: Any, queue_url: str, handle: Any) -> int:
    """A consumer as users write it: receive, parse, answer, delete. Returns messages handled."""
    handled = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if not messages:
            return handled
        for message in messages:
            payload = json.loads(message["Body"])
            handle(sm, payload)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            handled += 1


def _glue_consumer(sm: Any, payload: dict[str, Any]) -> None:
    """Pretends to run a Glue job on ``input_location`` and reports where it wrote its output."""
    args = payload["arguments"]
    sm.send_pipeline_execution_step_success(
        CallbackToken=payload["token"],
        OutputParameters=[{"Name": "s3_data_out", "Value": args["output_location"] + "/part-0"}],
    )


def test_a_chain_of_two_callback_steps(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    steps = [
        callback_step(
            "Prepare",
            queue,
            {"input": "s3://bucket/raw"},
            [("prepared", "String"), ("rows", "Integer")],
        ),
        callback_step(
            "Publish",
            queue,
            {
                "source": {"Get": "Steps.Prepare.OutputParameters['prepared']"},
                "rows": {"Get": "Steps.Prepare.OutputParameters['rows']"},
            },
            [("published", "Boolean")],
        ),
    ]
    arn = run(sm, steps)
    seen: list[dict[str, Any]] = []

    def handle(client: Any, payload: dict[str, Any]) -> None:
        seen.append(payload)
        args = payload["arguments"]
        if "input" in args:
            outputs = [
                {"Name": "prepared", "Value": args["input"] + "-clean"},
                {"Name": "rows", "Value": "120"},
            ]
        else:
            outputs = [{"Name": "published", "Value": "True" if args["rows"] > 100 else "False"}]
        client.send_pipeline_execution_step_success(
            CallbackToken=payload["token"], OutputParameters=outputs
        )

    for _ in range(3):
        pipelines.run_until_idle()
        _consume(sqs, sm, queue, handle)
    assert [p["arguments"] for p in seen] == [
        {"input": "s3://bucket/raw"},
        {"source": "s3://bucket/raw-clean", "rows": 120},
    ]
    assert all(p["pipelineExecutionArn"] == arn and "status" not in p for p in seen)
    steps = steps_by_name(sm, arn)
    # The metadata shows the values as the consumer sent them; downstream reads them typed.
    assert output_values(steps["Publish"], "Callback") == {"published": "True"}
    assert status(sm, arn) == "Succeeded"


def test_a_consumer_that_reports_failure(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str
) -> None:
    arn = run(
        sm, [callback_step("CB", queue, {"table": "missing"}), training_step("After", ["CB"])]
    )

    def handle(client: Any, payload: dict[str, Any]) -> None:
        client.send_pipeline_execution_step_failure(
            CallbackToken=payload["token"],
            FailureReason=f"Table {payload['arguments']['table']} not found",
        )

    pipelines.run_until_idle()
    assert _consume(sqs, sm, queue, handle) == 1
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert set(steps) == {"CB"}
    assert steps["CB"]["FailureReason"] == "Table missing not found"
    assert status(sm, arn) == "Failed"


# ------------------------------------------------------------ real definitions
@pytest.fixture
def example_account_queues(pipelines: PipelinesMock) -> Any:
    """An SQS client in the examples' account 111122223333 (STS AssumeRole credentials)."""
    return session_in_account(EXAMPLE_ACCOUNT).client("sqs")


def test_definition_01_runs_end_to_end_with_a_consumer(
    pipelines: PipelinesMock, sm: Any, example_account_queues: Any
) -> None:
    queue_url = example_account_queues.create_queue(QueueName="pipeline_callbacks_glue_prep")[
        "QueueUrl"
    ]
    sm.create_pipeline(PipelineName="taxi", RoleArn=ROLE, PipelineDefinition=real_definition("01"))
    arn = start(sm, "taxi", {"IdOut": "taxiout42"})
    pipelines.run_until_idle()

    handled = _consume(example_account_queues, sm, queue_url, _glue_consumer)
    assert handled == 1
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert set(steps) == {
        "GluePrepCallbackStep",
        "TrainModel",
        "TaxiModel-CreateModel",
        "TaxiTransform",
    }
    assert all(s["StepStatus"] == "Succeeded" for s in steps.values())
    callback = steps["GluePrepCallbackStep"]
    assert output_values(callback, "Callback") == {
        "s3_data_out": "s3://example-bucket/taxi_output/taxiout42/part-0"
    }
    assert callback["Metadata"]["Callback"]["SqsQueueUrl"] == queue_url
    (sent,) = pipelines.sent_messages
    assert sent["Body"]["arguments"] == {
        "input_location": "s3://example-bucket/taxi/",
        "output_location": "s3://example-bucket/taxi_output/taxiout42",
    }
    # The Callback output became the training job's input channel.
    job_name = steps["TrainModel"]["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
    job = sm.describe_training_job(TrainingJobName=job_name)
    uris = [c["DataSource"]["S3DataSource"]["S3Uri"] for c in job["InputDataConfig"]]
    assert "s3://example-bucket/taxi_output/taxiout42/part-0" in uris
    assert status(sm, arn) == "Succeeded"
    assert drain(example_account_queues, queue_url) == []


def test_definition_01_in_the_examples_account(
    monkeypatch: pytest.MonkeyPatch, pipelines: PipelinesMock
) -> None:
    """The whole test in account 111122223333 (MOTO_ACCOUNT_ID must stay set during the calls)."""
    monkeypatch.setenv("MOTO_ACCOUNT_ID", EXAMPLE_ACCOUNT)
    sm = boto3.client("sagemaker", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    queue_url = sqs.create_queue(QueueName="pipeline_callbacks_glue_prep")["QueueUrl"]
    sm.create_pipeline(PipelineName="taxi", RoleArn=ROLE, PipelineDefinition=real_definition("01"))
    arn = start(sm, "taxi")
    assert f":{EXAMPLE_ACCOUNT}:pipeline/taxi/" in arn
    pipelines.run_until_idle()
    assert _consume(sqs, sm, queue_url, _glue_consumer) == 1
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_definition_05_runs_end_to_end_with_a_consumer_and_handlers(
    pipelines: PipelinesMock, sm: Any, example_account_queues: Any
) -> None:
    queue_url = example_account_queues.create_queue(
        QueueName="AutopilotSagemakerPipelinesSqsCallback"
    )["QueueUrl"]
    events: dict[str, Any] = {}

    @pipelines.lambda_function(
        f"arn:aws:lambda:{REGION}:{EXAMPLE_ACCOUNT}:function:StartSagemakerAutopilotJob",
        duration=20,
    )
    def start_autopilot(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events["start"] = event
        return {}

    @pipelines.lambda_function("RegisterSagemakerAutopilotModel", duration=5)
    def register(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events["register"] = event
        return {}

    sm.create_pipeline(
        PipelineName="autopilot", RoleArn=ROLE, PipelineDefinition=real_definition("05")
    )
    arn = start(sm, "autopilot", {"AutopilotJobName": "ap-job-7", "MaxAutopilotCandidates": "4"})
    pipelines.run_until_idle()
    assert status(sm, arn) == "Executing"
    assert set(steps_by_name(sm, arn)) == {
        "StartAutopilotJobStep",
        "CheckAutopilotJobStatusCallbackStep",
    }

    def autopilot_finished(client: Any, payload: dict[str, Any]) -> None:
        assert payload["arguments"] == {"AutopilotJobName": "ap-job-7"}
        client.send_pipeline_execution_step_success(CallbackToken=payload["token"])

    assert _consume(example_account_queues, sm, queue_url, autopilot_finished) == 1
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert all(s["StepStatus"] == "Succeeded" for s in steps.values()), steps
    assert len(steps) == 4
    assert (
        events["start"]["MaxCandidates"] == 16 and events["start"]["AutopilotJobName"] == "ap-job-7"
    )
    report = events["register"]["EvaluationReportS3Path"]
    assert report.startswith("s3://") and events["register"]["AutopilotJobName"] == "ap-job-7"
    assert status(sm, arn) == "Succeeded"
