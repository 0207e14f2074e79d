"""moto's other SageMaker actions, and other services, keep working while the plugin is active.

The plugin only routes SageMaker to a subclass of moto's ``SageMakerResponse``
(``shared/spec/moto-plugin-and-peers.md`` section 2.3): every action it does not own is inherited
and served by moto's own backend. Each scenario runs under a plain ``moto.mock_aws`` and under
``mock_sagemaker_pipelines`` and must give the same answers.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from mock_sagemaker_pipelines import mock_sagemaker_pipelines

from .support import ACCOUNT, REGION, ROLE, client_error_code, definition, training_step

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/algo:latest"


@functools.cache
def client(service: str) -> Any:
    """One boto3 client per service with dummy credentials (moto intercepts it in every mock)."""
    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


MOCKS: dict[str, Callable[[], AbstractContextManager[Any]]] = {
    "plain-moto": mock_aws,
    "plugin": mock_sagemaker_pipelines,
}


@pytest.fixture(params=sorted(MOCKS))
def mocked(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test once under plain moto and once with the plugin; yields which one."""
    with MOCKS[request.param]():
        yield request.param


def _strip(response: dict[str, Any]) -> dict[str, Any]:
    response = dict(response)
    response.pop("ResponseMetadata", None)
    return response


def _model(name: str = "my-model") -> str:
    return client("sagemaker").create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE,
        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": "s3://bucket/model.tar.gz"},
    )["ModelArn"]


def test_models(mocked: str) -> None:
    sm = client("sagemaker")

    arn = _model("my-model")
    _model("other-model")

    assert arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model/my-model"
    described = sm.describe_model(ModelName="my-model")
    assert described["ModelArn"] == arn
    assert described["PrimaryContainer"]["Image"] == IMAGE
    listed = sorted(m["ModelName"] for m in sm.list_models()["Models"])
    assert listed == ["my-model", "other-model"]
    sm.delete_model(ModelName="other-model")
    assert [m["ModelName"] for m in sm.list_models()["Models"]] == ["my-model"]


def test_training_jobs(mocked: str) -> None:
    sm = client("sagemaker")

    arn = sm.create_training_job(
        TrainingJobName="my-training",
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        RoleArn=ROLE,
        OutputDataConfig={"S3OutputPath": "s3://bucket/output"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )["TrainingJobArn"]

    described = sm.describe_training_job(TrainingJobName="my-training")
    assert arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:training-job/my-training"
    assert described["TrainingJobArn"] == arn
    assert described["RoleArn"] == ROLE
    assert described["TrainingJobStatus"] == "Completed"  # moto's own behaviour, unchanged
    names = [j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"]]
    assert names == ["my-training"]


def test_endpoint_configs(mocked: str) -> None:
    sm = client("sagemaker")
    _model("my-model")

    arn = sm.create_endpoint_config(
        EndpointConfigName="my-config",
        ProductionVariants=[
            {
                "VariantName": "main",
                "ModelName": "my-model",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
    )["EndpointConfigArn"]

    described = sm.describe_endpoint_config(EndpointConfigName="my-config")
    assert described["EndpointConfigArn"] == arn
    assert described["ProductionVariants"][0]["ModelName"] == "my-model"


def test_moto_errors_are_unchanged(mocked: str) -> None:
    sm = client("sagemaker")

    with pytest.raises(ClientError) as excinfo:
        sm.describe_model(ModelName="missing")
    code = client_error_code(excinfo.value)

    assert code == "ValidationException"  # what moto answers; the plugin does not touch it
    assert "missing" in excinfo.value.response["Error"]["Message"]


def test_tags_on_a_non_pipeline_arn(mocked: str) -> None:
    sm = client("sagemaker")
    arn = _model("tagged-model")

    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    listed = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}
    sm.delete_tags(ResourceArn=arn, TagKeys=["a"])
    after = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}

    assert listed == {"a": "1", "b": "2"}
    assert after == {"b": "2"}


def test_same_answers_with_and_without_the_plugin() -> None:
    def scenario() -> list[Any]:
        sm = client("sagemaker")
        arn = _model("m")
        sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        described = _strip(sm.describe_model(ModelName="m"))
        described.pop("CreationTime")
        return [
            described,
            _strip(sm.list_tags(ResourceArn=arn)),
            [m["ModelName"] for m in sm.list_models()["Models"]],
        ]

    with mock_aws():
        plain = scenario()
    with mock_sagemaker_pipelines():
        plugged = scenario()

    assert plugged == plain


def test_pipeline_and_model_tags_live_side_by_side() -> None:
    with mock_sagemaker_pipelines():
        sm = client("sagemaker")
        model_arn = _model("m")
        pipeline_arn = sm.create_pipeline(
            PipelineName="p",
            RoleArn=ROLE,
            PipelineDefinition=definition([training_step("Train")]),
            Tags=[{"Key": "kind", "Value": "pipeline"}],
        )["PipelineArn"]
        sm.add_tags(ResourceArn=model_arn, Tags=[{"Key": "kind", "Value": "model"}])

        assert sm.list_tags(ResourceArn=pipeline_arn)["Tags"] == [
            {"Key": "kind", "Value": "pipeline"}
        ]
        assert sm.list_tags(ResourceArn=model_arn)["Tags"] == [{"Key": "kind", "Value": "model"}]


def test_sqs_is_unaffected(mocked: str) -> None:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="work")["QueueUrl"]

    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"hello": "world"}))
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]

    assert [json.loads(m["Body"]) for m in messages] == [{"hello": "world"}]
    assert sqs.list_queues()["QueueUrls"] == [url]


def test_s3_is_unaffected(mocked: str) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="data")

    s3.put_object(Bucket="data", Key="a/b.txt", Body=b"content")

    assert s3.get_object(Bucket="data", Key="a/b.txt")["Body"].read() == b"content"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="data")["Contents"]] == ["a/b.txt"]
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["data"]
