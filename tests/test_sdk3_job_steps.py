"""SDK 3.x job step kinds: Job (CreateJob) and EMRServerless steps, their Metadata, their
properties read downstream, retries, stops and failures; v3 ModelStep naming."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sagemaker_pipelines import PipelinesMock, UnknownStepWarning

from .support import (
    ACCOUNT,
    JOB_NAME,
    REGION,
    condition_step,
    create,
    emr_serverless_step,
    fail_step,
    get,
    job_step,
    join,
    model_step,
    register_model_step,
    run,
    session_in_account,
    start,
    status,
    step_list,
    steps_by_name,
    training_step,
)

DOCUMENT = {"OutputDataConfig": {"S3OutputPath": "s3://example-bucket/job/"}, "Epochs": 3}
JOB_ARN = re.compile(
    rf"^arn:aws:sagemaker:{REGION}:{ACCOUNT}:job/DataTransformation/(?P<name>pipelines-.+)$"
)
THROTTLING_RETRY = [{"ExceptionType": ["Step.THROTTLING"], "IntervalSeconds": 5, "MaxAttempts": 2}]


def _equals(left: Any, right: Any) -> dict[str, Any]:
    return {"Type": "Equals", "LeftValue": left, "RightValue": right}


def _checked(name: str, *conditions: dict[str, Any]) -> dict[str, Any]:
    """A Condition step whose else branch fails the execution."""
    return condition_step(
        "Check",
        list(conditions),
        else_steps=[fail_step("Wrong", "a property did not match")],
        depends_on=[name],
    )


def _application(emr_serverless: Any, name: str = "spark-app") -> str:
    response = emr_serverless.create_application(name=name, releaseLabel="emr-6.6.0", type="SPARK")
    return str(response["applicationId"])


# ----------------------------------------------------------------------------- Job steps
def test_job_step_metadata_and_describe_job_properties(pipelines: PipelinesMock, sm: Any) -> None:
    steps = [
        job_step("Customize", DOCUMENT),
        _checked(
            "Customize",
            _equals(get("Steps.Customize.JobStatus"), "Completed"),
            _equals(get("Steps.Customize.JobCategory"), "DataTransformation"),
            _equals(get("Steps.Customize.JobConfigDocument.Epochs"), 3),
            _equals(
                get("Steps.Customize.JobConfigDocument.OutputDataConfig.S3OutputPath"),
                "s3://example-bucket/job/",
            ),
        ),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    by_name = steps_by_name(sm, arn)
    match = JOB_ARN.match(by_name["Customize"]["Metadata"]["Job"]["Arn"])
    assert match is not None and JOB_NAME.match(match["name"])
    assert by_name["Check"]["Metadata"]["Condition"]["Outcome"] == "True"


def test_a_joined_job_config_document_is_read_as_json_downstream(
    pipelines: PipelinesMock, sm: Any
) -> None:
    """SDK 3.x scopes the output path per execution with a Std:Join (``JobStep.arguments``)."""
    path = join("/", "s3://example-bucket/out", get("Execution.PipelineExecutionId"), "")
    document = join("", '{"OutputDataConfig": {"S3OutputPath": "', path, '"}, "Foo": 1}')
    read_missing = fail_step(  # reads a member the document does not have
        "ReadMissing", join(" ", "never", get("Steps.Customize.JobConfigDocument.NoSuchMember"))
    )
    read = get("Steps.Customize.JobConfigDocument.OutputDataConfig.S3OutputPath")
    steps = [
        job_step("Customize", document),
        condition_step("Check", [_equals(read, path)], if_steps=[read_missing]),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()

    by_name = steps_by_name(sm, arn)
    assert by_name["Check"]["Metadata"]["Condition"]["Outcome"] == "True"
    assert by_name["ReadMissing"]["StepStatus"] == "Failed"
    assert by_name["ReadMissing"]["FailureReason"].startswith("ClientError: ")


def test_job_step_retries_with_a_new_job_each_attempt(pipelines: PipelinesMock, sm: Any) -> None:
    pipelines.step("Customize").fails(
        "ClientError: Rate exceeded", exception_type="Step.THROTTLING"
    ).succeeds()
    arn = run(sm, [job_step("Customize", DOCUMENT, RetryPolicies=THROTTLING_RETRY)])
    pipelines.advance(30)
    first = steps_by_name(sm, arn)["Customize"]["Metadata"]["Job"]["Arn"]
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Customize"]
    assert (step["StepStatus"], step["AttemptCount"]) == ("Succeeded", 2)
    assert step["Metadata"]["Job"]["Arn"] != first


def test_a_stopped_job_step_ends_stopped(pipelines: PipelinesMock, sm: Any) -> None:
    arn = run(sm, [job_step("Customize", DOCUMENT)])
    pipelines.advance(10)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert steps_by_name(sm, arn)["Customize"]["StepStatus"] == "Stopping"
    pipelines.run_until_idle()

    assert steps_by_name(sm, arn)["Customize"]["StepStatus"] == "Stopped"
    assert status(sm, arn) == "Stopped"


def test_describe_job_answers_for_each_attempt_of_a_job_step(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("Customize").fails(
        "ClientError: Rate exceeded", exception_type="Step.THROTTLING", after=20
    ).succeeds(after=40)
    arn = run(sm, [job_step("Customize", DOCUMENT, RetryPolicies=THROTTLING_RETRY)])
    pipelines.advance(10)
    first = JOB_ARN.match(steps_by_name(sm, arn)["Customize"]["Metadata"]["Job"]["Arn"])
    assert first is not None
    running = sm.describe_job(JobName=first["name"], JobCategory="DataTransformation")
    assert (running["JobStatus"], running["SecondaryStatus"]) == ("InProgress", "Executing")
    pipelines.run_until_idle()

    failed = sm.describe_job(JobName=first["name"], JobCategory="DataTransformation")
    assert (failed["JobStatus"], failed["FailureReason"]) == (
        "Failed",
        "ClientError: Rate exceeded",
    )
    last = JOB_ARN.match(steps_by_name(sm, arn)["Customize"]["Metadata"]["Job"]["Arn"])
    assert last is not None
    done = sm.describe_job(JobName=last["name"], JobCategory="DataTransformation")
    assert done["JobStatus"] == "Completed"
    assert done["JobArn"] == last.group(0)
    assert done["JobConfigDocument"] == job_step("x", DOCUMENT)["Arguments"]["JobConfigDocument"]
    assert (done["EndTime"] - done["CreationTime"]).total_seconds() == 40
    assert [t["Status"] for t in done["SecondaryStatusTransitions"]] == [
        "Starting",
        "Executing",
        "Completed",
    ]
    with pytest.raises(ClientError) as info:
        sm.describe_job(JobName=last["name"], JobCategory="SyntheticDataGeneration")
    assert info.value.response["Error"]["Code"] == "ResourceNotFound"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"JobNme": "x"}, "Unknown Argument member 'JobNme'."),
        ({"Tags": {"Key": "k"}}, "Expecting start of Json Array."),
        (
            {"RoleArn": {"Get": "Parameters.Count"}},
            "Cannot assign property reference [Parameters.Count] to argument of type [String].",
        ),
    ],
)
def test_bad_job_arguments_are_refused_at_create_pipeline(
    sm: Any, change: dict[str, Any], message: str
) -> None:
    step = job_step("Customize", DOCUMENT)
    step["Arguments"].update(change)
    with pytest.raises(ClientError) as info:
        create(sm, [step], [{"Name": "Count", "Type": "Integer", "DefaultValue": 1}])
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert message in info.value.response["Error"]["Message"]
    assert sm.list_pipelines()["PipelineSummaries"] == []


# ----------------------------------------------------------------------------- EMR Serverless
def test_emr_serverless_step_runs_a_job_run_in_moto(
    pipelines: PipelinesMock, sm: Any, emr_serverless: Any
) -> None:
    app = _application(emr_serverless)
    steps = [
        emr_serverless_step("Spark", application_id=app, log_uri="s3://example-bucket/logs/"),
        _checked(
            "Spark",
            _equals(get("Steps.Spark.jobRun.state"), "SUCCESS"),
            _equals(get("Steps.Spark.jobRun.applicationId"), app),
        ),
    ]
    arn = run(sm, steps)
    pipelines.advance(10)
    metadata = steps_by_name(sm, arn)["Spark"]["Metadata"]["EMRServerless"]
    job_run_id = metadata["JobRunId"]
    running = emr_serverless.get_job_run(applicationId=app, jobRunId=job_run_id)["jobRun"]
    assert running["state"] == "RUNNING"
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    assert metadata == {
        "ApplicationId": app,
        "JobRunId": job_run_id,
        "JobRunName": metadata["JobRunName"],
        "LogFilePath": f"s3://example-bucket/logs/applications/{app}/jobs/{job_run_id}",
    }
    assert JOB_NAME.match(metadata["JobRunName"])
    done = emr_serverless.get_job_run(applicationId=app, jobRunId=job_run_id)["jobRun"]
    assert (done["state"], done["name"]) == ("SUCCESS", metadata["JobRunName"])
    assert steps_by_name(sm, arn)["Check"]["Metadata"]["Condition"]["Outcome"] == "True"


def test_emr_serverless_with_application_config_creates_the_application(
    pipelines: PipelinesMock, sm: Any, emr_serverless: Any
) -> None:
    config = {"releaseLabel": "emr-6.6.0", "type": "SPARK"}
    arn = run(sm, [emr_serverless_step("Spark", application_config=config)])
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    metadata = steps_by_name(sm, arn)["Spark"]["Metadata"]["EMRServerless"]
    (application,) = emr_serverless.list_applications()["applications"]
    assert application["id"] == metadata["ApplicationId"]
    runs = emr_serverless.list_job_runs(applicationId=application["id"])["jobRuns"]
    assert [(r["id"], r["state"]) for r in runs] == [(metadata["JobRunId"], "SUCCESS")]
    assert "LogFilePath" not in metadata


def test_emr_serverless_on_a_missing_application_fails_like_the_service(
    pipelines: PipelinesMock, sm: Any
) -> None:
    arn = run(sm, [emr_serverless_step("Spark", application_id="00missing")])
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Spark"]
    assert step["StepStatus"] == "Failed"
    assert step["FailureReason"] == (
        "ClientError: ResourceNotFoundException: Application 00missing does not exist"
    )
    assert status(sm, arn) == "Failed"


def test_an_application_of_another_region_is_not_found(pipelines: PipelinesMock, sm: Any) -> None:
    other = session_in_account(ACCOUNT, "eu-west-1").client("emr-serverless")
    app = _application(other)
    arn = run(sm, [emr_serverless_step("Spark", application_id=app)])
    pipelines.run_until_idle()

    assert "ResourceNotFoundException" in steps_by_name(sm, arn)["Spark"]["FailureReason"]
    assert other.get_application(applicationId=app)["application"]["state"] == "STARTED"


def test_what_start_job_run_refuses_fails_the_step(
    pipelines: PipelinesMock, sm: Any, emr_serverless: Any
) -> None:
    step = emr_serverless_step("Spark", application_id=_application(emr_serverless))
    step["Arguments"]["JobConfig"]["executionTimeoutMinutes"] = 2
    arn = run(sm, [step])
    pipelines.run_until_idle()

    assert steps_by_name(sm, arn)["Spark"]["FailureReason"] == (
        "ClientError: ValidationException: RunTimeout must be at least 5 minutes."
    )


def test_a_scripted_emr_serverless_step_needs_no_application(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("Spark").succeeds(properties={"jobRun": {"state": "SUCCESS"}})
    arn = run(sm, [emr_serverless_step("Spark", application_id="00missing")])
    pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Spark"]
    assert step["StepStatus"] == "Succeeded"
    assert step["Metadata"]["EMRServerless"]["ApplicationId"] == "00missing"


def test_emr_serverless_failure_retry_and_stop_move_the_job_runs(
    pipelines: PipelinesMock, sm: Any, emr_serverless: Any
) -> None:
    app = _application(emr_serverless)
    pipelines.step("Spark").fails(
        "ClientError: Rate exceeded", exception_type="Step.THROTTLING", after=20
    )
    step = emr_serverless_step("Spark", application_id=app, RetryPolicies=THROTTLING_RETRY)
    arn = run(sm, [step])
    pipelines.advance(40)  # first attempt failed, the second one is running
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    pipelines.run_until_idle()

    spark = steps_by_name(sm, arn)["Spark"]
    assert (spark["StepStatus"], spark["AttemptCount"]) == ("Stopped", 2)
    assert status(sm, arn) == "Stopped"
    runs = emr_serverless.list_job_runs(applicationId=app)["jobRuns"]
    by_id = {r["id"]: r for r in runs}
    assert sorted(r["state"] for r in runs) == ["CANCELLED", "FAILED"]
    assert by_id[spark["Metadata"]["EMRServerless"]["JobRunId"]]["state"] == "CANCELLED"
    failed = next(r for r in runs if r["state"] == "FAILED")
    assert failed["stateDetails"] == "ClientError: Rate exceeded"


@pytest.mark.parametrize(
    ("where", "change", "message"),
    [
        ("JobConfig", {"jobDrivers": {}}, "Unknown Argument member 'jobDrivers'."),
        ("Arguments", {"ApplicationConfig": "SPARK"}, "Expecting start of Json Object."),
        (
            "JobConfig",
            {"executionTimeoutMinutes": "60"},
            'Cannot assign value "60" to argument of type [Integer].',
        ),
    ],
)
def test_bad_emr_serverless_arguments_are_refused_at_create_pipeline(
    sm: Any, where: str, change: dict[str, Any], message: str
) -> None:
    step = emr_serverless_step("Spark", application_id="00abc")
    target = step["Arguments"] if where == "Arguments" else step["Arguments"]["JobConfig"]
    target.update(change)
    with pytest.raises(ClientError) as info:
        create(sm, [step])
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert message in info.value.response["Error"]["Message"]


# ----------------------------------------------------------------------------- v3 ModelStep
def test_v3_model_steps_keep_the_given_names(pipelines: PipelinesMock, sm: Any) -> None:
    """SDK 3.x ModelStep is one step named as given (Type Model or RegisterModel), not v2's
    ``<name>-CreateModel`` / ``<name>-RegisterModel``; scripts keyed by the given name apply."""
    artifacts = get("Steps.Train.ModelArtifacts.S3ModelArtifacts")
    create_model = model_step("CreateModel", artifacts, depends_on=["Train"])
    register = register_model_step("Register", artifacts)
    pipelines.step("Register").succeeds(after=7)
    steps = [
        training_step("Train"),
        create_model,
        register,
        _checked(
            "Register",
            _equals(get("Steps.Register.ModelPackageStatus"), "Completed"),
            _equals(get("Steps.CreateModel.PrimaryContainer.ModelDataUrl"), artifacts),
        ),
    ]
    arn = run(sm, steps)
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    by_name = steps_by_name(sm, arn)
    assert set(by_name) == {"Train", "CreateModel", "Register", "Check"}
    model_arn = by_name["CreateModel"]["Metadata"]["Model"]["Arn"]
    package_arn = by_name["Register"]["Metadata"]["RegisterModel"]["Arn"]
    assert sm.describe_model(ModelName=model_arn.rsplit("/", 1)[1])["ModelArn"] == model_arn
    assert sm.describe_model_package(ModelPackageName=package_arn)["ModelPackageArn"] == package_arn
    register_step = next(s for s in step_list(sm, arn) if s["StepName"] == "Register")
    assert (register_step["EndTime"] - register_step["StartTime"]).total_seconds() == 8
    assert pipelines.unused_outcomes() == []


def test_a_script_keyed_by_a_v2_model_step_name_does_not_match_a_v3_step(
    pipelines: PipelinesMock, sm: Any
) -> None:
    pipelines.step("Register-RegisterModel").fails("ClientError: never used")
    with pytest.warns(UnknownStepWarning, match="did you mean 'Register'"):
        arn = run(sm, [register_model_step("Register", "s3://example-bucket/model.tar.gz")])
    pipelines.run_until_idle()

    assert status(sm, arn) == "Succeeded"
    assert [script.step_name for script, _ in pipelines.unused_outcomes()] == [
        "Register-RegisterModel"
    ]


def test_execution_started_twice_gets_distinct_job_runs(
    pipelines: PipelinesMock, sm: Any, emr_serverless: Any
) -> None:
    app = _application(emr_serverless)
    create(sm, [emr_serverless_step("Spark", application_id=app)])
    arns = [start(sm), start(sm)]
    pipelines.run_until_idle()

    ids = {steps_by_name(sm, a)["Spark"]["Metadata"]["EMRServerless"]["JobRunId"] for a in arns}
    runs = emr_serverless.list_job_runs(applicationId=app)["jobRuns"]
    assert len(ids) == 2 and {r["id"] for r in runs} == ids
