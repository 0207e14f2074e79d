"""Parse and validate a ``PipelineDefinition`` JSON string into a :class:`StepGraph`.

The rules come from ``shared/spec/sagemaker-pipelines-semantics.md`` (cited per rule as
"spec §N"), which in turn cites the published definition schema [SCHEMA], the SageMaker
Developer Guide [DG] and the SageMaker Python SDK [SDK]. Every problem is collected (validation
does not stop at the first one) and reported in a stable order: document structure, parameters,
experiment config, then each step in definition order, then cross-step references, then cycles.

This module loads the JSON (syntax, UTF-8, nesting depth), checks the document itself (top-level
keys, ``Version``, ``Metadata``, ``PipelineExperimentConfig``) and runs the other checks in that
order: :mod:`.parameters`, :mod:`.structure` (step walk, cross-references, cycles),
:mod:`.steps` with :mod:`.step_fields`, and :mod:`.references` for the expressions.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import Any

from .argument_types import check_arguments
from .cleanup import check_cleanup_sources
from .expressions import EXPERIMENT_CONFIG_VARIABLES
from .for_each import check_for_each_names, check_property_references
from .model import DEFINITION_VERSION, StepGraph
from .parameters import check_parameters
from .problems import INVALID, DefinitionError, Problems, json_type, show_json
from .references import ReferenceCheck
from .schema import MLFLOW_CONFIG_KEYS, check_keys, unknown_property
from .sharing import SharedValues
from .steps import check_step, share_dependency_sets
from .structure import check_cross_references, check_cycles, walk_steps

__all__ = [
    "MAX_NESTING_DEPTH",
    "TOP_LEVEL_KEYS",
    "DefinitionError",
    "check_definition",
    "parse_definition",
]

#: Top-level keys: the schema's ``Version``/``Metadata``/``Parameters``/``Steps`` plus what the
#: SDK sends -- ``PipelineExperimentConfig`` (SDK v2/v3) and ``MlflowConfig`` (SDK v3 sends
#: ``null``), spec §10 and real-clients §4.
TOP_LEVEL_KEYS: tuple[str, ...] = (
    "Version",
    "Metadata",
    "Parameters",
    "PipelineExperimentConfig",
    "Steps",
    "MlflowConfig",
)

#: Deepest JSON nesting a definition may have. Real definitions nest about 10 levels (a job's
#: Arguments inside a Condition branch); the limit keeps evaluation far from Python's recursion
#: limit so that a definition accepted at create time can always run.
MAX_NESTING_DEPTH = 100

_METADATA_KEY_RE = re.compile(r"[A-Za-z0-9\-_]{1,128}")  # schema Metadata, spec §10


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent; one beyond a double's range (``1e400``) is
    refused as ``Infinity`` is, since no JSON could carry it on (the Callback message, say)."""
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is beyond the range of a double")
    return value


def _run(problems: Problems, text: str | bytes) -> StepGraph | None:
    """One validation run; the graph, or ``None`` when ``problems`` has entries."""
    doc = _load(problems, text)
    if doc is INVALID:
        return None
    if not isinstance(doc, dict):
        problems.add(
            "Invalid PipelineDefinition: the definition must be a JSON object, "
            f"not {json_type(doc)}."
        )
        return None
    _check_top_level(problems, doc)
    parameters, declared = check_parameters(problems, doc.get("Parameters"))
    refs = ReferenceCheck(problems, declared)
    _check_experiment_config(problems, refs, doc.get("PipelineExperimentConfig"))
    steps_value = doc.get("Steps")
    if "Steps" not in doc:
        problems.add("Invalid PipelineDefinition: required property 'Steps' is missing.")
        steps_value = []
    elif not isinstance(steps_value, list):
        problems.add(
            f"Invalid PipelineDefinition: 'Steps' must be an array, not {json_type(steps_value)}."
        )
        steps_value = []
    raw_steps, top_level = walk_steps(problems, steps_value)
    step_defs = share_dependency_sets(
        {raw.name: check_step(problems, refs, raw) for raw in raw_steps.values()}
    )
    body_steps = check_for_each_names(problems, step_defs)
    check_arguments(problems, parameters, {**step_defs, **body_steps})
    check_cleanup_sources(problems, step_defs)
    check_cross_references(problems, {**step_defs, **body_steps}, refs.step_refs)
    check_property_references(problems, step_defs, refs.step_refs)
    check_cycles(problems, step_defs)
    for step in step_defs.values():
        if step.for_each is not None:
            check_cycles(problems, {b.name: b for b in step.for_each.body})
    if problems.messages:
        return None
    metadata = doc.get("Metadata")
    return StepGraph(
        version=str(doc.get("Version", DEFINITION_VERSION)),
        parameters=parameters,
        steps=step_defs,
        top_level=tuple(top_level),
        experiment_config=doc.get("PipelineExperimentConfig"),
        metadata=dict(metadata) if isinstance(metadata, dict) else {},
        raw=doc,
        mlflow_config=doc.get("MlflowConfig"),
    )


def _load(problems: Problems, text: str | bytes) -> Any:
    """Decode the JSON; a syntax error names its position (DG troubleshooting: "returns an
    error message identifying the character where the JSON file is malformed")."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.add(f"Invalid PipelineDefinition: not UTF-8 text ({exc}).")
            return INVALID
    if not isinstance(text, str):
        problems.add("Invalid PipelineDefinition: the definition must be a JSON string.")
        return INVALID
    try:
        shared = SharedValues()
        doc = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            object_pairs_hook=shared.object_from_pairs,
        )
        depth = _nesting_depth(doc)
        if depth > MAX_NESTING_DEPTH:
            problems.add(
                f"Invalid PipelineDefinition: JSON is nested {depth} levels deep; at most "
                f"{MAX_NESTING_DEPTH} levels are supported."
            )
            return INVALID
        return doc
    except json.JSONDecodeError as exc:
        problems.add(
            f"Invalid PipelineDefinition: JSON is malformed at line {exc.lineno}, "
            f"column {exc.colno} (char {exc.pos}): {exc.msg}"
        )
    except ValueError as exc:
        problems.add(f"Invalid PipelineDefinition: JSON is malformed: {exc}")
    except RecursionError:
        problems.add("Invalid PipelineDefinition: JSON is nested too deeply.")
    return INVALID


def _check_top_level(problems: Problems, doc: dict[str, Any]) -> None:
    """Unknown keys (schema ``additionalProperties: false`` plus the SDK's extra keys, with
    the service's wording from SDK issue #2746), ``Version`` enum and ``Metadata`` shape
    (spec §10)."""
    check_keys(problems, doc, frozenset(TOP_LEVEL_KEYS))
    check_keys(problems, doc.get("MlflowConfig"), MLFLOW_CONFIG_KEYS, "MlflowConfig")
    if "Version" in doc and doc["Version"] != DEFINITION_VERSION:
        problems.add(
            f"Invalid PipelineDefinition: Version {show_json(doc['Version'])} is not supported; "
            f"the supported version is '{DEFINITION_VERSION}'."
        )
    metadata = doc.get("Metadata")
    if metadata is None:
        return
    if not isinstance(metadata, dict):
        problems.add(
            f"Invalid PipelineDefinition: 'Metadata' must be an object, not {json_type(metadata)}."
        )
        return
    for key, value in metadata.items():
        if not _METADATA_KEY_RE.fullmatch(key):
            problems.add(
                f"Invalid PipelineDefinition: Metadata key '{key}' must match "
                r"^[A-Za-z0-9\-_]{1,128}$."
            )
        if not isinstance(value, str) or len(value) > 1024:
            problems.add(
                f"Invalid PipelineDefinition: Metadata value of '{key}' must be a string of "
                "at most 1024 characters."
            )


def _check_experiment_config(problems: Problems, refs: ReferenceCheck, config: Any) -> None:
    """``PipelineExperimentConfig``: ``null`` (disabled) or an object with
    ``ExperimentName``/``TrialName`` given as strings or expressions (DG "Experiments
    integration"; the DG's bare ``{"On", "Values"}`` join is accepted too, spec §10)."""
    if config is None:
        return
    label = "PipelineExperimentConfig"
    if not isinstance(config, dict):
        problems.add(f"{label} must be an object, not {json_type(config)}.")
        return
    for key, value in config.items():
        if key not in EXPERIMENT_CONFIG_VARIABLES:
            problems.add_unknown(unknown_property(key, label))
            continue
        if isinstance(value, dict) and set(value) == {"On", "Values"}:
            value = {"Std:Join": value}
        if (
            value is not None
            and not isinstance(value, str)
            and not (
                isinstance(value, dict)
                and len(value) == 1
                and next(iter(value)) in ("Get", "Std:Join")
            )
        ):
            problems.add(f"{label}: {key} must be a string or an expression.")
            continue
        refs.scan(value, label, allow_steps=False)


def _nesting_depth(doc: Any) -> int:
    """The depth of the deepest object or list in ``doc`` (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        for item in value:
            if isinstance(item, dict | list):
                stack.append((item, depth + 1))
    return deepest


def check_definition(text: str | bytes, *, lenient: bool = False) -> list[str]:
    """Every problem with the definition ``text`` (empty when it is valid), in a stable order.

    For a ``validate`` command line: print one line per problem. ``lenient``: unknown step
    types and keys are not problems.
    """
    problems = Problems(lenient)
    try:
        _run(problems, text)
    except RecursionError:
        problems.add("Invalid PipelineDefinition: JSON is nested too deeply.")
    return problems.messages


def parse_definition(text: str | bytes, *, lenient: bool = False) -> StepGraph:
    """Parse and validate ``text`` into a :class:`StepGraph`.

    Raises :class:`DefinitionError` (with every problem) when the definition is invalid.
    ``lenient``: unknown step types and keys are listed in the graph's ``warnings`` instead.
    """
    problems = Problems(lenient)
    try:
        graph = _run(problems, text)
    except RecursionError:
        problems.add("Invalid PipelineDefinition: JSON is nested too deeply.")
        graph = None
    if graph is None:
        raise DefinitionError(problems.messages)
    return (
        dataclasses.replace(graph, warnings=tuple(problems.warnings))
        if problems.warnings
        else graph
    )
