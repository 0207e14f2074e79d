"""The pipelines backend: every pipeline, version, execution, callback token and tag, per account and region.

One owner of pipeline state (``shared/DESIGN.md``): :data:`pipelines_backends` is a moto
``BackendDict`` keyed by account id and region, so moto's own reset (``mock_aws`` start/stop,
``/moto-api/reset``) wipes it and accounts and regions never see each other's pipelines.

Behaviour follows ``shared/spec/sagemaker-pipelines-semantics.md`` sections 1-3 (operations,
identifiers, errors), 4 (statuses), 6 (callbacks) and 8 (StopPipelineExecution); each method
names the API reference page it implements.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._moto import BackendDict, BaseBackend, peers
from .definition import DefinitionError, StepGraph, parse_definition
from .engine import simulation as simulation_module
from .engine.execution import Execution, StepRun
from .engine.steps import CallbackStep, convert_output
from .exceptions import (
    ConflictException,
    ResourceLimitExceeded,
    ResourceNotFound,
    ValidationException,
)
from .validation import validate_request

PIPELINE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z\-]*):sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}|aws):pipeline/(?P<name>[^/]+)$"
)
EXECUTION_ARN = re.compile(
    r"^arn:aws[a-z\-]*:sagemaker:(?P<region>[a-z0-9\-]*):(?P<account>[0-9]{12}):pipeline/"
    r"(?P<name>[^/]+)/execution/(?P<id>[^/]+)$"
)
DEFAULT_MAX_RESULTS = 100


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

    def describe(self, version_id: int | None) -> dict[str, Any]:
        """The DescribePipeline response (optionally of one version)."""
        version = self.version(version_id)
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


def paginate(
    items: list[Any], max_results: int | None, next_token: str | None
) -> tuple[list[Any], str | None]:
    """Cut a page out of ``items``; the token is an opaque offset.

    Raises ValidationException for a token this backend did not issue.
    """
    start = 0
    if next_token:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(next_token.encode()).decode())
            start = int(decoded["offset"])
            if start < 0:
                raise ValueError(start)
        except (
            ValueError,
            KeyError,
            TypeError,
            OverflowError,
            binascii.Error,
            UnicodeDecodeError,
        ) as exc:
            raise ValidationException(f"Invalid pagination token: {next_token}") from exc
    size = DEFAULT_MAX_RESULTS if max_results is None else int(max_results)
    page = items[start : start + size]
    end = start + size
    token = None
    if end < len(items):
        token = base64.urlsafe_b64encode(json.dumps({"offset": end}).encode()).decode()
    return page, token


def _as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    text = str(value)
    try:
        return datetime.fromtimestamp(float(text), tz=timezone.utc)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationException(f"Invalid timestamp: {text}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _in_window(when: datetime, after: Any, before: Any) -> bool:
    lo, hi = _as_datetime(after), _as_datetime(before)
    return (lo is None or when > lo) and (hi is None or when < hi)


class PipelinesBackend(BaseBackend):
    """SageMaker Pipelines state of one account and region.

    Stores: ``pipelines`` (name -> :class:`Pipeline`), ``executions`` (ARN -> :class:`Execution`),
    ``callbacks`` (CallbackToken -> the waiting :class:`StepRun`), ``idempotency``
    ((operation, ClientRequestToken) -> (request fingerprint, response)).
    """

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.pipelines: dict[str, Pipeline] = {}
        self.executions: dict[str, Execution] = {}
        self.callbacks: dict[str, StepRun] = {}
        #: CallbackToken -> (ClientRequestToken, request fingerprint, response) of its answer.
        self.callback_answers: dict[str, tuple[str | None, str, dict[str, Any]]] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}

    def reset(self) -> None:
        """moto's reset: forget the scheduled events of every execution, then all state."""
        for execution in getattr(self, "executions", {}).values():
            execution.kill()
        super().reset()

    # ------------------------------------------------------------- helpers
    @property
    def simulation(self) -> simulation_module.Simulation:
        """The simulation (clock, scheduler, scripts) this backend runs executions on."""
        return simulation_module.current()

    def now(self) -> datetime:
        """Simulated now (UTC)."""
        return self.simulation.clock.now()

    def pipeline_arn(self, name: str) -> str:
        """``arn:aws:sagemaker:<region>:<account>:pipeline/<name>``."""
        return (
            f"arn:{self.partition}:sagemaker:{self.region_name}:{self.account_id}:pipeline/{name}"
        )

    def _idempotent(
        self,
        operation: str,
        token: str | None,
        fingerprint: Any,
        mismatch: type[Exception] = ValidationException,
    ) -> dict[str, Any] | None:
        """The remembered response of ``(operation, token)``, or None if the token is new.

        The same token with a different request raises ``mismatch`` (spec sections 3.1 and 14:
        ValidationException for the pipeline-level operations).
        """
        if not token:
            return None
        cached = self.idempotency.get((operation, token))
        if cached is None:
            return None
        stored_fingerprint, response = cached
        if stored_fingerprint != json.dumps(fingerprint, sort_keys=True, default=str):
            raise mismatch(
                f"The ClientRequestToken {token} was already used for a different {operation} request."
            )
        return dict(response)

    def _remember(
        self, operation: str, token: str | None, fingerprint: Any, response: dict[str, Any]
    ) -> None:
        if token:
            self.idempotency[(operation, token)] = (
                json.dumps(fingerprint, sort_keys=True, default=str),
                dict(response),
            )

    def get_pipeline(self, name_or_arn: str) -> Pipeline:
        """A pipeline by name or ARN; ResourceNotFound (message ending ``does not exist.``)."""
        name = str(name_or_arn)
        match = PIPELINE_ARN.match(name)
        if match:
            if (
                match.group("partition") != self.partition
                or match.group("region") != self.region_name
                or match.group("account") not in (self.account_id, "aws")
            ):
                raise ResourceNotFound(f"Pipeline '{name}' does not exist.")
            name = match.group("name")
        pipeline = self.pipelines.get(name)
        if pipeline is None:
            raise ResourceNotFound(f"Pipeline '{self.pipeline_arn(name)}' does not exist.")
        return pipeline

    def get_execution(self, arn: str | None) -> Execution:
        """An execution by ARN; ResourceNotFound if unknown (or of another account/region)."""
        if not arn:
            raise ValidationException(
                "1 validation error detected: Value null at 'pipelineExecutionArn' failed to "
                "satisfy constraint: Member must not be null"
            )
        execution = self.executions.get(str(arn))
        if execution is None:
            raise ResourceNotFound(f"Pipeline execution '{arn}' does not exist.")
        return execution

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
                    self.account_id, bucket, key, s3_location.get("VersionId")
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
            graph = parse_definition(definition)
        except DefinitionError as exc:
            raise ValidationException(str(exc)) from exc
        return definition, graph

    # ------------------------------------------------------------ pipelines
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
    ) -> dict[str, Any]:
        """CreatePipeline (API_CreatePipeline): a new pipeline at version 1.

        ValidationException for a duplicate name ("... already exists.") or a bad definition;
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
        }
        cached = self._idempotent(
            "CreatePipeline", client_request_token, fingerprint, ValidationException
        )
        if cached is not None:
            return cached
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
        self._remember("CreatePipeline", client_request_token, fingerprint, response)
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
    ) -> dict[str, Any]:
        """UpdatePipeline (API_UpdatePipeline): every update makes a new PipelineVersionId.

        Executions already running keep the version they started with. ResourceNotFound for an
        unknown pipeline; ValidationException for a bad definition.
        """
        pipeline = self.get_pipeline(pipeline_name)
        latest = pipeline.latest
        if pipeline_definition is not None or pipeline_definition_s3_location is not None:
            definition, graph = self._load_definition(
                pipeline_definition, pipeline_definition_s3_location
            )
        else:
            definition, graph = latest.definition, latest.graph
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
        )
        pipeline.versions.append(version)
        pipeline.last_modified_time = now
        return {"PipelineArn": pipeline.arn, "PipelineVersionId": version.version_id}

    def describe_pipeline(
        self, pipeline_name: str, pipeline_version_id: int | None = None
    ) -> dict[str, Any]:
        """DescribePipeline (API_DescribePipeline): by name or ARN, optionally one version."""
        return self.get_pipeline(pipeline_name).describe(pipeline_version_id)

    def delete_pipeline(
        self, pipeline_name: str, client_request_token: str | None
    ) -> dict[str, Any]:
        """DeletePipeline (API_DeletePipeline): refused with ConflictException while an execution runs.

        All executions of the pipeline are deleted with it. The same ClientRequestToken returns
        the first response again.
        """
        cached = self._idempotent(
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
            execution.kill()
            self.executions.pop(execution.arn, None)
        del self.pipelines[pipeline.name]
        response = {"PipelineArn": pipeline.arn}
        self._remember("DeletePipeline", client_request_token, {"name": pipeline_name}, response)
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
    ) -> dict[str, Any]:
        """ListPipelines (API_ListPipelines): prefix and time filters, sort (CreationTime desc by default)."""
        pipelines = [
            p
            for p in self.pipelines.values()
            if (not pipeline_name_prefix or p.name.startswith(pipeline_name_prefix))
            and _in_window(p.creation_time, created_after, created_before)
        ]
        if sort_by == "Name":
            pipelines.sort(key=lambda p: p.name)
        else:
            created = {name: i for i, name in enumerate(self.pipelines)}  # ties: creation order
            pipelines.sort(key=lambda p: (p.creation_time, created[p.name]))
        if sort_order != "Ascending":
            pipelines.reverse()
        page, token = paginate(pipelines, max_results, next_token)
        result: dict[str, Any] = {"PipelineSummaries": [p.to_summary() for p in page]}
        if token:
            result["NextToken"] = token
        return result

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
            if _in_window(v.creation_time, created_after, created_before)
        ]
        if sort_order != "Ascending":
            versions = list(reversed(versions))
        page, token = paginate(versions, max_results, next_token)
        result: dict[str, Any] = {
            "PipelineVersionSummaries": [v.to_summary(pipeline.arn) for v in page]
        }
        if token:
            result["NextToken"] = token
        return result

    def update_pipeline_version(
        self,
        *,
        pipeline_arn: str,
        pipeline_version_id: int,
        pipeline_version_display_name: str | None = None,
        pipeline_version_description: str | None = None,
    ) -> dict[str, Any]:
        """UpdatePipelineVersion (API_UpdatePipelineVersion): a version's display name and description."""
        pipeline = self.get_pipeline(pipeline_arn)
        version = pipeline.version(pipeline_version_id)
        if pipeline_version_display_name is not None:
            version.display_name = pipeline_version_display_name
        if pipeline_version_description is not None:
            version.description = pipeline_version_description
        return {"PipelineArn": pipeline.arn, "PipelineVersionId": version.version_id}

    # ------------------------------------------------------------ executions
    def start_pipeline_execution(
        self,
        *,
        pipeline_name: str,
        client_request_token: str | None,
        pipeline_execution_display_name: str | None = None,
        pipeline_parameters: list[dict[str, str]] | None = None,
        pipeline_execution_description: str | None = None,
        parallelism_configuration: dict[str, Any] | None = None,
        selective_execution_config: dict[str, Any] | None = None,
        pipeline_version_id: int | None = None,
        mlflow_experiment_name: str | None = None,
    ) -> dict[str, Any]:
        """StartPipelineExecution (API_StartPipelineExecution): a new ``Executing`` execution.

        Parameters must be declared in the definition and parse as their declared type; missing
        ones take their DefaultValue (ValidationException otherwise). ResourceNotFound for an
        unknown pipeline or version. The same ClientRequestToken returns the same execution and
        starts nothing new; reused with different parameters it is a ValidationException.
        """
        pipeline = self.get_pipeline(pipeline_name)
        fingerprint = {
            "pipeline": pipeline.arn,
            "parameters": pipeline_parameters,
            "version": pipeline_version_id,
            "display_name": pipeline_execution_display_name,
            "description": pipeline_execution_description,
            "parallelism": parallelism_configuration,
            "selective": selective_execution_config,
            "mlflow": mlflow_experiment_name,
        }
        cached = self._idempotent(
            "StartPipelineExecution", client_request_token, fingerprint, ValidationException
        )
        if cached is not None:
            return cached
        version = pipeline.version(pipeline_version_id)
        parameters, parameter_list = self._resolve_parameters(
            version.graph, pipeline_parameters or []
        )
        if selective_execution_config:
            raise ValidationException(
                "SelectiveExecutionConfig is not supported by mock-sagemaker-pipelines yet."
            )
        self._check_concurrency()
        sim = self.simulation
        execution_id = sim.random_id(12)
        arn = f"{pipeline.arn}/execution/{execution_id}"
        while arn in self.executions:
            execution_id = sim.random_id(12)
            arn = f"{pipeline.arn}/execution/{execution_id}"
        parallelism = (parallelism_configuration or {}).get(
            "MaxParallelExecutionSteps", version.parallelism
        )
        execution = Execution(
            self,
            sim,
            arn=arn,
            pipeline_arn=pipeline.arn,
            pipeline_name=pipeline.name,
            version_id=version.version_id,
            graph=version.graph,
            definition=version.definition,
            definition_time=version.creation_time,
            parameters=parameters,
            parameter_list=parameter_list,
            display_name=pipeline_execution_display_name
            or f"execution-{int(sim.clock.now().timestamp() * 1000)}",
            description=pipeline_execution_description,
            parallelism=parallelism,
            role_arn=version.role_arn,
            selective_execution_config=selective_execution_config,
            mlflow_experiment_name=mlflow_experiment_name,
        )
        self.executions[arn] = execution
        pipeline.executions[arn] = execution
        pipeline.last_run_time = execution.creation_time
        version.last_execution_arn = arn
        response = {"PipelineExecutionArn": arn}
        self._remember("StartPipelineExecution", client_request_token, fingerprint, response)
        execution.begin()
        return response

    def _check_concurrency(self) -> None:
        """ResourceLimitExceeded when the concurrent-execution quota (if set) is used up."""
        limit = self.simulation.options.max_concurrent_executions
        if limit is not None:
            running = sum(1 for e in self.executions.values() if not e.terminal)
            if running >= limit:
                raise ResourceLimitExceeded(
                    "The account-level service limit 'Maximum number of concurrent pipeline "
                    f"executions' is {limit}, with current utilization of {running}."
                )

    def _resolve_parameters(
        self, graph: StepGraph, supplied: list[dict[str, str]]
    ) -> tuple[dict[str, Any], list[dict[str, str]]]:
        given: dict[str, str] = {}
        for item in supplied:
            name = str(item.get("Name"))
            if name in given:
                raise ValidationException(f"Parameter '{name}' is specified more than once.")
            if name not in graph.parameters:
                raise ValidationException(f"Unknown parameter '{name}'")
            given[name] = str(item.get("Value", ""))
        typed: dict[str, Any] = {}
        listed: list[dict[str, str]] = []
        for name, param in graph.parameters.items():
            if name in given:
                try:
                    typed[name] = param.coerce(given[name])
                except ValueError as exc:
                    raise ValidationException(
                        f"Value '{given[name]}' for parameter '{name}' is not valid: {exc}"
                    ) from exc
                listed.append({"Name": name, "Value": given[name]})
            elif param.has_default:
                typed[name] = param.default
                listed.append({"Name": name, "Value": param.render(param.default)})
            else:
                raise ValidationException(f"Parameter '{name}' is undefined.")
        return typed, listed

    def describe_pipeline_execution(self, arn: str) -> dict[str, Any]:
        """DescribePipelineExecution (API_DescribePipelineExecution)."""
        return self.get_execution(arn).to_describe()

    def list_pipeline_executions(
        self,
        *,
        pipeline_name: str,
        created_after: Any = None,
        created_before: Any = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> dict[str, Any]:
        """ListPipelineExecutions (API_ListPipelineExecutions): newest first by default."""
        pipeline = self.get_pipeline(pipeline_name)
        items = [
            e
            for e in pipeline.executions.values()
            if _in_window(e.creation_time, created_after, created_before)
        ]
        order = {arn: i for i, arn in enumerate(pipeline.executions)}
        if sort_by == "PipelineExecutionArn":
            items.sort(key=lambda e: e.arn)
        else:
            items.sort(key=lambda e: (e.creation_time, order[e.arn]))
        if sort_order != "Ascending":
            items.reverse()
        page, token = paginate(items, max_results, next_token)
        result: dict[str, Any] = {"PipelineExecutionSummaries": [e.to_summary() for e in page]}
        if token:
            result["NextToken"] = token
        return result

    def list_pipeline_execution_steps(
        self,
        *,
        pipeline_execution_arn: str | None,
        sort_order: str | None = None,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> dict[str, Any]:
        """ListPipelineExecutionSteps (API_ListPipelineExecutionSteps): started steps, newest first.

        Steps that never started (not yet scheduled, the untaken Condition branch, after a stop)
        are not listed.
        """
        execution = self.get_execution(pipeline_execution_arn)
        runs = execution.started_runs()
        if sort_order != "Ascending":
            runs.reverse()
        # The SageMaker SDK's list_steps() makes one call without MaxResults and expects every
        # step (spec section 3, paginators): without MaxResults the whole list is one page.
        page, token = paginate(runs, max_results or max(len(runs), 1), next_token)
        result: dict[str, Any] = {"PipelineExecutionSteps": [r.to_api() for r in page]}
        if token:
            result["NextToken"] = token
        return result

    def describe_pipeline_definition_for_execution(self, arn: str) -> dict[str, Any]:
        """DescribePipelineDefinitionForExecution: the definition version the execution runs."""
        execution = self.get_execution(arn)
        return {
            "PipelineDefinition": execution.definition,
            "CreationTime": execution.definition_time,
        }

    def list_pipeline_parameters_for_execution(
        self, arn: str, next_token: str | None = None, max_results: int | None = None
    ) -> dict[str, Any]:
        """ListPipelineParametersForExecution: every declared parameter with its effective value."""
        execution = self.get_execution(arn)
        page, token = paginate(execution.parameter_list, max_results, next_token)
        result: dict[str, Any] = {"PipelineParameters": page}
        if token:
            result["NextToken"] = token
        return result

    def update_pipeline_execution(
        self,
        *,
        pipeline_execution_arn: str,
        pipeline_execution_description: str | None = None,
        pipeline_execution_display_name: str | None = None,
        parallelism_configuration: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """UpdatePipelineExecution: description, display name, and (while running) parallelism.

        ConflictException when ParallelismConfiguration is changed on a finished execution.
        """
        execution = self.get_execution(pipeline_execution_arn)
        if parallelism_configuration is not None and execution.terminal:
            raise ConflictException(
                f"Pipeline execution {execution.arn} is {execution.status}; its "
                "ParallelismConfiguration can no longer be updated."
            )
        if pipeline_execution_description is not None:
            execution.description = pipeline_execution_description
        if pipeline_execution_display_name is not None:
            execution.display_name = pipeline_execution_display_name
        execution.touch()
        if parallelism_configuration is not None:
            execution.set_parallelism(parallelism_configuration.get("MaxParallelExecutionSteps"))
        return {"PipelineExecutionArn": execution.arn}

    def stop_pipeline_execution(self, arn: str, client_request_token: str | None) -> dict[str, Any]:
        """StopPipelineExecution (API_StopPipelineExecution).

        Only an ``Executing`` execution can be stopped (ValidationException "Only pipelines with
        'Executing' status can be stopped"); ResourceNotFound for an unknown execution. The
        same ClientRequestToken and ARN return the first response and do nothing more; the same
        token with another ARN is a ValidationException (spec sections 8 and 14).
        """
        cached = self._idempotent(
            "StopPipelineExecution", client_request_token, {"arn": arn}, ValidationException
        )
        if cached is not None:
            return cached
        execution = self.get_execution(arn)
        if execution.status != "Executing":
            raise ValidationException("Only pipelines with 'Executing' status can be stopped")
        response = {"PipelineExecutionArn": execution.arn}
        self._remember("StopPipelineExecution", client_request_token, {"arn": arn}, response)
        execution.request_stop()
        return response

    def retry_pipeline_execution(
        self,
        arn: str,
        client_request_token: str | None,
        parallelism_configuration: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """RetryPipelineExecution (API_RetryPipelineExecution; spec section 11.1).

        Only a ``Failed`` or ``Stopped`` execution that did not end in a Fail step can be retried
        (ValidationException otherwise); the same execution ARN goes back to ``Executing``.
        ResourceNotFound for an unknown execution; the same ClientRequestToken and ARN return the
        first response and do nothing more.
        """
        fingerprint = {"arn": arn, "parallelism": parallelism_configuration}
        cached = self._idempotent("RetryPipelineExecution", client_request_token, fingerprint)
        if cached is not None:
            return cached
        execution = self.get_execution(arn)
        self._check_concurrency()
        if execution.status not in ("Failed", "Stopped"):
            raise ValidationException(
                f"Pipeline execution {execution.arn} is in '{execution.status}' status. Only "
                "pipeline executions with 'Failed' or 'Stopped' status can be retried."
            )
        if execution.ended_in_fail_step:
            raise ValidationException(
                f"Pipeline execution {execution.arn} ended with a Fail step and cannot be retried."
            )
        response = {"PipelineExecutionArn": execution.arn}
        self._remember("RetryPipelineExecution", client_request_token, fingerprint, response)
        execution.retry((parallelism_configuration or {}).get("MaxParallelExecutionSteps"))
        return response

    # ------------------------------------------------------------ callbacks
    def register_callback(self, token: str, run: StepRun) -> None:
        """Remember which step waits on ``token``."""
        self.callbacks[token] = run

    def _callback_run(
        self, token: str, request_token: str | None, fingerprint: str
    ) -> tuple[StepRun | None, dict[str, Any] | None]:
        """The step waiting on ``token``, or ``(None, first response)`` for an idempotent replay.

        The request is checked against the operation's input shape first (the same checks for
        the API and for the controller's scripted answers). A replay is the same operation with
        the same parameters and the same ClientRequestToken; anything else on an answered token
        is a ConflictException.
        """
        run = self.callbacks.get(token)
        if run is None:
            raise ResourceNotFound(f"Callback token '{token}' does not exist.")
        answered = self.callback_answers.get(token)
        if answered is not None:
            first_token, first_fingerprint, response = answered
            if request_token and request_token == first_token and fingerprint == first_fingerprint:
                return None, dict(response)
            raise ConflictException(
                f"Callback token '{token}' has already been used: the step "
                f"{run.name} is {run.status}."
            )
        if not run.active or not run.execution.alive:
            raise ConflictException(
                f"Callback token '{token}' can no longer be used: the step {run.name} is {run.status}."
            )
        return run, None

    def send_pipeline_execution_step_success(
        self,
        callback_token: str,
        output_parameters: list[dict[str, str]] | None,
        client_request_token: str | None,
    ) -> dict[str, Any]:
        """SendPipelineExecutionStepSuccess (API_SendPipelineExecutionStepSuccess).

        Outputs must be declared by the Callback step and convert to their OutputType
        (ValidationException otherwise, no state change). ResourceNotFound for an unknown token;
        ConflictException for a token already answered, unless the same ClientRequestToken is
        replayed (then the first response again).
        """
        params: dict[str, Any] = {"CallbackToken": callback_token}
        if output_parameters is not None:
            params["OutputParameters"] = output_parameters
        if client_request_token is not None:
            params["ClientRequestToken"] = client_request_token
        validate_request("SendPipelineExecutionStepSuccess", params)
        fingerprint = _callback_fingerprint("success", output_parameters or [])
        run, replay = self._callback_run(callback_token, client_request_token, fingerprint)
        if replay is not None:
            return replay
        assert run is not None
        declared = {d.name: d for d in run.step.output_parameters}
        outputs: dict[str, Any] = {}
        for item in output_parameters or []:
            name = str(item.get("Name"))
            value = item.get("Value", "")
            if name in outputs:
                raise ValidationException(f"Output parameter '{name}' is specified more than once.")
            if name not in declared:
                raise ValidationException(
                    f"Output parameter '{name}' is not declared by callback step '{run.name}'. "
                    f"Declared output parameters: {sorted(declared) or 'none'}."
                )
            try:
                outputs[name] = convert_output(declared[name], value)
            except ValueError as exc:
                raise ValidationException(
                    f"Output parameter '{name}' of callback step '{run.name}' must be of type "
                    f"{declared[name].type}: {exc}"
                ) from exc
        response = {"PipelineExecutionArn": run.execution.arn}
        self.callback_answers[callback_token] = (client_request_token, fingerprint, response)
        kind = run.kind
        assert isinstance(kind, CallbackStep)
        run.cancel_event()
        kind.answered(run, True, outputs, None, list(output_parameters or []))
        return dict(response)

    def send_pipeline_execution_step_failure(
        self, callback_token: str, failure_reason: str | None, client_request_token: str | None
    ) -> dict[str, Any]:
        """SendPipelineExecutionStepFailure (API_SendPipelineExecutionStepFailure): the step fails with the reason."""
        params: dict[str, Any] = {"CallbackToken": callback_token}
        if failure_reason is not None:
            params["FailureReason"] = failure_reason
        if client_request_token is not None:
            params["ClientRequestToken"] = client_request_token
        validate_request("SendPipelineExecutionStepFailure", params)
        fingerprint = _callback_fingerprint("failure", failure_reason)
        run, replay = self._callback_run(callback_token, client_request_token, fingerprint)
        if replay is not None:
            return replay
        assert run is not None
        response = {"PipelineExecutionArn": run.execution.arn}
        self.callback_answers[callback_token] = (client_request_token, fingerprint, response)
        kind = run.kind
        assert isinstance(kind, CallbackStep)
        run.cancel_event()
        kind.answered(run, False, {}, failure_reason)
        return dict(response)

    # ------------------------------------------------------------ tags
    def owns_arn(self, arn: str) -> bool:
        """Whether ``arn`` is a pipeline or pipeline-execution ARN (tags on it are ours)."""
        return bool(PIPELINE_ARN.match(arn) or EXECUTION_ARN.match(arn))

    def _taggable(self, arn: str) -> list[dict[str, str]]:
        if EXECUTION_ARN.match(arn):
            execution = self.get_execution(arn)
            return execution.tags
        return self.get_pipeline(arn).tags

    def add_tags(self, arn: str, tags: list[dict[str, str]]) -> list[dict[str, str]]:
        """AddTags on a pipeline or execution ARN: a tag with an existing key replaces it (max 50)."""
        current = self._taggable(arn)
        merged = {t["Key"]: t.get("Value", "") for t in current}
        for tag in tags:
            merged[tag["Key"]] = tag.get("Value", "")
        if len(merged) > 50:
            raise ValidationException(
                f"Resource {arn} would have {len(merged)} tags; the maximum is 50."
            )
        current[:] = [{"Key": k, "Value": v} for k, v in merged.items()]
        return list(tags)

    def list_tags(
        self, arn: str, next_token: str | None, max_results: int | None
    ) -> dict[str, Any]:
        """ListTags on a pipeline or execution ARN."""
        page, token = paginate(self._taggable(arn), max_results, next_token)
        result: dict[str, Any] = {"Tags": page}
        if token:
            result["NextToken"] = token
        return result

    def delete_tags(self, arn: str, keys: list[str]) -> None:
        """DeleteTags on a pipeline or execution ARN."""
        current = self._taggable(arn)
        current[:] = [t for t in current if t["Key"] not in set(keys)]

    # ------------------------------------------------------------ events
    def _events_wanted(self) -> bool:
        """Whether an EventBridge rule exists that could receive events (else skip building them)."""
        return peers.events_wanted(self.account_id, self.region_name)

    def emit_execution_event(self, execution: Execution, previous: str | None) -> None:
        """EventBridge "SageMaker Model Building Pipeline Execution Status Change" (spec section 12)."""
        if not self.simulation.options.emit_events or not self._events_wanted():
            return
        detail: dict[str, Any] = {
            "currentPipelineExecutionStatus": execution.status,
            "executionStartTime": _iso(execution.creation_time),
            "pipelineArn": execution.pipeline_arn,
            "pipelineExecutionArn": execution.arn,
            "pipelineExecutionDisplayName": execution.display_name,
        }
        if previous is not None:
            detail["previousPipelineExecutionStatus"] = previous
        if execution.terminal:
            detail["executionEndTime"] = _iso(execution.last_modified_time)
        if execution.description is not None:
            detail["pipelineExecutionDescription"] = execution.description
        self._put_event(
            "SageMaker Model Building Pipeline Execution Status Change", execution, detail
        )

    def emit_step_event(self, execution: Execution, run: StepRun, previous: str | None) -> None:
        """EventBridge "SageMaker Model Building Pipeline Execution Step Status Change" (spec section 12)."""
        if not self.simulation.options.emit_events or not self._events_wanted():
            return
        detail: dict[str, Any] = {
            "stepName": run.name,
            "stepType": run.step.type,
            "currentStepStatus": run.status,
            "stepStartTime": _iso(run.start_time),
            "pipelineArn": execution.pipeline_arn,
            "pipelineExecutionArn": execution.arn,
            "metadata": {_lower_camel(k): _lower_keys(v) for k, v in run.metadata.items()},
        }
        if previous is not None:
            detail["previousStepStatus"] = previous
        if run.end_time is not None:
            detail["stepEndTime"] = _iso(run.end_time)
        if run.status == "Failed" and run.failure_reason:
            detail["failureReason"] = run.failure_reason
        self._put_event(
            "SageMaker Model Building Pipeline Execution Step Status Change", execution, detail
        )

    def _put_event(self, detail_type: str, execution: Execution, detail: dict[str, Any]) -> None:
        peers.put_events(
            self.account_id,
            self.region_name,
            [
                {
                    "Source": "aws.sagemaker",
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail),
                    "Resources": [execution.pipeline_arn, execution.arn],
                    "Time": self.now().timestamp(),  # moto renders a Unix time as ISO 8601
                }
            ],
        )


def _callback_fingerprint(operation: str, request: Any) -> str:
    """What a SendPipelineExecutionStep* replay must repeat: the operation and its parameters."""
    return json.dumps([operation, request], sort_keys=True, default=str)


def _iso(when: datetime | None) -> str | None:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def _lower_camel(key: str) -> str:
    return key[:1].lower() + key[1:]


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_lower_camel(k): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


#: Pipeline state per account id and region (joins moto's resets).
pipelines_backends = BackendDict(PipelinesBackend, "sagemaker")
