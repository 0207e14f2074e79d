"""Fixtures of the SDK 2.x example suite (the offline fixtures are in ``examples/conftest.py``)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock

from .support import BUCKET, REGION, SAGEMAKER_CONFIG


@pytest.fixture
def session(offline: None, sagemaker_pipelines: PipelinesMock) -> Any:
    """A ``PipelineSession`` on the mock with its default bucket in moto's S3."""
    from sagemaker.workflow.pipeline_context import PipelineSession

    boto = boto3.Session(region_name=REGION)
    boto.client("s3").create_bucket(Bucket=BUCKET)
    return PipelineSession(
        boto_session=boto, default_bucket=BUCKET, sagemaker_config=SAGEMAKER_CONFIG
    )
