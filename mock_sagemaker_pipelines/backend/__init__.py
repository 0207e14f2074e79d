"""The pipelines backend: every pipeline, version, execution, callback token and tag, per account and region.

One owner of pipeline state (``shared/DESIGN.md``): :data:`pipelines_backends` is a moto
``BackendDict`` keyed by account id and region, so moto's own reset (``mock_aws`` start/stop,
``/moto-api/reset``) wipes it and accounts and regions never see each other's pipelines.

The backend is split by resource; each AWS action is the method of its snake_case name:

* :mod:`.pipelines`: Create/Update/Describe/Delete/ListPipelines, versions;
* :mod:`.executions`: Start/Describe/List/Update/Stop/Retry executions, steps, parameters;
* :mod:`.callbacks`: SendPipelineExecutionStepSuccess/Failure and the token registry;
* :mod:`.tags`: AddTags/ListTags/DeleteTags on pipeline and execution ARNs;
* :mod:`.jobs`: DescribeJob for the jobs of Job steps (moto has no CreateJob);
* :mod:`.events`: EventBridge events, the engine's listener;
* :mod:`.core`, :mod:`.common`, :mod:`.records`: state, shared helpers and records.
"""

from __future__ import annotations

from .._moto import BackendDict
from .callbacks import CallbackActions
from .executions import ExecutionActions
from .jobs import JobActions
from .pipelines import PipelineActions
from .records import Pipeline, PipelineVersion
from .tags import TagActions

__all__ = ["Pipeline", "PipelineVersion", "PipelinesBackend", "pipelines_backends"]


class PipelinesBackend(PipelineActions, ExecutionActions, CallbackActions, TagActions, JobActions):
    """SageMaker Pipelines state and actions of one account and region."""


#: Pipeline state per account id and region (joins moto's resets).
pipelines_backends = BackendDict(PipelinesBackend, "sagemaker")
