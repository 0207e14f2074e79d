"""Selective execution (``SelectiveExecutionConfig``): only the selected steps run.

Sources (``docs/behaviour.md``, "Selective execution"):

* DG "Selective execution of pipeline steps"
  (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-selective-ex.html): "For non-selected
  steps in your workflow, selective execution reuses the outputs from the reference pipeline
  execution rather than rerunning the steps. Additionally, non-selected steps that are
  downstream from selected steps do not run in a selective execution."
* The SDK's integration helper (``tests/integ/sagemaker/workflow/helpers.py@v2.257.6``): the
  step list of a selective run is as long as the full run's, and every entry that was not
  selected carries ``SelectiveExecutionResult.SourcePipelineExecutionArn``.

A :class:`SelectivePlan` is made by the backend once the request passed its checks
(``backend/selective.py``). The reused steps are the steps not selected and not downstream of a
selected step that succeeded in the source execution; each is listed with the source run's
status, times, attempt count, metadata, properties and outputs (so ``Get``s of its properties
resolve), and releases its dependants as if it had just ended. The status shown for a reused
step is the source run's (always ``Succeeded`` here) **[U]**.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..definition import StepGraph

if TYPE_CHECKING:
    from .execution import Execution
    from .run import StepRun


@dataclass(frozen=True)
class SelectivePlan:
    """``selected``: the steps that run; ``source``: the reference execution (or None);
    ``reused``: the steps listed from the source, in definition order."""

    selected: frozenset[str]
    source: Execution | None
    reused: tuple[str, ...]

    @classmethod
    def make(
        cls, graph: StepGraph, selected: frozenset[str], source: Execution | None
    ) -> SelectivePlan:
        """The plan for ``selected`` steps of ``graph`` with reference execution ``source``."""
        if source is None:
            return cls(selected, None, ())
        downstream: set[str] = set()
        for name in selected:
            downstream |= graph.downstream(name)
        reused = tuple(
            name
            for name in graph.steps
            if name not in selected
            and name not in downstream
            and name in source.runs
            and source.runs[name].status == "Succeeded"
        )
        return cls(selected, source, reused)

    def reused_runs(self, execution: Execution) -> list[StepRun]:
        """The runs of ``execution`` for the reused steps, filled from the source's runs."""
        if self.source is None:
            return []
        runs = []
        for name in self.reused:
            source = self.source.runs[name]
            run = execution.runs[name]
            run.status = source.status
            run.start_time = source.start_time
            run.end_time = source.end_time
            run.attempt = source.attempt
            run.metadata = dict(source.metadata)
            run.properties = source.properties
            run.outputs = dict(source.outputs)
            run.property_files = dict(source.property_files)
            run.arguments = source.arguments
            if "outcome" in source.state:
                run.state["outcome"] = source.state["outcome"]
            run.selective_source = self.source.arn
            runs.append(run)
        return runs

    def may_run(self, name: str) -> bool:
        """Whether step ``name`` is one of the selected steps."""
        return name in self.selected
