"""Output of ``simulate``: the timeline table and the JSON form of its timestamps.

The table is described in the docstring of :mod:`mock_sagemaker_pipelines.cli`: one row per
step (type, status, ``T+seconds`` start and end, attempts, a bar scaled to the run), the steps
that never started as ``(not run)``, then the execution's final status and failure reasons.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import _Plan
    from .simulate import _Result


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def _offset(when: datetime | None, zero: datetime) -> float | None:
    return None if when is None else (when - zero).total_seconds()


def _t(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    rounded = round(seconds, 1)
    if rounded == int(rounded):
        return f"T+{int(rounded)}s"
    return f"T+{rounded:.1f}s"


def _bar(start: float, end: float, total: float, width: int) -> str:
    first = min(math.floor(start / total * width), width - 1)
    last = min(max(first + 1, math.ceil(end / total * width)), width)
    return "|" + " " * first + "#" * (last - first) + " " * (width - last) + "|"


def render_table(plan: _Plan, result: _Result, width: int = 40) -> str:
    """The timeline of a simulated execution as text (see the module docstring)."""
    execution = result.execution
    zero: datetime = execution["CreationTime"]
    status = str(execution.get("PipelineExecutionStatus"))
    terminal = status in ("Succeeded", "Failed", "Stopped", "CompletedWithFailures")
    end_time: datetime = execution.get("LastModifiedTime", zero) if terminal else result.now
    by_name = {s["StepName"]: s for s in result.steps}

    spans: list[float] = [_offset(end_time, zero) or 0.0]
    for step in result.steps:
        spans.append(_offset(step.get("EndTime"), zero) or _offset(result.now, zero) or 0.0)
    total = max(max(spans), 1e-9)

    rows: list[tuple[str, ...]] = [
        ("STEP", "TYPE", "STATUS", "START", "END", "ATTEMPTS", "TIMELINE")
    ]
    started = sorted(
        result.steps,
        key=lambda s: (
            s.get("StartTime") or zero,
            plan.graph.steps[s["StepName"]].order if s["StepName"] in plan.graph.steps else 0,
        ),
    )
    for step in started:
        name = step["StepName"]
        known = plan.graph.steps.get(name) or plan.graph.body_step(name)
        kind = known.type if known is not None else "?"
        start = _offset(step.get("StartTime"), zero) or 0.0
        end = _offset(step.get("EndTime"), zero)
        bar_end = end if end is not None else (_offset(result.now, zero) or start)
        rows.append(
            (
                name,
                kind,
                str(step.get("StepStatus", "-")),
                _t(start),
                _t(end),
                str(step.get("AttemptCount", 1)),
                _bar(start, bar_end, total, width),
            )
        )
    for name, definition in plan.graph.steps.items():
        if name not in by_name:
            rows.append(
                (name, definition.type, "(not run)", "-", "-", "-", "|" + " " * width + "|")
            )

    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        f"Pipeline   {plan.pipeline_name}",
        f"Execution  {execution.get('PipelineExecutionArn')}",
        f"Started    {_iso(zero)}",
    ]
    if plan.parameters:
        shown = ", ".join(f"{k}={v}" for k, v in plan.parameters.items())
        lines.append(f"Parameters {shown}")
    if plan.stop_at is not None:
        lines.append(f"Stop at    {_t(plan.stop_at)}")
    lines.append("")
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.append("")
    when = (
        f" at {_t(_offset(end_time, zero))}"
        if terminal
        else f" (now {_t(_offset(result.now, zero))})"
    )
    final = f"Execution {status}{when}"
    if execution.get("FailureReason"):
        final += f": {execution['FailureReason']}"
    lines.append(final)
    for step in started:
        if step.get("FailureReason"):
            lines.append(f"  {step['StepName']}: {step['FailureReason']}")
    return "\n".join(lines)
