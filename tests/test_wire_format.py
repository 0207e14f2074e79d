"""The owned actions' JSON bodies are byte for byte what moto's serialiser writes (issue 15).

``mock_sagemaker_pipelines/wire.py`` writes owned actions' results without moto's generic
serialiser. The reference is moto's own ``JSONSerializer`` with the ``XFormedAttributePicker``
moto's ``ActionResult`` uses. Three comparisons: a value generated from every owned action's
botocore output shape with every member filled; one step per ``PipelineExecutionStepMetadata``
member; and every result a real run produces through boto3 (the real definitions, Callback and
Lambda answers, a failure, a stop, a retry, the tag actions).
"""

from __future__ import annotations

import enum
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape
from moto.core.serialize import XFormedAttributePicker, get_serializer_class
from moto.core.utils import get_service_model

from mock_sagemaker_pipelines import PipelinesMock, wire
from mock_sagemaker_pipelines.responses import OWNED_ACTIONS, PipelinesResponse

from .support import (
    ROLE,
    callback_step,
    condition_step,
    fail_step,
    lambda_step,
    real_definition,
    run,
    start,
    training_step,
)

MODEL = botocore.session.get_session().get_service_model("sagemaker")
BASE = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)


class Colour(enum.Enum):
    RED = "Red"


def moto_body(operation: str, result: Any) -> str:
    """moto's serialisation of ``result`` as ``ActionResult.execute_result`` writes it."""
    serializer_class = get_serializer_class("sagemaker", "json")
    serializer = serializer_class(
        operation_model=get_service_model("sagemaker").operation_model(operation),
        pretty_print=False,
        value_picker=XFormedAttributePicker(
            response_transformers=PipelinesResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER
        ),
    )
    return str(serializer.serialize(result)["body"])


def sample(shape: Shape, seed: int, depth: int = 0) -> Any:
    """A value of ``shape`` with every member filled (lists of two, recursion cut at depth 6)."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 6 or shape.is_document_type:
            return {"doc": [1, "two", None]} if shape.is_document_type else {}
        return {
            name: sample(member, seed + i, depth + 1)
            for i, name, member in ((i, n, m) for i, (n, m) in enumerate(shape.members.items()))
        }
    if kind == "list":
        return [sample(shape.member, seed + k, depth + 1) for k in range(2)]
    if kind == "map":
        return {f"k{seed}": sample(shape.value, seed, depth + 1)}
    if kind == "string":
        return [f"s{seed}", Colour.RED, "", 'q"uote\u00e9'][seed % 4]
    if kind in ("integer", "long"):
        return seed
    if kind in ("float", "double"):
        return [seed + 0.25, seed][seed % 2]
    if kind == "boolean":
        return seed % 2 == 0
    if kind == "timestamp":
        return [BASE, BASE + timedelta(microseconds=123456), BASE.replace(tzinfo=None)][seed % 3]
    if kind == "blob":
        return b"blob"
    raise AssertionError(kind)


@pytest.mark.parametrize("operation", (*OWNED_ACTIONS, "ListTags", "AddTags", "DeleteTags"))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_member_of_every_owned_output_is_written_as_moto_writes_it(
    operation: str, seed: int
) -> None:
    shape = MODEL.operation_model(operation).output_shape
    result = sample(shape, seed) if shape is not None else None
    assert wire.serialize(operation, result) == moto_body(operation, result)


def test_every_step_metadata_type_is_written_as_moto_writes_it() -> None:
    metadata = MODEL.shape_for("PipelineExecutionStepMetadata")
    steps = []
    for i, (name, member) in enumerate(metadata.members.items()):
        step = sample(MODEL.shape_for("PipelineExecutionStep"), i)
        step["Metadata"] = {name: sample(member, i)}
        steps.append(step)
    result = {"PipelineExecutionSteps": steps, "NextToken": "t"}
    assert len(steps) == len(metadata.members) > 20
    body = wire.serialize("ListPipelineExecutionSteps", result)
    assert body == moto_body("ListPipelineExecutionSteps", result)
    written = {next(iter(s["Metadata"])) for s in json.loads(body)["PipelineExecutionSteps"]}
    assert written == set(metadata.members)


def test_absent_and_null_members_are_left_out_as_moto_leaves_them() -> None:
    result = {
        "PipelineArn": None,
        "PipelineExecutionArn": "arn",
        "CreationTime": BASE,
        "PipelineExperimentConfig": {},
        "ParallelismConfiguration": {"MaxParallelExecutionSteps": 3},
        "unknown": 1,
    }
    body = wire.serialize("DescribePipelineExecution", result)
    assert body == moto_body("DescribePipelineExecution", result)
    assert "PipelineArn" not in body and "unknown" not in body


def test_a_value_the_fast_writer_does_not_know_falls_back_to_moto() -> None:
    with pytest.raises(wire.Unsupported):
        wire.serialize("DescribePipeline", {"CreationTime": "2024-01-01T00:00:00Z"})
    with pytest.raises(wire.Unsupported):
        wire.serialize("DescribePipeline", object())


def test_every_result_of_a_real_run_is_written_as_moto_writes_it(
    pipelines: PipelinesMock, sm: Any, sqs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[tuple[str, Any, str]] = []
    real_serialize = wire.serialize

    def recording(operation: str, result: Any) -> str:
        body = real_serialize(operation, result)
        written.append((operation, json.loads(json.dumps(result, default=str)), body))
        assert body == moto_body(operation, result), operation
        return body

    monkeypatch.setattr(wire, "serialize", recording)
    url = str(sqs.create_queue(QueueName="wire")["QueueUrl"])
    pipelines.lambda_function("arn:aws:lambda:us-east-1:123456789012:function:f")(
        lambda event, context: {"out": "v"}
    )
    for prefix in ("01", "03", "05"):
        sm.create_pipeline(
            PipelineName=f"real{prefix}", RoleArn=ROLE, PipelineDefinition=real_definition(prefix)
        )
        start(sm, f"real{prefix}")
    steps = [
        training_step("Train"),
        callback_step("Wait", url, outputs=[("o", "String")]),
        lambda_step(
            "Fn", "arn:aws:lambda:us-east-1:123456789012:function:f", outputs=[("out", "String")]
        ),
    ]
    pipelines.step("Train").fails("ClientError: scripted")
    arn = run(sm, steps, name="mixed")
    check = [{"Type": "Equals", "LeftValue": 1, "RightValue": 1}]
    run(sm, [condition_step("Check", check, if_steps=[fail_step("Stop", "boom")])], name="failing")
    pipelines.advance(3600)
    token = pipelines.callback_token("Wait", arn)
    sm.send_pipeline_execution_step_success(
        CallbackToken=token, OutputParameters=[{"Name": "o", "Value": "x"}]
    )
    pipelines.run_until_idle()
    sm.retry_pipeline_execution(PipelineExecutionArn=arn, ClientRequestToken="r" * 32)
    other = start(sm, "real01")
    sm.stop_pipeline_execution(PipelineExecutionArn=other, ClientRequestToken="x" * 32)
    sm.update_pipeline_execution(PipelineExecutionArn=other, PipelineExecutionDisplayName="d")
    sm.update_pipeline(PipelineName="mixed", PipelineDescription="again")
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    for execution in [
        e["PipelineExecutionArn"]
        for e in sm.list_pipeline_executions(PipelineName="mixed")["PipelineExecutionSummaries"]
    ] + [other]:
        sm.describe_pipeline_execution(PipelineExecutionArn=execution)
        sm.list_pipeline_execution_steps(PipelineExecutionArn=execution)
        sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=execution)
        sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=execution)
    sm.list_pipelines()
    sm.describe_pipeline(PipelineName="mixed")
    sm.list_pipeline_versions(PipelineName="mixed")
    sm.delete_pipeline(PipelineName="real03", ClientRequestToken="d" * 32)
    again = start(sm, "mixed")
    pipelines.advance(60)
    sm.send_pipeline_execution_step_failure(
        CallbackToken=pipelines.callback_token("Wait", again), FailureReason="no"
    )
    pipelines.run_until_idle()
    for prefix in ("01", "05"):
        for e in sm.list_pipeline_executions(PipelineName=f"real{prefix}")[
            "PipelineExecutionSummaries"
        ]:
            sm.list_pipeline_execution_steps(PipelineExecutionArn=e["PipelineExecutionArn"])

    for e in sm.list_pipeline_executions(PipelineName="failing")["PipelineExecutionSummaries"]:
        sm.list_pipeline_execution_steps(PipelineExecutionArn=e["PipelineExecutionArn"])

    operations = {operation for operation, _, _ in written}
    # every pipeline action this run makes (the generated values above cover every owned action)
    pipeline_actions = {a for a in OWNED_ACTIONS if "Pipeline" in a} - {"UpdatePipelineVersion"}
    assert operations >= pipeline_actions
    kinds = {
        key
        for operation, result, _ in written
        if operation == "ListPipelineExecutionSteps"
        for step in result["PipelineExecutionSteps"]
        for key in step.get("Metadata", {})
    }
    assert {"TrainingJob", "Callback", "Lambda", "Fail", "Condition"} <= kinds
