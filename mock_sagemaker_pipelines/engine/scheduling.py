"""Which steps of an execution wait on which, and which are ready to start.

Spec section 9.1 (``shared/spec/sagemaker-pipelines-semantics.md``): a step starts when every
step it depends on (``DependsOn`` and data references) has ended as the dependency asks, in
definition order (ties are broken by the step's position in the definition), at most
``MaxParallelExecutionSteps`` at a time (the execution applies the limit).

Each dependency is an edge ``(upstream, trigger)``. A trigger names the upstream statuses that
release the edge (:data:`TRIGGER_STATUSES`, the SDK 3.x ``TriggerCondition`` run conditions); a
definition's plain step name is the ``Completed`` trigger (the upstream step ``Succeeded``). An
edge whose upstream ended otherwise is never released, so its step never starts. The steps of a
Condition step's branch also wait for the Condition's outcome: the branch not taken is never
released.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..definition import StepGraph

if TYPE_CHECKING:
    from .run import StepRun

#: Upstream end statuses that release a dependency, per trigger.
TRIGGER_STATUSES: dict[str, frozenset[str]] = {
    "Completed": frozenset({"Succeeded"}),
    "Failed": frozenset({"Failed"}),
    "Stopped": frozenset({"Stopped"}),
    "Any": frozenset({"Succeeded", "Failed", "Stopped"}),
}


def _never_released(graph: StepGraph) -> int:
    """A pending count no release can bring to zero (the untaken Condition branch)."""
    return len(graph.steps) + 1


class DependencyGraph:
    """The pending dependencies of every step of one execution and the heap of ready steps.

    ``pending``: step name -> dependencies not yet released; ``ready``: ``(definition order,
    name)`` of steps whose dependencies are all released and that have not started. The edges
    are the pipeline version's (:meth:`StepGraph.dependants` and :meth:`StepDef.trigger_of`),
    shared by all of its executions; an execution keeps only its counts and its heap.
    """

    def __init__(self, graph: StepGraph) -> None:
        self.graph = graph
        self.pending: dict[str, int] = {}
        self.ready: list[tuple[int, str]] = []
        for name, step in graph.steps.items():
            count = sum(1 for d in step.dependencies if d in graph.steps)
            self.pending[name] = count
            if not count:
                heapq.heappush(self.ready, (step.order, name))

    def release(self, upstream: str, status: str, outcome: object = None) -> list[str]:
        """``upstream`` ended with ``status`` (a Condition's ``outcome``): release what it frees.

        Returns the steps this made ready.
        """
        freed: list[str] = []
        for name in self.graph.dependants(upstream):
            child = self.graph.steps[name]
            if status not in TRIGGER_STATUSES.get(child.trigger_of(upstream), ()):
                continue
            if child.parent == upstream and child.branch != ("if" if outcome else "else"):
                continue
            self.pending[name] -= 1
            if self.pending[name] == 0:
                heapq.heappush(self.ready, (child.order, name))
                freed.append(name)
        return freed

    def push(self, name: str) -> None:
        """Put ``name`` back among the ready steps."""
        heapq.heappush(self.ready, (self.graph.steps[name].order, name))

    def pop_ready(self) -> str:
        """The next ready step (the first in definition order)."""
        return heapq.heappop(self.ready)[1]

    def recompute(self, runs: Mapping[str, StepRun], not_started: Iterable[str]) -> None:
        """Pending counts and the ready heap again, for the steps in ``not_started``.

        Used by RetryPipelineExecution: a dependency counts as released when its upstream run
        ended with a status the trigger accepts (and, for a branch, the branch was taken).
        """
        self.ready = []
        for name in not_started:
            step = self.graph.steps[name]
            pending = 0
            for dep in step.dependencies:
                upstream = runs.get(dep)
                if upstream is None:
                    continue
                if upstream.status not in TRIGGER_STATUSES[step.trigger_of(dep)]:
                    pending += 1
                elif step.parent == dep and step.branch != (
                    "if" if upstream.state.get("outcome") else "else"
                ):
                    pending += _never_released(self.graph)
            self.pending[name] = pending
            if pending == 0:
                heapq.heappush(self.ready, (step.order, name))
