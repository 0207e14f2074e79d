"""Helpers of the Callback and Lambda step tests: start a pipeline, read steps, drain a queue.

Everything goes through boto3 (SageMaker against the mock, SQS against moto), as a user's test
would do it.
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from .support import REGION, ROLE, definition

#: Account the shared real definitions (examples/definitions) name in their ARNs and queue URLs.
EXAMPLE_ACCOUNT = "111122223333"


def start(
    sm: Any,
    steps: list[dict[str, Any]],
    parameters: list[dict[str, Any]] | None = None,
    name: str = "pipeline",
    values: dict[str, str] | None = None,
) -> str:
    """Create pipeline ``name`` from ``steps`` and start it; returns the execution ARN."""
    sm.create_pipeline(
        PipelineName=name, RoleArn=ROLE, PipelineDefinition=definition(steps, parameters)
    )
    return start_existing(sm, name, values)


def start_existing(sm: Any, name: str, values: dict[str, str] | None = None) -> str:
    """Start an execution of an existing pipeline with parameter ``values``."""
    kwargs: dict[str, Any] = {"PipelineName": name}
    if values:
        kwargs["PipelineParameters"] = [{"Name": k, "Value": v} for k, v in values.items()]
    return str(sm.start_pipeline_execution(**kwargs)["PipelineExecutionArn"])


def steps_of(sm: Any, arn: str) -> dict[str, dict[str, Any]]:
    """ListPipelineExecutionSteps as ``{StepName: step}``."""
    listed = sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
    return {s["StepName"]: s for s in listed}


def status_of(sm: Any, arn: str) -> str:
    """The execution's PipelineExecutionStatus."""
    return str(sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"])


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


def output_values(step: dict[str, Any], kind: str) -> dict[str, str]:
    """``Metadata.<kind>.OutputParameters`` of a listed step as ``{Name: Value}``."""
    return {p["Name"]: p["Value"] for p in step["Metadata"][kind].get("OutputParameters", [])}
