"""The botocore service model of SageMaker, loaded once.

The model is botocore's ``data/sagemaker/2017-07-24/service-2.json``; both the constraint
validators (:mod:`.nodes`) and the JSON-type checks (:mod:`.json_types`) read its shapes.
"""

from __future__ import annotations

import functools
from typing import Any

_SERVICE_NAME = "sagemaker"


@functools.lru_cache(maxsize=1)
def _service_model() -> Any:
    """The botocore model ``data/sagemaker/2017-07-24/service-2.json`` (loaded once)."""
    from ..service_models import service_model

    return service_model(_SERVICE_NAME)
