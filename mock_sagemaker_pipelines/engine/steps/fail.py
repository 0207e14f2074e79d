"""Fail steps (spec section 9.3): end ``Failed`` with the rendered ErrorMessage.

The message is the step's FailureReason (none when empty) and ``Metadata.Fail.ErrorMessage``;
the execution fails. A stop lets the step finish (spec section 8: quick steps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..outputs import render_value
from .base import StepKind, duration_of

if TYPE_CHECKING:
    from ..run import StepRun


class FailStep(StepKind):
    """Ends ``Failed`` with its ErrorMessage, failing the execution."""

    starting_seconds = 0.0

    def executing(self, run: StepRun) -> None:
        run.schedule(duration_of(run, None), lambda: self._fail(run), "fail")

    def _fail(self, run: StepRun) -> None:
        args = run.arguments if isinstance(run.arguments, dict) else {}
        message = args.get("ErrorMessage", "")
        message = render_value(message) if message is not None else ""
        run.metadata = {"Fail": {"ErrorMessage": message}}
        run.execution.fail_step(run, message or None)

    def stop(self, run: StepRun) -> None:
        """Fail steps are quick: let them finish (spec section 8)."""
