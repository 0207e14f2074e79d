"""Job handlers (issue 13): the test's own Python code stands in for a job step's job.

A handler registered with ``pipelines.job_handler(step_name)`` gets the step's resolved
Arguments and a context; it may write the step's outputs (property files are then read from
moto's S3), return properties, raise to fail the step, and declare a simulated duration.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import JobContext, JobFailed, PipelinesMock, mock_sagemaker_pipelines

from .support import (
    ACCOUNT,
    EXAMPLE_ACCOUNT,
    REGION,
    condition_step,
    fail_step,
    get,
    join,
    lambda_step,
    parameter,
    processing_step,
    resource_name,
    run,
    session_in_account,
    status,
    steps_by_name,
    training_step,
    with_arguments,
)

EVAL_URI = "s3://example-bucket/eval"
REPORT = {"PropertyFileName": "Report", "OutputName": "evaluation", "FilePath": "evaluation.json"}
STEP_FAILURE = "Step failure: One or multiple steps failed."


def mse_below(threshold: float) -> dict[str, Any]:
    """A Condition: the Report's ``mse`` is below ``threshold``."""
    return {
        "Type": "LessThan",
        "LeftValue": {
            "Std:JsonGet": {
                "PropertyFile": get("Steps.Evaluate.PropertyFiles.Report"),
                "Path": "mse",
            }
        },
        "RightValue": threshold,
    }


def evaluate_then_check(threshold: float = 5.0) -> list[dict[str, Any]]:
    """Evaluate (Processing, writes the Report) -> Check (Condition on it) -> Register | Reject."""
    evaluate = processing_step(
        "Evaluate",
        outputs={"evaluation": join("/", EVAL_URI, get("Execution.PipelineExecutionId"))},
        property_files=[REPORT],
    )
    check = condition_step(
        "Check",
        [mse_below(threshold)],
        if_steps=[training_step("Register")],
        else_steps=[fail_step("Reject", "mse too high")],
    )
    return [evaluate, check]


def test_a_handler_writes_the_property_file_a_condition_reads(
    pipelines: PipelinesMock, sm: Any
) -> None:
    seen: list[tuple[dict[str, Any], JobContext]] = []

    @pipelines.job_handler("Evaluate")
    def evaluate(arguments: dict[str, Any], context: JobContext) -> None:
        seen.append((arguments, context))
        context.write_property_file("Report", {"mse": 3.5})

    arn = run(sm, evaluate_then_check())
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    steps = steps_by_name(sm, arn)
    assert steps["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
    assert "Register" in steps and "Reject" not in steps
    arguments, context = seen[0]
    execution_id = arn.rsplit("/", 1)[-1]
    output = arguments["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"]
    assert output == f"{EVAL_URI}/{execution_id}"
    assert context.outputs == {"evaluation": output}
    assert context.property_files == {"Report": f"{output}/evaluation.json"}
    assert (context.execution_arn, context.step_name, context.attempt) == (arn, "Evaluate", 1)
    assert context.job_name == resource_name(steps["Evaluate"])
    body = boto3.client("s3", region_name=REGION).get_object(
        Bucket="example-bucket", Key=f"eval/{execution_id}/evaluation.json"
    )["Body"]
    assert json.loads(body.read()) == {"mse": 3.5}


def test_a_handler_may_write_with_its_own_boto3_client(pipelines: PipelinesMock, sm: Any) -> None:
    def evaluate(arguments: dict[str, Any], context: JobContext) -> None:
        bucket, key = context.property_files["Report"][len("s3://") :].split("/", 1)
        context.client("s3").put_object(Bucket=bucket, Key=key, Body=b'{"mse": 9.0}')

    pipelines.job_handler("Evaluate", evaluate)
    boto3.client("s3", region_name=REGION).create_bucket(Bucket="example-bucket")
    arn = run(sm, evaluate_then_check())
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert steps["Check"]["Metadata"]["Condition"]["Outcome"] == "False"
    assert steps["Reject"]["FailureReason"] == "mse too high"


def test_returned_properties_reach_downstream_steps(pipelines: PipelinesMock, sm: Any) -> None:
    events: list[dict[str, Any]] = []

    @pipelines.job_handler("Train")
    def train(arguments: dict[str, Any], context: JobContext) -> dict[str, Any]:
        return {"ModelArtifacts": {"S3ModelArtifacts": "s3://models/best.tar.gz"}}

    @pipelines.lambda_function("deploy")
    def deploy(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        return {}

    publish = lambda_step(
        "Deploy", "deploy", arguments={"model": get("Steps.Train.ModelArtifacts.S3ModelArtifacts")}
    )
    arn = run(sm, [training_step("Train"), publish])
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    assert events == [{"model": "s3://models/best.tar.gz"}]


def test_a_raising_handler_fails_the_step_and_the_execution(
    pipelines: PipelinesMock, sm: Any
) -> None:
    @pipelines.job_handler("Train")
    def train(arguments: dict[str, Any], context: JobContext) -> None:
        raise RuntimeError("no data in the channel")

    arn = run(sm, [training_step("Train"), training_step("After", depends_on=["Train"])])
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    assert steps["Train"]["StepStatus"] == "Failed"
    assert steps["Train"]["FailureReason"] == (
        "AlgorithmError: RuntimeError('no data in the channel'), exit code: 1"
    )
    assert "After" not in steps
    job = sm.describe_training_job(TrainingJobName=resource_name(steps["Train"]))
    assert job["TrainingJobStatus"] == "Failed"
    assert sm.describe_pipeline_execution(PipelineExecutionArn=arn)["FailureReason"] == (
        STEP_FAILURE
    )


def test_job_failed_chooses_the_reason_and_the_retry(pipelines: PipelinesMock, sm: Any) -> None:
    attempts: list[int] = []

    @pipelines.job_handler("Train")
    def train(arguments: dict[str, Any], context: JobContext) -> None:
        attempts.append(context.attempt)
        if context.attempt == 1:
            raise JobFailed("CapacityError: no ml.p4d capacity", "SageMaker.CAPACITY_ERROR")

    retry = [{"ExceptionType": ["SageMaker.CAPACITY_ERROR"], "MaxAttempts": 2}]
    arn = run(sm, [training_step("Train", RetryPolicies=retry)])
    pipelines.run_until_idle()

    train_step = steps_by_name(sm, arn)["Train"]
    assert (train_step["StepStatus"], train_step["AttemptCount"]) == ("Succeeded", 2)
    assert attempts == [1, 2]


def test_declared_duration_and_context_duration(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.job_handler("First", lambda arguments, context: None, duration=42)

    def second(arguments: dict[str, Any], context: JobContext) -> None:
        context.duration = 7

    pipelines.job_handler("Second", second, duration=1000)
    arn = run(sm, [training_step("First"), training_step("Second", depends_on=["First"])])
    pipelines.run_until_idle()

    steps = steps_by_name(sm, arn)
    for name, seconds in (("First", 43), ("Second", 8)):
        elapsed = steps[name]["EndTime"] - steps[name]["StartTime"]
        assert elapsed.total_seconds() == seconds


def test_a_handler_past_max_runtime_fails_when_it_is_reached(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.job_handler("Train", lambda arguments, context: None, duration=100)
    train = with_arguments(training_step("Train"), StoppingCondition={"MaxRuntimeInSeconds": 50})
    arn = run(sm, [train])
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Train"]
    assert step["StepStatus"] == "Failed"
    assert "MaxRuntimeInSeconds (50 seconds; it needed 100)" in step["FailureReason"]
    assert (step["EndTime"] - step["StartTime"]).total_seconds() == 51


@pytest.mark.parametrize(
    ("returned", "words"),
    [(["not", "a", "dict"], "not list"), ({"when": object()}, "a value that is not JSON")],
)
def test_a_handler_returning_the_wrong_shape_fails_the_step(
    pipelines: PipelinesMock, sm: Any, returned: Any, words: str
) -> None:
    pipelines.job_handler("Train", lambda arguments, context: returned)
    arn = run(sm, [training_step("Train")])
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Train"]
    assert step["StepStatus"] == "Failed"
    assert "must return None or a dict of properties" in step["FailureReason"]
    assert words in step["FailureReason"]
    assert status(sm, arn) == "Failed"


def test_a_write_outside_the_outputs_fails_the_step_and_is_undone(
    pipelines: PipelinesMock, sm: Any
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="other-bucket")
    s3.put_object(Bucket="other-bucket", Key="kept.txt", Body=b"before")

    @pipelines.job_handler("Evaluate")
    def evaluate(arguments: dict[str, Any], context: JobContext) -> None:
        context.write_property_file("Report", {"mse": 1.0})
        context.put_object("s3://other-bucket/kept.txt", "after")
        context.put_object("s3://other-bucket/new.txt", "stray")

    arn = run(sm, evaluate_then_check())
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Evaluate"]
    assert step["StepStatus"] == "Failed"
    assert "wrote s3://other-bucket/kept.txt, s3://other-bucket/new.txt" in step["FailureReason"]
    assert "outside the step's outputs" in step["FailureReason"]
    assert s3.get_object(Bucket="other-bucket", Key="kept.txt")["Body"].read() == b"before"
    with pytest.raises(ClientError):
        s3.get_object(Bucket="other-bucket", Key="new.txt")
    assert status(sm, arn) == "Failed"


def test_clients_are_in_the_execution_account_and_region() -> None:
    with mock_sagemaker_pipelines() as pipelines:
        session = session_in_account(EXAMPLE_ACCOUNT, "eu-west-1")
        session.client("s3").create_bucket(
            Bucket="eu-outputs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        sm = session.client("sagemaker")

        @pipelines.job_handler("Train")
        def train(arguments: dict[str, Any], context: JobContext) -> None:
            assert (context.account_id, context.region_name) == (EXAMPLE_ACCOUNT, "eu-west-1")
            client = context.client("s3")
            assert client.meta.region_name == "eu-west-1"
            client.put_object(Bucket="eu-outputs", Key="output/model.txt", Body=b"m")

        train_step = with_arguments(
            training_step("Train"), OutputDataConfig={"S3OutputPath": "s3://eu-outputs/output"}
        )
        arn = run(sm, [train_step])
        pipelines.run_until_idle()

        assert status(sm, arn) == "Succeeded"
        body = session.client("s3").get_object(Bucket="eu-outputs", Key="output/model.txt")
        assert body["Body"].read() == b"m"
        default = boto3.client("s3", region_name=REGION)
        assert "eu-outputs" not in [b["Name"] for b in default.list_buckets()["Buckets"]]


def test_a_handler_wins_over_a_scripted_outcome(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Train").fails("ClientError: scripted")
    pipelines.job_handler("Train", lambda arguments, context: None)
    arn = run(sm, [training_step("Train")])
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"


def test_registration_refuses_bad_handlers_and_durations(pipelines: PipelinesMock) -> None:
    with pytest.raises(TypeError, match="must be callable"):
        pipelines.job_handler("Train", "not a function")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="duration"):
        pipelines.job_handler("Train", lambda a, c: None, duration=-1)
    with pytest.raises(TypeError, match="step name"):
        pipelines.job_handler(None)  # type: ignore[arg-type]
    assert pipelines.simulation.job_handlers == {}


def test_a_missing_property_file_says_how_to_script_it(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, evaluate_then_check())
    pipelines.run_until_idle()

    reason = steps_by_name(sm, arn)["Check"]["FailureReason"]
    assert reason.startswith("ClientError: Property file 'Report' of step 'Evaluate' could not")
    assert "NoSuchBucket" in reason
    assert "pipelines.step('Evaluate').succeeds(property_files={'Report': {...}})" in reason
    assert "context.write_property_file('Report', ...)" in reason
    assert len(reason) <= 1024


def test_the_controller_lists_the_property_files_a_definition_reads(
    pipelines: PipelinesMock, sm: Any
) -> None:
    steps = evaluate_then_check()
    run(sm, steps, parameters=[parameter("Unused", "String", "x")])

    (use,) = pipelines.property_files("pipe")
    assert (use.step_name, use.property_file, use.output_name) == (
        "Evaluate",
        "Report",
        "evaluation",
    )
    assert use.location == f"{EVAL_URI}/<Get Execution.PipelineExecutionId>/evaluation.json"
    assert use.readers == [("Check", "mse")]
    assert "context.write_property_file('Report', ...)" in use.describe()
    assert pipelines.property_files({"Version": "2020-12-01", "Steps": steps}) == [use]
    with pytest.raises(ValueError, match="neither a pipeline definition nor a pipeline name"):
        pipelines.property_files("no-such-pipeline")


def test_handlers_are_the_same_in_every_account(pipelines: PipelinesMock) -> None:
    calls: list[str] = []
    pipelines.job_handler("Train", lambda arguments, context: calls.append(context.account_id))
    for account in (ACCOUNT, EXAMPLE_ACCOUNT):
        sm = session_in_account(account).client("sagemaker")
        run(sm, [training_step("Train")])
    pipelines.run_until_idle()

    assert sorted(calls) == sorted([ACCOUNT, EXAMPLE_ACCOUNT])


def test_a_handler_in_server_mode_writes_through_the_server() -> None:
    from mock_sagemaker_pipelines.server import PipelinesServer

    with PipelinesServer(port=0) as server:

        @server.controller.job_handler("Evaluate")
        def evaluate(arguments: dict[str, Any], context: JobContext) -> None:
            bucket, key = context.property_files["Report"][len("s3://") :].split("/", 1)
            context.client("s3").put_object(Bucket=bucket, Key=key, Body=b'{"mse": 1.0}')

        def remote(service: str) -> Any:
            return boto3.client(
                service,
                endpoint_url=server.url,
                region_name=REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )

        remote("s3").create_bucket(Bucket="example-bucket")
        sm = remote("sagemaker")
        arn = run(sm, evaluate_then_check())
        server.controller.run_until_idle()

        try:
            assert steps_by_name(sm, arn)["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
            assert status(sm, arn) == "Succeeded"
        finally:
            requests.post(f"{server.url}/moto-api/reset", timeout=30)


def handler_scenario(pipelines: PipelinesMock) -> tuple[str, str]:
    """Register the Report-writing handler, run Evaluate -> Check; (status, Check's outcome)."""
    pipelines.job_handler("Evaluate", lambda a, c: c.write_property_file("Report", {"mse": 0.5}))
    sm = boto3.client("sagemaker", region_name=REGION)
    arn = run(sm, evaluate_then_check(), name="styles")
    pipelines.run_until_idle()
    return status(sm, arn), steps_by_name(sm, arn)["Check"]["Metadata"]["Condition"]["Outcome"]


@mock_sagemaker_pipelines
def test_the_handler_works_under_the_decorator(pipelines: PipelinesMock) -> None:
    assert handler_scenario(pipelines) == ("Succeeded", "True")


@pytest.mark.sagemaker_pipelines(seed=5)
def test_the_handler_works_with_the_fixture_and_marker(
    sagemaker_pipelines: PipelinesMock,
) -> None:
    assert handler_scenario(sagemaker_pipelines) == ("Succeeded", "True")


def test_the_handler_works_in_the_context_manager() -> None:
    with mock_sagemaker_pipelines(seed=5) as pipelines:
        assert handler_scenario(pipelines) == ("Succeeded", "True")
