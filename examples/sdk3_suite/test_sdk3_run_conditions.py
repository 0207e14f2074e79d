"""SDK 3.x run conditions (``StepDependency`` with a ``TriggerCondition``) on the mock.

The pipeline: a Callback step ``Export``; a Lambda step ``NotifyOnFailure`` that runs only when
``Export`` fails (``TriggerCondition.FAILED``); a Lambda step ``Report`` that runs whatever the
outcome (``TriggerCondition.ANY``); a Lambda step ``Publish`` after a plain dependency
(``TriggerCondition.COMPLETED``, which the SDK emits as the bare step name). Per the SDK's
``StepDependency`` docstring, a pipeline whose steps run on a failed upstream step ends
``CompletedWithFailures`` instead of ``Failed``; its waiter knows only ``Succeeded`` and
``Failed``, so ``wait()`` runs out of attempts on it.
"""

from __future__ import annotations

import json
import os
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import WaiterError

from mock_sagemaker_pipelines import PipelinesMock

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
):
    pytest.importorskip("sagemaker.mlops.workflow", reason="needs the SageMaker Python SDK 3.x")
    from sagemaker.core.lambda_helper import Lambda
    from sagemaker.mlops.workflow import (
        CallbackOutput,
        CallbackStep,
        LambdaStep,
        Pipeline,
        StepDependency,
        TriggerCondition,
    )

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:pipeline-events"

pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=3),
    pytest.mark.usefixtures("no_network_afterwards"),
    pytest.mark.filterwarnings("ignore:Lambda function won't be updated:UserWarning"),
]


@pytest.fixture
def calls(sagemaker_pipelines: PipelinesMock) -> list[dict[str, Any]]:
    """Events the Lambda steps' function received, in order (a Python handler)."""
    events: list[dict[str, Any]] = []

    @sagemaker_pipelines.lambda_function(FUNCTION_ARN, duration=5)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        return {}

    return events


@pytest.fixture
def pipeline(session: Any, queue_url: str, calls: list[Any]) -> Pipeline:
    """Export, then NotifyOnFailure (Failed), Report (Any) and Publish (Completed)."""
    export = CallbackStep(
        name="Export",
        sqs_queue_url=queue_url,
        inputs={"table": "sales"},
        outputs=[CallbackOutput(output_name="rows")],
    )
    function = Lambda(function_arn=FUNCTION_ARN, session=session)

    def lambda_step(name: str, trigger: TriggerCondition) -> LambdaStep:
        return LambdaStep(
            name=name,
            lambda_func=function,
            inputs={"step": name},
            depends_on=[StepDependency(export, trigger)],
        )

    return Pipeline(
        name="sdk3-run-conditions",
        steps=[
            export,
            lambda_step("NotifyOnFailure", TriggerCondition.FAILED),
            lambda_step("Report", TriggerCondition.ANY),
            lambda_step("Publish", TriggerCondition.COMPLETED),
        ],
        sagemaker_session=session,
    )


def statuses(execution: Any) -> dict[str, str]:
    """Step name -> StepStatus from ``list_steps()``."""
    return {step["StepName"]: step["StepStatus"] for step in execution.list_steps()}


def test_the_sdk_emits_run_conditions_the_mock_stores(
    pipeline: Pipeline, pipeline_role: str
) -> None:
    pipeline.upsert(role_arn=pipeline_role)
    stored = json.loads(pipeline.describe()["PipelineDefinition"])
    depends_on = {step["Name"]: step.get("DependsOn") for step in stored["Steps"]}
    assert depends_on == {
        "Export": None,
        "NotifyOnFailure": [{"Step": "Export", "Trigger": "Failed"}],
        "Report": [{"Step": "Export", "Trigger": "Any"}],
        "Publish": ["Export"],
    }


def test_a_handled_failure_ends_completed_with_failures(
    pipeline: Pipeline,
    pipeline_role: str,
    sagemaker_pipelines: PipelinesMock,
    calls: list[dict[str, Any]],
) -> None:
    sagemaker_pipelines.step("Export").fails("export job lost its worker", after=120)
    pipeline.upsert(role_arn=pipeline_role)
    execution = pipeline.start()

    # CompletedWithFailures is neither of the waiter's two acceptors: it polls to the end.
    with pytest.raises(WaiterError, match="Max attempts exceeded"):
        execution.wait(delay=10, max_attempts=30)

    described = execution.describe()
    assert described["PipelineExecutionStatus"] == "CompletedWithFailures"
    assert "FailureReason" not in described
    assert statuses(execution) == {
        "Export": "Failed",
        "NotifyOnFailure": "Succeeded",
        "Report": "Succeeded",
    }
    assert sorted(call["step"] for call in calls) == ["NotifyOnFailure", "Report"]


def test_a_success_skips_the_failure_handler(
    pipeline: Pipeline,
    pipeline_role: str,
    sagemaker_pipelines: PipelinesMock,
    calls: list[dict[str, Any]],
) -> None:
    sagemaker_pipelines.step("Export").succeeds(after=120, outputs={"rows": "42"})
    pipeline.upsert(role_arn=pipeline_role)
    execution = pipeline.start()

    execution.wait(delay=10, max_attempts=30)

    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"
    assert statuses(execution) == {
        "Export": "Succeeded",
        "Report": "Succeeded",
        "Publish": "Succeeded",
    }
    assert sorted(call["step"] for call in calls) == ["Publish", "Report"]


def test_an_unhandled_failure_still_fails_the_execution(
    session: Any,
    queue_url: str,
    pipeline_role: str,
    sagemaker_pipelines: PipelinesMock,
    calls: list[dict[str, Any]],
) -> None:
    export = CallbackStep(name="Export", sqs_queue_url=queue_url, inputs={}, outputs=[])
    publish = LambdaStep(
        name="Publish",
        lambda_func=Lambda(function_arn=FUNCTION_ARN, session=session),
        inputs={"step": "Publish"},
        depends_on=[StepDependency(export)],  # the default trigger: Completed
    )
    pipeline = Pipeline(name="sdk3-unhandled", steps=[export, publish], sagemaker_session=session)
    sagemaker_pipelines.step("Export").fails("export job lost its worker", after=60)
    pipeline.upsert(role_arn=pipeline_role)
    execution = pipeline.start()

    with pytest.raises(WaiterError, match="terminal failure state"):
        execution.wait(delay=10, max_attempts=30)

    assert execution.describe()["PipelineExecutionStatus"] == "Failed"
    assert statuses(execution) == {"Export": "Failed"}
    assert calls == []
