"""What stays in moto when the plugin stops inside a user's running ``mock_aws`` (issue 14,
item 5): every pipeline and execution of every account and region, handed to moto's own
SageMaker backend (:mod:`mock_sagemaker_pipelines._moto.handover`) as the AWS shapes the
plugin answers with (DescribePipeline of the latest version, DescribePipelineExecution, the
parameters and definition an execution ran with, tags).
"""

from __future__ import annotations

from typing import Any

from .._moto.handover import publish_pipelines
from . import pipelines_backends

__all__ = ["hand_over_to_moto"]


def hand_over_to_moto() -> None:
    """Publish the plugin's pipelines into moto's SageMaker backend, per account and region."""
    for account_id, account_backends in list(pipelines_backends.items()):
        for region in list(account_backends.keys()):
            backend = account_backends[region]
            records: list[dict[str, Any]] = [
                {
                    "describe": pipeline.describe(pipeline.latest),
                    "tags": [dict(tag) for tag in pipeline.tags],
                    "executions": [
                        {
                            "describe": execution.to_describe(),
                            "parameters": [dict(p) for p in execution.parameter_list],
                            "definition": execution.definition,
                            "definition_time": execution.definition_time,
                        }
                        for execution in pipeline.executions.values()
                    ],
                }
                for pipeline in backend.pipelines.values()
            ]
            publish_pipelines(account_id, region, records)
