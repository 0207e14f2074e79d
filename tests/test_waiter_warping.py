"""Waiters that do not wait: a botocore waiter's sleep (and, opted in, ``time.sleep``) advances
the simulated clock while a mock is active, and both are put back on exit.

The waiter is built exactly like the SageMaker Python SDK's ``_PipelineExecution.wait()``
(``shared/spec/real-clients.md`` section 1): an ad-hoc ``PipelineExecutionComplete`` model with
``Succeeded`` (success) and ``Failed`` (failure) acceptors.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import boto3
import botocore.waiter
import pytest
from botocore.exceptions import WaiterError

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION, ROLE, callback_step, definition

ORIGINAL_SLEEP = time.sleep
TWO_HOURS = 7200.0


def sdk_waiter(client: Any, delay: int = 30, max_attempts: int = 60) -> botocore.waiter.Waiter:
    """The SDK's ``PipelineExecutionComplete`` waiter (``_PipelineExecution.wait``)."""
    model = botocore.waiter.WaiterModel(
        {
            "version": 2,
            "waiters": {
                "PipelineExecutionComplete": {
                    "delay": delay,
                    "maxAttempts": max_attempts,
                    "operation": "DescribePipelineExecution",
                    "acceptors": [
                        {
                            "expected": "Succeeded",
                            "matcher": "path",
                            "state": "success",
                            "argument": "PipelineExecutionStatus",
                        },
                        {
                            "expected": "Failed",
                            "matcher": "path",
                            "state": "failure",
                            "argument": "PipelineExecutionStatus",
                        },
                    ],
                }
            },
        }
    )
    return botocore.waiter.create_waiter_with_client("PipelineExecutionComplete", model, client)


def start_callback_pipeline(pipelines: PipelinesMock) -> tuple[Any, str]:
    """A one-Callback-step pipeline started; returns (sagemaker client, execution ARN)."""
    sqs = boto3.client("sqs", region_name=REGION)
    sm = boto3.client("sagemaker", region_name=REGION)
    queue_url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    sm.create_pipeline(
        PipelineName="long",
        RoleArn=ROLE,
        PipelineDefinition=definition([callback_step("ExternalJob", queue_url)]),
    )
    return sm, sm.start_pipeline_execution(PipelineName="long")["PipelineExecutionArn"]


@pytest.fixture
def no_real_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make any real ``time.sleep`` fail the test (records the attempt)."""
    calls: list[float] = []

    def forbidden(seconds: float) -> None:
        calls.append(seconds)
        raise AssertionError(f"time.sleep({seconds}) really slept")

    monkeypatch.setattr(time, "sleep", forbidden)
    return calls


def test_waiter_on_a_two_hour_pipeline_moves_the_simulated_clock(
    sagemaker_pipelines: PipelinesMock, no_real_sleep: list[float]
) -> None:
    sagemaker_pipelines.step("ExternalJob").succeeds(after=TWO_HOURS)
    sm, arn = start_callback_pipeline(sagemaker_pipelines)
    started = sagemaker_pipelines.now()

    sdk_waiter(sm, delay=30, max_attempts=500).wait(PipelineExecutionArn=arn)

    elapsed = sagemaker_pipelines.now() - started
    assert timedelta(seconds=TWO_HOURS) <= elapsed <= timedelta(seconds=TWO_HOURS + 60)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Succeeded"
    assert no_real_sleep == []


def test_waiter_reports_a_failed_execution_as_terminal_failure(
    sagemaker_pipelines: PipelinesMock, no_real_sleep: list[float]
) -> None:
    sagemaker_pipelines.step("ExternalJob").fails("ClientError: upstream broke", after=900)
    sm, arn = start_callback_pipeline(sagemaker_pipelines)

    with pytest.raises(WaiterError, match="terminal failure state"):
        sdk_waiter(sm).wait(PipelineExecutionArn=arn)
    assert sagemaker_pipelines.now() - sagemaker_pipelines.executions()[0].creation_time >= (
        timedelta(seconds=900)
    )
    assert no_real_sleep == []


def test_waiter_on_a_stopped_execution_exhausts_max_attempts(
    sagemaker_pipelines: PipelinesMock, no_real_sleep: list[float]
) -> None:
    sm, arn = start_callback_pipeline(sagemaker_pipelines)
    sagemaker_pipelines.advance(5)
    sm.stop_pipeline_execution(PipelineExecutionArn=arn)
    sm.send_pipeline_execution_step_success(
        CallbackToken=sagemaker_pipelines.callback_token("ExternalJob")
    )
    before = sagemaker_pipelines.now()

    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        sdk_waiter(sm, delay=30, max_attempts=60).wait(PipelineExecutionArn=arn)
    # 60 attempts sleep 59 times: 29.5 simulated minutes, no real ones.
    assert sagemaker_pipelines.now() - before == timedelta(seconds=59 * 30)
    described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Stopped"


def test_boto3_builtin_waiters_are_warped_too(no_real_sleep: list[float]) -> None:
    with mock_sagemaker_pipelines() as pipelines:
        s3 = boto3.client("s3", region_name=REGION)
        before = pipelines.now()
        with pytest.raises(WaiterError, match="Max attempts exceeded"):
            s3.get_waiter("bucket_exists").wait(
                Bucket="missing", WaiterConfig={"Delay": 5, "MaxAttempts": 3}
            )
        assert pipelines.now() - before == timedelta(seconds=10)
    assert no_real_sleep == []


def test_warp_waiters_false_leaves_botocore_alone() -> None:
    with mock_sagemaker_pipelines(warp_waiters=False):
        assert botocore.waiter.time is time
    assert botocore.waiter.time is time


def test_warp_sleep_advances_the_clock_instead_of_sleeping(no_real_sleep: list[float]) -> None:
    forbidden = time.sleep
    with mock_sagemaker_pipelines(warp_sleep=True) as pipelines:
        before = pipelines.now()
        time.sleep(90)
        time.sleep(0.5)
        assert pipelines.now() - before == timedelta(seconds=90.5)
    assert time.sleep is forbidden
    assert no_real_sleep == []


def test_time_sleep_is_real_without_warp_sleep(no_real_sleep: list[float]) -> None:
    with mock_sagemaker_pipelines() as pipelines:
        before = pipelines.now()
        with pytest.raises(AssertionError, match="really slept"):
            time.sleep(1)
        assert pipelines.now() == before
    assert no_real_sleep == [1]


def test_warp_sleep_moves_a_running_pipeline(no_real_sleep: list[float]) -> None:
    with mock_sagemaker_pipelines(warp_sleep=True) as pipelines:
        pipelines.step("ExternalJob").succeeds(after=600)
        sm, arn = start_callback_pipeline(pipelines)
        status = "Executing"
        while status == "Executing":  # a user's hand-written poll loop
            time.sleep(60)
            status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)[
                "PipelineExecutionStatus"
            ]
        assert status == "Succeeded"


def test_both_are_undone_on_exit() -> None:
    with mock_sagemaker_pipelines(warp_sleep=True):
        assert botocore.waiter.time is not time
        assert time.sleep is not ORIGINAL_SLEEP
    assert botocore.waiter.time is time
    assert time.sleep is ORIGINAL_SLEEP


def test_both_are_undone_after_an_exception_inside() -> None:
    with pytest.raises(RuntimeError, match="boom"), mock_sagemaker_pipelines(warp_sleep=True):
        assert time.sleep is not ORIGINAL_SLEEP
        raise RuntimeError("boom")
    assert botocore.waiter.time is time
    assert time.sleep is ORIGINAL_SLEEP


def test_decorator_undoes_them_after_an_exception() -> None:
    @mock_sagemaker_pipelines(warp_sleep=True)
    def failing(pipelines: PipelinesMock) -> None:
        assert botocore.waiter.time is not time
        raise KeyError("inside")

    with pytest.raises(KeyError, match="inside"):
        failing()
    assert botocore.waiter.time is time
    assert time.sleep is ORIGINAL_SLEEP


def test_nested_mocks_restore_in_order() -> None:
    with mock_sagemaker_pipelines(warp_sleep=True) as outer:
        outer_time = botocore.waiter.time
        outer_sleep = time.sleep
        with mock_sagemaker_pipelines(warp_sleep=True):
            assert botocore.waiter.time is outer_time  # one shared patch while any mock runs
            assert time.sleep is outer_sleep
        assert botocore.waiter.time is outer_time
        assert time.sleep is outer_sleep
        before = outer.now()
        time.sleep(5)
        assert outer.now() - before == timedelta(seconds=5)
    assert botocore.waiter.time is time
    assert time.sleep is ORIGINAL_SLEEP


def test_mocks_stopped_out_of_order_leave_no_patch_behind() -> None:
    first = mock_sagemaker_pipelines(warp_sleep=True)
    second = mock_sagemaker_pipelines(warp_sleep=True)
    first.start()
    second.start()
    first.stop()
    assert botocore.waiter.time is not time  # the second mock still runs: still warped
    second.stop()
    assert botocore.waiter.time is time
    assert time.sleep is ORIGINAL_SLEEP
