"""Job handlers: the test's own Python code standing in for a job step's job.

A handler is registered for a step name (``PipelinesMock.job_handler``) and called when the
step's attempt enters ``Executing``, with the step's resolved ``Arguments`` (the
CreateProcessingJob/CreateTrainingJob/... request the service would send, minus the job name)
and a :class:`JobContext`. It may write files to the step's S3 outputs in moto's S3 (property
files are then read from there), return properties to merge over the derived ones, raise to
fail the attempt (:class:`JobFailed` chooses the reason and the retry-policy exception type),
and declare a simulated duration. The result is a
:class:`~mock_sagemaker_pipelines.outcomes.ScriptedOutcome` the job step then plays out as it
plays a scripted one. Rules of the mock's own, not of the service **[U]**: see
``docs/behaviour.md``, "Job handlers and @step functions".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._moto import peers
from ..outcomes import ScriptedOutcome
from .clock import check_seconds
from .job_outputs import within_outputs

if TYPE_CHECKING:
    from .run import StepRun

JobHandler = Callable[[dict[str, Any], "JobContext"], Any]

#: FailureReason is at most 1024 characters (botocore ``FailureReason`` of a step).
MAX_REASON = 1024


class JobFailed(Exception):
    """Raise from a job handler to fail the attempt with exactly ``reason``.

    ``exception_type`` is the retry-policy ExceptionType the failure counts as (for example
    ``"SageMaker.CAPACITY_ERROR"``); ``None`` matches no policy.
    """

    def __init__(self, reason: str, exception_type: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.exception_type = exception_type


class JobContext:
    """What a job handler knows about the attempt it stands in for.

    ``execution_arn``, ``step_name``, ``step_type``, ``attempt`` (1-based AttemptCount),
    ``job_name`` and ``job_arn`` (the job registered in moto's SageMaker), ``account_id`` and
    ``region_name`` of the execution, ``outputs`` (output name -> S3 URI the job may write:
    a Processing step's ``OutputName``s, ``S3OutputPath`` of a Training or Transform step),
    ``property_files`` (PropertyFileName -> the S3 URI ``Std:JsonGet`` reads). ``now`` is the
    simulated time (UTC). Set ``duration`` (simulated seconds) to choose how long the job runs.
    """

    def __init__(self, run: StepRun, outputs: dict[str, str], files: dict[str, str]) -> None:
        ex = run.execution
        ref = run.state.get("job")
        self.execution_arn: str = ex.arn
        self.step_name: str = run.name
        self.step_type: str = run.step.type
        self.attempt: int = run.attempt
        self.job_name: str = getattr(ref, "name", "")
        self.job_arn: str = getattr(ref, "arn", "")
        self.account_id: str = ex.account_id
        self.region_name: str = ex.region_name
        self.outputs: dict[str, str] = dict(outputs)
        self.property_files: dict[str, str] = dict(files)
        self.duration: float | None = None
        self._simulation = ex.simulation

    @property
    def now(self) -> datetime:
        """The simulated time (a timezone-aware UTC ``datetime``)."""
        return self._simulation.clock.now()

    def client(self, service_name: str, **kwargs: Any) -> Any:
        """A boto3 client of moto's ``service_name`` in the execution's account and region.

        In server mode the client points at the server; otherwise moto's ``mock_aws`` (started
        by the mock) serves it. Keyword arguments go to ``Session.client``.
        """
        endpoint = self._simulation.endpoint_url
        if endpoint and "endpoint_url" not in kwargs:
            kwargs.setdefault("aws_access_key_id", "testing")  # the server takes any credentials
            kwargs.setdefault("aws_secret_access_key", "testing")
            kwargs["endpoint_url"] = endpoint
        session = peers.boto_session(self.account_id, self.region_name)
        return session.client(service_name, **kwargs)

    def put_object(self, uri: str, body: bytes | str) -> None:
        """Write ``body`` to ``uri`` (``s3://bucket/key``) in moto's S3 (creating the bucket).

        Returns ``None``, so that a one-line handler ``lambda a, c: c.put_object(...)`` returns
        no properties.
        """
        bucket, key = peers.parse_s3_uri(uri)
        data = body.encode() if isinstance(body, str) else bytes(body)
        peers.write_s3_object(self.account_id, self.region_name, bucket, key, data)

    def write_property_file(self, name: str, content: Any) -> None:
        """Write ``content`` as JSON where property file ``name`` is read (``property_files``).

        Raises ``KeyError`` naming the declared files when the step declares no such file.
        """
        if name not in self.property_files:
            raise KeyError(
                f"step {self.step_name!r} declares no property file {name!r}; it declares "
                f"{sorted(self.property_files) or 'none'}"
            )
        self.put_object(self.property_files[name], json.dumps(content))


def check_duration(duration: float | None) -> float | None:
    """A declared handler duration, range-checked (``ValueError``), or ``None``."""
    return None if duration is None else check_seconds(duration, "duration")


def _fail(reason: str, after: float, exception_type: str | None = None) -> ScriptedOutcome:
    return ScriptedOutcome(
        False, after=after, reason=reason[:MAX_REASON], exception_type=exception_type
    )


def run_job_handler(
    run: StepRun,
    handler: JobHandler,
    declared: float | None,
    default_duration: float,
    outputs: dict[str, str],
    files: dict[str, str],
) -> ScriptedOutcome:
    """Call ``handler`` for the run's current attempt and say what the attempt does.

    ``declared``: the duration given at registration; ``default_duration``: the step's own
    (scripted or default) seconds. Warped sleeps inside the handler add to the duration. A
    handler that raises, returns something other than ``None`` or a JSON object, or writes to
    moto's S3 outside ``outputs`` fails the attempt (stray writes are undone).
    """
    ex = run.execution
    sim = ex.simulation
    context = JobContext(run, outputs, files)
    before = peers.s3_snapshot(ex.account_id, lambda uri: not within_outputs(uri, outputs.values()))
    arguments = json.loads(json.dumps(run.arguments if isinstance(run.arguments, dict) else {}))
    sim.sleep_sink = []
    try:
        result = handler(arguments, context)
        error: BaseException | None = None
    except (Exception, SystemExit) as exc:  # a handler calling sys.exit() fails the step
        result, error = None, exc
    finally:
        slept, sim.sleep_sink = sum(sim.sleep_sink or []), None
    try:
        base = context.duration if context.duration is not None else declared
        delay = check_seconds(base if base is not None else default_duration, "duration") + slept
    except ValueError as exc:
        return _fail(f"ClientError: The job handler of step '{run.name}' set {exc}", 0.0)
    stray = [
        key
        for key in peers.s3_changes(before, peers.s3_snapshot(ex.account_id))
        if not within_outputs(f"s3://{key[0]}/{key[1]}", outputs.values())
    ]
    if stray:
        peers.s3_restore(ex.account_id, ex.region_name, before, stray)
        where = ", ".join(sorted(outputs.values())) or "none"
        written = ", ".join(f"s3://{b}/{k}" for b, k in stray[:3])
        return _fail(
            f"ClientError: The job handler of step '{run.name}' wrote {written}, outside the "
            f"step's outputs ({where}); the write was undone.",
            delay,
        )
    if isinstance(error, JobFailed):
        return _fail(str(error.reason), delay, error.exception_type)
    if error is not None:
        return _fail(f"AlgorithmError: {error!r}, exit code: 1", delay)
    if result is None:
        result = {}
    try:
        properties = json.loads(json.dumps(result))
    except (TypeError, ValueError) as exc:
        properties, problem = None, f"a value that is not JSON ({exc})"
    else:
        problem = f"{type(result).__name__}"
    if not isinstance(properties, dict):
        return _fail(
            f"ClientError: The job handler of step '{run.name}' must return None or a dict of "
            f"properties (Describe* field names), not {problem}.",
            delay,
        )
    return ScriptedOutcome(True, after=delay, properties=properties)
