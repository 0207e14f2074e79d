"""How expression values render and compare.

* :func:`render_value` -- the string form of a value inside ``Std:Join`` and of stored
  parameter/output values; a Boolean (e.g. a Condition step's ``Outcome``) renders lower-case
  (``false``), the observed service behaviour (``shared/spec/sagemaker-pipelines-semantics.md``
  section 9.2 [OBS]);
* :func:`plain_number_text` -- whether a string may be a number as the service reads one;
* :func:`values_equal` / :func:`compare_ordered` -- the comparisons behind the condition types
  (section 10 "Conditions"; mismatched types in an ordering fail like SDK local mode, section
  9.2 [U]).
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from .paths import ExpressionError

__all__ = ["compare_ordered", "plain_number_text", "render_value", "values_equal"]


def plain_number_text(text: str) -> bool:
    """Whether ``text`` may be a number as the service reads one: ASCII, without ``_``.

    Python's ``int()``/``float()`` also read ``1_000``, non-ASCII digits and Unicode spaces,
    which Java's ``Integer.parseInt``/``Double.parseDouble`` do not.
    """
    return text.isascii() and "_" not in text


def render_value(value: Any) -> str:
    """String form of a value inside ``Std:Join`` (and of stored parameter/output values).

    ``bool`` -> ``"true"``/``"false"`` (spec section 9.2 [OBS]: a Condition ``Outcome`` renders
    ``false`` in a Join), ``float`` -> Python ``repr`` (``6.0`` -> ``"6.0"``), ``int`` ->
    ``"5"``, ``None`` -> ``""``, ``str`` unchanged, datetimes -> ISO 8601, lists/objects ->
    compact JSON.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, separators=(",", ":"), default=str)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def values_equal(left: Any, right: Any) -> bool:
    """Value equality: numbers numerically (``1 == 1.0``), booleans only equal booleans."""
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left is right
    return bool(left == right)


def _type_name(value: Any) -> str:
    return type(value).__name__


def compare_ordered(ctype: str, left: Any, right: Any) -> bool:
    """Ordering comparison; mismatched types fail like SDK local mode (spec section 9.2 [U])."""
    comparable = (
        (_is_number(left) and _is_number(right))
        or (isinstance(left, str) and isinstance(right, str))
        or (isinstance(left, bool) and isinstance(right, bool))
    )
    if not comparable:
        raise ExpressionError(
            f"ClientError: Condition of type [{ctype}] not supported between "
            f"[{render_value(left)}] of type [{_type_name(left)}] and "
            f"[{render_value(right)}] of type [{_type_name(right)}]"
        )
    if ctype == "GreaterThan":
        return bool(left > right)
    if ctype == "GreaterThanOrEqualTo":
        return bool(left >= right)
    if ctype == "LessThan":
        return bool(left < right)
    return bool(left <= right)
