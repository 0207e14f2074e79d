"""A targeted fix of moto's quadratic SQS send, applied while a mock runs and undone after it.

moto 5.2.5's ``SQSBackend.send_message`` (and ``_validate_message`` and ``Queue.add_message``,
which it calls) reads ``queue.attributes.get("ContentBasedDeduplication")``. ``Queue.attributes``
builds every attribute of the queue, ``ApproximateNumberOfMessages`` and the two other counts
among them, and each count walks every message already in the queue. N sends to one queue
therefore cost O(N^2): a 2,000-step Callback fan-out spent 84 s in it.

While :func:`activate` is in force, ``Queue.attributes`` read *inside* ``send_message`` answers
the one key those methods read, ``ContentBasedDeduplication``, from the queue's own field
(present only on FIFO queues, ``"true"``/``"false"`` as moto writes it); everywhere else
(GetQueueAttributes, EventBridge, CloudFormation) it is moto's own property, unchanged. The
message still goes through moto's ``send_message`` and lands in moto's queue. The patch is
reference-counted: the last :func:`deactivate` puts moto's property and method back, so no patch
outlives its mock. ``tests/test_moto_guard.py`` checks that moto's send path reads no other
attribute, and ``tests/test_sqs_send.py`` that sends behave as moto's own.

The fix proposed to moto: read ``queue.content_based_deduplication`` (a field ``_set_attributes``
already keeps) where ``send_message``, ``_validate_message`` and ``Queue.add_message`` read
``queue.attributes.get("ContentBasedDeduplication")``, so that sending no longer builds the
queue's attribute map, whose message counts are linear in the queue's depth.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.sqs.models import Queue, SQSBackend

from .shared_patches import SharedPatch

MOTO_INTERNALS: tuple[str, ...] = (
    "moto.sqs.models.Queue",
    "moto.sqs.models.Queue.attributes",
    "moto.sqs.models.Queue.fifo_queue",
    "moto.sqs.models.Queue.add_message",
    "moto.sqs.models.SQSBackend",
    "moto.sqs.models.SQSBackend.send_message",
    "moto.sqs.models.SQSBackend._validate_message",
)

#: The queue attributes moto's send path reads (the guard test checks the list is complete).
SEND_PATH_ATTRIBUTES = ("ContentBasedDeduplication",)


class _SendScope(threading.local):
    """How deep this thread is inside ``SQSBackend.send_message`` (0 outside it)."""

    depth = 0


_scope = _SendScope()


def send_path_attributes(queue: Queue) -> dict[str, str]:
    """The attributes moto's send path reads, from the queue's fields, without counting messages.

    ``{"ContentBasedDeduplication": "true" | "false"}`` on a FIFO queue, ``{}`` otherwise: the
    same values moto's ``Queue.attributes`` gives for that key.
    """
    if not queue.fifo_queue:
        return {}
    return {"ContentBasedDeduplication": str(bool(queue.content_based_deduplication)).lower()}  # type: ignore[attr-defined]


def _patched(original_attributes: property, original_send: Any) -> tuple[property, Any]:
    def attributes(queue: Queue) -> dict[str, Any]:
        if _scope.depth:
            return send_path_attributes(queue)
        return original_attributes.fget(queue)  # type: ignore[misc,no-any-return]

    @functools.wraps(original_send)
    def send_message(self: SQSBackend, *args: Any, **kwargs: Any) -> Any:
        _scope.depth += 1
        try:
            return original_send(self, *args, **kwargs)
        finally:
            _scope.depth -= 1

    return property(attributes, doc=original_attributes.__doc__), send_message


_PATCH = SharedPatch(((Queue, "attributes"), (SQSBackend, "send_message")), _patched)


def activate() -> None:
    """Apply the fix (reference-counted: the first caller patches, later ones count)."""
    _PATCH.activate()


def deactivate() -> None:
    """Undo one :func:`activate`; the last one puts moto's property and method back."""
    _PATCH.deactivate()


def is_active() -> bool:
    """Whether the fix is in force."""
    return _PATCH.is_active()
