"""``PipelinesResponse``: moto's ``SageMakerResponse`` with the pipeline actions owned by this plugin.

moto maps ``X-Amz-Target: SageMaker.StopPipelineExecution`` to the method
``stop_pipeline_execution`` (``shared/spec/moto-plugin-and-peers.md`` section 1.3); every action not
defined here is inherited and still served by moto.

One generic route serves every action in :data:`OWNED_ACTIONS`: it validates the request against
the botocore model (:mod:`.validation`), reads the members of the operation's input shape and
calls the backend method of the same snake_case name with snake_case keywords, under the
simulation lock; afterwards events due at the current simulated time run. Adding an action is
one backend method and one line in :data:`OWNED_ACTIONS`. Only the tag actions, shared with
moto, have handlers of their own.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from botocore import xform_name

from . import wire
from ._moto import (
    ActionResult,
    EmptyResult,
    SagemakerClientError,
    SageMakerResponse,
    prettify_responses,
    region_backend,
)
from .backend import PipelinesBackend, pipelines_backends
from .engine import simulation as simulation_module
from .exceptions import (
    ResourceNotFound,
    SerializationException,
    UnknownOperationException,
    ValidationException,
)
from .service_models import service_model
from .validation import check_json_types, request_type_error, validate_request

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _operation_names() -> frozenset[str]:
    """Every operation of the SageMaker service model (botocore)."""
    return frozenset(service_model("sagemaker").operation_names)


#: The SageMaker actions this plugin serves itself (the guard test checks moto defines none of
#: the ones moto lacks, and the rest are overridden on purpose).
OWNED_ACTIONS: tuple[str, ...] = (
    "CreatePipeline",
    "UpdatePipeline",
    "DescribePipeline",
    "DeletePipeline",
    "ListPipelines",
    "ListPipelineVersions",
    "UpdatePipelineVersion",
    "StartPipelineExecution",
    "DescribePipelineExecution",
    "ListPipelineExecutions",
    "ListPipelineExecutionSteps",
    "DescribePipelineDefinitionForExecution",
    "ListPipelineParametersForExecution",
    "UpdatePipelineExecution",
    "StopPipelineExecution",
    "RetryPipelineExecution",
    "SendPipelineExecutionStepSuccess",
    "SendPipelineExecutionStepFailure",
    "DescribeJob",
)


#: Owned actions whose backend method validates the request itself (the callback answers, which
#: scripted outcomes also send), so that it is checked once.
SELF_VALIDATING_ACTIONS = frozenset(
    {"SendPipelineExecutionStepSuccess", "SendPipelineExecutionStepFailure"}
)


@functools.cache
def _members(operation: str, backend_class: type) -> tuple[tuple[str, str], ...]:
    """``(member, keyword)`` pairs of ``operation``'s input shape that its backend method takes."""
    model = service_model("sagemaker")
    shape = model.operation_model(operation).input_shape
    accepted = inspect.signature(getattr(backend_class, xform_name(operation))).parameters
    members = shape.members if shape is not None else {}
    return tuple((m, xform_name(m)) for m in members if xform_name(m) in accepted)


def action(operation: str, validate: bool = True) -> Callable[[F], F]:
    """Wrap a handler: model-driven validation, the simulation lock, due events, no HTTP 500s.

    ``validate=False`` for operations whose backend method validates the request itself (the
    callback answers, which scripted outcomes also send), so that it is checked once.

    Any unexpected Python error in the plugin becomes a ``ValidationException`` naming it, so that
    no request, however malformed, reaches the caller as a crash (logged with its traceback).
    """

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: PipelinesResponse, *args: Any, **kwargs: Any) -> Any:
            sim = simulation_module.current()
            with sim.lock:
                try:
                    check_json_types(operation, self.sent_json())
                    if validate:
                        validate_request(operation, self.params or {}, check_types=False)
                    result = method(self, *args, **kwargs)
                except SerializationException as exc:
                    # Not an error shape of the SageMaker model: moto would warn on serializing it.
                    return self._error_response(exc)
                except SagemakerClientError:
                    raise
                except Exception as exc:
                    logger.debug("mock-sagemaker-pipelines failed on %s", operation, exc_info=True)
                    raise ValidationException(
                        f"The request could not be processed: {type(exc).__name__}: {exc}"
                    ) from exc
                try:
                    sim.scheduler.run_due()
                except Exception:  # the call itself succeeded; a step's own failure is recorded
                    logger.debug("running due events after %s failed", operation, exc_info=True)
                return result

        return wrapper  # type: ignore[return-value]

    return decorate


def _check_json_object(body: Any) -> None:
    """Raise ``ValueError`` unless ``body`` (text or bytes) is empty or one JSON object."""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not body or not str(body).strip():
        return
    if not isinstance(json.loads(body), dict):
        raise ValueError("the body must be a JSON object")


def _unreadable(exc: Exception) -> str:
    """The SerializationException message for a body that could not be read.

    A JSON syntax error names its position; anything else (moto's parser failing on a value,
    another protocol's Content-Type, nesting too deep) gets one plain sentence rather than
    Python's internals.
    """
    if isinstance(exc, json.JSONDecodeError):
        return f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}."
    return "The request body could not be read as a JSON object of the operation's input shape."


class PipelinesResponse(SageMakerResponse):
    """moto's SageMaker responses, with SageMaker Pipelines served by :class:`PipelinesBackend`."""

    #: Actions botocore clients get answered in-process, past moto's request emulation
    #: (``_moto/fast.py``); the tag actions, shared with moto, keep moto's route.
    IN_PROCESS_ACTIONS = frozenset(OWNED_ACTIONS)

    def _dispatch(self, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
        """moto's dispatch, with a request moto cannot parse answered as AWS does (HTTP 400).

        A body that is not a JSON object (malformed, truncated, an array, a string), or a member
        of the wrong JSON type that moto's parser chokes on, gets ``SerializationException``
        (moto would read a malformed body as ``{}``); an ``X-Amz-Target`` without an operation
        or with one the SageMaker model does not define gets ``UnknownOperationException``
        (instead of moto's HTTP 404 or 500). An empty body is read as ``{}``.
        """
        target = str(getattr(request, "headers", {}).get("X-Amz-Target") or "").rsplit(".", 1)[-1]
        if target not in _operation_names():
            return self._error_response(
                UnknownOperationException(
                    f"The operation {target} is not supported by SageMaker."
                    if target
                    else "The request names no operation (X-Amz-Target: SageMaker.<Operation>)."
                )
            )
        try:
            self.setup_class(request, full_url, headers)
            _check_json_object(self.body)
        except Exception as exc:
            logger.debug("moto could not parse a SageMaker request", exc_info=True)
            return self._error_response(
                SerializationException(self._type_error(target) or _unreadable(exc))
            )
        return self.call_action()

    def _type_error(self, operation: str) -> str | None:
        """AWS's message for the member of the wrong JSON type that made moto's parser fail."""
        try:
            return request_type_error(operation, self.sent_json())
        except Exception:
            return None

    def _error_response(self, error: SagemakerClientError) -> Any:
        body = json.dumps({"__type": error.code, "message": error.message})
        # "status" is how moto's call_action reads the code of a tuple a handler returns.
        return 400, {"Content-Type": "application/x-amz-json-1.1", "status": "400"}, body

    def sent_json(self) -> Any:
        """The request body as the client sent it (decoded JSON; ``{}`` for an empty body)."""
        body = self.body.decode("utf-8") if isinstance(self.body, bytes) else self.body
        return json.loads(body) if body and str(body).strip() else {}

    @property
    def pipelines_backend(self) -> PipelinesBackend:
        """The backend of the caller's account and region."""
        return region_backend(pipelines_backends, self.current_account, self.region)

    def _p(self, name: str) -> Any:
        return self._get_param(name)

    def _call_backend(self, operation: str) -> ActionResult | tuple[int, dict[str, str], str]:
        """Call the backend method named after ``operation`` with the request's members.

        Every member of the operation's botocore input shape that the method takes is passed as
        its snake_case keyword (``PipelineExecutionArn`` -> ``pipeline_execution_arn``), ``None``
        when the request leaves it out. The result is written by :mod:`.wire` (the same bytes
        as moto's serialiser, without its cost), or by moto's serialiser for a value
        :mod:`.wire` does not write or when moto pretty-prints responses.
        """
        method = getattr(self.pipelines_backend, xform_name(operation))
        keywords = {
            keyword: self._get_param(member)
            for member, keyword in _members(operation, type(self.pipelines_backend))  # type: ignore[arg-type]
        }
        result = method(**keywords)
        if prettify_responses():
            return ActionResult(result)
        try:
            body = wire.serialize(operation, result)
        except wire.Unsupported:
            logger.debug("moto serialises this %s result", operation, exc_info=True)
            return ActionResult(result)
        return 200, {"Content-Type": wire.content_type()}, body

    # --------------------------------------------------------------------- tags
    def _tags(
        self,
        operation: str,
        ours: Callable[[str], ActionResult],
        moto: Callable[[], ActionResult],
    ) -> Any:
        """Route a tag action: ours on pipeline and execution ARNs, moto's on any other resource
        (validated first: moto crashes on some bad input)."""
        arn = str(self._p("ResourceArn") or "")
        if self.pipelines_backend.owns_arn(arn):
            return ours(arn)
        try:
            check_json_types(operation, self.sent_json())
        except SerializationException as exc:
            return self._error_response(exc)
        validate_request(operation, self.params or {})
        try:
            return moto()
        except SagemakerClientError:
            raise
        except Exception as exc:  # moto's look-up crashes on a resource it does not have
            logger.debug("moto failed on %s of %s", operation, arn, exc_info=True)
            raise ResourceNotFound(f"Resource {arn} does not exist.") from exc

    def add_tags(self) -> Any:
        """AddTags: ours on pipeline and execution ARNs, moto's on any other resource."""
        return self._tags("AddTags", self._tags_add, super().add_tags)

    def list_tags(self) -> Any:
        """ListTags: ours on pipeline and execution ARNs, moto's on any other resource."""
        return self._tags("ListTags", self._tags_list, super().list_tags)

    def delete_tags(self) -> Any:
        """DeleteTags: ours on pipeline and execution ARNs, moto's on any other resource."""
        return self._tags("DeleteTags", self._tags_delete, super().delete_tags)

    @action("AddTags")
    def _tags_add(self, arn: str) -> ActionResult:
        return ActionResult({"Tags": self.pipelines_backend.add_tags(arn, self._p("Tags") or [])})

    @action("ListTags")
    def _tags_list(self, arn: str) -> ActionResult:
        return ActionResult(
            self.pipelines_backend.list_tags(arn, self._p("NextToken"), self._p("MaxResults"))
        )

    @action("DeleteTags")
    def _tags_delete(self, arn: str) -> ActionResult:
        self.pipelines_backend.delete_tags(arn, self._p("TagKeys") or [])
        return EmptyResult()


def _route(operation: str) -> Callable[[PipelinesResponse], Any]:
    """The handler of an owned action: validate, then call the backend method of the same name."""

    def handler(self: PipelinesResponse) -> Any:
        return self._call_backend(operation)

    handler.__name__ = handler.__qualname__ = xform_name(operation)
    handler.__doc__ = f"{operation}: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_{operation}.html"
    return action(operation, validate=operation not in SELF_VALIDATING_ACTIONS)(handler)


for _operation in OWNED_ACTIONS:
    setattr(PipelinesResponse, xform_name(_operation), _route(_operation))
