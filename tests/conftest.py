"""Fixtures of the project's own test suite (users get the ``sagemaker_pipelines`` fixture from the plugin)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from mock_sagemaker_pipelines import PipelinesMock, mock_sagemaker_pipelines

from .support import REGION


@pytest.fixture
def pipelines() -> Iterator[PipelinesMock]:
    """A running mock (moto + the plugin) with a fixed seed; yields the controller.

    Many tests leave callbacks waiting on purpose, so the exit report is off here (it is
    tested in test_pytest_plugin.py).
    """
    with mock_sagemaker_pipelines(seed=1234, report="off") as controller:
        yield controller


_SESSION: list[boto3.Session] = []


def _session() -> boto3.Session:
    """One boto3 session for the whole run: it caches service models, so clients are cheap.

    moto resets ``boto3.DEFAULT_SESSION`` on every start, which makes ``boto3.client`` load the
    SageMaker model again each test (about half a second). The session's credentials are moto's
    fake ones, the same in every test; accounts still come from moto per request.
    """
    if not _SESSION:
        _SESSION.append(boto3.Session(region_name=REGION))
    return _SESSION[0]


@pytest.fixture
def sm(pipelines: PipelinesMock) -> Any:
    """A boto3 SageMaker client in us-east-1 against the mock."""
    return _session().client("sagemaker", region_name=REGION)


@pytest.fixture
def sqs(pipelines: PipelinesMock) -> Any:
    """A boto3 SQS client in us-east-1 against moto."""
    return _session().client("sqs", region_name=REGION)


@pytest.fixture
def s3(pipelines: PipelinesMock) -> Any:
    """A boto3 S3 client in us-east-1 against moto."""
    return _session().client("s3", region_name=REGION)


@pytest.fixture
def emr_serverless(pipelines: PipelinesMock) -> Any:
    """A boto3 EMR Serverless client in us-east-1 against moto."""
    return _session().client("emr-serverless", region_name=REGION)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--fuzz-examples N``: requests per action in ``test_fuzz.py`` (default quick: 12)."""
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=None,
        help="bad requests generated per owned action by tests/test_fuzz.py (default 12; "
        "the environment variable MOCK_SAGEMAKER_PIPELINES_FUZZ_EXAMPLES also sets it)",
    )


@pytest.fixture
def fuzz_examples(request: pytest.FixtureRequest) -> int:
    """How many bad requests to generate per action."""
    given = request.config.getoption("--fuzz-examples")
    if given is not None:
        return int(given)
    return int(os.environ.get("MOCK_SAGEMAKER_PIPELINES_FUZZ_EXAMPLES") or 12)
