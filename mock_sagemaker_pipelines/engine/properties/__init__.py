"""Step properties and step metadata of job steps, derived from their resolved ``Arguments``.

Pure functions, no moto calls: the simulator calls them after
:mod:`mock_sagemaker_pipelines._moto.jobs` created the job. The status words and the tuning job's
placeholder names are shared with that package and come from
:mod:`mock_sagemaker_pipelines._moto.job_status`.

* :func:`job_properties` gives what a downstream ``{"Get": "Steps.<step>.<path>"}`` reads. The
  service exposes a job step's properties as the Describe* response of its job (Developer Guide,
  "Step properties": https://docs.aws.amazon.com/sagemaker/latest/dg/build-and-manage-steps.html;
  SDK ``sagemaker.workflow.steps``, whose ``Properties`` objects are built from the botocore
  shapes named in :mod:`.jobs`). The Create* request a job step carries holds most of that
  response, so the arguments are echoed and the fields the service adds (name, ARN, status,
  output locations) are filled in; values only a real run can know (a tuning job's best training
  job, an AutoML best candidate, EMR ids, quality-check results) are stable placeholders.
* :func:`step_metadata` gives the ``PipelineExecutionStepMetadata`` member of the step
  (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_PipelineExecutionStepMetadata.html),
  with only the keys the botocore shape defines.

Both take the pipeline step ``Type`` and, optionally, ``step`` (the whole step definition): the
check steps keep ``CheckType``, ``SkipCheck``, ``RegisterNewBaseline``, ``ModelPackageGroupName``
and ``SuppliedBaseline*`` beside their ``Arguments`` (SDK ``QualityCheckStep.to_request``), and
those keys are also looked up in ``arguments`` when ``step`` is not given.

The package's modules: :mod:`.jobs` (:func:`job_properties`, one function per step type),
:mod:`.checks` (the QualityCheck/ClarifyCheck baseline properties), :mod:`.metadata`
(:func:`step_metadata`), :mod:`.common` (small helpers on ARNs, S3 URIs and step fields).
"""

from __future__ import annotations

from ..._moto.job_status import (
    PIPELINE_STATUSES,
    best_training_job_name,
    normalise_status,
    resource_status,
    tuned_hyper_parameters,
)
from .jobs import job_properties
from .metadata import step_metadata

__all__ = [
    "PIPELINE_STATUSES",
    "best_training_job_name",
    "job_properties",
    "normalise_status",
    "resource_status",
    "step_metadata",
    "tuned_hyper_parameters",
]
