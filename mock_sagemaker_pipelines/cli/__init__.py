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

``mock-sagemaker-pipelines server [--host 127.0.0.1] [--port 5000] [--seed N] [--speed N] [--no-docker]``
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
      "stop_at": 100,
      "handlers": {"AbaloneEval": "abalone_handlers:write_evaluation_report"}
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
* ``stop_at``: the simulated second after the start at which to call StopPipelineExecution;
* ``handlers``: step name -> the dotted import path (``module:function``) of a job handler
  ``(arguments, context)`` (see ``PipelinesMock.job_handler``), looked up on ``sys.path``, then
  in the scenario file's folder and the working directory.

Command-line ``--parameter``, ``--outcome`` and ``--stop-at`` win over the scenario's values.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..definition import check_definition
from ..server_args import add_server_arguments
from .args import _key_value, _outcome_arg, _seconds_arg, _time_arg, _width_arg
from .common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, EXIT_WAITING, UsageError, _read_text

# Public names of the former single-module cli, still importable from here.
from .plan import DEFAULT_ACCOUNT as DEFAULT_ACCOUNT
from .plan import DEFAULT_REGION as DEFAULT_REGION
from .plan import infer_account_and_region as infer_account_and_region
from .render import render_table as render_table
from .simulate import _cmd_simulate

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "EXIT_WAITING", "build_parser", "main"]

STATUSES = ("Executing", "Stopping", "Stopped", "Failed", "Succeeded", "CompletedWithFailures")


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
    val.add_argument(
        "--lenient",
        action="store_true",
        help="accept unknown step types and definition keys (lenient_definitions)",
    )
    val.set_defaults(func=_cmd_validate)

    srv = commands.add_parser(
        "server",
        help="serve moto and the plugin over HTTP",
        description="Serve moto over HTTP with the plugin and its /moto-api/sagemaker-pipelines/ "
        "control endpoints.",
    )
    add_server_arguments(srv)
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


def _cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.definitions:
        problems = check_definition(_read_text(path, "definition"), lenient=args.lenient)
        if not problems:
            print(f"{path}: OK")
            continue
        status = EXIT_FAILED
        for problem in problems:
            print(f"{path}: {' '.join(str(problem).split())}")
    return status


# --------------------------------------------------------------------------- server
def _cmd_server(args: argparse.Namespace) -> int:
    from ..server import run

    return run(args)
