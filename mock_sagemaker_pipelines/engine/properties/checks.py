"""Step properties of QualityCheck and ClarifyCheck steps: the baseline locations.

The check steps keep ``CheckType``, ``SkipCheck``, ``RegisterNewBaseline``,
``ModelPackageGroupName`` and ``SuppliedBaseline*`` beside their ``Arguments`` (SDK
``QualityCheckStep.to_request``/``ClarifyCheckStep.to_request``); their ``Arguments`` are a
CreateProcessingJob request, whose first output receives the calculated baseline (SDK
``QualityCheckStep``/``ClarifyCheckStep`` properties ``CalculatedBaseline*`` and
``BaselineUsedForDriftCheck*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import _field, _s3_join, _truthy


def _first_output_uri(arguments: Mapping[str, Any]) -> str | None:
    config = arguments.get("ProcessingOutputConfig")
    outputs = config.get("Outputs") if isinstance(config, Mapping) else None
    for output in outputs or []:
        s3 = output.get("S3Output") if isinstance(output, Mapping) else None
        uri = s3.get("S3Uri") if isinstance(s3, Mapping) else None
        if isinstance(uri, str) and uri:
            return uri
    return None


def _check(
    step_type: str, arn: str, args: Mapping[str, Any], step: Mapping[str, Any] | None
) -> dict[str, Any]:
    """QualityCheck / ClarifyCheck properties (SDK ``QualityCheckStep``/``ClarifyCheckStep``).

    Only the baseline locations are properties. The calculated baseline is written to the
    processing job's first output: ``statistics.json`` and ``constraints.json`` for quality
    checks, ``analysis.json`` for Clarify checks. The baseline used for the drift check is the
    calculated one when ``RegisterNewBaseline`` is true, else the supplied one
    (``SuppliedBaselineStatistics``/``SuppliedBaselineConstraints``), else (no model registry
    lookup here) the calculated one. ``CheckJobArn`` is the processing job's ARN.
    """
    out = _first_output_uri(args)
    register_new = _truthy(_field("RegisterNewBaseline", args, step))
    props: dict[str, Any] = {"CheckJobArn": arn}
    if step_type == "QualityCheck":
        calculated = {
            "Statistics": _s3_join(out, "statistics.json"),
            "Constraints": _s3_join(out, "constraints.json"),
        }
    else:
        calculated = {"Constraints": _s3_join(out, "analysis.json")}
    for kind, uri in calculated.items():
        supplied = _field(f"SuppliedBaseline{kind}", args, step)
        used = uri if register_new or not supplied else supplied
        if uri is not None:
            props[f"CalculatedBaseline{kind}"] = uri
        if used is not None:
            props[f"BaselineUsedForDriftCheck{kind}"] = used
    return props
