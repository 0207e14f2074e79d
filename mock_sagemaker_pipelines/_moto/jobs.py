"""Register the SageMaker jobs that pipeline job steps start in moto's own SageMaker backend.

When a real pipeline runs a job step, SageMaker Pipelines calls the matching ``Create*`` API with
the step's ``Arguments`` (the request minus the resource name) and a generated name
``pipelines-<executionId>-<stepName lower-cased>-<10 random [a-z0-9]>``
(``shared/spec/sagemaker-pipelines-semantics.md`` sections 2 and 5; ``shared/spec/real-clients.md``
section 2). The simulator does the same against
``moto.sagemaker.models.sagemaker_backends[account_id][region]``, so that under
``moto.mock_aws()`` the Describe* calls (``describe_training_job``, ``describe_processing_job``,
``describe_transform_job``, ``describe_model``, ``describe_model_package``,
``describe_hyper_parameter_tuning_job``, ``describe_auto_ml_job_v2``,
``describe_endpoint_config``, ``describe_endpoint``) answer for the step's resource, and the
resource's status follows the step (:func:`set_job_status`).

What is registered, per pipeline step ``Type`` (moto backend method -> status attributes moved):

* ``Training``: training job (``create_training_job``) -> ``training_job_status``,
  ``secondary_status``;
* ``Processing``, ``QualityCheck``, ``ClarifyCheck``: processing job (``create_processing_job``;
  the check steps' Arguments are a CreateProcessingJob request too, SDK
  ``QualityCheckStep.arguments``/``ClarifyCheckStep.arguments``) -> ``processing_job_status``;
* ``Transform``: transform job (``create_transform_job``) -> ``transform_job_status``;
* ``Tuning``: tuning job (``create_hyper_parameter_tuning_job``) ->
  ``hyper_parameter_tuning_job_status``;
* ``Model``: model (``create_model``); models have no status;
* ``RegisterModel``: model package (``create_model_package``, the group is created with
  ``create_model_package_group`` when missing) -> ``model_package_status``;
* ``AutoML``: AutoML job V2 (``create_auto_ml_job_v2``; the step carries a CreateAutoMLJob V1
  request, mapped to the V2 shape; moto has no V1 API) -> ``auto_ml_job_status``,
  ``auto_ml_job_secondary_status``;
* ``EndpointConfig``: endpoint config (``create_endpoint_config``); no status;
* ``Endpoint``: endpoint (``create_endpoint``) -> ``endpoint_status``;
* ``EMR`` and any other type: not registered.

Every moto call is wrapped: when moto refuses the request (a field it requires is missing, an
unresolved expression makes it trip, an instance type outside its list, a missing model, ...) the
job is reported with ``registered=False``, a correctly formatted ARN and the reason in
:attr:`JobRef.reason`. moto creates jobs already ``Completed``; :func:`create_job` puts them back to
``InProgress`` at once.

Times (creation, start and end times, ``LastModifiedTime``) are the ``now`` each public function
is given: the simulated clock's, so that jobs follow simulated time.

Request fields that moto's ``create_*`` method does not take are stored on moto's object under the
snake_case attribute name its ``gen_response_object`` turns back into the API name (for example
``ProfilerConfig``, ``Environment``, ``RetryStrategy`` on training jobs, ``ProcessingResources`` on
processing jobs), so that the Describe* answer echoes them like the real service does.

Every moto internal this module touches is listed in :data:`MOTO_INTERNALS`;
:func:`missing_moto_internals` reports those the installed moto lacks.
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.core.utils import camelcase_to_underscores
from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.utils import arn_formatter

from .job_status import (
    PIPELINE_STATUSES,
    best_training_job_name,
    normalise_status,
    tuned_hyper_parameters,
)

__all__ = [
    "MOTO_INTERNALS",
    "PIPELINE_STATUSES",
    "JobRef",
    "best_training_job_name",
    "create_job",
    "missing_moto_internals",
    "set_job_status",
    "stop_job",
]

logger = logging.getLogger(__name__)

#: Dotted names of every moto internal used here (module attributes, backend methods and the
#: attributes of moto's resource objects this module reads or writes). Instance attributes that
#: moto assigns in ``__init__`` are listed as ``<Class>.<attribute>``; see
#: :func:`missing_moto_internals` for how they are checked.
MOTO_INTERNALS: tuple[str, ...] = (
    "moto.core.utils.camelcase_to_underscores",
    "moto.sagemaker.utils.arn_formatter",
    "moto.sagemaker.models.sagemaker_backends",
    "moto.sagemaker.models.BaseObject.camelCase",
    "moto.sagemaker.models.BaseObject.gen_response_object",
    # backend methods and stores
    "moto.sagemaker.models.SageMakerModelBackend.create_training_job",
    "moto.sagemaker.models.SageMakerModelBackend.create_processing_job",
    "moto.sagemaker.models.SageMakerModelBackend.create_transform_job",
    "moto.sagemaker.models.SageMakerModelBackend.create_hyper_parameter_tuning_job",
    "moto.sagemaker.models.SageMakerModelBackend.create_model",
    "moto.sagemaker.models.SageMakerModelBackend.create_model_package_group",
    "moto.sagemaker.models.SageMakerModelBackend.create_model_package",
    "moto.sagemaker.models.SageMakerModelBackend.create_auto_ml_job_v2",
    "moto.sagemaker.models.SageMakerModelBackend.create_endpoint_config",
    "moto.sagemaker.models.SageMakerModelBackend.create_endpoint",
    "moto.sagemaker.models.SageMakerModelBackend.training_jobs",
    "moto.sagemaker.models.SageMakerModelBackend.processing_jobs",
    "moto.sagemaker.models.SageMakerModelBackend.transform_jobs",
    "moto.sagemaker.models.SageMakerModelBackend.hyper_parameter_tuning_jobs",
    "moto.sagemaker.models.SageMakerModelBackend._models",
    "moto.sagemaker.models.SageMakerModelBackend.model_package_groups",
    "moto.sagemaker.models.SageMakerModelBackend.model_packages",
    "moto.sagemaker.models.SageMakerModelBackend.auto_ml_jobs",
    "moto.sagemaker.models.SageMakerModelBackend.endpoint_configs",
    "moto.sagemaker.models.SageMakerModelBackend.endpoints",
    # training job
    "moto.sagemaker.models.FakeTrainingJob.arn",
    "moto.sagemaker.models.FakeTrainingJob.training_job_status",
    "moto.sagemaker.models.FakeTrainingJob.secondary_status",
    "moto.sagemaker.models.FakeTrainingJob.secondary_status_transitions",
    "moto.sagemaker.models.FakeTrainingJob.algorithm_specification",
    "moto.sagemaker.models.FakeTrainingJob.model_artifacts",
    "moto.sagemaker.models.FakeTrainingJob.final_metric_data_list",
    "moto.sagemaker.models.FakeTrainingJob.training_start_time",
    "moto.sagemaker.models.FakeTrainingJob.training_end_time",
    "moto.sagemaker.models.FakeTrainingJob.last_modified_time",
    # processing job
    "moto.sagemaker.models.FakeProcessingJob.arn",
    "moto.sagemaker.models.FakeProcessingJob.processing_job_status",
    "moto.sagemaker.models.FakeProcessingJob.processing_end_time",
    "moto.sagemaker.models.FakeProcessingJob.last_modified_time",
    # transform job
    "moto.sagemaker.models.FakeTransformJob.arn",
    "moto.sagemaker.models.FakeTransformJob.camelCase",
    "moto.sagemaker.models.FakeTransformJob.transform_job_status",
    "moto.sagemaker.models.FakeTransformJob.failure_reason",
    "moto.sagemaker.models.FakeTransformJob.labeling_job_arn",
    "moto.sagemaker.models.FakeTransformJob.auto_ml_job_arn",
    "moto.sagemaker.models.FakeTransformJob.transform_start_time",
    "moto.sagemaker.models.FakeTransformJob.transform_end_time",
    "moto.sagemaker.models.FakeTransformJob.last_modified_time",
    # tuning job
    "moto.sagemaker.models.HyperParameterTuningJob.arn",
    "moto.sagemaker.models.HyperParameterTuningJob.hyper_parameter_tuning_job_status",
    "moto.sagemaker.models.HyperParameterTuningJob.hyper_parameter_tuning_end_time",
    "moto.sagemaker.models.HyperParameterTuningJob.last_modified_time",
    "moto.sagemaker.models.HyperParameterTuningJob.failure_reason",
    "moto.sagemaker.models.HyperParameterTuningJob.training_job_status_counters",
    "moto.sagemaker.models.HyperParameterTuningJob.objective_status_counters",
    "moto.sagemaker.models.HyperParameterTuningJob.best_training_job",
    "moto.sagemaker.models.HyperParameterTuningJob.OverallBestTrainingJob",
    # model
    "moto.sagemaker.models.Model.arn",
    "moto.sagemaker.models.Model.enable_network_isolation",
    # model package
    "moto.sagemaker.models.ModelPackage.arn",
    "moto.sagemaker.models.ModelPackage.model_package_name",
    "moto.sagemaker.models.ModelPackage.model_package_group_name",
    "moto.sagemaker.models.ModelPackage.model_package_status",
    "moto.sagemaker.models.ModelPackage.model_package_status_details",
    # AutoML job (V2)
    "moto.sagemaker.models.AutoMLJob.arn",
    "moto.sagemaker.models.AutoMLJob.describe",
    "moto.sagemaker.models.AutoMLJob.auto_ml_problem_type_config",
    "moto.sagemaker.models.AutoMLJob.auto_ml_job_status",
    "moto.sagemaker.models.AutoMLJob.auto_ml_job_secondary_status",
    "moto.sagemaker.models.AutoMLJob.end_time",
    "moto.sagemaker.models.AutoMLJob.last_modified_time",
    "moto.sagemaker.models.AutoMLJob.failure_reason",
    "moto.sagemaker.models.AutoMLJob.partial_failure_reasons",
    "moto.sagemaker.models.AutoMLJob.resolved_attributes",
    "moto.sagemaker.models.AutoMLJob.model_deploy_config",
    "moto.sagemaker.models.AutoMLJob.model_deploy_result",
    # endpoint config and endpoint
    "moto.sagemaker.models.FakeEndpointConfig.endpoint_config_arn",
    "moto.sagemaker.models.FakeEndpoint.arn",
    "moto.sagemaker.models.FakeEndpoint.endpoint_status",
    "moto.sagemaker.models.FakeEndpoint.failure_reason",
    "moto.sagemaker.models.FakeEndpoint.last_modified_time",
)

_TERMINAL = frozenset({"Stopped", "Completed", "Failed"})

#: FailureReason used when a job fails without a reason; the wording of SageMaker's generic error.
_DEFAULT_FAILURE_REASON = "InternalServerError: We encountered an internal error. Please try again."

#: Resource kind per step ``Type`` (the keys :func:`create_job` knows).
_KIND: dict[str, str] = {
    "Training": "training",
    "Processing": "processing",
    "QualityCheck": "processing",
    "ClarifyCheck": "processing",
    "Transform": "transform",
    "Tuning": "tuning",
    "Model": "model",
    "RegisterModel": "model_package",
    "AutoML": "automl",
    "EndpointConfig": "endpoint_config",
    "Endpoint": "endpoint",
    "EMR": "emr",
}

#: ARN resource type per kind (``arn:<partition>:sagemaker:<region>:<account>:<type>/<name>``).
_ARN_TYPE: dict[str, str] = {
    "training": "training-job",
    "processing": "processing-job",
    "transform": "transform-job",
    "tuning": "hyper-parameter-tuning-job",
    "model": "model",
    "model_package": "model-package",
    "automl": "automl-job",
    "endpoint_config": "endpoint-config",
    "endpoint": "endpoint",
}


@dataclass(frozen=True)
class JobRef:
    """The resource a job step created.

    ``step_type``: the pipeline step ``Type``. ``name``: the job / model / package name as
    registered (for a versioned model package, the group name, as DescribeModelPackage reports it;
    for Endpoint/EndpointConfig steps, the ``EndpointName``/``EndpointConfigName`` the Arguments
    give, if any). ``arn``: what the step's ``Metadata`` shows (``""`` for EMR). ``registered``:
    whether moto's backend holds it. ``reason``: why it is not registered (diagnostics only).
    """

    step_type: str
    name: str
    arn: str
    registered: bool
    reason: str | None = field(default=None, compare=False)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _backend(account_id: str, region: str) -> Any:
    return sagemaker_backends[account_id][region]


def _naive_utc(now: datetime) -> datetime:
    """``now`` (an aware datetime; naive ones are taken as UTC) as the naive UTC moto keeps."""
    if now.tzinfo is None:
        return now
    return now.astimezone(timezone.utc).replace(tzinfo=None)


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
    for name, param in params.items():
        if name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name not in kwargs and param.default is inspect.Parameter.empty:
            kwargs[name] = None
    return method(**kwargs), consumed


def _fallback_arn(kind: str, step_type: str, account_id: str, region: str, name: str) -> str:
    if kind == "emr":
        return ""
    resource = _ARN_TYPE.get(kind, step_type.lower())
    return arn_formatter(resource, name, account_id, region)


def _short_error(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:500]


# --------------------------------------------------------------------------------------------
# creation, one function per resource kind; each returns (name, arn) or raises
# --------------------------------------------------------------------------------------------


def _create_training(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    job, consumed = _call_create(
        backend.create_training_job,
        arguments,
        {"training_job_name": name},
        skip=frozenset({"TrainingJobName"}),
    )
    # moto adds invented MetricDefinitions to its AlgorithmSpecification: put the request's back.
    if "AlgorithmSpecification" in arguments:
        job.algorithm_specification = copy.deepcopy(arguments["AlgorithmSpecification"])
    output_path = str((arguments.get("OutputDataConfig") or {}).get("S3OutputPath", ""))
    job.model_artifacts = {
        "S3ModelArtifacts": f"{output_path.rstrip('/')}/{name}/output/model.tar.gz"
    }
    job.final_metric_data_list = None
    job.training_job_status = "InProgress"
    job.secondary_status = "Starting"
    job.secondary_status_transitions = [
        {
            "Status": "Starting",
            "StartTime": now,
            "StatusMessage": "Preparing the instances for training",
        }
    ]
    job.training_start_time = now
    job.training_end_time = None
    job.failure_reason = None
    job.last_modified_time = now
    _attach_extras(job, arguments, consumed)
    return name, job.arn


def _create_processing(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    job, consumed = _call_create(
        backend.create_processing_job,
        arguments,
        {"processing_job_name": name},
        skip=frozenset({"ProcessingJobName"}),
    )
    job.processing_job_status = "InProgress"
    job.processing_start_time = now
    job.processing_end_time = None
    job.failure_reason = None
    job.last_modified_time = now
    _attach_extras(job, arguments, consumed)
    return name, job.arn


def _create_transform(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    job, consumed = _call_create(
        backend.create_transform_job,
        arguments,
        {"transform_job_name": name},
        skip=frozenset({"TransformJobName"}),
    )
    job.transform_job_status = "InProgress"
    job.failure_reason = None
    job.labeling_job_arn = None
    job.auto_ml_job_arn = None
    job.transform_start_time = now
    job.transform_end_time = None
    job.last_modified_time = now
    _attach_extras(job, arguments, consumed)
    return name, job.arn


def _create_tuning(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    arn, _consumed = _call_create(
        backend.create_hyper_parameter_tuning_job,
        arguments,
        {"hyper_parameter_tuning_job_name": name},
        skip=frozenset({"HyperParameterTuningJobName"}),
    )
    job = backend.hyper_parameter_tuning_jobs[name]
    best_name = best_training_job_name(name)
    job.best_training_job = {
        "TrainingJobName": best_name,
        "TrainingJobArn": arn_formatter(
            "training-job", best_name, backend.account_id, backend.region_name
        ),
        "TuningJobName": name,
        "CreationTime": now,
        "TrainingJobStatus": "InProgress",
        "TunedHyperParameters": tuned_hyper_parameters(arguments),
    }
    job.OverallBestTrainingJob = None
    job.failure_reason = None
    _set_tuning_status(job, "InProgress", None, now)
    return name, str(arn)


def _create_model(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    model, consumed = _call_create(
        backend.create_model, arguments, {"model_name": name}, skip=frozenset({"ModelName"})
    )
    model.enable_network_isolation = bool(arguments.get("EnableNetworkIsolation", False))
    consumed.add("EnableNetworkIsolation")
    _attach_extras(model, arguments, consumed)
    return name, model.arn


def _group_name(value: Any) -> str | None:
    """A ModelPackageGroupName argument, which may also be the group's ARN."""
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("arn:") and "/" in value:
        return value.rsplit("/", 1)[-1]
    return value


def _create_model_package(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    group = _group_name(arguments.get("ModelPackageGroupName"))
    fixed: dict[str, Any] = {
        "model_package_group_name": group,
        "model_package_name": None if group else (arguments.get("ModelPackageName") or name),
    }
    if group:
        if group not in backend.model_package_groups:
            backend.create_model_package_group(
                model_package_group_name=group, model_package_group_description=None
            )
        # The service's default for versioned packages (CreateModelPackage, ModelApprovalStatus).
        fixed["model_approval_status"] = (
            arguments.get("ModelApprovalStatus") or "PendingManualApproval"
        )
    arn, consumed = _call_create(backend.create_model_package, arguments, fixed)
    consumed.update({"ModelPackageGroupName", "ModelPackageName", "ModelApprovalStatus"})
    package = backend.model_packages[arn]
    _attach_extras(package, arguments, consumed)
    _set_model_package_status(package, "InProgress", None, now)
    return str(package.model_package_name), str(arn)


def _automl_v2_request(arguments: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """Map a CreateAutoMLJob (V1) request, which AutoML steps carry, to CreateAutoMLJobV2 kwargs.

    Returns the keyword arguments for moto's ``create_auto_ml_job_v2`` and whether the request
    named a ProblemType (moto insists on one; when absent a stand-in is used and removed again).
    V2 requests (``AutoMLJobInputDataConfig``/``AutoMLProblemTypeConfig``) pass through.
    """
    if "AutoMLProblemTypeConfig" in arguments:
        kwargs = {
            camelcase_to_underscores(key): copy.deepcopy(value)
            for key, value in arguments.items()
            if key != "AutoMLJobName"
        }
        config = kwargs.get("auto_ml_problem_type_config") or {}
        tabular = config.get("TabularJobConfig")
        return kwargs, not isinstance(tabular, Mapping) or "ProblemType" in tabular
    job_config = copy.deepcopy(arguments.get("AutoMLJobConfig") or {})
    channels: list[dict[str, Any]] = []
    target = None
    weight = None
    for channel in arguments.get("InputDataConfig") or []:
        channel = copy.deepcopy(channel)
        target = channel.pop("TargetAttributeName", target)
        weight = channel.pop("SampleWeightAttributeName", weight)
        channel.pop("AutoMLDatasetDefinition", None)
        channels.append(channel)
    tabular: dict[str, Any] = {"CompletionCriteria": job_config.get("CompletionCriteria") or {}}
    generation = job_config.get("CandidateGenerationConfig") or {}
    if "AlgorithmsConfig" in generation:
        tabular["CandidateGenerationConfig"] = {"AlgorithmsConfig": generation["AlgorithmsConfig"]}
    if "FeatureSpecificationS3Uri" in generation:
        tabular["FeatureSpecificationS3Uri"] = generation["FeatureSpecificationS3Uri"]
    if "Mode" in job_config:
        tabular["Mode"] = job_config["Mode"]
    if "GenerateCandidateDefinitionsOnly" in arguments:
        tabular["GenerateCandidateDefinitionsOnly"] = arguments["GenerateCandidateDefinitionsOnly"]
    has_problem_type = bool(arguments.get("ProblemType"))
    if has_problem_type:
        tabular["ProblemType"] = arguments["ProblemType"]
    if target is not None:
        tabular["TargetAttributeName"] = target
    if weight is not None:
        tabular["SampleWeightAttributeName"] = weight
    kwargs = {
        "auto_ml_job_input_data_config": channels,
        "output_data_config": copy.deepcopy(arguments.get("OutputDataConfig")),
        "auto_ml_problem_type_config": {"TabularJobConfig": tabular},
        "role_arn": arguments.get("RoleArn"),
        "tags": copy.deepcopy(arguments.get("Tags")),
        "security_config": job_config.get("SecurityConfig"),
        "auto_ml_job_objective": copy.deepcopy(arguments.get("AutoMLJobObjective")),
        "model_deploy_config": copy.deepcopy(arguments.get("ModelDeployConfig")),
        "data_split_config": job_config.get("DataSplitConfig"),
    }
    return kwargs, has_problem_type


def _create_automl(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    kwargs, has_problem_type = _automl_v2_request(arguments)
    tabular = (kwargs.get("auto_ml_problem_type_config") or {}).get("TabularJobConfig")
    if isinstance(tabular, dict) and not has_problem_type:
        tabular["ProblemType"] = "Regression"  # stand-in for moto; removed below
    params = inspect.signature(backend.create_auto_ml_job_v2).parameters
    call = {key: value for key, value in kwargs.items() if key in params}
    for pname, param in params.items():
        if pname not in call and param.default is inspect.Parameter.empty:
            call[pname] = None
    call["auto_ml_job_name"] = name
    arn = backend.create_auto_ml_job_v2(**call)
    job = backend.auto_ml_jobs[name]
    if isinstance(tabular, dict) and not has_problem_type:
        tabular.pop("ProblemType", None)
        resolved = dict(job.resolved_attributes or {})
        resolved.pop("AutoMLProblemTypeResolvedAttributes", None)
        job.resolved_attributes = resolved
    if not call.get("model_deploy_config"):
        job.model_deploy_config = None
        job.model_deploy_result = None
    job.partial_failure_reasons = None
    _set_automl_status(job, "InProgress", None, now)
    return name, str(arn)


def _create_endpoint_config(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    given = arguments.get("EndpointConfigName")
    name = given if isinstance(given, str) and given else name
    config, consumed = _call_create(
        backend.create_endpoint_config,
        arguments,
        {"endpoint_config_name": name},
        skip=frozenset({"EndpointConfigName"}),
    )
    _attach_extras(config, arguments, consumed)
    return name, config.endpoint_config_arn


def _create_endpoint(
    backend: Any, name: str, arguments: Mapping[str, Any], now: datetime
) -> tuple[str, str]:
    given = arguments.get("EndpointName")
    name = given if isinstance(given, str) and given else name
    endpoint, consumed = _call_create(
        backend.create_endpoint,
        arguments,
        {"endpoint_name": name},
        skip=frozenset({"EndpointName"}),
    )
    _attach_extras(endpoint, arguments, consumed)
    _set_endpoint_status(endpoint, "InProgress", None, now)
    return name, endpoint.arn


_CREATORS: dict[str, Callable[[Any, str, Mapping[str, Any], datetime], tuple[str, str]]] = {
    "training": _create_training,
    "processing": _create_processing,
    "transform": _create_transform,
    "tuning": _create_tuning,
    "model": _create_model,
    "model_package": _create_model_package,
    "automl": _create_automl,
    "endpoint_config": _create_endpoint_config,
    "endpoint": _create_endpoint,
}


def _fallback_name_and_arn(
    kind: str, step_type: str, account_id: str, region: str, name: str, arguments: Mapping[str, Any]
) -> tuple[str, str]:
    """Name and ARN of a resource moto could not hold, formatted as the service would."""
    if kind == "model_package":
        group = _group_name(arguments.get("ModelPackageGroupName"))
        if group:
            version = 1
            try:
                packages = _backend(account_id, region).model_packages.values()
                version += sum(1 for p in packages if p.model_package_group_name == group)
            except Exception:  # moto unavailable or changed: version 1 is the best guess
                pass
            return group, arn_formatter(
                "model-package", f"{group.lower()}/{version}", account_id, region
            )
        name = str(arguments.get("ModelPackageName") or name)
        return name, arn_formatter("model-package", name.lower(), account_id, region)
    if kind == "endpoint_config":
        given = arguments.get("EndpointConfigName")
        name = given if isinstance(given, str) and given else name
    if kind == "endpoint":
        given = arguments.get("EndpointName")
        name = given if isinstance(given, str) and given else name
    return name, _fallback_arn(kind, step_type, account_id, region, name)


def create_job(
    step_type: str,
    account_id: str,
    region: str,
    name: str,
    arguments: dict[str, Any],
    *,
    now: datetime,
) -> JobRef:
    """Create the resource a job step of type ``step_type`` starts, in moto's SageMaker backend.

    ``name`` is the full generated name (``pipelines-<executionId>-<step lower>-<10 random>``);
    ``arguments`` are the step's resolved ``Arguments`` (a ``Create*`` request without the name).
    They are deep-copied, never modified. Jobs are left ``InProgress`` (endpoints ``Creating``,
    model packages ``InProgress``). Never raises for moto's sake: when moto refuses, the
    :class:`JobRef` has ``registered=False``, the ARN the service would give and ``reason``.
    EMR steps get ``arn=""``; unknown step types ``arn:aws:sagemaker:<region>:<account>:<type
    lower-cased>/<name>``; neither is registered. ``now`` (an aware UTC datetime, the simulated
    clock's) is the job's ``CreationTime``, start time and ``LastModifiedTime``.
    """
    kind = _KIND.get(step_type)
    creator = _CREATORS.get(kind) if kind else None
    if creator is None:
        reason = "EMR steps run on Amazon EMR" if kind == "emr" else f"step type {step_type!r}"
        arn = "" if kind == "emr" else arn_formatter(step_type.lower(), name, account_id, region)
        return JobRef(step_type, name, arn, False, f"not registered in moto: {reason}")
    args: Mapping[str, Any] = arguments if isinstance(arguments, Mapping) else {}
    moment = _naive_utc(now)
    try:
        registered_name, arn = creator(_backend(account_id, region), name, args, moment)
    except Exception as exc:  # moto refused: report the job unregistered
        logger.debug("moto did not register the %s job %s", step_type, name, exc_info=True)
        fallback_name, arn = _fallback_name_and_arn(kind, step_type, account_id, region, name, args)
        return JobRef(step_type, fallback_name, arn, False, _short_error(exc))
    ref = JobRef(step_type, registered_name, arn, True)
    obj = _lookup(kind, _backend(account_id, region), ref) if kind else None
    if obj is not None and hasattr(obj, "creation_time"):
        obj.creation_time = moment
    return ref


# --------------------------------------------------------------------------------------------
# status changes
# --------------------------------------------------------------------------------------------


def _failure(status: str, failure_reason: str | None) -> str | None:
    if status != "Failed":
        return None
    return failure_reason or _DEFAULT_FAILURE_REASON


def _elapsed_seconds(start: Any, end: datetime) -> int | None:
    if not isinstance(start, datetime):
        return None
    try:
        return max(0, int((end - start).total_seconds()))
    except TypeError:  # naive vs aware
        return None


_TRAINING_SECONDARY: dict[str, tuple[str, str]] = {
    "InProgress": ("Training", "Training image download completed. Training in progress."),
    "Stopping": ("Stopping", "Stopping the training job"),
    "Stopped": ("Stopped", "The job was stopped"),
    "Completed": ("Completed", "Training job completed"),
    "Failed": ("Failed", "Training job failed"),
}


def _set_training_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    secondary, message = _TRAINING_SECONDARY[status]
    if job.secondary_status != secondary:
        transitions = list(job.secondary_status_transitions or [])
        if transitions and "EndTime" not in transitions[-1]:
            transitions[-1] = {**transitions[-1], "EndTime": now}
        entry: dict[str, Any] = {"Status": secondary, "StartTime": now, "StatusMessage": message}
        if status in _TERMINAL:
            entry["EndTime"] = now
        transitions.append(entry)
        job.secondary_status_transitions = transitions
    job.training_job_status = status
    job.secondary_status = secondary
    job.failure_reason = _failure(status, failure_reason)
    job.last_modified_time = now
    if status in _TERMINAL:
        job.training_end_time = now
        seconds = _elapsed_seconds(getattr(job, "training_start_time", None), now)
        job.training_time_in_seconds = seconds
        job.billable_time_in_seconds = seconds
    else:
        job.training_end_time = None


def _set_processing_status(
    job: Any, status: str, failure_reason: str | None, now: datetime
) -> None:
    job.processing_job_status = status
    job.failure_reason = _failure(status, failure_reason)
    job.processing_end_time = now if status in _TERMINAL else None
    job.last_modified_time = now


def _set_transform_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    job.transform_job_status = status
    job.failure_reason = _failure(status, failure_reason)
    job.transform_end_time = now if status in _TERMINAL else None
    job.last_modified_time = now


def _set_tuning_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    job.hyper_parameter_tuning_job_status = status
    job.failure_reason = _failure(status, failure_reason)
    job.hyper_parameter_tuning_end_time = now if status in _TERMINAL else None
    job.last_modified_time = now
    running = status in ("InProgress", "Stopping")
    job.training_job_status_counters = {
        "Completed": int(status == "Completed"),
        "InProgress": int(running),
        "RetryableError": 0,
        "NonRetryableError": int(status == "Failed"),
        "Stopped": int(status == "Stopped"),
    }
    job.objective_status_counters = {
        "Succeeded": int(status == "Completed"),
        "Pending": int(running),
        "Failed": int(status in ("Failed", "Stopped")),
    }
    best = getattr(job, "best_training_job", None)
    if isinstance(best, dict) and "TuningJobName" in best:
        best["TrainingJobStatus"] = status
        if status in _TERMINAL:
            best["TrainingEndTime"] = now
        else:
            best.pop("TrainingEndTime", None)


def _set_model_package_status(
    package: Any, status: str, failure_reason: str | None, now: datetime
) -> None:
    # ModelPackageStatus has no Stopping/Stopped: a stop leaves it in progress, then failed.
    package_status = {"Stopping": "InProgress", "Stopped": "Failed"}.get(status, status)
    package.model_package_status = package_status
    detail: dict[str, Any] = {"Name": package.arn, "Status": package_status}
    if package_status == "Failed":
        detail["FailureReason"] = failure_reason or (
            "The step was stopped" if status == "Stopped" else _DEFAULT_FAILURE_REASON
        )
    package.model_package_status_details = {
        "ValidationStatuses": [dict(detail)],
        "ImageScanStatuses": [dict(detail)],
    }


def _set_automl_status(job: Any, status: str, failure_reason: str | None, now: datetime) -> None:
    job.auto_ml_job_status = status
    job.auto_ml_job_secondary_status = {
        "InProgress": "Starting",
        "Stopping": "Stopping",
        "Stopped": "Stopped",
        "Completed": "Completed",
        "Failed": "Failed",
    }[status]
    job.failure_reason = _failure(status, failure_reason)
    job.end_time = now if status in _TERMINAL else None
    job.last_modified_time = now


def _set_endpoint_status(
    endpoint: Any, status: str, failure_reason: str | None, now: datetime
) -> None:
    # EndpointStatus has no Stopping/Stopped: stopping leaves it Creating, stopped is OutOfService.
    endpoint.endpoint_status = {
        "InProgress": "Creating",
        "Stopping": "Creating",
        "Stopped": "OutOfService",
        "Completed": "InService",
        "Failed": "Failed",
    }[status]
    endpoint.failure_reason = _failure(status, failure_reason)
    endpoint.last_modified_time = now


def _lookup(kind: str, backend: Any, ref: JobRef) -> Any:
    store: Mapping[str, Any]
    key = ref.name
    if kind == "training":
        store = backend.training_jobs
    elif kind == "processing":
        store = backend.processing_jobs
    elif kind == "transform":
        store = backend.transform_jobs
    elif kind == "tuning":
        store = backend.hyper_parameter_tuning_jobs
    elif kind == "model_package":
        store, key = backend.model_packages, ref.arn
    elif kind == "automl":
        store = backend.auto_ml_jobs
    elif kind == "endpoint":
        store = backend.endpoints
    else:
        return None
    obj = store.get(key)
    if obj is not None and getattr(obj, "arn", ref.arn) != ref.arn:
        return None  # the name now belongs to another resource
    return obj


_SETTERS: dict[str, Callable[[Any, str, str | None, datetime], None]] = {
    "training": _set_training_status,
    "processing": _set_processing_status,
    "transform": _set_transform_status,
    "tuning": _set_tuning_status,
    "model_package": _set_model_package_status,
    "automl": _set_automl_status,
    "endpoint": _set_endpoint_status,
}


def set_job_status(
    ref: JobRef,
    account_id: str,
    region: str,
    status: str,
    failure_reason: str | None = None,
    *,
    now: datetime,
) -> None:
    """Move the registered resource behind ``ref`` to the pipeline-level ``status``.

    ``status`` is one of ``InProgress``, ``Stopping``, ``Stopped``, ``Completed``, ``Failed``
    (``Starting``/``Executing``/``Succeeded`` are accepted as synonyms); anything else raises
    ``ValueError``. Mapping to each resource's own fields (values from the botocore enums):

    * training job: ``TrainingJobStatus`` = status; ``SecondaryStatus`` ``Training`` / ``Stopping``
      / ``Stopped`` / ``Completed`` / ``Failed`` (a new ``SecondaryStatusTransitions`` entry per
      change); ``TrainingEndTime``, ``TrainingTimeInSeconds``, ``BillableTimeInSeconds`` once
      terminal; ``FailureReason`` when failed;
    * processing / transform job: ``ProcessingJobStatus`` / ``TransformJobStatus`` = status,
      ``ProcessingEndTime`` / ``TransformEndTime`` once terminal, ``FailureReason`` when failed;
    * tuning job: ``HyperParameterTuningJobStatus`` = status, ``HyperParameterTuningEndTime``,
      ``FailureReason``, the status counters and ``BestTrainingJob.TrainingJobStatus``;
    * AutoML job: ``AutoMLJobStatus`` = status, ``AutoMLJobSecondaryStatus``, ``EndTime``,
      ``FailureReason``;
    * model package: ``ModelPackageStatus`` ``InProgress`` / ``Completed`` / ``Failed``
      (Stopping -> ``InProgress``, Stopped -> ``Failed``) and ``ModelPackageStatusDetails``;
    * endpoint: ``EndpointStatus`` ``Creating`` (InProgress, Stopping), ``InService``
      (Completed), ``Failed`` (+ ``FailureReason``), ``OutOfService`` (Stopped);
    * models and endpoint configs have no status: nothing changes.

    ``now`` (an aware UTC datetime, the simulated clock's) is the time of the change: the
    ``LastModifiedTime``, the end times, the new ``SecondaryStatusTransitions`` entry.

    Unregistered refs, and resources no longer in moto (deleted, moto reset), are left alone;
    errors from moto objects are logged, not raised.
    """
    word = normalise_status(status)
    if not ref.registered:
        return
    kind = _KIND.get(ref.step_type)
    setter = _SETTERS.get(kind) if kind else None
    if setter is None:
        return
    try:
        obj = _lookup(kind, _backend(account_id, region), ref)
        if obj is not None:
            setter(obj, word, failure_reason, _naive_utc(now))
    except Exception:  # a changed moto object must not break the simulation
        logger.warning("could not set %s of %s in moto", word, ref.arn, exc_info=True)


def stop_job(ref: JobRef, account_id: str, region: str, *, now: datetime) -> None:
    """Ask the job to stop: the same as ``set_job_status(ref, ..., "Stopping", now=now)``."""
    set_job_status(ref, account_id, region, "Stopping", now=now)


# --------------------------------------------------------------------------------------------
# guard support
# --------------------------------------------------------------------------------------------


def _resolve(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for index, attr in enumerate(parts[cut:], start=cut):
            if hasattr(obj, attr):
                obj = getattr(obj, attr)
                continue
            # Instance attributes moto assigns in a method: look for "self.<attr>" in the class.
            if inspect.isclass(obj) and index == len(parts) - 1:
                try:
                    source = inspect.getsource(obj)
                except (OSError, TypeError):
                    return False
                return f"self.{attr} " in source or f"self.{attr}:" in source
            return False
        return True
    return False


def missing_moto_internals() -> list[str]:
    """The names in :data:`MOTO_INTERNALS` the installed moto does not have.

    A name resolves when its module imports and each attribute exists; for the last part of a
    class's name an assignment ``self.<attribute> =`` (or an annotated one) in the class's
    source also counts, since moto sets its resources' fields in ``__init__``.
    """
    return [name for name in MOTO_INTERNALS if not _resolve(name)]
