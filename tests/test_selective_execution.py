"""SelectiveExecutionConfig on StartPipelineExecution (DG "Selective execution of pipeline steps").

Prep (Processing) -> Train (Training, reads Prep's output) -> Register (Model, reads Train's
artifacts); Side (Processing) depends on nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    client_error_code,
    condition_step,
    create,
    describe_execution,
    execution_arns,
    get,
    model_step,
    parameter,
    processing_step,
    selective,
    start,
    status,
    step_list,
    step_statuses,
    steps_by_name,
    training_step,
    with_arguments,
)

PREP_OUTPUT = "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"


def _steps() -> list[dict[str, Any]]:
    channel = {
        "ChannelName": "train",
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": get(PREP_OUTPUT)}},
    }
    return [
        processing_step("Prep", outputs={"train": "s3://example-bucket/prep/train"}),
        with_arguments(training_step("Train"), InputDataConfig=[channel]),
        model_step("Register", get("Steps.Train.ModelArtifacts.S3ModelArtifacts")),
        processing_step("Side"),
    ]


def _full_run(sm: Any, pipelines: PipelinesMock) -> str:
    create(sm, _steps())
    arn = start(sm)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    return arn


def _refused(sm: Any, config: dict[str, Any]) -> ClientError:
    before = execution_arns(sm)
    with pytest.raises(ClientError) as caught:
        start(sm, SelectiveExecutionConfig=config)
    assert execution_arns(sm) == before  # no execution created
    return caught.value


def test_only_the_selected_step_runs_and_the_others_come_from_the_source(
    sm: Any, pipelines: PipelinesMock
) -> None:
    source = _full_run(sm, pipelines)
    jobs_before = len(sm.list_processing_jobs()["ProcessingJobSummaries"])
    config = selective(["Train"], source)

    arn = start(sm, SelectiveExecutionConfig=config)
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    listed = step_list(sm, arn)
    # Register is downstream of the selected step: it does not run (DG)
    assert {s["StepName"] for s in listed} == {"Train", "Prep", "Side"}
    assert listed[0]["StepName"] == "Train"  # newest first: the step that ran
    assert "SelectiveExecutionResult" not in listed[0]
    for step in listed[1:]:
        assert step["SelectiveExecutionResult"] == {"SourcePipelineExecutionArn": source}
        assert step["StepStatus"] == "Succeeded"
    # the reused steps are the source's runs: same job, no new one
    original = steps_by_name(sm, source)
    assert steps_by_name(sm, arn)["Prep"]["Metadata"] == original["Prep"]["Metadata"]
    assert len(sm.list_processing_jobs()["ProcessingJobSummaries"]) == jobs_before
    # Train resolved its reference to Prep's output from the source execution
    train_job = steps_by_name(sm, arn)["Train"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    assert train_job != original["Train"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    described = sm.describe_training_job(TrainingJobName=train_job)
    channel = described["InputDataConfig"][0]["DataSource"]["S3DataSource"]
    assert channel["S3Uri"] == "s3://example-bucket/prep/train"
    assert describe_execution(sm, arn)["SelectiveExecutionConfig"] == config


def test_the_listed_steps_match_the_full_run_when_the_last_step_is_selected(
    sm: Any, pipelines: PipelinesMock
) -> None:
    # the SDK's integration helper: as many listed steps as the full run, and every
    # non-selected one carries SelectiveExecutionResult
    source = _full_run(sm, pipelines)
    arn = start(sm, SelectiveExecutionConfig=selective(["Register"], source))
    pipelines.run_until_idle()
    listed = step_list(sm, arn)
    assert len(listed) == len(step_list(sm, source))
    assert listed[0]["StepName"] == "Register" and listed[0]["StepStatus"] == "Succeeded"
    assert all(
        s["SelectiveExecutionResult"]["SourcePipelineExecutionArn"] == source for s in listed[1:]
    )


def test_selected_steps_with_unselected_dependencies_need_a_source(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, _steps())
    error = _refused(sm, selective(["Register", "Train"]))
    assert client_error_code(error) == "ValidationException"
    assert error.response["Error"]["Message"] == (
        "Invalid SourcePipelineExecutionArn: null. The selected steps [Train] have dependencies "
        "on [Prep]"
    )


def test_steps_without_dependencies_run_without_a_source(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, _steps())
    arn = start(sm, SelectiveExecutionConfig=selective(["Prep", "Train"]))
    pipelines.run_until_idle()
    assert step_statuses(sm, arn) == {"Prep": "Succeeded", "Train": "Succeeded"}
    assert status(sm, arn) == "Succeeded"
    assert describe_execution(sm, arn)["SelectiveExecutionConfig"] == {
        "SelectedSteps": [{"StepName": "Prep"}, {"StepName": "Train"}]
    }


def test_a_failed_step_can_be_run_again_from_a_failed_source(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, _steps())
    source = start(sm)
    pipelines.step("Train", execution=source).fails("ClientError: bad script")
    pipelines.run_until_idle()
    assert status(sm, source) == "Failed"

    arn = start(sm, SelectiveExecutionConfig=selective(["Train", "Register"], source))
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    assert step_statuses(sm, arn) == {
        "Prep": "Succeeded",
        "Side": "Succeeded",
        "Train": "Succeeded",
        "Register": "Succeeded",
    }


def test_a_dependency_that_did_not_succeed_in_the_source_is_refused(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, _steps())
    pipelines.step("Train").fails("ClientError: bad script")
    source = start(sm)
    pipelines.run_until_idle()
    error = _refused(sm, selective(["Register"], source))
    assert client_error_code(error) == "ValidationException"
    message = error.response["Error"]["Message"]
    assert message.startswith(f"Invalid SourcePipelineExecutionArn: {source}.")
    assert "have dependencies on [Train]" in message


def test_unknown_steps_are_refused(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, _steps())
    error = _refused(sm, selective(["Prep", "Nope"]))
    assert client_error_code(error) == "ValidationException"
    assert "[Nope]" in error.response["Error"]["Message"]


def test_more_than_fifty_selected_steps_are_refused(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, _steps())
    error = _refused(sm, selective(["Prep"] * 51))
    assert client_error_code(error) == "ValidationException"
    assert "selectiveExecutionConfig.selectedSteps" in error.response["Error"]["Message"]
    assert "length less than or equal to 50" in error.response["Error"]["Message"]


def test_steps_between_two_selected_steps_must_be_selected(
    sm: Any, pipelines: PipelinesMock
) -> None:
    source = _full_run(sm, pipelines)
    error = _refused(sm, selective(["Prep", "Register"], source))
    assert client_error_code(error) == "ValidationException"
    assert "missing [Train]" in error.response["Error"]["Message"]


def test_the_source_must_be_an_execution_of_the_same_pipeline(
    sm: Any, pipelines: PipelinesMock
) -> None:
    other = _full_run(sm, pipelines)
    sm.create_pipeline(
        PipelineName="other-pipe",
        RoleArn="arn:aws:iam::123456789012:role/SageMakerPipelines",
        PipelineDefinition=sm.describe_pipeline(PipelineName="pipe")["PipelineDefinition"],
    )
    before = execution_arns(sm, "other-pipe")
    with pytest.raises(ClientError) as caught:
        start(sm, "other-pipe", SelectiveExecutionConfig=selective(["Train"], other))
    assert client_error_code(caught.value) == "ValidationException"
    assert "must be an execution of pipeline" in caught.value.response["Error"]["Message"]
    assert execution_arns(sm, "other-pipe") == before


def test_a_running_source_is_refused(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, _steps())
    running = start(sm)
    error = _refused(sm, selective(["Train"], running))
    assert client_error_code(error) == "ValidationException"
    assert "is Executing" in error.response["Error"]["Message"]


def test_an_unknown_source_is_not_found(sm: Any, pipelines: PipelinesMock) -> None:
    source = _full_run(sm, pipelines)
    error = _refused(sm, selective(["Train"], source[:-4] + "zzzz"))
    assert client_error_code(error) == "ResourceNotFound"


def test_a_stopped_source_is_accepted(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, _steps())
    source = start(sm)
    pipelines.advance(400)  # Prep and Side done, Train running
    sm.stop_pipeline_execution(PipelineExecutionArn=source)
    pipelines.run_until_idle()
    assert status(sm, source) == "Stopped"
    arn = start(sm, SelectiveExecutionConfig=selective(["Train"], source))
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    assert steps_by_name(sm, arn)["Prep"]["SelectiveExecutionResult"] == {
        "SourcePipelineExecutionArn": source
    }


def test_a_branch_step_follows_the_sources_condition_outcome(
    sm: Any, pipelines: PipelinesMock
) -> None:
    check = condition_step(
        "Check",
        [{"Type": "Equals", "LeftValue": get("Parameters.Go"), "RightValue": "yes"}],
        if_steps=[training_step("Deploy")],
        else_steps=[training_step("Skip")],
    )
    create(sm, [check], [parameter("Go", "String", "yes")])
    source = start(sm)
    pipelines.run_until_idle()
    assert set(step_statuses(sm, source)) == {"Check", "Deploy"}

    arn = start(sm, SelectiveExecutionConfig=selective(["Deploy"], source))
    pipelines.run_until_idle()
    listed = steps_by_name(sm, arn)
    assert listed["Check"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    assert listed["Check"]["SelectiveExecutionResult"] == {"SourcePipelineExecutionArn": source}
    assert listed["Deploy"]["StepStatus"] == "Succeeded"

    error = _refused(sm, selective(["Skip"], source))
    assert client_error_code(error) == "ValidationException"
    assert "did not take" in error.response["Error"]["Message"]
