"""``BackendCore``: the state of one account and region, and the look-ups every action uses.

Stores: ``pipelines`` (name -> :class:`~.records.Pipeline`), ``executions`` (ARN ->
:class:`~mock_sagemaker_pipelines.engine.execution.Execution`), ``callbacks`` (CallbackToken ->
the waiting step run), ``callback_answers`` (CallbackToken -> its answer) and ``idempotency``.
The action families (:mod:`.pipelines`, :mod:`.executions`, :mod:`.callbacks`, :mod:`.tags`)
are mixins over this class; :mod:`mock_sagemaker_pipelines.backend` puts them together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._moto import BaseBackend
from ..engine import simulation as simulation_module
from ..engine.execution import Execution
from ..engine.run import StepRun
from ..exceptions import ResourceNotFound, ValidationException
from .common import PIPELINE_ARN, IdempotencyStore
from .events import EventBridgeListener
from .records import Pipeline


class BackendCore(BaseBackend):
    """SageMaker Pipelines state of one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.pipelines: dict[str, Pipeline] = {}
        self.executions: dict[str, Execution] = {}
        self.callbacks: dict[str, StepRun] = {}
        #: CallbackToken -> (ClientRequestToken, request fingerprint, response) of its answer.
        self.callback_answers: dict[str, tuple[str | None, str, dict[str, Any]]] = {}
        self.idempotency = IdempotencyStore()
        self.events = EventBridgeListener(account_id, region_name)

    def forget_execution(self, execution: Execution) -> None:
        """Release everything ``execution`` holds: its scheduled events, its callback tokens
        and their answers, and the record of the SQS messages it sent (DeletePipeline)."""
        execution.kill()
        self.executions.pop(execution.arn, None)
        tokens = [token for token, run in self.callbacks.items() if run.execution is execution]
        for token in tokens:
            del self.callbacks[token]
            self.callback_answers.pop(token, None)
        sent = execution.simulation.sent_messages
        sent[:] = [m for m in sent if m.PipelineExecutionArn != execution.arn]

    def reset(self) -> None:
        """moto's reset: release what every execution holds (events, tokens, sent-message
        records), then all state."""
        for execution in list(getattr(self, "executions", {}).values()):
            self.forget_execution(execution)
        super().reset()

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
