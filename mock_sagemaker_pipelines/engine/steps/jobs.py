"""Job steps: Processing, Training, Transform, Tuning, Model, RegisterModel, QualityCheck,
ClarifyCheck, EMR, AutoML, EndpointConfig, Endpoint and any other type without a kind of its own.

Each attempt registers its job in moto's SageMaker backend (``shared/DESIGN.md`` principle 6;
:mod:`mock_sagemaker_pipelines._moto.jobs`), whose status follows the step; the step's
properties are shaped like the job's Describe* output (:mod:`..properties`). A failed attempt is
retried under the step's ``RetryPolicies`` (spec section 9.4) with a new job; a stop moves the
job through ``Stopping`` -> ``Stopped`` (spec section 8), except for the quick single-call types.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..._moto import jobs as moto_jobs
from ...definition import ExpressionError, evaluate
from ...outcomes import ScriptedOutcome
from ..caching import remember_success, try_cache_hit
from ..experiments import job_status_changed, track_job
from ..properties import job_properties, step_metadata
from ..user_code import user_outcome
from .base import StepKind, duration_configured, duration_of, outcome_for

if TYPE_CHECKING:
    from ..run import StepRun

#: Retry-policy exception types the service retries by default (spec section 9.4).
DEFAULT_RETRIED = ("Step.SERVICE_FAULT", "Step.THROTTLING")
#: The shortest wait between two attempts: the smallest ``IntervalSeconds`` the service takes
#: (DG "Pipelines retry policy"). A ``BackoffRate`` below 1 cannot bring the wait under it, so
#: every retry moves the simulated clock and ``ExpireAfterMin`` always ends the retries.
MIN_RETRY_INTERVAL_SECONDS = 1.0
#: The mock's own bound on the attempts of one step in one run (the service's ``MaxAttempts``
#: is at most 20; only ``ExpireAfterMin`` with very short attempts comes near it).
MAX_ATTEMPTS_GUARD = 1000
#: No retry waits longer than an execution may run (672 hours, DG quotas; spec section 11.4).
MAX_RETRY_WAIT_SECONDS = 672 * 3600.0
#: Job step types that are one synchronous create call: a stop lets them finish (spec 4, 8).
QUICK_JOB_TYPES = frozenset({"Model", "RegisterModel", "EndpointConfig", "Lineage"})


def _resolved_step(run: StepRun) -> dict[str, Any]:
    """The step's top-level fields with expressions resolved (check steps keep ``SkipCheck``,
    ``RegisterNewBaseline`` and the supplied baselines there, often as parameter ``Get``s)."""
    resolved = run.state.get("resolved_step")
    if resolved is None:
        fields = {k: v for k, v in run.step.raw.items() if k not in ("Arguments", "Name", "Type")}
        resolved = {**run.step.raw, **evaluate(fields, run.execution.context_for(run))}
        run.state["resolved_step"] = resolved
    return dict(resolved)


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge ``extra`` into ``base``; nested dicts are copied before they change (they may be
    the step's resolved arguments, which the properties share)."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            nested = dict(base[key])
            _deep_merge(nested, value)
            base[key] = nested
        else:
            base[key] = value


def _arguments(run: StepRun) -> dict[str, Any]:
    return run.arguments if isinstance(run.arguments, dict) else {}


def retry_delay(run: StepRun, exception_type: str | None) -> float | None:
    """Seconds until the next attempt under the step's RetryPolicies, or None (no retry).

    Retries are counted within this run of the step: attempts made before a
    RetryPipelineExecution (which AttemptCount keeps counting) do not use up the policy.
    """
    if exception_type is None or run.execution.stop_requested:
        return None
    if run.step.type in ("Tuning", "AutoML") and exception_type == "SageMaker.JOB_INTERNAL_ERROR":
        # DG "Pipelines retry policy": tuning and AutoML jobs never retry internal errors.
        return None
    retries_done = run.attempt - 1 - run.previous_attempts
    for policy in run.step.retry_policies:
        if exception_type not in policy.exception_types:
            continue
        try:
            delay = policy.interval_seconds * math.pow(policy.backoff_rate, retries_done)
        except OverflowError:
            delay = math.inf
        delay = max(delay, MIN_RETRY_INTERVAL_SECONDS)
        if policy.max_attempts is not None and retries_done >= policy.max_attempts:
            return None
        if policy.expire_after_min is not None:
            assert run.start_time is not None
            elapsed = (run.execution.simulation.clock.now() - run.start_time).total_seconds()
            if elapsed + delay > policy.expire_after_min * 60:
                return None
        return delay if delay <= MAX_RETRY_WAIT_SECONDS else None
    if exception_type in DEFAULT_RETRIED and retries_done < 5:
        return float(2**retries_done)
    return None


class JobStep(StepKind):
    """A step that runs a SageMaker job (or any step type the simulator has no special rule for)."""

    def start(self, run: StepRun) -> None:
        if try_cache_hit(run, _resolved_step(run)):
            return  # a cache hit reuses the earlier run's job (engine/caching.py)
        self._create_job(run)
        super().start(run)

    def _create_job(self, run: StepRun) -> None:
        """Register this attempt's job under :meth:`job_name` (the name the step's Arguments saw
        as ``Execution.TrainingJobName``/``ProcessingJobName``, if they used it)."""
        ex = run.execution
        name = self.job_name(run)
        args = _arguments(run)
        ref = moto_jobs.create_job(
            run.step.type, ex.account_id, ex.region_name, name, args, now=ex.simulation.clock.now()
        )
        run.state["job"] = ref
        track_job(run, ref)  # its trial component (engine/experiments.py)
        run.metadata = step_metadata(
            run.step.type, ref.arn, args, job_name=name, step=_resolved_step(run)
        )

    def _job_status(self, run: StepRun, status: str, reason: str | None = None) -> None:
        ref = run.state.get("job")
        if ref is not None:
            ex = run.execution
            moto_jobs.set_job_status(
                ref, ex.account_id, ex.region_name, status, reason, now=ex.simulation.clock.now()
            )
            job_status_changed(run, status)

    def executing(self, run: StepRun) -> None:
        self._job_status(run, "InProgress")
        outcome = outcome_for(run)
        # A job handler or a @step function (engine/user_code.py) decides, if there is one.
        chosen = duration_configured(run) or (outcome is not None and outcome.after is not None)
        outcome = (
            user_outcome(run, outcome, duration_of(run, outcome) if chosen else None) or outcome
        )
        delay = duration_of(run, outcome)
        if outcome is None or outcome.succeed:
            run.schedule(delay, lambda: self._complete(run, outcome), "complete")
        else:
            run.schedule(delay, lambda: self._failed_attempt(run, outcome), "failed")

    def _complete(self, run: StepRun, outcome: ScriptedOutcome | None) -> None:
        ref = run.state["job"]
        props = job_properties(
            run.step.type, ref.name, ref.arn, _arguments(run), "Completed", step=_resolved_step(run)
        )
        if outcome is not None:
            _deep_merge(props, outcome.properties)
            run.property_files = {**run.property_files, **outcome.property_files}
        run.properties = props
        self.write_property_files(run)
        self._job_status(run, "Completed")
        remember_success(run)
        run.execution.succeed_step(run)

    def _failed_attempt(self, run: StepRun, outcome: ScriptedOutcome) -> None:
        reason = outcome.reason or "ClientError: The step failed."
        self._job_status(run, "Failed", reason)
        if run.attempt - run.previous_attempts >= MAX_ATTEMPTS_GUARD:
            run.execution.fail_step(
                run,
                f"{reason} (mock-sagemaker-pipelines stopped retrying after {MAX_ATTEMPTS_GUARD} "
                "attempts of this step; see docs/behaviour.md, retry policies)",
            )
            return
        delay = retry_delay(run, outcome.exception_type)
        if delay is None:
            run.execution.fail_step(run, reason)
            return
        run.state["awaiting_retry"] = True
        run.end_attempt("Failed", reason)
        run.schedule(delay, lambda: self._retry(run), "retry")

    def _retry(self, run: StepRun) -> None:
        """The next attempt: a new job with a new name, the Arguments resolved again for it."""
        run.state.pop("awaiting_retry", None)
        run.state.pop("job_name", None)
        run.attempt += 1
        run.begin_attempt()
        run.execution.touch()
        try:
            run.arguments = self.resolve_arguments(run)
        except ExpressionError as exc:
            run.execution.fail_step(run, str(exc))
            return
        self._create_job(run)
        self.executing(run)

    def stop(self, run: StepRun) -> None:
        """Stop the job (Stopping -> Stopped); quick synchronous steps run to their end instead.

        Model, RegisterModel, EndpointConfig and Lineage steps are single create calls that
        finish within seconds (spec sections 4 and 8: "let them finish"); one waiting for a
        retry is stopped, since no retry starts once a stop was asked for.
        """
        if run.step.type in QUICK_JOB_TYPES and not run.state.get("awaiting_retry"):
            return
        super().stop(run)
        self._job_status(run, "Stopping")

    def ended(self, run: StepRun) -> None:
        if run.status == "Stopped":
            self._job_status(run, "Stopped")
        # The resolved step was the running attempt's; a finished run keeps only what it reports.
        run.state.pop("resolved_step", None)
