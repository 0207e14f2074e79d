"""Create-time checks of Cleanup steps' sources (SageMaker Python SDK 3.x ``CleanupStep``).

``Arguments = {"Resources": {"S3": [{"StepName", "S3Uris"?}, ...]}}`` (``cleanup_step.py``; the
JSON shape of the members is checked with the other Arguments, :mod:`.argument_shapes`). Here,
what needs the whole step graph, in the mock's wording (no public message of the service's is
known):

* ``Resources.S3`` is a non-empty array (the SDK refuses an empty ``s3_sources``);
* each ``StepName`` names another step of the pipeline, at most once;
* each source is in the Cleanup step's ``DependsOn``: "The service can only delete outputs of
  steps that already ran, so the sources are always dependencies" (``CleanupStep.__init__``,
  which adds every source not already listed).
"""

from __future__ import annotations

from .model import StepDef
from .problems import Problems

__all__ = ["check_cleanup_sources"]


def check_cleanup_sources(problems: Problems, steps: dict[str, StepDef]) -> None:
    """Check the sources of every Cleanup step in ``steps`` (definition order)."""
    for step in steps.values():
        if step.type != "Cleanup":
            continue
        label = f"Step '{step.name}'"
        args = step.arguments
        resources = args.get("Resources") if isinstance(args, dict) else None
        sources = resources.get("S3") if isinstance(resources, dict) else None
        if not isinstance(sources, list) or not sources:
            problems.add(
                f"{label}: a Cleanup step needs Arguments.Resources.S3, an array of at least "
                'one {"StepName", "S3Uris"} source.'
            )
            continue
        seen: set[str] = set()
        for index, source in enumerate(sources):
            name = source.get("StepName") if isinstance(source, dict) else None
            where = f"Arguments.Resources.S3[{index}]"
            if not isinstance(name, str):
                problems.add(f"{label}: {where}.StepName is required and must be a string.")
            elif name == step.name or name not in steps:
                problems.add(
                    f"{label}: {where}.StepName '{name}' is not another step of the pipeline."
                )
            elif name in seen:
                problems.add(f"{label}: {where}.StepName '{name}' is listed more than once.")
            elif name not in step.depends_on:
                problems.add(
                    f"{label}: cleanup source '{name}' must be in DependsOn (the step can only "
                    "clean up after its sources ran)."
                )
            if isinstance(name, str):
                seen.add(name)
