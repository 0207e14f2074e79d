"""The user's own code for a job step's attempt: a registered job handler or a ``@step`` function.

:func:`user_outcome` is asked by the job step kind (:mod:`.steps.jobs`) when an attempt enters
``Executing``. In this order: a job handler registered for the step's name
(:mod:`.job_handlers`) runs; a scripted outcome is played as scripted; a ``@step`` function step
(:mod:`.function_steps`) runs its function in-process when it can. What the code did comes back
as a :class:`~mock_sagemaker_pipelines.outcomes.ScriptedOutcome`. An attempt whose simulated run
time would pass the step's ``StoppingCondition.MaxRuntimeInSeconds`` fails when it is reached
("if the job does not complete during this time, SageMaker ends the job", API
``StoppingCondition``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..outcomes import ScriptedOutcome
from .function_steps import function_call, run_function, warn_not_in_process, why_not_in_process
from .job_handlers import MAX_REASON, run_job_handler
from .job_outputs import property_file_uris, step_outputs

if TYPE_CHECKING:
    from .run import StepRun

logger = logging.getLogger(__name__)

#: Default simulated seconds of a ``@step`` function's job (a Training step's default is 900):
#: short enough that the SDK's ``execution.result()``, whose ``wait()`` polls 60 times every
#: 30 s, sees a chain of several function steps end **[U]**.
FUNCTION_STEP_SECONDS = 120.0


def _max_runtime(arguments: Any) -> float | None:
    condition = arguments.get("StoppingCondition") if isinstance(arguments, dict) else None
    value = condition.get("MaxRuntimeInSeconds") if isinstance(condition, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def _limited(run: StepRun, outcome: ScriptedOutcome) -> ScriptedOutcome:
    """``outcome``, or a failure at MaxRuntimeInSeconds when it would run longer."""
    limit = _max_runtime(run.arguments)
    if limit is None or outcome.after is None or outcome.after <= limit:
        return outcome
    return ScriptedOutcome(
        False,
        after=limit,
        reason=(
            f"ClientError: The job of step '{run.name}' ran past its "
            f"StoppingCondition.MaxRuntimeInSeconds ({limit:g} seconds; it needed "
            f"{outcome.after:g}) and was ended."
        ),
    )


def user_outcome(
    run: StepRun, outcome: ScriptedOutcome | None, chosen_duration: float | None
) -> ScriptedOutcome | None:
    """What the user's code made of this attempt, or ``None`` when no user code applies.

    ``outcome``: the scripted outcome of the attempt, if any; ``chosen_duration``: the
    attempt's simulated seconds when a script or an option chose them (``None``: the
    default, which is :data:`FUNCTION_STEP_SECONDS` for a ``@step`` function).
    """
    ex = run.execution
    sim = ex.simulation
    entry = sim.job_handlers.get(run.name)
    if entry is not None:
        handler, declared = entry
        outputs = step_outputs(run.step.type, run.arguments)
        files = property_file_uris(run.step, outputs)
        default = chosen_duration
        if default is None:
            default = sim.options.duration_of(run.step.type, run.name)
        return _limited(run, run_job_handler(run, handler, declared, default, outputs, files))
    if outcome is not None:
        return None
    call = function_call(run.step.type, run.arguments)
    if call is None:
        return None
    reason = why_not_in_process(call)
    if reason is not None:
        if run.attempt == 1:
            warn_not_in_process(run.name, reason)
        return None
    sim.sleep_sink = []
    try:
        failure = run_function(call, ex.account_id, ex.region_name)
    except Exception as exc:  # the SDK itself broke: fail the step, keep the simulation going
        logger.debug("@step function of %s failed to run", run.name, exc_info=True)
        failure = f"InternalFailure: running the @step function failed: {type(exc).__name__}: {exc}"
    finally:
        slept, sim.sleep_sink = sum(sim.sleep_sink or []), None
    delay = (FUNCTION_STEP_SECONDS if chosen_duration is None else chosen_duration) + slept
    if failure is None:
        return _limited(run, ScriptedOutcome(True, after=delay))
    return _limited(run, ScriptedOutcome(False, after=delay, reason=failure[:MAX_REASON]))
