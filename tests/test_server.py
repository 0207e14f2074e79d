"""Server mode: boto3 and plain HTTP against a running server, as another language would use it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import _moto
from mock_sagemaker_pipelines.engine import simulation as simulation_module
from mock_sagemaker_pipelines.engine.simulation import SimulationOptions
from mock_sagemaker_pipelines.server import CONTROL_PREFIX, PipelinesServer

from .support import (
    ACCOUNT,
    REGION,
    callback_step,
    client_error_code,
    create,
    start,
    status,
    steps_by_name,
    training_step,
)


@pytest.fixture
def server() -> Iterator[PipelinesServer]:
    """A running server on a free port; stopped, reset and deactivated afterwards."""
    running = PipelinesServer(port=0, options=SimulationOptions(seed=3)).start()
    try:
        yield running
    finally:
        requests.post(f"{running.url}/moto-api/reset", timeout=30)
        running.stop()


def client(server: PipelinesServer, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def control(server: PipelinesServer, name: str, body: Any = None) -> requests.Response:
    """POST (with a body) or GET (without) a control endpoint."""
    url = f"{server.url}{CONTROL_PREFIX}/{name}"
    if body is None:
        return requests.get(url, timeout=30)
    return requests.post(url, json=body, timeout=30)


def test_callback_answered_over_http_runs_to_succeeded(server: PipelinesServer) -> None:
    sqs, sm = client(server, "sqs"), client(server, "sagemaker")
    queue_url = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    create(
        sm,
        [
            callback_step(
                "Approve", queue_url, arguments={"k": "v"}, outputs=[("decision", "String")]
            ),
            training_step("Train", depends_on=["Approve"]),
        ],
        name="served",
    )
    arn = start(sm, "served")

    assert control(server, "run-until-idle", {}).status_code == 200
    assert status(sm, arn) == "Executing"
    pending = control(server, "callbacks").json()["callbacks"]
    assert len(pending) == 1
    assert pending[0]["step_name"] == "Approve"
    assert pending[0]["pipeline_execution_arn"] == arn
    assert pending[0]["arguments"] == {"k": "v"}
    assert pending[0]["stopping"] is False
    token = pending[0]["callback_token"]

    message = sqs.receive_message(QueueUrl=queue_url)["Messages"][0]
    assert json.loads(message["Body"]) == {
        "token": token,
        "pipelineExecutionArn": arn,
        "arguments": {"k": "v"},
    }

    sm.send_pipeline_execution_step_success(
        CallbackToken=token, OutputParameters=[{"Name": "decision", "Value": "yes"}]
    )
    assert control(server, "callbacks").json() == {"callbacks": []}
    assert control(server, "run-until-idle", {}).status_code == 200
    assert status(sm, arn) == "Succeeded"
    steps = steps_by_name(sm, arn)
    assert steps["Approve"]["Metadata"]["Callback"]["OutputParameters"] == [
        {"Name": "decision", "Value": "yes"}
    ]
    assert steps["Train"]["StepStatus"] == "Succeeded"


def test_advance_moves_the_clock_exactly(server: PipelinesServer) -> None:
    before = control(server, "clock").json()
    after = control(server, "advance", {"seconds": 90}).json()
    assert after["epoch"] - before["epoch"] == pytest.approx(90)
    assert control(server, "clock").json() == after
    assert after["now"].endswith("+00:00")
    # curl -d sends JSON with a form Content-Type; the body is still read as JSON.
    curl_like = requests.post(
        f"{server.url}{CONTROL_PREFIX}/advance",
        data='{"seconds": 10}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert curl_like.json()["epoch"] - after["epoch"] == pytest.approx(10)


def test_stop_while_a_job_step_runs(server: PipelinesServer) -> None:
    sm = client(server, "sagemaker")
    create(
        sm, [training_step("Train"), training_step("After", depends_on=["Train"])], name="served"
    )
    scripted = control(
        server, "outcomes", {"step": "Train", "outcome": {"succeed": True, "after": 600}}
    )
    assert scripted.status_code == 200
    arn = start(sm, "served")

    control(server, "advance", {"seconds": 100})
    assert steps_by_name(sm, arn)["Train"]["StepStatus"] == "Executing"
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert status(sm, arn) == "Stopping"
    control(server, "run-until-idle", {})

    assert status(sm, arn) == "Stopped"
    steps = steps_by_name(sm, arn)
    assert steps["Train"]["StepStatus"] == "Stopped"
    assert "After" not in steps
    with pytest.raises(ClientError) as caught:
        sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert client_error_code(caught.value) == "ValidationException"


def test_scripted_failure_through_the_control_endpoint(server: PipelinesServer) -> None:
    sm = client(server, "sagemaker")
    create(sm, [training_step("Train")], name="served")
    assert (
        control(
            server, "outcomes", {"step": "Train", "outcome": "fail:ClientError: boom"}
        ).status_code
        == 200
    )
    arn = start(sm, "served")
    control(server, "run-until-idle", {})
    assert status(sm, arn) == "Failed"
    assert steps_by_name(sm, arn)["Train"]["FailureReason"] == "ClientError: boom"


BAD_REQUESTS = [
    ("advance", {"seconds": -1}, 400, "'seconds' must be between 0 and"),
    ("advance", {"seconds": 1e300}, 400, "'seconds' must be between 0 and"),
    ("advance", {}, 400, "'seconds' must be a number"),
    ("run-until-idle", {"max_seconds": "x"}, 400, "'max_seconds' must be a number"),
    ("outcomes", {"step": "Train", "outcome": "maybe"}, 400, "must be succeed"),
    ("outcomes", {"outcome": "succeed"}, 400, "'step' must be the name of a step"),
    ("outcomes", {"step": "Train"}, 400, "'outcome' is required"),
    ("clock", {}, 405, "use GET"),
]


def test_bad_control_requests_are_answered_with_an_error(server: PipelinesServer) -> None:
    # One server for every case: starting and stopping one costs half a second.
    for name, body, code, message in BAD_REQUESTS:
        response = control(server, name, body)
        assert (response.status_code, name) == (code, name)
        assert message in response.json()["error"]
    response = requests.post(f"{server.url}{CONTROL_PREFIX}/advance", data="{oops", timeout=30)
    assert response.status_code == 400
    assert "not JSON" in response.json()["error"]
    assert requests.get(f"{server.url}{CONTROL_PREFIX}/advance", timeout=30).status_code == 405
    assert control(server, "clock").status_code == 200  # nothing above broke the server


def test_moto_services_are_served_too(server: PipelinesServer) -> None:
    s3 = client(server, "s3")
    s3.create_bucket(Bucket="served-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["served-bucket"]
    sts = client(server, "sts")
    assert sts.get_caller_identity()["Account"] == ACCOUNT


def test_stopping_the_server_undoes_everything() -> None:
    was_active = _moto.is_active()
    before = simulation_module.active()
    with PipelinesServer(port=0) as running:
        assert _moto.is_active()
        assert simulation_module.active() is running.simulation
        url = running.url
        assert requests.get(f"{url}{CONTROL_PREFIX}/clock", timeout=30).status_code == 200
    assert _moto.is_active() is was_active
    assert simulation_module.active() is before
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{url}{CONTROL_PREFIX}/clock", timeout=5)
