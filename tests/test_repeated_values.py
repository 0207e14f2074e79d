"""A definition's repeated values: every step still gets exactly the JSON it was given.

The parsed definition holds equal values once (issue 15, memory), so these tests check what a
user can see of it: the Callback message each step sends carries its own ``Arguments`` with the
same JSON types, number spellings and member order as the definition, when steps repeat whole
blocks or hold values that Python calls equal (``1``, ``1.0``, ``true``; ``0.0``, ``-0.0``).
Read through moto's real SQS queue, as a callback consumer does.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mock_sagemaker_pipelines import PipelinesMock

from .support import ROLE, callback_step, definition, start

SHARED_BLOCK = {
    "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 30},
    "Outputs": [{"OutputName": "train", "S3Uri": "s3://bucket/train"}],
}


def _typed(text: str) -> Any:
    """JSON ``text`` with its types, number spellings and member order kept (1 is not 1.0)."""
    return json.loads(
        text,
        object_pairs_hook=lambda pairs: ("object", pairs),
        parse_float=lambda s: ("float", s),
        parse_int=lambda s: ("int", s),
    )


def _arguments_by_step(
    pipelines: PipelinesMock, sm: Any, sqs: Any, queue: str, arn: str
) -> dict[str, Any]:
    """Each Callback step's ``arguments`` member, as the raw message body spells it."""
    pipelines.run_until_idle()
    tokens = {
        step["Metadata"]["Callback"]["CallbackToken"]: step["StepName"]
        for step in sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)[
            "PipelineExecutionSteps"
        ]
    }
    found: dict[str, Any] = {}
    while True:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            body = dict(_typed(message["Body"])[1])
            found[tokens[body["token"]]] = body["arguments"]
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


def _run(sm: Any, name: str, queue: str, arguments: dict[str, Any]) -> str:
    steps = [callback_step(step, queue, args) for step, args in arguments.items()]
    sm.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=definition(steps))
    return start(sm, name)


def test_values_python_calls_equal_reach_each_step_as_written(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    queue = str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])
    arguments = {
        "Int": {"x": 1, **SHARED_BLOCK},
        "Float": {"x": 1.0, **SHARED_BLOCK},
        "Bool": {"x": True, **SHARED_BLOCK},
        "Text": {"x": "1", **SHARED_BLOCK},
        "Zero": {"x": 0.0, "list": [0.0, 0, False]},
        "MinusZero": {"x": -0.0, "list": [-0.0, 0, False]},
        "Ordered": {"a": 1, "b": 2},
        "Reordered": {"b": 2, "a": 1},
    }
    arn = _run(sm, "repeats", queue, arguments)
    sent = _arguments_by_step(pipelines, sm, sqs, queue, arn)
    assert sent == {step: _typed(json.dumps(args)) for step, args in arguments.items()}
    assert sent["Float"][1][0] == ("x", ("float", "1.0"))
    assert sent["MinusZero"][1][0] == ("x", ("float", "-0.0"))
    assert [key for key, _ in sent["Reordered"][1]] == ["b", "a"]


_KEYS = st.text(alphabet="abcdefgh", min_size=1, max_size=3)  # no Get, no Std: functions
_ATOMS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([0.0, -0.0, 1.0, 2.5, -1.0])
    | st.sampled_from(["", "a", "1", "true", "s3://bucket/key"])
)
_JSON = st.recursive(
    _ATOMS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)


def test_random_repeated_arguments_reach_each_step_as_written(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    queue = str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])
    counter = iter(range(10_000))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        blocks=st.lists(st.dictionaries(_KEYS, _JSON, max_size=3), min_size=1, max_size=3),
        picks=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=5),
    )
    def check(blocks: list[dict[str, Any]], picks: list[tuple[int, int]]) -> None:
        # Steps built from the same few blocks, in either order: many equal subtrees.
        arguments = {
            f"S{index}": {"first": blocks[a % len(blocks)], "second": blocks[b % len(blocks)]}
            for index, (a, b) in enumerate(picks)
        }
        arn = _run(sm, f"random{next(counter)}", queue, arguments)
        sent = _arguments_by_step(pipelines, sm, sqs, queue, arn)
        assert sent == {step: _typed(json.dumps(args)) for step, args in arguments.items()}

    check()


def test_changing_what_the_controller_gives_changes_no_step(
    pipelines: PipelinesMock, sm: Any, sqs: Any
) -> None:
    queue = str(sqs.create_queue(QueueName="callbacks")["QueueUrl"])
    arguments = {"A": {"k": {"a": 1}}, "B": {"k": {"a": 1}}}
    first = _run(sm, "mutated", queue, arguments)
    pipelines.run_until_idle()
    pipelines.sent_messages[0]["Body"]["arguments"]["k"]["a"] = 999
    pipelines.pending_callbacks()[0].arguments["k"]["a"] = 998
    assert [m["Body"]["arguments"] for m in pipelines.sent_messages] == [{"k": {"a": 1}}] * 2
    assert [p.arguments for p in pipelines.pending_callbacks()] == [{"k": {"a": 1}}] * 2
    expected = {step: _typed(json.dumps(args)) for step, args in arguments.items()}
    assert _arguments_by_step(pipelines, sm, sqs, queue, first) == expected
    second = start(sm, "mutated")  # a later execution of the same version reads the same values
    assert _arguments_by_step(pipelines, sm, sqs, queue, second) == expected
