"""StopPipelineExecution (spec sections 3.12 and 8; real-clients section 5: Airflow's message
check and the feature-processor cleanup that wants Stopping/Stopped right after the call)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock
from mock_sagemaker_pipelines.engine.simulation import STOPPING_SECONDS

from .support import (
    ACCOUNT,
    REGION,
    client_error_code,
    condition_step,
    create,
    describe_execution,
    fail_step,
    model_step,
    processing_step,
    register_model_step,
    resource_name,
    run,
    same_time,
    start,
    status,
    step_list,
    step_statuses,
    steps_by_name,
    training_step,
)

ONLY_EXECUTING = "Only pipelines with 'Executing' status can be stopped"
TOKEN = "s" * 32


def _stop(sm: Any, arn: str, **extra: Any) -> dict[str, Any]:
    response = dict(sm.stop_pipeline_execution(PipelineExecutionArn=arn, **extra))
    response.pop("ResponseMetadata")
    return response


def test_stop_goes_stopping_then_stopped(pipelines: PipelinesMock, sm: Any) -> None:
    t0 = pipelines.now()
    arn = run(sm, [training_step("T")])
    pipelines.advance(60)
    assert _stop(sm, arn) == {"PipelineExecutionArn": arn}
    assert status(sm, arn) == "Stopping"
    assert same_time(describe_execution(sm, arn)["LastModifiedTime"], t0 + timedelta(seconds=60))
    assert step_statuses(sm, arn) == {"T": "Stopping"}
    (summary,) = sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"]
    assert summary["PipelineExecutionStatus"] == "Stopping"
    pipelines.run_until_idle()
    described = describe_execution(sm, arn)
    assert described["PipelineExecutionStatus"] == "Stopped"
    assert "FailureReason" not in described
    (step,) = step_list(sm, arn)
    assert step["StepStatus"] == "Stopped"
    assert same_time(step["EndTime"], t0 + timedelta(seconds=60 + STOPPING_SECONDS))
    assert "FailureReason" not in step
    assert same_time(described["LastModifiedTime"], step["EndTime"])


def test_stopped_jobs_in_moto(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("Train"), processing_step("Prep")])
    pipelines.advance(30)
    found = steps_by_name(sm, arn)
    training, processing = resource_name(found["Train"]), resource_name(found["Prep"])
    _stop(sm, arn)
    assert sm.describe_training_job(TrainingJobName=training)["TrainingJobStatus"] == "Stopping"
    assert (
        sm.describe_processing_job(ProcessingJobName=processing)["ProcessingJobStatus"]
        == "Stopping"
    )
    pipelines.run_until_idle()
    assert sm.describe_training_job(TrainingJobName=training)["TrainingJobStatus"] == "Stopped"
    assert (
        sm.describe_processing_job(ProcessingJobName=processing)["ProcessingJobStatus"] == "Stopped"
    )
    assert step_statuses(sm, arn) == {"Train": "Stopped", "Prep": "Stopped"}


def test_steps_not_started_never_start(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        training_step("A"),
        training_step("B"),  # held back by the parallelism limit
        model_step("AfterA", "s3://b/m.tar.gz", depends_on=["A"]),
    ]
    create(sm, steps, ParallelismConfiguration={"MaxParallelExecutionSteps": 1})
    arn = start(sm)
    pipelines.advance(10)
    _stop(sm, arn)
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"A": "Stopped"}
    assert status(sm, arn) == "Stopped"
    assert len(sm.list_training_jobs()["TrainingJobSummaries"]) == 1


def test_stop_a_starting_step(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    _stop(sm, arn)
    assert status(sm, arn) == "Stopping"
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"T": "Stopped"}
    assert status(sm, arn) == "Stopped"


def test_a_running_condition_finishes_but_its_branch_does_not_start(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = [
        condition_step(
            "Cond",
            [{"Type": "Equals", "LeftValue": 1, "RightValue": 1}],
            if_steps=[training_step("IfTrain")],
        )
    ]
    arn = run(sm, steps)
    _stop(sm, arn)
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"Cond": "Succeeded"}
    assert status(sm, arn) == "Stopped"


def test_stop_twice_is_a_validation_error(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    _stop(sm, arn)
    before = describe_execution(sm, arn)
    with pytest.raises(ClientError) as exc:
        _stop(sm, arn)
    assert client_error_code(exc.value) == "ValidationException"
    assert ONLY_EXECUTING in exc.value.response["Error"]["Message"]
    assert describe_execution(sm, arn) == before
    pipelines.run_until_idle()
    with pytest.raises(ClientError) as exc:
        _stop(sm, arn)
    assert client_error_code(exc.value) == "ValidationException"
    assert ONLY_EXECUTING in exc.value.response["Error"]["Message"]
    assert status(sm, arn) == "Stopped"


@pytest.mark.parametrize(
    ("steps", "final"), [([training_step("T")], "Succeeded"), ([fail_step("F", "no")], "Failed")]
)
def test_stop_a_finished_execution(
    pipelines: PipelinesMock, sm: Any, steps: list[dict[str, Any]], final: str
) -> None:
    arn = run(sm, steps)
    pipelines.run_until_idle()
    before = describe_execution(sm, arn)
    assert before["PipelineExecutionStatus"] == final
    with pytest.raises(ClientError) as exc:
        _stop(sm, arn)
    assert client_error_code(exc.value) == "ValidationException"
    assert ONLY_EXECUTING in exc.value.response["Error"]["Message"]
    assert describe_execution(sm, arn) == before


def test_stop_an_unknown_execution(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        _stop(sm, f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/pipe/execution/nosuchexecut")
    assert client_error_code(exc.value) == "ResourceNotFound"
    with pytest.raises(ClientError) as exc:
        _stop(sm, arn.replace("/pipe/", "/other/"))
    assert client_error_code(exc.value) == "ResourceNotFound"
    assert status(sm, arn) == "Executing"


@pytest.mark.parametrize(
    "bad_arn",
    [
        "execution-1234",
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/pipe",
        f"arn:aws:sagemaker:{REGION}:12345:pipeline/pipe/execution/abc",
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/pipe/execution/" + "a" * 2048,
    ],
)
def test_bad_arn_is_a_validation_error(pipelines: PipelinesMock, sm: Any, bad_arn: str) -> None:
    arn = run(sm, [training_step("T")])
    with pytest.raises(ClientError) as exc:
        _stop(sm, bad_arn)
    assert client_error_code(exc.value) == "ValidationException"
    assert status(sm, arn) == "Executing"


def test_token_length_is_enforced(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    with pytest.raises(ParamValidationError):
        _stop(sm, arn, ClientRequestToken="x" * 31)
    with pytest.raises(ClientError) as exc:
        _stop(sm, arn, ClientRequestToken="x" * 129)
    assert client_error_code(exc.value) == "ValidationException"
    assert status(sm, arn) == "Executing"
    assert _stop(sm, arn, ClientRequestToken="x" * 128) == {"PipelineExecutionArn": arn}
    assert status(sm, arn) == "Stopping"


def test_same_token_and_arn_is_idempotent(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("T")])
    pipelines.advance(10)
    first = _stop(sm, arn, ClientRequestToken=TOKEN)
    stopping = describe_execution(sm, arn)
    assert stopping["PipelineExecutionStatus"] == "Stopping"
    assert _stop(sm, arn, ClientRequestToken=TOKEN) == first
    assert describe_execution(sm, arn) == stopping
    assert step_statuses(sm, arn) == {"T": "Stopping"}
    pipelines.run_until_idle()
    stopped = describe_execution(sm, arn)
    assert stopped["PipelineExecutionStatus"] == "Stopped"
    pipelines.advance(100)
    assert _stop(sm, arn, ClientRequestToken=TOKEN) == first
    assert describe_execution(sm, arn) == stopped
    assert step_statuses(sm, arn) == {"T": "Stopped"}


def test_same_token_for_another_execution_is_refused(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    first, second = start(sm), start(sm)
    _stop(sm, first, ClientRequestToken=TOKEN)
    with pytest.raises(ClientError) as exc:
        _stop(sm, second, ClientRequestToken=TOKEN)
    assert client_error_code(exc.value) == "ValidationException"
    assert status(sm, second) == "Executing"


def test_stopping_one_execution_leaves_the_others(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [training_step("T")])
    first, second = start(sm), start(sm)
    _stop(sm, first)
    pipelines.run_until_idle()
    assert status(sm, first) == "Stopped"
    assert status(sm, second) == "Succeeded"


def test_stopping_steps_of_a_later_chain(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(
        sm,
        [
            processing_step("A"),
            training_step("B", depends_on=["A"]),
            model_step("C", "s3://b/m", depends_on=["B"]),
        ],
    )
    pipelines.advance(400)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Executing"}
    _stop(sm, arn)
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Stopping"}
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"A": "Succeeded", "B": "Stopped"}
    assert status(sm, arn) == "Stopped"


def test_quick_steps_are_let_finish(pipelines: PipelinesMock, sm: Any) -> None:
    artifacts = "s3://bucket/model.tar.gz"
    steps = [
        model_step("Model", artifacts),
        register_model_step("Register", artifacts),
        training_step("Train"),
        processing_step("After", depends_on=["Model"]),
    ]
    arn = run(sm, steps)
    pipelines.advance(1.5)
    assert step_statuses(sm, arn) == {
        "Model": "Executing",
        "Register": "Executing",
        "Train": "Executing",
    }
    _stop(sm, arn)
    assert step_statuses(sm, arn) == {
        "Model": "Executing",
        "Register": "Executing",
        "Train": "Stopping",
    }
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {
        "Model": "Succeeded",
        "Register": "Succeeded",
        "Train": "Stopped",
    }
    assert status(sm, arn) == "Stopped"
    found = steps_by_name(sm, arn)
    package = sm.describe_model_package(
        ModelPackageName=found["Register"]["Metadata"]["RegisterModel"]["Arn"]
    )
    assert package["ModelPackageStatus"] == "Completed"


@pytest.mark.filterwarnings("ignore::mock_sagemaker_pipelines.mock.UnusedOutcomesWarning")
def test_quick_step_waiting_for_a_retry_is_stopped(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Model").fails(
        "x", exception_type="SageMaker.JOB_INTERNAL_ERROR", after=1
    ).succeeds()
    step = model_step("Model", "s3://bucket/model.tar.gz")
    step["RetryPolicies"] = [
        {"ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"], "IntervalSeconds": 60}
    ]
    arn = run(sm, [step])
    pipelines.advance(10)
    assert step_statuses(sm, arn) == {"Model": "Executing"}
    _stop(sm, arn)
    assert step_statuses(sm, arn) == {"Model": "Stopping"}
    pipelines.run_until_idle()
    (listed,) = step_list(sm, arn)
    assert listed["StepStatus"] == "Stopped"
    assert listed["AttemptCount"] == 1
    assert status(sm, arn) == "Stopped"
    assert [o.succeed for _, o in pipelines.unused_outcomes()] == [True]


_EXAMPLE = iter(range(1_000_000))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    spec=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            st.lists(st.integers(min_value=0, max_value=5), max_size=2),
        ),
        min_size=1,
        max_size=6,
    ),
    stop_after=st.integers(min_value=0, max_value=120),
)
def test_random_stops(
    pipelines: PipelinesMock, sm: Any, spec: list[tuple[int, list[int]]], stop_after: int
) -> None:
    prefix = f"E{next(_EXAMPLE)}"
    names = [f"{prefix}S{i}" for i in range(len(spec))]
    steps = []
    for index, (duration, upstream) in enumerate(spec):
        pipelines.step(names[index]).takes(duration)
        deps = sorted({names[u] for u in upstream if u < index})
        steps.append(processing_step(names[index], depends_on=deps or None))
    create(sm, steps, name=prefix)
    t0 = pipelines.now()
    arn = start(sm, name=prefix)
    pipelines.advance(stop_after)
    if status(sm, arn) != "Executing":
        with pytest.raises(ClientError) as exc:
            _stop(sm, arn)
        assert client_error_code(exc.value) == "ValidationException"
        return
    active = {
        s["StepName"] for s in step_list(sm, arn) if s["StepStatus"] in ("Starting", "Executing")
    }
    done = {s["StepName"] for s in step_list(sm, arn) if s["StepStatus"] == "Succeeded"}
    assert active
    _stop(sm, arn)
    assert status(sm, arn) == "Stopping"
    pipelines.run_until_idle()
    assert status(sm, arn) == "Stopped"
    found = steps_by_name(sm, arn)
    assert set(found) == active | done
    for name in active:
        assert found[name]["StepStatus"] == "Stopped"
        assert (found[name]["EndTime"] - t0).total_seconds() == pytest.approx(
            stop_after + STOPPING_SECONDS, abs=0.002
        )
    for name in done:
        assert found[name]["StepStatus"] == "Succeeded"
