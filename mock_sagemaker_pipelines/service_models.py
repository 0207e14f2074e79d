"""The botocore service models the package reads, each loaded once per process.

``botocore.session.get_session()`` makes a new session, with a new loader, on every call, so
every caller that asked it for ``sagemaker`` decoded ``data/sagemaker/2017-07-24/service-2.json``
again (about 0.15 s each; ``simulate`` did it seven times). Every module asks here instead.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


@functools.cache
def service_model(name: str = "sagemaker") -> Any:
    """The botocore ``ServiceModel`` of ``name`` (``sagemaker``, ``emr``, ...), loaded once."""
    return _session().get_service_model(name)
