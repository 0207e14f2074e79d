"""The ``mock-sagemaker-pipelines`` command line: ``simulate``, ``validate`` and ``server``.

``mock-sagemaker-pipelines simulate DEFINITION.json [options]``
    Runs the pipeline definition through boto3, moto and the plugin on the simulated clock and
    prints the timeline of the execution: one row per step with its type, status, start and end
    (``T+seconds`` after the execution started), attempts and a bar scaled to the run, then the
    execution's final status, its FailureReason and the failure reasons of failed steps. Steps of
    the definition that never started (the branch a Condition did not take, steps after a failure
    or a stop) are listed as ``(not run)``.

    Before the run, ``simulate`` creates in moto what the definition points at: the SQS queue of
    every Callback step (in the account and region its URL names; an ``SqsQueueUrl`` that is a
    ``{"Get": "Parameters.X"}`` or a ``Std:Join`` over parameters is resolved against the
    parameter values), so that a real definition runs unchanged. Model package groups and the jobs
    of job steps are created by the engine itself. The pipeline is created in the account and
    region the definition's ARNs and URLs name most often (``--account`` / ``--region`` override;
    otherwise 123456789012 / us-east-1).

    Callback and Lambda steps with no scripted outcome succeed after their default duration with
    typed placeholder outputs (``"<name>-placeholder"``, ``0``, ``0.0``, ``false``). With
    ``--strict`` they do not: the run goes until nothing can move without outside input, and the
    command names the steps that needed it (Callback steps still waiting for
    SendPipelineExecutionStepSuccess/Failure; Lambda steps that had no function to call and
    failed) and exits with status 3.

    Options: ``--parameter NAME=VALUE`` (repeatable), ``--outcome STEP=SPEC`` (repeatable; SPEC is
    ``succeed``, ``succeed:SECONDS``, ``fail``, ``fail:REASON`` or a JSON outcome object as in a
    scenario file), ``--scenario FILE``, ``--stop-at SECONDS`` (advance to that simulated second,
    call StopPipelineExecution if the execution is still Executing, then run on to the end),
    ``--format table|json``, ``--seed N`` (default 0: ids, tokens and timings are the same on
    every run; only absolute dates change, and ``--start-time`` fixes those too),
    ``--start-time ISO8601``, ``--region``, ``--account``, ``--pipeline-name``, ``--width``
    (bar width, default 40), ``--strict``, ``--expect STATUS``.

    ``--format json`` prints one JSON object: the DescribePipelineExecution response plus
    ``Steps``, the ListPipelineExecutionSteps list (ascending by start time); timestamps are ISO
    8601 strings in UTC.

``mock-sagemaker-pipelines validate DEFINITION.json [...]``
    Runs CreatePipeline's definition checks offline and prints one line per problem
    (``PATH: problem``), or ``PATH: OK``.

``mock-sagemaker-pipelines server [--host 127.0.0.1] [--port 5000] [--seed N]``
    Serves moto over HTTP with the plugin active, plus the control endpoints under
    ``/moto-api/sagemaker-pipelines/`` (see :mod:`mock_sagemaker_pipelines.server`).

Exit status
-----------
* ``0``: the command did its job. For ``simulate`` this means the simulation ran to its end and
  was printed, whatever the execution's final status (Succeeded, Failed or Stopped are all
  results); use ``--expect STATUS`` to turn a different final status into exit status 1.
* ``1``: ``validate`` found problems; ``simulate --expect`` saw another final status.
* ``2``: usage errors and bad input: unreadable or invalid definition or scenario file, unknown
  parameter or step name, a parameter value that does not parse as its declared type, an AWS
  error from CreatePipeline/StartPipelineExecution. The message is one line on stderr, never a
  traceback.
* ``3``: ``simulate --strict`` stopped with steps waiting on outside input.

Scenario files
--------------
A scenario (``--scenario FILE``) is a JSON object; every key is optional::

    {
      "parameters": {"MseThreshold": 6.0, "InputData": "s3://bucket/data.csv"},
      "outcomes": {
        "AbaloneTrain": "succeed",
        "Preprocess": "fail:ClientError: out of memory",
        "AbaloneEval": {
          "succeed": true,
          "after": 120,
          "outputs": {"s3_data_out": "s3://bucket/out"},
          "properties": {"ProcessingJobStatus": "Completed"},
          "property_files": {"EvaluationReport": {"regression_metrics": {"mse": {"value": 3.2}}}}
        },
        "Flaky": [{"fail": "ClientError: capacity", "exception_type": "SageMaker.CAPACITY_ERROR"},
                  "succeed"],
        "Deploy": {"fail": "ClientError: quota", "after": 30}
      },
      "durations": {"Training": 60},
      "step_durations": {"AbaloneEval": 45},
      "stop_at": 100
    }

* ``parameters``: pipeline parameter values (strings, numbers or booleans; sent as strings and
  parsed by the parameter's declared type, as StartPipelineExecution does);
* ``outcomes``: step name -> outcome. A string ``succeed``, ``succeed:SECONDS``, ``fail`` or
  ``fail:REASON``; an object ``{"succeed": true, "after": S, "outputs": {...},
  "properties": {...}, "property_files": {...}}`` (``outputs``: the OutputParameters of a
  Callback or Lambda step; ``properties``: values merged over a job step's properties;
  ``property_files``: PropertyFile name -> JSON content, read by ``Std:JsonGet``) or
  ``{"fail": REASON, "after": S, "exception_type": T}``; or a list of these, one per attempt
  (the last repeating) for steps with retry policies;
* ``durations``: step Type -> simulated seconds a step of that type runs;
* ``step_durations``: step name -> simulated seconds;
* ``stop_at``: the simulated second after the start at which to call StopPipelineExecution.

Command-line ``--parameter``, ``--outcome`` and ``--stop-at`` win over the scenario's values.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from unittest import mock as _umock

from .definition import (
    EvaluationContext,
    ExpressionError,
    StepGraph,
    check_definition,
    evaluate,
    parse_definition,
)
from .engine.clock import check_seconds
from .scenario import Scenario, ScenarioError, apply_outcome, check_outcome, load_scenario

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "EXIT_WAITING", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_WAITING = 3

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
STATUSES = ("Executing", "Stopping", "Stopped", "Failed", "Succeeded")

_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
_ARN_REGION_RE = re.compile(rf"arn:aws[a-z-]*:[a-z0-9-]+:({_REGION}):")
_ARN_ACCOUNT_RE = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_SQS_RE = re.compile(rf"sqs\.({_REGION})\.amazonaws\.com(?:\.cn)?/(\d{{12}})/")
_ECR_RE = re.compile(rf"(\d{{12}})\.dkr\.ecr\.({_REGION})\.amazonaws")
_ROLE_RE = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/[A-Za-z0-9_+=,.@/-]+")


class UsageError(Exception):
    """Bad input on the command line or in a file: reported in one line, exit status 2."""


# --------------------------------------------------------------------------- argument parsing
def _key_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _outcome_arg(text: str) -> tuple[str, Any]:
    step, sep, spec = text.partition("=")
    if not sep or not step:
        raise argparse.ArgumentTypeError(f"expected STEP=succeed|fail:REASON, got {text!r}")
    value: Any = spec
    if spec.lstrip().startswith(("{", "[")):
        try:
            value = json.loads(spec)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(
                f"outcome of {step!r} is not valid JSON: {exc}"
            ) from exc
    try:
        check_outcome(step, value)
    except ScenarioError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return step, value


def _seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from exc
    try:
        return check_seconds(value, "SECONDS")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _time_arg(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected an ISO 8601 date and time, got {text!r}"
        ) from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def _width_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from exc
    if not 1 <= value <= 500:
        raise argparse.ArgumentTypeError("the bar width must be between 1 and 500")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``mock-sagemaker-pipelines``."""
    parser = argparse.ArgumentParser(
        prog="mock-sagemaker-pipelines",
        description="Simulate Amazon SageMaker Pipelines executions on a virtual clock.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    sim = commands.add_parser(
        "simulate",
        help="run a pipeline definition and print its timeline",
        description="Run a pipeline definition through boto3, moto and the plugin; print the timeline.",
    )
    sim.add_argument("definition", metavar="DEFINITION.json", help="a PipelineDefinition JSON file")
    sim.add_argument(
        "--parameter",
        "-p",
        action="append",
        type=_key_value,
        default=[],
        metavar="NAME=VALUE",
        help="a pipeline parameter value (repeatable)",
    )
    sim.add_argument(
        "--outcome",
        "-o",
        action="append",
        type=_outcome_arg,
        default=[],
        metavar="STEP=SPEC",
        help="script a step: succeed, succeed:SECONDS, fail, fail:REASON or a JSON object (repeatable)",
    )
    sim.add_argument("--scenario", "-s", metavar="FILE", help="a scenario JSON file")
    sim.add_argument(
        "--stop-at",
        type=_seconds_arg,
        metavar="SECONDS",
        help="call StopPipelineExecution at this simulated second after the start",
    )
    sim.add_argument(
        "--format",
        "-f",
        choices=("table", "json"),
        default="table",
        help="table: the timeline (default); json: DescribePipelineExecution plus Steps",
    )
    sim.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sim.add_argument("--start-time", type=_time_arg, metavar="ISO8601", help="simulated start time")
    sim.add_argument("--region", help="AWS region (default: the one the definition names)")
    sim.add_argument("--account", help="AWS account id (default: the one the definition names)")
    sim.add_argument("--pipeline-name", help="pipeline name (default: from the file name)")
    sim.add_argument("--width", type=_width_arg, default=40, help="bar width (default 40)")
    sim.add_argument(
        "--strict",
        action="store_true",
        help="do not answer Callback/Lambda steps automatically; name the steps left waiting",
    )
    sim.add_argument(
        "--expect",
        choices=STATUSES,
        metavar="STATUS",
        help="exit with status 1 unless the execution ends with this status",
    )
    sim.set_defaults(func=_cmd_simulate)

    val = commands.add_parser(
        "validate",
        help="check pipeline definitions offline",
        description="Run CreatePipeline's definition checks offline; one line per problem.",
    )
    val.add_argument("definitions", nargs="+", metavar="DEFINITION.json")
    val.set_defaults(func=_cmd_validate)

    srv = commands.add_parser(
        "server",
        help="serve moto and the plugin over HTTP",
        description="Serve moto over HTTP with the plugin and its /moto-api/sagemaker-pipelines/ "
        "control endpoints.",
    )
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=5000)
    srv.add_argument("--seed", type=int, default=None)
    srv.set_defaults(func=_cmd_server)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"mock-sagemaker-pipelines: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # last resort: one line, never a traceback
        print(f"mock-sagemaker-pipelines: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE


# --------------------------------------------------------------------------- validate
def _read_text(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot read {what} {path}: {reason}") from exc


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.definitions:
        problems = check_definition(_read_text(path, "definition"))
        if not problems:
            print(f"{path}: OK")
            continue
        status = EXIT_FAILED
        for problem in problems:
            print(f"{path}: {' '.join(str(problem).split())}")
    return status


# --------------------------------------------------------------------------- server
def _cmd_server(args: argparse.Namespace) -> int:
    from .server import serve

    serve(host=args.host, port=args.port, seed=args.seed)
    return EXIT_OK


# --------------------------------------------------------------------------- simulate
@dataclass
class _Plan:
    """Everything ``simulate`` runs with, checked before anything starts."""

    text: str
    graph: StepGraph
    pipeline_name: str
    account: str
    region: str
    role_arn: str
    parameters: dict[str, str]
    outcomes: dict[str, Any]
    durations: dict[str, float] = field(default_factory=dict)
    step_durations: dict[str, float] = field(default_factory=dict)
    stop_at: float | None = None


class _StaticContext:
    """Resolves parameter-only expressions (an SqsQueueUrl) before the execution exists."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def parameter(self, name: str) -> Any:
        if name not in self._values:
            raise ExpressionError(f"parameter {name!r} has no value")
        return self._values[name]

    def _unknown(self, *_: Any) -> Any:
        raise ExpressionError("the value is only known while the execution runs")

    execution_variable = step_property = property_file = read_s3_json = experiment_value = _unknown


def _pipeline_name(path: str) -> str:
    stem = Path(path).name
    stem = stem[: -len(".json")] if stem.lower().endswith(".json") else stem
    name = re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-")
    return (name or "simulated-pipeline")[:256]


def _most_common(values: list[str], default: str) -> str:
    return Counter(values).most_common(1)[0][0] if values else default


def infer_account_and_region(text: str) -> tuple[str | None, str | None]:
    """The account id and region a definition's ARNs and service URLs name most often."""
    accounts = _ARN_ACCOUNT_RE.findall(text)
    regions = _ARN_REGION_RE.findall(text)
    for region, account in _SQS_RE.findall(text):
        accounts.append(account)
        regions.append(region)
    for account, region in _ECR_RE.findall(text):
        accounts.append(account)
        regions.append(region)
    return (
        _most_common(accounts, "") or None,
        _most_common(regions, "") or None,
    )


def _plan(args: argparse.Namespace) -> _Plan:
    text = _read_text(args.definition, "definition")
    problems = check_definition(text)
    if problems:
        raise UsageError(
            f"{args.definition} is not a valid pipeline definition: "
            + "; ".join(" ".join(str(p).split()) for p in problems)
        )
    graph = parse_definition(text)
    try:
        scenario = load_scenario(args.scenario) if args.scenario else Scenario()
    except ScenarioError as exc:
        raise UsageError(str(exc)) from exc

    parameters = dict(scenario.parameters)
    parameters.update(dict(args.parameter))
    for name, value in parameters.items():
        declared = graph.parameters.get(name)
        if declared is None:
            known = ", ".join(graph.parameters) or "none"
            raise UsageError(f"unknown parameter {name!r}; the definition declares: {known}")
        try:
            declared.coerce(value)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    missing = [n for n, p in graph.parameters.items() if not p.has_default and n not in parameters]
    if missing:
        raise UsageError(
            "parameters without a default need a value (--parameter NAME=VALUE): "
            + ", ".join(missing)
        )

    outcomes = dict(scenario.outcomes)
    outcomes.update(dict(args.outcome))
    for step_name in outcomes:
        if step_name not in graph.steps:
            raise UsageError(
                f"unknown step {step_name!r} in an outcome; the definition's steps are: "
                + ", ".join(graph.steps)
            )
    step_durations = dict(scenario.step_durations)
    for step_name in step_durations:
        if step_name not in graph.steps:
            raise UsageError(f"unknown step {step_name!r} in step_durations")

    account, region = infer_account_and_region(text)
    account = args.account or account or DEFAULT_ACCOUNT
    region = args.region or region or DEFAULT_REGION
    if not re.fullmatch(r"\d{12}", account):
        raise UsageError(f"--account must be a 12-digit account id, not {account!r}")
    roles = [m.group(0) for m in _ROLE_RE.finditer(text) if m.group(1) == account]
    role_arn = roles[0] if roles else f"arn:aws:iam::{account}:role/MockSageMakerPipelinesRole"
    return _Plan(
        text=text,
        graph=graph,
        pipeline_name=args.pipeline_name or _pipeline_name(args.definition),
        account=account,
        region=region,
        role_arn=role_arn,
        parameters=parameters,
        outcomes=outcomes,
        durations=dict(scenario.durations),
        step_durations=step_durations,
        stop_at=args.stop_at if args.stop_at is not None else scenario.stop_at,
    )


def _create_queues(plan: _Plan, err: TextIO) -> None:
    """Create in moto's SQS the queue of every Callback step, where its URL points."""
    from ._moto import peers

    values: dict[str, Any] = {
        n: p.default for n, p in plan.graph.parameters.items() if p.has_default
    }
    for name, raw in plan.parameters.items():
        values[name] = plan.graph.parameters[name].coerce(raw)
    context: EvaluationContext = _StaticContext(values)
    for step in plan.graph.steps.values():
        if step.type != "Callback":
            continue
        try:
            url = evaluate(step.sqs_queue_url, context)
            queue = peers.parse_queue_url(str(url), plan.account, plan.region)
            peers.create_sqs_queue(queue)
        except (ExpressionError, peers.PeerError) as exc:
            print(
                f"note: the SQS queue of Callback step {step.name!r} was not created: {exc}",
                file=err,
            )


@dataclass
class _Result:
    """What a simulation produced, as the AWS API reports it."""

    execution: dict[str, Any]
    steps: list[dict[str, Any]]
    now: datetime
    waiting: list[str]
    notes: list[str]


def _simulate(plan: _Plan, args: argparse.Namespace) -> _Result:
    import boto3
    from botocore.exceptions import ClientError

    from ._moto import peers
    from .mock import mock_sagemaker_pipelines

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
        _create_queues(plan, sys.stderr)
        sm = boto3.client("sagemaker", region_name=plan.region)
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
        if plan.stop_at is not None:
            elapsed = (pipelines.now() - started).total_seconds()
            if plan.stop_at > elapsed:
                pipelines.advance(plan.stop_at - elapsed)
            status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
            if status["PipelineExecutionStatus"] == "Executing":
                sm.stop_pipeline_execution(PipelineExecutionArn=arn)
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
        notes = [line for line in pipelines.report() if "was never answered" not in line]
        return _Result(execution, steps, pipelines.now(), waiting, notes)


def _cmd_simulate(args: argparse.Namespace) -> int:
    plan = _plan(args)
    result = _simulate(plan, args)
    if args.format == "json":
        document = dict(result.execution)
        document["Steps"] = result.steps
        print(json.dumps(document, indent=2, default=_json_default))
    else:
        print(render_table(plan, result, args.width))
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


# --------------------------------------------------------------------------- output
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
    terminal = status in ("Succeeded", "Failed", "Stopped")
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
        kind = plan.graph.steps[name].type if name in plan.graph.steps else "?"
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


if __name__ == "__main__":  # pragma: no cover - python -m mock_sagemaker_pipelines.cli
    sys.exit(main())
