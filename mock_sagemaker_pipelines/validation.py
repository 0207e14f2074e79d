"""Server-side input validation for SageMaker requests, driven by the botocore service model.

The constraints come from the botocore model of the service,
``botocore/data/sagemaker/2017-07-24/service-2.json``: each operation's input shape is walked
member by member and checked against the shape traits ``required``, ``min``/``max`` (string
length, list/map size, numeric range), ``pattern`` and ``enum``. botocore only enforces
``required``, types and the *minimum* traits client-side (``botocore/validate.py``), so the mock
enforces the rest -- and the minimums too, for HTTP clients that bypass botocore.

Messages follow the wording of AWS JSON-protocol services (the Coral ``ValidationException`` form
documented under "Common Errors" in the API references,
https://docs.aws.amazon.com/sagemaker/latest/APIReference/CommonErrors.html)::

    1 validation error detected: Value 'x' at 'pipelineName' failed to satisfy constraint: ...
    2 validation errors detected: Value 'a' at 'x' failed to ...; Value 'b' at 'y' failed to ...

Member paths are the member names with the first letter lower-cased, joined with ``.``; elements
of a list of structures are addressed as ``tags.1.member.key`` (1-based). As AWS does, a list (or
map) of scalars whose elements break their constraints is reported once, at the list itself, with
``Member must satisfy constraint: [<every constraint of the element shape>]`` (``Map keys must
satisfy constraint: [...]`` / ``Map value must satisfy constraint: [...]`` for maps).

Model patterns are Java regular expressions; :func:`_translate_java_regex` rewrites them for
:mod:`re` (``\\p{..}`` classes become explicit code-point ranges, ``.`` excludes every Java line
terminator, ``\\d``/``\\w``/``\\s`` stay ASCII-only as in Java, UTF-16 surrogate pairs become
code points). A pattern that cannot be translated is not enforced rather than guessed.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["validate_request", "validation_messages"]

_SERVICE_NAME = "sagemaker"

# ---------------------------------------------------------------------------------------------
# Java regex -> Python re
# ---------------------------------------------------------------------------------------------

#: Java's ``.`` without DOTALL matches anything but a line terminator: \n, \r, U+0085, U+2028,
#: U+2029 (java.util.regex.Pattern, "Line terminators").
_JAVA_DOT = "[^\\n\\r\\x85\\u2028\\u2029]"

#: Model patterns whose literal translation backtracks exponentially on long non-matching input
#: (1 MB pipeline definitions), mapped to an equivalent linear pattern. With Java semantics,
#: ``.*(?:[ \r\n\t].*)*`` accepts exactly the strings without U+0085, U+2028 and U+2029: ``.``
#: covers every other character except \n and \r, which the bracket adds back.
_LINEAR_EQUIVALENTS: dict[str, str] = {
    ".*(?:[ \\r\\n\\t].*)*": "[^\\x85\\u2028\\u2029]*",
    ".*(?:[ \\r\\n\\t].*)*.*": "[^\\x85\\u2028\\u2029]*",
    # PipelineNameOrArn: quadratic on long invalid ARNs. In the ARN branch ``.*`` absorbs all but
    # the last character of the name, so the branch only needs a final alphanumeric.
    "(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:([0-9]{12}|aws):pipeline/.*)?"
    "([a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})": (
        "arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:(?:[0-9]{12}|aws):pipeline/"
        + _JAVA_DOT
        + "*[a-zA-Z0-9]|[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,255}"
    ),
}

#: POSIX classes of java.util.regex.Pattern (US-ASCII only, as in Java without
#: UNICODE_CHARACTER_CLASS), as inclusive code-point ranges.
_POSIX_CLASSES: dict[str, tuple[tuple[int, int], ...]] = {
    "Lower": ((0x61, 0x7A),),
    "Upper": ((0x41, 0x5A),),
    "ASCII": ((0x00, 0x7F),),
    "Alpha": ((0x41, 0x5A), (0x61, 0x7A)),
    "Digit": ((0x30, 0x39),),
    "Alnum": ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)),
    "Punct": ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)),
    "Graph": ((0x21, 0x7E),),
    "Print": ((0x20, 0x7E),),
    "Blank": ((0x09, 0x09), (0x20, 0x20)),
    "Cntrl": ((0x00, 0x1F), (0x7F, 0x7F)),
    "XDigit": ((0x30, 0x39), (0x41, 0x46), (0x61, 0x66)),
    "Space": ((0x09, 0x0D), (0x20, 0x20)),
}

#: Java's ``\h`` (horizontal whitespace).
_JAVA_HSPACE = (
    (0x09, 0x09),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)

#: Escapes whose meaning is the same in Java and in Python ``re`` compiled with ``re.ASCII``.
_SAME_ESCAPES = frozenset("dDwWsSbBAtnrfa123456789")

_QUANTIFIER = re.compile(r"(?:[*+?]|\{(\d+)(?:,\d*)?\})[?+]?")


class _Untranslatable(Exception):
    """A Java construct without a faithful :mod:`re` equivalent."""


@functools.lru_cache(maxsize=1)
def _general_category_ranges() -> dict[str, tuple[tuple[int, int], ...]]:
    """Inclusive code-point ranges of every Unicode general category (``Lu``, ``Zs``, ...).

    Planes 0-3 and 14 are scanned with :func:`unicodedata.category`; planes 4-13 hold no assigned
    code points and planes 15-16 are private use, so they are filled in without scanning.
    """
    ranges: dict[str, list[tuple[int, int]]] = {}

    def scan(first: int, stop: int) -> None:
        category = unicodedata.category
        current = category(chr(first))
        start = first
        for cp in range(first + 1, stop):
            cat = category(chr(cp))
            if cat != current:
                ranges.setdefault(current, []).append((start, cp - 1))
                current, start = cat, cp
        ranges.setdefault(current, []).append((start, stop - 1))

    scan(0x0, 0x40000)
    scan(0xE0000, 0xF0000)
    ranges.setdefault("Cn", []).append((0x40000, 0xDFFFF))
    ranges.setdefault("Co", []).extend(((0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)))
    ranges["Cn"].extend(((0xFFFFE, 0xFFFFF), (0x10FFFE, 0x10FFFF)))
    return {cat: tuple(spans) for cat, spans in ranges.items()}


def _property_ranges(name: str) -> list[tuple[int, int]]:
    """Code-point ranges of a Java ``\\p{name}`` class (general categories and POSIX classes)."""
    if name in _POSIX_CLASSES:
        return list(_POSIX_CLASSES[name])
    for prefix in ("Is", "general_category=", "gc="):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix) :]
            break
    table = _general_category_ranges()
    if name in ("LC", "L&"):
        wanted = ["Lu", "Ll", "Lt"]
    elif len(name) == 1 and name in "LMNPSZC":
        wanted = [cat for cat in table if cat[0] == name]
    elif len(name) == 2 and name in table:
        wanted = [name]
    else:
        raise _Untranslatable(f"\\p{{{name}}}")
    spans: list[tuple[int, int]] = []
    for cat in wanted:
        spans.extend(table.get(cat, ()))
    return spans


def _class_body(spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """Merge code-point ranges and render them as the inside of a ``re`` character class."""
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    parts = []
    for first, last in merged:
        parts.append(
            _cp_escape(first) if first == last else f"{_cp_escape(first)}-{_cp_escape(last)}"
        )
    return "".join(parts)


def _cp_escape(cp: int) -> str:
    """A code point as a ``re`` escape (valid inside and outside character classes)."""
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _read_hex(pattern: str, start: int, count: int) -> int:
    digits = pattern[start : start + count]
    if len(digits) != count or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise _Untranslatable("bad hex escape")
    return int(digits, 16)


def _translate_java_regex(pattern: str) -> str:
    """Rewrite a Java (java.util.regex) pattern into an equivalent Python :mod:`re` pattern.

    The result is meant for ``re.compile(..., re.ASCII)`` and ``fullmatch`` (Java's
    ``String.matches``). Raises :class:`_Untranslatable` for constructs without an equivalent
    (class intersections ``&&``, nested classes, ``\\P`` inside a class, ``\\G``, ...).
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_open = False  # just after "[" or "[^": a "]" here is a literal
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                raise _Untranslatable("trailing backslash")
            d = pattern[i + 1]
            i += 2
            if d in "pP":
                if i < n and pattern[i] == "{":
                    end = pattern.find("}", i)
                    if end < 0:
                        raise _Untranslatable("unterminated \\p{")
                    name, i = pattern[i + 1 : end], end + 1
                elif i < n:
                    name, i = pattern[i], i + 1
                else:
                    raise _Untranslatable("bare \\p")
                body = _class_body(_property_ranges(name))
                if in_class:
                    if d == "P":
                        raise _Untranslatable("\\P inside a class")
                    out.append(body)
                else:
                    out.append(("[" if d == "p" else "[^") + body + "]")
            elif d == "u":
                cp = _read_hex(pattern, i, 4)
                i += 4
                if 0xD800 <= cp <= 0xDBFF and pattern.startswith("\\u", i):
                    low = _read_hex(pattern, i + 2, 4)
                    if 0xDC00 <= low <= 0xDFFF:
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                out.append(_cp_escape(cp))
            elif d == "x":
                if i < n and pattern[i] == "{":
                    end = pattern.find("}", i)
                    if end < 0 or end == i + 1:
                        raise _Untranslatable("bad \\x{}")
                    cp = _read_hex(pattern, i + 1, end - i - 1)
                    i = end + 1
                else:
                    cp = _read_hex(pattern, i, 2)
                    i += 2
                if cp > 0x10FFFF:
                    raise _Untranslatable("code point out of range")
                out.append(_cp_escape(cp))
            elif d == "Q":
                end = pattern.find("\\E", i)
                literal = pattern[i:] if end < 0 else pattern[i:end]
                i = n if end < 0 else end + 2
                out.append("".join(_cp_escape(ord(ch)) for ch in literal))
            elif d == "e":
                out.append("\\x1b")
            elif d == "h":
                body = _class_body(_JAVA_HSPACE)
                out.append(body if in_class else f"[{body}]")
            elif d == "z" and not in_class:
                out.append("\\Z")
            elif d == "Z" and not in_class:
                out.append("(?=[\\n\\r\\x85\\u2028\\u2029]?\\Z)")
            elif d in _SAME_ESCAPES or d == "0" or not d.isascii() or not d.isalnum():
                out.append("\\" + d)
            else:
                raise _Untranslatable(f"\\{d}")
            class_open = False
            continue
        if in_class:
            if c == "]" and not class_open:
                in_class = False
                out.append("]")
            elif c == "[":
                raise _Untranslatable("nested character class")
            elif c == "&" and pattern.startswith("&&", i):
                raise _Untranslatable("class intersection")
            elif c in "&~|-" and i + 1 < n and pattern[i + 1] == c:
                out.append("\\" + c)  # literal in Java; a FutureWarning "set operation" in re
            else:
                out.append(c)
            class_open = False
            i += 1
            continue
        if c == "[":
            in_class = class_open = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            continue
        if c == ".":
            out.append(_JAVA_DOT)
        elif c in "^$":
            # Java accepts a quantified anchor (``${1,128}``); re rejects it. A minimum of zero
            # makes the anchor optional, i.e. no constraint at all.
            quantifier = _QUANTIFIER.match(pattern, i + 1)
            if quantifier is None:
                out.append(c)
            else:
                text = quantifier.group(0)
                minimum = (
                    int(quantifier.group(1))
                    if quantifier.group(1) is not None
                    else (1 if text[0] == "+" else 0)
                )
                if minimum > 0:
                    out.append(c)
                i = quantifier.end()
                continue
        elif (
            c == "("
            and pattern.startswith("(?<", i)
            and not pattern.startswith(("(?<=", "(?<!"), i)
        ):
            out.append("(?P<")  # Java named group
            i += 3
            continue
        else:
            out.append(c)
        i += 1
    if in_class:
        raise _Untranslatable("unterminated character class")
    return "".join(out)


@functools.cache
def _compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The compiled :mod:`re` equivalent of a model pattern, or None if it cannot be translated."""
    source = _LINEAR_EQUIVALENTS.get(pattern)
    try:
        if source is None:
            source = _translate_java_regex(pattern)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return re.compile(source, re.ASCII)
    except (_Untranslatable, re.error, OverflowError, ValueError, RecursionError):
        return None


# ---------------------------------------------------------------------------------------------
# Value rendering and message form
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Validator tree built from the model
# ---------------------------------------------------------------------------------------------


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
                    lambda v, m=maximum: len(v) > m,
                )
            )
        if isinstance(minimum, int):
            checks.append(
                (
                    f"Member must have length greater than or equal to {minimum}",
                    lambda v, m=minimum: len(v) < m,
                )
            )
        pattern = metadata.get("pattern")
        if isinstance(pattern, str):
            compiled = _compile_pattern(pattern)
            if compiled is not None:
                checks.append(
                    (
                        f"Member must satisfy regular expression pattern: {pattern}",
                        lambda v, r=compiled: r.fullmatch(v) is None,
                    )
                )
        if enum:
            allowed = frozenset(enum)
            checks.append(
                (
                    f"Member must satisfy enum value set: [{', '.join(enum)}]",
                    lambda v, a=allowed: v not in a,
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


@functools.lru_cache(maxsize=1)
def _service_model() -> Any:
    """The botocore model ``data/sagemaker/2017-07-24/service-2.json`` (loaded once)."""
    import botocore.session

    return botocore.session.get_session().get_service_model(_SERVICE_NAME)


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


# ---------------------------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------------------------


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


_JSON_KIND = {
    "string": "STRING_VALUE",
    "integer": "NUMBER_VALUE",
    "long": "NUMBER_VALUE",
    "float": "NUMBER_VALUE",
    "double": "NUMBER_VALUE",
    "boolean": "BOOLEAN_VALUE",
}
_ARTICLE = {"integer": "an Integer", "long": "a Long", "float": "a Float", "double": "a Double"}


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
    if kind == "timestamp" or kind == "blob":
        return None  # moto's parser has already read (or refused) these
    expected = _JSON_KIND.get(kind)
    actual = _json_kind(value)
    if expected is None or actual == expected:
        return None
    if expected == "NUMBER_VALUE" and actual == "STRING_VALUE":
        return None  # moto's parser converts numeric strings; non-numeric ones fail there
    target = _ARTICLE.get(kind, f"a {kind.capitalize()}")
    return f"{actual} can not be converted to {target}"


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


def validate_request(operation_name: str, params: Mapping[str, Any]) -> None:
    """Raise SerializationException for a member of the wrong JSON type, and ValidationException
    (AWS's ``N validation error(s) detected: ...`` form) if params violate the input shape's
    constraints."""
    type_error = request_type_error(operation_name, params)
    if type_error is not None:
        from .exceptions import SerializationException

        raise SerializationException(type_error)
    messages = validation_messages(operation_name, params)
    if not messages:
        return
    from .exceptions import ValidationException

    count = len(messages)
    noun = "validation error" if count == 1 else "validation errors"
    raise ValidationException(f"{count} {noun} detected: " + "; ".join(messages))
