#!/usr/bin/env python
"""Benchmark of mock-sagemaker-pipelines: big fan-out/fan-in pipelines and per-call overhead.

A script, not a test (pytest's ``testpaths`` are ``tests`` and ``examples``). Run from the
repository root with the project's virtualenv active::

    python benchmarks/bench.py                       # sizes 100,1000,3000; 500 describe calls
    python benchmarks/bench.py --quick               # a smoke run (about a minute)
    python benchmarks/bench.py --sizes 100,1000 --calls 500 --json results.json
    python benchmarks/bench.py --profile 1000        # cProfile one 1,000-step run, then exit

What is measured (``benchmarks/README.md`` has the details and the latest figures):

1. **Pipeline scaling.** A generated pipeline of N steps: one root step, N-2 parallel steps that
   depend on it (fan-out; Training and Processing steps alternate), one step that depends on all
   of them (fan-in). Through boto3: CreatePipeline, StartPipelineExecution,
   ``PipelinesMock.run_until_idle()``, DescribePipelineExecution (must be ``Succeeded``),
   ListPipelineExecutionSteps (every page; all N steps must be listed ``Succeeded``). Wall and
   CPU time per phase (``time.perf_counter``, ``time.process_time``; best of ``--repeat``), peak
   and retained Python heap
   (``tracemalloc``, in a separate pass because tracing slows the run down) and the growth of the
   process's peak RSS (``resource.getrusage``). Each (size, variant) cell runs in a fresh child
   process so that neither RSS high-water marks nor garbage from one cell leak into the next.
   Variants: ``events-on`` (the default ``emit_events=True``; no EventBridge rule exists, as in
   most tests), ``events-off`` (``emit_events=False``) and, on request only (it is slow),
   ``events-rule`` (a rule on the default bus forwards every ``aws.sagemaker`` event to an SQS
   queue, so each event is delivered).
2. **Per-call overhead.** DescribePipelineExecution ``--calls`` times on a started execution,
   served by the plugin, then by moto's own SageMaker under a plain ``moto.mock_aws()`` (the
   plugin provably inactive), in the same process; plus the plugin while a 1,000-step execution
   is half-way through (the call's cost must not depend on the amount of simulated state).
3. **SDK example suite (optional).** When ``examples/sdk_suite/`` exists, it is run with pytest
   in a child process (waiter warping on, the plugin's default); the wall time (and the part of
   it spent in the mock) is reported next to the simulated time its mocks covered. Skipped with
   a note when the suite is absent.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SDK_SUITE = ROOT / "examples" / "sdk_suite"
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerPipelinesBenchmark"
#: CreatePipeline's inline PipelineDefinition limit (bytes). Bigger generated definitions go
#: through PipelineDefinitionS3Location, as the SageMaker Python SDK does for big definitions.
MAX_DEFINITION_BYTES = 1_048_576
DEFINITION_BUCKET = "bench-pipeline-definitions"
#: Marks the result line a child process prints on stdout.
RESULT_MARKER = "@@BENCH-RESULT@@ "
VARIANTS = ("events-on", "events-off", "events-rule")
#: Variants run unless ``--variants`` says otherwise (events-rule is slow: see the README).
DEFAULT_VARIANTS = ("events-on", "events-off")
START_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)
#: The timed phases of one pipeline run, in order.
PHASES = ("create", "start", "run", "describe", "list")


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


# ----------------------------------------------------------------------------- helpers
def _client(service: str = "sagemaker") -> Any:
    import boto3

    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
    )


def _max_rss_bytes() -> int:
    """The process's peak resident set size (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _mark() -> tuple[float, float]:
    """(wall seconds, this process's CPU seconds): CPU time is what other load on the machine
    disturbs least, wall time is what a test suite waits."""
    return time.perf_counter(), time.process_time()


def _mib(value: float) -> float:
    return value / (1024 * 1024)


def _add_event_rule() -> str:
    """An EventBridge rule forwarding every ``aws.sagemaker`` event to a new SQS queue; its URL."""
    sqs = _client("sqs")
    events = _client("events")
    url = sqs.create_queue(QueueName="bench-pipeline-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_rule(Name="bench-sagemaker", EventPattern=json.dumps({"source": ["aws.sagemaker"]}))
    events.put_targets(Rule="bench-sagemaker", Targets=[{"Id": "queue", "Arn": queue_arn}])
    return str(url)


def _queue_depth(url: str) -> int:
    attributes = _client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


# ----------------------------------------------------------------------------- scaling
@contextmanager
def _garbage_collection(enabled: bool) -> Iterator[None]:
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
        _garbage_collection(collect_garbage),
        mock_sagemaker_pipelines(
            seed=seed, emit_events=variant != "events-off", start_time=START_TIME
        ) as pipelines,
    ):
        client = _client()
        client.list_pipelines()  # load the service model and endpoint rules outside the timings
        queue_url = _add_event_rule() if variant == "events-rule" else None
        source: dict[str, Any] = {"PipelineDefinition": definition}
        if len(definition) > MAX_DEFINITION_BYTES:
            s3 = _client("s3")
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
        rss_before = _max_rss_bytes()
        if trace_memory:
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
        marks: list[tuple[float, float]] = []  # (wall, CPU) at each phase boundary
        marks.append(_mark())
        client.create_pipeline(
            PipelineName="bench", RoleArn=ROLE, ClientRequestToken="c" * 32, **source
        )
        marks.append(_mark())
        arn = client.start_pipeline_execution(PipelineName="bench", ClientRequestToken="s" * 32)[
            "PipelineExecutionArn"
        ]
        marks.append(_mark())
        pipelines.run_until_idle()
        marks.append(_mark())
        status = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        marks.append(_mark())
        listed: list[dict[str, Any]] = []
        pages = 0
        for page in client.get_paginator("list_pipeline_execution_steps").paginate(
            PipelineExecutionArn=arn
        ):
            pages += 1
            listed.extend(page["PipelineExecutionSteps"])
        marks.append(_mark())
        if trace_memory:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["heap_peak_bytes"] = peak - baseline
            result["heap_retained_bytes"] = current - baseline
        result["rss_growth_bytes"] = max(0, _max_rss_bytes() - rss_before)
        result["rss_peak_bytes"] = _max_rss_bytes()
        result["simulated_seconds"] = pipelines.simulation.clock.elapsed()
        if queue_url is not None:
            result["events_delivered"] = _queue_depth(queue_url)
    if status != "Succeeded":
        raise RuntimeError(f"{steps}-step execution ended {status}, expected Succeeded")
    not_succeeded = [s["StepName"] for s in listed if s["StepStatus"] != "Succeeded"]
    if len(listed) != steps or not_succeeded:
        raise RuntimeError(
            f"{steps}-step execution listed {len(listed)} steps, not succeeded: {not_succeeded[:5]}"
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


# ----------------------------------------------------------------------------- describe
def _time_calls(call: Callable[[], Any], calls: int, repeat: int) -> tuple[float, float]:
    """Best-of-``repeat`` mean (wall, CPU) seconds per call of ``call``, after 20 warm-up calls."""
    for _ in range(20):
        call()
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall0, cpu0 = _mark()
        for _ in range(calls):
            call()
        wall1, cpu1 = _mark()
        best_wall = min(best_wall, (wall1 - wall0) / calls)
        best_cpu = min(best_cpu, (cpu1 - cpu0) / calls)
    return best_wall, best_cpu


def describe_overhead(calls: int, repeat: int, seed: int, busy_steps: int) -> dict[str, Any]:
    """Per-call DescribePipelineExecution: plugin, plugin with a busy simulation, plain moto."""
    import moto

    from mock_sagemaker_pipelines import _moto as plugin_moto
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    small = fan_definition(3)
    out: dict[str, Any] = {"calls": calls, "repeat": repeat}

    with mock_sagemaker_pipelines(seed=seed, start_time=START_TIME) as pipelines:
        assert plugin_moto.is_active()
        client = _client()
        client.create_pipeline(PipelineName="small", RoleArn=ROLE, PipelineDefinition=small)
        arn = client.start_pipeline_execution(PipelineName="small")["PipelineExecutionArn"]
        status = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        out["plugin_status"] = status
        out["plugin"] = _time_calls(
            lambda: client.describe_pipeline_execution(PipelineExecutionArn=arn), calls, repeat
        )
        # The same call while a big execution is half-way: its events wait in the scheduler.
        client.create_pipeline(
            PipelineName="busy", RoleArn=ROLE, PipelineDefinition=fan_definition(busy_steps)
        )
        busy = client.start_pipeline_execution(PipelineName="busy")["PipelineExecutionArn"]
        pipelines.advance(400)  # Root is done; every fan-out step is Executing
        out["busy_steps"] = busy_steps
        out["busy_pending_events"] = pipelines.simulation.scheduler.pending()
        out["plugin_busy"] = _time_calls(
            lambda: client.describe_pipeline_execution(PipelineExecutionArn=busy), calls, repeat
        )

    with moto.mock_aws():
        if plugin_moto.is_active():
            raise RuntimeError("the plugin is still routing SageMaker under plain mock_aws")
        client = _client()
        client.create_pipeline(
            PipelineName="small",
            RoleArn=ROLE,
            PipelineDefinition=small,
            ClientRequestToken="m" * 32,
        )
        arn = client.start_pipeline_execution(PipelineName="small", ClientRequestToken="n" * 32)[
            "PipelineExecutionArn"
        ]
        out["moto_status"] = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        out["moto"] = _time_calls(
            lambda: client.describe_pipeline_execution(PipelineExecutionArn=arn), calls, repeat
        )
    out["ratio"] = out["plugin"][0] / out["moto"][0]
    out["ratio_cpu"] = out["plugin"][1] / out["moto"][1]
    return out


# ----------------------------------------------------------------------------- SDK suite
def sdk_suite_child() -> dict[str, Any]:
    """Run ``examples/sdk_suite`` with pytest in this process; wall and simulated time.

    Every :class:`Simulation` created during the run is remembered and its clock's elapsed
    simulated seconds summed; every warped waiter sleep is counted, and the wall time spent in
    the mock (every request moto's botocore stubber serves, plugin or moto) is summed.
    """
    import pytest
    from moto.core.botocore_stubber import BotocoreStubber

    from mock_sagemaker_pipelines import mock as mock_module
    from mock_sagemaker_pipelines.engine import simulation as simulation_module

    simulations: list[Any] = []
    sleeps: list[float] = []
    in_mock = [0.0, 0.0]  # seconds serving requests, seconds advancing the clock in sleeps
    original_init = simulation_module.Simulation.__init__
    original_sleep = mock_module._WarpedTime.sleep
    original_stub = BotocoreStubber.__call__

    def recording_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        simulations.append(self)

    def recording_sleep(self: Any, seconds: float) -> None:
        sleeps.append(float(seconds))
        t0 = time.perf_counter()
        try:
            original_sleep(self, seconds)
        finally:
            in_mock[1] += time.perf_counter() - t0

    def timed_stub(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original_stub(self, *args, **kwargs)
        finally:
            in_mock[0] += time.perf_counter() - t0

    class Outcomes:
        """Counts test outcomes (call phase, plus setup errors and skips)."""

        def __init__(self) -> None:
            self.counts: dict[str, int] = {}
            self.in_tests = 0.0  # setup + call + teardown, as pytest measures them
            self.collected_at: float | None = None

        def pytest_collection_finish(self, session: Any) -> None:
            self.collected_at = time.perf_counter()

        def pytest_runtest_logreport(self, report: Any) -> None:
            self.in_tests += float(report.duration)
            if report.when == "call" or (report.when == "setup" and not report.passed):
                self.counts[report.outcome] = self.counts.get(report.outcome, 0) + 1

    simulation_module.Simulation.__init__ = recording_init  # type: ignore[method-assign]
    mock_module._WarpedTime.sleep = recording_sleep  # type: ignore[method-assign]
    BotocoreStubber.__call__ = timed_stub  # type: ignore[method-assign]
    outcomes = Outcomes()
    os.chdir(ROOT)
    t0 = time.perf_counter()
    try:
        exit_code = pytest.main(
            [str(SDK_SUITE), "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-x"],
            plugins=[outcomes],
        )
    finally:
        simulation_module.Simulation.__init__ = original_init  # type: ignore[method-assign]
        mock_module._WarpedTime.sleep = original_sleep  # type: ignore[method-assign]
        BotocoreStubber.__call__ = original_stub  # type: ignore[method-assign]
    wall = time.perf_counter() - t0
    return {
        "exit_code": int(exit_code),
        "wall_seconds": wall,
        "tests": outcomes.counts,
        "startup_and_collection_seconds": (
            outcomes.collected_at - t0 if outcomes.collected_at is not None else None
        ),
        "in_tests_seconds": outcomes.in_tests,
        "in_mock_requests_seconds": in_mock[0],
        "in_warped_sleeps_seconds": in_mock[1],
        "simulations": len(simulations),
        "simulated_seconds": sum(s.clock.elapsed() for s in simulations),
        "warped_waiter_sleeps": len(sleeps),
        "warped_waiter_seconds": sum(sleeps),
    }


# ----------------------------------------------------------------------------- machine
def machine_info() -> dict[str, Any]:
    """Platform, CPU, Python and library versions of this run."""

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    cpu_model = platform.processor() or None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": cpu_model,
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "moto": version("moto"),
        "boto3": version("boto3"),
        "botocore": version("botocore"),
        "mock_sagemaker_pipelines": version("mock-sagemaker-pipelines"),
        "sagemaker": version("sagemaker"),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


# ----------------------------------------------------------------------------- children
def _run_child(task: dict[str, Any], isolate: bool) -> dict[str, Any]:
    """Run ``task`` in a fresh interpreter (``isolate``) or in this one; its result dict."""
    if not isolate:
        return _child_task(task)
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(task)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            return dict(json.loads(line[len(RESULT_MARKER) :]))
    raise RuntimeError(
        f"benchmark child {task} failed (exit {proc.returncode}):\n"
        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )


def _child_task(task: dict[str, Any]) -> dict[str, Any]:
    kind = task["kind"]
    if kind == "scaling":
        return scaling_cell(
            task["steps"], task["variant"], task["repeat"], task["seed"], task.get("gc", True)
        )
    if kind == "describe":
        return describe_overhead(task["calls"], task["repeat"], task["seed"], task["busy_steps"])
    if kind == "sdk":
        return sdk_suite_child()
    raise ValueError(f"unknown benchmark task {kind!r}")


# ----------------------------------------------------------------------------- report
def _fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


@contextmanager
def _section(title: str) -> Iterator[None]:
    print()
    print(title)
    print("-" * len(title))
    yield


def print_machine(info: dict[str, Any]) -> None:
    """The machine block of the report."""
    with _section("Machine"):
        print(f"platform     {info['platform']} ({info['machine']})")
        print(f"cpu          {info['cpu_model']} x {info['cpu_count']}")
        if info["load_average"]:
            print(f"load average {', '.join(f'{x:.2f}' for x in info['load_average'])} (at start)")
        print(f"python       {info['python']} ({info['python_implementation']})")
        print(
            f"libraries    moto {info['moto']}, boto3 {info['boto3']}, botocore {info['botocore']}, "
            f"mock-sagemaker-pipelines {info['mock_sagemaker_pipelines']}, sagemaker {info['sagemaker']}"
        )


def _row(cells: list[str], widths: list[int]) -> str:
    """Left-align the first cell, right-align the rest."""
    first, *rest = cells
    return f"{first:<{widths[0]}}" + "".join(
        f"{c:>{w}}" for c, w in zip(rest, widths[1:], strict=True)
    )


def print_scaling(cells: list[dict[str, Any]], skipped: list[str]) -> None:
    """The scaling tables (wall time per phase; CPU time and memory) and the growth ratios."""
    widths = [12, 6, 9, 8, 9, 9, 9, 9, 9]
    title = "Fan-out/fan-in pipeline run to Succeeded through boto3: wall ms, best of repeats"
    with _section(title):
        head = [
            "variant",
            "steps",
            "create",
            "start",
            "run",
            "describe",
            "list",
            "total",
            "us/step",
        ]
        print(_row(head, widths))
        for c in cells:
            phases = [_fmt_ms(c[p]).strip() for p in (*PHASES, "total")]
            per_step = f"{c['total'] / c['steps'] * 1e6:.0f}"
            print(_row([c["variant"], str(c["steps"]), *phases, per_step], widths))

    widths = [12, 6, 9, 9, 9, 9, 11, 11, 11]
    with _section("CPU time (this process, best of repeats) and memory (one traced run)"):
        head = [
            "variant",
            "steps",
            "run ms",
            "list ms",
            "total ms",
            "us/step",
            "heap peak",
            "retained",
            "RSS +",
        ]
        print(_row(head, widths))
        for c in cells:
            row = [
                c["variant"],
                str(c["steps"]),
                f"{c['run_cpu'] * 1000:.1f}",
                f"{c['list_cpu'] * 1000:.1f}",
                f"{c['total_cpu'] * 1000:.1f}",
                f"{c['total_cpu'] / c['steps'] * 1e6:.0f}",
                f"{_mib(c['heap_peak_bytes']):.1f} MiB",
                f"{_mib(c['heap_retained_bytes']):.1f} MiB",
                f"{_mib(c['rss_growth_bytes']):.1f} MiB",
            ]
            print(_row(row, widths))
        for note in skipped:
            print(note)
        for c in cells:
            if c.get("definition_via") == "s3" and c["variant"] == cells[0]["variant"]:
                print(
                    f"{c['steps']} steps: the {c['definition_bytes']}-byte definition is over the "
                    "1 MiB inline limit and goes through PipelineDefinitionS3Location"
                )
        for c in cells:
            if "events_delivered" in c:
                print(
                    f"events-rule, {c['steps']} steps: {c['events_delivered']} events sent to SQS"
                )
        if cells:
            print(
                f"each run covers {cells[0]['simulated_seconds']:.0f} simulated seconds; list = "
                "every ListPipelineExecutionSteps page (100 steps a page)"
            )

    widths = [12, 14, 9, 8, 8, 9, 10, 8]
    with _section("Growth: time ratio / step ratio (1.00 = linear)"):
        head = ["variant", "steps", "x steps", "wall", "cpu", "run cpu", "list cpu", "heap"]
        print(_row(head, widths))
        for variant in VARIANTS:
            series = [c for c in cells if c["variant"] == variant]
            for a, b in itertools.pairwise(series):
                factor = b["steps"] / a["steps"]
                ratios = [
                    b["total"] / a["total"],
                    b["total_cpu"] / a["total_cpu"],
                    b["run_cpu"] / a["run_cpu"],
                    b["list_cpu"] / a["list_cpu"],
                    b["heap_peak_bytes"] / a["heap_peak_bytes"],
                ]
                row = [variant, f"{a['steps']}->{b['steps']}", f"{factor:.1f}x"]
                print(_row(row + [f"{r / factor:.2f}" for r in ratios], widths))

    off = {c["steps"]: c for c in cells if c["variant"] == "events-off"}
    others = [c for c in cells if c["variant"] != "events-off" and c["steps"] in off]
    if others:
        with _section("EventBridge events: CPU time of the run phase / emit_events=False"):
            for c in others:
                ratio = c["run_cpu"] / off[c["steps"]]["run_cpu"]
                print(f"{c['variant']:<12}{c['steps']:>6} steps  {ratio:.2f}x")


def print_describe(result: dict[str, Any]) -> None:
    """The per-call DescribePipelineExecution comparison."""
    title = (
        f"DescribePipelineExecution per call ({result['calls']} calls, best of {result['repeat']})"
    )
    busy = f"plugin, {result['busy_steps']}-step execution half-way"
    rows = [
        ("plugin (mock_sagemaker_pipelines)", result["plugin"]),
        ("moto's own SageMaker (plain mock_aws)", result["moto"]),
        (busy, result["plugin_busy"]),
    ]
    with _section(title):
        print(f"{'':<42}{'wall us':>9}{'cpu us':>9}")
        for label, (wall, cpu) in rows:
            print(f"{label:<42}{wall * 1e6:>9.0f}{cpu * 1e6:>9.0f}")
        print(f"{'plugin / moto':<42}{result['ratio']:>8.2f}x{result['ratio_cpu']:>8.2f}x")
        print(f"({result['busy_pending_events']} events were pending in the busy simulation)")


def print_sdk(result: dict[str, Any] | None, note: str | None) -> None:
    """The optional SDK example suite line."""
    with _section("SDK example suite (examples/sdk_suite, waiter warping on)"):
        if result is None:
            print(note)
            return
        tests = ", ".join(f"{v} {k}" for k, v in sorted(result["tests"].items())) or "no tests"
        print(f"pytest exit code        {result['exit_code']} ({tests})")
        print(f"wall time               {result['wall_seconds']:.2f} s")
        if result.get("startup_and_collection_seconds") is not None:
            print(
                f"  start-up + collection {result['startup_and_collection_seconds']:.2f} s "
                "(imports the SageMaker SDK)"
            )
        print(
            f"  inside the tests      {result['in_tests_seconds']:.2f} s (setup + call + teardown)"
        )
        print(
            f"    serving requests    {result['in_mock_requests_seconds']:.2f} s "
            "(moto + plugin, every AWS call)"
        )
        print(
            f"    in warped sleeps    {result['in_warped_sleeps_seconds']:.2f} s "
            "(advancing the simulated clock)"
        )
        print(
            f"simulated time covered  {result['simulated_seconds']:.0f} s "
            f"({result['simulated_seconds'] / 3600:.1f} h) in {result['simulations']} simulations"
        )
        print(
            f"warped waiter sleeps    {result['warped_waiter_sleeps']} "
            f"({result['warped_waiter_seconds']:.0f} s that were not waited)"
        )
        if result["in_tests_seconds"] > 0:
            speedup = result["simulated_seconds"] / result["in_tests_seconds"]
            print(f"simulated / in-test     {speedup:.0f}x")
        if result["wall_seconds"] > 0:
            speedup = result["simulated_seconds"] / result["wall_seconds"]
            print(f"simulated / wall        {speedup:.0f}x")


# ----------------------------------------------------------------------------- main
def profile(steps: int, variant: str, seed: int, top: int) -> None:
    """cProfile one run of ``steps`` steps and print the ``top`` functions by cumulative time."""
    run_pipeline_once(3, variant, seed)  # imports and first-call costs outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    run_pipeline_once(steps, variant, seed)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=None, help="comma-separated step counts (default 100,1000,3000)"
    )
    parser.add_argument(
        "--calls", type=int, default=None, help="DescribePipelineExecution calls (default 500)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="timed runs per cell (default 3)")
    parser.add_argument(
        "--variants",
        default=",".join(DEFAULT_VARIANTS),
        help=f"comma-separated subset of {','.join(VARIANTS)} (default: {','.join(DEFAULT_VARIANTS)})",
    )
    parser.add_argument(
        "--rule-max-steps",
        type=int,
        default=300,
        help="largest size the events-rule variant runs (default 300)",
    )
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--quick", action="store_true", help="sizes 100,300; 100 calls; 1 repeat")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="pause CPython's cyclic garbage collector during each pipeline run (diagnostic)",
    )
    parser.add_argument(
        "--in-process", action="store_true", help="do not isolate cells in child processes"
    )
    parser.add_argument(
        "--sdk-suite",
        choices=("auto", "skip"),
        default="auto",
        help="run examples/sdk_suite when it exists (auto, default) or never (skip)",
    )
    parser.add_argument(
        "--profile", type=int, metavar="STEPS", help="cProfile one run of STEPS steps and exit"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [
        int(s) for s in (args.sizes or ("100,300" if args.quick else "100,1000,3000")).split(",")
    ]
    args.calls = args.calls or (100 if args.quick else 500)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = set(args.variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report; 0 on success."""
    args = parse_args(argv)
    if args.child:
        result = _child_task(json.loads(args.child))
        print(RESULT_MARKER + json.dumps(result))
        return 0
    if args.profile:
        profile(args.profile, args.variants[0], args.seed, 40)
        return 0

    info = machine_info()
    print("mock-sagemaker-pipelines benchmark")
    print_machine(info)
    isolate = not args.in_process
    started = time.perf_counter()

    cells: list[dict[str, Any]] = []
    skipped: list[str] = []
    for variant in args.variants:
        for steps in sorted(args.sizes):
            if variant == "events-rule" and steps > args.rule_max_steps:
                skipped.append(
                    f"events-rule, {steps} steps: skipped (above --rule-max-steps {args.rule_max_steps}; "
                    "moto's event delivery is slow and its SQS queue quadratic)"
                )
                continue
            print(f"  running {variant}, {steps} steps ...", file=sys.stderr, flush=True)
            task = {
                "kind": "scaling",
                "steps": steps,
                "variant": variant,
                "repeat": args.repeat,
                "seed": args.seed,
                "gc": not args.no_gc,
            }
            cells.append(_run_child(task, isolate))
    if args.no_gc:
        skipped.append("--no-gc: CPython's cyclic garbage collector was paused during each run")
    print_scaling(cells, skipped)

    print(
        "  running DescribePipelineExecution per-call comparison ...", file=sys.stderr, flush=True
    )
    describe = _run_child(
        {
            "kind": "describe",
            "calls": args.calls,
            "repeat": args.repeat,
            "seed": args.seed,
            "busy_steps": 1000,
        },
        isolate,
    )
    print_describe(describe)

    sdk: dict[str, Any] | None = None
    sdk_note: str | None = None
    if args.sdk_suite == "skip":
        sdk_note = "skipped (--sdk-suite skip)"
    elif not SDK_SUITE.is_dir():
        sdk_note = f"skipped: {SDK_SUITE.relative_to(ROOT)} does not exist in this checkout"
    else:
        print("  running the SDK example suite ...", file=sys.stderr, flush=True)
        sdk = _run_child({"kind": "sdk"}, True)
    print_sdk(sdk, sdk_note)

    print(f"\nbenchmark wall time: {time.perf_counter() - started:.1f} s")
    if args.json:
        payload = {
            "machine": info,
            "options": {
                "sizes": args.sizes,
                "calls": args.calls,
                "repeat": args.repeat,
                "variants": args.variants,
                "seed": args.seed,
                "isolated": isolate,
                "gc": not args.no_gc,
            },
            "scaling": cells,
            "skipped": skipped,
            "describe": describe,
            "sdk_suite": sdk if sdk is not None else {"skipped": sdk_note},
        }
        Path(args.json).write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
