"""One botocore data loader for the sessions created while a mock runs.

moto's ``mock_aws`` patches ``boto3.DEFAULT_SESSION`` to ``None`` while it runs
(``moto/core/models.py``), so the first ``boto3.client(...)`` of every mocked test builds a new
botocore session, and with it a new ``botocore.loaders.Loader``, which decodes
``data/sagemaker/2017-07-24/service-2.json``, ``endpoints.json`` and the rest from disk again:
75-150 ms for a SageMaker client (4-9 ms once a loader holds the model), and some 50,000 dicts
and lists that CPython's cyclic collector walks at each full collection until the session is
gone. moto's ``BackendDict`` builds a ``boto3.Session`` of its own to list a service's regions.

While a mock runs, ``botocore.session.create_loader`` (the factory a session calls the first
time it needs its ``data_loader``) gives every session whose ``data_path`` is unset
(``AWS_DATA_PATH`` and the config's ``data_path`` both absent) the loader the package's own
models come from (:func:`..service_models.data_loader`); a session with a ``data_path`` of its
own gets its own loader, as before. A botocore ``Loader`` only reads the data files and caches
what it read (``instance_cache``), so clients see the same models. Sessions made during the mock
keep that loader afterwards, as they keep anything else they were built with; the factory is
botocore's own again once the last mock stops.
"""

from __future__ import annotations

from typing import Any

import botocore.loaders
import botocore.session

from ..service_models import data_loader

#: The botocore names this module relies on (checked by ``tests/test_shared_loader.py``).
BOTOCORE_INTERNALS: tuple[str, ...] = ("botocore.session.create_loader",)

_original: Any = None


def _create_loader(search_path_string: str | None = None) -> Any:
    """``botocore.loaders.create_loader``, sharing the package's loader for the default path."""
    shared = data_loader() if search_path_string is None else None
    if shared is not None:
        return shared
    return (_original or botocore.loaders.create_loader)(search_path_string)


def activate() -> None:
    """Share the package's loader with new sessions (idempotent; :func:`.activate` of the
    package counts the mocks and calls this for the first)."""
    global _original
    if _original is None:
        _original = botocore.session.create_loader
        botocore.session.create_loader = _create_loader


def deactivate() -> None:
    """Put botocore's own factory back (idempotent; called when the last mock stops)."""
    global _original
    if _original is not None:
        botocore.session.create_loader = _original
        _original = None
