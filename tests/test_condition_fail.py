"""Condition and Fail steps, and how a step failure ends an execution (spec sections 4, 5,
9.1-9.3; real-clients section 5: the SDK's test_fail_steps.py assertions)."""

from __future__ import annotations

from typing import Any

import pytest

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    condition_step,
    create,
    fail_step,
    get,
    join,
    model_step,
    parameter,
    processing_step,
    run,
    start,
    status,
    step_list,
    step_statuses,
    steps_by_name,
    training_step,
)

FAILURE = "Step failure: One or multiple steps failed."
P_INT = get("Parameters.MyInt")
P_STR = get("Parameters.MyStr")
PARAMS = [
    parameter("MyInt", "Integer", 3),
    parameter("MyStr", "String", "blue"),
    parameter("MyFloat", "Float", 2.5),
]


def _cond(ctype: str, left: Any, right: Any) -> dict[str, Any]:
    return {"Type": ctype, "LeftValue": left, "RightValue": right}


def _branching(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        condition_step(
            "Cond",
            conditions,
            if_steps=[processing_step("IfStep")],
            else_steps=[processing_step("ElseStep")],
        )
    ]


@pytest.mark.parametrize(
    ("condition", "outcome"),
    [
        (_cond("Equals", P_INT, 3), True),
        (_cond("Equals", P_INT, 4), False),
        (_cond("Equals", P_STR, "blue"), True),
        (_cond("Equals", get("Parameters.MyFloat"), 2.5), True),
        (_cond("GreaterThan", P_INT, 2), True),
        (_cond("GreaterThan", P_INT, 3), False),
        (_cond("GreaterThanOrEqualTo", P_INT, 3), True),
        (_cond("GreaterThanOrEqualTo", P_INT, 4), False),
        (_cond("LessThan", P_INT, 4), True),
        (_cond("LessThan", P_INT, 3), False),
        (_cond("LessThanOrEqualTo", P_INT, 3), True),
        (_cond("LessThanOrEqualTo", get("Parameters.MyFloat"), 2.4), False),
        ({"Type": "In", "QueryValue": P_STR, "Values": ["red", "blue"]}, True),
        ({"Type": "In", "QueryValue": P_INT, "Values": [1, 2]}, False),
        ({"Type": "Not", "Condition": _cond("Equals", P_INT, 3)}, False),
        ({"Type": "Not", "Condition": _cond("Equals", P_INT, 2)}, True),
        (
            {
                "Type": "Or",
                "Conditions": [_cond("Equals", P_INT, 1), _cond("Equals", P_STR, "blue")],
            },
            True,
        ),
        (
            {
                "Type": "Or",
                "Conditions": [_cond("Equals", P_INT, 1), _cond("Equals", P_STR, "red")],
            },
            False,
        ),
    ],
)
def test_condition_types(
    pipelines: PipelinesMock, sm: Any, condition: dict[str, Any], outcome: bool
) -> None:
    arn = run(sm, _branching([condition]), PARAMS)
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    taken, other = ("IfStep", "ElseStep") if outcome else ("ElseStep", "IfStep")
    assert set(found) == {"Cond", taken}
    assert other not in found
    assert found["Cond"]["StepStatus"] == "Succeeded"
    assert found["Cond"]["Metadata"] == {"Condition": {"Outcome": "True" if outcome else "False"}}
    assert status(sm, arn) == "Succeeded"


def test_condition_compares_started_parameter_values(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, _branching([_cond("GreaterThan", P_INT, 10)]), PARAMS)
    arn = start(sm, PipelineParameters=[{"Name": "MyInt", "Value": "11"}])
    pipelines.run_until_idle()
    assert set(steps_by_name(sm, arn)) == {"Cond", "IfStep"}


def test_all_conditions_must_hold(pipelines: PipelinesMock, sm: Any) -> None:
    both = run(sm, _branching([_cond("Equals", P_INT, 3), _cond("Equals", P_STR, "blue")]), PARAMS)
    pipelines.run_until_idle()
    assert set(steps_by_name(sm, both)) == {"Cond", "IfStep"}

    create(
        sm,
        _branching([_cond("Equals", P_INT, 3), _cond("Equals", P_STR, "red")]),
        PARAMS,
        name="one-false",
    )
    one_false = start(sm, name="one-false")
    pipelines.run_until_idle()
    found = steps_by_name(sm, one_false)
    assert set(found) == {"Cond", "ElseStep"}
    assert found["Cond"]["Metadata"]["Condition"]["Outcome"] == "False"


def test_condition_then_fail_lists_two_steps_newest_first(
    pipelines: PipelinesMock, sm: Any
) -> None:
    """SDK integ test_two_step_fail_pipeline_with_str_err_msg."""
    steps = [
        condition_step(
            "CondStep",
            [{"Type": "Not", "Condition": _cond("Equals", P_INT, 2)}],
            if_steps=[],
            else_steps=[fail_step("FailStep", "Failed due to hitting in else branch")],
        )
    ]
    create(sm, steps, PARAMS)
    arn = start(sm, PipelineParameters=[{"Name": "MyInt", "Value": "2"}])
    pipelines.run_until_idle()
    listed = step_list(sm, arn)
    assert [s["StepName"] for s in listed] == ["FailStep", "CondStep"]
    assert listed[1]["StepStatus"] == "Succeeded"
    assert listed[0]["StepStatus"] == "Failed"
    assert listed[0]["FailureReason"] == "Failed due to hitting in else branch"
    assert listed[0]["Metadata"]["Fail"]["ErrorMessage"] == "Failed due to hitting in else branch"
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == FAILURE
    (summary,) = sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"]
    assert summary["PipelineExecutionStatus"] == "Failed"
    assert "Step failure: One or multiple steps failed" in summary["PipelineExecutionFailureReason"]


def test_fail_message_from_a_parameter(pipelines: PipelinesMock, sm: Any) -> None:
    """SDK integ test_two_step_fail_pipeline_with_parameter_err_msg."""
    steps = [
        condition_step(
            "CondStep",
            [_cond("Equals", P_INT, 2)],
            else_steps=[fail_step("FailStep", P_STR)],
        )
    ]
    create(sm, steps, PARAMS)
    arn = start(
        sm,
        PipelineParameters=[
            {"Name": "MyInt", "Value": "3"},
            {"Name": "MyStr", "Value": "bad input"},
        ],
    )
    pipelines.run_until_idle()
    listed = step_list(sm, arn)
    assert listed[0]["FailureReason"] == "bad input"
    assert listed[0]["Metadata"]["Fail"]["ErrorMessage"] == "bad input"


def test_fail_message_joins_a_parameter(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        fail_step(
            "FailStep", join(" ", "threshold is", get("Parameters.MyFloat"), "and count", P_INT)
        )
    ]
    arn = run(sm, steps, PARAMS)
    pipelines.run_until_idle()
    (step,) = step_list(sm, arn)
    assert step["FailureReason"] == "threshold is 2.5 and count 3"
    assert step["Metadata"] == {"Fail": {"ErrorMessage": "threshold is 2.5 and count 3"}}


@pytest.mark.parametrize(("my_int", "rendered"), [("3", "false"), ("1", "true")])
def test_fail_message_joins_the_condition_outcome_lower_case(
    pipelines: PipelinesMock, sm: Any, my_int: str, rendered: str
) -> None:
    """SDK integ test_two_step_fail_pipeline_with_join_fn: Outcome renders lower-case."""
    steps = [
        condition_step("CondStep", [_cond("Equals", P_INT, 1)]),
        fail_step(
            "FailStep",
            join(": ", "Failed due to xxx == yyy returns", get("Steps.CondStep.Outcome")),
        ),
    ]
    create(sm, steps, PARAMS)
    arn = start(sm, PipelineParameters=[{"Name": "MyInt", "Value": my_int}])
    pipelines.run_until_idle()
    listed = step_list(sm, arn)
    assert [s["StepName"] for s in listed] == ["FailStep", "CondStep"]
    assert listed[0]["FailureReason"] == f"Failed due to xxx == yyy returns: {rendered}"
    assert status(sm, arn) == "Failed"


def test_fail_without_message(pipelines: PipelinesMock, sm: Any) -> None:
    """SDK integ test_two_step_fail_pipeline_with_no_err_msg."""
    steps = [
        condition_step("CondStep", [_cond("Equals", P_INT, 2)], else_steps=[fail_step("FailStep")])
    ]
    arn = run(sm, steps, PARAMS)
    pipelines.run_until_idle()
    listed = step_list(sm, arn)
    assert len(listed) == 2
    fail = listed[0]
    assert fail["StepName"] == "FailStep"
    assert fail["StepStatus"] == "Failed"
    assert fail.get("FailureReason") is None
    assert fail["Metadata"]["Fail"]["ErrorMessage"] == ""
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == FAILURE


def test_condition_error_fails_the_condition_step(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, _branching([_cond("GreaterThan", P_STR, 3)]), PARAMS)
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert set(found) == {"Cond"}
    assert found["Cond"]["StepStatus"] == "Failed"
    assert found["Cond"]["FailureReason"]
    assert status(sm, arn) == "Failed"


def test_a_failed_step_stops_the_rest_after_running_steps_finish(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("Broken").fails("ClientError: broken", after=10)
    steps = [
        processing_step("Broken"),
        training_step("Running"),
        processing_step("Waiting"),  # independent, held back by the parallelism limit
        model_step("AfterBroken", "s3://b/m.tar.gz", depends_on=["Broken"]),
        model_step("AfterRunning", "s3://b/m.tar.gz", depends_on=["Running"]),
    ]
    create(sm, steps, ParallelismConfiguration={"MaxParallelExecutionSteps": 2})
    arn = start(sm)
    assert set(step_statuses(sm, arn)) == {"Broken", "Running"}
    pipelines.advance(11)
    assert step_statuses(sm, arn) == {"Broken": "Failed", "Running": "Executing"}
    assert status(sm, arn) == "Executing"
    assert "FailureReason" not in sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"Broken": "Failed", "Running": "Succeeded"}
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == FAILURE
    running = steps_by_name(sm, arn)["Running"]
    assert described["LastModifiedTime"] == running["EndTime"]


def test_fail_step_beside_running_steps_waits_for_them(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        condition_step(
            "Cond",
            [_cond("Equals", P_INT, 3)],
            if_steps=[fail_step("Stop", "stopped on purpose"), training_step("Train")],
        )
    ]
    arn = run(sm, steps, PARAMS)
    pipelines.advance(5)
    assert step_statuses(sm, arn) == {"Cond": "Succeeded", "Stop": "Failed", "Train": "Executing"}
    assert status(sm, arn) == "Executing"
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"Cond": "Succeeded", "Stop": "Failed", "Train": "Succeeded"}
    assert status(sm, arn) == "Failed"


def test_branch_steps_wait_for_their_other_dependencies(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        training_step("Train"),
        condition_step(
            "Cond",
            [_cond("Equals", P_INT, 3)],
            if_steps=[model_step("Model", get("Steps.Train.ModelArtifacts.S3ModelArtifacts"))],
        ),
    ]
    arn = run(sm, steps, PARAMS)
    pipelines.advance(5)
    assert step_statuses(sm, arn) == {"Train": "Executing", "Cond": "Succeeded"}
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert found["Model"]["StartTime"] == found["Train"]["EndTime"]
    assert status(sm, arn) == "Succeeded"


def test_untaken_branch_with_downstream_steps_never_appears(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = [
        condition_step(
            "Cond",
            [_cond("Equals", P_INT, 99)],
            if_steps=[
                training_step("IfTrain"),
                model_step("IfModel", get("Steps.IfTrain.ModelArtifacts.S3ModelArtifacts")),
            ],
            else_steps=[processing_step("ElseA")],
        )
    ]
    arn = run(sm, steps, PARAMS)
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"Cond": "Succeeded", "ElseA": "Succeeded"}
    assert status(sm, arn) == "Succeeded"
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []
