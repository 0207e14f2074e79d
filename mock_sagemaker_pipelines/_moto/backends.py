"""One region's backend of a moto service, found without moto's per-lookup bookkeeping.

``sagemaker_backends[account_id][region]`` is how moto's own code reaches a backend. Each such
lookup runs ``BackendDict._create_account_specific_backend``: it takes moto's backend lock, builds
a list of the accounts, and scans ``BackendDict._instances`` with ``BackendDict.__eq__``, a
Python method: 1.5-4 us a lookup with four services in use, more with more (``timeit``,
moto 5.2.5), seven times per pipeline step. :func:`region_backend` reads the two dicts
directly (0.3-0.4 us) when the account and region already exist and the dict is tracked (below),
and falls back to moto's lookup, which creates them, when not.

moto's reset must keep working: ``BackendDict.reset`` resets and empties the dicts listed in
``BackendDict._instances`` and then empties that list, and only a lookup through
``BackendDict.__getitem__`` puts a dict back in it. A dict can hold accounts without being
listed: resetting moto's SageMaker Metrics backend runs its ``__init__``, which looks up
``sagemaker_backends`` again while the reset is under way, after that dict was emptied and
while it is still listed, so the reset ends with an account in a dict it no longer tracks. A
direct read is therefore taken only for a dict that is listed (an identity scan of a list of a
few dozen); any other goes through moto's lookup, which lists it again, as before. Both classes
are ``dict`` subclasses (``moto/core/base_backend.py``); the names relied on are in
:data:`MOTO_INTERNALS`.
"""

from __future__ import annotations

from typing import TypeVar

from moto.core.base_backend import BackendDict, BaseBackend

__all__ = ["MOTO_INTERNALS", "region_backend"]

MOTO_INTERNALS: tuple[str, ...] = (
    "moto.core.base_backend.BackendDict",
    "moto.core.base_backend.BackendDict._create_account_specific_backend",
    "moto.core.base_backend.BackendDict._instances",
    "moto.core.base_backend.AccountSpecificBackend",
)

SERVICE_BACKEND = TypeVar("SERVICE_BACKEND", bound=BaseBackend)


def region_backend(
    backends: BackendDict[SERVICE_BACKEND], account_id: str, region: str
) -> SERVICE_BACKEND:
    """``backends[account_id][region]``, moto's backend of that account and region.

    ``region`` is a region name, or a partition (``"aws"``) for S3's partition-wide backend.
    Raises what moto's lookup raises for a region it does not know (``KeyError``).
    """
    accounts = dict.get(backends, account_id)
    if accounts is not None:
        for listed in BackendDict._instances:  # type: ignore[misc]  # as moto reads it
            if listed is backends:  # tracked by moto's reset (``is``: moto's __eq__ is slow)
                backend = dict.get(accounts, region)
                if backend is not None:
                    return backend
                break
    return backends[account_id][region]
