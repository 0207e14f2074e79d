"""The simulation: one clock, one scheduler, the options and the scripts shared by every backend.

A :class:`Simulation` lives as long as the outermost ``mock_sagemaker_pipelines`` (or the HTTP
server). Pipeline state itself lives in the per-account/region backends
(:mod:`mock_sagemaker_pipelines.backend`); executions schedule their events here, so that one
``advance()`` moves every execution in every account and region.
"""

from __future__ import annotations

import random
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..outcomes import OutcomeRegistry
from .clock import Scheduler, SimulatedClock, check_seconds

if TYPE_CHECKING:
    from .steps.callback import SentMessage


#: Simulated seconds a step of each type spends ``Executing`` unless a script or option says
#: otherwise. Job steps take minutes, as their jobs do; Condition, Fail, Model and RegisterModel
#: are quick (the Developer Guide's example shows a Condition step finishing in under a second).
DEFAULT_DURATIONS: dict[str, float] = {
    "Processing": 300.0,
    "Training": 900.0,
    "Transform": 300.0,
    "Tuning": 3600.0,
    "AutoML": 3600.0,
    "Model": 2.0,
    "RegisterModel": 2.0,
    "QualityCheck": 300.0,
    "ClarifyCheck": 300.0,
    "EMR": 600.0,
    "EndpointConfig": 2.0,
    "Endpoint": 300.0,
    "InferenceComponent": 300.0,
    "Lineage": 2.0,
    "Condition": 1.0,
    "Fail": 1.0,
    "Lambda": 10.0,
    "Callback": 60.0,
}
#: Duration of any step type not in :data:`DEFAULT_DURATIONS`.
OTHER_STEP_DURATION = 60.0
#: Simulated seconds a step spends ``Starting`` before ``Executing`` (0 for Condition and Fail).
STARTING_SECONDS = 1.0
#: Simulated seconds a job step spends ``Stopping`` after StopPipelineExecution.
STOPPING_SECONDS = 2.0
#: The service's cap on a Lambda step's run time (spec section 7: 10 minutes).
LAMBDA_TIMEOUT_SECONDS = 600.0

LambdaHandler = Callable[[Any, Any], Any]


@dataclass
class SimulationOptions:
    """Options of a simulation (the same for the decorator, the fixture marker and the CLI).

    ``durations``: step Type -> simulated seconds ``Executing`` (merged over
    :data:`DEFAULT_DURATIONS`). ``step_durations``: step name -> seconds (wins over the type).
    ``seed``: makes execution ids, callback tokens and job names reproducible.
    ``start_time``: the clock's starting time (UTC; default: the real time at start).
    ``auto_callbacks`` / ``auto_lambdas``: answer Callback steps, and run Lambda steps without a
    handler, with typed placeholder outputs after their default duration (the ``simulate``
    command's default). ``emit_events``: put status-change events on moto's EventBridge.
    ``max_concurrent_executions``: the account quota (20 per the Developer Guide); ``None``
    disables the check. ``max_pipelines``: 500 per account and region.
    ``lenient_definitions``: CreatePipeline/UpdatePipeline accept an unknown step ``Type`` or an
    unknown key in a definition with a :class:`DefinitionWarning` instead of refusing it (for
    definitions ahead of this release).
    """

    durations: dict[str, float] = field(default_factory=dict)
    step_durations: dict[str, float] = field(default_factory=dict)
    seed: int | None = None
    start_time: datetime | None = None
    auto_callbacks: bool = False
    auto_lambdas: bool = False
    emit_events: bool = True
    max_concurrent_executions: int | None = None
    max_pipelines: int | None = 500
    lenient_definitions: bool = False

    def __post_init__(self) -> None:
        """Range-check every option (``ValueError`` naming the option and its limit)."""
        for table, what in ((self.durations, "durations"), (self.step_durations, "step_durations")):
            if not isinstance(table, dict):
                raise ValueError(f"{what} must be a dict of simulated seconds, not {table!r}")
            for key, value in table.items():
                table[key] = check_seconds(value, f"{what}[{key!r}]")
        if self.start_time is not None and not isinstance(self.start_time, datetime):
            raise ValueError(
                f"start_time must be a datetime (UTC) or None, not {self.start_time!r}"
            )
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int)
        ):
            raise ValueError(f"seed must be a whole number or None, not {self.seed!r}")
        _check_count(self.max_concurrent_executions, "max_concurrent_executions", 1)
        _check_count(self.max_pipelines, "max_pipelines", 0)

    def duration_of(self, step_type: str, step_name: str) -> float:
        """Simulated seconds a step of this type and name runs by default."""
        if step_name in self.step_durations:
            return float(self.step_durations[step_name])
        if step_type in self.durations:
            return float(self.durations[step_type])
        return DEFAULT_DURATIONS.get(step_type, OTHER_STEP_DURATION)


def _check_count(value: object, what: str, least: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(
            f"{what} must be a whole number of at least {least} or None, not {value!r}"
        )


class DefinitionWarning(UserWarning):
    """An unknown step Type or key that ``lenient_definitions`` let through."""


class Simulation:
    """Clock, scheduler, options, step scripts and Lambda handlers of one mock session."""

    def __init__(self, options: SimulationOptions | None = None) -> None:
        self.options = options or SimulationOptions()
        self.clock = SimulatedClock(self.options.start_time)
        self.scheduler = Scheduler(self.clock)
        self.outcomes = OutcomeRegistry()
        self.lambda_handlers: dict[str, tuple[LambdaHandler, float | None]] = {}
        #: Step name -> (job handler, declared duration); see ``engine/job_handlers.py``.
        self.job_handlers: dict[str, tuple[Callable[..., Any], float | None]] = {}
        #: The server's URL in server mode (job handlers' clients point at it), else None.
        self.endpoint_url: str | None = None
        self.rng = random.Random(self.options.seed)
        self.lock = threading.RLock()
        #: While a registered Lambda handler runs: the (warped) sleeps it makes, in seconds.
        self.sleep_sink: list[float] | None = None
        #: Every SQS message a Callback step sent, in order.
        self.sent_messages: list[SentMessage] = []

    def random_id(self, length: int, alphabet: str = string.ascii_lowercase + string.digits) -> str:
        """A random string from the seeded generator (execution ids, job-name suffixes)."""
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def callback_token(self) -> str:
        """A 10-character ``[a-zA-Z0-9]`` token (the ``CallbackToken`` shape)."""
        return self.random_id(10, string.ascii_letters + string.digits)


_stack: list[Simulation] = []
_stack_lock = threading.RLock()


def push(simulation: Simulation) -> None:
    """Make ``simulation`` the current one (the outermost mock or the server does this)."""
    with _stack_lock:
        _stack.append(simulation)


def pop(simulation: Simulation) -> None:
    """Forget ``simulation`` (on exit of the mock that pushed it)."""
    with _stack_lock:
        if simulation in _stack:
            _stack.remove(simulation)


def current() -> Simulation:
    """The active simulation; one is created on demand when the plugin runs without a controller."""
    with _stack_lock:
        if not _stack:
            _stack.append(Simulation())
        return _stack[-1]


def active() -> Simulation | None:
    """The active simulation, or ``None`` when no mock is running."""
    with _stack_lock:
        return _stack[-1] if _stack else None
