"""The two pictures of ``simulate --html``, as inline SVG: the Gantt chart and the step graph.

:func:`gantt` draws one row per step of the definition and one ``<rect class="bar">`` per
attempt of a started step (``data-step``, ``data-attempt``, ``data-status``; coloured by
StepStatus), the steps that never started as a grey hatched band (``class="skipped"``,
``data-reason`` ``untaken-branch`` or ``not-run``), the moment StopPipelineExecution was sent
as a red dashed line and the Stopping period (from the stop to the end of the execution) as a
shaded band. Times are simulated seconds after the execution started.

:func:`dag` lays the step graph out in layers (:func:`~.graph.layers`, top to bottom) with one
box per step (``class="node"``, coloured by the step's status in this run, Condition steps
rounded, Fail steps red-bordered) and one path per edge (:func:`~.graph.edges`: branch edges
labelled true/false, data references dashed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from ..definition import StepGraph
from .graph import edges, layers

ROW = 26  # pixels per Gantt row
LABEL = 260  # pixels of the Gantt's name column
CHART = 720  # pixels of the Gantt's time axis
NODE_W, NODE_H, GAP_X, GAP_Y = 200, 44, 28, 56


@dataclass(frozen=True)
class Bar:
    """One attempt of one step: simulated seconds ``start``..``end`` and its StepStatus."""

    step: str
    attempt: int
    start: float
    end: float
    status: str
    title: str


@dataclass(frozen=True)
class Row:
    """One Gantt row: a step with its bars, or a step that never started (``skipped`` reason)."""

    step: str
    label: str
    bars: tuple[Bar, ...] = ()
    skipped: str | None = None  # "untaken-branch" or "not-run"
    note: str = ""


def _attribute(text: object) -> str:
    return escape(str(text), quote=True)


def _ticks(total: float) -> list[float]:
    """About six round tick values from 0 to ``total`` seconds."""
    raw = total / 6 if total > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(total // step) + 1)]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gantt(rows: list[Row], total: float, stop: float | None, end: float | None) -> str:
    """The Gantt chart (see the module docstring); ``end`` is when the execution ended."""
    total = max(total, 1e-9)
    scale = CHART / total
    height = ROW * (len(rows) + 2)
    width = LABEL + CHART + 20
    out = [
        f'<svg class="gantt" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Gantt chart of the steps">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c8c8c8" stroke-width="3"/></pattern></defs>',
    ]
    axis_y = ROW * (len(rows) + 1)
    for tick in _ticks(total):
        x = LABEL + tick * scale
        out.append(
            f'<line class="tick" x1="{x:.1f}" y1="{ROW - 6}" x2="{x:.1f}" y2="{axis_y}"/>'
            f'<text class="axis" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle">'
            f"T+{tick:g}s</text>"
        )
    if stop is not None:
        x = LABEL + stop * scale
        until = end if end is not None and end > stop else total
        right = stop > total / 2  # the label goes where there is room
        anchor = "end" if right else "start"
        out.append(
            f'<rect class="stopping" x="{x:.1f}" y="{ROW - 6}" width="{(until - stop) * scale:.1f}"'
            f' height="{axis_y - ROW + 6}"><title>Stopping: T+{stop:g}s to T+{until:g}s'
            "</title></rect>"
            f'<line class="stop" x1="{x:.1f}" y1="{ROW - 10}" x2="{x:.1f}" y2="{axis_y}"/>'
            f'<text class="stop-label" x="{x + (-4 if right else 4):.1f}" y="{ROW - 12}" '
            f'text-anchor="{anchor}">stop requested T+{stop:g}s</text>'
        )
    for index, row in enumerate(rows, start=1):
        y = ROW * index
        out.append(
            f'<g class="row" data-step="{_attribute(row.step)}">'
            f'<text class="label" x="6" y="{y + 17}">{escape(_short(row.label, 38))}'
            f"<title>{escape(row.label)}</title></text>"
        )
        if row.skipped:
            out.append(
                f'<rect class="skipped" data-step="{_attribute(row.step)}" '
                f'data-reason="{row.skipped}" x="{LABEL}" y="{y + 4}" width="{CHART}" '
                f'height="{ROW - 8}" fill="url(#hatch)"><title>{escape(row.note)}</title></rect>'
                f'<text class="skipped-label" x="{LABEL + 8}" y="{y + 17}">'
                f"{escape(row.note)}</text>"
            )
        for bar in row.bars:
            x = LABEL + bar.start * scale
            w = max((bar.end - bar.start) * scale, 2.0)
            out.append(
                f'<rect class="bar status-{_attribute(bar.status)}" '
                f'data-step="{_attribute(bar.step)}" data-attempt="{bar.attempt}" '
                f'data-status="{_attribute(bar.status)}" x="{x:.1f}" y="{y + 4}" '
                f'width="{w:.1f}" height="{ROW - 8}" rx="3">'
                f"<title>{escape(bar.title)}</title></rect>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def dag(graph: StepGraph, statuses: dict[str, str]) -> str:
    """The step graph as SVG; ``statuses`` maps a step name to its status class in this run."""
    depth = layers(graph)
    by_layer: dict[int, list[str]] = {}
    for name in graph.steps:  # definition order within a layer
        by_layer.setdefault(depth[name], []).append(name)
    widest = max((len(names) for names in by_layer.values()), default=1)
    width = widest * (NODE_W + GAP_X) + GAP_X
    height = len(by_layer) * (NODE_H + GAP_Y) + GAP_Y
    where: dict[str, tuple[float, float]] = {}
    for layer, names in by_layer.items():
        offset = (width - len(names) * (NODE_W + GAP_X) + GAP_X) / 2
        for i, name in enumerate(names):
            where[name] = (offset + i * (NODE_W + GAP_X), GAP_Y / 2 + layer * (NODE_H + GAP_Y))
    out = [
        f'<svg class="dag" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        'aria-label="Graph of the pipeline steps">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#666"/></marker></defs>',
    ]
    for edge in edges(graph):
        (sx, sy), (tx, ty) = where[edge.source], where[edge.target]
        x1, y1, x2, y2 = sx + NODE_W / 2, sy + NODE_H, tx + NODE_W / 2, ty
        mid = (y1 + y2) / 2
        out.append(
            f'<path class="edge edge-{edge.kind}" d="M {x1:.1f} {y1:.1f} C {x1:.1f} {mid:.1f} '
            f'{x2:.1f} {mid:.1f} {x2:.1f} {y2:.1f}" marker-end="url(#arrow)"/>'
        )
        if edge.label:
            out.append(
                f'<text class="edge-label edge-label-{_attribute(edge.label)}" '
                f'x="{(x1 + x2) / 2:.1f}" y="{mid:.1f}" text-anchor="middle">'
                f"{escape(edge.label)}</text>"
            )
    for name, step in graph.steps.items():
        x, y = where[name]
        status = statuses.get(name, "not-run")
        shape = "condition" if step.type == "Condition" else "fail" if step.type == "Fail" else ""
        radius = 18 if shape == "condition" else 4
        out.append(
            f'<g class="node {shape}" data-step="{_attribute(name)}" '
            f'data-status="{_attribute(status)}"><rect class="status-{_attribute(status)}" '
            f'x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" height="{NODE_H}" rx="{radius}"/>'
            f'<text x="{x + NODE_W / 2:.1f}" y="{y + 18:.1f}" text-anchor="middle">'
            f"{escape(_short(name, 28))}</text>"
            f'<text class="type" x="{x + NODE_W / 2:.1f}" y="{y + 34:.1f}" '
            f'text-anchor="middle">{escape(step.type)}</text>'
            f"<title>{escape(name)} ({escape(step.type)}): {escape(status)}</title></g>"
        )
    out.append("</svg>")
    return "\n".join(out)
