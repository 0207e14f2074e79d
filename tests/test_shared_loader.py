"""Sessions made while a mock runs share the package's botocore data loader (issue 15).

moto resets boto3's default session in every mock, so without sharing each test's first client
decodes the service models from disk again (``_moto/loaders.py``).
"""

from __future__ import annotations

from typing import Any

import boto3
import botocore.loaders
import botocore.session
import pytest

from mock_sagemaker_pipelines import mock_sagemaker_pipelines
from mock_sagemaker_pipelines._moto import loaders
from mock_sagemaker_pipelines.service_models import data_loader

from .support import REGION


def _loader_of(session: boto3.Session) -> Any:
    return session._session.get_component("data_loader")


def test_the_botocore_names_relied_on_are_botocore_s_own_outside_a_mock() -> None:
    for dotted in loaders.BOTOCORE_INTERNALS:
        assert dotted.startswith("botocore.session."), dotted
        name = dotted.rsplit(".", 1)[1]
        assert getattr(botocore.session, name) is getattr(botocore.loaders, name), dotted
    # the shared loader keeps the list it was given (service_models relies on it)
    paths: list[str] = []
    assert botocore.loaders.Loader(extra_search_paths=paths).search_paths is paths


def test_new_sessions_in_a_mock_share_one_loader_and_its_models() -> None:
    with mock_sagemaker_pipelines(report="off"):
        first, second = boto3.Session(region_name=REGION), boto3.Session(region_name=REGION)
        assert _loader_of(first) is _loader_of(second) is data_loader()
        for _ in range(5):
            boto3.Session(region_name=REGION)  # each appends boto3's data directory
        paths = data_loader().search_paths
        assert len(paths) == len(set(paths))
        sm = first.client("sagemaker")
        assert sm.list_pipelines()["PipelineSummaries"] == []
        assert second.client("sagemaker").meta.service_model.service_name == "sagemaker"
    assert botocore.session.create_loader is botocore.loaders.create_loader
    assert _loader_of(boto3.Session(region_name=REGION)) is not data_loader()


def test_a_session_with_its_own_data_path_keeps_its_own_loader(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    assert data_loader() is not None  # made before the variable is set, as at import time
    with mock_sagemaker_pipelines(report="off"):
        monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
        session = boto3.Session(region_name=REGION)
        assert _loader_of(session) is not data_loader()
        assert str(tmp_path) in _loader_of(session).search_paths


def test_nested_mocks_restore_the_factory_only_at_the_last_exit() -> None:
    with mock_sagemaker_pipelines(report="off"):
        with mock_sagemaker_pipelines(report="off"):
            pass
        assert botocore.session.create_loader is not botocore.loaders.create_loader
        assert _loader_of(boto3.Session(region_name=REGION)) is data_loader()
    assert botocore.session.create_loader is botocore.loaders.create_loader
