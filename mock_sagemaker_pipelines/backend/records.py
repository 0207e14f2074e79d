"""The records the backend keeps: a pipeline and its versions (``DescribePipeline`` shapes).

Every CreatePipeline/UpdatePipeline makes a new ``PipelineVersionId`` holding the definition
(the text as given and its parsed :class:`~mock_sagemaker_pipelines.definition.StepGraph`) and
the pipeline fields it was made with; executions keep the version they started with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..definition import StepGraph
from ..engine.caching import StepCache
from ..engine.execution import Execution
from ..exceptions import ResourceNotFound


@dataclass
class PipelineVersion:
    """One ``PipelineVersionId`` of a pipeline: its definition and the pipeline fields it was made with."""

    version_id: int
    definition: str
    graph: StepGraph
    creation_time: datetime
    pipeline_display_name: str
    pipeline_description: str | None
    role_arn: str
    parallelism: int | None
    display_name: str | None = None
    description: str | None = None
    last_execution_arn: str | None = None
    aliases: list[str] = field(default_factory=list)

    def to_summary(self, pipeline_arn: str) -> dict[str, Any]:
        """The ``PipelineVersionSummary`` of ListPipelineVersions."""
        item: dict[str, Any] = {
            "PipelineArn": pipeline_arn,
            "PipelineVersionId": self.version_id,
            "CreationTime": self.creation_time,
        }
        if self.description is not None:
            item["PipelineVersionDescription"] = self.description
        if self.display_name is not None:
            item["PipelineVersionDisplayName"] = self.display_name
        if self.last_execution_arn:
            item["LastExecutionPipelineExecutionArn"] = self.last_execution_arn
        if self.aliases:
            item["PipelineVersionAliases"] = list(self.aliases)
        return item


@dataclass
class Pipeline:
    """A pipeline (``DescribePipelineResponse``) with its versions, executions and tags."""

    name: str
    arn: str
    creation_time: datetime
    versions: list[PipelineVersion]
    last_modified_time: datetime
    last_run_time: datetime | None = None
    status: str = "Active"
    tags: list[dict[str, str]] = field(default_factory=list)
    executions: dict[str, Execution] = field(default_factory=dict)
    #: Successful runs of its cache-enabled steps (scoped to the pipeline, DG step caching).
    step_cache: StepCache = field(default_factory=StepCache)

    @property
    def latest(self) -> PipelineVersion:
        """The newest version (what new executions run by default)."""
        return self.versions[-1]

    def version(self, version_id: int | None) -> PipelineVersion:
        """A version by id (``None``: the latest); ResourceNotFound if unknown."""
        if version_id is None:
            return self.latest
        for version in self.versions:
            if version.version_id == version_id:
                return version
        raise ResourceNotFound(
            f"Pipeline version {version_id} of pipeline {self.arn} does not exist."
        )

    def alias_owner(self, alias: str) -> PipelineVersion | None:
        """The version that has ``alias`` now, if any (an alias is unique within a pipeline)."""
        for version in self.versions:
            if alias in version.aliases:
                return version
        return None

    def describe(self, version: PipelineVersion) -> dict[str, Any]:
        """The DescribePipeline response for one of its versions."""
        result: dict[str, Any] = {
            "PipelineArn": self.arn,
            "PipelineName": self.name,
            "PipelineDisplayName": version.pipeline_display_name,
            "PipelineDefinition": version.definition,
            "RoleArn": version.role_arn,
            "PipelineStatus": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            "CreatedBy": {},
            "LastModifiedBy": {},
        }
        if version.pipeline_description is not None:
            result["PipelineDescription"] = version.pipeline_description
        if self.last_run_time is not None:
            result["LastRunTime"] = self.last_run_time
        if version.parallelism is not None:
            result["ParallelismConfiguration"] = {"MaxParallelExecutionSteps": version.parallelism}
        if version.display_name is not None:
            result["PipelineVersionDisplayName"] = version.display_name
        if version.description is not None:
            result["PipelineVersionDescription"] = version.description
        if version.aliases:
            result["PipelineVersionAliases"] = list(version.aliases)
        return result

    def to_summary(self) -> dict[str, Any]:
        """The ``PipelineSummary`` of ListPipelines."""
        latest = self.latest
        item: dict[str, Any] = {
            "PipelineArn": self.arn,
            "PipelineName": self.name,
            "PipelineDisplayName": latest.pipeline_display_name,
            "RoleArn": latest.role_arn,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
        }
        if latest.pipeline_description is not None:
            item["PipelineDescription"] = latest.pipeline_description
        if self.last_run_time is not None:
            item["LastExecutionTime"] = self.last_run_time
        return item
