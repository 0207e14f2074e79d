"""Soak: create, run and delete a pipeline in a loop inside one mock, and watch memory.

After a warm-up of 300 cycles, each cycle creates a pipeline (a Callback step, then a Lambda step with a registered handler,
then a Condition), starts an execution, answers the callback the way a consumer does (receive
the SQS message, SendPipelineExecutionStepSuccess, delete the message), runs the execution to
its end and deletes the pipeline. Nothing a deleted pipeline held should stay alive, so memory
traced by :mod:`tracemalloc` (after a full collection) should stay flat from the middle of the
run to its end.
"""

from __future__ import annotations

import gc
import json
import time
import tracemalloc
from typing import Any

from ..common import ACCOUNT, REGION, ROLE, START_TIME, aws_client

QUEUE = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/soak"
FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:soak"
DEFINITION = json.dumps(
    {
        "Version": "2020-12-01",
        "Steps": [
            {
                "Name": "Export",
                "Type": "Callback",
                "SqsQueueUrl": QUEUE,
                "Arguments": {},
                "OutputParameters": [{"OutputName": "rows", "OutputType": "Integer"}],
            },
            {
                "Name": "Score",
                "Type": "Lambda",
                "FunctionArn": FUNCTION,
                "Arguments": {"rows": {"Get": "Steps.Export.OutputParameters['rows']"}},
                "OutputParameters": [{"OutputName": "score", "OutputType": "Float"}],
            },
            {
                "Name": "Good",
                "Type": "Condition",
                "Arguments": {
                    "Conditions": [
                        {
                            "Type": "GreaterThanOrEqualTo",
                            "LeftValue": {"Get": "Steps.Score.OutputParameters['score']"},
                            "RightValue": 0.5,
                        }
                    ],
                    "IfSteps": [],
                    "ElseSteps": [],
                },
            },
        ],
    }
)


def _cycle(index: int, sm: Any, sqs: Any, queue_url: str, controller: Any) -> None:
    name = f"soak-{index}"
    sm.create_pipeline(PipelineName=name, PipelineDefinition=DEFINITION, RoleArn=ROLE)
    sm.start_pipeline_execution(PipelineName=name)
    controller.advance(5)
    for message in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        token = json.loads(message["Body"])["token"]
        sm.send_pipeline_execution_step_success(
            CallbackToken=token, OutputParameters=[{"Name": "rows", "Value": "7"}]
        )
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    controller.run_until_idle()
    sm.delete_pipeline(PipelineName=name)


def _snapshot() -> tracemalloc.Snapshot:
    gc.collect()
    return tracemalloc.take_snapshot()


def _kib(snapshot: tracemalloc.Snapshot) -> float:
    return sum(stat.size for stat in snapshot.statistics("filename")) / 1024


def _moto_sqs_growth(early: tracemalloc.Snapshot, end: tracemalloc.Snapshot) -> float:
    """Bytes of the growth allocated under moto's SQS (it keeps every deleted receipt handle)."""
    return sum(
        stat.size_diff
        for stat in end.compare_to(early, "traceback")
        if any("moto/sqs/" in frame.filename for frame in stat.traceback)
    )


def soak(seconds: float) -> dict[str, Any]:
    """Run cycles for ``seconds`` of wall time; memory at the middle of the run and at its end."""
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    with mock_sagemaker_pipelines(seed=1, start_time=START_TIME, report="off") as controller:
        sm, sqs = aws_client(), aws_client("sqs")
        queue_url = sqs.create_queue(QueueName="soak")["QueueUrl"]

        @controller.lambda_function(FUNCTION, duration=3)
        def score(event: dict[str, Any], context: Any) -> dict[str, Any]:
            return {"score": min(1.0, int(event["rows"]) / 10)}

        # Warm up past the first-call costs and until the bounded ClientRequestToken store
        # (256 entries per account and region) is full: the steady state is what is measured.
        for warm in range(-300, 0):
            _cycle(warm, sm, sqs, queue_url, controller)
        tracemalloc.start(10)
        started = time.perf_counter()
        cycles, early, early_cycles = 0, None, 0
        while time.perf_counter() - started < seconds:
            cycles += 1
            _cycle(cycles, sm, sqs, queue_url, controller)
            if early is None and time.perf_counter() - started >= seconds / 2:
                early, early_cycles = _snapshot(), cycles
        end = _snapshot()
        tracemalloc.stop()
        live = len(controller.executions())
        objects = _live_objects()
    early = end if early is None else early
    grown = max(cycles - early_cycles, 1)
    return {
        "seconds": seconds,
        "cycles": cycles,
        "early_kib": _kib(early),
        "end_kib": _kib(end),
        "bytes_per_cycle": (_kib(end) - _kib(early)) * 1024 / grown,
        "moto_sqs_bytes_per_cycle": _moto_sqs_growth(early, end) / grown,
        "live_executions": live,
        "live_objects": objects,
    }


def _live_objects() -> int:
    """Execution, StepRun and Pipeline objects still alive (deleted pipelines should leave none)."""
    from mock_sagemaker_pipelines.backend import Pipeline
    from mock_sagemaker_pipelines.engine.execution import Execution
    from mock_sagemaker_pipelines.engine.run import StepRun

    gc.collect()
    kinds = (Execution, StepRun, Pipeline)
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kinds))


def print_soak(result: dict[str, Any]) -> None:
    """The soak's closing figures."""
    print(f"\nSoak: create, run, delete for {result['seconds']:.0f} s in one mock")
    print(f"  cycles                        {result['cycles']}")
    print(f"  traced memory half-way        {result['early_kib']:.1f} KiB")
    print(f"  traced memory at the end      {result['end_kib']:.1f} KiB")
    print(
        f"  growth per cycle, second half {result['bytes_per_cycle']:.0f} B"
        "   (goal: flat; it was 13.4 KiB per cycle before deleted pipelines released their"
        " callbacks)"
    )
    print(
        f"    of which under moto's SQS   {result['moto_sqs_bytes_per_cycle']:.0f} B"
        "   (moto keeps every deleted message's receipt handle and a copy per receive)"
    )
    print(f"  executions still listed       {result['live_executions']}   (goal: 0)")
    print(f"  Execution/StepRun/Pipeline objects alive  {result['live_objects']}   (goal: 0)")
