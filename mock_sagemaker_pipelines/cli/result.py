"""``SimulationResult``: what one ``simulate`` run produced, as the AWS API reports it.

Written by :mod:`.simulate`, read by :mod:`.render` (the table and JSON) and :mod:`.html` (the
page): execution and step shapes as DescribePipelineExecution and ListPipelineExecutionSteps
return them, simulated UTC datetimes, and offsets in simulated seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class SimulationResult:
    """What a simulation produced, as the AWS API reports it."""

    execution: dict[str, Any]
    steps: list[dict[str, Any]]
    now: datetime
    waiting: list[str]
    notes: list[str]
    #: Simulated seconds after the start at which StopPipelineExecution was sent (None: not sent).
    stop_sent: float | None = None
    #: Step name -> ``{"Attempts": [...], "Arguments": ..., "Outputs": {...}, "Properties": {...}}``
    #: of every started step, read from the engine (``StepRun.attempts``, the resolved Arguments,
    #: typed outputs, the properties downstream ``Steps.X`` expressions read).
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
