"""``simulate --html FILE``: the run as one self-contained HTML page.

The page needs no network: CSS and the little script are inline, the pictures are inline SVG
(:mod:`.svg`). It shows, top to bottom:

* the execution: pipeline, ARN, final status, start, parameters, the stop (if one was sent) and
  the FailureReason;
* the timeline as a Gantt chart: a bar per step and attempt (``StepRun.attempts``), coloured by
  status, the stop request and the Stopping period marked, the steps of an untaken Condition
  branch (and steps that never started after a failure or a stop) greyed;
* the pipeline's step graph, each step coloured by its status in this run;
* per step (``<details id="step-NAME">``): type, status, attempts, the resolved Arguments, the
  outputs, the Metadata of ListPipelineExecutionSteps and the failure reason.

Clicking a bar or a graph node opens that step's details. When the script has run it sets
``data-ready="true"`` on ``<body>`` (the browser test waits for it).
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from .render import TERMINAL_STATUSES, _iso, _json_default, _offset, _t
from .svg import Bar, Row, dag, gantt

if TYPE_CHECKING:
    from ..definition import StepGraph
    from .plan import _Plan
    from .result import SimulationResult

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:28px 0 8px}
table.facts td{padding:1px 12px 1px 0;vertical-align:top}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-weight:600}
.scroll{overflow-x:auto;border:1px solid #ddd;border-radius:6px;padding:8px;background:#fff}
svg text{font:12px system-ui,sans-serif;fill:#222}svg text.type{fill:#555;font-size:11px}
.tick{stroke:#e4e4e4}.axis{fill:#777}.label{cursor:pointer}
.bar,.node{cursor:pointer}.bar:hover,.node:hover rect{opacity:.8}
.stop{stroke:#c0392b;stroke-width:2;stroke-dasharray:5 3}.stop-label{fill:#c0392b}
.stopping{fill:#f5b041;opacity:.18}.skipped-label{fill:#888;font-style:italic}
.edge{fill:none;stroke:#888;stroke-width:1.4}.edge-data{stroke-dasharray:4 3}
.edge-label{font-size:11px;font-weight:600}.edge-label-true{fill:#1e7b45}
.edge-label-false{fill:#b03a2e}
.node rect{stroke:#555;stroke-width:1}.node.fail rect{stroke:#c0392b;stroke-width:3}
.node.condition rect{stroke-width:2}
.status-Succeeded{fill:#2e9d5b;background:#2e9d5b}.status-Failed{fill:#d64541;background:#d64541}
.status-Stopped{fill:#e67e22;background:#e67e22}.status-Stopping{fill:#f5b041;background:#f5b041}
.status-Executing,.status-Starting{fill:#3498db;background:#3498db}
.status-CompletedWithFailures{fill:#8e6c1f;background:#8e6c1f}
.node rect.status-not-run,.node rect.status-untaken-branch{fill:#eee;stroke-dasharray:4 3}
.node rect.status-Succeeded{fill:#d5f0de}.node rect.status-Failed{fill:#f8d7d5}
.node rect.status-Stopped{fill:#fbe2cc}.node rect.status-Stopping{fill:#fdebd0}
.node rect.status-Executing,.node rect.status-Starting{fill:#d6e9f8}
details{border:1px solid #ddd;border-radius:6px;margin:6px 0;padding:4px 10px;background:#fff}
details[open]{border-color:#999}summary{cursor:pointer;font-weight:600}
details.flash{box-shadow:0 0 0 3px #f5b041}
pre{background:#f6f6f6;padding:8px;border-radius:4px;overflow-x:auto;margin:4px 0}
.reason{color:#b03a2e;white-space:pre-wrap}.muted{color:#777}
"""

LEGEND = (
    '<p class="legend">'
    + " ".join(
        f'<span class="badge status-{s}">{s}</span>'
        for s in ("Succeeded", "Failed", "Stopped", "Stopping", "Executing")
    )
    + ' <span class="badge" style="background:#999">not run / branch not taken</span>'
    + ' <span class="muted">red dashed line: the stop request; shaded: Stopping</span></p>'
)

SCRIPT = """
(function () {
  function open(name) {
    var box = document.getElementById("step-" + name);
    if (!box) { return; }
    box.open = true;
    box.classList.add("flash");
    box.scrollIntoView({block: "center"});
    window.setTimeout(function () { box.classList.remove("flash"); }, 1200);
  }
  var items = document.querySelectorAll("svg [data-step]");
  for (var i = 0; i < items.length; i++) {
    items[i].addEventListener("click", function (event) {
      event.stopPropagation();
      open(this.getAttribute("data-step"));
    });
  }
  document.body.setAttribute("data-ready", "true");
})();
"""


def _json(value: Any) -> str:
    return escape(json.dumps(value, indent=2, default=_json_default, sort_keys=False))


def _skipped_reason(graph: StepGraph, name: str, by_name: dict[str, dict[str, Any]]) -> str:
    """``untaken-branch`` if ``name`` sits in a Condition branch its Condition did not take."""
    step = graph.steps[name]
    while step.parent is not None:
        parent = by_name.get(step.parent)
        if parent is not None:
            outcome = parent.get("Metadata", {}).get("Condition", {}).get("Outcome")
            taken = {"True": "if", "False": "else"}.get(str(outcome))
            return "untaken-branch" if taken is not None and taken != step.branch else "not-run"
        step = graph.steps[step.parent]
    return "not-run"


def _rows(plan: _Plan, result: SimulationResult, zero: datetime, now: float) -> list[Row]:
    by_name = {s["StepName"]: s for s in result.steps}
    started = sorted(
        result.steps,
        key=lambda s: (
            s.get("StartTime") or zero,
            plan.graph.steps[s["StepName"]].order if s["StepName"] in plan.graph.steps else 0,
        ),
    )
    rows: list[Row] = []
    for step in started:
        name = step["StepName"]
        kind = plan.graph.steps[name].type if name in plan.graph.steps else "?"
        attempts = result.runs.get(name, {}).get("Attempts") or [
            {
                "AttemptCount": step.get("AttemptCount", 1),
                "StartTime": step.get("StartTime"),
                "EndTime": step.get("EndTime"),
                "StepStatus": step.get("StepStatus"),
            }
        ]
        bars = []
        for attempt in attempts:
            start = _offset(attempt.get("StartTime"), zero) or 0.0
            end = _offset(attempt.get("EndTime"), zero)
            status = str(attempt.get("StepStatus") or step.get("StepStatus", "Executing"))
            if end is None:  # the open attempt: the step's status now
                status = str(step.get("StepStatus", "Executing"))
            title = (
                f"{name} attempt {attempt.get('AttemptCount', 1)}: {status}, "
                f"{_t(start)} to {_t(end) if end is not None else 'now'}"
            )
            if attempt.get("FailureReason"):
                title += f" ({attempt['FailureReason']})"
            bars.append(
                Bar(name, int(attempt.get("AttemptCount", 1)), start, end or now, status, title)
            )
        rows.append(Row(name, f"{name} ({kind})", tuple(bars)))
    for name, definition in plan.graph.steps.items():
        if name in by_name:
            continue
        reason = _skipped_reason(plan.graph, name, by_name)
        note = (
            f"branch not taken by {definition.parent}" if reason == "untaken-branch" else "not run"
        )
        rows.append(Row(name, f"{name} ({definition.type})", skipped=reason, note=note))
    return rows


def _details(plan: _Plan, result: SimulationResult, name: str, note: str) -> str:
    step_def = plan.graph.steps.get(name)  # None for a step the engine made (a child step)
    kind = step_def.type if step_def is not None else "?"
    step = next((s for s in result.steps if s["StepName"] == name), None)
    status = str(step.get("StepStatus")) if step else note
    parts = [
        f'<details id="step-{escape(name, quote=True)}"><summary>{escape(name)} '
        f'<span class="muted">{escape(kind)}</span> '
        f'<span class="badge status-{escape(status if step else "none", quote=True)}"'
        f"{'' if step else ' style=background:#999'}>{escape(status)}</span></summary>"
    ]
    if step is None:
        parts.append(f'<p class="muted">{escape(note)}: this step never started.</p>')
        defined = step_def.arguments if step_def is not None else None
        parts.append(f"<h4>Arguments (as defined)</h4><pre>{_json(defined)}</pre>")
        return "".join(parts) + "</details>"
    run = result.runs.get(name, {})
    zero = result.execution["CreationTime"]
    lines = [
        f"attempt {a.get('AttemptCount')}: {a.get('StepStatus', step.get('StepStatus'))} "
        f"{_t(_offset(a.get('StartTime'), zero))} to {_t(_offset(a.get('EndTime'), zero))}"
        + (f" ({a['FailureReason']})" if a.get("FailureReason") else "")
        for a in run.get("Attempts", [])
    ]
    parts.append(f"<h4>Attempts</h4><pre>{escape(chr(10).join(lines) or '-')}</pre>")
    if step.get("FailureReason"):
        parts.append(
            f'<h4>Failure reason</h4><p class="reason">{escape(step["FailureReason"])}</p>'
        )
    parts.append(f"<h4>Arguments (resolved)</h4><pre>{_json(run.get('Arguments'))}</pre>")
    if run.get("Outputs"):
        parts.append(f"<h4>Outputs</h4><pre>{_json(run['Outputs'])}</pre>")
    elif run.get("Properties"):  # a job step's outputs are its properties (Steps.X.<path>)
        parts.append(
            "<details><summary>Properties (what Steps."
            f"{escape(name)}.&lt;path&gt; reads)</summary><pre>{_json(run['Properties'])}</pre>"
            "</details>"
        )
    parts.append(f"<h4>Metadata</h4><pre>{_json(step.get('Metadata', {}))}</pre>")
    return "".join(parts) + "</details>"


def render_html(plan: _Plan, result: SimulationResult) -> str:
    """The page (see the module docstring) as one string."""
    execution = result.execution
    zero: datetime = execution["CreationTime"]
    status = str(execution.get("PipelineExecutionStatus"))
    terminal = status in TERMINAL_STATUSES
    end_time: datetime = execution.get("LastModifiedTime", zero) if terminal else result.now
    now = _offset(result.now, zero) or 0.0
    end = _offset(end_time, zero) or 0.0
    spans = [end, now if not terminal else 0.0]
    spans += [_offset(s.get("EndTime"), zero) or now for s in result.steps]
    rows = _rows(plan, result, zero, now)
    statuses = {s["StepName"]: str(s.get("StepStatus")) for s in result.steps}
    statuses.update({r.step: r.skipped for r in rows if r.skipped})

    facts = [
        ("Pipeline", escape(plan.pipeline_name)),
        ("Execution", f"<code>{escape(str(execution.get('PipelineExecutionArn')))}</code>"),
        (
            "Status",
            f'<span class="badge status-{escape(status)}">{escape(status)}</span>'
            + (f" at {_t(end)}" if terminal else f" (now {_t(now)})"),
        ),
        ("Started", escape(_iso(zero))),
    ]
    if plan.parameters:
        shown = ", ".join(f"{k}={v}" for k, v in plan.parameters.items())
        facts.append(("Parameters", escape(shown)))
    if result.stop_sent is not None:
        facts.append(("Stop sent", f"{_t(result.stop_sent)} (StopPipelineExecution)"))
    if execution.get("FailureReason"):
        facts.append(
            ("Failure", f'<span class="reason">{escape(str(execution["FailureReason"]))}</span>')
        )
    fact_rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in facts)
    details = "".join(_details(plan, result, r.step, r.note) for r in rows)
    title = f"{plan.pipeline_name}: {status}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS}</style></head><body>"
        f'<h1>{escape(plan.pipeline_name)}</h1><table class="facts">{fact_rows}</table>'
        "<h2>Timeline</h2>"
        f'<div class="scroll">{gantt(rows, max(spans), result.stop_sent, end)}'
        f"{LEGEND}</div>"
        "<h2>Step graph</h2>"
        f'<div class="scroll">{dag(plan.graph, statuses)}</div>'
        f"<h2>Steps</h2>{details}"
        f"<script>{SCRIPT}</script></body></html>\n"
    )
