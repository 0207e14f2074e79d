"""Pipeline-definition expressions: ``Get``, ``Std:Join``, ``Std:JsonGet`` and conditions.

Sources (``shared/spec/sagemaker-pipelines-semantics.md`` section 10, "Expressions" and
"Conditions" tables, and section 9.2):

* ``{"Get": "Parameters.<Name>"}``, ``{"Get": "Execution.<Var>"}``,
  ``{"Get": "Steps.<Step>.<path>"}`` (``['key']`` for named list/map entries, ``[0]`` for indices,
  DG "Step properties"), ``{"Get": "PipelineExperimentConfig.ExperimentName|TrialName"}``.
* ``{"Std:Join": {"On": sep, "Values": [...]}}`` -- string join (SDK ``Join``).
* ``{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.<S>.PropertyFiles.<N>"}, "Path": p}}`` and
  ``{"Std:JsonGet": {"S3Uri": uri, "Path": p}}`` (SDK ``JsonGet``; the DG "Property Files and
  JsonGet" page says the path uses JsonPath notation).
* Condition JSON types drop the SDK's ``Condition`` class prefix: ``Equals``, ``GreaterThan``,
  ``GreaterThanOrEqualTo``, ``LessThan``, ``LessThanOrEqualTo`` (``LeftValue``/``RightValue``),
  ``In`` (``QueryValue``/``Values``), ``Not`` (``Expression`` as the SDK emits it, or
  ``Condition``), ``Or`` (``Conditions``). The published schema's ``NotEquals`` and
  ``In``/``NotIn`` with ``Value``/``In`` are accepted as aliases (spec section 13, item 2).

Rendering in ``Std:Join`` follows the observed service behaviour: a Boolean (e.g. a Condition
step's ``Outcome``) renders lower-case (``false``), spec section 9.2 [OBS].
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator
from typing import Any, Protocol

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
    "format_path",
    "get_references",
    "is_expression",
    "parameter_references",
    "parse_get_path",
    "parse_json_path",
    "render_value",
    "resolve_json_path",
    "resolve_path",
    "step_references",
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

_EXPRESSION_KEYS = frozenset({"Get", "Std:Join", "Std:JsonGet"})
_INT_RE = re.compile(r"-?[0-9]+")


class ExpressionError(Exception):
    """An expression could not be evaluated.

    The message is phrased like the ``FailureReason`` the service gives a step that failed on a
    client-side problem (``ClientError: ...``, spec section 5 "other step failures commonly start
    with the error class").
    """


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


# ---------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------


def _tokenize(path: str) -> list[str | int]:
    """Split a dotted path with ``[n]`` / ``['key']`` / ``["key"]`` / ``[key]`` accessors.

    Raises :class:`ValueError` on a syntax error (empty segment, unclosed bracket, ...).
    """
    tokens: list[str | int] = []
    i, n = 0, len(path)
    if n == 0:
        raise ValueError("empty path")
    while i < n:
        c = path[i]
        if c == "[":
            j = i + 1
            if j < n and path[j] in "'\"":
                quote = path[j]
                end = path.find(quote + "]", j + 1)
                if end < 0:
                    raise ValueError(f"unclosed {quote} in bracket at char {i}")
                tokens.append(path[j + 1 : end])
                i = end + 2
            else:
                end = path.find("]", j)
                if end < 0:
                    raise ValueError(f"unclosed [ at char {i}")
                inner = path[j:end].strip()
                if not inner:
                    raise ValueError(f"empty [] at char {i}")
                if _INT_RE.fullmatch(inner):
                    tokens.append(int(inner))
                else:
                    tokens.append(inner)
                i = end + 1
        elif c == ".":
            raise ValueError(f"empty segment at char {i}")
        else:
            end = i
            while end < n and path[end] not in ".[":
                end += 1
            tokens.append(path[i:end])
            i = end
        if i < n:
            if path[i] == ".":
                i += 1
                if i == n:
                    raise ValueError("path ends with '.'")
            elif path[i] != "[":
                raise ValueError(f"unexpected {path[i]!r} at char {i}")
    return tokens


def parse_get_path(path: str) -> tuple[str, list[str | int]]:
    """Split a ``Get`` path into its root and the remaining tokens.

    ``"Steps.X.A.B['k'][0].C"`` -> ``("Steps", ["X", "A", "B", "k", 0, "C"])``;
    ``"Parameters.Threshold"`` -> ``("Parameters", ["Threshold"])``. Names may contain ``-`` and
    ``_`` (step names follow ``^[A-Za-z0-9\\-_]{1,64}$``, spec section 2); bracketed keys may be
    quoted with ``'`` or ``"`` (SDK ``PropertiesMap`` emits ``['key']``); unquoted bracketed
    integers become ``int`` tokens (SDK ``PropertiesList`` emits ``[0]``).

    Raises :class:`ExpressionError` when the path is not well formed.
    """
    if not isinstance(path, str):
        raise ExpressionError(f"ClientError: Invalid Get expression {path!r}: must be a string")
    try:
        tokens = _tokenize(path)
    except ValueError as exc:
        raise ExpressionError(f"ClientError: Invalid Get expression '{path}': {exc}") from None
    root = tokens[0]
    if not isinstance(root, str):
        raise ExpressionError(f"ClientError: Invalid Get expression '{path}'")
    return root, tokens[1:]


def parse_json_path(path: str) -> list[str | int]:
    """Tokens of a ``Std:JsonGet`` ``Path``: dotted keys with ``[n]``/``['key']`` accessors.

    The DG ("Property Files and JsonGet") says the path is JsonPath notation; the simple subset
    real pipelines use is supported -- optional leading ``$`` / ``$.``, ``a.b.c``, ``a.b[0].c``,
    ``a['k']``. ``$`` alone selects the whole document. Raises :class:`ValueError` on bad syntax.
    """
    p = path.strip()
    if p.startswith("$"):
        p = p[1:]
        if p.startswith("."):
            p = p[1:]
            if not p:
                raise ValueError("path ends with '.'")
    if not p:
        return []
    if "*" in p or ".." in p or "?(" in p:
        raise ValueError("wildcards, deep scans and filters are not supported")
    return _tokenize(p)


def format_path(tokens: list[str | int]) -> str:
    """Render tokens back to ``A.B['k'][0]`` form (for messages)."""
    out: list[str] = []
    for tok in tokens:
        if isinstance(tok, int):
            out.append(f"[{tok}]")
        elif out and (not tok or not all(ch.isalnum() or ch in "-_" for ch in tok)):
            out.append(f"['{tok}']")
        else:
            out.append(("." if out else "") + tok)
    return "".join(out)


_MISSING = object()


def _step_into(cur: Any, tok: str | int) -> Any:
    """One step of :func:`resolve_path`; returns ``_MISSING`` when ``tok`` does not apply."""
    if isinstance(tok, int):
        if isinstance(cur, list):
            if -len(cur) <= tok < len(cur):
                return cur[tok]
            return _MISSING
        if isinstance(cur, dict):
            return cur.get(str(tok), _MISSING)
        return _MISSING
    if isinstance(cur, dict):
        return cur.get(tok, _MISSING)
    if isinstance(cur, list):
        for element in cur:
            if isinstance(element, dict) and any(
                isinstance(key, str) and key.endswith("Name") and value == tok
                for key, value in element.items()
            ):
                return element
    return _MISSING


def resolve_path(obj: Any, path: list[str | int]) -> Any:
    """Walk ``path`` through a Describe*-shaped ``obj`` (for ``step_property`` implementations).

    * a ``str`` token on a dict selects that key;
    * a ``str`` token on a list selects the element that has the token as the value of any key
      ending in ``Name`` (``OutputName``, ``ChannelName``, ``InputName``, ``MetricName``) -- this is
      how ``Outputs['train']`` addresses a ``ProcessingOutput`` (DG "Step properties"; the SDK's
      local mode converts ``Outputs`` to a map keyed by ``OutputName`` the same way);
    * an ``int`` token indexes a list (or selects the key ``str(n)`` of a dict).

    Raises :class:`ExpressionError` (never ``KeyError``/``IndexError``) when a token is missing.
    """
    cur = obj
    walked = ""
    for tok in path:
        if isinstance(tok, int) or isinstance(cur, list):
            walked += f"[{tok}]" if isinstance(tok, int) else f"['{tok}']"
        else:
            walked += f".{tok}" if walked else tok
        nxt = _step_into(cur, tok)
        if nxt is _MISSING:
            raise ExpressionError(f"ClientError: Failed to resolve property '{walked}'")
        cur = nxt
    return cur


def resolve_json_path(doc: Any, path: str, source: str) -> Any:
    """Value at ``Std:JsonGet`` ``path`` in ``doc``; ``source`` names the document in errors."""
    try:
        tokens = parse_json_path(path)
    except ValueError as exc:
        raise ExpressionError(
            f"ClientError: Failed to evaluate Std:JsonGet: invalid path '{path}': {exc}"
        ) from None
    cur = doc
    for tok in tokens:
        if isinstance(tok, int):
            nxt = cur[tok] if isinstance(cur, list) and -len(cur) <= tok < len(cur) else _MISSING
        else:
            nxt = cur.get(tok, _MISSING) if isinstance(cur, dict) else _MISSING
        if nxt is _MISSING:
            raise ExpressionError(
                f"ClientError: Failed to evaluate Std:JsonGet: path '{path}' not found in {source}"
            )
        cur = nxt
    return cur


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def render_value(value: Any) -> str:
    """String form of a value inside ``Std:Join`` (and of stored parameter/output values).

    ``bool`` -> ``"true"``/``"false"`` (spec section 9.2 [OBS]: a Condition ``Outcome`` renders
    ``false`` in a Join), ``float`` -> Python ``repr`` (``6.0`` -> ``"6.0"``), ``int`` ->
    ``"5"``, ``None`` -> ``""``, ``str`` unchanged, datetimes -> ISO 8601, lists/objects ->
    compact JSON.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, separators=(",", ":"), default=str)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Reference scanning
# ---------------------------------------------------------------------------------------------


def is_expression(value: Any) -> bool:
    """Whether ``value`` is a ``Get`` / ``Std:Join`` / ``Std:JsonGet`` object (exactly one key)."""
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _EXPRESSION_KEYS


def get_references(obj: Any) -> Iterator[str]:
    """Every ``Get`` path string anywhere in the JSON value ``obj`` (including inside
    ``Std:Join`` values and ``Std:JsonGet`` property-file/S3Uri operands), in document order."""
    stack: list[Any] = [obj]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if len(cur) == 1 and "Get" in cur:
                if isinstance(cur["Get"], str):
                    yield cur["Get"]
                continue
            stack.extend(reversed(list(cur.values())))
        elif isinstance(cur, list):
            stack.extend(reversed(cur))


def step_references(obj: Any) -> set[str]:
    """Names of steps referenced by ``{"Get": "Steps.<S>..."}`` anywhere in ``obj`` (also through
    ``Std:JsonGet`` ``PropertyFile``). Malformed paths are ignored (the parser reports them)."""
    found: set[str] = set()
    for path in get_references(obj):
        if not path.startswith("Steps."):
            continue
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            continue
        if root == "Steps" and rest and isinstance(rest[0], str):
            found.add(rest[0])
    return found


def parameter_references(obj: Any) -> set[str]:
    """Names of parameters referenced by ``{"Get": "Parameters.<Name>"}`` anywhere in ``obj``."""
    found: set[str] = set()
    for path in get_references(obj):
        if not path.startswith("Parameters."):
            continue
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            continue
        if root == "Parameters" and len(rest) == 1 and isinstance(rest[0], str):
            found.add(rest[0])
    return found


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
        return {k: evaluate(v, ctx) for k, v in expr.items()}
    if isinstance(expr, list):
        return [evaluate(v, ctx) for v in expr]
    return expr


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equals(left: Any, right: Any) -> bool:
    """Value equality: numbers numerically (``1 == 1.0``), booleans only equal booleans."""
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    return bool(left == right)


def _type_name(value: Any) -> str:
    return type(value).__name__


def _order(ctype: str, left: Any, right: Any) -> bool:
    """Ordering comparison; mismatched types fail like SDK local mode (spec section 9.2 [U])."""
    comparable = (
        (_is_number(left) and _is_number(right))
        or (isinstance(left, str) and isinstance(right, str))
        or (isinstance(left, bool) and isinstance(right, bool))
    )
    if not comparable:
        raise ExpressionError(
            f"ClientError: Condition of type [{ctype}] not supported between "
            f"[{render_value(left)}] of type [{_type_name(left)}] and "
            f"[{render_value(right)}] of type [{_type_name(right)}]"
        )
    if ctype == "GreaterThan":
        return bool(left > right)
    if ctype == "GreaterThanOrEqualTo":
        return bool(left >= right)
    if ctype == "LessThan":
        return bool(left < right)
    return bool(left <= right)


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
            return _equals(left, right)
        if ctype == "NotEquals":
            return not _equals(left, right)
        return _order(str(ctype), left, right)
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
        found = any(_equals(query, v) for v in values)
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
