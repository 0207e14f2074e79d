"""Step kinds: how each step Type starts, runs, stops and ends on simulated time.

* :class:`JobStep` (Processing, Training, Transform, Tuning, Model, RegisterModel, QualityCheck,
  ClarifyCheck, EMR, AutoML and any unknown type): registers its job in moto's SageMaker backend
  (``shared/DESIGN.md`` principle 6), follows retry policies (spec section 9.4), stops through
  ``Stopping`` -> ``Stopped`` (spec section 8).
* :class:`ConditionStep`, :class:`FailStep` (spec sections 9.2, 9.3).
* :class:`CallbackStep` (spec section 6): a real SQS message, a 10-character token, and the stop
  handshake of the StopPipelineExecution API reference.
* :class:`LambdaStep` (spec section 7): a registered Python handler, a scripted outcome or moto's
  Lambda; the 10-minute limit; a stop waits for the function.
"""

from __future__ import annotations

import json
import math
import uuid
from typing import TYPE_CHECKING, Any

from .._moto import jobs as moto_jobs
from .._moto import peers
from ..definition import OutputParameterDef
from ..definition.expressions import ExpressionError, evaluate, evaluate_conditions, resolve_path
from ..outcomes import ScriptedOutcome
from .properties import job_properties, step_metadata
from .simulation import LAMBDA_TIMEOUT_SECONDS, STARTING_SECONDS, STOPPING_SECONDS

if TYPE_CHECKING:
    from .execution import Execution, StepRun

#: Retry-policy exception types the service retries by default (spec section 9.4).
DEFAULT_RETRIED = ("Step.SERVICE_FAULT", "Step.THROTTLING")
#: Job step types that are one synchronous create call: a stop lets them finish (spec 4, 8).
QUICK_JOB_TYPES = frozenset({"Model", "RegisterModel", "EndpointConfig", "Lineage"})


class StepKind:
    """Behaviour shared by every step type; subclasses override the hooks they need."""

    starting_seconds = STARTING_SECONDS

    def resolve_arguments(self, run: StepRun) -> Any:
        """The step's Arguments with every expression resolved (raises ExpressionError)."""
        return evaluate(run.step.arguments, run.execution.context_for(run))

    def start(self, run: StepRun) -> None:
        """``Starting``: schedule the move to ``Executing``."""
        run.schedule(self.starting_seconds, lambda: self._to_executing(run), "executing")

    def _to_executing(self, run: StepRun) -> None:
        run.execution.set_step_status(run, "Executing")
        self.executing(run)

    def executing(self, run: StepRun) -> None:
        """The step entered ``Executing``; by default it succeeds after its duration."""
        run.schedule(duration_of(run, None), lambda: run.execution.succeed_step(run))

    def stop(self, run: StepRun) -> None:
        """StopPipelineExecution while the step runs; by default it goes Stopping -> Stopped."""
        run.cancel_event()
        run.execution.set_step_status(run, "Stopping")
        run.schedule(STOPPING_SECONDS, lambda: run.execution.stopped_step(run), "stopped")

    def ended(self, run: StepRun) -> None:
        """The step reached a terminal status."""

    def job_name(self, run: StepRun) -> str:
        """The name the service gives this step's job: ``pipelines-<executionId>-<step>-<random>``."""
        name = run.state.get("job_name")
        if name is None:
            prefix = f"pipelines-{run.execution.execution_id}-"
            suffix = "-" + run.execution.simulation.random_id(10)
            room = 63 - len(prefix) - len(suffix)
            name = prefix + run.step.name.lower()[: max(room, 1)] + suffix
            run.state["job_name"] = name
        return str(name)

    def read_property_file(self, run: StepRun, name: str) -> Any:
        """The JSON a step wrote as property file ``name`` (Processing steps, spec section 10)."""
        declared = {pf.name: pf for pf in run.step.property_files}
        if name not in declared:
            raise ExpressionError(f"ClientError: Step '{run.name}' has no property file '{name}'.")
        pf = declared[name]
        try:
            base = resolve_path(
                run.properties,
                ["ProcessingOutputConfig", "Outputs", pf.output_name, "S3Output", "S3Uri"],
            )
        except ExpressionError as exc:
            raise ExpressionError(
                f"ClientError: Property file '{name}' of step '{run.name}' names output "
                f"'{pf.output_name}', which the step does not have."
            ) from exc
        return read_json_from_s3(run.execution, f"{str(base).rstrip('/')}/{pf.file_path}")

    def write_property_files(self, run: StepRun) -> None:
        """Put scripted property files where the job would have written them in moto's S3.

        A ``Std:JsonGet`` with an ``S3Uri`` (or any reader of the bucket) then sees the same
        JSON as one on the PropertyFile. Files whose output has no S3 URI are kept in memory only.
        """
        declared = {pf.name: pf for pf in run.step.property_files}
        ex = run.execution
        for name, content in run.property_files.items():
            pf = declared.get(name)
            if pf is None:
                continue
            try:
                base = resolve_path(
                    run.properties,
                    ["ProcessingOutputConfig", "Outputs", pf.output_name, "S3Output", "S3Uri"],
                )
                bucket, key = peers.parse_s3_uri(f"{str(base).rstrip('/')}/{pf.file_path}")
                peers.write_s3_object(
                    ex.backend.account_id,
                    ex.backend.region_name,
                    bucket,
                    key,
                    json.dumps(content).encode(),
                )
            except (ExpressionError, peers.PeerError, TypeError, ValueError):
                continue


def read_json_from_s3(execution: Execution, uri: str) -> Any:
    """Parse the JSON object at ``uri`` in moto's S3 (raises ExpressionError as a ClientError)."""
    try:
        bucket, key = peers.parse_s3_uri(uri)
        body = peers.read_s3_object(execution.backend.account_id, bucket, key)
        return json.loads(body)
    except (peers.PeerError, ValueError) as exc:
        raise ExpressionError(f"ClientError: Failed to read JSON from {uri}: {exc}") from exc


def script_for(run: StepRun) -> Any:
    """The :class:`~mock_sagemaker_pipelines.outcomes.StepScript` for this run, if any."""
    return run.execution.simulation.outcomes.lookup(run.name, run.execution.arn)


def outcome_for(run: StepRun) -> ScriptedOutcome | None:
    """The scripted outcome of the run's current attempt, if the test scripted one."""
    script = script_for(run)
    return script.outcome_for(run.attempt) if script is not None else None


def duration_of(run: StepRun, outcome: ScriptedOutcome | None) -> float:
    """Simulated seconds of the current attempt: the outcome's ``after``, the script's, the default."""
    if outcome is not None and outcome.after is not None:
        return float(outcome.after)
    script = script_for(run)
    if script is not None and script.duration is not None:
        return float(script.duration)
    return run.execution.simulation.options.duration_of(run.step.type, run.name)


def _duration_configured(run: StepRun) -> bool:
    """Whether a test or option set this step's duration (rather than the type's default)."""
    options = run.execution.simulation.options
    script = script_for(run)
    return (
        (script is not None and script.duration is not None)
        or run.name in options.step_durations
        or run.step.type in options.durations
    )


# ---------------------------------------------------------------------- jobs
def _resolved_step(run: StepRun) -> dict[str, Any]:
    """The step's top-level fields with expressions resolved (check steps keep ``SkipCheck``,
    ``RegisterNewBaseline`` and the supplied baselines there, often as parameter ``Get``s)."""
    resolved = run.state.get("resolved_step")
    if resolved is None:
        fields = {k: v for k, v in run.step.raw.items() if k not in ("Arguments", "Name", "Type")}
        resolved = {**run.step.raw, **evaluate(fields, run.execution.context_for(run))}
        run.state["resolved_step"] = resolved
    return dict(resolved)


class JobStep(StepKind):
    """A step that runs a SageMaker job (or any step type the simulator has no special rule for)."""

    def start(self, run: StepRun) -> None:
        self._create_job(run)
        super().start(run)

    def _create_job(self, run: StepRun) -> None:
        """Register this attempt's job under :meth:`job_name` (the name the step's Arguments saw
        as ``Execution.TrainingJobName``/``ProcessingJobName``, if they used it)."""
        ex = run.execution
        name = self.job_name(run)
        args = run.arguments if isinstance(run.arguments, dict) else {}
        ref = moto_jobs.create_job(
            run.step.type,
            ex.backend.account_id,
            ex.backend.region_name,
            name,
            args,
            now=run.execution.simulation.clock.now(),
        )
        run.state["job"] = ref
        run.metadata = step_metadata(
            run.step.type, ref.arn, args, job_name=name, step=_resolved_step(run)
        )

    def _job_status(self, run: StepRun, status: str, reason: str | None = None) -> None:
        ref = run.state.get("job")
        if ref is not None:
            ex = run.execution
            moto_jobs.set_job_status(
                ref,
                ex.backend.account_id,
                ex.backend.region_name,
                status,
                reason,
                now=run.execution.simulation.clock.now(),
            )

    def executing(self, run: StepRun) -> None:
        self._job_status(run, "InProgress")
        outcome = outcome_for(run)
        delay = duration_of(run, outcome)
        if outcome is None or outcome.succeed:
            run.schedule(delay, lambda: self._complete(run, outcome), "complete")
        else:
            run.schedule(delay, lambda: self._failed_attempt(run, outcome), "failed")

    def _complete(self, run: StepRun, outcome: ScriptedOutcome | None) -> None:
        ref = run.state["job"]
        args = run.arguments if isinstance(run.arguments, dict) else {}
        props = job_properties(
            run.step.type, ref.name, ref.arn, args, "Completed", step=_resolved_step(run)
        )
        if outcome is not None:
            _deep_merge(props, outcome.properties)
            run.property_files.update(outcome.property_files)
        run.properties = props
        self.write_property_files(run)
        self._job_status(run, "Completed")
        run.execution.succeed_step(run)

    def _failed_attempt(self, run: StepRun, outcome: ScriptedOutcome) -> None:
        reason = outcome.reason or "ClientError: The step failed."
        self._job_status(run, "Failed", reason)
        delay = self._retry_delay(run, outcome.exception_type)
        if delay is None:
            run.execution.fail_step(run, reason)
            return
        run.state["awaiting_retry"] = True
        run.schedule(delay, lambda: self._retry(run), "retry")

    def _retry_delay(self, run: StepRun, exception_type: str | None) -> float | None:
        """Seconds until the next attempt under the step's RetryPolicies, or None (no retry).

        Retries are counted within this run of the step: attempts made before a
        RetryPipelineExecution (which AttemptCount keeps counting) do not use up the policy.
        """
        if exception_type is None or run.execution.stop_requested:
            return None
        if (
            run.step.type in ("Tuning", "AutoML")
            and exception_type == "SageMaker.JOB_INTERNAL_ERROR"
        ):
            # DG "Pipelines retry policy": tuning and AutoML jobs never retry internal errors.
            return None
        retries_done = run.attempt - 1 - run.previous_attempts
        for policy in run.step.retry_policies:
            if exception_type not in policy.exception_types:
                continue
            delay = policy.interval_seconds * math.pow(policy.backoff_rate, retries_done)
            if policy.max_attempts is not None and retries_done >= policy.max_attempts:
                return None
            if policy.expire_after_min is not None:
                assert run.start_time is not None
                elapsed = (run.execution.simulation.clock.now() - run.start_time).total_seconds()
                if elapsed + delay > policy.expire_after_min * 60:
                    return None
            return delay
        if exception_type in DEFAULT_RETRIED and retries_done < 5:
            return float(2**retries_done)
        return None

    def _retry(self, run: StepRun) -> None:
        """The next attempt: a new job with a new name, the Arguments resolved again for it."""
        run.state.pop("awaiting_retry", None)
        run.state.pop("job_name", None)
        run.attempt += 1
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


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value


# ------------------------------------------------------------ condition/fail
class ConditionStep(StepKind):
    """Evaluates its Conditions (all must hold) and picks IfSteps or ElseSteps (spec 9.2)."""

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


class FailStep(StepKind):
    """Ends ``Failed`` with its rendered ErrorMessage, failing the execution (spec 9.3)."""

    starting_seconds = 0.0

    def executing(self, run: StepRun) -> None:
        run.schedule(duration_of(run, None), lambda: self._fail(run), "fail")

    def _fail(self, run: StepRun) -> None:
        args = run.arguments if isinstance(run.arguments, dict) else {}
        message = args.get("ErrorMessage", "")
        message = _render_value(message) if message is not None else ""
        run.metadata = {"Fail": {"ErrorMessage": message}}
        run.execution.fail_step(run, message or None)

    def stop(self, run: StepRun) -> None:
        """Fail steps are quick: let them finish (spec section 8)."""


def _render_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


# ------------------------------------------------------------ outputs
def convert_output(decl: OutputParameterDef, value: Any) -> Any:
    """Convert an output value to its declared OutputType; raises ValueError when it cannot."""
    kind = decl.type or "String"
    if kind == "String":
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    if kind == "Integer":
        if isinstance(value, bool):
            raise ValueError(f"'{value}' is not an Integer")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ValueError(f"'{value}' is not an Integer")
    if kind == "Float":
        if isinstance(value, bool):
            raise ValueError(f"'{value}' is not a Float")
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise ValueError(f"'{value}' is not a Float")
    if kind == "Boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise ValueError(f"'{value}' is not a Boolean")
    return value


def output_list(run: StepRun) -> list[dict[str, str]]:
    """``[{Name, Value}]`` of a step's outputs as the metadata shows them (values as strings)."""
    return [{"Name": k, "Value": _render_value(v)} for k, v in run.outputs.items()]


def placeholder_outputs(run: StepRun) -> dict[str, Any]:
    """Typed placeholder values for every declared output (the ``simulate`` command's default)."""
    values: dict[str, Any] = {}
    for decl in run.step.output_parameters:
        values[decl.name] = {"Integer": 0, "Float": 0.0, "Boolean": False}.get(
            decl.type, f"{decl.name}-placeholder"
        )
    return values


# ------------------------------------------------------------ callback
class CallbackStep(StepKind):
    """Sends the callback message to SQS and waits for SendPipelineExecutionStep* (spec 6, 8)."""

    def executing(self, run: StepRun) -> None:
        ex = run.execution
        try:
            url = evaluate(run.step.sqs_queue_url, ex.context_for(run))
        except ExpressionError as exc:
            ex.fail_step(run, str(exc))
            return
        token = ex.simulation.callback_token()
        while token in ex.backend.callbacks:
            token = ex.simulation.callback_token()
        run.state["token"] = token
        run.state["queue_url"] = str(url)
        run.metadata = {"Callback": {"CallbackToken": token, "SqsQueueUrl": str(url)[:256]}}
        body = {"token": token, "pipelineExecutionArn": ex.arn, "arguments": run.arguments or {}}
        if not self._send(run, body):
            return
        ex.backend.register_callback(token, run)
        outcome = outcome_for(run)
        if outcome is not None:
            delay = duration_of(run, outcome)
            run.schedule(delay, lambda: self._answer(run, outcome), "answer")
        elif ex.simulation.options.auto_callbacks:
            run.schedule(duration_of(run, None), lambda: self._auto_answer(run), "auto-answer")

    def _send(self, run: StepRun, body: dict[str, Any]) -> bool:
        ex = run.execution
        url = run.state["queue_url"]
        try:
            queue = peers.parse_queue_url(url, ex.backend.account_id, ex.backend.region_name)
            message_id = peers.send_sqs_message(queue, json.dumps(body))
        except peers.PeerError as exc:
            if run.active and body.get("status") != "Stopping":
                ex.fail_step(
                    run, f"ClientError: Failed to send the callback message to {url}: {exc}"
                )
            return False
        ex.simulation.sent_messages.append(
            {
                "QueueUrl": url,
                "MessageId": message_id,
                "Body": body,
                "PipelineExecutionArn": ex.arn,
                "StepName": run.name,
                "SentTime": ex.simulation.clock.now(),
            }
        )
        return True

    def _answer(self, run: StepRun, outcome: ScriptedOutcome) -> None:
        backend = run.execution.backend
        token = run.state["token"]
        try:
            if outcome.succeed:
                backend.send_pipeline_execution_step_success(
                    token, _as_output_list(outcome.outputs), None
                )
            else:
                backend.send_pipeline_execution_step_failure(token, outcome.reason, None)
        except Exception as exc:  # a badly scripted output: fail the step, visibly
            if run.active:
                run.execution.fail_step(
                    run, f"ClientError: The scripted callback answer was rejected: {exc}"
                )

    def _auto_answer(self, run: StepRun) -> None:
        if run.active:
            run.execution.backend.send_pipeline_execution_step_success(
                run.state["token"], _as_output_list(placeholder_outputs(run)), None
            )

    def answered(
        self,
        run: StepRun,
        success: bool,
        outputs: dict[str, Any],
        reason: str | None,
        sent: list[dict[str, str]] | None = None,
    ) -> None:
        """SendPipelineExecutionStepSuccess/Failure reached this step (already validated).

        ``outputs`` are the typed values downstream expressions read; ``sent`` the
        ``[{Name, Value}]`` exactly as the caller sent them, which the step's metadata shows
        (the service stores the strings it was given).
        """
        missing = [d.name for d in run.step.output_parameters if d.name not in outputs]
        if success and missing:
            # Spec section 6: a declared output the answer leaves out fails the step.
            success, reason = (
                False,
                "ClientError: SendPipelineExecutionStepSuccess did not give the declared output "
                f"parameter(s) {', '.join(repr(m) for m in missing)}.",
            )
        run.outputs = outputs
        listed = sent if sent is not None else output_list(run)
        run.metadata["Callback"]["OutputParameters"] = [
            {"Name": str(p["Name"]), "Value": str(p.get("Value", ""))} for p in listed
        ]
        if success:
            run.properties = {"OutputParameters": dict(outputs)}
            run.execution.succeed_step(run)
        else:
            run.execution.fail_step(run, reason or "")

    def stop(self, run: StepRun) -> None:
        """Send one more message with ``"status": "Stopping"`` and keep waiting for the answer."""
        if run.status == "Starting" or "token" not in run.state:
            super().stop(run)
            return
        ex = run.execution
        self._send(
            run,
            {
                "token": run.state["token"],
                "pipelineExecutionArn": ex.arn,
                "arguments": run.arguments or {},
                "status": "Stopping",
            },
        )


def _as_output_list(outputs: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Name": str(k), "Value": _render_value(v)} for k, v in outputs.items()]


# ------------------------------------------------------------ lambda
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
        try:
            arn = evaluate(run.step.function_arn, ex.context_for(run))
        except ExpressionError as exc:
            ex.fail_step(run, str(exc))
            return
        ref = peers.parse_function_arn(str(arn), ex.backend.account_id, ex.backend.region_name)
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
            except Exception as exc:
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
            if outcome.succeed:
                return True, dict(outcome.outputs), delay
            return False, outcome.reason or "ClientError: The Lambda function failed.", delay
        delay = duration_of(run, None)
        if peers.lambda_function_exists(ref):
            # Spec section 7: the step fails at min(the function's timeout, 600 s).
            function_timeout = peers.lambda_function_timeout(ref)
            if function_timeout is not None:
                run.state["timeout"] = min(function_timeout, LAMBDA_TIMEOUT_SECONDS)
                if not _duration_configured(run):
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


_KINDS: dict[str, StepKind] = {
    "Condition": ConditionStep(),
    "Fail": FailStep(),
    "Callback": CallbackStep(),
    "Lambda": LambdaStep(),
}
_JOB = JobStep()


def kind_for(step_type: str) -> StepKind:
    """The behaviour of a step Type (unknown types behave as job steps)."""
    return _KINDS.get(step_type, _JOB)
