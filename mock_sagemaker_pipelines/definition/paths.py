"""``Get`` and ``Std:JsonGet`` paths: tokenising, parsing, formatting and resolving them, and
finding the references a JSON value holds.

Sources (``shared/spec/sagemaker-pipelines-semantics.md`` section 10, "Expressions" table, and
section 2 for step names):

* ``{"Get": "Parameters.<Name>"}``, ``{"Get": "Execution.<Var>"}``,
  ``{"Get": "Steps.<Step>.<path>"}`` (``['key']`` for named list/map entries, ``[0]`` for indices,
  DG "Step properties"), ``{"Get": "PipelineExperimentConfig.ExperimentName|TrialName"}``;
* a ``Std:JsonGet`` ``Path`` uses JsonPath notation (DG "Property Files and JsonGet"); the simple
  subset real pipelines use is supported.

:func:`resolve_path` walks a Describe*-shaped object for the execution engine's step
properties; :func:`step_references` / :func:`parameter_references` list what a value refers to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "ExpressionError",
    "format_path",
    "get_references",
    "is_expression",
    "parameter_references",
    "parse_get_path",
    "parse_json_path",
    "resolve_json_path",
    "resolve_path",
    "step_references",
]

_EXPRESSION_KEYS = frozenset({"Get", "Std:Join", "Std:JsonGet"})
_INT_RE = re.compile(r"-?[0-9]+")


class ExpressionError(Exception):
    """An expression could not be evaluated.

    The message is phrased like the ``FailureReason`` the service gives a step that failed on a
    client-side problem (``ClientError: ...``, spec section 5 "other step failures commonly start
    with the error class").
    """


# ---------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------


def _tokenize(path: str) -> list[str | int]:
    """Split a dotted path with ``[n]`` / ``['key']`` / ``["key"]`` / ``[key]`` accessors.

    Raises :class:`ValueError` on a syntax error (empty segment, unclosed bracket, ...).
    """
    tokens: list[str | int] = []
    i, n = 0, len(path)
    if n == 0:
        raise ValueError("empty path")
    while i < n:
        c = path[i]
        if c == "[":
            j = i + 1
            if j < n and path[j] in "'\"":
                quote = path[j]
                end = path.find(quote + "]", j + 1)
                if end < 0:
                    raise ValueError(f"unclosed {quote} in bracket at char {i}")
                tokens.append(path[j + 1 : end])
                i = end + 2
            else:
                end = path.find("]", j)
                if end < 0:
                    raise ValueError(f"unclosed [ at char {i}")
                inner = path[j:end].strip()
                if not inner:
                    raise ValueError(f"empty [] at char {i}")
                if _INT_RE.fullmatch(inner):
                    tokens.append(int(inner))
                else:
                    tokens.append(inner)
                i = end + 1
        elif c == ".":
            raise ValueError(f"empty segment at char {i}")
        else:
            end = i
            while end < n and path[end] not in ".[":
                end += 1
            tokens.append(path[i:end])
            i = end
        if i < n:
            if path[i] == ".":
                i += 1
                if i == n:
                    raise ValueError("path ends with '.'")
            elif path[i] != "[":
                raise ValueError(f"unexpected {path[i]!r} at char {i}")
    return tokens


def parse_get_path(path: str) -> tuple[str, list[str | int]]:
    """Split a ``Get`` path into its root and the remaining tokens.

    ``"Steps.X.A.B['k'][0].C"`` -> ``("Steps", ["X", "A", "B", "k", 0, "C"])``;
    ``"Parameters.Threshold"`` -> ``("Parameters", ["Threshold"])``. Names may contain ``-`` and
    ``_`` (step names follow ``^[A-Za-z0-9\\-_]{1,64}$``, spec section 2); bracketed keys may be
    quoted with ``'`` or ``"`` (SDK ``PropertiesMap`` emits ``['key']``); unquoted bracketed
    integers become ``int`` tokens (SDK ``PropertiesList`` emits ``[0]``).

    Raises :class:`ExpressionError` when the path is not well formed.
    """
    if not isinstance(path, str):
        raise ExpressionError(f"ClientError: Invalid Get expression {path!r}: must be a string")
    try:
        tokens = _tokenize(path)
    except ValueError as exc:
        raise ExpressionError(f"ClientError: Invalid Get expression '{path}': {exc}") from None
    root = tokens[0]
    if not isinstance(root, str):
        raise ExpressionError(f"ClientError: Invalid Get expression '{path}'")
    return root, tokens[1:]


def parse_json_path(path: str) -> list[str | int]:
    """Tokens of a ``Std:JsonGet`` ``Path``: dotted keys with ``[n]``/``['key']`` accessors.

    The DG ("Property Files and JsonGet") says the path is JsonPath notation; the simple subset
    real pipelines use is supported -- optional leading ``$`` / ``$.``, ``a.b.c``, ``a.b[0].c``,
    ``a['k']``. ``$`` alone selects the whole document. Raises :class:`ValueError` on bad syntax.
    """
    p = path.strip()
    if p.startswith("$"):
        p = p[1:]
        if p.startswith("."):
            p = p[1:]
            if not p:
                raise ValueError("path ends with '.'")
    if not p:
        return []
    if "*" in p or ".." in p or "?(" in p:
        raise ValueError("wildcards, deep scans and filters are not supported")
    return _tokenize(p)


def format_path(tokens: list[str | int]) -> str:
    """Render tokens back to ``A.B['k'][0]`` form (for messages)."""
    out: list[str] = []
    for tok in tokens:
        if isinstance(tok, int):
            out.append(f"[{tok}]")
        elif out and (not tok or not all(ch.isalnum() or ch in "-_" for ch in tok)):
            out.append(f"['{tok}']")
        else:
            out.append(("." if out else "") + tok)
    return "".join(out)


_MISSING = object()


def _step_into(cur: Any, tok: str | int) -> Any:
    """One step of :func:`resolve_path`; returns ``_MISSING`` when ``tok`` does not apply."""
    if isinstance(tok, int):
        if isinstance(cur, list):
            if -len(cur) <= tok < len(cur):
                return cur[tok]
            return _MISSING
        if isinstance(cur, dict):
            return cur.get(str(tok), _MISSING)
        return _MISSING
    if isinstance(cur, dict):
        return cur.get(tok, _MISSING)
    if isinstance(cur, list):
        for element in cur:
            if isinstance(element, dict) and any(
                isinstance(key, str) and key.endswith("Name") and value == tok
                for key, value in element.items()
            ):
                return element
    return _MISSING


def resolve_path(obj: Any, path: list[str | int]) -> Any:
    """Walk ``path`` through a Describe*-shaped ``obj`` (for ``step_property`` implementations).

    * a ``str`` token on a dict selects that key;
    * a ``str`` token on a list selects the element that has the token as the value of any key
      ending in ``Name`` (``OutputName``, ``ChannelName``, ``InputName``, ``MetricName``) -- this is
      how ``Outputs['train']`` addresses a ``ProcessingOutput`` (DG "Step properties"; the SDK's
      local mode converts ``Outputs`` to a map keyed by ``OutputName`` the same way);
    * an ``int`` token indexes a list (or selects the key ``str(n)`` of a dict).

    Raises :class:`ExpressionError` (never ``KeyError``/``IndexError``) when a token is missing.
    """
    cur = obj
    walked = ""
    for tok in path:
        if isinstance(tok, int) or isinstance(cur, list):
            walked += f"[{tok}]" if isinstance(tok, int) else f"['{tok}']"
        else:
            walked += f".{tok}" if walked else tok
        nxt = _step_into(cur, tok)
        if nxt is _MISSING:
            raise ExpressionError(f"ClientError: Failed to resolve property '{walked}'")
        cur = nxt
    return cur


def resolve_json_path(doc: Any, path: str, source: str) -> Any:
    """Value at ``Std:JsonGet`` ``path`` in ``doc``; ``source`` names the document in errors."""
    try:
        tokens = parse_json_path(path)
    except ValueError as exc:
        raise ExpressionError(
            f"ClientError: Failed to evaluate Std:JsonGet: invalid path '{path}': {exc}"
        ) from None
    cur = doc
    for tok in tokens:
        if isinstance(tok, int):
            nxt = cur[tok] if isinstance(cur, list) and -len(cur) <= tok < len(cur) else _MISSING
        else:
            nxt = cur.get(tok, _MISSING) if isinstance(cur, dict) else _MISSING
        if nxt is _MISSING:
            raise ExpressionError(
                f"ClientError: Failed to evaluate Std:JsonGet: path '{path}' not found in {source}"
            )
        cur = nxt
    return cur


# ---------------------------------------------------------------------------------------------
# Reference scanning
# ---------------------------------------------------------------------------------------------


def is_expression(value: Any) -> bool:
    """Whether ``value`` is a ``Get`` / ``Std:Join`` / ``Std:JsonGet`` object (exactly one key)."""
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _EXPRESSION_KEYS


def get_references(obj: Any) -> Iterator[str]:
    """Every ``Get`` path string anywhere in the JSON value ``obj`` (including inside
    ``Std:Join`` values and ``Std:JsonGet`` property-file/S3Uri operands), in document order."""
    stack: list[Any] = [obj]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if len(cur) == 1 and "Get" in cur:
                if isinstance(cur["Get"], str):
                    yield cur["Get"]
                continue
            stack.extend(reversed(list(cur.values())))
        elif isinstance(cur, list):
            stack.extend(reversed(cur))


def step_references(obj: Any) -> set[str]:
    """Names of steps referenced by ``{"Get": "Steps.<S>..."}`` anywhere in ``obj`` (also through
    ``Std:JsonGet`` ``PropertyFile``). Malformed paths are ignored (the parser reports them)."""
    found: set[str] = set()
    for path in get_references(obj):
        if not path.startswith("Steps."):
            continue
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            continue
        if root == "Steps" and rest and isinstance(rest[0], str):
            found.add(rest[0])
    return found


def parameter_references(obj: Any) -> set[str]:
    """Names of parameters referenced by ``{"Get": "Parameters.<Name>"}`` anywhere in ``obj``."""
    found: set[str] = set()
    for path in get_references(obj):
        if not path.startswith("Parameters."):
            continue
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            continue
        if root == "Parameters" and len(rest) == 1 and isinstance(rest[0], str):
            found.add(rest[0])
    return found
