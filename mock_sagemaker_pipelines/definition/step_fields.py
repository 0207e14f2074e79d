"""Checks of the per-step fields that have a shape of their own: ``RetryPolicies`` (spec §9.4),
``PropertyFiles`` (spec §10; DG "Property Files and JsonGet") and the Callback/Lambda
``OutputParameters`` (spec §6, §7), each turned into its typed model entries.

"spec §N" is a section of ``shared/spec/sagemaker-pipelines-semantics.md``.
"""

from __future__ import annotations

from typing import Any

from .model import (
    DEFAULT_BACKOFF_RATE,
    DEFAULT_INTERVAL_SECONDS,
    DEFAULT_MAX_ATTEMPTS,
    PARAMETER_TYPES,
    OutputParameterDef,
    PropertyFileDef,
    RetryPolicyDef,
)
from .problems import INVALID, Problems, show_json

__all__ = [
    "RETRY_EXCEPTION_TYPES",
    "check_output_parameters",
    "check_property_files",
    "check_retry_policies",
]

#: ``RetryPolicies[].ExceptionType`` values (DG "Retry policy"; the schema adds
#: ``Emr.RESOURCE_LIMIT``), spec §9.4.
RETRY_EXCEPTION_TYPES: frozenset[str] = frozenset(
    {
        "Step.SERVICE_FAULT",
        "Step.THROTTLING",
        "SageMaker.JOB_INTERNAL_ERROR",
        "SageMaker.CAPACITY_ERROR",
        "SageMaker.RESOURCE_LIMIT",
        "Emr.RESOURCE_LIMIT",
    }
)

#: Step types that take no ``RetryPolicies``: Lambda (SDK issue #3922, spec §7) and the steps
#: the DG's list of retry-capable types leaves out (spec §9.4).
_NO_RETRY_TYPES = frozenset({"Lambda", "Callback", "Condition", "Fail"})

_MAX_OUTPUT_PARAMETERS = 50  # OutputParameterList max 50 [M], spec §6/§7


def check_retry_policies(
    problems: Problems, label: str, stype: str, value: Any
) -> list[RetryPolicyDef]:
    """``RetryPolicies`` (DG "Retry policy", spec §9.4): ``ExceptionType`` required (array,
    or a single string as the schema types it), ``IntervalSeconds`` 1..43200,
    ``BackoffRate`` >= 0, ``MaxAttempts`` 0..20, ``ExpireAfterMin`` 0..14400, not both
    ``MaxAttempts`` and ``ExpireAfterMin``. Not allowed on Lambda (SDK issue #3922),
    Callback, Condition and Fail steps."""
    if value is None:
        return []
    if stype in _NO_RETRY_TYPES:
        problems.add(f"{label}: RetryPolicies are not supported for {stype} steps.")
        return []
    if not isinstance(value, list):
        problems.add(f"{label}: RetryPolicies must be an array.")
        return []
    policies: list[RetryPolicyDef] = []
    for index, policy in enumerate(value):
        where = f"{label}: RetryPolicies[{index}]"
        if not isinstance(policy, dict):
            problems.add(f"{where} must be an object.")
            continue
        ok = True
        exc = policy.get("ExceptionType")
        exc_list = [exc] if isinstance(exc, str) else exc
        if exc is None:
            problems.add(f"{where} is missing required property 'ExceptionType'.")
            ok = False
        elif (
            not isinstance(exc_list, list)
            or not exc_list
            or not all(isinstance(e, str) for e in exc_list)
        ):
            problems.add(f"{where}: ExceptionType must be a non-empty array of strings.")
            ok = False
        else:
            unknown = [e for e in exc_list if e not in RETRY_EXCEPTION_TYPES]
            if unknown:
                problems.add(
                    f"{where}: ExceptionType {', '.join(unknown)} is not supported; use "
                    f"{', '.join(sorted(RETRY_EXCEPTION_TYPES))}."
                )
                ok = False
        interval = _number_field(
            problems,
            where,
            policy,
            "IntervalSeconds",
            1,
            43200,
            DEFAULT_INTERVAL_SECONDS,
            integer=False,
        )
        backoff = _number_field(
            problems, where, policy, "BackoffRate", 0, None, DEFAULT_BACKOFF_RATE, integer=False
        )
        max_attempts = _number_field(
            problems, where, policy, "MaxAttempts", 0, 20, None, integer=True
        )
        expire = _number_field(
            problems, where, policy, "ExpireAfterMin", 0, 14400, None, integer=True
        )
        if INVALID in (interval, backoff, max_attempts, expire):
            ok = False
        if policy.get("MaxAttempts") is not None and policy.get("ExpireAfterMin") is not None:
            problems.add(f"{where}: only one of MaxAttempts and ExpireAfterMin can be given.")
            ok = False
        if ok and isinstance(exc_list, list):
            if max_attempts is None and expire is None:
                max_attempts = DEFAULT_MAX_ATTEMPTS
            policies.append(
                RetryPolicyDef(
                    exception_types=tuple(exc_list),
                    interval_seconds=interval,
                    backoff_rate=float(backoff),
                    max_attempts=max_attempts,
                    expire_after_min=expire,
                )
            )
    return policies


def _number_field(
    problems: Problems,
    where: str,
    obj: dict[str, Any],
    key: str,
    low: float,
    high: float | None,
    default: Any,
    *,
    integer: bool,
) -> Any:
    """A numeric field within ``[low, high]``; returns the value, the default when absent,
    or ``INVALID`` after reporting a problem."""
    value = obj.get(key)
    if value is None:
        return default
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if integer and is_num and isinstance(value, float) and value.is_integer():
        value = int(value)
    if not is_num or (integer and not isinstance(value, int)):
        problems.add(f"{where}: {key} must be {'an integer' if integer else 'a number'}.")
        return INVALID
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        problems.add(f"{where}: {key} {show_json(value)} must be {bound}.")
        return INVALID
    return value


def check_property_files(problems: Problems, label: str, value: Any) -> list[PropertyFileDef]:
    """``PropertyFiles[]``: ``PropertyFileName``, ``OutputName``, ``FilePath`` strings, names
    unique within the step (spec §10; DG "Property Files and JsonGet")."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"{label}: PropertyFiles must be an array.")
        return []
    out: list[PropertyFileDef] = []
    seen: set[str] = set()
    for index, pf in enumerate(value):
        where = f"{label}: PropertyFiles[{index}]"
        if not isinstance(pf, dict):
            problems.add(f"{where} must be an object.")
            continue
        missing = [
            k
            for k in ("PropertyFileName", "OutputName", "FilePath")
            if not isinstance(pf.get(k), str) or not pf.get(k)
        ]
        if missing:
            problems.add(
                f"{where} is missing required string property "
                f"{', '.join(repr(m) for m in missing)}."
            )
            continue
        if pf["PropertyFileName"] in seen:
            problems.add(f"{where}: property file '{pf['PropertyFileName']}' is declared twice.")
            continue
        seen.add(pf["PropertyFileName"])
        out.append(PropertyFileDef(pf["PropertyFileName"], pf["OutputName"], pf["FilePath"]))
    return out


def check_output_parameters(problems: Problems, label: str, value: Any) -> list[OutputParameterDef]:
    """Callback/Lambda ``OutputParameters``: ``OutputName`` required, ``OutputType`` one of
    String/Integer/Boolean/Float (default String), at most 50 (spec §6, §7)."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"{label}: OutputParameters must be an array.")
        return []
    if len(value) > _MAX_OUTPUT_PARAMETERS:
        problems.add(f"{label}: at most {_MAX_OUTPUT_PARAMETERS} OutputParameters are allowed.")
    out: list[OutputParameterDef] = []
    seen: set[str] = set()
    for index, entry in enumerate(value):
        where = f"{label}: OutputParameters[{index}]"
        if not isinstance(entry, dict):
            problems.add(f"{where} must be an object.")
            continue
        oname = entry.get("OutputName")
        if not isinstance(oname, str) or not oname:
            problems.add(f"{where} is missing required property 'OutputName'.")
            continue
        otype = entry.get("OutputType", "String")
        if otype is None:
            otype = "String"
        if otype not in PARAMETER_TYPES:
            problems.add(
                f"{where}: OutputType {show_json(otype)} is not supported; use one of "
                f"{', '.join(PARAMETER_TYPES)}."
            )
            continue
        if oname in seen:
            problems.add(f"{where}: output '{oname}' is declared twice.")
            continue
        seen.add(oname)
        out.append(OutputParameterDef(oname, str(otype)))
    return out
