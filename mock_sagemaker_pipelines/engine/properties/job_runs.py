"""Properties and metadata of the SDK 3.x ``Job`` (CreateJob) and ``EMRServerless`` steps.

Pure functions, no moto calls.

* ``Job`` steps carry a ``CreateJob`` request without ``JobName`` (SDK 3.x ``steps.py``,
  ``JobStep.arguments``); their properties follow ``DescribeJobResponse`` (botocore 1.44
  ``sagemaker``; the SDK's ``Properties(shape_name="DescribeJobResponse")``) and their metadata
  is ``{"Job": {"Arn"}}`` (``JobStepMetadata``). ``JobConfigDocument`` stays the string the
  request gave; a ``Get`` may descend into it (``Steps.J.JobConfigDocument.OutputModelPackageArn``,
  SDK ``JobStep`` docstring: "the backend parsing the JSON lazily at execution time"), see
  :func:`job_config_document_value`.
* ``EMRServerless`` steps carry ``{ExecutionRoleArn, JobConfig, ApplicationId |
  ApplicationConfig}`` (SDK 3.x ``emr_serverless_step.py``); their properties follow
  emr-serverless ``GetJobRunResponse`` (``{"jobRun": {...}}``, the SDK's
  ``Properties(shape_name="GetJobRunResponse", service_name="emr-serverless")``) and their
  metadata is ``EMRServerlessStepMetadata`` ``{ApplicationId, JobRunId, JobRunName,
  LogFilePath}``. ``LogFilePath`` is ``<logUri>/applications/<applicationId>/jobs/<jobRunId>``
  when ``JobConfig.configurationOverrides.monitoringConfiguration.s3MonitoringConfiguration.
  logUri`` is given (the layout EMR Serverless writes its S3 logs in, EMR Serverless User Guide
  "Storing logs": https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/logging.html),
  else left out.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..._moto.job_status import resource_status
from ..._moto.jobs.emr_serverless import parse_job_run_arn
from ...definition import ExpressionError, resolve_path

__all__ = [
    "describe_job_record",
    "emr_serverless_metadata",
    "emr_serverless_properties",
    "job_config_document_value",
    "job_properties_of_job",
    "move_job_record",
]

#: ``DescribeJobResponse.SecondaryStatus`` per pipeline-level status (botocore enum).
_JOB_SECONDARY: dict[str, str] = {
    "InProgress": "Executing",
    "Stopping": "Stopping",
    "Stopped": "Stopped",
    "Completed": "Completed",
    "Failed": "Failed",
}
#: ``DescribeJobResponse`` members a CreateJob request also has.
_JOB_ECHO = ("RoleArn", "JobCategory", "JobConfigSchemaVersion", "JobConfigDocument", "Tags")


def job_properties_of_job(
    name: str, arn: str, args: Mapping[str, Any], status: str
) -> dict[str, Any]:
    """DescribeJobResponse: ``JobName``, ``JobArn``, ``JobStatus``, ``SecondaryStatus`` and the
    request's ``RoleArn``, ``JobCategory``, ``JobConfigSchemaVersion``, ``JobConfigDocument``
    (a string), ``Tags``. ``status`` is a pipeline-level word (``Completed``, ...)."""
    props: dict[str, Any] = {key: copy.deepcopy(args[key]) for key in _JOB_ECHO if key in args}
    props.update(
        JobName=name,
        JobArn=arn,
        JobStatus=resource_status("Job", status),
        SecondaryStatus=_JOB_SECONDARY[status],
    )
    return props


def describe_job_record(
    name: str, arn: str, args: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """A new job's DescribeJobResponse (``InProgress``, ``Starting``), created at ``now``."""
    record = job_properties_of_job(name, arn, args, "InProgress")
    record.update(
        SecondaryStatus="Starting",
        CreationTime=now,
        LastModifiedTime=now,
        SecondaryStatusTransitions=[{"Status": "Starting", "StartTime": now}],
    )
    return record


def move_job_record(record: dict[str, Any], status: str, reason: str | None, now: datetime) -> None:
    """Move a DescribeJobResponse to a pipeline-level ``status``: ``JobStatus``,
    ``SecondaryStatus`` and a new ``SecondaryStatusTransitions`` entry (the previous one ends),
    ``EndTime`` once terminal, ``FailureReason`` when failed; ``LastModifiedTime`` = ``now``."""
    word = resource_status("Job", status) or status
    secondary = _JOB_SECONDARY[word]
    transitions = record.setdefault("SecondaryStatusTransitions", [])
    if not transitions or transitions[-1]["Status"] != secondary:
        if transitions and "EndTime" not in transitions[-1]:
            transitions[-1]["EndTime"] = now
        transitions.append({"Status": secondary, "StartTime": now})
    record.update(JobStatus=word, SecondaryStatus=secondary, LastModifiedTime=now)
    if word in ("Completed", "Failed", "Stopped"):
        record["EndTime"] = now
        transitions[-1].setdefault("EndTime", now)
    if word == "Failed" and reason:
        record["FailureReason"] = reason[:1024]


def job_config_document_value(props: Mapping[str, Any], path: list[str | int]) -> Any:
    """``Steps.<Job step>.JobConfigDocument.<path>``: the value at ``path`` inside the JSON
    document; raises ``ExpressionError`` (``ClientError: ...``) when it is not JSON or has no
    such member."""
    document = props.get("JobConfigDocument")
    try:
        parsed = json.loads(document) if isinstance(document, str) else document
    except ValueError as exc:
        raise ExpressionError(
            f"ClientError: JobConfigDocument is not a JSON document ({exc})."
        ) from exc
    return resolve_path(parsed, path)


def _log_uri(config: Mapping[str, Any]) -> str | None:
    value: Any = config
    for key in ("configurationOverrides", "monitoringConfiguration", "s3MonitoringConfiguration"):
        value = value.get(key) if isinstance(value, Mapping) else None
    uri = value.get("logUri") if isinstance(value, Mapping) else None
    return uri if isinstance(uri, str) and uri else None


def _job_config(args: Mapping[str, Any]) -> Mapping[str, Any]:
    config = args.get("JobConfig")
    return config if isinstance(config, Mapping) else {}


def emr_serverless_metadata(run_name: str, arn: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """``{"EMRServerless": {ApplicationId, JobRunId, JobRunName, LogFilePath}}``; members whose
    value is unknown (no job run ARN, no S3 log URI) are left out. ``JobRunName`` is
    ``JobConfig.name`` if given, else ``run_name`` (the generated job name)."""
    application_id, job_run_id = parse_job_run_arn(arn)
    given = _job_config(args).get("name")
    run_name = given if isinstance(given, str) and given else run_name
    meta: dict[str, Any] = {}
    if application_id:
        meta["ApplicationId"] = application_id
    if job_run_id:
        meta["JobRunId"] = job_run_id
    meta["JobRunName"] = run_name
    log_uri = _log_uri(_job_config(args))
    if log_uri and application_id and job_run_id:
        meta["LogFilePath"] = (
            f"{log_uri.rstrip('/')}/applications/{application_id}/jobs/{job_run_id}"
        )
    return {"EMRServerless": meta}


def emr_serverless_properties(
    run_name: str, arn: str, args: Mapping[str, Any], status: str
) -> dict[str, Any]:
    """GetJobRunResponse: ``{"jobRun": {applicationId, jobRunId, name, arn, executionRole,
    state, jobDriver, configurationOverrides, tags, executionTimeoutMinutes, releaseLabel?}}``
    with ``state`` the ``JobRunState`` of ``status`` (``SUCCESS`` when completed)."""
    application_id, job_run_id = parse_job_run_arn(arn)
    config = _job_config(args)
    job_run: dict[str, Any] = {
        "applicationId": application_id,
        "jobRunId": job_run_id,
        "name": run_name,
        "arn": arn,
        "executionRole": config.get("executionRoleArn") or args.get("ExecutionRoleArn"),
        "state": resource_status("EMRServerless", status),
    }
    for key in ("jobDriver", "configurationOverrides", "tags", "executionTimeoutMinutes"):
        if key in config:
            job_run[key] = copy.deepcopy(config[key])
    app_config = args.get("ApplicationConfig")
    if isinstance(app_config, Mapping) and "releaseLabel" in app_config:
        job_run["releaseLabel"] = app_config["releaseLabel"]
    return {"jobRun": job_run}
