"""Create-time checks of a job step's ``Arguments`` against the request shape of its API.

The shapes and the step type -> API map are in :mod:`.argument_shapes` (botocore service model,
SageMaker Python SDK 2.x). The rules and their public sources (``docs/argument-types.md``):

* an unknown member, at any depth: ``Unable to parse pipeline definition. Unknown Argument
  member 'X'.`` (aws/sagemaker-python-sdk#4994 -- ``AdditionalModelDataSources`` inside
  ``PrimaryContainer`` --, #2972 and PR #3472); reported through ``Problems.add_unknown`` so
  that ``lenient_definitions`` turns it into a warning, like other unknown keys;
* a value that is not a JSON array where the API needs a list -- a literal or an expression,
  e.g. ``{"Get": "Parameters.S"}`` in ``VpcConfig.SecurityGroupIds``: ``Unable to parse
  pipeline definition. Expecting start of Json Array.`` (aws/sagemaker-python-sdk#2345);
* a literal that is not a JSON object where the API needs a structure or a map: ``Unable to
  parse pipeline definition. Expecting start of Json Object.`` (aws/sagemaker-python-sdk#3908,
  ``AutoMLJobObjective`` given as a string);
* a ``Get`` of an Integer, Float or Boolean value in a String slot: ``Cannot assign property
  reference [Parameters.K] to argument of type [String].`` (aws/sagemaker-python-sdk#4867, with
  #2631 and #2425 for Float and Integer parameters in ``ContainerArguments``);
* a scalar literal of the wrong JSON type, in the mock's own wording (no public message known):
  ``Unable to parse pipeline definition. Cannot assign value 1.5 to argument of type
  [Integer].``

Every message ends with where the value is: ``(Step 'Train' Arguments.ResourceConfig.X)``.

What is accepted on purpose (no public evidence of a create-time refusal): missing required
members, expressions in structure and map
slots, expressions of any type in non-String scalar slots (a String parameter as
``InstanceCount``), ``Std:Join`` anywhere a string goes, ``Std:JsonGet`` (its type is only known at
run time), step properties whose path the Describe* shape does not have, and lengths, patterns,
enums and ranges of literals (the service checks those when it calls the API at run time).
"""

from __future__ import annotations

from typing import Any

from botocore.model import Shape

from .argument_shapes import ArgumentSpec, argument_spec, property_type, scalar_type
from .model import ParameterDef, StepDef
from .paths import ExpressionError, is_expression, parse_get_path
from .problems import Problems, show_json

__all__ = ["check_arguments"]

#: The Integer properties of a ForEach step (SDK 3.x ``ForEachStep`` docstring).
FOR_EACH_COUNTS = frozenset(
    {
        "InputItemCount",
        "TotalStepCount",
        "SucceededStepCount",
        "FailedStepCount",
        "StoppedStepCount",
    }
)

_PARSE = "Unable to parse pipeline definition."
_CHECKED_REFERENCE_TYPES = frozenset({"Integer", "Float", "Boolean"})


def check_arguments(
    problems: Problems, parameters: dict[str, ParameterDef], steps: dict[str, StepDef]
) -> None:
    """Check the Arguments of every job step in ``steps`` (definition order) against the
    request shape of its API; other step types are free-form."""
    for step in steps.values():
        spec = argument_spec(step.type)
        if spec is not None:
            _Walk(problems, parameters, steps, step).run(spec)


class _Walk:
    """One step's Arguments, walked together with their shape."""

    def __init__(
        self,
        problems: Problems,
        parameters: dict[str, ParameterDef],
        steps: dict[str, StepDef],
        step: StepDef,
    ) -> None:
        self.problems = problems
        self.parameters = parameters
        self.steps = steps
        self.step = step

    def _add(self, message: str, where: str, *, unknown: bool = False) -> None:
        text = f"{message} (Step '{self.step.name}' {where})"
        (self.problems.add_unknown if unknown else self.problems.add)(text)

    def run(self, spec: ArgumentSpec) -> None:
        arguments = self.step.arguments
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, dict) or is_expression(arguments):
            self._add(f"{_PARSE} Expecting start of Json Object.", "Arguments")
            return
        self._structure(arguments, spec.members, "Arguments")

    # ----------------------------------------------------------------------------- literals

    def _structure(self, obj: dict[str, Any], members: Any, where: str) -> None:
        for key, value in obj.items():
            shape = members.get(key)
            if shape is None:
                self._add(
                    f"{_PARSE} Unknown Argument member '{key}'.", f"{where}.{key}", unknown=True
                )
            else:
                self._value(value, shape, f"{where}.{key}")

    def _value(self, value: Any, shape: Shape, where: str) -> None:
        if value is None:
            return
        if is_expression(value):
            self._expression(value, shape, where)
            return
        kind = shape.type_name
        if kind == "structure":
            if shape.metadata.get("document"):
                return
            if not isinstance(value, dict):
                self._add(f"{_PARSE} Expecting start of Json Object.", where)
                return
            self._structure(value, shape.members, where)  # type: ignore[attr-defined]
        elif kind == "list":
            if not isinstance(value, list):
                self._add(f"{_PARSE} Expecting start of Json Array.", where)
                return
            member: Shape = shape.member  # type: ignore[attr-defined]
            for index, item in enumerate(value):
                self._value(item, member, f"{where}[{index}]")
        elif kind == "map":
            if not isinstance(value, dict):
                self._add(f"{_PARSE} Expecting start of Json Object.", where)
                return
            item_shape: Shape = shape.value  # type: ignore[attr-defined]
            for key, item in value.items():
                self._value(item, item_shape, f"{where}['{key}']")
        else:
            self._scalar(value, shape, where)

    def _scalar(self, value: Any, shape: Shape, where: str) -> None:
        slot = scalar_type(shape)
        if slot is None:  # timestamp: an ISO string or epoch seconds
            ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
            slot = "Timestamp"
        elif slot == "String":
            ok = isinstance(value, str)
        elif slot == "Boolean":
            ok = isinstance(value, bool)
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            ok = False
        else:  # Integer accepts integral numbers (1 and 1.0); Float any number
            ok = slot == "Float" or isinstance(value, int) or float(value).is_integer()
        if not ok:
            self._add(
                f"{_PARSE} Cannot assign value {show_json(value)} to argument of type [{slot}].",
                where,
            )

    # -------------------------------------------------------------------------- expressions

    def _expression(self, value: dict[str, Any], shape: Shape, where: str) -> None:
        kind = shape.type_name
        if kind == "list":
            self._add(f"{_PARSE} Expecting start of Json Array.", where)
            return
        if scalar_type(shape) != "String":
            return  # structures, maps and non-String scalars: accepted (module docstring)
        path = value.get("Get")
        if not isinstance(path, str):
            return  # Std:Join yields a String; Std:JsonGet is only known at run time
        yielded = self._reference_type(path)
        if yielded in _CHECKED_REFERENCE_TYPES:
            self._add(
                f"Cannot assign property reference [{path}] to argument of type [String].", where
            )

    def _reference_type(self, path: str) -> str | None:
        """The type a ``Get`` yields: a parameter's declared Type, a Callback/Lambda output's
        OutputType, the Describe*-shape type of a job step property; ``String`` for execution
        variables and experiment config; ``None`` when unknown."""
        try:
            root, rest = parse_get_path(path)
        except ExpressionError:
            return None
        if root in ("Execution", "PipelineExperimentConfig"):
            return "String"
        if root == "Parameters" and len(rest) == 1 and isinstance(rest[0], str):
            parameter = self.parameters.get(rest[0])
            return parameter.type if parameter is not None else None
        if root != "Steps" or len(rest) < 2 or not isinstance(rest[0], str):
            return None
        source = self.steps.get(rest[0])
        if source is None:
            return None
        if source.type == "ForEach":  # SDK 3.x ForEachStep properties
            if len(rest) == 2 and rest[1] in FOR_EACH_COUNTS:
                return "Integer"
            return "String" if rest[1:] == ["Status"] else None
        if source.type in ("Callback", "Lambda"):
            if len(rest) == 3 and rest[1] == "OutputParameters" and isinstance(rest[2], str):
                output = source.output_parameter(rest[2])
                return output.type if output is not None else None
            return None
        return property_type(source.type, rest[1:])
