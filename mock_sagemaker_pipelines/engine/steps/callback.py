"""Callback steps (spec section 6): a real SQS message, a token, and a wait for the answer.

On ``Executing`` the step sends ``{"token", "pipelineExecutionArn", "arguments"}`` to its
``SqsQueueUrl`` in moto's SQS (a missing queue fails the step), shows
``Metadata.Callback.CallbackToken``/``SqsQueueUrl``, and waits for
SendPipelineExecutionStepSuccess/Failure, a scripted answer, or (``auto_callbacks``) placeholder
outputs. StopPipelineExecution sends one more message with ``"status": "Stopping"`` and the same
token, and the step keeps waiting for its answer (StopPipelineExecution API reference).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from ..._moto import peers
from ...definition import evaluate
from ...outcomes import ScriptedOutcome
from ..outputs import as_output_list, output_list, placeholder_outputs
from .base import StepKind, duration_of, outcome_for

if TYPE_CHECKING:
    from ..run import StepRun


class SentMessage(NamedTuple):
    """One SQS message a Callback step sent; :attr:`PipelinesMock.sent_messages` shows each as
    a dict of these fields (a tuple keeps 20,000 of them 180 bytes a message lighter)."""

    QueueUrl: str
    MessageId: str
    #: The message body as a dict: ``token``, ``pipelineExecutionArn``, ``arguments`` (and
    #: ``"status": "Stopping"`` on the message a stop sends).
    Body: dict[str, Any]
    PipelineExecutionArn: str
    StepName: str
    #: When it was sent, on the simulated clock (UTC).
    SentTime: datetime


class CallbackStep(StepKind):
    """Sends the callback message to SQS and waits for SendPipelineExecutionStep*."""

    def executing(self, run: StepRun) -> None:
        ex = run.execution
        # An ExpressionError fails the step: the event runs inside StepRun.guarded.
        url = evaluate(run.step.sqs_queue_url, ex.context_for(run))
        token = ex.simulation.callback_token()
        while ex.callbacks.callback_token_in_use(token):
            token = ex.simulation.callback_token()
        run.state["token"] = token
        run.state["queue_url"] = str(url)
        run.metadata = {"Callback": {"CallbackToken": token, "SqsQueueUrl": str(url)[:256]}}
        body = {"token": token, "pipelineExecutionArn": ex.arn, "arguments": run.arguments or {}}
        if not self._send(run, body):
            return
        ex.callbacks.register_callback(token, run)
        outcome = outcome_for(run)
        if outcome is not None:
            delay = duration_of(run, outcome)
            run.schedule(delay, lambda: self._answer(run, outcome), "answer")
        elif ex.simulation.options.auto_callbacks:
            run.schedule(duration_of(run, None), lambda: self._auto_answer(run), "auto-answer")

    def _send(self, run: StepRun, body: dict[str, Any]) -> bool:
        ex = run.execution
        url = run.state["queue_url"]
        try:
            queue = peers.parse_queue_url(url, ex.account_id, ex.region_name)
            message_id = peers.send_sqs_message(queue, json.dumps(body))
        except peers.PeerError as exc:
            if run.active and body.get("status") != "Stopping":
                ex.fail_step(
                    run, f"ClientError: Failed to send the callback message to {url}: {exc}"
                )
            return False
        ex.simulation.sent_messages.append(
            SentMessage(url, message_id, body, ex.arn, run.name, ex.simulation.clock.now())
        )
        return True

    def _answer(self, run: StepRun, outcome: ScriptedOutcome) -> None:
        callbacks = run.execution.callbacks
        token = run.state["token"]
        try:
            if outcome.succeed:
                # A scripted success gives every declared output: those it leaves out get a
                # typed placeholder (docs/behaviour.md, "One meaning of succeed").
                outputs = {**placeholder_outputs(run), **outcome.outputs}
                callbacks.send_pipeline_execution_step_success(
                    token, as_output_list(outputs), None
                )
            else:
                callbacks.send_pipeline_execution_step_failure(token, outcome.reason, None)
        except Exception as exc:  # a badly scripted output: fail the step, visibly
            if run.active:
                run.execution.fail_step(
                    run, f"ClientError: The scripted callback answer was rejected: {exc}"
                )

    def _auto_answer(self, run: StepRun) -> None:
        if run.active:
            run.execution.callbacks.send_pipeline_execution_step_success(
                run.state["token"], as_output_list(placeholder_outputs(run)), None
            )

    def answered(
        self,
        run: StepRun,
        success: bool,
        outputs: dict[str, Any],
        reason: str | None,
        sent: list[dict[str, str]] | None = None,
    ) -> None:
        """SendPipelineExecutionStepSuccess/Failure reached this step (already validated).

        ``outputs`` are the typed values downstream expressions read; ``sent`` the
        ``[{Name, Value}]`` exactly as the caller sent them, which the step's metadata shows
        (the service stores the strings it was given).
        """
        missing = [d.name for d in run.step.output_parameters if d.name not in outputs]
        if success and missing:
            # Spec section 6: a declared output the answer leaves out fails the step.
            success, reason = (
                False,
                "ClientError: SendPipelineExecutionStepSuccess did not give the declared output "
                f"parameter(s) {', '.join(repr(m) for m in missing)}.",
            )
        run.outputs = outputs
        listed = sent if sent is not None else output_list(run)
        run.metadata["Callback"]["OutputParameters"] = [
            {"Name": str(p["Name"]), "Value": str(p.get("Value", ""))} for p in listed
        ]
        if success:
            run.properties = {"OutputParameters": dict(outputs)}
            run.execution.succeed_step(run)
        else:
            run.execution.fail_step(run, reason or "")

    def stop(self, run: StepRun) -> None:
        """Send one more message with ``"status": "Stopping"`` and keep waiting for the answer."""
        if run.status == "Starting" or "token" not in run.state:
            super().stop(run)
            return
        ex = run.execution
        self._send(
            run,
            {
                "token": run.state["token"],
                "pipelineExecutionArn": ex.arn,
                "arguments": run.arguments or {},
                "status": "Stopping",
            },
        )
