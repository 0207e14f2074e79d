"""Checks of one step's content, turning it into a :class:`StepDef`
(``shared/spec/sagemaker-pipelines-semantics.md``, cited as "spec §N"): the common fields
(spec §10), the type-specific ones (Callback spec §6, Lambda spec §7, Condition spec §9.2, Fail
spec §9.3), and the expression scan that yields the step's data dependencies (spec §9.1).

Unknown step ``Type`` values and unknown keys are refused by :mod:`.schema` (lenient: warned).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .cache_config import check_cache_config
from .expressions import CONDITION_TYPES
from .for_each import (
    DISALLOWED_BODY_TYPES,
    check_for_each_arguments,
    check_selector,
    split_body_dependencies,
)
from .model import ForEachDef, OutputParameterDef, StepDef
from .problems import Problems, show_json
from .references import ReferenceCheck
from .schema import KNOWN_STEP_TYPES, check_condition_keys, check_step_schema
from .step_fields import check_output_parameters, check_property_files, check_retry_policies
from .structure import RawStep, walk_steps

__all__ = [
    "DEFAULT_TRIGGER",
    "KNOWN_STEP_TYPES",
    "TRIGGERS",
    "check_condition",
    "check_step",
    "share_dependency_sets",
]

#: Run conditions of a ``DependsOn`` entry (SDK 3.x ``TriggerCondition``): the upstream step
#: ended ``Succeeded`` (Completed), ``Failed``, ``Stopped``, or any of them.
TRIGGERS: tuple[str, ...] = ("Completed", "Failed", "Stopped", "Any")
#: The trigger of a plain step name.
DEFAULT_TRIGGER = "Completed"

#: Step-level keys that hold no expressions (never scanned for ``Get`` references).
_STRUCTURAL_KEYS = frozenset(
    {
        "Name",
        "Type",
        "DependsOn",
        "DisplayName",
        "Description",
        "PropertyFiles",
        "RetryPolicies",
        "CacheConfig",
        "OutputParameters",
    }
)


def check_step(problems: Problems, refs: ReferenceCheck, raw: RawStep) -> StepDef:
    """Common step fields (spec §10), type-specific fields (Callback spec §6, Lambda spec §7,
    Condition spec §9.2, Fail spec §9.3), retry policies (spec §9.4), and the expression scan
    that yields the step's data dependencies (spec §9.1)."""
    obj, name = raw.obj, raw.name
    stype: str = obj["Type"] if isinstance(obj.get("Type"), str) else ""
    label = f"Step '{name}'"
    check_step_schema(problems, obj, name)

    depends_on, triggers = _depends_on(problems, label, obj.get("DependsOn"))

    display_name = obj.get("DisplayName")
    if display_name is not None and (not isinstance(display_name, str) or len(display_name) > 256):
        problems.add(f"{label}: DisplayName must be a string of at most 256 characters.")
        display_name = None
    description = obj.get("Description")
    if description is not None and (not isinstance(description, str) or len(description) > 3072):
        problems.add(f"{label}: Description must be a string of at most 3072 characters.")
        description = None

    cache_config = obj.get("CacheConfig")
    if cache_config is not None and not isinstance(cache_config, dict):
        problems.add(f"{label}: CacheConfig must be an object.")
        cache_config = None
    elif cache_config is not None:
        check_cache_config(problems, label, cache_config)

    retry = check_retry_policies(problems, label, stype, obj.get("RetryPolicies"))
    property_files = check_property_files(problems, label, obj.get("PropertyFiles"))
    outputs: list[OutputParameterDef] = []
    sqs_queue_url: Any = None
    function_arn: Any = None
    conditions: list[Any] = []
    arguments = obj.get("Arguments")

    if stype in ("Callback", "Lambda"):
        key = "SqsQueueUrl" if stype == "Callback" else "FunctionArn"
        value = obj.get(key)
        if value is None:
            problems.add(f"{label}: required property '{key}' is missing for a {stype} step.")
        elif not isinstance(value, str) and not (
            isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("Get", "Std:Join")
        ):
            problems.add(f"{label}: {key} must be a string or an expression.")
        if stype == "Callback":
            sqs_queue_url = value
        else:
            function_arn = value
        outputs = check_output_parameters(problems, label, obj.get("OutputParameters"))
        if arguments is not None and not isinstance(arguments, dict):
            problems.add(f"{label}: Arguments must be an object.")
    elif stype == "Fail":
        if arguments is not None and not isinstance(arguments, dict):
            problems.add(f"{label}: Arguments must be an object.")
    elif stype == "Condition":
        if not isinstance(arguments, dict):
            problems.add(
                f"{label}: required property 'Arguments' (an object with 'Conditions') "
                "is missing for a Condition step."
            )
        elif not isinstance(arguments.get("Conditions"), list):
            problems.add(f"{label}: Arguments.Conditions must be an array of conditions.")
        else:
            conditions = list(arguments["Conditions"])
            for index, cond in enumerate(conditions):
                check_condition(problems, label, f"Conditions[{index}]", cond)

    for_each: ForEachDef | None = None
    if stype == "ForEach":
        for_each = _check_for_each(problems, refs, label, arguments)

    # expression scan (validation + data dependencies)
    start = len(refs.step_refs)
    for key, value in obj.items():
        if key in _STRUCTURAL_KEYS:
            continue
        if key == "Arguments" and stype in ("Condition", "ForEach") and isinstance(value, dict):
            for arg_key, arg_value in value.items():
                if arg_key in ("IfSteps", "ElseSteps", "ForEachBody", "Selector"):
                    continue
                refs.scan(arg_value, label)
            continue
        refs.scan(value, label)
    data_deps = {ref.step for ref in refs.step_refs[start:]}
    if for_each is not None:
        for_each, outer = _with_inner_dependencies(for_each)
        data_deps |= outer

    dependencies = set(depends_on) | data_deps
    if raw.parent:
        dependencies.add(raw.parent)
    return StepDef(
        name=name,
        type=stype,
        arguments=arguments,
        depends_on=tuple(depends_on),
        display_name=display_name,
        description=description,
        raw=obj,
        retry_policies=tuple(retry),
        property_files=tuple(property_files),
        output_parameters=tuple(outputs),
        sqs_queue_url=sqs_queue_url,
        function_arn=function_arn,
        conditions=tuple(conditions),
        if_steps=tuple(raw.if_names),
        else_steps=tuple(raw.else_names),
        parent=raw.parent,
        branch=raw.branch,
        data_dependencies=frozenset(data_deps),
        dependencies=frozenset(dependencies),
        order=raw.order,
        cache_config=cache_config,
        triggers=tuple(triggers.items()),
        for_each=for_each,
    )


def share_dependency_sets(step_defs: dict[str, StepDef]) -> dict[str, StepDef]:
    """``step_defs`` with equal ``data_dependencies``/``dependencies`` sets held once.

    Each frozenset costs 216 bytes whatever its size, and most steps of a big definition have
    the same few (none, or the one step they all follow): sharing them keeps a 20,000-step
    fan-out's parsed graph 0.4 KiB a step lighter. Values are unchanged; only identity is.
    """
    shared: dict[frozenset[str], frozenset[str]] = {}
    out: dict[str, StepDef] = {}
    for name, step in step_defs.items():
        data = shared.setdefault(step.data_dependencies, step.data_dependencies)
        dependencies = shared.setdefault(step.dependencies, step.dependencies)
        if data is step.data_dependencies and dependencies is step.dependencies:
            out[name] = step
        else:
            out[name] = dataclasses.replace(step, data_dependencies=data, dependencies=dependencies)
    return out


def _check_for_each(
    problems: Problems, refs: ReferenceCheck, label: str, arguments: Any
) -> ForEachDef:
    """A ForEach step's Arguments and its body steps (each checked as a step of its own, with
    ``ForEach.CurrentItem`` valid in it), :mod:`.for_each`."""
    items, concurrency, body_list = check_for_each_arguments(problems, label, arguments)
    raw_body, _ = walk_steps(problems, body_list, f"{label} Arguments.ForEachBody")
    body: list[StepDef] = []
    refs.in_for_each_body = True
    try:
        for raw in raw_body.values():
            btype = raw.obj.get("Type")
            if btype in DISALLOWED_BODY_TYPES:
                problems.add(
                    f"{label}: step type '{btype}' of step '{raw.name}' is not allowed in "
                    f"ForEachBody. Disallowed types: {', '.join(DISALLOWED_BODY_TYPES)}."
                )
                continue
            if raw.parent is None:
                body.append(check_step(problems, refs, raw))
    finally:
        refs.in_for_each_body = False
    selector = check_selector(
        problems,
        label,
        arguments.get("Selector") if isinstance(arguments, dict) else None,
        [raw.name for raw in raw_body.values() if raw.parent is None],
    )
    return ForEachDef(items=items, max_concurrency=concurrency, selector=selector, body=tuple(body))


def _with_inner_dependencies(for_each: ForEachDef) -> tuple[ForEachDef, set[str]]:
    """The body with per-iteration dependencies only, and the outside steps it needs."""
    inner, outer = split_body_dependencies(list(for_each.body))
    return ForEachDef(
        items=for_each.items,
        max_concurrency=for_each.max_concurrency,
        selector=for_each.selector,
        body=tuple(inner),
    ), outer


def _depends_on(problems: Problems, label: str, value: Any) -> tuple[list[str], dict[str, str]]:
    """``DependsOn``: step names, or run conditions ``{"Step": NAME, "Trigger": T}`` (SDK 3.x
    ``StepDependency.to_request``; a ``Completed`` trigger is emitted as the plain name).

    Returns the names in order and the triggers other than ``Completed`` by name.
    """
    if value is None:
        return [], {}
    names: list[str] = []
    triggers: dict[str, str] = {}
    if not isinstance(value, list):
        problems.add(f"{label}: DependsOn must be an array of step names.")
        return [], {}
    for entry in value:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("Step"), str):
            trigger = entry.get("Trigger", DEFAULT_TRIGGER)
            if trigger not in TRIGGERS:
                problems.add(
                    f"{label}: DependsOn trigger {show_json(trigger)} of step "
                    f"'{entry['Step']}' must be one of {', '.join(TRIGGERS)}."
                )
                continue
            names.append(entry["Step"])
            if trigger != DEFAULT_TRIGGER:
                triggers[entry["Step"]] = trigger
        else:
            problems.add(f"{label}: DependsOn must be an array of step names.")
            return [], {}
    return list(dict.fromkeys(names)), triggers


def check_condition(problems: Problems, label: str, where: str, cond: Any) -> None:
    """Condition objects (spec §10 "Conditions"; SDK forms plus schema aliases, spec §13.2).
    Operand expressions are checked by the step-wide expression scan."""
    if not isinstance(cond, dict):
        problems.add(f"{label}: {where} must be a condition object.")
        return
    ctype = cond.get("Type")
    if not isinstance(ctype, str) or ctype not in CONDITION_TYPES:
        problems.add(
            f"{label}: {where} has unsupported condition Type {show_json(ctype)}; use one of "
            "Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, "
            "Not, Or."
        )
        return
    check_condition_keys(problems, label, where, cond)
    if ctype in ("In", "NotIn"):
        if "QueryValue" in cond or "Value" not in cond:
            keys = ("QueryValue", "Values")
        else:
            keys = ("Value", "In")
        missing = [k for k in keys if k not in cond]
        if missing:
            problems.add(f"{label}: {where} ({ctype}) is missing {' and '.join(missing)}.")
        elif not isinstance(cond[keys[1]], list):
            problems.add(f"{label}: {where} ({ctype}) {keys[1]} must be an array.")
    elif ctype == "Not":
        inner_key = "Expression" if "Expression" in cond else "Condition"
        if not isinstance(cond.get(inner_key), dict):
            problems.add(
                f"{label}: {where} (Not) is missing the condition to negate ('Condition')."
            )
        else:
            check_condition(problems, label, f"{where}.{inner_key}", cond[inner_key])
    elif ctype == "Or":
        inner = cond.get("Conditions")
        if not isinstance(inner, list):
            problems.add(f"{label}: {where} (Or) is missing the 'Conditions' array.")
        else:
            for index, sub in enumerate(inner):
                check_condition(problems, label, f"{where}.Conditions[{index}]", sub)
    else:
        missing = [k for k in ("LeftValue", "RightValue") if k not in cond]
        if missing:
            problems.add(f"{label}: {where} ({ctype}) is missing {' and '.join(missing)}.")
