"""State isolation and clean activation/deactivation of the plugin.

``shared/spec/moto-plugin-and-peers.md`` section 3: pipeline state lives in a moto ``BackendDict``,
so moto's resets wipe it; accounts (``MOTO_ACCOUNT_ID``, STS AssumeRole credentials) and regions
never see each other's pipelines. Section 2: the plugin swaps moto's SageMaker route
(``moto.sagemaker.urls.url_paths["{0}/$"]``) only while active; afterwards, also after an
exception and after nested use, moto's own handler is back and pipeline actions behave as plain
moto (StopPipelineExecution raises ``NotImplementedError`` in-process).
"""

from __future__ import annotations

import functools
import time
import unittest
from collections.abc import Callable
from typing import Any

import boto3
import botocore.waiter
import moto.sagemaker.urls as sagemaker_urls
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.sagemaker.responses import SageMakerResponse

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import ACCOUNT, REGION, ROLE, client_error_code, definition, training_step

ROUTE = "{0}/$"
BODY = definition([training_step("Train")])
OTHER_ACCOUNT = "111111111111"
ASSUMED_ACCOUNT = "222222222222"
SOME_EXECUTION = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/p/execution/abcdefabcdef"


@functools.cache
def client(service: str = "sagemaker", region: str = REGION) -> Any:
    """A boto3 client with dummy credentials, built once per (service, region).

    moto intercepts every botocore client while a mock is active, so one client serves every test.
    """
    return boto3.client(
        service,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def create(name: str, sm: Any = None) -> str:
    """CreatePipeline with a minimal definition; returns the ARN."""
    sm = sm or client()
    return sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=BODY)[
        "PipelineArn"
    ]


def names(sm: Any = None) -> list[str]:
    """Names of the pipelines the client sees."""
    sm = sm or client()
    return sorted(p["PipelineName"] for p in sm.list_pipelines()["PipelineSummaries"])


def route_handler() -> Callable[..., Any]:
    """What moto's SageMaker route points at right now."""
    return sagemaker_urls.url_paths[ROUTE]


def assert_moto_owns_the_route() -> None:
    """moto's own ``SageMakerResponse.dispatch`` serves SageMaker again."""
    handler = route_handler()
    assert handler == SageMakerResponse.dispatch
    assert getattr(handler, "__self__", None) is SageMakerResponse


def assert_plain_moto_serves_pipelines() -> None:
    """Under a plain ``mock_aws``: pipeline actions are moto's (no StopPipelineExecution)."""
    with mock_aws():
        sm = client()
        with pytest.raises(NotImplementedError):
            sm.stop_pipeline_execution(PipelineExecutionArn=SOME_EXECUTION)
        with pytest.raises(NotImplementedError):
            sm.list_pipeline_versions(PipelineName="p")
        # moto does not parse definitions; the plugin would refuse this one.
        sm.create_pipeline(PipelineName="p", RoleArn=ROLE, PipelineDefinition="not json")
        assert names(sm) == ["p"]


def assert_plugin_serves_pipelines() -> None:
    """Inside a mock: StopPipelineExecution exists and says the execution does not exist."""
    with pytest.raises(ClientError) as excinfo:
        client().stop_pipeline_execution(PipelineExecutionArn=SOME_EXECUTION)
    assert client_error_code(excinfo.value) == "ResourceNotFound"


# ---------------------------------------------------------------------- reset between tests


@mock_sagemaker_pipelines
def _create_same_name() -> list[str]:
    create("same-name")
    return names()


def test_a_decorated_function_starts_from_empty_state_each_call() -> None:
    assert _create_same_name() == ["same-name"]
    assert _create_same_name() == ["same-name"]


@mock_sagemaker_pipelines
def test_decorated_test_one_creates_the_same_name() -> None:
    create("shared-name")
    assert names() == ["shared-name"]


@mock_sagemaker_pipelines
def test_decorated_test_two_creates_the_same_name() -> None:
    create("shared-name")
    assert names() == ["shared-name"]


@mock_sagemaker_pipelines(seed=3)
def test_a_decorated_test_gets_the_controller(pipelines: PipelinesMock) -> None:
    create("p")
    before = pipelines.now()
    pipelines.advance(3600)
    assert (pipelines.now() - before).total_seconds() == 3600
    assert names() == ["p"]


@mock_sagemaker_pipelines
class DecoratedTestCase(unittest.TestCase):
    """Each test method of a decorated ``unittest.TestCase`` runs in fresh state."""

    def test_first(self) -> None:
        create("case-name")
        self.assertEqual(names(), ["case-name"])
        self.assertIsInstance(self.sagemaker_pipelines, PipelinesMock)  # type: ignore[attr-defined]

    def test_second(self) -> None:
        create("case-name")
        self.assertEqual(names(), ["case-name"])


def test_state_is_gone_after_the_context_manager_exits() -> None:
    with mock_sagemaker_pipelines():
        create("p")
    with mock_sagemaker_pipelines():
        assert names() == []
        create("p")


# -------------------------------------------------------------------------- accounts, regions


def test_accounts_are_isolated_by_moto_account_id(monkeypatch: pytest.MonkeyPatch) -> None:
    with mock_sagemaker_pipelines():
        default_arn = create("p")
        monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER_ACCOUNT)

        assert names() == []
        with pytest.raises(ClientError) as excinfo:
            client().describe_pipeline(PipelineName=default_arn)
        assert client_error_code(excinfo.value) == "ResourceNotFound"
        other_arn = create("p")
        client().add_tags(ResourceArn=other_arn, Tags=[{"Key": "who", "Value": "other"}])

        monkeypatch.delenv("MOTO_ACCOUNT_ID")
        assert names() == ["p"]
        assert client().list_tags(ResourceArn=default_arn)["Tags"] == []

    assert default_arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/p"
    assert other_arn == f"arn:aws:sagemaker:{REGION}:{OTHER_ACCOUNT}:pipeline/p"


def test_accounts_are_isolated_by_assumed_role_credentials() -> None:
    with mock_sagemaker_pipelines():
        credentials = client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{ASSUMED_ACCOUNT}:role/pipelines", RoleSessionName="test"
        )["Credentials"]
        assumed = boto3.client(
            "sagemaker",
            region_name=REGION,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )

        arn = create("p", assumed)

        assert arn == f"arn:aws:sagemaker:{REGION}:{ASSUMED_ACCOUNT}:pipeline/p"
        assert names(assumed) == ["p"]
        assert names() == []
        create("p")  # the same name in the default account is free
        assert names() == ["p"]
        assert assumed.describe_pipeline(PipelineName="p")["PipelineArn"] == arn


def test_regions_are_isolated() -> None:
    with mock_sagemaker_pipelines():
        east, west = client(region="us-east-1"), client(region="eu-west-1")
        east_arn = create("p", east)

        assert names(west) == []
        with pytest.raises(ClientError) as excinfo:
            west.describe_pipeline(PipelineName=east_arn)
        assert client_error_code(excinfo.value) == "ResourceNotFound"
        west_arn = create("p", west)
        west.update_pipeline(PipelineName="p", PipelineDescription="west")

        assert west_arn == f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:pipeline/p"
        assert "PipelineDescription" not in east.describe_pipeline(PipelineName="p")
        versions = east.list_pipeline_versions(PipelineName="p")["PipelineVersionSummaries"]
        assert len(versions) == 1


# ----------------------------------------------------------- nothing stays patched afterwards


def test_the_route_is_moto_own_before_during_and_after() -> None:
    assert_moto_owns_the_route()
    original = route_handler()

    with mock_sagemaker_pipelines():
        during = route_handler()
        owner = getattr(during, "__self__", None)
        assert owner is not SageMakerResponse
        assert isinstance(owner, type)
        assert issubclass(owner, SageMakerResponse)
        assert_plugin_serves_pipelines()

    assert route_handler() == original
    assert_moto_owns_the_route()
    assert_plain_moto_serves_pipelines()


def test_nothing_stays_patched_after_an_exception_inside() -> None:
    real_sleep = time.sleep
    with pytest.raises(KeyError, match="boom"), mock_sagemaker_pipelines(warp_sleep=True):
        create("p")
        raise KeyError("boom")

    assert_moto_owns_the_route()
    assert botocore.waiter.time is time
    assert time.sleep is real_sleep
    assert_plain_moto_serves_pipelines()


def test_waiter_and_sleep_patches_are_undone() -> None:
    real_sleep = time.sleep
    with mock_sagemaker_pipelines(warp_sleep=True, warp_waiters=True) as pipelines:
        assert botocore.waiter.time is not time
        before = pipelines.now()
        time.sleep(120)  # simulated: advances the clock, returns at once
        assert (pipelines.now() - before).total_seconds() == 120

    assert botocore.waiter.time is time
    assert time.sleep is real_sleep


def test_a_decorated_function_undoes_everything_when_it_raises() -> None:
    @mock_sagemaker_pipelines
    def failing() -> None:
        create("p")
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        failing()

    assert_moto_owns_the_route()
    assert_plain_moto_serves_pipelines()


def test_nested_context_managers() -> None:
    with mock_sagemaker_pipelines() as outer:
        create("outer")
        with mock_sagemaker_pipelines() as inner:
            create("inner")
            assert names() == ["inner", "outer"]
            inner.advance(10)
        # leaving the inner block neither resets state nor deactivates the plugin
        assert names() == ["inner", "outer"]
        assert_plugin_serves_pipelines()
        assert outer.now() >= inner.now()
        with pytest.raises(ClientError) as excinfo:
            create("inner")
        assert "already exists" in excinfo.value.response["Error"]["Message"]

    assert_moto_owns_the_route()
    assert_plain_moto_serves_pipelines()
    with mock_sagemaker_pipelines():
        assert names() == []


def test_nested_exit_on_an_exception_keeps_the_outer_mock() -> None:
    with mock_sagemaker_pipelines():
        create("kept")
        with pytest.raises(RuntimeError), mock_sagemaker_pipelines():
            raise RuntimeError("inner failure")
        assert names() == ["kept"]
        assert_plugin_serves_pipelines()

    assert_moto_owns_the_route()


def test_joining_a_users_mock_aws() -> None:
    with mock_aws():
        s3 = client("s3")
        s3.create_bucket(Bucket="user-bucket")
        s3.put_object(Bucket="user-bucket", Key="def.json", Body=BODY.encode())

        with mock_sagemaker_pipelines():
            # moto state made before the plugin joined is still there and usable
            client().create_pipeline(
                PipelineName="from-user-s3",
                RoleArn=ROLE,
                PipelineDefinitionS3Location={"Bucket": "user-bucket", "ObjectKey": "def.json"},
            )
            assert (
                client().describe_pipeline(PipelineName="from-user-s3")["PipelineDefinition"]
                == BODY
            )
            s3.put_object(Bucket="user-bucket", Key="made-inside", Body=b"x")

        # the user's mock is still running, with its data, and SageMaker is plain moto again
        assert_moto_owns_the_route()
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="user-bucket")["Contents"])
        assert keys == ["def.json", "made-inside"]
        with pytest.raises(NotImplementedError):
            client().stop_pipeline_execution(PipelineExecutionArn=SOME_EXECUTION)

    with mock_aws():
        assert client("s3").list_buckets()["Buckets"] == []


def test_joining_a_decorated_mock_aws() -> None:
    @mock_aws
    def users_test() -> list[str]:
        client("sqs").create_queue(QueueName="users-queue")
        with mock_sagemaker_pipelines():
            create("p")
            queues = client("sqs").list_queues()["QueueUrls"]
        assert_moto_owns_the_route()
        return [url.rsplit("/", 1)[-1] for url in queues]

    assert users_test() == ["users-queue"]
    assert_plain_moto_serves_pipelines()


def test_backends_the_engine_reaches_directly_are_still_reset() -> None:
    """The engine finds moto's backends without moto's lookup bookkeeping when they exist
    (``_moto/backends.py``); moto's reset must still clear them, so nothing a step sent or
    created in one mock is there in the next."""
    from moto.core.base_backend import BackendDict
    from moto.sqs.models import sqs_backends

    from mock_sagemaker_pipelines._moto.backends import region_backend

    from .support import callback_step, run, status

    for attempt in range(2):
        with mock_sagemaker_pipelines(report="off") as pipelines:
            sqs = client("sqs")
            assert sqs.list_queues().get("QueueUrls", []) == [], f"attempt {attempt}"
            url = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
            found = region_backend(sqs_backends, ACCOUNT, REGION)
            assert found is sqs_backends[ACCOUNT][REGION]
            assert sqs_backends in BackendDict._instances
            arn = run(client(), [callback_step("Wait", url)])
            pipelines.run_until_idle()
            token = pipelines.callback_token("Wait", arn)
            client().send_pipeline_execution_step_success(CallbackToken=token)
            pipelines.run_until_idle()
            assert status(client(), arn) == "Succeeded"
            body = sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"]
            assert token in body
        assert dict.get(sqs_backends, ACCOUNT) is None  # moto's reset emptied it
        assert sqs_backends not in BackendDict._instances


def test_region_backend_creates_what_moto_would_for_a_new_account_and_region() -> None:
    from moto.core.base_backend import BackendDict
    from moto.sqs.models import sqs_backends

    from mock_sagemaker_pipelines._moto.backends import region_backend

    with mock_sagemaker_pipelines(report="off"):
        created = region_backend(sqs_backends, OTHER_ACCOUNT, "eu-west-3")
        assert created is sqs_backends[OTHER_ACCOUNT]["eu-west-3"]
        assert created.region_name == "eu-west-3"
        assert created.account_id == OTHER_ACCOUNT
        assert sqs_backends in BackendDict._instances
    assert dict.get(sqs_backends, OTHER_ACCOUNT) is None


def test_a_step_job_is_gone_after_a_reset_that_sagemaker_metrics_refilled() -> None:
    """moto's reset of SageMaker Metrics looks ``sagemaker_backends`` up again mid-reset, so the
    reset can end with that dict holding an account moto no longer tracks: the engine must not
    keep reading it directly, or a step's training job would outlive the next reset."""
    from .support import run, status, training_step

    with mock_sagemaker_pipelines(report="off"):
        client().list_training_jobs()
        client().create_trial_component(TrialComponentName="tc")
        client("sagemaker-metrics").batch_put_metrics(
            TrialComponentName="tc",
            MetricData=[{"MetricName": "loss", "Timestamp": 0, "Value": 1.0, "Step": 0}],
        )
    with mock_sagemaker_pipelines(report="off") as pipelines:
        arn = run(client(), [training_step("Train")])
        pipelines.run_until_idle()
        assert status(client(), arn) == "Succeeded"  # its job reached only by the engine
    with mock_sagemaker_pipelines(report="off"):
        assert client().list_training_jobs()["TrainingJobSummaries"] == []
