"""The botocore service models the package reads, each loaded once per process.

``botocore.session.get_session()`` makes a new session, with a new loader, on every call, so
every caller that asked it for ``sagemaker`` decoded ``data/sagemaker/2017-07-24/service-2.json``
again (about 0.15 s each; ``simulate`` did it seven times). Every module asks here instead.
"""

from __future__ import annotations

import functools
from typing import Any


class _DistinctPaths(list[str]):
    """A loader's ``search_paths`` that keeps each path once.

    ``boto3.Session`` appends boto3's resource-model directory to its loader's search paths
    each time one is made; a loader that many sessions share would grow by one entry per
    session (and search every entry for every file).
    """

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


@functools.cache
def _session() -> Any:
    import botocore.loaders
    import botocore.session

    session = botocore.session.get_session()
    if session.get_config_variable("data_path") is None:
        loader = botocore.loaders.Loader(extra_search_paths=_DistinctPaths())
        session.register_component("data_loader", loader)
    return session


def data_loader() -> Any:
    """The botocore ``Loader`` the package's models come from, when it has the default search
    paths (no ``AWS_DATA_PATH`` or ``data_path`` set when it was made); else ``None``."""
    loader = _session().get_component("data_loader")
    return loader if isinstance(loader.search_paths, _DistinctPaths) else None


@functools.cache
def service_model(name: str = "sagemaker") -> Any:
    """The botocore ``ServiceModel`` of ``name`` (``sagemaker``, ``emr``, ...), loaded once."""
    return _session().get_service_model(name)


def client(name: str, region_name: str) -> Any:
    """A boto3 client of ``name`` whose models come from the loader :func:`service_model` uses.

    ``boto3.client`` would decode ``service-2.json`` (and ``endpoints.json``) again in its own
    session; this client's session is new (its own credentials, handlers and configuration) and
    only shares the read-only data loader, so the model is decoded once per process.
    """
    import boto3
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", _session().get_component("data_loader"))
    shared: Any = boto3.Session(botocore_session=session)
    return shared.client(name, region_name=region_name)
