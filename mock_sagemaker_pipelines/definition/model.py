"""Typed model of a parsed ``PipelineDefinition`` (spec section 10).

Everything here is built by :func:`mock_sagemaker_pipelines.definition.parser.parse_definition`
from a definition that passed validation; the classes do not validate their own input.
"""

from __future__ import annotations

import heapq
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .values import plain_number_text, render_value

__all__ = [
    "DEFAULT_BACKOFF_RATE",
    "DEFAULT_INTERVAL_SECONDS",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFINITION_VERSION",
    "PARAMETER_TYPES",
    "ForEachDef",
    "OutputParameterDef",
    "ParameterDef",
    "PropertyFileDef",
    "RetryPolicyDef",
    "StepDef",
    "StepGraph",
]

#: The only definition ``Version`` (schema enum ``["2020-12-01"]``, spec section 10).
DEFINITION_VERSION = "2020-12-01"

#: Parameter / output types (spec section 10 "Parameters"; spec sections 6 and 7 ``OutputType``).
PARAMETER_TYPES: tuple[str, ...] = ("String", "Integer", "Float", "Boolean")

#: Retry-policy defaults (DG "Retry policy", spec section 9.4).
DEFAULT_INTERVAL_SECONDS = 1
DEFAULT_BACKOFF_RATE = 2.0
DEFAULT_MAX_ATTEMPTS = 5

_INTEGER_RE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class ParameterDef:
    """A pipeline parameter (``Parameters[]`` entry, spec section 10; DG "Pipeline parameters").

    ``default`` is already typed (a ``Float`` default given as ``6`` is stored as ``6.0``);
    ``has_default`` tells "no default" apart from a default of ``None``.
    """

    name: str
    type: str
    default: str | int | float | bool | None
    has_default: bool
    enum_values: tuple[str, ...] | None
    description: str | None

    def coerce(self, raw: str) -> str | int | float | bool:
        """Parse a ``StartPipelineExecution`` ``PipelineParameters[].Value`` into the declared type.

        Values arrive as strings and are parsed by type (spec section 3.7 [U]): ``Integer``
        accepts an optional sign and digits only (``"12.0"`` is rejected); ``Float`` anything
        ``float()`` reads that is finite, in ASCII and without Python's ``1_0`` grouping;
        ``Boolean`` ``true``/``false`` case-insensitively (the SDK sends ``str(True)`` =
        ``"True"``, spec section 3.7 [SDK]); ``String`` is unchanged but must be one of
        ``EnumValues`` when those are declared (SDK ``ParameterString``).

        Raises :class:`ValueError` with a message suitable for a ``ValidationException``.
        """
        if not isinstance(raw, str):
            if self._is_instance(raw) and self.type != "Float":
                return raw
            raw = render_value(raw)
        if self.type == "Integer":
            text = raw.strip()
            if not _INTEGER_RE.fullmatch(text):
                raise ValueError(
                    f"Value '{raw}' for parameter '{self.name}' is not a valid Integer."
                )
            return int(text)
        if self.type == "Float":
            try:
                value = float(raw.strip()) if plain_number_text(raw) else float("nan")
            except (ValueError, OverflowError):
                value = float("nan")
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"Value '{raw}' for parameter '{self.name}' is not a valid Float.")
            return value
        if self.type == "Boolean":
            lowered = raw.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError(
                    f"Value '{raw}' for parameter '{self.name}' is not a valid Boolean; "
                    "expected true or false."
                )
            return lowered == "true"
        if self.enum_values is not None and raw not in self.enum_values:
            allowed = ", ".join(self.enum_values)
            raise ValueError(
                f"Value '{raw}' for parameter '{self.name}' is not one of the allowed values "
                f"[{allowed}]."
            )
        return raw

    def _is_instance(self, value: Any) -> bool:
        if self.type == "Integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.type == "Float":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if self.type == "Boolean":
            return isinstance(value, bool)
        return isinstance(value, str)

    def render(self, value: Any) -> str:
        """Canonical string of a typed value, as ``ListPipelineParametersForExecution`` shows it.

        A string is returned unchanged (the value as the caller gave it); otherwise ``Integer``
        ``5`` -> ``"5"``, ``Float`` ``6.0`` -> ``"6.0"`` (``6`` -> ``"6.0"``), ``Boolean`` ->
        ``"true"``/``"false"``.
        """
        if isinstance(value, str):
            return value
        if self.type == "Float" and isinstance(value, int) and not isinstance(value, bool):
            return render_value(float(value))
        return render_value(value)

    def rendered_default(self) -> str | None:
        """:meth:`render` of the default, or ``None`` when the parameter has no default."""
        return self.render(self.default) if self.has_default else None


@dataclass(frozen=True)
class OutputParameterDef:
    """A Callback/Lambda ``OutputParameters[]`` entry (spec sections 6 and 7):
    ``OutputName`` and ``OutputType`` (``String`` when absent)."""

    name: str
    type: str = "String"


@dataclass(frozen=True)
class PropertyFileDef:
    """A ``PropertyFiles[]`` entry of a Processing step (spec section 10; DG "Property Files"):
    the file ``file_path`` inside the ``ProcessingOutput`` named ``output_name``."""

    name: str
    output_name: str
    file_path: str


@dataclass(frozen=True)
class RetryPolicyDef:
    """A ``RetryPolicies[]`` entry (DG "Retry policy", spec section 9.4).

    Defaults: ``IntervalSeconds`` 1, ``BackoffRate`` 2.0, and ``MaxAttempts`` 5 when neither
    ``MaxAttempts`` nor ``ExpireAfterMin`` is given.
    """

    exception_types: tuple[str, ...]
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS
    backoff_rate: float = DEFAULT_BACKOFF_RATE
    max_attempts: int | None = DEFAULT_MAX_ATTEMPTS
    expire_after_min: int | None = None

    def matches(self, exception_type: str) -> bool:
        """Whether this policy covers ``exception_type`` (e.g. ``SageMaker.CAPACITY_ERROR``)."""
        return exception_type in self.exception_types

    def delay_before_retry(self, retry_number: int) -> float:
        """Seconds to wait before retry ``retry_number`` (1-based): interval * rate**(n-1)."""
        return float(self.interval_seconds) * (self.backoff_rate ** max(retry_number - 1, 0))


@dataclass(frozen=True)
class ForEachDef:
    """The Arguments of a ``ForEach`` step (SDK 3.x ``ForEachStep.arguments``).

    ``items``: the raw ``IterableItems`` (a JSON array of literals and expressions, or one
    expression that yields a JSON list string); ``max_concurrency``: ``MaxConcurrency`` (1-50,
    the most child steps running at once); ``selector``: ``(Pick, body step name, path tokens
    after it)`` of the ``Selector`` or ``None``; ``body``: the ``ForEachBody`` steps, whose
    ``dependencies`` name only other body steps (run within one iteration).
    """

    items: Any
    max_concurrency: int
    selector: tuple[str, str, tuple[str | int, ...]] | None
    body: tuple[StepDef, ...]


@dataclass(frozen=True, slots=True)
class StepDef:
    """One step of the definition, wherever it sits (top level or a Condition branch).

    ``arguments`` is the raw JSON (expressions unresolved). ``data_dependencies`` are the steps
    named by ``Get Steps.<S>...`` (also through ``Std:JsonGet`` property files) anywhere in the
    step's own JSON -- for a Condition step only its ``Conditions`` (and other non-branch
    arguments), never its nested branch steps. ``dependencies`` is the union of ``depends_on``,
    ``data_dependencies`` and ``{parent}`` (spec section 9.1, step 2). ``order`` is the position
    in a depth-first walk: top-level steps in order, a Condition's ``IfSteps`` then
    ``ElseSteps`` right after it.
    """

    name: str
    type: str
    arguments: Any
    depends_on: tuple[str, ...]
    display_name: str | None
    description: str | None
    raw: dict[str, Any]
    retry_policies: tuple[RetryPolicyDef, ...]
    property_files: tuple[PropertyFileDef, ...]
    output_parameters: tuple[OutputParameterDef, ...]
    sqs_queue_url: Any
    function_arn: Any
    conditions: tuple[Any, ...]
    if_steps: tuple[str, ...]
    else_steps: tuple[str, ...]
    parent: str | None
    branch: str | None
    data_dependencies: frozenset[str]
    dependencies: frozenset[str]
    order: int
    cache_config: dict[str, Any] | None = None
    #: ``(upstream, trigger)`` of the DependsOn entries whose trigger is not ``Completed``.
    triggers: tuple[tuple[str, str], ...] = ()
    #: The ForEach Arguments of a ``ForEach`` step (``None`` for other types).
    for_each: ForEachDef | None = None

    def trigger_of(self, upstream: str) -> str:
        """The run condition on ``upstream`` (``Completed`` unless a DependsOn entry says)."""
        for name, trigger in self.triggers:  # usually none: every entry a plain step name
            if name == upstream:
                return trigger
        return "Completed"

    @property
    def is_condition(self) -> bool:
        """``Type == "Condition"``."""
        return self.type == "Condition"

    @property
    def cache_enabled(self) -> bool:
        """``CacheConfig.Enabled`` is true (caching is off by default, spec section 9.5)."""
        return bool(self.cache_config and self.cache_config.get("Enabled") is True)

    def property_file(self, name: str) -> PropertyFileDef | None:
        """The declared property file called ``name``, if any."""
        for pf in self.property_files:
            if pf.name == name:
                return pf
        return None

    def output_parameter(self, name: str) -> OutputParameterDef | None:
        """The declared output parameter called ``name``, if any."""
        for op in self.output_parameters:
            if op.name == name:
                return op
        return None


@dataclass(frozen=True)
class StepGraph:
    """A validated definition: parameters plus the dependency graph of every step.

    ``steps`` holds every step (top level and nested in Condition branches) ordered by
    :attr:`StepDef.order`; ``top_level`` the names of the top-level ``Steps`` in order.
    """

    version: str
    parameters: dict[str, ParameterDef]
    steps: dict[str, StepDef]
    top_level: tuple[str, ...]
    experiment_config: Any | None
    metadata: dict[str, Any]
    raw: dict[str, Any]
    mlflow_config: Any | None = None
    #: What a lenient parse let through: unknown step types and keys (one sentence each).
    warnings: tuple[str, ...] = ()
    _dependants: dict[str, tuple[str, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        dependants: dict[str, list[str]] = {name: [] for name in self.steps}
        for step in self.steps.values():
            for dep in step.dependencies:
                if dep in dependants:
                    dependants[dep].append(step.name)
        order = {name: s.order for name, s in self.steps.items()}
        object.__setattr__(
            self,
            "_dependants",
            {k: tuple(sorted(v, key=order.__getitem__)) for k, v in dependants.items()},
        )

    def dependants(self, name: str) -> tuple[str, ...]:
        """Steps that directly depend on ``name`` (through DependsOn, a data reference, or being
        in one of its branches when ``name`` is a Condition step), in definition order."""
        return self._dependants.get(name, ())

    def downstream(self, name: str) -> frozenset[str]:
        """Every step that transitively depends on ``name`` (excluding ``name``)."""
        seen: set[str] = set()
        queue = deque(self.dependants(name))
        while queue:
            cur = queue.popleft()
            if cur in seen:
                continue
            seen.add(cur)
            queue.extend(self.dependants(cur))
        seen.discard(name)
        return frozenset(seen)

    def branch_steps(self, cond_name: str, branch: str) -> tuple[str, ...]:
        """Names of the steps listed directly in ``IfSteps`` (``branch="if"``) or ``ElseSteps``
        (``branch="else"``) of Condition step ``cond_name``; nested Condition steps' own branches
        are reached through those nested steps."""
        step = self.steps[cond_name]
        if branch == "if":
            return step.if_steps
        if branch == "else":
            return step.else_steps
        raise ValueError(f"branch must be 'if' or 'else', not {branch!r}")

    def topological_order(self) -> list[str]:
        """Every step, dependencies first; ties broken by definition order (Kahn's algorithm).

        Raises :class:`ValueError` on a cycle (cannot happen for a graph from the parser)."""
        indegree = {name: 0 for name in self.steps}
        for step in self.steps.values():
            indegree[step.name] = sum(1 for d in step.dependencies if d in self.steps)
        heap = [(s.order, name) for name, s in self.steps.items() if indegree[name] == 0]
        heapq.heapify(heap)
        out: list[str] = []
        while heap:
            _, name = heapq.heappop(heap)
            out.append(name)
            for nxt in self.dependants(name):
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    heapq.heappush(heap, (self.steps[nxt].order, nxt))
        if len(out) != len(self.steps):
            raise ValueError("the step graph has a cycle")
        return out

    def body_step(self, name: str) -> StepDef | None:
        """The ForEachBody step called ``name``, or whose child steps are called so
        (``<Body>-<index>``); ``None`` when ``name`` is no body step's."""
        head, _, tail = name.rpartition("-")
        for step in self.steps.values():
            if step.for_each is None:
                continue
            for body in step.for_each.body:
                if body.name == name or (tail.isdigit() and body.name == head):
                    return body
        return None

    def roots(self) -> tuple[str, ...]:
        """Steps without dependencies (they start as soon as an execution starts, DG
        "parallelism": "When a step does not depend on any other step, it is run immediately")."""
        return tuple(n for n, s in self.steps.items() if not s.dependencies)

    def parameter_defaults(self) -> dict[str, str]:
        """``{name: rendered default}`` for the parameters that have a default."""
        return {n: p.render(p.default) for n, p in self.parameters.items() if p.has_default}
