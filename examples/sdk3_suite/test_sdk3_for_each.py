"""SDK 3.x ``ForEachStep`` on the mock: the body runs once per item as child steps
``<Body>-<index>``; a ``ForEachSelector`` picks one iteration; downstream steps read
``Selected`` and the counts (wheel ``sagemaker/mlops/workflow/for_each_step.py``).

The pipeline: ``Score`` (ForEach over three JSON-object items, ``MaxConcurrency`` 2) whose body is
the Lambda step ``ScoreItem`` (reads ``CurrentItem().name`` and ``.size``, returns a ``score``),
with a ``MaxBy`` selector on that score; then the Lambda step ``Publish`` reads the selected
iteration's score and the item count.
"""

from __future__ import annotations

import json
import os
from typing import Any
from unittest import mock

import pytest

from mock_sagemaker_pipelines import PipelinesMock

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
):
    pytest.importorskip("sagemaker.mlops.workflow", reason="needs the SageMaker Python SDK 3.x")
    from sagemaker.core.lambda_helper import Lambda
    from sagemaker.core.workflow.parameters import ParameterString
    from sagemaker.mlops.workflow import (
        CurrentItem,
        ForEachSelector,
        ForEachStep,
        IterationOutput,
        LambdaOutput,
        LambdaStep,
        Pipeline,
    )
    from sagemaker.mlops.workflow.lambda_step import LambdaOutputTypeEnum

SCORE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:score-item"
PUBLISH_ARN = "arn:aws:lambda:us-east-1:123456789012:function:publish-best"
ITEMS = [
    json.dumps({"name": "small", "size": 3}),
    json.dumps({"name": "large", "size": 7}),
    json.dumps({"name": "medium", "size": 5}),
]

pytestmark = [
    pytest.mark.sagemaker_pipelines(seed=11),
    pytest.mark.usefixtures("no_network_afterwards"),
    pytest.mark.filterwarnings("ignore:Lambda function won't be updated:UserWarning"),
]


@pytest.fixture
def events(sagemaker_pipelines: PipelinesMock) -> dict[str, list[dict[str, Any]]]:
    """Events each Lambda function received (Python handlers)."""
    received: dict[str, list[dict[str, Any]]] = {"score": [], "publish": []}

    @sagemaker_pipelines.lambda_function(SCORE_ARN, duration=30)
    def score(event: dict[str, Any], context: Any) -> dict[str, Any]:
        received["score"].append(event)
        return {"score": event["size"] * 10}

    @sagemaker_pipelines.lambda_function(PUBLISH_ARN, duration=5)
    def publish(event: dict[str, Any], context: Any) -> dict[str, Any]:
        received["publish"].append(event)
        return {}

    return received


def for_each_pipeline(session: Any, items: Any, parameters: list[Any] | None = None) -> Pipeline:
    """ForEach ``Score`` (body ``ScoreItem``, MaxBy score) then ``Publish``."""
    item = CurrentItem()
    score_item = LambdaStep(
        name="ScoreItem",
        lambda_func=Lambda(function_arn=SCORE_ARN, session=session),
        inputs={"name": item.name, "size": item.size},
        outputs=[LambdaOutput(output_name="score", output_type=LambdaOutputTypeEnum.Integer)],
    )
    fan_out = ForEachStep(
        name="Score",
        iterable_items=items,
        max_concurrency=2,
        for_each_body=[score_item],
        selector=ForEachSelector(
            pick="MaxBy", field=IterationOutput(score_item).OutputParameters["score"]
        ),
    )
    publish = LambdaStep(
        name="Publish",
        lambda_func=Lambda(function_arn=PUBLISH_ARN, session=session),
        inputs={
            "best": fan_out.properties.Selected.OutputParameters["score"],
            "items": fan_out.properties.InputItemCount,
        },
    )
    return Pipeline(
        name="sdk3-for-each",
        parameters=parameters or [],
        steps=[fan_out, publish],
        sagemaker_session=session,
    )


def children(execution: Any) -> list[dict[str, Any]]:
    """The ForEach child steps from ``list_steps()``, by iteration index."""
    listed = [step for step in execution.list_steps() if "IterationContext" in step]
    return sorted(listed, key=lambda step: step["IterationContext"]["Index"])


def test_the_body_runs_once_per_item_and_the_selector_picks_the_best(
    session: Any,
    pipeline_role: str,
    events: dict[str, list[dict[str, Any]]],
) -> None:
    pipeline = for_each_pipeline(session, ITEMS)
    pipeline.upsert(role_arn=pipeline_role)
    execution = pipeline.start()
    execution.wait(delay=10, max_attempts=60)

    assert execution.describe()["PipelineExecutionStatus"] == "Succeeded"
    listed = children(execution)
    assert [step["StepName"] for step in listed] == ["ScoreItem-0", "ScoreItem-1", "ScoreItem-2"]
    assert [step["IterationContext"] for step in listed] == [
        {"ParentStepName": "Score", "Index": index, "Item": item}
        for index, item in enumerate(ITEMS)
    ]
    assert sorted(event["name"] for event in events["score"]) == ["large", "medium", "small"]
    steps = {step["StepName"]: step for step in execution.list_steps()}
    assert steps["Score"]["Metadata"]["ForEach"]["Selector"] == {
        "StepName": "ScoreItem-1",
        "Index": 1,
    }
    assert steps["Score"]["Metadata"]["ForEach"]["SucceededStepCount"] == 3
    assert events["publish"] == [{"best": 70, "items": 3}]


def test_items_from_a_parameter_holding_a_json_list(
    session: Any,
    pipeline_role: str,
    events: dict[str, list[dict[str, Any]]],
) -> None:
    items = ParameterString(name="Items", default_value=json.dumps([{"name": "one", "size": 1}]))
    pipeline = for_each_pipeline(session, items, parameters=[items])
    pipeline.upsert(role_arn=pipeline_role)
    two = json.dumps([{"name": "a", "size": 2}, {"name": "b", "size": 4}])
    execution = pipeline.start(parameters={"Items": two})
    execution.wait(delay=10, max_attempts=60)

    assert [step["StepName"] for step in children(execution)] == ["ScoreItem-0", "ScoreItem-1"]
    assert events["publish"] == [{"best": 40, "items": 2}]
