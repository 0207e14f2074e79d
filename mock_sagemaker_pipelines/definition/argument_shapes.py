"""Which API request a job step's ``Arguments`` follow, and the types of step properties.

A job step's ``Arguments`` are the request of the API the step calls, without the resource name
member that the service generates (``shared/spec/sagemaker-pipelines-semantics.md`` section 10:
"``Arguments`` of job steps = the corresponding Create*Job request"). The shapes come from the
botocore service model (``botocore.session.get_session().get_service_model("sagemaker")``,
loaded once). The step type -> operation map follows the SageMaker Python SDK 2.x
(``sagemaker/workflow/steps.py``, ``_utils.py``, ``model_step.py``, ``automl_step.py``,
``emr_step.py``, ``quality_check_step.py``, ``clarify_check_step.py``, ``endpoint_step.py``,
``inference_component_step.py``, ``function_step.py``, ``notebook_job_step.py``):

* the resource name member is allowed: the SDK drops it unless the pipeline
  uses ``PipelineDefinitionConfig(use_custom_job_prefix=True)`` (``utilities.trim_request_dict``),
  ``NotebookJobStep`` always sends ``TrainingJobName``, and the endpoint steps send
  ``EndpointConfigName`` / ``EndpointName`` as the session call captured them;
* ``RegisterModel`` refuses ``CertifyForMarketplace`` (the SDK pops it: "these are not available
  in the workflow service and will cause rejection", ``_utils._RegisterModelStep.arguments``);
* SDK 3.x: ``Job`` arguments are a ``CreateJob`` request (``steps.py`` ``JobStep``),
  ``EMRServerless`` ones ``{ExecutionRoleArn, JobConfig, ApplicationId | ApplicationConfig}``
  (``emr_serverless_step.py``), ``Cleanup`` ones ``{"Resources": {"S3": [...]}}``
  (``cleanup_step.py``);
* ``EMR`` arguments are ``{ClusterId | ClusterConfig, StepConfig, ExecutionRoleArn}``
  (``emr_step.EMRStep``): ``StepConfig`` is the ``emr`` ``StepConfig`` shape (the SDK leaves
  out its ``Name``, set at run time), ``ClusterConfig`` the ``RunJobFlow`` request.

Required members are not checked here: nothing public shows the service refusing a definition
for a missing one at create time (the API call of the step refuses it at run time).

Step properties (``{"Get": "Steps.S.<path>"}``) follow the Describe* output of S's API (spec
section 10 "Expressions"); :func:`property_type` walks that shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, Shape, ShapeResolver, StructureShape

__all__ = [
    "CHECKED_STEP_TYPES",
    "ArgumentSpec",
    "argument_spec",
    "property_type",
    "scalar_type",
]

#: Step type -> ``sagemaker`` operation whose request the Arguments are. The generated name
#: member (``TrainingJobName``, ``ModelPackageName``, ...) is allowed (module docstring).
_OPERATIONS: dict[str, str] = {
    "Processing": "CreateProcessingJob",
    "QualityCheck": "CreateProcessingJob",
    "ClarifyCheck": "CreateProcessingJob",
    "Training": "CreateTrainingJob",
    "Transform": "CreateTransformJob",
    "Tuning": "CreateHyperParameterTuningJob",
    "Model": "CreateModel",
    "RegisterModel": "CreateModelPackage",
    "AutoML": "CreateAutoMLJob",
    "EndpointConfig": "CreateEndpointConfig",
    "Endpoint": "CreateEndpoint",
    "InferenceComponent": "CreateInferenceComponent",
    "Job": "CreateJob",
}

#: Members of the request the pipeline service refuses in Arguments.
_EXCLUDED: dict[str, frozenset[str]] = {"RegisterModel": frozenset({"CertifyForMarketplace"})}

#: Step types whose Arguments are checked (the others -- Lambda, Callback, Condition, Fail,
#: Lineage, the Bedrock steps and unknown types -- are free-form here).
CHECKED_STEP_TYPES: frozenset[str] = frozenset(_OPERATIONS) | {"EMR", "EMRServerless", "Cleanup"}

#: Step type -> (service, shape) of its properties (the SDK ``Properties`` shape of each step).
_PROPERTY_SHAPES: dict[str, tuple[str, str]] = {
    "Processing": ("sagemaker", "DescribeProcessingJobResponse"),
    "Training": ("sagemaker", "DescribeTrainingJobResponse"),
    "Transform": ("sagemaker", "DescribeTransformJobResponse"),
    "Tuning": ("sagemaker", "DescribeHyperParameterTuningJobResponse"),
    "Model": ("sagemaker", "DescribeModelOutput"),
    "RegisterModel": ("sagemaker", "DescribeModelPackageOutput"),
    "AutoML": ("sagemaker", "DescribeAutoMLJobResponse"),
    "EndpointConfig": ("sagemaker", "DescribeEndpointConfigOutput"),
    "Endpoint": ("sagemaker", "DescribeEndpointOutput"),
    "InferenceComponent": ("sagemaker", "DescribeInferenceComponentOutput"),
    "EMR": ("emr", "Step"),
    "Job": ("sagemaker", "DescribeJobResponse"),
    "EMRServerless": ("emr-serverless", "GetJobRunResponse"),
}

#: SDK 3.x ``CleanupStep.arguments`` (``cleanup_step.py``): ``{"Resources": {"S3": [{"StepName",
#: "S3Uris"?}]}}``, as botocore shape definitions (no service model has it); at most 100
#: sources, the size of ``CleanupStepMetadata``'s lists.
_CLEANUP_SHAPES: dict[str, Any] = {
    "CleanupArguments": {"type": "structure", "members": {"Resources": {"shape": "Resources"}}},
    "Resources": {"type": "structure", "members": {"S3": {"shape": "S3Sources"}}},
    "S3Sources": {"type": "list", "member": {"shape": "S3Source"}, "min": 1, "max": 100},
    "S3Source": {
        "type": "structure",
        "members": {"StepName": {"shape": "StepName"}, "S3Uris": {"shape": "S3Uris"}},
    },
    "S3Uris": {"type": "list", "member": {"shape": "S3Uri"}, "min": 1},
    "StepName": {"type": "string", "max": 256},
    "S3Uri": {"type": "string", "max": 1024},
}

_SCALAR_TYPES: dict[str, str] = {
    "string": "String",
    "blob": "String",
    "integer": "Integer",
    "long": "Integer",
    "float": "Float",
    "double": "Float",
    "boolean": "Boolean",
}


@dataclass(frozen=True)
class ArgumentSpec:
    """The top level of a step's Arguments: member name -> botocore shape."""

    members: Mapping[str, Shape]


@lru_cache(maxsize=4)
def _service(name: str) -> Any:
    return botocore.session.get_session().get_service_model(name)


@cache
def argument_spec(step_type: str) -> ArgumentSpec | None:
    """The request shape a step type's Arguments follow, or ``None`` for free-form types."""
    if step_type == "EMR":
        return _emr_spec()
    if step_type == "EMRServerless":
        return _emr_serverless_spec()
    if step_type == "Cleanup":
        cleanup = ShapeResolver(_CLEANUP_SHAPES).get_shape_by_name("CleanupArguments")
        assert isinstance(cleanup, StructureShape)
        return ArgumentSpec(dict(cleanup.members))
    entry = _OPERATIONS.get(step_type)
    if entry is None:
        return None
    shape = _service("sagemaker").operation_model(entry).input_shape
    excluded = _EXCLUDED.get(step_type, frozenset())
    return ArgumentSpec({k: v for k, v in shape.members.items() if k not in excluded})


def _emr_spec() -> ArgumentSpec:
    """``emr_step.EMRStep.arguments``: ``StepConfig`` plus ``ClusterId`` (and
    ``ExecutionRoleArn``) or ``ClusterConfig``."""
    emr = _service("emr")
    add_steps = emr.operation_model("AddJobFlowSteps").input_shape.members
    members = {
        "ClusterId": add_steps["JobFlowId"],
        "ExecutionRoleArn": add_steps["ExecutionRoleArn"],
        "StepConfig": emr.shape_for("StepConfig"),
        "ClusterConfig": emr.operation_model("RunJobFlow").input_shape,
    }
    return ArgumentSpec(members)


def _emr_serverless_spec() -> ArgumentSpec:
    """``emr_serverless_step.EMRServerlessStep.arguments``: ``ExecutionRoleArn``, ``JobConfig``
    (an emr-serverless StartJobRun request) and ``ApplicationId`` or ``ApplicationConfig`` (a
    CreateApplication request)."""
    service = _service("emr-serverless")
    start = service.operation_model("StartJobRun").input_shape
    members = {
        "ExecutionRoleArn": start.members["executionRoleArn"],
        "JobConfig": start,
        "ApplicationId": start.members["applicationId"],
        "ApplicationConfig": service.operation_model("CreateApplication").input_shape,
    }
    return ArgumentSpec(members)


def scalar_type(shape: Shape) -> str | None:
    """The pipeline type (``String``/``Integer``/``Float``/``Boolean``) of a scalar shape;
    ``None`` for structures, lists, maps and timestamps."""
    return _SCALAR_TYPES.get(shape.type_name)


def property_type(step_type: str, path: list[str | int]) -> str | None:
    """The pipeline type of ``Steps.<S>.<path>`` for a step S of ``step_type``, or ``None``
    when unknown (no shape for the type, a path the shape does not have, or a non-scalar).

    ``['name']`` on a list picks a member by name (``Outputs['train']``,
    ``FinalMetricDataList['mse']``, DG "Step properties"), on a map a value."""
    entry = _PROPERTY_SHAPES.get(step_type)
    if entry is None:
        return None
    service, shape_name = entry
    shape: Shape = _service(service).shape_for(shape_name)
    for token in path:
        if isinstance(shape, StructureShape) and isinstance(token, str):
            member = shape.members.get(token)
            if member is None:
                return None
            shape = member
        elif isinstance(shape, ListShape):
            shape = shape.member
        elif isinstance(shape, MapShape) and isinstance(token, str):
            shape = shape.value
        else:
            return None
    return scalar_type(shape)
