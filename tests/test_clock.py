"""The simulated clock seen through the controller: ``now``, ``advance``, ``run_until_idle``,
the ``start_time`` option, and determinism (same seed + start_time -> the same run)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import (
    REGION,
    callback_step,
    create,
    resource_name,
    same_time,
    start,
    status,
    step_list,
    training_step,
)

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


def test_clock_starts_at_real_time_in_utc() -> None:
    before = datetime.now(timezone.utc)
    with mock_sagemaker_pipelines() as pipelines:
        after = datetime.now(timezone.utc)
        now = pipelines.now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert before <= now <= after


def test_api_timestamps_equal_the_controller_clock(pipelines: PipelinesMock, sm: Any) -> None:
    """The wire carries milliseconds; the default start is cut to them, so times compare equal."""
    create(sm, [training_step("T")])
    pipelines.advance(12.5)
    arn = start(sm)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["CreationTime"] == pipelines.now()
    assert described["LastModifiedTime"] == pipelines.now()
    pipelines.run_until_idle()
    (step,) = step_list(sm, arn)
    assert step["EndTime"] == pipelines.now()
    assert step["EndTime"] - step["StartTime"] == timedelta(seconds=901)


def test_clock_moves_only_when_told(pipelines: PipelinesMock, sm: Any) -> None:
    first = pipelines.now()
    create(sm, [training_step("T")])
    arn = start(sm)
    sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    step_list(sm, arn)
    assert pipelines.now() == first
    assert status(sm, arn) == "Executing"


def test_advance_moves_exactly_and_runs_what_falls_due(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    create(sm, [training_step("T")])
    arn = start(sm)
    pipelines.advance(0.5)
    assert pipelines.now() == t0 + timedelta(seconds=0.5)
    assert step_list(sm, arn)[0]["StepStatus"] == "Starting"
    pipelines.advance(0.5)
    assert pipelines.now() == t0 + timedelta(seconds=1)
    assert step_list(sm, arn)[0]["StepStatus"] == "Executing"
    pipelines.advance(899)
    assert step_list(sm, arn)[0]["StepStatus"] == "Executing"
    pipelines.advance(1)
    assert step_list(sm, arn)[0]["StepStatus"] == "Succeeded"
    assert pipelines.now() == t0 + timedelta(seconds=901)
    pipelines.advance(0)
    assert pipelines.now() == t0 + timedelta(seconds=901)


def test_advance_backwards_is_refused(pipelines: PipelinesMock) -> None:
    t0 = pipelines.now()
    with pytest.raises(ValueError):
        pipelines.advance(-1)
    assert pipelines.now() == t0


def test_run_until_idle_stops_at_the_last_event(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    create(sm, [training_step("A"), training_step("B", depends_on=["A"])])
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    # two sequential Training steps: 2 x (1 s Starting + 900 s Executing)
    assert pipelines.now() == t0 + timedelta(seconds=1802)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert same_time(described["LastModifiedTime"], t0 + timedelta(seconds=1802))
    pipelines.run_until_idle()
    assert pipelines.now() == t0 + timedelta(seconds=1802)


def test_run_until_idle_with_nothing_to_do_keeps_the_clock(pipelines: PipelinesMock) -> None:
    t0 = pipelines.now()
    pipelines.run_until_idle()
    assert pipelines.now() == t0


def test_run_until_idle_max_seconds_bounds_the_run(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    create(sm, [training_step("T")])
    arn = start(sm)
    pipelines.run_until_idle(max_seconds=100)
    assert pipelines.now() == t0 + timedelta(seconds=100)
    assert status(sm, arn) == "Executing"
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_run_until_idle_returns_when_only_a_callback_is_waiting(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    url = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    t0 = pipelines.now()
    create(sm, [callback_step("CB", url)])
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Executing"
    assert step_list(sm, arn)[0]["StepStatus"] == "Executing"
    assert pipelines.now() == t0 + timedelta(seconds=1)
    pipelines.advance(3600)
    assert status(sm, arn) == "Executing"
    sm.send_pipeline_execution_step_success(CallbackToken=pipelines.callback_token("CB"))
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    assert pipelines.now() == t0 + timedelta(seconds=3601)


def test_start_time_option_sets_the_clock_and_api_timestamps() -> None:
    with mock_sagemaker_pipelines(start_time=START) as pipelines:
        assert pipelines.now() == START
        sm = boto3.client("sagemaker", region_name=REGION)
        create(sm, [training_step("T")])
        arn = start(sm)
        described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
        assert described["CreationTime"] == START
        pipelines.run_until_idle()
        (step,) = step_list(sm, arn)
        assert step["StartTime"] == START
        assert step["EndTime"] == START + timedelta(seconds=901)
        summary = sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"][0]
        assert summary["StartTime"] == START


def test_naive_start_time_is_taken_as_utc() -> None:
    with mock_sagemaker_pipelines(start_time=datetime(2024, 5, 1, 12, 0, 0)) as pipelines:
        assert pipelines.now() == START
        assert pipelines.now().utcoffset() == timedelta(0)


def test_start_time_in_another_zone_is_converted_to_utc() -> None:
    cet = timezone(timedelta(hours=2))
    with mock_sagemaker_pipelines(
        start_time=datetime(2024, 5, 1, 14, 0, 0, tzinfo=cet)
    ) as pipelines:
        assert pipelines.now() == START
        assert pipelines.now().utcoffset() == timedelta(0)


def _record_run(seed: int) -> dict[str, Any]:
    """Run two executions of a two-step pipeline and record what the API shows."""
    with mock_sagemaker_pipelines(seed=seed, start_time=START) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        create(sm, [training_step("A"), training_step("B", depends_on=["A"])])
        arns = [start(sm), start(sm)]
        pipelines.run_until_idle()
        record: dict[str, Any] = {"arns": arns, "steps": [], "executions": []}
        for arn in arns:
            described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            record["executions"].append(
                (
                    described["CreationTime"],
                    described["LastModifiedTime"],
                    described["PipelineExecutionDisplayName"],
                )
            )
            for step in step_list(sm, arn):
                record["steps"].append(
                    (step["StepName"], resource_name(step), step["StartTime"], step["EndTime"])
                )
        return record


def test_same_seed_and_start_time_give_identical_runs() -> None:
    first = _record_run(seed=42)
    second = _record_run(seed=42)
    assert first == second
    assert len(set(first["arns"])) == 2
    assert len({name for _, name, _, _ in first["steps"]}) == 4


def test_another_seed_gives_other_identifiers() -> None:
    first = _record_run(seed=42)
    other = _record_run(seed=43)
    assert first["arns"] != other["arns"]
    assert [s[1] for s in first["steps"]] != [s[1] for s in other["steps"]]
    # timestamps come from the clock only, not from the seed
    assert [s[2:] for s in first["steps"]] == [s[2:] for s in other["steps"]]
