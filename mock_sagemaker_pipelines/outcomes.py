"""Scripted step outcomes: what a test says a step will do.

``pipelines.step("Train").succeeds(after=600)`` or ``.fails("ClientError: boom", after=30)``
scripts the named step, for every execution or (with ``execution=``) for one. Calls chain, and a
chain is a sequence across retry attempts: attempt *n* takes the *n*-th outcome, the last one
repeating (the model of Step Functions Local's ``MockedResponses``, see
``shared/spec/moto-plugin-and-peers.md`` section 8). For Callback and Lambda steps an outcome
answers the step the way SendPipelineExecutionStepSuccess/Failure or the function would.
"""

from __future__ import annotations

import difflib
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

#: Top-level packages whose frames a warning skips, to point at the user's own line.
_LIBRARIES = frozenset({"mock_sagemaker_pipelines", "moto", "botocore", "boto3", "sagemaker"})


#: What SDK 2.x's ModelStep appends to the step names it makes (``<name>-RegisterModel``); an
#: SDK 3.x ModelStep is one step with the name as given (sagemaker-python-sdk issue #5440).
_V2_MODEL_STEP_SUFFIXES = frozenset({"RegisterModel", "CreateModel"})


class UnknownStepWarning(UserWarning):
    """A step is scripted under a name that no created pipeline has (most often a typo).

    Warned at StartPipelineExecution, once per name, with the closest real step names.
    """


@dataclass
class ScriptedOutcome:
    """One scripted result of a step attempt.

    ``after``: simulated seconds the attempt runs (``None``: the step's default duration).
    ``outputs``: OutputParameters of a Callback/Lambda step (name -> value).
    ``properties``: values merged over the job's derived properties (``Steps.X.<path>``).
    ``property_files``: PropertyFile name -> JSON content, read by ``Std:JsonGet``.
    ``exception_type``: the retry-policy ExceptionType a failure counts as
    (e.g. ``"SageMaker.CAPACITY_ERROR"``); ``None`` matches no policy.
    """

    succeed: bool
    after: float | None = None
    reason: str | None = None
    exception_type: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    property_files: dict[str, Any] = field(default_factory=dict)
    uses: int = 0


class StepScript:
    """The scripted behaviour of one step name (optionally limited to one execution).

    Returned by :meth:`mock_sagemaker_pipelines.PipelinesMock.step`; its methods return the
    script itself so that calls chain: ``.fails("x").succeeds()``.
    """

    def __init__(self, step_name: str, execution: str | None = None) -> None:
        self.step_name = step_name
        self.execution = execution
        self.outcomes: list[ScriptedOutcome] = []
        self.duration: float | None = None

    def __repr__(self) -> str:
        scope = f" for {self.execution}" if self.execution else ""
        return f"<StepScript {self.step_name}{scope}: {len(self.outcomes)} outcome(s)>"

    def succeeds(
        self,
        after: float | None = None,
        outputs: dict[str, Any] | None = None,
        properties: dict[str, Any] | None = None,
        property_files: dict[str, Any] | None = None,
    ) -> StepScript:
        """Script a success after ``after`` simulated seconds, with outputs/properties/files.

        A Callback or Lambda step (without a registered handler) answered by this success gets
        every declared OutputParameter: ``outputs`` first, a typed placeholder for the rest
        (``"<name>-placeholder"``, ``0``, ``0.0``, ``false``), as ``simulate --outcome
        STEP=succeed`` does. To test a success that leaves an output out, answer the step with
        SendPipelineExecutionStepSuccess instead: that fails it, as the service does.
        """
        _check_after(after)
        self.outcomes.append(
            ScriptedOutcome(
                True,
                after=after,
                outputs=dict(outputs or {}),
                properties=dict(properties or {}),
                property_files=dict(property_files or {}),
            )
        )
        return self

    def fails(
        self,
        reason: str = "ClientError: The step failed (scripted).",
        after: float | None = None,
        exception_type: str | None = None,
    ) -> StepScript:
        """Script a failure with ``reason`` (the step's FailureReason) after ``after`` seconds."""
        _check_after(after)
        self.outcomes.append(
            ScriptedOutcome(
                False, after=after, reason=str(reason)[:1024], exception_type=exception_type
            )
        )
        return self

    def takes(self, seconds: float) -> StepScript:
        """Set the step's simulated duration without choosing its result."""
        from .engine.clock import check_seconds

        self.duration = check_seconds(seconds, "seconds")
        return self

    def outcome_for(self, attempt: int) -> ScriptedOutcome | None:
        """The outcome of attempt ``attempt`` (1-based); the last outcome repeats."""
        if not self.outcomes:
            return None
        outcome = self.outcomes[min(max(attempt, 1), len(self.outcomes)) - 1]
        outcome.uses += 1
        return outcome

    def unused(self) -> list[ScriptedOutcome]:
        """Outcomes no attempt ever took."""
        return [o for o in self.outcomes if o.uses == 0]


def _check_after(after: float | None) -> None:
    from .engine.clock import check_seconds

    if after is not None:
        check_seconds(after, "after")


class OutcomeRegistry:
    """All step scripts of one simulation, looked up by step name and execution."""

    def __init__(self) -> None:
        self._scripts: dict[tuple[str, str | None], StepScript] = {}
        self._checked: set[str] = set()  # scripted names already looked up

    def script(self, step_name: str, execution: str | None = None) -> StepScript:
        """The script for ``step_name`` (created on first use); ``execution`` is an ARN or id."""
        key = (step_name, execution)
        if key not in self._scripts:
            self._scripts[key] = StepScript(step_name, execution)
        return self._scripts[key]

    def lookup(self, step_name: str, execution_arn: str) -> StepScript | None:
        """The script that applies: one for this execution first, else the general one."""
        execution_id = execution_arn.rsplit("/", 1)[-1]
        for scope in (execution_arn, execution_id, None):
            script = self._scripts.get((step_name, scope))
            if script is not None and (script.outcomes or script.duration is not None):
                return script
        return None

    def scripts(self) -> list[StepScript]:
        """Every script, in the order they were made."""
        return list(self._scripts.values())

    def unused(self) -> list[tuple[StepScript, ScriptedOutcome]]:
        """(script, outcome) pairs that no step attempt used."""
        return [(s, o) for s in self._scripts.values() for o in s.unused()]

    def unchecked(self) -> set[str]:
        """Scripted step names :meth:`unknown_steps` has not looked up yet."""
        return {s.step_name for s in self._scripts.values() if s.outcomes} - self._checked

    def unknown_steps(
        self, known: Iterable[str], bodies: Iterable[str] = ()
    ) -> list[tuple[str, list[str]]]:
        """Unchecked scripted step names not in ``known``, each with its close matches.

        ``bodies`` are ForEach body step names: they and their child steps (``<Body>-<index>``)
        are known too.

        Every name is looked up once per registry (later calls leave it out); the matches are
        ``difflib.get_close_matches`` of ``known`` (at most three, best first).
        """
        bodies = set(bodies)
        names = sorted(set(known) | bodies)
        found: list[tuple[str, list[str]]] = []
        for name in sorted(self.unchecked()):
            self._checked.add(name)
            head, _, tail = name.rpartition("-")
            if name not in names and not (tail.isdigit() and head in bodies):
                close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
                if tail in _V2_MODEL_STEP_SUFFIXES and head in names and head not in close:
                    close.insert(0, head)  # an SDK 3.x ModelStep is one step named as given
                found.append((name, close))
        return found

    def warn_unknown_steps(self, known: Iterable[str], bodies: Iterable[str] = ()) -> None:
        """Warn (:class:`UnknownStepWarning`) of every new :meth:`unknown_steps` entry."""
        bodies = set(bodies)
        names = sorted(set(known) | bodies)
        for name, close in self.unknown_steps(names, bodies):
            if close:
                hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
            else:
                shown = ", ".join(repr(n) for n in names[:10]) + (
                    ", ..." if len(names) > 10 else ""
                )
                hint = f"the pipelines' steps are: {shown or 'none'}"
            warnings.warn(
                f"mock_sagemaker_pipelines: step({name!r}) is scripted, but no pipeline created "
                f"so far has a step named {name!r}; {hint}",
                UnknownStepWarning,
                stacklevel=_user_stacklevel(),
            )

    def clear(self) -> None:
        """Forget every script."""
        self._scripts.clear()
        self._checked.clear()


def _user_stacklevel() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside the libraries."""
    frame: FrameType | None = sys._getframe(2)  # the caller of the function calling warn()
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").split(".")[0] in _LIBRARIES:
        frame = frame.f_back
        level += 1
    return level if frame is not None else 1
