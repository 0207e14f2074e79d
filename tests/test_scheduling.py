"""Scheduling of steps on the simulated clock (spec sections 3.10, 4, 9.1, 11.3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines
from mock_sagemaker_pipelines.engine.simulation import DEFAULT_DURATIONS, STARTING_SECONDS

from .support import (
    REGION,
    condition_step,
    create,
    fail_step,
    get,
    model_step,
    processing_step,
    register_model_step,
    run,
    same_time,
    start,
    status,
    step_list,
    step_statuses,
    steps_by_name,
    training_step,
    transform_step,
)

ARTIFACTS = "Steps.{}.ModelArtifacts.S3ModelArtifacts"


def _elapsed(step: dict[str, Any]) -> float:
    return float((step["EndTime"] - step["StartTime"]).total_seconds())


def test_depends_on_waits_for_the_upstream_to_succeed(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("A"), training_step("B", depends_on=["A"])])
    assert step_statuses(sm, arn) == {"A": "Starting"}
    pipelines.advance(900)
    assert step_statuses(sm, arn) == {"A": "Executing"}
    pipelines.advance(1)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Starting"}
    steps = steps_by_name(sm, arn)
    assert steps["B"]["StartTime"] == steps["A"]["EndTime"]


def test_data_reference_is_a_dependency(pipelines: PipelinesMock, sm: Any) -> None:
    # B comes first in the definition but reads A's artifacts, so it waits for A
    arn = run(sm, [model_step("B", get(ARTIFACTS.format("A"))), training_step("A")])
    assert step_statuses(sm, arn) == {"A": "Starting"}
    pipelines.advance(901)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Starting"}
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_a_step_waits_for_all_of_its_upstreams(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        processing_step("Quick"),
        training_step("Slow"),
        model_step("Join", get(ARTIFACTS.format("Slow")), depends_on=["Quick"]),
    ]
    arn = run(sm, steps)
    assert step_statuses(sm, arn) == {"Quick": "Starting", "Slow": "Starting"}
    pipelines.advance(301)
    assert step_statuses(sm, arn) == {"Quick": "Succeeded", "Slow": "Executing"}
    pipelines.advance(600)
    assert step_statuses(sm, arn) == {"Quick": "Succeeded", "Slow": "Succeeded", "Join": "Starting"}


def test_diamond(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        processing_step("A"),
        processing_step("B", depends_on=["A"]),
        training_step("C", depends_on=["A"]),
        processing_step("D", depends_on=["B", "C"]),
    ]
    arn = run(sm, steps)
    pipelines.advance(301)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Starting", "C": "Starting"}
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert found["D"]["StartTime"] == max(found["B"]["EndTime"], found["C"]["EndTime"])
    assert found["D"]["StartTime"] == found["C"]["EndTime"]
    assert status(sm, arn) == "Succeeded"


def test_independent_steps_run_in_parallel(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    arn = run(sm, [training_step("A"), training_step("B"), processing_step("C")])
    listed = step_list(sm, arn)
    assert {s["StepName"] for s in listed} == {"A", "B", "C"}
    assert all(s["StepStatus"] == "Starting" for s in listed)
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert {same_time(s["StartTime"], t0) for s in found.values()} == {True}
    assert same_time(pipelines.now(), t0 + timedelta(seconds=901))


def test_max_parallel_one_lists_exactly_one_step_at_first(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(
        sm,
        [training_step("A"), training_step("B")],
        ParallelismConfiguration={"MaxParallelExecutionSteps": 1},
    )
    arn = start(sm)
    assert [s["StepName"] for s in step_list(sm, arn)] == ["A"]
    pipelines.advance(900)
    assert [s["StepName"] for s in step_list(sm, arn)] == ["A"]
    pipelines.advance(1)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Starting"}
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert found["B"]["StartTime"] == found["A"]["EndTime"]
    assert status(sm, arn) == "Succeeded"


def test_limited_steps_start_in_definition_order(pipelines: PipelinesMock, sm: Any) -> None:
    create(
        sm,
        [processing_step("Zeta"), processing_step("Alpha"), processing_step("Mid")],
        ParallelismConfiguration={"MaxParallelExecutionSteps": 2},
    )
    arn = start(sm)
    assert set(step_statuses(sm, arn)) == {"Zeta", "Alpha"}
    pipelines.run_until_idle()
    ascending = step_list(sm, arn, SortOrder="Ascending")
    assert [s["StepName"] for s in ascending][2] == "Mid"


def test_starting_executing_succeeded_with_times_from_the_clock(
    pipelines: PipelinesMock, sm: Any
) -> None:
    t0 = pipelines.now()
    arn = run(sm, [training_step("T")])
    (step,) = step_list(sm, arn)
    assert step["StepStatus"] == "Starting"
    assert same_time(step["StartTime"], t0)
    assert "EndTime" not in step
    pipelines.advance(STARTING_SECONDS)
    (step,) = step_list(sm, arn)
    assert step["StepStatus"] == "Executing"
    assert "EndTime" not in step
    pipelines.advance(DEFAULT_DURATIONS["Training"])
    (step,) = step_list(sm, arn)
    assert step["StepStatus"] == "Succeeded"
    assert same_time(
        step["EndTime"], t0 + timedelta(seconds=STARTING_SECONDS + DEFAULT_DURATIONS["Training"])
    )
    assert "FailureReason" not in step
    assert step["AttemptCount"] == 1


def _every_type_pipeline() -> list[dict[str, Any]]:
    return [
        training_step("Train"),
        processing_step("Process"),
        model_step("Model", get(ARTIFACTS.format("Train"))),
        transform_step("Transform", get("Steps.Model.ModelName")),
        register_model_step("Register", get(ARTIFACTS.format("Train"))),
        condition_step(
            "Cond",
            [{"Type": "Equals", "LeftValue": 1, "RightValue": 1}],
            if_steps=[processing_step("AfterCond")],
        ),
    ]


def test_default_durations_per_type(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, _every_type_pipeline())
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    found = steps_by_name(sm, arn)
    for name, step_type in [
        ("Train", "Training"),
        ("Process", "Processing"),
        ("Model", "Model"),
        ("Transform", "Transform"),
        ("Register", "RegisterModel"),
    ]:
        assert _elapsed(found[name]) == pytest.approx(
            STARTING_SECONDS + DEFAULT_DURATIONS[step_type], abs=0.002
        )
    # Condition steps are quick (spec section 4)
    assert _elapsed(found["Cond"]) == pytest.approx(DEFAULT_DURATIONS["Condition"], abs=0.002)
    assert _elapsed(found["Cond"]) <= 1.0


def test_default_duration_of_a_fail_step(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [fail_step("F", "stop here")])
    pipelines.run_until_idle()
    (step,) = step_list(sm, arn)
    assert step["StepStatus"] == "Failed"
    assert _elapsed(step) == pytest.approx(DEFAULT_DURATIONS["Fail"], abs=0.002)


def test_durations_option_per_type() -> None:
    with mock_sagemaker_pipelines(durations={"Training": 60, "Processing": 5}) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        arn = run(sm, [training_step("T"), processing_step("P"), transform_step("X", "some-model")])
        pipelines.run_until_idle()
        found = steps_by_name(sm, arn)
        assert _elapsed(found["T"]) == pytest.approx(STARTING_SECONDS + 60, abs=0.002)
        assert _elapsed(found["P"]) == pytest.approx(STARTING_SECONDS + 5, abs=0.002)
        assert _elapsed(found["X"]) == pytest.approx(
            STARTING_SECONDS + DEFAULT_DURATIONS["Transform"], abs=0.002
        )


def test_set_duration_per_type(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.set_duration("Training", 42)
    arn = run(sm, [training_step("T"), processing_step("P")])
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert _elapsed(found["T"]) == pytest.approx(STARTING_SECONDS + 42, abs=0.002)
    assert _elapsed(found["P"]) == pytest.approx(
        STARTING_SECONDS + DEFAULT_DURATIONS["Processing"], abs=0.002
    )


def test_step_durations_option_wins_over_the_type() -> None:
    options = {"durations": {"Training": 60}, "step_durations": {"Long": 5000}}
    with mock_sagemaker_pipelines(**options) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        arn = run(sm, [training_step("Long"), training_step("Short")])
        pipelines.run_until_idle()
        found = steps_by_name(sm, arn)
        assert _elapsed(found["Long"]) == pytest.approx(STARTING_SECONDS + 5000, abs=0.002)
        assert _elapsed(found["Short"]) == pytest.approx(STARTING_SECONDS + 60, abs=0.002)


def test_takes_sets_one_steps_duration() -> None:
    with mock_sagemaker_pipelines(step_durations={"A": 5000}) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        pipelines.step("A").takes(7)
        pipelines.step("B").takes(0)
        arn = run(sm, [training_step("A"), training_step("B"), training_step("C")])
        pipelines.run_until_idle()
        found = steps_by_name(sm, arn)
        assert _elapsed(found["A"]) == pytest.approx(STARTING_SECONDS + 7, abs=0.002)
        assert _elapsed(found["B"]) == pytest.approx(STARTING_SECONDS, abs=0.002)
        assert _elapsed(found["C"]) == pytest.approx(
            STARTING_SECONDS + DEFAULT_DURATIONS["Training"], abs=0.002
        )
        assert status(sm, arn) == "Succeeded"


def test_scripted_after_wins_over_takes(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("T").takes(100).succeeds(after=3)
    arn = run(sm, [training_step("T")])
    pipelines.run_until_idle()
    assert _elapsed(step_list(sm, arn)[0]) == pytest.approx(STARTING_SECONDS + 3, abs=0.002)


def test_script_for_one_execution_only(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    first = start(sm)
    second = start(sm)
    pipelines.step("T", execution=second).takes(10)
    pipelines.run_until_idle()
    assert _elapsed(step_list(sm, first)[0]) == pytest.approx(
        STARTING_SECONDS + DEFAULT_DURATIONS["Training"], abs=0.002
    )
    assert _elapsed(step_list(sm, second)[0]) == pytest.approx(STARTING_SECONDS + 10, abs=0.002)


def test_update_parallelism_up_starts_waiting_steps(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("A"), training_step("B"), training_step("C")])
    arn = start(sm, ParallelismConfiguration={"MaxParallelExecutionSteps": 1})
    pipelines.advance(10)
    assert list(step_statuses(sm, arn)) == ["A"]
    sm.update_pipeline_execution(
        PipelineExecutionArn=arn, ParallelismConfiguration={"MaxParallelExecutionSteps": 3}
    )
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["ParallelismConfiguration"] == {
        "MaxParallelExecutionSteps": 3
    }
    assert step_statuses(sm, arn) == {"A": "Executing", "B": "Starting", "C": "Starting"}
    found = steps_by_name(sm, arn)
    assert _elapsed_between(found["A"]["StartTime"], found["B"]["StartTime"]) == pytest.approx(
        10, abs=0.002
    )


def _elapsed_between(a: Any, b: Any) -> float:
    return float((b - a).total_seconds())


def test_update_parallelism_down_applies_to_steps_not_started(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [training_step("A"), training_step("B"), training_step("C"), training_step("D")])
    arn = start(sm, ParallelismConfiguration={"MaxParallelExecutionSteps": 2})
    assert set(step_statuses(sm, arn)) == {"A", "B"}
    sm.update_pipeline_execution(
        PipelineExecutionArn=arn, ParallelismConfiguration={"MaxParallelExecutionSteps": 1}
    )
    # the running steps go on
    assert step_statuses(sm, arn) == {"A": "Starting", "B": "Starting"}
    pipelines.advance(901)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Succeeded", "C": "Starting"}
    pipelines.advance(901)
    assert step_statuses(sm, arn) == {
        "A": "Succeeded",
        "B": "Succeeded",
        "C": "Succeeded",
        "D": "Starting",
    }
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_parallelism_is_per_execution(pipelines: PipelinesMock, sm: Any) -> None:
    create(
        sm,
        [training_step("A"), training_step("B")],
        ParallelismConfiguration={"MaxParallelExecutionSteps": 1},
    )
    first, second = start(sm), start(sm)
    assert len(step_list(sm, first)) == 1
    assert len(step_list(sm, second)) == 1


def test_executions_run_independently(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("A"), training_step("B", depends_on=["A"])])
    first = start(sm)
    pipelines.advance(901)
    second = start(sm)
    assert step_statuses(sm, first) == {"A": "Succeeded", "B": "Starting"}
    assert step_statuses(sm, second) == {"A": "Starting"}
    pipelines.advance(901)
    assert status(sm, first) == "Succeeded"
    assert status(sm, second) == "Executing"
    pipelines.run_until_idle()
    assert status(sm, second) == "Succeeded"


def test_execution_variables_resolve_per_execution(pipelines: PipelinesMock, sm: Any) -> None:
    step = processing_step(
        "P",
        outputs={
            "out": {
                "Std:Join": {
                    "On": "/",
                    "Values": ["s3://bucket", {"Get": "Execution.PipelineExecutionId"}, "out"],
                }
            }
        },
    )
    arn = run(sm, [step])
    pipelines.advance(1)
    (listed,) = step_list(sm, arn)
    job = sm.describe_processing_job(
        ProcessingJobName=listed["Metadata"]["ProcessingJob"]["Arn"].rsplit("/", 1)[-1]
    )
    execution_id = arn.rsplit("/", 1)[-1]
    assert (
        job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"]
        == f"s3://bucket/{execution_id}/out"
    )


def test_a_long_chain_runs_to_its_end(pipelines: PipelinesMock, sm: Any) -> None:
    count = 300
    # Each Condition reads the one before (a DependsOn on a Condition step is refused).
    steps = [
        {
            "Name": f"S{i}",
            "Type": "Condition",
            "Arguments": {
                "Conditions": [
                    {
                        "Type": "Equals",
                        "LeftValue": {"Get": f"Steps.S{i - 1}.Outcome"},
                        "RightValue": True,
                    }
                ]
                if i
                else [],
                "IfSteps": [],
                "ElseSteps": [],
            },
        }
        for i in range(count)
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    first_page = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)
    assert first_page["PipelineExecutionSteps"][0]["StepName"] == f"S{count - 1}"
    paginator = sm.get_paginator("list_pipeline_execution_steps")
    listed = [
        s
        for page in paginator.paginate(PipelineExecutionArn=arn)
        for s in page["PipelineExecutionSteps"]
    ]
    assert [s["StepName"] for s in listed] == [f"S{i}" for i in reversed(range(count))]


_EXAMPLE = iter(range(1_000_000))


@st.composite
def _dags(draw: st.DrawFn) -> tuple[list[tuple[int, list[int]]], int | None]:
    """Random DAGs: (duration, upstream indexes) per step, and a parallelism limit or None."""
    count = draw(st.integers(min_value=1, max_value=7))
    steps = []
    for index in range(count):
        duration = draw(st.integers(min_value=0, max_value=40))
        upstream = draw(
            st.lists(st.integers(min_value=0, max_value=max(index - 1, 0)), max_size=3, unique=True)
        )
        steps.append((duration, upstream if index else []))
    limit = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=3)))
    return steps, limit


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(dag=_dags())
def test_random_dags_respect_dependencies_and_parallelism(
    pipelines: PipelinesMock, sm: Any, dag: tuple[list[tuple[int, list[int]]], int | None]
) -> None:
    spec, limit = dag
    prefix = f"E{next(_EXAMPLE)}"
    names = [f"{prefix}S{i}" for i in range(len(spec))]
    steps = []
    for index, (duration, upstream) in enumerate(spec):
        pipelines.step(names[index]).takes(duration)
        steps.append(processing_step(names[index], depends_on=[names[u] for u in upstream] or None))
    extra = {"ParallelismConfiguration": {"MaxParallelExecutionSteps": limit}} if limit else {}
    create(sm, steps, name=prefix, **extra)
    t0 = pipelines.now()
    arn = start(sm, name=prefix)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    found = steps_by_name(sm, arn)
    assert set(found) == set(names)
    start_at = {n: (found[n]["StartTime"] - t0).total_seconds() for n in names}
    end_at = {n: (found[n]["EndTime"] - t0).total_seconds() for n in names}
    for index, (duration, upstream) in enumerate(spec):
        name = names[index]
        assert end_at[name] - start_at[name] == pytest.approx(
            STARTING_SECONDS + duration, abs=0.002
        )
        ready = max((end_at[names[u]] for u in upstream), default=0.0)
        assert start_at[name] >= ready - 0.002
        if limit is None:
            assert start_at[name] == pytest.approx(ready, abs=0.002)
        else:
            # it waited only while every slot was taken
            moments = {ready} | {t for t in start_at.values() if ready <= t < start_at[name]}
            moments |= {t for t in end_at.values() if ready <= t < start_at[name]}
            for moment in moments:
                if moment >= start_at[name]:
                    continue
                busy = sum(1 for n in names if start_at[n] <= moment < end_at[n])
                assert busy == limit, (name, moment)
    if limit is not None:
        for moment in start_at.values():
            assert sum(1 for n in names if start_at[n] <= moment < end_at[n]) <= limit
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert (described["LastModifiedTime"] - t0).total_seconds() == pytest.approx(
        max(end_at.values()), abs=0.002
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(dag=_dags(), data=st.data())
def test_random_dags_with_a_failing_step(
    pipelines: PipelinesMock,
    sm: Any,
    dag: tuple[list[tuple[int, list[int]]], int | None],
    data: st.DataObject,
) -> None:
    spec, limit = dag
    failing = data.draw(st.integers(min_value=0, max_value=len(spec) - 1))
    prefix = f"E{next(_EXAMPLE)}"
    names = [f"{prefix}S{i}" for i in range(len(spec))]
    steps = []
    for index, (duration, upstream) in enumerate(spec):
        if index == failing:
            pipelines.step(names[index]).fails("ClientError: scripted", after=duration)
        else:
            pipelines.step(names[index]).takes(duration)
        steps.append(processing_step(names[index], depends_on=[names[u] for u in upstream] or None))
    extra = {"ParallelismConfiguration": {"MaxParallelExecutionSteps": limit}} if limit else {}
    create(sm, steps, name=prefix, **extra)
    t0 = pipelines.now()
    arn = start(sm, name=prefix)
    pipelines.run_until_idle()
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    found = steps_by_name(sm, arn)
    failed = names[failing]
    # nothing else fails, so every step runs until the failing one has started
    assert failed in found
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == "Step failure: One or multiple steps failed."
    failed_at = (found[failed]["EndTime"] - t0).total_seconds()
    descendants = {failing}
    for index, (_, upstream) in enumerate(spec):
        if any(u in descendants for u in upstream):
            descendants.add(index)
    for index, name in enumerate(names):
        if name not in found:
            continue
        step = found[name]
        if index == failing:
            assert step["StepStatus"] == "Failed"
            assert step["FailureReason"] == "ClientError: scripted"
            continue
        assert index not in descendants
        assert step["StepStatus"] == "Succeeded"
        assert (step["StartTime"] - t0).total_seconds() <= failed_at + 0.002
    last_end = max((s["EndTime"] - t0).total_seconds() for s in found.values())
    assert (described["LastModifiedTime"] - t0).total_seconds() == pytest.approx(
        last_end, abs=0.002
    )
