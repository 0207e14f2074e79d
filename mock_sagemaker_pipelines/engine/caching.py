"""Step caching (``CacheConfig``): a step whose cache key matches an earlier successful run of the
same pipeline, within ``ExpireAfter``, reuses that run instead of running again.

Sources (``docs/behaviour.md``, "Step caching"):

* DG "Caching pipeline steps" (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-caching.html):
  opt-in; only successful runs count, never failed ones; the most recent successful match wins;
  a match still in progress does not count (both run); scoped to one pipeline; available for
  Processing, Training, Tuning, AutoML, Transform, ClarifyCheck, QualityCheck and EMR steps.
* DG "Default cache key attributes by pipeline step type"
  (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-default-keys.html): the attributes
  per step type, :data:`KEY_ATTRIBUTES`. They are read from the step's resolved ``Arguments``
  (and, for the check steps, its resolved top-level fields), so a ``Get`` of another step's
  property that changes every run (a ModelStep's model name, sdk issue #3392) is a miss, and an
  UpdatePipeline that changes nothing in them is a hit (sdk issue #2736: the misses came from
  timestamped code URIs in ``ProcessingInputs``, fixed in the SDK by sdk PR #2790).
* SDK 3.x adds ``CacheConfig`` to EMRServerless and Job steps; the DG lists no key for them:
  their whole resolved ``Arguments`` are the key **[U]**.

A hit is listed with ``CacheHitResult.SourcePipelineExecutionArn`` and takes the source run's
metadata (so its job, no new one), properties, outputs and property files; it goes ``Starting``
-> ``Succeeded`` at one simulated instant. Times are simulated UTC datetimes; ``ExpireAfter`` is
measured from the end of the source run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..definition.cache_config import parse_expire_after

if TYPE_CHECKING:
    from .run import StepRun

#: Step type -> (top-level field or ``Arguments`` member, sub-members or None for all) making the key.
KEY_ATTRIBUTES: dict[str, tuple[tuple[str, tuple[str, ...] | None], ...]] = {
    "Processing": (("AppSpecification", None), ("Environment", None), ("ProcessingInputs", None)),
    "Training": (
        ("AlgorithmSpecification", None),
        ("CheckpointConfig", None),
        ("DebugHookConfig", None),
        ("DebugRuleConfigurations", None),
        ("Environment", None),
        ("HyperParameters", None),
        ("InputDataConfig", None),
    ),
    "Tuning": (
        ("HyperParameterTuningJobConfig", None),
        (
            "TrainingJobDefinition",
            (
                "AlgorithmSpecification",
                "HyperParameterRanges",
                "InputDataConfig",
                "StaticHyperParameters",
                "TuningObjective",
            ),
        ),
        ("TrainingJobDefinitions", None),
    ),
    "AutoML": (
        (
            "AutoMLJobConfig",
            ("CompletionCriteria", "CandidateGenerationConfig", "DataSplitConfig", "Mode"),
        ),
        ("AutoMLJobObjective", None),
        ("InputDataConfig", None),
        ("ProblemType", None),
    ),
    "Transform": (
        ("DataProcessing", None),
        ("Environment", None),
        ("ModelName", None),
        ("TransformInput", None),
    ),
    "ClarifyCheck": (
        ("Arguments", None),  # the CheckJobConfig and ClarifyCheckConfig become the job request
        ("CheckType", None),
        ("SkipCheck", None),
        ("RegisterNewBaseline", None),
        ("ModelPackageGroupName", None),
        ("SuppliedBaselineConstraints", None),
    ),
    "QualityCheck": (
        ("Arguments", None),
        ("CheckType", None),
        ("SkipCheck", None),
        ("RegisterNewBaseline", None),
        ("ModelPackageGroupName", None),
        ("SuppliedBaselineConstraints", None),
        ("SuppliedBaselineStatistics", None),
    ),
    "EMR": (("ClusterId", None), ("StepConfig", None)),
    "EMRServerless": (("Arguments", None),),
    "Job": (("Arguments", None),),
}
#: Types whose key attributes are top-level step fields (the rest read ``Arguments``).
_TOP_LEVEL_TYPES = frozenset({"ClarifyCheck", "QualityCheck", "EMRServerless", "Job"})


def cache_key(run: StepRun, resolved_step: dict[str, Any]) -> dict[str, Any] | None:
    """The cache key of ``run``: its type's key attributes, resolved; None when the type has none."""
    attributes = KEY_ATTRIBUTES.get(run.step.type)
    if attributes is None:
        return None
    if run.step.type in _TOP_LEVEL_TYPES:
        source = {**resolved_step, "Arguments": run.arguments}  # the resolved Arguments
    else:
        source = run.arguments if isinstance(run.arguments, dict) else {}
    key: dict[str, Any] = {}
    for name, members in attributes:
        value = source.get(name)
        if members is not None and isinstance(value, dict):
            value = {m: value[m] for m in members if m in value}
        key[name] = value
    return key


@dataclass
class CacheEntry:
    """One successful run a later run may reuse."""

    step_name: str
    key: dict[str, Any]
    execution_arn: str
    run: StepRun
    end_time: datetime


@dataclass
class StepCache:
    """The successful cache-enabled runs of one pipeline (the backend keeps one per pipeline)."""

    entries: list[CacheEntry] = field(default_factory=list)

    def record(self, run: StepRun, key: dict[str, Any]) -> None:
        """Remember a successful run of a cache-enabled step (not itself a hit)."""
        now = run.execution.simulation.clock.now()
        self.entries.append(CacheEntry(run.name, key, run.execution.arn, run, now))

    def lookup(self, run: StepRun, key: dict[str, Any]) -> tuple[CacheEntry | None, str]:
        """The most recent matching entry within ExpireAfter, and why there is none if so."""
        now = run.execution.simulation.clock.now()
        expire = parse_expire_after((run.step.cache_config or {}).get("ExpireAfter"))
        same_step = [
            e
            for e in self.entries
            if e.step_name == run.name and e.execution_arn != run.execution.arn
        ]
        if not same_step:
            return None, "no earlier successful run of this step in the pipeline"
        matching = [e for e in same_step if e.key == key]
        if not matching:
            newest = same_step[-1]
            differ = sorted(k for k in key if key.get(k) != newest.key.get(k))
            return None, (
                "the cache key differs from the latest successful run "
                f"({newest.execution_arn}) in: {', '.join(differ)}"
            )
        if expire is not None:
            fresh = [e for e in matching if now - e.end_time <= timedelta(seconds=expire)]
            if not fresh:
                return None, (
                    f"the matching runs are older than ExpireAfter "
                    f"{run.step.cache_config.get('ExpireAfter')!r}"  # type: ignore[union-attr]
                )
            matching = fresh
        return max(matching, key=lambda e: e.end_time), ""


def try_cache_hit(run: StepRun, resolved_step: dict[str, Any]) -> bool:
    """At the start of a cache-enabled step: reuse a matching earlier run if there is one.

    On a hit the run takes the source run's metadata, properties, outputs and property files,
    remembers the source execution (``CacheHitResult``) and succeeds at the same simulated
    instant; True is returned and the caller starts no job. On a miss the reason is kept for
    :meth:`~mock_sagemaker_pipelines.controller.PipelinesMock.cache_miss_reason`.
    """
    cache = run.execution.step_cache
    if cache is None or not run.step.cache_enabled or run.parent is not None:
        return False
    key = cache_key(run, resolved_step)
    if key is None:
        run.state["cache_miss"] = f"step type {run.step.type} is not cached"
        return False
    run.state["cache_key"] = key
    entry, reason = cache.lookup(run, key)
    if entry is None:
        run.state["cache_miss"] = reason
        return False
    source = entry.run
    run.cache_hit_source = entry.execution_arn
    run.metadata = dict(source.metadata)
    run.properties = source.properties
    run.outputs = dict(source.outputs)
    run.property_files = dict(source.property_files)
    run.arguments = source.arguments  # property files are read where the source job wrote them
    run.state["cache_source_run"] = source
    run.schedule(0, lambda: run.execution.succeed_step(run), "cache-hit")
    return True


def remember_success(run: StepRun) -> None:
    """A cache-enabled step that ran (not a hit) succeeded: later runs may reuse it."""
    cache = run.execution.step_cache
    key = run.state.get("cache_key")
    if cache is not None and key is not None and run.cache_hit_source is None:
        cache.record(run, key)
