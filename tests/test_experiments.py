"""The experiment, trial and trial components an execution creates, seen through moto's SageMaker API
(DG "Amazon SageMaker Experiments integration")."""

from __future__ import annotations

import json
from typing import Any

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    ROLE,
    definition,
    get,
    join,
    processing_step,
    resource_name,
    start,
    status,
    steps_by_name,
    training_step,
)

DEFAULT_CONFIG = {
    "ExperimentName": get("Execution.PipelineName"),
    "TrialName": get("Execution.PipelineExecutionId"),
}


def _create(sm: Any, config: Any = DEFAULT_CONFIG, name: str = "pipe") -> None:
    body = json.loads(
        definition([processing_step("Prep"), training_step("Train", depends_on=["Prep"])])
    )
    if config is not ...:
        body["PipelineExperimentConfig"] = config
    sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=json.dumps(body))


def _run(sm: Any, pipelines: PipelinesMock, name: str = "pipe") -> str:
    arn = start(sm, name)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    return arn


def _trial_components(sm: Any, trial: str) -> dict[str, dict[str, Any]]:
    summaries = sm.list_trial_components(TrialName=trial)["TrialComponentSummaries"]
    names = [s["TrialComponentName"] for s in summaries]
    return {n: sm.describe_trial_component(TrialComponentName=n) for n in names}


def test_an_execution_creates_its_experiment_trial_and_trial_components(
    sm: Any, pipelines: PipelinesMock
) -> None:
    _create(sm)
    arn = _run(sm, pipelines)
    execution_id = arn.rsplit("/", 1)[-1]

    experiments = sm.list_experiments()["ExperimentSummaries"]
    assert [e["ExperimentName"] for e in experiments] == ["pipe"]
    assert sm.describe_experiment(ExperimentName="pipe")["ExperimentArn"].endswith(
        ":experiment/pipe"
    )
    trials = sm.list_trials(ExperimentName="pipe")["TrialSummaries"]
    assert [t["TrialName"] for t in trials] == [execution_id]
    assert sm.describe_trial(TrialName=execution_id)["ExperimentName"] == "pipe"

    steps = steps_by_name(sm, arn)
    prep_job, train_job = resource_name(steps["Prep"]), resource_name(steps["Train"])
    components = _trial_components(sm, execution_id)
    assert set(components) == {
        f"{prep_job}-aws-processing-job",
        f"{train_job}-aws-training-job",
    }
    training = components[f"{train_job}-aws-training-job"]
    assert training["Status"] == {"PrimaryStatus": "Completed"}
    assert training["Sources"] == [
        {
            "SourceArn": steps["Train"]["Metadata"]["TrainingJob"]["Arn"],
            "SourceType": "SageMakerTrainingJob",
        }
    ]
    assert training["StartTime"] < training["EndTime"]
    in_trial = sm.list_trials(TrialComponentName=f"{prep_job}-aws-processing-job")
    assert [t["TrialName"] for t in in_trial["TrialSummaries"]] == [execution_id]
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExperimentConfig"] == {
        "ExperimentName": "pipe",
        "TrialName": execution_id,
    }


def test_a_running_job_has_an_in_progress_trial_component(
    sm: Any, pipelines: PipelinesMock
) -> None:
    _create(sm)
    arn = start(sm)
    pipelines.advance(60)
    (component,) = _trial_components(sm, arn.rsplit("/", 1)[-1]).values()
    assert component["Status"] == {"PrimaryStatus": "InProgress"}
    assert "EndTime" not in component


def test_named_entities_are_reused_and_every_execution_adds_a_trial(
    sm: Any, pipelines: PipelinesMock
) -> None:
    sm.create_experiment(ExperimentName="team-experiment")
    config = {
        "ExperimentName": "team-experiment",
        "TrialName": join("-", "run", get("Execution.PipelineExecutionId")),
    }
    _create(sm, config)
    first, second = _run(sm, pipelines), _run(sm, pipelines)

    assert [e["ExperimentName"] for e in sm.list_experiments()["ExperimentSummaries"]] == [
        "team-experiment"
    ]
    trials = {
        t["TrialName"] for t in sm.list_trials(ExperimentName="team-experiment")["TrialSummaries"]
    }
    assert trials == {f"run-{a.rsplit('/', 1)[-1]}" for a in (first, second)}
    for trial in trials:
        assert len(_trial_components(sm, trial)) == 2


def test_deleting_the_pipeline_keeps_them(sm: Any, pipelines: PipelinesMock) -> None:
    _create(sm)
    arn = _run(sm, pipelines)
    sm.delete_pipeline(PipelineName="pipe", ClientRequestToken="d" * 32)
    assert [e["ExperimentName"] for e in sm.list_experiments()["ExperimentSummaries"]] == ["pipe"]
    assert len(_trial_components(sm, arn.rsplit("/", 1)[-1])) == 2


def test_no_experiment_config_creates_nothing(sm: Any, pipelines: PipelinesMock) -> None:
    _create(sm, None, name="disabled")  # the SDK's pipeline_experiment_config=None
    _create(sm, ..., name="absent")
    _run(sm, pipelines, "disabled")
    _run(sm, pipelines, "absent")
    assert sm.list_experiments()["ExperimentSummaries"] == []
    assert sm.list_trial_components()["TrialComponentSummaries"] == []


def test_a_cache_hit_adds_no_trial_component(sm: Any, pipelines: PipelinesMock) -> None:
    body = json.loads(definition([training_step("Train")]))
    body["Steps"][0]["CacheConfig"] = {"Enabled": True, "ExpireAfter": "P1D"}
    body["PipelineExperimentConfig"] = DEFAULT_CONFIG
    sm.create_pipeline(PipelineName="pipe", RoleArn=ROLE, PipelineDefinition=json.dumps(body))
    _run(sm, pipelines)
    second = _run(sm, pipelines)
    assert "CacheHitResult" in steps_by_name(sm, second)["Train"]
    assert _trial_components(sm, second.rsplit("/", 1)[-1]) == {}
    assert len(sm.list_trials(ExperimentName="pipe")["TrialSummaries"]) == 2
