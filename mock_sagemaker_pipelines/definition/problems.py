"""What every definition check shares: the :class:`Problems` of one validation run, the
:class:`DefinitionError` that reports them, and helpers to name values in messages.

Problems are collected rather than raised (validation does not stop at the first one) and are
phrased like the service's ``ValidationException`` messages where those are known
(``shared/spec/sagemaker-pipelines-semantics.md`` section 10).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["INVALID", "DefinitionError", "Problems", "json_type", "show_json"]

#: Marker a check returns instead of a value after it reported a problem.
INVALID: Any = object()


class DefinitionError(Exception):
    """The definition is invalid; :attr:`problems` lists every problem found (one sentence
    each, phrased like the service's ``ValidationException`` messages where those are known)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("; ".join(self.problems))

    def __str__(self) -> str:
        return "; ".join(self.problems)


def json_type(value: Any) -> str:
    """JSON type name of a decoded value (for messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def show_json(value: Any) -> str:
    """Compact JSON of a value for messages (truncated)."""
    try:
        text = json.dumps(value, separators=(",", ":"))
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


class Problems:
    """The problems found so far in one validation run, in the order they were found.

    ``lenient``: refusals of what the mock may simply not know yet (a step ``Type`` or a key the
    service added after this release), reported with :meth:`add_unknown`, become
    :attr:`warnings` instead of problems (the documented escape hatch, ``lenient_definitions``).
    """

    def __init__(self, lenient: bool = False) -> None:
        self.messages: list[str] = []
        self.warnings: list[str] = []
        self.lenient = lenient

    def add(self, message: str) -> None:
        """A problem: the definition is refused."""
        self.messages.append(message)

    def add_unknown(self, message: str) -> None:
        """An unknown step Type or key: a problem, or only a warning when lenient."""
        (self.warnings if self.lenient else self.messages).append(message)
