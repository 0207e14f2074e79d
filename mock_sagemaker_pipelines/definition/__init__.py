"""The pipeline-definition layer: parse/validate ``PipelineDefinition`` JSON and evaluate its
expressions (``shared/spec/sagemaker-pipelines-semantics.md`` sections 6, 7, 9 and 10).

* :func:`parse_definition` / :func:`check_definition` turn the JSON string into a typed
  :class:`StepGraph` (or the list of problems a ``ValidationException`` reports);
* :func:`evaluate`, :func:`evaluate_condition`, :func:`evaluate_conditions` resolve ``Get``,
  ``Std:Join`` and ``Std:JsonGet`` against an :class:`EvaluationContext` provided by the
  execution engine.
"""

from .expressions import (
    EXECUTION_VARIABLES,
    EvaluationContext,
    evaluate,
    evaluate_condition,
    evaluate_conditions,
    evaluate_experiment_config,
)
from .model import (
    DEFINITION_VERSION,
    PARAMETER_TYPES,
    OutputParameterDef,
    ParameterDef,
    PropertyFileDef,
    RetryPolicyDef,
    StepDef,
    StepGraph,
)
from .parser import check_definition, parse_definition
from .paths import (
    ExpressionError,
    parameter_references,
    parse_get_path,
    resolve_json_path,
    resolve_path,
    step_references,
)
from .problems import DefinitionError
from .step_fields import RETRY_EXCEPTION_TYPES
from .steps import KNOWN_STEP_TYPES
from .values import plain_number_text, render_value

__all__ = [
    "DEFINITION_VERSION",
    "EXECUTION_VARIABLES",
    "KNOWN_STEP_TYPES",
    "PARAMETER_TYPES",
    "RETRY_EXCEPTION_TYPES",
    "DefinitionError",
    "EvaluationContext",
    "ExpressionError",
    "OutputParameterDef",
    "ParameterDef",
    "PropertyFileDef",
    "RetryPolicyDef",
    "StepDef",
    "StepGraph",
    "check_definition",
    "evaluate",
    "evaluate_condition",
    "evaluate_conditions",
    "evaluate_experiment_config",
    "parameter_references",
    "parse_definition",
    "parse_get_path",
    "plain_number_text",
    "render_value",
    "resolve_json_path",
    "resolve_path",
    "step_references",
]
