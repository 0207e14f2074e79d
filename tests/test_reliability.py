"""Long-lived mocks release what deleted pipelines held (issue: reliability under hostile input)."""

from __future__ import annotations

import gc
import json
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines
from mock_sagemaker_pipelines.server import CONTROL_PREFIX, PipelinesServer

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


# ------------------------------------------------------------------ retries cannot spin


def _retrying_definition(policy: dict[str, object]) -> str:
    return json.dumps(
        {
            "Version": "2020-12-01",
            "Steps": [
                {
                    "Name": "Train",
                    "Type": "Training",
                    "Arguments": {},
                    "RetryPolicies": [{"ExceptionType": ["Step.SERVICE_FAULT"], **policy}],
                }
            ],
        }
    )


def _run_failing(policy: dict[str, object], after: float) -> dict[str, object]:
    """Run one Training step that always fails with a retried exception; its listed step."""
    with mock_sagemaker_pipelines(seed=1) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        sm.create_pipeline(
            PipelineName="retry", PipelineDefinition=_retrying_definition(policy), RoleArn=ROLE
        )
        pipelines.step("Train").fails(
            "ClientError: boom", after=after, exception_type="Step.SERVICE_FAULT"
        )
        arn = sm.start_pipeline_execution(PipelineName="retry")["PipelineExecutionArn"]
        pipelines.run_until_idle()
        status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
        assert status["PipelineExecutionStatus"] == "Failed"
        (step,) = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)[
            "PipelineExecutionSteps"
        ]
        return step


def test_a_zero_backoff_retry_of_an_instant_attempt_ends() -> None:
    """BackoffRate 0 with ExpireAfterMin used to retry forever at one simulated instant."""
    step = _run_failing({"IntervalSeconds": 1, "BackoffRate": 0.0, "ExpireAfterMin": 1}, after=0)
    assert step["StepStatus"] == "Failed"
    # retries at 1 s apart, within the 60 s window: the first attempt plus at most 60 retries
    assert 2 <= step["AttemptCount"] <= 61
    assert step["FailureReason"] == "ClientError: boom"


def test_a_step_that_keeps_failing_is_stopped_by_the_attempts_guard() -> None:
    step = _run_failing(
        {"IntervalSeconds": 1, "BackoffRate": 0.0, "ExpireAfterMin": 14400}, after=0
    )
    assert step["AttemptCount"] == 1000
    assert "stopped retrying after 1000 attempts" in step["FailureReason"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    interval=st.integers(1, 43200),
    backoff=st.floats(0, 10, allow_nan=False),
    limit=st.one_of(
        st.tuples(st.just("MaxAttempts"), st.integers(0, 20)),
        st.tuples(st.just("ExpireAfterMin"), st.integers(0, 30)),
    ),
    after=st.sampled_from([0.0, 0.5, 30.0]),
)
def test_every_retry_policy_reaches_a_terminal_state(
    interval: int, backoff: float, limit: tuple[str, int], after: float
) -> None:
    key, value = limit
    step = _run_failing({"IntervalSeconds": interval, "BackoffRate": backoff, key: value}, after)
    assert step["StepStatus"] == "Failed"
    bound = value + 1 if key == "MaxAttempts" else value * 60 + 1
    assert 1 <= step["AttemptCount"] <= bound


# ------------------------------------------------------------------ numbers out of range


@pytest.mark.parametrize("seconds", [10**400, -1, float("inf"), float("nan"), True, "5"])
def test_advance_refuses_seconds_out_of_range_with_a_value_error(seconds: object) -> None:
    with mock_sagemaker_pipelines() as pipelines:
        before = pipelines.now()
        with pytest.raises(ValueError, match="seconds"):
            pipelines.advance(seconds)  # type: ignore[arg-type]
        assert pipelines.now() == before


def test_the_simulated_clock_has_an_end_and_says_so() -> None:
    with mock_sagemaker_pipelines(start_time=datetime(8999, 1, 1, tzinfo=timezone.utc)) as p:
        ten_years = 10 * 365 * 24 * 3600
        with pytest.raises(ValueError, match="cannot move past 9999-12-30"):
            for _ in range(200):
                p.advance(ten_years)
        last = p.now()
        assert last.year >= 9989
        with pytest.raises(ValueError, match="cannot move past"):
            p.run_until_idle(max_seconds=ten_years)
        assert p.now() == last


@pytest.mark.parametrize(
    "options",
    [
        {"max_concurrent_executions": 0},
        {"max_concurrent_executions": 1.5},
        {"max_concurrent_executions": True},
        {"seed": "seven"},
        {"seed": 1.5},
        {"durations": {"Training": 10**400}},
        {"step_durations": {"Train": -1}},
    ],
)
def test_options_out_of_range_are_value_errors_naming_the_option(
    options: dict[str, object],
) -> None:
    name = next(iter(options))
    with pytest.raises(ValueError, match=name):
        mock_sagemaker_pipelines(**options)


@pytest.mark.parametrize("seconds", [None, -1, 10**400])
def test_a_scripted_duration_out_of_range_is_a_value_error(seconds: object) -> None:
    with mock_sagemaker_pipelines() as pipelines, pytest.raises(ValueError, match="seconds"):
        pipelines.step("Train").takes(seconds)  # type: ignore[arg-type]


def test_the_server_answers_400_for_a_number_too_large() -> None:
    running = PipelinesServer(port=0).start()
    try:
        url = f"{running.url}{CONTROL_PREFIX}/advance"
        huge = requests.post(url, data='{"seconds": 1' + "0" * 400 + "}", timeout=30)
        assert huge.status_code == 400
        assert "seconds" in huge.json()["error"]
        clock = requests.get(f"{running.url}{CONTROL_PREFIX}/clock", timeout=30).json()
        assert (
            clock["now"]
            == requests.get(f"{running.url}{CONTROL_PREFIX}/clock", timeout=30).json()["now"]
        )
    finally:
        requests.post(f"{running.url}/moto-api/reset", timeout=30)
        running.stop()


# ------------------------------------------------------------------ bodies that are not JSON

ENDPOINT = f"https://api.sagemaker.{REGION}.amazonaws.com/"


#: What a SigV4 client sends; a moto server routes a request to SageMaker by its scope.
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/sagemaker/aws4_request, "
    "SignedHeaders=host, Signature=0"
)


def _post(target: str, body: bytes, url: str = ENDPOINT) -> requests.Response:
    headers = {
        "X-Amz-Target": target,
        "Content-Type": "application/x-amz-json-1.1",
        "Authorization": AUTHORIZATION,
    }
    return requests.post(url, data=body, headers=headers, timeout=30)


@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("SageMaker.ListPipelines", b"{,}"),
        ("SageMaker.DescribePipeline", b'{"PipelineName": "p'),
        ("SageMaker.ListTags", b"{,}"),
        ("SageMaker.ListModels", b"[1]"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_serialization_exception(
    target: str, body: bytes
) -> None:
    with mock_sagemaker_pipelines():
        sm = boto3.client("sagemaker", region_name=REGION)
        sm.create_pipeline(
            PipelineName="p", PipelineDefinition=_callback_definition(), RoleArn=ROLE
        )
        response = _post(target, body)
        assert response.status_code == 400
        assert response.json()["__type"] == "SerializationException"
        assert [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]] == ["p"]


@pytest.mark.parametrize("target", ["SageMaker.", ""])
def test_a_request_without_an_operation_is_an_unknown_operation(target: str) -> None:
    with mock_sagemaker_pipelines():
        response = _post(target, b"{}")
        assert response.status_code == 400
        assert response.json()["__type"] == "UnknownOperationException"


def test_tags_of_another_resource_are_validated_before_moto_sees_them() -> None:
    with mock_sagemaker_pipelines():
        response = _post("SageMaker.ListTags", b"{}")
        assert response.status_code == 400
        assert response.json()["__type"] == "ValidationException"
        assert "resourceArn" in response.json()["Message"]


def test_the_server_answers_bad_bodies_and_empty_operations_as_in_process() -> None:
    running = PipelinesServer(port=0).start()
    try:
        malformed = _post("SageMaker.ListPipelines", b"{,}", url=running.url)
        assert (malformed.status_code, malformed.json()["__type"]) == (
            400,
            "SerializationException",
        )
        empty = _post("SageMaker.", b"{}", url=running.url)
        assert (empty.status_code, empty.json()["__type"]) == (400, "UnknownOperationException")
    finally:
        requests.post(f"{running.url}/moto-api/reset", timeout=30)
        running.stop()


# ------------------------------------------------------------------ racing answers


def _server_kwargs(running: PipelinesServer) -> dict[str, str]:
    """boto3 client arguments for a running server."""
    return {
        "endpoint_url": running.url,
        "region_name": REGION,
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }


def test_threads_racing_to_answer_callbacks_answer_each_token_exactly_once() -> None:
    """8 threads race over 50 callback tokens on a server: one success per token, the rest
    ConflictException, and every execution ends Succeeded."""
    running = PipelinesServer(port=0).start()
    try:
        kwargs = _server_kwargs(running)
        sm = boto3.client("sagemaker", **kwargs)
        boto3.client("sqs", **kwargs).create_queue(QueueName="callbacks")
        one_step = json.dumps(
            {
                "Version": "2020-12-01",
                "Steps": [
                    {"Name": "Wait", "Type": "Callback", "SqsQueueUrl": QUEUE, "Arguments": {}}
                ],
            }
        )
        sm.create_pipeline(PipelineName="race", PipelineDefinition=one_step, RoleArn=ROLE)
        arns = [
            sm.start_pipeline_execution(PipelineName="race")["PipelineExecutionArn"]
            for _ in range(50)
        ]
        running.controller.advance(5)
        tokens = [p.callback_token for p in running.controller.pending_callbacks()]
        assert len(tokens) == 50

        def answer_all(_: int) -> list[str]:
            client = boto3.client("sagemaker", **kwargs)
            codes = []
            for token in tokens:
                try:
                    client.send_pipeline_execution_step_success(CallbackToken=token)
                    codes.append(f"ok:{token}")
                except ClientError as exc:
                    codes.append(exc.response["Error"]["Code"])
            return codes

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = [code for codes in pool.map(answer_all, range(8)) for code in codes]
        successes = sorted(code for code in results if code.startswith("ok:"))
        assert successes == sorted(f"ok:{token}" for token in tokens)
        assert set(results) - set(successes) == {"ConflictException"}
        running.controller.run_until_idle()
        statuses = {
            sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
            for arn in arns
        }
        assert statuses == {"Succeeded"}
    finally:
        requests.post(f"{running.url}/moto-api/reset", timeout=30)
        running.stop()


# ------------------------------------------------------------------ no silent coercion


@pytest.mark.parametrize(
    ("target", "body", "message"),
    [
        ("ListPipelines", {"MaxResults": True}, "BOOLEAN_VALUE can not be converted to an Integer"),
        ("ListPipelines", {"MaxResults": "5"}, "STRING_VALUE can not be converted to an Integer"),
        (
            "ListPipelines",
            {"CreatedAfter": True},
            "BOOLEAN_VALUE can not be converted to a Timestamp",
        ),
        ("ListPipelines", {"MaxResults": 1.5}, "NUMBER_VALUE can not be converted to an Integer"),
        (
            "StartPipelineExecution",
            {"PipelineName": "p", "PipelineParameters": {"Name": "a", "Value": "b"}},
            "Start of structure or map can not be converted to a List",
        ),
        (
            "StartPipelineExecution",
            {"PipelineName": "p", "PipelineParameters": "a"},
            "STRING_VALUE can not be converted to a List",
        ),
        (
            "StartPipelineExecution",
            {"PipelineName": "p", "ParallelismConfiguration": {"MaxParallelExecutionSteps": 2**63}},
            "NUMBER_VALUE can not be converted to an Integer",
        ),
        (
            "StartPipelineExecution",
            {"PipelineName": "p", "ParallelismConfiguration": {"MaxParallelExecutionSteps": 2**31}},
            "NUMBER_VALUE can not be converted to an Integer",
        ),
        (
            "StartPipelineExecution",
            {"PipelineName": "p", "ParallelismConfiguration": {"MaxParallelExecutionSteps": 1.5}},
            "NUMBER_VALUE can not be converted to an Integer",
        ),
    ],
)
def test_json_types_are_checked_strictly(
    target: str, body: dict[str, object], message: str
) -> None:
    with mock_sagemaker_pipelines(report="off") as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        boto3.client("sqs", region_name=REGION).create_queue(QueueName="callbacks")
        sm.create_pipeline(
            PipelineName="p", PipelineDefinition=_callback_definition(), RoleArn=ROLE
        )
        body = {**body, "ClientRequestToken": "t" * 32} if target.startswith("Start") else body
        response = _post(f"SageMaker.{target}", json.dumps(body).encode())
        assert response.status_code == 400
        assert response.json()["__type"] == "SerializationException"
        assert response.json()["message"] == message
        assert pipelines.executions() == []


def test_motos_reset_releases_what_executions_held() -> None:
    running = PipelinesServer(port=0).start()
    try:
        kwargs = _server_kwargs(running)
        sm = boto3.client("sagemaker", **kwargs)
        boto3.client("sqs", **kwargs).create_queue(QueueName="callbacks")
        sm.create_pipeline(
            PipelineName="p", PipelineDefinition=_callback_definition(), RoleArn=ROLE
        )
        sm.start_pipeline_execution(PipelineName="p")
        running.controller.advance(5)
        assert len(running.controller.pending_callbacks()) == 1
        assert len(running.controller.sent_messages) == 1
        requests.post(f"{running.url}/moto-api/reset", timeout=30)
        assert running.controller.executions() == []
        assert running.controller.pending_callbacks() == []
        assert running.controller.sent_messages == []
        assert running.simulation.scheduler.pending() == 0
    finally:
        requests.post(f"{running.url}/moto-api/reset", timeout=30)
        running.stop()


# ------------------------------------------------------------------ found by a hostile pass


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:sagemaker:us-east-1:123456789012:model/none",
        "arn:aws:sagemaker:us-east-1:123456789012:training-job/none",
        "arn:aws:sagemaker:us-east-1:123456789012:pipeline/",
    ],
)
def test_tags_of_a_resource_nobody_has_are_resource_not_found(arn: str) -> None:
    with mock_sagemaker_pipelines():
        sm = boto3.client("sagemaker", region_name=REGION)
        for call in (
            lambda: sm.list_tags(ResourceArn=arn),
            lambda: sm.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}]),
            lambda: sm.delete_tags(ResourceArn=arn, TagKeys=["a"]),
        ):
            with pytest.raises(ClientError) as caught:
                call()
            assert caught.value.response["Error"]["Code"] == "ResourceNotFound"


@pytest.mark.parametrize(
    ("target", "body", "where"),
    [
        ("CreatePipeline", {"PipelineName": "q", "RoleArn": ROLE, "Tags": [None]}, "tags.1.member"),
        (
            "StartPipelineExecution",
            {"PipelineName": "p", "PipelineParameters": [None]},
            "pipelineParameters.1.member",
        ),
    ],
)
def test_a_null_list_element_is_refused_in_awss_form(
    target: str, body: dict[str, object], where: str
) -> None:
    with mock_sagemaker_pipelines(report="off") as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        sm.create_pipeline(
            PipelineName="p", PipelineDefinition=_callback_definition(), RoleArn=ROLE
        )
        request = {
            **body,
            "ClientRequestToken": "t" * 32,
            "PipelineDefinition": _callback_definition(),
        }
        if target == "StartPipelineExecution":
            request.pop("PipelineDefinition")
        response = _post(f"SageMaker.{target}", json.dumps(request).encode())
        assert response.status_code == 400
        assert response.json()["__type"] == "ValidationException"
        assert f"Value null at '{where}' failed to satisfy constraint" in response.json()["Message"]
        assert [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]] == ["p"]
        assert pipelines.executions() == []


def test_serialization_messages_carry_no_python_internals() -> None:
    with mock_sagemaker_pipelines():
        response = _post("SageMaker.ListPipelines", b'{"CreatedAfter": 1e20}')
        assert response.status_code == 400
        assert response.json()["__type"] == "SerializationException"
        assert "Error" not in response.json()["message"]


def test_a_callback_queue_in_an_unknown_region_fails_the_step_naming_the_queue() -> None:
    url = "https://sqs.zz-nowhere-9.amazonaws.com/123456789012/q"
    steps = [{"Name": "Wait", "Type": "Callback", "SqsQueueUrl": url, "Arguments": {}}]
    with mock_sagemaker_pipelines() as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        sm.create_pipeline(
            PipelineName="p",
            PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": steps}),
            RoleArn=ROLE,
        )
        arn = sm.start_pipeline_execution(PipelineName="p")["PipelineExecutionArn"]
        pipelines.run_until_idle()
        (step,) = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)[
            "PipelineExecutionSteps"
        ]
        assert step["StepStatus"] == "Failed"
        assert step["FailureReason"].startswith("ClientError: Failed to send the callback message")
        assert "q does not exist" in step["FailureReason"]


def test_a_lambda_handler_calling_sys_exit_fails_its_step() -> None:
    function = "arn:aws:lambda:us-east-1:123456789012:function:exits"
    steps = [{"Name": "Exit", "Type": "Lambda", "FunctionArn": function, "Arguments": {}}]
    with mock_sagemaker_pipelines() as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)

        @pipelines.lambda_function(function)
        def handler(event: object, context: object) -> dict[str, object]:
            raise SystemExit(3)

        sm.create_pipeline(
            PipelineName="p",
            PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": steps}),
            RoleArn=ROLE,
        )
        arn = sm.start_pipeline_execution(PipelineName="p")["PipelineExecutionArn"]
        pipelines.run_until_idle()
        assert (
            sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
            == "Failed"
        )
        (step,) = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)[
            "PipelineExecutionSteps"
        ]
        assert step["FailureReason"] == "ClientError: Lambda function raised SystemExit: 3"


@pytest.mark.parametrize(
    "options",
    [
        {"start_time": "2020-01-01"},
        {"durations": [1]},
        {"outcomes": 5},
        {"start_time": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))},
    ],
)
def test_options_of_the_wrong_type_are_value_errors(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        mock = mock_sagemaker_pipelines(**options)
        mock.start()
        mock.stop()
