"""Sleep warping: a botocore waiter's sleep (and, on request, ``time.sleep``) moves the simulated clock.

The patches are shared by every running mock that asks for them and undone by the last one to
stop, whatever order the mocks stop in, so that no patch outlives its mock.
"""

from __future__ import annotations

import time as _time
from typing import Any

import botocore.waiter

from ._moto.shared_patches import SharedPatch
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


WAITER_PATCH = SharedPatch(((botocore.waiter, "time"),), lambda _: (_WarpedTime(),))
SLEEP_PATCH = SharedPatch(((_time, "sleep"),), lambda _: (_warped_sleep,))
