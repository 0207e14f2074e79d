"""Attributes replaced while any mock runs, and put back by the last mock to stop.

The targeted moto fixes (:mod:`.sqs`, :mod:`.jobs.training_time`) and sleep warping
(:mod:`mock_sagemaker_pipelines.patches`) each replace a few attributes of classes or modules
for as long as a mock that asks for them is active. :class:`SharedPatch` holds the counting they
share: the first :meth:`~SharedPatch.activate` builds the replacements from the originals and
installs them, later ones only count, and the last :meth:`~SharedPatch.deactivate` restores each
original (an inherited class attribute by removing the class's own entry), whatever order
nested or threaded mocks stop in, so that no patch outlives its mock.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["SharedPatch"]


class SharedPatch:
    """``targets`` (``(class or module, attribute)`` pairs) replaced by ``build(*originals)``
    while active.

    ``build`` gets each target's original, as the class's namespace holds it (a property, a
    function, a module's value), and returns the replacements in the same order. ``before_restore`` runs under the
    lock just before the last deactivation puts the originals back.
    """

    def __init__(
        self,
        targets: tuple[tuple[Any, str], ...],
        build: Callable[..., tuple[Any, ...]],
        before_restore: Callable[[], None] | None = None,
    ) -> None:
        self._targets = targets
        self._build = build
        self._before_restore = before_restore
        self._lock = threading.Lock()
        self._users = 0
        #: While active: (target, attribute, whether the target defined it itself, original).
        self._saved: list[tuple[Any, str, bool, Any]] = []

    def activate(self) -> None:
        """Apply the patch if nobody has yet; count one more user."""
        with self._lock:
            if self._users == 0:
                saved = [
                    (cls, name, name in vars(cls), inspect.getattr_static(cls, name))
                    for cls, name in self._targets
                ]
                replacements = self._build(*(original for *_, original in saved))
                for (cls, name), replacement in zip(self._targets, replacements, strict=True):
                    setattr(cls, name, replacement)
                self._saved = saved
            self._users += 1

    def deactivate(self) -> None:
        """Undo one :meth:`activate`; the last one puts every original back."""
        with self._lock:
            if self._users == 0:
                return
            self._users -= 1
            if self._users:
                return
            if self._before_restore is not None:
                self._before_restore()
            for cls, name, own, original in self._saved:
                if own:
                    setattr(cls, name, original)
                else:
                    delattr(cls, name)
            self._saved = []

    def is_active(self) -> bool:
        """Whether the replacements are in force."""
        return self._users > 0
