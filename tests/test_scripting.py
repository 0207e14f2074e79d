"""Scripting mistakes caught early, and one meaning of "succeed" for the library and the CLI.

* A scripted outcome for a step name no created pipeline has is an ``UnknownStepWarning`` at
  StartPipelineExecution, naming the closest real step names (``difflib``), once per name.
* ``succeeds()`` (``outcomes={"X": "succeed"}``, ``--outcome X=succeed``) on a Callback or
  Lambda step gives every declared output: the ones it leaves out get typed placeholders.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock, UnknownStepWarning, mock_sagemaker_pipelines
from mock_sagemaker_pipelines.cli import main

from .support import (
    callback_step,
    create,
    definition,
    for_each_step,
    lambda_step,
    output_values,
    start,
    status,
    steps_by_name,
    training_step,
)

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:publish"


def unknown_step_warnings(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, UnknownStepWarning)]


def test_a_typo_in_a_scripted_step_name_warns_at_start_with_the_closest_name(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [training_step("Export"), training_step("Train")], name="p")
    pipelines.step("Exprot").fails("ClientError: boom")
    with pytest.warns(UnknownStepWarning) as record:
        start(sm, "p")
    (message,) = unknown_step_warnings(record.list)
    assert message == (
        "mock_sagemaker_pipelines: step('Exprot') is scripted, but no pipeline created so far "
        "has a step named 'Exprot'; did you mean 'Export'?"
    )
    # It points at the user's code that called boto3 (here the helper in support.py).
    assert Path(record.list[0].filename).name == "support.py"
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        start(sm, "p")  # once per name
    assert unknown_step_warnings(again) == []


def test_without_a_close_name_the_warning_lists_the_steps(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [training_step("Export"), training_step("Train")], name="p")
    pipelines.step("Deploy").succeeds()
    with pytest.warns(UnknownStepWarning, match="the pipelines' steps are: 'Export', 'Train'"):
        start(sm, "p")


def test_a_name_of_any_created_pipeline_is_known(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, [training_step("Export")], name="first")
    create(sm, [training_step("Train")], name="second")
    pipelines.step("Export").succeeds()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        arn = start(sm, "second")
        pipelines.run_until_idle()
    assert unknown_step_warnings(record) == []
    assert status(sm, arn) == "Succeeded"


def test_foreach_body_steps_and_their_children_are_known(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [for_each_step("Fan", ["1", "2"], [training_step("Work")])], name="p")
    pipelines.step("Work").succeeds()
    pipelines.step("Work-1").fails("ClientError: boom")
    pipelines.step("Wrok-1").fails("ClientError: boom")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        start(sm, "p")
    assert [m.split(";")[0] for m in unknown_step_warnings(record)] == [
        "mock_sagemaker_pipelines: step('Wrok-1') is scripted, but no pipeline created so far "
        "has a step named 'Wrok-1'"
    ]


def test_succeed_fills_the_declared_outputs_it_leaves_out() -> None:
    with mock_sagemaker_pipelines(outcomes={"Export": "succeed"}, report="off") as pipelines:
        sm = boto3.client("sagemaker", region_name="us-east-1")
        sqs = boto3.client("sqs", region_name="us-east-1")
        queue = sqs.create_queue(QueueName="exports")["QueueUrl"]
        steps = [
            callback_step("Export", queue, {}, [("rows", "Integer"), ("path", "String")]),
            lambda_step("Publish", FUNCTION, {}, [("url", "String"), ("ok", "Boolean")]),
        ]
        pipelines.step("Publish").succeeds(outputs={"url": "s3://reports/x"})
        create(sm, steps, name="p")
        arn = start(sm, "p")
        pipelines.run_until_idle()
        found = steps_by_name(sm, arn)
        assert status(sm, arn) == "Succeeded"
    assert output_values(found["Export"], "Callback") == {"rows": "0", "path": "path-placeholder"}
    assert output_values(found["Publish"], "Lambda") == {"url": "s3://reports/x", "ok": "false"}


def test_the_command_line_succeed_means_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    queue = "https://sqs.us-east-1.amazonaws.com/123456789012/exports"
    path.write_text(definition([callback_step("Export", queue, {}, [("rows", "Integer")])]))
    assert main(["simulate", str(path), "--outcome", "Export=succeed", "--format", "json"]) == 0
    (step,) = json.loads(capsys.readouterr().out)["Steps"]
    assert step["StepStatus"] == "Succeeded"
    assert step["Metadata"]["Callback"]["OutputParameters"] == [{"Name": "rows", "Value": "0"}]


def test_the_command_line_suggests_the_closest_step_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "p.json"
    path.write_text(definition([training_step("Export"), training_step("Train")]))
    assert main(["simulate", str(path), "--outcome", "Exprot=succeed"]) == 2
    assert "did you mean 'Export'?" in capsys.readouterr().err
