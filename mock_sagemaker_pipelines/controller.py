"""``PipelinesMock``: the controller of a running mock.

It moves the simulated clock (``advance``, ``run_until_idle``), scripts step outcomes
(``step(name).succeeds(...)``/``.fails(...)``), registers Lambda handlers, and reads what the
simulation did (executions, pending callbacks, sent SQS messages, unused outcomes). The same
controller serves the decorator, the context manager, the pytest fixture and the server.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .engine.clock import check_seconds
from .engine.execution import Execution
from .engine.job_handlers import JobHandler, check_duration
from .engine.property_hints import PropertyFileUse, property_file_uses
from .engine.run import StepRun
from .engine.simulation import LambdaHandler, Simulation
from .outcomes import ScriptedOutcome, StepScript


def format_report(lines: list[str]) -> str:
    """The one-line message of an exit report (see :meth:`PipelinesMock.report`)."""
    return "mock_sagemaker_pipelines: " + "; ".join(lines)


@dataclass(frozen=True)
class PendingCallback:
    """A Callback step waiting for SendPipelineExecutionStepSuccess/Failure.

    ``arguments``: the step's Arguments with every expression resolved (the message's
    ``arguments``; a copy); ``stopping``: StopPipelineExecution was called and the Stopping
    message sent.
    """

    pipeline_execution_arn: str
    step_name: str
    callback_token: str
    sqs_queue_url: str
    arguments: dict[str, Any]
    stopping: bool


class UnusedOutcomesWarning(UserWarning):
    """Scripted outcomes that no step used, or callbacks left unanswered, at the end of a mock."""


class PipelinesMock:
    """The controller of a running mock: the simulated clock, step scripts, handlers, read helpers.

    Times are UTC datetimes; durations are simulated seconds.
    """

    def __init__(self, simulation: Simulation) -> None:
        self.simulation = simulation

    # ------------------------------------------------------------------ clock
    def now(self) -> datetime:
        """Simulated now (a timezone-aware UTC ``datetime``)."""
        return self.simulation.clock.now()

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward ``seconds``, running every step event that falls due.

        Raises ``ValueError`` for a negative, non-finite or too large ``seconds``. Inside a
        registered Lambda handler, a (warped) sleep does not move the clock: it adds to the
        function's simulated run time instead.
        """
        sink = self.simulation.sleep_sink
        if sink is not None:
            sink.append(check_seconds(seconds, "seconds"))
            return
        with self.simulation.lock:
            self.simulation.scheduler.advance(seconds)

    def run_until_idle(self, max_seconds: float | None = None) -> None:
        """Run until every execution is finished or waits on outside input (a callback answer).

        ``max_seconds`` bounds the simulated time this may cover. Called from inside a step
        (a registered Lambda handler), it does nothing: time moves only between steps' events.
        """
        if max_seconds is not None:
            check_seconds(max_seconds, "max_seconds")
        if self.simulation.sleep_sink is not None or self.simulation.scheduler.running:
            return
        with self.simulation.lock:
            self.simulation.scheduler.run_until_idle(max_seconds)

    # --------------------------------------------------------------- scripting
    def step(self, name: str, execution: str | None = None) -> StepScript:
        """The script of step ``name`` (all executions, or one: ``execution`` = its ARN or id).

        Chain ``.succeeds(after=..., outputs=..., properties=..., property_files=...)``,
        ``.fails(reason, after=..., exception_type=...)`` and ``.takes(seconds)``.
        """
        return self.simulation.outcomes.script(name, execution)

    def lambda_function(
        self, arn_or_name: str, duration: float | None = None
    ) -> Callable[[LambdaHandler], LambdaHandler]:
        """Register a Python handler ``(event, context) -> dict`` for a Lambda step's FunctionArn.

        Use as a decorator: ``@pipelines.lambda_function("arn:aws:lambda:...:function:f")``. The
        handler runs when the step starts; ``duration`` is its simulated run time in seconds (a
        duration of 600 s or more hits the Lambda step limit and fails the step).
        """

        if duration is not None:
            duration = check_seconds(duration, "duration")
        if not callable(arn_or_name) and not isinstance(arn_or_name, str):
            raise TypeError(f"lambda_function takes a function ARN or name, not {arn_or_name!r}")

        def register(handler: LambdaHandler) -> LambdaHandler:
            if not callable(handler):
                raise TypeError(f"a Lambda handler must be callable, not {handler!r}")
            with self.simulation.lock:
                self.simulation.lambda_handlers[str(arn_or_name)] = (handler, duration)
            return handler

        return register

    def job_handler(
        self,
        step_name: str,
        handler: JobHandler | None = None,
        *,
        duration: float | None = None,
    ) -> Any:
        """Register a Python handler ``(arguments, context) -> dict | None`` for job step ``step_name``.

        Use as a decorator, ``@pipelines.job_handler("Evaluate")``, or call it with the handler.
        Each attempt of the step (in every execution) calls it when the step starts
        ``Executing``, with the resolved ``Arguments`` (the Create*Job request) and a
        :class:`~mock_sagemaker_pipelines.engine.job_handlers.JobContext` (execution ARN, step
        name, attempt, simulated ``now``, ``client(service)`` in the execution's account and
        region, ``outputs``, ``property_files``, ``write_property_file(name, content)``). It may
        write to the step's S3 outputs, return properties to merge over the derived ones, raise
        to fail the attempt (``JobFailed(reason, exception_type=...)`` to choose the reason), and
        set ``context.duration``; ``duration`` here is its simulated run time in seconds
        (default: the step's). A handler wins over a scripted outcome and a ``@step`` function.
        Raises ``TypeError`` for a handler that is not callable, ``ValueError`` for a bad duration.
        """
        if not isinstance(step_name, str) or not step_name:
            raise TypeError(f"job_handler takes a step name, not {step_name!r}")
        checked = check_duration(duration)

        def register(fn: JobHandler) -> JobHandler:
            if not callable(fn):
                raise TypeError(f"a job handler must be callable, not {fn!r}")
            with self.simulation.lock:
                self.simulation.job_handlers[step_name] = (fn, checked)
            return fn

        return register if handler is None else register(handler)

    def property_files(self, definition: str | dict[str, Any]) -> list[PropertyFileUse]:
        """The property files a pipeline definition reads, where, and how to script them.

        ``definition``: the PipelineDefinition (JSON text or a dict) or the name of a pipeline
        created in the mock. Raises ``ValueError`` for a definition that does not parse.
        """
        return property_file_uses(self._definition_text(definition))

    def _definition_text(self, definition: str | dict[str, Any]) -> str:
        if isinstance(definition, dict):
            return json.dumps(definition)
        if isinstance(definition, str) and definition.lstrip().startswith("{"):
            return definition
        for backend in self._backends():
            pipeline = getattr(backend, "pipelines", {}).get(definition)
            if pipeline is not None:
                return str(pipeline.latest.definition)
        raise ValueError(f"{definition!r} is neither a pipeline definition nor a pipeline name")

    def set_duration(self, step_type: str, seconds: float) -> None:
        """Default simulated duration (seconds ``Executing``) of every step of ``step_type``."""
        self.simulation.options.durations[step_type] = check_seconds(seconds, "seconds")

    # -------------------------------------------------------------- read helpers
    def _backends(self) -> Iterator[Any]:
        from .backend import pipelines_backends

        for account_backends in list(pipelines_backends.values()):
            for region in list(account_backends.keys()):
                yield account_backends[region]

    def executions(self) -> list[Execution]:
        """Every execution in every account and region, oldest first."""
        found = [e for b in self._backends() for e in b.executions.values()]
        return sorted(found, key=lambda e: e.creation_time)

    def cache_miss_reason(self, execution_arn: str, step_name: str) -> str | None:
        """Why step ``step_name`` of execution ``execution_arn`` ran instead of reusing a cached run.

        None when it was a cache hit or has not started; otherwise one sentence: caching is
        off for the step, its type is not cached, no earlier successful run exists, the cache
        key differs (naming the attributes that differ from the latest successful run), or the
        matching runs are older than ``ExpireAfter``. Raises ``LookupError`` for an unknown
        execution or step.
        """
        found = [e for e in self.executions() if e.arn == execution_arn]
        if not found or step_name not in found[0].runs:
            raise LookupError(f"No step {step_name!r} in execution {execution_arn!r}.")
        run = found[0].runs[step_name]
        if run.status is None or run.cache_hit_source:
            return None
        if not run.step.cache_enabled:
            return "caching is not enabled for this step (CacheConfig.Enabled is not true)"
        return str(run.state.get("cache_miss", "the step did not look up the cache"))

    def _waiting(self) -> Iterator[tuple[str, StepRun]]:
        """(token, run) of every Callback step waiting for an answer, without copying."""
        for backend in self._backends():
            for token, run in backend.callbacks.items():
                if run.active and token not in backend.callback_answers:
                    yield token, run

    def pending_callbacks(self) -> list[PendingCallback]:
        """Callback steps waiting for an answer, across accounts and regions."""
        return [
            PendingCallback(
                pipeline_execution_arn=run.execution.arn,
                step_name=run.name,
                callback_token=token,
                sqs_queue_url=run.state.get("queue_url", ""),
                arguments=copy.deepcopy(run.arguments or {}),
                stopping=run.execution.stop_requested,
            )
            for token, run in self._waiting()
        ]

    def callback_token(self, step_name: str, execution_arn: str | None = None) -> str:
        """The token of the pending callback of ``step_name`` (the newest if several).

        Raises ``LookupError`` if no such callback is waiting.
        """
        matches = [
            token
            for token, run in self._waiting()
            if run.name == step_name
            and (execution_arn is None or run.execution.arn == execution_arn)
        ]
        if not matches:
            raise LookupError(f"No Callback step named {step_name!r} is waiting for an answer.")
        return matches[-1]

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """Every SQS message Callback steps sent (QueueUrl, MessageId, Body as a dict, ...).

        Copies: changing them changes nothing the mock holds (the Body's arguments share the
        pipeline's parsed definition, which every step and execution reads)."""
        return [
            {**message._asdict(), "Body": copy.deepcopy(message.Body)}
            for message in self.simulation.sent_messages
        ]

    def unused_outcomes(self) -> list[tuple[StepScript, ScriptedOutcome]]:
        """Scripted outcomes no step attempt took."""
        return self.simulation.outcomes.unused()

    def report(self) -> list[str]:
        """Human-readable lines: unused scripted outcomes and unanswered callbacks."""
        lines = []
        for script, outcome in self.unused_outcomes():
            verb = "succeeds" if outcome.succeed else f"fails({outcome.reason!r})"
            scope = f" for execution {script.execution}" if script.execution else ""
            lines.append(
                f"scripted outcome step({script.step_name!r}).{verb}{scope} was never used"
            )
        for token, run in self._waiting():
            lines.append(
                f"callback of step {run.name!r} in {run.execution.arn} "
                f"(token {token}) was never answered"
            )
        return lines
