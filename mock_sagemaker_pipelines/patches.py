"""Sleep warping: a botocore waiter's sleep (and, on request, ``time.sleep``) moves the simulated clock.

The patches are shared by every running mock that asks for them and undone by the last one to
stop, whatever order the mocks stop in, so that no patch outlives its mock.
"""

from __future__ import annotations

import threading
import time as _time
from typing import Any

import botocore.waiter

from .controller import PipelinesMock
from .engine import simulation as simulation_module

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


WAITER_PATCH = _SharedPatch(botocore.waiter, "time", _WarpedTime())
SLEEP_PATCH = _SharedPatch(_time, "sleep", _warped_sleep)
