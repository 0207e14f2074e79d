"""The three shipped real definitions (examples/definitions) simulated to their natural end.

Their SQS queues and Lambda functions live in account 111122223333 (the placeholder account of
the examples), region us-east-1; the pipelines themselves run in the test account.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock

from .support import (
    REGION,
    ROLE,
    real_definition,
    resource_name,
    start,
    status,
    step_list,
    steps_by_name,
)

EXAMPLE_ACCOUNT = "111122223333"
QUEUE_01 = "pipeline_callbacks_glue_prep"
QUEUE_05 = "AutopilotSagemakerPipelinesSqsCallback"
START_AUTOPILOT = f"arn:aws:lambda:{REGION}:{EXAMPLE_ACCOUNT}:function:StartSagemakerAutopilotJob"
REGISTER_AUTOPILOT = (
    f"arn:aws:lambda:{REGION}:{EXAMPLE_ACCOUNT}:function:RegisterSagemakerAutopilotModel"
)


@contextmanager
def _in_example_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Requests made inside go to moto as account 111122223333."""
    with monkeypatch.context() as patch:
        patch.setenv("MOTO_ACCOUNT_ID", EXAMPLE_ACCOUNT)
        yield


def _queue(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[Any, str]:
    sqs = boto3.client("sqs", region_name=REGION)
    with _in_example_account(monkeypatch):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
    assert url == f"https://sqs.{REGION}.amazonaws.com/{EXAMPLE_ACCOUNT}/{name}"
    return sqs, url


def _receive(monkeypatch: pytest.MonkeyPatch, sqs: Any, url: str) -> list[dict[str, Any]]:
    with _in_example_account(monkeypatch):
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return [json.loads(m["Body"]) for m in messages]


def _create(sm: Any, prefix: str, name: str) -> None:
    sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=real_definition(prefix))


def _names(sm: Any, arn: str) -> list[str]:
    return [s["StepName"] for s in step_list(sm, arn)]


# ---------------------------------------------------------------------------- 01
def test_01_callback_train_model_transform(
    pipelines: PipelinesMock, sm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs, url = _queue(monkeypatch, QUEUE_01)
    _create(sm, "01", "taxi")
    arn = start(
        sm,
        "taxi",
        PipelineParameters=[
            {"Name": "TrainingInstanceCount", "Value": "2"},
            {"Name": "IdOut", "Value": "run42"},
        ],
    )
    pipelines.run_until_idle()
    assert status(sm, arn) == "Executing"
    assert _names(sm, arn) == ["GluePrepCallbackStep"]

    (message,) = _receive(monkeypatch, sqs, url)
    assert message["pipelineExecutionArn"] == arn
    assert message["arguments"] == {
        "input_location": "s3://example-bucket/taxi/",
        "output_location": "s3://example-bucket/taxi_output/run42",
    }
    callback = step_list(sm, arn)[0]["Metadata"]["Callback"]
    assert callback["CallbackToken"] == message["token"]
    assert callback["SqsQueueUrl"] == url

    prepared = "s3://example-bucket/taxi_output/run42/prepared/"
    sm.send_pipeline_execution_step_success(
        CallbackToken=message["token"],
        OutputParameters=[{"Name": "s3_data_out", "Value": prepared}],
    )
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    assert _names(sm, arn) == [
        "TaxiTransform",
        "TaxiModel-CreateModel",
        "TrainModel",
        "GluePrepCallbackStep",
    ]
    found = steps_by_name(sm, arn)
    assert found["GluePrepCallbackStep"]["Metadata"]["Callback"]["OutputParameters"] == [
        {"Name": "s3_data_out", "Value": prepared}
    ]
    training = sm.describe_training_job(TrainingJobName=resource_name(found["TrainModel"]))
    assert training["TrainingJobStatus"] == "Completed"
    (channel,) = training["InputDataConfig"]
    assert channel["ChannelName"] == "train"
    assert channel["DataSource"]["S3DataSource"]["S3Uri"] == prepared
    assert training["ResourceConfig"]["InstanceCount"] == 2
    model = sm.describe_model(ModelName=resource_name(found["TaxiModel-CreateModel"]))
    assert (
        model["PrimaryContainer"]["ModelDataUrl"] == training["ModelArtifacts"]["S3ModelArtifacts"]
    )
    transform = sm.describe_transform_job(TransformJobName=resource_name(found["TaxiTransform"]))
    assert transform["ModelName"] == model["ModelName"]
    assert transform["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] == prepared
    assert transform["TransformJobStatus"] == "Completed"


def test_01_callback_failure_fails_the_execution(
    pipelines: PipelinesMock, sm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs, url = _queue(monkeypatch, QUEUE_01)
    _create(sm, "01", "taxi")
    arn = start(sm, "taxi")
    pipelines.run_until_idle()
    (message,) = _receive(monkeypatch, sqs, url)
    assert (
        message["arguments"]["output_location"]
        == "s3://example-bucket/taxi_output/taxiout1700000000"
    )
    sm.send_pipeline_execution_step_failure(
        CallbackToken=message["token"], FailureReason="Glue job failed"
    )
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    (step,) = step_list(sm, arn)
    assert step["StepStatus"] == "Failed"
    assert step["FailureReason"] == "Glue job failed"
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []


# ---------------------------------------------------------------------------- 03
IF_STEPS = {
    "AbaloneRegisterModel-RegisterModel",
    "AbaloneCreateModel-CreateModel",
    "AbaloneTransform",
}
COMMON = {"AbaloneProcess", "AbaloneTrain", "AbaloneEval", "AbaloneMSECond"}


def _mse_report(mse: float) -> dict[str, Any]:
    return {"regression_metrics": {"mse": {"value": mse, "standard_deviation": 1.5}}}


def test_03_mse_below_threshold_registers_the_model(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("AbaloneEval").succeeds(property_files={"EvaluationReport": _mse_report(4.2)})
    _create(sm, "03", "abalone")
    arn = start(sm, "abalone")
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    found = steps_by_name(sm, arn)
    assert set(found) == COMMON | IF_STEPS
    assert "AbaloneMSEFail" not in found
    assert {s["StepStatus"] for s in found.values()} == {"Succeeded"}
    assert found["AbaloneMSECond"]["Metadata"]["Condition"]["Outcome"] == "True"
    assert _names(sm, arn)[-4:] == [
        "AbaloneMSECond",
        "AbaloneEval",
        "AbaloneTrain",
        "AbaloneProcess",
    ]

    execution_id = arn.rsplit("/", 1)[-1]
    training = sm.describe_training_job(TrainingJobName=resource_name(found["AbaloneTrain"]))
    channels = {
        c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
        for c in training["InputDataConfig"]
    }
    base = f"s3://example-bucket/AbalonePipeline/{execution_id}/AbaloneProcess/output"
    assert channels == {"train": f"{base}/train", "validation": f"{base}/validation"}

    package_arn = found["AbaloneRegisterModel-RegisterModel"]["Metadata"]["RegisterModel"]["Arn"]
    assert package_arn.endswith(":model-package/abalonemodelpackagegroupname/1")
    package = sm.describe_model_package(ModelPackageName=package_arn)
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    assert (
        package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
        == (training["ModelArtifacts"]["S3ModelArtifacts"])
    )
    transform = sm.describe_transform_job(TransformJobName=resource_name(found["AbaloneTransform"]))
    assert transform["ModelName"] == resource_name(found["AbaloneCreateModel-CreateModel"])


def test_03_mse_above_threshold_fails(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("AbaloneEval").succeeds(property_files={"EvaluationReport": _mse_report(7.9)})
    _create(sm, "03", "abalone")
    arn = start(sm, "abalone")
    pipelines.run_until_idle()

    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == "Step failure: One or multiple steps failed."
    listed = step_list(sm, arn)
    assert [s["StepName"] for s in listed][:2] == ["AbaloneMSEFail", "AbaloneMSECond"]
    assert {s["StepName"] for s in listed} == COMMON | {"AbaloneMSEFail"}
    fail = listed[0]
    assert fail["StepStatus"] == "Failed"
    assert fail["FailureReason"] == "Execution failed due to MSE > 6.0"
    assert fail["Metadata"] == {"Fail": {"ErrorMessage": "Execution failed due to MSE > 6.0"}}
    assert listed[1]["Metadata"]["Condition"]["Outcome"] == "False"
    assert sm.list_model_packages()["ModelPackageSummaryList"] == []
    (summary,) = sm.list_pipeline_executions(PipelineName="abalone")["PipelineExecutionSummaries"]
    assert "Step failure: One or multiple steps failed" in summary["PipelineExecutionFailureReason"]


def test_03_reads_the_evaluation_report_from_s3(pipelines: PipelinesMock, sm: Any) -> None:
    definition = json.loads(real_definition("03"))
    (evaluation,) = definition["Steps"][2]["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    uri = evaluation["S3Output"]["S3Uri"]
    assert isinstance(uri, str)
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=bucket)
    s3.put_object(
        Bucket=bucket, Key=f"{prefix}/evaluation.json", Body=json.dumps(_mse_report(4.0)).encode()
    )

    _create(sm, "03", "abalone")
    arn = start(sm, "abalone", PipelineParameters=[{"Name": "MseThreshold", "Value": "3.5"}])
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    assert step_list(sm, arn)[0]["FailureReason"] == "Execution failed due to MSE > 3.5"


# ---------------------------------------------------------------------------- 05
def test_05_lambda_callback_processing_lambda(
    pipelines: PipelinesMock, sm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs, url = _queue(monkeypatch, QUEUE_05)
    events: dict[str, Any] = {}

    @pipelines.lambda_function(START_AUTOPILOT, duration=5)
    def start_autopilot(event: Any, context: Any) -> dict[str, Any]:
        events["start"] = event
        return {"statusCode": 200}

    @pipelines.lambda_function(REGISTER_AUTOPILOT)
    def register(event: Any, context: Any) -> dict[str, Any]:
        events["register"] = event
        return {"statusCode": 200}

    _create(sm, "05", "autopilot")
    arn = start(
        sm, "autopilot", PipelineParameters=[{"Name": "AutopilotJobName", "Value": "ap-job-7"}]
    )
    pipelines.run_until_idle()
    assert status(sm, arn) == "Executing"
    assert _names(sm, arn) == ["CheckAutopilotJobStatusCallbackStep", "StartAutopilotJobStep"]
    assert events["start"]["AutopilotJobName"] == "ap-job-7"
    assert events["start"]["MaxCandidates"] == 16
    assert "register" not in events

    (message,) = _receive(monkeypatch, sqs, url)
    assert message["arguments"] == {"AutopilotJobName": "ap-job-7"}
    sm.send_pipeline_execution_step_success(CallbackToken=message["token"])
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    assert _names(sm, arn) == [
        "RegisterAutopilotModelStep",
        "EvaluateBestAutopilotModelStep",
        "CheckAutopilotJobStatusCallbackStep",
        "StartAutopilotJobStep",
    ]
    found = steps_by_name(sm, arn)
    assert found["StartAutopilotJobStep"]["Metadata"]["Lambda"]["Arn"] == START_AUTOPILOT
    assert found["RegisterAutopilotModelStep"]["Metadata"]["Lambda"]["Arn"] == REGISTER_AUTOPILOT
    execution_id = arn.rsplit("/", 1)[-1]
    assert events["register"]["EvaluationReportS3Path"] == (
        f"s3://example-bucket/autopilot-demo-pipeline/{execution_id}/EvaluateBestAutopilotModelStep/output/EvaluationReport"
    )
    assert events["register"]["AutopilotJobName"] == "ap-job-7"
    processing = sm.describe_processing_job(
        ProcessingJobName=resource_name(found["EvaluateBestAutopilotModelStep"])
    )
    assert processing["ProcessingJobStatus"] == "Completed"
    assert "ap-job-7" in processing["AppSpecification"]["ContainerArguments"]


def test_05_with_scripted_outcomes(
    pipelines: PipelinesMock, sm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _queue(monkeypatch, QUEUE_05)
    pipelines.step("StartAutopilotJobStep").succeeds(after=3)
    pipelines.step("CheckAutopilotJobStatusCallbackStep").succeeds(after=3600)
    pipelines.step("RegisterAutopilotModelStep").fails("ClientError: model package quota", after=2)
    _create(sm, "05", "autopilot")
    arn = start(sm, "autopilot")
    pipelines.run_until_idle()
    assert status(sm, arn) == "Failed"
    found = steps_by_name(sm, arn)
    assert len(found) == 4
    assert found["RegisterAutopilotModelStep"]["StepStatus"] == "Failed"
    assert (
        found["RegisterAutopilotModelStep"]["FailureReason"] == "ClientError: model package quota"
    )
    callback = found["CheckAutopilotJobStatusCallbackStep"]
    assert (callback["EndTime"] - callback["StartTime"]).total_seconds() == pytest.approx(
        1 + 3600, abs=0.002
    )
