"""Pipeline actions: CreatePipeline, UpdatePipeline, DescribePipeline, DeletePipeline,
ListPipelines, ListPipelineVersions and UpdatePipelineVersion.

Each method is the snake_case name of its action and names the API reference page it
implements (``shared/spec/sagemaker-pipelines-semantics.md`` sections 1-3). A definition is
given inline or as ``PipelineDefinitionS3Location`` (read from moto's S3) and parsed by
:func:`~mock_sagemaker_pipelines.definition.parse_definition`; its problems are one
ValidationException.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._moto import peers
from ..definition import DefinitionError, StepGraph, parse_definition
from ..engine.simulation import DefinitionWarning
from ..exceptions import (
    ConflictException,
    ResourceLimitExceeded,
    ResourceNotFound,
    ValidationException,
)
from . import aliases as alias_rules
from .common import in_window, page_result, paginate
from .core import BackendCore
from .records import Pipeline, PipelineVersion

#: The longest PipelineName CreatePipeline accepts (the model says 256; sdk issue #2933).
MAX_PIPELINE_NAME_LENGTH = 82


class PipelineActions(BackendCore):
    """The pipeline and pipeline-version actions."""

    def _load_definition(
        self, definition: str | None, s3_location: dict[str, Any] | None
    ) -> tuple[str, StepGraph]:
        if definition is not None and s3_location is not None:
            raise ValidationException(
                "Both PipelineDefinition and PipelineDefinitionS3Location shouldn't be present."
            )
        if definition is None and s3_location is None:
            raise ValidationException(
                "Either PipelineDefinition or PipelineDefinitionS3Location should be provided."
            )
        if s3_location is not None:
            bucket = s3_location.get("Bucket")
            key = s3_location.get("ObjectKey")
            try:
                body = peers.read_s3_object(
                    self.account_id, str(bucket), str(key), s3_location.get("VersionId")
                )
            except peers.PeerError as exc:
                raise ResourceNotFound(
                    f"Failed to read the pipeline definition from s3://{bucket}/{key}: {exc}"
                ) from exc
            try:
                definition = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationException(
                    f"The pipeline definition at s3://{bucket}/{key} is not UTF-8 text."
                ) from exc
        assert definition is not None
        try:
            graph = parse_definition(
                definition, lenient=self.simulation.options.lenient_definitions
            )
        except DefinitionError as exc:
            raise ValidationException(str(exc)) from exc
        for warning in graph.warnings:
            warnings.warn(warning, DefinitionWarning, stacklevel=2)
        return definition, graph

    def create_pipeline(
        self,
        *,
        pipeline_name: str,
        role_arn: str,
        client_request_token: str | None,
        pipeline_display_name: str | None = None,
        pipeline_definition: str | None = None,
        pipeline_definition_s3_location: dict[str, Any] | None = None,
        pipeline_description: str | None = None,
        tags: list[dict[str, str]] | None = None,
        parallelism_configuration: dict[str, Any] | None = None,
        pipeline_version_aliases: list[str] | None = None,
    ) -> dict[str, Any]:
        """CreatePipeline (API_CreatePipeline): a new pipeline at version 1.

        ``PipelineVersionAliases`` go on version 1 (:mod:`.aliases` for their rules).
        ValidationException for a duplicate name ("... already exists."), a bad definition, a
        bad alias or two tags with one key ("Duplicate tag key", as SageMaker's other Create
        actions answer: sagemaker-python-sdk PR #3608; the model's ``Tag.Key``: "Tag keys must
        be unique per resource");
        ResourceNotFound for a missing S3 definition; ResourceLimitExceeded past 500 pipelines.
        The same ClientRequestToken with the same request returns the first response.
        """
        fingerprint = {
            "name": pipeline_name,
            "definition": pipeline_definition,
            "s3": pipeline_definition_s3_location,
            "role": role_arn,
            "display_name": pipeline_display_name,
            "description": pipeline_description,
            "tags": tags,
            "parallelism": parallelism_configuration,
            "aliases": pipeline_version_aliases,
        }
        cached = self.idempotency.replay(
            "CreatePipeline", client_request_token, fingerprint, ValidationException
        )
        if cached is not None:
            return cached
        if len(pipeline_name) > MAX_PIPELINE_NAME_LENGTH:
            # The service's own limit, below the model's 256 (sdk issue #2933).
            raise ValidationException(
                f'[string "{pipeline_name}" is too long (length: {len(pipeline_name)}, '
                f"maximum allowed: {MAX_PIPELINE_NAME_LENGTH})]"
            )
        keys = [tag.get("Key") for tag in tags or []]
        if len(set(keys)) < len(keys):
            raise ValidationException("Duplicate tag key")
        if pipeline_name in self.pipelines:
            raise ValidationException(
                "Pipeline names must be unique within an AWS account and region. "
                f"Pipeline with name ({pipeline_name}) already exists."
            )
        limit = self.simulation.options.max_pipelines
        if limit is not None and len(self.pipelines) >= limit:
            raise ResourceLimitExceeded(
                "The account-level service limit 'Maximum number of pipelines allowed per account' "
                f"is {limit} Pipelines, with current utilization of {len(self.pipelines)} Pipelines "
                "and a request delta of 1 Pipelines."
            )
        aliases = alias_rules.check_alias_names(
            pipeline_version_aliases or [], "PipelineVersionAliases"
        )
        definition, graph = self._load_definition(
            pipeline_definition, pipeline_definition_s3_location
        )
        now = self.now()
        arn = self.pipeline_arn(pipeline_name)
        version = PipelineVersion(
            version_id=1,
            definition=definition,
            graph=graph,
            creation_time=now,
            pipeline_display_name=pipeline_display_name or pipeline_name,
            pipeline_description=pipeline_description,
            role_arn=role_arn,
            parallelism=(parallelism_configuration or {}).get("MaxParallelExecutionSteps"),
            aliases=aliases,
        )
        self.pipelines[pipeline_name] = Pipeline(
            name=pipeline_name,
            arn=arn,
            creation_time=now,
            versions=[version],
            last_modified_time=now,
            tags=list(tags or []),
        )
        response = {"PipelineArn": arn}
        self.idempotency.remember("CreatePipeline", client_request_token, fingerprint, response)
        return response

    def update_pipeline(
        self,
        *,
        pipeline_name: str,
        pipeline_display_name: str | None = None,
        pipeline_definition: str | None = None,
        pipeline_definition_s3_location: dict[str, Any] | None = None,
        pipeline_description: str | None = None,
        role_arn: str | None = None,
        parallelism_configuration: dict[str, Any] | None = None,
        pipeline_version_aliases: list[str] | None = None,
    ) -> dict[str, Any]:
        """UpdatePipeline (API_UpdatePipeline): every update makes a new PipelineVersionId.

        Executions already running keep the version they started with. ``PipelineVersionAliases``
        go on the new version, and only when the update changes the definition
        (ValidationException otherwise); an alias another version has is a ConflictException
        (remove it there first, with UpdatePipelineVersion). ResourceNotFound for an unknown
        pipeline; ValidationException for a bad definition.
        """
        pipeline = self.get_pipeline(pipeline_name)
        latest = pipeline.latest
        aliases = alias_rules.check_alias_names(
            pipeline_version_aliases or [], "PipelineVersionAliases"
        )
        if pipeline_definition is not None or pipeline_definition_s3_location is not None:
            definition, graph = self._load_definition(
                pipeline_definition, pipeline_definition_s3_location
            )
        else:
            definition, graph = latest.definition, latest.graph
        if aliases and definition == latest.definition:
            raise ValidationException(
                "PipelineVersionAliases can be specified only when the update changes the "
                "pipeline definition. To change the aliases of an existing version, use "
                "UpdatePipelineVersion."
            )
        alias_rules.check_free(pipeline, aliases, None)
        now = self.now()
        version = PipelineVersion(
            version_id=latest.version_id + 1,
            definition=definition,
            graph=graph,
            creation_time=now,
            pipeline_display_name=pipeline_display_name or latest.pipeline_display_name,
            pipeline_description=(
                pipeline_description
                if pipeline_description is not None
                else latest.pipeline_description
            ),
            role_arn=role_arn or latest.role_arn,
            parallelism=(
                parallelism_configuration.get("MaxParallelExecutionSteps")
                if parallelism_configuration
                else latest.parallelism
            ),
            aliases=aliases,
        )
        pipeline.versions.append(version)
        pipeline.last_modified_time = now
        return {"PipelineArn": pipeline.arn, "PipelineVersionId": version.version_id}

    def describe_pipeline(
        self,
        pipeline_name: str,
        pipeline_version_id: int | None = None,
        pipeline_version_alias: str | None = None,
    ) -> dict[str, Any]:
        """DescribePipeline (API_DescribePipeline): by name or ARN, the latest or one version.

        The version is named by ``PipelineVersionId`` or ``PipelineVersionAlias``, not both
        (ValidationException); ResourceNotFound for an unknown one.
        """
        pipeline = self.get_pipeline(pipeline_name)
        version = alias_rules.version_for(pipeline, pipeline_version_id, pipeline_version_alias)
        return pipeline.describe(version)

    def delete_pipeline(
        self, pipeline_name: str, client_request_token: str | None
    ) -> dict[str, Any]:
        """DeletePipeline (API_DeletePipeline): refused with ConflictException while an execution runs.

        All executions of the pipeline are deleted with it. The same ClientRequestToken returns
        the first response again.
        """
        cached = self.idempotency.replay(
            "DeletePipeline", client_request_token, {"name": pipeline_name}, ValidationException
        )
        if cached is not None:
            return cached
        pipeline = self.get_pipeline(pipeline_name)
        running = [e for e in pipeline.executions.values() if not e.terminal]
        if running:
            raise ConflictException(
                f"Pipeline {pipeline.arn} has {len(running)} running execution(s). Stop all running "
                "executions of the pipeline with StopPipelineExecution before deleting it."
            )
        for execution in pipeline.executions.values():
            self.forget_execution(execution)
        self.idempotency.forget_pipeline(pipeline.arn)
        del self.pipelines[pipeline.name]
        response = {"PipelineArn": pipeline.arn}
        self.idempotency.remember(
            "DeletePipeline", client_request_token, {"name": pipeline_name}, response
        )
        return response

    def list_pipelines(
        self,
        *,
        pipeline_name_prefix: str | None = None,
        created_after: Any = None,
        created_before: Any = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
        managed_by: str | None = None,
    ) -> dict[str, Any]:
        """ListPipelines (API_ListPipelines): prefix and time filters, sort (CreationTime desc by default).

        ``ManagedBy``: every pipeline here is one the caller created, so ``AWS`` lists none and
        ``CUSTOMER`` (the default) lists them all.
        """
        pipelines = [
            p
            for p in (self.pipelines.values() if managed_by != "AWS" else ())
            if (not pipeline_name_prefix or p.name.startswith(pipeline_name_prefix))
            and in_window(p.creation_time, created_after, created_before)
        ]
        if sort_by == "Name":
            pipelines.sort(key=lambda p: p.name)
        else:
            created = {name: i for i, name in enumerate(self.pipelines)}  # ties: creation order
            pipelines.sort(key=lambda p: (p.creation_time, created[p.name]))
        if sort_order != "Ascending":
            pipelines.reverse()
        page, token = paginate(pipelines, max_results, next_token)
        return page_result("PipelineSummaries", [p.to_summary() for p in page], token)

    def list_pipeline_versions(
        self,
        *,
        pipeline_name: str,
        created_after: Any = None,
        created_before: Any = None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> dict[str, Any]:
        """ListPipelineVersions (API_ListPipelineVersions): newest first unless Ascending."""
        pipeline = self.get_pipeline(pipeline_name)
        versions = [
            v
            for v in pipeline.versions
            if in_window(v.creation_time, created_after, created_before)
        ]
        if sort_order != "Ascending":
            versions = list(reversed(versions))
        page, token = paginate(versions, max_results, next_token)
        return page_result(
            "PipelineVersionSummaries", [v.to_summary(pipeline.arn) for v in page], token
        )

    def update_pipeline_version(
        self,
        *,
        pipeline_arn: str,
        pipeline_version_id: int,
        pipeline_version_display_name: str | None = None,
        pipeline_version_description: str | None = None,
        pipeline_version_alias_operations: dict[str, list[str]] | None = None,
    ) -> dict[str, Any]:
        """UpdatePipelineVersion (API_UpdatePipelineVersion): a version's display name, description and aliases.

        ``PipelineVersionAliasOperations`` ``{"Add": [...], "Remove": [...]}`` is checked whole
        before anything changes (:func:`.aliases.apply_operations` lists the errors).
        """
        pipeline = self.get_pipeline(pipeline_arn)
        version = pipeline.version(pipeline_version_id)
        if pipeline_version_alias_operations is not None:
            version.aliases = alias_rules.apply_operations(
                pipeline,
                version,
                pipeline_version_alias_operations.get("Add"),
                pipeline_version_alias_operations.get("Remove"),
            )
        if pipeline_version_display_name is not None:
            version.display_name = pipeline_version_display_name
        if pipeline_version_description is not None:
            version.description = pipeline_version_description
        return {"PipelineArn": pipeline.arn, "PipelineVersionId": version.version_id}
