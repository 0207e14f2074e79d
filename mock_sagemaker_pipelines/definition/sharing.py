"""Equal JSON values held once: a decoder hook that makes a parsed definition share its repeats.

``json.loads`` shares repeated keys but builds every value anew, and a pipeline definition
repeats its role ARN, image URIs, instance types and S3 prefixes, and whole argument blocks (a
cluster configuration, an output list, a retry policy), in every step. A parsed definition is
read-only (one parse already serves every execution of its pipeline version), so nothing can
tell one copy from several; a 20,000-step fan-out's parsed form is about half as heavy.

"Equal" is the same JSON: ``1``, ``1.0`` and ``true`` stay apart, as do ``0.0`` and ``-0.0``,
and two objects are one only with the same members in the same order.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SharedValues"]


class SharedValues:
    """An ``object_pairs_hook`` for :func:`json.loads` that hands back one object per value.

    Use a fresh instance per document: it keeps every distinct value it has seen until it goes.
    ``json.loads(text, object_pairs_hook=SharedValues().object_from_pairs)``.
    """

    def __init__(self) -> None:
        self._canonical: dict[Any, Any] = {}

    def _key(self, value: Any) -> Any:
        kind = type(value)
        if kind is float:
            return (float, repr(value))
        if kind is dict or kind is list:
            return id(value)  # already the shared one: its identity is its key
        return (kind, value)

    def _list(self, items: list[Any]) -> list[Any]:
        canonical = self._canonical
        for index, item in enumerate(items):
            kind = type(item)
            if kind is str:
                items[index] = canonical.setdefault(item, item)
            elif kind is list:
                items[index] = self._list(item)
        shared: list[Any] = canonical.setdefault(("[", *map(self._key, items)), items)
        return shared

    def object_from_pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """The object of ``pairs`` (the decoder's members, in order; the last of a repeated
        key wins, as without a hook), or the equal one decoded before it."""
        canonical = self._canonical
        obj: dict[str, Any] = {}
        for name, value in pairs:
            kind = type(value)
            if kind is str:
                value = canonical.setdefault(value, value)
            elif kind is list:
                value = self._list(value)
            obj[name] = value
        key = ("{", *((name, self._key(value)) for name, value in obj.items()))
        shared: dict[str, Any] = canonical.setdefault(key, obj)
        return shared
