"""Server mode's speed: the simulated clock moving at N simulated seconds per wall second.

``mock-sagemaker-pipelines server --speed N`` (or ``POST /moto-api/sagemaker-pipelines/speed
{"speed": N}``) lets a client that polls with real sleeps (a JavaScript or Java application
under test, an Airflow sensor, a shell loop around the AWS CLI) see executions progress without
driving the clock itself. Speed 0, the default, keeps the manual clock: it moves only through
the control endpoints. The wall clock is read with :func:`time.monotonic`; the engine itself
still never reads it (``shared/DESIGN.md`` principle 3: "or, in server mode, optionally at a
chosen speed of real time").
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

__all__ = ["MAX_SPEED", "RealTimeClock", "check_speed"]

logger = logging.getLogger(__name__)

#: The fastest speed accepted: one simulated day per wall second is 86,400.
MAX_SPEED = 1_000_000.0


def check_speed(value: object, what: str = "speed") -> float:
    """``value`` as a speed (simulated seconds per wall second, 0 to :data:`MAX_SPEED`).

    Raises ``ValueError`` naming ``what`` and the limits for anything else (a bool, a string,
    NaN, a negative or too large number).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number of simulated seconds per second, not {value!r}")
    speed = float(value)
    if not math.isfinite(speed) or not 0 <= speed <= MAX_SPEED:
        raise ValueError(f"{what} must be between 0 and {MAX_SPEED:,.0f}, not {value!r}")
    return speed


class RealTimeClock:
    """A daemon thread that calls ``advance(seconds)`` every ``interval`` wall seconds with the
    wall time elapsed since the last call times :attr:`speed`.

    ``advance`` moves the simulation (the server passes one that takes the simulation lock, so
    each tick waits for a request in progress and the other way round). If it raises (the clock
    would pass its end, 9999-12-30), the speed drops to 0 and the error is logged.
    """

    def __init__(
        self, advance: Callable[[float], None], speed: float = 0.0, interval: float = 0.05
    ) -> None:
        self._advance = advance
        self._speed = check_speed(speed)
        self.interval = interval
        self._changed = threading.Lock()
        self._last = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def speed(self) -> float:
        """Simulated seconds per wall second (0: the clock moves only when told)."""
        return self._speed

    def set_speed(self, value: object) -> float:
        """Change the speed from now on (``ValueError`` as :func:`check_speed`); returns it."""
        speed = check_speed(value)
        with self._changed:
            self._tick_locked()
            self._speed = speed
        return speed

    def start(self) -> None:
        """Start ticking (again after :meth:`stop`; a second call while ticking does nothing)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._last = time.monotonic()
        self._thread = threading.Thread(
            target=self._run, name="mock-sagemaker-pipelines-clock", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop ticking and wait for the thread (safe to call twice)."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with self._changed:
                self._tick_locked()

    def _tick_locked(self) -> None:
        now = time.monotonic()
        elapsed, self._last = now - self._last, now
        if self._speed <= 0 or elapsed <= 0:
            return
        try:
            self._advance(elapsed * self._speed)
        except Exception:
            logger.exception("the simulated clock cannot move on; speed set to 0")
            self._speed = 0.0
