"""Evaluation of pipeline-definition expressions and conditions: ``Get``, ``Std:Join``,
``Std:JsonGet``, the condition types and ``PipelineExperimentConfig``.

Sources (``shared/spec/sagemaker-pipelines-semantics.md`` section 10, "Expressions" and
"Conditions" tables, and section 9.2):

* ``{"Get": path}`` -- see :mod:`.paths` for the path forms;
* ``{"Std:Join": {"On": sep, "Values": [...]}}`` -- string join (SDK ``Join``), values rendered
  by :func:`.values.render_value`;
* ``{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.<S>.PropertyFiles.<N>"}, "Path": p}}`` and
  ``{"Std:JsonGet": {"S3Uri": uri, "Path": p}}`` (SDK ``JsonGet``; the DG "Property Files and
  JsonGet" page says the path uses JsonPath notation).
* Condition JSON types drop the SDK's ``Condition`` class prefix: ``Equals``, ``GreaterThan``,
  ``GreaterThanOrEqualTo``, ``LessThan``, ``LessThanOrEqualTo`` (``LeftValue``/``RightValue``),
  ``In`` (``QueryValue``/``Values``), ``Not`` (``Expression`` as the SDK emits it, or
  ``Condition``), ``Or`` (``Conditions``). The published schema's ``NotEquals`` and
  ``In``/``NotIn`` with ``Value``/``In`` are accepted as aliases (spec section 13, item 2).

Values are looked up through an :class:`EvaluationContext` the execution engine provides.
:class:`ExpressionError` and :func:`resolve_path` (from :mod:`.paths`) are re-exported here for
the engine.
"""

from __future__ import annotations

from typing import Any, Protocol

from .paths import ExpressionError, parse_get_path, resolve_json_path, resolve_path
from .values import compare_ordered, render_value, values_equal

__all__ = [
    "BINARY_CONDITION_TYPES",
    "CONDITION_TYPES",
    "EXECUTION_VARIABLES",
    "EXPERIMENT_CONFIG_VARIABLES",
    "EvaluationContext",
    "ExpressionError",
    "evaluate",
    "evaluate_condition",
    "evaluate_conditions",
    "evaluate_experiment_config",
    "resolve_path",
]

#: ``Execution.<Var>`` names (spec section 10; SDK ``ExecutionVariables``).
EXECUTION_VARIABLES: frozenset[str] = frozenset(
    {
        "StartDateTime",
        "CurrentDateTime",
        "PipelineName",
        "PipelineArn",
        "PipelineExecutionId",
        "PipelineExecutionArn",
        "TrainingJobName",
        "ProcessingJobName",
    }
)

#: ``PipelineExperimentConfig.<Var>`` names (spec section 10; SDK
#: ``PipelineExperimentConfigProperties``).
EXPERIMENT_CONFIG_VARIABLES: frozenset[str] = frozenset({"ExperimentName", "TrialName"})

#: Two-operand conditions (``LeftValue``/``RightValue``); ``NotEquals`` is the schema's alias.
BINARY_CONDITION_TYPES: frozenset[str] = frozenset(
    {
        "Equals",
        "NotEquals",
        "GreaterThan",
        "GreaterThanOrEqualTo",
        "LessThan",
        "LessThanOrEqualTo",
    }
)

#: Every condition ``Type`` accepted (SDK ``ConditionTypeEnum`` plus schema aliases).
CONDITION_TYPES: frozenset[str] = BINARY_CONDITION_TYPES | {"In", "NotIn", "Not", "Or"}


class EvaluationContext(Protocol):
    """What :func:`evaluate` needs from an execution to resolve expressions."""

    def parameter(self, name: str) -> Any:
        """Typed execution value of pipeline parameter ``name`` (``Get Parameters.<name>``)."""
        ...

    def execution_variable(self, name: str) -> Any:
        """Value of ``Execution.<name>`` (one of :data:`EXECUTION_VARIABLES`)."""
        ...

    def step_property(self, step: str, path: list[str | int]) -> Any:
        """Value of ``Steps.<step>.<path>``; ``path`` holds the tokens after the step name.

        ``Steps.P.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri`` gives
        ``["ProcessingOutputConfig", "Outputs", "train", "S3Output", "S3Uri"]``;
        ``Steps.C.Outcome`` gives ``["Outcome"]``; ``Steps.L.OutputParameters['o']`` gives
        ``["OutputParameters", "o"]``. Implementations may use :func:`resolve_path`.
        """
        ...

    def property_file(self, step: str, name: str) -> Any:
        """Parsed JSON content of property file ``name`` written by Processing step ``step``."""
        ...

    def read_s3_json(self, uri: str) -> Any:
        """Parsed JSON content of the S3 object at ``uri`` (``Std:JsonGet`` with ``S3Uri``)."""
        ...

    def experiment_value(self, name: str) -> Any:
        """Resolved ``PipelineExperimentConfig.<name>`` (``ExperimentName`` or ``TrialName``)."""
        ...

    def current_item(self, path: list[str | int]) -> Any:
        """``ForEach.CurrentItem<path>`` inside a ForEach body step (SDK 3.x ``CurrentItem``)."""
        ...


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def _evaluate_get(path: Any, ctx: EvaluationContext) -> Any:
    root, rest = parse_get_path(path)
    if root == "Parameters" and len(rest) == 1 and isinstance(rest[0], str):
        return ctx.parameter(rest[0])
    if root == "Execution" and len(rest) == 1 and rest[0] in EXECUTION_VARIABLES:
        return ctx.execution_variable(str(rest[0]))
    if (
        root == "PipelineExperimentConfig"
        and len(rest) == 1
        and rest[0] in EXPERIMENT_CONFIG_VARIABLES
    ):
        return ctx.experiment_value(str(rest[0]))
    if root == "Steps" and len(rest) >= 2 and isinstance(rest[0], str):
        if rest[1] == "PropertyFiles":
            raise ExpressionError(
                f"ClientError: Invalid Get expression '{path}': property files can only be "
                "read with Std:JsonGet"
            )
        return ctx.step_property(rest[0], list(rest[1:]))
    if root == "ForEach" and rest and rest[0] == "CurrentItem":
        return ctx.current_item(list(rest[1:]))
    raise ExpressionError(f"ClientError: Invalid Get expression '{path}'")


def _evaluate_join(body: Any, ctx: EvaluationContext) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("Values"), list):
        raise ExpressionError("ClientError: Std:Join requires 'On' and a list of 'Values'")
    on = render_value(evaluate(body.get("On", ""), ctx))
    return on.join(render_value(evaluate(v, ctx)) for v in body["Values"])


def _evaluate_json_get(body: Any, ctx: EvaluationContext) -> Any:
    if not isinstance(body, dict) or "Path" not in body:
        raise ExpressionError("ClientError: Std:JsonGet requires 'Path'")
    path = evaluate(body["Path"], ctx)
    if not isinstance(path, str):
        raise ExpressionError("ClientError: Std:JsonGet 'Path' must be a string")
    if "PropertyFile" in body:
        ref = body["PropertyFile"]
        get = ref.get("Get") if isinstance(ref, dict) and len(ref) == 1 else None
        try:
            root, rest = parse_get_path(get) if isinstance(get, str) else ("", [])
        except ExpressionError:
            root, rest = "", []
        if not (
            root == "Steps"
            and len(rest) == 3
            and rest[1] == "PropertyFiles"
            and isinstance(rest[0], str)
            and isinstance(rest[2], str)
        ):
            raise ExpressionError(
                "ClientError: Std:JsonGet 'PropertyFile' must be "
                '{"Get": "Steps.<Step>.PropertyFiles.<Name>"}'
            )
        step, name = str(rest[0]), str(rest[2])
        doc = ctx.property_file(step, name)
        return resolve_json_path(doc, path, f"property file '{name}' of step '{step}'")
    if "S3Uri" in body:
        uri = evaluate(body["S3Uri"], ctx)
        if not isinstance(uri, str):
            raise ExpressionError("ClientError: Std:JsonGet 'S3Uri' must evaluate to a string")
        return resolve_json_path(ctx.read_s3_json(uri), path, uri)
    raise ExpressionError("ClientError: Std:JsonGet requires 'PropertyFile' or 'S3Uri'")


def evaluate(expr: Any, ctx: EvaluationContext) -> Any:
    """Resolve every expression inside the JSON value ``expr`` (spec section 10).

    * ``{"Get": path}`` -> the parameter / execution variable / step property / experiment value;
    * ``{"Std:Join": {"On", "Values"}}`` -> ``On.join(render_value(evaluate(v)) for v in Values)``;
    * ``{"Std:JsonGet": {"PropertyFile" | "S3Uri", "Path"}}`` -> the value at ``Path`` in the
      property file (``ctx.property_file``) or the S3 object (``ctx.read_s3_json``);
    * other objects and lists -> evaluated member by member (plain objects in ``Arguments``);
    * primitives unchanged (JSON numbers stay numbers, as in the Callback SQS message, spec
      section 6).

    An object or list without an expression inside is returned as it is, not copied: the
    result shares it with the pipeline version's parsed definition, so that a finished step
    does not keep its own copy of every literal argument. Callers treat the result as
    read-only (moto's job records and job handlers take their own copies).
    """
    if isinstance(expr, dict):
        if len(expr) == 1:
            key, body = next(iter(expr.items()))
            if key == "Get":
                return _evaluate_get(body, ctx)
            if key == "Std:Join":
                return _evaluate_join(body, ctx)
            if key == "Std:JsonGet":
                return _evaluate_json_get(body, ctx)
        resolved = {k: evaluate(v, ctx) for k, v in expr.items()}
        if all(resolved[k] is v for k, v in expr.items()):
            return expr
        return resolved
    if isinstance(expr, list):
        items = [evaluate(v, ctx) for v in expr]
        if all(new is old for new, old in zip(items, expr, strict=True)):
            return expr
        return items
    return expr


def evaluate_condition(cond: dict[str, Any], ctx: EvaluationContext) -> bool:
    """Evaluate one condition object (spec section 10 "Conditions"; SDK ``conditions.py``).

    ``Equals`` compares the evaluated operands (numbers numerically, other values by value; a
    type mismatch is simply unequal). ``GreaterThan``/``GreaterThanOrEqualTo``/``LessThan``/
    ``LessThanOrEqualTo`` need two numbers, two strings or two booleans, otherwise
    :class:`ExpressionError` ``Condition of type [GreaterThan] not supported between ...``.
    ``In`` tests ``QueryValue`` against ``Values`` with ``Equals`` semantics; ``Not`` negates
    ``Expression`` (SDK) or ``Condition``; ``Or`` is true when any of ``Conditions`` is.
    """
    if not isinstance(cond, dict):
        raise ExpressionError(f"ClientError: Invalid condition {render_value(cond)}")
    ctype = cond.get("Type")
    if ctype in BINARY_CONDITION_TYPES:
        if "LeftValue" not in cond or "RightValue" not in cond:
            raise ExpressionError(f"ClientError: Condition {ctype} requires LeftValue/RightValue")
        left = evaluate(cond["LeftValue"], ctx)
        right = evaluate(cond["RightValue"], ctx)
        if ctype == "Equals":
            return values_equal(left, right)
        if ctype == "NotEquals":
            return not values_equal(left, right)
        return compare_ordered(str(ctype), left, right)
    if ctype in ("In", "NotIn"):
        query_key, values_key = (
            ("QueryValue", "Values") if "QueryValue" in cond else ("Value", "In")
        )
        if query_key not in cond or values_key not in cond:
            raise ExpressionError(f"ClientError: Condition {ctype} requires QueryValue/Values")
        query = evaluate(cond[query_key], ctx)
        values = evaluate(cond[values_key], ctx)
        if not isinstance(values, list):
            raise ExpressionError(f"ClientError: Condition {ctype} 'Values' must be a list")
        found = any(values_equal(query, v) for v in values)
        return found if ctype == "In" else not found
    if ctype == "Not":
        inner = cond.get("Expression", cond.get("Condition"))
        if not isinstance(inner, dict):
            raise ExpressionError("ClientError: Condition Not requires a condition to negate")
        return not evaluate_condition(inner, ctx)
    if ctype == "Or":
        conditions = cond.get("Conditions")
        if not isinstance(conditions, list):
            raise ExpressionError("ClientError: Condition Or requires a list of 'Conditions'")
        return any(evaluate_condition(c, ctx) for c in conditions)
    raise ExpressionError(f"ClientError: Condition of type [{ctype}] is not supported.")


def evaluate_conditions(conds: list[Any], ctx: EvaluationContext) -> bool:
    """A Condition step's outcome: all ``Conditions`` must hold (logical AND, SDK
    ``ConditionStep`` docstring; spec section 9.2). An empty list is ``True``."""
    return all(evaluate_condition(c, ctx) for c in conds)


def evaluate_experiment_config(config: Any, ctx: EvaluationContext) -> dict[str, str] | None:
    """Resolve ``PipelineExperimentConfig`` to ``{"ExperimentName": ..., "TrialName": ...}``.

    ``None`` when the definition has none (no experiment integration). A missing member defaults
    to the pipeline name / the execution id, and the DG's bare ``{"On", "Values"}`` join form is
    accepted next to the SDK's ``Std:Join`` (DG "Experiments integration"; spec section 10 [U]).
    Values are rendered to strings.
    """
    if not isinstance(config, dict):
        return None
    defaults = {"ExperimentName": "PipelineName", "TrialName": "PipelineExecutionId"}
    out: dict[str, str] = {}
    for key, default_var in defaults.items():
        if key in config and config[key] is not None:
            value = config[key]
            if isinstance(value, dict) and set(value) == {"On", "Values"}:
                value = {"Std:Join": value}
            out[key] = render_value(evaluate(value, ctx))
        else:
            out[key] = render_value(ctx.execution_variable(default_var))
    return out
