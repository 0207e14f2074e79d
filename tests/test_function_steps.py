"""``@step`` function steps that cannot run in-process behave as plain Training steps, and say why.

The step is recognised by its container entrypoint (the SDK's job driver), not its name; the SDK
suites (``examples/sdk_suite``, ``examples/sdk3_suite``) run real functions.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from mock_sagemaker_pipelines import FunctionStepWarning, PipelinesMock

from .support import run, steps_by_name, training_step, with_arguments

DRIVER = ["/bin/bash", "/opt/ml/input/data/sagemaker_remote_function_bootstrap/job_driver.sh"]
HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


def function_step(name: str, sdk: str, python: str = HERE) -> dict[str, Any]:
    """A Training step shaped as the SDK compiles a ``@step`` function."""
    return with_arguments(
        training_step(name),
        AlgorithmSpecification={
            "TrainingImage": "image:latest",
            "TrainingInputMode": "File",
            "ContainerEntrypoint": DRIVER,
            "ContainerArguments": [
                "--s3_base_uri",
                "s3://example-bucket/fn",
                "--region",
                "us-east-1",
                "--client_python_version",
                python,
                "--client_sagemaker_pysdk_version",
                sdk,
                "--pipeline_step_name",
                name,
            ],
        },
    )


@pytest.mark.parametrize(
    ("sdk", "python", "why"),
    [
        ("9.1.0", HERE, "SageMaker Python SDK 9.x is not supported"),
        ("", HERE, "no --client_sagemaker_pysdk_version"),
        ("2.257.7", "2.7", f"built with Python 2.7 and this process runs {HERE}"),
    ],
)
def test_a_function_step_that_cannot_run_here_runs_as_a_training_step(
    pipelines: PipelinesMock, sm: Any, sdk: str, python: str, why: str
) -> None:
    if sdk.startswith("2."):
        pytest.importorskip("sagemaker.remote_function", reason="needs the SDK 2.x")
    arn = run(sm, [function_step("Add", sdk, python)])
    with pytest.warns(FunctionStepWarning, match=why) as caught:
        pipelines.run_until_idle()

    step = steps_by_name(sm, arn)["Add"]
    assert step["StepStatus"] == "Succeeded"
    assert (step["EndTime"] - step["StartTime"]).total_seconds() == 901  # a Training step's
    assert "'Add' ran as a plain job step" in str(caught[0].message)


def test_a_training_step_named_like_a_function_is_not_one(
    pipelines: PipelinesMock, sm: Any, recwarn: pytest.WarningsRecorder
) -> None:
    arn = run(sm, [training_step("Add")])
    pipelines.run_until_idle()

    assert steps_by_name(sm, arn)["Add"]["StepStatus"] == "Succeeded"
    assert not [w for w in recwarn if issubclass(w.category, FunctionStepWarning)]
