"""Owned SageMaker actions answered in-process, without moto's request emulation.

moto answers every botocore request in its ``BotocoreStubber`` (the ``before-send`` handler it
registers in botocore): it matches the URL against every service's patterns, builds a werkzeug
request, parses it, finds the action by inspecting the response class's members, and only then
calls the plugin. That is two thirds of a DescribePipelineExecution call. While the mock is
active, :func:`activate` puts a thin ``BotocoreStubber.__call__`` in front of moto's: for a
``before-send.sagemaker.<Operation>`` event whose operation the plugin owns, sent to SageMaker's
AWS endpoint, it builds the plugin's response object straight from botocore's prepared request
(the same account, region, headers and body moto would give it, parameters parsed by moto's own
JSON parser), calls the action and turns the result into status, headers and body with moto's
own ``serialized``/``_transform_response``/``_enrich_response``. botocore still serialises,
signs and sends the request and parses the real HTTP response bytes, so what a client sees is
unchanged.

Everything else goes to moto's own handler unchanged: other services and operations, custom
endpoints (server mode, ISO regions), moto's request recorder, IAM authorisation
(``set_initial_no_auth_action_count``), passthrough and service allow-lists, a body that is not
one JSON object (malformed, truncated, not UTF-8: the plugin's route answers it with
``SerializationException``). The patch is reference-counted and undone by the last
:func:`deactivate`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

import moto.settings as _settings
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.botocore_stubber import BotocoreStubber, MockRawResponse
from moto.core.config import passthrough_service, service_whitelisted
from moto.core.exceptions import HTTPException, ServiceException  # type: ignore[attr-defined]
from moto.core.parse import PROTOCOL_PARSERS
from moto.core.responses import ActionResult
from moto.moto_api import recorder
from werkzeug.datastructures import Headers

from ..service_models import service_model

MOTO_INTERNALS: tuple[str, ...] = (
    "moto.core.botocore_stubber.BotocoreStubber",
    "moto.core.botocore_stubber.BotocoreStubber.enabled",
    "moto.core.botocore_stubber.BotocoreStubber.process_request",
    "moto.core.botocore_stubber.MockRawResponse",
    "moto.core.authorization.ActionAuthenticatorMixin.request_count",
    "moto.core.config.passthrough_service",
    "moto.core.config.service_whitelisted",
    "moto.core.exceptions.HTTPException",
    "moto.core.exceptions.ServiceException",
    "moto.core.parse.PROTOCOL_PARSERS",
    "moto.core.responses.BaseResponse.get_region_from_url",
    "moto.core.responses.BaseResponse.get_current_account",
    "moto.core.responses.BaseResponse.get_access_key",
    "moto.core.responses.BaseResponse.serialized",
    "moto.core.responses.BaseResponse._transform_response",
    "moto.core.responses.BaseResponse._enrich_response",
    "moto.iam.models.mark_account_as_visited",
    "moto.moto_api.recorder",
    "moto.settings.INITIAL_NO_AUTH_ACTION_COUNT",
)

#: SageMaker's AWS endpoint, the one URL moto's own route would match for these actions.
_ENDPOINT = re.compile(r"^https://api\.sagemaker\.[a-z0-9-]+\.amazonaws\.com/?$")
_PREFIX = "before-send.sagemaker."

#: ``(response factory, owned operations)`` while active.
Answerer = tuple[Callable[[], Any], frozenset[str]]

_lock = threading.Lock()
_users = 0
_original_call: Any = None
_answerer: Answerer | None = None


def _in_process(request: AWSPreparedRequest, operation: str) -> tuple[int, Any, Any] | None:
    """The plugin's answer to ``request`` as (status, headers, body), or ``None`` for moto's."""
    assert _answerer is not None
    factory, operations = _answerer
    if operation not in operations or not _ENDPOINT.match(request.url or ""):
        return None
    if (
        float("inf") != _settings.INITIAL_NO_AUTH_ACTION_COUNT
        or recorder._user_enabled
        or passthrough_service("sagemaker")
        or not service_whitelisted("sagemaker")
    ):
        return None
    body = request.body
    try:
        if isinstance(body, bytes | bytearray):
            body = body.decode("utf-8")
        if not isinstance(body, str) or not isinstance(json.loads(body), dict):
            return None
    except (ValueError, RecursionError):  # not UTF-8, not JSON: moto's route refuses it as AWS
        return None
    response = factory()
    headers = Headers(
        [(k, v.decode("utf-8") if isinstance(v, bytes) else v) for k, v in request.headers.items()]
    )
    response.headers = headers
    response.querystring = {}
    response.body = response.raw_body = body
    response.uri = request.url
    response.method = request.method
    response.uri_match = {}
    response.region = response.get_region_from_url(SimpleNamespace(headers=headers), request.url)
    response.response_headers = {"server": "amazon.com"}
    parser = PROTOCOL_PARSERS["json"](
        service_model("sagemaker").operation_model(operation), map_type=dict
    )
    try:
        response.params = parser.parse(
            {
                "method": request.method,
                "values": {},  # type: ignore[typeddict-item]
                "headers": headers,
                "body": body.encode("utf-8"),
                "url_path": "/",
                "url_params": {},
            }
        )
    except Exception:  # moto's own route answers what its parser cannot read
        return None
    response.access_key = response.get_access_key()
    response.current_account = response.get_current_account()
    from moto.iam.models import mark_account_as_visited  # as moto's setup_class: on first use

    mark_account_as_visited(
        account_id=response.current_account,
        access_key=response.access_key,
        service="sagemaker",
        region=response.region,
    )
    ActionAuthenticatorMixin.request_count += 1
    return finish(response, getattr(response, _snake(operation)))


def finish(response: Any, action: Callable[[], Any]) -> tuple[int, Any, Any]:
    """Call ``action`` and shape its result as moto's ``call_action`` does."""
    try:
        result = action()
    except ServiceException as exc:
        status, headers, body = response.serialized(ActionResult(exc))
        headers["status"] = status
        result = body, headers
    except HTTPException as exc:
        error_headers: dict[str, Any] = dict(exc.get_headers() or [])
        error_headers["status"] = exc.code
        result = exc.description, error_headers
    if isinstance(result, ActionResult):
        status, headers, body = response.serialized(result)
    elif isinstance(result, str):
        status, headers, body = 200, response.response_headers, result
    else:
        status, headers, body = response._transform_response(response.response_headers, result)
    headers, body = response._enrich_response(headers, body)
    return status, headers, body


_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


def _snake(operation: str) -> str:
    return _SNAKE.sub("_", operation).lower()


def _patched_call(original: Any) -> Any:
    def __call__(
        self: BotocoreStubber, event_name: str, request: AWSPreparedRequest, **kwargs: Any
    ) -> AWSResponse | None:
        if self.enabled and _answerer is not None and event_name.startswith(_PREFIX):
            answer = _in_process(request, event_name[len(_PREFIX) :])
            if answer is not None:
                status, headers, body = answer
                return AWSResponse(request.url, status, headers, MockRawResponse(body))
        return cast("AWSResponse | None", original(self, event_name, request, **kwargs))

    return __call__


def activate(factory: Callable[[], Any], operations: frozenset[str]) -> None:
    """Answer ``operations`` in-process with response objects from ``factory`` (ref-counted)."""
    global _users, _original_call, _answerer
    with _lock:
        if _users == 0:
            _original_call = vars(BotocoreStubber)["__call__"]
            _answerer = (factory, operations)
            BotocoreStubber.__call__ = _patched_call(_original_call)  # type: ignore[method-assign]
        _users += 1


def deactivate() -> None:
    """Undo one :func:`activate`; the last one puts moto's handler back."""
    global _users, _original_call, _answerer
    with _lock:
        if _users == 0:
            return
        _users -= 1
        if _users == 0:
            BotocoreStubber.__call__ = _original_call  # type: ignore[method-assign]
            _original_call = None
            _answerer = None
