"""Job steps (SageMaker Python SDK 3.x ``JobStep``): one job of the ``CreateJob`` family.

A job step (:class:`~.jobs.JobStep`: retries, stopping, scripted outcomes) whose Arguments are a
``CreateJob`` request without ``JobName``. moto's SageMaker backend has no CreateJob or
DescribeJob (moto 5.2.5), so the job is kept in the mock's own state (the run's job reference
and properties) and ``describe_job`` is not answered. Metadata ``{"Job": {"Arn"}}``, properties
``DescribeJobResponse`` (:mod:`..properties.job_runs`); a ``Get`` may read into the
``JobConfigDocument`` string as JSON (``Steps.J.JobConfigDocument.OutputDataConfig.S3OutputPath``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..properties.job_runs import job_config_document_value
from .jobs import JobStep

if TYPE_CHECKING:
    from ..run import StepRun


class CreateJobStep(JobStep):
    """A job step that runs a CreateJob job."""

    def step_property(self, run: StepRun, path: list[str | int]) -> Any:
        if len(path) > 1 and path[0] == "JobConfigDocument":
            return job_config_document_value(run.properties, path[1:])
        return super().step_property(run, path)
