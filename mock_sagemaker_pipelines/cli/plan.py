"""Planning a ``simulate`` run: the checked inputs, the account and region, the Callback queues.

:func:`_plan` reads the definition and the scenario and checks everything before anything starts
(parameters against their declared types, step names of outcomes and durations);
:func:`infer_account_and_region` picks the account and region the definition's ARNs and service
URLs name most often; :func:`_create_queues` creates in moto's SQS the queue of every Callback
step, resolving parameter-only ``SqsQueueUrl`` expressions against the parameter values.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..definition import (
    EvaluationContext,
    ExpressionError,
    StepGraph,
    check_definition,
    evaluate,
    parse_definition,
)
from ..scenario import Scenario, ScenarioError, load_scenario
from .common import UsageError, _read_text, invalid_definition

DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"

_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d"
_ARN_REGION_RE = re.compile(rf"arn:aws[a-z-]*:[a-z0-9-]+:({_REGION}):")
_ARN_ACCOUNT_RE = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_SQS_RE = re.compile(rf"sqs\.({_REGION})\.amazonaws\.com(?:\.cn)?/(\d{{12}})/")
_ECR_RE = re.compile(rf"(\d{{12}})\.dkr\.ecr\.({_REGION})\.amazonaws")
_ROLE_RE = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/[A-Za-z0-9_+=,.@/-]+")


# --------------------------------------------------------------------------- plan
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
    job_handlers: dict[str, Any] = field(default_factory=dict)


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
    current_item = _unknown


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
        raise invalid_definition(args.definition, problems)
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
        if step_name not in graph.steps and graph.body_step(step_name) is None:
            close = difflib.get_close_matches(step_name, list(graph.steps), n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
            raise UsageError(
                f"unknown step {step_name!r} in an outcome; {hint}the definition's steps are: "
                + ", ".join(graph.steps)
            )
    step_durations = dict(scenario.step_durations)
    for step_name in [*step_durations, *scenario.job_handlers]:
        if step_name not in graph.steps and graph.body_step(step_name) is None:
            raise UsageError(f"unknown step {step_name!r} in step_durations or handlers")

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
        job_handlers=dict(scenario.job_handlers),
    )


def _create_queues(plan: _Plan, err: TextIO) -> None:
    """Create in moto's SQS the queue of every Callback step, where its URL points."""
    from .._moto import peers

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
