"""Scenarios: parameters, scripted step outcomes, durations and a stop time, as plain JSON.

Shared by the ``simulate`` command (``--scenario FILE``, ``--outcome STEP=SPEC``) and the HTTP
server's ``POST /moto-api/sagemaker-pipelines/outcomes`` control endpoint. The file format is
documented in :mod:`mock_sagemaker_pipelines.cli`.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .controller import PipelinesMock
from .engine.clock import check_seconds

__all__ = [
    "Scenario",
    "ScenarioError",
    "apply_outcome",
    "check_outcome",
    "import_handler",
    "load_scenario",
]

_SCENARIO_KEYS = ("parameters", "outcomes", "durations", "step_durations", "stop_at", "handlers")
_SUCCEED_KEYS = {"succeed", "after", "outputs", "properties", "property_files"}
_FAIL_KEYS = {"fail", "after", "exception_type"}


class ScenarioError(ValueError):
    """A scenario file or an outcome spec is malformed; ``str()`` says where and why."""


@dataclass
class Scenario:
    """What a scenario file says: parameter values, step outcomes, durations and a stop time.

    ``outcomes`` maps a step name to an outcome spec (see :func:`apply_outcome`);
    ``durations`` a step Type to simulated seconds; ``step_durations`` a step name to seconds;
    ``stop_at`` the simulated second (after the execution starts) at which to stop it;
    ``handlers`` a step name to the dotted import path of a job handler (``pkg.module:function``
    or ``pkg.module.function``), imported by :func:`load_scenario` into ``job_handlers``.
    """

    parameters: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, Any] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    step_durations: dict[str, float] = field(default_factory=dict)
    stop_at: float | None = None
    handlers: dict[str, str] = field(default_factory=dict)
    job_handlers: dict[str, Callable[..., Any]] = field(default_factory=dict)


def import_handler(path: str, search: tuple[Path, ...] = ()) -> Callable[..., Any]:
    """The callable a dotted import path names (``pkg.module:function`` or ``pkg.module.function``).

    Folders in ``search`` (a scenario file's folder, the working directory) are tried after
    ``sys.path``. Raises :class:`ScenarioError` saying what could not be imported.
    """
    module_name, _, attr = path.partition(":") if ":" in path else path.rpartition(".")
    if not module_name or not attr:
        raise ScenarioError(f"handler {path!r} must be a dotted path: module:function")
    added = [str(p) for p in search if str(p) not in sys.path]
    sys.path.extend(added)
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ScenarioError(f"handler {path!r}: cannot import {module_name}: {exc}") from exc
    finally:
        for folder in added:
            sys.path.remove(folder)
    for part in attr.split("."):
        if not hasattr(target, part):
            raise ScenarioError(f"handler {path!r}: {module_name} has no {attr}")
        target = getattr(target, part)
    if not callable(target):
        raise ScenarioError(f"handler {path!r} is not callable")
    return target  # type: ignore[no-any-return]


def _seconds(value: Any, where: str) -> float:
    try:
        return check_seconds(value, where)
    except ValueError as exc:
        raise ScenarioError(str(exc)) from exc


def _parameter_text(value: Any) -> str:
    """A parameter value as StartPipelineExecution sends it (booleans as ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise ScenarioError(f"a parameter value must be a string, number or boolean, not {value!r}")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where} must be a JSON object, not {type(value).__name__}")
    return value


def check_outcome(step: str, spec: Any) -> None:
    """Raise :class:`ScenarioError` unless ``spec`` is a valid outcome spec (nothing is applied)."""
    specs = spec if isinstance(spec, list) else [spec]
    if not specs:
        raise ScenarioError(f"outcome of step {step!r}: an empty list scripts nothing")
    for item in specs:
        if isinstance(item, str):
            text = item.strip()
            if text in ("succeed", "success", "fail") or text.startswith("fail:"):
                continue
            if text.startswith("succeed:"):
                try:
                    _seconds(float(text.split(":", 1)[1]), f"outcome of step {step!r}")
                except ValueError as exc:
                    raise ScenarioError(f"outcome of step {step!r}: {exc}") from exc
                continue
            raise ScenarioError(
                f"outcome of step {step!r} must be succeed, succeed:SECONDS, fail, "
                f"fail:REASON or an outcome object, not {item!r}"
            )
        if not isinstance(item, dict):
            raise ScenarioError(
                f"outcome of step {step!r} must be a string, an object or a list, not {item!r}"
            )
        where = f"outcome of step {step!r}"
        if "succeed" in item and "fail" in item:
            raise ScenarioError(f"{where} has both 'succeed' and 'fail'")
        if "fail" in item:
            unknown = set(item) - _FAIL_KEYS
            if unknown:
                raise ScenarioError(f"{where}: unknown keys {sorted(unknown)} for a failure")
            if not isinstance(item["fail"], str) or not item["fail"]:
                raise ScenarioError(f"{where}: 'fail' must be the failure reason (a string)")
            if item.get("exception_type") is not None and not isinstance(
                item["exception_type"], str
            ):
                raise ScenarioError(f"{where}: 'exception_type' must be a string")
        elif "succeed" in item:
            unknown = set(item) - _SUCCEED_KEYS
            if unknown:
                raise ScenarioError(f"{where}: unknown keys {sorted(unknown)} for a success")
            if item["succeed"] is not True:
                raise ScenarioError(f"{where}: 'succeed' must be true (use 'fail' for a failure)")
            for key in ("outputs", "properties", "property_files"):
                if key in item:
                    _object(item[key], f"{where}: {key!r}")
        else:
            raise ScenarioError(f"{where} must have 'succeed': true or 'fail': REASON")
        if item.get("after") is not None:
            _seconds(item["after"], f"{where}: 'after'")


def apply_outcome(
    controller: PipelinesMock, step: str, spec: Any, execution: str | None = None
) -> None:
    """Script step ``step`` from an outcome spec.

    ``spec`` is ``"succeed"``, ``"succeed:SECONDS"``, ``"fail"``, ``"fail:REASON"``, an object
    ``{"succeed": true, "after": S, "outputs": {...}, "properties": {...},
    "property_files": {...}}`` or ``{"fail": REASON, "after": S, "exception_type": T}``, or a list
    of these (one per attempt, the last repeating). Raises :class:`ScenarioError` for anything
    else, before scripting anything.
    """
    check_outcome(step, spec)
    specs = spec if isinstance(spec, list) else [spec]
    for item in specs:
        if isinstance(item, str):
            item = _string_to_object(item)
        script = controller.step(step, execution)
        if "fail" in item:
            script.fails(
                item["fail"], after=item.get("after"), exception_type=item.get("exception_type")
            )
        else:
            script.succeeds(
                after=item.get("after"),
                outputs=item.get("outputs"),
                properties=item.get("properties"),
                property_files=item.get("property_files"),
            )


def _string_to_object(text: str) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("succeed:"):
        return {"succeed": True, "after": float(text.split(":", 1)[1])}
    if text in ("succeed", "success"):
        return {"succeed": True}
    reason = text.split(":", 1)[1] if ":" in text else ""
    return {"fail": reason or "ClientError: The step failed (scripted)."}


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Check a decoded scenario document and return it as a :class:`Scenario`."""
    doc = _object(data, source)
    unknown = [k for k in doc if k not in _SCENARIO_KEYS]
    if unknown:
        raise ScenarioError(
            f"{source}: unknown keys {unknown}; expected some of {list(_SCENARIO_KEYS)}"
        )
    scenario = Scenario()
    for name, value in _object(doc.get("parameters", {}), f"{source}: 'parameters'").items():
        try:
            scenario.parameters[name] = _parameter_text(value)
        except ScenarioError as exc:
            raise ScenarioError(f"{source}: parameter {name!r}: {exc}") from exc
    for step, spec in _object(doc.get("outcomes", {}), f"{source}: 'outcomes'").items():
        try:
            check_outcome(step, spec)
        except ScenarioError as exc:
            raise ScenarioError(f"{source}: {exc}") from exc
        scenario.outcomes[step] = spec
    for key in ("durations", "step_durations"):
        for name, value in _object(doc.get(key, {}), f"{source}: {key!r}").items():
            getattr(scenario, key)[name] = _seconds(value, f"{source}: {key}[{name!r}]")
    if doc.get("stop_at") is not None:
        scenario.stop_at = _seconds(doc["stop_at"], f"{source}: 'stop_at'")
    for step, path in _object(doc.get("handlers", {}), f"{source}: 'handlers'").items():
        if not isinstance(path, str) or not path:
            raise ScenarioError(f"{source}: handler of step {step!r} must be a dotted path")
        scenario.handlers[step] = path
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario JSON file; raises :class:`ScenarioError` (also for I/O errors)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read scenario file {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ScenarioError(f"scenario file {path} is not valid JSON: {exc}") from exc
    scenario = parse_scenario(data, f"scenario file {path}")
    search = (Path(path).resolve().parent, Path.cwd())
    for step, dotted in scenario.handlers.items():
        try:
            scenario.job_handlers[step] = import_handler(dotted, search)
        except ScenarioError as exc:
            raise ScenarioError(f"scenario file {path}: {exc}") from exc
    return scenario
