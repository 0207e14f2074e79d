"""The README's SDK 2.x recipe runs, offline, in the SDK 2.x environment."""

from __future__ import annotations

import os
from collections.abc import Callable
from unittest import mock

import pytest

with mock.patch.dict(
    os.environ, {"AWS_EC2_METADATA_DISABLED": "true", "SAGEMAKER_SUPPRESS_V2_WARNING": "1"}
):
    pytest.importorskip("sagemaker", minversion="2.200")


def test_the_readme_recipe_for_sdk_2_runs(run_readme_recipe: Callable[[str], None]) -> None:
    run_readme_recipe("2.x")
