"""The JSON wire form of an owned action's result, byte for byte what moto's serialiser writes.

moto's generic response serialiser (``moto.core.serialize.JSONSerializer`` with its
``XFormedAttributePicker``) walks the botocore output shape for every value of every response,
trying up to a dozen alias keys per member. For ListPipelineExecutionSteps that is about 41
members a step, most of them absent ``Metadata`` members: 1.45 s for 2,000 steps. This module
compiles each output shape once into small functions that do the same walk over the plain
dicts the backend returns, and ``json.dumps`` the result as moto does, so the body is the same
string (``tests/test_wire_format.py`` compares the two for every owned action and every
``PipelineExecutionStepMetadata`` member).

The rules it follows are moto 5.2.5's, for dict values: members in model order; a member's
value is the first of moto's candidate keys the dict has (the shape-name alias for list and
structure members, the member name and its snake_case form, the parent-prefix alias); ``None``
leaves the member out; strings ``str()``-ed (``Enum`` by value), integers ``int()``, floats
``float()``, timestamps as Unix seconds (milliseconds kept), blobs base64, documents as given.
Anything else (an object instead of a dict, a timestamp that is not a ``datetime``) raises
:class:`Unsupported`, and the caller falls back to moto's serialiser.
"""

from __future__ import annotations

import base64
import calendar
import functools
import json
from collections.abc import Callable
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from botocore import xform_name
from botocore.model import ListShape, MapShape, Shape, StructureShape

from .service_models import service_model

Encoder = Callable[[Any], Any]


class Unsupported(Exception):
    """The value is not one this serialiser writes exactly as moto does; use moto's."""


@functools.cache
def _service_model() -> Any:
    return service_model("sagemaker")


def _candidate_keys(member: str, shape: Shape, parent: StructureShape) -> tuple[str, ...]:
    """moto's candidate keys for ``member`` of ``parent`` read from a dict, in moto's order.

    (``ExplicitAlias`` and ``ClassPrefixAlias`` never apply to a ``dict``; ``ModelAlias`` needs
    a serialisation name, which no SageMaker output member has.)
    """
    aliases: list[str] = []
    structured = shape.type_name in ("list", "structure")
    if structured and shape.name not in parent.members and member != shape.name:
        aliases.append(shape.name)
    aliases.append(member)
    if member.lower().startswith(parent.name.lower()):
        short = member[len(parent.name) :]
        if short not in parent.members:
            aliases.append(short)
    if shape.serialization.get("name", member) != member:
        raise Unsupported(f"{parent.name}.{member} has a serialisation name")
    keys: list[str] = []
    for alias in aliases:
        for key in (alias, xform_name(alias)):
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def _string(value: Any) -> Any:
    if isinstance(value, Enum):
        value = value.value
    return str(value) if value not in [None, {}, []] else value


def _timestamp(shape: Shape) -> Encoder:
    if shape.serialization.get("timestampFormat", "unixtimestamp") != "unixtimestamp":
        raise Unsupported(f"{shape.name} is not written as a Unix timestamp")

    def encode(value: Any) -> Any:
        if not isinstance(value, datetime):
            raise Unsupported("a timestamp that is not a datetime")
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        seconds = calendar.timegm(value.timetuple())
        if value.microsecond:
            return seconds + (value.microsecond // 1000) / 1000.0
        return seconds

    return encode


def _blob(value: Any) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    return base64.b64encode(value).strip().decode("utf-8")


def _structure(shape: StructureShape) -> Encoder:
    if shape.is_document_type:
        return lambda value: value
    # candidate key -> [(member position, key priority, member name, encoder)], built on first
    # use. A value dict holds a few of the shape's members (a listed step: about 6 of 41), so
    # the walk goes over the dict's keys, keeps the first-priority key per member and writes
    # the members in model order, as moto's member-by-member walk does.
    by_key: dict[str, list[tuple[int, int, str, Encoder]]] = {}

    def compile_members() -> None:
        for position, (name, member) in enumerate(shape.members.items()):
            encoder = encoder_for(member)
            for priority, key in enumerate(_candidate_keys(name, member, shape)):
                by_key.setdefault(key, []).append((position, priority, name, encoder))

    def encode(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise Unsupported(f"{shape.name} given as {type(value).__name__}")
        if not by_key and shape.members:
            compile_members()
        found: dict[int, tuple[int, Any, str, Encoder]] = {}
        for key, item in value.items():
            entries = by_key.get(key)
            if entries is None:
                continue
            for position, priority, name, encoder in entries:
                held = found.get(position)
                if held is None or priority < held[0]:
                    found[position] = (priority, item, name, encoder)
        out: dict[str, Any] = {}
        for position in sorted(found):
            _, item, name, encoder = found[position]
            if item is not None:
                out[name] = encoder(item)
        return out

    return encode


def _list(shape: ListShape) -> Encoder:
    member = encoder_for(shape.member)

    def encode(value: Any) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise Unsupported(f"{shape.name} given as {type(value).__name__}")
        return [item if item is None else member(item) for item in value]

    return encode


def _map(shape: MapShape) -> Encoder:
    member = encoder_for(shape.value)

    def encode(value: Any) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise Unsupported(f"{shape.name} given as {type(value).__name__}")
        if any(v is None for v in value.values()):
            raise Unsupported(f"{shape.name} holds a null")
        return {k: member(v) for k, v in value.items()}

    return encode


def _strict(kind: Any, convert: Callable[[Any], Any]) -> Encoder:
    def encode(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, kind | str):
            raise Unsupported(f"{type(value).__name__} for a number")
        return convert(value)

    return encode


_ENCODERS: dict[int, Encoder] = {}


def encoder_for(shape: Shape) -> Encoder:
    """The encoder of ``shape`` (compiled once per shape; structures compile their members on
    first use, so recursive shapes terminate)."""
    cached = _ENCODERS.get(id(shape))
    if cached is not None:
        return cached
    kind = shape.type_name
    encoder: Encoder
    if kind == "structure":
        encoder = _structure(shape)  # type: ignore[arg-type]
    elif kind == "list":
        encoder = _list(shape)  # type: ignore[arg-type]
    elif kind == "map":
        encoder = _map(shape)  # type: ignore[arg-type]
    elif kind == "string":
        encoder = _string
    elif kind in ("integer", "long"):
        encoder = _strict(int, int)
    elif kind in ("float", "double"):
        encoder = _strict(int | float, float)
    elif kind == "timestamp":
        encoder = _timestamp(shape)
    elif kind == "blob":
        encoder = _blob
    else:  # boolean and anything else: written as given
        encoder = _identity
    _ENCODERS[id(shape)] = encoder
    _SHAPES.append(shape)  # keep the shape alive while its id is a key
    return encoder


_SHAPES: list[Shape] = []


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _output_encoder(operation: str) -> Encoder | None:
    shape = _service_model().operation_model(operation).output_shape
    return None if shape is None else encoder_for(shape)


def content_type() -> str:
    """The Content-Type of SageMaker's JSON responses (``application/x-amz-json-1.1``)."""
    return f"application/x-amz-json-{_service_model().metadata['jsonVersion']}"


def serialize(operation: str, result: Any) -> str:
    """The JSON body of ``operation``'s ``result`` (a dict, or ``None`` for an empty result).

    Raises :class:`Unsupported` for a value moto's serialiser would treat differently.
    """
    encoder = _output_encoder(operation)
    if encoder is None or result is None:
        return json.dumps({})
    return json.dumps(encoder(result))
