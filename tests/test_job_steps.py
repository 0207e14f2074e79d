"""Job steps: their jobs in moto's SageMaker backend, job names, statuses that follow the step,
derived properties feeding downstream steps, property files (spec sections 2, 5, 9.2, 10)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from moto.sagemaker.models import FakeTrainingJob

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import (
    ACCOUNT,
    JOB_NAME,
    REGION,
    condition_step,
    fail_step,
    get,
    join,
    model_step,
    processing_step,
    register_model_step,
    resource_arn,
    resource_name,
    run,
    start,
    status,
    step_list,
    steps_by_name,
    training_step,
    transform_step,
    with_arguments,
)

ARTIFACTS = get("Steps.Train.ModelArtifacts.S3ModelArtifacts")


def _step(sm: Any, arn: str, name: str) -> dict[str, Any]:
    return steps_by_name(sm, arn)[name]


def test_training_job_is_registered_with_the_service_name(
    pipelines: PipelinesMock, sm: Any
) -> None:
    arn = run(sm, [training_step("MyTrain")])
    execution_id = arn.rsplit("/", 1)[-1]
    step = _step(sm, arn, "MyTrain")
    job_arn = step["Metadata"]["TrainingJob"]["Arn"]
    assert job_arn.startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/")
    name = resource_name(step)
    match = JOB_NAME.match(name)
    assert match is not None
    assert match.group("execution") == execution_id
    assert match.group("step") == "mytrain"
    job = sm.describe_training_job(TrainingJobName=name)
    assert job["TrainingJobArn"] == job_arn
    assert job["RoleArn"].endswith(":role/SageMakerPipelines")
    assert job["ResourceConfig"]["InstanceType"] == "ml.m5.xlarge"


def test_training_job_status_follows_the_step(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("Train")])
    pipelines.advance(1)
    step = _step(sm, arn, "Train")
    assert step["StepStatus"] == "Executing"
    name = resource_name(step)
    assert sm.describe_training_job(TrainingJobName=name)["TrainingJobStatus"] == "InProgress"
    pipelines.run_until_idle()
    job = sm.describe_training_job(TrainingJobName=name)
    assert job["TrainingJobStatus"] == "Completed"
    assert _step(sm, arn, "Train")["StepStatus"] == "Succeeded"


def test_failed_step_fails_its_job(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Train").fails("ClientError: AlgorithmError: out of memory")
    arn = run(sm, [training_step("Train")])
    pipelines.run_until_idle()
    step = _step(sm, arn, "Train")
    assert step["StepStatus"] == "Failed"
    assert step["FailureReason"] == "ClientError: AlgorithmError: out of memory"
    job = sm.describe_training_job(TrainingJobName=resource_name(step))
    assert job["TrainingJobStatus"] == "Failed"
    assert job["FailureReason"] == "ClientError: AlgorithmError: out of memory"


def test_stopped_step_stops_its_job(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("Train")])
    pipelines.advance(60)
    name = resource_name(_step(sm, arn, "Train"))
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert sm.describe_training_job(TrainingJobName=name)["TrainingJobStatus"] == "Stopping"
    pipelines.run_until_idle()
    assert sm.describe_training_job(TrainingJobName=name)["TrainingJobStatus"] == "Stopped"
    assert _step(sm, arn, "Train")["StepStatus"] == "Stopped"


def test_processing_job(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [processing_step("Prep", outputs={"train": "s3://bucket/train"})])
    pipelines.advance(1)
    step = _step(sm, arn, "Prep")
    assert set(step["Metadata"]) == {"ProcessingJob"}
    name = resource_name(step)
    assert JOB_NAME.match(name) is not None
    assert sm.describe_processing_job(ProcessingJobName=name)["ProcessingJobStatus"] == "InProgress"
    pipelines.run_until_idle()
    job = sm.describe_processing_job(ProcessingJobName=name)
    assert job["ProcessingJobStatus"] == "Completed"
    assert job["ProcessingJobArn"] == resource_arn(step)


def test_long_step_names_give_valid_job_names(pipelines: PipelinesMock, sm: Any) -> None:
    long_name = "A-Very-Long-Step-Name-" + "x" * 40
    assert len(long_name) <= 64
    arn = run(sm, [training_step(long_name)])
    name = resource_name(step_list(sm, arn)[0])
    assert len(name) <= 63
    assert name.startswith(f"pipelines-{arn.rsplit('/', 1)[-1]}-a-very-long-step-name-")
    assert sm.describe_training_job(TrainingJobName=name)["TrainingJobName"] == name


def test_training_artifacts_feed_the_model_and_the_transform(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = [
        training_step("Train"),
        model_step("CreateModel", ARTIFACTS),
        transform_step("Score", get("Steps.CreateModel.ModelName")),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    found = steps_by_name(sm, arn)
    training = sm.describe_training_job(TrainingJobName=resource_name(found["Train"]))
    artifacts = training["ModelArtifacts"]["S3ModelArtifacts"]
    assert (
        artifacts == f"s3://example-bucket/output/{training['TrainingJobName']}/output/model.tar.gz"
    )

    model_name = resource_name(found["CreateModel"])
    assert JOB_NAME.match(model_name) is not None
    model = sm.describe_model(ModelName=model_name)
    assert model["ModelArn"] == found["CreateModel"]["Metadata"]["Model"]["Arn"]
    assert model["PrimaryContainer"]["ModelDataUrl"] == artifacts

    transform = sm.describe_transform_job(TransformJobName=resource_name(found["Score"]))
    assert transform["ModelName"] == model_name
    assert transform["TransformJobStatus"] == "Completed"
    assert transform["TransformJobArn"] == found["Score"]["Metadata"]["TransformJob"]["Arn"]


def test_processing_output_feeds_training_input(pipelines: PipelinesMock, sm: Any) -> None:
    train_uri = get("Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri")
    training = with_arguments(
        training_step("Train"),
        InputDataConfig=[
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": train_uri}},
            }
        ],
    )
    prep = processing_step(
        "Prep",
        outputs={
            "train": join("/", "s3://bucket", {"Get": "Execution.PipelineExecutionId"}, "train"),
            "test": "s3://bucket/test",
        },
    )
    arn = run(sm, [training, prep])
    pipelines.advance(301)
    found = steps_by_name(sm, arn)
    assert found["Prep"]["StepStatus"] == "Succeeded"
    assert found["Train"]["StepStatus"] == "Starting"
    job = sm.describe_training_job(TrainingJobName=resource_name(found["Train"]))
    uri = job["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
    assert uri == f"s3://bucket/{arn.rsplit('/', 1)[-1]}/train"


def test_register_model_creates_a_model_package(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(
        sm,
        [training_step("Train"), register_model_step("Register", ARTIFACTS, group="Abalone-Group")],
    )
    pipelines.run_until_idle()
    assert status(sm, arn) == "Succeeded"
    step = _step(sm, arn, "Register")
    package_arn = step["Metadata"]["RegisterModel"]["Arn"]
    assert package_arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/abalone-group/1"
    package = sm.describe_model_package(ModelPackageName=package_arn)
    assert package["ModelPackageGroupName"] == "Abalone-Group"
    assert package["ModelPackageStatus"] == "Completed"
    training = sm.describe_training_job(TrainingJobName=resource_name(_step(sm, arn, "Train")))
    container = package["InferenceSpecification"]["Containers"][0]
    assert container["ModelDataUrl"] == training["ModelArtifacts"]["S3ModelArtifacts"]


def test_scripted_properties_override_derived_ones(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Train").succeeds(
        properties={"ModelArtifacts": {"S3ModelArtifacts": "s3://elsewhere/model.tar.gz"}}
    )
    arn = run(sm, [training_step("Train"), model_step("CreateModel", ARTIFACTS)])
    pipelines.run_until_idle()
    model = sm.describe_model(ModelName=resource_name(_step(sm, arn, "CreateModel")))
    assert model["PrimaryContainer"]["ModelDataUrl"] == "s3://elsewhere/model.tar.gz"


def test_scripted_property_in_a_fail_message(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Train").succeeds(
        properties={"FinalMetricDataList": [{"MetricName": "mse", "Value": 7.5}]}
    )
    message = join(" ", "mse was", get("Steps.Train.FinalMetricDataList[0].Value"))
    arn = run(sm, [training_step("Train"), fail_step("Stop", message, depends_on=["Train"])])
    pipelines.run_until_idle()
    assert _step(sm, arn, "Stop")["FailureReason"] == "mse was 7.5"


EVAL_OUTPUT = "s3://eval-bucket/evaluation"
REPORT = {
    "PropertyFileName": "EvaluationReport",
    "OutputName": "evaluation",
    "FilePath": "metrics/evaluation.json",
}


def _evaluation_pipeline() -> list[dict[str, Any]]:
    mse = {
        "Std:JsonGet": {
            "PropertyFile": get("Steps.Eval.PropertyFiles.EvaluationReport"),
            "Path": "regression_metrics.mse.value",
        }
    }
    return [
        processing_step("Eval", outputs={"evaluation": EVAL_OUTPUT}, property_files=[REPORT]),
        condition_step(
            "Check",
            [{"Type": "LessThanOrEqualTo", "LeftValue": mse, "RightValue": 6.0}],
            if_steps=[model_step("Good", "s3://bucket/model.tar.gz")],
            else_steps=[fail_step("Bad", join(" ", "mse too high:", mse))],
        ),
    ]


@pytest.mark.parametrize(
    ("mse", "taken", "final"), [(2.5, "Good", "Succeeded"), (8.25, "Bad", "Failed")]
)
def test_json_get_reads_the_property_file_from_s3(
    pipelines: PipelinesMock, sm: Any, mse: float, taken: str, final: str
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="eval-bucket")
    s3.put_object(
        Bucket="eval-bucket",
        Key="evaluation/metrics/evaluation.json",
        Body=json.dumps({"regression_metrics": {"mse": {"value": mse}}}).encode(),
    )
    arn = run(sm, _evaluation_pipeline())
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert set(found) == {"Eval", "Check", taken}
    assert found["Check"]["Metadata"]["Condition"]["Outcome"] == (
        "True" if taken == "Good" else "False"
    )
    assert status(sm, arn) == final
    if taken == "Bad":
        assert found["Bad"]["FailureReason"] == f"mse too high: {mse}"


def test_json_get_reads_scripted_property_file(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Eval").succeeds(
        property_files={"EvaluationReport": {"regression_metrics": {"mse": {"value": 9}}}}
    )
    arn = run(sm, _evaluation_pipeline())
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert set(found) == {"Eval", "Check", "Bad"}
    assert found["Bad"]["FailureReason"] == "mse too high: 9"


def test_missing_property_file_fails_the_reading_step(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, _evaluation_pipeline())
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert found["Eval"]["StepStatus"] == "Succeeded"
    assert found["Check"]["StepStatus"] == "Failed"
    assert found["Check"]["FailureReason"]
    assert set(found) == {"Eval", "Check"}
    assert status(sm, arn) == "Failed"


def test_each_execution_registers_its_own_jobs(pipelines: PipelinesMock, sm: Any) -> None:
    run(sm, [training_step("Train")])
    start(sm)
    pipelines.run_until_idle()
    jobs = sm.list_training_jobs()["TrainingJobSummaries"]
    assert len(jobs) == 2
    assert {j["TrainingJobStatus"] for j in jobs} == {"Completed"}
    assert len({j["TrainingJobName"] for j in jobs}) == 2


def test_job_times_come_from_the_simulated_clock(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("Train")])
    pipelines.advance(100)
    step = _step(sm, arn, "Train")
    job = sm.describe_training_job(TrainingJobName=resource_name(step))
    assert job["CreationTime"] == step["StartTime"]
    assert "TrainingTimeInSeconds" not in job and "BillableTimeInSeconds" not in job
    pipelines.run_until_idle()
    step = _step(sm, arn, "Train")
    job = sm.describe_training_job(TrainingJobName=resource_name(step))
    assert job["TrainingEndTime"] == step["EndTime"]
    seconds = int((job["TrainingEndTime"] - job["TrainingStartTime"]).total_seconds())
    assert seconds > 100
    assert job["TrainingTimeInSeconds"] == job["BillableTimeInSeconds"] == seconds


def test_stopped_job_reports_the_seconds_it_trained(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [training_step("Train")])
    pipelines.advance(60)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()
    job = sm.describe_training_job(TrainingJobName=resource_name(_step(sm, arn, "Train")))
    assert job["TrainingJobStatus"] == "Stopped"
    assert job["TrainingTimeInSeconds"] == job["BillableTimeInSeconds"] >= 60


def test_a_training_job_created_through_moto_answers_as_plain_moto(
    pipelines: PipelinesMock, sm: Any
) -> None:
    sm.create_training_job(
        TrainingJobName="direct",
        AlgorithmSpecification={"TrainingImage": "image:latest", "TrainingInputMode": "File"},
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Role",
        OutputDataConfig={"S3OutputPath": "s3://bucket/out"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    job = sm.describe_training_job(TrainingJobName="direct")
    assert job["TrainingJobStatus"] == "Completed"  # moto's own: complete at once
    assert "TrainingTimeInSeconds" not in job and "BillableTimeInSeconds" not in job


def test_execution_job_name_variable_is_the_jobs_name(pipelines: PipelinesMock, sm: Any) -> None:
    policy = {"ExceptionType": ["SageMaker.CAPACITY_ERROR"], "IntervalSeconds": 5}
    training = with_arguments(
        training_step("Train", RetryPolicies=[policy]),
        HyperParameters={"job": get("Execution.TrainingJobName")},
    )
    processing = processing_step(
        "Prep", outputs={"out": join("/", "s3://bucket", get("Execution.ProcessingJobName"))}
    )
    pipelines.step("Train").fails(
        "x", exception_type="SageMaker.CAPACITY_ERROR", after=10
    ).succeeds()
    arn = run(sm, [training, processing])
    pipelines.advance(1)
    found = steps_by_name(sm, arn)
    first = sm.describe_training_job(TrainingJobName=resource_name(found["Train"]))
    assert first["HyperParameters"] == {"job": first["TrainingJobName"]}
    prep = sm.describe_processing_job(ProcessingJobName=resource_name(found["Prep"]))
    assert prep["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"] == (
        f"s3://bucket/{prep['ProcessingJobName']}"
    )
    pipelines.run_until_idle()
    retried = sm.describe_training_job(TrainingJobName=resource_name(_step(sm, arn, "Train")))
    assert retried["TrainingJobName"] != first["TrainingJobName"]
    assert retried["HyperParameters"] == {"job": retried["TrainingJobName"]}
    assert status(sm, arn) == "Succeeded"


def test_unresolvable_reference_fails_the_step_when_it_starts(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = [
        training_step("Train"),
        model_step("CreateModel", get("Steps.Train.NoSuchProperty")),
        transform_step("Score", get("Steps.CreateModel.ModelName")),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()
    found = steps_by_name(sm, arn)
    assert set(found) == {"Train", "CreateModel"}
    failed = found["CreateModel"]
    assert failed["StepStatus"] == "Failed"
    assert failed["FailureReason"].startswith("ClientError: ")
    assert "NoSuchProperty" in failed["FailureReason"]
    assert failed["StartTime"] == found["Train"]["EndTime"]
    assert sm.list_models()["Models"] == []
    assert status(sm, arn) == "Failed"


def test_moto_training_jobs_are_its_own_again_after_the_mock_stops() -> None:
    original = vars(FakeTrainingJob).get("response_object")
    with mock_sagemaker_pipelines(report="off"):
        assert vars(FakeTrainingJob).get("response_object") is not original
        with mock_sagemaker_pipelines(report="off"):
            pass
        assert vars(FakeTrainingJob).get("response_object") is not original  # outer still runs
    assert vars(FakeTrainingJob).get("response_object") is original
