"""EMRServerless steps (SageMaker Python SDK 3.x ``EMRServerlessStep``): a job run on EMR Serverless.

A job step (:class:`~.jobs.JobStep`: retries, stopping, scripted outcomes) whose job is an EMR
Serverless job run in moto's EMR Serverless backend
(:mod:`mock_sagemaker_pipelines._moto.jobs.emr_serverless`): ``StartJobRun`` on the application
``ApplicationId`` names, or on one created from ``ApplicationConfig``. Its metadata is
``EMRServerlessStepMetadata`` and its properties emr-serverless ``GetJobRunResponse``
(:mod:`..properties.job_runs`). A stop cancels the job run (``CANCELLING`` -> ``CANCELLED``).

An ``ApplicationId`` that moto's backend does not hold fails the step with the service's
``ResourceNotFoundException`` as a ``ClientError`` reason (as a missing Lambda function or SQS
queue fails those steps), unless the test scripted the attempt's outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import outcome_for
from .jobs import JobStep

if TYPE_CHECKING:
    from ..run import StepRun


class EMRServerlessStep(JobStep):
    """A job step whose job is an EMR Serverless job run."""

    def executing(self, run: StepRun) -> None:
        ref = run.state.get("job")
        refusal = getattr(ref, "refusal", None)
        if refusal and outcome_for(run) is None:
            run.execution.fail_step(run, f"ClientError: {refusal}")
            return
        super().executing(run)
