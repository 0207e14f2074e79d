"""Condition steps (spec section 9.2): all Conditions must hold; IfSteps or ElseSteps run.

The Outcome is the step's property (``Steps.<name>.Outcome``) and its metadata
(``Metadata.Condition.Outcome``, ``"True"``/``"False"``); the branch not taken never runs and is
never listed. A stop lets the step finish (spec section 8: quick steps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...definition import ExpressionError, evaluate_conditions
from .base import StepKind, duration_of

if TYPE_CHECKING:
    from ..run import StepRun


class ConditionStep(StepKind):
    """Evaluates its Conditions and releases the chosen branch."""

    starting_seconds = 0.0

    def resolve_arguments(self, run: StepRun) -> Any:
        """Conditions are evaluated when the step ends; branch steps resolve their own arguments."""
        return None

    def executing(self, run: StepRun) -> None:
        run.schedule(duration_of(run, None), lambda: self._evaluate(run), "evaluate")

    def _evaluate(self, run: StepRun) -> None:
        try:
            outcome = evaluate_conditions(list(run.step.conditions), run.execution.context_for(run))
        except ExpressionError as exc:
            run.execution.fail_step(run, str(exc))
            return
        run.state["outcome"] = outcome
        run.properties = {"Outcome": outcome}
        run.metadata = {"Condition": {"Outcome": "True" if outcome else "False"}}
        run.execution.succeed_step(run)

    def stop(self, run: StepRun) -> None:
        """Condition steps are quick: let them finish (spec section 8)."""
