"""Fixtures of the project's own test suite (users get the ``sagemaker_pipelines`` fixture from the plugin)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION


@pytest.fixture
def pipelines() -> Iterator[PipelinesMock]:
    """A running mock (moto + the plugin) with a fixed seed; yields the controller."""
    with mock_sagemaker_pipelines(seed=1234) as controller:
        yield controller


@pytest.fixture
def sm(pipelines: PipelinesMock) -> Any:
    """A boto3 SageMaker client in us-east-1 against the mock."""
    return boto3.client("sagemaker", region_name=REGION)


@pytest.fixture
def sqs(pipelines: PipelinesMock) -> Any:
    """A boto3 SQS client in us-east-1 against moto."""
    return boto3.client("sqs", region_name=REGION)
