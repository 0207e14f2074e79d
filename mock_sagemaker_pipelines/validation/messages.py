"""Value rendering and the message form of AWS JSON-protocol ``ValidationException`` messages.

The wording is the Coral ``ValidationException`` form documented under "Common Errors" in the
API references (https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html)::

    Value 'x' at 'pipelineName' failed to satisfy constraint: ...

Values are shown as Java's ``toString`` would show them; member paths use the member names with
the first letter lower-cased.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _render(value: Any, depth: int = 0) -> str:
    """Render a value the way Java's ``toString`` would show it in an AWS message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if depth > 8:
        return "..."
    if isinstance(value, Mapping):
        items = ", ".join(
            f"{_render(k, depth + 1)}={_render(v, depth + 1)}" for k, v in value.items()
        )
        return "{" + items + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_render(v, depth + 1) for v in value) + "]"
    try:
        return str(value)
    except Exception:
        return object.__repr__(value)


def _message(value: Any, path: str, constraint: str) -> str:
    shown = "null" if value is None else f"'{_render(value)}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def _number_text(bound: Any) -> str:
    if isinstance(bound, float) and bound.is_integer():
        return str(int(bound))
    return str(bound)


def _lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]
