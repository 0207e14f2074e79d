"""Fuzz every owned action with requests that break the botocore model, in-process and raw.

For each action a valid request (the required members, naming real resources) gets one member
replaced, at the top level or nested, by a value the model forbids: the wrong JSON type, a
number out of range or not integral, a string too long or too short, a value outside an enum,
a list with too many items; or a required member is left out. Every such request must be
answered with HTTP 400 and an AWS error code, and must change no state.

The default run is quick (12 requests per action); ``pytest tests/test_fuzz.py
--fuzz-examples 500`` (or ``MOCK_SAGEMAKER_PIPELINES_FUZZ_EXAMPLES=500``) runs a longer one.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import botocore.session
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines
from mock_sagemaker_pipelines.responses import OWNED_ACTIONS

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/pipelines"
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/callbacks"
ENDPOINT = f"https://api.sagemaker.{REGION}.amazonaws.com/"
AWS_CODES = {"ValidationException", "SerializationException"}
MODEL = botocore.session.get_session().get_service_model("sagemaker")


# --------------------------------------------------------------------------- bad values
def _wrong_types(type_name: str) -> st.SearchStrategy[Any]:
    others = {
        "string": st.one_of(st.integers(), st.booleans(), st.just([]), st.just({"a": 1})),
        "integer": st.one_of(st.booleans(), st.just("5"), st.just([1]), st.just({})),
        "long": st.one_of(st.booleans(), st.just("5"), st.just([1]), st.just({})),
        "boolean": st.one_of(st.just("true"), st.just(1), st.just([]), st.just({})),
        "timestamp": st.one_of(st.booleans(), st.just([]), st.just({}), st.just("not a time")),
        "list": st.one_of(st.just("a"), st.just({"a": 1}), st.integers(), st.booleans()),
        "structure": st.one_of(st.just("a"), st.just([1]), st.integers(), st.booleans()),
        "map": st.one_of(st.just("a"), st.just([1]), st.integers(), st.booleans()),
    }
    return others.get(type_name, st.just(object()))


def _out_of_range(shape: Any) -> list[st.SearchStrategy[Any]]:
    meta = shape.metadata
    found: list[st.SearchStrategy[Any]] = []
    if shape.type_name in ("integer", "long"):
        found.append(st.just(1.5))
        if "min" in meta:
            found.append(st.integers(max_value=int(meta["min"]) - 1).filter(lambda v: v > -(2**70)))
        if "max" in meta:
            found.append(st.integers(min_value=int(meta["max"]) + 1, max_value=2**70))
        found.append(st.just(2**31 if shape.type_name == "integer" else 2**63))
    elif shape.type_name == "string":
        if shape.enum:
            found.append(st.text(min_size=1, max_size=12).filter(lambda v: v not in shape.enum))
        if meta.get("min", 0) >= 1:
            found.append(st.just("a" * (int(meta["min"]) - 1)))
        if "max" in meta and int(meta["max"]) <= 10_000:
            found.append(st.just("a" * (int(meta["max"]) + 1)))
    elif shape.type_name == "list" and "max" in meta and int(meta["max"]) <= 300:
        found.append(st.just(["a"] * (int(meta["max"]) + 1)))
    return found


def _valid(shape: Any) -> Any:
    """A value of the right type (not necessarily accepted: patterns are not honoured)."""
    meta = shape.metadata
    if shape.type_name == "string":
        return shape.enum[0] if shape.enum else "a" * max(int(meta.get("min", 1)), 1)
    if shape.type_name in ("integer", "long"):
        return max(int(meta.get("min", 1)), 1)
    if shape.type_name in ("float", "double"):
        return 1.0
    if shape.type_name == "boolean":
        return True
    if shape.type_name == "timestamp":
        return 0
    if shape.type_name == "list":
        return []
    if shape.type_name == "map":
        return {}
    return {name: _valid(shape.members[name]) for name in shape.required_members}


def bad_value(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """A value the model forbids for ``shape``, possibly a container with one bad element."""
    options = [_wrong_types(shape.type_name), *_out_of_range(shape)]
    if depth < 2 and shape.type_name == "structure" and shape.members:
        options.append(
            st.sampled_from(sorted(shape.members)).flatmap(
                lambda name: bad_value(shape.members[name], depth + 1).map(
                    lambda bad: {**_valid(shape), name: bad}
                )
            )
        )
    if depth < 2 and shape.type_name == "list":
        options.append(bad_value(shape.member, depth + 1).map(lambda bad: [bad]))
    if depth < 2 and shape.type_name == "map":
        options.append(bad_value(shape.value, depth + 1).map(lambda bad: {"k": bad}))
    return st.one_of(*options)


def bad_request(operation: str, base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with one member made bad, or one required member left out."""
    shape = MODEL.operation_model(operation).input_shape
    mutate = st.sampled_from(sorted(shape.members)).flatmap(
        lambda name: bad_value(shape.members[name]).map(lambda bad: {**base, name: bad})
    )
    if not shape.required_members:
        return mutate
    drop = st.sampled_from(shape.required_members).map(
        lambda name: {k: v for k, v in base.items() if k != name}
    )
    return st.one_of(mutate, drop)


# --------------------------------------------------------------------------- state
def _post(operation: str, request: dict[str, Any]) -> requests.Response:
    return requests.post(
        ENDPOINT,
        data=json.dumps(request),
        headers={
            "X-Amz-Target": f"SageMaker.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        },
        timeout=30,
    )


def _snapshot(sm: Any, pipelines: PipelinesMock) -> Any:
    """Everything a rejected call could have changed, as JSON text."""
    state: dict[str, Any] = {"now": pipelines.now()}
    for summary in sm.list_pipelines()["PipelineSummaries"]:
        name = summary["PipelineName"]
        state[name] = {
            "describe": sm.describe_pipeline(PipelineName=name),
            "versions": sm.list_pipeline_versions(PipelineName=name)["PipelineVersionSummaries"],
            "tags": sm.list_tags(ResourceArn=summary["PipelineArn"])["Tags"],
            "executions": [
                {
                    "describe": sm.describe_pipeline_execution(
                        PipelineExecutionArn=e["PipelineExecutionArn"]
                    ),
                    "steps": sm.list_pipeline_execution_steps(
                        PipelineExecutionArn=e["PipelineExecutionArn"]
                    )["PipelineExecutionSteps"],
                }
                for e in sm.list_pipeline_executions(PipelineName=name)[
                    "PipelineExecutionSummaries"
                ]
            ],
        }
    state["pending"] = [p.callback_token for p in pipelines.pending_callbacks()]
    return json.dumps(_without_metadata(state), sort_keys=True, default=str)


def _without_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_metadata(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_without_metadata(v) for v in value]
    return value


@pytest.mark.parametrize("operation", OWNED_ACTIONS)
def test_a_request_that_breaks_the_model_is_refused_and_changes_nothing(
    operation: str, fuzz_examples: int
) -> None:
    examples = fuzz_examples
    with mock_sagemaker_pipelines(seed=5, report="off") as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        boto3.client("sqs", region_name=REGION).create_queue(QueueName="callbacks")
        definition = json.dumps(
            {
                "Version": "2020-12-01",
                "Steps": [
                    {"Name": "Wait", "Type": "Callback", "SqsQueueUrl": QUEUE, "Arguments": {}}
                ],
            }
        )
        pipeline_arn = sm.create_pipeline(
            PipelineName="fz", PipelineDefinition=definition, RoleArn=ROLE
        )["PipelineArn"]
        execution_arn = sm.start_pipeline_execution(PipelineName="fz")["PipelineExecutionArn"]
        pipelines.advance(5)
        known = {
            "PipelineName": "fz",
            "PipelineArn": pipeline_arn,
            "PipelineExecutionArn": execution_arn,
            "CallbackToken": pipelines.callback_token("Wait"),
            "ClientRequestToken": "c" * 32,
            "RoleArn": ROLE,
            "PipelineVersionId": 1,
            "PipelineDefinition": definition,
            "JobName": "job",
            "JobCategory": "DataTransformation",
        }
        shape = MODEL.operation_model(operation).input_shape
        base = {name: known[name] for name in shape.required_members}
        before = _snapshot(sm, pipelines)

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(request=bad_request(operation, base))
        def refused(request: dict[str, Any]) -> None:
            response = _post(operation, request)
            assert response.status_code == 400, (request, response.text[:300])
            assert response.json()["__type"] in AWS_CODES, (request, response.text[:300])
            assert _snapshot(sm, pipelines) == before, request

        refused()
