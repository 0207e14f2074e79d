"""Output parameters of Callback and Lambda steps: typed values and how they are shown.

An ``OutputParameters`` declaration gives each output a name and an ``OutputType`` (``String``,
``Integer``, ``Float``, ``Boolean``; spec sections 6 and 7). Values arrive as the strings of a
SendPipelineExecutionStepSuccess call or as the JSON a Lambda function returned; downstream
expressions read the typed value, while the step's ``Metadata`` lists the values as strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..definition import OutputParameterDef, plain_number_text

if TYPE_CHECKING:
    from .run import StepRun


def render_value(value: Any) -> str:
    """A value as the service shows it in metadata: JSON booleans, objects and lists as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not an Integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and plain_number_text(value):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValueError(f"'{value}' is not an Integer")


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a Float")
    number: float | None = None
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str) and plain_number_text(value):
            number = float(value.strip())
    except (ValueError, OverflowError):
        pass
    if number is None or not math.isfinite(number):  # as a Float parameter value must be
        raise ValueError(f"'{value}' is not a Float")
    return number


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"'{value}' is not a Boolean")


def convert_output(decl: OutputParameterDef, value: Any) -> Any:
    """Convert an output value to its declared OutputType; raises ValueError when it cannot."""
    kind = decl.type or "String"
    if kind == "String":
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    if kind == "Integer":
        return _integer(value)
    if kind == "Float":
        return _float(value)
    if kind == "Boolean":
        return _boolean(value)
    return value


def as_output_list(outputs: Mapping[str, Any]) -> list[dict[str, str]]:
    """``[{Name, Value}]`` of typed outputs, values as strings (the API's OutputParameter list)."""
    return [{"Name": str(k), "Value": render_value(v)} for k, v in outputs.items()]


def output_list(run: StepRun) -> list[dict[str, str]]:
    """``[{Name, Value}]`` of a step's outputs as the metadata shows them (values as strings)."""
    return as_output_list(run.outputs)


def placeholder_outputs(run: StepRun) -> dict[str, Any]:
    """Typed placeholder values for every declared output (the ``simulate`` command's default)."""
    values: dict[str, Any] = {}
    for decl in run.step.output_parameters:
        values[decl.name] = {"Integer": 0, "Float": 0.0, "Boolean": False}.get(
            decl.type, f"{decl.name}-placeholder"
        )
    return values
