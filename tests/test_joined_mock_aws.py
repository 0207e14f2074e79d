"""Joining the user's ``mock_aws`` keeps the data (issue 14, item 5): after the plugin's block
exits inside a running ``mock_aws``, moto's own SageMaker API shows the pipelines and their
executions, as moto shows pipelines it created itself."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from mock_sagemaker_pipelines import mock_sagemaker_pipelines

from .support import REGION, ROLE, callback_step, definition, parameter, start, training_step


def test_pipelines_and_executions_stay_visible_to_motos_own_api() -> None:
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        queue = boto3.client("sqs", region_name=REGION).create_queue(QueueName="q")["QueueUrl"]
        with mock_sagemaker_pipelines(seed=1, report="off") as pipelines:
            text = definition([training_step("Train")], [parameter("Epochs", "Integer", 3)])
            sm.create_pipeline(
                PipelineName="train",
                PipelineDefinition=text,
                PipelineDescription="trains",
                RoleArn=ROLE,
                Tags=[{"Key": "team", "Value": "ml"}],
            )
            done = start(sm, "train", {"Epochs": "5"})
            pipelines.run_until_idle()
            sm.create_pipeline(
                PipelineName="wait",
                PipelineDefinition=definition([callback_step("Approve", queue)]),
                RoleArn=ROLE,
            )
            waiting = start(sm, "wait")
            pipelines.run_until_idle()
            inside = sm.describe_pipeline_execution(PipelineExecutionArn=done)

        # moto's own SageMaker backend answers from here on.
        names = [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]
        assert sorted(names) == ["train", "wait"]
        described = sm.describe_pipeline(PipelineName="train")
        assert json.loads(described["PipelineDefinition"]) == json.loads(text)
        assert (described["RoleArn"], described["PipelineDescription"]) == (ROLE, "trains")
        assert described["CreationTime"] <= described["LastModifiedTime"]
        assert sm.list_tags(ResourceArn=described["PipelineArn"])["Tags"] == [
            {"Key": "team", "Value": "ml"}
        ]

        summaries = {
            s["PipelineExecutionArn"]: s["PipelineExecutionStatus"]
            for name in names
            for s in sm.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"]
        }
        assert summaries == {done: "Succeeded", waiting: "Executing"}
        after = sm.describe_pipeline_execution(PipelineExecutionArn=done)
        assert after["PipelineExecutionStatus"] == "Succeeded"
        assert after["LastModifiedTime"] == inside["LastModifiedTime"]
        assert sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=done)[
            "PipelineParameters"
        ] == [{"Name": "Epochs", "Value": "5"}]
        assert json.loads(
            sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=done)[
                "PipelineDefinition"
            ]
        ) == json.loads(text)


def test_a_later_block_sees_its_own_state_and_hands_over_what_changed() -> None:
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        with mock_sagemaker_pipelines():
            for name in ("kept", "dropped"):
                sm.create_pipeline(
                    PipelineName=name,
                    PipelineDefinition=definition([training_step("Train")]),
                    RoleArn=ROLE,
                )
        with mock_sagemaker_pipelines():
            listed = [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]
            assert sorted(listed) == ["dropped", "kept"]  # the plugin's own, not doubled
            sm.delete_pipeline(PipelineName="dropped")
            sm.create_pipeline(
                PipelineName="added",
                PipelineDefinition=definition([training_step("Train")]),
                RoleArn=ROLE,
            )
        listed = [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]
        assert sorted(listed) == ["added", "kept"]


def test_pipelines_moto_created_itself_are_left_alone() -> None:
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        sm.create_pipeline(PipelineName="motos", PipelineDefinition="{}", RoleArn=ROLE)
        with mock_sagemaker_pipelines():
            sm.create_pipeline(
                PipelineName="ours",
                PipelineDefinition=definition([training_step("Train")]),
                RoleArn=ROLE,
            )
        listed = [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]
        assert sorted(listed) == ["motos", "ours"]


def test_when_the_plugin_started_mock_aws_nothing_is_left() -> None:
    with mock_sagemaker_pipelines():
        _sm = boto3.client("sagemaker", region_name=REGION)
        _sm.create_pipeline(
            PipelineName="gone", PipelineDefinition=definition([training_step("T")]), RoleArn=ROLE
        )
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        assert sm.list_pipelines()["PipelineSummaries"] == []
        with pytest.raises(ClientError):
            sm.describe_pipeline(PipelineName="gone")


def test_a_step_training_job_keeps_its_training_seconds_after_the_plugin_stops() -> None:
    with mock_aws():
        sm = boto3.client("sagemaker", region_name=REGION)
        with mock_sagemaker_pipelines(report="off") as pipelines:
            sm.create_pipeline(
                PipelineName="p", RoleArn=ROLE, PipelineDefinition=definition([training_step("T")])
            )
            start(sm, "p")
            pipelines.run_until_idle()
            (name,) = [
                j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"]
            ]
            inside = sm.describe_training_job(TrainingJobName=name)
        after = sm.describe_training_job(TrainingJobName=name)
    assert inside["TrainingTimeInSeconds"] == inside["BillableTimeInSeconds"] > 0
    assert after["TrainingTimeInSeconds"] == inside["TrainingTimeInSeconds"]
    assert after["BillableTimeInSeconds"] == inside["BillableTimeInSeconds"]
