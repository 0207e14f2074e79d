"""The SageMaker Python SDK (v2) on the mock: selective execution, step caching, the experiment
entities an execution creates and custom job-name prefixes, offline.

The pipeline: ``Prep`` (a ScriptProcessor job) -> ``Train`` (an Estimator reading Prep's output),
both with ``CacheConfig``; job prefixing on (``PipelineDefinitionConfig(use_custom_job_prefix=True)``).
"""

from __future__ import annotations

import os
import re
from typing import Any
from unittest import mock

import pytest

from mock_sagemaker_pipelines import PipelinesMock

from .support import ACCOUNT, BUCKET, REGION, ROLE

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
):
    pytest.importorskip("sagemaker", minversion="2.200")
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.processing import ProcessingOutput, ScriptProcessor
    from sagemaker.workflow.execution_variables import ExecutionVariables
    from sagemaker.workflow.parameters import ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_context import PipelineSession
    from sagemaker.workflow.pipeline_definition_config import PipelineDefinitionConfig
    from sagemaker.workflow.pipeline_experiment_config import PipelineExperimentConfig
    from sagemaker.workflow.selective_execution_config import SelectiveExecutionConfig
    from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/train:latest"

pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=12),
    pytest.mark.usefixtures("no_network_afterwards"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]



@pytest.fixture
def pipeline(session: PipelineSession) -> Pipeline:
    """Prep -> Train, cached for a day, with custom job prefixes and named experiment entities."""
    learning_rate = ParameterString("LearningRate", default_value="0.1")
    cache = CacheConfig(enable_caching=True, expire_after="P1D")
    processor = ScriptProcessor(
        image_uri=IMAGE,
        command=["python3"],
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        base_job_name="team-prep",
        sagemaker_session=session,
    )
    prep = ProcessingStep(
        name="Prep",
        step_args=processor.run(
            code=f"s3://{BUCKET}/code/prep.py",
            outputs=[ProcessingOutput(output_name="train", source="/opt/ml/processing/train")],
        ),
        cache_config=cache,
    )
    estimator = Estimator(
        image_uri=IMAGE,
        role=ROLE,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        hyperparameters={"lr": learning_rate},
        disable_profiler=True,  # the profiler rule carries a timestamp (sdk PR #2790)
        sagemaker_session=session,
    )
    train_data = prep.properties.ProcessingOutputConfig.Outputs["train"].S3Output.S3Uri
    train = TrainingStep(
        name="Train",
        step_args=estimator.fit(inputs={"train": TrainingInput(s3_data=train_data)}),
        cache_config=cache,
    )
    return Pipeline(
        name="sdk-selective",
        parameters=[learning_rate],
        steps=[prep, train],
        sagemaker_session=session,
        pipeline_definition_config=PipelineDefinitionConfig(use_custom_job_prefix=True),
        pipeline_experiment_config=PipelineExperimentConfig(
            "sdk-experiment", ExecutionVariables.PIPELINE_EXECUTION_ID
        ),
    )


def _finished(execution: Any, sagemaker_pipelines: PipelinesMock) -> dict[str, dict[str, Any]]:
    sagemaker_pipelines.run_until_idle()
    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"
    return {s["StepName"]: s for s in execution.list_steps()}


def _job_name(step: dict[str, Any]) -> str:
    (metadata,) = step["Metadata"].values()
    return str(metadata["Arn"]).rsplit("/", 1)[-1]


def test_selective_execution_with_a_source_arn_and_with_the_latest_execution(
    pipeline: Pipeline, sagemaker_pipelines: PipelinesMock
) -> None:
    pipeline.upsert(role_arn=ROLE)
    first = pipeline.start()
    full = _finished(first, sagemaker_pipelines)

    config = SelectiveExecutionConfig(
        selected_steps=["Train"], source_pipeline_execution_arn=first.arn
    )
    by_arn = pipeline.start(parameters={"LearningRate": "0.2"}, selective_execution_config=config)
    listed = _finished(by_arn, sagemaker_pipelines)
    assert len(listed) == len(full)
    assert listed["Prep"]["SelectiveExecutionResult"] == {"SourcePipelineExecutionArn": first.arn}
    assert "SelectiveExecutionResult" not in listed["Train"]
    assert _job_name(listed["Prep"]) == _job_name(full["Prep"])
    assert _job_name(listed["Train"]) != _job_name(full["Train"])

    # reference_latest_execution (the default): the SDK looks up the newest execution itself
    latest = pipeline.start(
        parameters={"LearningRate": "0.3"},
        selective_execution_config=SelectiveExecutionConfig(selected_steps=["Train"]),
    )
    steps = _finished(latest, sagemaker_pipelines)
    assert steps["Prep"]["SelectiveExecutionResult"] == {"SourcePipelineExecutionArn": by_arn.arn}
    assert latest.describe()["SelectiveExecutionConfig"] == {
        "SourcePipelineExecutionArn": by_arn.arn,
        "SelectedSteps": [{"StepName": "Train"}],
    }


def test_without_a_source_a_dependent_step_is_refused(
    pipeline: Pipeline, sagemaker_pipelines: PipelinesMock
) -> None:
    pipeline.upsert(role_arn=ROLE)
    config = SelectiveExecutionConfig(selected_steps=["Train"], reference_latest_execution=False)
    with pytest.raises(Exception, match=r"Invalid SourcePipelineExecutionArn: null") as caught:
        pipeline.start(selective_execution_config=config)
    assert "have dependencies on [Prep]" in str(caught.value)
    assert pipeline.list_executions()["PipelineExecutionSummaries"] == []


def test_a_second_run_hits_the_cache_and_a_changed_hyperparameter_misses(
    pipeline: Pipeline, sagemaker_pipelines: PipelinesMock, session: PipelineSession
) -> None:
    pipeline.upsert(role_arn=ROLE)
    first = pipeline.start()
    full = _finished(first, sagemaker_pipelines)
    pipeline.upsert(role_arn=ROLE)  # an unchanged upsert keeps the cache (sdk issue #2736)
    second = _finished(pipeline.start(), sagemaker_pipelines)
    for name in ("Prep", "Train"):
        assert second[name]["CacheHitResult"] == {"SourcePipelineExecutionArn": first.arn}
        assert second[name]["Metadata"] == full[name]["Metadata"]
    client = session.sagemaker_client
    assert len(client.list_training_jobs()["TrainingJobSummaries"]) == 1

    third = pipeline.start(parameters={"LearningRate": "0.5"})
    changed = _finished(third, sagemaker_pipelines)
    assert "CacheHitResult" in changed["Prep"]
    assert "CacheHitResult" not in changed["Train"]
    assert "HyperParameters" in str(sagemaker_pipelines.cache_miss_reason(third.arn, "Train"))
    assert len(client.list_training_jobs()["TrainingJobSummaries"]) == 2


def test_jobs_carry_the_custom_prefix_and_land_in_the_named_experiment(
    pipeline: Pipeline, sagemaker_pipelines: PipelinesMock, session: PipelineSession
) -> None:
    pipeline.upsert(role_arn=ROLE)
    execution = pipeline.start()
    steps = _finished(execution, sagemaker_pipelines)
    execution_id = execution.arn.rsplit("/", 1)[-1]
    assert re.fullmatch(rf"team-prep-{execution_id}-[a-z0-9]{{8}}-0", _job_name(steps["Prep"]))

    client = session.sagemaker_client
    experiments = client.list_experiments()["ExperimentSummaries"]
    assert [e["ExperimentName"] for e in experiments] == ["sdk-experiment"]
    trials = client.list_trials(ExperimentName="sdk-experiment")["TrialSummaries"]
    assert [t["TrialName"] for t in trials] == [execution_id]
    components = client.list_trial_components(TrialName=execution_id)["TrialComponentSummaries"]
    assert {c["TrialComponentName"] for c in components} == {
        f"{_job_name(steps['Prep'])}-aws-processing-job",
        f"{_job_name(steps['Train'])}-aws-training-job",
    }
