"""Scenario 3 (optional): the SageMaker SDK example suite (``examples/sdk_suite``) under pytest.

Reports its wall time, the part spent in the mock and in warped sleeps, and the simulated time
its mocks covered.
"""

from __future__ import annotations

import os
import time
from typing import Any

from ..common import ROOT, SDK_SUITE


def sdk_suite_child() -> dict[str, Any]:
    """Run ``examples/sdk_suite`` with pytest in this process; wall and simulated time.

    Every :class:`Simulation` created during the run is remembered and its clock's elapsed
    simulated seconds summed; every warped waiter sleep is counted, and the wall time spent in
    the mock (every request moto's botocore stubber serves, plugin or moto) is summed.
    """
    import pytest
    from moto.core.botocore_stubber import BotocoreStubber

    from mock_sagemaker_pipelines import mock as mock_module
    from mock_sagemaker_pipelines.engine import simulation as simulation_module

    simulations: list[Any] = []
    sleeps: list[float] = []
    in_mock = [0.0, 0.0]  # seconds serving requests, seconds advancing the clock in sleeps
    original_init = simulation_module.Simulation.__init__
    original_sleep = mock_module._WarpedTime.sleep
    original_stub = BotocoreStubber.__call__

    def recording_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        simulations.append(self)

    def recording_sleep(self: Any, seconds: float) -> None:
        sleeps.append(float(seconds))
        t0 = time.perf_counter()
        try:
            original_sleep(self, seconds)
        finally:
            in_mock[1] += time.perf_counter() - t0

    def timed_stub(self: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original_stub(self, *args, **kwargs)
        finally:
            in_mock[0] += time.perf_counter() - t0

    class Outcomes:
        """Counts test outcomes (call phase, plus setup errors and skips)."""

        def __init__(self) -> None:
            self.counts: dict[str, int] = {}
            self.in_tests = 0.0  # setup + call + teardown, as pytest measures them
            self.collected_at: float | None = None

        def pytest_collection_finish(self, session: Any) -> None:
            self.collected_at = time.perf_counter()

        def pytest_runtest_logreport(self, report: Any) -> None:
            self.in_tests += float(report.duration)
            if report.when == "call" or (report.when == "setup" and not report.passed):
                self.counts[report.outcome] = self.counts.get(report.outcome, 0) + 1

    simulation_module.Simulation.__init__ = recording_init  # type: ignore[method-assign]
    mock_module._WarpedTime.sleep = recording_sleep  # type: ignore[method-assign]
    BotocoreStubber.__call__ = timed_stub  # type: ignore[method-assign]
    outcomes = Outcomes()
    os.chdir(ROOT)
    t0 = time.perf_counter()
    try:
        exit_code = pytest.main(
            [str(SDK_SUITE), "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-x"],
            plugins=[outcomes],
        )
    finally:
        simulation_module.Simulation.__init__ = original_init  # type: ignore[method-assign]
        mock_module._WarpedTime.sleep = original_sleep  # type: ignore[method-assign]
        BotocoreStubber.__call__ = original_stub  # type: ignore[method-assign]
    wall = time.perf_counter() - t0
    return {
        "exit_code": int(exit_code),
        "wall_seconds": wall,
        "tests": outcomes.counts,
        "startup_and_collection_seconds": (
            outcomes.collected_at - t0 if outcomes.collected_at is not None else None
        ),
        "in_tests_seconds": outcomes.in_tests,
        "in_mock_requests_seconds": in_mock[0],
        "in_warped_sleeps_seconds": in_mock[1],
        "simulations": len(simulations),
        "simulated_seconds": sum(s.clock.elapsed() for s in simulations),
        "warped_waiter_sleeps": len(sleeps),
        "warped_waiter_seconds": sum(sleeps),
    }
