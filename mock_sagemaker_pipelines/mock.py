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
exception and also when nested, undoes exactly what was done, in reverse order. When the user's
``mock_aws`` keeps running after the last plugin block exits, the pipelines and executions are
handed to moto's own SageMaker backend (:mod:`mock_sagemaker_pipelines.backend.handover`), so
that moto's pipeline actions still show them.
"""

from __future__ import annotations

import functools
import inspect
import os
import unittest
import warnings
from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime
from typing import Any, TypeVar, cast, overload

from . import _moto
from .backend.handover import hand_over_to_moto
from .controller import PendingCallback, PipelinesMock, UnusedOutcomesWarning, format_report
from .engine import simulation as simulation_module
from .engine.simulation import Simulation, SimulationOptions
from .patches import SLEEP_PATCH, WAITER_PATCH
from .responses import PipelinesResponse

__all__ = [
    "CONTROLLER_ARGUMENT",
    "REPORT_ENV",
    "REPORT_MODES",
    "MockSageMakerPipelines",
    "PendingCallback",
    "PipelinesMock",
    "UnusedOutcomesWarning",
    "apply_outcome_spec",
    "default_report",
    "format_report",
    "mock_sagemaker_pipelines",
]

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


class MockSageMakerPipelines:
    """The object behind ``mock_sagemaker_pipelines(...)``: decorator and context manager.

    Options: ``durations`` (step Type -> seconds), ``step_durations`` (step name -> seconds),
    ``seed``, ``start_time`` (UTC datetime), ``outcomes`` (step name -> ``"succeed"`` or
    ``"fail:REASON"``), ``auto_callbacks``, ``auto_lambdas``, ``emit_events``,
    ``max_concurrent_executions``, ``max_pipelines`` (default 500 per account and region, the
    service's quota; ``None`` lifts it), ``lenient_definitions`` (default False: unknown step types
    and definition keys are refused as the service refuses them; True warns instead),
    ``warp_waiters`` (default True: a botocore waiter's sleep
    advances the simulated clock), ``warp_sleep`` (default False: the same for ``time.sleep``),
    ``aws_config`` (passed to ``moto.mock_aws(config=...)``), ``report`` (``"warn"``, ``"error"``
    or ``"off"``: what to do at exit about unused outcomes and unanswered callbacks; default
    :func:`default_report`, i.e. ``"warn"`` or what the pytest plugin was told). When the block
    or test exits with an exception, the report is a note on that exception instead (Python
    3.11+, shown under its traceback).
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
        max_pipelines: int | None = 500,
        lenient_definitions: bool = False,
        warp_waiters: bool = True,
        warp_sleep: bool = False,
        aws_config: dict[str, Any] | None = None,
        report: str | None = None,
    ) -> None:
        if report is not None and report not in REPORT_MODES:
            raise ValueError(f"report must be 'warn', 'error' or 'off', not {report!r}")
        self.options = SimulationOptions(
            durations=durations.copy() if isinstance(durations, dict) else durations or {},
            step_durations=(
                step_durations.copy() if isinstance(step_durations, dict) else step_durations or {}
            ),
            seed=seed,
            start_time=start_time,
            auto_callbacks=auto_callbacks,
            auto_lambdas=auto_lambdas,
            emit_events=emit_events,
            max_concurrent_executions=max_concurrent_executions,
            max_pipelines=max_pipelines,
            lenient_definitions=lenient_definitions,
        )
        if outcomes is not None and not isinstance(outcomes, dict):
            raise ValueError(f"outcomes must map step names to outcomes, not {outcomes!r}")
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
            aws = (
                _moto.mock_aws(config=cast(Any, self.aws_config))
                if self.aws_config
                else _moto.mock_aws()
            )
            aws.start()
            stack.callback(aws.stop)
            _moto.activate(PipelinesResponse.dispatch)
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
                WAITER_PATCH.activate()
                stack.callback(WAITER_PATCH.deactivate)
            if self.warp_sleep:
                SLEEP_PATCH.activate()
                stack.callback(SLEEP_PATCH.deactivate)
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
            if _moto.mock_aws_is_running() and not _moto.is_active():
                hand_over_to_moto()  # the user's mock_aws runs on: moto shows the pipelines
        if lines:
            if mode == "error":
                raise AssertionError(format_report(lines))
            warnings.warn(format_report(lines), UnusedOutcomesWarning, stacklevel=3)

    def __enter__(self) -> PipelinesMock:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, *_: object
    ) -> None:
        if exc is not None and hasattr(exc, "add_note"):  # Python 3.11+: show it with the error
            mode = self.report or default_report()
            if self.controller is not None and mode != "off" and not self.joined:
                lines = self.controller.report()
                if lines:
                    exc.add_note(format_report(lines))
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

            cls.setUp = setUp  # type: ignore[method-assign, assignment]
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
            f"outcome for step {step_name!r} must be succeed, succeed:SECONDS, fail or "
            f"fail:REASON, not {spec!r}"
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
