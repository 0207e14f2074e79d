"""Lambda steps (spec section 7): the function runs with the resolved Arguments as its event.

The function is, in this order: a Python handler registered with
``PipelinesMock.lambda_function`` (called in-process with a context on the simulated clock), a
scripted outcome, moto's Lambda function of that ARN, placeholder outputs (``auto_lambdas``), or
"Function not found". The returned JSON object gives the declared OutputParameters. A step runs
at most 10 minutes (or the moto function's own timeout); a stop cannot interrupt the function:
the step runs to its end (``Stopped``) or to its timeout (``Failed``).
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from ..._moto import peers
from ...definition import evaluate
from ..outputs import convert_output, output_list, placeholder_outputs
from ..simulation import LAMBDA_TIMEOUT_SECONDS
from .base import StepKind, duration_configured, duration_of, outcome_for

if TYPE_CHECKING:
    from ..run import StepRun


class LambdaContext:
    """The ``context`` a registered handler receives, on the simulated clock."""

    def __init__(self, function_name: str, arn: str, timeout_seconds: float, run: StepRun) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = 128
        self.aws_request_id = str(uuid.UUID(int=run.execution.simulation.rng.getrandbits(128)))
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = f"{run.execution.execution_id}/{run.name}"
        self._deadline = run.execution.simulation.clock.now().timestamp() + timeout_seconds
        self._clock = run.execution.simulation.clock
        self._simulation = run.execution.simulation

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds until the 10-minute Lambda step limit, on the simulated clock.

        Sleeps the handler made so far (warped) count as time spent.
        """
        slept = sum(self._simulation.sleep_sink or [])
        return max(0, int((self._deadline - self._clock.now().timestamp() - slept) * 1000))


class LambdaStep(StepKind):
    """Invokes the function with the resolved Arguments; outputs from the returned object (spec 7)."""

    def executing(self, run: StepRun) -> None:
        ex = run.execution
        # An ExpressionError fails the step: the event runs inside StepRun.guarded.
        arn = evaluate(run.step.function_arn, ex.context_for(run))
        ref = peers.parse_function_arn(str(arn), ex.account_id, ex.region_name)
        run.metadata = {"Lambda": {"Arn": ref.arn}}
        event = run.arguments if run.arguments is not None else {}
        success, result, delay = self._invoke(run, ref, event)
        timeout = float(run.state.get("timeout", LAMBDA_TIMEOUT_SECONDS))
        if delay >= timeout:
            run.schedule(timeout, lambda: self._timeout(run, timeout), "timeout")
        elif success:
            run.schedule(delay, lambda: self._finish(run, result), "finish")
        else:
            run.schedule(delay, lambda: run.execution.fail_step(run, str(result)), "fail")

    def _invoke(self, run: StepRun, ref: peers.LambdaRef, event: Any) -> tuple[bool, Any, float]:
        """Returns (ok, result-or-reason, simulated duration)."""
        sim = run.execution.simulation
        handler = sim.lambda_handlers.get(ref.arn) or sim.lambda_handlers.get(ref.name)
        if handler is not None:
            fn, handler_duration = handler
            outcome = outcome_for(run)
            delay = (
                float(handler_duration)
                if handler_duration is not None
                else duration_of(run, outcome)
            )
            context = LambdaContext(ref.name, ref.arn, LAMBDA_TIMEOUT_SECONDS, run)
            sim.sleep_sink = []  # the handler's (warped) sleeps add to its run time
            try:
                # The function gets its own decoded copy of the event, as Lambda delivers it.
                result = fn(json.loads(json.dumps(event)), context)
            except (Exception, SystemExit) as exc:  # a handler calling sys.exit() fails the step
                return (
                    False,
                    f"ClientError: Lambda function raised {type(exc).__name__}: {exc}",
                    delay + sum(sim.sleep_sink),
                )
            finally:
                slept, sim.sleep_sink = sum(sim.sleep_sink), None
            delay += slept
            try:
                # Lambda serialises the return value to JSON; what cannot be, fails the invoke.
                result = json.loads(json.dumps(result))
            except (TypeError, ValueError) as exc:
                return (
                    False,
                    "ClientError: Lambda function error (Runtime.MarshalError): "
                    f"Unable to marshal response: {exc}",
                    delay,
                )
            return True, result, delay
        outcome = outcome_for(run)
        if outcome is not None:
            delay = duration_of(run, outcome)
            if outcome.succeed:  # declared outputs it leaves out get typed placeholders
                return True, {**placeholder_outputs(run), **outcome.outputs}, delay
            return False, outcome.reason or "ClientError: The Lambda function failed.", delay
        delay = duration_of(run, None)
        if peers.lambda_function_exists(ref):
            # Spec section 7: the step fails at min(the function's timeout, 600 s).
            function_timeout = peers.lambda_function_timeout(ref)
            if function_timeout is not None:
                run.state["timeout"] = min(function_timeout, LAMBDA_TIMEOUT_SECONDS)
                if not duration_configured(run):
                    # The default duration is a guess: let the function finish within its timeout.
                    delay = min(delay, max(run.state["timeout"] - 1.0, 0.0))
            payload, function_error = peers.invoke_moto_lambda(ref, event)
            text = payload.decode("utf-8", "replace")
            if function_error:
                return (
                    False,
                    f"ClientError: Lambda function error ({function_error}): {text[:900]}",
                    delay,
                )
            try:
                return True, json.loads(text), delay
            except ValueError:
                return (
                    False,
                    f"ClientError: Lambda function returned a result that is not JSON: {text[:900]}",
                    delay,
                )
        if sim.options.auto_lambdas:
            return True, placeholder_outputs(run), delay
        return (
            False,
            f"ClientError: Function not found: {ref.arn} (ResourceNotFoundException)",
            0.0,
        )

    def _finish(self, run: StepRun, result: Any) -> None:
        if not isinstance(result, dict):
            run.execution.fail_step(
                run,
                "ClientError: The Lambda function must return a JSON object; it returned "
                f"{type(result).__name__}: {str(result)[:200]}",
            )
            return
        outputs: dict[str, Any] = {}
        for decl in run.step.output_parameters:
            if decl.name not in result:
                run.execution.fail_step(
                    run,
                    f"ClientError: The Lambda function result has no value for the output "
                    f"parameter '{decl.name}'.",
                )
                return
            try:
                outputs[decl.name] = convert_output(decl, result[decl.name])
            except ValueError as exc:
                run.execution.fail_step(
                    run,
                    f"ClientError: Output parameter '{decl.name}' must be of type {decl.type}: {exc}",
                )
                return
        run.outputs = outputs
        run.metadata["Lambda"]["OutputParameters"] = output_list(run)
        run.properties = {"OutputParameters": dict(outputs)}
        run.execution.succeed_step(run)

    def _timeout(self, run: StepRun, timeout: float = LAMBDA_TIMEOUT_SECONDS) -> None:
        if run.execution.stop_requested:
            run.execution.stop_failed = True
        limit = (
            "the maximum run time of a Lambda step"
            if timeout >= LAMBDA_TIMEOUT_SECONDS
            else "the function's timeout"
        )
        run.execution.fail_step(
            run, f"ClientError: The Lambda step timed out after {int(timeout)} seconds ({limit})."
        )

    def stop(self, run: StepRun) -> None:
        """A Lambda function cannot be stopped: the step runs to its end or its timeout."""
        if run.status == "Starting":
            super().stop(run)
