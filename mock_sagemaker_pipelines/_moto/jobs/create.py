"""Create the resource a pipeline job step starts in moto's SageMaker backend.

:func:`create_job` dispatches on the resource kind of the step ``Type`` (:data:`.refs._KIND`) to
one ``_create_<kind>`` function, which calls moto's backend method (``create_training_job``,
``create_processing_job``, ``create_transform_job``, ``create_hyper_parameter_tuning_job``,
``create_model``, ``create_model_package``, ``create_auto_ml_job_v2``, ``create_endpoint_config``,
``create_endpoint``) with the step's ``Arguments`` and the generated name
(``shared/spec/sagemaker-pipelines-semantics.md`` sections 2 and 5;
``shared/spec/real-clients.md`` section 2), then puts the job back to ``InProgress`` (moto creates
jobs already ``Completed``) and restores fields moto changes. When moto refuses, the name and ARN
the service would give are formatted with moto's ``arn_formatter``. The moto internals used are
listed in :data:`mock_sagemaker_pipelines._moto.jobs.MOTO_INTERNALS`.
"""

from __future__ import annotations

import copy
import inspect
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from moto.core.utils import camelcase_to_underscores
from moto.sagemaker.utils import arn_formatter

from ..job_status import best_training_job_name, tuned_hyper_parameters
from .emr_serverless import start_job_run
from .refs import _KIND, JobRef, _backend, _lookup, _naive_utc
from .request import _attach_extras, _call_create
from .status import (
    _set_automl_status,
    _set_endpoint_status,
    _set_model_package_status,
    _set_tuning_status,
)

logger = logging.getLogger(__name__)

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
        given = config.get("TabularJobConfig")
        return kwargs, not isinstance(given, Mapping) or "ProblemType" in given
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


def _job_ref(account_id: str, region: str, name: str, arguments: Mapping[str, Any]) -> JobRef:
    """A Job step's job (CreateJob): moto's SageMaker backend has no CreateJob/DescribeJob, so
    the job lives only in the mock. ARN ``arn:aws:sagemaker:<region>:<account>:job/<JobCategory>
    /<name>``, the botocore ``JobArn`` pattern ``job/[a-zA-Z0-9]+/<name>``."""
    category = arguments.get("JobCategory") if isinstance(arguments, Mapping) else None
    segment = category if isinstance(category, str) and category.isalnum() else "job"
    arn = arn_formatter("job", f"{segment}/{name}", account_id, region)
    return JobRef("Job", name, arn, False, "not registered in moto: moto has no CreateJob")


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
    lower-cased>/<name>``; neither is registered. EMRServerless steps start a job run in moto's
    EMR Serverless backend (:mod:`.emr_serverless`); Job steps (CreateJob) are not registered:
    moto has no CreateJob. ``now`` (an aware UTC datetime, the simulated
    clock's) is the job's ``CreationTime``, start time and ``LastModifiedTime``.
    """
    kind = _KIND.get(step_type)
    if kind == "emr_serverless":
        return start_job_run(account_id, region, name, arguments, now=now)
    if kind == "job":
        return _job_ref(account_id, region, name, arguments)
    creator = _CREATORS.get(kind) if kind else None
    if creator is None:
        reason = "EMR steps run on Amazon EMR" if kind == "emr" else f"step type {step_type!r}"
        arn = "" if kind == "emr" else arn_formatter(step_type.lower(), name, account_id, region)
        return JobRef(step_type, name, arn, False, f"not registered in moto: {reason}")
    assert kind is not None  # a creator is registered per kind
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
