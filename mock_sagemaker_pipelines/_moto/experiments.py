"""The SageMaker Experiments entities a pipeline execution creates, in moto's SageMaker backend.

DG "Amazon SageMaker Experiments integration"
(https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-experiments.html and
``pipelines-experiments-default.html``): by default Pipelines creates, if they do not exist, an
experiment for the pipeline, a trial (run group) for each execution and a trial component (run)
for each SageMaker job; a named experiment or trial that exists is reused; deleting the pipeline
does not delete them. The trial component is the one SageMaker makes for the job, named
``<job name>-aws-training-job`` / ``-aws-processing-job`` / ``-aws-transform-job`` (the SDK's
``Tracker.load`` and ``LineageQueryResult`` build these names; a public test fixture shows
``pipelines-7s1cdjmwshwl-evaluate-g5c6r0u9m4-aws-processing-job``).

moto implements the four calls (``create_experiment``, ``create_trial``,
``create_trial_component``, ``associate_trial_component``) and their stores; the names used
are listed in :data:`MOTO_INTERNALS`. Times are the simulated clock's (naive UTC, as moto
keeps them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .jobs.refs import _KIND, _backend, _naive_utc

MOTO_INTERNALS: tuple[str, ...] = (
    "moto.sagemaker.models.sagemaker_backends",
    "moto.sagemaker.models.SageMakerModelBackend.create_experiment",
    "moto.sagemaker.models.SageMakerModelBackend.create_trial",
    "moto.sagemaker.models.SageMakerModelBackend.create_trial_component",
    "moto.sagemaker.models.SageMakerModelBackend.associate_trial_component",
    "moto.sagemaker.models.SageMakerModelBackend.experiments",
    "moto.sagemaker.models.SageMakerModelBackend.trials",
    "moto.sagemaker.models.SageMakerModelBackend.trial_components",
    "moto.sagemaker.models.FakeExperiment.creation_time",
    "moto.sagemaker.models.FakeExperiment.last_modified_time",
    "moto.sagemaker.models.FakeTrial.creation_time",
    "moto.sagemaker.models.FakeTrial.last_modified_time",
    "moto.sagemaker.models.FakeTrialComponent.status",
    "moto.sagemaker.models.FakeTrialComponent.start_time",
    "moto.sagemaker.models.FakeTrialComponent.end_time",
    "moto.sagemaker.models.FakeTrialComponent.sources",
    "moto.sagemaker.models.FakeTrialComponent.creation_time",
    "moto.sagemaker.models.FakeTrialComponent.last_modified_time",
)

#: Trial component name suffix and ``Source.SourceType`` per job resource kind.
JOB_TRIAL_COMPONENTS: dict[str, tuple[str, str]] = {
    "training": ("-aws-training-job", "SageMakerTrainingJob"),
    "processing": ("-aws-processing-job", "SageMakerProcessingJob"),
    "transform": ("-aws-transform-job", "SageMakerTransformJob"),
}


def _stamp(obj: Any, now: datetime) -> None:
    obj.creation_time = obj.last_modified_time = _naive_utc(now)


def ensure_trial(
    account_id: str, region: str, experiment_name: str, trial_name: str, now: datetime
) -> None:
    """Create the experiment and its trial unless they exist (existing ones are reused)."""
    backend = _backend(account_id, region)
    if experiment_name not in backend.experiments:
        backend.create_experiment(experiment_name)
        _stamp(backend.experiments[experiment_name], now)
    if trial_name not in backend.trials:
        backend.create_trial(trial_name, experiment_name)
        _stamp(backend.trials[trial_name], now)


def add_job_trial_component(
    account_id: str,
    region: str,
    trial_name: str,
    kind: str,
    job_name: str,
    job_arn: str,
    now: datetime,
) -> str | None:
    """Create the trial component of a job and associate it with ``trial_name``; its name.

    None for a kind of job SageMaker makes no trial component for (models, packages, ...).
    """
    if kind not in JOB_TRIAL_COMPONENTS:
        return None
    suffix, source_type = JOB_TRIAL_COMPONENTS[kind]
    name = f"{job_name}{suffix}"
    backend = _backend(account_id, region)
    if name not in backend.trial_components:
        start = _naive_utc(now)
        backend.create_trial_component(
            trial_component_name=name,
            trial_name=trial_name,
            status={"PrimaryStatus": "InProgress"},
            start_time=start,
            end_time=None,
            display_name=None,
            parameters=None,
            input_artifacts=None,
            output_artifacts=None,
            metadata_properties=None,
        )
        component = backend.trial_components[name]
        _stamp(component, now)
        component.sources = [{"SourceArn": job_arn, "SourceType": source_type}]
    if trial_name in backend.trials:
        backend.associate_trial_component(trial_name, name)
    return name


def set_trial_component_status(
    account_id: str, region: str, name: str, status: str, now: datetime
) -> None:
    """``Status.PrimaryStatus`` of a trial component (``InProgress``, ``Completed``, ``Failed``,
    ``Stopping``, ``Stopped``); a terminal status sets its ``EndTime``."""
    component = _backend(account_id, region).trial_components.get(name)
    if component is None:
        return
    component.status = {"PrimaryStatus": status}
    component.last_modified_time = _naive_utc(now)
    if status in ("Completed", "Failed", "Stopped"):
        component.end_time = _naive_utc(now)


def job_kind(step_type: str) -> str | None:
    """The SageMaker resource kind a job step ``Type`` creates (``training``, ``processing``, ...)."""
    return _KIND.get(step_type)
