"""``StepRun``: the state of one step in one execution (a ``PipelineExecutionStep`` once started).

Statuses are the ``StepStatus`` enum of the botocore model (``Starting``, ``Executing``,
``Stopping``, ``Succeeded``, ``Failed``, ``Stopped``); times are UTC datetimes from the simulated
clock; ``attempt`` is the 1-based ``AttemptCount``. What a run does is decided by its
:class:`~mock_sagemaker_pipelines.engine.steps.StepKind`; the execution moves it between
statuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..definition import ExpressionError, StepDef
from .clock import Event

if TYPE_CHECKING:
    from .execution import Execution
    from .steps import StepKind

#: The outputs and property files of a step that has none (read-only, shared by every run:
#: two empty dicts a step were 2.5 MB of a 20,000-step execution).
NO_VALUES: Mapping[str, Any] = MappingProxyType({})
logger = logging.getLogger(__name__)

ACTIVE_STEP_STATUSES = frozenset({"Starting", "Executing", "Stopping"})


class StepRun:
    """One step of one execution: status, times, attempt, outputs, properties and metadata.

    ``parent`` is the run of the step that owns this one (a step kind with a body of child steps
    starts them with :meth:`Execution.start_child_run`); ``None`` for the definition's steps.
    Slotted: an execution holds one per step, and a 20,000-step run holds 20,000.
    """

    __slots__ = (
        "arguments",
        "attempt",
        "attempts",
        "cache_hit_source",
        "end_time",
        "event",
        "execution",
        "failure_reason",
        "kind",
        "metadata",
        "outputs",
        "parent",
        "previous_attempts",
        "properties",
        "property_files",
        "selective_source",
        "start_time",
        "started_seq",
        "state",
        "status",
        "step",
    )

    def __init__(
        self, execution: Execution, step: StepDef, kind: StepKind, parent: StepRun | None = None
    ) -> None:
        self.execution = execution
        self.step = step
        self.kind = kind
        self.parent = parent
        self.status: str | None = None
        self.start_time: datetime | None = None
        self.end_time: datetime | None = None
        self.attempt = 0
        self.started_seq = -1
        self.failure_reason: str | None = None
        self.metadata: dict[str, Any] = {}
        self.properties: dict[str, Any] = {}
        #: Replaced, never changed in place: most steps keep the shared empty mapping.
        self.outputs: Mapping[str, Any] = NO_VALUES
        self.property_files: Mapping[str, Any] = NO_VALUES
        self.arguments: Any = None
        self.event: Event | None = None
        self.state: dict[str, Any] = {}  # kind-specific scratch (job refs, tokens, results)
        self.previous_attempts = 0  # attempts made before a RetryPipelineExecution
        #: One record per attempt of this run: ``{"AttemptCount": n, "StartTime": datetime,
        #: "EndTime": datetime, "StepStatus": str, "FailureReason": str}`` (the last two once it
        #: ended); what the ``simulate --html`` Gantt chart draws.
        self.attempts: list[dict[str, Any]] = []
        #: ``CacheHitResult.SourcePipelineExecutionArn`` (step caching, :mod:`.caching`).
        self.cache_hit_source: str | None = None
        #: ``SelectiveExecutionResult.SourcePipelineExecutionArn`` (a reused step, :mod:`.selective`).
        self.selective_source: str | None = None

    @property
    def name(self) -> str:
        """The step's Name."""
        return self.step.name

    @property
    def active(self) -> bool:
        """Started and not yet terminal."""
        return self.status in ACTIVE_STEP_STATUSES

    def schedule(self, delay: float, action: Callable[[], Any], label: str = "") -> Event:
        """Schedule ``action`` ``delay`` simulated seconds from now, replacing the step's pending event."""
        self.cancel_event()
        self.event = self.execution.simulation.scheduler.schedule(
            delay,
            lambda: self.guarded(action),
            label or f"{self.execution.execution_id}:{self.name}",
        )
        return self.event

    def guarded(self, action: Callable[[], Any]) -> None:
        """Run a step action; an unexpected error fails the step instead of escaping.

        An expression error is the step's own failure (a ClientError); anything else (a
        definition that recurses too deep, a bug) fails the step with an ``InternalFailure``
        reason, so that no execution is left waiting on an event that died.
        """
        try:
            action()
        except ExpressionError as exc:
            self.execution.fail_step(self, str(exc))
        except Exception as exc:
            logger.debug(
                "step %s of %s failed unexpectedly", self.name, self.execution.arn, exc_info=True
            )
            self.execution.fail_step(self, f"InternalFailure: {type(exc).__name__}: {exc}")

    def begin_attempt(self) -> None:
        """Record that attempt :attr:`attempt` starts now."""
        now = self.execution.simulation.clock.now()
        self.attempts.append({"AttemptCount": self.attempt, "StartTime": now})

    def end_attempt(self, status: str, reason: str | None = None) -> None:
        """Record that the current attempt ended now with ``status`` (and ``reason``)."""
        if not self.attempts or "EndTime" in self.attempts[-1]:
            return
        record = self.attempts[-1]
        record["EndTime"] = self.execution.simulation.clock.now()
        record["StepStatus"] = status
        if reason:
            record["FailureReason"] = reason

    def cancel_event(self) -> None:
        """Drop the step's pending event, if any."""
        if self.event is not None:
            self.event.cancel()
            self.event = None

    def to_api(self) -> dict[str, Any]:
        """The ``PipelineExecutionStep`` shape of ListPipelineExecutionSteps."""
        item: dict[str, Any] = {
            "StepName": self.step.name,
            "StepStatus": self.status,
            "StartTime": self.start_time,
            "AttemptCount": self.attempt,
            "Metadata": self.metadata,
        }
        if self.step.display_name:
            item["StepDisplayName"] = self.step.display_name
        if self.step.description:
            item["StepDescription"] = self.step.description
        if self.end_time is not None:
            item["EndTime"] = self.end_time
        if self.failure_reason and self.status == "Failed":
            item["FailureReason"] = self.failure_reason
        if "iteration_context" in self.state:
            item["IterationContext"] = dict(self.state["iteration_context"])
        if self.cache_hit_source:
            item["CacheHitResult"] = {"SourcePipelineExecutionArn": self.cache_hit_source}
        if self.selective_source:
            item["SelectiveExecutionResult"] = {"SourcePipelineExecutionArn": self.selective_source}
        return item
