"""Parse and validate a ``PipelineDefinition`` JSON string into a :class:`StepGraph`.

The rules come from ``shared/spec/sagemaker-pipelines-semantics.md`` (cited per rule as
"spec §N"), which in turn cites the published definition schema [SCHEMA], the SageMaker
Developer Guide [DG] and the SageMaker Python SDK [SDK]. Every problem is collected (validation
does not stop at the first one) and reported in a stable order: document structure, parameters,
experiment config, then each step in definition order, then cross-step references, then cycles.

Unknown step ``Type`` values are accepted (the service keeps adding step types; the SDK's
``StepTypeEnum`` alone lists 22, spec §10), as are unknown keys inside steps.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .expressions import CONDITION_TYPES, EXECUTION_VARIABLES, EXPERIMENT_CONFIG_VARIABLES
from .model import (
    DEFAULT_BACKOFF_RATE,
    DEFAULT_INTERVAL_SECONDS,
    DEFAULT_MAX_ATTEMPTS,
    DEFINITION_VERSION,
    PARAMETER_TYPES,
    OutputParameterDef,
    ParameterDef,
    PropertyFileDef,
    RetryPolicyDef,
    StepDef,
    StepGraph,
)
from .paths import ExpressionError, parse_get_path

__all__ = [
    "KNOWN_STEP_TYPES",
    "RETRY_EXCEPTION_TYPES",
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

#: SDK ``StepTypeEnum`` (spec §10). Informational only: other types are accepted.
KNOWN_STEP_TYPES: frozenset[str] = frozenset(
    {
        "Condition",
        "Model",
        "Processing",
        "RegisterModel",
        "Training",
        "Transform",
        "Callback",
        "Tuning",
        "Lambda",
        "QualityCheck",
        "ClarifyCheck",
        "EMR",
        "Fail",
        "AutoML",
        "EndpointConfig",
        "Endpoint",
        "InferenceComponent",
        "BedrockCustomModel",
        "BedrockCustomModelDeployment",
        "BedrockModelImport",
        "BedrockProvisionedModelThroughput",
        "Lineage",
    }
)

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

_STEP_NAME_RE = re.compile(r"[A-Za-z0-9\-_]{1,64}")  # API StepName / schema StepName, spec §2
_PARAM_NAME_RE = re.compile(r"[A-Za-z0-9\-_]{1,256}")  # API PipelineParameterName, spec §13.4
_METADATA_KEY_RE = re.compile(r"[A-Za-z0-9\-_]{1,128}")  # schema Metadata, spec §10

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

_INVALID: Any = object()  # marker returned by _Checker._number_field after a problem

_MAX_OUTPUT_PARAMETERS = 50  # OutputParameterList max 50 [M], spec §6/§7


class DefinitionError(Exception):
    """The definition is invalid; :attr:`problems` lists every problem found (one sentence
    each, phrased like the service's ``ValidationException`` messages where those are known)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("; ".join(self.problems))

    def __str__(self) -> str:
        return "; ".join(self.problems)


def _jtype(value: Any) -> str:
    """JSON type name of a decoded value (for messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _show(value: Any) -> str:
    """Compact JSON of a value for messages (truncated)."""
    try:
        text = json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


@dataclass
class _StepRef:
    """A ``Get Steps.<step>...`` found in ``owner``'s JSON."""

    owner: str
    step: str
    property_file: str | None  # set when the reference is a Std:JsonGet PropertyFile


@dataclass
class _RawStep:
    """A step object found while walking ``Steps`` and the Condition branches."""

    obj: dict[str, Any]
    name: str
    label: str
    parent: str | None
    branch: str | None
    order: int
    if_names: list[str] = field(default_factory=list)
    else_names: list[str] = field(default_factory=list)


class _Checker:
    """One validation run; :meth:`run` returns the graph (``None`` if there were problems)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.parameters: dict[str, ParameterDef] = {}
        self.declared_parameters: set[str] = set()
        self.refs: list[_StepRef] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    # -- entry point --------------------------------------------------------------------------

    def run(self, text: str | bytes) -> StepGraph | None:
        doc = self._load(text)
        if doc is _INVALID:
            return None
        if not isinstance(doc, dict):
            self.add(
                "Invalid PipelineDefinition: the definition must be a JSON object, "
                f"not {_jtype(doc)}."
            )
            return None
        self._check_top_level(doc)
        self._check_parameters(doc.get("Parameters"))
        self._check_experiment_config(doc.get("PipelineExperimentConfig"))
        steps_value = doc.get("Steps")
        if "Steps" not in doc:
            self.add("Invalid PipelineDefinition: required property 'Steps' is missing.")
            steps_value = []
        elif not isinstance(steps_value, list):
            self.add(
                f"Invalid PipelineDefinition: 'Steps' must be an array, not {_jtype(steps_value)}."
            )
            steps_value = []
        raw_steps, top_level = self._walk_steps(steps_value)
        step_defs = {raw.name: self._check_step(raw) for raw in raw_steps.values()}
        self._check_cross_references(step_defs)
        self._check_cycles(step_defs)
        if self.problems:
            return None
        metadata = doc.get("Metadata")
        return StepGraph(
            version=str(doc.get("Version", DEFINITION_VERSION)),
            parameters=self.parameters,
            steps=step_defs,
            top_level=tuple(top_level),
            experiment_config=doc.get("PipelineExperimentConfig"),
            metadata=dict(metadata) if isinstance(metadata, dict) else {},
            raw=doc,
            mlflow_config=doc.get("MlflowConfig"),
        )

    # -- document -----------------------------------------------------------------------------

    def _load(self, text: str | bytes) -> Any:
        """Decode the JSON; a syntax error names its position (DG troubleshooting: "returns an
        error message identifying the character where the JSON file is malformed")."""
        if isinstance(text, (bytes, bytearray)):
            try:
                text = bytes(text).decode("utf-8")
            except UnicodeDecodeError as exc:
                self.add(f"Invalid PipelineDefinition: not UTF-8 text ({exc}).")
                return _INVALID
        if not isinstance(text, str):
            self.add("Invalid PipelineDefinition: the definition must be a JSON string.")
            return _INVALID
        try:
            doc = json.loads(text, parse_constant=_reject_constant)
            depth = _nesting_depth(doc)
            if depth > MAX_NESTING_DEPTH:
                self.add(
                    f"Invalid PipelineDefinition: JSON is nested {depth} levels deep; at most "
                    f"{MAX_NESTING_DEPTH} levels are supported."
                )
                return _INVALID
            return doc
        except json.JSONDecodeError as exc:
            self.add(
                f"Invalid PipelineDefinition: JSON is malformed at line {exc.lineno}, "
                f"column {exc.colno} (char {exc.pos}): {exc.msg}"
            )
        except ValueError as exc:
            self.add(f"Invalid PipelineDefinition: JSON is malformed: {exc}")
        except RecursionError:
            self.add("Invalid PipelineDefinition: JSON is nested too deeply.")
        return _INVALID

    def _check_top_level(self, doc: dict[str, Any]) -> None:
        """Unknown keys (schema ``additionalProperties: false`` plus the SDK's extra keys, with
        the service's wording from SDK issue #2746), ``Version`` enum and ``Metadata`` shape
        (spec §10)."""
        for key in doc:
            if key not in TOP_LEVEL_KEYS:
                self.add(
                    "Unable to parse pipeline definition. Cannot parse object, unknown "
                    f"property '{key}'."
                )
        if "Version" in doc and doc["Version"] != DEFINITION_VERSION:
            self.add(
                f"Invalid PipelineDefinition: Version {_show(doc['Version'])} is not supported; "
                f"the supported version is '{DEFINITION_VERSION}'."
            )
        metadata = doc.get("Metadata")
        if metadata is None:
            return
        if not isinstance(metadata, dict):
            self.add(
                f"Invalid PipelineDefinition: 'Metadata' must be an object, not {_jtype(metadata)}."
            )
            return
        for key, value in metadata.items():
            if not _METADATA_KEY_RE.fullmatch(key):
                self.add(
                    f"Invalid PipelineDefinition: Metadata key '{key}' must match "
                    r"^[A-Za-z0-9\-_]{1,128}$."
                )
            if not isinstance(value, str) or len(value) > 1024:
                self.add(
                    f"Invalid PipelineDefinition: Metadata value of '{key}' must be a string of "
                    "at most 1024 characters."
                )

    # -- parameters ---------------------------------------------------------------------------

    def _check_parameters(self, params: Any) -> None:
        """Parameters (spec §10; DG "Pipeline parameters": "The default value must be an
        instance matching the parameter type")."""
        if params is None:
            return
        if not isinstance(params, list):
            self.add(
                f"Invalid PipelineDefinition: 'Parameters' must be an array, not {_jtype(params)}."
            )
            return
        for index, param in enumerate(params):
            self._check_parameter(index, param)

    def _check_parameter(self, index: int, param: Any) -> None:
        where = f"Parameters[{index}]"
        if not isinstance(param, dict):
            self.add(f"Invalid PipelineDefinition: {where} must be an object, not {_jtype(param)}.")
            return
        name = param.get("Name")
        if not isinstance(name, str):
            self.add(f"Invalid PipelineDefinition: {where} is missing required property 'Name'.")
            return
        ok = True
        label = f"Parameter '{name}'"
        if not _PARAM_NAME_RE.fullmatch(name):
            self.add(f"{label}: the name must match " r"^[A-Za-z0-9\-_]{1,256}$.")
            ok = False
        if name in self.declared_parameters:
            self.add(f"{label} is defined more than once; parameter names must be unique.")
            return
        self.declared_parameters.add(name)
        ptype = param.get("Type", "String")
        if ptype not in PARAMETER_TYPES:
            self.add(
                f"{label}: Type {_show(ptype)} is not supported; use one of "
                f"{', '.join(PARAMETER_TYPES)}."
            )
            return
        description = param.get("Description")
        if description is not None and (
            not isinstance(description, str) or len(description) > 4096
        ):
            self.add(f"{label}: Description must be a string of at most 4096 characters.")
            ok = False
        enum_values: tuple[str, ...] | None = None
        if param.get("EnumValues") is not None:
            raw_enum = param["EnumValues"]
            if ptype != "String":
                self.add(f"{label}: EnumValues is only supported for String parameters.")
                ok = False
            elif (
                not isinstance(raw_enum, list)
                or not raw_enum
                or not all(isinstance(v, str) for v in raw_enum)
            ):
                self.add(f"{label}: EnumValues must be a non-empty array of strings.")
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
                )
                or (ptype == "Boolean" and isinstance(default, bool))
                or (ptype == "String" and isinstance(default, str))
            )
            if not valid:
                self.add(
                    f"{label}: DefaultValue {_show(default)} is not a valid {ptype}; the default "
                    "value must be an instance matching the parameter type."
                )
                ok = False
            elif ptype == "String" and len(default) > 4096:
                self.add(f"{label}: DefaultValue must be at most 4096 characters.")
                ok = False
            elif enum_values is not None and default not in enum_values:
                self.add(
                    f"{label}: DefaultValue {_show(default)} is not one of the EnumValues "
                    f"[{', '.join(enum_values)}]."
                )
                ok = False
            elif ptype == "Float":
                default = float(default)
        if ok:
            self.parameters[name] = ParameterDef(
                name=name,
                type=str(ptype),
                default=default if has_default else None,
                has_default=has_default,
                enum_values=enum_values,
                description=description,
            )

    # -- experiment config --------------------------------------------------------------------

    def _check_experiment_config(self, config: Any) -> None:
        """``PipelineExperimentConfig``: ``null`` (disabled) or an object with
        ``ExperimentName``/``TrialName`` given as strings or expressions (DG "Experiments
        integration"; the DG's bare ``{"On", "Values"}`` join is accepted too, spec §10)."""
        if config is None:
            return
        label = "PipelineExperimentConfig"
        if not isinstance(config, dict):
            self.add(f"{label} must be an object, not {_jtype(config)}.")
            return
        for key, value in config.items():
            if key not in EXPERIMENT_CONFIG_VARIABLES:
                self.add(
                    "Unable to parse pipeline definition. Cannot parse object, unknown "
                    f"property '{key}'."
                )
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
                self.add(f"{label}: {key} must be a string or an expression.")
                continue
            self._scan(value, label, allow_steps=False)

    # -- steps: structure ---------------------------------------------------------------------

    def _walk_steps(self, top: list[Any]) -> tuple[dict[str, _RawStep], list[str]]:
        """Depth-first walk of ``Steps`` and the Condition branches (a Condition's ``IfSteps``
        then ``ElseSteps`` right after it). Checks ``Name``/``Type`` and that each name occurs
        once in the whole definition (DG troubleshooting: "You can only include steps in a
        pipeline definition once ... steps cannot exist as part of a condition step and a
        pipeline in the same pipeline")."""
        found: dict[str, _RawStep] = {}
        top_level: list[str] = []
        # stack of (iterator over (label, obj)), parent raw step, branch)
        stack: list[tuple[Any, _RawStep | None, str | None]] = [
            (iter([(f"Steps[{i}]", s) for i, s in enumerate(top)]), None, None)
        ]
        order = 0
        while stack:
            iterator, parent, branch = stack[-1]
            item = next(iterator, None)
            if item is None:
                stack.pop()
                continue
            label, obj = item
            if not isinstance(obj, dict):
                self.add(f"Step at {label} must be an object, not {_jtype(obj)}.")
                continue
            name = obj.get("Name")
            if not isinstance(name, str):
                self.add(f"Step at {label} is missing required property 'Name'.")
                continue
            bad_name = not _STEP_NAME_RE.fullmatch(name)
            if bad_name:
                self.add(
                    f"Step name {_show(name)} at {label} is invalid: it must match "
                    r"^[A-Za-z0-9\-_]{1,64}$."
                )
            stype = obj.get("Type")
            if not isinstance(stype, str) or not stype:
                self.add(f"Step '{name}' is missing required property 'Type'.")
            if name in found:
                self.add(
                    f"Step '{name}' is included in the pipeline definition more than once. You "
                    "can only include steps in a pipeline definition once: steps cannot exist as "
                    "part of a condition step and a pipeline in the same pipeline."
                )
                continue
            raw = _RawStep(
                obj=obj,
                name=name,
                label=label,
                parent=parent.name if parent else None,
                branch=branch,
                order=order,
            )
            order += 1
            found[name] = raw
            if parent is None:
                top_level.append(name)
            elif branch == "if":
                parent.if_names.append(name)
            else:
                parent.else_names.append(name)
            if stype == "Condition":
                args = obj.get("Arguments")
                if isinstance(args, dict):
                    branches: list[tuple[str, str, Any]] = []
                    for key, br in (("IfSteps", "if"), ("ElseSteps", "else")):
                        value = args.get(key)
                        if value is None:
                            continue
                        if not isinstance(value, list):
                            self.add(f"Step '{name}': Arguments.{key} must be an array of steps.")
                            continue
                        branches.append((key, br, value))
                    # push ElseSteps first so IfSteps are walked first
                    for key, br, value in reversed(branches):
                        entries = [(f"{name}.{key}[{i}]", s) for i, s in enumerate(value)]
                        stack.append((iter(entries), raw, br))
        return found, top_level

    # -- steps: content -----------------------------------------------------------------------

    def _check_step(self, raw: _RawStep) -> StepDef:
        """Common step fields (spec §10), type-specific fields (Callback spec §6, Lambda spec §7,
        Condition spec §9.2, Fail spec §9.3), retry policies (spec §9.4), and the expression scan
        that yields the step's data dependencies (spec §9.1)."""
        obj, name = raw.obj, raw.name
        stype = obj.get("Type") if isinstance(obj.get("Type"), str) else ""
        label = f"Step '{name}'"

        depends_on: list[str] = []
        if "DependsOn" in obj and obj["DependsOn"] is not None:
            value = obj["DependsOn"]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.add(f"{label}: DependsOn must be an array of step names.")
            else:
                depends_on = list(dict.fromkeys(value))

        display_name = obj.get("DisplayName")
        if display_name is not None and (
            not isinstance(display_name, str) or len(display_name) > 256
        ):
            self.add(f"{label}: DisplayName must be a string of at most 256 characters.")
            display_name = None
        description = obj.get("Description")
        if description is not None and (
            not isinstance(description, str) or len(description) > 3072
        ):
            self.add(f"{label}: Description must be a string of at most 3072 characters.")
            description = None

        cache_config = obj.get("CacheConfig")
        if cache_config is not None and not isinstance(cache_config, dict):
            self.add(f"{label}: CacheConfig must be an object.")
            cache_config = None

        retry = self._check_retry_policies(label, stype, obj.get("RetryPolicies"))
        property_files = self._check_property_files(label, obj.get("PropertyFiles"))
        outputs: list[OutputParameterDef] = []
        sqs_queue_url: Any = None
        function_arn: Any = None
        conditions: list[Any] = []
        arguments = obj.get("Arguments")

        if stype in ("Callback", "Lambda"):
            key = "SqsQueueUrl" if stype == "Callback" else "FunctionArn"
            value = obj.get(key)
            if value is None:
                self.add(f"{label}: required property '{key}' is missing for a {stype} step.")
            elif not isinstance(value, str) and not (
                isinstance(value, dict)
                and len(value) == 1
                and next(iter(value)) in ("Get", "Std:Join")
            ):
                self.add(f"{label}: {key} must be a string or an expression.")
            if stype == "Callback":
                sqs_queue_url = value
            else:
                function_arn = value
            outputs = self._check_output_parameters(label, obj.get("OutputParameters"))
            if arguments is not None and not isinstance(arguments, dict):
                self.add(f"{label}: Arguments must be an object.")
        elif stype == "Fail":
            if arguments is not None and not isinstance(arguments, dict):
                self.add(f"{label}: Arguments must be an object.")
        elif stype == "Condition":
            if not isinstance(arguments, dict):
                self.add(
                    f"{label}: required property 'Arguments' (an object with 'Conditions') "
                    "is missing for a Condition step."
                )
            elif not isinstance(arguments.get("Conditions"), list):
                self.add(f"{label}: Arguments.Conditions must be an array of conditions.")
            else:
                conditions = list(arguments["Conditions"])
                for index, cond in enumerate(conditions):
                    self._check_condition(label, f"Conditions[{index}]", cond)

        # expression scan (validation + data dependencies)
        start = len(self.refs)
        for key, value in obj.items():
            if key in _STRUCTURAL_KEYS:
                continue
            if key == "Arguments" and stype == "Condition" and isinstance(value, dict):
                for arg_key, arg_value in value.items():
                    if arg_key in ("IfSteps", "ElseSteps"):
                        continue
                    self._scan(arg_value, label)
                continue
            self._scan(value, label)
        data_deps = {ref.step for ref in self.refs[start:]}

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
        )

    def _check_retry_policies(self, label: str, stype: str, value: Any) -> list[RetryPolicyDef]:
        """``RetryPolicies`` (DG "Retry policy", spec §9.4): ``ExceptionType`` required (array,
        or a single string as the schema types it), ``IntervalSeconds`` 1..43200,
        ``BackoffRate`` >= 0, ``MaxAttempts`` 0..20, ``ExpireAfterMin`` 0..14400, not both
        ``MaxAttempts`` and ``ExpireAfterMin``. Not allowed on Lambda (SDK issue #3922),
        Callback, Condition and Fail steps."""
        if value is None:
            return []
        if stype in _NO_RETRY_TYPES:
            self.add(f"{label}: RetryPolicies are not supported for {stype} steps.")
            return []
        if not isinstance(value, list):
            self.add(f"{label}: RetryPolicies must be an array.")
            return []
        policies: list[RetryPolicyDef] = []
        for index, policy in enumerate(value):
            where = f"{label}: RetryPolicies[{index}]"
            if not isinstance(policy, dict):
                self.add(f"{where} must be an object.")
                continue
            ok = True
            exc = policy.get("ExceptionType")
            exc_list = [exc] if isinstance(exc, str) else exc
            if exc is None:
                self.add(f"{where} is missing required property 'ExceptionType'.")
                ok = False
            elif (
                not isinstance(exc_list, list)
                or not exc_list
                or not all(isinstance(e, str) for e in exc_list)
            ):
                self.add(f"{where}: ExceptionType must be a non-empty array of strings.")
                ok = False
            else:
                unknown = [e for e in exc_list if e not in RETRY_EXCEPTION_TYPES]
                if unknown:
                    self.add(
                        f"{where}: ExceptionType {', '.join(unknown)} is not supported; use "
                        f"{', '.join(sorted(RETRY_EXCEPTION_TYPES))}."
                    )
                    ok = False
            interval = self._number_field(
                where, policy, "IntervalSeconds", 1, 43200, DEFAULT_INTERVAL_SECONDS, integer=False
            )
            backoff = self._number_field(
                where, policy, "BackoffRate", 0, None, DEFAULT_BACKOFF_RATE, integer=False
            )
            max_attempts = self._number_field(
                where, policy, "MaxAttempts", 0, 20, None, integer=True
            )
            expire = self._number_field(
                where, policy, "ExpireAfterMin", 0, 14400, None, integer=True
            )
            if _INVALID in (interval, backoff, max_attempts, expire):
                ok = False
            if policy.get("MaxAttempts") is not None and policy.get("ExpireAfterMin") is not None:
                self.add(f"{where}: only one of MaxAttempts and ExpireAfterMin can be given.")
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
        self,
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
        or ``_INVALID`` after reporting a problem."""
        value = obj.get(key)
        if value is None:
            return default
        is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
        if integer and is_num and isinstance(value, float) and value.is_integer():
            value = int(value)
        if not is_num or (integer and not isinstance(value, int)):
            self.add(f"{where}: {key} must be {'an integer' if integer else 'a number'}.")
            return _INVALID
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.add(f"{where}: {key} {_show(value)} must be {bound}.")
            return _INVALID
        return value

    def _check_property_files(self, label: str, value: Any) -> list[PropertyFileDef]:
        """``PropertyFiles[]``: ``PropertyFileName``, ``OutputName``, ``FilePath`` strings, names
        unique within the step (spec §10; DG "Property Files and JsonGet")."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(f"{label}: PropertyFiles must be an array.")
            return []
        out: list[PropertyFileDef] = []
        seen: set[str] = set()
        for index, pf in enumerate(value):
            where = f"{label}: PropertyFiles[{index}]"
            if not isinstance(pf, dict):
                self.add(f"{where} must be an object.")
                continue
            missing = [
                k
                for k in ("PropertyFileName", "OutputName", "FilePath")
                if not isinstance(pf.get(k), str) or not pf.get(k)
            ]
            if missing:
                self.add(
                    f"{where} is missing required string property "
                    f"{', '.join(repr(m) for m in missing)}."
                )
                continue
            if pf["PropertyFileName"] in seen:
                self.add(f"{where}: property file '{pf['PropertyFileName']}' is declared twice.")
                continue
            seen.add(pf["PropertyFileName"])
            out.append(PropertyFileDef(pf["PropertyFileName"], pf["OutputName"], pf["FilePath"]))
        return out

    def _check_output_parameters(self, label: str, value: Any) -> list[OutputParameterDef]:
        """Callback/Lambda ``OutputParameters``: ``OutputName`` required, ``OutputType`` one of
        String/Integer/Boolean/Float (default String), at most 50 (spec §6, §7)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(f"{label}: OutputParameters must be an array.")
            return []
        if len(value) > _MAX_OUTPUT_PARAMETERS:
            self.add(f"{label}: at most {_MAX_OUTPUT_PARAMETERS} OutputParameters are allowed.")
        out: list[OutputParameterDef] = []
        seen: set[str] = set()
        for index, entry in enumerate(value):
            where = f"{label}: OutputParameters[{index}]"
            if not isinstance(entry, dict):
                self.add(f"{where} must be an object.")
                continue
            oname = entry.get("OutputName")
            if not isinstance(oname, str) or not oname:
                self.add(f"{where} is missing required property 'OutputName'.")
                continue
            otype = entry.get("OutputType", "String")
            if otype is None:
                otype = "String"
            if otype not in PARAMETER_TYPES:
                self.add(
                    f"{where}: OutputType {_show(otype)} is not supported; use one of "
                    f"{', '.join(PARAMETER_TYPES)}."
                )
                continue
            if oname in seen:
                self.add(f"{where}: output '{oname}' is declared twice.")
                continue
            seen.add(oname)
            out.append(OutputParameterDef(oname, str(otype)))
        return out

    def _check_condition(self, label: str, where: str, cond: Any) -> None:
        """Condition objects (spec §10 "Conditions"; SDK forms plus schema aliases, spec §13.2).
        Operand expressions are checked by the step-wide expression scan."""
        if not isinstance(cond, dict):
            self.add(f"{label}: {where} must be a condition object.")
            return
        ctype = cond.get("Type")
        if ctype not in CONDITION_TYPES:
            self.add(
                f"{label}: {where} has unsupported condition Type {_show(ctype)}; use one of "
                "Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, "
                "Not, Or."
            )
            return
        if ctype in ("In", "NotIn"):
            if "QueryValue" in cond or "Value" not in cond:
                keys = ("QueryValue", "Values")
            else:
                keys = ("Value", "In")
            missing = [k for k in keys if k not in cond]
            if missing:
                self.add(f"{label}: {where} ({ctype}) is missing {' and '.join(missing)}.")
            elif not isinstance(cond[keys[1]], list):
                self.add(f"{label}: {where} ({ctype}) {keys[1]} must be an array.")
        elif ctype == "Not":
            inner_key = "Expression" if "Expression" in cond else "Condition"
            if not isinstance(cond.get(inner_key), dict):
                self.add(
                    f"{label}: {where} (Not) is missing the condition to negate "
                    "('Expression' or 'Condition')."
                )
            else:
                self._check_condition(label, f"{where}.{inner_key}", cond[inner_key])
        elif ctype == "Or":
            inner = cond.get("Conditions")
            if not isinstance(inner, list):
                self.add(f"{label}: {where} (Or) is missing the 'Conditions' array.")
            else:
                for index, sub in enumerate(inner):
                    self._check_condition(label, f"{where}.Conditions[{index}]", sub)
        else:
            missing = [k for k in ("LeftValue", "RightValue") if k not in cond]
            if missing:
                self.add(f"{label}: {where} ({ctype}) is missing {' and '.join(missing)}.")

    # -- expressions --------------------------------------------------------------------------

    def _scan(self, value: Any, label: str, *, allow_steps: bool = True) -> None:
        """Validate every expression inside ``value`` and record step references (spec §10
        "Expressions")."""
        stack: list[Any] = [value]
        while stack:
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(reversed(cur))
                continue
            if not isinstance(cur, dict):
                continue
            if len(cur) == 1:
                key, body = next(iter(cur.items()))
                if key == "Get":
                    self._check_get(body, label, allow_steps=allow_steps, property_file=False)
                    continue
                if key == "Std:Join":
                    if (
                        not isinstance(body, dict)
                        or not isinstance(body.get("On"), str)
                        or not isinstance(body.get("Values"), list)
                    ):
                        self.add(
                            f"{label}: Std:Join requires 'On' (a string) and 'Values' "
                            f"(an array): {_show(cur)}."
                        )
                        continue
                    stack.extend(reversed(body["Values"]))
                    continue
                if key == "Std:JsonGet":
                    stack.extend(reversed(self._check_json_get(body, label, allow_steps)))
                    continue
            stack.extend(reversed(list(cur.values())))

    def _check_json_get(self, body: Any, label: str, allow_steps: bool) -> list[Any]:
        """``Std:JsonGet`` needs ``Path`` and exactly one of ``PropertyFile`` (a ``Get`` on
        ``Steps.<S>.PropertyFiles.<N>``) or ``S3Uri`` (spec §10). Returns sub-values to scan."""
        if not isinstance(body, dict):
            self.add(
                f"{label}: Std:JsonGet must be an object with 'Path' and 'PropertyFile' or 'S3Uri'."
            )
            return []
        if not isinstance(body.get("Path"), str) or not body["Path"]:
            self.add(f"{label}: Std:JsonGet requires 'Path' (a non-empty string).")
        has_pf, has_s3 = "PropertyFile" in body, "S3Uri" in body
        if has_pf == has_s3:
            self.add(f"{label}: Std:JsonGet requires exactly one of 'PropertyFile' and 'S3Uri'.")
            return []
        if has_s3:
            uri = body["S3Uri"]
            if not isinstance(uri, str) and not (
                isinstance(uri, dict) and len(uri) == 1 and next(iter(uri)) in ("Get", "Std:Join")
            ):
                self.add(f"{label}: Std:JsonGet 'S3Uri' must be a string or an expression.")
                return []
            return [uri]
        ref = body["PropertyFile"]
        if not (isinstance(ref, dict) and len(ref) == 1 and "Get" in ref):
            self.add(
                f"{label}: Std:JsonGet 'PropertyFile' must be "
                '{"Get": "Steps.<StepName>.PropertyFiles.<PropertyFileName>"}.'
            )
            return []
        self._check_get(ref["Get"], label, allow_steps=allow_steps, property_file=True)
        return []

    def _check_get(self, path: Any, label: str, *, allow_steps: bool, property_file: bool) -> None:
        """A ``Get`` path: ``Parameters.<declared>``, ``Execution.<variable>``,
        ``PipelineExperimentConfig.ExperimentName|TrialName`` or ``Steps.<S>.<property>``
        (``Steps.<S>.PropertyFiles.<N>`` only inside ``Std:JsonGet``), spec §10."""
        if not isinstance(path, str):
            self.add(f"{label}: Get expression must be a string, not {_jtype(path)}.")
            return
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            self.add(f"{label}: invalid Get expression '{path}'.")
            return
        if property_file and not (
            root == "Steps"
            and len(rest) == 3
            and isinstance(rest[0], str)
            and rest[1] == "PropertyFiles"
            and isinstance(rest[2], str)
        ):
            self.add(
                f"{label}: Std:JsonGet 'PropertyFile' must be a Get on "
                f"Steps.<StepName>.PropertyFiles.<PropertyFileName>, not '{path}'."
            )
            return
        if root == "Parameters":
            if len(rest) != 1 or not isinstance(rest[0], str):
                self.add(f"{label}: invalid Get expression '{path}'.")
            elif rest[0] not in self.declared_parameters:
                self.add(
                    f"{label} references parameter '{rest[0]}' which is not defined in the "
                    "pipeline definition's Parameters."
                )
        elif root == "Execution":
            if len(rest) != 1 or rest[0] not in EXECUTION_VARIABLES:
                self.add(
                    f"{label}: '{path}' is not a valid execution variable; use one of "
                    + ", ".join(f"Execution.{v}" for v in sorted(EXECUTION_VARIABLES))
                    + "."
                )
        elif root == "PipelineExperimentConfig":
            if len(rest) != 1 or rest[0] not in EXPERIMENT_CONFIG_VARIABLES:
                self.add(
                    f"{label}: '{path}' is not valid; use PipelineExperimentConfig."
                    "ExperimentName or PipelineExperimentConfig.TrialName."
                )
        elif root == "Steps":
            if not allow_steps:
                self.add(f"{label} can not reference step properties ('{path}').")
            elif len(rest) < 2 or not isinstance(rest[0], str):
                self.add(
                    f"{label}: invalid Get expression '{path}': a step property reference "
                    "is Steps.<StepName>.<Property>."
                )
            elif rest[1] == "PropertyFiles" and not property_file:
                self.add(
                    f"{label}: '{path}' can only be used as the PropertyFile of a Std:JsonGet."
                )
            else:
                self.refs.append(
                    _StepRef(
                        owner=label,
                        step=str(rest[0]),
                        property_file=str(rest[2]) if property_file else None,
                    )
                )
        else:
            self.add(
                f"{label}: invalid Get expression '{path}': it must start with Parameters., "
                "Execution., Steps. or PipelineExperimentConfig."
            )

    # -- cross-step checks --------------------------------------------------------------------

    def _check_cross_references(self, steps: dict[str, StepDef]) -> None:
        """``DependsOn`` names existing steps and never a Fail step (real service text
        ``<Step> can not depends on <FailStep>``, spec §1 [OBS]); ``Get Steps.<S>`` names an
        existing step that is not a Fail step (DG: a Fail step "can't be referenced by other
        steps", spec §9.3) and, through ``Std:JsonGet``, a property file that step declares."""
        for name, step in steps.items():
            for dep in step.depends_on:
                target = steps.get(dep)
                if target is None:
                    self.add(
                        f"Step '{name}' depends on step '{dep}' which does not exist in the "
                        "pipeline definition."
                    )
                elif target.type == "Fail":
                    self.add(f"{name} can not depends on {dep}")
        for ref in self.refs:
            target = steps.get(ref.step)
            if target is None:
                self.add(
                    f"{ref.owner} references step '{ref.step}' which does not exist in the "
                    "pipeline definition."
                )
            elif target.type == "Fail":
                self.add(
                    f"{ref.owner} can not reference Fail step '{ref.step}': a Fail step's "
                    "properties can not be used by other steps."
                )
            elif ref.property_file is not None and target.property_file(ref.property_file) is None:
                self.add(
                    f"{ref.owner} references property file '{ref.property_file}' which step "
                    f"'{ref.step}' does not declare in its PropertyFiles."
                )

    def _check_cycles(self, steps: dict[str, StepDef]) -> None:
        """No cycle over DependsOn + data references + branch membership (DG "custom
        dependency": a cycle raises a validation exception, spec §10). Tarjan's algorithm,
        iterative, O(V+E); one problem per strongly connected component."""
        index_of: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        comp_stack: list[str] = []
        components: list[list[str]] = []
        counter = 0
        edges = {
            n: sorted((d for d in s.dependencies if d in steps), key=lambda d: steps[d].order)
            for n, s in steps.items()
        }
        for start in steps:
            if start in index_of:
                continue
            work: list[tuple[str, int]] = [(start, 0)]
            while work:
                node, pos = work[-1]
                if pos == 0:
                    index_of[node] = low[node] = counter
                    counter += 1
                    comp_stack.append(node)
                    on_stack.add(node)
                nbrs = edges[node]
                if pos < len(nbrs):
                    work[-1] = (node, pos + 1)
                    nxt = nbrs[pos]
                    if nxt not in index_of:
                        work.append((nxt, 0))
                    elif nxt in on_stack:
                        low[node] = min(low[node], index_of[nxt])
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index_of[node]:
                    comp: list[str] = []
                    while True:
                        member = comp_stack.pop()
                        on_stack.discard(member)
                        comp.append(member)
                        if member == node:
                            break
                    if len(comp) > 1 or node in steps[node].dependencies:
                        components.append(comp)
        components.sort(key=lambda c: min(steps[m].order for m in c))
        for comp in components:
            names = sorted(comp, key=lambda m: steps[m].order)
            self.add(f"Cyclic dependency detected between steps: {', '.join(names)}")


#: Deepest JSON nesting a definition may have. Real definitions nest about 10 levels (a job's
#: Arguments inside a Condition branch); the limit keeps evaluation far from Python's recursion
#: limit so that a definition accepted at create time can always run.
MAX_NESTING_DEPTH = 100


def _nesting_depth(doc: Any) -> int:
    """The depth of the deepest object or list in ``doc`` (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in value)
    return deepest


def check_definition(text: str | bytes) -> list[str]:
    """Every problem with the definition ``text`` (empty when it is valid), in a stable order.

    For a ``validate`` command line: print one line per problem.
    """
    checker = _Checker()
    try:
        checker.run(text)
    except RecursionError:
        checker.add("Invalid PipelineDefinition: JSON is nested too deeply.")
    return checker.problems


def parse_definition(text: str | bytes) -> StepGraph:
    """Parse and validate ``text`` into a :class:`StepGraph`.

    Raises :class:`DefinitionError` (with every problem) when the definition is invalid.
    """
    checker = _Checker()
    try:
        graph = checker.run(text)
    except RecursionError:
        checker.add("Invalid PipelineDefinition: JSON is nested too deeply.")
        graph = None
    if graph is None:
        raise DefinitionError(checker.problems)
    return graph
