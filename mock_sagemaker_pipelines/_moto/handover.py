"""Handing pipelines over to moto's own SageMaker backend when the plugin stops inside a user's
running ``mock_aws`` (issue 14, item 5).

While the plugin is active it owns pipeline state (``shared/DESIGN.md``: "Pipeline state has
one owner"); moto's backend sees none of it. When the plugin's block exits and the user's
``mock_aws`` keeps running, :func:`publish_pipelines` writes each pipeline and its executions
into moto's ``sagemaker_backends[account][region].pipelines`` as moto's own ``FakePipeline`` /
``FakePipelineExecution`` objects, so that moto's ListPipelines, DescribePipeline,
ListPipelineExecutions, DescribePipelineExecution, DescribePipelineDefinitionForExecution and
ListPipelineParametersForExecution show them as moto would. Objects published earlier are
replaced, so a pipeline deleted under the plugin does not linger. Every moto name used is in
:data:`MOTO_INTERNALS`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from moto.sagemaker.models import FakePipeline, FakePipelineExecution, sagemaker_backends

from .backends import region_backend

__all__ = ["MARK", "MOTO_INTERNALS", "publish_pipelines"]

#: Dotted names of the moto internals used here (checked by ``tests/test_moto_guard.py``).
MOTO_INTERNALS: tuple[str, ...] = (
    "moto.sagemaker.models.sagemaker_backends",
    "moto.sagemaker.models.SageMakerModelBackend.pipelines",
    "moto.sagemaker.models.FakePipeline",
    "moto.sagemaker.models.FakePipeline.pipeline_executions",
    "moto.sagemaker.models.FakePipeline.creation_time",
    "moto.sagemaker.models.FakePipeline.last_modified_time",
    "moto.sagemaker.models.FakePipeline.last_execution_time",
    "moto.sagemaker.models.FakePipeline.pipeline_status",
    "moto.sagemaker.models.FakePipelineExecution",
    "moto.sagemaker.models.FakePipelineExecution.pipeline_execution_status",
    "moto.sagemaker.models.FakePipelineExecution.pipeline_execution_failure_reason",
    "moto.sagemaker.models.FakePipelineExecution.creation_time",
    "moto.sagemaker.models.FakePipelineExecution.last_modified_time",
    "moto.sagemaker.models.FakePipelineExecution.start_time",
)

#: Attribute set on the objects this module publishes (so that the next publish replaces them).
MARK = "_published_by_mock_sagemaker_pipelines"


def publish_pipelines(account_id: str, region: str, pipelines: list[dict[str, Any]]) -> None:
    """Replace what was published before in moto's backend of ``account_id``/``region`` by
    ``pipelines``.

    Each item: ``{"describe": DescribePipeline response, "tags": [{"Key", "Value"}],
    "executions": [{"describe": DescribePipelineExecution response, "parameters":
    [{"Name", "Value"}], "definition": the definition text it ran, "definition_time":
    datetime}]}``. Times are UTC datetimes of the simulated clock.
    """
    backend = region_backend(sagemaker_backends, account_id, region)
    for name in [n for n, p in backend.pipelines.items() if getattr(p, MARK, False)]:
        del backend.pipelines[name]
    for item in pipelines:
        backend.pipelines[item["describe"]["PipelineName"]] = _fake_pipeline(
            account_id, region, item
        )


def _fake_pipeline(account_id: str, region: str, item: dict[str, Any]) -> FakePipeline:
    describe = item["describe"]
    pipeline = FakePipeline(
        pipeline_name=describe["PipelineName"],
        pipeline_display_name=describe.get("PipelineDisplayName", describe["PipelineName"]),
        pipeline_definition=describe["PipelineDefinition"],
        pipeline_description=describe.get("PipelineDescription", ""),
        role_arn=describe["RoleArn"],
        tags=list(item.get("tags") or []),
        account_id=account_id,
        region_name=region,
        parallelism_configuration=describe.get("ParallelismConfiguration", {}),
    )
    pipeline.arn = describe["PipelineArn"]
    pipeline.creation_time = _moto_time(describe["CreationTime"])
    pipeline.last_modified_time = _moto_time(describe["LastModifiedTime"])
    pipeline.last_execution_time = _moto_time(describe.get("LastRunTime"))
    pipeline.pipeline_status = describe.get("PipelineStatus", "Active")
    for run in item.get("executions") or []:
        execution = _fake_execution(run, describe.get("ParallelismConfiguration", {}))
        pipeline.pipeline_executions[execution.arn] = execution
    setattr(pipeline, MARK, True)
    return pipeline


def _fake_execution(run: dict[str, Any], parallelism: dict[str, int]) -> FakePipelineExecution:
    describe = run["describe"]
    execution = FakePipelineExecution(
        pipeline_execution_arn=describe["PipelineExecutionArn"],
        pipeline_execution_display_name=describe.get("PipelineExecutionDisplayName", ""),
        pipeline_parameters=list(run.get("parameters") or []),
        pipeline_execution_description=describe.get("PipelineExecutionDescription", ""),
        parallelism_configuration=describe.get("ParallelismConfiguration", parallelism),
        pipeline_definition=run["definition"],
        client_request_token="",
    )
    execution.pipeline_execution_status = describe["PipelineExecutionStatus"]
    execution.pipeline_execution_failure_reason = describe.get("FailureReason")
    created = _moto_time(describe["CreationTime"])
    execution.creation_time = _moto_time(run.get("definition_time")) or created
    execution.start_time = created
    execution.last_modified_time = _moto_time(describe["LastModifiedTime"])
    return execution


def _moto_time(when: datetime | None) -> Any:
    """moto keeps naive UTC datetimes (``moto.core.utils.utcnow``); the plugin aware ones."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone(timezone.utc).replace(tzinfo=None)
