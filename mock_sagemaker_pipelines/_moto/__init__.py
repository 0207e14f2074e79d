"""The only place where mock-sagemaker-pipelines touches moto internals.

moto has no plugin API (getmoto/moto#7126). Following ``shared/spec/moto-plugin-and-peers.md``
section 2, the plugin subclasses ``moto.sagemaker.responses.SageMakerResponse`` and routes
SageMaker's URL (``moto.sagemaker.urls.url_paths["{0}/$"]``) to the subclass while the mock is
active. Every moto name the package relies on is imported here (and in the sibling modules
:mod:`.jobs`, :mod:`.peers` and :mod:`.experiments`) and listed in :data:`MOTO_INTERNALS`, which the guard test
``tests/test_moto_guard.py`` checks against the installed moto.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import moto.moto_api._internal.urls as _moto_api_urls
import moto.sagemaker.urls as _sagemaker_urls
import moto.settings as _moto_settings
from moto import mock_aws
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import MockAWS
from moto.core.responses import ActionResult, EmptyResult
from moto.moto_api._internal.models import moto_api_backend as _moto_api_backend
from moto.sagemaker.exceptions import SagemakerClientError
from moto.sagemaker.responses import SageMakerResponse

from . import fast as _fast
from . import loaders as _loaders
from . import sqs as _sqs
from .backends import region_backend
from .jobs import training_time as _training_time

__all__ = [
    "MOTO_INTERNALS",
    "ROUTE_KEY",
    "ActionResult",
    "BackendDict",
    "BaseBackend",
    "EmptyResult",
    "SageMakerResponse",
    "SagemakerClientError",
    "activate",
    "deactivate",
    "is_active",
    "mock_aws",
    "mock_aws_is_running",
    "moto_api_route",
    "moto_config",
    "prettify_responses",
    "region_backend",
    "register_moto_api_route",
    "set_moto_config",
    "unregister_moto_api_route",
]

#: The key of moto's single SageMaker route (``moto/sagemaker/urls.py``).
ROUTE_KEY = "{0}/$"

#: Dotted names of the moto internals used by this package (checked by the guard test).
MOTO_INTERNALS: tuple[str, ...] = (
    "moto.mock_aws",
    "moto.core.base_backend.BackendDict",
    "moto.core.base_backend.BackendDict.reset",
    "moto.core.base_backend.BaseBackend",
    "moto.core.base_backend.BaseBackend.reset",
    "moto.core.models.MockAWS",
    "moto.core.models.MockAWS._nested_count",
    "moto.core.responses.ActionResult",
    "moto.core.responses.EmptyResult",
    "moto.core.responses.BaseResponse.dispatch",
    "moto.core.responses.BaseResponse.call_action",
    "moto.core.responses.BaseResponse._get_param",
    "moto.core.responses.BaseResponse._get_action",
    "moto.core.responses.BaseResponse.current_account",
    "moto.core.responses.BaseResponse.region",
    "moto.sagemaker.exceptions.SagemakerClientError",
    "moto.sagemaker.responses.SageMakerResponse",
    "moto.sagemaker.responses.SageMakerResponse.add_tags",
    "moto.sagemaker.responses.SageMakerResponse.list_tags",
    "moto.sagemaker.responses.SageMakerResponse.delete_tags",
    "moto.sagemaker.urls.url_paths",
    "moto.moto_api._internal.urls.url_paths",
    "moto.settings.PRETTIFY_RESPONSES",
    "moto.moto_api._internal.models.moto_api_backend",
    "moto.moto_api._internal.models.MotoAPIBackend.get_config",
    "moto.moto_api._internal.models.MotoAPIBackend.set_config",
)

_lock = threading.RLock()
_active_count = 0
_original_handler: Callable[..., Any] | None = None


def activate(handler: Callable[..., Any]) -> None:
    """Route moto's SageMaker endpoint to ``handler`` (the plugin's ``PipelinesResponse.dispatch``).

    The first activation also applies the SQS send fix (:mod:`.sqs`), shares one botocore data
    loader with new sessions (:mod:`.loaders`), derives a step's training job times
    (:mod:`.jobs.training_time`) and, when the handler's class names ``IN_PROCESS_ACTIONS``,
    answers those actions in-process (:mod:`.fast`); the last deactivation undoes all four.

    Reference-counted: nested activations are cheap and only the last :func:`deactivate`
    restores moto's own handler. Raises ``RuntimeError`` if moto no longer has the route key
    this relies on (a moto upgrade moved it). This package passes the handler in, so that
    ``_moto`` imports nothing of the layers above it.
    """
    global _active_count, _original_handler
    with _lock:
        if ROUTE_KEY not in _sagemaker_urls.url_paths:
            raise RuntimeError(
                f"moto.sagemaker.urls.url_paths has no {ROUTE_KEY!r} route; "
                "this moto version is not supported by mock-sagemaker-pipelines"
            )
        if _active_count == 0:
            _original_handler = _sagemaker_urls.url_paths[ROUTE_KEY]
            _sagemaker_urls.url_paths[ROUTE_KEY] = handler
            _sqs.activate()
            _loaders.activate()
            _training_time.activate()
            response_class = getattr(handler, "__self__", None)
            in_process = frozenset(getattr(response_class, "IN_PROCESS_ACTIONS", ()))
            if response_class is not None and in_process:
                _fast.activate(response_class, in_process)
        _active_count += 1


def deactivate() -> None:
    """Undo one :func:`activate`; the last one puts moto's own handler back."""
    global _active_count, _original_handler
    with _lock:
        if _active_count == 0:
            return
        _active_count -= 1
        if _active_count == 0 and _original_handler is not None:
            _sagemaker_urls.url_paths[ROUTE_KEY] = _original_handler
            _original_handler = None
            _sqs.deactivate()
            _loaders.deactivate()
            _training_time.deactivate()
            _fast.deactivate()


def is_active() -> bool:
    """Whether SageMaker requests are currently routed to the plugin."""
    return _active_count > 0


def current_route_handler() -> Callable[..., Any]:
    """The handler moto's SageMaker route points at right now (for tests and diagnostics)."""
    return _sagemaker_urls.url_paths[ROUTE_KEY]


def prettify_responses() -> bool:
    """Whether moto indents its JSON responses (``MOTO_PRETTIFY_RESPONSES``)."""
    return bool(_moto_settings.PRETTIFY_RESPONSES)


def mock_aws_is_running() -> bool:
    """Whether a ``moto.mock_aws`` is already active (the plugin then joins it)."""
    return MockAWS._nested_count > 0


def register_moto_api_route(path: str, handler: Callable[..., Any]) -> None:
    """Serve ``handler`` at ``path`` (a regex such as ``/moto-api/sagemaker-pipelines/clock``).

    The route is added to moto's ``/moto-api`` service (``moto.moto_api._internal.urls.url_paths``,
    spec section 2.3), which a moto server reads when it builds that app on its first
    ``/moto-api`` request: register before starting the server. ``handler`` is called as
    ``handler(request, full_url, headers)`` and returns ``(status, headers, body)``.
    """
    with _lock:
        _moto_api_urls.url_paths["{0}" + path] = handler


def unregister_moto_api_route(path: str) -> None:
    """Remove a route added by :func:`register_moto_api_route` (no error if it is not there)."""
    with _lock:
        _moto_api_urls.url_paths.pop("{0}" + path, None)


def moto_api_route(path: str) -> Callable[..., Any] | None:
    """The handler moto's ``/moto-api`` service has at ``path`` (``/moto-api/reset``), if any."""
    with _lock:
        handler: Callable[..., Any] | None = _moto_api_urls.url_paths.get("{0}" + path)
        return handler


def moto_config() -> dict[str, Any]:
    """moto's user config as ``GET /moto-api/config`` answers it: ``{"batch": {...}, "lambda":
    {...}}`` (a copy)."""
    return {key: dict(value) for key, value in _moto_api_backend.get_config().items()}


def set_moto_config(config: dict[str, Any]) -> None:
    """Set moto's user config as ``POST /moto-api/config`` does (keys ``batch``, ``lambda``,
    ``stepfunctions``; e.g. ``{"lambda": {"use_docker": False}}``)."""
    _moto_api_backend.set_config(config)
