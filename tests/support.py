"""The one home of the test helpers: definitions built from small step dicts, and boto3 calls.

Everything goes through boto3 (SageMaker against the mock, SQS and STS against moto), as a
user's test would do it; nothing here reads the engine's internals.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "examples" / "definitions"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelines"
#: Account the shared real definitions (examples/definitions) name in their ARNs and queue URLs.
EXAMPLE_ACCOUNT = "111122223333"

#: ``pipelines-<executionId>-<step lower>-<10 random [a-z0-9]>`` (spec section 2).
JOB_NAME = re.compile(
    r"^pipelines-(?P<execution>[a-z0-9]{12})-(?P<step>.+)-(?P<suffix>[a-z0-9]{10})$"
)

#: The metadata key holding the resource ARN, per job step Type (spec section 5).
METADATA_KEY = {
    "Training": "TrainingJob",
    "Processing": "ProcessingJob",
    "Transform": "TransformJob",
    "Model": "Model",
    "RegisterModel": "RegisterModel",
}


# ----------------------------------------------------------------------------- definitions
def real_definition(prefix: str) -> str:
    """The text of a shipped real definition by its file-name prefix ("01", "03", "05")."""
    (path,) = sorted(DEFINITIONS.glob(f"{prefix}-*.json"))
    return path.read_text()


def definition(steps: list[dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> str:
    """A PipelineDefinition JSON string (Version 2020-12-01) with these steps and parameters."""
    return json.dumps(
        {"Version": "2020-12-01", "Metadata": {}, "Parameters": parameters or [], "Steps": steps}
    )


def parameter(
    name: str, type_: str, default: Any = None, has_default: bool = True
) -> dict[str, Any]:
    """A ``Parameters[]`` entry."""
    item: dict[str, Any] = {"Name": name, "Type": type_}
    if has_default:
        item["DefaultValue"] = default
    return item


def _step(
    name: str,
    type_: str,
    arguments: dict[str, Any],
    depends_on: list[Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A step dict: Name, Type, Arguments, DependsOn when given, then ``extra`` top-level keys."""
    step: dict[str, Any] = {"Name": name, "Type": type_, "Arguments": arguments}
    if depends_on:
        step["DependsOn"] = depends_on
    step.update(extra)
    return step


def _output_parameters(outputs: list[tuple[str, str]] | None) -> list[dict[str, str]]:
    """Declared ``OutputParameters`` from (name, type) pairs."""
    return [{"OutputName": n, "OutputType": t} for n, t in (outputs or [])]


def training_step(name: str, depends_on: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A minimal Training step (Arguments = a CreateTrainingJob request without the name)."""
    arguments = {
        "AlgorithmSpecification": {"TrainingImage": "image:latest", "TrainingInputMode": "File"},
        "OutputDataConfig": {"S3OutputPath": "s3://example-bucket/output"},
        "ResourceConfig": {
            "InstanceCount": 1,
            "InstanceType": "ml.m5.xlarge",
            "VolumeSizeInGB": 30,
        },
        "RoleArn": ROLE,
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
    }
    return _step(name, "Training", arguments, depends_on, **extra)


def processing_step(
    name: str,
    outputs: dict[str, Any] | None = None,
    property_files: list[dict[str, str]] | None = None,
    depends_on: list[Any] | None = None,
    inputs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Processing step with named outputs (OutputName -> S3Uri) and property files."""
    cluster = {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}
    args: dict[str, Any] = {
        "ProcessingResources": {"ClusterConfig": cluster},
        "AppSpecification": {"ImageUri": "image:latest"},
        "RoleArn": ROLE,
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": out,
                    "AppManaged": False,
                    "S3Output": {
                        "S3Uri": uri,
                        "LocalPath": f"/opt/ml/processing/{out}",
                        "S3UploadMode": "EndOfJob",
                    },
                }
                for out, uri in (outputs or {}).items()
            ]
        },
    }
    if inputs:
        args["ProcessingInputs"] = inputs
    step: dict[str, Any] = {"Name": name, "Type": "Processing", "Arguments": args}
    if property_files:
        step["PropertyFiles"] = property_files
    if depends_on:
        step["DependsOn"] = depends_on
    return step


def model_step(
    name: str, model_data_url: Any, depends_on: list[Any] | None = None
) -> dict[str, Any]:
    """A Model (CreateModel) step."""
    container = {"Image": "image:latest", "Environment": {}, "ModelDataUrl": model_data_url}
    arguments = {"ExecutionRoleArn": ROLE, "PrimaryContainer": container}
    return _step(name, "Model", arguments, depends_on)


def transform_step(
    name: str, model_name: Any, input_uri: Any = "s3://example-bucket/in"
) -> dict[str, Any]:
    """A Transform step."""
    arguments = {
        "ModelName": model_name,
        "TransformInput": {
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": input_uri}}
        },
        "TransformOutput": {"S3OutputPath": "s3://example-bucket/transform-out"},
        "TransformResources": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge"},
    }
    return _step(name, "Transform", arguments)


def register_model_step(name: str, model_data_url: Any, group: str = "MyGroup") -> dict[str, Any]:
    """A RegisterModel step (CreateModelPackage request)."""
    arguments = {
        "ModelPackageGroupName": group,
        "InferenceSpecification": {
            "Containers": [{"Image": "image:latest", "ModelDataUrl": model_data_url}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        "ModelApprovalStatus": "PendingManualApproval",
    }
    return _step(name, "RegisterModel", arguments)


def callback_step(
    name: str,
    queue_url: Any,
    arguments: dict[str, Any] | None = None,
    outputs: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Callback step sending to ``queue_url`` with declared (name, type) outputs."""
    step = _step(name, "Callback", arguments or {})
    step["SqsQueueUrl"] = queue_url
    step["OutputParameters"] = _output_parameters(outputs)
    step.update(extra)
    return step


def lambda_step(
    name: str,
    function_arn: str,
    arguments: dict[str, Any] | None = None,
    outputs: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Lambda step invoking ``function_arn`` with declared (name, type) outputs."""
    step: dict[str, Any] = {"Name": name, "Type": "Lambda", "FunctionArn": function_arn}
    step["Arguments"] = arguments or {}
    step["OutputParameters"] = _output_parameters(outputs)
    step.update(extra)
    return step


def condition_step(
    name: str,
    conditions: list[dict[str, Any]],
    if_steps: list[dict[str, Any]] | None = None,
    else_steps: list[dict[str, Any]] | None = None,
    depends_on: list[Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Condition step (``extra``: more top-level keys, e.g. ``DependsOn``)."""
    arguments = {"Conditions": conditions, "IfSteps": if_steps or [], "ElseSteps": else_steps or []}
    return _step(name, "Condition", arguments, depends_on, **extra)


def for_each_step(
    name: str,
    items: Any,
    body: list[dict[str, Any]],
    max_concurrency: Any = 5,
    selector: dict[str, Any] | None = None,
    depends_on: list[Any] | None = None,
) -> dict[str, Any]:
    """A ForEach step (SDK 3.x ``ForEachStep.arguments``) running ``body`` once per item."""
    arguments: dict[str, Any] = {"IterableItems": items, "MaxConcurrency": max_concurrency}
    if selector is not None:
        arguments["Selector"] = selector
    arguments["ForEachBody"] = body
    return _step(name, "ForEach", arguments, depends_on)


def fail_step(
    name: str, message: Any = None, depends_on: list[Any] | None = None
) -> dict[str, Any]:
    """A Fail step (no ErrorMessage when ``message`` is None)."""
    args: dict[str, Any] = {}
    if message is not None:
        args["ErrorMessage"] = message
    return _step(name, "Fail", args, depends_on)


def cleanup_step(
    name: str, sources: list[dict[str, Any]], depends_on: list[Any] | None = None
) -> dict[str, Any]:
    """An SDK 3.x Cleanup step over ``sources`` (``{"StepName", "S3Uris"?}``); every source is
    in DependsOn unless ``depends_on`` is given (as ``CleanupStep`` does)."""
    if depends_on is None:
        depends_on = [source["StepName"] for source in sources]
    return _step(name, "Cleanup", {"Resources": {"S3": sources}}, depends_on)


def job_step(
    name: str, document: Any, depends_on: list[Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """An SDK 3.x Job step: a CreateJob request without JobName; ``document`` is the
    JobConfigDocument (a dict that is not an expression is JSON-encoded, as the SDK does)."""
    expression = isinstance(document, dict) and set(document) & {"Get", "Std:Join"}
    if isinstance(document, dict) and not expression:
        document = json.dumps(document)
    arguments = {
        "RoleArn": ROLE,
        "JobCategory": "DataTransformation",
        "JobConfigSchemaVersion": "1.0.0",
        "JobConfigDocument": document,
        "Tags": [{"Key": "team", "Value": "ml"}],
    }
    return _step(name, "Job", arguments, depends_on, **extra)


def emr_serverless_step(
    name: str,
    application_id: str | None = None,
    application_config: dict[str, Any] | None = None,
    log_uri: str | None = None,
    depends_on: list[Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An SDK 3.x EMRServerless step running a Spark entry point (``EMRServerlessStep``)."""
    job_config: dict[str, Any] = {
        "executionRoleArn": ROLE,
        "jobDriver": {"sparkSubmit": {"entryPoint": "s3://example-bucket/code/job.py"}},
    }
    if log_uri is not None:
        job_config["configurationOverrides"] = {
            "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": log_uri}}
        }
    arguments: dict[str, Any] = {"ExecutionRoleArn": ROLE, "JobConfig": job_config}
    if application_id is not None:
        job_config["applicationId"] = application_id
        arguments["ApplicationId"] = application_id
    if application_config is not None:
        arguments["ApplicationConfig"] = application_config
    return _step(name, "EMRServerless", arguments, depends_on, **extra)


def cached(step: dict[str, Any], expire_after: str | None = "PT1H") -> dict[str, Any]:
    """``step`` with ``CacheConfig`` enabled (``ExpireAfter`` unless None); the same dict."""
    step["CacheConfig"] = {"Enabled": True}
    if expire_after is not None:
        step["CacheConfig"]["ExpireAfter"] = expire_after
    return step


def with_arguments(step: dict[str, Any], **arguments: Any) -> dict[str, Any]:
    """``step`` with these members merged into its Arguments (returns the same dict)."""
    step["Arguments"].update(arguments)
    return step


def join(on: str, *values: Any) -> dict[str, Any]:
    """``{"Std:Join": {"On": on, "Values": [...]}}``."""
    return {"Std:Join": {"On": on, "Values": list(values)}}


def get(path: str) -> dict[str, str]:
    """``{"Get": path}``."""
    return {"Get": path}


# ----------------------------------------------------------------------------- boto3 calls
def create(
    sm: Any,
    steps: list[dict[str, Any]],
    parameters: list[dict[str, Any]] | None = None,
    name: str = "pipe",
    **extra: Any,
) -> str:
    """CreatePipeline ``name`` with these steps; returns the pipeline ARN."""
    response = sm.create_pipeline(
        PipelineName=name,
        RoleArn=ROLE,
        PipelineDefinition=definition(steps, parameters),
        **extra,
    )
    return str(response["PipelineArn"])


def start(sm: Any, name: str = "pipe", values: dict[str, str] | None = None, **extra: Any) -> str:
    """StartPipelineExecution of pipeline ``name`` with parameter ``values``; the execution ARN.

    ``extra`` goes to the request as it is (``PipelineParameters``, display name, ...).
    """
    if values:
        extra["PipelineParameters"] = [{"Name": k, "Value": v} for k, v in values.items()]
    return str(sm.start_pipeline_execution(PipelineName=name, **extra)["PipelineExecutionArn"])


def run(
    sm: Any,
    steps: list[dict[str, Any]],
    parameters: list[dict[str, Any]] | None = None,
    name: str = "pipe",
    values: dict[str, str] | None = None,
    **start_extra: Any,
) -> str:
    """Create pipeline ``name`` from ``steps`` and start it; returns the execution ARN."""
    create(sm, steps, parameters, name)
    return start(sm, name, values, **start_extra)


def selective(steps: list[str], source: str | None = None) -> dict[str, Any]:
    """A ``SelectiveExecutionConfig`` request member for these step names (and source ARN)."""
    config: dict[str, Any] = {"SelectedSteps": [{"StepName": n} for n in steps]}
    if source is not None:
        config["SourcePipelineExecutionArn"] = source
    return config


def execution_arns(sm: Any, name: str = "pipe") -> list[str]:
    """The ARNs of every execution of pipeline ``name``, newest first."""
    summaries = sm.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"]
    return [s["PipelineExecutionArn"] for s in summaries]


def status(sm: Any, arn: str) -> str:
    """PipelineExecutionStatus of ``arn``."""
    return str(sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"])


def describe_execution(sm: Any, arn: str) -> dict[str, Any]:
    """DescribePipelineExecution of ``arn`` without its ResponseMetadata."""
    response = dict(sm.describe_pipeline_execution(PipelineExecutionArn=arn))
    response.pop("ResponseMetadata")
    return response


def step_list(sm: Any, arn: str, **extra: Any) -> list[dict[str, Any]]:
    """ListPipelineExecutionSteps (one call, default order) -> the PipelineExecutionSteps list."""
    response = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn, **extra)
    return list(response["PipelineExecutionSteps"])


def steps_by_name(sm: Any, arn: str) -> dict[str, dict[str, Any]]:
    """The listed steps keyed by StepName."""
    return {s["StepName"]: s for s in step_list(sm, arn)}


def step_statuses(sm: Any, arn: str) -> dict[str, str]:
    """StepName -> StepStatus of every listed step."""
    return {s["StepName"]: s["StepStatus"] for s in step_list(sm, arn)}


def definition_of(sm: Any, arn: str) -> dict[str, Any]:
    """DescribePipelineDefinitionForExecution, parsed."""
    text = sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)[
        "PipelineDefinition"
    ]
    return dict(json.loads(text))


def resource_arn(step: dict[str, Any]) -> str:
    """The resource ARN in a job step's Metadata (whatever the step type)."""
    (value,) = step["Metadata"].values()
    return str(value["Arn"])


def resource_name(step: dict[str, Any]) -> str:
    """The resource name at the end of a job step's Metadata ARN."""
    return resource_arn(step).rsplit("/", 1)[-1]


def output_values(step: dict[str, Any], kind: str) -> dict[str, str]:
    """``Metadata.<kind>.OutputParameters`` of a listed step as ``{Name: Value}``."""
    return {p["Name"]: p["Value"] for p in step["Metadata"][kind].get("OutputParameters", [])}


def client_error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError."""
    return exc.response["Error"]["Code"]  # type: ignore[attr-defined, no-any-return]


# ----------------------------------------------------------------------------- SQS, accounts
def drain(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Receive and delete every visible message of the queue; returns the parsed bodies in order."""
    bodies: list[dict[str, Any]] = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        if not messages:
            return bodies
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def session_in_account(account_id: str, region: str = REGION) -> boto3.Session:
    """A boto3 session whose calls moto attributes to ``account_id`` (STS AssumeRole credentials)."""
    sts = boto3.client("sts", region_name=region)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/callback-consumer",
        RoleSessionName="callback-consumer",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


def route_events_to_queue(detail_type: str) -> tuple[Any, str]:
    """An EventBridge rule on the default bus sending ``aws.sagemaker`` events of
    ``detail_type`` to a new SQS queue; returns the SQS client and the queue URL."""
    events = boto3.client("events", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName=f"events-{len(detail_type)}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(
        Name=f"rule-{len(detail_type)}",
        EventPattern=json.dumps({"source": ["aws.sagemaker"], "detail-type": [detail_type]}),
    )
    events.put_targets(Rule=f"rule-{len(detail_type)}", Targets=[{"Id": "q", "Arn": queue_arn}])
    return sqs, url


# ----------------------------------------------------------------------------- times
def seconds(delta: timedelta) -> float:
    """A timedelta in seconds."""
    return delta.total_seconds()


def same_time(a: datetime, b: datetime) -> bool:
    """Equal to the millisecond (the wire format carries milliseconds)."""
    return abs((a - b).total_seconds()) < 0.001


# ----------------------------------------------------------------------------- server mode
#: Environment of a client of a served mock: fake credentials, the test region, no IMDS probe.
CLIENT_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
}


#: The command that serves the mock (``mock-sagemaker-pipelines server`` works the same).
SERVER_COMMAND = (sys.executable, "-m", "mock_sagemaker_pipelines.server")


@contextmanager
def served(*options: str, command: tuple[str, ...] | list[str] = SERVER_COMMAND) -> Iterator[str]:
    """``python -m mock_sagemaker_pipelines.server OPTIONS --port 0`` as a separate process,
    as a team or another language would run it; yields its URL (read from the line it prints
    when ready) and stops it with SIGTERM afterwards."""
    process = subprocess.Popen(
        [*command, *options, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **CLIENT_ENV},
        cwd=ROOT,
    )
    assert process.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=120)  # a hang guard, not a timing assertion
    try:
        match = re.search(r"on (http://\S+) ", lines[0] if lines else "")
        assert match, f"the server did not start: {lines!r}, exit status {process.poll()}"
        yield match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def served_client(url: str, service: str) -> Any:
    """A boto3 client of ``service`` against a served mock at ``url``."""
    return boto3.client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
