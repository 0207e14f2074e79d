"""Step retry policies on job steps (spec section 9.4): ExceptionType, IntervalSeconds,
BackoffRate, MaxAttempts, ExpireAfterMin; AttemptCount; a new job per attempt."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    client_error_code,
    model_step,
    resource_name,
    run,
    start,
    status,
    step_list,
    training_step,
)

CAPACITY = "SageMaker.CAPACITY_ERROR"
INTERNAL = "SageMaker.JOB_INTERNAL_ERROR"


def _policy(exception_types: list[str], **fields: Any) -> dict[str, Any]:
    return {"ExceptionType": exception_types, **fields}


def _train(*policies: dict[str, Any]) -> dict[str, Any]:
    return training_step("T", RetryPolicies=list(policies))


def _only_step(sm: Any, arn: str) -> dict[str, Any]:
    (step,) = step_list(sm, arn)
    return step


def _elapsed(step: dict[str, Any]) -> float:
    return float((step["EndTime"] - step["StartTime"]).total_seconds())


def _jobs(sm: Any) -> list[dict[str, Any]]:
    summaries = sm.list_training_jobs(SortBy="CreationTime", SortOrder="Ascending")[
        "TrainingJobSummaries"
    ]
    return [sm.describe_training_job(TrainingJobName=s["TrainingJobName"]) for s in summaries]


def test_matching_exception_is_retried_with_a_new_job(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails(
        "ClientError: no capacity", exception_type=CAPACITY, after=100
    ).succeeds(after=200)
    arn = run(sm, [_train(_policy([CAPACITY], IntervalSeconds=10, MaxAttempts=3))])
    pipelines.advance(50)
    first = _only_step(sm, arn)
    assert first["AttemptCount"] == 1
    first_job = resource_name(first)
    pipelines.advance(55)  # attempt 1 failed at 101; the retry waits 10 s
    waiting = _only_step(sm, arn)
    assert waiting["StepStatus"] == "Executing"
    assert "FailureReason" not in waiting
    assert sm.describe_training_job(TrainingJobName=first_job)["TrainingJobStatus"] == "Failed"
    pipelines.advance(10)
    second = _only_step(sm, arn)
    assert second["AttemptCount"] == 2
    assert second["StepStatus"] == "Executing"
    second_job = resource_name(second)
    assert second_job != first_job
    assert sm.describe_training_job(TrainingJobName=second_job)["TrainingJobStatus"] == "InProgress"
    pipelines.run_until_idle()
    done = _only_step(sm, arn)
    assert done["StepStatus"] == "Succeeded"
    assert done["AttemptCount"] == 2
    assert _elapsed(done) == pytest.approx(1 + 100 + 10 + 200, abs=0.002)
    assert resource_name(done) == second_job
    jobs = _jobs(sm)
    assert [j["TrainingJobName"] for j in jobs] == [first_job, second_job]
    assert [j["TrainingJobStatus"] for j in jobs] == ["Failed", "Completed"]
    assert jobs[0]["FailureReason"] == "ClientError: no capacity"
    assert status(sm, arn) == "Succeeded"


def test_sequence_across_attempts(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=CAPACITY).succeeds()
    arn = run(sm, [_train(_policy([CAPACITY]))])
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["StepStatus"] == "Succeeded"
    assert step["AttemptCount"] == 2
    assert len(_jobs(sm)) == 2


@pytest.mark.filterwarnings("ignore::mock_sagemaker_pipelines.mock.UnusedOutcomesWarning")
def test_other_exception_type_is_not_retried(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("ClientError: internal", exception_type=INTERNAL).succeeds()
    arn = run(sm, [_train(_policy([CAPACITY]))])
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["StepStatus"] == "Failed"
    assert step["AttemptCount"] == 1
    assert step["FailureReason"] == "ClientError: internal"
    assert len(_jobs(sm)) == 1
    assert status(sm, arn) == "Failed"
    assert [o.succeed for _, o in pipelines.unused_outcomes()] == [True]


@pytest.mark.filterwarnings("ignore::mock_sagemaker_pipelines.mock.UnusedOutcomesWarning")
def test_failure_without_exception_type_is_not_retried(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("ClientError: plain").succeeds()
    arn = run(sm, [_train(_policy([CAPACITY, INTERNAL]))])
    pipelines.run_until_idle()
    assert _only_step(sm, arn)["StepStatus"] == "Failed"
    assert _only_step(sm, arn)["AttemptCount"] == 1
    assert [o.succeed for _, o in pipelines.unused_outcomes()] == [True]


def test_one_of_several_exception_types(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=INTERNAL).succeeds()
    arn = run(sm, [_train(_policy([CAPACITY, INTERNAL]))])
    pipelines.run_until_idle()
    assert _only_step(sm, arn)["StepStatus"] == "Succeeded"


def test_the_policy_matching_the_exception_applies(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=INTERNAL, after=0).succeeds(after=0)
    arn = run(
        sm,
        [_train(_policy([CAPACITY], IntervalSeconds=5), _policy([INTERNAL], IntervalSeconds=500))],
    )
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["AttemptCount"] == 2
    assert _elapsed(step) == pytest.approx(1 + 500, abs=0.002)


@pytest.mark.parametrize(("max_attempts", "attempts"), [(0, 1), (1, 2), (3, 4)])
def test_max_attempts_bounds_the_retries(
    pipelines: PipelinesMock, sm: Any, max_attempts: int, attempts: int
) -> None:
    pipelines.step("T").fails("ClientError: still no capacity", exception_type=CAPACITY, after=0)
    arn = run(sm, [_train(_policy([CAPACITY], IntervalSeconds=1, MaxAttempts=max_attempts))])
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["StepStatus"] == "Failed"
    assert step["AttemptCount"] == attempts
    assert step["FailureReason"] == "ClientError: still no capacity"
    jobs = _jobs(sm)
    assert len(jobs) == attempts
    assert {j["TrainingJobStatus"] for j in jobs} == {"Failed"}
    assert resource_name(step) == jobs[-1]["TrainingJobName"]
    assert status(sm, arn) == "Failed"


def test_interval_and_backoff_rate(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=CAPACITY, after=100).fails(
        "x", exception_type=CAPACITY, after=100
    ).fails("x", exception_type=CAPACITY, after=100).succeeds(after=100)
    arn = run(sm, [_train(_policy([CAPACITY], IntervalSeconds=10, BackoffRate=3.0, MaxAttempts=5))])
    # attempt 1: 1-101; wait 10; attempt 2: 111-211; wait 30; attempt 3: 241-341; wait 90;
    # attempt 4: 431-531
    checkpoints = [(110, 1), (112, 2), (240, 2), (242, 3), (430, 3), (432, 4)]
    now = 0.0
    for at, attempt in checkpoints:
        pipelines.advance(at - now)
        now = at
        step = _only_step(sm, arn)
        assert step["AttemptCount"] == attempt, at
        assert step["StepStatus"] == "Executing"
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["StepStatus"] == "Succeeded"
    assert _elapsed(step) == pytest.approx(531, abs=0.002)


def test_default_interval_and_backoff(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=CAPACITY, after=0).fails(
        "x", exception_type=CAPACITY, after=0
    ).succeeds(after=0)
    arn = run(sm, [_train(_policy([CAPACITY]))])
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["AttemptCount"] == 3
    # 1 s Starting, then waits of 1 s and 2 s (IntervalSeconds 1, BackoffRate 2.0)
    assert _elapsed(step) == pytest.approx(1 + 1 + 2, abs=0.002)


def test_expire_after_min_bounds_the_retry_time(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("ClientError: capacity", exception_type=CAPACITY, after=50)
    arn = run(
        sm, [_train(_policy([CAPACITY], IntervalSeconds=60, BackoffRate=2.0, ExpireAfterMin=3))]
    )
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    # attempt 1: 1-51, retry at 111 (within 180 s); attempt 2: 111-161, next retry would be at 281
    assert step["StepStatus"] == "Failed"
    assert step["AttemptCount"] == 2
    assert _elapsed(step) == pytest.approx(161, abs=0.002)


@pytest.mark.filterwarnings("ignore::mock_sagemaker_pipelines.mock.UnusedOutcomesWarning")
def test_expire_after_zero_never_retries(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=CAPACITY, after=5).succeeds()
    arn = run(sm, [_train(_policy([CAPACITY], ExpireAfterMin=0))])
    pipelines.run_until_idle()
    assert _only_step(sm, arn)["AttemptCount"] == 1
    assert status(sm, arn) == "Failed"


def test_service_faults_are_retried_by_default(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type="Step.SERVICE_FAULT", after=0).succeeds(after=0)
    arn = run(sm, [training_step("T")])
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["StepStatus"] == "Succeeded"
    assert step["AttemptCount"] == 2


def test_model_step_retries(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("M").fails("x", exception_type=INTERNAL).succeeds()
    step = model_step("M", "s3://bucket/model.tar.gz")
    step["RetryPolicies"] = [_policy([INTERNAL])]
    arn = run(sm, [step])
    pipelines.run_until_idle()
    listed = _only_step(sm, arn)
    assert listed["StepStatus"] == "Succeeded"
    assert listed["AttemptCount"] == 2
    assert (
        sm.describe_model(ModelName=resource_name(listed))["ModelArn"]
        == listed["Metadata"]["Model"]["Arn"]
    )


@pytest.mark.filterwarnings("ignore::mock_sagemaker_pipelines.mock.UnusedOutcomesWarning")
def test_stop_while_waiting_for_a_retry(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").fails("x", exception_type=CAPACITY, after=10).succeeds()
    arn = run(sm, [_train(_policy([CAPACITY], IntervalSeconds=100))])
    pipelines.advance(20)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    assert step["StepStatus"] == "Stopped"
    assert step["AttemptCount"] == 1
    assert len(_jobs(sm)) == 1
    assert status(sm, arn) == "Stopped"


def test_executions_retry_independently(pipelines: PipelinesMock, sm: Any) -> None:
    first = run(sm, [_train(_policy([CAPACITY]))])
    second = start(sm)
    pipelines.step("T", execution=second).fails("x", exception_type=CAPACITY, after=0).succeeds(
        after=0
    )
    pipelines.run_until_idle()
    assert status(sm, first) == "Succeeded"
    assert status(sm, second) == "Succeeded"
    assert _only_step(sm, first)["AttemptCount"] == 1
    assert _only_step(sm, second)["AttemptCount"] == 2
    assert len(_jobs(sm)) == 3


def test_retry_pipeline_execution_gives_a_fresh_retry_budget(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("T").fails("x", exception_type=CAPACITY, after=0).fails(
        "x", exception_type=CAPACITY, after=0
    ).fails("x", exception_type=CAPACITY, after=0).succeeds(after=0)
    arn = run(sm, [_train(_policy([CAPACITY], MaxAttempts=1))])
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    assert _only_step(sm, arn)["AttemptCount"] == 2
    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    step = _only_step(sm, arn)
    # attempt 3 fails and, under MaxAttempts=1, is retried once more: attempt 4 succeeds
    assert step["StepStatus"] == "Succeeded"
    assert step["AttemptCount"] == 4
    assert status(sm, arn) == "Succeeded"
    assert len(_jobs(sm)) == 4


@pytest.mark.parametrize(
    "policy",
    [
        _policy(["Not.A_TYPE"]),
        _policy([CAPACITY], MaxAttempts=21),
        _policy([CAPACITY], IntervalSeconds=43201),
        _policy([CAPACITY], ExpireAfterMin=14401),
        _policy([CAPACITY], MaxAttempts=2, ExpireAfterMin=5),
        {"IntervalSeconds": 1},
    ],
)
def test_bad_policies_are_refused(
    pipelines: PipelinesMock, sm: Any, policy: dict[str, Any]
) -> None:
    with pytest.raises(ClientError) as exc:
        run(sm, [_train(policy)])
    assert client_error_code(exc.value) == "ValidationException"
    assert sm.list_pipelines()["PipelineSummaries"] == []
