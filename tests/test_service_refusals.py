"""What the real service refuses at CreatePipeline and StartPipelineExecution, and the mock too.

Each rule comes from a public report of the service's answer (message asserted) or the
Developer Guide; a refusal changes no state, and ``mock-sagemaker-pipelines validate`` reports
the definition rules offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines.cli import main

from .support import (
    ROLE,
    client_error_code,
    condition_step,
    create,
    definition,
    get,
    parameter,
    start,
    status,
    training_step,
)


def _refused(call: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    assert client_error_code(caught.value) == "ValidationException"
    return str(caught.value.response["Error"]["Message"])


def _validate(tmp_path: Path, capsys: Any, steps: list[dict[str, Any]]) -> tuple[int, str]:
    path = tmp_path / "definition.json"
    path.write_text(definition(steps))
    code = main(["validate", str(path)])
    return code, capsys.readouterr().out


def _names(sm: Any) -> list[str]:
    return [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]


# ------------------------------------------------------------------ structural rules
def test_a_depends_on_naming_a_condition_step_is_refused(
    sm: Any, tmp_path: Path, capsys: Any
) -> None:
    steps = [condition_step("Check", []), training_step("Train", depends_on=["Check"])]
    message = _refused(lambda: create(sm, steps))
    assert message == "Train can not depends on Check"
    assert _names(sm) == []
    code, out = _validate(tmp_path, capsys, steps)
    assert code == 1 and "Train can not depends on Check" in out


def test_reading_a_condition_steps_outcome_is_still_allowed(pipelines: Any, sm: Any) -> None:
    steps = [
        condition_step("Check", []),
        condition_step(
            "Next",
            [{"Type": "Equals", "LeftValue": get("Steps.Check.Outcome"), "RightValue": True}],
        ),
    ]
    create(sm, steps)
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"


def test_condition_steps_nested_in_branches_are_accepted_and_run(
    pipelines: Any, sm: Any, tmp_path: Path, capsys: Any
) -> None:
    """Apache Airflow's SageMaker pipeline system test creates and runs 31 nested Condition
    steps against the service (``example_sagemaker_pipeline.py``): the service accepts them."""
    check = [{"Type": "LessThanOrEqualTo", "LeftValue": 3.0, "RightValue": 6.0}]
    nested = condition_step("Cond0", check, if_steps=[training_step("Train")])
    for level in range(1, 31):
        nested = condition_step(f"Cond{level}", check, if_steps=[nested])
    steps = [nested]
    create(sm, steps)
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    listed = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
    assert len(listed) == 32
    code, out = _validate(tmp_path, capsys, steps)
    assert code == 0 and out.endswith(": OK\n")


# ------------------------------------------------------------------ request constraints
def test_a_pipeline_name_over_82_characters_is_refused(sm: Any) -> None:
    name = "p" * 83
    message = _refused(
        lambda: sm.create_pipeline(
            PipelineName=name, RoleArn=ROLE, PipelineDefinition=definition([])
        )
    )
    assert message == f'[string "{name}" is too long (length: 83, maximum allowed: 82)]'
    assert _names(sm) == []
    sm.create_pipeline(PipelineName="p" * 82, RoleArn=ROLE, PipelineDefinition=definition([]))
    assert _names(sm) == ["p" * 82]


def test_a_pattern_error_quotes_the_pattern_anchored(sm: Any) -> None:
    message = _refused(
        lambda: sm.create_pipeline(
            PipelineName="bad_name", RoleArn=ROLE, PipelineDefinition=definition([])
        )
    )
    assert message.endswith(
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}"
    )


# ------------------------------------------------------------------ start-time checks
@pytest.mark.parametrize("type_", ["String", "Integer"])
def test_an_empty_parameter_value_is_refused_at_start(pipelines: Any, sm: Any, type_: str) -> None:
    default = "x" if type_ == "String" else 1
    create(sm, [training_step("Train")], parameters=[parameter("P", type_, default)])
    message = _refused(lambda: start(sm, values={"P": ""}))
    assert message == '[string "" is too short (length: 0, required minimum: 1)]'
    assert sm.list_pipeline_executions(PipelineName="pipe")["PipelineExecutionSummaries"] == []


def test_an_empty_default_in_the_definition_is_accepted(pipelines: Any, sm: Any) -> None:
    create(sm, [training_step("Train")], parameters=[parameter("P", "String", "")])
    arn = start(sm)
    parameters = sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)
    assert parameters["PipelineParameters"] == [{"Name": "P", "Value": ""}]
    assert json.loads(sm.describe_pipeline(PipelineName="pipe")["PipelineDefinition"])[
        "Parameters"
    ] == [{"Name": "P", "Type": "String", "DefaultValue": ""}]
