"""ForEach steps (SDK 3.x ``ForEachStep``; botocore 1.44 ``ForEachStepMetadata`` and
``IterationContext``): the body runs once per item as child steps.

* ``IterableItems`` is resolved when the step enters ``Executing``: a literal array (each
  element resolved), or one expression yielding a JSON list string (or a list); anything else
  fails the step with a ``ClientError`` reason.
* Child steps are named ``<Body>-<index>`` (``ForEachStep`` docstring) and listed by
  ListPipelineExecutionSteps with ``IterationContext`` ``{ParentStepName, Index, Item}``; in a
  child, ``ForEach.CurrentItem`` is the item and ``Steps.<OtherBodyStep>`` the same
  iteration's child. At most ``MaxConcurrency`` child steps run at a time ("the maximum
  number of child steps that run concurrently"), started in item order.
* A failed child: children already running finish, no new child starts, and the ForEach
  step fails [U]. StopPipelineExecution: running children follow their own kind's stop rule,
  none starts, and the ForEach step ends ``Stopped`` once they have ended.
* ``Metadata.ForEach``: ``InputItemCount``, ``TotalStepCount`` (children started so far),
  ``Succeeded/Failed/StoppedStepCount``, ``Status`` once ended and ``Selector`` ``{StepName,
  Index}`` of the picked child. Properties for downstream steps: ``Status``, the counts,
  ``IterationOutputs[i].<Body>.<member>`` and ``Selected.<member>``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from ...definition import ExpressionError, StepDef, evaluate, render_value, resolve_path
from .base import StepKind

if TYPE_CHECKING:
    from ..run import StepRun

#: Most items one ForEach step runs: a guard of the simulator's own (the service documents
#: 100 literal items and no limit for an expression's list), so that no input runs for ever.
MAX_ITEMS = 1000

#: FailureReason of a ForEach step one of whose child steps failed [U: wording ours].
CHILD_FAILURE_REASON = "Step failure: One or multiple iteration steps failed."


def item_text(item: Any) -> str:
    """``IterationContext.Item``: a string item as it is, anything else as JSON."""
    if isinstance(item, str):
        return item
    if item is None or isinstance(item, (dict, list)):
        return json.dumps(item, separators=(",", ":"))
    return render_value(item)


def child_properties(child: StepRun) -> dict[str, Any]:
    """What ``IterationOutputs[i].<Body>`` and ``Selected`` expose of one child step."""
    props = dict(child.properties)
    if child.outputs:
        props["OutputParameters"] = dict(child.outputs)
    return props


class ForEachStep(StepKind):
    """Runs its ForEachBody once per item, at most MaxConcurrency child steps at a time."""

    def resolve_arguments(self, run: StepRun) -> Any:
        """Only ``IterableItems`` is resolved here; body steps resolve their own arguments."""
        return None

    def executing(self, run: StepRun) -> None:
        spec = run.step.for_each
        assert spec is not None
        items = self._items(run, evaluate(spec.items, run.execution.context_for(run)))
        run.arguments = {"IterableItems": items, "MaxConcurrency": spec.max_concurrency}
        run.state.update(
            items=items,
            open=[],  # iterations with a child started and a body step not yet started
            next_new=0,  # the first iteration no child of which has started
            iterations=[{} for _ in items],
            running=0,
            failed=False,
            stopping=False,
        )
        self._update_metadata(run)
        self._start_children(run)
        self._maybe_end(run)

    @staticmethod
    def _items(run: StepRun, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = None
        if not isinstance(value, list):
            raise ExpressionError(
                f"ClientError: IterableItems of ForEach step '{run.name}' must resolve to a "
                "JSON list."
            )
        if len(value) > MAX_ITEMS:
            raise ExpressionError(
                f"ClientError: IterableItems of ForEach step '{run.name}' resolved to "
                f"{len(value)} items; at most {MAX_ITEMS} are run (a guard of the simulator)."
            )
        return value

    # -------------------------------------------------------------- children
    def _start_children(self, run: StepRun) -> None:
        spec = run.step.for_each
        assert spec is not None
        state = run.state
        while (
            not state["failed"]
            and not state["stopping"]
            and not run.execution.stop_requested
            and state["running"] < spec.max_concurrency
        ):
            ready = self._next_ready(run)
            if ready is None:
                return
            index, body = ready
            if index == state["next_new"]:
                state["open"].append(index)
                state["next_new"] += 1
            state["running"] += 1
            child_state = {
                "index": index,
                "body_step": body.name,
                "iteration_context": {
                    "ParentStepName": run.name,
                    "Index": index,
                    "Item": item_text(state["items"][index])[:12800],
                },
            }
            step = dataclasses.replace(body, name=f"{body.name}-{index}")
            child = run.execution.new_child_run(run, step, child_state)
            child.previous_attempts = run.previous_attempts  # a retried ForEach goes on
            iteration = state["iterations"][index]
            iteration[body.name] = child
            if len(iteration) == len(spec.body):
                state["open"].remove(index)
            self._update_metadata(run)
            run.execution.start_step(child)
            if not run.active:  # the child ended as it started, and so did this step
                return

    @staticmethod
    def _next_ready(run: StepRun) -> tuple[int, StepDef] | None:
        """The next child to start: in item order, a body step whose body dependencies in its
        iteration have succeeded (open iterations first, then a new one)."""
        spec = run.step.for_each
        assert spec is not None
        state = run.state
        candidates = list(state["open"])
        if state["next_new"] < len(state["items"]):
            candidates.append(state["next_new"])
        for index in candidates:
            iteration: dict[str, StepRun] = state["iterations"][index]
            for body in spec.body:
                if body.name not in iteration and all(
                    dep in iteration and iteration[dep].status == "Succeeded"
                    for dep in body.dependencies
                ):
                    return index, body
        return None

    def child_ended(self, run: StepRun, child: StepRun) -> None:
        state = run.state
        state["running"] -= 1
        if child.status == "Failed":
            state["failed"] = True
        self._update_metadata(run)
        self._start_children(run)
        self._maybe_end(run)

    def _maybe_end(self, run: StepRun) -> None:
        state = run.state
        if not run.active or state["running"] > 0:
            return
        execution = run.execution
        if state["stopping"] or execution.stop_requested:
            self._update_metadata(run, "Stopped")
            execution.stopped_step(run)
        elif state["failed"]:
            self._update_metadata(run, "Failed")
            execution.fail_step(run, CHILD_FAILURE_REASON)
        elif not state["open"] and state["next_new"] == len(state["items"]):
            run.guarded(lambda: self._succeed(run))

    def _succeed(self, run: StepRun) -> None:
        spec = run.step.for_each
        assert spec is not None
        iterations: list[dict[str, StepRun]] = run.state["iterations"]
        outputs = [
            {name: child_properties(child) for name, child in iteration.items()}
            for iteration in iterations
        ]
        selected: tuple[int, str] | None = None
        if spec.selector is not None and iterations:
            selected = self._select(run, spec.selector, outputs)
        counts = self._update_metadata(run, "Succeeded", selected)
        run.properties = {**counts, "IterationOutputs": outputs}
        if selected is not None:
            run.properties["Selected"] = outputs[selected[0]][selected[1]]
        run.execution.succeed_step(run)

    @staticmethod
    def _select(
        run: StepRun,
        selector: tuple[str, str, tuple[str | int, ...]],
        outputs: list[dict[str, dict[str, Any]]],
    ) -> tuple[int, str]:
        """``(index, body step)`` of the iteration whose Field is largest (MaxBy) or smallest
        (MinBy); the first such iteration on a tie."""
        pick, body, path = selector
        best: tuple[int, Any] | None = None
        for index, iteration in enumerate(outputs):
            if body not in iteration:
                raise ExpressionError(f"ClientError: Step '{body}-{index}' did not run.")
            value = resolve_path(iteration[body], list(path))
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise ExpressionError(
                    f"ClientError: Selector field of ForEach step '{run.name}' is not a number "
                    f"or string in iteration {index}: {value!r}."
                )
            try:
                better = best is None or (value > best[1] if pick == "MaxBy" else value < best[1])
            except TypeError:
                raise ExpressionError(
                    f"ClientError: Selector field of ForEach step '{run.name}' mixes numbers "
                    "and strings across iterations."
                ) from None
            if better:
                best = (index, value)
        assert best is not None
        return best[0], body

    # ------------------------------------------------------------------ stop
    def stop(self, run: StepRun) -> None:
        """Running children follow their own stop rule; the ForEach ends Stopped after them."""
        if "running" not in run.state or run.state["running"] == 0:
            super().stop(run)
            return
        run.state["stopping"] = True
        run.execution.set_step_status(run, "Stopping")

    def ended(self, run: StepRun) -> None:
        if run.status == "Stopped" and "running" in run.state:
            self._update_metadata(run, "Stopped")

    # -------------------------------------------------------------- metadata
    def _update_metadata(
        self, run: StepRun, status: str | None = None, selected: tuple[int, str] | None = None
    ) -> dict[str, Any]:
        """``Metadata.ForEach`` now; returns the counts (and Status) as properties."""
        children = [c for it in run.state.get("iterations", []) for c in it.values()]
        counts: dict[str, Any] = {
            "InputItemCount": len(run.state.get("items", [])),
            "TotalStepCount": len(children),
            "SucceededStepCount": sum(1 for c in children if c.status == "Succeeded"),
            "FailedStepCount": sum(1 for c in children if c.status == "Failed"),
            "StoppedStepCount": sum(1 for c in children if c.status == "Stopped"),
        }
        if status is not None:
            run.state["final_status"] = status
        status = status or run.state.get("final_status")
        if status is not None:
            counts = {"Status": status, **counts}
        metadata: dict[str, Any] = dict(counts)
        if selected is not None:
            metadata["Selector"] = {
                "StepName": f"{selected[1]}-{selected[0]}",
                "Index": selected[0],
            }
        run.metadata = {"ForEach": metadata}
        return counts
