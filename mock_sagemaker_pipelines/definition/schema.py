"""The known keys of every object in a ``PipelineDefinition`` and the known step ``Type`` values,
with the checks that refuse the others at CreatePipeline/UpdatePipeline time.

The service parses the definition strictly: a key it does not know is refused with
``Unable to parse pipeline definition. Cannot parse object, unknown property '<key>'.``
(public report https://github.com/aws/sagemaker-python-sdk/issues/2746: SDK 2.x then emitted
``{"Type": "Not", "Expression": ...}``; fixed to ``"Condition"`` by
https://github.com/aws/sagemaker-python-sdk/pull/4351). Every refusal here goes through
:meth:`Problems.add_unknown`, so ``lenient_definitions`` turns it into a warning.

The key lists are what the SageMaker Python SDK emits, read from its ``to_request()`` /
``expr`` code: SDK 2.257.7 (``sagemaker/workflow/``) and SDK 3.27 (wheels ``sagemaker-mlops``
1.27.0, ``sagemaker/mlops/workflow/``, and ``sagemaker-core`` 2.27.0,
``sagemaker/core/workflow/``); file and line per list below ("v2"/"v3"). Step types the SDK
does not emit come from the botocore 1.44.8 model (``PipelineExecutionStepMetadata`` members).
``docs/definition-schema.md`` lists every rule with its source.

Not checked here: keys inside a step's ``Arguments`` (typed against the botocore model
elsewhere), except the condition objects of a Condition step; keys inside ``Metadata``.
"""

from __future__ import annotations

from typing import Any

from .problems import Problems

__all__ = [
    "CACHE_CONFIG_KEYS",
    "CONDITION_KEYS",
    "DEPENDS_ON_ENTRY_KEYS",
    "FUNCTION_KEYS",
    "KNOWN_STEP_TYPES",
    "MLFLOW_CONFIG_KEYS",
    "OUTPUT_PARAMETER_KEYS",
    "PARAMETER_KEYS",
    "PROPERTY_FILE_KEYS",
    "RETRY_POLICY_KEYS",
    "STEP_KEYS",
    "check_condition_keys",
    "check_function_keys",
    "check_keys",
    "check_parameter_keys",
    "check_step_schema",
    "unknown_property",
]

_UNKNOWN_PROPERTY = (
    "Unable to parse pipeline definition. Cannot parse object, unknown property '{key}'."
)

#: ``Parameters[]`` (v2 ``parameters.py`` l.78-86, 179-184; v3 core ``parameters.py``
#: l.94-102, 191-196); ``Description`` is the published schema's (spec §10).
PARAMETER_KEYS = frozenset({"Name", "Type", "DefaultValue", "EnumValues", "Description"})

#: ``RetryPolicies[]`` (v2/v3 ``retry.py`` l.92-107, 145-148, 204-207).
RETRY_POLICY_KEYS = frozenset(
    {"ExceptionType", "IntervalSeconds", "BackoffRate", "MaxAttempts", "ExpireAfterMin"}
)

#: ``PropertyFiles[]`` (v2 ``properties.py`` l.277-279; v3 core ``properties.py`` l.278-280).
PROPERTY_FILE_KEYS = frozenset({"PropertyFileName", "OutputName", "FilePath"})

#: Callback/Lambda ``OutputParameters[]`` (v2 ``callback_step.py`` l.55-60, ``lambda_step.py``
#: l.57-62; v3 ``callback_step.py`` l.54-59, ``lambda_step.py`` l.52-57).
OUTPUT_PARAMETER_KEYS = frozenset({"OutputName", "OutputType"})

#: ``CacheConfig`` (v2 ``steps.py`` l.356-359; v3 ``steps.py`` l.357-360; DG "Turn on step
#: caching").
CACHE_CONFIG_KEYS = frozenset({"Enabled", "ExpireAfter"})

#: An object entry of ``DependsOn``: a run condition (v3 ``step_dependency.py`` l.79-88).
DEPENDS_ON_ENTRY_KEYS = frozenset({"Step", "Trigger"})

#: Top-level ``MlflowConfig`` (v3 ``pipeline.py`` l.845-846).
MLFLOW_CONFIG_KEYS = frozenset({"MlflowResourceArn", "MlflowExperimentName"})

_COMMON = frozenset({"Name", "Type", "Arguments", "DependsOn", "DisplayName", "Description"})
_RETRY = frozenset({"RetryPolicies"})  # ConfigurableRetryStep.to_request, v2/v3 steps.py
_CACHE = frozenset({"CacheConfig"})  # request_dict.update(self.cache_config.config)
_CHECK = frozenset(  # QualityCheckStep / ClarifyCheckStep.to_request, v2 and v3
    {"CheckType", "ModelPackageGroupName", "SkipCheck", "FailOnViolation", "RegisterNewBaseline"}
)
_JOB = _COMMON | _RETRY | _CACHE

#: Step-level keys per step ``Type``: the union of what SDK 2.x and 3.x emit for it (common
#: keys in ``Step.to_request``, v2 ``steps.py`` l.146-160, v3 ``steps.py`` l.142-156).
STEP_KEYS: dict[str, frozenset[str]] = {
    "Training": _JOB,  # TrainingStep, @step, NotebookJobStep
    "Processing": _JOB | {"PropertyFiles"},  # v2 steps.py l.922-932, v3 l.678-687
    "Transform": _JOB,
    "Tuning": _JOB,
    "AutoML": _JOB,
    "EMR": _JOB,  # v2 ConfigurableRetryStep; v3 Step with CacheConfig
    "EMRServerless": _JOB,  # v3 emr_serverless_step.py l.158-163
    "EndpointConfig": _JOB,
    "Job": _JOB,  # v3 steps.py l.932-938
    "Model": _COMMON | _RETRY,  # v2 CreateModelStep, v3 ModelStep: no cache_config
    "RegisterModel": _COMMON | _RETRY,  # v2 _RegisterModelStep, v3 ModelStep
    "Endpoint": _COMMON | _CACHE,  # "cacheable but not retryable", v3 endpoint_step.py
    "QualityCheck": _COMMON
    | _CACHE
    | _CHECK
    | {"SuppliedBaselineStatistics", "SuppliedBaselineConstraints"},
    "ClarifyCheck": _COMMON | _CACHE | _CHECK | {"SuppliedBaselineConstraints", "ModelName"},
    "Callback": _COMMON | _CACHE | {"SqsQueueUrl", "OutputParameters"},
    "Lambda": _COMMON | _CACHE | {"FunctionArn", "OutputParameters"},
    "Condition": _COMMON,
    "Fail": _COMMON,
    "ForEach": _COMMON,  # IterableItems, MaxConcurrency, Selector, ForEachBody are Arguments
    "Cleanup": _COMMON,  # Resources is in Arguments, v3 cleanup_step.py l.134
    "InferenceComponent": _COMMON,
    "Lineage": _COMMON,
    # No SDK emits these; the service has step metadata for them (botocore 1.44.8
    # PipelineExecutionStepMetadata). Keys assumed: the common ones, retry and cache.
    "BedrockCustomModel": _JOB,
    "BedrockCustomModelDeployment": _JOB,
    "BedrockModelImport": _JOB,
    "BedrockProvisionedModelThroughput": _JOB,
    "Athena": _JOB,
    "HubContent": _JOB,
}

#: Every step ``Type`` the service accepts: v2 ``StepTypeEnum`` (18 values, ``steps.py``
#: l.58-78), v3 ``StepTypeEnum`` (adds EMRServerless, Job, Cleanup, ForEach; ``steps.py``
#: l.49-73) and the botocore step metadata (Bedrock*, Athena, HubContent).
KNOWN_STEP_TYPES: frozenset[str] = frozenset(STEP_KEYS)

#: Types whose ``RetryPolicies`` ``step_fields`` already refuses with its own message.
_RETRY_REFUSED_ELSEWHERE = frozenset({"Lambda", "Callback", "Condition", "Fail"})

_BINARY = frozenset({"Type", "LeftValue", "RightValue"})
_IN = frozenset({"Type", "QueryValue", "Values"})
#: The published schema's ``In`` form (``Value``/``In``), accepted as an alias (spec §10).
_IN_SCHEMA_ALIAS = frozenset({"Type", "Value", "In"})

#: Keys of a condition object per condition ``Type`` (v2 ``conditions.py`` l.89-94, 228-233,
#: 260-262, 282-286; v3 core ``conditions.py`` l.91-96, 230-235, 262-264, 284-288).
#: ``NotEquals``/``NotIn`` are the published schema's names, accepted as aliases.
CONDITION_KEYS: dict[str, frozenset[str]] = {
    "Equals": _BINARY,
    "NotEquals": _BINARY,
    "GreaterThan": _BINARY,
    "GreaterThanOrEqualTo": _BINARY,
    "LessThan": _BINARY,
    "LessThanOrEqualTo": _BINARY,
    "In": _IN,
    "NotIn": _IN,
    "Not": frozenset({"Type", "Condition"}),
    "Or": frozenset({"Type", "Conditions"}),
}

#: Keys of a function body (v2 ``functions.py`` l.66-75, 133-152; v3 core ``functions.py``
#: l.78-86, 146-166). ``S3Uri`` is the ``@step`` form of ``Std:JsonGet``.
FUNCTION_KEYS: dict[str, frozenset[str]] = {
    "Std:Join": frozenset({"On", "Values"}),
    "Std:JsonGet": frozenset({"PropertyFile", "S3Uri", "Path"}),
}


def unknown_property(key: str, where: str | None = None) -> str:
    """The service's message for an unknown key, then where it was found (a sentence of its
    own, so that the service's text stays whole at the start)."""
    message = _UNKNOWN_PROPERTY.format(key=key)
    return f"{message} Found in {where}." if where else message


def check_keys(
    problems: Problems, obj: Any, known: frozenset[str], where: str | None = None
) -> None:
    """Refuse every key of the object ``obj`` not in ``known`` (non-objects are left to the
    shape checks)."""
    if isinstance(obj, dict):
        for key in obj:
            if key not in known:
                problems.add_unknown(unknown_property(str(key), where))


def check_parameter_keys(problems: Problems, index: int, param: Any) -> None:
    """A ``Parameters[]`` entry."""
    name = param.get("Name") if isinstance(param, dict) else None
    where = f"parameter '{name}'" if isinstance(name, str) else f"Parameters[{index}]"
    check_keys(problems, param, PARAMETER_KEYS, where)


def _check_entries(
    problems: Problems, value: Any, known: frozenset[str], where: str, key: str
) -> None:
    if isinstance(value, list):
        for index, entry in enumerate(value):
            check_keys(problems, entry, known, f"{where} at {key}[{index}]")


def check_step_schema(problems: Problems, obj: dict[str, Any], name: str) -> None:
    """A step's ``Type`` is one the service knows, and the step's own keys and those of its
    ``RetryPolicies``, ``PropertyFiles``, ``OutputParameters``, ``CacheConfig`` and
    ``DependsOn`` objects are the ones its Type takes. Nothing more is checked on a step of
    an unknown Type."""
    stype = obj.get("Type")
    if not isinstance(stype, str) or not stype:
        return  # reported by the step walk
    known = STEP_KEYS.get(stype)
    if known is None:
        problems.add_unknown(
            f"Unable to parse pipeline definition. Step type '{stype}' of step '{name}' is not "
            f"supported. Supported step types: [{', '.join(sorted(KNOWN_STEP_TYPES))}]."
        )
        return
    where = f"step '{name}'"
    if stype in _RETRY_REFUSED_ELSEWHERE:
        known = known | _RETRY
    for key in obj:
        if key not in known:
            problems.add_unknown(unknown_property(str(key), where))
    if "RetryPolicies" in STEP_KEYS[stype]:
        _check_entries(
            problems, obj.get("RetryPolicies"), RETRY_POLICY_KEYS, where, "RetryPolicies"
        )
    if "PropertyFiles" in known:
        _check_entries(
            problems, obj.get("PropertyFiles"), PROPERTY_FILE_KEYS, where, "PropertyFiles"
        )
    if "OutputParameters" in known:
        _check_entries(
            problems,
            obj.get("OutputParameters"),
            OUTPUT_PARAMETER_KEYS,
            where,
            "OutputParameters",
        )
    if "CacheConfig" in known:
        check_keys(problems, obj.get("CacheConfig"), CACHE_CONFIG_KEYS, f"{where} at CacheConfig")
    _check_entries(problems, obj.get("DependsOn"), DEPENDS_ON_ENTRY_KEYS, where, "DependsOn")


def check_condition_keys(problems: Problems, label: str, where: str, cond: dict[str, Any]) -> None:
    """A condition object's keys for its ``Type`` (a known one: the caller checked it). A
    ``Not`` takes ``Condition``: ``Expression`` is refused (SDK issue #2746)."""
    ctype = cond.get("Type")
    known = CONDITION_KEYS.get(ctype) if isinstance(ctype, str) else None
    if known is None:
        return
    if known is _IN and "QueryValue" not in cond and "Value" in cond:
        known = _IN_SCHEMA_ALIAS
    step = label[len("Step ") :] if label.startswith("Step ") else label
    check_keys(problems, cond, known, f"step {step} at Arguments.{where}")


def check_function_keys(problems: Problems, label: str, function: str, body: Any) -> None:
    """The body of a ``Std:Join`` / ``Std:JsonGet`` found in ``label``'s JSON."""
    known = FUNCTION_KEYS.get(function)
    if known is not None:
        check_keys(problems, body, known, f"{function} of {label}")
