"""The resource a pipeline job step registered in moto's SageMaker backend, and finding it again.

:class:`JobRef` is what :func:`~mock_sagemaker_pipelines._moto.jobs.create_job` returns and the
status functions take. :data:`_KIND` maps a pipeline step ``Type`` to the kind of SageMaker
resource its job is (``shared/spec/sagemaker-pipelines-semantics.md`` sections 2 and 5: a job
step calls the matching ``Create*`` API); :func:`_lookup` finds that resource in moto's
``moto.sagemaker.models.sagemaker_backends[account_id][region]`` stores (the moto internals used
are listed in :data:`mock_sagemaker_pipelines._moto.jobs.MOTO_INTERNALS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.sagemaker.models import sagemaker_backends

from ..backends import region_backend

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
    "EMRServerless": "emr_serverless",
    "Job": "job",
}


@dataclass(frozen=True)
class JobRef:
    """The resource a job step created.

    ``step_type``: the pipeline step ``Type``. ``name``: the job / model / package name as
    registered (for a versioned model package, the group name, as DescribeModelPackage reports it;
    for Endpoint/EndpointConfig steps, the ``EndpointName``/``EndpointConfigName`` the Arguments
    give, if any). ``arn``: what the step's ``Metadata`` shows (``""`` for EMR). ``registered``:
    whether moto's backend holds it. ``reason``: why it is not registered (diagnostics only).
    ``refusal``: set when the service itself would refuse the step's call (an EMR Serverless
    application that does not exist): the step fails with it.
    """

    step_type: str
    name: str
    arn: str
    registered: bool
    reason: str | None = field(default=None, compare=False)
    refusal: str | None = field(default=None, compare=False)


def _backend(account_id: str, region: str) -> Any:
    return region_backend(sagemaker_backends, account_id, region)


def _naive_utc(now: datetime) -> datetime:
    """``now`` (an aware datetime; naive ones are taken as UTC) as the naive UTC moto keeps."""
    if now.tzinfo is None:
        return now
    return now.astimezone(timezone.utc).replace(tzinfo=None)


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
