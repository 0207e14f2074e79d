"""What every part of the backend shares: ARN patterns, pagination, time filters, idempotency.

* ARNs: ``arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>`` and
  ``.../execution/<id>`` (spec section 2).
* Pagination: an opaque ``NextToken`` (an offset) and ``MaxResults`` (default 100); a token this
  backend did not issue is a ValidationException.
* Time filters: ``CreatedAfter``/``CreatedBefore`` as datetimes, Unix times or ISO 8601 text
  (exclusive bounds).
* Idempotency: a ``ClientRequestToken`` replayed with the same request returns the first
  response; with another request it raises (spec sections 3.1 and 14).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any

from ..exceptions import ValidationException

PIPELINE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z\-]*):sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}|aws):pipeline/(?P<name>[^/]+)$"
)
EXECUTION_ARN = re.compile(
    r"^arn:aws[a-z\-]*:sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}):pipeline/"
    r"(?P<name>[^/]+)/execution/(?P<id>[^/]+)$"
)
DEFAULT_MAX_RESULTS = 100


def paginate(
    items: list[Any], max_results: int | None, next_token: str | None
) -> tuple[list[Any], str | None]:
    """Cut a page out of ``items``; the token is an opaque offset.

    Raises ValidationException for a token this backend did not issue.
    """
    start = 0
    if next_token:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(next_token.encode()).decode())
            start = int(decoded["offset"])
            if start < 0:
                raise ValueError(start)
        except (
            ValueError,
            KeyError,
            TypeError,
            OverflowError,
            binascii.Error,
            UnicodeDecodeError,
        ) as exc:
            raise ValidationException(f"Invalid pagination token: {next_token}") from exc
    size = DEFAULT_MAX_RESULTS if max_results is None else int(max_results)
    page = items[start : start + size]
    end = start + size
    token = None
    if end < len(items):
        token = base64.urlsafe_b64encode(json.dumps({"offset": end}).encode()).decode()
    return page, token


def page_result(key: str, items: list[Any], next_token: str | None) -> dict[str, Any]:
    """``{key: items}`` plus ``NextToken`` when there is a next page."""
    result: dict[str, Any] = {key: items}
    if next_token:
        result["NextToken"] = next_token
    return result


def as_datetime(value: Any) -> datetime | None:
    """A request timestamp as an aware UTC datetime (ValidationException if unreadable)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    text = str(value)
    try:
        return datetime.fromtimestamp(float(text), tz=timezone.utc)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationException(f"Invalid timestamp: {text}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def in_window(when: datetime, after: Any, before: Any) -> bool:
    """Whether ``when`` lies strictly between ``after`` and ``before`` (either may be None)."""
    lo, hi = as_datetime(after), as_datetime(before)
    return (lo is None or when > lo) and (hi is None or when < hi)


def _fingerprint(request: Any) -> str:
    """A digest of the request (a whole definition is not worth keeping per token)."""
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


class IdempotencyStore:
    """``(operation, ClientRequestToken)`` -> (request digest, response).

    The service does not document how long it remembers a token; the mock remembers the last
    :attr:`MAX_ENTRIES` token-bearing requests of an account and region, and forgets those about
    a pipeline when it is deleted (except the DeletePipeline itself, whose replay still answers).
    """

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[str, str], tuple[str, dict[str, Any]]] = OrderedDict()

    def forget_pipeline(self, pipeline_arn: str) -> None:
        """Drop what was remembered about ``pipeline_arn`` and its executions."""
        prefix = pipeline_arn + "/"
        stale = [
            key
            for key, (_, response) in self.entries.items()
            if key[0] != "DeletePipeline"
            and any(
                arn == pipeline_arn or str(arn).startswith(prefix)
                for arn in (response.get("PipelineArn"), response.get("PipelineExecutionArn"))
                if arn
            )
        ]
        for key in stale:
            del self.entries[key]

    def replay(
        self,
        operation: str,
        token: str | None,
        request: Any,
        mismatch: type[Exception] = ValidationException,
    ) -> dict[str, Any] | None:
        """The remembered response of ``(operation, token)``, or None if the token is new.

        The same token with a different ``request`` raises ``mismatch``.
        """
        if not token:
            return None
        cached = self.entries.get((operation, token))
        if cached is None:
            return None
        stored, response = cached
        if stored != _fingerprint(request):
            raise mismatch(
                f"The ClientRequestToken {token} was already used for a different {operation} request."
            )
        return dict(response)

    def remember(
        self, operation: str, token: str | None, request: Any, response: dict[str, Any]
    ) -> None:
        """Keep ``response`` for replays of ``(operation, token)`` with the same ``request``."""
        if token:
            self.entries[(operation, token)] = (_fingerprint(request), dict(response))
            self.entries.move_to_end((operation, token))
            while len(self.entries) > self.MAX_ENTRIES:
                self.entries.popitem(last=False)
