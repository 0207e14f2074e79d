"""``CacheConfig`` of a step: ``{"Enabled": bool, "ExpireAfter": ISO 8601 duration}``.

DG "Turn on step caching" (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-caching-enabling.html):
``ExpireAfter`` "is a string in ISO 8601 duration format that defines the timeout period. The
ExpireAfter duration can be a year, month, week, day, hour, or minute value", with the examples
``"30d"``, ``"5y"``, ``"T16m"`` and ``"30dT5h"`` (no leading ``P``); the SDK's examples carry it
(``"PT1H"``). DG "Turn off step caching": "the ExpireAfter attribute is ignored when Enabled is
false". A malformed ``ExpireAfter`` of an enabled cache is refused at create time (the wording
is the mock's **[U]**); an enabled cache without ``ExpireAfter`` never expires **[U]**.
"""

from __future__ import annotations

import re
from typing import Any

from .problems import Problems

__all__ = ["check_cache_config", "parse_expire_after"]

_DURATION = re.compile(
    r"^P?(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$",
    re.IGNORECASE,
)
#: Seconds per unit (a month is 30 days, a year 365 days **[U]**).
_UNIT_SECONDS = {
    "years": 365 * 86400,
    "months": 30 * 86400,
    "weeks": 7 * 86400,
    "days": 86400,
    "hours": 3600,
    "minutes": 60,
    "seconds": 1,
}
#: The longest ExpireAfter the mock honours (a longer one is capped): about 100 years.
_MAX_EXPIRE_SECONDS = 100 * 365 * 86400


def parse_expire_after(text: Any) -> float | None:
    """Seconds of an ``ExpireAfter`` duration, or None when it is not one.

    The SDK's form (``PT1H``, ``P30D``) and the DG's form without ``P`` (``30d``, ``T16m``,
    ``30dT5h``), case-insensitive; at least one component, and a ``T`` needs a time component.
    """
    if not isinstance(text, str) or not text or len(text) > 64:
        return None
    match = _DURATION.match(text)
    if match is None or not any(match.groupdict().values()):
        return None
    if "T" in text.upper() and not any(match.group(u) for u in ("hours", "minutes", "seconds")):
        return None
    total = sum(int(v) * _UNIT_SECONDS[k] for k, v in match.groupdict().items() if v)
    return float(min(total, _MAX_EXPIRE_SECONDS))


def check_cache_config(problems: Problems, label: str, cache_config: dict[str, Any]) -> None:
    """Refuse a malformed ``ExpireAfter`` of an enabled cache (one problem, naming the step)."""
    expire = cache_config.get("ExpireAfter")
    if cache_config.get("Enabled") is not True or expire is None:
        return
    if parse_expire_after(expire) is None:
        problems.add(
            f"{label}: CacheConfig ExpireAfter {expire!r} is not an ISO 8601 duration "
            '(for example "PT1H" or "30d").'
        )
