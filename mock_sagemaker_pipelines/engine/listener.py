"""What the engine needs from its owner: the listener of status changes and the callback registry.

The engine never imports the backend (``shared/DESIGN.md``, one-way imports). An
:class:`~mock_sagemaker_pipelines.engine.execution.Execution` is given, when it is created:

* an :class:`ExecutionListener`: every execution and step status change leaves the engine
  through it (the backend plugs in EventBridge events; anything later, such as mirroring or a
  recorder, is one more listener);
* a :class:`CallbackRegistry`: where Callback steps register the ``CallbackToken`` they wait on,
  and through which a scripted answer is sent exactly as ``SendPipelineExecutionStepSuccess`` /
  ``SendPipelineExecutionStepFailure`` would send it (so the same validation applies).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .execution import Execution
    from .run import StepRun


class ExecutionListener(Protocol):
    """Told of every status change, after it happened (times are simulated UTC datetimes)."""

    def execution_status_changed(self, execution: Execution, previous: str | None) -> None:
        """``execution.status`` changed from ``previous`` (``None``: the execution started)."""

    def step_status_changed(self, execution: Execution, run: StepRun, previous: str | None) -> None:
        """``run.status`` changed from ``previous`` (``None``: the step started)."""


class Listeners:
    """Several listeners as one, called in the order given."""

    def __init__(self, listeners: Sequence[ExecutionListener] = ()) -> None:
        self.listeners = list(listeners)

    def execution_status_changed(self, execution: Execution, previous: str | None) -> None:
        """Tell every listener."""
        for listener in self.listeners:
            listener.execution_status_changed(execution, previous)

    def step_status_changed(self, execution: Execution, run: StepRun, previous: str | None) -> None:
        """Tell every listener."""
        for listener in self.listeners:
            listener.step_status_changed(execution, run, previous)


class CallbackRegistry(Protocol):
    """The callback tokens of one account and region (the backend keeps them)."""

    def callback_token_in_use(self, token: str) -> bool:
        """Whether ``token`` was already given to a step (tokens are unique per backend)."""

    def register_callback(self, token: str, run: StepRun) -> None:
        """Remember that ``run`` waits on ``token``."""

    def send_pipeline_execution_step_success(
        self,
        callback_token: str,
        output_parameters: list[dict[str, str]] | None,
        client_request_token: str | None,
    ) -> dict[str, Any]:
        """Answer ``callback_token`` as SendPipelineExecutionStepSuccess does (may raise its errors)."""

    def send_pipeline_execution_step_failure(
        self,
        callback_token: str,
        failure_reason: str | None,
        client_request_token: str | None,
    ) -> dict[str, Any]:
        """Answer ``callback_token`` as SendPipelineExecutionStepFailure does (may raise its errors)."""
