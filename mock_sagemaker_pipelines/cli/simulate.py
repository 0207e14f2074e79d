"""The ``simulate`` command: run a planned definition through boto3, moto and the plugin.

:func:`_simulate` runs the execution on the simulated clock (scripted outcomes, queues, the
optional stop) and collects what the AWS API reports; :func:`_cmd_simulate` prints it as a
table or JSON (:mod:`.render`), then the notes and the steps left waiting, and chooses the exit
status. boto3, moto and the plugin are imported only when a simulation runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any
from unittest import mock as _umock

from ..scenario import apply_outcome
from .common import EXIT_FAILED, EXIT_OK, EXIT_WAITING, UsageError
from .plan import _create_queues, _Plan, _plan
from .render import _json_default, render_table
from .result import SimulationResult


def property_file_notes(plan: _Plan, steps: list[dict[str, Any]]) -> list[str]:
    """What each property file the definition reads is, where, and how to script it, for the
    property files that were not provided (a reader failed or never got to read)."""
    from ..engine.property_hints import property_file_uses

    failed = {s["StepName"] for s in steps if s.get("StepStatus") == "Failed"}
    notes = []
    for use in property_file_uses(plan.text):
        provided = use.step_name in plan.job_handlers or _scripts_file(
            plan.outcomes.get(use.step_name), use.property_file
        )
        if use.readers and not provided and any(r in failed for r, _ in use.readers):
            readers = ", ".join(f"{step} ({path})" for step, path in use.readers)
            example = json.dumps({"succeed": True, "property_files": {use.property_file: {}}})
            notes.append(
                f"{use.step_name} writes property file {use.property_file} to {use.location}, "
                f"read by {readers}; script it: --outcome {use.step_name}='{example}' (fill in "
                f'the JSON), or a scenario "handlers" entry whose job handler calls '
                f"context.write_property_file({use.property_file!r}, ...)"
            )
    return notes


def _scripts_file(spec: Any, name: str) -> bool:
    specs = spec if isinstance(spec, list) else [spec]
    return any(isinstance(s, dict) and name in (s.get("property_files") or {}) for s in specs)


def _simulate(plan: _Plan, args: argparse.Namespace) -> SimulationResult:
    from botocore.exceptions import ClientError

    from .. import service_models
    from .._moto import peers
    from ..mock import mock_sagemaker_pipelines

    auto = not args.strict
    options: dict[str, Any] = {
        "seed": args.seed,
        "auto_callbacks": auto,
        "auto_lambdas": auto,
        "durations": plan.durations,
        "step_durations": plan.step_durations,
        "report": "off",  # the command reports unused outcomes and waiting steps itself
    }
    if args.start_time is not None:
        options["start_time"] = args.start_time
    with (
        _umock.patch.dict(os.environ, {"MOTO_ACCOUNT_ID": plan.account}),
        mock_sagemaker_pipelines(**options) as pipelines,
    ):
        for step_name, spec in plan.outcomes.items():
            apply_outcome(pipelines, step_name, spec)
        for step_name, handler in plan.job_handlers.items():
            pipelines.job_handler(step_name, handler)
        _create_queues(plan, sys.stderr)
        # plain dicts, as JSON prints them
        sm: Any = service_models.client("sagemaker", plan.region)
        try:
            sm.create_pipeline(
                PipelineName=plan.pipeline_name,
                PipelineDefinition=plan.text,
                RoleArn=plan.role_arn,
            )
            arn = sm.start_pipeline_execution(
                PipelineName=plan.pipeline_name,
                PipelineParameters=[{"Name": k, "Value": v} for k, v in plan.parameters.items()],
            )["PipelineExecutionArn"]
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise UsageError(
                f"{exc.operation_name} failed: {error.get('Code')}: {error.get('Message')}"
            ) from exc
        started = sm.describe_pipeline_execution(PipelineExecutionArn=arn)["CreationTime"]
        stop_sent: float | None = None
        notes: list[str] = []
        if plan.stop_at is not None:
            elapsed = (pipelines.now() - started).total_seconds()
            if plan.stop_at > elapsed:
                pipelines.advance(plan.stop_at - elapsed)
            status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            if status["PipelineExecutionStatus"] == "Executing":
                sm.stop_pipeline_execution(PipelineExecutionArn=arn)
                stop_sent = (pipelines.now() - started).total_seconds()
            else:
                notes.append(
                    f"no stop was sent at T+{plan.stop_at:g}s: the execution was already "
                    f"{status['PipelineExecutionStatus']}"
                )
        pipelines.run_until_idle()

        execution = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
        execution.pop("ResponseMetadata", None)
        steps: list[dict[str, Any]] = []
        for page in sm.get_paginator("list_pipeline_execution_steps").paginate(
            PipelineExecutionArn=arn, SortOrder="Ascending"
        ):
            steps.extend(page["PipelineExecutionSteps"])

        waiting: list[str] = []
        if args.strict:
            for pending in pipelines.pending_callbacks():
                waiting.append(
                    f"{pending.step_name} (Callback): waiting for SendPipelineExecutionStepSuccess"
                    f" or SendPipelineExecutionStepFailure with CallbackToken "
                    f"{pending.callback_token} (message sent to {pending.sqs_queue_url})"
                )
            failed = {s["StepName"] for s in steps if s.get("StepStatus") == "Failed"}
            for step in plan.graph.steps.values():
                if step.type != "Lambda" or step.name in plan.outcomes or step.name not in failed:
                    continue
                meta = next(s for s in steps if s["StepName"] == step.name).get("Metadata", {})
                function_arn = str(meta.get("Lambda", {}).get("Arn", step.function_arn))
                ref = peers.parse_function_arn(function_arn, plan.account, plan.region)
                if not peers.lambda_function_exists(ref):
                    waiting.append(
                        f"{step.name} (Lambda): no function {ref.arn} and no scripted outcome, so"
                        f" the step failed (script it: --outcome {step.name}=succeed)"
                    )
        notes += [line for line in pipelines.report() if "was never answered" not in line]
        notes += property_file_notes(plan, steps)
        runs: dict[str, dict[str, Any]] = {}
        for engine in pipelines.executions():
            if engine.arn != arn:
                continue
            for step_run in engine.runs.values():
                if step_run.status is not None:
                    runs[step_run.name] = {
                        "Attempts": [dict(a) for a in step_run.attempts],
                        "Arguments": step_run.arguments,
                        "Outputs": dict(step_run.outputs),
                        "Properties": dict(step_run.properties),
                    }
        return SimulationResult(execution, steps, pipelines.now(), waiting, notes, stop_sent, runs)


def _write_html(path: str, plan: _Plan, result: SimulationResult) -> None:
    from .html import render_html

    try:
        Path(path).write_text(render_html(plan, result), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    print(f"note: wrote the HTML page of the run to {path}", file=sys.stderr)


def _encodes(stream: Any, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def _cmd_simulate(args: argparse.Namespace) -> int:
    plan = _plan(args)
    result = _simulate(plan, args)
    if args.format == "json":
        document = dict(result.execution)
        document["Steps"] = result.steps
        print(json.dumps(document, indent=2, default=_json_default))
    else:
        # COLUMNS, else the terminal's width; output to a pipe or a file is not cut.
        columns = shutil.get_terminal_size(fallback=(0, 0)).columns or None
        ellipsis = "…" if _encodes(sys.stdout, "…") else "..."
        print(render_table(plan, result, args.width, columns, ellipsis))
    if args.html:
        _write_html(args.html, plan, result)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if result.waiting:
        print("Steps waiting on outside input:", file=sys.stderr)
        for line in result.waiting:
            print(f"  {line}", file=sys.stderr)
        return EXIT_WAITING
    final = result.execution.get("PipelineExecutionStatus")
    if args.expect is not None and final != args.expect:
        print(
            f"mock-sagemaker-pipelines: the execution ended {final}, expected {args.expect}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK
