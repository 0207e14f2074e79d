"""Create-time rules of ``ForEach`` steps (SDK 3.x ``sagemaker.mlops.workflow.for_each_step``,
sagemaker-mlops 1.27.0; the service's own wording is not public, so the messages follow the
SDK's checks, which mirror the service's rules):

* ``Arguments`` = ``{IterableItems, MaxConcurrency, Selector?, ForEachBody}``, nothing else;
* ``IterableItems``: one expression (``Get``/``Std:Join``/``Std:JsonGet``) that yields a JSON
  list string at run time, or an array of 1-100 literal scalars and expressions;
* ``MaxConcurrency``: an integer from 1 to 50;
* ``ForEachBody``: a non-empty array of steps, none of type Condition, Fail or ForEach;
* ``Selector``: ``{"Pick": "MaxBy"|"MinBy", "Field": {"Get": "IterationOutput.<Body>.<m>..."}}``
  naming a body step of the same ForEach, at least one member deep;
* child steps are named ``<Body>-<index>``, so no other step may be named like that, and body
  step names are unique in the whole definition; a step outside a body reads a body step only
  through ``Steps.<F>.IterationOutputs[i].<Body>...`` or ``Steps.<F>.Selected...``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from .model import StepDef
from .paths import ExpressionError, is_expression, parse_get_path
from .problems import Problems, show_json
from .references import StepRef
from .schema import unknown_property

__all__ = [
    "ARGUMENT_KEYS",
    "COUNT_PROPERTIES",
    "DISALLOWED_BODY_TYPES",
    "MAX_CONCURRENCY",
    "MAX_LITERAL_ITEMS",
    "check_for_each_arguments",
    "check_for_each_names",
    "check_property_references",
    "check_selector",
    "split_body_dependencies",
]

#: The Arguments of a ForEach step (``ForEachStep.arguments``).
ARGUMENT_KEYS = frozenset({"IterableItems", "MaxConcurrency", "Selector", "ForEachBody"})
#: Step types a ForEachBody may not hold (``_DISALLOWED_BODY_STEP_TYPES``).
DISALLOWED_BODY_TYPES: tuple[str, ...] = ("Condition", "Fail", "ForEach")
#: ``MaxConcurrency`` range (``MAX_CONCURRENCY_MIN``/``MAX``).
MAX_CONCURRENCY = (1, 50)
#: Most elements of a literal ``IterableItems`` array (``MAX_LITERAL_ITERABLE_ITEMS``).
MAX_LITERAL_ITEMS = 100
#: The scalar properties of a ForEach step (``ForEachStep._AGGREGATE_PROPERTY_MEMBERS``).
COUNT_PROPERTIES: tuple[str, ...] = (
    "Status",
    "InputItemCount",
    "TotalStepCount",
    "SucceededStepCount",
    "FailedStepCount",
    "StoppedStepCount",
)
#: ``Selector.Pick`` values (``ForEachSelectorPickType``).
SELECTOR_PICKS: tuple[str, ...] = ("MaxBy", "MinBy")


def check_for_each_arguments(
    problems: Problems, label: str, arguments: Any
) -> tuple[Any, int, list[Any]]:
    """The ``IterableItems``, ``MaxConcurrency`` and ``ForEachBody`` of a ForEach step, each
    reported to ``problems`` when malformed (the body's steps are checked by the caller)."""
    if not isinstance(arguments, dict):
        problems.add(
            f"{label}: required property 'Arguments' (an object with 'IterableItems', "
            "'MaxConcurrency' and 'ForEachBody') is missing for a ForEach step."
        )
        return None, 1, []
    for key in arguments:
        if key not in ARGUMENT_KEYS:
            problems.add_unknown(unknown_property(str(key), f"{label} Arguments"))
    items = arguments.get("IterableItems")
    if "IterableItems" not in arguments or items is None:
        problems.add(
            f"{label}: IterableItems is required: a property reference that resolves to a "
            "JSON list string at run time, or a list of items."
        )
    elif isinstance(items, list):
        if not 1 <= len(items) <= MAX_LITERAL_ITEMS:
            problems.add(
                f"{label}: an IterableItems list must have between 1 and {MAX_LITERAL_ITEMS} "
                f"elements. Got: {len(items)}."
            )
        for element in items:
            if not is_expression(element) and (
                element is None or not isinstance(element, (str, int, float, bool))
            ):
                problems.add(
                    f"{label}: IterableItems list elements must be property references or "
                    f"literal scalars (string, number, boolean). Got: {show_json(element)}."
                )
                break
    elif not is_expression(items):
        problems.add(
            f"{label}: IterableItems must be a property reference that resolves to a JSON "
            "list string at run time, or a list of items; a single literal value cannot "
            f"resolve to a list. Got: {show_json(items)}."
        )
    concurrency = arguments.get("MaxConcurrency")
    low, high = MAX_CONCURRENCY
    if (
        not isinstance(concurrency, int)
        or isinstance(concurrency, bool)
        or not low <= concurrency <= high
    ):
        problems.add(
            f"{label}: MaxConcurrency is required and must be an integer in the range "
            f"[{low}, {high}]. Got: {show_json(concurrency)}."
        )
        concurrency = low
    body = arguments.get("ForEachBody")
    if not isinstance(body, list) or not body:
        problems.add(f"{label}: ForEachBody must be a non-empty array of steps.")
        body = []
    return items, concurrency, body


def check_selector(
    problems: Problems, label: str, selector: Any, body_names: list[str]
) -> tuple[str, str, tuple[str | int, ...]] | None:
    """``Selector``: ``(Pick, body step, member tokens)``, or ``None`` when absent or bad."""
    if selector is None:
        return None
    if not isinstance(selector, dict):
        problems.add(f"{label}: Selector must be an object with 'Pick' and 'Field'.")
        return None
    for key in selector:
        if key not in ("Pick", "Field"):
            problems.add_unknown(unknown_property(str(key), f"{label} Selector"))
    pick = selector.get("Pick")
    if pick not in SELECTOR_PICKS:
        problems.add(
            f"{label}: Invalid Selector Pick {show_json(pick)}. Valid values: "
            f"{', '.join(SELECTOR_PICKS)}."
        )
    field = selector.get("Field")
    path = field.get("Get") if isinstance(field, dict) and len(field) == 1 else None
    try:
        root, rest = parse_get_path(path) if isinstance(path, str) else ("", [])
    except ExpressionError:
        root, rest = "", []
    if root != "IterationOutput":
        problems.add(
            f"{label}: Selector.Field must be an IterationOutput reference "
            f"(IterationOutput.<BodyStep>.<member>). Got: {show_json(field)}."
        )
        return None
    if len(rest) < 2 or rest[0] not in body_names:
        problems.add(
            f"{label}: Selector.Field must target a body step of this ForEach step "
            f"({', '.join(body_names)}) and drill at least one member deep. Got: {path}."
        )
        return None
    if pick not in SELECTOR_PICKS:
        return None
    return str(pick), str(rest[0]), tuple(rest[1:])


def split_body_dependencies(body: list[StepDef]) -> tuple[list[StepDef], set[str]]:
    """Body steps whose ``dependencies`` keep only other body steps (they run per iteration),
    and the steps outside the body they need (the ForEach step waits for those)."""
    names = {step.name for step in body}
    outer: set[str] = set()
    inner: list[StepDef] = []
    for step in body:
        outer |= step.dependencies - names
        inner.append(dataclasses.replace(step, dependencies=step.dependencies & names))
    return inner, outer


def check_for_each_names(problems: Problems, steps: dict[str, StepDef]) -> dict[str, StepDef]:
    """Names and references across ForEach bodies; returns every body step by name.

    A body step's name is unique in the definition; no step is named ``<Body>-<digits>``
    (the service names child steps so, SDK ``ForEachStep`` docstring); only steps of the same
    body refer to a body step directly."""
    owner: dict[str, str] = {}
    body_steps: dict[str, StepDef] = {}
    for step in steps.values():
        if step.for_each is None:
            continue
        for child in step.for_each.body:
            if child.name in steps or child.name in owner:
                problems.add(
                    f"Step '{child.name}' is included in the pipeline definition more than "
                    "once. Body step names must be unique across all ForEach bodies and the "
                    "pipeline's steps."
                )
                continue
            owner[child.name] = step.name
            body_steps[child.name] = child
    if not owner:
        return body_steps
    pattern = re.compile(
        "(" + "|".join(re.escape(n) for n in sorted(owner, key=len, reverse=True)) + r")-[0-9]+"
    )
    for name in list(steps) + list(body_steps):
        match = pattern.fullmatch(name)
        if match:
            problems.add(
                f"Step name '{name}' collides with the child steps of ForEach body step "
                f"'{match.group(1)}' (named <BodyStep>-<index>)."
            )
    everything = {**steps, **body_steps}
    for step in everything.values():
        own = owner.get(step.name)
        for dep in sorted(step.depends_on + tuple(step.data_dependencies)):
            if dep in owner and owner[dep] != own:
                problems.add(
                    f"Step '{step.name}' can not reference step '{dep}' of the ForEachBody of "
                    f"ForEach step '{owner[dep]}'; use Steps.{owner[dep]}.IterationOutputs"
                    f"[<index>].{dep} or Steps.{owner[dep]}.Selected."
                )
    return body_steps


def check_property_references(
    problems: Problems, steps: dict[str, StepDef], step_refs: list[StepRef]
) -> None:
    """``Get Steps.<F>...`` of a ForEach step F reads one of its properties (SDK 3.x
    ``ForEachStep.properties``): a count or ``Status``; ``IterationOutputs[<index>].<BodyStep>
    .<member>...`` ("must be indexed", and drilled by body step name); ``Selected.<member>...``
    when F has a Selector."""
    for ref in step_refs:
        step = steps.get(ref.step)
        if step is None or step.for_each is None or ref.property_file is not None:
            continue
        path, spec = ref.path, step.for_each
        shown = (
            "Steps." + ref.step + "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in path)
        )
        if path and path[0] in COUNT_PROPERTIES and len(path) == 1:
            continue
        if path and path[0] == "IterationOutputs":
            if len(path) < 4 or not isinstance(path[1], int):
                problems.add(
                    f"{ref.owner}: '{shown}' is invalid: IterationOutputs of ForEach step "
                    f"'{ref.step}' must be indexed and drilled by body step name, e.g. "
                    f"Steps.{ref.step}.IterationOutputs[0].<BodyStep>.<member>."
                )
            elif path[2] not in {b.name for b in spec.body}:
                problems.add(
                    f"{ref.owner}: '{shown}' names no body step of ForEach step '{ref.step}'."
                )
            continue
        if path and path[0] == "Selected":
            if spec.selector is None:
                problems.add(
                    f"{ref.owner}: '{shown}' is invalid: ForEach step '{ref.step}' has no Selector."
                )
            elif len(path) < 2:
                problems.add(f"{ref.owner}: '{shown}' must drill at least one member deep.")
            continue
        problems.add(
            f"{ref.owner}: '{shown}' is not a property of ForEach step '{ref.step}'; use "
            f"{', '.join(COUNT_PROPERTIES)}, IterationOutputs[<index>].<BodyStep>... or "
            "Selected...."
        )
