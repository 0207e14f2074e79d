"""Scenario 2: DescribePipelineExecution per call, served by the plugin and by plain moto.

Both run in the same process on a started execution; a third measurement times the plugin
while a big execution is half-way through (the call's cost must not grow with the state).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..common import ROLE, START_TIME, aws_client, mark
from .fan_out import fan_definition


def _time_calls(call: Callable[[], Any], calls: int, repeat: int) -> tuple[float, float]:
    """Best-of-``repeat`` mean (wall, CPU) seconds per call of ``call``, after 20 warm-up calls."""
    for _ in range(20):
        call()
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall0, cpu0 = mark()
        for _ in range(calls):
            call()
        wall1, cpu1 = mark()
        best_wall = min(best_wall, (wall1 - wall0) / calls)
        best_cpu = min(best_cpu, (cpu1 - cpu0) / calls)
    return best_wall, best_cpu


def describe_overhead(calls: int, repeat: int, seed: int, busy_steps: int) -> dict[str, Any]:
    """Per-call DescribePipelineExecution: plugin, plugin with a busy simulation, plain moto."""
    import moto

    from mock_sagemaker_pipelines import _moto as plugin_moto
    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    small = fan_definition(3)
    out: dict[str, Any] = {"calls": calls, "repeat": repeat}

    with mock_sagemaker_pipelines(seed=seed, start_time=START_TIME) as pipelines:
        assert plugin_moto.is_active()
        client = aws_client()
        client.create_pipeline(PipelineName="small", RoleArn=ROLE, PipelineDefinition=small)
        arn = client.start_pipeline_execution(PipelineName="small")["PipelineExecutionArn"]
        status = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        out["plugin_status"] = status
        out["plugin"] = _time_calls(
            lambda: client.describe_pipeline_execution(PipelineExecutionArn=arn), calls, repeat
        )
        # The same call while a big execution is half-way: its events wait in the scheduler.
        client.create_pipeline(
            PipelineName="busy", RoleArn=ROLE, PipelineDefinition=fan_definition(busy_steps)
        )
        busy = client.start_pipeline_execution(PipelineName="busy")["PipelineExecutionArn"]
        pipelines.advance(400)  # Root is done; every fan-out step is Executing
        out["busy_steps"] = busy_steps
        out["busy_pending_events"] = pipelines.simulation.scheduler.pending()
        out["plugin_busy"] = _time_calls(
            lambda: client.describe_pipeline_execution(PipelineExecutionArn=busy), calls, repeat
        )

    with moto.mock_aws():
        if plugin_moto.is_active():
            raise RuntimeError("the plugin is still routing SageMaker under plain mock_aws")
        client = aws_client()
        client.create_pipeline(
            PipelineName="small",
            RoleArn=ROLE,
            PipelineDefinition=small,
            ClientRequestToken="m" * 32,
        )
        arn = client.start_pipeline_execution(PipelineName="small", ClientRequestToken="n" * 32)[
            "PipelineExecutionArn"
        ]
        out["moto_status"] = client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        out["moto"] = _time_calls(
            lambda: client.describe_pipeline_execution(PipelineExecutionArn=arn), calls, repeat
        )
    out["ratio"] = out["plugin"][0] / out["moto"][0]
    out["ratio_cpu"] = out["plugin"][1] / out["moto"][1]
    return out
