"""Small helpers of the step properties and metadata: ARNs, S3 URIs, echoes and step fields.

Pure functions. ARNs are ``arn:<partition>:sagemaker:<region>:<account>:<type>/<name>``
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html); the check steps' fields
(``SkipCheck``, ``RegisterNewBaseline``, ``CheckType``, ...) sit beside their ``Arguments`` in the
step definition (SDK ``QualityCheckStep.to_request``) and may be the strings ``"true"``/``"false"``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any


def _digest(seed: str, length: int) -> str:
    return hashlib.sha1(seed.encode("utf-8")).hexdigest()[:length]


def _sibling_arn(job_arn: str, resource_type: str, name: str) -> str:
    """``job_arn`` with its ``<type>/<name>`` resource replaced (same partition/region/account)."""
    parts = job_arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return ""
    return ":".join([*parts[:5], f"{resource_type}/{name}"])


def _arn_parts(job_arn: str) -> tuple[str, str]:
    """(region, account) of an ARN, or ("", "")."""
    parts = job_arn.split(":", 5)
    if len(parts) != 6:
        return "", ""
    return parts[3], parts[4]


def _s3_join(base: Any, *parts: str) -> str | None:
    if not isinstance(base, str) or not base:
        return None
    return "/".join([base.rstrip("/"), *parts])


def _echo(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The step's resolved arguments as the top level of its properties.

    A shallow copy: the nested values are the resolved arguments' own, which nothing changes
    afterwards (scripted properties are merged copy-on-write, ``engine/steps/jobs.py``), so that
    a finished step does not keep a second deep copy of its arguments (issue 15).
    """
    return dict(arguments) if isinstance(arguments, Mapping) else {}


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def _field(name: str, arguments: Mapping[str, Any], step: Mapping[str, Any] | None) -> Any:
    """A check step's step-level field: from ``step`` if given, else from ``arguments``."""
    if step is not None and name in step:
        return step[name]
    return arguments.get(name) if isinstance(arguments, Mapping) else None
