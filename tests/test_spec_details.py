"""Spec details found in review: metadata of newer step types, retry exceptions, tokens, quotas, order."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import (
    REGION,
    ROLE,
    callback_step,
    client_error_code,
    create,
    definition,
    start,
    status,
    steps_by_name,
    training_step,
)

TOKEN = "t" * 40


@pytest.mark.parametrize(
    "step_type",
    [
        "InferenceComponent",
        "BedrockCustomModel",
        "BedrockCustomModelDeployment",
        "BedrockProvisionedModelThroughput",
        "BedrockModelImport",
    ],
)
def test_newer_step_types_carry_an_arn_in_their_metadata(
    sm: Any, pipelines: PipelinesMock, step_type: str
) -> None:
    """Spec section 5: one Metadata member per step type, ``{Arn}`` for these."""
    create(sm, [{"Name": "S", "Type": step_type, "Arguments": {}}], name="p")
    arn = start(sm, "p")
    pipelines.advance(5)
    metadata = steps_by_name(sm, arn)["S"]["Metadata"]
    assert list(metadata) == [step_type]
    assert metadata[step_type]["Arn"].startswith("arn:aws:")


def test_a_lineage_step_has_lineage_metadata(sm: Any, pipelines: PipelinesMock) -> None:
    create(sm, [{"Name": "L", "Type": "Lineage", "Arguments": {}}], name="p")
    arn = start(sm, "p")
    pipelines.run_until_idle()
    assert "Lineage" in steps_by_name(sm, arn)["L"]["Metadata"]


def test_tuning_steps_never_retry_job_internal_errors(sm: Any, pipelines: PipelinesMock) -> None:
    """DG "Pipelines retry policy": Tuning and AutoML never retry SageMaker.JOB_INTERNAL_ERROR."""
    policy = {"ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"], "MaxAttempts": 3}
    create(
        sm,
        [{"Name": "Tune", "Type": "Tuning", "Arguments": {}, "RetryPolicies": [policy]}],
        name="p",
    )
    pipelines.step("Tune").fails(
        "InternalServerError", exception_type="SageMaker.JOB_INTERNAL_ERROR"
    ).succeeds()
    arn = start(sm, "p")
    pipelines.run_until_idle()
    step = steps_by_name(sm, arn)["Tune"]
    assert (step["StepStatus"], step["AttemptCount"]) == ("Failed", 1)
    assert status(sm, arn) == "Failed"


def test_a_success_answer_without_a_declared_output_fails_the_step(
    sm: Any, sqs: Any, pipelines: PipelinesMock
) -> None:
    """Spec section 6: a declared output the answer leaves out fails the step."""
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    create(sm, [callback_step("CB", url, {}, [("rows", "Integer")])], name="p")
    arn = start(sm, "p")
    pipelines.advance(5)
    token = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])["token"]
    sm.send_pipeline_execution_step_success(CallbackToken=token)
    step = steps_by_name(sm, arn)["CB"]
    assert step["StepStatus"] == "Failed"
    assert "'rows'" in step["FailureReason"]
    assert status(sm, arn) == "Failed"


def test_a_start_token_reused_with_another_display_name_is_refused(
    sm: Any, pipelines: PipelinesMock
) -> None:
    create(sm, [training_step("T")], name="p")
    first = sm.start_pipeline_execution(
        PipelineName="p", ClientRequestToken=TOKEN, PipelineExecutionDisplayName="one"
    )
    again = sm.start_pipeline_execution(
        PipelineName="p", ClientRequestToken=TOKEN, PipelineExecutionDisplayName="one"
    )
    assert again["PipelineExecutionArn"] == first["PipelineExecutionArn"]
    with pytest.raises(ClientError) as err:
        sm.start_pipeline_execution(
            PipelineName="p", ClientRequestToken=TOKEN, PipelineExecutionDisplayName="two"
        )
    assert client_error_code(err.value) == "ValidationException"
    assert len(sm.list_pipeline_executions(PipelineName="p")["PipelineExecutionSummaries"]) == 1


def test_retry_respects_the_concurrent_execution_quota() -> None:
    with mock_sagemaker_pipelines(max_concurrent_executions=1, report="off") as pipelines:
        sm = boto3.client("sagemaker", region_name=REGION)
        create(sm, [training_step("T")], name="p")
        first = start(sm, "p")
        sm.stop_pipeline_execution(PipelineExecutionArn=first)
        pipelines.run_until_idle()
        sm.start_pipeline_execution(PipelineName="p")
        with pytest.raises(ClientError) as err:
            sm.retry_pipeline_execution(PipelineExecutionArn=first)
        assert client_error_code(err.value) == "ResourceLimitExceeded"
        assert status(sm, first) == "Stopped"


def test_pipelines_created_at_the_same_instant_list_newest_first(sm: Any) -> None:
    for name in ("b", "a", "c"):
        create(sm, [], name=name)
    names = [p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"]]
    assert names == ["c", "a", "b"]
    ascending = sm.list_pipelines(SortOrder="Ascending")["PipelineSummaries"]
    assert [p["PipelineName"] for p in ascending] == ["b", "a", "c"]


@pytest.mark.parametrize("order", [("S", "F"), ("F", "S")])
def test_a_failure_at_the_same_instant_as_a_success_starts_nothing_whatever_the_order(
    sm: Any, pipelines: PipelinesMock, order: tuple[str, str]
) -> None:
    """Spec section 9.1: once a step fails nothing new starts; definition order must not matter."""
    steps = [training_step(order[0]), training_step(order[1]), training_step("Q", depends_on=["S"])]
    create(sm, steps, name="p")
    pipelines.step("F").fails("ClientError: boom", after=5)
    pipelines.step("S").succeeds(after=5)
    arn = start(sm, "p")
    pipelines.run_until_idle()
    assert set(steps_by_name(sm, arn)) == {"S", "F"}
    assert status(sm, arn) == "Failed"


def test_run_until_idle_inside_a_lambda_handler_does_nothing(
    sm: Any, pipelines: PipelinesMock
) -> None:
    function = "arn:aws:lambda:us-east-1:123456789012:function:f"
    other = definition([training_step("X")])
    sm.create_pipeline(PipelineName="other", RoleArn=ROLE, PipelineDefinition=other)
    create(
        sm, [{"Name": "L", "Type": "Lambda", "FunctionArn": function, "Arguments": {}}], name="p"
    )

    @pipelines.lambda_function(function, duration=5)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        sm.start_pipeline_execution(PipelineName="other")  # something else to run
        before = pipelines.now()
        pipelines.run_until_idle()
        assert pipelines.now() == before
        return {}

    arn = start(sm, "p")
    pipelines.run_until_idle()
    assert steps_by_name(sm, arn)["L"]["StepStatus"] == "Succeeded"
    assert status(sm, arn) == "Succeeded"


def test_a_trial_name_may_refer_to_the_experiment_name(sm: Any, pipelines: PipelinesMock) -> None:
    """The SDK's PipelineExperimentConfig("exp", PipelineExperimentConfigProperties.EXPERIMENT_NAME)."""
    doc = {
        "Version": "2020-12-01",
        "PipelineExperimentConfig": {
            "ExperimentName": "myexp",
            "TrialName": {"Get": "PipelineExperimentConfig.ExperimentName"},
        },
        "Steps": [training_step("T")],
    }
    sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition=json.dumps(doc))
    arn = start(sm, "p")
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExperimentConfig"] == {
        "ExperimentName": "myexp",
        "TrialName": "myexp",
    }


def test_check_step_flags_given_by_parameters_are_resolved(
    sm: Any, pipelines: PipelinesMock
) -> None:
    """QualityCheck keeps SkipCheck/RegisterNewBaseline beside its Arguments, often as Gets."""
    step = {
        "Name": "DQ",
        "Type": "QualityCheck",
        "Arguments": {},
        "CheckType": "DATA_QUALITY",
        "ModelPackageGroupName": "grp",
        "SkipCheck": {"Get": "Parameters.Skip"},
        "RegisterNewBaseline": {"Get": "Parameters.Register"},
        "SuppliedBaselineStatistics": "s3://b/stats.json",
        "SuppliedBaselineConstraints": "s3://b/cons.json",
    }
    parameters = [
        {"Name": "Skip", "Type": "Boolean", "DefaultValue": True},
        {"Name": "Register", "Type": "Boolean", "DefaultValue": True},
    ]
    create(sm, [step], parameters, name="p")
    arn = start(
        sm,
        "p",
        PipelineParameters=[
            {"Name": "Skip", "Value": "false"},
            {"Name": "Register", "Value": "false"},
        ],
    )
    pipelines.run_until_idle()
    metadata = steps_by_name(sm, arn)["DQ"]["Metadata"]["QualityCheck"]
    assert (metadata["SkipCheck"], metadata["RegisterNewBaseline"]) == (False, False)
    assert metadata["BaselineUsedForDriftCheckConstraints"] == "s3://b/cons.json"


def test_scripted_property_files_are_written_where_the_job_would_write_them(
    sm: Any, pipelines: PipelinesMock
) -> None:
    """A Std:JsonGet over an S3Uri then reads the same JSON as one over the PropertyFile."""
    output = "s3://reports-bucket/eval"
    processing = {
        "Name": "Eval",
        "Type": "Processing",
        "Arguments": {
            "ProcessingOutputConfig": {
                "Outputs": [{"OutputName": "evaluation", "S3Output": {"S3Uri": output}}]
            }
        },
        "PropertyFiles": [
            {
                "PropertyFileName": "Report",
                "OutputName": "evaluation",
                "FilePath": "evaluation.json",
            }
        ],
    }
    check = {
        "Name": "Check",
        "Type": "Condition",
        "Arguments": {
            "Conditions": [
                {
                    "Type": "Equals",
                    "LeftValue": {
                        "Std:JsonGet": {"S3Uri": f"{output}/evaluation.json", "Path": "mse"}
                    },
                    "RightValue": 3.5,
                }
            ],
            "IfSteps": [],
            "ElseSteps": [],
        },
        "DependsOn": ["Eval"],
    }
    create(sm, [processing, check], name="p")
    pipelines.step("Eval").succeeds(property_files={"Report": {"mse": 3.5}})
    arn = start(sm, "p")
    pipelines.run_until_idle()
    assert steps_by_name(sm, arn)["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
    s3 = boto3.client("s3", region_name=REGION)
    body = s3.get_object(Bucket="reports-bucket", Key="eval/evaluation.json")["Body"].read()
    assert json.loads(body) == {"mse": 3.5}
