"""Execution actions: StartPipelineExecution, DescribePipelineExecution,
ListPipelineExecutions, ListPipelineExecutionSteps, DescribePipelineDefinitionForExecution,
ListPipelineParametersForExecution, UpdatePipelineExecution, StopPipelineExecution and
RetryPipelineExecution.

Each method is the snake_case name of its action and names the API reference page it
implements (``shared/spec/sagemaker-pipelines-semantics.md`` sections 3, 4, 8 and 11). The
backend creates the :class:`~mock_sagemaker_pipelines.engine.execution.Execution`, plugs in its
listener (EventBridge events) and its callback registry, and the engine runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ..definition import StepGraph
from ..engine.execution import Execution
from ..exceptions import ConflictException, ResourceLimitExceeded, ValidationException
from .aliases import version_for
from .common import in_window, page_result, paginate
from .core import BackendCore
from .selective import plan_selective_execution

if TYPE_CHECKING:
    from ..engine.listener import CallbackRegistry


class ExecutionActions(BackendCore):
    """The execution actions."""

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
        pipeline_version_alias: str | None = None,
        role_arn: str | None = None,
    ) -> dict[str, Any]:
        """StartPipelineExecution (API_StartPipelineExecution): a new ``Executing`` execution.

        The version is the latest, or the one ``PipelineVersionId`` or ``PipelineVersionAlias``
        names (not both: ValidationException). ``RoleArn`` is only for pipelines that AWS
        manages; every pipeline here is the caller's own, so it is a ValidationException.

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
            "alias": pipeline_version_alias,
            "role": role_arn,
        }
        cached = self.idempotency.replay(
            "StartPipelineExecution", client_request_token, fingerprint, ValidationException
        )
        if cached is not None:
            return cached
        if role_arn is not None:
            raise ValidationException(
                "RoleArn can't be specified for a pipeline that you create: its executions use "
                "the pipeline's role. Specify RoleArn only for pipelines that AWS manages."
            )
        version = version_for(pipeline, pipeline_version_id, pipeline_version_alias)
        parameters, parameter_list = self._resolve_parameters(
            version.graph, pipeline_parameters or []
        )
        selective = None
        if selective_execution_config:
            source_arn = selective_execution_config.get("SourcePipelineExecutionArn")
            selective = plan_selective_execution(
                selective_execution_config,
                version.graph,
                pipeline.arn,
                self.get_execution(source_arn) if source_arn else None,
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
            sim,
            account_id=self.account_id,
            region_name=self.region_name,
            listener=self.events,
            callbacks=cast("CallbackRegistry", self),  # PipelinesBackend mixes CallbackActions in
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
            step_cache=pipeline.step_cache,
            selective=selective,
        )
        self.executions[arn] = execution
        pipeline.executions[arn] = execution
        pipeline.last_run_time = execution.creation_time
        version.last_execution_arn = arn
        response = {"PipelineExecutionArn": arn}
        self.idempotency.remember(
            "StartPipelineExecution", client_request_token, fingerprint, response
        )
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
            if given[name] == "":
                # The service refuses an empty value at start (sdk issue #4016), although a
                # definition's DefaultValue may be "".
                raise ValidationException(
                    '[string "" is too short (length: 0, required minimum: 1)]'
                )
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

    def describe_pipeline_execution(self, pipeline_execution_arn: str) -> dict[str, Any]:
        """DescribePipelineExecution (API_DescribePipelineExecution).

        ``PipelineVersionAliases`` are the aliases its version has now, not when it started.
        """
        execution = self.get_execution(pipeline_execution_arn)
        return self._with_aliases(execution, execution.to_describe())

    def _with_aliases(self, execution: Execution, shape: dict[str, Any]) -> dict[str, Any]:
        """``shape`` with the aliases the execution's pipeline version has now (if any)."""
        pipeline = self.pipelines.get(execution.pipeline_name)
        if pipeline is not None:
            for version in pipeline.versions:
                if version.version_id == execution.version_id and version.aliases:
                    shape["PipelineVersionAliases"] = list(version.aliases)
        return shape

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
        pipeline_version_alias: str | None = None,
    ) -> dict[str, Any]:
        """ListPipelineExecutions (API_ListPipelineExecutions): newest first by default.

        ``PipelineVersionAlias`` keeps the executions of the version that has the alias now
        (ResourceNotFound if none has it).
        """
        pipeline = self.get_pipeline(pipeline_name)
        version_id = (
            version_for(pipeline, None, pipeline_version_alias).version_id
            if pipeline_version_alias is not None
            else None
        )
        items = [
            e
            for e in pipeline.executions.values()
            if in_window(e.creation_time, created_after, created_before)
            and (version_id is None or e.version_id == version_id)
        ]
        order = {arn: i for i, arn in enumerate(pipeline.executions)}
        if sort_by == "PipelineExecutionArn":
            items.sort(key=lambda e: e.arn)
        else:
            items.sort(key=lambda e: (e.creation_time, order[e.arn]))
        if sort_order != "Ascending":
            items.reverse()
        page, token = paginate(items, max_results, next_token)
        return page_result(
            "PipelineExecutionSummaries",
            [self._with_aliases(e, e.to_summary()) for e in page],
            token,
        )

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
        return page_result("PipelineExecutionSteps", [r.to_api() for r in page], token)

    def describe_pipeline_definition_for_execution(
        self, pipeline_execution_arn: str
    ) -> dict[str, Any]:
        """DescribePipelineDefinitionForExecution: the definition version the execution runs."""
        execution = self.get_execution(pipeline_execution_arn)
        return {
            "PipelineDefinition": execution.definition,
            "CreationTime": execution.definition_time,
        }

    def list_pipeline_parameters_for_execution(
        self,
        pipeline_execution_arn: str,
        next_token: str | None = None,
        max_results: int | None = None,
    ) -> dict[str, Any]:
        """ListPipelineParametersForExecution: every declared parameter with its effective value."""
        execution = self.get_execution(pipeline_execution_arn)
        page, token = paginate(execution.parameter_list, max_results, next_token)
        return page_result("PipelineParameters", page, token)

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

    def stop_pipeline_execution(
        self, pipeline_execution_arn: str, client_request_token: str | None
    ) -> dict[str, Any]:
        """StopPipelineExecution (API_StopPipelineExecution).

        Only an ``Executing`` execution can be stopped (ValidationException "Only pipelines with
        'Executing' status can be stopped"); ResourceNotFound for an unknown execution. The
        same ClientRequestToken and ARN return the first response and do nothing more; the same
        token with another ARN is a ValidationException (spec sections 8 and 14).
        """
        cached = self.idempotency.replay(
            "StopPipelineExecution",
            client_request_token,
            {"arn": pipeline_execution_arn},
            ValidationException,
        )
        if cached is not None:
            return cached
        execution = self.get_execution(pipeline_execution_arn)
        if execution.status != "Executing":
            raise ValidationException("Only pipelines with 'Executing' status can be stopped")
        response = {"PipelineExecutionArn": execution.arn}
        self.idempotency.remember(
            "StopPipelineExecution", client_request_token, {"arn": pipeline_execution_arn}, response
        )
        execution.request_stop()
        return response

    def retry_pipeline_execution(
        self,
        pipeline_execution_arn: str,
        client_request_token: str | None,
        parallelism_configuration: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """RetryPipelineExecution (API_RetryPipelineExecution; spec section 11.1).

        Only a ``Failed`` or ``Stopped`` execution that did not end in a Fail step can be retried
        (ValidationException otherwise); the same execution ARN goes back to ``Executing``.
        ResourceNotFound for an unknown execution; the same ClientRequestToken and ARN return the
        first response and do nothing more.
        """
        fingerprint = {"arn": pipeline_execution_arn, "parallelism": parallelism_configuration}
        cached = self.idempotency.replay(
            "RetryPipelineExecution", client_request_token, fingerprint
        )
        if cached is not None:
            return cached
        execution = self.get_execution(pipeline_execution_arn)
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
        self.idempotency.remember(
            "RetryPipelineExecution", client_request_token, fingerprint, response
        )
        execution.retry((parallelism_configuration or {}).get("MaxParallelExecutionSteps"))
        return response
