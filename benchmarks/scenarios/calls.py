"""Scenario 5: each owned action per call beside plain moto and the botocore Stubber floor; the
two-hour ``wait()``; the ``simulate`` command (issue 15 goals 3, 5 and 6).

* **Per call**: CPU microseconds of one call (median of 5 batches after a warm-up), through the
  plugin, through plain ``moto.mock_aws()`` for the actions moto implements, and through
  ``botocore.stub.Stubber`` answering the plugin's own response (the floor: botocore validates
  the parameters and returns the canned dict, with no request, signature, HTTP or parsing).
* **wait()**: a pipeline whose one step runs two simulated hours, awaited with the waiter the
  SageMaker Python SDK's ``_PipelineExecution.wait()`` builds (``PipelineExecutionComplete``, 30 s
  delay), with waiter warping on. Wall time, polls, and the statuses the waiter saw. Then the
  *wire floor*: the same waiter on a client outside any mock whose ``before-send`` handler
  replays, poll by poll, the response bytes the plugin gave (status, headers, body; the waiter's
  sleeps skipped). It is the wait() of a mock that answers in no time while botocore still
  builds, signs and parses every request and response: no server-side change can go below it.
* **simulate**: ``mock-sagemaker-pipelines simulate`` of the README's abalone example in a fresh
  interpreter, wall time end to end, and the import time of the CLI module. One unmeasured run
  first, and the children run with byte-code caching on (``PYTHONDONTWRITEBYTECODE`` removed from
  their environment), as a user's second command would: otherwise each run compiles the
  package's 100-odd modules again (about 0.1 s).
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, cast

from ..common import ROLE, ROOT, START_TIME, aws_client
from .fan_out import fan_definition
from .shapes import shape_definition

ABALONE = "examples/definitions/03-examples-abalone-condition-fail.json"
SCENARIO = "examples/scenarios/abalone-pass.json"


def _cost(call: Callable[[], Any], calls: int) -> float:
    """CPU seconds of one ``call()``: the median of 5 batches of ``calls // 5`` after 10 warm-ups."""
    for _ in range(10):
        call()
    batch = max(1, calls // 5)
    samples = []
    for _ in range(5):
        cpu0 = time.process_time()
        for _ in range(batch):
            call()
        samples.append((time.process_time() - cpu0) / batch)
    return sorted(samples)[2]


def _requests(arn: str, counter: list[int]) -> dict[str, tuple[str, Callable[[], dict[str, Any]]]]:
    """Operation -> (boto3 method name, the request's keywords) on pipeline ``small`` and ``arn``."""

    def fresh(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    small = fan_definition(3)
    execution = {"PipelineExecutionArn": arn}
    return {
        "DescribePipelineExecution": ("describe_pipeline_execution", lambda: execution),
        "DescribePipeline": ("describe_pipeline", lambda: {"PipelineName": "small"}),
        "ListPipelines": ("list_pipelines", lambda: {"MaxResults": 10}),
        "ListPipelineExecutions": (
            "list_pipeline_executions",
            lambda: {"PipelineName": "small", "MaxResults": 10},
        ),
        "ListPipelineExecutionSteps": ("list_pipeline_execution_steps", lambda: execution),
        "ListPipelineParametersForExecution": (
            "list_pipeline_parameters_for_execution",
            lambda: execution,
        ),
        "DescribePipelineDefinitionForExecution": (
            "describe_pipeline_definition_for_execution",
            lambda: execution,
        ),
        "CreatePipeline": (
            "create_pipeline",
            lambda: {"PipelineName": fresh("p"), "RoleArn": ROLE, "PipelineDefinition": small},
        ),
        "StartPipelineExecution": (
            "start_pipeline_execution",
            lambda: {
                "PipelineName": "small",
                "ClientRequestToken": fresh("token-").ljust(32, "x"),
            },
        ),
    }


#: Owned actions moto 5.2.5 implements itself (the others have no plain-moto figure).
MOTO_HAS = frozenset(
    {
        "DescribePipelineExecution",
        "DescribePipeline",
        "ListPipelines",
        "ListPipelineExecutions",
        "ListPipelineParametersForExecution",
        "DescribePipelineDefinitionForExecution",
        "CreatePipeline",
        "StartPipelineExecution",
    }
)


def _setup(client: Any) -> str:
    client.create_pipeline(PipelineName="small", RoleArn=ROLE, PipelineDefinition=fan_definition(3))
    return str(
        client.start_pipeline_execution(PipelineName="small", ClientRequestToken="s" * 32)[
            "PipelineExecutionArn"
        ]
    )


def per_action(calls: int, seed: int) -> dict[str, Any]:
    """CPU seconds per call of each action: plugin, plain moto, Stubber floor."""
    import moto
    from botocore.stub import Stubber

    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    out: dict[str, Any] = {"calls": calls, "plugin": {}, "moto": {}, "floor": {}}
    canned: dict[str, dict[str, Any]] = {}

    def timed(client: Any, method: str, kwargs: Callable[[], dict[str, Any]]) -> float:
        return _cost(lambda: getattr(client, method)(**kwargs()), calls)

    with mock_sagemaker_pipelines(
        seed=seed, start_time=START_TIME, report="off", max_pipelines=None
    ) as pipelines:
        client = aws_client()
        arn = _setup(client)
        pipelines.advance(60)
        for operation, (method, kwargs) in _requests(arn, [0]).items():
            out["plugin"][operation] = timed(client, method, kwargs)
            response = getattr(client, method)(**kwargs())
            response.pop("ResponseMetadata", None)
            canned[operation] = response
    with moto.mock_aws():
        client = aws_client()
        arn = _setup(client)
        for operation, (method, kwargs) in _requests(arn, [10**6]).items():
            if operation in MOTO_HAS:
                out["moto"][operation] = timed(client, method, kwargs)
    client = aws_client()
    for operation, (method, kwargs) in _requests(arn, [2 * 10**6]).items():
        stubber = Stubber(client)
        for _ in range(10 + max(1, calls // 5) * 5):
            stubber.add_response(method, canned[operation])
        with stubber:
            out["floor"][operation] = timed(client, method, kwargs)
    return out


def two_hour_wait(seed: int) -> dict[str, Any]:
    """The SDK's ``wait()`` (30 s delay) on a two-hour execution, with waiter warping on."""
    import botocore.waiter

    from mock_sagemaker_pipelines import mock_sagemaker_pipelines

    model = botocore.waiter.WaiterModel(
        {
            "version": 2,
            "waiters": {
                "PipelineExecutionComplete": {
                    "delay": 30,
                    "maxAttempts": 300,
                    "operation": "DescribePipelineExecution",
                    "acceptors": [
                        {
                            "expected": "Succeeded",
                            "matcher": "path",
                            "state": "success",
                            "argument": "PipelineExecutionStatus",
                        },
                        {
                            "expected": "Failed",
                            "matcher": "path",
                            "state": "failure",
                            "argument": "PipelineExecutionStatus",
                        },
                    ],
                }
            },
        }
    )
    with mock_sagemaker_pipelines(
        seed=seed, start_time=START_TIME, durations={"Processing": 7200.0}, report="off"
    ) as pipelines:
        client = aws_client()
        client.create_pipeline(
            PipelineName="long",
            RoleArn=ROLE,
            PipelineDefinition=shape_definition("chain", 1),
        )
        arn = client.start_pipeline_execution(PipelineName="long")["PipelineExecutionArn"]
        client.describe_pipeline_execution(PipelineExecutionArn=arn)  # warm the code paths
        seen: list[tuple[float, str]] = []

        def record(parsed: dict[str, Any], **_: Any) -> None:
            seen.append((pipelines.simulation.clock.elapsed(), parsed["PipelineExecutionStatus"]))

        client.meta.events.register("after-call.sagemaker.DescribePipelineExecution", record)
        waiter = botocore.waiter.create_waiter_with_client(
            "PipelineExecutionComplete", model, client
        )
        seen.clear()
        replies: list[tuple[int, dict[str, str], bytes]] = []

        def keep(response_dict: dict[str, Any], **_: Any) -> None:
            replies.append(
                (
                    response_dict["status_code"],
                    dict(response_dict["headers"]),
                    response_dict["body"],
                )
            )

        # The garbage of the set-up (moto resets boto3's default session, so each mock's first
        # client decodes its own service model) is collected here, not by chance inside the
        # timed window: a full collection of it takes longer than the whole wait.
        gc.collect()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        waiter.wait(PipelineExecutionArn=arn)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        simulated = pipelines.simulation.clock.elapsed()
        client.meta.events.unregister("after-call.sagemaker.DescribePipelineExecution", record)
        # the same wait again, untimed, keeping the bytes of each response for the wire floor
        arn = client.start_pipeline_execution(PipelineName="long")["PipelineExecutionArn"]
        client.meta.events.register("before-parse.sagemaker.DescribePipelineExecution", keep)
        waiter.wait(PipelineExecutionArn=arn)
    return {
        "wall": wall,
        "cpu": cpu,
        "floor_wall": _wire_floor_wait(model, arn, replies),
        "floor_polls": len(replies),
        "polls": len(seen),
        "simulated_seconds": simulated,
        "first": seen[0],
        "last": seen[-1],
        "statuses": sorted({s for _, s in seen}),
    }


def _wire_floor_wait(
    model: Any, arn: str, replies: list[tuple[int, dict[str, str], bytes]]
) -> float:
    """Wall seconds of the waiter when every poll is answered at once with the next of ``replies``.

    No mock is active: a ``before-send`` handler of this client returns the recorded bytes as an
    ``AWSResponse`` (botocore then parses them as it parses any HTTP response), and the waiter's
    ``time.sleep`` is skipped. Median of 3.
    """
    from unittest import mock

    import botocore.waiter
    from botocore.awsrequest import AWSResponse
    from moto.core.botocore_stubber import MockRawResponse

    client = aws_client()
    queue: list[tuple[int, dict[str, str], bytes]] = []

    def answer(request: Any, **_: Any) -> AWSResponse:
        status, headers, body = queue.pop(0)
        return AWSResponse(request.url, status, cast(Any, headers), MockRawResponse(body))

    client.meta.events.register("before-send.sagemaker.DescribePipelineExecution", answer)
    waiter = botocore.waiter.create_waiter_with_client("PipelineExecutionComplete", model, client)
    queue[:] = replies[-1:]
    waiter.wait(PipelineExecutionArn=arn)  # warm the code paths
    walls = []
    with mock.patch.object(time, "sleep", lambda seconds: None):  # what the waiter calls
        for _ in range(3):
            queue[:] = replies
            gc.collect()
            wall0 = time.perf_counter()
            waiter.wait(PipelineExecutionArn=arn)
            walls.append(time.perf_counter() - wall0)
    return sorted(walls)[1]


def _children_cpu() -> float:
    """User + system CPU seconds of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def simulate_command(repeat: int) -> dict[str, Any]:
    """Wall seconds of ``simulate`` of the abalone example, and of importing the CLI module."""
    # python -m (not the installed script), so that the checkout in ROOT is the one measured
    command = [sys.executable, "-m", "mock_sagemaker_pipelines.cli", "simulate", ABALONE]
    command += ["--scenario", SCENARIO]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)  # caches
    walls, cpus = [], []
    for _ in range(repeat):
        wall0, cpu0 = time.perf_counter(), _children_cpu()
        proc = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        walls.append(time.perf_counter() - wall0)
        cpus.append(_children_cpu() - cpu0)
        if proc.returncode != 0:
            raise RuntimeError(f"simulate failed ({proc.returncode}): {proc.stderr[-2000:]}")
    imports = []
    for _ in range(repeat):
        wall0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "import mock_sagemaker_pipelines.cli"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        imports.append(time.perf_counter() - wall0)
    bare = []
    for _ in range(repeat):
        wall0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], cwd=ROOT, env=env, check=True)
        bare.append(time.perf_counter() - wall0)
    return {
        "simulate": sorted(walls)[len(walls) // 2],
        "simulate_cpu": sorted(cpus)[len(cpus) // 2],
        "import_cli": sorted(imports)[len(imports) // 2] - sorted(bare)[len(bare) // 2],
        "interpreter": sorted(bare)[len(bare) // 2],
        "exit_code": proc.returncode,
    }
