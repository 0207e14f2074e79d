"""Output of ``simulate``: the timeline table and the JSON form of its timestamps.

The table is described in the docstring of :mod:`mock_sagemaker_pipelines.cli`: one row per
step (type, status, ``T+seconds`` start and end, attempts, a bar scaled to the run), the steps
that never started as ``(not run)``, then the execution's final status and failure reasons.

It fits the terminal: every line is at most ``columns`` characters (the caller passes
``shutil.get_terminal_size().columns``: ``COLUMNS``, else the terminal's width; nothing is cut
when the output goes to a pipe or a file and ``COLUMNS`` is unset). The bar shrinks first (down to :data:`MIN_BAR`, unless
its width was given), then the STEP and TYPE cells, then any longer line is cut; what is cut
ends with an ellipsis, and ``--format json`` has the full text (the execution ARN is never
cut). The moment StopPipelineExecution
was sent is a ``!`` in every bar, and the header's ``Stop sent`` line gives it; nothing is said
of a stop that was not sent.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .plan import _Plan
    from .result import SimulationResult

#: The widest and narrowest bar the table chooses by itself (characters inside the ``|``).
MAX_BAR = 40
MIN_BAR = 10
#: STEP and TYPE cells are never cut below this many characters.
MIN_NAME = 12
MIN_TYPE = 8
STOP_MARK = "!"
TERMINAL_STATUSES = ("Succeeded", "Failed", "Stopped", "CompletedWithFailures")


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


def cut(text: str, width: int, ellipsis: str = "…") -> str:
    """``text`` cut to ``width`` characters, ending with ``ellipsis`` when it was cut."""
    if len(text) <= width:
        return text
    keep = max(width - len(ellipsis), 0)
    return text[:keep] + ellipsis if width > len(ellipsis) else text[:width]


def _column(seconds: float, total: float, width: int) -> int:
    return min(math.floor(seconds / total * width), width - 1)


def _bar(start: float, end: float, total: float, width: int, stop: float | None) -> str:
    first = _column(start, total, width)
    last = min(max(first + 1, math.ceil(end / total * width)), width)
    cells = list(" " * first + "#" * (last - first) + " " * (width - last))
    if stop is not None:
        cells[_column(stop, total, width)] = STOP_MARK
    return "|" + "".join(cells) + "|"


def _fit(widths: list[int], bar: int | None, columns: int) -> tuple[list[int], int]:
    """Column widths (STEP, TYPE, then the fixed ones) and the bar width that fit ``columns``."""
    fixed = sum(widths) + 2 * len(widths) + 2  # cells, two spaces after each, the bar's "|"s
    if bar is None:
        bar = max(MIN_BAR, min(MAX_BAR, columns - fixed))
    over = fixed + bar - columns
    widths = list(widths)
    for index, floor in ((0, MIN_NAME), (1, MIN_TYPE)):
        if over <= 0:
            break
        give = min(over, max(widths[index] - floor, 0))
        widths[index] -= give
        over -= give
    return widths, bar


def render_table(
    plan: _Plan,
    result: SimulationResult,
    width: int | None = None,
    columns: int | None = None,
    ellipsis: str = "…",
) -> str:
    """The timeline of a simulated execution as text (see the module docstring).

    ``width``: the bar width (``None``: what fits, :data:`MIN_BAR` to :data:`MAX_BAR`);
    ``columns``: the terminal width every line fits in (``None``: no limit).
    """
    execution = result.execution
    zero: datetime = execution["CreationTime"]
    status = str(execution.get("PipelineExecutionStatus"))
    terminal = status in TERMINAL_STATUSES
    end_time: datetime = execution.get("LastModifiedTime", zero) if terminal else result.now
    by_name = {s["StepName"]: s for s in result.steps}
    stop = result.stop_sent

    spans: list[float] = [_offset(end_time, zero) or 0.0]
    for step in result.steps:
        spans.append(_offset(step.get("EndTime"), zero) or _offset(result.now, zero) or 0.0)
    total = max(max(spans), 1e-9)

    started = sorted(
        result.steps,
        key=lambda s: (
            s.get("StartTime") or zero,
            plan.graph.steps[s["StepName"]].order if s["StepName"] in plan.graph.steps else 0,
        ),
    )
    cells: list[tuple[str, ...]] = [("STEP", "TYPE", "STATUS", "START", "END", "ATTEMPTS")]
    spans_of_rows: list[tuple[float, float] | None] = [None]
    for step in started:
        name = step["StepName"]
        known = plan.graph.steps.get(name) or plan.graph.body_step(name)
        kind = known.type if known is not None else "?"
        start = _offset(step.get("StartTime"), zero) or 0.0
        end = _offset(step.get("EndTime"), zero)
        bar_end = end if end is not None else (_offset(result.now, zero) or start)
        cells.append(
            (
                name,
                kind,
                str(step.get("StepStatus", "-")),
                _t(start),
                _t(end),
                str(step.get("AttemptCount", 1)),
            )
        )
        spans_of_rows.append((start, bar_end))
    for name, definition in plan.graph.steps.items():
        if name not in by_name:
            cells.append((name, definition.type, "(not run)", "-", "-", "-"))
            spans_of_rows.append(None)

    natural = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    widths, bar = _fit(natural, width, columns) if columns else (natural, width or MAX_BAR)

    lines = [
        f"Pipeline   {plan.pipeline_name}",
        f"Execution  {execution.get('PipelineExecutionArn')}",
        f"Started    {_iso(zero)}",
    ]
    if plan.parameters:
        shown = ", ".join(f"{k}={v}" for k, v in plan.parameters.items())
        lines.append(f"Parameters {shown}")
    if stop is not None:
        lines.append(f"Stop sent  {_t(stop)} (StopPipelineExecution; {STOP_MARK} in the timeline)")
    lines.append("")
    for row, span in zip(cells, spans_of_rows, strict=True):
        texts = [cut(cell, widths[i], ellipsis).ljust(widths[i]) for i, cell in enumerate(row)]
        if span is None and row is cells[0]:
            timeline = "TIMELINE"
        elif span is None:
            timeline = _bar_blank(bar, total, stop)
        else:
            timeline = _bar(span[0], span[1], total, bar, stop)
        lines.append("  ".join([*texts, timeline]).rstrip())
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
    if not columns:
        return "\n".join(lines)
    # The execution ARN stays whole (it is copied into other commands); every other line fits.
    return "\n".join(
        line if i == 1 else cut(line, columns, ellipsis) for i, line in enumerate(lines)
    )


def _bar_blank(width: int, total: float, stop: float | None) -> str:
    cells = [" "] * width
    if stop is not None:
        cells[_column(stop, total, width)] = STOP_MARK
    return "|" + "".join(cells) + "|"
