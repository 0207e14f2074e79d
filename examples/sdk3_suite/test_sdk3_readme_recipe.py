"""The README's SDK 3.x recipe runs, offline, in the SDK 3.x environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from unittest import mock

import pytest

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1"}
):
    pytest.importorskip("sagemaker.mlops.workflow", reason="needs the SageMaker Python SDK 3.x")


def test_the_readme_recipe_for_sdk_3_runs(run_readme_recipe: Callable[[str], None]) -> None:
    run_readme_recipe("3.x")
