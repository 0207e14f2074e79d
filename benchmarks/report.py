"""The benchmark's report: the side-by-side tables it prints on stdout."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .common import PHASES, VARIANTS, mib


def _fmt_ms(seconds: float) -> str:
    """Seconds as right-aligned milliseconds."""
    return f"{seconds * 1000:9.1f}"


@contextmanager
def _section(title: str) -> Iterator[None]:
    """A blank line, the title underlined; the block prints the section."""
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
                f"{mib(c['heap_peak_bytes']):.1f} MiB",
                f"{mib(c['heap_retained_bytes']):.1f} MiB",
                f"{mib(c['rss_growth_bytes']):.1f} MiB",
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
