"""EventBridge status-change events on moto's default bus (spec section 12).

:class:`EventBridgeListener` is the engine's
:class:`~mock_sagemaker_pipelines.engine.listener.ExecutionListener` for one account and
region. It puts "SageMaker Model Building Pipeline Execution Status Change" and "... Execution
Step Status Change" events (source ``aws.sagemaker``, resources the pipeline and execution
ARNs), unless the simulation's ``emit_events`` is off or no EventBridge rule exists that could
receive them (then nothing is built).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from .._moto import peers
from ..engine import simulation as simulation_module
from ..engine.execution import Execution
from ..engine.run import StepRun

EXECUTION_DETAIL_TYPE = "SageMaker Model Building Pipeline Execution Status Change"
STEP_DETAIL_TYPE = "SageMaker Model Building Pipeline Execution Step Status Change"


def _iso(when: datetime | None) -> str | None:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def _lower_camel(key: str) -> str:
    """``TrainingJob`` -> ``trainingJob``; a leading acronym goes lower whole (``EMR`` -> ``emr``,
    ``EMRServerless`` -> ``emrServerless``), as camelCase JSON names it (the events' key form for
    these two metadata types is not documented)."""
    run = len(key) - len(key.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if run > 1 and run < len(key) and key[run].islower():
        run -= 1
    run = max(run, 1)
    return key[:run].lower() + key[run:]


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_lower_camel(k): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


class EventBridgeListener:
    """Puts the execution and step status events of one account and region."""

    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name

    def _wanted(self) -> bool:
        return simulation_module.current().options.emit_events and peers.events_wanted(
            self.account_id, self.region_name
        )

    def execution_status_changed(self, execution: Execution, previous: str | None) -> None:
        """The execution status event."""
        if not self._wanted():
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
        self._put(EXECUTION_DETAIL_TYPE, execution, detail)

    def step_status_changed(self, execution: Execution, run: StepRun, previous: str | None) -> None:
        """The step status event (metadata keys in lowerCamelCase, as the service sends them)."""
        if not self._wanted():
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
        if run.cache_hit_source:  # spec section 12: present on a cache hit
            detail["cacheHitResult"] = {"sourcePipelineExecutionArn": run.cache_hit_source}
        self._put(STEP_DETAIL_TYPE, execution, detail)

    def _put(self, detail_type: str, execution: Execution, detail: dict[str, Any]) -> None:
        peers.put_events(
            self.account_id,
            self.region_name,
            [
                {
                    "Source": "aws.sagemaker",
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail),
                    "Resources": [execution.pipeline_arn, execution.arn],
                    # moto renders a Unix time as ISO 8601
                    "Time": simulation_module.current().clock.now().timestamp(),
                }
            ],
        )
