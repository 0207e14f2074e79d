"""Bad input found by trying to break the mock: each gets an AWS error or a ValueError, and no state changes."""

from __future__ import annotations

import json
import math
from typing import Any

import boto3
import botocore.config
import pytest
import requests
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION, ROLE, client_error_code, definition, lambda_step, training_step

ENDPOINT = f"https://api.sagemaker.{REGION}.amazonaws.com/"


@pytest.fixture
def unchecked(pipelines: PipelinesMock) -> Any:
    """A client that sends what it is given: botocore's own checks are off."""
    return boto3.client(
        "sagemaker", region_name=REGION, config=botocore.config.Config(parameter_validation=False)
    )


def _post(target: str, body: bytes) -> requests.Response:
    return requests.post(
        ENDPOINT,
        data=body,
        headers={
            "X-Amz-Target": f"SageMaker.{target}",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"PipelineName": 123},
        {"PipelineName": "p", "RoleArn": ["not", "a", "string"]},
        {"PipelineName": "p", "PipelineDescription": {"a": 1}},
        {"PipelineName": "p", "Tags": [{"Key": 5, "Value": "x"}]},
    ],
)
def test_members_of_the_wrong_json_type_are_a_serialization_exception(
    unchecked: Any, request_kwargs: dict[str, Any]
) -> None:
    kwargs = {"PipelineName": "p", "RoleArn": ROLE, "PipelineDefinition": definition([])}
    kwargs.update(request_kwargs)
    with pytest.raises(ClientError) as err:
        unchecked.create_pipeline(**kwargs)
    assert client_error_code(err.value) == "SerializationException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert unchecked.list_pipelines()["PipelineSummaries"] == []


@pytest.mark.parametrize("body", [b"[]", b'"s"', b"123", b"\xff\xfe", b'{"MaxResults": "abc"}'])
def test_bodies_moto_cannot_parse_get_http_400(pipelines: PipelinesMock, body: bytes) -> None:
    response = _post("ListPipelines", body)
    assert response.status_code == 400
    assert response.json()["__type"] == "SerializationException"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff\xfe", "could not be read as a JSON object"),
        (b'{"PipelineNamePrefix": "\xff"}', "could not be read as a JSON object"),
        (b"{", "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
        (b'{"MaxResults": 5', "not valid JSON: Expecting ',' delimiter at line 1 column 17"),
        (b'{"MaxResults": 5} trailing', "not valid JSON: Extra data at line 1 column 19"),
        (b"[" * 100_000, "could not be read as a JSON object"),
    ],
)
def test_a_botocore_client_sending_an_unreadable_body_gets_http_400(
    unchecked: Any, body: bytes, message: str
) -> None:
    def replace_body(request: Any, **_: Any) -> None:
        request.body = body

    unchecked.meta.events.register_first("before-send.sagemaker.ListPipelines", replace_body)
    with pytest.raises(ClientError) as err:
        unchecked.list_pipelines()
    assert client_error_code(err.value) == "SerializationException"
    assert message in err.value.response["Error"]["Message"]
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_add_tags_with_tags_of_the_wrong_type_is_http_400(pipelines: PipelinesMock) -> None:
    response = _post("AddTags", b'{"ResourceArn": 5, "Tags": "abc"}')
    assert response.status_code == 400
    assert response.json()["__type"] == "SerializationException"


def test_an_unknown_operation_is_http_400(pipelines: PipelinesMock) -> None:
    response = _post("NoSuchOperation", b"{}")
    assert response.status_code == 400
    assert response.json()["__type"] == "UnknownOperationException"


def test_a_definition_nested_too_deep_is_refused_at_create(sm: Any) -> None:
    deep = {
        "Name": "P",
        "Type": "Processing",
        "Arguments": {"x": json.loads("[" * 200 + "1" + "]" * 200)},
    }
    with pytest.raises(ClientError) as err:
        sm.create_pipeline(PipelineName="deep", RoleArn=ROLE, PipelineDefinition=definition([deep]))
    assert client_error_code(err.value) == "ValidationException"
    assert "nested" in err.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


def test_an_arn_of_another_partition_is_not_found(sm: Any) -> None:
    sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition=definition([]))
    with pytest.raises(ClientError) as err:
        sm.describe_pipeline(PipelineName="arn:aws-cn:sagemaker:us-east-1:123456789012:pipeline/p")
    assert client_error_code(err.value) == "ResourceNotFound"


@pytest.mark.parametrize("seconds", [-1, math.nan, math.inf, 1e12, "10"])
def test_the_clock_refuses_bad_durations(pipelines: PipelinesMock, seconds: Any) -> None:
    before = pipelines.now()
    with pytest.raises(ValueError):
        pipelines.advance(seconds)
    with pytest.raises(ValueError):
        pipelines.step("S").takes(seconds)
    with pytest.raises(ValueError):
        pipelines.step("S").succeeds(after=seconds)
    with pytest.raises(ValueError):
        pipelines.set_duration("Training", seconds)
    with pytest.raises(ValueError):
        pipelines.lambda_function("f", duration=seconds)
    assert pipelines.now() == before


def test_options_refuse_bad_durations() -> None:
    with pytest.raises(ValueError):
        mock_sagemaker_pipelines(durations={"Training": math.inf})
    with pytest.raises(ValueError):
        mock_sagemaker_pipelines(step_durations={"T": -5})


def test_a_handler_sleeping_past_the_lambda_limit_times_out(sm: Any) -> None:
    function = "arn:aws:lambda:us-east-1:123456789012:function:slow"
    with mock_sagemaker_pipelines(warp_sleep=True, report="off") as pipelines:
        client = boto3.client("sagemaker", region_name=REGION)

        @pipelines.lambda_function(function)
        def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
            import time

            time.sleep(700)  # warped: counts as the function's run time, moves no clock
            return {}

        client.create_pipeline(
            PipelineName="slow",
            RoleArn=ROLE,
            PipelineDefinition=definition([lambda_step("L", function)]),
        )
        arn = client.start_pipeline_execution(PipelineName="slow")["PipelineExecutionArn"]
        pipelines.run_until_idle()
        (step,) = client.list_pipeline_execution_steps(PipelineExecutionArn=arn)[
            "PipelineExecutionSteps"
        ]
        assert step["StepStatus"] == "Failed"
        assert "timed out" in step["FailureReason"]
        assert (step["EndTime"] - step["StartTime"]).total_seconds() == pytest.approx(600, abs=1)


def test_a_scripted_failure_sequence_never_leaves_a_step_stuck(
    sm: Any, pipelines: PipelinesMock
) -> None:
    sm.create_pipeline(
        PipelineName="p", RoleArn=ROLE, PipelineDefinition=definition([training_step("T")])
    )
    arn = sm.start_pipeline_execution(PipelineName="p")["PipelineExecutionArn"]
    with pytest.raises(ValueError):
        pipelines.step("T").takes(math.inf)
    pipelines.run_until_idle()
    assert (
        sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
        == "Succeeded"
    )
