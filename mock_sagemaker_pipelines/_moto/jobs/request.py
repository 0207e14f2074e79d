"""A ``Create*`` request's fields mapped onto moto's ``create_*`` backend methods and objects.

:func:`_call_create` calls a moto ``create_*`` method with the request fields its keyword
parameters take (``FooBar`` -> ``foo_bar``). Request fields that the method does not take are
stored on moto's object by :func:`_attach_extras` under the snake_case attribute name its
``gen_response_object`` turns back into the API name (for example ``ProfilerConfig``,
``Environment``, ``RetryStrategy`` on training jobs, ``ProcessingResources`` on processing jobs),
so that the Describe* answer echoes them like the real service does. The moto internals used
(``camelcase_to_underscores``, ``BaseObject.camelCase``/``gen_response_object``) are listed in
:data:`mock_sagemaker_pipelines._moto.jobs.MOTO_INTERNALS`.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from moto.core.utils import camelcase_to_underscores


def _attach_extras(obj: Any, arguments: Mapping[str, Any], consumed: set[str]) -> None:
    """Store request fields moto's create method did not take, so Describe* echoes them.

    A field ``Foo`` is stored as ``obj.foo`` when moto's ``camelCase`` turns that attribute name
    back into ``Foo`` and the object has no such attribute yet (moto's own fields win).
    """
    to_camel: Callable[[str], str] | None = getattr(obj, "camelCase", None)
    if to_camel is None:
        return
    for key, value in arguments.items():
        if key in consumed:
            continue
        attr = _snake(key)
        if not attr.isidentifier() or hasattr(obj, attr) or to_camel(attr) != key:
            continue
        setattr(obj, attr, copy.deepcopy(value))


@functools.lru_cache(maxsize=4096)
def _snake(key: str) -> str:
    """moto's ``camelcase_to_underscores``, memoised (request keys repeat for every job)."""
    return str(camelcase_to_underscores(key))


#: ``inspect.signature(bound_method).parameters`` per underlying function (it does not depend on
#: the instance): ``inspect.signature`` costs 50-100 us per moto ``create_*`` method and ran once
#: per job step.
_PARAMETERS: dict[Callable[..., Any], Mapping[str, inspect.Parameter]] = {}


def _parameters(method: Callable[..., Any]) -> Mapping[str, inspect.Parameter]:
    """``inspect.signature(method).parameters``, cached for bound methods of plain functions.

    Anything else (a mock, a partial) is inspected every time.
    """
    function = getattr(method, "__func__", None)
    if getattr(method, "__self__", None) is None or not inspect.isfunction(function):
        return inspect.signature(method).parameters
    parameters = _PARAMETERS.get(function)
    if parameters is None:
        parameters = _PARAMETERS[function] = inspect.signature(method).parameters
    return parameters


def _call_create(
    method: Callable[..., Any],
    arguments: Mapping[str, Any],
    fixed: Mapping[str, Any],
    skip: frozenset[str] = frozenset(),
) -> tuple[Any, set[str]]:
    """Call a moto ``create_*`` method with the request fields mapped to its keyword parameters.

    ``FooBar`` goes to the parameter ``foo_bar`` when the method has one; ``fixed`` overrides
    (names, adapted values); required parameters nobody supplies get ``None`` (moto then either
    copes or raises, and the caller falls back). Returns moto's result and the request keys used.
    """
    params = _parameters(method)
    kwargs: dict[str, Any] = {}
    consumed: set[str] = set()
    for key, value in arguments.items():
        if key in skip:
            consumed.add(key)
            continue
        param = _snake(key)
        if param in params and param not in fixed:
            kwargs[param] = copy.deepcopy(value)
            consumed.add(key)
    kwargs.update(fixed)
    for name, parameter in params.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name not in kwargs and parameter.default is inspect.Parameter.empty:
            kwargs[name] = None
    return method(**kwargs), consumed
