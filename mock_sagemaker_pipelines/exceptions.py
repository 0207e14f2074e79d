"""Errors the SageMaker Pipelines API answers with, as moto service exceptions.

Each class carries the wire error code of the real service (the botocore model's error shape name,
`data/sagemaker/2017-07-24/service-2.json`): ``ValidationException`` (not modelled per operation but
returned for input-constraint violations), ``ResourceNotFound``, ``ConflictException`` and
``ResourceLimitExceeded``. moto serializes them as HTTP 400 JSON errors, so boto3 raises
``ClientError`` with ``Error.Code`` set to the class's ``code``.
"""

from __future__ import annotations

from ._moto import SagemakerClientError


class ValidationException(SagemakerClientError):
    """HTTP 400 ``ValidationException``: a request that violates an input constraint or a rule."""

    code = "ValidationException"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ResourceNotFound(SagemakerClientError):
    """HTTP 400 ``ResourceNotFound``: the pipeline, version, execution or callback token is unknown."""

    code = "ResourceNotFound"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ConflictException(SagemakerClientError):
    """HTTP 400 ``ConflictException``: the entity is in a state that forbids the change."""

    code = "ConflictException"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class ResourceLimitExceeded(SagemakerClientError):
    """HTTP 400 ``ResourceLimitExceeded``: an account quota (pipelines, concurrent executions)."""

    code = "ResourceLimitExceeded"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class SerializationException(SagemakerClientError):
    """HTTP 400 ``SerializationException``: a request body or member of the wrong JSON type.

    AWS JSON-protocol services answer this before any validation, e.g. "NUMBER_VALUE can not be
    converted to a String" (the AWS common-errors page).
    """

    code = "SerializationException"

    def __init__(self, message: str) -> None:
        super().__init__(message)


class UnknownOperationException(SagemakerClientError):
    """HTTP 400 ``UnknownOperationException``: an ``X-Amz-Target`` the service does not define."""

    code = "UnknownOperationException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
