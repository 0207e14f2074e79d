"""Validator nodes built from the botocore service model, and the constraint messages they find.

The constraints come from the botocore model of the service,
``botocore/data/sagemaker/2017-07-24/service-2.json``: each operation's input shape is walked
member by member and checked against the shape traits ``required``, ``min``/``max`` (string
length, list/map size, numeric range), ``pattern`` and ``enum``. The validator of a shape is
built once (:func:`_build`, :func:`_operation_validator`) as a tree of nodes, one per shape.

Member paths are the member names with the first letter lower-cased, joined with ``.``; elements
of a list of structures are addressed as ``tags.1.member.key`` (1-based). As AWS does, a list (or
map) of scalars whose elements break their constraints is reported once, at the list itself, with
``Member must satisfy constraint: [<every constraint of the element shape>]`` (``Map keys must
satisfy constraint: [...]`` / ``Map value must satisfy constraint: [...]`` for maps).
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Mapping
from typing import Any

from .java_regex import _compile_pattern
from .messages import _lower_camel, _message, _number_text, _render
from .model import _service_model

__all__ = ["validation_messages"]


class _Node:
    """A shape with nothing to check (booleans, timestamps, blobs, unconstrained scalars)."""

    __slots__ = ()

    #: Whether the node is a scalar whose violations are listed inline for list/map elements.
    scalar = False

    def validate(self, value: Any, path: str, out: list[str]) -> None:
        """Append the messages for ``value`` found at ``path`` to ``out``."""

    def violations(self, value: Any) -> list[str]:
        """Constraint texts that a scalar ``value`` breaks (scalars only)."""
        return []

    def constraints(self) -> list[str]:
        """Every constraint text of a scalar shape, in AWS order (scalars only)."""
        return []


_NOTHING = _Node()


class _StringNode(_Node):
    """``string`` shape: ``max``/``min`` length, ``pattern``, ``enum``."""

    __slots__ = ("_checks",)
    scalar = True

    def __init__(self, metadata: Mapping[str, Any], enum: list[str]) -> None:
        checks: list[tuple[str, Callable[[str], bool]]] = []
        maximum, minimum = metadata.get("max"), metadata.get("min")
        if isinstance(maximum, int):
            checks.append(
                (
                    f"Member must have length less than or equal to {maximum}",
                    lambda v: len(v) > maximum,
                )
            )
        if isinstance(minimum, int):
            checks.append(
                (
                    f"Member must have length greater than or equal to {minimum}",
                    lambda v: len(v) < minimum,
                )
            )
        pattern = metadata.get("pattern")
        if isinstance(pattern, str):
            compiled = _compile_pattern(pattern)
            if compiled is not None:
                checks.append(
                    (
                        # The service quotes its own, anchored pattern; botocore's model
                        # carries it without the leading ``^`` (issue: sdk #2933 reports).
                        "Member must satisfy regular expression pattern: "
                        + (pattern if pattern.startswith("^") else "^" + pattern),
                        lambda v: compiled.fullmatch(v) is None,
                    )
                )
        if enum:
            allowed = frozenset(enum)
            checks.append(
                (
                    f"Member must satisfy enum value set: [{', '.join(enum)}]",
                    lambda v: v not in allowed,
                )
            )
        self._checks = tuple(checks)

    @property
    def empty(self) -> bool:
        return not self._checks

    def violations(self, value: Any) -> list[str]:
        if not isinstance(value, str):
            return []
        return [text for text, broken in self._checks if broken(value)]

    def constraints(self) -> list[str]:
        return [text for text, _ in self._checks]

    def validate(self, value: Any, path: str, out: list[str]) -> None:
        for text in self.violations(value):
            out.append(_message(value, path, text))


class _NumberNode(_Node):
    """``integer``/``long``/``float``/``double`` shape: ``max``/``min`` value."""

    __slots__ = ("_maximum", "_minimum")
    scalar = True

    def __init__(self, metadata: Mapping[str, Any]) -> None:
        maximum, minimum = metadata.get("max"), metadata.get("min")
        number = (int, float)
        self._maximum = maximum if isinstance(maximum, number) else None
        self._minimum = minimum if isinstance(minimum, number) else None

    @property
    def empty(self) -> bool:
        return self._maximum is None and self._minimum is None

    def violations(self, value: Any) -> list[str]:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return []
        if isinstance(value, float) and math.isnan(value):
            return []
        found = []
        if self._maximum is not None and value > self._maximum:
            found.append(
                f"Member must have value less than or equal to {_number_text(self._maximum)}"
            )
        if self._minimum is not None and value < self._minimum:
            found.append(
                f"Member must have value greater than or equal to {_number_text(self._minimum)}"
            )
        return found

    def constraints(self) -> list[str]:
        texts = []
        if self._maximum is not None:
            texts.append(
                f"Member must have value less than or equal to {_number_text(self._maximum)}"
            )
        if self._minimum is not None:
            texts.append(
                f"Member must have value greater than or equal to {_number_text(self._minimum)}"
            )
        return texts

    def validate(self, value: Any, path: str, out: list[str]) -> None:
        for text in self.violations(value):
            out.append(_message(value, path, text))


def _size_violations(size: int, metadata: Mapping[str, Any]) -> list[str]:
    """List/map size constraints; AWS words them like string lengths."""
    found = []
    maximum, minimum = metadata.get("max"), metadata.get("min")
    if isinstance(maximum, int) and size > maximum:
        found.append(f"Member must have length less than or equal to {maximum}")
    if isinstance(minimum, int) and size < minimum:
        found.append(f"Member must have length greater than or equal to {minimum}")
    return found


class _StructureNode(_Node):
    """``structure`` shape: required members, then each member in model order."""

    __slots__ = ("members",)

    def __init__(self) -> None:
        self.members: tuple[tuple[str, str, _Node, bool], ...] = ()

    def validate(self, value: Any, path: str, out: list[str]) -> None:
        if not isinstance(value, Mapping):
            return
        for name, wire, node, required in self.members:
            member_path = f"{path}.{wire}" if path else wire
            member = value.get(name)
            if member is None:
                if required:
                    out.append(_message(None, member_path, "Member must not be null"))
                continue
            node.validate(member, member_path, out)


class _ListNode(_Node):
    """``list`` shape: ``max``/``min`` items, then the elements."""

    __slots__ = ("_metadata", "member")

    def __init__(self, metadata: Mapping[str, Any]) -> None:
        self._metadata = {k: metadata[k] for k in ("min", "max") if k in metadata}
        self.member: _Node = _NOTHING

    def validate(self, value: Any, path: str, out: list[str]) -> None:
        if not isinstance(value, (list, tuple)):
            return
        for text in _size_violations(len(value), self._metadata):
            out.append(_message(value, path, text))
        member = self.member
        if member is _NOTHING:
            return
        nulls = [index for index, item in enumerate(value, start=1) if item is None]
        for index in nulls:  # a list element may not be null (AWS: "Member must not be null")
            out.append(_message(None, f"{path}.{index}.member", "Member must not be null"))
        if nulls:
            value = [item for item in value if item is not None]
        if member.scalar:
            if any(member.violations(item) for item in value):
                out.append(
                    _message(
                        value,
                        path,
                        "Member must satisfy constraint: [" + ", ".join(member.constraints()) + "]",
                    )
                )
            return
        for index, item in enumerate(value, start=1):
            if item is not None:
                member.validate(item, f"{path}.{index}.member", out)


class _MapNode(_Node):
    """``map`` shape: ``max``/``min`` entries, then keys and values."""

    __slots__ = ("_metadata", "key", "value")

    def __init__(self, metadata: Mapping[str, Any]) -> None:
        self._metadata = {k: metadata[k] for k in ("min", "max") if k in metadata}
        self.key: _Node = _NOTHING
        self.value: _Node = _NOTHING

    def validate(self, value: Any, path: str, out: list[str]) -> None:
        if not isinstance(value, Mapping):
            return
        for text in _size_violations(len(value), self._metadata):
            out.append(_message(value, path, text))
        key_node, value_node = self.key, self.value
        if key_node.scalar and any(key_node.violations(k) for k in value):
            out.append(
                _message(
                    value,
                    path,
                    "Map keys must satisfy constraint: [" + ", ".join(key_node.constraints()) + "]",
                )
            )
        if value_node is _NOTHING:
            return
        if value_node.scalar:
            if any(value_node.violations(v) for v in value.values()):
                out.append(
                    _message(
                        value,
                        path,
                        "Map value must satisfy constraint: ["
                        + ", ".join(value_node.constraints())
                        + "]",
                    )
                )
            return
        for key, item in value.items():
            if item is not None:
                value_node.validate(item, f"{path}.{_render(key)}.member", out)


def _build(shape: Any, memo: dict[str, _Node]) -> _Node:
    """The validator of a botocore shape; ``memo`` (by shape name) also breaks recursion."""
    name = shape.name
    if name in memo:
        return memo[name]
    metadata: Mapping[str, Any] = shape.metadata
    kind = shape.type_name
    if kind == "string":
        string_node = _StringNode(metadata, list(getattr(shape, "enum", None) or ()))
        node: _Node = _NOTHING if string_node.empty else string_node
        memo[name] = node
    elif kind in ("integer", "long", "float", "double"):
        number_node = _NumberNode(metadata)
        node = _NOTHING if number_node.empty else number_node
        memo[name] = node
    elif kind == "structure":
        structure = _StructureNode()
        memo[name] = node = structure
        required = set(shape.required_members)
        structure.members = tuple(
            (member, _lower_camel(member), _build(member_shape, memo), member in required)
            for member, member_shape in shape.members.items()
        )
    elif kind == "list":
        list_node = _ListNode(metadata)
        memo[name] = node = list_node
        list_node.member = _build(shape.member, memo)
    elif kind == "map":
        map_node = _MapNode(metadata)
        memo[name] = node = map_node
        map_node.key = _build(shape.key, memo)
        map_node.value = _build(shape.value, memo)
    else:  # boolean, timestamp, blob, document: nothing the mock checks
        node = memo[name] = _NOTHING
    return node


_SHAPE_MEMO: dict[str, _Node] = {}
_BUILD_LOCK = threading.Lock()


@functools.cache
def _operation_validator(operation_name: str) -> _Node | None:
    """The validator of an operation's input shape, or None for an unknown operation."""
    from botocore.model import OperationNotFoundError

    try:
        operation = _service_model().operation_model(operation_name)
    except OperationNotFoundError:
        return None
    shape = operation.input_shape
    if shape is None:
        return None
    with _BUILD_LOCK:  # the memo briefly holds structures whose members are not yet set
        return _build(shape, _SHAPE_MEMO)


def _walk(validator: _Node, params: Any) -> list[str]:
    out: list[str] = []
    validator.validate(params if isinstance(params, Mapping) else {}, "", out)
    return out


def validation_messages(operation_name: str, params: Mapping[str, Any]) -> list[str]:
    """The individual constraint messages (without the 'N validation errors detected: ' prefix), in member order.

    ``params`` are the request members keyed by their model (PascalCase) names, as moto parses
    them; unknown keys are ignored, values of an unexpected Python type are skipped, timestamps
    are not checked. An operation the SageMaker model does not define has no constraints.
    """
    if not isinstance(operation_name, str):
        return []
    # Building the validator depends on the model only: a failure there is a bug every test sees.
    validator = _operation_validator(operation_name)
    if validator is None:
        return []
    try:
        return _walk(validator, params)
    except Exception:  # odd client input must never turn a request into a 500
        return []
