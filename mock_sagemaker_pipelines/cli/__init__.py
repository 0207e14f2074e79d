"""The ``mock-sagemaker-pipelines`` command line: ``simulate``, ``graph``, ``validate``, ``server``.

Also ``python -m mock_sagemaker_pipelines``; ``--version`` prints the installed version.

``mock-sagemaker-pipelines simulate DEFINITION.json [options]``
    Runs the pipeline definition through boto3, moto and the plugin on the simulated clock and
    prints the timeline of the execution: one row per step with its type, status, start and end
    (``T+seconds`` after the execution started), attempts and a bar scaled to the run, then the
    execution's final status, its FailureReason and the failure reasons of failed steps. Steps of
    the definition that never started (the branch a Condition did not take, steps after a failure
    or a stop) are listed as ``(not run)``. The table fits the terminal width (``COLUMNS``, else
    the terminal's; not cut when printed to a pipe or file): the bar shrinks, then long names,
    then long lines end with an ellipsis (:mod:`.render`). When ``--stop-at`` sent
    StopPipelineExecution, a ``Stop sent`` line gives the moment and ``!`` marks it in the bars.

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
    (bar width, default: what fits, 10 to 40), ``--strict``, ``--expect STATUS``, ``--html FILE``
    (also write the run as one self-contained page: Gantt chart, step graph, per-step
    arguments, outputs and failure; :mod:`.html`).

    ``--format json`` prints one JSON object: the DescribePipelineExecution response plus
    ``Steps``, the ListPipelineExecutionSteps list (ascending by start time); timestamps are ISO
    8601 strings in UTC.

``mock-sagemaker-pipelines graph DEFINITION.json [--format mermaid|dot] [--lenient]``
    Prints the step graph: dependencies, data references (dashed), Condition branches labelled
    true/false, run conditions other than Completed as labels, Fail steps marked (:mod:`.graph`).

``mock-sagemaker-pipelines validate DEFINITION.json [...]``
    Runs CreatePipeline's definition checks offline and prints one line per problem
    (``PATH: problem``), or ``PATH: OK``.

``mock-sagemaker-pipelines server [--host 127.0.0.1] [--port 5000] [--seed N] [--speed N] [--no-docker]``
    Serves moto over HTTP with the plugin active, plus the control endpoints under
    ``/moto-api/sagemaker-pipelines/`` (see :mod:`mock_sagemaker_pipelines.server`).

Exit statuses and the scenario file format are printed by ``--help`` (``simulate --help`` for
the scenario format); their text is in :mod:`mock_sagemaker_pipelines.cli.help`.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..definition import check_definition
from ..server_args import add_server_arguments
from .args import _key_value, _outcome_arg, _seconds_arg, _time_arg, _width_arg
from .common import (
    EXIT_BROKEN_PIPE,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WAITING,
    UsageError,
    _read_text,
)
from .graph import _cmd_graph
from .help import EXIT_STATUS, SCENARIO_FORMAT

# Public names of the former single-module cli, still importable from here.
from .plan import DEFAULT_ACCOUNT as DEFAULT_ACCOUNT
from .plan import DEFAULT_REGION as DEFAULT_REGION
from .plan import infer_account_and_region as infer_account_and_region
from .render import render_table as render_table
from .simulate import _cmd_simulate

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "EXIT_WAITING", "build_parser", "main", "run"]

STATUSES = ("Executing", "Stopping", "Stopped", "Failed", "Succeeded", "CompletedWithFailures")


def _add_lenient(parser: argparse.ArgumentParser) -> None:
    """``--lenient``: the definition checks of ``lenient_definitions=True``."""
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="accept unknown step types and definition keys (lenient_definitions)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``mock-sagemaker-pipelines``."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="mock-sagemaker-pipelines",
        description="Simulate Amazon SageMaker Pipelines executions on a virtual clock.",
        epilog=EXIT_STATUS,
        formatter_class=raw,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    sim = commands.add_parser(
        "simulate",
        help="run a pipeline definition and print its timeline",
        description="Run a pipeline definition through boto3, moto and the plugin; print the "
        "timeline (the table fits the terminal width; --format json has the full text).",
        epilog=f"{SCENARIO_FORMAT}\n\n{EXIT_STATUS}",
        formatter_class=raw,
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
    sim.add_argument(
        "--width",
        type=_width_arg,
        default=None,
        help="bar width (default: what fits the terminal, 10 to 40)",
    )
    sim.add_argument(
        "--html",
        metavar="FILE",
        help="also write the run as one self-contained HTML page: a Gantt chart of the steps "
        "and attempts, the pipeline's graph and each step's arguments, outputs and failure",
    )
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
        epilog=EXIT_STATUS,
        formatter_class=raw,
    )
    val.add_argument("definitions", nargs="+", metavar="DEFINITION.json")
    _add_lenient(val)
    val.set_defaults(func=_cmd_validate)

    gra = commands.add_parser(
        "graph",
        help="print the pipeline's step graph as Mermaid or Graphviz dot",
        description="Print the DAG of a pipeline definition: dependencies, Condition branches "
        "labelled true/false, Fail steps marked.",
        epilog=EXIT_STATUS,
        formatter_class=raw,
    )
    gra.add_argument("definition", metavar="DEFINITION.json", help="a PipelineDefinition JSON file")
    gra.add_argument(
        "--format",
        "-f",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (default): a flowchart; dot: Graphviz",
    )
    _add_lenient(gra)
    gra.set_defaults(func=_cmd_graph)

    srv = commands.add_parser(
        "server",
        help="serve moto and the plugin over HTTP",
        description="Serve moto over HTTP with the plugin and its /moto-api/sagemaker-pipelines/ "
        "control endpoints.",
        epilog=EXIT_STATUS,
        formatter_class=raw,
    )
    add_server_arguments(srv)
    srv.set_defaults(func=_cmd_server)
    return parser


def _version() -> str:
    """The installed distribution's version (the package's ``__version__`` when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mock-sagemaker-pipelines")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        from .. import __version__

        return __version__


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
    except BrokenPipeError:  # stdout closed early: run() ends quietly
        raise
    except Exception as exc:  # last resort: one line, never a traceback
        print(f"mock-sagemaker-pipelines: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE


def run() -> NoReturn:
    """The console script and ``python -m``: exits the process with :func:`main`'s status.

    Before exiting it moves every live object to the cyclic collector's permanent generation
    (:func:`gc.freeze`). The interpreter's shutdown runs full collections while it tears the
    modules down, and each one walks every live container (some 160,000 after ``simulate`` of
    the abalone example, botocore's loaded service models the bulk of them): about 0.45 s of
    the 1.1 s that command took. Frozen objects are still freed by reference counting; only the
    collector skips them. A standard output closed early (``... | head``) ends the command
    with :data:`~.common.EXIT_BROKEN_PIPE` and no message. Not done by :func:`main`, which
    tests and embedders call in a process that goes on.
    """
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``... | head``): no message, and nothing more written at exit
        # (the recipe of the Python docs, "Note on SIGPIPE" in :mod:`signal`).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_BROKEN_PIPE
    gc.freeze()
    sys.exit(status)


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
