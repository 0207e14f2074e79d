"""Scenario 4: cost per step kind and shape, 200 -> 2,000 -> 20,000 steps (issue 15 goals 1, 2, 4).

Shapes: ``fan-out`` (Root -> N-2 parallel Training/Processing jobs -> Join), ``chain`` (N
Processing jobs, each depending on the one before), ``callback`` (N parallel Callback steps
sending to one SQS queue, answered by ``auto_callbacks``), ``lambda`` (N parallel Lambda steps,
answered by ``auto_lambdas``). One run in a fresh mock: CreatePipeline; the *engine* phase
(StartPipelineExecution and ``run_until_idle()``, CPU and wall); ListPipelineExecutionSteps of
every step (CPU); then DescribePipelineExecution per call in the same process, so that the
listing is priced in describe calls. A second run under ``tracemalloc`` gives the heap peak and
the heap a finished execution retains (after the listing, above the baseline before
CreatePipeline), per step; and the part of it that is the execution's own (above the heap just
after CreatePipeline, which holds the pipeline's definition text and its one parsed graph,
shared by every execution of that version). The run's peak is read before the listing, whose
parsed copy on the client's side is then part of the overall peak.

Two shares are timed apart, so that the figures say where the cost lies: the CPU CPython spends
in full (generation 2) collections during the engine phase, from ``gc.callbacks``; and
botocore's own parse of the listing's responses (the bytes it received, captured at
``before-parse`` and parsed again by the same parser), which is the client's part of a listing.
"""

from __future__ import annotations

import gc
import json
import time
import tracemalloc
from typing import Any

from ..common import ROLE, START_TIME, aws_client, mark
from .fan_out import MAX_DEFINITION_BYTES, fan_definition, garbage_collection

SHAPES = ("fan-out", "chain", "callback", "lambda")
SHAPE_SIZES = (200, 2000, 20000)
QUEUE = "bench-callbacks"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench"
DEFINITION_BUCKET = "bench-shape-definitions"


def _processing(name: str, depends_on: str | None) -> dict[str, Any]:
    step: dict[str, Any] = {
        "Name": name,
        "Type": "Processing",
        "Arguments": {
            "ProcessingResources": {
                "ClusterConfig": {
                    "InstanceCount": 1,
                    "InstanceType": "ml.m5.xlarge",
                    "VolumeSizeInGB": 30,
                }
            },
            "AppSpecification": {"ImageUri": "image:latest"},
            "RoleArn": ROLE,
        },
    }
    if depends_on:
        step["DependsOn"] = [depends_on]
    return step


def shape_definition(shape: str, steps: int, queue_url: str = "") -> str:
    """The PipelineDefinition of ``steps`` steps of ``shape`` (one of :data:`SHAPES`)."""
    if shape == "fan-out":
        return fan_definition(steps)
    if shape == "chain":
        body = [_processing(f"S{i}", f"S{i - 1}" if i else None) for i in range(steps)]
    elif shape == "callback":
        body = [
            {
                "Name": f"C{i}",
                "Type": "Callback",
                "Arguments": {"n": str(i)},
                "SqsQueueUrl": queue_url,
                "OutputParameters": [{"OutputName": "out", "OutputType": "String"}],
            }
            for i in range(steps)
        ]
    elif shape == "lambda":
        body = [
            {
                "Name": f"L{i}",
                "Type": "Lambda",
                "FunctionArn": FUNCTION_ARN,
                "Arguments": {"n": str(i)},
                "OutputParameters": [{"OutputName": "out", "OutputType": "String"}],
            }
            for i in range(steps)
        ]
    else:
        raise ValueError(f"unknown shape {shape!r}")
    return json.dumps({"Version": "2020-12-01", "Metadata": {}, "Parameters": [], "Steps": body})


def _source(definition: str) -> dict[str, Any]:
    """CreatePipeline's definition members: inline, or through S3 above the 1 MiB limit."""
    if len(definition) <= MAX_DEFINITION_BYTES:
        return {"PipelineDefinition": definition}
    s3 = aws_client("s3")
    s3.create_bucket(Bucket=DEFINITION_BUCKET)
    s3.put_object(Bucket=DEFINITION_BUCKET, Key="shape.json", Body=definition.encode())
    return {
        "PipelineDefinitionS3Location": {"Bucket": DEFINITION_BUCKET, "ObjectKey": "shape.json"}
    }


def _describe_cost(client: Any, arn: str, calls: int = 200) -> float:
    """CPU seconds of one DescribePipelineExecution (median of 5 batches after a warm-up)."""
    for _ in range(20):
        client.describe_pipeline_execution(PipelineExecutionArn=arn)
    batches = []
    for _ in range(5):
        cpu0 = time.process_time()
        for _ in range(calls // 5):
            client.describe_pipeline_execution(PipelineExecutionArn=arn)
        batches.append((time.process_time() - cpu0) / (calls // 5))
    return sorted(batches)[2]


def _succeeded_steps(client: Any, arn: str, responses: list[dict[str, Any]] | None) -> int:
    """How many steps ListPipelineExecutionSteps lists ``Succeeded``, every page.

    Each page's response as botocore received it (status, headers, body bytes) is appended to
    ``responses`` (unless it is ``None``), so that :func:`_parse_cost` can time botocore's parse
    of it alone. The parsed pages go when this returns: the heap figures taken after it are the
    mock's, not the client's copy of the listing (one page of every step without
    ``MaxResults``).
    """

    kept = responses if responses is not None else []

    def keep(response_dict: dict[str, Any], **_: Any) -> None:
        kept.append(dict(response_dict))

    event = "before-parse.sagemaker.ListPipelineExecutionSteps"
    if responses is not None:
        client.meta.events.register(event, keep)
    listed = 0
    try:
        paginator = client.get_paginator("list_pipeline_execution_steps")
        for page in paginator.paginate(PipelineExecutionArn=arn):
            listed += sum(s["StepStatus"] == "Succeeded" for s in page["PipelineExecutionSteps"])
    finally:
        if responses is not None:
            client.meta.events.unregister(event, keep)
    return listed


def _parse_cost(client: Any, responses: list[dict[str, Any]]) -> float:
    """CPU seconds botocore's own parser takes to read ``responses`` (the listing's pages).

    The same parser class and output shape botocore uses for the call: the client's share of
    the listing, which no server-side change can remove while botocore parses a real response.
    """
    import botocore.parsers

    shape = client.meta.service_model.operation_model("ListPipelineExecutionSteps").output_shape
    parser = botocore.parsers.create_parser(client.meta.service_model.protocol)
    cpu0 = time.process_time()
    for response in responses:
        parser.parse(response, shape)
    return time.process_time() - cpu0


def _full_collections() -> tuple[dict[str, float], Any]:
    """A ``gc.callbacks`` hook that adds up the seconds CPython spends in full collections."""
    totals = {"seconds": 0.0, "count": 0.0, "started": 0.0}

    def hook(phase: str, info: dict[str, Any]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            totals["started"] = time.process_time()
        else:
            totals["seconds"] += time.process_time() - totals["started"]
            totals["count"] += 1

    return totals, hook


def shape_run(
    shape: str, steps: int, seed: int, trace_memory: bool = False, collect: bool = True
) -> dict[str, Any]:
    """One run of ``shape`` with ``steps`` steps; phase timings or (``trace_memory``) heap figures.

    ``collect=False`` (``--no-gc``) pauses CPython's cyclic garbage collector for the engine
    phase, to show how much of its growth the collector's full collections are.
    """
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    out: dict[str, Any] = {"shape": shape, "steps": steps}
    with mock_sagemaker_pipelines(
        seed=seed,
        start_time=START_TIME,
        auto_callbacks=True,
        auto_lambdas=True,
        emit_events=True,
        report="off",
    ) as pipelines:
        client = aws_client()
        client.list_pipelines()
        client.get_paginator("list_pipeline_execution_steps")  # its model, outside the figures
        queue_url = str(aws_client("sqs").create_queue(QueueName=QUEUE)["QueueUrl"])
        source = _source(shape_definition(shape, steps, queue_url))
        gc.collect()
        if trace_memory:
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
        create0 = mark()
        client.create_pipeline(PipelineName="shape", RoleArn=ROLE, **source)
        if trace_memory:
            gc.collect()
            created = tracemalloc.get_traced_memory()[0]
        collections, hook = _full_collections()
        engine0 = mark()
        gc.callbacks.append(hook)
        try:
            with garbage_collection(collect):
                arn = client.start_pipeline_execution(PipelineName="shape")["PipelineExecutionArn"]
                pipelines.run_until_idle()
                engine1 = mark()
        finally:
            gc.callbacks.remove(hook)
        if trace_memory:  # the run's own high-water mark, before the client reads the listing
            run_peak = tracemalloc.get_traced_memory()[1]
        if not collect:  # the paused collector's backlog, outside the timed listing
            gc.collect()
        responses: list[dict[str, Any]] | None = None if trace_memory else []
        list0 = mark()
        listed = _succeeded_steps(client, arn, responses)
        list1 = mark()
        status = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        if trace_memory:
            gc.collect()
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            out["heap_peak_bytes"] = peak - baseline
            out["heap_run_peak_bytes"] = run_peak - baseline
            out["heap_retained_bytes"] = current - baseline
            out["heap_execution_bytes"] = current - created
        else:
            out["describe_cpu"] = _describe_cost(client, arn)
            out["list_parse_cpu"] = _parse_cost(client, responses or [])
    if status != "Succeeded" or listed != steps:
        raise RuntimeError(f"{shape} x {steps}: {status}, {listed} steps listed Succeeded")
    out["create"] = engine0[0] - create0[0]
    out["engine"], out["engine_cpu"] = engine1[0] - engine0[0], engine1[1] - engine0[1]
    out["engine_full_gc_cpu"] = collections["seconds"]
    out["engine_full_gcs"] = collections["count"]
    out["list"], out["list_cpu"] = list1[0] - list0[0], list1[1] - list0[1]
    return out


def shape_cell(
    shape: str, steps: int, repeat: int, seed: int, collect: bool = True
) -> dict[str, Any]:
    """Median of ``repeat`` timed runs of one (shape, size), and one traced run."""
    runs = [shape_run(shape, steps, seed, collect=collect) for _ in range(repeat)]

    def median(key: str) -> float:
        return sorted(r[key] for r in runs)[len(runs) // 2]

    cell = {"shape": shape, "steps": steps, "repeat": repeat}
    keys = ("create", "engine", "engine_cpu", "list", "list_cpu", "describe_cpu")
    for key in (*keys, "list_parse_cpu", "engine_full_gc_cpu", "engine_full_gcs"):
        cell[key] = median(key)
    cell["list_in_describes"] = cell["list_cpu"] / cell["describe_cpu"]
    cell["list_parse_in_describes"] = cell["list_parse_cpu"] / cell["describe_cpu"]
    traced = shape_run(shape, steps, seed, trace_memory=True)
    cell["heap_peak_bytes"] = traced["heap_peak_bytes"]
    cell["heap_run_peak_bytes"] = traced["heap_run_peak_bytes"]
    cell["heap_retained_bytes"] = traced["heap_retained_bytes"]
    cell["heap_execution_bytes"] = traced["heap_execution_bytes"]
    return cell
