"""``@step`` functions (SageMaker Python SDK 2.x) run in the test's process under the mock.

The SDK pickles each function and its arguments to moto's S3 when the definition is built; the
mock recognises the Training step that carries it (its container entrypoint is the SDK's job
driver), loads the function with the SDK's own deserialisation, runs it on the simulated clock
and writes its return value (or exception) where the SDK's job would, so ``execution.result()``
returns the value and a downstream step reads it.
"""

from __future__ import annotations

import os
from typing import Any
from unittest import mock

import pytest

from mock_sagemaker_pipelines import PipelinesMock

from .support import ACCOUNT, BUCKET, REGION, ROLE

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
):
    pytest.importorskip("sagemaker", minversion="2.200")
    import sagemaker

    if int(sagemaker.__version__.split(".")[0]) >= 3:
        pytest.skip("this suite is for the SDK 2.x line", allow_module_level=True)
    from sagemaker.remote_function.errors import RemoteFunctionError
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionGreaterThan
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.function_step import step
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.pipeline_context import PipelineSession

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/functions:1"
STEP_OPTIONS: dict[str, Any] = {"instance_type": "ml.m5.large", "image_uri": IMAGE, "role": ROLE}

pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=13),
    pytest.mark.usefixtures("no_network_afterwards"),
]



def add(a: int, b: int) -> int:
    return a + b


def square(x: int) -> int:
    if x > 100:
        raise ValueError(f"{x} is too big to square")
    return x * x


def run(session: PipelineSession, steps: list[Any], name: str = "functions") -> Any:
    pipeline = Pipeline(name=name, steps=steps, sagemaker_session=session)
    pipeline.upsert(role_arn=ROLE)
    return pipeline.start()


def test_two_function_steps_return_their_values(session: PipelineSession) -> None:
    total = step(add, name="Add", **STEP_OPTIONS)(2, 3)
    squared = step(square, name="Square", **STEP_OPTIONS)(total)

    execution = run(session, [squared])

    assert execution.result("Add") == 5
    assert execution.result("Square") == 25
    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"


def test_a_raising_function_fails_its_step_with_the_exception(session: PipelineSession) -> None:
    total = step(add, name="Add", **STEP_OPTIONS)(100, 1)
    squared = step(square, name="Square", **STEP_OPTIONS)(total)

    execution = run(session, [squared])

    with pytest.raises(RemoteFunctionError, match="Square is not in Completed status"):
        execution.result("Square")
    steps = {s["StepName"]: s for s in execution.list_steps()}
    assert steps["Square"]["StepStatus"] == "Failed"
    assert "ValueError('101 is too big to square')" in steps["Square"]["FailureReason"]
    assert execution.result("Add") == 101
    job = session.sagemaker_client.describe_training_job(
        TrainingJobName=steps["Square"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    )
    assert job["TrainingJobStatus"] == "Failed"


def test_a_condition_reads_a_function_result(
    session: PipelineSession, sagemaker_pipelines: PipelinesMock
) -> None:
    total = step(add, name="Add", **STEP_OPTIONS)(2, 3)
    check = ConditionStep(
        name="IsBig",
        conditions=[ConditionGreaterThan(left=total, right=4)],
        if_steps=[FailStep(name="TooBig", error_message="the sum is over 4")],
        else_steps=[],
    )

    execution = run(session, [check])
    sagemaker_pipelines.run_until_idle()

    steps = {s["StepName"]: s for s in execution.list_steps()}
    assert steps["IsBig"]["Metadata"]["Condition"]["Outcome"] == "True"
    assert steps["TooBig"]["FailureReason"] == "the sum is over 4"


def test_a_tampered_pickle_fails_the_step_with_the_integrity_check(
    session: PipelineSession, sagemaker_pipelines: PipelinesMock
) -> None:
    total = step(add, name="Add", **STEP_OPTIONS)(2, 3)
    pipeline = Pipeline(name="tampered", steps=[total], sagemaker_session=session)
    pipeline.upsert(role_arn=ROLE)
    s3 = session.boto_session.client("s3")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    payload = next(k for k in keys if k.endswith("/function/payload.pkl"))
    s3.put_object(Bucket=BUCKET, Key=payload, Body=b"not a pickle")

    execution = pipeline.start()
    sagemaker_pipelines.run_until_idle()

    (only,) = execution.list_steps()
    assert only["StepStatus"] == "Failed"
    assert "Integrity check for the serialized function or data failed" in only["FailureReason"]
    assert execution.describe()["PipelineExecutionStatus"] == "Failed"


def test_a_function_past_its_max_runtime_fails_the_step(
    session: PipelineSession, sagemaker_pipelines: PipelinesMock
) -> None:
    sagemaker_pipelines.step("Add").takes(600)
    total = step(add, name="Add", max_runtime_in_seconds=300, **STEP_OPTIONS)(2, 3)

    execution = run(session, [total])
    sagemaker_pipelines.run_until_idle()

    (only,) = execution.list_steps()
    assert only["StepStatus"] == "Failed"
    assert "MaxRuntimeInSeconds (300 seconds" in only["FailureReason"]
    assert (only["EndTime"] - only["StartTime"]).total_seconds() == 301
