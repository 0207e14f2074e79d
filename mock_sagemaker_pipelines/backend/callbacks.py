"""Callback answers: SendPipelineExecutionStepSuccess and SendPipelineExecutionStepFailure.

Tokens are registered by Callback steps (the engine's
:class:`~mock_sagemaker_pipelines.engine.listener.CallbackRegistry`, which this mixin
implements). An answer is validated against the operation's input shape, then against the step
(declared outputs and their OutputType) before anything changes (spec section 6). A replay with
the same ClientRequestToken returns the first response; any other answer to an answered token is
a ConflictException; an unknown token is ResourceNotFound.
"""

from __future__ import annotations

import json
from typing import Any

from ..engine.outputs import convert_output
from ..engine.run import StepRun
from ..exceptions import ConflictException, ResourceNotFound, ValidationException
from ..validation import validate_request
from .core import BackendCore


def _callback_fingerprint(operation: str, request: Any) -> str:
    """What a SendPipelineExecutionStep* replay must repeat: the operation and its parameters."""
    return json.dumps([operation, request], sort_keys=True, default=str)


class CallbackActions(BackendCore):
    """The callback actions and the token registry."""

    def callback_token_in_use(self, token: str) -> bool:
        """Whether ``token`` was already given to a step of this account and region."""
        return token in self.callbacks

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
        run.execution.answer_callback(run, True, outputs, None, list(output_parameters or []))
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
        run.execution.answer_callback(run, False, {}, failure_reason)
        return dict(response)
