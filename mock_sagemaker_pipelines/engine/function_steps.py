"""``@step`` function steps: recognised from the definition, run in-process when they can be.

The SageMaker Python SDK (2.x ``sagemaker.workflow.function_step``, 3.x ``sagemaker.mlops``)
compiles a ``@step`` function into a ``Training`` step whose
``AlgorithmSpecification.ContainerEntrypoint`` is the SDK's job driver
(:data:`FUNCTION_ENTRYPOINT`, ``remote_function/job.py`` ``JOBS_CONTAINER_ENTRYPOINT``, the same
check ``execution.result()`` makes) and whose ``ContainerArguments`` locate the pickled function
in S3 (``--s3_base_uri``, ``--pipeline_step_name``, ``--func_step_s3_dir``, ...). Such a step is
recognised by that entrypoint, never by its name. It runs in the test's process
(:mod:`.sdk_functions`) when :func:`why_not_in_process` finds nothing missing; otherwise it
behaves as any job step and a :class:`FunctionStepWarning` says why.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from typing import Any

from .. import _moto
from .._moto import peers

#: The container entrypoint of every ``@step`` job (SDK 2.x and 3.x ``remote_function/job.py``).
FUNCTION_ENTRYPOINT = [
    "/bin/bash",
    "/opt/ml/input/data/sagemaker_remote_function_bootstrap/job_driver.sh",
]


class FunctionStepWarning(UserWarning):
    """A ``@step`` function step could not run in-process and ran as a plain job step."""


@dataclass(frozen=True)
class FunctionCall:
    """A ``@step`` job's container command: ``argv`` (ContainerArguments as strings), the job's
    ``environment``, the SDK major version and the Python ``major.minor`` that built it."""

    argv: list[str]
    environment: dict[str, str]
    sdk_major: int | None
    python_version: str | None


def _option(argv: list[str], name: str) -> str | None:
    if name in argv and argv.index(name) + 1 < len(argv):
        return argv[argv.index(name) + 1]
    return None


def function_call(step_type: str, arguments: Any) -> FunctionCall | None:
    """The function a step's resolved Arguments call, or ``None`` for any other step."""
    if step_type != "Training" or not isinstance(arguments, dict):
        return None
    spec = arguments.get("AlgorithmSpecification")
    if not isinstance(spec, dict) or spec.get("ContainerEntrypoint") != FUNCTION_ENTRYPOINT:
        return None
    argv = [str(a) for a in spec.get("ContainerArguments") or []]
    environment = arguments.get("Environment")
    version = _option(argv, "--client_sagemaker_pysdk_version") or ""
    major = version.split(".", 1)[0]
    return FunctionCall(
        argv=argv,
        environment={str(k): str(v) for k, v in (environment or {}).items()}
        if isinstance(environment, dict)
        else {},
        sdk_major=int(major) if major.isdigit() else None,
        python_version=_option(argv, "--client_python_version"),
    )


def why_not_in_process(call: FunctionCall) -> str | None:
    """What the test's process cannot give the function, or ``None`` when it can run here."""
    from .sdk_functions import sdk_missing

    if call.sdk_major is None:
        return "its container arguments name no --client_sagemaker_pysdk_version"
    missing = sdk_missing(call.sdk_major)
    if missing:
        return missing
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if call.python_version and call.python_version != here:
        return f"it was built with Python {call.python_version} and this process runs {here}"
    if _option(call.argv, "--run_in_context"):
        return "it runs inside a SageMaker Experiments run (--run_in_context)"
    if not _moto.mock_aws_is_running():
        return "moto's mock_aws is not running in this process (server mode)"
    return None


def warn_not_in_process(step_name: str, reason: str) -> None:
    """Say once per step and reason why a ``@step`` function ran as a plain job step."""
    warnings.warn(
        FunctionStepWarning(
            f"@step function step {step_name!r} ran as a plain job step (no result written): "
            f"{reason}; see docs/behaviour.md, 'Job handlers and @step functions'"
        ),
        stacklevel=2,
    )


def run_function(call: FunctionCall, account_id: str, region: str) -> str | None:
    """Run the function in-process; ``None`` on success, else the failure reason."""
    from .sdk_functions import invoke

    assert call.sdk_major is not None
    return invoke(
        call.sdk_major, call.argv, call.environment, peers.boto_session(account_id, region)
    )
