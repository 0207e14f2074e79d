"""ForEach steps (SDK 3.x ``ForEachStep``; botocore ``ForEachStepMetadata``, ``IterationContext``):
the body runs once per item as child steps ``<Body>-<index>``, at most ``MaxConcurrency`` at a
time; downstream steps read ``IterationOutputs``, ``Selected`` and the counts."""

from __future__ import annotations

import itertools
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines
from mock_sagemaker_pipelines.cli import main

from .support import (
    REGION,
    client_error_code,
    create,
    definition,
    fail_step,
    for_each_step,
    get,
    lambda_step,
    parameter,
    start,
    status,
    step_list,
    steps_by_name,
    training_step,
)

FN = "arn:aws:lambda:us-east-1:123456789012:function:work"
ITEMS = ['{"name": "a", "size": 3}', '{"name": "b", "size": 7}', '{"name": "c", "size": 5}']


def _work(name: str = "Work") -> dict[str, Any]:
    """A Lambda body step that reads the current item and returns a Float ``score``."""
    arguments = {"item": get("ForEach.CurrentItem"), "size": get("ForEach.CurrentItem.size")}
    return lambda_step(name, FN, arguments, outputs=[("score", "Float")])


def _register_scores(pipelines: PipelinesMock) -> list[dict[str, Any]]:
    """A handler for FN returning ``score`` = the item's size; returns the events it got."""
    events: list[dict[str, Any]] = []

    @pipelines.lambda_function(FN)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        return {"score": event.get("size", 0)}

    return events


def _children(sm: Any, arn: str) -> list[dict[str, Any]]:
    """The child steps, by index."""
    steps = [s for s in step_list(sm, arn) if "IterationContext" in s]
    return sorted(steps, key=lambda s: s["IterationContext"]["Index"])


def test_a_for_each_over_three_items_runs_its_body_three_times(
    pipelines: PipelinesMock, sm: Any
) -> None:
    events = _register_scores(pipelines)
    selector = {"Pick": "MaxBy", "Field": get("IterationOutput.Work.OutputParameters['score']")}
    after = lambda_step(
        "After",
        FN,
        {
            "best": get("Steps.Fan.Selected.OutputParameters['score']"),
            "second": get("Steps.Fan.IterationOutputs[1].Work.OutputParameters['score']"),
            "count": get("Steps.Fan.InputItemCount"),
            "total": get("Steps.Fan.TotalStepCount"),
            "status": get("Steps.Fan.Status"),
        },
    )
    create(sm, [for_each_step("Fan", ITEMS, [_work()], selector=selector), after])
    arn = start(sm)
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    children = _children(sm, arn)
    assert [c["StepName"] for c in children] == ["Work-0", "Work-1", "Work-2"]
    assert [c["IterationContext"] for c in children] == [
        {"ParentStepName": "Fan", "Index": i, "Item": item} for i, item in enumerate(ITEMS)
    ]
    assert {c["StepStatus"] for c in children} == {"Succeeded"}
    assert [e["item"] for e in events[:3]] == ITEMS
    assert [e["size"] for e in events[:3]] == [3, 7, 5]
    fan = steps_by_name(sm, arn)["Fan"]
    assert fan["Metadata"]["ForEach"] == {
        "Status": "Succeeded",
        "InputItemCount": 3,
        "TotalStepCount": 3,
        "SucceededStepCount": 3,
        "FailedStepCount": 0,
        "StoppedStepCount": 0,
        "Selector": {"StepName": "Work-1", "Index": 1},
    }
    assert events[3] == {"best": 7.0, "second": 7.0, "count": 3, "total": 3, "status": "Succeeded"}


def test_max_concurrency_caps_the_child_steps_running_at_once(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [for_each_step("Fan", ["1", "2", "3"], [training_step("Train")], 1)])
    arn = start(sm)
    pipelines.run_until_idle()
    children = _children(sm, arn)
    assert len(children) == 3
    for earlier, later in itertools.pairwise(children):
        assert later["StartTime"] >= earlier["EndTime"]


def test_items_from_a_parameter_holding_a_json_list(pipelines: PipelinesMock, sm: Any) -> None:
    _register_scores(pipelines)
    steps = [for_each_step("Fan", get("Parameters.Items"), [_work()])]
    create(sm, steps, parameters=[parameter("Items", "String", "[]")])
    arn = start(sm, values={"Items": json.dumps([{"size": 1}, {"size": 2}])})
    pipelines.run_until_idle()
    assert [c["IterationContext"]["Item"] for c in _children(sm, arn)] == [
        '{"size":1}',
        '{"size":2}',
    ]
    empty = start(sm)  # the default: an empty list runs no child step
    pipelines.run_until_idle()
    assert status(sm, empty) == "Succeeded"
    assert _children(sm, empty) == []
    assert steps_by_name(sm, empty)["Fan"]["Metadata"]["ForEach"]["InputItemCount"] == 0


def test_items_that_are_not_a_json_list_fail_the_step(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [for_each_step("Fan", get("Parameters.Items"), [_work()])]
    create(sm, steps, parameters=[parameter("Items", "String", "not a list")])
    arn = start(sm)
    pipelines.run_until_idle()
    fan = steps_by_name(sm, arn)["Fan"]
    assert fan["StepStatus"] == "Failed"
    assert fan["FailureReason"].startswith("ClientError: IterableItems")
    assert status(sm, arn) == "Failed"


def test_a_failed_child_fails_the_for_each_after_running_children_finish(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [for_each_step("Fan", ["x", "y", "z"], [training_step("Train")], 2)])
    pipelines.step("Train-0").fails("ClientError: bad data", after=10)
    arn = start(sm)
    pipelines.run_until_idle()
    statuses = {c["StepName"]: c["StepStatus"] for c in _children(sm, arn)}
    assert statuses == {"Train-0": "Failed", "Train-1": "Succeeded"}  # Train-2 never starts
    fan = steps_by_name(sm, arn)["Fan"]
    assert fan["StepStatus"] == "Failed"
    assert fan["Metadata"]["ForEach"]["FailedStepCount"] == 1
    assert fan["Metadata"]["ForEach"]["SucceededStepCount"] == 1
    assert fan["Metadata"]["ForEach"]["Status"] == "Failed"
    assert status(sm, arn) == "Failed"


def test_a_script_for_the_body_step_name_applies_to_iterations_without_their_own(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [for_each_step("Fan", ["x", "y"], [training_step("Train")])])
    pipelines.step("Train").succeeds(after=5)
    pipelines.step("Train-1").succeeds(after=20)
    arn = start(sm)
    pipelines.run_until_idle()
    children = _children(sm, arn)
    assert [(c["EndTime"] - c["StartTime"]).total_seconds() for c in children] == [6.0, 21.0]
    assert pipelines.unused_outcomes() == []


def test_a_stop_mid_iteration_stops_the_children_and_the_for_each(
    pipelines: PipelinesMock, sm: Any
) -> None:
    create(sm, [for_each_step("Fan", ["x", "y", "z"], [training_step("Train")], 2)])
    arn = start(sm)
    pipelines.advance(30)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    assert {c["StepName"]: c["StepStatus"] for c in _children(sm, arn)} == {
        "Train-0": "Stopped",
        "Train-1": "Stopped",
    }
    fan = steps_by_name(sm, arn)["Fan"]
    assert fan["StepStatus"] == "Stopped"
    assert fan["Metadata"]["ForEach"]["Status"] == "Stopped"
    assert fan["Metadata"]["ForEach"]["StoppedStepCount"] == 2
    assert status(sm, arn) == "Stopped"


def test_body_steps_of_one_iteration_read_each_other(pipelines: PipelinesMock, sm: Any) -> None:
    events = _register_scores(pipelines)
    report = lambda_step(
        "Report", FN, {"model": get("Steps.Train.ModelArtifacts.S3ModelArtifacts")}
    )
    create(sm, [for_each_step("Fan", ["x", "y"], [training_step("Train"), report])])
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    jobs = {
        c["StepName"]: c["Metadata"]["TrainingJob"]["Arn"].rsplit("/", 1)[-1]
        for c in _children(sm, arn)
        if c["StepName"].startswith("Train")
    }
    assert sorted(e["model"] for e in events) == sorted(
        f"s3://example-bucket/output/{job}/output/model.tar.gz" for job in jobs.values()
    )


def _refused(sm: Any, steps: list[dict[str, Any]], text: str) -> None:
    with pytest.raises(ClientError) as caught:
        create(sm, steps)
    assert client_error_code(caught.value) == "ValidationException"
    assert text in caught.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ([fail_step("Stop")], "step type 'Fail' of step 'Stop' is not allowed in ForEachBody"),
        (
            [for_each_step("Inner", ["1"], [training_step("T")])],
            "step type 'ForEach' of step 'Inner' is not allowed",
        ),
        (
            [{"Name": "C", "Type": "Condition", "Arguments": {"Conditions": []}}],
            "step type 'Condition' of step 'C' is not allowed",
        ),
        ([], "ForEachBody must be a non-empty array of steps."),
    ],
)
def test_malformed_bodies_are_refused(sm: Any, body: list[dict[str, Any]], text: str) -> None:
    _refused(sm, [for_each_step("Fan", ["1"], body)], text)


@pytest.mark.parametrize("value", [0, 51, "2", None, 2.5])
def test_max_concurrency_out_of_range_is_refused(sm: Any, value: Any) -> None:
    step = for_each_step("Fan", ["1"], [training_step("T")], value)
    _refused(sm, [step], "MaxConcurrency is required and must be an integer in the range [1, 50]")


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ("a,b", "a single literal value cannot resolve to a list"),
        ([str(i) for i in range(101)], "must have between 1 and 100 elements. Got: 101."),
        ([], "must have between 1 and 100 elements. Got: 0."),
        ([{"a": 1}], "list elements must be property references or literal scalars"),
    ],
)
def test_items_that_do_not_parse_as_a_list_are_refused(sm: Any, items: Any, text: str) -> None:
    _refused(sm, [for_each_step("Fan", items, [training_step("T")])], text)


def test_names_and_references_across_the_body_are_checked(sm: Any) -> None:
    fan = for_each_step("Fan", ["1"], [training_step("T")])
    _refused(sm, [fan, training_step("T-0")], "collides with the child steps of ForEach body")
    _refused(sm, [fan, training_step("T")], "'T' is included in the pipeline definition more")
    reader = lambda_step("Read", FN, {"x": get("Steps.T.ModelArtifacts.S3ModelArtifacts")})
    _refused(sm, [fan, reader], "can not reference step 'T' of the ForEachBody")
    outside = lambda_step("Out", FN, {"x": get("ForEach.CurrentItem")})
    _refused(sm, [outside], "can only be used inside the ForEachBody of a ForEach step")
    bad_selector = for_each_step(
        "Fan",
        ["1"],
        [training_step("T")],
        selector={"Pick": "MaxBy", "Field": get("IterationOutput.X.Y")},
    )
    _refused(sm, [bad_selector], "Selector.Field must target a body step of this ForEach step")


def test_a_child_that_fails_as_it_starts_is_counted(pipelines: PipelinesMock, sm: Any) -> None:
    body = lambda_step("Work", FN, {"name": get("ForEach.CurrentItem.name")})
    create(sm, [for_each_step("Fan", ["plain", '{"name": "x"}'], [body], 1)])
    arn = start(sm)
    pipelines.run_until_idle()
    (child,) = _children(sm, arn)
    assert child["StepStatus"] == "Failed"
    assert child["FailureReason"].startswith("ClientError: Failed to resolve ForEach.CurrentItem")
    assert steps_by_name(sm, arn)["Fan"]["Metadata"]["ForEach"] == {
        "Status": "Failed",
        "InputItemCount": 2,
        "TotalStepCount": 1,
        "SucceededStepCount": 0,
        "FailedStepCount": 1,
        "StoppedStepCount": 0,
    }


def test_simulate_scripts_one_iteration_by_its_child_step_name(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fan.json"
    path.write_text(definition([for_each_step("Fan", ["x", "y"], [training_step("Train")])]))
    code = main(["simulate", str(path), "-o", "Train-1=fail:ClientError: boom", "-f", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    statuses = {s["StepName"]: s["StepStatus"] for s in out["Steps"]}
    assert statuses == {"Fan": "Failed", "Train-0": "Succeeded", "Train-1": "Failed"}


def test_a_retried_for_each_runs_every_iteration_again(pipelines: PipelinesMock, sm: Any) -> None:
    create(sm, [for_each_step("Fan", ["x", "y"], [training_step("Train")])])
    pipelines.step("Train-1").fails("ClientError: boom").succeeds()
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    sm.retry_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    children = _children(sm, arn)
    assert [(c["StepName"], c["StepStatus"], c["AttemptCount"]) for c in children] == [
        ("Train-0", "Succeeded", 2),
        ("Train-1", "Succeeded", 2),
    ]
    assert steps_by_name(sm, arn)["Fan"]["Metadata"]["ForEach"]["SucceededStepCount"] == 2


def test_the_counts_are_integers_to_the_argument_type_checks(sm: Any) -> None:
    fan = for_each_step("Fan", ["1"], [training_step("T")])
    reader = training_step("Read", DependsOn=["Fan"])
    reader["Arguments"]["Environment"] = {"N": get("Steps.Fan.InputItemCount")}
    _refused(sm, [fan, reader], "Cannot assign property reference [Steps.Fan.InputItemCount]")
    reader["Arguments"]["Environment"] = {"S": get("Steps.Fan.Status")}
    create(sm, [fan, reader])


def test_a_list_longer_than_the_guard_fails_the_step(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [for_each_step("Fan", get("Parameters.Items"), [_work()])]
    create(
        sm,
        steps,
        parameters=[parameter("Items", "String", json.dumps([0] * 1001, separators=(",", ":")))],
    )
    arn = start(sm)
    pipelines.run_until_idle()
    fan = steps_by_name(sm, arn)["Fan"]
    assert fan["StepStatus"] == "Failed"
    assert "resolved to 1001 items; at most 1000" in fan["FailureReason"]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("Steps.Fan.IterationOutputs.T.ModelArtifacts", "must be indexed and drilled by body step"),
        ("Steps.Fan.IterationOutputs[0].X.ModelArtifacts", "names no body step of ForEach step"),
        ("Steps.Fan.Selected.ModelArtifacts", "ForEach step 'Fan' has no Selector"),
        ("Steps.Fan.Outcome", "is not a property of ForEach step 'Fan'"),
    ],
)
def test_references_to_for_each_properties_are_checked(sm: Any, path: str, text: str) -> None:
    fan = for_each_step("Fan", ["1"], [training_step("T")])
    _refused(sm, [fan, lambda_step("Read", FN, {"x": get(path)})], text)


def test_step_durations_of_a_body_step_apply_to_its_children() -> None:
    with mock_sagemaker_pipelines(step_durations={"Train": 100, "Train-1": 50}) as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        create(sm, [for_each_step("Fan", ["x", "y"], [training_step("Train")])])
        arn = start(sm)
        pipelines.run_until_idle()
        children = _children(sm, arn)
        assert [(c["EndTime"] - c["StartTime"]).total_seconds() for c in children] == [
            101.0,
            51.0,
        ]


def test_a_handler_of_a_failed_for_each_completes_with_failures(
    pipelines: PipelinesMock, sm: Any
) -> None:
    fan = for_each_step("Fan", ["x", "y"], [training_step("Train")])
    notify = training_step("Notify", depends_on=[{"Step": "Fan", "Trigger": "Failed"}])
    create(sm, [fan, notify])
    pipelines.step("Train-0").fails("ClientError: boom")
    arn = start(sm)
    pipelines.run_until_idle()
    assert steps_by_name(sm, arn)["Notify"]["StepStatus"] == "Succeeded"
    assert status(sm, arn) == "CompletedWithFailures"
