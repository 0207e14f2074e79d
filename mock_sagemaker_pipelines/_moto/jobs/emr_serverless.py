"""The job runs of pipeline ``EMRServerless`` steps in moto's EMR Serverless backend.

A real ``EMRServerless`` step calls EMR Serverless ``StartJobRun`` with its ``JobConfig`` on the
application ``ApplicationId`` names, or first creates one from ``ApplicationConfig`` (a
``CreateApplication`` request; SageMaker Python SDK 3.x ``emr_serverless_step.py``). The
simulator does the same against ``moto.emrserverless.models.emrserverless_backends[account][
region]``, so that ``get_job_run`` / ``list_job_runs`` through boto3 answer for the step's job run
and its ``state`` follows the step (:func:`set_job_run_state`). moto's EMR Serverless backend
needs no extra of the moto package (its ``models.py`` imports only moto's core).

* The job run id is derived from the generated job name (16 of ``[0-9a-z]``, the shape of
  moto's and the service's ids), so the same seed gives the same id; moto's own random id and
  ARN are replaced with it.
* An ``ApplicationId`` moto's backend does not hold (or a terminated application) is the
  service's ``ResourceNotFoundException`` / ``ValidationException``, and so are moto's
  StartJobRun refusals (``executionTimeoutMinutes`` under 5, ``AccessDeniedException`` for a
  role of another account): the returned :class:`~.refs.JobRef` carries it in ``refusal``, and
  the step fails with it.
* An application moto refuses to create from ``ApplicationConfig`` (a release label outside
  moto's pattern) is kept in the mock's own state: ``registered=False``, ids formatted as the
  service's.

Every moto internal used is listed in :data:`MOTO_INTERNALS`.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from moto.emrserverless.models import emrserverless_backends

from ..backends import region_backend
from ..job_status import STATUS_MAP
from .refs import JobRef, _naive_utc

logger = logging.getLogger(__name__)

__all__ = [
    "JOB_RUN_STATES",
    "MOTO_INTERNALS",
    "job_run_arn",
    "parse_job_run_arn",
    "set_job_run_state",
    "start_job_run",
]

MOTO_INTERNALS: tuple[str, ...] = (
    "moto.emrserverless.models.emrserverless_backends",
    "moto.emrserverless.models.EMRServerlessBackend.applications",
    "moto.emrserverless.models.EMRServerlessBackend.get_job_run",
    "moto.emrserverless.models.EMRServerlessBackend.create_application",
    "moto.emrserverless.models.EMRServerlessBackend.start_job_run",
    "moto.emrserverless.models.Application.id",
    "moto.emrserverless.models.Application.arn",
    "moto.emrserverless.models.Application.state",
    "moto.emrserverless.models.JobRun.id",
    "moto.emrserverless.models.JobRun.arn",
    "moto.emrserverless.models.JobRun.state",
    "moto.emrserverless.models.JobRun.state_details",
    "moto.emrserverless.models.JobRun.created_at",
    "moto.emrserverless.models.JobRun.updated_at",
    "moto.emrserverless.models.JobRun.total_execution_duration_seconds",
)

#: EMR Serverless ``JobRunState`` (botocore ``emr-serverless`` enum) per pipeline-level status.
JOB_RUN_STATES: dict[str, str] = STATUS_MAP["EMRServerless"]

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
#: Errors of moto's ``start_job_run`` that are StartJobRun's own (an execution timeout under 5
#: minutes, a role of another account): the step fails with them.
_SERVICE_REFUSALS = frozenset({"ValidationException", "AccessDeniedException"})


def _id_from(seed: str) -> str:
    digest = hashlib.sha1(seed.encode("utf-8")).digest()
    return "".join(_ALPHABET[b % 36] for b in digest[:16])


def job_run_arn(account_id: str, region: str, application_id: str, job_run_id: str) -> str:
    """``arn:aws:emr-serverless:<region>:<account>:/applications/<app>/jobruns/<id>``."""
    return (
        f"arn:aws:emr-serverless:{region}:{account_id}:/applications/{application_id}"
        f"/jobruns/{job_run_id}"
    )


def parse_job_run_arn(arn: str) -> tuple[str, str]:
    """(ApplicationId, JobRunId) of a job run ARN, or ("", "")."""
    _, _, rest = arn.partition(":/applications/")
    application_id, _, job_run_id = rest.partition("/jobruns/")
    return application_id, job_run_id


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _job_config(arguments: Mapping[str, Any]) -> Mapping[str, Any]:
    config = arguments.get("JobConfig")
    return config if isinstance(config, Mapping) else {}


def _create_application(backend: Any, name: str, config: Mapping[str, Any]) -> str:
    application = backend.create_application(
        name=name,
        release_label=str(config.get("releaseLabel", "")),
        application_type=str(config.get("type", "")).upper(),
        client_token=name,
        initial_capacity=config.get("initialCapacity"),
        maximum_capacity=config.get("maximumCapacity"),
        tags=config.get("tags") or {},
        auto_start_configuration=config.get("autoStartConfiguration"),
        auto_stop_configuration=config.get("autoStopConfiguration"),
        network_configuration=config.get("networkConfiguration"),
    )
    return str(application.id)


def start_job_run(
    account_id: str,
    region: str,
    name: str,
    arguments: Mapping[str, Any],
    *,
    now: datetime,
) -> JobRef:
    """Start the step's job run (``RUNNING``) and return its :class:`JobRef`.

    ``name``: the generated job name (``pipelines-<executionId>-<step>-<random>``), the job run
    name when ``JobConfig.name`` is not given and the seed of the job run id; ``arguments``: the
    step's resolved Arguments (never modified); ``now``: the simulated clock's time, the job
    run's ``createdAt``/``updatedAt``. ``JobRef.name`` is the job run name, ``JobRef.arn`` its
    ARN (:func:`parse_job_run_arn` gives the ids back). Never raises.
    """
    # moto keeps what it is given; the resolved Arguments may share the parsed definition.
    arguments = copy.deepcopy(arguments)
    config = _job_config(arguments)
    run_name = _str(config.get("name")) or name
    job_run_id = _id_from(name)
    application_id = _str(arguments.get("ApplicationId")) or _str(config.get("applicationId"))
    app_config = arguments.get("ApplicationConfig")
    backend = region_backend(emrserverless_backends, account_id, region)
    if application_id is None and not isinstance(app_config, Mapping):
        reason = "ValidationException: EMRServerless step needs ApplicationId or ApplicationConfig."
        return JobRef("EMRServerless", run_name, "", False, reason, refusal=reason)
    if application_id is not None:
        application = backend.applications.get(application_id)
        refusal = None
        if application is None:
            refusal = f"ResourceNotFoundException: Application {application_id} does not exist"
        elif application.state == "TERMINATED":
            refusal = (
                f"ValidationException: Application {application_id} is terminated. "
                "Cannot start job run."
            )
        if refusal is not None:
            arn = job_run_arn(account_id, region, application_id, job_run_id)
            return JobRef("EMRServerless", run_name, arn, False, refusal, refusal=refusal)
    try:
        if application_id is None:
            assert isinstance(app_config, Mapping)
            application_id = _create_application(backend, name, app_config)
    except Exception as exc:  # moto refused the application: keep the run in the mock's state
        logger.debug("moto did not create the EMR Serverless application %s", name, exc_info=True)
        arn = job_run_arn(account_id, region, _id_from("application:" + name), job_run_id)
        return JobRef("EMRServerless", run_name, arn, False, f"{type(exc).__name__}: {exc}")
    arn = job_run_arn(account_id, region, application_id, job_run_id)
    try:
        job_run = backend.start_job_run(
            application_id=application_id,
            client_token=name,
            execution_role_arn=str(
                config.get("executionRoleArn") or arguments.get("ExecutionRoleArn") or ""
            ),
            job_driver=config.get("jobDriver"),
            configuration_overrides=config.get("configurationOverrides"),
            tags=config.get("tags"),
            execution_timeout_minutes=config.get("executionTimeoutMinutes"),
            name=run_name,
        )
    except Exception as exc:
        logger.debug("moto did not start the EMR Serverless job run %s", name, exc_info=True)
        error_type = getattr(exc, "error_type", None)
        if error_type in _SERVICE_REFUSALS:  # moto answers as StartJobRun does
            refusal = f"{error_type}: {getattr(exc, 'message', exc)}"
            return JobRef("EMRServerless", run_name, arn, False, refusal, refusal=refusal)
        return JobRef("EMRServerless", run_name, arn, False, f"{type(exc).__name__}: {exc}")
    moment = _naive_utc(now)
    job_run.id = job_run_id
    job_run.arn = job_run_arn(account_id, region, application_id, job_run_id)
    job_run.state = "RUNNING"
    job_run.created_at = moment
    job_run.updated_at = moment
    return JobRef("EMRServerless", run_name, job_run.arn, True)


def set_job_run_state(
    ref: JobRef,
    account_id: str,
    region: str,
    status: str,
    failure_reason: str | None = None,
    *,
    now: datetime,
) -> None:
    """Move the job run behind ``ref`` to the ``JobRunState`` of a pipeline-level ``status``
    (:data:`JOB_RUN_STATES`); ``stateDetails`` is the failure reason of a failed run and
    ``totalExecutionDurationSeconds`` the simulated seconds since it started. Unregistered refs
    and job runs no longer in moto are left alone; never raises."""
    if not ref.registered or status not in JOB_RUN_STATES:
        return
    application_id, job_run_id = parse_job_run_arn(ref.arn)
    try:
        backend = region_backend(emrserverless_backends, account_id, region)
        job_run = backend.get_job_run(application_id=application_id, job_run_id=job_run_id)
    except Exception:  # gone (moto reset, application deleted): nothing to move
        return
    try:
        moment = _naive_utc(now)
        job_run.state = JOB_RUN_STATES[status]
        job_run.state_details = failure_reason if status == "Failed" else None
        job_run.updated_at = moment
        job_run.total_execution_duration_seconds = max(
            0, int((moment - job_run.created_at).total_seconds())
        )
    except Exception:  # a changed moto object must not break the simulation
        logger.warning("could not set %s of %s in moto", status, ref.arn, exc_info=True)
