"""Checks of the expressions inside a definition (``shared/spec/sagemaker-pipelines-semantics.md``
section 10, "Expressions"): every ``Get``, ``Std:Join`` and ``Std:JsonGet`` is well formed and
names a declared parameter, an execution variable, an experiment-config value or a step
property; the step references found are recorded as :class:`StepRef` for the cross-step checks
and the steps' data dependencies (section 9.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .expressions import EXECUTION_VARIABLES, EXPERIMENT_CONFIG_VARIABLES
from .paths import ExpressionError, parse_get_path
from .problems import Problems, json_type, show_json
from .schema import check_function_keys

__all__ = ["ReferenceCheck", "StepRef"]


@dataclass
class StepRef:
    """A ``Get Steps.<step>...`` found in ``owner``'s JSON."""

    owner: str
    step: str
    property_file: str | None  # set when the reference is a Std:JsonGet PropertyFile
    #: The tokens after the step name (``["IterationOutputs", 0, "Body", ...]``).
    path: tuple[str | int, ...] = ()


class ReferenceCheck:
    """Scans JSON values for expressions, reporting bad ones to ``problems``; the ``Get
    Parameters.<name>`` references are checked against ``declared_parameters`` and the step
    references found are appended to :attr:`step_refs` in document order."""

    def __init__(self, problems: Problems, declared_parameters: set[str]) -> None:
        self.problems = problems
        self.declared_parameters = declared_parameters
        self.step_refs: list[StepRef] = []
        #: Set while the steps of a ForEachBody are scanned: ``ForEach.CurrentItem`` is valid.
        self.in_for_each_body = False

    def scan(self, value: Any, label: str, *, allow_steps: bool = True) -> None:
        """Validate every expression inside ``value`` and record step references (spec §10
        "Expressions")."""
        stack: list[Any] = [value]
        while stack:
            cur = stack.pop()
            if isinstance(cur, list):
                stack.extend(reversed(cur))
                continue
            if not isinstance(cur, dict):
                continue
            if len(cur) == 1:
                key, body = next(iter(cur.items()))
                if key == "Get":
                    self._check_get(body, label, allow_steps=allow_steps, property_file=False)
                    continue
                if key == "Std:Join":
                    check_function_keys(self.problems, label, key, body)
                    if (
                        not isinstance(body, dict)
                        or not isinstance(body.get("On"), str)
                        or not isinstance(body.get("Values"), list)
                    ):
                        self.problems.add(
                            f"{label}: Std:Join requires 'On' (a string) and 'Values' "
                            f"(an array): {show_json(cur)}."
                        )
                        continue
                    stack.extend(reversed(body["Values"]))
                    continue
                if key == "Std:JsonGet":
                    check_function_keys(self.problems, label, key, body)
                    stack.extend(reversed(self._check_json_get(body, label, allow_steps)))
                    continue
            stack.extend(reversed(list(cur.values())))

    def _check_json_get(self, body: Any, label: str, allow_steps: bool) -> list[Any]:
        """``Std:JsonGet`` needs ``Path`` and exactly one of ``PropertyFile`` (a ``Get`` on
        ``Steps.<S>.PropertyFiles.<N>``) or ``S3Uri`` (spec §10). Returns sub-values to scan."""
        if not isinstance(body, dict):
            self.problems.add(
                f"{label}: Std:JsonGet must be an object with 'Path' and 'PropertyFile' or 'S3Uri'."
            )
            return []
        if not isinstance(body.get("Path"), str) or not body["Path"]:
            self.problems.add(f"{label}: Std:JsonGet requires 'Path' (a non-empty string).")
        has_pf, has_s3 = "PropertyFile" in body, "S3Uri" in body
        if has_pf == has_s3:
            self.problems.add(
                f"{label}: Std:JsonGet requires exactly one of 'PropertyFile' and 'S3Uri'."
            )
            return []
        if has_s3:
            uri = body["S3Uri"]
            if not isinstance(uri, str) and not (
                isinstance(uri, dict) and len(uri) == 1 and next(iter(uri)) in ("Get", "Std:Join")
            ):
                self.problems.add(
                    f"{label}: Std:JsonGet 'S3Uri' must be a string or an expression."
                )
                return []
            return [uri]
        ref = body["PropertyFile"]
        if not (isinstance(ref, dict) and len(ref) == 1 and "Get" in ref):
            self.problems.add(
                f"{label}: Std:JsonGet 'PropertyFile' must be "
                '{"Get": "Steps.<StepName>.PropertyFiles.<PropertyFileName>"}.'
            )
            return []
        self._check_get(ref["Get"], label, allow_steps=allow_steps, property_file=True)
        return []

    def _check_get(self, path: Any, label: str, *, allow_steps: bool, property_file: bool) -> None:
        """A ``Get`` path: ``Parameters.<declared>``, ``Execution.<variable>``,
        ``PipelineExperimentConfig.ExperimentName|TrialName`` or ``Steps.<S>.<property>``
        (``Steps.<S>.PropertyFiles.<N>`` only inside ``Std:JsonGet``), spec §10."""
        if not isinstance(path, str):
            self.problems.add(f"{label}: Get expression must be a string, not {json_type(path)}.")
            return
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            self.problems.add(f"{label}: invalid Get expression '{path}'.")
            return
        if property_file and not (
            root == "Steps"
            and len(rest) == 3
            and isinstance(rest[0], str)
            and rest[1] == "PropertyFiles"
            and isinstance(rest[2], str)
        ):
            self.problems.add(
                f"{label}: Std:JsonGet 'PropertyFile' must be a Get on "
                f"Steps.<StepName>.PropertyFiles.<PropertyFileName>, not '{path}'."
            )
            return
        if root == "Parameters":
            if len(rest) != 1 or not isinstance(rest[0], str):
                self.problems.add(f"{label}: invalid Get expression '{path}'.")
            elif rest[0] not in self.declared_parameters:
                self.problems.add(
                    f"{label} references parameter '{rest[0]}' which is not defined in the "
                    "pipeline definition's Parameters."
                )
        elif root == "Execution":
            if len(rest) != 1 or rest[0] not in EXECUTION_VARIABLES:
                self.problems.add(
                    f"{label}: '{path}' is not a valid execution variable; use one of "
                    + ", ".join(f"Execution.{v}" for v in sorted(EXECUTION_VARIABLES))
                    + "."
                )
        elif root == "PipelineExperimentConfig":
            if len(rest) != 1 or rest[0] not in EXPERIMENT_CONFIG_VARIABLES:
                self.problems.add(
                    f"{label}: '{path}' is not valid; use PipelineExperimentConfig."
                    "ExperimentName or PipelineExperimentConfig.TrialName."
                )
        elif root == "Steps":
            if not allow_steps:
                self.problems.add(f"{label} can not reference step properties ('{path}').")
            elif len(rest) < 2 or not isinstance(rest[0], str):
                self.problems.add(
                    f"{label}: invalid Get expression '{path}': a step property reference "
                    "is Steps.<StepName>.<Property>."
                )
            elif rest[1] == "PropertyFiles" and not property_file:
                self.problems.add(
                    f"{label}: '{path}' can only be used as the PropertyFile of a Std:JsonGet."
                )
            else:
                self.step_refs.append(
                    StepRef(
                        owner=label,
                        step=str(rest[0]),
                        property_file=str(rest[2]) if property_file else None,
                        path=tuple(rest[1:]),
                    )
                )
        elif root == "ForEach":
            # SDK 3.x CurrentItem: ForEach.CurrentItem, then any .field / ['key'] / [n]
            if not rest or rest[0] != "CurrentItem":
                self.problems.add(
                    f"{label}: invalid Get expression '{path}': the only ForEach reference "
                    "is ForEach.CurrentItem."
                )
            elif not self.in_for_each_body:
                self.problems.add(
                    f"{label}: '{path}' can only be used inside the ForEachBody of a ForEach step."
                )
        elif root == "IterationOutput":
            self.problems.add(
                f"{label}: '{path}' can only be used as the Field of a ForEach step's Selector."
            )
        else:
            self.problems.add(
                f"{label}: invalid Get expression '{path}': it must start with Parameters., "
                "Execution., Steps., ForEach. or PipelineExperimentConfig."
            )
