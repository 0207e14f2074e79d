"""Custom job-name prefixes: a job-name member in a step's Arguments (the SDK's
``PipelineDefinitionConfig(use_custom_job_prefix=True)``) names the job
``<prefix>-<executionId>-<entityToken>-<failureCount>`` (DG "Customize access management for
Pipelines jobs")."""

from __future__ import annotations

import re
from typing import Any

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    JOB_NAME,
    create,
    get,
    processing_step,
    resource_name,
    start,
    status,
    steps_by_name,
    training_step,
    with_arguments,
)


def _prefixed(prefix: str, execution_arn: str) -> re.Pattern[str]:
    execution_id = execution_arn.rsplit("/", 1)[-1]
    return re.compile(rf"^{re.escape(prefix)}-{execution_id}-[a-z0-9]{{8}}-(?P<failures>\d+)$")


def test_a_processing_job_is_named_after_its_prefix(sm: Any, pipelines: PipelinesMock) -> None:
    step = with_arguments(
        processing_step("Evaluate"),
        ProcessingJobName="my-eval",
        Environment={"JOB": get("Execution.ProcessingJobName")},
    )
    create(sm, [step, training_step("Train")])
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"

    steps = steps_by_name(sm, arn)
    name = resource_name(steps["Evaluate"])
    match = _prefixed("my-eval", arn).match(name)
    assert match is not None and match.group("failures") == "0"
    described = sm.describe_processing_job(ProcessingJobName=name)
    assert described["ProcessingJobName"] == name
    assert described["Environment"] == {"JOB": name}  # Execution.ProcessingJobName agrees
    # a step without a job-name member keeps the generated name
    assert JOB_NAME.match(resource_name(steps["Train"])) is not None


def test_each_retry_counts_its_failures(sm: Any, pipelines: PipelinesMock) -> None:
    step = with_arguments(training_step("Train"), TrainingJobName="team-a-train")
    step["RetryPolicies"] = [
        {"ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"], "IntervalSeconds": 1, "MaxAttempts": 2}
    ]
    create(sm, [step])
    pipelines.step("Train").fails(
        "ClientError: boom", exception_type="SageMaker.JOB_INTERNAL_ERROR"
    ).fails("ClientError: boom", exception_type="SageMaker.JOB_INTERNAL_ERROR").succeeds()
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    names = [j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"]]
    counts = sorted(_prefixed("team-a-train", arn).match(n).group("failures") for n in names)  # type: ignore[union-attr]
    assert counts == ["0", "1", "2"]


def test_a_prefix_over_the_limit_fails_the_step(sm: Any, pipelines: PipelinesMock) -> None:
    step = with_arguments(training_step("Train"), TrainingJobName="x" * 39)
    create(sm, [step])
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    reason = steps_by_name(sm, arn)["Train"]["FailureReason"]
    assert reason.startswith("ClientError: The job name prefix")
    assert "at most 38" in reason
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
