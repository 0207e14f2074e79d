"""Job steps (SageMaker Python SDK 3.x ``JobStep``): one job of the ``CreateJob`` family.

A job step (:class:`~.jobs.JobStep`: retries, stopping, scripted outcomes) whose Arguments are a
``CreateJob`` request without ``JobName``. moto's SageMaker backend has no CreateJob or
DescribeJob (moto 5.2.5), so each attempt's job is kept in the mock's own state, as the
``DescribeJobResponse`` it answers (:meth:`CreateJobStep.jobs`, served by the backend's
DescribeJob). Metadata ``{"Job": {"Arn"}}``, properties ``DescribeJobResponse``
(:mod:`..properties.job_runs`); a ``Get`` may read into the ``JobConfigDocument`` string as JSON
(``Steps.J.JobConfigDocument.OutputDataConfig.S3OutputPath``).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ..properties.job_runs import describe_job_record, job_config_document_value, move_job_record
from .jobs import JobStep

if TYPE_CHECKING:
    from ..run import StepRun


class CreateJobStep(JobStep):
    """A job step that runs a CreateJob job."""

    def step_property(self, run: StepRun, path: list[str | int]) -> Any:
        if len(path) > 1 and path[0] == "JobConfigDocument":
            return job_config_document_value(run.properties, path[1:])
        return super().step_property(run, path)

    def _create_job(self, run: StepRun) -> None:
        super()._create_job(run)
        ref = run.state["job"]
        args = run.arguments if isinstance(run.arguments, dict) else {}
        record = describe_job_record(ref.name, ref.arn, args, run.execution.simulation.clock.now())
        run.state.setdefault("jobs", []).append(record)

    def _job_status(self, run: StepRun, status: str, reason: str | None = None) -> None:
        super()._job_status(run, status, reason)
        jobs = run.state.get("jobs")
        if jobs:
            move_job_record(jobs[-1], status, reason, run.execution.simulation.clock.now())

    def jobs(self, run: StepRun) -> list[dict[str, Any]]:
        """The DescribeJobResponse of every job this run created (one per attempt), oldest first."""
        return copy.deepcopy(list(run.state.get("jobs", [])))
