"""Argument types of the command line: ``NAME=VALUE``, ``STEP=SPEC``, seconds, dates, widths.

Each turns one command-line word into its value or raises :class:`argparse.ArgumentTypeError`,
which argparse reports as a usage error (exit status 2). Outcome specs are checked as a scenario
file's outcomes are (:func:`mock_sagemaker_pipelines.scenario.check_outcome`).
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from typing import Any

from ..engine.clock import check_seconds
from ..scenario import ScenarioError, check_outcome


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
