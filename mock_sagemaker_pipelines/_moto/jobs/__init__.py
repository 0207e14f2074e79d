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
* ``EMRServerless``: an EMR Serverless job run in moto's ``emrserverless`` backend
  (:mod:`.emr_serverless`; ``start_job_run``, after ``create_application`` for an
  ``ApplicationConfig``) -> the job run's ``state``;
* ``Job`` (CreateJob): not registered, moto has no CreateJob; the ARN is formatted as the
  service's;
* ``EMR`` and any other type: not registered.

Every moto call is wrapped: when moto refuses the request (a field it requires is missing, an
unresolved expression makes it trip, an instance type outside its list, a missing model, ...) the
job is reported with ``registered=False``, a correctly formatted ARN and the reason in
:attr:`JobRef.reason`. moto creates jobs already ``Completed``; :func:`create_job` puts them back to
``InProgress`` at once.

Times (creation, start and end times, ``LastModifiedTime``) are the ``now`` each public function
is given: the simulated clock's, so that jobs follow simulated time.

Request fields that moto's ``create_*`` method does not take are stored on moto's object so that
the Describe* answer echoes them like the real service does (:mod:`.request`).

The package's modules: :mod:`.refs` (:class:`JobRef`, the resource kind per step type, finding a
registered resource in moto), :mod:`.request` (a request's fields mapped onto moto's ``create_*``
methods and objects), :mod:`.create` (:func:`create_job`, one function per resource kind),
:mod:`.status` (:func:`set_job_status`, :func:`stop_job`, one status setter per resource kind);
this module holds the public names and the guard support.

Every moto internal the package touches is listed in :data:`MOTO_INTERNALS`;
:func:`missing_moto_internals` reports those the installed moto lacks.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from ..job_status import PIPELINE_STATUSES, best_training_job_name
from .create import create_job
from .emr_serverless import MOTO_INTERNALS as _EMR_SERVERLESS_INTERNALS
from .refs import JobRef
from .status import set_job_status, stop_job

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

#: Dotted names of every moto internal used in this package (module attributes, backend methods and the
#: attributes of moto's resource objects its modules read or write). Instance attributes that
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
    "moto.sagemaker.models.FakeTrainingJob.response_object",
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
    # EMR Serverless job runs (EMRServerless steps)
    *_EMR_SERVERLESS_INTERNALS,
)


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
