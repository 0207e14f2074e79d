"""moto's neighbouring services the simulator drives: SQS, Lambda, S3 and EventBridge.

All calls go to moto's real backends (``sqs_backends``, ``lambda`` via ``awslambda.utils.get_backend``,
``s3_backends``, ``events_backends``), in the account and region of the *target* resource, as
``shared/spec/moto-plugin-and-peers.md`` section 5 describes. Every moto internal used is listed in
:data:`MOTO_INTERNALS`.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from moto.awslambda.utils import get_backend as _get_lambda_backend
from moto.events.models import events_backends
from moto.s3.models import s3_backends
from moto.sqs.models import sqs_backends

from .backends import region_backend

MOTO_INTERNALS: tuple[str, ...] = (
    "moto.sqs.models.sqs_backends",
    "moto.sqs.models.SQSBackend.send_message",
    "moto.sqs.models.SQSBackend.get_queue",
    "moto.sqs.models.SQSBackend.create_queue",
    "moto.awslambda.utils.get_backend",
    "moto.awslambda.models.LambdaBackend.get_function",
    "moto.awslambda.models.LambdaBackend.invoke",
    "moto.awslambda.models.LambdaFunction.timeout",
    "moto.s3.models.s3_backends",
    "moto.s3.models.S3Backend.get_object",
    "moto.s3.models.S3Backend.get_bucket",
    "moto.s3.models.S3Backend.put_object",
    "moto.s3.models.S3Backend.create_bucket",
    "moto.s3.models.S3Backend.list_buckets",
    "moto.s3.models.S3Backend.list_objects",
    "moto.s3.models.S3Backend.delete_object",
    "moto.s3.models.FakeKey.name",
    "moto.events.models.events_backends",
    "moto.events.models.EventsBackend.put_events",
)

_SQS_HOST = re.compile(r"^(?:sqs\.(?P<r1>[a-z0-9-]+)\.|(?P<r2>[a-z0-9-]+)\.queue\.)")
_LAMBDA_ARN = re.compile(
    r"^arn:aws[a-z-]*:lambda:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):function:"
    r"(?P<name>[A-Za-z0-9_-]+)(?::(?P<qualifier>[A-Za-z0-9_$-]+))?$"
)


@dataclass(frozen=True)
class QueueRef:
    """Where an SQS queue URL points: account id, region and queue name."""

    account_id: str
    region: str
    name: str


class PeerError(Exception):
    """A neighbouring resource is missing or refused the call; ``str()`` says which and why."""


def parse_queue_url(url: str, default_account: str, default_region: str) -> QueueRef:
    """Split ``https://sqs.<region>.amazonaws.com/<account>/<name>`` into a :class:`QueueRef`.

    Server-mode URLs (``http://127.0.0.1:5000/<account>/<name>``) carry no region: the pipeline
    execution's region is used. Raises :class:`PeerError` for a URL with no queue name.
    """
    parsed = urlparse(str(url))
    parts = [p for p in parsed.path.split("/") if p]
    if not parts:
        raise PeerError(f"The SQS queue URL {url!r} does not name a queue.")
    name = parts[-1]
    account = (
        parts[-2] if len(parts) >= 2 and re.fullmatch(r"\d{12}", parts[-2]) else default_account
    )
    match = _SQS_HOST.match(parsed.netloc or "")
    region = (match.group("r1") or match.group("r2")) if match else default_region
    return QueueRef(account, region, name)


def send_sqs_message(queue: QueueRef, body: str) -> str:
    """Put ``body`` on the queue in moto's SQS; returns the MessageId.

    FIFO queues get a message group id of ``sagemaker-pipelines`` and a deduplication id derived
    from the body. Raises :class:`PeerError` if the queue does not exist.
    """
    try:
        backend = region_backend(sqs_backends, queue.account_id, queue.region)
        sqs_queue = backend.get_queue(queue.name)
    except Exception as exc:  # moto raises QueueDoesNotExist
        raise PeerError(
            f"The specified queue {queue.name} does not exist in account {queue.account_id} "
            f"region {queue.region}."
        ) from exc
    kwargs: dict[str, Any] = {}
    if getattr(sqs_queue, "fifo_queue", False):
        import hashlib

        kwargs["group_id"] = "sagemaker-pipelines"
        kwargs["deduplication_id"] = hashlib.sha256(body.encode()).hexdigest()
    message = backend.send_message(queue.name, body, **kwargs)
    return str(message.id)


def create_sqs_queue(queue: QueueRef) -> None:
    """Create the queue in moto's SQS if it does not exist (used by ``simulate``)."""
    backend = region_backend(sqs_backends, queue.account_id, queue.region)
    attributes: dict[str, Any] = {"FifoQueue": "true"} if queue.name.endswith(".fifo") else {}
    backend.create_queue(queue.name, **attributes)


@dataclass(frozen=True)
class LambdaRef:
    """A Lambda function named by a step's FunctionArn (or a bare name)."""

    account_id: str
    region: str
    name: str
    qualifier: str | None
    arn: str


def parse_function_arn(arn_or_name: str, default_account: str, default_region: str) -> LambdaRef:
    """Read account, region, name and qualifier from a function ARN; bare names use the defaults."""
    match = _LAMBDA_ARN.match(str(arn_or_name))
    if match:
        return LambdaRef(
            match.group("account"),
            match.group("region"),
            match.group("name"),
            match.group("qualifier"),
            str(arn_or_name),
        )
    name = str(arn_or_name)
    arn = f"arn:aws:lambda:{default_region}:{default_account}:function:{name}"
    return LambdaRef(default_account, default_region, name, None, arn)


def lambda_function_exists(ref: LambdaRef) -> bool:
    """Whether moto's Lambda backend (the one ``mock_aws`` config selects) knows the function."""
    try:
        backend = _get_lambda_backend(ref.account_id, ref.region)
        backend.get_function(ref.name, ref.qualifier)
    except Exception:
        return False
    return True


def lambda_function_timeout(ref: LambdaRef) -> float | None:
    """The function's configured Timeout in seconds (moto's Lambda backend), if it has one."""
    try:
        backend = _get_lambda_backend(ref.account_id, ref.region)
        timeout = backend.get_function(ref.name, ref.qualifier).timeout
        return float(timeout) if timeout else None
    except Exception:
        return None


def invoke_moto_lambda(ref: LambdaRef, event: Any) -> tuple[bytes, str | None]:
    """Invoke the function in moto's Lambda backend synchronously.

    Returns ``(payload, function_error)`` where ``function_error`` is the
    ``X-Amz-Function-Error`` value (``"Handled"``/``"Unhandled"``) or ``None``. Without Docker,
    moto's Docker backend answers ``error running docker: ...`` with ``Handled``.
    """
    backend = _get_lambda_backend(ref.account_id, ref.region)
    response_headers: dict[str, Any] = {}
    payload = backend.invoke(
        ref.name,
        ref.qualifier,
        json.dumps(event),
        {"x-amz-invocation-type": "RequestResponse"},
        response_headers,
    )
    if isinstance(payload, str):
        payload = payload.encode()
    return payload or b"", response_headers.get("x-amz-function-error")


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> ``(bucket, key)``; raises :class:`PeerError` on another scheme."""
    parsed = urlparse(str(uri))
    if parsed.scheme != "s3" or not parsed.netloc:
        raise PeerError(f"{uri!r} is not an S3 URI.")
    return parsed.netloc, parsed.path.lstrip("/")


def read_s3_object(account_id: str, bucket: str, key: str, version_id: str | None = None) -> bytes:
    """The bytes of an object in moto's S3; raises :class:`PeerError` if bucket or key is missing."""
    backend = region_backend(s3_backends, account_id, "aws")
    try:
        obj = backend.get_object(bucket, key, version_id=version_id)
    except Exception as exc:
        raise PeerError(f"Unable to read s3://{bucket}/{key}: {exc}") from exc
    if obj is None:
        raise PeerError(f"s3://{bucket}/{key} does not exist.")
    return bytes(obj.value)


def write_s3_object(account_id: str, region: str, bucket: str, key: str, body: bytes) -> None:
    """Write an object to moto's S3, creating the bucket if needed (simulated job outputs).

    Raises :class:`PeerError` when moto refuses (an invalid bucket name, ...).
    """
    backend = region_backend(s3_backends, account_id, "aws")
    try:
        try:
            backend.get_bucket(bucket)
        except Exception:
            backend.create_bucket(bucket, region)
        backend.put_object(bucket, key, body)
    except Exception as exc:
        raise PeerError(f"Unable to write s3://{bucket}/{key}: {exc}") from exc


def _s3_error(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    message = getattr(exc, "message", None)
    if isinstance(code, str) and isinstance(message, str) and not code.isdigit():
        return f"{code}: {message}"
    return f"{type(exc).__name__}: {exc}"


def list_s3_keys(account_id: str, bucket: str, prefix: str) -> list[str]:
    """The keys of the current objects under ``prefix`` in a bucket of moto's S3, sorted.

    Raises :class:`PeerError` (``"NoSuchBucket: ..."``) when the bucket is missing.
    """
    backend = region_backend(s3_backends, account_id, "aws")
    try:
        found = backend.list_objects(backend.get_bucket(bucket), prefix, None, None, None)[0]
    except Exception as exc:
        raise PeerError(_s3_error(exc)) from exc
    return sorted(str(key.name) for key in found)


def delete_s3_object(account_id: str, bucket: str, key: str) -> None:
    """DeleteObject in moto's S3 (a missing key is not an error, as in S3).

    Raises :class:`PeerError` (``"NoSuchBucket: ..."``) when the bucket is missing.
    """
    backend = region_backend(s3_backends, account_id, "aws")
    try:
        backend.delete_object(bucket, key)
    except Exception as exc:
        raise PeerError(_s3_error(exc)) from exc


#: The request header through which moto serves a call in a given account (moto's multi-account
#: support, ``docs/docs/multi_account.rst``; honoured unless ``MOTO_ACCOUNT_ID`` is set).
ACCOUNT_HEADER = "x-moto-account-id"


def boto_session(account_id: str, region: str) -> Any:
    """A boto3 ``Session`` in ``region`` whose every request is served in ``account_id``.

    The calls reach moto only while ``mock_aws`` runs (the decorator, the context manager, the
    fixture, ``simulate``); in server mode pass the server's URL as ``endpoint_url`` to its clients.
    """
    import boto3

    session = boto3.Session(region_name=region)

    def add_account(request: Any, **_: Any) -> None:
        request.headers[ACCOUNT_HEADER] = account_id

    session.events.register("before-sign", add_account)
    return session


S3Snapshot = dict[tuple[str, str], tuple[Any, bytes]]


def s3_snapshot(
    account_id: str, keep_bytes: Callable[[str], bool] = lambda uri: True
) -> S3Snapshot:
    """Every object in moto's S3 of ``account_id``: ``(bucket, key)`` -> (moto's key, its bytes).

    moto makes a new key object on every write (and closes the old one's buffer), so comparing
    two snapshots by identity tells which objects a piece of code wrote or deleted
    (:func:`s3_changes`), and the bytes kept here let :func:`s3_restore` put them back. Only
    objects whose ``s3://bucket/key`` URI ``keep_bytes`` accepts have their bytes copied.
    """
    backend = region_backend(s3_backends, account_id, "aws")
    found: S3Snapshot = {}
    for bucket in backend.list_buckets(None, None, None):
        keys, _, _, _ = backend.list_objects(bucket, None, None, None, 10**9)
        for key in keys:
            keep = keep_bytes(f"s3://{bucket.name}/{key.name}")
            found[(bucket.name, key.name)] = (key, bytes(key.value) if keep else b"")
    return found


def s3_changes(before: S3Snapshot, after: S3Snapshot) -> list[tuple[str, str]]:
    """``(bucket, key)`` of every object written or deleted between two snapshots, sorted."""
    changed = {k for k, v in after.items() if k not in before or before[k][0] is not v[0]}
    changed |= {k for k in before if k not in after}
    return sorted(changed)


def s3_restore(
    account_id: str, region: str, before: S3Snapshot, keys: list[tuple[str, str]]
) -> None:
    """Put the objects ``keys`` back as they were in ``before`` (deleting those that were new)."""
    backend = region_backend(s3_backends, account_id, "aws")
    for bucket, key in keys:
        with contextlib.suppress(Exception):
            if (bucket, key) in before:
                backend.put_object(bucket, key, before[(bucket, key)][1])
            else:
                backend.delete_object(bucket, key)


def put_events(account_id: str, region: str, entries: list[dict[str, Any]]) -> None:
    """Send events to the default bus of moto's EventBridge; target errors are swallowed.

    moto raises ``NotImplementedError`` for rule targets it cannot deliver to (Lambda, SNS, ...):
    such events are dropped rather than failing the simulated execution.
    """
    backend = region_backend(events_backends, account_id, region)
    if not _bus_has_rules(backend):
        return
    # EventBridge delivery must never break the simulation.
    with contextlib.suppress(Exception):
        backend.put_events(entries)


def events_wanted(account_id: str, region: str) -> bool:
    """Whether :func:`put_events` would deliver anything: a bus of moto's EventBridge has a rule.

    Lets callers skip building event details nobody can receive (most tests define no rule).
    """
    return _bus_has_rules(region_backend(events_backends, account_id, region))


def _bus_has_rules(backend: Any) -> bool:
    buses = getattr(backend, "event_buses", {}) or {}
    return any(getattr(bus, "rules", None) for bus in buses.values())
