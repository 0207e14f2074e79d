"""The benchmark scenarios, one module per family, and the dispatch of one task to them.

A task is a JSON-able dict whose ``kind`` names the scenario (``scaling``, ``describe``,
``shape``, ``calls``, ``wait``, ``simulate``, ``sdk``); the rest are its arguments. Tasks run in a child process or in this one
(:func:`benchmarks.children.run_child`).
"""

from __future__ import annotations

from typing import Any

from .calls import per_action, simulate_command, two_hour_wait
from .fan_out import scaling_cell
from .per_call import describe_overhead
from .sdk_suite import sdk_suite_child
from .shapes import shape_cell


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Run one benchmark task here; its result dict."""
    kind = task["kind"]
    if kind == "scaling":
        return scaling_cell(
            task["steps"], task["variant"], task["repeat"], task["seed"], task.get("gc", True)
        )
    if kind == "describe":
        return describe_overhead(task["calls"], task["repeat"], task["seed"], task["busy_steps"])
    if kind == "shape":
        return shape_cell(
            task["shape"], task["steps"], task["repeat"], task["seed"], task.get("gc", True)
        )
    if kind == "calls":
        return per_action(task["calls"], task["seed"])
    if kind == "wait":
        return two_hour_wait(task["seed"])
    if kind == "simulate":
        return simulate_command(task["repeat"])
    if kind == "sdk":
        return sdk_suite_child()
    raise ValueError(f"unknown benchmark task {kind!r}")
