"""Scenario 1: a generated fan-out/fan-in pipeline run to ``Succeeded`` through boto3.

One root step, N-2 parallel steps that depend on it (Training and Processing alternate), one
step that depends on all of them. Each phase (create, start, run, describe, list) is timed in
wall and CPU time; one extra run is traced by ``tracemalloc`` for the heap figures.
"""

from __future__ import annotations

import gc
import json
import statistics
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..common import PHASES, ROLE, START_TIME, aws_client, mark, max_rss_bytes

#: CreatePipeline's inline PipelineDefinition limit (bytes). Bigger generated definitions go
#: through PipelineDefinitionS3Location, as the SageMaker Python SDK does for big definitions.
MAX_DEFINITION_BYTES = 1_048_576
DEFINITION_BUCKET = "bench-pipeline-definitions"


# ----------------------------------------------------------------------------- definitions
def _training_arguments() -> dict[str, Any]:
    return {
        "AlgorithmSpecification": {"TrainingImage": "image:latest", "TrainingInputMode": "File"},
        "OutputDataConfig": {"S3OutputPath": "s3://bench-bucket/output"},
        "ResourceConfig": {
            "InstanceCount": 1,
            "InstanceType": "ml.m5.xlarge",
            "VolumeSizeInGB": 30,
        },
        "RoleArn": ROLE,
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
    }


def _processing_arguments() -> dict[str, Any]:
    return {
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.xlarge",
                "VolumeSizeInGB": 30,
            }
        },
        "AppSpecification": {"ImageUri": "image:latest"},
        "RoleArn": ROLE,
    }


def _step(name: str, step_type: str, depends_on: list[str] | None) -> dict[str, Any]:
    args = _training_arguments() if step_type == "Training" else _processing_arguments()
    step: dict[str, Any] = {"Name": name, "Type": step_type, "Arguments": args}
    if depends_on:
        step["DependsOn"] = depends_on
    return step


def fan_definition(steps: int) -> str:
    """A PipelineDefinition of ``steps`` steps: Root -> Fan0..Fan(N-3) in parallel -> Join.

    Fan-out steps alternate Training (even) and Processing (odd); Root is Processing, Join is
    Training. ``steps`` must be at least 3.
    """
    if steps < 3:
        raise ValueError("a fan-out/fan-in pipeline needs at least 3 steps")
    fan = [f"Fan{i}" for i in range(steps - 2)]
    body = [_step("Root", "Processing", None)]
    body += [
        _step(name, "Training" if i % 2 == 0 else "Processing", ["Root"])
        for i, name in enumerate(fan)
    ]
    body.append(_step("Join", "Training", fan))
    return json.dumps({"Version": "2020-12-01", "Metadata": {}, "Parameters": [], "Steps": body})


# ----------------------------------------------------------------------------- events
def _add_event_rule() -> str:
    """An EventBridge rule forwarding every ``aws.sagemaker`` event to a new SQS queue; its URL."""
    sqs = aws_client("sqs")
    events = aws_client("events")
    url = sqs.create_queue(QueueName="bench-pipeline-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name="bench-sagemaker", EventPattern=json.dumps({"source": ["aws.sagemaker"]}))
    events.put_targets(Rule="bench-sagemaker", Targets=[{"Id": "queue", "Arn": queue_arn}])
    return str(url)


def _queue_depth(url: str) -> int:
    attributes = aws_client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


# ----------------------------------------------------------------------------- runs
@contextmanager
def garbage_collection(enabled: bool) -> Iterator[None]:
    """Leave CPython's cyclic garbage collector on, or pause it for the block (``--no-gc``)."""
    if enabled or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def run_pipeline_once(
    steps: int, variant: str, seed: int, trace_memory: bool = False, collect_garbage: bool = True
) -> dict[str, Any]:
    """One fan-out/fan-in run of ``steps`` steps through boto3 in a fresh mock; phase timings.

    With ``trace_memory`` the run is traced by ``tracemalloc`` (slower; timings not comparable)
    and the result carries the peak and retained heap above the pre-run baseline. Without
    ``collect_garbage`` the cyclic garbage collector is paused during the run.
    """
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    definition = fan_definition(steps)
    result: dict[str, Any] = {
        "steps": steps,
        "variant": variant,
        "definition_bytes": len(definition),
    }
    with (
        garbage_collection(collect_garbage),
        mock_sagemaker_pipelines(
            seed=seed, emit_events=variant != "events-off", start_time=START_TIME
        ) as pipelines,
    ):
        client = aws_client()
        client.list_pipelines()  # load the service model and endpoint rules outside the timings
        queue_url = _add_event_rule() if variant == "events-rule" else None
        source: dict[str, Any] = {"PipelineDefinition": definition}
        if len(definition) > MAX_DEFINITION_BYTES:
            s3 = aws_client("s3")
            s3.create_bucket(Bucket=DEFINITION_BUCKET)
            s3.put_object(Bucket=DEFINITION_BUCKET, Key="bench.json", Body=definition.encode())
            source = {
                "PipelineDefinitionS3Location": {
                    "Bucket": DEFINITION_BUCKET,
                    "ObjectKey": "bench.json",
                }
            }
        result["definition_via"] = "s3" if "PipelineDefinitionS3Location" in source else "inline"
        gc.collect()
        rss_before = max_rss_bytes()
        if trace_memory:
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
        marks: list[tuple[float, float]] = []  # (wall, CPU) at each phase boundary
        marks.append(mark())
        client.create_pipeline(
            PipelineName="bench", RoleArn=ROLE, ClientRequestToken="c" * 32, **source
        )
        marks.append(mark())
        arn = client.start_pipeline_execution(PipelineName="bench", ClientRequestToken="s" * 32)[
            "PipelineExecutionArn"
        ]
        marks.append(mark())
        pipelines.run_until_idle()
        marks.append(mark())
        status = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        marks.append(mark())
        listed: list[dict[str, Any]] = []
        pages = 0
        for page in client.get_paginator("list_pipeline_execution_steps").paginate(
            PipelineExecutionArn=arn
        ):
            pages += 1
            listed.extend(page["PipelineExecutionSteps"])
        marks.append(mark())
        listed_count = len(listed)
        not_succeeded = [s["StepName"] for s in listed if s["StepStatus"] != "Succeeded"]
        del listed, page  # the client's copy of the listing is not what the mock retains
        if trace_memory:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["heap_peak_bytes"] = peak - baseline
            result["heap_retained_bytes"] = current - baseline
        result["rss_growth_bytes"] = max(0, max_rss_bytes() - rss_before)
        result["rss_peak_bytes"] = max_rss_bytes()
        result["simulated_seconds"] = pipelines.simulation.clock.elapsed()
        if queue_url is not None:
            result["events_delivered"] = _queue_depth(queue_url)
    if status != "Succeeded":
        raise RuntimeError(f"{steps}-step execution ended {status}, expected Succeeded")
    if listed_count != steps or not_succeeded:
        raise RuntimeError(
            f"{steps}-step execution listed {listed_count} steps, not succeeded: {not_succeeded[:5]}"
        )
    for index, phase in enumerate(PHASES):
        result[phase] = marks[index + 1][0] - marks[index][0]
        result[f"{phase}_cpu"] = marks[index + 1][1] - marks[index][1]
    result["total"] = marks[-1][0] - marks[0][0]
    result["total_cpu"] = marks[-1][1] - marks[0][1]
    result["pages"] = pages
    return result


def scaling_cell(
    steps: int, variant: str, repeat: int, seed: int, collect_garbage: bool = True
) -> dict[str, Any]:
    """``repeat`` timed runs (best of each phase, median total) and one tracemalloc pass."""
    runs = [
        run_pipeline_once(steps, variant, seed, collect_garbage=collect_garbage)
        for _ in range(repeat)
    ]
    cell: dict[str, Any] = {
        "steps": steps,
        "variant": variant,
        "repeat": repeat,
        "definition_bytes": runs[0]["definition_bytes"],
        "definition_via": runs[0]["definition_via"],
        "pages": runs[0]["pages"],
        "simulated_seconds": runs[0]["simulated_seconds"],
        # the first run sets this process's RSS high-water mark; later runs reuse freed memory
        "rss_growth_bytes": runs[0]["rss_growth_bytes"],
        "rss_peak_bytes": max(r["rss_peak_bytes"] for r in runs),
    }
    for phase in PHASES:
        cell[phase] = min(r[phase] for r in runs)
        cell[f"{phase}_cpu"] = min(r[f"{phase}_cpu"] for r in runs)
    cell["total"] = sum(cell[p] for p in PHASES)
    cell["total_cpu"] = sum(cell[f"{p}_cpu"] for p in PHASES)
    cell["total_median"] = statistics.median(r["total"] for r in runs)
    cell["total_cpu_median"] = statistics.median(r["total_cpu"] for r in runs)
    if "events_delivered" in runs[0]:
        cell["events_delivered"] = runs[0]["events_delivered"]
    traced = run_pipeline_once(
        steps, variant, seed, trace_memory=True, collect_garbage=collect_garbage
    )
    cell["heap_peak_bytes"] = traced["heap_peak_bytes"]
    cell["heap_retained_bytes"] = traced["heap_retained_bytes"]
    return cell
