"""Owned actions answered in-process (issue 15): what a boto3 client sees is what moto's route gives.

``mock_sagemaker_pipelines/_moto/fast.py`` answers owned actions straight from botocore's
prepared request; botocore still signs the request and parses the real HTTP response. moto's
own route still answers whenever moto has to see the request: while its request recorder runs,
under IAM authorisation (``set_initial_no_auth_action_count``), for other services and actions.
The recorder gives the comparison: with it on, the same calls go through moto's route.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core import set_initial_no_auth_action_count
from moto.core.botocore_stubber import BotocoreStubber
from moto.moto_api import recorder

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION, processing_step, run, training_step

#: Response fields that differ between any two calls (a fresh request id, the date header).
_PER_CALL = ("RequestId", "date", "x-amzn-requestid", "content-length")


def _comparable(response: dict[str, Any]) -> dict[str, Any]:
    meta = dict(response.pop("ResponseMetadata"))
    headers = {k: v for k, v in meta.pop("HTTPHeaders").items() if k not in _PER_CALL}
    meta = {k: v for k, v in meta.items() if k not in _PER_CALL}
    return {"body": response, "meta": meta, "headers": headers}


def _calls(sm: Any, arn: str, pipeline: str) -> list[Any]:
    outcomes: list[Any] = []
    calls = [
        lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn),
        lambda: sm.list_pipeline_execution_steps(PipelineExecutionArn=arn),
        lambda: sm.describe_pipeline(PipelineName=pipeline),
        lambda: sm.list_pipelines(),
        lambda: sm.list_pipeline_executions(PipelineName=pipeline, SortOrder="Ascending"),
        lambda: sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn),
        lambda: sm.describe_pipeline_execution(PipelineExecutionArn=arn + "x"),
        lambda: sm.list_pipeline_execution_steps(PipelineExecutionArn="not-an-arn"),
    ]
    for call in calls:
        try:
            outcomes.append(_comparable(call()))
        except ClientError as exc:
            outcomes.append(_comparable(dict(exc.response)))
    return outcomes


def test_answers_in_process_equal_moto_route_answers(
    pipelines: PipelinesMock, sm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn = run(sm, [processing_step("Prep"), training_step("Train", depends_on=["Prep"])])
    pipelines.run_until_idle()
    in_process = _calls(sm, arn, "pipe")
    monkeypatch.setattr(recorder, "_location", str(tmp_path / "recording"))
    recorder.start_recording()
    try:
        through_moto = _calls(sm, arn, "pipe")
    finally:
        recorder.stop_recording()
    recorded = (tmp_path / "recording").read_text()
    assert recorded.count("DescribePipelineExecution") >= 2  # moto's route saw them
    assert in_process == through_moto
    for call in (sm.describe_pipeline_execution, sm.list_pipeline_execution_steps):
        ids = {call(PipelineExecutionArn=arn)["ResponseMetadata"]["RequestId"] for _ in range(2)}
        assert len(ids) == 2 and all(re.fullmatch("[A-Za-z0-9]{52}", i) for i in ids)
    assert in_process[0]["body"]["PipelineExecutionStatus"] == "Succeeded"
    assert in_process[6]["body"]["Error"]["Code"] == "ResourceNotFound"
    assert in_process[7]["body"]["Error"]["Code"] == "ValidationException"


def test_iam_authorisation_still_refuses_unknown_credentials() -> None:
    @set_initial_no_auth_action_count(0)
    def call() -> None:
        with mock_sagemaker_pipelines(report="off"):
            client = boto3.client(
                "sagemaker",
                region_name=REGION,
                aws_access_key_id="AKIAUNKNOWNUNKNOWN00",
                aws_secret_access_key="wrong",
            )
            client.list_pipelines()

    with pytest.raises(ClientError) as raised:
        call()
    # moto's own refusal (its IAM check answers before any SageMaker action runs)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "security token included in the request is invalid" in str(raised.value)


def test_moto_handler_is_its_own_again_after_the_mock_stops() -> None:
    original = vars(BotocoreStubber)["__call__"]
    with mock_sagemaker_pipelines(report="off"):
        assert vars(BotocoreStubber)["__call__"] is not original
        with mock_sagemaker_pipelines(report="off"):
            pass
        assert vars(BotocoreStubber)["__call__"] is not original
    assert vars(BotocoreStubber)["__call__"] is original


def test_accounts_and_regions_stay_apart_in_process(pipelines: PipelinesMock) -> None:
    west = boto3.client("sagemaker", region_name="eu-west-1")
    east = boto3.client("sagemaker", region_name=REGION)
    run(west, [processing_step("Prep")], name="west-only")
    names = [p["PipelineName"] for p in east.list_pipelines()["PipelineSummaries"]]
    assert "west-only" not in names
    assert [p["PipelineName"] for p in west.list_pipelines()["PipelineSummaries"]] == ["west-only"]


def test_a_seeded_run_gets_the_same_request_ids_on_either_route(
    pipelines: PipelinesMock, sm: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.moto_api._internal import mock_random

    mock_random.seed(42)
    in_process = [sm.list_pipelines()["ResponseMetadata"]["RequestId"] for _ in range(2)]
    monkeypatch.setattr(recorder, "_location", str(tmp_path / "recording"))
    recorder.start_recording()
    try:
        mock_random.seed(42)
        through_moto = [sm.list_pipelines()["ResponseMetadata"]["RequestId"] for _ in range(2)]
    finally:
        recorder.stop_recording()
    assert in_process == through_moto
    assert in_process[0] != in_process[1]
