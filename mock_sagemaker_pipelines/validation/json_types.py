"""JSON-type checks of a request, worded as AWS's deserializer words a SerializationException.

botocore checks types client-side (``botocore/validate.py``), but clients with parameter
validation off, other SDKs and raw HTTP do not; AWS JSON-protocol services reject such a request
before any constraint check, e.g. ``STRING_VALUE can not be converted to an Integer``. The checks
are strict: a boolean is not a number or a timestamp, a numeric string is not a number, an
Integer is an integral JSON number within int32 (a Long within int64), lists are lists and maps
are maps. The shapes come from the botocore model of the service (:mod:`.model`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .model import _service_model

__all__ = ["request_type_error"]

_JSON_KIND = {
    "string": "STRING_VALUE",
    "integer": "NUMBER_VALUE",
    "long": "NUMBER_VALUE",
    "float": "NUMBER_VALUE",
    "double": "NUMBER_VALUE",
    "boolean": "BOOLEAN_VALUE",
}
_ARTICLE = {"integer": "an Integer", "long": "a Long", "float": "a Float", "double": "a Double"}
#: The values a JSON number may take for an Integer (int32) or a Long (int64) member.
_INTEGER_RANGE = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def _fits_integer(kind: str, value: Any) -> bool:
    """Whether a JSON number is an integral value within the member's Java type."""
    if isinstance(value, float):
        if not value.is_integer():
            return False
        value = int(value)
    low, high = _INTEGER_RANGE[kind]
    return bool(low <= value <= high)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "BOOLEAN_VALUE"
    if isinstance(value, (int, float)):
        return "NUMBER_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, Mapping):
        return "Start of structure or map"
    if isinstance(value, (list, tuple)):
        return "Start of list"
    return type(value).__name__


def _type_error(shape: Any, value: Any, depth: int = 0) -> str | None:
    """The first member whose JSON type does not fit its shape, phrased as AWS's deserializer."""
    if value is None or depth > 64:
        return None
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            return f"{_json_kind(value)} can not be converted to a Structure"
        for name, member in shape.members.items():
            if name in value:
                found = _type_error(member, value[name], depth + 1)
                if found:
                    return found
        return None
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            return f"{_json_kind(value)} can not be converted to a List"
        for item in value:
            found = _type_error(shape.member, item, depth + 1)
            if found:
                return found
        return None
    if kind == "map":
        if not isinstance(value, Mapping):
            return f"{_json_kind(value)} can not be converted to a Map"
        for item in value.values():
            found = _type_error(shape.value, item, depth + 1)
            if found:
                return found
        return None
    if kind == "timestamp":
        # A JSON number (epoch seconds, as botocore sends it) or a date string (a datetime once
        # moto's parser has read it); the backend refuses a string it cannot read with a
        # ValidationException.
        if isinstance(value, bool) or not isinstance(value, (int, float, str, datetime)):
            return f"{_json_kind(value)} can not be converted to a Timestamp"
        return None
    if kind == "blob":
        return None
    expected = _JSON_KIND.get(kind)
    actual = _json_kind(value)
    target = _ARTICLE.get(kind, f"a {kind.capitalize()}")
    if expected is None:
        return None
    if actual != expected:
        return f"{actual} can not be converted to {target}"
    if kind in _INTEGER_RANGE and not _fits_integer(kind, value):
        return f"{actual} can not be converted to {target}"  # fractional, or past int32/int64
    return None


def request_type_error(operation_name: str, params: Any) -> str | None:
    """The AWS ``SerializationException`` message for a member of the wrong JSON type, or None.

    botocore checks types client-side, but clients with parameter validation off, other SDKs and
    raw HTTP do not; AWS rejects such a request before any constraint check.
    """
    try:
        operation = _service_model().operation_model(operation_name)
    except Exception:
        return None
    if operation.input_shape is None:
        return None
    try:
        return _type_error(operation.input_shape, params if params is not None else {})
    except Exception:
        return None
