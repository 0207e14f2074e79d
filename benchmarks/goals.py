"""Issue 15's figures, each printed next to its goal: shapes, per call, ``wait()``, ``simulate``."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .common import mib
from .report import _section


def print_shapes(cells: list[dict[str, Any]]) -> None:
    """Engine CPU per shape and size, growth per 10x, listing priced in describe calls, memory."""
    title = "Step kinds and shapes: engine = StartPipelineExecution + run_until_idle (CPU, median)"
    with _section(title):
        print(
            f"{'shape':<9}{'steps':>7}{'engine ms':>11}{'x per 10x':>11}{'list ms':>10}"
            f"{'list/describe':>15}{'KiB/step':>10}{'exec KiB':>10}{'peak MiB':>10}"
            f"{'full GC ms':>12}"
        )
        for shape, series in itertools.groupby(cells, key=lambda c: c["shape"]):
            previous = None
            for c in series:
                growth = ""
                if previous is not None:
                    factor = c["steps"] / previous["steps"]
                    growth = f"{c['engine_cpu'] / previous['engine_cpu'] * 10 / factor:.1f}x"
                print(
                    f"{shape:<9}{c['steps']:>7}{c['engine_cpu'] * 1000:>11.0f}{growth:>11}"
                    f"{c['list_cpu'] * 1000:>10.0f}{c['list_in_describes']:>15.0f}"
                    f"{c['heap_retained_bytes'] / c['steps'] / 1024:>10.1f}"
                    f"{c.get('heap_execution_bytes', 0) / c['steps'] / 1024:>10.1f}"
                    f"{mib(c['heap_run_peak_bytes']):>10.1f}"
                    f"{c['engine_full_gc_cpu'] * 1000:>12.0f}"
                )
                previous = c


def _worst_growth(shapes: list[dict[str, Any]], cost: Callable[[dict[str, Any]], float]) -> float:
    """The largest growth per 10x steps of ``cost`` between consecutive sizes of one shape."""
    worst = 0.0
    for _, series in itertools.groupby(shapes, key=lambda c: c["shape"]):
        for a, b in itertools.pairwise(list(series)):
            worst = max(worst, cost(b) / cost(a) * 10 / (b["steps"] / a["steps"]))
    return worst


def print_calls(result: dict[str, Any]) -> None:
    """Each action per call: plugin, plain moto, the Stubber floor."""
    with _section("Owned actions per call (CPU us, median of 5 batches)"):
        print(f"{'action':<40}{'plugin':>8}{'moto':>8}{'floor':>8}{'/moto':>8}{'/floor':>8}")
        for operation, plugin in result["plugin"].items():
            moto = result["moto"].get(operation)
            floor = result["floor"][operation]
            print(
                f"{operation:<40}{plugin * 1e6:>8.0f}"
                f"{(f'{moto * 1e6:.0f}' if moto else '-'):>8}{floor * 1e6:>8.0f}"
                f"{(f'{plugin / moto:.2f}x' if moto else '-'):>8}{plugin / floor:>7.1f}x"
            )


def print_wait(result: dict[str, Any]) -> None:
    """The two-hour ``wait()``."""
    with _section("SDK wait() on a two-hour execution (30 s delay, waiter warping on)"):
        print(f"wall {result['wall']:.3f} s, CPU {result['cpu']:.3f} s, {result['polls']} polls")
        print(
            f"first poll T+{result['first'][0]:.0f}s {result['first'][1]}, last poll "
            f"T+{result['last'][0]:.0f}s {result['last'][1]}; "
            f"{result['simulated_seconds'] / result['wall']:.0f}x compression (wall)"
        )
        print(
            f"wire floor (the plugin's response bytes replayed at before-send, no mock): "
            f"{result['floor_wall']:.3f} s wall for {result['floor_polls']} polls"
        )


def print_simulate(result: dict[str, Any]) -> None:
    """``simulate`` of the abalone example."""
    with _section("mock-sagemaker-pipelines simulate of the abalone example (fresh interpreter)"):
        print(
            f"end to end {result['simulate']:.2f} s wall, {result.get('simulate_cpu', 0):.2f} s CPU "
            f"(the interpreter alone "
            f"{result['interpreter']:.2f} s); import mock_sagemaker_pipelines.cli "
            f"{result['import_cli']:.2f} s"
        )


def _row(goal: str, figure: str, met: bool | None) -> None:
    mark = "-" if met is None else ("met" if met else "NOT met")
    print(f"{goal:<58}{figure:<34}{mark}")


def print_goals(
    shapes: list[dict[str, Any]],
    calls: dict[str, Any] | None,
    wait: dict[str, Any] | None,
    simulate: dict[str, Any] | None,
) -> None:
    """One line per goal of issue 15: the goal, the figure measured in this run, met or not."""
    with _section("Issue 15 goals: figure in this run, next to its goal"):
        worst = _worst_growth(shapes, lambda c: c["engine_cpu"]) if shapes else None
        if worst is not None:
            _row("1. engine cost per 10x steps <= 11x (worst shape)", f"{worst:.1f}x", worst <= 11)
            collected = _worst_growth(shapes, lambda c: c["engine_cpu"] - c["engine_full_gc_cpu"])
            full = max(c["engine_full_gc_cpu"] for c in shapes)
            _row(
                "1. ... without CPython's full collections",
                f"{collected:.1f}x ({full:.2f} s in them)",
                None,
            )
        callback = [c for c in shapes if c["shape"] == "callback" and c["steps"] == 2000]
        if callback:
            cpu = callback[0]["engine_cpu"]
            _row("1. 2,000-step Callback fan-out engine time < 1 s", f"{cpu:.2f} s CPU", cpu < 1)
        listing = [c for c in shapes if c["steps"] == 2000 and c["shape"] == "fan-out"]
        if listing:
            n = listing[0]["list_in_describes"]
            _row(
                "2. list 2,000 steps <= 30 DescribePipelineExecution", f"{n:.0f} describes", n <= 30
            )
            parse = listing[0]["list_parse_in_describes"]
            _row("2. ... of which botocore's parse of the response", f"{parse:.0f} describes", None)
            _row("2. ... the rest (request, the mock's answer)", f"{n - parse:.0f} describes", None)
        if calls:
            ratios = [calls["plugin"][op] / calls["moto"][op] for op in calls["moto"]]
            _row(
                "3. every owned action <= plain moto", f"worst {max(ratios):.2f}x", max(ratios) <= 1
            )
            floor = calls["plugin"]["DescribePipelineExecution"]
            floor /= calls["floor"]["DescribePipelineExecution"]
            _row("3. ratio to the Stubber floor (Describe...Execution)", f"{floor:.1f}x", None)
        finished = [c for c in shapes if c["steps"] == max(s["steps"] for s in shapes)]
        if finished:
            kib = max(c["heap_retained_bytes"] / c["steps"] / 1024 for c in finished)
            peak = max(mib(c["heap_run_peak_bytes"]) for c in finished)
            listing_peak = max(mib(c["heap_peak_bytes"]) for c in finished)
            steps = finished[0]["steps"]
            _row(
                "4. <= 3 KiB retained per step (worst shape)", f"{kib:.1f} KiB at {steps}", kib <= 3
            )
            own = max(c.get("heap_execution_bytes", 0) / c["steps"] / 1024 for c in finished)
            _row("4. ... of which the execution's own (worst shape)", f"{own:.1f} KiB", None)
            if steps >= 20000:
                _row("4. 20,000-step run under 100 MiB peak", f"{peak:.0f} MiB", peak < 100)
                _row("4. ... with the client's parsed listing", f"{listing_peak:.0f} MiB", None)
        if wait:
            _row("5. two-hour wait() under 0.1 s wall", f"{wait['wall']:.3f} s", wait["wall"] < 0.1)
            _row(
                "5. ... botocore alone (the wire floor, same polls)",
                f"{wait['floor_wall']:.3f} s",
                None,
            )
            _row(
                "5. ... same polls and statuses", f"{wait['polls']} polls, {wait['statuses']}", None
            )
        if simulate:
            wall = simulate["simulate"]
            _row("6. simulate of the abalone example under 1 s", f"{wall:.2f} s wall", wall < 1)
