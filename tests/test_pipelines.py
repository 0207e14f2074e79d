"""Black-box tests of the pipeline-level SageMaker Pipelines API served by the plugin.

Covers CreatePipeline (inline and from moto's S3), UpdatePipeline, DescribePipeline,
DeletePipeline, ListPipelines, ListPipelineVersions, UpdatePipelineVersion, tags on pipeline and
execution ARNs, ClientRequestToken idempotency, and the error codes of
``shared/spec/sagemaker-pipelines-semantics.md`` sections 1-3. Every call goes through boto3.
"""

from __future__ import annotations

import json
import string
import uuid
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    ACCOUNT,
    REGION,
    ROLE,
    callback_step,
    client_error_code,
    definition,
    real_definition,
    training_step,
)

SIMPLE = definition([training_step("Train")])
OTHER = definition([training_step("Train"), training_step("Evaluate", depends_on=["Train"])])
THIRD = definition([training_step("Only")])
OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/Other"


def _token() -> str:
    return uuid.uuid4().hex  # 32 characters, the model's minimum


def _create(sm: Any, name: str, body: str = SIMPLE, **extra: Any) -> str:
    return sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=body, **extra)[
        "PipelineArn"
    ]


def _names(sm: Any, **kwargs: Any) -> list[str]:
    return [p["PipelineName"] for p in sm.list_pipelines(**kwargs)["PipelineSummaries"]]


def _all_names(sm: Any) -> list[str]:
    names: list[str] = []
    for page in sm.get_paginator("list_pipelines").paginate():
        names.extend(p["PipelineName"] for p in page["PipelineSummaries"])
    return names


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return client_error_code(excinfo.value), excinfo.value.response["Error"]["Message"]


def _arn(name: str, region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:pipeline/{name}"


# --------------------------------------------------------------------------- CreatePipeline


def test_create_returns_the_pipeline_arn_and_describe_shows_the_new_pipeline(sm: Any) -> None:
    arn = _create(sm, "my-Pipeline-1", PipelineDescription="first one")

    assert arn == _arn("my-Pipeline-1")
    described = sm.describe_pipeline(PipelineName="my-Pipeline-1")
    assert described["PipelineArn"] == arn
    assert described["PipelineName"] == "my-Pipeline-1"
    assert described["PipelineDisplayName"] == "my-Pipeline-1"
    assert described["PipelineDefinition"] == SIMPLE
    assert described["PipelineDescription"] == "first one"
    assert described["RoleArn"] == ROLE
    assert described["PipelineStatus"] == "Active"
    assert described["CreationTime"] == described["LastModifiedTime"]
    assert "LastRunTime" not in described


def test_create_keeps_display_name_and_parallelism(sm: Any) -> None:
    _create(
        sm,
        "p",
        PipelineDisplayName="Shown-Name",
        ParallelismConfiguration={"MaxParallelExecutionSteps": 3},
    )

    described = sm.describe_pipeline(PipelineName="p")
    assert described["PipelineDisplayName"] == "Shown-Name"
    assert described["ParallelismConfiguration"] == {"MaxParallelExecutionSteps": 3}


@pytest.mark.parametrize("prefix", ["01", "03", "05"])
def test_the_real_definitions_create_fine(sm: Any, prefix: str) -> None:
    body = real_definition(prefix)

    arn = _create(sm, f"real-{prefix}", body)

    assert arn == _arn(f"real-{prefix}")
    assert sm.describe_pipeline(PipelineName=arn)["PipelineDefinition"] == body


def test_duplicate_name_is_a_validation_exception_saying_already_exists(sm: Any) -> None:
    _create(sm, "dup")

    with pytest.raises(ClientError) as excinfo:
        _create(sm, "dup", OTHER, ClientRequestToken=_token())

    code, message = _error(excinfo)
    assert code == "ValidationException"
    assert "already exists" in message
    assert sm.describe_pipeline(PipelineName="dup")["PipelineDefinition"] == SIMPLE
    assert _all_names(sm) == ["dup"]


def test_definition_inline_and_in_s3_together_is_rejected(
    sm: Any, pipelines: PipelinesMock
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="defs")
    s3.put_object(Bucket="defs", Key="p.json", Body=SIMPLE.encode())

    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(
            PipelineName="both",
            RoleArn=ROLE,
            PipelineDefinition=SIMPLE,
            PipelineDefinitionS3Location={"Bucket": "defs", "ObjectKey": "p.json"},
        )

    assert client_error_code(excinfo.value) == "ValidationException"
    assert _all_names(sm) == []


def test_a_definition_is_required(sm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(PipelineName="nothing", RoleArn=ROLE)

    assert client_error_code(excinfo.value) == "ValidationException"
    assert _all_names(sm) == []


def test_pipeline_quota_gives_resource_limit_exceeded(sm: Any, pipelines: PipelinesMock) -> None:
    pipelines.simulation.options.max_pipelines = 2
    _create(sm, "one")
    _create(sm, "two")

    with pytest.raises(ClientError) as excinfo:
        _create(sm, "three")

    code, message = _error(excinfo)
    assert code == "ResourceLimitExceeded"
    assert "Maximum number of pipelines allowed per account" in message
    assert sorted(_all_names(sm)) == ["one", "two"]


@pytest.mark.sagemaker_pipelines(max_pipelines=1)
def test_max_pipelines_option_sets_the_quota(sm: Any) -> None:
    _create(sm, "one")

    with pytest.raises(ClientError) as excinfo:
        _create(sm, "two")

    assert _error(excinfo)[0] == "ResourceLimitExceeded"
    assert _all_names(sm) == ["one"]


def test_max_pipelines_none_lifts_the_quota() -> None:
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    with mock_sagemaker_pipelines(max_pipelines=None, report="off"):
        client = boto3.client("sagemaker", region_name="us-east-1")
        for index in range(502):
            _create(client, f"p{index}")
        assert len(_all_names(client)) == 502


# ------------------------------------------------------------------- definitions from S3


@pytest.fixture
def versioned_bucket(pipelines: PipelinesMock) -> tuple[Any, str, str]:
    """A versioned moto bucket ``defs`` whose ``pipeline.json`` has two versions (SIMPLE, OTHER).

    Returns (s3 client, version id of SIMPLE, version id of OTHER).
    """
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="defs")
    s3.put_bucket_versioning(Bucket="defs", VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket="defs", Key="pipeline.json", Body=SIMPLE.encode())["VersionId"]
    second = s3.put_object(Bucket="defs", Key="pipeline.json", Body=OTHER.encode())["VersionId"]
    return s3, first, second


def test_create_from_s3_reads_the_latest_version(sm: Any, versioned_bucket: Any) -> None:
    arn = sm.create_pipeline(
        PipelineName="from-s3",
        RoleArn=ROLE,
        PipelineDefinitionS3Location={"Bucket": "defs", "ObjectKey": "pipeline.json"},
    )["PipelineArn"]

    assert arn == _arn("from-s3")
    assert sm.describe_pipeline(PipelineName="from-s3")["PipelineDefinition"] == OTHER


def test_create_from_s3_reads_the_given_version_id(sm: Any, versioned_bucket: Any) -> None:
    _, first, _ = versioned_bucket

    sm.create_pipeline(
        PipelineName="from-s3",
        RoleArn=ROLE,
        PipelineDefinitionS3Location={
            "Bucket": "defs",
            "ObjectKey": "pipeline.json",
            "VersionId": first,
        },
    )

    assert sm.describe_pipeline(PipelineName="from-s3")["PipelineDefinition"] == SIMPLE


def test_update_from_s3_makes_a_version_with_the_s3_definition_inline(
    sm: Any, versioned_bucket: Any
) -> None:
    _, first, _ = versioned_bucket
    _create(sm, "p", THIRD)

    version = sm.update_pipeline(
        PipelineName="p",
        PipelineDefinitionS3Location={
            "Bucket": "defs",
            "ObjectKey": "pipeline.json",
            "VersionId": first,
        },
    )["PipelineVersionId"]

    assert version == 2
    assert sm.describe_pipeline(PipelineName="p")["PipelineDefinition"] == SIMPLE
    assert (
        sm.describe_pipeline(PipelineName="p", PipelineVersionId=1)["PipelineDefinition"] == THIRD
    )


def test_create_from_a_missing_s3_object_creates_nothing(sm: Any, versioned_bucket: Any) -> None:
    for location in (
        {"Bucket": "defs", "ObjectKey": "missing.json"},
        {"Bucket": "no-such-bucket", "ObjectKey": "pipeline.json"},
        {"Bucket": "defs", "ObjectKey": "pipeline.json", "VersionId": "no-such-version"},
    ):
        with pytest.raises(ClientError) as excinfo:
            sm.create_pipeline(
                PipelineName="from-s3", RoleArn=ROLE, PipelineDefinitionS3Location=location
            )
        assert client_error_code(excinfo.value) == "ResourceNotFound"
    assert _all_names(sm) == []


def test_create_from_an_invalid_s3_definition_is_a_validation_exception(
    sm: Any, versioned_bucket: Any
) -> None:
    s3, _, _ = versioned_bucket
    s3.put_object(Bucket="defs", Key="broken.json", Body=b'{"Version": "2020-12-01", "Steps": [')

    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(
            PipelineName="from-s3",
            RoleArn=ROLE,
            PipelineDefinitionS3Location={"Bucket": "defs", "ObjectKey": "broken.json"},
        )

    assert client_error_code(excinfo.value) == "ValidationException"
    assert _all_names(sm) == []


# --------------------------------------------------------------------------- UpdatePipeline


def test_every_update_makes_a_new_version(sm: Any) -> None:
    arn = _create(sm, "p")

    first = sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)
    second = sm.update_pipeline(PipelineName="p", PipelineDescription="described")
    third = sm.update_pipeline(PipelineName="p", RoleArn=OTHER_ROLE)

    assert [
        first["PipelineVersionId"],
        second["PipelineVersionId"],
        third["PipelineVersionId"],
    ] == [
        2,
        3,
        4,
    ]
    assert {first["PipelineArn"], second["PipelineArn"], third["PipelineArn"]} == {arn}
    latest = sm.describe_pipeline(PipelineName="p")
    assert latest["PipelineDefinition"] == OTHER
    assert latest["PipelineDescription"] == "described"
    assert latest["RoleArn"] == OTHER_ROLE


def test_update_changes_only_the_supplied_fields(sm: Any) -> None:
    _create(sm, "p", PipelineDescription="keep me", PipelineDisplayName="Keep")

    sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)

    described = sm.describe_pipeline(PipelineName="p")
    assert described["PipelineDescription"] == "keep me"
    assert described["PipelineDisplayName"] == "Keep"
    assert described["RoleArn"] == ROLE


def test_update_moves_last_modified_time_but_not_creation_time(
    sm: Any, pipelines: PipelinesMock
) -> None:
    _create(sm, "p")
    before = sm.describe_pipeline(PipelineName="p")
    pipelines.advance(60)

    sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)

    after = sm.describe_pipeline(PipelineName="p")
    assert after["CreationTime"] == before["CreationTime"]
    assert after["LastModifiedTime"] - before["LastModifiedTime"] >= timedelta(seconds=59)


def test_update_of_an_unknown_pipeline_is_resource_not_found(sm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        sm.update_pipeline(PipelineName="ghost", PipelineDefinition=SIMPLE)

    code, message = _error(excinfo)
    assert code == "ResourceNotFound"
    assert message.endswith("does not exist.")
    assert _all_names(sm) == []


# ------------------------------------------------------------------------- DescribePipeline


def test_describe_by_name_and_by_arn_agree(sm: Any) -> None:
    arn = _create(sm, "p")

    by_name = sm.describe_pipeline(PipelineName="p")
    by_arn = sm.describe_pipeline(PipelineName=arn)

    for response in (by_name, by_arn):
        response.pop("ResponseMetadata")
    assert by_name == by_arn


def test_describe_by_version_id_returns_that_versions_definition(sm: Any) -> None:
    _create(sm, "p", SIMPLE)
    sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)
    sm.update_pipeline(PipelineName="p", PipelineDefinition=THIRD)

    definitions = [
        sm.describe_pipeline(PipelineName="p", PipelineVersionId=v)["PipelineDefinition"]
        for v in (1, 2, 3)
    ]

    assert definitions == [SIMPLE, OTHER, THIRD]
    assert sm.describe_pipeline(PipelineName="p")["PipelineDefinition"] == THIRD


def test_describe_of_an_unknown_version_is_resource_not_found(sm: Any) -> None:
    _create(sm, "p")

    with pytest.raises(ClientError) as excinfo:
        sm.describe_pipeline(PipelineName="p", PipelineVersionId=2)

    assert client_error_code(excinfo.value) == "ResourceNotFound"


@pytest.mark.parametrize(
    "name_or_arn",
    [
        "ghost",
        _arn("ghost"),
        _arn("p", region="eu-west-1"),
        _arn("p", account="999999999999"),
    ],
)
def test_describe_of_an_unknown_pipeline_is_resource_not_found(sm: Any, name_or_arn: str) -> None:
    _create(sm, "p")

    with pytest.raises(ClientError) as excinfo:
        sm.describe_pipeline(PipelineName=name_or_arn)

    code, message = _error(excinfo)
    assert code == "ResourceNotFound"
    assert message.endswith("does not exist.")


def test_every_pipeline_operation_says_does_not_exist_for_an_unknown_pipeline(sm: Any) -> None:
    calls = [
        lambda: sm.describe_pipeline(PipelineName="ghost"),
        lambda: sm.update_pipeline(PipelineName="ghost", PipelineDescription="x"),
        lambda: sm.delete_pipeline(PipelineName="ghost"),
        lambda: sm.list_pipeline_versions(PipelineName="ghost"),
        lambda: sm.update_pipeline_version(PipelineArn=_arn("ghost"), PipelineVersionId=1),
        lambda: sm.start_pipeline_execution(PipelineName="ghost"),
        lambda: sm.list_pipeline_executions(PipelineName="ghost"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as excinfo:
            call()
        code, message = _error(excinfo)
        assert code == "ResourceNotFound", message
        assert message.endswith("does not exist."), message
    assert _all_names(sm) == []


# --------------------------------------------------------------------------- DeletePipeline


def test_delete_returns_the_arn_and_removes_the_pipeline(sm: Any) -> None:
    arn = _create(sm, "gone")
    _create(sm, "stays")

    response = sm.delete_pipeline(PipelineName="gone")

    assert response["PipelineArn"] == arn
    assert _all_names(sm) == ["stays"]
    with pytest.raises(ClientError) as excinfo:
        sm.describe_pipeline(PipelineName="gone")
    assert client_error_code(excinfo.value) == "ResourceNotFound"


def test_delete_then_create_again_starts_from_version_one(sm: Any) -> None:
    _create(sm, "p")
    sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)
    sm.delete_pipeline(PipelineName="p")

    _create(sm, "p", THIRD)

    versions = sm.list_pipeline_versions(PipelineName="p")["PipelineVersionSummaries"]
    assert [v["PipelineVersionId"] for v in versions] == [1]
    assert sm.describe_pipeline(PipelineName="p")["PipelineDefinition"] == THIRD


def _waiting_pipeline(sm: Any, name: str = "waits") -> tuple[str, str]:
    """A pipeline whose only step is a Callback step; returns (pipeline ARN, execution ARN)."""
    queue_url = boto3.client("sqs", region_name=REGION).create_queue(QueueName="callbacks")[
        "QueueUrl"
    ]
    arn = _create(sm, name, definition([callback_step("Wait", queue_url)]))
    execution = sm.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    return arn, execution


def _answer_callback(sm: Any, pipelines: PipelinesMock) -> None:
    """Let the waiting Callback step succeed and run the execution to its end."""
    pipelines.run_until_idle()
    sm.send_pipeline_execution_step_success(CallbackToken=pipelines.callback_token("Wait"))
    pipelines.run_until_idle()


def test_delete_while_an_execution_runs_is_a_conflict(sm: Any, pipelines: PipelinesMock) -> None:
    _, execution = _waiting_pipeline(sm)
    pipelines.run_until_idle()
    assert (
        sm.describe_pipeline_execution(PipelineExecutionArn=execution)["PipelineExecutionStatus"]
        == "Executing"
    )

    with pytest.raises(ClientError) as excinfo:
        sm.delete_pipeline(PipelineName="waits")

    assert client_error_code(excinfo.value) == "ConflictException"
    assert _all_names(sm) == ["waits"]
    assert (
        sm.describe_pipeline_execution(PipelineExecutionArn=execution)["PipelineExecutionStatus"]
        == "Executing"
    )
    _answer_callback(sm, pipelines)
    assert sm.delete_pipeline(PipelineName="waits")["PipelineArn"] == _arn("waits")


def test_delete_after_the_execution_finished_removes_its_executions(
    sm: Any, pipelines: PipelinesMock
) -> None:
    _, execution = _waiting_pipeline(sm)
    _answer_callback(sm, pipelines)
    assert (
        sm.describe_pipeline_execution(PipelineExecutionArn=execution)["PipelineExecutionStatus"]
        == "Succeeded"
    )

    sm.delete_pipeline(PipelineName="waits")

    assert _all_names(sm) == []
    with pytest.raises(ClientError) as excinfo:
        sm.describe_pipeline_execution(PipelineExecutionArn=execution)
    assert client_error_code(excinfo.value) == "ResourceNotFound"


# ---------------------------------------------------------------------------- ListPipelines


def test_list_pipelines_summaries(sm: Any) -> None:
    arn = _create(sm, "p", PipelineDescription="d", PipelineDisplayName="Shown")

    (summary,) = sm.list_pipelines()["PipelineSummaries"]

    assert summary["PipelineArn"] == arn
    assert summary["PipelineName"] == "p"
    assert summary["PipelineDisplayName"] == "Shown"
    assert summary["PipelineDescription"] == "d"
    assert summary["RoleArn"] == ROLE
    assert "CreationTime" in summary
    assert "LastModifiedTime" in summary
    assert "LastExecutionTime" not in summary


def test_list_pipelines_when_there_are_none(sm: Any) -> None:
    response = sm.list_pipelines()

    assert response["PipelineSummaries"] == []
    assert "NextToken" not in response


def test_list_pipelines_prefix_is_a_true_prefix(sm: Any) -> None:
    for name in ("APipe", "APipeline2", "BPipeline", "Pipeline1", "pipeline-lower"):
        _create(sm, name)

    assert sorted(_names(sm, PipelineNamePrefix="Pipeline")) == ["Pipeline1"]
    assert sorted(_names(sm, PipelineNamePrefix="APipe")) == ["APipe", "APipeline2"]
    assert _names(sm, PipelineNamePrefix="Nope") == []


def _three_over_time(sm: Any, pipelines: PipelinesMock) -> list[Any]:
    """Create b-second, a-first, c-third 100 s apart; returns their creation times in order."""
    times = []
    for name in ("b-second", "a-first", "c-third"):
        _create(sm, name)
        times.append(sm.describe_pipeline(PipelineName=name)["CreationTime"])
        pipelines.advance(100)
    return times


def test_list_pipelines_created_after_and_before(sm: Any, pipelines: PipelinesMock) -> None:
    t1, t2, t3 = _three_over_time(sm, pipelines)
    middle_low = t1 + timedelta(seconds=50)
    middle_high = t2 + timedelta(seconds=50)

    assert sorted(_names(sm, CreatedAfter=middle_low)) == ["a-first", "c-third"]
    assert sorted(_names(sm, CreatedBefore=middle_high)) == ["a-first", "b-second"]
    assert _names(sm, CreatedAfter=middle_low, CreatedBefore=middle_high) == ["a-first"]
    assert _names(sm, CreatedAfter=t3 + timedelta(days=1)) == []
    assert _names(sm, CreatedBefore=t1 - timedelta(days=1)) == []


def test_list_pipelines_sorting(sm: Any, pipelines: PipelinesMock) -> None:
    _three_over_time(sm, pipelines)
    by_time = ["b-second", "a-first", "c-third"]

    assert _names(sm) == list(reversed(by_time))  # default: CreationTime, Descending
    assert _names(sm, SortBy="CreationTime") == list(reversed(by_time))
    assert _names(sm, SortBy="CreationTime", SortOrder="Ascending") == by_time
    assert _names(sm, SortBy="CreationTime", SortOrder="Descending") == list(reversed(by_time))
    assert _names(sm, SortBy="Name", SortOrder="Ascending") == ["a-first", "b-second", "c-third"]
    assert _names(sm, SortBy="Name", SortOrder="Descending") == ["c-third", "b-second", "a-first"]
    assert _names(sm, SortOrder="Ascending") == by_time


def test_list_pipelines_pages_with_max_results_and_next_token(sm: Any) -> None:
    for index in range(5):
        _create(sm, f"p{index}")

    first = sm.list_pipelines(MaxResults=2, SortBy="Name", SortOrder="Ascending")
    second = sm.list_pipelines(
        MaxResults=2, SortBy="Name", SortOrder="Ascending", NextToken=first["NextToken"]
    )
    third = sm.list_pipelines(
        MaxResults=2, SortBy="Name", SortOrder="Ascending", NextToken=second["NextToken"]
    )

    pages = [[p["PipelineName"] for p in r["PipelineSummaries"]] for r in (first, second, third)]
    assert pages == [["p0", "p1"], ["p2", "p3"], ["p4"]]
    assert "NextToken" not in third


@pytest.mark.parametrize("token", ["not-a-token", "0", "%%%", "eyJvZmZzZXQiOiAtMX0="])
def test_list_pipelines_with_an_invalid_token_is_a_validation_exception(
    sm: Any, token: str
) -> None:
    _create(sm, "p")

    with pytest.raises(ClientError) as excinfo:
        sm.list_pipelines(NextToken=token)

    assert client_error_code(excinfo.value) == "ValidationException"


def test_pagination_covers_every_pipeline_exactly_once(sm: Any, pipelines: PipelinesMock) -> None:
    names = [f"{letter}{index}" for index, letter in enumerate("kcjaeibhgdf")]
    for name in names:
        _create(sm, name)
        pipelines.advance(1)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        max_results=st.integers(min_value=1, max_value=12),
        sort_by=st.sampled_from([None, "Name", "CreationTime"]),
        sort_order=st.sampled_from([None, "Ascending", "Descending"]),
        prefix=st.sampled_from([None, "a", "k", "z"]),
    )
    def check(
        max_results: int, sort_by: str | None, sort_order: str | None, prefix: str | None
    ) -> None:
        kwargs: dict[str, Any] = {"MaxResults": max_results}
        if sort_by:
            kwargs["SortBy"] = sort_by
        if sort_order:
            kwargs["SortOrder"] = sort_order
        if prefix:
            kwargs["PipelineNamePrefix"] = prefix
        unpaged = _names(sm, **{k: v for k, v in kwargs.items() if k != "MaxResults"})
        seen: list[str] = []
        token = None
        for _ in range(len(names) + 2):
            response = sm.list_pipelines(**kwargs, **({"NextToken": token} if token else {}))
            page = [p["PipelineName"] for p in response["PipelineSummaries"]]
            assert len(page) <= max_results
            seen.extend(page)
            token = response.get("NextToken")
            if not token:
                break
        assert token is None
        assert seen == unpaged
        expected = sorted(n for n in names if not prefix or n.startswith(prefix))
        assert sorted(seen) == expected

    check()


# ------------------------------------------------- ListPipelineVersions / UpdatePipelineVersion


def test_list_pipeline_versions_newest_first_by_default(sm: Any, pipelines: PipelinesMock) -> None:
    arn = _create(sm, "p")
    pipelines.advance(10)
    sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)
    pipelines.advance(10)
    sm.update_pipeline(PipelineName="p", PipelineDefinition=THIRD)

    default = sm.list_pipeline_versions(PipelineName="p")["PipelineVersionSummaries"]
    ascending = sm.list_pipeline_versions(PipelineName=arn, SortOrder="Ascending")[
        "PipelineVersionSummaries"
    ]

    assert [v["PipelineVersionId"] for v in default] == [3, 2, 1]
    assert [v["PipelineVersionId"] for v in ascending] == [1, 2, 3]
    assert {v["PipelineArn"] for v in default} == {arn}
    assert default[0]["CreationTime"] > default[1]["CreationTime"] > default[2]["CreationTime"]


def test_list_pipeline_versions_filters_and_pages(sm: Any, pipelines: PipelinesMock) -> None:
    _create(sm, "p")
    pipelines.advance(100)
    for body in (OTHER, THIRD, SIMPLE):
        sm.update_pipeline(PipelineName="p", PipelineDefinition=body)
        pipelines.advance(100)
    times = {
        v["PipelineVersionId"]: v["CreationTime"]
        for v in sm.list_pipeline_versions(PipelineName="p")["PipelineVersionSummaries"]
    }

    after = sm.list_pipeline_versions(
        PipelineName="p", CreatedAfter=times[2] + timedelta(seconds=50)
    )["PipelineVersionSummaries"]
    before = sm.list_pipeline_versions(
        PipelineName="p", CreatedBefore=times[2] + timedelta(seconds=50)
    )["PipelineVersionSummaries"]
    assert sorted(v["PipelineVersionId"] for v in after) == [3, 4]
    assert sorted(v["PipelineVersionId"] for v in before) == [1, 2]

    seen: list[int] = []
    for page in sm.get_paginator("list_pipeline_versions").paginate(
        PipelineName="p", PaginationConfig={"PageSize": 3}
    ):
        assert len(page["PipelineVersionSummaries"]) <= 3
        seen.extend(v["PipelineVersionId"] for v in page["PipelineVersionSummaries"])
    assert seen == [4, 3, 2, 1]


def test_list_pipeline_versions_with_an_invalid_token(sm: Any) -> None:
    _create(sm, "p")

    with pytest.raises(ClientError) as excinfo:
        sm.list_pipeline_versions(PipelineName="p", NextToken="garbage")

    assert client_error_code(excinfo.value) == "ValidationException"


def test_update_pipeline_version_sets_display_name_and_description(sm: Any) -> None:
    arn = _create(sm, "p")
    sm.update_pipeline(PipelineName="p", PipelineDefinition=OTHER)

    response = sm.update_pipeline_version(
        PipelineArn=arn,
        PipelineVersionId=1,
        PipelineVersionDisplayName="first-version",
        PipelineVersionDescription="the original",
    )

    assert response["PipelineArn"] == arn
    assert response["PipelineVersionId"] == 1
    old = sm.describe_pipeline(PipelineName="p", PipelineVersionId=1)
    assert old["PipelineVersionDisplayName"] == "first-version"
    assert old["PipelineVersionDescription"] == "the original"
    assert "PipelineVersionDisplayName" not in sm.describe_pipeline(PipelineName="p")
    summaries = {
        v["PipelineVersionId"]: v
        for v in sm.list_pipeline_versions(PipelineName="p")["PipelineVersionSummaries"]
    }
    assert summaries[1]["PipelineVersionDisplayName"] == "first-version"
    assert summaries[1]["PipelineVersionDescription"] == "the original"
    assert "PipelineVersionDisplayName" not in summaries[2]
    assert len(summaries) == 2  # UpdatePipelineVersion makes no new version


def test_update_pipeline_version_of_an_unknown_version_is_resource_not_found(sm: Any) -> None:
    arn = _create(sm, "p")

    with pytest.raises(ClientError) as excinfo:
        sm.update_pipeline_version(
            PipelineArn=arn, PipelineVersionId=7, PipelineVersionDisplayName="x"
        )

    assert client_error_code(excinfo.value) == "ResourceNotFound"
    assert "PipelineVersionDisplayName" not in sm.describe_pipeline(PipelineName="p")


def test_version_summary_names_the_last_execution_of_that_version(
    sm: Any, pipelines: PipelinesMock
) -> None:
    _, execution = _waiting_pipeline(sm)
    sm.update_pipeline(PipelineName="waits", PipelineDescription="v2")

    summaries = {
        v["PipelineVersionId"]: v
        for v in sm.list_pipeline_versions(PipelineName="waits")["PipelineVersionSummaries"]
    }

    assert summaries[1]["LastExecutionPipelineExecutionArn"] == execution
    assert "LastExecutionPipelineExecutionArn" not in summaries[2]
    started = sm.describe_pipeline_execution(PipelineExecutionArn=execution)["CreationTime"]
    assert sm.describe_pipeline(PipelineName="waits")["LastRunTime"] == started
    (summary,) = sm.list_pipelines()["PipelineSummaries"]
    assert summary["LastExecutionTime"] == started
    _answer_callback(sm, pipelines)


# ------------------------------------------------------------------------------------- tags


def _tags(sm: Any, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}


def test_tags_given_at_create_are_listed(sm: Any) -> None:
    arn = _create(sm, "p", Tags=[{"Key": "team", "Value": "ml"}, {"Key": "env", "Value": "dev"}])

    assert _tags(sm, arn) == {"team": "ml", "env": "dev"}


def test_add_list_delete_tags_on_a_pipeline(sm: Any) -> None:
    arn = _create(sm, "p")

    added = sm.add_tags(
        ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    )
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "changed"}])

    assert added["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    assert _tags(sm, arn) == {"a": "changed", "b": "2"}
    sm.delete_tags(ResourceArn=arn, TagKeys=["a", "not-there"])
    assert _tags(sm, arn) == {"b": "2"}


def test_tags_on_an_execution_are_separate_from_the_pipeline(
    sm: Any, pipelines: PipelinesMock
) -> None:
    arn, execution = _waiting_pipeline(sm)

    sm.add_tags(ResourceArn=execution, Tags=[{"Key": "run", "Value": "1"}])
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "pipe", "Value": "yes"}])

    assert _tags(sm, execution) == {"run": "1"}
    assert _tags(sm, arn) == {"pipe": "yes"}
    sm.delete_tags(ResourceArn=execution, TagKeys=["run"])
    assert _tags(sm, execution) == {}
    assert _tags(sm, arn) == {"pipe": "yes"}
    _answer_callback(sm, pipelines)


def test_list_tags_pages(sm: Any) -> None:
    arn = _create(sm, "p", Tags=[{"Key": f"k{i:02d}", "Value": str(i)} for i in range(12)])

    keys: list[str] = []
    for page in sm.get_paginator("list_tags").paginate(
        ResourceArn=arn, PaginationConfig={"PageSize": 50}
    ):
        keys.extend(t["Key"] for t in page["Tags"])

    assert sorted(keys) == [f"k{i:02d}" for i in range(12)]


def test_more_than_fifty_tags_in_total_is_rejected(sm: Any) -> None:
    arn = _create(sm, "p", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(45)])

    with pytest.raises(ClientError) as excinfo:
        sm.add_tags(ResourceArn=arn, Tags=[{"Key": f"new{i}", "Value": ""} for i in range(6)])

    assert client_error_code(excinfo.value) == "ValidationException"
    assert len(_tags(sm, arn)) == 45


def test_tags_on_an_unknown_pipeline_or_execution(sm: Any) -> None:
    arn = _create(sm, "p")
    for unknown in (_arn("ghost"), f"{arn}/execution/abcdefabcdef"):
        with pytest.raises(ClientError) as excinfo:
            sm.add_tags(ResourceArn=unknown, Tags=[{"Key": "a", "Value": "1"}])
        assert client_error_code(excinfo.value) == "ResourceNotFound"
        with pytest.raises(ClientError) as excinfo:
            sm.list_tags(ResourceArn=unknown)
        assert client_error_code(excinfo.value) == "ResourceNotFound"
    assert _tags(sm, arn) == {}


# ------------------------------------------------------------------------------ idempotency


def test_create_with_the_same_token_and_request_returns_the_same_response(sm: Any) -> None:
    token = _token()

    first = _create(sm, "idem", ClientRequestToken=token)
    second = _create(sm, "idem", ClientRequestToken=token)

    assert first == second == _arn("idem")
    assert _all_names(sm) == ["idem"]
    versions = sm.list_pipeline_versions(PipelineName="idem")["PipelineVersionSummaries"]
    assert len(versions) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"PipelineName": "other-name"},
        {"PipelineDefinition": OTHER},
        {"RoleArn": OTHER_ROLE},
        {"PipelineDescription": "something else"},
        {"PipelineDisplayName": "Other"},
        {"Tags": [{"Key": "k", "Value": "v"}]},
        {"ParallelismConfiguration": {"MaxParallelExecutionSteps": 2}},
    ],
    ids=lambda change: next(iter(change)),
)
def test_create_with_the_same_token_and_a_different_request_is_an_error(
    sm: Any, change: dict[str, Any]
) -> None:
    token = _token()
    request = {"PipelineName": "idem", "RoleArn": ROLE, "PipelineDefinition": SIMPLE}
    sm.create_pipeline(**request, ClientRequestToken=token)

    with pytest.raises(ClientError) as excinfo:
        sm.create_pipeline(**{**request, **change}, ClientRequestToken=token)

    assert client_error_code(excinfo.value) == "ValidationException"
    assert _all_names(sm) == ["idem"]
    described = sm.describe_pipeline(PipelineName="idem")
    assert described["PipelineDefinition"] == SIMPLE
    assert described["RoleArn"] == ROLE


def test_the_same_token_on_a_different_operation_is_independent(sm: Any) -> None:
    token = _token()
    _create(sm, "idem", ClientRequestToken=token)

    response = sm.delete_pipeline(PipelineName="idem", ClientRequestToken=token)

    assert response["PipelineArn"] == _arn("idem")
    assert _all_names(sm) == []


def test_delete_with_the_same_token_twice_returns_the_same_response(sm: Any) -> None:
    arn = _create(sm, "p")
    token = _token()

    first = sm.delete_pipeline(PipelineName="p", ClientRequestToken=token)
    second = sm.delete_pipeline(PipelineName="p", ClientRequestToken=token)

    assert first["PipelineArn"] == second["PipelineArn"] == arn
    assert _all_names(sm) == []


def test_delete_with_the_same_token_and_another_pipeline_is_an_error(sm: Any) -> None:
    _create(sm, "p")
    _create(sm, "q")
    token = _token()
    sm.delete_pipeline(PipelineName="p", ClientRequestToken=token)

    with pytest.raises(ClientError) as excinfo:
        sm.delete_pipeline(PipelineName="q", ClientRequestToken=token)

    assert client_error_code(excinfo.value) == "ValidationException"
    assert _all_names(sm) == ["q"]


def test_creates_without_a_token_get_distinct_auto_filled_tokens(sm: Any) -> None:
    # botocore fills ClientRequestToken with a fresh uuid4 per call: a repeat is a duplicate.
    _create(sm, "auto")

    with pytest.raises(ClientError) as excinfo:
        _create(sm, "auto")

    code, message = _error(excinfo)
    assert code == "ValidationException"
    assert "already exists" in message


# ---------------------------------------------------------------------- properties (junk in)


_NAME_CHARS = string.ascii_letters + string.digits + "-_. /:"


_JUNK_BODIES = st.one_of(
    st.text(min_size=1, max_size=60),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(["Version", "Steps", "Parameters", "Name", "Type", "Get", "x"]),
                children,
                max_size=4,
            )
        ),
        max_leaves=12,
    ).map(json.dumps),
)


def test_junk_create_requests_give_success_or_a_4xx_client_error(sm: Any) -> None:
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(name=st.text(alphabet=_NAME_CHARS, min_size=1, max_size=40), body=_JUNK_BODIES)
    def check(name: str, body: str) -> None:
        try:
            arn = _create(sm, name, body)
        except ClientError as exc:
            status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
            assert 400 <= status < 500
            assert client_error_code(exc) == "ValidationException"
            assert _all_names(sm) == []
        else:
            assert arn == _arn(name)
            assert sm.describe_pipeline(PipelineName=name)["PipelineDefinition"] == body
            sm.delete_pipeline(PipelineName=name)

    check()


def test_two_tags_with_one_key_at_create_are_refused(sm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        _create(sm, "p", Tags=[{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}])

    assert client_error_code(excinfo.value) == "ValidationException"
    assert excinfo.value.response["Error"]["Message"] == "Duplicate tag key"
    assert sm.list_pipelines()["PipelineSummaries"] == []
