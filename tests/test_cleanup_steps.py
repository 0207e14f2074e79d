"""Cleanup steps (SDK 3.x ``CleanupStep``): the S3 outputs of their sources are deleted from
moto's S3 and reported in ``Metadata.Cleanup``; bad sources are refused at CreatePipeline."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    cleanup_step,
    create,
    processing_step,
    resource_name,
    run,
    start,
    status,
    steps_by_name,
    training_step,
)

BUCKET = "example-bucket"


def _keys(s3: Any, prefix: str = "") -> list[str]:
    response = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in response.get("Contents", []))


def _put(s3: Any, *keys: str) -> None:
    for key in keys:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b"data")


def _cleanup_metadata(sm: Any, arn: str) -> dict[str, Any]:
    step = steps_by_name(sm, arn)["Clean"]
    assert step["StepStatus"] == "Succeeded", step
    return dict(step["Metadata"]["Cleanup"])


def test_cleanup_of_a_training_step_leaves_its_output_prefix_empty(
    pipelines: PipelinesMock, sm: Any, s3: Any
) -> None:
    s3.create_bucket(Bucket=BUCKET)
    arn = run(sm, [training_step("Train"), cleanup_step("Clean", [{"StepName": "Train"}])])
    pipelines.advance(10)  # the training job is running: its name is known
    job = resource_name(steps_by_name(sm, arn)["Train"])
    prefix = f"output/{job}/"
    _put(s3, prefix + "output/model.tar.gz", prefix + "debug-output/x.json", "output/keep.txt")

    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    assert _keys(s3, prefix) == []
    assert _keys(s3) == ["output/keep.txt"]
    assert _cleanup_metadata(sm, arn) == {
        "CleanedSteps": ["Train"],
        "FailedSteps": [],
        "SkippedSteps": [],
    }


def test_cleanup_with_s3_uris_deletes_exactly_those_objects(
    pipelines: PipelinesMock, sm: Any, s3: Any
) -> None:
    s3.create_bucket(Bucket=BUCKET)
    _put(s3, "out/a.csv", "out/b.csv")
    steps = [
        processing_step("Prep", outputs={"train": f"s3://{BUCKET}/out"}),
        cleanup_step("Clean", [{"StepName": "Prep", "S3Uris": [f"s3://{BUCKET}/out/a.csv"]}]),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()

    assert _keys(s3) == ["out/b.csv"]
    assert _cleanup_metadata(sm, arn)["CleanedSteps"] == ["Prep"]


def test_sources_that_cannot_be_cleaned_are_failed_or_skipped_entries(
    pipelines: PipelinesMock, sm: Any, s3: Any
) -> None:
    s3.create_bucket(Bucket=BUCKET)
    _put(s3, "elsewhere/x.csv")
    in_vpc = training_step("InVpc")
    in_vpc["Arguments"]["VpcConfig"] = {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]}
    steps = [
        processing_step("Outside", outputs={"o": f"s3://{BUCKET}/out"}),
        processing_step("NoUris", outputs={"o": f"s3://{BUCKET}/out2"}),
        in_vpc,
    ]
    sources = [
        {"StepName": "Outside", "S3Uris": [f"s3://{BUCKET}/elsewhere/x.csv"]},
        {"StepName": "NoUris"},
        {"StepName": "InVpc"},
    ]
    arn = run(sm, [*steps, cleanup_step("Clean", sources)])
    pipelines.run_until_idle()

    metadata = _cleanup_metadata(sm, arn)
    assert metadata["CleanedSteps"] == []
    assert metadata["SkippedSteps"] == ["NoUris"]
    failed = {entry["StepName"]: entry for entry in metadata["FailedSteps"]}
    assert set(failed) == {"Outside", "InVpc"}
    assert {entry["ErrorCode"] for entry in failed.values()} == {"ClientError"}
    assert "not under an output location" in failed["Outside"]["ErrorMessage"]
    assert "VpcConfig" in failed["InVpc"]["ErrorMessage"]
    assert _keys(s3) == ["elsewhere/x.csv"]  # nothing outside the outputs was deleted


def test_cleanup_on_any_trigger_runs_after_its_source_failed(
    pipelines: PipelinesMock, sm: Any, s3: Any
) -> None:
    s3.create_bucket(Bucket=BUCKET)
    _put(s3, "out/partial.csv")
    pipelines.step("Prep").fails("ClientError: out of memory", after=30)
    source = {"StepName": "Prep", "S3Uris": [f"s3://{BUCKET}/out/partial.csv"]}
    steps = [
        processing_step("Prep", outputs={"o": f"s3://{BUCKET}/out"}),
        cleanup_step("Clean", [source], depends_on=[{"Step": "Prep", "Trigger": "Any"}]),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()

    assert _keys(s3) == []
    assert _cleanup_metadata(sm, arn)["CleanedSteps"] == ["Prep"]
    assert status(sm, arn) == "CompletedWithFailures"


def test_a_scripted_failure_fails_the_cleanup_step_and_deletes_nothing(
    pipelines: PipelinesMock, sm: Any, s3: Any
) -> None:
    s3.create_bucket(Bucket=BUCKET)
    _put(s3, "out/a.csv")
    pipelines.step("Clean").fails("ClientError: Access Denied")
    steps = [
        processing_step("Prep", outputs={"o": f"s3://{BUCKET}/out"}),
        cleanup_step("Clean", [{"StepName": "Prep", "S3Uris": [f"s3://{BUCKET}/out/a.csv"]}]),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()

    assert steps_by_name(sm, arn)["Clean"]["FailureReason"] == "ClientError: Access Denied"
    assert status(sm, arn) == "Failed"
    assert _keys(s3) == ["out/a.csv"]


@pytest.mark.parametrize(
    ("sources", "depends_on", "message"),
    [
        (
            [{"StepName": "Prep"}],
            [],
            "Step 'Clean': cleanup source 'Prep' must be in DependsOn",
        ),
        (
            [{"StepName": "Nowhere"}],
            None,
            "Arguments.Resources.S3[0].StepName 'Nowhere' is not another step of the pipeline.",
        ),
        ([], [], "a Cleanup step needs Arguments.Resources.S3"),
        (
            [{"StepName": "Prep", "S3Uri": ["s3://b/k"]}],
            None,
            "Unable to parse pipeline definition. Unknown Argument member 'S3Uri'.",
        ),
        (
            [{"StepName": "Prep", "S3Uris": "s3://b/k"}],
            None,
            "Unable to parse pipeline definition. Expecting start of Json Array.",
        ),
    ],
)
def test_bad_sources_are_refused_at_create_pipeline(
    sm: Any, sources: list[dict[str, Any]], depends_on: list[Any] | None, message: str
) -> None:
    clean = cleanup_step("Clean", sources, depends_on=depends_on)
    if depends_on is None:
        clean["DependsOn"] = ["Prep"]
    with pytest.raises(ClientError) as info:
        create(sm, [processing_step("Prep", outputs={"o": "s3://b/out"}), clean])
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert message in info.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


def test_a_stopped_cleanup_step_deletes_nothing(pipelines: PipelinesMock, sm: Any, s3: Any) -> None:
    s3.create_bucket(Bucket=BUCKET)
    _put(s3, "out/a.csv")
    steps = [cleanup_step("Clean", [{"StepName": "Prep", "S3Uris": [f"s3://{BUCKET}/out/a.csv"]}])]
    steps.insert(0, processing_step("Prep", outputs={"o": f"s3://{BUCKET}/out"}))
    create(sm, steps)
    pipelines.step("Prep").succeeds(after=5)
    arn = start(sm)
    pipelines.advance(20)  # Prep done, Clean executing
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()

    assert steps_by_name(sm, arn)["Clean"]["StepStatus"] == "Stopped"
    assert status(sm, arn) == "Stopped"
    assert _keys(s3) == ["out/a.csv"]
