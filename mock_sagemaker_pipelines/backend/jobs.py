"""DescribeJob for the jobs of pipeline ``Job`` steps (the CreateJob family, botocore 1.44).

moto's SageMaker backend has no CreateJob/DescribeJob, so the jobs Job steps create live in the
mock's executions (:class:`~mock_sagemaker_pipelines.engine.steps.CreateJobStep`) and this
action answers for them, in the account and region of the execution. Jobs go away with their
execution (DeletePipeline, moto's reset); the service keeps them.
"""

from __future__ import annotations

from typing import Any

from ..engine.steps import CreateJobStep
from ..exceptions import ResourceNotFound
from .core import BackendCore


class JobActions(BackendCore):
    """DescribeJob."""

    def describe_job(self, *, job_name: str, job_category: str) -> dict[str, Any]:
        """DescribeJob (API_DescribeJob): the DescribeJobResponse of a Job step's job.

        ResourceNotFound (wording the mock's; the model lists only the error code) when no Job
        step of this account and region created a job of that name and category.
        """
        for execution in self.executions.values():
            for run in execution.runs.values():
                if not isinstance(run.kind, CreateJobStep):
                    continue
                for job in run.kind.jobs(run):
                    if job["JobName"] == job_name and job.get("JobCategory") == job_category:
                        return job
        raise ResourceNotFound(f"Job '{job_name}' of category '{job_category}' does not exist.")
