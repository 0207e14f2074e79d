"""Checks of the definition's ``Parameters`` (``shared/spec/sagemaker-pipelines-semantics.md``
section 10 "Parameters", section 13.4 for the name pattern; DG "Pipeline parameters"): each
entry is an object with a unique ``Name``, a supported ``Type``, and a ``DefaultValue`` /
``EnumValues`` / ``Description`` that fit it; valid entries become :class:`ParameterDef`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .model import PARAMETER_TYPES, ParameterDef
from .problems import Problems, json_type, show_json
from .schema import check_parameter_keys

__all__ = ["check_parameters"]

_PARAM_NAME_RE = re.compile(r"[A-Za-z0-9\-_]{1,256}")  # API PipelineParameterName, spec §13.4


def _finite(number: int | float) -> bool:
    """Whether a JSON number is a finite double (``1e999`` and a 400-digit integer are not: a
    ``Float`` parameter's value is a double, and a start-time value must be finite too)."""
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


def check_parameters(problems: Problems, params: Any) -> tuple[dict[str, ParameterDef], set[str]]:
    """Parameters (spec §10; DG "Pipeline parameters": "The default value must be an
    instance matching the parameter type"). Returns the valid parameters by name and every
    declared name (a parameter with a bad type or default is still declared)."""
    parameters: dict[str, ParameterDef] = {}
    declared: set[str] = set()
    if params is None:
        return parameters, declared
    if not isinstance(params, list):
        problems.add(
            f"Invalid PipelineDefinition: 'Parameters' must be an array, not {json_type(params)}."
        )
        return parameters, declared
    for index, param in enumerate(params):
        _check_parameter(problems, parameters, declared, index, param)
    return parameters, declared


def _check_parameter(
    problems: Problems,
    parameters: dict[str, ParameterDef],
    declared: set[str],
    index: int,
    param: Any,
) -> None:
    where = f"Parameters[{index}]"
    if not isinstance(param, dict):
        problems.add(
            f"Invalid PipelineDefinition: {where} must be an object, not {json_type(param)}."
        )
        return
    check_parameter_keys(problems, index, param)
    name = param.get("Name")
    if not isinstance(name, str):
        problems.add(f"Invalid PipelineDefinition: {where} is missing required property 'Name'.")
        return
    ok = True
    label = f"Parameter '{name}'"
    if not _PARAM_NAME_RE.fullmatch(name):
        problems.add(f"{label}: the name must match " r"^[A-Za-z0-9\-_]{1,256}$.")
        ok = False
    if name in declared:
        problems.add(f"{label} is defined more than once; parameter names must be unique.")
        return
    declared.add(name)
    ptype = param.get("Type", "String")
    if ptype not in PARAMETER_TYPES:
        problems.add(
            f"{label}: Type {show_json(ptype)} is not supported; use one of "
            f"{', '.join(PARAMETER_TYPES)}."
        )
        return
    description = param.get("Description")
    if description is not None and (not isinstance(description, str) or len(description) > 4096):
        problems.add(f"{label}: Description must be a string of at most 4096 characters.")
        ok = False
    enum_values: tuple[str, ...] | None = None
    if param.get("EnumValues") is not None:
        raw_enum = param["EnumValues"]
        if ptype != "String":
            problems.add(f"{label}: EnumValues is only supported for String parameters.")
            ok = False
        elif (
            not isinstance(raw_enum, list)
            or not raw_enum
            or not all(isinstance(v, str) for v in raw_enum)
        ):
            problems.add(f"{label}: EnumValues must be a non-empty array of strings.")
            ok = False
        else:
            enum_values = tuple(raw_enum)
    has_default = param.get("DefaultValue") is not None
    default: Any = param.get("DefaultValue")
    if has_default:
        valid = (
            (ptype == "Integer" and isinstance(default, int) and not isinstance(default, bool))
            or (
                ptype == "Float"
                and isinstance(default, (int, float))
                and not isinstance(default, bool)
                and _finite(default)
            )
            or (ptype == "Boolean" and isinstance(default, bool))
            or (ptype == "String" and isinstance(default, str))
        )
        if not valid:
            problems.add(
                f"{label}: DefaultValue {show_json(default)} is not a valid {ptype}; the default "
                "value must be an instance matching the parameter type."
            )
            ok = False
        elif ptype == "String" and len(default) > 4096:
            problems.add(f"{label}: DefaultValue must be at most 4096 characters.")
            ok = False
        elif enum_values is not None and default not in enum_values:
            problems.add(
                f"{label}: DefaultValue {show_json(default)} is not one of the EnumValues "
                f"[{', '.join(enum_values)}]."
            )
            ok = False
        elif ptype == "Float":
            default = float(default)
    if ok:
        parameters[name] = ParameterDef(
            name=name,
            type=str(ptype),
            default=default if has_default else None,
            has_default=has_default,
            enum_values=enum_values,
            description=description,
        )
