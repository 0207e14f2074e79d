"""``mock_sagemaker_pipelines``: decorator and context manager; ``PipelinesMock``: the controller.

Usage (the same behaviour in every style)::

    with mock_sagemaker_pipelines() as pipelines:          # context manager
        ...
    @mock_sagemaker_pipelines                               # bare decorator (functions, classes,
    def test_x(pipelines): ...                              #  unittest.TestCase)
    @mock_sagemaker_pipelines(seed=7, durations={"Training": 60})
    def test_y(): ...

Entering starts moto's ``mock_aws`` (or joins one the user already started: moto counts nested
starts and only the outermost resets state), routes SageMaker to the plugin, and makes a
:class:`~mock_sagemaker_pipelines.engine.simulation.Simulation` current. Exiting, also on an
exception and also when nested, undoes exactly what was done, in reverse order.
"""

from __future__ import annotations

import functools
import inspect
import os
import threading
import time as _time
import unittest
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, overload

import botocore.waiter

from . import _moto
from .engine import simulation as simulation_module
from .engine.clock import check_seconds
from .engine.execution import Execution
from .engine.simulation import LambdaHandler, Simulation, SimulationOptions
from .outcomes import ScriptedOutcome, StepScript

T = TypeVar("T")

#: Name of the keyword argument through which a decorated test receives the controller.
CONTROLLER_ARGUMENT = "pipelines"

#: The modes of the exit report (unused scripted outcomes, unanswered callbacks).
REPORT_MODES = ("warn", "error", "off")

#: Environment variable holding the report mode of mocks created without ``report=``. The pytest
#: plugin sets it for its session from ``--sagemaker-pipelines-report`` or the
#: ``sagemaker_pipelines_report`` ini option; other test runners can set it themselves.
REPORT_ENV = "MOCK_SAGEMAKER_PIPELINES_REPORT"


def default_report() -> str:
    """The report mode of a mock created without ``report=``: :data:`REPORT_ENV`, else ``warn``.

    Raises ``ValueError`` if the variable holds anything but ``warn``, ``error`` or ``off``.
    """
    mode = os.environ.get(REPORT_ENV, "").strip().lower() or "warn"
    if mode not in REPORT_MODES:
        raise ValueError(f"{REPORT_ENV} must be 'warn', 'error' or 'off', not {mode!r}")
    return mode


def format_report(lines: list[str]) -> str:
    """The one-line message of an exit report (see :meth:`PipelinesMock.report`)."""
    return "mock_sagemaker_pipelines: " + "; ".join(lines)


@dataclass(frozen=True)
class PendingCallback:
    """A Callback step waiting for SendPipelineExecutionStepSuccess/Failure.

    ``arguments``: the step's Arguments with every expression resolved (the message's
    ``arguments``); ``stopping``: StopPipelineExecution was called and the Stopping message sent.
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

    def pending_callbacks(self) -> list[PendingCallback]:
        """Callback steps waiting for an answer, across accounts and regions."""
        pending: list[PendingCallback] = []
        for backend in self._backends():
            for token, run in backend.callbacks.items():
                if run.active and token not in backend.callback_answers:
                    pending.append(
                        PendingCallback(
                            pipeline_execution_arn=run.execution.arn,
                            step_name=run.name,
                            callback_token=token,
                            sqs_queue_url=run.state.get("queue_url", ""),
                            arguments=dict(run.arguments or {}),
                            stopping=run.execution.stop_requested,
                        )
                    )
        return pending

    def callback_token(self, step_name: str, execution_arn: str | None = None) -> str:
        """The token of the pending callback of ``step_name`` (the newest if several).

        Raises ``LookupError`` if no such callback is waiting.
        """
        matches = [
            p
            for p in self.pending_callbacks()
            if p.step_name == step_name
            and (execution_arn is None or p.pipeline_execution_arn == execution_arn)
        ]
        if not matches:
            raise LookupError(f"No Callback step named {step_name!r} is waiting for an answer.")
        return matches[-1].callback_token

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """Every SQS message Callback steps sent (QueueUrl, MessageId, Body as a dict, ...)."""
        return list(self.simulation.sent_messages)

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
        for pending in self.pending_callbacks():
            lines.append(
                f"callback of step {pending.step_name!r} in {pending.pipeline_execution_arn} "
                f"(token {pending.callback_token}) was never answered"
            )
        return lines


_REAL_SLEEP = _time.sleep


def _warped_sleep(seconds: float) -> None:
    """Sleep on the simulated clock of the active simulation (really sleep if none is active)."""
    sim = simulation_module.active()
    if sim is None:
        _REAL_SLEEP(seconds)
        return
    PipelinesMock(sim).advance(float(seconds))


class _WarpedTime:
    """Stands in for the ``time`` module inside ``botocore.waiter``: ``sleep`` advances the clock.

    Every other attribute is the real :mod:`time` module's.
    """

    def sleep(self, seconds: float) -> None:
        """Advance the simulated clock by ``seconds`` instead of sleeping."""
        _warped_sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(_time, name)


class _SharedPatch:
    """A patch shared by every running mock that asks for it, whatever order they stop in.

    The first :meth:`acquire` applies it and the last :meth:`release` restores the original, so
    that mocks stopped out of order never leave a patch behind (nor remove one still in use).
    """

    def __init__(self, target: Any, attribute: str, replacement: Any) -> None:
        self._target, self._attribute, self._replacement = target, attribute, replacement
        self._count = 0
        self._original: Any = None
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Apply the patch if nobody has yet; count one more user."""
        with self._lock:
            if self._count == 0:
                self._original = getattr(self._target, self._attribute)
                setattr(self._target, self._attribute, self._replacement)
            self._count += 1

    def release(self) -> None:
        """Count one user less; the last one restores the original."""
        with self._lock:
            if self._count == 0:
                return
            self._count -= 1
            if self._count == 0:
                setattr(self._target, self._attribute, self._original)
                self._original = None


_WAITER_PATCH = _SharedPatch(botocore.waiter, "time", _WarpedTime())
_SLEEP_PATCH = _SharedPatch(_time, "sleep", _warped_sleep)


class MockSageMakerPipelines:
    """The object behind ``mock_sagemaker_pipelines(...)``: decorator and context manager.

    Options: ``durations`` (step Type -> seconds), ``step_durations`` (step name -> seconds),
    ``seed``, ``start_time`` (UTC datetime), ``outcomes`` (step name -> ``"succeed"`` or
    ``"fail:REASON"``), ``auto_callbacks``, ``auto_lambdas``, ``emit_events``,
    ``max_concurrent_executions``, ``warp_waiters`` (default True: a botocore waiter's sleep
    advances the simulated clock), ``warp_sleep`` (default False: the same for ``time.sleep``),
    ``aws_config`` (passed to ``moto.mock_aws(config=...)``), ``report`` (``"warn"``, ``"error"``
    or ``"off"``: what to do at exit about unused outcomes and unanswered callbacks; default
    :func:`default_report`, i.e. ``"warn"`` or what the pytest plugin was told). Nothing is
    reported when the block or test exits with an exception.
    """

    def __init__(
        self,
        *,
        durations: dict[str, float] | None = None,
        step_durations: dict[str, float] | None = None,
        seed: int | None = None,
        start_time: datetime | None = None,
        outcomes: dict[str, str] | None = None,
        auto_callbacks: bool = False,
        auto_lambdas: bool = False,
        emit_events: bool = True,
        max_concurrent_executions: int | None = None,
        warp_waiters: bool = True,
        warp_sleep: bool = False,
        aws_config: dict[str, Any] | None = None,
        report: str | None = None,
    ) -> None:
        if report is not None and report not in REPORT_MODES:
            raise ValueError(f"report must be 'warn', 'error' or 'off', not {report!r}")
        self.options = SimulationOptions(
            durations=dict(durations or {}),
            step_durations=dict(step_durations or {}),
            seed=seed,
            start_time=start_time,
            auto_callbacks=auto_callbacks,
            auto_lambdas=auto_lambdas,
            emit_events=emit_events,
            max_concurrent_executions=max_concurrent_executions,
        )
        self.outcomes = dict(outcomes or {})
        self.warp_waiters = warp_waiters
        self.warp_sleep = warp_sleep
        self.aws_config = aws_config
        self.report = report
        self._stack: ExitStack | None = None
        self.controller: PipelinesMock | None = None
        #: True while this mock runs inside a simulation someone else started (an enclosing
        #: mock or a server): that owner reports, this one does not.
        self.joined = False

    # ---------------------------------------------------------- context manager
    def start(self) -> PipelinesMock:
        """Start (or join) the mocks; returns the controller."""
        if self._stack is not None:
            raise RuntimeError("this mock_sagemaker_pipelines is already started")
        stack = ExitStack()
        try:
            aws = _moto.mock_aws(config=self.aws_config) if self.aws_config else _moto.mock_aws()
            aws.start()
            stack.callback(aws.stop)
            _moto.activate()
            stack.callback(_moto.deactivate)
            joined = simulation_module.active()
            if joined is None:
                sim = Simulation(self.options)
                simulation_module.push(sim)
                stack.callback(simulation_module.pop, sim)
            else:
                sim = joined
            self.joined = joined is not None
            controller = PipelinesMock(sim)
            for step_name, outcome in self.outcomes.items():
                apply_outcome_spec(controller, step_name, outcome)
            if self.warp_waiters:
                _WAITER_PATCH.acquire()
                stack.callback(_WAITER_PATCH.release)
            if self.warp_sleep:
                _SLEEP_PATCH.acquire()
                stack.callback(_SLEEP_PATCH.release)
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        self.controller = controller
        return controller

    def stop(self, report: bool = True) -> None:
        """Undo everything :meth:`start` did (safe to call twice).

        Then, unless ``report`` is false or the mode is ``"off"``, report unused scripted
        outcomes and unanswered callbacks: an :class:`UnusedOutcomesWarning` (``"warn"``) or an
        ``AssertionError`` (``"error"``), raised after everything was undone.
        """
        stack, self._stack = self._stack, None
        controller, self.controller = self.controller, None
        if stack is None:
            return
        lines: list[str] = []
        try:
            mode = self.report or default_report()
            if controller is not None and report and mode != "off" and not self.joined:
                lines = controller.report()
        finally:
            stack.close()
        if lines:
            if mode == "error":
                raise AssertionError(format_report(lines))
            warnings.warn(format_report(lines), UnusedOutcomesWarning, stacklevel=3)

    def __enter__(self) -> PipelinesMock:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.stop(report=exc_type is None)

    # ---------------------------------------------------------------- decorator
    def __call__(self, target: T) -> T:
        if inspect.isclass(target):
            return self._decorate_class(target)  # type: ignore[return-value]
        if callable(target):
            return self._decorate_callable(target)  # type: ignore[return-value]
        raise TypeError(f"mock_sagemaker_pipelines cannot decorate {target!r}")

    def _copy(self) -> MockSageMakerPipelines:
        clone = MockSageMakerPipelines.__new__(MockSageMakerPipelines)
        clone.__dict__.update(self.__dict__)
        clone.options = SimulationOptions(**{**self.options.__dict__})
        clone.options.durations = dict(self.options.durations)
        clone.options.step_durations = dict(self.options.step_durations)
        clone._stack = None
        clone.joined = False
        clone.controller = None
        return clone

    def _decorate_callable(self, func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func)
        wants_controller = CONTROLLER_ARGUMENT in signature.parameters

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self._copy() as controller:
                    if wants_controller:
                        kwargs[CONTROLLER_ARGUMENT] = controller
                    return await func(*args, **kwargs)

            wrapper: Callable[..., Any] = async_wrapper
        else:

            @functools.wraps(func)
            def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self._copy() as controller:
                    if wants_controller:
                        kwargs[CONTROLLER_ARGUMENT] = controller
                    return func(*args, **kwargs)

            wrapper = sync_wrapper
        if wants_controller:
            params = [p for n, p in signature.parameters.items() if n != CONTROLLER_ARGUMENT]
            wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        return wrapper

    def _decorate_class(self, cls: type) -> type:
        if issubclass(cls, unittest.TestCase):
            original_setup = cls.setUp

            def setUp(test: unittest.TestCase) -> None:
                mocker = self._copy()
                test.sagemaker_pipelines = mocker.start()  # type: ignore[attr-defined]
                test.addCleanup(mocker.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[method-assign]
            return cls
        for name, member in list(vars(cls).items()):
            if name.startswith("test") and inspect.isfunction(member):
                setattr(cls, name, self._decorate_callable(member))
        return cls


def apply_outcome_spec(controller: PipelinesMock, step_name: str, spec: str) -> None:
    """Script a step from a short text: ``succeed``, ``succeed:SECONDS``, ``fail:REASON``.

    Raises ``ValueError`` for anything else.
    """
    text = str(spec).strip()
    if text == "succeed" or text == "success":
        controller.step(step_name).succeeds()
    elif text.startswith("succeed:"):
        controller.step(step_name).succeeds(after=float(text.split(":", 1)[1]))
    elif text == "fail" or text.startswith("fail:"):
        reason = (
            text.split(":", 1)[1] if ":" in text else "ClientError: The step failed (scripted)."
        )
        controller.step(step_name).fails(reason or "ClientError: The step failed (scripted).")
    else:
        raise ValueError(
            f"outcome for step {step_name!r} must be succeed or fail:REASON, not {spec!r}"
        )


@overload
def mock_sagemaker_pipelines(func: T, /) -> T: ...
@overload
def mock_sagemaker_pipelines(func: None = None, /, **options: Any) -> MockSageMakerPipelines: ...
def mock_sagemaker_pipelines(func: Any = None, /, **options: Any) -> Any:
    """Mock SageMaker Pipelines (and AWS, through moto) for a block, a function or a class.

    Bare (``@mock_sagemaker_pipelines``), with options (``@mock_sagemaker_pipelines(seed=1)``) or
    as a context manager (``with mock_sagemaker_pipelines() as pipelines:``), which yields the
    :class:`PipelinesMock` controller. A decorated function that takes a ``pipelines`` argument
    receives the controller there; a decorated ``unittest.TestCase`` gets it as
    ``self.sagemaker_pipelines``. Options: see :class:`MockSageMakerPipelines`.
    """
    if func is not None:
        if options:
            raise TypeError("pass options as keywords: mock_sagemaker_pipelines(seed=1)")
        return MockSageMakerPipelines()(func)
    return MockSageMakerPipelines(**options)
