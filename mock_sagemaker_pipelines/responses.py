"""``PipelinesResponse``: moto's ``SageMakerResponse`` with the pipeline actions owned by this plugin.

moto maps ``X-Amz-Target: SageMaker.StopPipelineExecution`` to the method
``stop_pipeline_execution`` (``shared/spec/moto-plugin-and-peers.md`` section 1.3); every action not
defined here is inherited and still served by moto. Handlers only read parameters, validate the
request against the botocore model (:mod:`.validation`), call the backend under the simulation
lock, and shape the result; afterwards events due at the current simulated time run.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from ._moto import ActionResult, EmptyResult, SagemakerClientError, SageMakerResponse
from .backend import PipelinesBackend, pipelines_backends
from .engine import simulation as simulation_module
from .exceptions import SerializationException, UnknownOperationException, ValidationException
from .validation import validate_request

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _operation_names() -> frozenset[str]:
    """Every operation of the SageMaker service model (botocore)."""
    import botocore.session

    return frozenset(botocore.session.get_session().get_service_model("sagemaker").operation_names)


#: The SageMaker actions this plugin serves itself (the guard test checks moto defines none of
#: the ones moto lacks, and the rest are overridden on purpose).
OWNED_ACTIONS: tuple[str, ...] = (
    "CreatePipeline",
    "UpdatePipeline",
    "DescribePipeline",
    "DeletePipeline",
    "ListPipelines",
    "ListPipelineVersions",
    "UpdatePipelineVersion",
    "StartPipelineExecution",
    "DescribePipelineExecution",
    "ListPipelineExecutions",
    "ListPipelineExecutionSteps",
    "DescribePipelineDefinitionForExecution",
    "ListPipelineParametersForExecution",
    "UpdatePipelineExecution",
    "StopPipelineExecution",
    "RetryPipelineExecution",
    "SendPipelineExecutionStepSuccess",
    "SendPipelineExecutionStepFailure",
)


def action(operation: str, validate: bool = True) -> Callable[[F], F]:
    """Wrap a handler: model-driven validation, the simulation lock, due events, no HTTP 500s.

    ``validate=False`` for operations whose backend method validates the request itself (the
    callback answers, which scripted outcomes also send), so that it is checked once.

    Any unexpected Python error in the plugin becomes a ``ValidationException`` naming it, so that
    no request, however malformed, reaches the caller as a crash (logged with its traceback).
    """

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: PipelinesResponse, *args: Any, **kwargs: Any) -> Any:
            sim = simulation_module.current()
            with sim.lock:
                try:
                    if validate:
                        validate_request(operation, self.params or {})
                    result = method(self, *args, **kwargs)
                except SerializationException as exc:
                    # Not an error shape of the SageMaker model: moto would warn on serializing it.
                    return self._error_response(exc)
                except SagemakerClientError:
                    raise
                except Exception as exc:
                    logger.debug("mock-sagemaker-pipelines failed on %s", operation, exc_info=True)
                    raise ValidationException(
                        f"The request could not be processed: {type(exc).__name__}: {exc}"
                    ) from exc
                try:
                    sim.scheduler.run_due()
                except Exception:  # the call itself succeeded; a step's own failure is recorded
                    logger.debug("running due events after %s failed", operation, exc_info=True)
                return result

        return wrapper  # type: ignore[return-value]

    return decorate


class PipelinesResponse(SageMakerResponse):
    """moto's SageMaker responses, with SageMaker Pipelines served by :class:`PipelinesBackend`."""

    def _dispatch(self, request: Any, full_url: str | None = None, headers: Any = None) -> Any:
        """moto's dispatch, with a request moto cannot parse answered as AWS does (HTTP 400).

        A body that is not a JSON object, or a member of the wrong JSON type that moto's parser
        chokes on, gets ``SerializationException``; an ``X-Amz-Target`` the SageMaker model does
        not define gets ``UnknownOperationException`` (instead of moto's HTTP 500).
        """
        target = str(getattr(request, "headers", {}).get("X-Amz-Target") or "").rsplit(".", 1)[-1]
        if target and target not in _operation_names():
            return self._error_response(
                UnknownOperationException(f"The operation {target} is not supported by SageMaker.")
            )
        try:
            self.setup_class(request, full_url, headers)
        except Exception as exc:
            logger.debug("moto could not parse a SageMaker request", exc_info=True)
            return self._error_response(
                SerializationException(
                    f"The request body could not be read: {type(exc).__name__}: {exc}"
                )
            )
        return self.call_action()

    def _error_response(self, error: SagemakerClientError) -> Any:
        body = json.dumps({"__type": error.code, "message": error.message})
        # "status" is how moto's call_action reads the code of a tuple a handler returns.
        return 400, {"Content-Type": "application/x-amz-json-1.1", "status": "400"}, body

    @property
    def pipelines_backend(self) -> PipelinesBackend:
        """The backend of the caller's account and region."""
        return pipelines_backends[self.current_account][self.region]

    def _p(self, name: str) -> Any:
        return self._get_param(name)

    # ---------------------------------------------------------------- pipelines
    @action("CreatePipeline")
    def create_pipeline(self) -> ActionResult:
        """CreatePipeline: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreatePipeline.html"""
        return ActionResult(
            self.pipelines_backend.create_pipeline(
                pipeline_name=self._p("PipelineName"),
                role_arn=self._p("RoleArn"),
                client_request_token=self._p("ClientRequestToken"),
                pipeline_display_name=self._p("PipelineDisplayName"),
                pipeline_definition=self._p("PipelineDefinition"),
                pipeline_definition_s3_location=self._p("PipelineDefinitionS3Location"),
                pipeline_description=self._p("PipelineDescription"),
                tags=self._p("Tags"),
                parallelism_configuration=self._p("ParallelismConfiguration"),
            )
        )

    @action("UpdatePipeline")
    def update_pipeline(self) -> ActionResult:
        """UpdatePipeline: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdatePipeline.html"""
        return ActionResult(
            self.pipelines_backend.update_pipeline(
                pipeline_name=self._p("PipelineName"),
                pipeline_display_name=self._p("PipelineDisplayName"),
                pipeline_definition=self._p("PipelineDefinition"),
                pipeline_definition_s3_location=self._p("PipelineDefinitionS3Location"),
                pipeline_description=self._p("PipelineDescription"),
                role_arn=self._p("RoleArn"),
                parallelism_configuration=self._p("ParallelismConfiguration"),
            )
        )

    @action("DescribePipeline")
    def describe_pipeline(self) -> ActionResult:
        """DescribePipeline: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribePipeline.html"""
        return ActionResult(
            self.pipelines_backend.describe_pipeline(
                self._p("PipelineName"), self._p("PipelineVersionId")
            )
        )

    @action("DeletePipeline")
    def delete_pipeline(self) -> ActionResult:
        """DeletePipeline: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DeletePipeline.html"""
        return ActionResult(
            self.pipelines_backend.delete_pipeline(
                self._p("PipelineName"), self._p("ClientRequestToken")
            )
        )

    @action("ListPipelines")
    def list_pipelines(self) -> ActionResult:
        """ListPipelines: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelines.html"""
        return ActionResult(
            self.pipelines_backend.list_pipelines(
                pipeline_name_prefix=self._p("PipelineNamePrefix"),
                created_after=self._p("CreatedAfter"),
                created_before=self._p("CreatedBefore"),
                sort_by=self._p("SortBy"),
                sort_order=self._p("SortOrder"),
                next_token=self._p("NextToken"),
                max_results=self._p("MaxResults"),
            )
        )

    @action("ListPipelineVersions")
    def list_pipeline_versions(self) -> ActionResult:
        """ListPipelineVersions: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineVersions.html"""
        return ActionResult(
            self.pipelines_backend.list_pipeline_versions(
                pipeline_name=self._p("PipelineName"),
                created_after=self._p("CreatedAfter"),
                created_before=self._p("CreatedBefore"),
                sort_order=self._p("SortOrder"),
                next_token=self._p("NextToken"),
                max_results=self._p("MaxResults"),
            )
        )

    @action("UpdatePipelineVersion")
    def update_pipeline_version(self) -> ActionResult:
        """UpdatePipelineVersion: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdatePipelineVersion.html"""
        return ActionResult(
            self.pipelines_backend.update_pipeline_version(
                pipeline_arn=self._p("PipelineArn"),
                pipeline_version_id=self._p("PipelineVersionId"),
                pipeline_version_display_name=self._p("PipelineVersionDisplayName"),
                pipeline_version_description=self._p("PipelineVersionDescription"),
            )
        )

    # --------------------------------------------------------------- executions
    @action("StartPipelineExecution")
    def start_pipeline_execution(self) -> ActionResult:
        """StartPipelineExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StartPipelineExecution.html"""
        return ActionResult(
            self.pipelines_backend.start_pipeline_execution(
                pipeline_name=self._p("PipelineName"),
                client_request_token=self._p("ClientRequestToken"),
                pipeline_execution_display_name=self._p("PipelineExecutionDisplayName"),
                pipeline_parameters=self._p("PipelineParameters"),
                pipeline_execution_description=self._p("PipelineExecutionDescription"),
                parallelism_configuration=self._p("ParallelismConfiguration"),
                selective_execution_config=self._p("SelectiveExecutionConfig"),
                pipeline_version_id=self._p("PipelineVersionId"),
                mlflow_experiment_name=self._p("MlflowExperimentName"),
            )
        )

    @action("DescribePipelineExecution")
    def describe_pipeline_execution(self) -> ActionResult:
        """DescribePipelineExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribePipelineExecution.html"""
        return ActionResult(
            self.pipelines_backend.describe_pipeline_execution(self._p("PipelineExecutionArn"))
        )

    @action("ListPipelineExecutions")
    def list_pipeline_executions(self) -> ActionResult:
        """ListPipelineExecutions: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineExecutions.html"""
        return ActionResult(
            self.pipelines_backend.list_pipeline_executions(
                pipeline_name=self._p("PipelineName"),
                created_after=self._p("CreatedAfter"),
                created_before=self._p("CreatedBefore"),
                sort_by=self._p("SortBy"),
                sort_order=self._p("SortOrder"),
                next_token=self._p("NextToken"),
                max_results=self._p("MaxResults"),
            )
        )

    @action("ListPipelineExecutionSteps")
    def list_pipeline_execution_steps(self) -> ActionResult:
        """ListPipelineExecutionSteps: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineExecutionSteps.html"""
        return ActionResult(
            self.pipelines_backend.list_pipeline_execution_steps(
                pipeline_execution_arn=self._p("PipelineExecutionArn"),
                sort_order=self._p("SortOrder"),
                next_token=self._p("NextToken"),
                max_results=self._p("MaxResults"),
            )
        )

    @action("DescribePipelineDefinitionForExecution")
    def describe_pipeline_definition_for_execution(self) -> ActionResult:
        """DescribePipelineDefinitionForExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribePipelineDefinitionForExecution.html"""
        return ActionResult(
            self.pipelines_backend.describe_pipeline_definition_for_execution(
                self._p("PipelineExecutionArn")
            )
        )

    @action("ListPipelineParametersForExecution")
    def list_pipeline_parameters_for_execution(self) -> ActionResult:
        """ListPipelineParametersForExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineParametersForExecution.html"""
        return ActionResult(
            self.pipelines_backend.list_pipeline_parameters_for_execution(
                self._p("PipelineExecutionArn"), self._p("NextToken"), self._p("MaxResults")
            )
        )

    @action("UpdatePipelineExecution")
    def update_pipeline_execution(self) -> ActionResult:
        """UpdatePipelineExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdatePipelineExecution.html"""
        return ActionResult(
            self.pipelines_backend.update_pipeline_execution(
                pipeline_execution_arn=self._p("PipelineExecutionArn"),
                pipeline_execution_description=self._p("PipelineExecutionDescription"),
                pipeline_execution_display_name=self._p("PipelineExecutionDisplayName"),
                parallelism_configuration=self._p("ParallelismConfiguration"),
            )
        )

    @action("StopPipelineExecution")
    def stop_pipeline_execution(self) -> ActionResult:
        """StopPipelineExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StopPipelineExecution.html"""
        return ActionResult(
            self.pipelines_backend.stop_pipeline_execution(
                self._p("PipelineExecutionArn"), self._p("ClientRequestToken")
            )
        )

    @action("RetryPipelineExecution")
    def retry_pipeline_execution(self) -> ActionResult:
        """RetryPipelineExecution: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RetryPipelineExecution.html"""
        return ActionResult(
            self.pipelines_backend.retry_pipeline_execution(
                self._p("PipelineExecutionArn"),
                self._p("ClientRequestToken"),
                self._p("ParallelismConfiguration"),
            )
        )

    @action("SendPipelineExecutionStepSuccess", validate=False)
    def send_pipeline_execution_step_success(self) -> ActionResult:
        """SendPipelineExecutionStepSuccess: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_SendPipelineExecutionStepSuccess.html"""
        return ActionResult(
            self.pipelines_backend.send_pipeline_execution_step_success(
                self._p("CallbackToken"),
                self._p("OutputParameters"),
                self._p("ClientRequestToken"),
            )
        )

    @action("SendPipelineExecutionStepFailure", validate=False)
    def send_pipeline_execution_step_failure(self) -> ActionResult:
        """SendPipelineExecutionStepFailure: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_SendPipelineExecutionStepFailure.html"""
        return ActionResult(
            self.pipelines_backend.send_pipeline_execution_step_failure(
                self._p("CallbackToken"),
                self._p("FailureReason"),
                self._p("ClientRequestToken"),
            )
        )

    # --------------------------------------------------------------------- tags
    def add_tags(self) -> ActionResult:
        """AddTags: ours on pipeline and execution ARNs, moto's on any other resource."""
        arn = str(self._p("ResourceArn") or "")
        if not self.pipelines_backend.owns_arn(arn):
            return super().add_tags()
        return self._tags_add(arn)

    @action("AddTags")
    def _tags_add(self, arn: str) -> ActionResult:  # type: ignore[override]
        return ActionResult({"Tags": self.pipelines_backend.add_tags(arn, self._p("Tags") or [])})

    def list_tags(self) -> ActionResult:
        """ListTags: ours on pipeline and execution ARNs, moto's on any other resource."""
        arn = str(self._p("ResourceArn") or "")
        if not self.pipelines_backend.owns_arn(arn):
            return super().list_tags()
        return self._tags_list(arn)

    @action("ListTags")
    def _tags_list(self, arn: str) -> ActionResult:  # type: ignore[override]
        return ActionResult(
            self.pipelines_backend.list_tags(arn, self._p("NextToken"), self._p("MaxResults"))
        )

    def delete_tags(self) -> ActionResult:
        """DeleteTags: ours on pipeline and execution ARNs, moto's on any other resource."""
        arn = str(self._p("ResourceArn") or "")
        if not self.pipelines_backend.owns_arn(arn):
            return super().delete_tags()
        return self._tags_delete(arn)

    @action("DeleteTags")
    def _tags_delete(self, arn: str) -> ActionResult:  # type: ignore[override]
        self.pipelines_backend.delete_tags(arn, self._p("TagKeys") or [])
        return EmptyResult()
