"""Status-change events on moto's EventBridge default bus (DG "Automating SageMaker with EventBridge")."""

from __future__ import annotations

from typing import Any

import boto3

from mock_sagemaker_pipelines import PipelinesMock

from .support import REGION, create, drain, route_events_to_queue, start, training_step

EXECUTION_EVENT = "SageMaker Model Building Pipeline Execution Status Change"
STEP_EVENT = "SageMaker Model Building Pipeline Execution Step Status Change"


def test_execution_and_step_status_changes_reach_an_eventbridge_rule(
    sm: Any, pipelines: PipelinesMock
) -> None:
    sqs, execution_queue = route_events_to_queue(EXECUTION_EVENT)
    _, step_queue = route_events_to_queue(STEP_EVENT)
    create(sm, [training_step("Train")], name="evented")
    arn = start(sm, "evented")
    pipelines.run_until_idle()

    execution_events = drain(sqs, execution_queue)
    statuses = [e["detail"]["currentPipelineExecutionStatus"] for e in execution_events]
    assert statuses == ["Executing", "Succeeded"]
    last = execution_events[-1]
    assert last["source"] == "aws.sagemaker"
    assert last["resources"] == [arn.rsplit("/execution/", 1)[0], arn]
    assert last["detail"]["previousPipelineExecutionStatus"] == "Executing"
    assert last["detail"]["pipelineExecutionArn"] == arn

    step_events = drain(sqs, step_queue)
    transitions = [
        (e["detail"].get("previousStepStatus"), e["detail"]["currentStepStatus"])
        for e in step_events
    ]
    assert transitions == [
        (None, "Starting"),
        ("Starting", "Executing"),
        ("Executing", "Succeeded"),
    ]
    assert step_events[-1]["detail"]["stepType"] == "Training"
    assert step_events[-1]["detail"]["metadata"]["trainingJob"]["arn"].startswith(
        "arn:aws:sagemaker:"
    )


def test_events_can_be_turned_off() -> None:
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    with mock_sagemaker_pipelines(emit_events=False) as pipelines:
        sqs, url = route_events_to_queue(EXECUTION_EVENT)
        sm = boto3.client("sagemaker", region_name=REGION)
        create(sm, [training_step("T")], name="quiet")
        sm.start_pipeline_execution(PipelineName="quiet")
        pipelines.run_until_idle()
        assert drain(sqs, url) == []


def test_step_event_metadata_keys_are_camel_case_with_a_leading_acronym_lower(
    sm: Any, pipelines: PipelinesMock
) -> None:
    """``Metadata.EMR`` becomes ``emr`` in the event detail, not ``eMR``."""
    sqs, step_queue = route_events_to_queue(STEP_EVENT)
    emr = {
        "Name": "Spark",
        "Type": "EMR",
        "Arguments": {
            "ClusterId": "j-1",
            "StepConfig": {"HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["a"]}},
        },
    }
    create(sm, [emr], name="emr-events")
    start(sm, "emr-events")
    pipelines.run_until_idle()
    metadata = [e["detail"].get("metadata") for e in drain(sqs, step_queue)]
    keys = {key for m in metadata if m for key in m}
    assert "emr" in keys
    assert not any(key[:1].islower() and key[1:2].isupper() for key in keys)
