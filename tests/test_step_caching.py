"""Step caching (``CacheConfig``): hits reuse the earlier run, misses say why (DG "Caching pipeline steps")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    cached,
    client_error_code,
    create,
    definition,
    drain,
    get,
    model_step,
    parameter,
    processing_step,
    resource_arn,
    route_events_to_queue,
    start,
    status,
    steps_by_name,
    training_step,
    transform_step,
    with_arguments,
)

STEP_EVENT = "SageMaker Model Building Pipeline Execution Step Status Change"
ARTIFACTS = "Steps.Train.ModelArtifacts.S3ModelArtifacts"


def _train(expire_after: str | None = "PT1H", rate: Any = "0.1") -> dict[str, Any]:
    return with_arguments(
        cached(training_step("Train"), expire_after), HyperParameters={"eta": rate}
    )


def _pipeline(sm: Any, train: dict[str, Any] | None = None) -> None:
    create(
        sm,
        [train or _train(rate=get("Parameters.Rate")), model_step("Model", get(ARTIFACTS))],
        [parameter("Rate", "String", "0.1")],
    )


def _run(sm: Any, pipelines: PipelinesMock, **values: str) -> str:
    arn = start(sm, values=values or None)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    return arn


def _training_jobs(sm: Any) -> int:
    return len(sm.list_training_jobs()["TrainingJobSummaries"])


def test_a_second_run_is_a_cache_hit_of_the_first(sm: Any, pipelines: PipelinesMock) -> None:
    _pipeline(sm)
    first = _run(sm, pipelines)
    second = _run(sm, pipelines)

    hit = steps_by_name(sm, second)["Train"]
    original = steps_by_name(sm, first)["Train"]
    assert hit["CacheHitResult"] == {"SourcePipelineExecutionArn": first}
    assert "CacheHitResult" not in original
    assert hit["StepStatus"] == "Succeeded"
    assert hit["Metadata"] == original["Metadata"]  # the first run's job
    assert _training_jobs(sm) == 1  # no new job in moto
    assert hit["EndTime"] == hit["StartTime"]  # no simulated time spent
    # properties intact: the downstream Model step read the first run's artifacts
    models = [
        sm.describe_model(ModelName=resource_arn(steps_by_name(sm, a)["Model"]).split("/")[-1])
        for a in (first, second)
    ]
    urls = {m["PrimaryContainer"]["ModelDataUrl"] for m in models}
    assert len(urls) == 1 and resource_arn(original).split("/")[-1] in urls.pop()
    assert pipelines.cache_miss_reason(second, "Train") is None
    assert "no earlier successful run" in str(pipelines.cache_miss_reason(first, "Train"))


def test_a_changed_key_argument_is_a_miss(sm: Any, pipelines: PipelinesMock) -> None:
    _pipeline(sm)
    first = _run(sm, pipelines)
    second = _run(sm, pipelines, Rate="0.3")

    assert "CacheHitResult" not in steps_by_name(sm, second)["Train"]
    assert _training_jobs(sm) == 2
    reason = str(pipelines.cache_miss_reason(second, "Train"))
    assert "HyperParameters" in reason and first in reason


def test_an_argument_outside_the_key_still_hits(sm: Any, pipelines: PipelinesMock) -> None:
    train = _train()
    _pipeline(sm, train)
    first = _run(sm, pipelines)
    # ResourceConfig is not a Training cache key attribute (DG default cache keys)
    train["Arguments"]["ResourceConfig"]["InstanceType"] = "ml.m5.4xlarge"
    sm.update_pipeline(
        PipelineName="pipe",
        PipelineDefinition=definition([train, model_step("Model", get(ARTIFACTS))]),
    )
    second = _run(sm, pipelines)
    assert (
        steps_by_name(sm, second)["Train"]["CacheHitResult"]["SourcePipelineExecutionArn"] == first
    )


def test_an_identical_upsert_keeps_hitting_and_a_new_code_uri_misses(
    sm: Any, pipelines: PipelinesMock
) -> None:
    # sdk issue #2736: upserting caused misses because the SDK uploaded the code to a new,
    # timestamped S3 URI inside ProcessingInputs (a key attribute); fixed by sdk PR #2790
    def steps(code_uri: str) -> list[dict[str, Any]]:
        code = {
            "InputName": "code",
            "AppManaged": False,
            "S3Input": {
                "S3Uri": code_uri,
                "LocalPath": "/opt/ml/processing/input/code",
                "S3DataType": "S3Prefix",
                "S3InputMode": "File",
            },
        }
        step = processing_step("Prep", inputs=[code])
        return [cached(step)]

    create(sm, steps("s3://example-bucket/code/2021-10-27-10-00-00/prep.py"))
    first = _run(sm, pipelines)
    sm.update_pipeline(
        PipelineName="pipe",
        PipelineDefinition=definition(
            steps("s3://example-bucket/code/2021-10-27-10-00-00/prep.py")
        ),
    )
    second = _run(sm, pipelines)
    assert (
        steps_by_name(sm, second)["Prep"]["CacheHitResult"]["SourcePipelineExecutionArn"] == first
    )

    sm.update_pipeline(
        PipelineName="pipe",
        PipelineDefinition=definition(
            steps("s3://example-bucket/code/2021-10-27-11-30-00/prep.py")
        ),
    )
    third = _run(sm, pipelines)
    assert "CacheHitResult" not in steps_by_name(sm, third)["Prep"]
    assert "ProcessingInputs" in str(pipelines.cache_miss_reason(third, "Prep"))


def test_a_transform_after_a_model_step_never_hits(sm: Any, pipelines: PipelinesMock) -> None:
    # sdk issue #3392: the Model step names a new model every run, and ModelName is a
    # Transform cache key attribute
    steps = [
        training_step("Train"),
        model_step("Model", get(ARTIFACTS)),
        cached(transform_step("Score", get("Steps.Model.ModelName"))),
    ]
    create(sm, steps)
    _run(sm, pipelines)
    second = _run(sm, pipelines)
    assert "CacheHitResult" not in steps_by_name(sm, second)["Score"]
    assert "ModelName" in str(pipelines.cache_miss_reason(second, "Score"))


def test_an_expired_run_is_a_miss(sm: Any, pipelines: PipelinesMock) -> None:
    _pipeline(sm, _train(expire_after="T30m"))
    _run(sm, pipelines)
    pipelines.advance(31 * 60)
    second = _run(sm, pipelines)
    assert "CacheHitResult" not in steps_by_name(sm, second)["Train"]
    assert "ExpireAfter 'T30m'" in str(pipelines.cache_miss_reason(second, "Train"))


def test_failed_runs_never_count(sm: Any, pipelines: PipelinesMock) -> None:
    _pipeline(sm)
    first = start(sm)
    pipelines.step("Train", execution=first).fails("ClientError: out of memory")
    pipelines.run_until_idle()
    assert status(sm, first) == "Failed"
    second = _run(sm, pipelines)
    assert "CacheHitResult" not in steps_by_name(sm, second)["Train"]


def test_the_most_recent_successful_match_wins_and_running_ones_do_not_count(
    sm: Any, pipelines: PipelinesMock
) -> None:
    _pipeline(sm)
    first = start(sm)
    pipelines.advance(60)
    second = start(sm)  # the first run's Train is still running: both run (DG)
    pipelines.run_until_idle()
    assert "CacheHitResult" not in steps_by_name(sm, second)["Train"]
    third = _run(sm, pipelines)
    assert (
        steps_by_name(sm, third)["Train"]["CacheHitResult"]["SourcePipelineExecutionArn"] == second
    )
    assert first != second


def test_caching_is_scoped_to_one_pipeline(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, [_train()], name="one")
    create(sm, [_train()], name="two")
    start(sm, "one")
    pipelines.run_until_idle()
    other = start(sm, "two")
    pipelines.run_until_idle()
    assert "CacheHitResult" not in steps_by_name(sm, other)["Train"]


def test_caching_off_runs_every_time(sm: Any, pipelines: PipelinesMock) -> None:
    train = _train()
    train["CacheConfig"]["Enabled"] = False
    _pipeline(sm, train)
    _run(sm, pipelines)
    second = _run(sm, pipelines)
    assert "CacheHitResult" not in steps_by_name(sm, second)["Train"]
    assert "not enabled" in str(pipelines.cache_miss_reason(second, "Train"))


def test_the_step_event_of_a_hit_carries_cache_hit_result(
    sm: Any, pipelines: PipelinesMock
) -> None:
    sqs, queue = route_events_to_queue(STEP_EVENT)
    _pipeline(sm)
    first = _run(sm, pipelines)
    drain(sqs, queue)
    second = _run(sm, pipelines)
    train_events = [e["detail"] for e in drain(sqs, queue) if e["detail"]["stepName"] == "Train"]
    assert [(d.get("previousStepStatus"), d["currentStepStatus"]) for d in train_events] == [
        (None, "Starting"),
        ("Starting", "Succeeded"),
    ]
    assert train_events[-1]["cacheHitResult"] == {"sourcePipelineExecutionArn": first}
    assert train_events[-1]["pipelineExecutionArn"] == second


@pytest.mark.parametrize("expire_after", ["soon", "P", "PT", "30x", ""])
def test_a_malformed_expire_after_is_refused_at_create(
    sm: Any, pipelines: PipelinesMock, expire_after: str
) -> None:
    with pytest.raises(ClientError) as caught:
        create(sm, [_train(expire_after=expire_after)])
    assert client_error_code(caught.value) == "ValidationException"
    assert "ExpireAfter" in caught.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


@pytest.mark.parametrize("expire_after", ["PT1H", "30d", "5y", "T16m", "30dT5h", "P1W"])
def test_the_documented_durations_are_accepted(
    sm: Any, pipelines: PipelinesMock, expire_after: str
) -> None:
    create(sm, [_train(expire_after=expire_after)])
    assert json.loads(sm.describe_pipeline(PipelineName="pipe")["PipelineDefinition"])["Steps"][0][
        "CacheConfig"
    ] == {"Enabled": True, "ExpireAfter": expire_after}


def test_a_quality_check_keys_on_its_resolved_arguments_and_check_fields(
    sm: Any, pipelines: PipelinesMock
) -> None:
    check = cached(
        {
            "Name": "DQ",
            "Type": "QualityCheck",
            "Arguments": {"Environment": {"dataset_source": get("Parameters.Data")}},
            "CheckType": "DATA_QUALITY",
            "ModelPackageGroupName": "grp",
            "SkipCheck": get("Parameters.Skip"),
            "RegisterNewBaseline": False,
            "SuppliedBaselineConstraints": "s3://b/cons.json",
        }
    )
    parameters = [
        parameter("Data", "String", "s3://b/day1"),
        parameter("Skip", "Boolean", False),
    ]
    create(sm, [check], parameters)
    first = _run(sm, pipelines)
    hit = _run(sm, pipelines)
    assert steps_by_name(sm, hit)["DQ"]["CacheHitResult"]["SourcePipelineExecutionArn"] == first
    new_data = _run(sm, pipelines, Data="s3://b/day2")
    assert "Arguments" in str(pipelines.cache_miss_reason(new_data, "DQ"))
    skipped = _run(sm, pipelines, Data="s3://b/day1", Skip="true")
    assert "SkipCheck" in str(pipelines.cache_miss_reason(skipped, "DQ"))
