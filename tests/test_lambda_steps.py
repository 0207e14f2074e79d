"""Lambda steps (issue 5): invocation, outputs, duration and the 10-minute limit.

Spec: ``shared/spec/sagemaker-pipelines-semantics.md`` sections 5 and 7. The function behind a
step is, in this order: a Python handler registered with ``pipelines.lambda_function``, a scripted
outcome, a function in moto's Lambda backend; otherwise the step fails as for a missing function.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import (
    ACCOUNT,
    REGION,
    ROLE,
    client_error_code,
    definition,
    lambda_step,
    output_values,
    run,
    start,
    status,
    steps_by_name,
    training_step,
)

FN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:score"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
STEP_FAILURE = "Step failure: One or multiple steps failed."
TYPED = [("path", "String"), ("count", "Integer"), ("ratio", "Float"), ("ok", "Boolean")]


def _elapsed(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds()


# ------------------------------------------------------------------ invocation
def test_the_handler_gets_the_resolved_arguments_and_a_context(
    pipelines: PipelinesMock, sm: Any
) -> None:
    calls: list[dict[str, Any]] = []

    @pipelines.lambda_function(FN)
    def score(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # A real function may call SageMaker: the step is Executing while it runs.
        arn = event["execution"]
        calls.append(
            {
                "event": event,
                "function_name": context.function_name,
                "arn": context.invoked_function_arn,
                "request_id": context.aws_request_id,
                "remaining": context.get_remaining_time_in_millis(),
                "at": pipelines.now(),
                "status": steps_by_name(sm, arn)["Score"]["StepStatus"],
            }
        )
        return {}

    parameters = [
        {"Name": "N", "Type": "Integer", "DefaultValue": 1},
        {"Name": "Prefix", "Type": "String", "DefaultValue": "s3://bucket"},
    ]
    arguments = {
        "n": {"Get": "Parameters.N"},
        "path": {
            "Std:Join": {
                "On": "/",
                "Values": [{"Get": "Parameters.Prefix"}, "in", {"Get": "Parameters.N"}],
            }
        },
        "model": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"},
        "execution": {"Get": "Execution.PipelineExecutionArn"},
        "fixed": 1.5,
        "flag": True,
    }
    arn = run(
        sm,
        [training_step("Train"), lambda_step("Score", FN, arguments)],
        parameters,
        values={"N": "5"},
    )
    pipelines.run_until_idle()

    (call,) = calls
    steps = steps_by_name(sm, arn)
    job_name = steps["Train"]["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
    assert call["event"] == {
        "n": 5,
        "path": "s3://bucket/in/5",
        "model": f"s3://example-bucket/output/{job_name}/output/model.tar.gz",
        "execution": arn,
        "fixed": 1.5,
        "flag": True,
    }
    assert type(call["event"]["n"]) is int
    assert (call["function_name"], call["arn"]) == ("score", FN)
    assert UUID.match(call["request_id"])
    assert call["remaining"] == 600_000  # the 10-minute limit, on the simulated clock
    assert call["status"] == "Executing"
    score_step = steps["Score"]
    assert score_step["StartTime"] <= call["at"] <= score_step["EndTime"]
    assert score_step["StepStatus"] == "Succeeded"
    assert score_step["Metadata"] == {"Lambda": {"Arn": FN, "OutputParameters": []}}
    assert status(sm, arn) == "Succeeded"


def test_a_handler_registered_by_name_serves_the_function_arn(
    pipelines: PipelinesMock, sm: Any
) -> None:
    seen: list[Any] = []

    @pipelines.lambda_function("score")
    def score(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append((event, context.invoked_function_arn))
        return {"count": 1}

    arn = run(sm, [lambda_step("Score", FN, {"a": "b"}, [("count", "Integer")])])
    pipelines.run_until_idle()
    assert seen == [({"a": "b"}, FN)]
    assert output_values(steps_by_name(sm, arn)["Score"], "Lambda") == {"count": "1"}


# --------------------------------------------------------------------- outputs
def test_outputs_take_their_declared_types_and_feed_the_next_lambda(
    pipelines: PipelinesMock, sm: Any
) -> None:
    received: list[dict[str, Any]] = []

    @pipelines.lambda_function("prepare")
    def prepare(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {
            "path": "s3://bucket/prepared",
            "count": "12",
            "ratio": 1,
            "ok": "true",
            "ignored": [1],
        }

    @pipelines.lambda_function("publish")
    def publish(event: dict[str, Any], context: Any) -> dict[str, Any]:
        received.append(event)
        return {"published": event["count"] > 10}

    arn = run(
        sm,
        [
            lambda_step("Prepare", "prepare", {}, TYPED),
            lambda_step(
                "Publish",
                "publish",
                {name: {"Get": f"Steps.Prepare.OutputParameters['{name}']"} for name, _ in TYPED},
                [("published", "Boolean")],
            ),
        ],
    )
    pipelines.run_until_idle()

    assert received == [{"path": "s3://bucket/prepared", "count": 12, "ratio": 1.0, "ok": True}]
    assert type(received[0]["ratio"]) is float
    steps = steps_by_name(sm, arn)
    prepared = output_values(steps["Prepare"], "Lambda")
    assert set(prepared) == {"path", "count", "ratio", "ok"}  # undeclared keys are ignored
    assert (prepared["path"], prepared["count"]) == ("s3://bucket/prepared", "12")
    assert float(prepared["ratio"]) == 1.0 and prepared["ok"].lower() == "true"
    assert steps["Prepare"]["Metadata"]["Lambda"]["Arn"].endswith(":function:prepare")
    assert output_values(steps["Publish"], "Lambda")["published"].lower() == "true"
    assert status(sm, arn) == "Succeeded"


def test_a_nested_value_becomes_a_json_string(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.lambda_function(FN)(lambda event, context: {"config": {"depth": 3, "tags": ["a"]}})
    arn = run(sm, [lambda_step("Score", FN, {}, [("config", "String")])])
    pipelines.run_until_idle()
    value = output_values(steps_by_name(sm, arn)["Score"], "Lambda")["config"]
    assert json.loads(value) == {"depth": 3, "tags": ["a"]}


def _raises(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise ValueError("bad input s3://bucket/x")


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        pytest.param(lambda e, c: {"path": "p", "ratio": 1.0, "ok": True}, ["count"], id="missing"),
        pytest.param(
            lambda e, c: {"path": "p", "count": "twelve", "ratio": 1.0, "ok": True},
            ["count", "Integer"],
            id="not-an-integer",
        ),
        pytest.param(
            lambda e, c: {"path": "p", "count": 1, "ratio": 1.0, "ok": "maybe"},
            ["ok", "Boolean"],
            id="not-a-boolean",
        ),
        pytest.param(lambda e, c: ["path", "count"], ["JSON object"], id="a-list"),
        pytest.param(lambda e, c: "done", ["JSON object"], id="a-string"),
        pytest.param(lambda e, c: None, ["JSON object"], id="none"),
        pytest.param(_raises, ["ValueError", "bad input s3://bucket/x"], id="raises"),
        pytest.param(
            lambda e, c: {"path": datetime(2024, 1, 1, tzinfo=timezone.utc)},
            ["Runtime.MarshalError", "datetime"],
            id="not-json-serialisable",
        ),
    ],
)
def test_a_bad_result_fails_the_step_with_its_cause(
    pipelines: PipelinesMock, sm: Any, handler: Any, expected: list[str]
) -> None:
    pipelines.lambda_function(FN)(handler)
    arn = run(sm, [lambda_step("Score", FN, {"x": 1}, TYPED), training_step("After", ["Score"])])
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert set(steps) == {"Score"}  # the downstream step never starts
    step = steps["Score"]
    assert step["StepStatus"] == "Failed"
    assert step["FailureReason"].startswith("ClientError: ")
    for fragment in expected:
        assert fragment in step["FailureReason"]
    assert step["Metadata"]["Lambda"]["Arn"] == FN
    assert "OutputParameters" not in step["Metadata"]["Lambda"]
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert (described["PipelineExecutionStatus"], described["FailureReason"]) == (
        "Failed",
        STEP_FAILURE,
    )


# ------------------------------------------------------- duration and timeout
def _timed_handler(pipelines: PipelinesMock, calls: list[datetime], result: dict[str, Any]) -> Any:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(pipelines.now())
        return result

    return handler


def test_the_handler_duration_is_the_simulated_run_time(pipelines: PipelinesMock, sm: Any) -> None:
    calls: list[datetime] = []
    contexts: list[Any] = []

    @pipelines.lambda_function(FN, duration=120)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(pipelines.now())
        contexts.append(context)
        return {}

    arn = run(sm, [lambda_step("Score", FN)])
    pipelines.advance(60)
    assert steps_by_name(sm, arn)["Score"]["StepStatus"] == "Executing"
    # The context's remaining time follows the simulated clock.
    used_ms = round(_elapsed(pipelines.now(), calls[0]) * 1000)
    assert contexts[0].get_remaining_time_in_millis() == pytest.approx(600_000 - used_ms, abs=1)
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["Score"]
    assert step["StepStatus"] == "Succeeded"
    assert _elapsed(step["EndTime"], calls[0]) == pytest.approx(120, abs=0.01)


@pytest.mark.parametrize(
    ("duration", "step_status"), [(599, "Succeeded"), (600, "Failed"), (3600, "Failed")]
)
def test_the_step_times_out_at_ten_minutes(
    pipelines: PipelinesMock, sm: Any, duration: float, step_status: str
) -> None:
    calls: list[datetime] = []
    pipelines.lambda_function(FN, duration=duration)(_timed_handler(pipelines, calls, {"count": 1}))
    arn = run(
        sm,
        [lambda_step("Score", FN, {}, [("count", "Integer")]), training_step("After", ["Score"])],
    )
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    step = steps["Score"]
    assert step["StepStatus"] == step_status
    if step_status == "Failed":
        assert "timed out" in step["FailureReason"] and "600" in step["FailureReason"]
        assert _elapsed(step["EndTime"], calls[0]) == pytest.approx(600, abs=0.01)
        assert set(steps) == {"Score"}
        assert status(sm, arn) == "Failed"
    else:
        assert status(sm, arn) == "Succeeded"


def test_a_scripted_outcome_longer_than_ten_minutes_times_out(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("Score").succeeds(after=900, outputs={"count": 1})
    arn = run(sm, [lambda_step("Score", FN, {}, [("count", "Integer")])])
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["Score"]
    assert step["StepStatus"] == "Failed" and "timed out" in step["FailureReason"]


def test_retry_policies_are_rejected_on_lambda_steps(pipelines: PipelinesMock, sm: Any) -> None:
    step = lambda_step(
        "Score",
        FN,
        RetryPolicies=[
            {"ExceptionType": ["Step.SERVICE_FAULT"], "IntervalSeconds": 1, "MaxAttempts": 2}
        ],
    )
    with pytest.raises(ClientError) as err:
        sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition=definition([step]))
    assert client_error_code(err.value) == "ValidationException"
    assert "RetryPolicies" in err.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


# ------------------------------------------------------------ scripted outcomes
def test_a_scripted_success_supplies_the_outputs(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Score").succeeds(after=30, outputs={"count": "7", "path": "s3://x"})
    arn = run(sm, [lambda_step("Score", FN, {}, [("count", "Integer"), ("path", "String")])])
    pipelines.advance(20)
    assert steps_by_name(sm, arn)["Score"]["StepStatus"] == "Executing"
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["Score"]
    assert step["StepStatus"] == "Succeeded"
    assert output_values(step, "Lambda") == {"count": "7", "path": "s3://x"}
    assert step["Metadata"]["Lambda"]["Arn"] == FN


def test_a_scripted_failure_supplies_the_reason(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Score").fails("ClientError: Autopilot quota exceeded", after=5)
    arn = run(sm, [lambda_step("Score", FN)])
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["Score"]
    assert (step["StepStatus"], step["FailureReason"]) == (
        "Failed",
        "ClientError: Autopilot quota exceeded",
    )
    assert status(sm, arn) == "Failed"


def test_a_registered_handler_wins_over_a_scripted_outcome(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("Score").succeeds(outputs={"count": 2})
    pipelines.lambda_function(FN)(lambda event, context: {"count": 1})
    arn = run(sm, [lambda_step("Score", FN, {}, [("count", "Integer")])])
    pipelines.run_until_idle()
    assert output_values(steps_by_name(sm, arn)["Score"], "Lambda") == {"count": "1"}


def test_a_function_that_exists_nowhere_fails_the_step(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [lambda_step("Score", FN), training_step("After", ["Score"])])
    pipelines.run_until_idle()
    steps = steps_by_name(sm, arn)
    assert set(steps) == {"Score"}
    reason = steps["Score"]["FailureReason"]
    assert "Function not found" in reason and FN in reason and "ResourceNotFoundException" in reason
    assert status(sm, arn) == "Failed"


# ------------------------------------------------------- moto's Lambda backend
def _create_function(name: str) -> str:
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = b"PK\x05\x06" + b"\x00" * 18  # an empty zip: the simple backend never runs it
    return str(
        boto3.client("lambda", region_name=REGION).create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": code},
            Timeout=120,  # the SageMaker SDK's Lambda helper default
        )["FunctionArn"]
    )


def test_a_function_in_motos_simple_lambda_backend() -> None:
    with mock_sagemaker_pipelines(
        seed=1, aws_config={"lambda": {"use_docker": False}}
    ) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        function_arn = _create_function("echo")
        steps = [
            lambda_step(
                "Echo",
                function_arn,
                {"count": 5, "name": "x"},
                [("count", "Integer"), ("name", "String")],
            ),
            lambda_step("Queued", function_arn, {}, [("count", "Integer")], DependsOn=["Echo"]),
            lambda_step("NotJson", function_arn, {}, [], DependsOn=["Queued"]),
        ]
        arn = run(sm, steps)
        pipelines.advance(5)  # Echo has been invoked: the simple backend echoed its event
        assert steps_by_name(sm, arn)["Echo"]["StepStatus"] == "Executing"
        # The next invocations return the results queued through moto's API.
        queued = {"results": ['{"count": 8}', "not json"], "region": REGION}
        requests.post(
            "http://motoapi.amazonaws.com/moto-api/static/lambda-simple/response", json=queued
        )
        pipelines.run_until_idle()

        listed = steps_by_name(sm, arn)
        assert listed["Echo"]["Metadata"]["Lambda"]["Arn"] == function_arn
        assert output_values(listed["Echo"], "Lambda") == {"count": "5", "name": "x"}
        assert output_values(listed["Queued"], "Lambda") == {"count": "8"}
        assert listed["NotJson"]["StepStatus"] == "Failed"
        assert "not JSON" in listed["NotJson"]["FailureReason"]
        assert status(sm, arn) == "Failed"


def test_a_scripted_outcome_wins_over_a_moto_function() -> None:
    with mock_sagemaker_pipelines(
        seed=1, aws_config={"lambda": {"use_docker": False}}
    ) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        function_arn = _create_function("echo")
        pipelines.step("Echo").succeeds(outputs={"count": 99})
        arn = run(sm, [lambda_step("Echo", function_arn, {"count": 5}, [("count", "Integer")])])
        pipelines.run_until_idle()
        assert output_values(steps_by_name(sm, arn)["Echo"], "Lambda") == {"count": "99"}


def _docker_reachable() -> bool:
    return bool(os.environ.get("DOCKER_HOST")) or os.path.exists("/var/run/docker.sock")


@pytest.mark.skipif(_docker_reachable(), reason="moto would run the function in Docker")
def test_motos_docker_backend_without_docker_fails_the_step_visibly() -> None:
    with mock_sagemaker_pipelines(seed=1) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        function_arn = _create_function("needs-docker")
        arn = run(sm, [lambda_step("Run", function_arn)])
        pipelines.run_until_idle()
        step = steps_by_name(sm, arn)["Run"]
        assert step["StepStatus"] == "Failed"
        assert "error running docker" in step["FailureReason"]


# ------------------------------------------------------------ the user's paths
def test_a_lambda_step_in_each_branch_of_a_condition(pipelines: PipelinesMock, sm: Any) -> None:
    calls: list[tuple[str, Any]] = []

    @pipelines.lambda_function("fast")
    def fast(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(("fast", event))
        return {"mode": "fast"}

    @pipelines.lambda_function("thorough")
    def thorough(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(("thorough", event))
        return {"mode": "thorough"}

    condition = {
        "Name": "Choose",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {"Type": "GreaterThan", "LeftValue": {"Get": "Parameters.Rows"}, "RightValue": 1000}
            ],
            "IfSteps": [
                lambda_step(
                    "Fast", "fast", {"rows": {"Get": "Parameters.Rows"}}, [("mode", "String")]
                )
            ],
            "ElseSteps": [
                lambda_step(
                    "Thorough",
                    "thorough",
                    {"rows": {"Get": "Parameters.Rows"}},
                    [("mode", "String")],
                )
            ],
        },
    }
    parameters = [{"Name": "Rows", "Type": "Integer", "DefaultValue": 10}]
    small = run(sm, [condition], parameters)
    large = start(sm, values={"Rows": "5000"})
    pipelines.run_until_idle()

    assert sorted(calls, key=lambda c: c[0]) == [
        ("fast", {"rows": 5000}),
        ("thorough", {"rows": 10}),
    ]
    small_steps, large_steps = steps_by_name(sm, small), steps_by_name(sm, large)
    assert set(small_steps) == {"Choose", "Thorough"} and set(large_steps) == {"Choose", "Fast"}
    assert output_values(small_steps["Thorough"], "Lambda") == {"mode": "thorough"}
    assert output_values(large_steps["Fast"], "Lambda") == {"mode": "fast"}
    assert status(sm, small) == status(sm, large) == "Succeeded"


def test_a_moto_function_times_out_at_its_own_timeout() -> None:
    """Spec section 7: the step fails at min(the function's timeout, 600 s)."""
    with mock_sagemaker_pipelines(
        seed=1, aws_config={"lambda": {"use_docker": False}}, step_durations={"Slow": 30}
    ) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        iam = boto3.client("iam", region_name=REGION)
        role = iam.create_role(RoleName="slow-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        function_arn = boto3.client("lambda", region_name=REGION).create_function(
            FunctionName="slow",
            Runtime="python3.12",
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
            Timeout=3,
        )["FunctionArn"]
        arn = run(sm, [lambda_step("Slow", function_arn, {"n": 1}, [])])
        pipelines.run_until_idle()
        step = steps_by_name(sm, arn)["Slow"]
        assert step["StepStatus"] == "Failed"
        assert "timed out after 3 seconds" in step["FailureReason"]
        assert status(sm, arn) == "Failed"
